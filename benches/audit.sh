#!/usr/bin/env bash
# The audit log with EVENTS events in one organization (default 1,000,000), in a fresh SQLite
# database (issue 15). Reports:
#   - how long the server takes to chain events written before chaining (`gatehouse migrate`:
#     the seeded rows have no hash yet, as after an upgrade) and `gatehouse audit verify`;
#   - the Audit log page: the first page, and filtered first pages (an action, an actor, a
#     target, a date range, a negation, a deep page), p50/p99 and requests a second with wrk;
#   - the CSV and NDJSON exports of every event: rows a second and the server's peak resident
#     memory (VmHWM) before and after.
#
# The events are written straight into the database by Python (actions from the catalog, 200
# actors, 5,000 targets, one event every ~30 s over the last year), then `migrate` chains them.
#
#   benches/audit.sh
#   EVENTS=200000 DURATION=5s benches/audit.sh
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-1000000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-4}
PORT=${PORT:-8185}
BASE="http://127.0.0.1:$PORT"
EMAIL=admin@example.com
PASSWORD='load test password 1'
ORG="Audit Scale"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet

work=$(mktemp -d)
server=
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/gatehouse.db"
export GATEHOUSE_BIND="127.0.0.1:$PORT" GATEHOUSE_BASE_URL="$BASE" RUST_LOG=${RUST_LOG:-warn}
export GATEHOUSE_BCRYPT_COST=${GATEHOUSE_BCRYPT_COST:-12}

GATEHOUSE_ADMIN_PASSWORD="$PASSWORD" ./target/release/gatehouse create-admin \
  --email "$EMAIL" --org "$ORG" --name "Scale Admin" >/dev/null

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; database: sqlite; events: $EVENTS"
start=$(date +%s.%N)
python3 - "$work/gatehouse.db" "$EVENTS" <<'PY'
import datetime, json, random, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
events = int(sys.argv[2])
org = db.execute("SELECT id FROM organizations").fetchone()[0]
actions = ["member.invited", "member.added", "member.removed", "member.roles-assigned",
           "member.role-unassigned", "member.role-deactivated", "role.created", "role.updated",
           "role.deactivated", "role.removed", "policy.updated", "environment.created",
           "external-user.invited", "external-user.suspended", "token.created", "token.revoked",
           "api.created", "api.updated", "webhook.created", "account.signed-in"]
kinds = {"member": "member", "role": "role", "policy": None, "environment": "environment",
         "external-user": "external-user", "token": "token", "api": "api", "webhook": "webhook",
         "account": None}
actors = [f"user{i}@example.com" for i in range(200)]
start = datetime.datetime.utcnow() - datetime.timedelta(days=364)
step = datetime.timedelta(days=364) / events
rng = random.Random(15)
def rows():
    for i in range(events):
        action = actions[i % len(actions)] if rng.random() < 0.5 else rng.choice(actions)
        area = action.split(".")[0]
        kind = kinds.get(area)
        target_id = rng.randrange(5000)
        target = f"{area} {target_id}" if kind else None
        system = rng.random() < 0.05
        at = (start + step * i).strftime("%Y-%m-%d %H:%M:%S.%f")
        details = json.dumps({"changes": [{"field": "name", "before": f"old {i}", "after": f"new {i}"}]}) if action.endswith("updated") else None
        yield (org, None, action, target, details, f"10.0.{i % 250}.{i % 200}", at, None,
               "system" if system else "member", None if system else rng.choice(actors), None,
               kind, target_id if kind else None, target.lower() if target else None,
               "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0", f"req-{i}")
db.executemany("""INSERT INTO audit_events (organization_id, actor_account_id, action, target,
  details, ip, created_at, actor_token_id, actor_kind, actor_name, actor_detail, target_kind,
  target_id, target_key, user_agent, request_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", rows())
db.commit()
db.execute("ANALYZE")
PY
echo "seeded in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"

start=$(date +%s.%N)
./target/release/gatehouse migrate >/dev/null
echo "chaining $EVENTS unhashed events (gatehouse migrate): $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
start=$(date +%s.%N)
./target/release/gatehouse audit verify
echo "gatehouse audit verify: $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"

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

memory() { awk -v key="$1" '$1 == key":" { print $2 / 1024 " MiB" }' "/proc/$server/status"; }
echo "server memory after start: rss $(memory VmRSS), peak $(memory VmHWM)"

# A cursor far back: the oldest event's position, for a deep page.
deep=$(python3 - "$work/gatehouse.db" <<'PY'
import sqlite3, sys, datetime
db = sqlite3.connect(sys.argv[1])
at, id_ = db.execute("SELECT created_at, id FROM audit_events ORDER BY created_at, id LIMIT 1 OFFSET 1000").fetchone()
micros = int((datetime.datetime.fromisoformat(at) - datetime.datetime(1970, 1, 1)).total_seconds() * 1_000_000)
print(f"{micros}.{id_}")
PY
)
month_start=$(date -u -d '-60 days' +%F)
month_end=$(date -u -d '-31 days' +%F)
bench() {
  local label=$1 path=$2
  local status size
  status=$(curl -s -o "$work/page.html" -w '%{http_code}' -H "Cookie: $session_cookie" "$BASE$path")
  size=$(wc -c <"$work/page.html")
  [ "$status" = 200 ] || { echo "$label: HTTP $status"; head -c 500 "$work/page.html"; exit 1; }
  local rows
  rows=$(grep -c 'href="/audit/[0-9]' "$work/page.html" || true)
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $session_cookie" "$BASE$path")
  printf '%-34s rows %3s  %6s B  %8s req/s  p50 %8s  p99 %8s\n' "$label" "$rows" "$size" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")"
}
bench "first page" "/audit"
bench "action:role.updated" "/audit?q=action%3Arole.updated"
bench "action:member.*" "/audit?q=action%3Amember.*"
bench "actor:user7@example.com" "/audit?q=actor%3Auser7%40example.com"
bench "target:\"role 42\"" "/audit?q=target%3A%22role+42%22"
bench "role:42" "/audit?q=role%3A42"
bench "created: a month, 2 months ago" "/audit?q=created%3A$month_start..$month_end"
bench "actor:system -action:member.*" "/audit?q=actor%3Asystem+-action%3Amember.*"
bench "deep page (1,000 from the oldest)" "/audit?after=$deep"

for format in csv ndjson; do
  start=$(date +%s.%N)
  bytes=$(curl -s -H "Cookie: $session_cookie" -o "$work/export.$format" -w '%{size_download}' "$BASE/audit/export.$format")
  seconds=$(python3 -c "print($(date +%s.%N) - $start)")
  lines=$(wc -l <"$work/export.$format")
  [ "$format" = csv ] && lines=$((lines - 1))
  echo "export $format: $lines rows, $((bytes / 1024 / 1024)) MiB in $(python3 -c "print(round($seconds, 1))") s = $(python3 -c "print(int($lines / $seconds))") rows/s; server rss $(memory VmRSS), peak $(memory VmHWM)"
  rm -f "$work/export.$format"
done
