//! The users page's "External users" tab: people outside the organization with access to its
//! API portal only (search, sort, pages, column settings), inviting them, resending links,
//! changing the expiry, suspending, reactivating, deleting, and the "Access to" drawer.
//!
//! Whoever may view the users page may view the tab; every change needs Admin.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use time::{Date, PrimitiveDateTime};

use crate::app::access::{Admin, UserReader};
use crate::app::external_users::{self, Invitation};
use crate::domain::account::EmailAddress;
use crate::domain::api_catalog;
use crate::domain::external_access::ExternalStatus;
use crate::domain::external_user::{
    self, Access, DirectoryQuery, ExternalUser, SortColumn, check_future, parse_expiry, today_in,
};
use crate::domain::ids::EnvironmentId;
use crate::domain::organization;
use crate::domain::preferences;
use crate::domain::rules::{DomainError, RuleViolation};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::i18n::format::{self, Viewer};
use crate::state::AppState;
use crate::time_zone::local_time;
use crate::web::confirm::{OnRefusal, one_click, status_of};
use crate::web::context::{CurrentMember, Guarded};
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};
use crate::web::table::{self, ColumnDef, ColumnSetting, HeaderCell, ListQuery, Listing, Pager};

pub const TABLE: &str = "external_users";
pub const PER_PAGE: i64 = 50;
const LIST: &str = "/users/external";
/// "Access to" shows this many names, then a count of the rest.
const ACCESS_SHOWN: usize = 3;

pub const COLUMNS: [ColumnDef; 8] = [
    ColumnDef {
        key: "email",
        label_key: "external-col-email",
        sortable: true,
    },
    ColumnDef {
        key: "name",
        label_key: "external-col-name",
        sortable: true,
    },
    ColumnDef {
        key: "company",
        label_key: "external-col-company",
        sortable: true,
    },
    ColumnDef {
        key: "status",
        label_key: "external-col-status",
        sortable: true,
    },
    ColumnDef {
        key: "access",
        label_key: "external-col-access",
        sortable: false,
    },
    ColumnDef {
        key: "expires",
        label_key: "external-col-expires",
        sortable: true,
    },
    ColumnDef {
        key: "last-sign-in",
        label_key: "external-col-last-sign-in",
        sortable: true,
    },
    ColumnDef {
        key: "member-since",
        label_key: "external-col-member-since",
        sortable: true,
    },
];

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(LIST, web::get().to(list))
        .route(LIST, web::post().to(invite))
        .route("/users/external/new", web::get().to(new_external_user))
        .route("/users/external/{id}/access", web::get().to(access_drawer))
        .route("/users/external/{id}/access", web::post().to(save_access))
        .route("/users/external/{id}/resend", web::get().to(resend_page))
        .route("/users/external/{id}/resend", web::post().to(resend))
        .route("/users/external/{id}/edit", web::get().to(edit_page))
        .route("/users/external/{id}/edit", web::post().to(edit))
        .route(
            "/users/external/{id}/suspend",
            web::post().to(one_click(
                external_users::suspend,
                |_| LIST.to_owned(),
                "external-flash-suspended",
                OnRefusal::Explain,
            )),
        )
        .route(
            "/users/external/{id}/reactivate",
            web::post().to(one_click(
                external_users::reactivate,
                |_| LIST.to_owned(),
                "external-flash-reactivated",
                OnRefusal::Explain,
            )),
        )
        .route("/users/external/{id}/delete", web::get().to(confirm_delete))
        .route(
            "/users/external/{id}/delete",
            web::post().to(one_click(
                external_users::delete,
                |_| LIST.to_owned(),
                "external-flash-deleted",
                OnRefusal::Explain,
            )),
        );
}

/// The inviting admin's time zone, which an invitee's expiry is read in until they register.
fn inviter_zone(member: &CurrentMember) -> String {
    member
        .account
        .time_zone
        .clone()
        .filter(|zone| !zone.is_empty())
        .unwrap_or_else(|| "UTC".to_owned())
}

fn status_view(status: ExternalStatus) -> (&'static str, &'static str) {
    match status {
        ExternalStatus::Requested => ("external-status-requested", "amber"),
        ExternalStatus::Active => ("external-status-active", "green"),
        ExternalStatus::Suspended => ("external-status-suspended", "red"),
        ExternalStatus::Expired => ("external-status-expired", "gray"),
    }
}

