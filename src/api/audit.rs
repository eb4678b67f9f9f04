//! `/api/v1/audit-events`: the organization's audit log with the page's search language and
//! cursor paging, through the same functions as the Audit log page. The JSON of an event is also
//! what the page's NDJSON export writes, one per line, with the columns of its CSV export.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::auth::ApiCaller;
use crate::api::problem::{FieldError, Problem};
use crate::api::{Page, db, decode_cursor, encode_cursor, limit_of, page_response, timestamp};
use crate::app::access::AuditReader;
use crate::app::audit_log as commands;
use crate::domain::audit::{RetentionOutOfRange, TargetKind};
use crate::domain::audit_log::{Cursor, EventRow};
use crate::domain::audit_query::{Query, QueryError};
use crate::i18n::{Lang, Tr};
use crate::state::AppState;

/// One audit event. The export columns are these members, in this order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEvent {
    pub id: i64,
    /// When it happened (RFC 3339, UTC).
    pub created_at: String,
    /// What happened, e.g. `member.invited`, `role.updated`.
    pub action: String,
    /// `member`, `token`, `partner`, `external`, `account` or `system`.
    pub actor_kind: String,
    /// The actor's email when it acted (none for the system).
    pub actor: Option<String>,
    /// The token's name (`token`), or the partners a partner user acted through (`partner`).
    pub actor_detail: Option<String>,
    /// `member`, `role`, `partner`, `external-user`, ... (none for events about no one thing).
    pub target_kind: Option<String>,
    pub target_id: Option<i64>,
    /// The target's name when the event happened.
    pub target: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The request id the server's logs show for the request that made the change.
    pub request_id: Option<String>,
    /// What the event recorded: `{"changes": [{"field", "before", "after"}]}` for changes, other
    /// facts as an object, a list or text. Secrets are never recorded.
    pub details: Option<Value>,
}

/// The export columns, in order.
pub const COLUMNS: &[&str] = &[
    "id",
    "created_at",
    "action",
    "actor_kind",
    "actor",
    "actor_detail",
    "target_kind",
    "target_id",
    "target",
    "ip",
    "user_agent",
    "request_id",
    "details",
];

impl AuditEvent {
    pub fn of(row: EventRow) -> Self {
        AuditEvent {
            id: row.id,
            created_at: timestamp(row.created_at),
            action: row.action,
            actor_kind: row.actor_kind.as_str().to_owned(),
            actor: row.actor_name,
            actor_detail: row.actor_detail,
            target_kind: row
                .target_kind
                .map(|kind| TargetKind::as_str(kind).to_owned()),
            target_id: row.target_id,
            target: row.target,
            ip: row.ip,
            user_agent: row.user_agent,
            request_id: row.request_id,
            details: row
                .details
                .map(|details| serde_json::from_str(&details).unwrap_or(Value::String(details))),
        }
    }

    /// The event as a CSV line (with its line break), cells in `COLUMNS` order.
    pub fn csv_line(&self) -> String {
        let details = match &self.details {
            None => String::new(),
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
        };
        let cells = [
            self.id.to_string(),
            self.created_at.clone(),
            self.action.clone(),
            self.actor_kind.clone(),
            self.actor.clone().unwrap_or_default(),
            self.actor_detail.clone().unwrap_or_default(),
            self.target_kind.clone().unwrap_or_default(),
            self.target_id.map(|id| id.to_string()).unwrap_or_default(),
            self.target.clone().unwrap_or_default(),
            self.ip.clone().unwrap_or_default(),
            self.user_agent.clone().unwrap_or_default(),
            self.request_id.clone().unwrap_or_default(),
            details,
        ];
        let mut line = cells
            .iter()
            .map(|cell| csv_cell(cell))
            .collect::<Vec<_>>()
            .join(",");
        line.push_str("\r\n");
        line
    }
}

/// The header line of the CSV export.
pub fn csv_header() -> String {
    let mut line = COLUMNS.join(",");
    line.push_str("\r\n");
    line
}

/// A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. A cell that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, return) gets a leading `'`.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The search, as on the page: `actor:ada@acme.test action:role.* target:"Field Agents"
    /// created:>=2026-11-01 created:2026-11-01..2026-11-30 member:42`, `-` to exclude. Dates
    /// are days in UTC.
    pub q: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 100 (50 by default).
    pub limit: Option<i64>,
}

