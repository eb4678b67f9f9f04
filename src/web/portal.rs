//! The API portal: what an external user was granted (and what a member with API Consumer may
//! read), each API's details and OpenAPI operations; and the page an external user's
//! registration link opens.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::app::access::ApiUser;
use crate::app::accounts;
use crate::crypto::password::NewPassword;
use crate::domain::api_catalog::{ApiOperation, ListedApi};
use crate::domain::external_access::expiry_instant;
use crate::domain::external_registration::{
    self, OpenRegistration, Registration, RegistrationProblem,
};
use crate::domain::invitation::LinkProblem;
use crate::domain::portal::{self, PortalSection, Source};
use crate::domain::{account, api_catalog, openapi, organization, policy, profile};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::i18n::format::Viewer;
use crate::state::AppState;
use crate::web::auth::signed_in_redirect;
use crate::web::context::{CurrentAccount, Guarded, RequestContext};
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{AuthShell, NavPage, Shell};

pub const PATH: &str = "/portal";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(PATH, web::get().to(home))
        .route("/portal/gatehouse-api", web::get().to(gatehouse_api))
        .route("/portal/apis/{id}", web::get().to(api_detail))
        .route(
            "/portal/apis/{id}/openapi",
            web::get().to(download_document),
        )
        .route("/portal/register/{token}", web::get().to(registration_page))
        .route("/portal/register/{token}", web::post().to(register));
}

/// An API as a portal list shows it.
struct ApiCard {
    id: i64,
    name: String,
    version: String,
    environment: String,
    description: String,
}

impl From<ListedApi> for ApiCard {
    fn from(listed: ListedApi) -> Self {
        Self {
            id: listed.api.id,
            name: listed.api.name,
            version: listed.api.version,
            environment: listed.environment_name,
            description: listed.api.description,
        }
    }
}

struct GroupCard {
    name: String,
    description: String,
    apis: Vec<ApiCard>,
}

struct SectionView {
    organization_name: String,
    /// How the account came by this section, as a sentence.
    standing: String,
    groups: Vec<GroupCard>,
    apis: Vec<ApiCard>,
}

fn section_view(t: Tr, viewer: &Viewer, section: PortalSection) -> SectionView {
    let standing = match &section.source {
        Source::External {
            expires_on: Some(date),
            zone,
        } => {
            let end = viewer.datetime(expiry_instant(*date, zone));
            t.t1("portal-access-until", "end", end.as_str())
        }
        Source::External {
            expires_on: None, ..
        } => t.t("portal-access-no-end"),
        Source::Member => t.t("portal-access-member"),
        Source::Partner { partner_name } => {
            t.t1("portal-access-partner", "partner", partner_name.as_str())
        }
    };
    SectionView {
        organization_name: section.organization_name,
        standing,
        groups: section
            .groups
            .into_iter()
            .map(|group| GroupCard {
                name: group.group.name,
                description: group.group.description,
                apis: group.apis.into_iter().map(ApiCard::from).collect(),
            })
            .collect(),
        apis: section.apis.into_iter().map(ApiCard::from).collect(),
    }
}

#[derive(Template)]
#[template(path = "portal/portal.html", blocks = ["content"])]
struct PortalPage {
    t: Tr,
    shell: Shell,
    sections: Vec<SectionView>,
    /// The caller may use Gatehouse's own API (its reference is listed first).
    gatehouse_api: bool,
}

async fn shell_for(state: &AppState, account: &CurrentAccount) -> Result<Shell, AppError> {
    let account_id = account.account.account_id;
    let organizations = state
        .db(move |conn| organization::choices_for_account(conn, account_id))
        .await?;
    Ok(Shell::for_account(account, organizations, NavPage::Portal))
}

pub async fn home(
    req: HttpRequest,
    state: web::Data<AppState>,
    account: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    let (account_id, member, now) = (
        account.account.account_id,
        account.account.member.clone(),
        state.now(),
    );
    let sections = state
        .db(move |conn| portal::sections(conn, account_id, member.as_ref(), now))
        .await?;
    let t = account.ctx.tr();
    let viewer = account.ctx.viewer();
    let page = PortalPage {
        t,
        gatehouse_api: account
            .account
            .capabilities
            .as_ref()
            .is_some_and(|caps| caps.grant::<ApiUser>().is_some()),
        shell: shell_for(&state, &account).await?,
        sections: sections
            .into_iter()
            .map(|section| section_view(t, &viewer, section))
            .collect(),
    };
    htmx::render(&req, &page, |p| p.as_content())
}

#[derive(Template)]
#[template(path = "portal/api.html", blocks = ["content"])]
struct ApiPage {
    t: Tr,
    shell: Shell,
    /// Under the title: where the API is.
    subtitle: String,
    /// Where its OpenAPI document downloads from.
    document_url: String,
    api: ApiCard,
    base_url: String,
    has_document: bool,
    operations: Vec<ApiOperation>,
}

