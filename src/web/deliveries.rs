//! The "Email deliveries" page: what was sent for this organization, and "send again" for failures.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::app::access::Admin;
use crate::app::organizations;
use crate::domain::keyset::Cursor;
use crate::domain::organization;
use crate::domain::outbox::{self, DeliveryFilter, DeliveryStatus};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::Guarded;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};

/// Messages per page.
const PAGE_SIZE: i64 = 50;

struct DeliveryRow {
    id: i64,
    recipient: String,
    subject: String,
    status_key: &'static str,
    badge: &'static str,
    attempts: i32,
    last_error: String,
    created: String,
    can_send_again: bool,
}

#[derive(Template)]
#[template(path = "deliveries/deliveries.html", blocks = ["content"])]
struct DeliveriesPage {
    t: Tr,
    shell: Shell,
    rows: Vec<DeliveryRow>,
    /// The filter as chosen: `status` is "" for every status.
    status: String,
    recipient: String,
    filtered: bool,
    /// The first page of the same filter, when this one is not it.
    newest_href: Option<String>,
    older_href: Option<String>,
}

impl DeliveriesPage {
    fn status_selected(&self, value: &str) -> bool {
        self.status == value
    }
}

#[derive(serde::Deserialize, Default)]
pub struct DeliveriesQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    after: String,
}

/// `/deliveries` with the filter and, for a later page, where it starts.
fn deliveries_href(status: &str, recipient: &str, after: Option<Cursor>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if !status.is_empty() {
        query.append_pair("status", status);
    }
    if !recipient.is_empty() {
        query.append_pair("to", recipient);
    }
    if let Some(cursor) = after {
        query.append_pair("after", &cursor.to_text());
    }
    let query = query.finish();
    if query.is_empty() {
        "/deliveries".to_owned()
    } else {
        format!("/deliveries?{query}")
    }
}

fn row(viewer: &crate::i18n::format::Viewer, message: outbox::OutboxMessage) -> DeliveryRow {
    let status = message.status;
    let (status_key, badge) = match status {
        DeliveryStatus::Pending => ("delivery-status-pending", "amber"),
        DeliveryStatus::Sent => ("delivery-status-sent", "green"),
        DeliveryStatus::Failed => ("delivery-status-failed", "red"),
    };
    DeliveryRow {
        id: message.id,
        recipient: message.recipient,
        subject: message.subject,
        status_key,
        badge,
        attempts: message.attempts,
        last_error: message.last_error.unwrap_or_default(),
        created: viewer.datetime(message.created_at),
        can_send_again: status == DeliveryStatus::Failed,
    }
}

pub async fn deliveries(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    query: web::Query<DeliveriesQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    // An unknown status or a broken cursor is read as none: the page still answers.
    let status = DeliveryStatus::parse(query.status.trim());
    let recipient = crate::web::table::bounded_search(Some(&query.to)).0;
    let after = Cursor::parse(&query.after);
    let filter = DeliveryFilter {
        status,
        recipient: recipient.clone(),
    };
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, (messages, more)) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                outbox::page_for_organization(conn, organization_id, &filter, after, PAGE_SIZE)?,
            ))
        })
        .await?;
    let status_text = status.map(|s| s.as_str()).unwrap_or_default().to_owned();
    let older_href = more.then(|| messages.last()).flatten().map(|last| {
        deliveries_href(
            &status_text,
            &recipient,
            Some(Cursor::after(last.created_at, last.id)),
        )
    });
    let page = DeliveriesPage {
        t: member.ctx.tr(),
        rows: {
            let viewer = member.ctx.viewer();
            messages
                .into_iter()
                .map(|message| row(&viewer, message))
                .collect()
        },
        filtered: status.is_some() || !recipient.is_empty(),
        newest_href: after.map(|_| deliveries_href(&status_text, &recipient, None)),
        older_href,
        status: status_text,
        recipient,
        shell: Shell::new(&member, organizations, NavPage::Deliveries),
    };
    htmx::render(&req, &page, |page| page.as_content())
}

pub async fn send_test(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
) -> Result<HttpResponse, AppError> {
    let (by, settings) = (member.acting(state.now()), state.settings.clone());
    state
        .db(move |conn| organizations::send_test_email(&by, &settings, conn))
        .await?;
    state.outbox_wake.notify_one();
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/deliveries",
        "flash-test-email-queued",
    ))
}

pub async fn send_again(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    message_id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (by, message_id) = (member.acting(state.now()), message_id.into_inner());
    let requeued = state
        .db(move |conn| organizations::send_email_again(&by, message_id, conn))
        .await?;
    if !requeued {
        return Err(AppError::NotFound);
    }
    state.outbox_wake.notify_one();
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/deliveries",
        "flash-delivery-requeued",
    ))
}
