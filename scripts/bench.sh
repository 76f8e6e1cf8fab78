#!/usr/bin/env bash
# `make bench`: every benchmark in bench/ one after the other, each printing its figures and its
# ratio to the baseline it runs beside (docs/performance.md says what each measures). The SSE
# fan-out is the longest (~15 min); BENCH_SKIP="sse_fanout documents" leaves benches out.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
status=0
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
for name in ledger pipeline jobs engines formats documents pdf_extractors sse_fanout; do
  case " ${BENCH_SKIP:-} " in *" $name "*) continue ;; esac
  echo "=== bench/$name.py ==="
  "$PY" "bench/$name.py" || { status=1; echo "bench/$name.py failed" >&2; }
done
exit $status
