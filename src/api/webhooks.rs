//! `/api/v1/webhooks`: the organization's webhooks, for its owner's tokens only, through the
//! same commands as the Webhooks page. Hidden header values and the basic-auth password are
//! write-only; the signing secret is in the answer that made it, never again.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::auth::ApiCaller;
use crate::api::problem::{FieldError, Problem};
use crate::api::{
    Page, check_precondition, db, delete_if_match, if_match, limit_of, page_response, present,
    timestamp, with_etag,
};
use crate::app::access::Owner;
use crate::app::webhooks as commands;
use crate::db::write_transaction;
use crate::domain::ids::WebhookId;
use crate::domain::webhook::{
    self, BasicAuthInput, EventChoice, HeaderInput, InputErrors, SaveError, Webhook as Stored,
    WebhookInput, WebhookStatus,
};
use crate::domain::webhook_events::EVENT_GROUPS;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookHeader {
    pub name: String,
    /// Absent for a hidden header: its value is never sent back.
    pub value: Option<String>,
    pub hidden: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BasicAuth {
    pub user: String,
    /// The password is write-only; this says one is set.
    pub password_set: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub description: String,
    /// The event types it receives; `["*"]` for all.
    pub events: Vec<String>,
    /// `active`, `failing` (active, last attempts failed), `paused` or `disabled`.
    pub status: String,
    /// Why a disabled webhook stopped: `gone` (410) or `failing` (5 days of failures).
    pub disabled_reason: Option<String>,
    pub basic_auth: Option<BasicAuth>,
    pub headers: Vec<WebhookHeader>,
    /// Until when the previous secret still signs, after a rotation.
    pub previous_secret_until: Option<String>,
    pub failing_since: Option<String>,
    pub last_attempt_at: Option<String>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl Webhook {
    fn of(webhook: &Stored) -> Self {
        let row = &webhook.row;
        Self {
            id: row.id.get(),
            url: row.url.clone(),
            description: row.description.clone(),
            events: match webhook.events() {
                EventChoice::All => vec!["*".to_owned()],
                EventChoice::Only(types) => types,
            },
            status: webhook.health().as_str().to_owned(),
            disabled_reason: row.disabled_reason.clone(),
            basic_auth: row.basic_auth_user.clone().map(|user| BasicAuth {
                user,
                password_set: true,
            }),
            headers: webhook
                .headers
                .iter()
                .map(|header| WebhookHeader {
                    name: header.name.clone(),
                    value: header.value.clone(),
                    hidden: header.hidden,
                })
                .collect(),
            previous_secret_until: webhook.rotation_ends.map(timestamp),
            failing_since: row.failing_since.map(timestamp),
            last_attempt_at: row.last_attempt_at.map(timestamp),
            last_status_code: row.last_status_code,
            last_error: row.last_error.clone(),
            created_at: timestamp(row.created_at),
            updated_at: timestamp(row.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub data: Vec<Webhook>,
}

/// A webhook just made or whose secret was just rotated: the secret is here only.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// `whsec_` and base64: shown once.
    pub secret: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BasicAuthInputBody {
    pub user: String,
    /// Required when none is set yet; left out, the stored one is kept.
    pub password: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeaderInputBody {
    pub name: String,
    /// Left out for a hidden header already set: its value is kept.
    pub value: Option<String>,
    #[serde(default)]
    pub hidden: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    pub url: String,
    #[serde(default)]
    pub description: String,
    /// Event types (see `GET /api/v1/webhooks/event-types`), or `["*"]` for all.
    #[schema(min_items = 1)]
    pub events: Vec<String>,
    pub basic_auth: Option<BasicAuthInputBody>,
    #[serde(default)]
    pub headers: Vec<HeaderInputBody>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookChange {
    pub url: Option<String>,
    pub description: Option<String>,
    pub events: Option<Vec<String>>,
    /// `null` removes basic authentication.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<BasicAuthInputBody>)]
    pub basic_auth: Option<Option<BasicAuthInputBody>>,
    /// Replaces every extra header.
    pub headers: Option<Vec<HeaderInputBody>>,
    /// `paused` to pause, `active` to resume (or enable a disabled webhook).
    pub status: Option<String>,
    /// With `status: active` on a disabled webhook: send again what failed since its failures began.
    #[serde(default)]
    pub replay_failed: bool,
}

fn events_of(events: &[String]) -> EventChoice {
    if events.iter().any(|event| event == "*") {
        EventChoice::All
    } else {
        EventChoice::Only(events.to_vec())
    }
}

fn headers_of(headers: &[HeaderInputBody]) -> Vec<HeaderInput> {
    headers
        .iter()
        .map(|header| HeaderInput {
            name: header.name.clone(),
            value: header.value.clone(),
            hidden: header.hidden,
        })
        .collect()
}

fn basic_auth_of(auth: &BasicAuthInputBody) -> BasicAuthInput {
    BasicAuthInput {
        user: auth.user.clone(),
        password: auth.password.clone(),
    }
}

fn invalid(lang: Lang, errors: &InputErrors) -> Problem {
    let t = Tr(lang);
    Problem::invalid(
        errors
            .fields()
            .into_iter()
            .map(|(field, key)| FieldError {
                field: field.to_owned(),
                code: key.to_owned(),
                message: match key {
                    "webhook-headers-too-many" => t.t1(key, "count", webhook::MAX_HEADERS as i64),
                    "webhook-too-many" => t.t1(key, "count", webhook::MAX_WEBHOOKS),
                    _ => t.t(key),
                },
            })
            .collect(),
    )
}

fn save_problem(err: SaveError, lang: Lang) -> Problem {
    match err {
        SaveError::Invalid(errors) => invalid(lang, &errors),
        SaveError::Domain(err) => Problem::from_domain(err, lang),
    }
}

fn no_store(mut response: HttpResponse) -> HttpResponse {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Lists the organization's webhooks.
#[utoipa::path(
    operation_id = "webhooks_list",
    get, path = "/api/v1/webhooks", tag = "webhooks",
    responses(
        (status = 200, description = "Every webhook of the organization, oldest first", body = WebhookList),
        (status = 403, description = "The token's owner is not the organization's owner", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn list(state: web::Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let webhooks = db(&state, caller.lang, move |conn| {
        Ok(webhook::list(conn, by.organization_id())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(WebhookList {
        data: webhooks.iter().map(Webhook::of).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeGroup {
    pub area: String,
    pub types: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeList {
    pub data: Vec<EventTypeGroup>,
}

/// The event types a webhook can receive, by area.
#[utoipa::path(
    operation_id = "webhooks_event_types",
    get, path = "/api/v1/webhooks/event-types", tag = "webhooks",
    responses((status = 200, description = "Every event type, grouped by area", body = EventTypeList)),
    security(("token" = []))
)]
pub async fn event_types(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> Result<HttpResponse, Problem> {
    caller.acting::<Owner>(state.now())?;
    Ok(HttpResponse::Ok().json(EventTypeList {
        data: EVENT_GROUPS
            .iter()
            .map(|group| EventTypeGroup {
                area: group.key.to_owned(),
                types: group.types.iter().map(|t| (*t).to_owned()).collect(),
            })
            .collect(),
    }))
}

/// Adds a webhook; the answer holds its signing secret, once.
#[utoipa::path(
    operation_id = "webhooks_create",
    post, path = "/api/v1/webhooks", tag = "webhooks",
    request_body = NewWebhook,
    responses(
        (status = 201, description = "Created, with the signing secret", body = WebhookWithSecret, headers(("Location" = String))),
        (status = 422, description = "A field breaks a rule", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewWebhook>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let lang = caller.lang;
    let input = WebhookInput {
        url: body.url.clone(),
        description: body.description.clone(),
        events: events_of(&body.events),
        basic_auth: body.basic_auth.as_ref().map(basic_auth_of),
        headers: headers_of(&body.headers),
    };
    let settings = state.settings.clone();
    let (created, secret) = db(&state, lang, move |conn| {
        let (id, secret) = commands::create(&by, &input, &settings, conn)
            .map_err(|err| save_problem(err, lang))?;
        let created = webhook::find(conn, by.organization_id(), id)
            .map_err(|err| Problem::from_domain(err, lang))?;
        Ok((created, secret))
    })
    .await?;
    let webhook = Webhook::of(&created);
    Ok(no_store(
        HttpResponse::build(StatusCode::CREATED)
            .insert_header((header::LOCATION, format!("/api/v1/webhooks/{}", webhook.id)))
            .json(WebhookWithSecret { webhook, secret }),
    ))
}

/// One webhook.
#[utoipa::path(
    operation_id = "webhooks_show",
    get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path, description = "The webhook's id")),
    responses(
        (status = 200, description = "The webhook, with its ETag", body = Webhook),
        (status = 404, description = "No such webhook in the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let found = db(&state, lang, move |conn| {
        webhook::find(conn, by.organization_id(), id).map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(with_etag(&Webhook::of(&found)))
}

/// Changes a webhook's settings, pauses or resumes it.
#[utoipa::path(
    operation_id = "webhooks_update",
    patch, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    request_body = WebhookChange,
    params(
        ("id" = i64, Path, description = "The webhook's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on"),
    ),
    responses(
        (status = 200, description = "The changed webhook", body = Webhook),
        (status = 412, description = "The webhook changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<WebhookId>,
    body: web::Json<WebhookChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, id, expected) = (caller.lang, path.into_inner(), if_match(&req));
    let change = body.into_inner();
    let wanted = match change.status.as_deref() {
        None => None,
        Some("active") => Some(WebhookStatus::Active),
        Some("paused") => Some(WebhookStatus::Paused),
        Some(_) => {
            return Err(Problem::invalid(vec![FieldError {
                field: "status".into(),
                code: "webhook-status-invalid".into(),
                message: "Send \"active\" or \"paused\".".into(),
            }]));
        }
    };
    let settings = state.settings.clone();
    let changed = db(&state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let current = webhook::find(conn, by.organization_id(), id)
                .map_err(|err| Problem::from_domain(err, lang))?;
            check_precondition(&expected, &Webhook::of(&current))?;
            let settings_change = change.url.is_some()
                || change.description.is_some()
                || change.events.is_some()
                || change.basic_auth.is_some()
                || change.headers.is_some();
            if settings_change {
                let input = WebhookInput {
                    url: change.url.unwrap_or_else(|| current.row.url.clone()),
                    description: change
                        .description
                        .unwrap_or_else(|| current.row.description.clone()),
                    events: change
                        .events
                        .as_deref()
                        .map(events_of)
                        .unwrap_or_else(|| current.events()),
                    basic_auth: match &change.basic_auth {
                        Some(auth) => auth.as_ref().map(basic_auth_of),
                        None => current
                            .row
                            .basic_auth_user
                            .clone()
                            .map(|user| BasicAuthInput {
                                user,
                                password: None,
                            }),
                    },
                    headers: match &change.headers {
                        Some(headers) => headers_of(headers),
                        None => current
                            .headers
                            .iter()
                            .map(|header| HeaderInput {
                                name: header.name.clone(),
                                value: header.value.clone(),
                                hidden: header.hidden,
                            })
                            .collect(),
                    },
                };
                commands::update(&by, id, &input, &settings, conn)
                    .map_err(|err| save_problem(err, lang))?;
            }
            let status = current.row.status;
            match wanted {
                Some(WebhookStatus::Paused) if status == WebhookStatus::Active => {
                    commands::pause(&by, id, conn).map_err(|err| Problem::from_domain(err, lang))?
                }
                Some(WebhookStatus::Active) if status != WebhookStatus::Active => {
                    commands::resume(&by, id, change.replay_failed, conn)
                        .map_err(|err| Problem::from_domain(err, lang))?;
                }
                _ => {}
            }
            webhook::find(conn, by.organization_id(), id)
                .map_err(|err| Problem::from_domain(err, lang))
        })
    })
    .await?;
    state.webhook_wake.notify_one();
    Ok(with_etag(&Webhook::of(&changed)))
}

/// Deletes a webhook and what waits to be sent to it.
#[utoipa::path(
    operation_id = "webhooks_delete",
    delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(
        ("id" = i64, Path, description = "The webhook's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the deletion is based on"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such webhook in the organization", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The webhook changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    delete_if_match(
        &req,
        &state,
        lang,
        by,
        move |by, conn| {
            webhook::find(conn, by.organization_id(), id)
                .map(|found| Webhook::of(&found))
                .map_err(|err| Problem::from_domain(err, lang))
        },
        move |by, conn| {
            commands::delete(by, id, conn).map_err(|err| Problem::from_domain(err, lang))
        },
    )
    .await
}

/// Rotates the signing secret: the answer holds the new one, once; the old one signs beside it
/// for 24 hours.
#[utoipa::path(
    operation_id = "webhooks_rotate_secret",
    post, path = "/api/v1/webhooks/{id}/secret", tag = "webhooks",
    params(("id" = i64, Path, description = "The webhook's id")),
    responses(
        (status = 200, description = "The webhook with its new secret", body = WebhookWithSecret),
        (status = 404, description = "No such webhook in the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let (rotated, secret) = db(&state, lang, move |conn| {
        let secret = commands::rotate_secret(&by, id, conn)
            .map_err(|err| Problem::from_domain(err, lang))?;
        let rotated = webhook::find(conn, by.organization_id(), id)
            .map_err(|err| Problem::from_domain(err, lang))?;
        Ok((rotated, secret))
    })
    .await?;
    Ok(no_store(HttpResponse::Ok().json(WebhookWithSecret {
        webhook: Webhook::of(&rotated),
        secret,
    })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Queued {
    /// The delivery queued.
    pub delivery_id: i64,
}

/// Queues a test event (`webhook.test`) for the webhook.
#[utoipa::path(
    operation_id = "webhooks_send_test",
    post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks",
    params(("id" = i64, Path, description = "The webhook's id")),
    responses(
        (status = 202, description = "Queued", body = Queued),
        (status = 404, description = "No such webhook in the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn send_test(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let delivery_id = db(&state, lang, move |conn| {
        commands::send_test_event(&by, id, conn).map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    state.webhook_wake.notify_one();
    Ok(HttpResponse::Accepted().json(Queued { delivery_id }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Attempt {
    pub attempted_at: String,
    pub status_code: Option<i32>,
    /// Why no answer came (refused address, timeout, connection error).
    pub error: Option<String>,
    pub latency_ms: i32,
    /// The first 4 KB of the answer.
    pub response_body: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: i64,
    /// The `webhook-id` header, the same for every attempt.
    pub message_id: String,
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub created_at: String,
    pub next_attempt_at: Option<String>,
    pub finished_at: Option<String>,
    /// Newest first.
    pub attempts: Vec<Attempt>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 200 (50 by default).
    pub limit: Option<i64>,
}

/// The webhook's deliveries, newest first, with their attempts.
#[utoipa::path(
    operation_id = "webhooks_deliveries",
    get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = i64, Path, description = "The webhook's id"), DeliveriesQuery),
    responses(
        (status = 200, description = "A page of deliveries", body = Page<Delivery>),
        (status = 404, description = "No such webhook in the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn deliveries(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<WebhookId>,
    query: web::Query<DeliveriesQuery>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let limit = limit_of(query.limit)?;
    let before = query
        .cursor
        .as_deref()
        .map(crate::api::decode_cursor::<i64>)
        .transpose()?;
    let mut rows = db(&state, lang, move |conn| {
        webhook::deliveries(conn, by.organization_id(), id, before, limit + 1)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = more
        .then(|| {
            rows.last()
                .map(|(row, _)| crate::api::encode_cursor(&row.id))
        })
        .flatten();
    let data = rows
        .into_iter()
        .map(|(row, attempts)| Delivery {
            id: row.id,
            message_id: row.message_id,
            event_type: row.event_type,
            status: row.status.as_str().to_owned(),
            created_at: timestamp(row.created_at),
            next_attempt_at: (row.status == webhook::WebhookDeliveryStatus::Pending)
                .then(|| timestamp(row.next_attempt_at)),
            finished_at: row.finished_at.map(timestamp),
            attempts: attempts
                .into_iter()
                .map(|attempt| Attempt {
                    attempted_at: timestamp(attempt.attempted_at),
                    status_code: attempt.status_code,
                    error: attempt.error,
                    latency_ms: attempt.latency_ms,
                    response_body: attempt.response_body,
                })
                .collect(),
        })
        .collect();
    Ok(page_response(&req, Page { data, next_cursor }))
}

/// Sends one delivery again, now, with the same `webhook-id` and body.
#[utoipa::path(
    operation_id = "webhooks_redeliver",
    post, path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver", tag = "webhooks",
    params(
        ("id" = i64, Path, description = "The webhook's id"),
        ("delivery_id" = i64, Path, description = "The delivery's id"),
    ),
    responses(
        (status = 202, description = "Queued again", body = Queued),
        (status = 404, description = "No such delivery, or it is still waiting", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn redeliver(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(WebhookId, i64)>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, (id, delivery_id)) = (caller.lang, path.into_inner());
    db(&state, lang, move |conn| {
        commands::redeliver(&by, id, delivery_id, conn)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    state.webhook_wake.notify_one();
    Ok(HttpResponse::Accepted().json(Queued { delivery_id }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Replay {
    /// RFC 3339: every delivery that failed and was created at or after this is sent again.
    pub since: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Replayed {
    pub count: usize,
}

/// Sends again every failed delivery since a time.
#[utoipa::path(
    operation_id = "webhooks_replay",
    post, path = "/api/v1/webhooks/{id}/replay", tag = "webhooks",
    request_body = Replay,
    params(("id" = i64, Path, description = "The webhook's id")),
    responses(
        (status = 200, description = "How many deliveries were queued again", body = Replayed),
        (status = 422, description = "`since` is not an RFC 3339 time", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn replay(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<WebhookId>,
    body: web::Json<Replay>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let since = time::OffsetDateTime::parse(
        body.since.trim(),
        &time::format_description::well_known::Rfc3339,
    )
    .map(|at| {
        let utc = at.to_offset(time::UtcOffset::UTC);
        time::PrimitiveDateTime::new(utc.date(), utc.time())
    })
    .map_err(|_| {
        Problem::invalid(vec![FieldError {
            field: "since".into(),
            code: "webhook-replay-since-invalid".into(),
            message: "Send a time such as 2026-12-01T00:00:00Z.".into(),
        }])
    })?;
    let count = db(&state, lang, move |conn| {
        commands::replay_failed_since(&by, id, since, conn)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    state.webhook_wake.notify_one();
    Ok(HttpResponse::Ok().json(Replayed { count }))
}
