#!/usr/bin/env bash
# The OpenAPI schema (clients/openapi.json, validated, no warnings allowed) and the Python client
# generated from it (clients/python, by openapi-python-client). Never edit clients/python by hand:
# change the API, then run this.
#   scripts/generate_client.sh          regenerate both in place
#   scripts/generate_client.sh --check  regenerate into a temporary folder; fail if the committed
#                                       schema or client differ from what the code says
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
OUT=clients
if [ "${1:-}" = "--check" ]; then
  OUT=$(mktemp -d /tmp/zhiyi-client.XXXXXX)
  trap 'rm -rf "$OUT"' EXIT
fi
# On the default database whatever DATABASE_URL says: the schema must not depend on the backend.
env -u DATABASE_URL "$VENV/bin/python" manage.py spectacular --validate --fail-on-warn --format openapi-json --file "$OUT/openapi.json"
# The generator's post-hooks run ruff from PATH: the pinned one, so the output is reproducible.
PATH="$PWD/$VENV/bin:$PATH" "$VENV/bin/openapi-python-client" generate --path "$OUT/openapi.json" --meta pdm \
  --config clients/python-client.yaml --custom-template-path clients/templates --output-path "$OUT/python" \
  --overwrite --fail-on-warning >/dev/null
if [ "$OUT" != clients ]; then
  if ! diff -r -q -x __pycache__ -x '*.egg-info' clients/openapi.json "$OUT/openapi.json" >/dev/null \
      || ! diff -r -q -x __pycache__ -x '*.egg-info' -x .pdm-build -x .ruff_cache clients/python "$OUT/python"; then
    echo "clients/ is stale: run scripts/generate_client.sh and commit the result" >&2
    exit 1
  fi
  echo "clients/openapi.json and clients/python match the API"
fi
