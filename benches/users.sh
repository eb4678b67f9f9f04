#!/usr/bin/env bash
# The users page at scale: seeds an organization with MEMBERS members (default 100,000) straight
# into a fresh SQLite database, then measures with wrk on loopback: the first page, a deep page,
# another sort, and searches. Every request goes to 127.0.0.1 only.
#
#   benches/users.sh                    # 100,000 members
#   MEMBERS=10000 benches/users.sh
set -euo pipefail
cd "$(dirname "$0")/.."

MEMBERS=${MEMBERS:-100000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
PORT=${PORT:-8181}
BASE="http://127.0.0.1:$PORT"
EMAIL=admin@example.com
PASSWORD='load test password 1'

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/gatehouse.db"
export GATEHOUSE_BIND="127.0.0.1:$PORT" GATEHOUSE_BASE_URL="$BASE" RUST_LOG=${RUST_LOG:-warn}
export GATEHOUSE_BCRYPT_COST=${GATEHOUSE_BCRYPT_COST:-12}

GATEHOUSE_ADMIN_PASSWORD="$PASSWORD" ./target/release/gatehouse create-admin \
  --email "$EMAIL" --org "Scale Test" --name "Scale Admin" >/dev/null

python3 benches/seed_members.py "$work/gatehouse.db" "$MEMBERS"

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
rows=$(curl -s -H "Cookie: $session_cookie" "$BASE/users" | grep -c '<tr>' || true)
echo "machine: $(nproc) cores; members: $MEMBERS; rows on the first page (with header): $rows"

# The server's CPU time (user + system, in clock ticks) so far. Divided by the requests served it
# gives the CPU cost of one request, which varies far less between runs than throughput does on a
# shared machine.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
ticks_per_second=$(getconf CLK_TCK)

measure() {
  local label=$1 path=$2 before after output requests
  echo
  echo "== $label: GET $path =="
  before=$(cpu_ticks)
  output=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $session_cookie" "$BASE$path")
  after=$(cpu_ticks)
  grep -E 'Requests/sec|50%|90%|99%|Non-2xx' <<<"$output"
  requests=$(grep -oE '^ *[0-9]+ requests in' <<<"$output" | grep -oE '[0-9]+')
  awk -v t=$((after - before)) -v n="$requests" -v hz="$ticks_per_second" \
    'BEGIN { printf "Server CPU per request: %.3f ms\n", 1000 * t / hz / n }'
}
measure "first page, by email" "/users"
measure "page 1,000 (offset 49,950)" "/users?sort=email&dir=asc&page=1000"
measure "by last sign-in, newest first" "/users?sort=last-sign-in&dir=desc"
measure "by name, descending, page 20" "/users?sort=name&dir=desc&page=20"
measure "search: one member" "/users?q=member054321"
measure "search: a role held by 10%" "/users?q=night"
measure "search: no match" "/users?q=zzz-nobody"
measure "htmx search fragment" "/users?q=member0999"
