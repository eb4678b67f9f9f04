//! Webhooks (the organization's owner only): the list, add and edit (events by area, basic
//! authentication, extra headers whose hidden values never come back), the signing secret shown
//! once and its rotation, test events, pause / resume (with the replay of what failed), delete,
//! and each webhook's deliveries with their attempts, redeliver and replay.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use time::PrimitiveDateTime;

use crate::app::access::Owner;
use crate::app::webhooks as commands;
use crate::domain::ids::WebhookId;
use crate::domain::rules::DomainError;
use crate::domain::webhook::{
    self, AttemptRow, BasicAuthInput, DeliveryRow, EventChoice, HeaderInput, Health, InputErrors,
    SaveError, Webhook, WebhookDeliveryStatus, WebhookInput,
};
use crate::domain::webhook_events::EVENT_GROUPS;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::i18n::format::Viewer;
use crate::state::AppState;
use crate::time_zone;
use crate::web::confirm::{self, Prompt};
use crate::web::context::Guarded;
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};
use crate::web::roles::shell;

/// Blank header rows offered beneath the stored ones.
const BLANK_HEADER_ROWS: usize = 2;
const DELIVERIES_PAGE: i64 = 50;
const DELETE_WORD: crate::web::confirm::ConfirmWord = crate::web::confirm::ConfirmWord::Delete;

/// A webhook as the list and its pages show it.
pub struct WebhookView {
    pub id: WebhookId,
    pub url: String,
    pub description: String,
    pub health: &'static str,
    /// The catalog key of `health`.
    pub health_key: String,
    pub badge: &'static str,
    pub events: String,
    pub last_attempt: String,
    pub last_result: String,
    pub last_ok: bool,
    pub disabled_reason_key: &'static str,
    pub failing_since: String,
}

fn view(webhook: &Webhook, t: Tr, viewer: &Viewer) -> WebhookView {
    let health = webhook.health();
    let row = &webhook.row;
    WebhookView {
        id: row.id,
        url: row.url.clone(),
        description: row.description.clone(),
        health: health.as_str(),
        health_key: format!("webhook-health-{}", health.as_str()),
        badge: match health {
            Health::Active => "green",
            Health::Failing => "amber",
            Health::Paused => "muted",
            Health::Disabled => "red",
        },
        events: match webhook.events() {
            EventChoice::All => t.t("webhook-events-all"),
            EventChoice::Only(types) => types.join(", "),
        },
        last_attempt: row
            .last_attempt_at
            .map(|at| viewer.datetime(at))
            .unwrap_or_default(),
        last_result: match (row.last_status_code, &row.last_error) {
            (Some(code), _) => format!("HTTP {code}"),
            (None, Some(error)) => error.clone(),
            (None, None) => String::new(),
        },
        last_ok: row
            .last_status_code
            .is_some_and(|code| (200..300).contains(&code)),
        disabled_reason_key: match row.disabled_reason.as_deref() {
            Some("gone") => "webhook-disabled-gone",
            Some(_) => "webhook-disabled-failing",
            None => "",
        },
        failing_since: row
            .failing_since
            .map(|at| viewer.datetime(at))
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "webhooks/list.html", blocks = ["content"])]
struct ListPage {
    t: Tr,
    shell: Shell,
    webhooks: Vec<WebhookView>,
    max: i64,
}

impl ListPage {
    fn disabled(&self) -> Vec<&WebhookView> {
        self.webhooks
            .iter()
            .filter(|webhook| webhook.health == "disabled")
            .collect()
    }
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
) -> Result<HttpResponse, AppError> {
    let organization_id = owner.organization_id();
    let webhooks = state
        .db(move |conn| webhook::list(conn, organization_id))
        .await?;
    let (t, viewer) = (owner.ctx.tr(), owner.ctx.viewer());
    let page = ListPage {
        t,
        webhooks: webhooks.iter().map(|w| view(w, t, &viewer)).collect(),
        max: webhook::MAX_WEBHOOKS,
        shell: shell(&state, &owner, NavPage::Webhooks).await?,
    };
    htmx::render(&req, &page, |page| page.as_content())
}

/// One extra header row of the form.
pub struct HeaderRow {
    pub name: String,
    pub value: String,
    pub hidden: bool,
    /// A stored hidden value: the field stays empty and an empty field keeps it.
    pub kept: bool,
}

