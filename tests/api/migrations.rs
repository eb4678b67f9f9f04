//! Both backends must end up with exactly the tables and columns of src/db/schema.rs (so, the
//! same as each other), and every migration must run up, down and up again.

use diesel_migrations::MigrationHarness;
use gatehouse::db;

use crate::helpers::TestDatabase;

/// Tables and their sorted columns, as declared in the shared diesel schema.
fn declared_schema() -> Vec<(String, Vec<String>)> {
    let source = include_str!("../../src/db/schema.rs");
    let mut tables = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in source.lines().map(str::trim) {
        if let Some((name, _)) = line
            .split_once(" (")
            .filter(|_| line.ends_with('{') && !line.starts_with("diesel"))
        {
            current = Some((name.to_owned(), Vec::new()));
        } else if let Some((column, _)) = line.split_once(" -> ") {
            if let Some((_, columns)) = current.as_mut() {
                columns.push(column.to_owned());
            }
        } else if line == "}"
            && let Some((name, mut columns)) = current.take()
        {
            columns.sort();
            tables.push((name, columns));
        }
    }
    tables.sort();
    tables
}

#[test]
fn the_schema_parser_finds_the_tables() {
    let declared = declared_schema();
    assert!(
        declared
            .iter()
            .any(|(table, columns)| table == "accounts" && columns.contains(&"email".to_owned()))
    );
    assert!(declared.len() >= 8);
}

#[test]
fn migrations_run_up_down_and_up_again_and_match_the_schema() {
    let database = TestDatabase::new();
    let mut conn = db::connect(&database.url).unwrap();

    let applied = db::run_migrations(&mut conn).unwrap();
    assert!(applied >= 1);
    assert_eq!(db::describe_tables(&mut conn).unwrap(), declared_schema());

    let reverted = db::revert_all_migrations(&mut conn).unwrap();
    assert_eq!(reverted, applied);
    assert!(
        db::describe_tables(&mut conn).unwrap().is_empty(),
        "down migrations leave nothing behind"
    );

    assert_eq!(db::run_migrations(&mut conn).unwrap(), applied);
    assert_eq!(db::describe_tables(&mut conn).unwrap(), declared_schema());
    assert_eq!(
        db::run_migrations(&mut conn).unwrap(),
        0,
        "nothing left to apply"
    );
    drop(conn);
    let _ = database.is_postgres();
}

