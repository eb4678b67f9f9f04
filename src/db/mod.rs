//! One binary, two backends: the connection enum, the pool, per-connection settings and migrations.
//! Backend-specific SQL lives here and nowhere else.

pub mod schema;

use std::path::Path;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{CustomizeConnection, ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel::{Connection, MultiConnection, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<DbConnectionManager>;
pub type PooledDb = PooledConnection<DbConnectionManager>;

/// Opens the pool's connections for the backend the URL names. diesel's own manager asks the
/// `MultiConnection` to try every backend in turn and, when all fail, reports "Invalid connection
/// url for multiconnection"; this one reports the real reason (refused, shutting down, bad
/// password, ...), which is what an operator needs while the database restarts.
#[derive(Debug, Clone)]
pub struct DbConnectionManager {
    database_url: String,
}

impl DbConnectionManager {
    pub fn new(database_url: &str) -> Self {
        Self {
            database_url: database_url.to_owned(),
        }
    }
}

impl ManageConnection for DbConnectionManager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, diesel::r2d2::Error> {
        let target = connection_string(&self.database_url);
        match backend_of(&self.database_url) {
            Backend::Postgres => PgConnection::establish(&target).map(DbConnection::Pg),
            Backend::Sqlite => SqliteConnection::establish(&target).map(DbConnection::Sqlite),
        }
        .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// Whether a query failed because the database cannot be reached (restarting, shutting down,
/// connection lost) rather than because of the query: such requests answer 503 with a retry page.
pub fn is_unavailable(err: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match err {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
        | Error::DatabaseError(DatabaseErrorKind::UnableToSendCommand, _) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message();
            // PostgreSQL's wording for admin_shutdown (57P01), cannot_connect_now (57P03) and a
            // connection that went away mid-query; SQLite never says these.
            [
                "terminating connection due to administrator command",
                "the database system is shutting down",
                "the database system is starting up",
                "the database system is in recovery mode",
                "server closed the connection unexpectedly",
                "no connection to the server",
                "could not receive data from server",
                "connection to server",
            ]
            .iter()
            .any(|needle| message.contains(needle))
        }
        _ => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot create the directory for the SQLite database {0}: {1}")]
    CreateDir(String, std::io::Error),
    #[error("cannot open the database: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("cannot connect to the database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("cannot prepare the database: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("migrations failed: {0}")]
    Migration(String),
}

/// The backend a URL names, by its scheme; anything that is not PostgreSQL is a SQLite path.
pub fn backend_of(database_url: &str) -> Backend {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// The SQLite database file a URL names (none for PostgreSQL or an in-memory database).
pub fn sqlite_file(database_url: &str) -> Option<std::path::PathBuf> {
    match backend_of(database_url) {
        Backend::Postgres => None,
        Backend::Sqlite => {
            let path = connection_string(database_url);
            (path != ":memory:" && !path.is_empty()).then(|| std::path::PathBuf::from(path))
        }
    }
}

/// The URL diesel expects: PostgreSQL URLs as they are, SQLite as a bare file path.
fn connection_string(database_url: &str) -> String {
    match backend_of(database_url) {
        Backend::Postgres => database_url.to_owned(),
        Backend::Sqlite => database_url
            .strip_prefix("sqlite://")
            .or_else(|| database_url.strip_prefix("sqlite:"))
            .unwrap_or(database_url)
            .to_owned(),
    }
}

/// Opens a single connection, with the same per-connection settings the pool applies. For
/// SQLite the file's directory is created first, so every command (`migrate`, `create-admin`,
/// ...) works in an empty directory with the default `./data/gatehouse.db`, not only `serve`.
pub fn connect(database_url: &str) -> Result<DbConnection, DbSetupError> {
    let target = connection_string(database_url);
    let mut conn = match backend_of(database_url) {
        Backend::Postgres => DbConnection::Pg(PgConnection::establish(&target)?),
        Backend::Sqlite => {
            create_sqlite_dir(&target)?;
            DbConnection::Sqlite(SqliteConnection::establish(&target)?)
        }
    };
    configure_connection(&mut conn)?;
    Ok(conn)
}

fn create_sqlite_dir(path: &str) -> Result<(), DbSetupError> {
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|err| DbSetupError::CreateDir(dir.display().to_string(), err))?;
    }
    Ok(())
}

#[derive(Debug)]
struct ConnectionSettings;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSettings {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        configure_connection(conn).map_err(|err| match err {
            DbSetupError::Query(query) => diesel::r2d2::Error::QueryError(query),
            other => diesel::r2d2::Error::QueryError(diesel::result::Error::QueryBuilderError(
                other.to_string().into(),
            )),
        })
    }
}

fn configure_connection(conn: &mut DbConnection) -> Result<(), DbSetupError> {
    match conn {
        // busy_timeout lets writers queue behind each other instead of failing at once;
        // NORMAL is durable under WAL except for the last commits on power loss.
        DbConnection::Sqlite(conn) => conn.batch_execute(
            "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
        )?,
        DbConnection::Pg(conn) => conn.batch_execute("SET TIME ZONE 'UTC'")?,
    }
    Ok(())
}

/// Builds the pool, creating the SQLite file (and its directory) and switching it to WAL first.
pub fn build_pool(database_url: &str, size: u32) -> Result<DbPool, DbSetupError> {
    let backend = backend_of(database_url);
    if backend == Backend::Sqlite {
        // WAL is a property of the file: set it once, before the pool opens readers.
        if let DbConnection::Sqlite(conn) = &mut connect(database_url)? {
            conn.batch_execute("PRAGMA journal_mode = WAL;")?;
        }
    }
    let manager = DbConnectionManager::new(database_url);
    let pool = Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(ConnectionSettings))
        .build(manager)?;
    Ok(pool)
}