/// What the settings form shows: stored settings, or what was typed, with the errors.
#[derive(Default)]
pub struct FormState {
    pub url: String,
    pub description: String,
    pub all_events: bool,
    pub selected: Vec<String>,
    pub basic_auth_user: String,
    pub password_stored: bool,
    pub headers: Vec<HeaderRow>,
    /// Field name → message, in the form's order.
    pub errors: Vec<(&'static str, String)>,
}

impl FormState {
    fn new_webhook() -> Self {
        Self {
            all_events: true,
            headers: blank_rows(0),
            ..Self::default()
        }
    }

    fn of(webhook: &Webhook) -> Self {
        let mut headers: Vec<HeaderRow> = webhook
            .headers
            .iter()
            .map(|header| HeaderRow {
                name: header.name.clone(),
                value: header.value.clone().unwrap_or_default(),
                hidden: header.hidden,
                kept: header.hidden,
            })
            .collect();
        headers.extend(blank_rows(headers.len()));
        Self {
            url: webhook.row.url.clone(),
            description: webhook.row.description.clone(),
            all_events: webhook.row.all_events,
            selected: webhook.event_types.clone(),
            basic_auth_user: webhook.row.basic_auth_user.clone().unwrap_or_default(),
            password_stored: webhook.row.basic_auth_user.is_some(),
            headers,
            errors: Vec::new(),
        }
    }

    pub fn error(&self, field: &str) -> String {
        self.errors
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, message)| message.clone())
            .unwrap_or_default()
    }

    pub fn checked(&self, event_type: &str) -> bool {
        self.selected.iter().any(|selected| selected == event_type)
    }
}

fn blank_rows(stored: usize) -> Vec<HeaderRow> {
    let count = BLANK_HEADER_ROWS.min(webhook::MAX_HEADERS.saturating_sub(stored));
    (0..count)
        .map(|_| HeaderRow {
            name: String::new(),
            value: String::new(),
            hidden: false,
            kept: false,
        })
        .collect()
}

/// The event picker: each area with its types.
pub struct GroupView {
    pub key: String,
    pub types: &'static [&'static str],
}

