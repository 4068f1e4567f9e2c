#!/usr/bin/env bash
# Serve the demo: migrate, load demo data once, run the background worker next to the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py seed_demo
"$PY" manage.py db_worker --no-reload --queue-name '*' &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM
"$PY" manage.py runserver 127.0.0.1:8000