/// The expiry as a table or a page shows it: the date as chosen, and, where the viewer's clock
/// reads it differently, the exact end in the viewer's zone.
fn expiry_text(t: Tr, viewer: &Viewer, user: &ExternalUser) -> (String, String) {
    let (Some(date), Some(ends_at)) = (user.expires_on, user.ends_at()) else {
        return (String::new(), String::new());
    };
    let local = local_time(ends_at, &viewer.zone);
    let same = local.date() == date && local.hour() == 23 && local.minute() == 59;
    let detail = if same {
        String::new()
    } else {
        t.t1(
            "external-expires-ends",
            "at",
            viewer.datetime(ends_at).as_str(),
        )
    };
    (viewer.date(date), detail)
}

async fn organizations_of(
    state: &AppState,
    member: &CurrentMember,
) -> Result<Vec<organization::OrganizationChoice>, AppError> {
    let account_id = member.account.account_id;
    state
        .db(move |conn| organization::choices_for_account(conn, account_id))
        .await
}

/// Every change on the tab ends back on the list, with what was done.
fn back_to_list(req: &HttpRequest, state: &AppState, flash: &str) -> HttpResponse {
    htmx::see_other_with_flash(req, &state.settings, LIST, flash)
}

async fn load_user(
    state: &AppState,
    member: &CurrentMember,
    id: i64,
) -> Result<ExternalUser, AppError> {
    let organization_id = member.organization_id();
    state
        .db(move |conn| external_user::find(conn, organization_id, id))
        .await
}

// ---------------------------------------------------------------------------------------------
// The list.

pub struct AccessItem {
    pub label: String,
    pub group: bool,
}

pub struct ExternalRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub company: String,
    pub status_key: &'static str,
    pub status_badge: &'static str,
    pub access: Vec<AccessItem>,
    pub access_more: i64,
    pub expires: String,
    pub expires_detail: String,
    pub last_sign_in: String,
    pub member_since: String,
    pub can_resend: bool,
    /// Resending an Expired person's link needs a new expiry, so it opens a form.
    pub resend_needs_form: bool,
    pub can_edit: bool,
    pub can_suspend: bool,
    pub can_reactivate: bool,
}

#[derive(Template)]
#[template(path = "external_users/list.html", blocks = ["content", "table"])]
struct ListPage {
    t: Tr,
    shell: Shell,
    can_manage: bool,
    search: String,
    /// The search was cut to `table::MAX_SEARCH_CHARS`.
    search_shortened: bool,
    sort: &'static str,
    descending: bool,
    headers: Vec<HeaderCell>,
    column_settings: Vec<ColumnSetting>,
    rows: Vec<ExternalRow>,
    pager: Pager,
    return_to: String,
}

fn access_items(access: Access) -> (Vec<AccessItem>, i64) {
    let mut items: Vec<AccessItem> = access
        .groups
        .into_iter()
        .map(|group| AccessItem {
            label: group.name,
            group: true,
        })
        .chain(access.apis.into_iter().map(|api| AccessItem {
            label: format!("{} {} · {}", api.name, api.version, api.environment_name),
            group: false,
        }))
        .collect();
    let more = items.len().saturating_sub(ACCESS_SHOWN) as i64;
    items.truncate(ACCESS_SHOWN);
    (items, more)
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<UserReader>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let sort = query
        .sort
        .as_deref()
        .and_then(SortColumn::parse)
        .unwrap_or(SortColumn::Email);
    let listing = Listing::read(LIST, query, sort.as_str());
    let directory_query = DirectoryQuery {
        search: listing.search_filter(),
        sort,
        descending: listing.descending,
        page: listing.page,
        per_page: PER_PAGE,
    };
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, saved_columns, directory) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                preferences::columns(conn, account_id, TABLE)?,
                external_user::directory(conn, organization_id, &directory_query)?,
            ))
        })
        .await?;

    let columns = table::visible_columns(&COLUMNS, saved_columns.as_deref());
    let pager = listing.pager(
        PER_PAGE,
        directory.rows.len(),
        Some(directory.total),
        directory.has_next,
    );
    let t = member.ctx.tr();
    let viewer = member.ctx.viewer();
    let now = state.now();
    let rows = directory
        .rows
        .into_iter()
        .map(|row| {
            let status = row.user.status_at(now);
            let (status_key, status_badge) = status_view(status);
            let (expires, expires_detail) = expiry_text(t, &viewer, &row.user);
            let (access, access_more) = access_items(row.access);
            let user = row.user;
            ExternalRow {
                id: user.id,
                status_key,
                status_badge,
                access,
                access_more,
                expires,
                expires_detail,
                last_sign_in: user
                    .last_sign_in_at
                    .map(|at| viewer.datetime(at))
                    .unwrap_or_default(),
                member_since: viewer.day_of(user.created_at),
                can_resend: matches!(status, ExternalStatus::Requested | ExternalStatus::Expired),
                resend_needs_form: status == ExternalStatus::Expired,
                can_edit: matches!(status, ExternalStatus::Active | ExternalStatus::Suspended),
                can_suspend: status == ExternalStatus::Active,
                can_reactivate: status == ExternalStatus::Suspended,
                email: user.email,
                name: user.name,
                company: user.company,
            }
        })
        .collect();
    let page_view = ListPage {
        t,
        can_manage: member.holds::<Admin>(),
        return_to: listing.here(),
        column_settings: table::column_settings(&COLUMNS, &columns),
        headers: listing.headers(&columns),
        sort: listing.sort,
        descending: listing.descending,
        search_shortened: listing.search_shortened,
        search: listing.search,
        rows,
        pager,
        shell: Shell::new(&member, organizations, NavPage::Users),
    };
    htmx::render(&req, &page_view, |page| page.as_table())
}

