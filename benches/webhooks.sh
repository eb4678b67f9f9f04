#!/usr/bin/env bash
# Webhook deliveries (issue 14): a burst of EVENTS pending deliveries (default 10,000) to a local
# receiver, in a fresh SQLite database. Reports the deliveries a second and the latency of a
# signed-in page (GET /users) meanwhile, against the same page with no deliveries going on.
#
# The receiver is a Python ThreadingHTTPServer on 127.0.0.1 (allowed through
# GATEHOUSE_WEBHOOK_ALLOWED_NETWORKS) that answers 200 at once and counts requests and distinct
# webhook-ids. The webhook is made through the API with the owner's token (all events); the burst
# is written straight into the database in one transaction while the server runs (EVENTS events
# and a pending delivery each, due now), as if one change had fanned out that many events. The
# worker finds them at its next poll (every second) and drains them. Three runs:
#
#   1. a burst alone: how fast the worker drains it;
#   2. the users page alone for the drain's duration (or DURATION), with wrk;
#   3. a second burst with the same wrk on the page as soon as the first delivery arrives.
#
# At the end the database must say every delivery is 'delivered', and the receiver must have seen
# each webhook-id exactly once.
#
#   benches/webhooks.sh
#   EVENTS=50000 CONNECTIONS=8 DURATION=10s benches/webhooks.sh
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-10000}
CONNECTIONS=${CONNECTIONS:-4}
DURATION=${DURATION:-}
PORT=${PORT:-8183}
RECEIVER_PORT=${RECEIVER_PORT:-8184}
BASE="http://127.0.0.1:$PORT"
RECEIVER="http://127.0.0.1:$RECEIVER_PORT"
EMAIL=admin@example.com
PASSWORD='load test password 1'
ORG="Scale Test"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet

work=$(mktemp -d)
server=
receiver=
trap 'kill "$server" "$receiver" 2>/dev/null || true; wait "$server" "$receiver" 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/gatehouse.db"
export GATEHOUSE_BIND="127.0.0.1:$PORT" GATEHOUSE_BASE_URL="$BASE" RUST_LOG=${RUST_LOG:-warn}
export GATEHOUSE_BCRYPT_COST=${GATEHOUSE_BCRYPT_COST:-12}
export GATEHOUSE_WEBHOOK_ALLOWED_NETWORKS=127.0.0.1/32

GATEHOUSE_ADMIN_PASSWORD="$PASSWORD" ./target/release/gatehouse create-admin \
  --email "$EMAIL" --org "$ORG" --name "Scale Admin" >/dev/null
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
token=$(./target/release/gatehouse token create --email "$EMAIL" --org "$ORG" --name bench --days 1 --write)

