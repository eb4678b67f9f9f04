#!/usr/bin/env bash
# GET /api/v1/members beside the users page, over the same MEMBERS members (default 10,000) in a
# fresh SQLite database, measured with wrk on loopback in turns. The API is called with TOKENS
# personal access tokens in rotation (default 200) and the organization's rate limit at its
# maximum (6,000 a minute per token), so the limiter runs on every request (one upsert each, as
# in production) without refusing the benchmark's traffic.
#
#   benches/api.sh
#   MEMBERS=100000 DURATION=8s benches/api.sh
set -euo pipefail
cd "$(dirname "$0")/.."

MEMBERS=${MEMBERS:-10000}
TOKENS=${TOKENS:-200}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
PORT=${PORT:-8182}
BASE="http://127.0.0.1:$PORT"
EMAIL=admin@example.com
PASSWORD='load test password 1'

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet

work=$(mktemp -d)
server=
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/gatehouse.db"
export GATEHOUSE_BIND="127.0.0.1:$PORT" GATEHOUSE_BASE_URL="$BASE" RUST_LOG=${RUST_LOG:-warn}
export GATEHOUSE_BCRYPT_COST=${GATEHOUSE_BCRYPT_COST:-12}

GATEHOUSE_ADMIN_PASSWORD="$PASSWORD" ./target/release/gatehouse create-admin \
  --email "$EMAIL" --org "Scale Test" --name "Scale Admin" >/dev/null
python3 benches/seed_members.py "$work/gatehouse.db" "$MEMBERS"
python3 - "$work/gatehouse.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("""INSERT INTO organization_policies (organization_id, password_requires_special,
  password_expiry_days, password_history, inactivity_days, remote_agent_configuration,
  disable_connector_updates, updated_at, two_factor_mode, two_factor_days, token_max_days,
  api_requests_per_minute) SELECT id, 0, 90, 5, 90, 0, 0, '2026-01-01 00:00:00', 'off', 30, 366, 6000
  FROM organizations WHERE true ON CONFLICT (organization_id) DO UPDATE SET api_requests_per_minute = 6000""")
db.commit()
PY
for _ in $(seq 1 "$TOKENS"); do
  ./target/release/gatehouse token create --email "$EMAIL" --org "Scale Test" --name bench --days 1
done >"$work/tokens"

./target/release/gatehouse serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done

page=$(curl -s -c "$work/anon" "$BASE/sign-in")
csrf=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$page" | head -n1 | sed 's/.*value="//; s/"$//')
curl -s -b "$work/anon" -c "$work/session" -o /dev/null \
  --data-urlencode "csrf_token=$csrf" --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
  "$BASE/sign-in"
session_cookie=$(awk '$6 == "gh_session" { print "gh_session=" $7 }' "$work/session")
[ -n "$session_cookie" ] || { echo "sign-in failed"; cat "$work/server.log"; exit 1; }
token=$(head -n1 "$work/tokens")
listed=$(curl -s -H "Authorization: Bearer $token" "$BASE/api/v1/members" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]))')
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; members: $MEMBERS; tokens: $TOKENS; members in one API page: $listed"

cat >"$work/rotate.lua" <<LUA
local tokens = {}
for line in io.lines("$work/tokens") do tokens[#tokens + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1] })
end
LUA

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
ticks_per_second=$(getconf CLK_TCK)

measure() {
  local label=$1 path=$2 before after output requests
  shift 2
  echo
  echo "== $label: GET $path =="
  before=$(cpu_ticks)
  output=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$BASE$path")
  after=$(cpu_ticks)
  grep -E 'Requests/sec|50%|90%|99%|Non-2xx' <<<"$output" || true
  requests=$(grep -oE '^ *[0-9]+ requests in' <<<"$output" | grep -oE '[0-9]+')
  awk -v t=$((after - before)) -v n="$requests" -v hz="$ticks_per_second" \
    'BEGIN { printf "Server CPU per request: %.3f ms\n", 1000 * t / hz / n }'
}
for round in 1 2; do
  echo; echo "#### round $round"
  measure "users page, first page (50 rows)" "/users" -H "Cookie: $session_cookie"
  measure "API, first page (limit 50)" "/api/v1/members" -s "$work/rotate.lua"
  measure "users page, search" "/users?q=night" -H "Cookie: $session_cookie"
  measure "API, search" "/api/v1/members?q=night" -s "$work/rotate.lua"
  measure "API, 100 by name, descending" "/api/v1/members?limit=100&sort=name&order=desc" -s "$work/rotate.lua"
done
cursor=$(curl -s -H "Authorization: Bearer $token" "$BASE/api/v1/members?limit=100" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')
measure "API, a later page by cursor" "/api/v1/members?limit=100&cursor=$cursor" -s "$work/rotate.lua"