fn groups() -> Vec<GroupView> {
    EVENT_GROUPS
        .iter()
        .map(|group| GroupView {
            key: format!("webhook-group-{}", group.key),
            types: group.types,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "webhooks/form.html", blocks = ["content"])]
struct FormPage {
    t: Tr,
    shell: Shell,
    editing: Option<WebhookView>,
    form: FormState,
    groups: Vec<GroupView>,
}

/// Reads the settings form. Header rows are `header_name_N`, `header_value_N` and
/// `header_hidden_N`; a row left blank is dropped; an empty value of a hidden header keeps the
/// stored one (`kept` lists those names).
fn read_form(
    form: &FormFields,
    kept: &[String],
    password_stored: bool,
) -> (WebhookInput, FormState) {
    let all_events = form.text("events_mode") != "only";
    let selected = form.all("events");
    let user = form.text("basic_auth_user").trim().to_owned();
    let password = form.text("basic_auth_password");
    let mut headers = Vec::new();
    let mut rows = Vec::new();
    for index in 0..webhook::MAX_HEADERS + BLANK_HEADER_ROWS {
        let name = form.text(&format!("header_name_{index}")).trim().to_owned();
        let value = form.text(&format!("header_value_{index}")).to_owned();
        let hidden = form.has(&format!("header_hidden_{index}"));
        if name.is_empty() && value.is_empty() {
            continue;
        }
        let keeps =
            hidden && value.is_empty() && kept.iter().any(|k| k.eq_ignore_ascii_case(&name));
        headers.push(HeaderInput {
            name: name.clone(),
            value: (!keeps).then(|| value.clone()),
            hidden,
        });
        rows.push(HeaderRow {
            name,
            // A typed secret is not sent back to the browser either.
            value: if hidden { String::new() } else { value },
            hidden,
            kept: keeps,
        });
    }
    let stored_count = rows.len();
    rows.extend(blank_rows(stored_count));
    let input = WebhookInput {
        url: form.text("url").trim().to_owned(),
        description: form.text("description").trim().to_owned(),
        events: if all_events {
            EventChoice::All
        } else {
            EventChoice::Only(selected.clone())
        },
        basic_auth: (!user.is_empty()).then(|| BasicAuthInput {
            user: user.clone(),
            password: (!password.is_empty()).then(|| password.to_owned()),
        }),
        headers,
    };
    let state = FormState {
        url: input.url.clone(),
        description: input.description.clone(),
        all_events,
        selected,
        basic_auth_user: user,
        password_stored,
        headers: rows,
        errors: Vec::new(),
    };
    (input, state)
}

fn messages(t: Tr, errors: &InputErrors) -> Vec<(&'static str, String)> {
    errors
        .fields()
        .into_iter()
        .map(|(field, key)| {
            let message = match key {
                "webhook-headers-too-many" => t.t1(key, "count", webhook::MAX_HEADERS as i64),
                "webhook-too-many" => t.t1(key, "count", webhook::MAX_WEBHOOKS),
                _ => t.t(key),
            };
            (field, message)
        })
        .collect()
}

async fn render_form(
    req: &HttpRequest,
    state: &AppState,
    owner: &Guarded<Owner>,
    editing: Option<&Webhook>,
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (t, viewer) = (owner.ctx.tr(), owner.ctx.viewer());
    let page = FormPage {
        t,
        editing: editing.map(|webhook| view(webhook, t, &viewer)),
        form,
        groups: groups(),
        shell: shell(state, owner, NavPage::Webhooks).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
) -> Result<HttpResponse, AppError> {
    render_form(
        &req,
        &state,
        &owner,
        None,
        FormState::new_webhook(),
        StatusCode::OK,
    )
    .await
}

#[derive(Template)]
#[template(path = "webhooks/secret.html", blocks = ["content"])]
struct SecretPage {
    t: Tr,
    shell: Shell,
    id: WebhookId,
    url: String,
    secret: String,
    rotated: bool,
}

async fn render_secret(
    req: &HttpRequest,
    state: &AppState,
    owner: &Guarded<Owner>,
    id: WebhookId,
    url: String,
    secret: String,
    rotated: bool,
) -> Result<HttpResponse, AppError> {
    let page = SecretPage {
        t: owner.ctx.tr(),
        shell: shell(state, owner, NavPage::Webhooks).await?,
        id,
        url,
        secret,
        rotated,
    };
    let mut response = htmx::render(req, &page, |page| page.as_content())?;
    // The secret is in this answer only: no cache may keep it.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let (input, mut typed) = read_form(&form, &[], false);
    let by = owner.acting(state.now());
    let settings = state.settings.clone();
    let submitted = input.clone();
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(commands::create(&by, &submitted, &settings, conn)))
        .await?;
    match outcome {
        Ok((id, secret)) => render_secret(&req, &state, &owner, id, input.url, secret, false).await,
        Err(SaveError::Invalid(errors)) => {
            typed.errors = messages(owner.ctx.tr(), &errors);
            render_form(
                &req,
                &state,
                &owner,
                None,
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(SaveError::Domain(err)) => Err(err.into()),
    }
}

async fn find(
    state: &AppState,
    owner: &Guarded<Owner>,
    id: WebhookId,
) -> Result<Webhook, AppError> {
    let organization_id = owner.organization_id();
    state
        .db(move |conn| webhook::find(conn, organization_id, id))
        .await
}

pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, AppError> {
    let webhook = find(&state, &owner, path.into_inner()).await?;
    let form = FormState::of(&webhook);
    render_form(&req, &state, &owner, Some(&webhook), form, StatusCode::OK).await
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let webhook = find(&state, &owner, id).await?;
    let kept: Vec<String> = webhook
        .headers
        .iter()
        .filter(|header| header.hidden)
        .map(|header| header.name.clone())
        .collect();
    let (input, mut typed) = read_form(&form, &kept, webhook.row.basic_auth_user.is_some());
    let by = owner.acting(state.now());
    let settings = state.settings.clone();
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(commands::update(&by, id, &input, &settings, conn)))
        .await?;
    match outcome {
        Ok(()) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            &format!("/webhooks/{id}"),
            "flash-webhook-saved",
        )),
        Err(SaveError::Invalid(errors)) => {
            typed.errors = messages(owner.ctx.tr(), &errors);
            render_form(
                &req,
                &state,
                &owner,
                Some(&webhook),
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(SaveError::Domain(err)) => Err(err.into()),
    }
}

/// The confirmation pages: delete (a typed word), rotate the secret, resume (with the replay of
/// what failed, for a disabled webhook).
#[derive(Template)]
#[template(path = "webhooks/confirm.html", blocks = ["content"])]
struct ConfirmPage {
    t: Tr,
    shell: Shell,
    webhook: WebhookView,
    action: &'static str,
    prompt: Option<Prompt>,
}

impl ConfirmPage {
    /// `webhook-<action>-<part>`: the page's title, body and button.
    fn text(&self, part: &str) -> String {
        self.t.t(&format!("webhook-{}-{part}", self.action))
    }
}

async fn confirm_page(
    req: &HttpRequest,
    state: &AppState,
    owner: &Guarded<Owner>,
    id: WebhookId,
    action: &'static str,
    prompt: Option<Prompt>,
) -> Result<HttpResponse, AppError> {
    let webhook = find(state, owner, id).await?;
    let status = prompt.as_ref().map_or(StatusCode::OK, Prompt::status);
    let page = ConfirmPage {
        t: owner.ctx.tr(),
        webhook: view(&webhook, owner.ctx.tr(), &owner.ctx.viewer()),
        action,
        prompt,
        shell: shell(state, owner, NavPage::Webhooks).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn delete_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, AppError> {
    let prompt = Some(Prompt::new(owner.ctx.tr(), DELETE_WORD));
    confirm_page(&req, &state, &owner, path.into_inner(), "delete", prompt).await
}

pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    if let Err(prompt) = confirm::typed_word(owner.ctx.tr(), &form, DELETE_WORD) {
        return confirm_page(&req, &state, &owner, id, "delete", Some(prompt)).await;
    }
    let by = owner.acting(state.now());
    state
        .db(move |conn| commands::delete(&by, id, conn))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/webhooks",
        "flash-webhook-deleted",
    ))
}

pub async fn rotate_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, AppError> {
    confirm_page(&req, &state, &owner, path.into_inner(), "rotate", None).await
}

pub async fn rotate(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let by = owner.acting(state.now());
    let secret = state
        .db(move |conn| commands::rotate_secret(&by, id, conn))
        .await?;
    let webhook = find(&state, &owner, id).await?;
    render_secret(&req, &state, &owner, id, webhook.row.url, secret, true).await
}

pub async fn resume_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, AppError> {
    confirm_page(&req, &state, &owner, path.into_inner(), "resume", None).await
}

pub async fn resume(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let replay = form.has("replay");
    let by = owner.acting(state.now());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(commands::resume(&by, id, replay, conn)))
        .await?;
    state.webhook_wake.notify_one();
    finish(
        &req,
        &state,
        id,
        outcome.map(|_| ()),
        "flash-webhook-resumed",
    )
}

