//! Reading an organization's audit log: a search (`audit_query`) as one indexed query with
//! keyset paging, newest first; one event with what it changed; and whether the things events
//! name still exist (for links).

use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::{
    apis, audit_events, environments, external_users, memberships, partnerships,
    personal_access_tokens, roles, webhooks,
};
use crate::domain::audit::{ActorKind, FieldChange, TargetKind};
use crate::domain::audit_query::{Pattern, Query, Term};
use crate::domain::ids::OrganizationId;

/// One event as the log shows it.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = audit_events)]
pub struct EventRow {
    pub id: i64,
    #[serde(skip)]
    pub created_at: PrimitiveDateTime,
    pub action: String,
    #[serde(skip)]
    pub actor_kind: ActorKind,
    pub actor_name: Option<String>,
    pub actor_detail: Option<String>,
    pub target: Option<String>,
    #[serde(skip)]
    pub target_kind: Option<TargetKind>,
    pub target_id: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub details: Option<String>,
}

pub use crate::domain::keyset::Cursor;

impl EventRow {
    /// The cursor of the page that starts after this event.
    pub fn cursor(&self) -> Cursor {
        Cursor::after(self.created_at, self.id)
    }
}

/// Who may read what: owners read every event; other administrators all but the owner's own
/// areas (webhooks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Owner,
    Admin,
}

/// Actions only an owner reads.
const OWNER_ONLY_PREFIX: &str = "webhook.";

/// A search with its days turned into instants: `(from, until)` per `created:` part, in the
/// viewer's zone.
pub struct Search<'a> {
    pub query: &'a Query,
    pub zone: &'a str,
    pub reader: Reader,
}

type Backend = <DbConnection as diesel::Connection>::Backend;
type Boxed<'a> = audit_events::BoxedQuery<'a, Backend>;

fn like_prefix(prefix: &str) -> String {
    format!("{}%", escape(prefix))
}

fn like_contains(word: &str) -> String {
    format!("%{}%", escape(word))
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn start_of(day: time::Date, zone: &str) -> PrimitiveDateTime {
    crate::time_zone::utc_of_local(day.midnight(), zone)
}

/// Positive and negated matches on a nullable text column: a NULL never matches, and is never
/// excluded.
macro_rules! text_filter {
    ($select:expr, $column:expr, $pattern:expr, $negated:expr) => {{
        let select = $select;
        match ($pattern, $negated) {
            (Pattern::Exact(value), false) => select.filter($column.eq(value.clone())),
            (Pattern::Exact(value), true) => select.filter(
                $column
                    .is_null()
                    .or($column.assume_not_null().ne(value.clone())),
            ),
            (Pattern::Prefix(prefix), false) => select.filter(
                $column
                    .assume_not_null()
                    .like(like_prefix(prefix))
                    .escape('\\'),
            ),
            (Pattern::Prefix(prefix), true) => select.filter(
                $column.is_null().or($column
                    .assume_not_null()
                    .not_like(like_prefix(prefix))
                    .escape('\\')),
            ),
        }
    }};
}

/// The query of a search, without order or paging.
fn filtered<'a>(organization_id: OrganizationId, search: &Search<'_>) -> Boxed<'a> {
    use audit_events::dsl as e;
    let mut select = e::audit_events
        .filter(e::organization_id.eq(organization_id))
        .into_boxed();
    if search.reader != Reader::Owner {
        select = select.filter(
            e::action
                .not_like(like_prefix(OWNER_ONLY_PREFIX))
                .escape('\\'),
        );
    }
    for filter in &search.query.filters {
        let negated = filter.negated;
        select = match &filter.term {
            Term::Actor(Pattern::Exact(name)) if name == "system" => {
                if negated {
                    select.filter(e::actor_kind.ne(ActorKind::System))
                } else {
                    select.filter(e::actor_kind.eq(ActorKind::System))
                }
            }
            Term::Actor(pattern) => text_filter!(select, e::actor_name, pattern, negated),
            Term::Target(pattern) => text_filter!(select, e::target_key, pattern, negated),
            Term::Action(Pattern::Exact(action)) => {
                if negated {
                    select.filter(e::action.ne(action.clone()))
                } else {
                    select.filter(e::action.eq(action.clone()))
                }
            }
            Term::Action(Pattern::Prefix(prefix)) => {
                if negated {
                    select.filter(e::action.not_like(like_prefix(prefix)).escape('\\'))
                } else {
                    select.filter(e::action.like(like_prefix(prefix)).escape('\\'))
                }
            }
            Term::TargetOf(kind, id) => {
                if negated {
                    select.filter(
                        e::target_kind
                            .is_null()
                            .or(e::target_kind.assume_not_null().ne(*kind))
                            .or(e::target_id.assume_not_null().ne(*id)),
                    )
                } else {
                    select
                        .filter(e::target_kind.eq(*kind))
                        .filter(e::target_id.eq(*id))
                }
            }
            Term::Created { from, to } => {
                let from = from.map(|day| start_of(day, search.zone));
                let until = to
                    .and_then(|day| day.next_day())
                    .map(|day| start_of(day, search.zone));
                match (negated, from, until) {
                    (false, from, until) => {
                        if let Some(from) = from {
                            select = select.filter(e::created_at.ge(from));
                        }
                        if let Some(until) = until {
                            select = select.filter(e::created_at.lt(until));
                        }
                        select
                    }
                    (true, Some(from), Some(until)) => {
                        select.filter(e::created_at.lt(from).or(e::created_at.ge(until)))
                    }
                    (true, Some(from), None) => select.filter(e::created_at.lt(from)),
                    (true, None, Some(until)) => select.filter(e::created_at.ge(until)),
                    (true, None, None) => select,
                }
            }
            Term::Text(word) => {
                let pattern = like_contains(word);
                if negated {
                    select.filter(
                        e::actor_name
                            .is_null()
                            .or(e::actor_name
                                .assume_not_null()
                                .not_like(pattern.clone())
                                .escape('\\'))
                            .and(e::action.not_like(pattern.clone()).escape('\\'))
                            .and(
                                e::target_key.is_null().or(e::target_key
                                    .assume_not_null()
                                    .not_like(pattern)
                                    .escape('\\')),
                            ),
                    )
                } else {
                    select.filter(
                        e::actor_name
                            .assume_not_null()
                            .like(pattern.clone())
                            .escape('\\')
                            .or(e::action.like(pattern.clone()).escape('\\'))
                            .or(e::target_key.assume_not_null().like(pattern).escape('\\')),
                    )
                }
            }
        };
    }
    select
}

