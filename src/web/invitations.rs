//! The page an invitation link opens: registration for newcomers, one click for people who
//! already have an account. Spent, expired or tampered links get a clear page, never a 500.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::crypto::password::NewPassword;
use crate::domain::invitation::{self, LinkProblem, OpenInvitation};
use crate::domain::{account, policy};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::auth::signed_in_redirect;
use crate::web::context::RequestContext;
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::AuthShell;

#[derive(Template)]
#[template(path = "invitations/register.html")]
struct RegisterPage {
    t: Tr,
    shell: AuthShell,
    token: String,
    organization: String,
    email: String,
    typed_name: String,
    name_error: String,
    password_error: String,
    confirmation_error: String,
}

#[derive(Template)]
#[template(path = "invitations/accept.html")]
struct AcceptPage {
    t: Tr,
    shell: AuthShell,
    token: String,
    organization: String,
    email: String,
}

#[derive(Template)]
#[template(path = "invitations/problem.html")]
struct ProblemPage {
    t: Tr,
    shell: AuthShell,
    title_key: &'static str,
    body_key: &'static str,
}

fn problem_page(ctx: &RequestContext, problem: LinkProblem) -> Result<HttpResponse, AppError> {
    let (title_key, body_key, status) = match problem {
        LinkProblem::Used => (
            "invitation-used-title",
            "invitation-used-body",
            StatusCode::GONE,
        ),
        LinkProblem::Expired => (
            "invitation-expired-title",
            "invitation-expired-body",
            StatusCode::GONE,
        ),
        LinkProblem::Unknown => (
            "invitation-unknown-title",
            "invitation-unknown-body",
            StatusCode::NOT_FOUND,
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

fn register_page(
    ctx: &RequestContext,
    token: String,
    invitation: &OpenInvitation,
    name: String,
    errors: [String; 3],
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let [name_error, password_error, confirmation_error] = errors;
    let page = RegisterPage {
        t: ctx.tr(),
        shell: AuthShell::new(ctx),
        token,
        organization: invitation.organization_name.clone(),
        email: invitation.email.clone(),
        typed_name: name,
        name_error,
        password_error,
        confirmation_error,
    };
    htmx::render_page(&page, status)
}

async fn open(
    state: &AppState,
    token: &str,
) -> Result<Result<OpenInvitation, LinkProblem>, AppError> {
    let (token, now) = (token.to_owned(), state.now());
    state
        .db(move |conn| invitation::open(conn, &token, now))
        .await
}

/// The invitation page of an organization that signs in through its provider: no password here,
/// the first sign-in there accepts the invitation.
#[derive(Template)]
#[template(path = "invitations/sso.html")]
struct SsoInvitationPage {
    t: Tr,
    shell: AuthShell,
    organization: String,
    email: String,
}

/// Whether the invited person joins through the organization's identity provider.
async fn joins_through_sso(
    state: &AppState,
    invitation: &OpenInvitation,
) -> Result<bool, AppError> {
    let (organization_id, email) = (invitation.organization_id, invitation.email.clone());
    state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>(
                crate::domain::sso::is_enabled(conn, organization_id)?
                    && !crate::domain::sso::is_bypassed(conn, organization_id, &email)?,
            )
        })
        .await
}

fn sso_invitation_page(
    ctx: &RequestContext,
    invitation: OpenInvitation,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let page = SsoInvitationPage {
        t: ctx.tr(),
        shell: AuthShell::new(ctx),
        organization: invitation.organization_name,
        email: invitation.email,
    };
    htmx::render_page(&page, status)
}

pub async fn show(
    state: web::Data<AppState>,
    ctx: RequestContext,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let invitation = match open(&state, &token).await? {
        Ok(invitation) => invitation,
        Err(problem) => return problem_page(&ctx, problem),
    };
    if joins_through_sso(&state, &invitation).await? {
        return sso_invitation_page(&ctx, invitation, StatusCode::OK);
    }
    if invitation.registered {
        let page = AcceptPage {
            t: ctx.tr(),
            shell: AuthShell::new(&ctx),
            token,
            organization: invitation.organization_name,
            email: invitation.email,
        };
        return htmx::render_page(&page, StatusCode::OK);
    }
    register_page(
        &ctx,
        token,
        &invitation,
        String::new(),
        Default::default(),
        StatusCode::OK,
    )
}

pub async fn accept(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: RequestContext,
    token: web::Path<String>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let invitation = match open(&state, &token).await? {
        Ok(invitation) => invitation,
        Err(problem) => return problem_page(&ctx, problem),
    };
    // No password is set for an organization that signs in through its provider.
    if joins_through_sso(&state, &invitation).await? {
        return sso_invitation_page(&ctx, invitation, StatusCode::CONFLICT);
    }
    let t = ctx.tr();
    let registration = if invitation.registered {
        None
    } else {
        let organization_id = invitation.organization_id;
        let rules = state
            .db(move |conn| policy::password_rules_for_organization(conn, organization_id))
            .await?;
        let typed_name = form.text("name").trim().to_owned();
        let name = account::parse_name(&typed_name);
        let password = NewPassword::parse_with(form.text("password"), rules);
        let mismatch =
            password.is_ok() && form.text("password") != form.text("password_confirmation");
        let (Ok(name), Ok(password), false) = (&name, &password, mismatch) else {
            let errors = [
                name.err().map(|key| t.t(key)).unwrap_or_default(),
                password
                    .err()
                    .map(|err| t.t(err.message_key()))
                    .unwrap_or_default(),
                if mismatch {
                    t.t("password-mismatch")
                } else {
                    String::new()
                },
            ];
            return register_page(
                &ctx,
                token,
                &invitation,
                typed_name,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        };
        Some((name.clone(), state.hasher.hash(password).await?))
    };
    let (origin, now, language) = (ctx.origin(), state.now(), ctx.lang.tag());
    let accept_token = token.clone();
    let outcome = state
        .db(move |conn| {
            let registration = registration
                .as_ref()
                .map(|(name, hash)| (name.as_str(), hash.as_str(), language));
            crate::app::invitations::accept(conn, &accept_token, registration, &origin, now)
        })
        .await?;
    let accepted = match outcome {
        Ok(accepted) => accepted,
        Err(problem) => return problem_page(&ctx, problem),
    };
    if accepted.registered {
        // They have an account already: sign in as usual, then switch to this organization.
        return Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            "/sign-in",
            "flash-invitation-accepted",
        ));
    }
    signed_in_redirect(
        &req,
        &state,
        &ctx,
        accepted.account_id,
        "/",
        Some("flash-welcome"),
    )
    .await
}