/// A search that cannot be read, as a 422 naming `q`.
pub fn query_problem(error: &QueryError, lang: Lang) -> Problem {
    Problem::invalid(vec![FieldError {
        field: "q".into(),
        code: error.key.trim_start_matches("audit-query-").to_owned(),
        message: Tr(lang).t1(error.key, "part", error.part.as_str()),
    }])
}

/// The organization's audit events, newest first.
#[utoipa::path(
    operation_id = "audit_events_list",
    get, path = "/api/v1/audit-events", tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of events, newest first", body = Page<AuditEvent>),
        (status = 403, description = "The token's owner is not an administrator of the organization", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The search or the cursor cannot be read", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<AuditReader>(state.now())?;
    let lang = caller.lang;
    let limit = limit_of(query.limit)?;
    let search =
        Query::parse(query.q.as_deref().unwrap_or("")).map_err(|err| query_problem(&err, lang))?;
    let after = query
        .cursor
        .as_deref()
        .map(decode_cursor::<Cursor>)
        .transpose()?;
    let page = db(&state, lang, move |conn| {
        Ok(commands::search(
            by.guard(),
            &search,
            "UTC",
            after,
            limit,
            conn,
        )?)
    })
    .await?;
    Ok(page_response(
        &req,
        Page {
            next_cursor: page.next.map(|cursor| encode_cursor(&cursor)),
            data: page.rows.into_iter().map(AuditEvent::of).collect(),
        },
    ))
}

/// How long the organization keeps its events.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditRetention {
    /// Days an event is kept: 30 to 3650 (365 by default).
    #[schema(minimum = 30, maximum = 3650)]
    pub days: i32,
    /// When the daily clean-up last ran (RFC 3339), absent before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(read_only)]
    pub cleaned_at: Option<String>,
    /// When the oldest event kept happened, absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(read_only)]
    pub oldest_event_at: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionChange {
    #[schema(minimum = 30, maximum = 3650)]
    pub days: i32,
}

fn retention_of(retention: crate::domain::audit::Retention) -> AuditRetention {
    AuditRetention {
        days: retention.days,
        cleaned_at: retention.cleaned_at.map(timestamp),
        oldest_event_at: retention.oldest_event_at.map(timestamp),
    }
}

/// How long the organization keeps its audit events, and when the clean-up last ran.
#[utoipa::path(
    operation_id = "audit_retention_show",
    get, path = "/api/v1/audit-events/retention", tag = "audit",
    responses(
        (status = 200, description = "The retention", body = AuditRetention),
        (status = 403, description = "The token's owner is not an administrator of the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn retention(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<AuditReader>(state.now())?;
    let retention = db(&state, caller.lang, move |conn| {
        Ok(commands::retention(by.guard(), conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(retention_of(retention)))
}

/// Sets how long the organization keeps its audit events (the owner only).
#[utoipa::path(
    operation_id = "audit_retention_update",
    put, path = "/api/v1/audit-events/retention", tag = "audit",
    request_body = RetentionChange,
    responses(
        (status = 200, description = "The retention after the change", body = AuditRetention),
        (status = 403, description = "The token's owner is not the organization's owner", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Days out of range", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn set_retention(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<RetentionChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<crate::app::access::Owner>(state.now())?;
    let reader = caller.acting::<AuditReader>(state.now())?;
    let (lang, days) = (caller.lang, body.days);
    let retention = db(&state, lang, move |conn| {
        match commands::set_retention(&by, days, conn) {
            Ok(_) => Ok(commands::retention(reader.guard(), conn)?),
            Err(RetentionOutOfRange::OutOfRange) => Err(Problem::invalid(vec![FieldError {
                field: "days".into(),
                code: "out-of-range".into(),
                message: Tr(lang).t_args(
                    "audit-retention-range",
                    &Tr(lang).args2(
                        "min",
                        i64::from(crate::domain::audit::MIN_RETENTION_DAYS),
                        "max",
                        i64::from(crate::domain::audit::MAX_RETENTION_DAYS),
                    ),
                ),
            }])),
            Err(RetentionOutOfRange::Db(err)) => Err(err.into()),
        }
    })
    .await?;
    Ok(HttpResponse::Ok().json(retention_of(retention)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("-1,2"), "\"'-1,2\"");
    }
}
