//! The Partners page (the organization's owner only): the partner companies the organization
//! registered, the registration wizard (partner info, email domains, partner admin, review),
//! each partner's settings (general information, domains, partner admin, linked APIs) and
//! deactivation, which asks for a typed word and cannot be undone.
//!
//! The wizard keeps what was typed in a server-side draft (`partner_drafts`), the logo too, so
//! going back and forth loses nothing. Forms with a logo are multipart; the session layer has
//! already checked their CSRF token, and `read_upload` reads them with a limit per field.

use std::future::{Ready, ready};

use actix_multipart::Multipart;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use futures_util::StreamExt;

use crate::auth::middleware::UPLOAD_BODY_LIMIT;
use crate::db::write_transaction;
use crate::domain::api_catalog;
use crate::domain::invitation::Inviter;
use crate::domain::organization;
use crate::domain::partner_registry::{
    self, AdminChange, AdminErrors, Draft, DraftCheck, LinkedNames, LogoChange, PartnerSummary,
    Person,
};
use crate::domain::partnership::PartnershipStatus;
use crate::domain::rules::{DomainError, DomainResult};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use crate::web::context::CurrentMember;
use crate::web::form::FormFields;
use crate::web::format::Viewer;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};

/// The word typed to confirm a deactivation.
pub const DEACTIVATE_WORD: &str = "DEACTIVATE";

const LIST: &str = "/partners";
const STEP_INFO: &str = "/partners/new";
const STEP_DOMAINS: &str = "/partners/new/domains";
const STEP_ADMIN: &str = "/partners/new/admin";
const STEP_REVIEW: &str = "/partners/new/review";

/// The file input of the partner info forms.
const LOGO_FIELD: &str = "logo";
const TEXT_FIELD_LIMIT: usize = 16 * 1024;
const MAX_PARTS: usize = 16;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(LIST, web::get().to(list))
        .route(LIST, web::post().to(add_partner))
        .route(STEP_INFO, web::get().to(step_info))
        .route(STEP_INFO, web::post().to(save_info))
        .route("/partners/new/logo", web::get().to(draft_logo))
        .route(STEP_DOMAINS, web::get().to(step_domains))
        .route(STEP_DOMAINS, web::post().to(save_domains))
        .route(STEP_ADMIN, web::get().to(step_admin))
        .route(STEP_ADMIN, web::post().to(save_admin))
        .route(STEP_REVIEW, web::get().to(review))
        .route("/partners/new/cancel", web::post().to(cancel))
        .route("/partners/{id:\\d+}", web::get().to(settings))
        .route("/partners/{id:\\d+}/info", web::post().to(update_info))
        .route(
            "/partners/{id:\\d+}/domains",
            web::post().to(update_domains),
        )
        .route("/partners/{id:\\d+}/admin", web::post().to(change_admin))
        .route(
            "/partners/{id:\\d+}/admin/resend",
            web::post().to(resend_invitation),
        )
        .route("/partners/{id:\\d+}/apis", web::post().to(save_links))
        .route("/partners/{id:\\d+}/logo", web::get().to(logo))
        .route(
            "/partners/{id:\\d+}/deactivate",
            web::get().to(confirm_deactivate),
        )
        .route("/partners/{id:\\d+}/deactivate", web::post().to(deactivate));
}

/// Only the organization's owner registers and manages partners (not someone acting here as a
/// partner user).
fn require_owner(member: &CurrentMember) -> Result<(), AppError> {
    if member.member.is_owner && member.member.via_partner.is_none() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The organization's owner acting in it: anyone else is refused (403) before the request's
/// body is read.
pub struct Owner(pub CurrentMember);

impl FromRequest for Owner {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        ready(
            CurrentMember::from_request(req, payload)
                .into_inner()
                .and_then(|member| {
                    require_owner(&member)?;
                    Ok(Owner(member))
                }),
        )
    }
}

fn inviter_language(member: &CurrentMember) -> Lang {
    member
        .account
        .language
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(member.ctx.lang)
}

async fn organizations(
    state: &AppState,
    member: &CurrentMember,
) -> Result<Vec<organization::OrganizationChoice>, AppError> {
    let account_id = member.account.account_id;
    state
        .db(move |conn| organization::choices_for_account(conn, account_id))
        .await
}

async fn shell(state: &AppState, member: &CurrentMember) -> Result<Shell, AppError> {
    Ok(Shell::new(
        member,
        organizations(state, member).await?,
        NavPage::Partners,
    ))
}

/// An image answer: the stored bytes with their stored type, cached by this browser only.
fn image(bytes: Vec<u8>, content_type: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "private, max-age=86400"))
        .body(bytes)
}

// ---------------------------------------------------------------------------------------------
// How a partner shows on pages.

