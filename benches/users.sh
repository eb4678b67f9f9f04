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

# Members with the copied sort and search keys the application keeps on memberships; one in ten
# also holds a second role, one in twenty is still pending, sign-in times spread over a year.
python3 - "$work/gatehouse.db" "$MEMBERS" <<'PY'
import sqlite3, sys
db, members = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(db)
cur = conn.cursor()
org = cur.execute("SELECT id FROM organizations").fetchone()[0]
user_role = cur.execute("SELECT id FROM roles WHERE organization_id = ? AND builtin = 'user'", (org,)).fetchone()[0]
cur.execute("INSERT INTO roles (organization_id, name, name_folded, permissions, active, created_at) VALUES (?, 'Night Shift', 'night shift', 1, 1, '2026-01-01 00:00:00')", (org,))
night = cur.lastrowid
for start in range(0, members, 10000):
    batch = range(start, min(start + 10000, members))
    cur.executemany("INSERT INTO accounts (email, name, password_hash, created_at) VALUES (?, ?, NULL, '2026-01-01 00:00:00')",
                    [(f"member{i:06d}@example.com", f"Member {i:06d}") for i in batch])
conn.commit()
cur.execute("""
INSERT INTO memberships (organization_id, account_id, status, created_at, email, name_folded, roles_label, search_text, last_sign_in_at)
SELECT ?, id, CASE WHEN id % 20 = 0 THEN 'pending' ELSE 'active' END,
       datetime('2025-01-01', '+' || (id % 365) || ' days'), email, lower(name),
       CASE WHEN id % 10 = 0 THEN 'Night Shift, User' ELSE 'User' END,
       ' ' || email || ' ' || substr(email, 1, instr(email, '@') - 1) || ' example.com member ' || substr(lower(name), 8)
         || CASE WHEN id % 10 = 0 THEN ' night shift user' ELSE ' user' END,
       CASE WHEN id % 20 = 0 THEN NULL ELSE datetime('2026-01-01', '+' || (id % 300) || ' days') END
FROM accounts WHERE email LIKE 'member%'""", (org,))
cur.execute("""INSERT INTO role_assignments (membership_id, role_id, active, created_at)
SELECT id, ?, 1, created_at FROM memberships WHERE email LIKE 'member%'""", (user_role,))
cur.execute("""INSERT INTO role_assignments (membership_id, role_id, active, created_at)
SELECT id, ?, 1, created_at FROM memberships WHERE email LIKE 'member%' AND account_id % 10 = 0""", (night,))
# The search words, as domain::membership::search_words makes them.
for word_sql, condition in [
    ("email", "1"),
    ("substr(email, 1, instr(email, '@') - 1)", "1"),
    ("'example.com'", "1"),
    ("'member'", "1"),
    ("substr(name_folded, 8)", "1"),
    ("'user'", "1"),
    ("'night'", "account_id % 10 = 0"),
    ("'shift'", "account_id % 10 = 0"),
]:
    cur.execute(f"""INSERT INTO member_search_terms (organization_id, term, membership_id)
        SELECT organization_id, {word_sql}, id FROM memberships WHERE email LIKE 'member%' AND {condition}""")
cur.execute("UPDATE organizations SET member_count = (SELECT count(*) FROM memberships WHERE organization_id = organizations.id)")
conn.commit()
cur.execute("ANALYZE")
print(f"seeded {cur.execute('SELECT count(*) FROM memberships').fetchone()[0]} members")
PY

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
