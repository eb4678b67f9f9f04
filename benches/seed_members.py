"""Seeds an organization of a fresh Gatehouse SQLite database with MEMBERS members, with the
copied sort and search keys the application keeps on memberships: one in ten also holds a second
role, one in twenty is still pending, sign-in times spread over a year. Used by the benchmarks.

    python3 benches/seed_members.py DATABASE_FILE MEMBERS
"""
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