pub struct PersonView {
    pub name: String,
    pub email: String,
    pub registered: bool,
}

impl From<Person> for PersonView {
    fn from(person: Person) -> Self {
        Self {
            name: person.name,
            email: person.email,
            registered: person.registered,
        }
    }
}

pub struct PartnerView {
    pub id: i64,
    pub name: String,
    pub initials: String,
    pub logo_url: Option<String>,
    pub status_key: &'static str,
    pub status_badge: &'static str,
    pub deactivated: bool,
    pub pending: bool,
    pub domains: Vec<String>,
    pub admin: Option<PersonView>,
    pub pending_admin: Option<PersonView>,
    pub linked_count: i64,
    pub registered_on: String,
    pub deactivated_on: String,
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

fn status_view(status: PartnershipStatus) -> (&'static str, &'static str) {
    match status {
        PartnershipStatus::Active => ("partners-status-active", "green"),
        PartnershipStatus::Pending => ("partners-status-pending", "amber"),
        _ => ("partners-status-deactivated", "gray"),
    }
}

fn partner_view(viewer: &Viewer, partner: PartnerSummary) -> PartnerView {
    let (status_key, status_badge) = status_view(partner.status);
    PartnerView {
        id: partner.id,
        initials: initials(&partner.name),
        logo_url: partner
            .logo_version
            .map(|version| format!("/partners/{}/logo?v={version}", partner.id)),
        status_key,
        status_badge,
        deactivated: partner.deactivated(),
        pending: partner.status == PartnershipStatus::Pending,
        linked_count: partner.linked_count(),
        registered_on: viewer.day_of(partner.created_at),
        deactivated_on: partner
            .ended_at
            .map(|at| viewer.day_of(at))
            .unwrap_or_default(),
        name: partner.name,
        domains: partner.domains,
        admin: partner.admin.map(PersonView::from),
        pending_admin: partner.pending_admin.map(PersonView::from),
    }
}

// ---------------------------------------------------------------------------------------------
// The list.

#[derive(Template)]
#[template(path = "partners/list.html", blocks = ["content"])]
struct ListPage {
    t: Tr,
    shell: Shell,
    partners: Vec<PartnerView>,
    remaining: i64,
    max: i64,
    /// The name of the registration in progress ("" without a name yet), when there is one.
    draft: Option<String>,
}

impl ListPage {
    fn remaining_text(&self) -> String {
        self.t.t_args(
            "partners-remaining",
            &self.t.args2("remaining", self.remaining, "max", self.max),
        )
    }
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let max = state.settings.max_partners;
    let (partners, remaining, draft) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                partner_registry::list(conn, organization_id)?,
                partner_registry::remaining(conn, organization_id, max)?,
                partner_registry::find_draft(conn, organization_id, account_id)?,
            ))
        })
        .await?;
    let viewer = Viewer::of(&member.ctx);
    let page = ListPage {
        t: member.ctx.tr(),
        shell: shell(&state, &member).await?,
        partners: partners
            .into_iter()
            .map(|partner| partner_view(&viewer, partner))
            .collect(),
        remaining,
        max,
        draft: draft.map(|draft| draft.name),
    };
    htmx::render(&req, &page, |page| page.as_content())
}

// ---------------------------------------------------------------------------------------------
// Reading a multipart form with a logo.

struct UploadedLogo {
    bytes: Vec<u8>,
    too_large: bool,
}

struct Upload {
    fields: FormFields,
    logo: Option<UploadedLogo>,
}

enum UploadError {
    TooLarge,
    Malformed,
}

impl UploadError {
    fn response(self) -> Result<HttpResponse, AppError> {
        match self {
            Self::TooLarge => Ok(HttpResponse::PayloadTooLarge().finish()),
            Self::Malformed => Err(AppError::BadRequest),
        }
    }
}

/// Reads the text fields (up to 16 KiB each) and the logo (up to `MAX_LOGO_BYTES`; a bigger one
/// is marked, not kept). The whole body may not pass `UPLOAD_BODY_LIMIT`.
async fn read_upload(mut multipart: Multipart) -> Result<Upload, UploadError> {
    let mut total = 0usize;
    let mut pairs = Vec::new();
    let mut logo = None;
    let mut parts = 0;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|_| UploadError::Malformed)?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(UploadError::Malformed);
        }
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field
            .content_disposition()
            .and_then(|disposition| disposition.get_filename())
            .map(str::to_owned)
            .unwrap_or_default();
        let limit = if name == LOGO_FIELD {
            partner_registry::MAX_LOGO_BYTES
        } else {
            TEXT_FIELD_LIMIT
        };
        let mut data = Vec::new();
        let mut over = false;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| UploadError::Malformed)?;
            total += chunk.len();
            if total > UPLOAD_BODY_LIMIT {
                return Err(UploadError::TooLarge);
            }
            if over || data.len() + chunk.len() > limit {
                over = true;
                data = Vec::new();
            } else {
                data.extend_from_slice(&chunk);
            }
        }
        if name == LOGO_FIELD {
            // A file input left empty still sends a part, without a name or content.
            let chosen = over || !filename.is_empty() || !data.is_empty();
            if chosen && logo.is_none() {
                logo = Some(UploadedLogo {
                    bytes: data,
                    too_large: over,
                });
            }
        } else {
            if over {
                return Err(UploadError::Malformed);
            }
            let value = String::from_utf8(data).map_err(|_| UploadError::Malformed)?;
            pairs.push((name, value));
        }
    }
    Ok(Upload {
        fields: FormFields::from_pairs(pairs),
        logo,
    })
}

