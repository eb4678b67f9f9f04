#!/usr/bin/env bash
# Load test on loopback with wrk: the sign-in page, an authenticated page, and whether a burst of
# sign-ins (bcrypt at the production cost) slows the other pages down.
#
#   benches/load.sh                     # SQLite in a temporary directory
#   DATABASE_URL=postgres://... benches/load.sh
#
# Settings: DURATION (default 15s), CONNECTIONS (default 32), PORT (default 8181),
# GATEHOUSE_BCRYPT_COST (default 12, as in production). Every request goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-8181}
BASE="http://127.0.0.1:$PORT"
EMAIL=load@example.com
PASSWORD='load test password 1'

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_URL=${DATABASE_URL:-"sqlite://$work/gatehouse.db"}
export GATEHOUSE_BIND="127.0.0.1:$PORT" GATEHOUSE_BASE_URL="$BASE" RUST_LOG=${RUST_LOG:-warn}
export GATEHOUSE_BCRYPT_COST=${GATEHOUSE_BCRYPT_COST:-12}

GATEHOUSE_ADMIN_PASSWORD="$PASSWORD" ./target/release/gatehouse create-admin \
  --email "$EMAIL" --org "Load Test" --name "Load Tester" >/dev/null
./target/release/gatehouse serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done

# An anonymous CSRF cookie and its token, as a browser gets them from the sign-in page.
page=$(curl -s -c "$work/anon" "$BASE/sign-in")
csrf=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$page" | head -n1 | sed 's/.*value="//; s/"$//')
anon_cookie=$(awk '$6 == "gh_csrf" { print "gh_csrf=" $7 }' "$work/anon")

# A signed-in session for the authenticated page.
curl -s -b "$work/anon" -c "$work/session" -o /dev/null \
  --data-urlencode "csrf_token=$csrf" --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
  "$BASE/sign-in"
session_cookie=$(awk '$6 == "gh_session" { print "gh_session=" $7 }' "$work/session")
[ -n "$session_cookie" ] || { echo "sign-in failed"; cat "$work/server.log"; exit 1; }

cat >"$work/sign_in.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "$anon_cookie"
wrk.body = "csrf_token=$csrf&email=$EMAIL&password=wrong+password+for+load"
LUA

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; database: ${DATABASE_URL%%:*}; bcrypt cost $GATEHOUSE_BCRYPT_COST"
echo
echo "== GET /sign-in (anonymous) =="
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE/sign-in" | grep -E 'Requests/sec|Latency|50%|90%|99%|Non-2xx'
echo
echo "== GET / (signed in: session lookup, member rights, overview queries) =="
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $session_cookie" "$BASE/" | grep -E 'Requests/sec|Latency|50%|90%|99%|Non-2xx'
echo
echo "== GET / while 16 clients keep signing in with a wrong password (bcrypt cost $GATEHOUSE_BCRYPT_COST) =="
wrk -t1 -c16 -d"$DURATION" -s "$work/sign_in.lua" "$BASE/sign-in" >"$work/burst.txt" &
burst=$!
sleep 1
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $session_cookie" "$BASE/" | grep -E 'Requests/sec|Latency|50%|90%|99%|Non-2xx'
wait "$burst"
echo "-- the sign-in burst itself --"
grep -E 'Requests/sec|Latency|Non-2xx' "$work/burst.txt"