#[test]
fn both_backends_have_the_same_migrations() {
    let names = |dir: &str| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let sqlite = names(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"));
    let postgres = names(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"));
    assert_eq!(sqlite, postgres);
    for name in &sqlite {
        for file in ["up.sql", "down.sql"] {
            for backend in ["sqlite", "postgres"] {
                let path = format!(
                    "{}/migrations/{backend}/{name}/{file}",
                    env!("CARGO_MANIFEST_DIR")
                );
                assert!(std::path::Path::new(&path).exists(), "{path} is missing");
            }
        }
    }
}

/// Upgrading a database whose lists were comma-separated text keeps every entry, in order, as
/// rows (and drops ids of organizations that no longer exist); downgrading gives the text back.
/// Runs the next migration (`up`) or reverts the last one.
fn step(conn: &mut db::DbConnection, up: bool) {
    match conn {
        db::DbConnection::Pg(pg) if up => pg.run_next_migration(db::POSTGRES_MIGRATIONS).map(drop),
        db::DbConnection::Pg(pg) => pg.revert_last_migration(db::POSTGRES_MIGRATIONS).map(drop),
        db::DbConnection::Sqlite(sqlite) if up => {
            sqlite.run_next_migration(db::SQLITE_MIGRATIONS).map(drop)
        }
        db::DbConnection::Sqlite(sqlite) => sqlite
            .revert_last_migration(db::SQLITE_MIGRATIONS)
            .map(drop),
    }
    .unwrap();
}

#[test]
fn lists_kept_as_text_become_rows_on_upgrade_and_text_again_on_downgrade() {
    use diesel::connection::SimpleConnection;
    use diesel::sql_types::{BigInt, Integer, Text};
    use diesel::{QueryableByName, RunQueryDsl};

    #[derive(QueryableByName, Debug, PartialEq)]
    struct Entry {
        #[diesel(sql_type = Integer)]
        position: i32,
        #[diesel(sql_type = Text)]
        value: String,
    }
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        organization_id: i64,
    }
    #[derive(QueryableByName)]
    struct Lists {
        #[diesel(sql_type = Text)]
        verified: String,
        #[diesel(sql_type = Text)]
        addresses: String,
        #[diesel(sql_type = Text)]
        domains: String,
    }
    let database = TestDatabase::new();
    let mut conn = db::connect(&database.url).unwrap();
    db::run_migrations(&mut conn).unwrap();
    // Back to before migration 11 (lists as rows), past 12 (tokens), 13 (sign-in order), 14
    // (webhooks), 15 (audit log), 16 (the deliveries' status index), 17 (authenticator apps) and
    // 18 (single sign-on).
    for _ in 0..8 {
        step(&mut conn, false);
    }
    conn.batch_execute(
        "INSERT INTO accounts (id, email, name, created_at) \
             VALUES (1, 'ada@example.test', 'Ada', '2026-12-01 10:00:00');
         INSERT INTO organizations (id, name, created_at, member_count, partner_enabled, kind) \
             VALUES (7, 'Acme', '2026-12-01 10:00:00', 0, false, 'standard'), \
                    (8, 'Globex', '2026-12-01 10:00:00', 0, false, 'standard');
         INSERT INTO sessions (id_hash, account_id, csrf_token, created_at, last_seen_at, \
             expires_at, password_change_required, two_factor_verified) \
             VALUES ('h1', 1, 'c', '2026-12-01 10:00:00', '2026-12-01 10:00:00', \
                     '2026-12-01 18:00:00', false, '8,404,7');
         INSERT INTO organization_policies (organization_id, password_requires_special, \
             password_expiry_days, password_history, inactivity_days, ip_allow_list, \
             member_domains, remote_agent_configuration, disable_connector_updates, updated_at, \
             two_factor_mode, two_factor_days) \
             VALUES (7, false, 90, 0, 0, '203.0.113.7,198.51.100.0/24,2001:db8::/32', \
                     'b.test,a.test', false, false, '2026-12-01 10:00:00', 'off', 30), \
                    (8, false, 90, 0, 0, '', '', false, false, '2026-12-01 10:00:00', 'off', 30);
         INSERT INTO partnerships (id, partner_organization_id, client_organization_id, origin, \
             status, created_at) \
             VALUES (5, 8, 7, 'registration', 'active', '2026-12-01 10:00:00');
         INSERT INTO partner_profiles (partnership_id, name, domains, updated_at) \
             VALUES (5, 'Globex', 'globex.test globex.example', '2026-12-01 10:00:00');
         INSERT INTO column_preferences (account_id, table_name, column_list) \
             VALUES (1, 'users', 'name,email,roles');",
    )
    .unwrap();

    step(&mut conn, true);
    let verified: Vec<i64> = diesel::sql_query(
        "SELECT organization_id FROM session_two_factor_verifications \
         WHERE session_hash = 'h1' ORDER BY organization_id",
    )
    .load::<Id>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|row| row.organization_id)
    .collect();
    assert_eq!(
        verified,
        [7, 8],
        "the id of a removed organization is dropped"
    );
    let entries = |conn: &mut db::DbConnection, sql: &str| -> Vec<(i32, String)> {
        diesel::sql_query(sql)
            .load::<Entry>(conn)
            .unwrap()
            .into_iter()
            .map(|entry| (entry.position, entry.value))
            .collect()
    };
    assert_eq!(
        entries(
            &mut conn,
            "SELECT organization_id, position, entry AS value FROM policy_allowed_addresses \
             ORDER BY organization_id, position"
        ),
        [
            (0, "203.0.113.7".to_owned()),
            (1, "198.51.100.0/24".to_owned()),
            (2, "2001:db8::/32".to_owned()),
        ]
    );
    assert_eq!(
        entries(
            &mut conn,
            "SELECT position, domain AS value FROM policy_member_domains ORDER BY position"
        ),
        [(0, "b.test".to_owned()), (1, "a.test".to_owned())],
        "in the order the admin typed them"
    );

    assert_eq!(
        entries(
            &mut conn,
            "SELECT position, domain AS value FROM partner_domains ORDER BY position"
        ),
        [
            (0, "globex.test".to_owned()),
            (1, "globex.example".to_owned())
        ]
    );
    assert_eq!(
        entries(
            &mut conn,
            "SELECT position, column_key AS value FROM column_choices ORDER BY position"
        ),
        [
            (0, "name".to_owned()),
            (1, "email".to_owned()),
            (2, "roles".to_owned())
        ]
    );
    step(&mut conn, false);
    #[derive(QueryableByName)]
    struct Restored {
        #[diesel(sql_type = Text)]
        first: String,
        #[diesel(sql_type = Text)]
        second: String,
    }
    let back = diesel::sql_query(
        "SELECT p.domains AS first, c.column_list AS second \
         FROM partner_profiles p, column_preferences c",
    )
    .get_result::<Restored>(&mut conn)
    .unwrap();
    assert_eq!(back.first, "globex.test globex.example");
    assert_eq!(back.second, "name,email,roles");
    let lists = diesel::sql_query(
        "SELECT s.two_factor_verified AS verified, p.ip_allow_list AS addresses, \
                p.member_domains AS domains \
         FROM sessions s, organization_policies p WHERE p.organization_id = 7",
    )
    .get_result::<Lists>(&mut conn)
    .unwrap();
    let mut verified: Vec<&str> = lists.verified.split(',').collect();
    verified.sort_unstable();
    assert_eq!(verified, ["7", "8"]);
    assert_eq!(lists.addresses, "203.0.113.7,198.51.100.0/24,2001:db8::/32");
    assert_eq!(lists.domains, "b.test,a.test");
}