/// What the form asks for the logo: a checked new one, its removal, or nothing. Err is the
/// message key of the refusal.
fn logo_change(upload: &mut Upload) -> Result<LogoChange, &'static str> {
    match upload.logo.take() {
        Some(logo) if logo.too_large => Err("partners-logo-too-large"),
        Some(logo) => {
            let content_type = partner_registry::check_logo(&logo.bytes)?;
            Ok(LogoChange::Replace(logo.bytes, content_type.to_owned()))
        }
        None if upload.fields.has("remove_logo") => Ok(LogoChange::Remove),
        None => Ok(LogoChange::Keep),
    }
}

// ---------------------------------------------------------------------------------------------
// The wizard.

pub struct StepView {
    pub number: u8,
    pub label_key: &'static str,
    /// A step already done links back to itself.
    pub href: Option<&'static str>,
    pub current: bool,
}

/// What the wizard's fields show: the draft, or what was just typed, and the errors.
#[derive(Default)]
pub struct WizardForm {
    // Step 1.
    pub name: String,
    pub name_error: String,
    pub logo_error: String,
    /// The draft's logo URL, when it has one.
    pub logo_url: Option<String>,
    // Step 2.
    pub domains: String,
    pub domains_error: String,
    // Step 3.
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub first_name_error: String,
    pub last_name_error: String,
    pub email_error: String,
    pub domain_list: Vec<String>,
}

/// The wizard's page: one template for the four steps.
#[derive(Template)]
#[template(path = "partners/wizard.html", blocks = ["content"])]
struct WizardPage {
    t: Tr,
    shell: Shell,
    step: u8,
    steps: Vec<StepView>,
    remaining: i64,
    form: WizardForm,
}

const STEPS: [(&str, &str); 4] = [
    ("partners-step-info", STEP_INFO),
    ("partners-step-domains", STEP_DOMAINS),
    ("partners-step-admin", STEP_ADMIN),
    ("partners-step-review", STEP_REVIEW),
];

impl WizardPage {
    fn step_of(&self) -> String {
        self.t.t_args(
            "partners-step-of",
            &self.t.args2("step", i64::from(self.step), "count", 4),
        )
    }

    fn title(&self) -> String {
        self.t.t(STEPS[usize::from(self.step.max(1)) - 1].0)
    }

    fn domains_joined(&self) -> String {
        self.form
            .domain_list
            .iter()
            .map(|domain| format!("@{domain}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn full_name(&self) -> String {
        format!("{} {}", self.form.first_name, self.form.last_name)
    }

    fn email_hint(&self) -> String {
        self.t.t1(
            "partners-admin-email-hint",
            "domains",
            self.domains_joined().as_str(),
        )
    }
}

fn steps(current: u8) -> Vec<StepView> {
    STEPS
        .iter()
        .enumerate()
        .map(|(index, (label_key, href))| {
            let number = index as u8 + 1;
            StepView {
                number,
                label_key,
                href: (number < current).then_some(*href),
                current: number == current,
            }
        })
        .collect()
}

/// The first step a draft has not completed (1 to 3), or 4 when it is ready for review.
fn first_open_step(check: &DraftCheck) -> u8 {
    if check.info.is_some() {
        1
    } else if check.domains.is_some() {
        2
    } else if check.admin.is_some() {
        3
    } else {
        4
    }
}

fn draft_logo_url(draft: &Draft) -> Option<String> {
    draft.has_logo().then(|| {
        format!(
            "/partners/new/logo?v={}",
            draft.updated_at.assume_utc().unix_timestamp()
        )
    })
}

/// The page of a step, filled from the draft (what was saved before).
fn wizard_page(step: u8, shell: Shell, t: Tr, remaining: i64, draft: Option<&Draft>) -> WizardPage {
    let mut form = WizardForm::default();
    if let Some(draft) = draft {
        form.name = draft.name.clone();
        form.logo_url = draft_logo_url(draft);
        form.domains = draft.domain_list().join("\n");
        form.domain_list = draft.domain_list();
        form.first_name = draft.admin_first_name.clone();
        form.last_name = draft.admin_last_name.clone();
        form.email = draft.admin_email.clone();
    }
    WizardPage {
        t,
        shell,
        step,
        steps: steps(step),
        remaining,
        form,
    }
}

/// The owner's draft and how many partners they may still register; none left refuses every
/// step (409 with the reason).
async fn wizard_state(
    state: &AppState,
    member: &CurrentMember,
) -> Result<(Option<Draft>, i64), AppError> {
    require_owner(member)?;
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let max = state.settings.max_partners;
    let (draft, remaining) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                partner_registry::find_draft(conn, organization_id, account_id)?,
                partner_registry::remaining(conn, organization_id, max)?,
            ))
        })
        .await?;
    if remaining <= 0 {
        return Err(AppError::Rule(crate::domain::rules::RuleViolation(
            "partners-limit-reached",
        )));
    }
    Ok((draft, remaining))
}

