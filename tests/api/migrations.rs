//! Both backends must end up with exactly the tables and columns of src/db/schema.rs (so, the
//! same as each other), and every migration must run up, down and up again.

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