fn after_cursor(select: Boxed<'_>, cursor: Cursor) -> Boxed<'_> {
    use audit_events::dsl as e;
    let at = cursor.instant();
    // The plain bound first: it is what both databases read as a range of the index; the OR
    // alone made SQLite walk the index from the newest event (250 ms a page at 1,000,000).
    select.filter(e::created_at.le(at)).filter(
        e::created_at
            .lt(at)
            .or(e::created_at.eq(at).and(e::id.lt(cursor.id))),
    )
}

/// One page of the search, newest first, and whether there is more after it.
pub fn search(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    search: &Search<'_>,
    after: Option<Cursor>,
    limit: i64,
) -> QueryResult<(Vec<EventRow>, bool)> {
    use audit_events::dsl as e;
    let mut select = filtered(organization_id, search);
    if let Some(cursor) = after {
        select = after_cursor(select, cursor);
    }
    let mut rows: Vec<EventRow> = select
        .order((e::created_at.desc(), e::id.desc()))
        .limit(limit + 1)
        .select(EventRow::as_select())
        .load(conn)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

/// One event of the organization, if the reader may see it.
pub fn event(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    reader: Reader,
    id: i64,
) -> QueryResult<Option<EventRow>> {
    let row: Option<EventRow> = audit_events::table
        .filter(audit_events::organization_id.eq(organization_id))
        .filter(audit_events::id.eq(id))
        .select(EventRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.filter(|row| reader == Reader::Owner || !row.action.starts_with(OWNER_ONLY_PREFIX)))
}

/// What an event's details say, read for people: the fields it changed, or other facts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Described {
    pub changes: Vec<FieldChange>,
    /// Other facts, as `(name, value)`.
    pub facts: Vec<(String, String)>,
}

/// Reads an event's details: `{"changes": [...]}`, a list of `{setting, before, after}` (how
/// policy changes were first recorded), another JSON object (its fields as facts), or text.
pub fn describe(details: Option<&str>) -> Described {
    let Some(details) = details.filter(|text| !text.is_empty()) else {
        return Described::default();
    };
    let text_of = |value: &Value| match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let change_of = |value: &Value| -> Option<FieldChange> {
        let field = value
            .get("field")
            .or_else(|| value.get("setting"))?
            .as_str()?;
        let side = |name: &str| match value.get(name) {
            None | Some(Value::Null) => None,
            Some(other) => Some(text_of(other)),
        };
        Some(FieldChange {
            field: field.to_owned(),
            before: side("before"),
            after: side("after"),
        })
    };
    match serde_json::from_str::<Value>(details) {
        Ok(Value::Object(object)) => {
            let changes = object
                .get("changes")
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(change_of).collect())
                .unwrap_or_default();
            let facts = object
                .iter()
                .filter(|(name, _)| name.as_str() != "changes")
                .map(|(name, value)| (name.clone(), text_of(value)))
                .collect();
            Described { changes, facts }
        }
        Ok(Value::Array(list)) if list.iter().all(|item| change_of(item).is_some()) => Described {
            changes: list.iter().filter_map(change_of).collect(),
            facts: Vec::new(),
        },
        _ => Described {
            changes: Vec::new(),
            facts: vec![(String::new(), details.to_owned())],
        },
    }
}