pub async fn pause(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let by = owner.acting(state.now());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(commands::pause(&by, id, conn)))
        .await?;
    finish(&req, &state, id, outcome, "flash-webhook-paused")
}

pub async fn send_test(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let by = owner.acting(state.now());
    state
        .db(move |conn| commands::send_test_event(&by, id, conn))
        .await?;
    state.webhook_wake.notify_one();
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        &format!("/webhooks/{id}/deliveries"),
        "flash-webhook-test-queued",
    ))
}

/// Back to the webhook's page with `flash`, or with the rule's message when one refused.
fn finish(
    req: &HttpRequest,
    state: &AppState,
    id: WebhookId,
    outcome: Result<(), DomainError>,
    flash: &str,
) -> Result<HttpResponse, AppError> {
    let back = format!("/webhooks/{id}");
    match outcome {
        Ok(()) => Ok(htmx::see_other_with_flash(
            req,
            &state.settings,
            &back,
            flash,
        )),
        Err(DomainError::Rule(violation)) => Ok(htmx::see_other_with_error(
            req,
            &state.settings,
            &back,
            violation.message_key(),
        )),
        Err(other) => Err(other.into()),
    }
}

pub struct AttemptView {
    pub at: String,
    pub result: String,
    pub ok: bool,
    pub latency_ms: i32,
    pub body: String,
}

pub struct DeliveryView {
    pub id: i64,
    pub message_id: String,
    pub event_type: String,
    pub status_key: &'static str,
    pub badge: &'static str,
    pub created: String,
    pub next_attempt: String,
    pub attempts: Vec<AttemptView>,
    pub can_redeliver: bool,
}