impl ApiPage {
    /// The CSS class of an HTTP method's badge.
    fn method_class(&self, method: &str) -> &'static str {
        match method {
            "GET" | "HEAD" | "OPTIONS" => "badge-blue",
            "POST" => "badge-green",
            "PUT" | "PATCH" => "badge-amber",
            "DELETE" => "badge-red",
            _ => "badge-gray",
        }
    }
}

/// The API, when the account may open it now; anything else is a 404, so the portal does not
/// tell which ids exist.
async fn reachable(
    state: &AppState,
    account: &CurrentAccount,
    api_id: i64,
) -> Result<(ListedApi, String), AppError> {
    let (account_id, member, now) = (
        account.account.account_id,
        account.account.member.clone(),
        state.now(),
    );
    state
        .db(move |conn| portal::reachable_api(conn, account_id, member.as_ref(), api_id, now))
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn api_detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    account: CurrentAccount,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (listed, organization_name) = reachable(&state, &account, path.into_inner()).await?;
    let api_id = listed.api.id;
    let operations = state
        .db(move |conn| api_catalog::operations(conn, api_id))
        .await?;
    let t = account.ctx.tr();
    let page = ApiPage {
        t,
        shell: shell_for(&state, &account).await?,
        subtitle: t.t_args(
            "portal-api-where",
            &t.args2(
                "organization",
                organization_name.as_str(),
                "environment",
                listed.environment_name.as_str(),
            ),
        ),
        document_url: format!("/portal/apis/{api_id}/openapi"),
        base_url: listed.api.base_url.clone(),
        has_document: listed.api.openapi_filename.is_some(),
        api: ApiCard::from(listed),
        operations,
    };
    htmx::render(&req, &page, |p| p.as_content())
}

/// Gatehouse's own API, for members who may use it: its operations, read from the OpenAPI
/// document the API serves, through the same reader as uploaded documents.
pub async fn gatehouse_api(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<ApiUser>,
) -> Result<HttpResponse, AppError> {
    let document = openapi::parse(crate::api::openapi::json().as_bytes())
        .map_err(|err| AppError::Internal(format!("our own OpenAPI document: {err}")))?;
    let t = member.ctx.tr();
    let page = ApiPage {
        t,
        shell: crate::web::roles::shell(&state, &member, NavPage::Portal).await?,
        subtitle: t.t("portal-gatehouse-api-lead"),
        document_url: "/api/v1/openapi.json".to_owned(),
        base_url: state.settings.absolute_url("/api/v1"),
        has_document: true,
        api: ApiCard {
            id: 0,
            name: document.title,
            version: document.version,
            environment: String::new(),
            description: t.t("portal-gatehouse-api-description"),
        },
        operations: document.operations,
    };
    htmx::render(&req, &page, |p| p.as_content())
}

