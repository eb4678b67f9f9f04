//! The audit log page (administrators): the events of the organization, newest first, searched
//! with qualifiers kept in the URL, each event's details with what it changed, CSV and NDJSON
//! exports streamed in batches, and how long events are kept (set by the owner).

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::api::audit::{AuditEvent, csv_header};
use crate::app::access::{AuditReader, Owner};
use crate::app::audit_log as commands;
use crate::domain::audit::{self, ActorKind, FieldChange, RetentionOutOfRange, TargetKind};
use crate::domain::audit_log::{Cursor, EventRow, describe};
use crate::domain::audit_query::{Query, QueryError, quoted};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::i18n::format::Viewer;
use crate::state::AppState;
use crate::web::context::Guarded;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};
use crate::web::roles::shell;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/audit", web::get().to(list))
        .route("/audit/export.csv", web::get().to(export_csv))
        .route("/audit/export.ndjson", web::get().to(export_ndjson))
        .route("/audit/retention", web::get().to(retention_page))
        .route("/audit/retention", web::post().to(save_retention))
        .route("/audit/{id:\\d+}", web::get().to(show));
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    after: Option<String>,
}

/// A link that adds one qualifier to the current search.
pub struct Link {
    pub label: String,
    pub href: String,
}

/// One row of the table.
pub struct RowView {
    pub id: i64,
    pub when: String,
    pub actor: Link,
    /// The token's name, or "via <partner>".
    pub actor_note: String,
    pub action: Link,
    pub target: Option<Link>,
    /// The target's own page, when it still exists.
    pub target_page: Option<String>,
    pub ip: String,
    pub agent: String,
}

pub struct Chip {
    pub text: String,
    pub remove_href: String,
}

#[derive(Template)]
#[template(path = "audit/list.html", blocks = ["content"])]
struct ListPage {
    t: Tr,
    shell: Shell,
    q: String,
    error: Option<String>,
    chips: Vec<Chip>,
    rows: Vec<RowView>,
    newer_href: Option<String>,
    older_href: Option<String>,
    export_query: String,
    api_path: String,
    retention_days: i64,
    oldest: String,
    cleaned: String,
    owner: bool,
    retention_error: Option<String>,
    retention_value: String,
}

fn search_href(q: &str) -> String {
    if q.is_empty() {
        "/audit".to_owned()
    } else {
        format!("/audit?q={}", urlencoding(q))
    }
}

