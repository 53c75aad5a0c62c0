#!/usr/bin/env bash
# Load test on loopback (docs/performance.md): seed a national dataset if needed, serve it with
# `veiviser serve` (gunicorn) and run locust headless against it. Not part of the test suite.
#
#   scripts/loadtest.sh                       # 50 users for 5 minutes on var/loadtest
#   scripts/loadtest.sh --users 10 --duration 30s   # a quick check
#
# Options: --users N (50), --spawn-rate N (5), --duration T (5m; locust syntax: 30s, 2m, 1h),
# --data-dir DIR (var/loadtest; VEIVISER_DATA_DIR of the seeded database), --scale
# national|small (national), --port P (8765), --workers N (2, gunicorn workers; 4 threads each).
# Writes the locust CSV files and the server log into DIR/loadtest-*. Exits non-zero on any
# failed request.
set -euo pipefail
cd "$(dirname "$0")/.."

users=50 spawn=5 duration=5m data_dir=var/loadtest scale=national port=8765 workers=2
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --spawn-rate) spawn=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --data-dir) data_dir=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "loadtest.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

export VEIVISER_DATA_DIR
VEIVISER_DATA_DIR=$(mkdir -p "$data_dir" && cd "$data_dir" && pwd)
export DEBUG=false ALLOWED_HOSTS=127.0.0.1,localhost LOG_LEVEL=WARNING

if ! uv run veiviser manage shell -c \
    "from veiviser.accounts.models import User; raise SystemExit(0 if User.objects.filter(username='n.admin').exists() else 1)" \
    >/dev/null 2>&1; then
  echo "Seeding a synthetic $scale dataset in $VEIVISER_DATA_DIR …"
  uv run veiviser seed --scale "$scale"
fi

uv run veiviser migrate >/dev/null  # tables of apps added since the seed

log="$VEIVISER_DATA_DIR/loadtest-server.log"
uv run veiviser serve --port "$port" --workers "$workers" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; then break; fi
  sleep 1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "server did not start; see $log" >&2; exit 1; }

echo "Load test: $users users (spawn $spawn/s) for $duration against http://127.0.0.1:$port ($workers gunicorn workers × 4 threads)"
uv run locust -f tests/load/locustfile.py --headless --users "$users" --spawn-rate "$spawn" \
  --run-time "$duration" --host "http://127.0.0.1:$port" --only-summary --stop-timeout 60 \
  --csv "$VEIVISER_DATA_DIR/loadtest" --loglevel WARNING