/// Shows a step, or sends the person to the first step their draft has not completed yet.
async fn show_step(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    step: u8,
) -> Result<HttpResponse, AppError> {
    let (draft, remaining) = wizard_state(state, member).await?;
    let open = draft
        .as_ref()
        .map(|draft| first_open_step(&partner_registry::check_draft(draft)))
        .unwrap_or(1);
    if step > open {
        return Ok(htmx::see_other(req, STEPS[usize::from(open) - 1].1));
    }
    let t = member.ctx.tr();
    let mut page = wizard_page(
        step,
        shell(state, member).await?,
        t,
        remaining,
        draft.as_ref(),
    );
    // Step 3 says at once when what was saved no longer fits (the domains changed since).
    if step == 3
        && let Some(draft) = &draft
        && !draft.admin_email.is_empty()
        && let Err(errors) = partner_registry::parse_admin(
            &draft.admin_first_name,
            &draft.admin_last_name,
            &draft.admin_email,
            &draft.domain_list(),
        )
    {
        admin_errors(&mut page, &errors);
    }
    htmx::render(req, &page, |page| page.as_content())
}

fn admin_errors(page: &mut WizardPage, errors: &AdminErrors) {
    let t = page.t;
    let domains = page.domains_joined();
    let message = |key: Option<&'static str>| {
        key.map(|key| t.t1(key, "domains", domains.as_str()))
            .unwrap_or_default()
    };
    page.form.first_name_error = message(errors.first_name);
    page.form.last_name_error = message(errors.last_name);
    page.form.email_error = message(errors.email);
}

pub async fn step_info(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
) -> Result<HttpResponse, AppError> {
    show_step(&req, &state, &member, 1).await
}

pub async fn step_domains(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
) -> Result<HttpResponse, AppError> {
    show_step(&req, &state, &member, 2).await
}

pub async fn step_admin(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
) -> Result<HttpResponse, AppError> {
    show_step(&req, &state, &member, 3).await
}

pub async fn review(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
) -> Result<HttpResponse, AppError> {
    show_step(&req, &state, &member, 4).await
}

pub async fn save_info(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let (_, remaining) = wizard_state(&state, &member).await?;
    let mut upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(err) => return err.response(),
    };
    let t = member.ctx.tr();
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let typed = upload.fields.text("name").to_owned();
    let name = match partner_registry::parse_partner_name(&typed) {
        Ok(name) => {
            let candidate = name.clone();
            let taken = state
                .db(move |conn| {
                    partner_registry::name_taken(conn, organization_id, &candidate, None)
                })
                .await?;
            if taken {
                Err("partners-name-taken")
            } else {
                Ok(name)
            }
        }
        Err(key) => Err(key),
    };
    let logo = logo_change(&mut upload);
    let at = state.now();
    match (name, logo) {
        (Ok(name), Ok(logo)) => {
            state
                .write(move |conn| {
                    partner_registry::save_draft_info(
                        conn,
                        organization_id,
                        account_id,
                        Some(&name),
                        &logo,
                        at,
                    )
                })
                .await?;
            Ok(htmx::see_other(&req, STEP_DOMAINS))
        }
        (name, logo) => {
            // A good new logo is kept in the draft, so it need not be chosen again.
            let keep = matches!(logo, Ok(LogoChange::Replace(..)));
            let logo_error = logo.as_ref().err().map(|key| t.t(key)).unwrap_or_default();
            let draft = state
                .write(move |conn| {
                    if let Ok(logo) = logo.as_ref()
                        && keep
                    {
                        partner_registry::save_draft_info(
                            conn,
                            organization_id,
                            account_id,
                            None,
                            logo,
                            at,
                        )?;
                    }
                    partner_registry::find_draft(conn, organization_id, account_id)
                })
                .await?;
            let mut page = wizard_page(
                1,
                shell(&state, &member).await?,
                t,
                remaining,
                draft.as_ref(),
            );
            page.form.name = typed;
            page.form.name_error = name.err().map(|key| t.t(key)).unwrap_or_default();
            page.form.logo_error = logo_error;
            htmx::render_with_status(&req, StatusCode::UNPROCESSABLE_ENTITY, &page, |page| {
                page.as_content()
            })
        }
    }
}