/// Applies every pending migration of the connection's backend; returns how many ran.
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, DbSetupError> {
    let applied = match conn {
        DbConnection::Pg(conn) => conn.run_pending_migrations(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(conn) => conn.run_pending_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|err| DbSetupError::Migration(err.to_string()))?;
    Ok(applied.len())
}

/// Reverts every applied migration, newest first (used by the migration tests).
pub fn revert_all_migrations(conn: &mut DbConnection) -> Result<usize, DbSetupError> {
    let reverted = match conn {
        DbConnection::Pg(conn) => conn.revert_all_migrations(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(conn) => conn.revert_all_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|err| DbSetupError::Migration(err.to_string()))?;
    Ok(reverted.len())
}

/// A transaction for work that writes. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes fails with
/// SQLITE_BUSY at once, without waiting, when another writer got in between.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    // Inside another transaction (a command run under a precondition), a savepoint.
    let nested = match conn {
        DbConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::transaction_manager_status_mut(sqlite)
                .transaction_depth()
                .ok()
                .flatten()
                .is_some()
        }
        DbConnection::Pg(_) => false,
    };
    match conn {
        DbConnection::Pg(_) => conn.transaction(work),
        DbConnection::Sqlite(_) if nested => conn.transaction(work),
        DbConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
            match work(conn) {
                Ok(value) => {
                    <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
                    Ok(value)
                }
                Err(err) => {
                    <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
                    Err(err)
                }
            }
        }
    }
}

/// Column names per table as the database reports them, sorted (used by the migration tests).
pub fn describe_tables(
    conn: &mut DbConnection,
) -> Result<Vec<(String, Vec<String>)>, diesel::result::Error> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::Text;

    #[derive(diesel::QueryableByName)]
    struct Column {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
    }

    let sql = match conn {
        DbConnection::Pg(_) => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name <> '__diesel_schema_migrations'"
        }
        DbConnection::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name <> '__diesel_schema_migrations'"
        }
    };
    let columns: Vec<Column> = diesel::sql_query(sql).load(conn)?;
    let mut tables: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for column in columns {
        tables
            .entry(column.table_name)
            .or_default()
            .push(column.column_name);
    }
    Ok(tables
        .into_iter()
        .map(|(table, mut columns)| {
            columns.sort();
            (table, columns)
        })
        .collect())
}

