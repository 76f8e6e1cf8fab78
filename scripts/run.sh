#!/usr/bin/env bash
# Start the platform in the foreground: migrate, demo account, the web server (daphne) + a qcluster worker.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
export DEBUG=${DEBUG:-1}
PORT=${PORT:-8000}

if ! command -v apertium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing apertium (offline English↔Spanish engine)…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apertium apertium-eng-spa) \
    >/dev/null 2>&1 || echo "apertium could not be installed; that engine will show as unavailable."
fi

# django-q2 in a SQLite file of its own (ZHIYI_SQLITE_QUEUE_DB=1): that database first.
if [ "${ZHIYI_SQLITE_QUEUE_DB:-0}" = 1 ]; then "$PY" manage.py migrate --database queue --noinput; fi
"$PY" manage.py migrate --noinput
"$PY" manage.py collectstatic --noinput >/dev/null
"$PY" manage.py create_demo_data

# The worker cluster under its supervisor: restarted when it exits or wedges; it also reaps.
"$PY" manage.py run_worker &
WORKER=$!
# daphne (ZHIYI_WEB_SERVER=uvicorn for uvicorn), with a deep listen backlog so a reconnect
# storm after a restart is not throttled by SYN retries.
"$PY" manage.py run_web --host 127.0.0.1 --port "$PORT" &
WEB=$!
trap 'kill $WORKER $WEB 2>/dev/null; wait $WORKER $WEB 2>/dev/null' INT TERM EXIT
echo "ZhiYi is running at http://127.0.0.1:$PORT/ (Ctrl-C stops it)"
wait -n $WORKER $WEB
