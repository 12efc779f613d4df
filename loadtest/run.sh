#!/usr/bin/env bash
# Load test: 50 case managers against gunicorn on loopback for 60 seconds (issue 6, "Load").
#
#   DATABASE_URL=postgres://casework@127.0.0.1:5432/scale_db bash loadtest/run.sh
# (DATABASE_URL the app's role: gunicorn refuses a superuser or the tables' owner.)
#
# Needs a database seeded with `manage.py seed_scale --clients N` (N >= 9,000 gives the 150
# case managers the scenario logs in as: syn-cm-0101 to syn-cm-0150; set
# LOCUST_FIRST_CASE_MANAGER=1 for a smaller agency). Starts gunicorn with DEBUG off on
# 127.0.0.1:$PORT, runs locust headless, prints its summary, writes CSV files to
# var/loadtest/, and stops the gunicorn it started. Traffic goes to loopback only and stops
# after $RUN_TIME.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL to the seeded database}"
PORT="${PORT:-8001}"
WORKERS="${WORKERS:-4}"
USERS="${USERS:-50}"
SPAWN_RATE="${SPAWN_RATE:-10}"
RUN_TIME="${RUN_TIME:-60s}"
BIN=.venv/bin
OUT=var/loadtest
mkdir -p "$OUT"

export DATABASE_URL DEBUG=0 ALLOWED_HOSTS=127.0.0.1,localhost SECURE_COOKIES=0
# Keys of its own: the WSGI entry point refuses the development keys with DEBUG off.
export SECRET_KEY="${SECRET_KEY:-$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))")}"
export AUDIT_KEY="${AUDIT_KEY:-$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))")}"
export FIELD_LOOKUP_KEY="${FIELD_LOOKUP_KEY:-$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))")}"
# The synthetic agency holds no encrypted number, so a key of the run's own reads everything.
export FIELD_ENCRYPTION_KEYS="${FIELD_ENCRYPTION_KEYS:-$(.venv/bin/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")}"
export LOCUST_CASE_MANAGERS="$USERS"
# Keep each worker's connection between requests, as production would.
export CONN_MAX_AGE="${CONN_MAX_AGE:-60}"

"$BIN/gunicorn" casemgmt.wsgi -w "$WORKERS" -b "127.0.0.1:$PORT" --access-logfile /dev/null \
    --error-logfile "$OUT/gunicorn.log" &
GUNICORN_PID=$!
trap 'kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
    if curl -fs -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" 2>/dev/null; then break; fi
    sleep 1
done

"$BIN/locust" -f loadtest/locustfile.py --headless --only-summary \
    --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" --stop-timeout 5 \
    --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" --exit-code-on-error 1
