//! The Partners page (the organization's owner only): the partner companies the organization
//! registered, the registration wizard (partner info, email domains, partner admin, review),
//! each partner's settings (general information, domains, partner admin, linked APIs) and
//! deactivation, which asks for a typed word and cannot be undone.
//!
//! The wizard keeps what was typed in a server-side draft (`partner_drafts`), the logo too, so
//! going back and forth loses nothing. Forms with a logo are multipart; the session layer has
//! already checked their CSRF token, and `upload::FileForm::read` reads them with a limit per
//! field and in total.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::app::access::Owner;
use crate::app::partners;
use crate::domain::api_catalog;
use crate::domain::partner_draft::{self, Draft, DraftCheck};
use crate::domain::partner_input::{self, AdminErrors, LogoChange};
use crate::domain::partner_registry::{self, AdminChange, LinkedNames, PartnerSummary, Person};
use crate::domain::partnership::PartnershipStatus;
use crate::domain::rules::DomainError;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::i18n::format::Viewer;
use crate::state::AppState;
use crate::web::apis::{EnvironmentApis, api_label, per_environment};
use crate::web::confirm::{self, Prompt};
use crate::web::context::{CurrentMember, Guarded};
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};
use crate::web::roles::shell;
use crate::web::upload::{FileForm, UploadError};

/// The word typed to confirm a deactivation.
pub const DEACTIVATE_WORD: crate::web::confirm::ConfirmWord =
    crate::web::confirm::ConfirmWord::Deactivate;

const LIST: &str = "/partners";
const STEP_INFO: &str = "/partners/new";
const STEP_DOMAINS: &str = "/partners/new/domains";
const STEP_ADMIN: &str = "/partners/new/admin";
const STEP_REVIEW: &str = "/partners/new/review";