// ---------------------------------------------------------------------------------------------
// The expiry fields, shared by the invite, edit and resend forms.

pub struct ExpiryView {
    pub never: bool,
    /// `YYYY-MM-DD`, as the date input holds it.
    pub date: String,
    pub error: String,
    /// Today in the zone the date is read in, for the input's `min`.
    pub min: String,
    pub zone: String,
    /// The hint about the zone: the person's own, or the inviter's until they register.
    pub hint_key: &'static str,
}

fn zone_hint(registered: bool) -> &'static str {
    if registered {
        "external-expiry-hint-registered"
    } else {
        "external-expiry-hint"
    }
}

impl ExpiryView {
    fn of(expires_on: Option<Date>, zone: &str, registered: bool, now: PrimitiveDateTime) -> Self {
        Self {
            never: expires_on.is_none(),
            date: expires_on.map(format::date_input).unwrap_or_default(),
            error: String::new(),
            min: format::date_input(today_in(zone, now)),
            zone: zone.to_owned(),
            hint_key: zone_hint(registered),
        }
    }

    /// What was typed, kept as typed, with an error.
    fn typed(
        form: &FormFields,
        zone: &str,
        registered: bool,
        now: PrimitiveDateTime,
        error: String,
    ) -> Self {
        Self {
            never: form.text("expiry") == "never"
                || (form.text("expiry").is_empty() && form.text("expires_on").trim().is_empty()),
            date: form.text("expires_on").trim().to_owned(),
            error,
            min: format::date_input(today_in(zone, now)),
            zone: zone.to_owned(),
            hint_key: zone_hint(registered),
        }
    }
}

/// Reads the expiry fields and checks the date is still ahead in `zone`; errors are messages.
fn read_expiry(
    t: Tr,
    form: &FormFields,
    zone: &str,
    now: PrimitiveDateTime,
) -> Result<Option<Date>, String> {
    parse_expiry(form.text("expiry"), form.text("expires_on"))
        .and_then(|date| check_future(date, zone, now).map(|()| date))
        .map_err(|key| t.t(key))
}

/// Rules about the date belong next to the date field; the others next to the email.
fn is_date_rule(key: &str) -> bool {
    key.starts_with("external-date") || key == "external-resend-needs-expiry"
}

// ---------------------------------------------------------------------------------------------
// Inviting.

#[derive(Template)]
#[template(path = "external_users/new.html", blocks = ["content"])]
struct NewPage {
    t: Tr,
    shell: Shell,
    email: String,
    email_error: String,
    expiry: ExpiryView,
}