/// Claims up to `limit` due outbox messages for this worker until `lease_until` and returns their
/// ids. PostgreSQL skips rows another instance is claiming right now (`FOR UPDATE SKIP LOCKED`);
/// SQLite has a single writer, and `write_transaction` makes the claim atomic there.
pub fn claim_due_outbox_messages(
    conn: &mut DbConnection,
    now: time::PrimitiveDateTime,
    lease_until: time::PrimitiveDateTime,
    limit: i64,
) -> diesel::QueryResult<Vec<i64>> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::{BigInt, Timestamp};

    #[derive(diesel::QueryableByName)]
    struct Claimed {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }

    let sql = match conn {
        DbConnection::Pg(_) => {
            "UPDATE outbox_messages SET claimed_until = $1 WHERE id IN ( \
               SELECT id FROM outbox_messages \
               WHERE status = 'pending' AND next_attempt_at <= $2 \
                 AND (claimed_until IS NULL OR claimed_until <= $2) \
               ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING id"
        }
        DbConnection::Sqlite(_) => {
            "UPDATE outbox_messages SET claimed_until = ?1 WHERE id IN ( \
               SELECT id FROM outbox_messages \
               WHERE status = 'pending' AND next_attempt_at <= ?2 \
                 AND (claimed_until IS NULL OR claimed_until <= ?2) \
               ORDER BY next_attempt_at, id LIMIT ?3) \
             RETURNING id"
        }
    };
    let claimed: Vec<Claimed> = write_transaction(conn, |conn| {
        diesel::sql_query(sql)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(conn)
    })?;
    Ok(claimed.into_iter().map(|row| row.id).collect())
}

/// Claims up to `limit` due deliveries of active webhooks until `lease_until`, like
/// `claim_due_outbox_messages`: `FOR UPDATE SKIP LOCKED` on PostgreSQL, so instances polling at
/// once take different rows; SQLite's single writer serializes the update.
pub fn claim_due_webhook_deliveries(
    conn: &mut DbConnection,
    now: time::PrimitiveDateTime,
    lease_until: time::PrimitiveDateTime,
    limit: i64,
) -> diesel::QueryResult<Vec<i64>> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::{BigInt, Timestamp};

    #[derive(diesel::QueryableByName)]
    struct Claimed {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }

    let sql = match conn {
        DbConnection::Pg(_) => {
            "UPDATE webhook_deliveries SET claimed_until = $1 WHERE id IN ( \
               SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
               WHERE d.status = 'pending' AND d.next_attempt_at <= $2 AND w.status = 'active' \
                 AND (d.claimed_until IS NULL OR d.claimed_until <= $2) \
               ORDER BY d.next_attempt_at, d.id LIMIT $3 FOR UPDATE OF d SKIP LOCKED) \
             RETURNING id"
        }
        DbConnection::Sqlite(_) => {
            "UPDATE webhook_deliveries SET claimed_until = ?1 WHERE id IN ( \
               SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
               WHERE d.status = 'pending' AND d.next_attempt_at <= ?2 AND w.status = 'active' \
                 AND (d.claimed_until IS NULL OR d.claimed_until <= ?2) \
               ORDER BY d.next_attempt_at, d.id LIMIT ?3) \
             RETURNING id"
        }
    };
    let claimed: Vec<Claimed> = write_transaction(conn, |conn| {
        diesel::sql_query(sql)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(conn)
    })?;
    Ok(claimed.into_iter().map(|row| row.id).collect())
}

/// Counts one failed sign-in for `(scope, subject)` in `sign_in_throttles` and returns the new
/// count, or None when the subject is locked at `now` (then nothing is counted). One statement,
/// an upsert, so parallel attempts cannot both read the same count: PostgreSQL locks the row for
/// the `DO UPDATE` and re-reads its latest committed version; SQLite runs it under the write lock
/// (`BEGIN IMMEDIATE`, via `write_transaction` in the caller). A count whose last failure and lock
/// both ended at or before `stale_before` starts over at 1. The lock itself is set by the caller
/// (`domain::throttle`), in the same transaction.
pub fn count_sign_in_failure(
    conn: &mut DbConnection,
    scope: &str,
    subject: &str,
    now: time::PrimitiveDateTime,
    stale_before: time::PrimitiveDateTime,
) -> diesel::QueryResult<Option<i32>> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::{Integer, Text, Timestamp};

    #[derive(diesel::QueryableByName)]
    struct Counted {
        #[diesel(sql_type = Integer)]
        failures: i32,
    }

    // The same upsert on both backends (SQLite has it since 3.24, RETURNING since 3.35); only the
    // placeholders differ.
    let sql = match conn {
        DbConnection::Pg(_) => {
            "INSERT INTO sign_in_throttles (scope, subject, failures, locked_until, updated_at) \
             VALUES ($1, $2, 1, NULL, $3) \
             ON CONFLICT (scope, subject) DO UPDATE SET \
               failures = CASE WHEN sign_in_throttles.updated_at <= $4 \
                   AND (sign_in_throttles.locked_until IS NULL \
                        OR sign_in_throttles.locked_until <= $4) \
                 THEN 1 ELSE sign_in_throttles.failures + 1 END, \
               locked_until = NULL, \
               updated_at = $3 \
             WHERE sign_in_throttles.locked_until IS NULL OR sign_in_throttles.locked_until <= $3 \
             RETURNING failures"
        }
        DbConnection::Sqlite(_) => {
            "INSERT INTO sign_in_throttles (scope, subject, failures, locked_until, updated_at) \
             VALUES (?1, ?2, 1, NULL, ?3) \
             ON CONFLICT (scope, subject) DO UPDATE SET \
               failures = CASE WHEN sign_in_throttles.updated_at <= ?4 \
                   AND (sign_in_throttles.locked_until IS NULL \
                        OR sign_in_throttles.locked_until <= ?4) \
                 THEN 1 ELSE sign_in_throttles.failures + 1 END, \
               locked_until = NULL, \
               updated_at = ?3 \
             WHERE sign_in_throttles.locked_until IS NULL OR sign_in_throttles.locked_until <= ?3 \
             RETURNING failures"
        }
    };
    let counted: Vec<Counted> = diesel::sql_query(sql)
        .bind::<Text, _>(scope)
        .bind::<Text, _>(subject)
        .bind::<Timestamp, _>(now)
        .bind::<Timestamp, _>(stale_before)
        .load(conn)?;
    Ok(counted.into_iter().next().map(|row| row.failures))
}