fn urlencoding(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Where an event's target lives in the console.
fn target_page(kind: TargetKind, id: i64) -> Option<String> {
    match kind {
        TargetKind::Member => Some(format!("/users/{id}/roles")),
        TargetKind::Role => Some(format!("/roles/{id}")),
        TargetKind::ExternalUser => Some(format!("/users/external/{id}/access")),
        TargetKind::Partner => Some(format!("/partners/{id}")),
        TargetKind::Environment => Some("/environments".to_owned()),
        TargetKind::Webhook => Some(format!("/webhooks/{id}")),
        TargetKind::Api => Some(format!("/apis/{id}")),
        TargetKind::Token
        | TargetKind::ApiGroup
        | TargetKind::ClientToken
        | TargetKind::Organization
        | TargetKind::Account => None,
    }
}

fn actor_label(row: &EventRow, t: Tr) -> (String, String) {
    let name = row.actor_name.clone().unwrap_or_default();
    let detail = row.actor_detail.clone().unwrap_or_default();
    match row.actor_kind {
        ActorKind::System => (t.t("audit-actor-system"), String::new()),
        ActorKind::Token => (name, t.t1("audit-actor-token", "name", detail.as_str())),
        ActorKind::Partner => (name, t.t1("audit-actor-via", "partner", detail.as_str())),
        ActorKind::External => (name, t.t("audit-actor-external")),
        ActorKind::Member | ActorKind::Account => (name, String::new()),
    }
}

/// The browser's name and major version from a user agent, for a narrow column (the whole
/// string is in the event's details).
fn short_agent(agent: &str) -> String {
    for (token, name) in [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ] {
        if let Some(at) = agent.find(token) {
            let version: String = agent[at + token.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let version = if token == "Safari/" {
                String::new()
            } else {
                version
            };
            return format!("{name} {version}").trim().to_owned();
        }
    }
    agent.chars().take(40).collect()
}

fn row_view(row: &EventRow, query: &Query, exists: bool, t: Tr, viewer: &Viewer) -> RowView {
    let (actor, actor_note) = actor_label(row, t);
    let actor_part = match row.actor_kind {
        ActorKind::System => "actor:system".to_owned(),
        _ => format!("actor:{}", quoted(row.actor_name.as_deref().unwrap_or(""))),
    };
    let target = row.target.as_ref().map(|name| {
        let part = match (row.target_kind, row.target_id) {
            (Some(kind), Some(id)) => format!("{}:{id}", kind.as_str()),
            _ => format!("target:{}", quoted(&name.to_lowercase())),
        };
        Link {
            label: name.clone(),
            href: search_href(&query.with(&part)),
        }
    });
    RowView {
        id: row.id,
        when: viewer.datetime(row.created_at),
        actor: Link {
            label: actor,
            href: search_href(&query.with(&actor_part)),
        },
        actor_note,
        action: Link {
            label: row.action.clone(),
            href: search_href(&query.with(&format!("action:{}", row.action))),
        },
        target,
        target_page: match (exists, row.target_kind, row.target_id) {
            (true, Some(kind), Some(id)) => target_page(kind, id),
            _ => None,
        },
        ip: row.ip.clone().unwrap_or_default(),
        agent: row
            .user_agent
            .as_deref()
            .map(short_agent)
            .unwrap_or_default(),
    }
}

fn query_message(error: &QueryError, t: Tr) -> String {
    t.t1(error.key, "part", error.part.as_str())
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    reader: Guarded<AuditReader>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    render_list(&req, &state, &reader, query, None, StatusCode::OK).await
}

async fn render_list(
    req: &HttpRequest,
    state: &AppState,
    reader: &Guarded<AuditReader>,
    query: ListQuery,
    retention_error: Option<(String, String)>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (t, viewer) = (reader.ctx.tr(), reader.ctx.viewer());
    let parsed = Query::parse(&query.q);
    let after = query.after.as_deref().and_then(Cursor::parse);
    let guard = reader.guard.clone();
    let zone = viewer.zone.clone();
    let search = parsed.clone().unwrap_or_default();
    let failed = parsed.is_err();
    let (page, retention) = state
        .db(move |conn| {
            let page = if failed {
                None
            } else {
                Some(commands::search(
                    &guard,
                    &search,
                    &zone,
                    after,
                    commands::PAGE_SIZE,
                    conn,
                )?)
            };
            let retention = commands::retention(&guard, conn)?;
            Ok::<_, diesel::result::Error>((page, retention))
        })
        .await?;
    let (error, status) = match &parsed {
        Err(err) => (
            Some(query_message(err, t)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Ok(_) => (None, status),
    };
    let search = parsed.unwrap_or_default();
    let text = if error.is_some() {
        query.q.trim().to_owned()
    } else {
        search.to_text()
    };
    let chips = search
        .filters
        .iter()
        .enumerate()
        .map(|(index, filter)| Chip {
            text: filter.text.clone(),
            remove_href: search_href(&search.without(index)),
        })
        .collect();
    let rows = page
        .as_ref()
        .map(|page| {
            page.rows
                .iter()
                .map(|row| {
                    let exists = match (row.target_kind, row.target_id) {
                        (Some(kind), Some(id)) => page.existing.contains(&(kind, id)),
                        _ => false,
                    };
                    row_view(row, &search, exists, t, &viewer)
                })
                .collect()
        })
        .unwrap_or_default();
    let older_href = page.as_ref().and_then(|page| page.next).map(|cursor| {
        let base = search_href(&text);
        let joiner = if base.contains('?') { '&' } else { '?' };
        format!("{base}{joiner}after={}", cursor.to_text())
    });
    let export_query = if text.is_empty() {
        String::new()
    } else {
        format!("?q={}", urlencoding(&text))
    };
    let (retention_error, retention_value) = match retention_error {
        Some((message, value)) => (Some(message), value),
        None => (None, retention.days.to_string()),
    };
    let page = ListPage {
        t,
        q: text.clone(),
        error,
        chips,
        rows,
        newer_href: after.map(|_| search_href(&text)),
        older_href,
        api_path: format!("/api/v1/audit-events{export_query}"),
        export_query,
        retention_days: i64::from(retention.days),
        oldest: retention
            .oldest_event_at
            .map(|at| viewer.datetime(at))
            .unwrap_or_default(),
        cleaned: retention
            .cleaned_at
            .map(|at| viewer.datetime(at))
            .unwrap_or_default(),
        owner: reader.guard.is_owner(),
        retention_error,
        retention_value,
        shell: shell(state, reader, NavPage::AuditLog).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

/// A field's change as the details table shows it.
pub struct ChangeView {
    pub field: String,
    pub before: String,
    pub after: String,
    /// A secret: shown as "changed", values never stored.
    pub secret: bool,
}

#[derive(Template)]
#[template(path = "audit/event.html", blocks = ["content"])]
struct EventPage {
    t: Tr,
    shell: Shell,
    row: RowView,
    action: String,
    user_agent: String,
    request_id: String,
    changes: Vec<ChangeView>,
    facts: Vec<(String, String)>,
}

fn change_view(change: FieldChange) -> ChangeView {
    let secret = change.before.is_none() && change.after.is_none();
    ChangeView {
        field: change.field,
        before: change.before.unwrap_or_default(),
        after: change.after.unwrap_or_default(),
        secret,
    }
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    reader: Guarded<AuditReader>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (t, viewer) = (reader.ctx.tr(), reader.ctx.viewer());
    let (guard, id) = (reader.guard.clone(), path.into_inner());
    let (row, exists) = state
        .db(move |conn| commands::event(&guard, id, conn))
        .await?
        .ok_or(AppError::NotFound)?;
    let described = describe(row.details.as_deref());
    let page = EventPage {
        t,
        row: row_view(&row, &Query::default(), exists, t, &viewer),
        action: row.action.clone(),
        user_agent: row.user_agent.clone().unwrap_or_default(),
        request_id: row.request_id.clone().unwrap_or_default(),
        changes: described.changes.into_iter().map(change_view).collect(),
        facts: described.facts,
        shell: shell(&state, &reader, NavPage::AuditLog).await?,
    };
    htmx::render(&req, &page, |page| page.as_content())
}

#[derive(Debug, Clone, Copy)]
enum Format {
    Csv,
    Ndjson,
}

pub async fn export_csv(
    state: web::Data<AppState>,
    reader: Guarded<AuditReader>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    export(state, reader, query.into_inner(), Format::Csv)
}

pub async fn export_ndjson(
    state: web::Data<AppState>,
    reader: Guarded<AuditReader>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    export(state, reader, query.into_inner(), Format::Ndjson)
}

/// Streams every event the search matches, a batch of rows per read, so the server holds one
/// batch at a time however many rows there are.
fn export(
    state: web::Data<AppState>,
    reader: Guarded<AuditReader>,
    query: ListQuery,
    format: Format,
) -> Result<HttpResponse, AppError> {
    let search = Query::parse(&query.q).map_err(|_| AppError::BadRequest)?;
    let (guard, zone) = (reader.guard.clone(), reader.ctx.viewer().zone);
    let today = crate::i18n::format::date_input(state.now().date());
    enum Step {
        Start,
        After(Option<Cursor>),
        Done,
    }
    let stream = futures_util::stream::unfold(Step::Start, move |step| {
        let (state, guard, search, zone) =
            (state.clone(), guard.clone(), search.clone(), zone.clone());
        async move {
            let after = match step {
                Step::Done => return None,
                Step::Start => {
                    let header = match format {
                        Format::Csv => csv_header(),
                        Format::Ndjson => String::new(),
                    };
                    if !header.is_empty() {
                        return Some((Ok(Bytes::from(header)), Step::After(None)));
                    }
                    None
                }
                Step::After(after) => after,
            };
            let batch = state
                .db(move |conn| commands::export_batch(&guard, &search, &zone, after, conn))
                .await;
            match batch {
                Ok((rows, next)) => {
                    let mut chunk = String::with_capacity(rows.len() * 256);
                    for row in rows {
                        let event = AuditEvent::of(row);
                        match format {
                            Format::Csv => chunk.push_str(&event.csv_line()),
                            Format::Ndjson => {
                                chunk.push_str(&serde_json::to_string(&event).unwrap_or_default());
                                chunk.push('\n');
                            }
                        }
                    }
                    let step = match next {
                        Some(cursor) => Step::After(Some(cursor)),
                        None => Step::Done,
                    };
                    Some((Ok(Bytes::from(chunk)), step))
                }
                Err(err) => Some((Err(err), Step::Done)),
            }
        }
    });
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Ndjson => ("application/x-ndjson", "ndjson"),
    };
    let mut response = HttpResponse::Ok();
    response.insert_header((CONTENT_TYPE, content_type));
    response.insert_header((CACHE_CONTROL, HeaderValue::from_static("no-store")));
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"audit-{today}.{extension}\""
    )) {
        response.insert_header((CONTENT_DISPOSITION, value));
    }
    Ok(response.streaming(stream))
}

#[derive(Debug, Deserialize)]
pub struct RetentionForm {
    days: String,
}

/// The retention form lives on the log page.
pub async fn retention_page() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", "/audit#retention"))
        .finish()
}

pub async fn save_retention(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    reader: Guarded<AuditReader>,
    form: web::Form<RetentionForm>,
) -> Result<HttpResponse, AppError> {
    let t = owner.ctx.tr();
    let typed = form.days.trim().to_owned();
    let refused = |typed: String| {
        Some((
            t.args2(
                "min",
                i64::from(audit::MIN_RETENTION_DAYS),
                "max",
                i64::from(audit::MAX_RETENTION_DAYS),
            ),
            typed,
        ))
    };
    let outcome = match typed.parse::<i32>() {
        Ok(days) => {
            let by = owner.acting(state.now());
            match state
                .db(move |conn| Ok::<_, AppError>(commands::set_retention(&by, days, conn)))
                .await?
            {
                Ok(_) => None,
                Err(RetentionOutOfRange::OutOfRange) => refused(typed),
                Err(RetentionOutOfRange::Db(err)) => return Err(err.into()),
            }
        }
        Err(_) => refused(typed),
    };
    match outcome {
        None => Ok(htmx::see_other(&req, "/audit")),
        Some((args, typed)) => {
            let message = t.t_args("audit-retention-range", &args);
            let query = ListQuery {
                q: String::new(),
                after: None,
            };
            render_list(
                &req,
                &state,
                &reader,
                query,
                Some((message, typed)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_named_shortly() {
        assert_eq!(
            short_agent(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
            ),
            "Chrome 156"
        );
        assert_eq!(short_agent("curl/8.5.0"), "curl 8");
    }
}