# The receiver: 200 to every POST, keep-alive (HTTP/1.1), counts per webhook-id; GET /stats says
# how many requests and distinct ids it has seen and when the first and the last came.
cat >"$work/receiver.py" <<'PY'
import json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
seen = {}
state = {"requests": 0, "first": None, "last": None}

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: the body, written after the headers, must not wait for the delayed ACK of the
    # headers (Nagle), which holds every answer about 40 ms on Linux.
    disable_nagle_algorithm = True

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        message_id = self.headers.get("webhook-id")
        now = time.time()
        with lock:
            state["requests"] += 1
            seen[message_id] = seen.get(message_id, 0) + 1
            if state["first"] is None:
                state["first"] = now
            state["last"] = now
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def do_GET(self):
        with lock:
            if self.path == "/reset":
                seen.clear()
                state.update(requests=0, first=None, last=None)
            body = json.dumps({
                "requests": state["requests"], "distinct": len(seen),
                "duplicated": sum(1 for n in seen.values() if n > 1),
                "first": state["first"], "last": state["last"],
            }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
python3 "$work/receiver.py" "$RECEIVER_PORT" &
receiver=$!

./target/release/gatehouse serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done
for _ in $(seq 1 50); do curl -fs "$RECEIVER/stats" >/dev/null && break; sleep 0.2; done

page=$(curl -s -c "$work/anon" "$BASE/sign-in")
csrf=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$page" | head -n1 | sed 's/.*value="//; s/"$//')
curl -s -b "$work/anon" -c "$work/session" -o /dev/null \
  --data-urlencode "csrf_token=$csrf" --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
  "$BASE/sign-in"
session_cookie=$(awk '$6 == "gh_session" { print "gh_session=" $7 }' "$work/session")
[ -n "$session_cookie" ] || { echo "sign-in failed"; cat "$work/server.log"; exit 1; }

created=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data "{\"url\": \"$RECEIVER/in\", \"description\": \"bench\", \"events\": [\"*\"]}" "$BASE/api/v1/webhooks")
[ "$(tail -n1 <<<"$created")" = 201 ] || { echo "creating the webhook failed: $created"; cat "$work/server.log"; exit 1; }
webhook_id=$(head -n1 <<<"$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; database: sqlite; events per burst: $EVENTS; wrk connections: $CONNECTIONS"

# One burst: EVENTS events and their pending deliveries in one transaction, then wait for the
# receiver to have every webhook-id. With a wrk command line, runs it from the first delivery on.
cat >"$work/burst.py" <<'PY'
import json, os, sqlite3, subprocess, sys, threading, time, urllib.request

db_path, webhook_id, receiver, events, tag, server_pid, receiver_pid = sys.argv[1:8]
wrk = sys.argv[8:]
webhook_id, events = int(webhook_id), int(events)
hz = os.sysconf("SC_CLK_TCK")

def stats():
    with urllib.request.urlopen(receiver + "/stats") as answer:
        return json.load(answer)

def cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / hz

urllib.request.urlopen(receiver + "/reset").read()
db = sqlite3.connect(db_path, timeout=30, isolation_level=None)
(org_id, org_name), = db.execute("SELECT id, name FROM organizations ORDER BY id LIMIT 1")
(account_id, email, name), = db.execute("SELECT id, email, name FROM accounts ORDER BY id LIMIT 1")
now = time.gmtime()
stamp = time.strftime("%Y-%m-%d %H:%M:%S", now)
rfc3339 = time.strftime("%Y-%m-%dT%H:%M:%SZ", now)
permissions = "users.read, users.write, roles.read, roles.write, environments.read, apis.read, audit.read"

def payload(n):
    return json.dumps({
        "type": "role.created", "timestamp": rfc3339,
        "data": {
            "organization": {"id": org_id, "name": org_name},
            "actor": {"account_id": account_id, "email": email, "name": name},
            "token": {"id": 1, "name": "bench"},
            "target": f"Bench role {tag}-{n}",
            "details": permissions,
        },
    }, separators=(",", ":"))

cpu_before = (cpu(server_pid), cpu(receiver_pid))
db.execute("BEGIN IMMEDIATE")
for n in range(events):
    event_id = db.execute(
        "INSERT INTO webhook_events (organization_id, message_id, event_type, payload, created_at)"
        " VALUES (?, ?, 'role.created', ?, ?)",
        (org_id, f"msg_bench_{tag}_{n}", payload(n), stamp)).lastrowid
    db.execute(
        "INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at)"
        " VALUES (?, ?, 'pending', 0, ?, ?)",
        (webhook_id, event_id, stamp, stamp))
db.execute("COMMIT")
committed = time.time()
print(f"  burst committed: {events} events and deliveries, payload {len(payload(0))} bytes each")

load = None
wrk_done = []  # when wrk ended, and what it printed

def run_wrk():
    output = subprocess.run(wrk, stdout=subprocess.PIPE, text=True, check=True).stdout
    wrk_done.append((time.time(), output))

deadline = committed + 600
while True:
    seen = stats()
    if load is None and wrk and seen["requests"] > 0:
        load = threading.Thread(target=run_wrk)
        load.start()
    if seen["distinct"] >= events or time.time() > deadline:
        break
    time.sleep(0.01)
drained = time.time()
cpu_after = (cpu(server_pid), cpu(receiver_pid))
time.sleep(1)  # anything sent twice would arrive now
seen = stats()
if seen["distinct"] < events:
    print(f"  TIMED OUT: the receiver has {seen['distinct']} of {events} ids")
    if not seen["distinct"]:
        sys.exit(1)
first, last = seen["first"], seen["last"]
total = drained - committed
with open(f"{os.path.dirname(db_path)}/{tag}.drain", "w") as f:
    f.write(f"{last - first:.3f}\n")
print(f"  first delivery {first - committed:.2f} s after the commit (the worker polls every second)")
print(f"  all {seen['distinct']} delivered {total:.2f} s after the commit: {events / total:,.0f} deliveries/s overall,"
      f" {events / (last - first):,.0f}/s from the first to the last")
print(f"  CPU during the drain: server {cpu_after[0] - cpu_before[0]:.2f} s, receiver {cpu_after[1] - cpu_before[1]:.2f} s"
      f" (in {total:.2f} s on {os.cpu_count()} cores)")
status = dict(db.execute(
    "SELECT d.status, COUNT(*) FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id"
    " WHERE e.message_id LIKE ? GROUP BY d.status", (f"msg_bench_{tag}_%",)).fetchall())
attempts, = db.execute(
    "SELECT COUNT(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id"
    " JOIN webhook_events e ON e.id = d.event_id WHERE e.message_id LIKE ?", (f"msg_bench_{tag}_%",)).fetchone()
ok = status.get("delivered") == events and seen["requests"] == events and seen["duplicated"] == 0
print(f"  database: {status}, {attempts} attempts; receiver: {seen['requests']} requests,"
      f" {seen['distinct']} distinct ids, {seen['duplicated']} sent more than once -> {'OK' if ok else 'MISMATCH'}")
if load is not None:
    load.join()
    wrk_ended, output = wrk_done[0]
    if wrk_ended - 0.2 > drained:
        print(f"  note: wrk ran {wrk_ended - drained:.1f} s past the end of the drain")
    print("  page meanwhile:")
    for line in output.splitlines():
        if line.strip().startswith(("Latency ", "50%", "90%", "99%", "Requests/sec", "Non-2xx")):
            print("   ", line.strip())
sys.exit(0 if ok else 1)
PY

page_wrk() { wrk -t2 -c"$CONNECTIONS" -d"$1" --latency -H "Cookie: $session_cookie" "$BASE/users"; }

echo
echo "== 1. a burst of $EVENTS deliveries, nothing else running =="
python3 "$work/burst.py" "$work/gatehouse.db" "$webhook_id" "$RECEIVER" "$EVENTS" alone "$server" "$receiver"
if [ -z "$DURATION" ]; then
  # As long as the drain alone lasted from its first delivery (whole seconds, at least 2), so the
  # loaded run, which starts at the first delivery, falls inside its drain.
  DURATION=$(awk '{ s = int($1); print (s < 2 ? 2 : s) "s" }' "$work/alone.drain")
fi

echo
echo "== 2. GET /users alone, $DURATION, $CONNECTIONS connections =="
page_wrk "$DURATION" | grep -E '^ *(Latency |50%|90%|99%|Requests/sec|Non-2xx)' | sed 's/^ */    /'

echo
echo "== 3. a burst of $EVENTS deliveries, with GET /users under wrk ($DURATION from the first delivery) =="
python3 "$work/burst.py" "$work/gatehouse.db" "$webhook_id" "$RECEIVER" "$EVENTS" loaded "$server" "$receiver" \
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $session_cookie" "$BASE/users"

grep -iE 'error|panic' "$work/server.log" | head -n5 || true