pub async fn save_domains(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let (draft, remaining) = wizard_state(&state, &member).await?;
    // Without a draft the person starts at step 1.
    let Some(draft) = draft else {
        return Ok(htmx::see_other(&req, STEP_INFO));
    };
    let t = member.ctx.tr();
    let typed = form.text("domains").to_owned();
    match partner_registry::parse_domains(&typed) {
        Ok(domains) => {
            let (id, at) = (draft.id, state.now());
            state
                .write(move |conn| partner_registry::save_draft_domains(conn, id, &domains, at))
                .await?;
            Ok(htmx::see_other(&req, STEP_ADMIN))
        }
        Err(problem) => {
            let mut page =
                wizard_page(2, shell(&state, &member).await?, t, remaining, Some(&draft));
            page.form.domains = typed;
            page.form.domains_error = match &problem {
                partner_registry::DomainsProblem::Invalid(piece) => {
                    t.t1(problem.message_key(), "domain", piece.as_str())
                }
                _ => t.t1(
                    problem.message_key(),
                    "count",
                    partner_registry::MAX_DOMAINS as i64,
                ),
            };
            htmx::render_with_status(&req, StatusCode::UNPROCESSABLE_ENTITY, &page, |page| {
                page.as_content()
            })
        }
    }
}

pub async fn save_admin(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let (draft, remaining) = wizard_state(&state, &member).await?;
    // Without a draft the person starts at step 1.
    let Some(draft) = draft else {
        return Ok(htmx::see_other(&req, STEP_INFO));
    };
    let (first_name, last_name, email) = (
        form.text("first_name").to_owned(),
        form.text("last_name").to_owned(),
        form.text("email").to_owned(),
    );
    match partner_registry::parse_admin(&first_name, &last_name, &email, &draft.domain_list()) {
        Ok(admin) => {
            let (id, at) = (draft.id, state.now());
            state
                .write(move |conn| {
                    partner_registry::save_draft_admin(
                        conn,
                        id,
                        &admin.first_name,
                        &admin.last_name,
                        admin.email.as_str(),
                        at,
                    )
                })
                .await?;
            Ok(htmx::see_other(&req, STEP_REVIEW))
        }
        Err(errors) => {
            let mut page = wizard_page(
                3,
                shell(&state, &member).await?,
                member.ctx.tr(),
                remaining,
                Some(&draft),
            );
            page.form.first_name = first_name;
            page.form.last_name = last_name;
            page.form.email = email;
            admin_errors(&mut page, &errors);
            htmx::render_with_status(&req, StatusCode::UNPROCESSABLE_ENTITY, &page, |page| {
                page.as_content()
            })
        }
    }
}

pub async fn cancel(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    state
        .write(move |conn| partner_registry::delete_drafts(conn, organization_id, account_id))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        LIST,
        "partners-flash-cancelled",
    ))
}