/// The partner info forms (wizard step 1 and General): their file input is the logo.
const LOGO_FORM: FileForm = FileForm {
    file_field: "logo",
    file_limit: partner_input::MAX_LOGO_BYTES,
    max_parts: 16,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(LIST, web::get().to(list))
        .route(LIST, web::post().to(add_partner))
        .route(STEP_INFO, web::get().to(step::<1>))
        .route(STEP_INFO, web::post().to(save_info))
        .route("/partners/new/logo", web::get().to(draft_logo))
        .route(STEP_DOMAINS, web::get().to(step::<2>))
        .route(STEP_DOMAINS, web::post().to(save_domains))
        .route(STEP_ADMIN, web::get().to(step::<3>))
        .route(STEP_ADMIN, web::post().to(save_admin))
        .route(STEP_REVIEW, web::get().to(step::<4>))
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

/// An image answer: the stored bytes with their stored type, cached by this browser only; 404
/// when there is none.
fn image(stored: Option<(Vec<u8>, String)>) -> Result<HttpResponse, AppError> {
    let (bytes, content_type) = stored.ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "private, max-age=86400"))
        .body(bytes))
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
    member: Guarded<Owner>,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let max = state.settings.max_partners;
    let (partners, remaining, draft) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                partner_registry::list(conn, organization_id)?,
                partner_registry::remaining(conn, organization_id, max)?,
                partner_draft::find_draft(conn, organization_id, account_id)?,
            ))
        })
        .await?;
    let viewer = member.ctx.viewer();
    let page = ListPage {
        t: member.ctx.tr(),
        shell: shell(&state, &member, NavPage::Partners).await?,
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
// The partner info form (wizard step 1 and General): a name and a logo, multipart.

/// The partner info form as sent: the name as typed and checked, and what it asks for the logo.
/// Err is the message key of a refusal.
struct InfoForm {
    typed: String,
    name: Result<String, &'static str>,
    logo: Result<LogoChange, &'static str>,
}

impl InfoForm {
    async fn read(multipart: Multipart) -> Result<Self, UploadError> {
        let upload = LOGO_FORM.read(multipart).await?;
        let typed = upload.fields.text("name").to_owned();
        // A checked new logo, its removal, or nothing.
        let logo = match upload.file {
            Some(logo) if logo.too_large => Err("partners-logo-too-large"),
            Some(logo) => partner_input::check_logo(&logo.bytes)
                .map(|content_type| LogoChange::Replace(logo.bytes, content_type.to_owned())),
            None if upload.fields.has("remove_logo") => Ok(LogoChange::Remove),
            None => Ok(LogoChange::Keep),
        };
        Ok(Self {
            name: partner_input::parse_partner_name(&typed),
            typed,
            logo,
        })
    }
}

/// The message of a refusal, "" when there is none.
fn refusal_text<T>(t: Tr, checked: &Result<T, &'static str>) -> String {
    checked
        .as_ref()
        .err()
        .map(|key| t.t(key))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// What the wizard and the settings say alike.

/// The partner's domains as they appear in addresses: `@a.example, @b.example`.
fn at_domains(domains: &[String]) -> String {
    domains
        .iter()
        .map(|domain| format!("@{domain}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The hint under a partner admin's email: the domains it must be in.
fn admin_email_hint(t: Tr, domains: &[String]) -> String {
    t.t1(
        "partners-admin-email-hint",
        "domains",
        at_domains(domains).as_str(),
    )
}

/// The messages of a partner admin form's mistakes (first name, last name, email); they may
/// name the domains the email must be in.
fn admin_messages(t: Tr, domains: &[String], errors: &AdminErrors) -> (String, String, String) {
    let domains = at_domains(domains);
    let message = |key: Option<&'static str>| {
        key.map(|key| t.t1(key, "domains", domains.as_str()))
            .unwrap_or_default()
    };
    (
        message(errors.first_name),
        message(errors.last_name),
        message(errors.email),
    )
}

/// A partner admin form as typed: first name, last name, email.
fn typed_admin(form: &FormFields) -> (String, String, String) {
    (
        form.text("first_name").to_owned(),
        form.text("last_name").to_owned(),
        form.text("email").to_owned(),
    )
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
            &self.t.args2("step", i64::from(self.step), "count", 4_i64),
        )
    }

    fn title(&self) -> String {
        self.t.t(STEPS[usize::from(self.step.max(1)) - 1].0)
    }

    fn full_name(&self) -> String {
        format!("{} {}", self.form.first_name, self.form.last_name)
    }

    fn email_hint(&self) -> String {
        admin_email_hint(self.t, &self.form.domain_list)
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
    member: &Guarded<Owner>,
) -> Result<(Option<Draft>, i64), AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let max = state.settings.max_partners;
    let (draft, remaining) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                partner_draft::find_draft(conn, organization_id, account_id)?,
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

/// Shows step `STEP` (1 to 4, as in `STEPS`), or sends the person to the first step their draft
/// has not completed yet.
pub async fn step<const STEP: u8>(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
) -> Result<HttpResponse, AppError> {
    let (draft, remaining) = wizard_state(&state, &member).await?;
    let open = draft
        .as_ref()
        .map(|draft| first_open_step(&partner_draft::check_draft(draft)))
        .unwrap_or(1);
    if STEP > open {
        return Ok(htmx::see_other(&req, STEPS[usize::from(open) - 1].1));
    }
    let t = member.ctx.tr();
    let mut page = wizard_page(
        STEP,
        shell(&state, &member, NavPage::Partners).await?,
        t,
        remaining,
        draft.as_ref(),
    );
    // Step 3 says at once when what was saved no longer fits (the domains changed since).
    if STEP == 3
        && let Some(draft) = &draft
        && !draft.admin_email.is_empty()
        && let Err(errors) = partner_input::parse_admin(
            &draft.admin_first_name,
            &draft.admin_last_name,
            &draft.admin_email,
            &draft.domain_list(),
        )
    {
        admin_errors(&mut page, &errors);
    }
    htmx::render(&req, &page, |page| page.as_content())
}

fn admin_errors(page: &mut WizardPage, errors: &AdminErrors) {
    (
        page.form.first_name_error,
        page.form.last_name_error,
        page.form.email_error,
    ) = admin_messages(page.t, &page.form.domain_list, errors);
}

/// A step again with what was typed and its mistakes: 422.
fn wizard_refused(req: &HttpRequest, page: &WizardPage) -> Result<HttpResponse, AppError> {
    htmx::render_with_status(req, StatusCode::UNPROCESSABLE_ENTITY, page, |page| {
        page.as_content()
    })
}

pub async fn save_info(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let (_, remaining) = wizard_state(&state, &member).await?;
    let info = match InfoForm::read(multipart).await {
        Ok(info) => info,
        Err(err) => return err.response(),
    };
    let t = member.ctx.tr();
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let name = match info.name {
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
    let by = member.acting(state.now());
    match (name, info.logo) {
        (Ok(name), Ok(logo)) => {
            state
                .db(move |conn| partners::save_draft_info(&by, Some(&name), &logo, conn))
                .await?;
            Ok(htmx::see_other(&req, STEP_DOMAINS))
        }
        (name, logo) => {
            // A good new logo is kept in the draft, so it need not be chosen again.
            let keep = matches!(logo, Ok(LogoChange::Replace(..)));
            let logo_error = refusal_text(t, &logo);
            if let Ok(logo) = logo
                && keep
            {
                let by = by.clone();
                state
                    .db(move |conn| partners::save_draft_info(&by, None, &logo, conn))
                    .await?;
            }
            let draft = state
                .db(move |conn| partner_draft::find_draft(conn, organization_id, account_id))
                .await?;
            let mut page = wizard_page(
                1,
                shell(&state, &member, NavPage::Partners).await?,
                t,
                remaining,
                draft.as_ref(),
            );
            page.form.name = info.typed;
            page.form.name_error = refusal_text(t, &name);
            page.form.logo_error = logo_error;
            wizard_refused(&req, &page)
        }
    }
}

pub async fn save_domains(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let (draft, remaining) = wizard_state(&state, &member).await?;
    // Without a draft the person starts at step 1.
    let Some(draft) = draft else {
        return Ok(htmx::see_other(&req, STEP_INFO));
    };
    let t = member.ctx.tr();
    let typed = form.text("domains").to_owned();
    match partner_input::parse_domains(&typed) {
        Ok(domains) => {
            let by = member.acting(state.now());
            state
                .db(move |conn| partners::save_draft_domains(&by, &domains, conn))
                .await?;
            Ok(htmx::see_other(&req, STEP_ADMIN))
        }
        Err(problem) => {
            let mut page = wizard_page(
                2,
                shell(&state, &member, NavPage::Partners).await?,
                t,
                remaining,
                Some(&draft),
            );
            page.form.domains = typed;
            page.form.domains_error = problem.message(t);
            wizard_refused(&req, &page)
        }
    }
}

pub async fn save_admin(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let (draft, remaining) = wizard_state(&state, &member).await?;
    // Without a draft the person starts at step 1.
    let Some(draft) = draft else {
        return Ok(htmx::see_other(&req, STEP_INFO));
    };
    let (first_name, last_name, email) = typed_admin(&form);
    match partner_input::parse_admin(&first_name, &last_name, &email, &draft.domain_list()) {
        Ok(admin) => {
            let by = member.acting(state.now());
            state
                .db(move |conn| partners::save_draft_admin(&by, &admin, conn))
                .await?;
            Ok(htmx::see_other(&req, STEP_REVIEW))
        }
        Err(errors) => {
            let mut page = wizard_page(
                3,
                shell(&state, &member, NavPage::Partners).await?,
                member.ctx.tr(),
                remaining,
                Some(&draft),
            );
            page.form.first_name = first_name;
            page.form.last_name = last_name;
            page.form.email = email;
            admin_errors(&mut page, &errors);
            wizard_refused(&req, &page)
        }
    }
}

pub async fn cancel(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
) -> Result<HttpResponse, AppError> {
    let by = member.acting(state.now());
    state
        .db(move |conn| partners::cancel_registration(&by, conn))
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
    member: Guarded<Owner>,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let stored = state
        .db(move |conn| partner_draft::draft_logo(conn, organization_id, account_id))
        .await?;
    image(stored)
}

/// "Add partner": registers everything the draft holds.
pub async fn add_partner(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
) -> Result<HttpResponse, AppError> {
    let (by, settings) = (member.acting(state.now()), state.settings.clone());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(partners::register(&by, &settings, conn)))
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
    environments: Vec<EnvironmentApis<Choice>>,
}

impl SettingsPage {
    fn email_hint(&self) -> String {
        admin_email_hint(self.t, &self.partner.domains)
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
    let environments = per_environment(apis, |api| Choice {
        checked: linked_apis.contains(&api.id),
        id: api.id,
        label: api_label(&api),
        hint: api.description,
    });
    let stored_domains = partner.domains.join("\n");
    let stored_name = partner.name.clone();
    let page = SettingsPage {
        t,
        shell: shell(state, member, NavPage::Partners).await?,
        partner: partner_view(&member.ctx.viewer(), partner),
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

/// The settings page again with what one form sent and its mistakes: 422.
async fn settings_refused(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    id: i64,
    forms: SettingsForms,
) -> Result<HttpResponse, AppError> {
    settings_page(
        req,
        state,
        member,
        id,
        forms,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
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
    member: Guarded<Owner>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (organization_id, id) = (member.organization_id(), id.into_inner());
    let stored = state
        .db(move |conn| partner_registry::logo(conn, organization_id, id))
        .await?;
    image(stored)
}

/// The partner, when the client may still change it: another organization's id is not found,
/// and a deactivated partner is read-only (409 with the reason).
async fn writable_partner(
    state: &AppState,
    member: &Guarded<Owner>,
    id: i64,
) -> Result<PartnerSummary, AppError> {
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
    member: Guarded<Owner>,
    id: web::Path<i64>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    writable_partner(&state, &member, id).await?;
    let info = match InfoForm::read(multipart).await {
        Ok(info) => info,
        Err(err) => return err.response(),
    };
    let t = member.ctx.tr();
    let (name_error, logo_error) = match (info.name, info.logo) {
        (Ok(name), Ok(logo)) => {
            let by = member.acting(state.now());
            let had_logo = matches!(logo, LogoChange::Replace(..));
            let outcome = state
                .db(move |conn| {
                    Ok::<_, AppError>(partners::update_info(&by, id, &name, &logo, conn))
                })
                .await?;
            match outcome {
                Ok(()) => {
                    return Ok(htmx::see_other_with_flash(
                        &req,
                        &state.settings,
                        &section(id, "general"),
                        "partners-flash-info-saved",
                    ));
                }
                Err(DomainError::Rule(violation))
                    if violation.message_key() == "partners-name-taken" =>
                {
                    // A browser cannot keep a chosen file across pages: say so when it was fine.
                    let logo_error = if had_logo {
                        t.t("partners-logo-choose-again")
                    } else {
                        String::new()
                    };
                    (t.t(violation.message_key()), logo_error)
                }
                Err(other) => return Err(other.into()),
            }
        }
        (name, logo) => (refusal_text(t, &name), refusal_text(t, &logo)),
    };
    let forms = SettingsForms {
        name: Some(info.typed),
        name_error,
        logo_error,
        ..SettingsForms::default()
    };
    settings_refused(&req, &state, &member, id, forms).await
}

pub async fn update_domains(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
    id: web::Path<i64>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    writable_partner(&state, &member, id).await?;
    let t = member.ctx.tr();
    let typed = form.text("domains").to_owned();
    let error = match partner_input::parse_domains(&typed) {
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
                let by = member.acting(state.now());
                state
                    .db(move |conn| partners::update_domains(&by, id, &domains, conn))
                    .await?;
                return Ok(htmx::see_other_with_flash(
                    &req,
                    &state.settings,
                    &section(id, "domains"),
                    "partners-flash-domains-saved",
                ));
            }
        }
        Err(problem) => problem.message(t),
    };
    let forms = SettingsForms {
        domains: Some(typed),
        domains_error: error,
        ..SettingsForms::default()
    };
    settings_refused(&req, &state, &member, id, forms).await
}

pub async fn change_admin(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
    id: web::Path<i64>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let partner = writable_partner(&state, &member, id).await?;
    let (first_name, last_name, email) = typed_admin(&form);
    let errors = match partner_input::parse_admin(&first_name, &last_name, &email, &partner.domains)
    {
        Err(errors) => errors,
        Ok(admin) => {
            let (by, settings) = (member.acting(state.now()), state.settings.clone());
            let outcome = state
                .db(move |conn| {
                    Ok::<_, AppError>(partners::change_admin(&by, id, &admin, &settings, conn))
                })
                .await?;
            match outcome {
                Ok(change) => {
                    state.outbox_wake.notify_one();
                    let flash = match change {
                        AdminChange::Invited => "partners-flash-admin-invited",
                        AdminChange::Applied => "partners-flash-admin-changed",
                    };
                    return Ok(htmx::see_other_with_flash(
                        &req,
                        &state.settings,
                        &section(id, "admin"),
                        flash,
                    ));
                }
                Err(DomainError::Rule(violation)) => AdminErrors {
                    email: Some(violation.message_key()),
                    ..AdminErrors::default()
                },
                Err(other) => return Err(other.into()),
            }
        }
    };
    let (first_name_error, last_name_error, email_error) =
        admin_messages(member.ctx.tr(), &partner.domains, &errors);
    let forms = SettingsForms {
        first_name,
        last_name,
        email,
        first_name_error,
        last_name_error,
        email_error,
        ..SettingsForms::default()
    };
    settings_refused(&req, &state, &member, id, forms).await
}

pub async fn resend_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    writable_partner(&state, &member, id).await?;
    let (by, settings) = (member.acting(state.now()), state.settings.clone());
    state
        .db(move |conn| partners::resend_admin_invitation(&by, id, &settings, conn))
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
    member: Guarded<Owner>,
    id: web::Path<i64>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    writable_partner(&state, &member, id).await?;
    let api_ids = form.ids("api")?;
    let group_ids = form.ids("group")?;
    let by = member.acting(state.now());
    state
        .db(move |conn| partners::set_links(&by, id, &api_ids, &group_ids, conn))
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
    confirm: Prompt,
}

async fn deactivate_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    partner: PartnerSummary,
    confirm: Prompt,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let id = partner.id;
    let linked = state
        .db(move |conn| partner_registry::linked_names(conn, id))
        .await?;
    let page = DeactivatePage {
        t: member.ctx.tr(),
        shell: shell(state, member, NavPage::Partners).await?,
        partner: partner_view(&member.ctx.viewer(), partner),
        linked,
        confirm,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn confirm_deactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let partner = writable_partner(&state, &member, id).await?;
    deactivate_page(
        &req,
        &state,
        &member,
        partner,
        Prompt::new(member.ctx.tr(), DEACTIVATE_WORD),
        StatusCode::OK,
    )
    .await
}

pub async fn deactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Owner>,
    id: web::Path<i64>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let partner = writable_partner(&state, &member, id).await?;
    let partner_id = partner.id;
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
            Prompt::new(member.ctx.tr(), DEACTIVATE_WORD),
            StatusCode::CONFLICT,
        )
        .await;
    }
    if let Err(prompt) = confirm::typed_word(member.ctx.tr(), &form, DEACTIVATE_WORD) {
        let status = prompt.status();
        return deactivate_page(&req, &state, &member, partner, prompt, status).await;
    }
    let by = member.acting(state.now());
    state
        .db(move |conn| partners::deactivate(&by, id, conn))
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