/// Of the targets the rows name, those that still exist (the rows link to them), in a query per
/// kind.
pub fn existing_targets(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    rows: &[EventRow],
) -> QueryResult<std::collections::HashSet<(TargetKind, i64)>> {
    let mut wanted: std::collections::HashMap<TargetKind, Vec<i64>> = Default::default();
    for row in rows {
        if let (Some(kind), Some(id)) = (row.target_kind, row.target_id) {
            wanted.entry(kind).or_default().push(id);
        }
    }
    let mut found = std::collections::HashSet::new();
    for (kind, ids) in wanted {
        let present: Vec<i64> = match kind {
            TargetKind::Member => memberships::table
                .filter(memberships::organization_id.eq(organization_id))
                .filter(memberships::id.eq_any(&ids))
                .select(memberships::id)
                .load(conn)?,
            TargetKind::Role => roles::table
                .filter(roles::organization_id.eq(organization_id))
                .filter(roles::id.eq_any(&ids))
                .select(roles::id)
                .load(conn)?,
            TargetKind::ExternalUser => external_users::table
                .filter(external_users::organization_id.eq(organization_id))
                .filter(external_users::id.eq_any(&ids))
                .select(external_users::id)
                .load(conn)?,
            TargetKind::Partner => partnerships::table
                .filter(
                    partnerships::client_organization_id
                        .eq(organization_id)
                        .or(partnerships::partner_organization_id.eq(organization_id)),
                )
                .filter(partnerships::id.eq_any(&ids))
                .select(partnerships::id)
                .load(conn)?,
            TargetKind::Environment => environments::table
                .filter(environments::organization_id.eq(organization_id))
                .filter(environments::id.eq_any(&ids))
                .select(environments::id)
                .load(conn)?,
            TargetKind::Api => apis::table
                .filter(apis::organization_id.eq(organization_id))
                .filter(apis::id.eq_any(&ids))
                .select(apis::id)
                .load(conn)?,
            TargetKind::Webhook => webhooks::table
                .filter(webhooks::organization_id.eq(organization_id))
                .filter(webhooks::id.eq_any(&ids))
                .select(webhooks::id)
                .load(conn)?,
            TargetKind::Token => personal_access_tokens::table
                .filter(personal_access_tokens::organization_id.eq(organization_id))
                .filter(personal_access_tokens::id.eq_any(&ids))
                .select(personal_access_tokens::id)
                .load(conn)?,
            // No page of their own to link to.
            TargetKind::ApiGroup
            | TargetKind::ClientToken
            | TargetKind::Organization
            | TargetKind::Account => Vec::new(),
        };
        found.extend(present.into_iter().map(|id| (kind, id)));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_as_changes_facts_or_text() {
        let changes = describe(Some(
            r#"{"changes":[{"field":"name","before":"Ops","after":"Field Agents"}],"count":2}"#,
        ));
        assert_eq!(
            changes.changes,
            vec![FieldChange::new("name", "Ops", "Field Agents")]
        );
        assert_eq!(changes.facts, vec![("count".into(), "2".into())]);
        let policy = describe(Some(
            r#"[{"setting":"min_length","before":"8","after":"12"}]"#,
        ));
        assert_eq!(
            policy.changes,
            vec![FieldChange::new("min_length", "8", "12")]
        );
        let secret = describe(Some(
            r#"{"changes":[{"field":"secret","before":null,"after":null}]}"#,
        ));
        assert_eq!(secret.changes, vec![FieldChange::secret("secret")]);
        assert_eq!(
            describe(Some("was \"Ops\"")).facts,
            vec![(String::new(), "was \"Ops\"".into())]
        );
    }
}
