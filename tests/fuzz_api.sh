#!/usr/bin/env bash
# Fuzz the JSON API with schemathesis against a live gunicorn, as in production (DEBUG off),
# on a throwaway SQLite database: the seed foods, two users with entries and own foods
# (so that ids of another user's rows exist to be tried), and a token for the first.
#
#   bash tests/fuzz_api.sh                      # or: make fuzz-api
#   FUZZ_MAX_EXAMPLES=200 FUZZ_SEED=1 bash tests/fuzz_api.sh
#   FUZZ_DATABASE_URL=postgres://postgres@127.0.0.1:5432/empty_db bash tests/fuzz_api.sh
#
# Passes when schemathesis finds no server error, no response that breaks the schema
# (status, content type, headers, body) and no invalid request accepted.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
SCHEMATHESIS=${SCHEMATHESIS:-.venv/bin/schemathesis}
PORT=${FUZZ_PORT:-8765}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-50}
# Every check but one: positive_data_acceptance wants every schema-valid request to
# succeed, and some rules cannot be said in OpenAPI (q or fdc_id; a food id that exists;
# "count" alone only for an entry logged by portion), so those are 422 by design.
CHECKS=${FUZZ_CHECKS:-all}
EXCLUDE_CHECKS=${FUZZ_EXCLUDE_CHECKS:-positive_data_acceptance}
BASE="http://127.0.0.1:$PORT"

workdir=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$workdir"
}
trap cleanup EXIT

# FUZZ_DATABASE_URL may name an empty PostgreSQL database instead.
export DATABASE_URL="${FUZZ_DATABASE_URL:-sqlite:///$workdir/fuzz.sqlite3}"
export DEBUG=0 SECRET_KEY="fuzz-only-$(date +%s%N)" ALLOWED_HOSTS=127.0.0.1
# Plain HTTP on the loopback: no HTTPS redirect, no secure-only cookies.
export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0

echo "== database ${DATABASE_URL%%\?*}"
$PY manage.py migrate --noinput -v 0
$PY manage.py seed_foods
$PY manage.py shell -v 0 -c '
import datetime as dt
from decimal import Decimal
from django.contrib.auth import get_user_model
from nutrients.models import Food
from tracker.models import Entry, Meal, Profile

for username in ("fuzz", "other"):
    user = get_user_model().objects.create_user(username, password="fuzz-password-1")
    Profile.objects.create(user=user)
    Food.objects.create(description=f"Smoothie of {username}", source="user", owner=user)
    banana = Food.objects.get(fdc_id=173944)
    for offset in range(3):
        meal, _ = Meal.objects.get_or_create(
            user=user, day=dt.date(2026, 11, 22) + dt.timedelta(days=offset), slot="breakfast"
        )
        Entry.objects.create(meal=meal, food=banana, grams=Decimal(118), quantity=Decimal(118))
'
TOKEN=$($PY manage.py create_api_token fuzz --name fuzz 2>/dev/null)

echo "== gunicorn on $BASE"
# The server's own output goes to a file: Django logs every 4xx the fuzzer provokes.
.venv/bin/gunicorn tracker.wsgi --bind "127.0.0.1:$PORT" --workers 2 \
  --access-logfile /dev/null --error-logfile "$workdir/server.log" 2>>"$workdir/server.log" &
server_pid=$!
for _ in $(seq 50); do
  curl -fsS -o /dev/null "$BASE/api/openapi.json" 2>/dev/null && break
  sleep 0.2
done

echo "== schemathesis"
set +e
# Run from the temporary folder: schemathesis keeps a crash cache in its working folder.
schemathesis=$(realpath "$SCHEMATHESIS")
(cd "$workdir" && "$schemathesis" run "$BASE/api/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks "$CHECKS" \
  --exclude-checks "$EXCLUDE_CHECKS" \
  --max-examples "$MAX_EXAMPLES" \
  ${FUZZ_SEED:+--seed "$FUZZ_SEED"} \
  --generation-database none \
  --no-color)
status=$?
set -e
if [ "$status" -ne 0 ]; then
  echo "== server errors (the log's ERROR lines and tracebacks)"
  grep -v -E '^(Not Found|Unprocessable Entity|Bad Request|Unauthorized|Forbidden|Method Not Allowed): ' \
    "$workdir/server.log" | tail -n 80
fi
exit "$status"