#[test]
fn audit_actions_get_one_spelling_with_the_webhooks_migration_and_back() {
    use diesel::RunQueryDsl;
    use diesel::connection::SimpleConnection;
    use diesel::sql_types::Text;

    #[derive(diesel::QueryableByName)]
    struct Action {
        #[diesel(sql_type = Text)]
        action: String,
    }
    fn actions(conn: &mut db::DbConnection) -> Vec<String> {
        diesel::sql_query("SELECT action FROM audit_events ORDER BY id")
            .load::<Action>(conn)
            .unwrap()
            .into_iter()
            .map(|row| row.action)
            .collect()
    }

    let database = TestDatabase::new();
    let mut conn = db::connect(&database.url).unwrap();
    db::run_migrations(&mut conn).unwrap();
    // Back to before migration 14 (webhooks), past 15 (audit log), 16 (the deliveries' status
    // index), 17 (authenticator apps) and 18 (single sign-on).
    for _ in 0..5 {
        step(&mut conn, false);
    }
    conn.batch_execute(
        "INSERT INTO audit_events (action, created_at) VALUES \
             ('client_token.user_authorized', '2026-12-01 10:00:00'), \
             ('token.revoked_all', '2026-12-01 10:00:00'), \
             ('member.roles-assigned', '2026-12-01 10:00:00');",
    )
    .unwrap();
    step(&mut conn, true);
    assert_eq!(
        actions(&mut conn),
        [
            "client-token.user-authorized",
            "token.revoked-all",
            "member.roles-assigned"
        ]
    );
    step(&mut conn, false);
    assert_eq!(
        actions(&mut conn),
        [
            "client_token.user_authorized",
            "token.revoked_all",
            "member.roles-assigned"
        ]
    );
}