pub async fn download_document(
    state: web::Data<AppState>,
    account: CurrentAccount,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (listed, _) = reachable(&state, &account, path.into_inner()).await?;
    let api_id = listed.api.id;
    let (filename, document) = state
        .db(move |conn| api_catalog::document(conn, api_id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(document_response(filename, document))
}

/// An OpenAPI document as a download.
pub fn document_response(filename: String, document: String) -> HttpResponse {
    let is_json = document.trim_start().starts_with('{');
    HttpResponse::Ok()
        .content_type(if is_json {
            "application/json; charset=utf-8"
        } else {
            "application/yaml; charset=utf-8"
        })
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(document)
}

#[derive(Template)]
#[template(path = "portal/register.html")]
struct RegisterPage {
    t: Tr,
    shell: AuthShell,
    token: String,
    organization: String,
    email: String,
    registered: bool,
    access_until: String,
    typed_name: String,
    typed_company: String,
    time_zone: String,
    time_zones: &'static [&'static str],
    errors: RegisterErrors,
}

impl RegisterPage {
    fn zone_selected(&self, zone: &&str) -> bool {
        self.time_zone == *zone
    }
}

#[derive(Default)]
struct RegisterErrors {
    name: String,
    company: String,
    time_zone: String,
    password: String,
    confirmation: String,
}

#[derive(Template)]
#[template(path = "invitations/problem.html")]
struct ProblemPage {
    t: Tr,
    shell: AuthShell,
    title_key: &'static str,
    body_key: &'static str,
}

fn problem_page(
    ctx: &RequestContext,
    problem: RegistrationProblem,
) -> Result<HttpResponse, AppError> {
    let (title_key, body_key, status) = match problem {
        RegistrationProblem::Link(LinkProblem::Used) => (
            "invitation-used-title",
            "invitation-used-body",
            StatusCode::GONE,
        ),
        RegistrationProblem::Link(LinkProblem::Expired) => (
            "invitation-expired-title",
            "invitation-expired-body",
            StatusCode::GONE,
        ),
        RegistrationProblem::Link(LinkProblem::Unknown) => (
            "invitation-unknown-title",
            "invitation-unknown-body",
            StatusCode::NOT_FOUND,
        ),
        RegistrationProblem::AccessEnded => (
            "portal-register-access-ended-title",
            "portal-register-access-ended-body",
            StatusCode::GONE,
        ),
    };
    let page = ProblemPage {
        t: ctx.tr(),
        shell: AuthShell::new(ctx),
        title_key,
        body_key,
    };
    htmx::render_page(&page, status)
}

/// What the person typed, kept when the form comes back with errors.
struct Typed {
    name: String,
    company: String,
    time_zone: String,
}

fn register_page(
    ctx: &RequestContext,
    token: String,
    open: &OpenRegistration,
    typed: Typed,
    errors: RegisterErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let t = ctx.tr();
    let viewer = Viewer {
        lang: ctx.lang,
        zone: typed.time_zone.clone(),
    };
    let page = RegisterPage {
        t,
        shell: AuthShell::new(ctx),
        token,
        organization: open.organization_name.clone(),
        email: open.email.clone(),
        registered: open.registered,
        access_until: match open.expires_on {
            Some(date) => t.t1(
                "portal-register-access-until",
                "date",
                viewer.date(date).as_str(),
            ),
            None => t.t("portal-register-access-no-end"),
        },
        typed_name: typed.name,
        typed_company: typed.company,
        time_zone: typed.time_zone,
        time_zones: profile::time_zones(),
        errors,
    };
    htmx::render_page(&page, status)
}

async fn open_link(
    state: &AppState,
    token: &str,
) -> Result<Result<OpenRegistration, RegistrationProblem>, AppError> {
    let (token, now) = (token.to_owned(), state.now());
    state
        .db(move |conn| external_registration::open(conn, &token, now))
        .await
}

pub async fn registration_page(
    state: web::Data<AppState>,
    ctx: RequestContext,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let open = match open_link(&state, &token).await? {
        Ok(open) => open,
        Err(problem) => return problem_page(&ctx, problem),
    };
    let typed = Typed {
        name: open.name.clone(),
        company: open.company.clone(),
        time_zone: open.time_zone.clone(),
    };
    register_page(
        &ctx,
        token,
        &open,
        typed,
        RegisterErrors::default(),
        StatusCode::OK,
    )
}

pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: RequestContext,
    token: web::Path<String>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let open = match open_link(&state, &token).await? {
        Ok(open) => open,
        Err(problem) => return problem_page(&ctx, problem),
    };
    let t = ctx.tr();
    let typed = Typed {
        name: form.text("name").trim().to_owned(),
        company: form.text("company").trim().to_owned(),
        time_zone: form.text("time_zone").trim().to_owned(),
    };
    let name = account::parse_name(&typed.name);
    let company = external_registration::parse_company(&typed.company);
    let time_zone = profile::parse_time_zone(&typed.time_zone);
    let (password, mismatch) = if open.registered {
        (Ok(None), false)
    } else {
        let organization_id = open.organization_id;
        let rules = state
            .db(move |conn| policy::password_rules_for_organization(conn, organization_id))
            .await?;
        let password = NewPassword::parse_with(form.text("password"), rules).map(Some);
        let mismatch =
            password.is_ok() && form.text("password") != form.text("password_confirmation");
        (password, mismatch)
    };
    let (Ok(name), Ok(company), Ok(time_zone), Ok(password), false) =
        (&name, &company, time_zone, &password, mismatch)
    else {
        let message = |key: Option<&'static str>| key.map(|key| t.t(key)).unwrap_or_default();
        let errors = RegisterErrors {
            name: message(name.as_ref().err().copied()),
            company: message(company.as_ref().err().copied()),
            time_zone: message(time_zone.err()),
            password: password
                .as_ref()
                .err()
                .map(|err| t.t(err.message_key()))
                .unwrap_or_default(),
            confirmation: if mismatch {
                t.t("password-mismatch")
            } else {
                String::new()
            },
        };
        return register_page(
            &ctx,
            token,
            &open,
            typed,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let password_hash = match password {
        Some(password) => Some(state.hasher.hash(password).await?),
        None => None,
    };
    let (name, company) = (name.clone(), company.clone());
    let (visitor, language) = (ctx.visitor(state.now()), ctx.lang.tag());
    let accept_token = token.clone();
    let outcome = state
        .db(move |conn| {
            accounts::register_external_user(
                &visitor,
                &accept_token,
                &Registration {
                    name: &name,
                    company: &company,
                    time_zone,
                    language,
                    password_hash: password_hash.as_deref(),
                },
                conn,
            )
        })
        .await?;
    let accepted = match outcome {
        Ok(accepted) => accepted,
        Err(problem) => return problem_page(&ctx, problem),
    };
    if accepted.registered {
        // They have a password already: they sign in with it as usual.
        return Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            "/sign-in",
            "flash-portal-access-accepted",
        ));
    }
    signed_in_redirect(
        &req,
        &state,
        &ctx,
        accepted.account_id,
        PATH,
        Some("flash-welcome"),
    )
    .await
}