fn delivery_view(row: DeliveryRow, attempts: Vec<AttemptRow>, viewer: &Viewer) -> DeliveryView {
    let (status_key, badge) = match row.status {
        WebhookDeliveryStatus::Pending => ("webhook-delivery-pending", "amber"),
        WebhookDeliveryStatus::Delivered => ("webhook-delivery-delivered", "green"),
        WebhookDeliveryStatus::Failed => ("webhook-delivery-failed", "red"),
    };
    DeliveryView {
        id: row.id,
        message_id: row.message_id,
        event_type: row.event_type,
        status_key,
        badge,
        created: viewer.datetime(row.created_at),
        next_attempt: if row.status == WebhookDeliveryStatus::Pending {
            viewer.datetime(row.next_attempt_at)
        } else {
            String::new()
        },
        attempts: attempts
            .into_iter()
            .map(|attempt| AttemptView {
                at: viewer.datetime(attempt.attempted_at),
                ok: attempt
                    .status_code
                    .is_some_and(|code| (200..300).contains(&code)),
                result: match (attempt.status_code, attempt.error) {
                    (Some(code), _) => format!("HTTP {code}"),
                    (None, Some(error)) => error,
                    (None, None) => String::new(),
                },
                latency_ms: attempt.latency_ms,
                body: attempt.response_body.unwrap_or_default(),
            })
            .collect(),
        can_redeliver: row.status != WebhookDeliveryStatus::Pending,
    }
}

#[derive(Template)]
#[template(path = "webhooks/deliveries.html", blocks = ["content"])]
struct DeliveriesPage {
    t: Tr,
    shell: Shell,
    webhook: WebhookView,
    deliveries: Vec<DeliveryView>,
    older: Option<i64>,
    since: String,
    since_error: String,
}

#[derive(serde::Deserialize)]
pub struct DeliveriesQuery {
    before: Option<i64>,
}

async fn render_deliveries(
    req: &HttpRequest,
    state: &AppState,
    owner: &Guarded<Owner>,
    id: WebhookId,
    before: Option<i64>,
    since: (String, String),
) -> Result<HttpResponse, AppError> {
    let organization_id = owner.organization_id();
    let (webhook, rows) = state
        .db(move |conn| {
            let webhook = webhook::find(conn, organization_id, id)?;
            let rows = webhook::deliveries(conn, organization_id, id, before, DELIVERIES_PAGE + 1)?;
            Ok::<_, DomainError>((webhook, rows))
        })
        .await?;
    let (t, viewer) = (owner.ctx.tr(), owner.ctx.viewer());
    let more = rows.len() as i64 > DELIVERIES_PAGE;
    let deliveries: Vec<DeliveryView> = rows
        .into_iter()
        .take(DELIVERIES_PAGE as usize)
        .map(|(row, attempts)| delivery_view(row, attempts, &viewer))
        .collect();
    let status = if since.1.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let default_since = webhook
        .row
        .failing_since
        .unwrap_or(state.now() - time::Duration::days(1));
    let page = DeliveriesPage {
        t,
        older: more.then(|| deliveries.last().map(|d| d.id)).flatten(),
        deliveries,
        webhook: view(&webhook, t, &viewer),
        since: if since.0.is_empty() {
            local_input(default_since, &viewer)
        } else {
            since.0
        },
        since_error: since.1,
        shell: shell(state, owner, NavPage::Webhooks).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

/// A UTC instant as a `datetime-local` value in the viewer's zone.
fn local_input(at: PrimitiveDateTime, viewer: &Viewer) -> String {
    let local = time_zone::local_time(at, &viewer.zone);
    format!(
        "{}T{:02}:{:02}",
        crate::i18n::format::date_input(local.date()),
        local.hour(),
        local.minute()
    )
}

pub async fn deliveries(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
    query: web::Query<DeliveriesQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    render_deliveries(&req, &state, &owner, id, query.before, Default::default()).await
}

pub async fn redeliver(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<(WebhookId, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, delivery_id) = path.into_inner();
    let by = owner.acting(state.now());
    state
        .db(move |conn| commands::redeliver(&by, id, delivery_id, conn))
        .await?;
    state.webhook_wake.notify_one();
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        &format!("/webhooks/{id}/deliveries"),
        "flash-webhook-redelivery-queued",
    ))
}

pub async fn replay(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: Guarded<Owner>,
    path: web::Path<WebhookId>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let typed = form.text("since").trim().to_owned();
    let viewer = owner.ctx.viewer();
    let Ok(local) = PrimitiveDateTime::parse(
        &typed,
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    ) else {
        let message = owner.ctx.tr().t("webhook-replay-since-invalid");
        return render_deliveries(&req, &state, &owner, id, None, (typed, message)).await;
    };
    let since = time_zone::utc_of_local(local, &viewer.zone);
    let by = owner.acting(state.now());
    let count = state
        .db(move |conn| commands::replay_failed_since(&by, id, since, conn))
        .await?;
    state.webhook_wake.notify_one();
    let flash = if count == 0 {
        "flash-webhook-replay-none"
    } else {
        "flash-webhook-replay-queued"
    };
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        &format!("/webhooks/{id}/deliveries"),
        flash,
    ))
}