/// The invitation form, or the form again with what was typed and why it was refused (422):
/// `refused` holds the form and the messages for the email and for the date.
async fn new_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    refused: Option<(&FormFields, String, String)>,
) -> Result<HttpResponse, AppError> {
    let organizations = organizations_of(state, member).await?;
    let (zone, now) = (inviter_zone(member), state.now());
    let status = status_of(&refused);
    let (email, email_error, expiry) = match refused {
        Some((form, email_error, expiry_error)) => (
            form.text("email").trim().to_owned(),
            email_error,
            ExpiryView::typed(form, &zone, false, now, expiry_error),
        ),
        None => (
            String::new(),
            String::new(),
            ExpiryView::of(None, &zone, false, now),
        ),
    };
    let page = NewPage {
        t: member.ctx.tr(),
        email,
        email_error,
        expiry,
        shell: Shell::new(member, organizations, NavPage::Users),
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn new_external_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
) -> Result<HttpResponse, AppError> {
    new_page(&req, &state, &member, None).await
}

pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let t = member.ctx.tr();
    let zone = inviter_zone(&member);
    let now = state.now();
    let typed = form.text("email").trim().to_owned();
    let email = EmailAddress::parse(&typed);
    let expiry = read_expiry(t, &form, &zone, now);
    let (email, expires_on) = match (email, expiry) {
        (Ok(email), Ok(expires_on)) => (email, expires_on),
        (email, expiry) => {
            let email_error = email.err().map(|key| t.t(key)).unwrap_or_default();
            let expiry_error = expiry.err().unwrap_or_default();
            let refused = Some((&form, email_error, expiry_error));
            return new_page(&req, &state, &member, refused).await;
        }
    };
    let input = Invitation {
        email,
        expires_on,
        time_zone: zone.clone(),
    };
    let (by, settings) = (member.acting(now), state.settings.clone());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(external_users::invite(&by, &input, &settings, conn)))
        .await?;
    match outcome {
        Ok(_) => {
            state.outbox_wake.notify_one();
            Ok(back_to_list(&req, &state, "external-flash-invited"))
        }
        Err(DomainError::Rule(violation)) => {
            let key = violation.message_key();
            let (email_error, expiry_error) = if is_date_rule(key) {
                (String::new(), t.t(key))
            } else {
                (t.t(key), String::new())
            };
            new_page(
                &req,
                &state,
                &member,
                Some((&form, email_error, expiry_error)),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Resending a link, and changing the expiry: pages with the expiry fields.

/// One external user as the forms show them.
pub struct Person {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub company: String,
    pub status_key: &'static str,
    pub status_badge: &'static str,
    pub expires: String,
    pub expires_detail: String,
}

fn person(t: Tr, viewer: &Viewer, user: &ExternalUser, now: PrimitiveDateTime) -> Person {
    let (status_key, status_badge) = status_view(user.status_at(now));
    let (expires, expires_detail) = expiry_text(t, viewer, user);
    Person {
        id: user.id,
        email: user.email.clone(),
        name: user.name.clone(),
        company: user.company.clone(),
        status_key,
        status_badge,
        expires,
        expires_detail,
    }
}

#[derive(Template)]
#[template(path = "external_users/resend.html", blocks = ["content"])]
struct ResendPage {
    t: Tr,
    shell: Shell,
    person: Person,
    /// Expired: a new expiry is asked for.
    needs_expiry: bool,
    expiry: ExpiryView,
}

#[derive(Template)]
#[template(path = "external_users/edit.html", blocks = ["content"])]
struct EditPage {
    t: Tr,
    shell: Shell,
    person: Person,
    expiry: ExpiryView,
}

fn refused(key: &'static str) -> AppError {
    AppError::Rule(RuleViolation(key))
}

/// The two pages with one person's expiry fields: resending the link (Requested, or Expired
/// with a new date) and changing the date (Active or Suspended).
#[derive(Debug, Clone, Copy)]
enum ExpiryForm {
    Resend,
    Edit,
}

impl ExpiryForm {
    /// Refuses a person in a status the form is not for (a 409 page that says why).
    fn check(self, status: ExternalStatus) -> Result<(), AppError> {
        let (allowed, refusal) = match self {
            Self::Resend => (
                matches!(status, ExternalStatus::Requested | ExternalStatus::Expired),
                "external-resend-not-allowed",
            ),
            Self::Edit => (
                matches!(status, ExternalStatus::Active | ExternalStatus::Suspended),
                "external-edit-not-allowed",
            ),
        };
        if allowed {
            Ok(())
        } else {
            Err(refused(refusal))
        }
    }
}

/// The resend or edit page of `user`: as first shown, or with what was typed in a form and why
/// it was refused (422).
async fn expiry_form(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    user: ExternalUser,
    which: ExpiryForm,
    refusal: Option<(&FormFields, String)>,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let current = user.status_at(now);
    which.check(current)?;
    let organizations = organizations_of(state, member).await?;
    let t = member.ctx.tr();
    let (zone, registered) = (user.zone(), user.has_own_zone());
    let status = status_of(&refusal);
    let expiry = match refusal {
        Some((form, error)) => ExpiryView::typed(form, zone, registered, now, error),
        // An Expired person's old date has passed: the resend form starts from "never".
        None if matches!(which, ExpiryForm::Resend) => ExpiryView::of(None, zone, registered, now),
        None => ExpiryView::of(user.expires_on, zone, registered, now),
    };
    let person = person(t, &member.ctx.viewer(), &user, now);
    let shell = Shell::new(member, organizations, NavPage::Users);
    match which {
        ExpiryForm::Resend => {
            let page = ResendPage {
                t,
                shell,
                person,
                needs_expiry: current == ExternalStatus::Expired,
                expiry,
            };
            htmx::render_with_status(req, status, &page, |page| page.as_content())
        }
        ExpiryForm::Edit => {
            let page = EditPage {
                t,
                shell,
                person,
                expiry,
            };
            htmx::render_with_status(req, status, &page, |page| page.as_content())
        }
    }
}

pub async fn resend_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let user = load_user(&state, &member, id.into_inner()).await?;
    expiry_form(&req, &state, &member, user, ExpiryForm::Resend, None).await
}

pub async fn resend(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let user = load_user(&state, &member, id.into_inner()).await?;
    let t = member.ctx.tr();
    let now = state.now();
    let current = user.status_at(now);
    ExpiryForm::Resend.check(current)?;
    // A Requested person keeps their date; an Expired one needs a new one.
    let new_expiry = if current == ExternalStatus::Expired {
        let chosen = if form.has("expiry") || form.has("expires_on") {
            read_expiry(t, &form, user.zone(), now)
        } else {
            Err(t.t("external-resend-needs-expiry"))
        };
        match chosen {
            Ok(expires_on) => Some(expires_on),
            Err(error) => {
                let refusal = Some((&form, error));
                return expiry_form(&req, &state, &member, user, ExpiryForm::Resend, refusal).await;
            }
        }
    } else {
        None
    };
    let (by, settings, user_id) = (member.acting(now), state.settings.clone(), user.id);
    let outcome = state
        .db(move |conn| {
            Ok::<_, AppError>(external_users::resend(
                &by, user_id, new_expiry, &settings, conn,
            ))
        })
        .await?;
    match outcome {
        Ok(()) => {
            state.outbox_wake.notify_one();
            Ok(back_to_list(&req, &state, "external-flash-resent"))
        }
        Err(DomainError::Rule(violation)) if is_date_rule(violation.message_key()) => {
            let refusal = Some((&form, t.t(violation.message_key())));
            expiry_form(&req, &state, &member, user, ExpiryForm::Resend, refusal).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let user = load_user(&state, &member, id.into_inner()).await?;
    expiry_form(&req, &state, &member, user, ExpiryForm::Edit, None).await
}

pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let user = load_user(&state, &member, id.into_inner()).await?;
    let t = member.ctx.tr();
    let now = state.now();
    ExpiryForm::Edit.check(user.status_at(now))?;
    let expires_on = match read_expiry(t, &form, user.zone(), now) {
        Ok(expires_on) => expires_on,
        Err(error) => {
            let refusal = Some((&form, error));
            return expiry_form(&req, &state, &member, user, ExpiryForm::Edit, refusal).await;
        }
    };
    let (by, user_id) = (member.acting(now), user.id);
    let outcome = state
        .db(move |conn| {
            Ok::<_, AppError>(external_users::change_expiry(
                &by, user_id, expires_on, conn,
            ))
        })
        .await?;
    match outcome {
        Ok(()) => Ok(back_to_list(&req, &state, "external-flash-expiry-changed")),
        Err(DomainError::Rule(violation)) if is_date_rule(violation.message_key()) => {
            let refusal = Some((&form, t.t(violation.message_key())));
            expiry_form(&req, &state, &member, user, ExpiryForm::Edit, refusal).await
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Suspend and reactivate: one click each.

// ---------------------------------------------------------------------------------------------
// Deleting, after a confirmation.

#[derive(Template)]
#[template(path = "external_users/delete.html", blocks = ["content"])]
struct DeletePage {
    t: Tr,
    shell: Shell,
    person: Person,
}

pub async fn confirm_delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let user = load_user(&state, &member, id.into_inner()).await?;
    let organizations = organizations_of(&state, &member).await?;
    let t = member.ctx.tr();
    let page = DeletePage {
        t,
        person: person(t, &member.ctx.viewer(), &user, state.now()),
        shell: Shell::new(&member, organizations, NavPage::Users),
    };
    htmx::render(&req, &page, |page| page.as_content())
}

// ---------------------------------------------------------------------------------------------
// The "Access to" drawer: API groups, and single APIs per environment.

pub struct Choice {
    pub id: i64,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

pub struct EnvironmentChoices {
    pub id: EnvironmentId,
    pub name: String,
    pub apis: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "external_users/access.html", blocks = ["content", "drawer"])]
struct AccessPage {
    t: Tr,
    shell: Shell,
    person: Person,
    groups: Vec<Choice>,
    environments: Vec<EnvironmentChoices>,
}

pub async fn access_drawer(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, user, groups, apis, members, mut granted) = state
        .db(move |conn| {
            let user = external_user::find(conn, organization_id, id)?;
            let groups = api_catalog::list_groups(conn, organization_id)?;
            let group_ids: Vec<i64> = groups.iter().map(|group| group.id).collect();
            Ok::<_, DomainError>((
                organization::choices_for_account(conn, account_id)?,
                user,
                groups,
                api_catalog::list_apis(conn, organization_id)?,
                api_catalog::group_members(conn, &group_ids)?,
                external_user::access_of(conn, &[id])?,
            ))
        })
        .await?;
    let t = member.ctx.tr();
    let granted = granted.remove(&id).unwrap_or_default();
    let groups = groups
        .into_iter()
        .map(|group| Choice {
            checked: granted.groups.iter().any(|g| g.id == group.id),
            hint: t.t1(
                "external-access-group-apis",
                "count",
                members.get(&group.id).map_or(0, Vec::len) as i64,
            ),
            id: group.id,
            label: group.name,
        })
        .collect();
    let mut environments: Vec<EnvironmentChoices> = Vec::new();
    for listed in apis {
        let choice = Choice {
            checked: granted.apis.iter().any(|a| a.id == listed.api.id),
            id: listed.api.id,
            label: format!("{} {}", listed.api.name, listed.api.version),
            hint: listed.api.description.clone(),
        };
        match environments.last_mut() {
            Some(environment) if environment.id == listed.api.environment_id => {
                environment.apis.push(choice)
            }
            _ => environments.push(EnvironmentChoices {
                id: listed.api.environment_id,
                name: listed.environment_name,
                apis: vec![choice],
            }),
        }
    }
    let page = AccessPage {
        t,
        person: person(t, &member.ctx.viewer(), &user, state.now()),
        groups,
        environments,
        shell: Shell::new(&member, organizations, NavPage::Users),
    };
    htmx::render(&req, &page, |page| page.as_drawer())
}

pub async fn save_access(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let group_ids = form.ids("group")?;
    let api_ids = form.ids("api")?;
    let by = member.acting(state.now());
    state
        .db(move |conn| external_users::set_access(&by, id, &group_ids, &api_ids, conn))
        .await?;
    Ok(back_to_list(&req, &state, "external-flash-access-saved"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sortable_column_sorts_the_directory() {
        for column in COLUMNS {
            assert_eq!(
                SortColumn::parse(column.key).is_some(),
                column.sortable,
                "{}",
                column.key
            );
        }
    }

    #[test]
    fn long_access_lists_are_shortened_with_a_count() {
        let access = Access {
            groups: (1..=2)
                .map(|id| external_user::GrantedGroup {
                    id,
                    name: format!("Group {id}"),
                })
                .collect(),
            apis: (1..=3)
                .map(|id| external_user::GrantedApi {
                    id,
                    name: format!("Api {id}"),
                    version: "v1".into(),
                    environment_name: "Production".into(),
                })
                .collect(),
        };
        let (items, more) = access_items(access);
        assert_eq!(items.len(), 3);
        assert!(items[0].group && !items[2].group);
        assert_eq!(items[2].label, "Api 1 v1 · Production");
        assert_eq!(more, 2);
    }
}