/// Moves a rate-limit subject's theoretical arrival time on by `interval_ms`, unless that would
/// put it more than `window_ms` ahead of `now_ms` (over the limit). Returns the new arrival time,
/// or None when refused (nothing changed). One statement, so concurrent requests on any number
/// of instances each see the others' effect.
pub fn advance_rate_limit(
    conn: &mut DbConnection,
    subject: &str,
    now_ms: i64,
    interval_ms: i64,
    window_ms: i64,
) -> diesel::QueryResult<Option<i64>> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::{BigInt, Text};

    #[derive(diesel::QueryableByName)]
    struct Advanced {
        #[diesel(sql_type = BigInt)]
        arrival_ms: i64,
    }

    let sql = match conn {
        DbConnection::Pg(_) => {
            "INSERT INTO api_rate_limits (subject, arrival_ms) VALUES ($1, $2 + $3) \
             ON CONFLICT (subject) DO UPDATE SET arrival_ms = \
               (CASE WHEN api_rate_limits.arrival_ms > $2 THEN api_rate_limits.arrival_ms ELSE $2 END) + $3 \
             WHERE (CASE WHEN api_rate_limits.arrival_ms > $2 THEN api_rate_limits.arrival_ms ELSE $2 END) \
               + $3 <= $2 + $4 \
             RETURNING arrival_ms"
        }
        DbConnection::Sqlite(_) => {
            "INSERT INTO api_rate_limits (subject, arrival_ms) VALUES (?1, ?2 + ?3) \
             ON CONFLICT (subject) DO UPDATE SET arrival_ms = \
               (CASE WHEN api_rate_limits.arrival_ms > ?2 THEN api_rate_limits.arrival_ms ELSE ?2 END) + ?3 \
             WHERE (CASE WHEN api_rate_limits.arrival_ms > ?2 THEN api_rate_limits.arrival_ms ELSE ?2 END) \
               + ?3 <= ?2 + ?4 \
             RETURNING arrival_ms"
        }
    };
    let advanced: Vec<Advanced> = diesel::sql_query(sql)
        .bind::<Text, _>(subject)
        .bind::<BigInt, _>(now_ms)
        .bind::<BigInt, _>(interval_ms)
        .bind::<BigInt, _>(window_ms)
        .load(conn)?;
    Ok(advanced.into_iter().next().map(|row| row.arrival_ms))
}

/// Locks a session's row until the end of the caller's write transaction, so that the steps of
/// one session that count something (two-factor codes sent and tried) run one after the other.
/// PostgreSQL takes a row lock (`FOR UPDATE`); on SQLite `write_transaction` already holds the
/// database's single write lock.
pub fn lock_session_row(conn: &mut DbConnection, session_hash: &str) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::Text;
    if let DbConnection::Pg(pg) = conn {
        diesel::sql_query("SELECT 1 FROM sessions WHERE id_hash = $1 FOR UPDATE")
            .bind::<Text, _>(session_hash)
            .execute(pg)?;
    }
    Ok(())
}