pub async fn draft_logo(
    state: web::Data<AppState>,
    Owner(member): Owner,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (bytes, content_type) = state
        .db(move |conn| partner_registry::draft_logo(conn, organization_id, account_id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(image(bytes, content_type))
}

/// "Add partner": registers everything the draft holds.
pub async fn add_partner(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let actor = member.actor(state.now());
    let settings = state.settings.clone();
    let inviter_name = member.account.name.clone();
    let language = inviter_language(&member);
    let outcome = state
        .db(move |conn| {
            Ok::<_, AppError>(write_transaction(conn, |conn| {
                let inviter = Inviter {
                    name: &inviter_name,
                    language,
                };
                partner_registry::register(
                    conn,
                    organization_id,
                    account_id,
                    settings.max_partners,
                    &inviter,
                    &settings,
                    &actor,
                )
            }))
        })
        .await?;
    match outcome {
        // No draft (cancelled, or added already in another tab): start over.
        Err(DomainError::NotFound) => Ok(htmx::see_other(&req, STEP_INFO)),
        Ok(registered) => {
            state.outbox_wake.notify_one();
            let flash = if registered.invited {
                "partners-flash-registered-invited"
            } else {
                "partners-flash-registered-active"
            };
            Ok(htmx::see_other_with_flash(
                &req,
                &state.settings,
                &format!("/partners/{}", registered.partnership_id),
                flash,
            ))
        }
        Err(DomainError::Rule(violation))
            if violation.message_key() == "partners-limit-reached" =>
        {
            Err(AppError::Rule(violation))
        }
        Err(DomainError::Rule(violation)) => {
            // Something no longer holds (a name taken meanwhile, an email refused by the
            // partner's rules): back to the first step, which says why.
            Ok(htmx::see_other_with_error(
                &req,
                &state.settings,
                STEP_INFO,
                violation.message_key(),
            ))
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// A partner's settings.

pub struct Choice {
    pub id: i64,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

pub struct EnvironmentChoices {
    pub id: i64,
    pub name: String,
    pub apis: Vec<Choice>,
}

/// What each settings form shows: what was typed and its errors, or what is stored.
#[derive(Default)]
struct SettingsForms {
    name: Option<String>,
    name_error: String,
    logo_error: String,
    domains: Option<String>,
    domains_error: String,
    first_name: String,
    last_name: String,
    email: String,
    first_name_error: String,
    last_name_error: String,
    email_error: String,
}

#[derive(Template)]
#[template(path = "partners/settings.html", blocks = ["content"])]
struct SettingsPage {
    t: Tr,
    shell: Shell,
    partner: PartnerView,
    partner_name: String,
    name_error: String,
    logo_error: String,
    domains: String,
    domains_error: String,
    first_name: String,
    last_name: String,
    email: String,
    first_name_error: String,
    last_name_error: String,
    email_error: String,
    groups: Vec<Choice>,
    environments: Vec<EnvironmentChoices>,
}

impl SettingsPage {
    fn email_hint(&self) -> String {
        let domains = self
            .partner
            .domains
            .iter()
            .map(|domain| format!("@{domain}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.t
            .t1("partners-admin-email-hint", "domains", domains.as_str())
    }
}

async fn settings_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    id: i64,
    forms: SettingsForms,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let organization_id = member.organization_id();
    let (partner, groups, apis, members, (linked_apis, linked_groups)) = state
        .db(move |conn| {
            let partner = partner_registry::details(conn, organization_id, id)?;
            let groups = api_catalog::list_groups(conn, organization_id)?;
            let group_ids: Vec<i64> = groups.iter().map(|group| group.id).collect();
            Ok::<_, DomainError>((
                partner,
                groups,
                api_catalog::list_apis(conn, organization_id)?,
                api_catalog::group_members(conn, &group_ids)?,
                partner_registry::links(conn, id)?,
            ))
        })
        .await?;
    let t = member.ctx.tr();
    let groups = groups
        .into_iter()
        .map(|group| Choice {
            checked: linked_groups.contains(&group.id),
            hint: t.t1(
                "partners-group-apis",
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
            checked: linked_apis.contains(&listed.api.id),
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
    let stored_domains = partner.domains.join("\n");
    let stored_name = partner.name.clone();
    let page = SettingsPage {
        t,
        shell: shell(state, member).await?,
        partner: partner_view(&Viewer::of(&member.ctx), partner),
        partner_name: forms.name.unwrap_or(stored_name),
        name_error: forms.name_error,
        logo_error: forms.logo_error,
        domains: forms.domains.unwrap_or(stored_domains),
        domains_error: forms.domains_error,
        first_name: forms.first_name,
        last_name: forms.last_name,
        email: forms.email,
        first_name_error: forms.first_name_error,
        last_name_error: forms.last_name_error,
        email_error: forms.email_error,
        groups,
        environments,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    settings_page(
        &req,
        &state,
        &member,
        id.into_inner(),
        SettingsForms::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn logo(
    state: web::Data<AppState>,
    Owner(member): Owner,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (organization_id, id) = (member.organization_id(), id.into_inner());
    let (bytes, content_type) = state
        .db(move |conn| partner_registry::logo(conn, organization_id, id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(image(bytes, content_type))
}

/// The partner, when the client may still change it: another organization's id is not found,
/// and a deactivated partner is read-only (409 with the reason).
async fn writable_partner(
    state: &AppState,
    member: &CurrentMember,
    id: i64,
) -> Result<PartnerSummary, AppError> {
    require_owner(member)?;
    let organization_id = member.organization_id();
    let partner = state
        .db(move |conn| partner_registry::details(conn, organization_id, id))
        .await?;
    if partner.deactivated() {
        return Err(AppError::Rule(crate::domain::rules::RuleViolation(
            "partners-deactivated-read-only",
        )));
    }
    Ok(partner)
}

fn section(id: i64, anchor: &str) -> String {
    format!("/partners/{id}#{anchor}")
}

pub async fn update_info(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
    id: web::Path<i64>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    writable_partner(&state, &member, id).await?;
    let mut upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(err) => return err.response(),
    };
    let t = member.ctx.tr();
    let organization_id = member.organization_id();
    let typed = upload.fields.text("name").to_owned();
    let name = partner_registry::parse_partner_name(&typed);
    let logo = logo_change(&mut upload);
    let (name, logo) = match (name, logo) {
        (Ok(name), Ok(logo)) => (name, logo),
        (name, logo) => {
            let forms = SettingsForms {
                name: Some(typed),
                name_error: name.err().map(|key| t.t(key)).unwrap_or_default(),
                logo_error: logo.err().map(|key| t.t(key)).unwrap_or_default(),
                ..SettingsForms::default()
            };
            return settings_page(
                &req,
                &state,
                &member,
                id,
                forms,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let actor = member.actor(state.now());
    let had_logo = matches!(logo, LogoChange::Replace(..));
    let outcome = state
        .db(move |conn| {
            Ok::<_, AppError>(write_transaction(conn, |conn| {
                partner_registry::update_info(conn, organization_id, id, &name, &logo, &actor)
            }))
        })
        .await?;
    match outcome {
        Ok(()) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            &section(id, "general"),
            "partners-flash-info-saved",
        )),
        Err(DomainError::Rule(violation)) if violation.message_key() == "partners-name-taken" => {
            let forms = SettingsForms {
                name: Some(typed),
                name_error: t.t(violation.message_key()),
                logo_error: if had_logo {
                    t.t("partners-logo-choose-again")
                } else {
                    String::new()
                },
                ..SettingsForms::default()
            };
            settings_page(
                &req,
                &state,
                &member,
                id,
                forms,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn update_domains(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
    id: web::Path<i64>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    writable_partner(&state, &member, id).await?;
    let t = member.ctx.tr();
    let organization_id = member.organization_id();
    let typed = form.text("domains").to_owned();
    let error = match partner_registry::parse_domains(&typed) {
        Ok(domains) => {
            let in_use = {
                let domains = domains.clone();
                state
                    .db(move |conn| {
                        Ok::<_, diesel::result::Error>(
                            partner_registry::domains_in_use(conn, id)?
                                .into_iter()
                                .filter(|domain| !domains.contains(domain))
                                .collect::<Vec<_>>(),
                        )
                    })
                    .await?
            };
            if let Some(domain) = in_use.first() {
                t.t1("partners-domain-in-use", "domain", domain.as_str())
            } else {
                let actor = member.actor(state.now());
                state
                    .write(move |conn| {
                        partner_registry::update_domains(
                            conn,
                            organization_id,
                            id,
                            &domains,
                            &actor,
                        )
                    })
                    .await?;
                return Ok(htmx::see_other_with_flash(
                    &req,
                    &state.settings,
                    &section(id, "domains"),
                    "partners-flash-domains-saved",
                ));
            }
        }
        Err(problem) => match &problem {
            partner_registry::DomainsProblem::Invalid(piece) => {
                t.t1(problem.message_key(), "domain", piece.as_str())
            }
            _ => t.t1(
                problem.message_key(),
                "count",
                partner_registry::MAX_DOMAINS as i64,
            ),
        },
    };
    let forms = SettingsForms {
        domains: Some(typed),
        domains_error: error,
        ..SettingsForms::default()
    };
    settings_page(
        &req,
        &state,
        &member,
        id,
        forms,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn change_admin(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
    id: web::Path<i64>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let partner = writable_partner(&state, &member, id).await?;
    let t = member.ctx.tr();
    let (first_name, last_name, email) = (
        form.text("first_name").to_owned(),
        form.text("last_name").to_owned(),
        form.text("email").to_owned(),
    );
    let domains = partner
        .domains
        .iter()
        .map(|domain| format!("@{domain}"))
        .collect::<Vec<_>>()
        .join(", ");
    let message = |key: &'static str| t.t1(key, "domains", domains.as_str());
    let errors_page = |errors: AdminErrors| SettingsForms {
        first_name: first_name.clone(),
        last_name: last_name.clone(),
        email: email.clone(),
        first_name_error: errors.first_name.map(message).unwrap_or_default(),
        last_name_error: errors.last_name.map(message).unwrap_or_default(),
        email_error: errors.email.map(message).unwrap_or_default(),
        ..SettingsForms::default()
    };
    let admin =
        match partner_registry::parse_admin(&first_name, &last_name, &email, &partner.domains) {
            Ok(admin) => admin,
            Err(errors) => {
                return settings_page(
                    &req,
                    &state,
                    &member,
                    id,
                    errors_page(errors),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        };
    let organization_id = member.organization_id();
    let actor = member.actor(state.now());
    let settings = state.settings.clone();
    let inviter_name = member.account.name.clone();
    let language = inviter_language(&member);
    let outcome = state
        .db(move |conn| {
            Ok::<_, AppError>(write_transaction(
                conn,
                |conn| -> DomainResult<AdminChange> {
                    let inviter = Inviter {
                        name: &inviter_name,
                        language,
                    };
                    partner_registry::change_admin(
                        conn,
                        organization_id,
                        id,
                        &admin,
                        &inviter,
                        &settings,
                        &actor,
                    )
                },
            ))
        })
        .await?;
    match outcome {
        Ok(change) => {
            state.outbox_wake.notify_one();
            let flash = match change {
                AdminChange::Invited => "partners-flash-admin-invited",
                AdminChange::Applied => "partners-flash-admin-changed",
            };
            Ok(htmx::see_other_with_flash(
                &req,
                &state.settings,
                &section(id, "admin"),
                flash,
            ))
        }
        Err(DomainError::Rule(violation)) => {
            let errors = AdminErrors {
                email: Some(violation.message_key()),
                ..AdminErrors::default()
            };
            settings_page(
                &req,
                &state,
                &member,
                id,
                errors_page(errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn resend_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    writable_partner(&state, &member, id).await?;
    let organization_id = member.organization_id();
    let actor = member.actor(state.now());
    let settings = state.settings.clone();
    let inviter_name = member.account.name.clone();
    let language = inviter_language(&member);
    state
        .write(move |conn| {
            let inviter = Inviter {
                name: &inviter_name,
                language,
            };
            partner_registry::resend_admin_invitation(
                conn,
                organization_id,
                id,
                &inviter,
                &settings,
                &actor,
            )
        })
        .await?;
    state.outbox_wake.notify_one();
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        &section(id, "admin"),
        "partners-flash-invitation-resent",
    ))
}

pub async fn save_links(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
    id: web::Path<i64>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    writable_partner(&state, &member, id).await?;
    let organization_id = member.organization_id();
    let api_ids = form.ids("api")?;
    let group_ids = form.ids("group")?;
    let actor = member.actor(state.now());
    state
        .write(move |conn| {
            partner_registry::set_links(conn, organization_id, id, &api_ids, &group_ids, &actor)
        })
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        &section(id, "apis"),
        "partners-flash-apis-saved",
    ))
}

// ---------------------------------------------------------------------------------------------
// Deactivating.

#[derive(Template)]
#[template(path = "partners/deactivate.html", blocks = ["content"])]
struct DeactivatePage {
    t: Tr,
    shell: Shell,
    partner: PartnerView,
    linked: LinkedNames,
    word: &'static str,
    error: String,
}

async fn deactivate_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    partner: PartnerSummary,
    error: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let id = partner.id;
    let linked = state
        .db(move |conn| partner_registry::linked_names(conn, id))
        .await?;
    let page = DeactivatePage {
        t: member.ctx.tr(),
        shell: shell(state, member).await?,
        partner: partner_view(&Viewer::of(&member.ctx), partner),
        linked,
        word: DEACTIVATE_WORD,
        error,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn confirm_deactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let partner = writable_partner(&state, &member, id).await?;
    deactivate_page(
        &req,
        &state,
        &member,
        partner,
        String::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn deactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    Owner(member): Owner,
    id: web::Path<i64>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let partner = writable_partner(&state, &member, id).await?;
    let (organization_id, partner_id) = (member.organization_id(), partner.id);
    let linked = state
        .db(move |conn| partner_registry::linked_names(conn, partner_id))
        .await?;
    if !linked.is_empty() {
        // The page names what is still linked.
        return deactivate_page(
            &req,
            &state,
            &member,
            partner,
            String::new(),
            StatusCode::CONFLICT,
        )
        .await;
    }
    if form.text("confirm").trim() != DEACTIVATE_WORD {
        let error = member
            .ctx
            .tr()
            .t1("confirm-word-mismatch", "word", DEACTIVATE_WORD);
        return deactivate_page(
            &req,
            &state,
            &member,
            partner,
            error,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let actor = member.actor(state.now());
    state
        .write(move |conn| partner_registry::deactivate(conn, organization_id, id, &actor))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        LIST,
        "partners-flash-deactivated",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stepper_links_back_to_the_steps_done() {
        let view = steps(3);
        assert_eq!(view.len(), 4);
        assert_eq!(view[0].href, Some(STEP_INFO));
        assert_eq!(view[1].href, Some(STEP_DOMAINS));
        assert!(view[2].current && view[2].href.is_none());
        assert!(view[3].href.is_none());
    }

    #[test]
    fn partners_without_a_logo_show_their_initials() {
        assert_eq!(initials("acme corporation ltd"), "AC");
        assert_eq!(initials("Ünïcode"), "Ü");
    }
}
