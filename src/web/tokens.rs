//! Profile → Personal access tokens: create one (shown once), list them with their last use,
//! revoke one after a confirmation.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use time::Date;

use crate::app::access::{Admin, ApiUser, Capabilities, Owner};
use crate::app::tokens::{self, CreatedToken, Expiry, NewToken};
use crate::domain::ids::{MembershipId, OrganizationId, TokenId};
use crate::domain::organization::{self, OrganizationChoice};
use crate::domain::personal_token::{self, TokenScope, TokenSummary};
use crate::domain::policy;
use crate::domain::rules::DomainError;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::i18n::format::{Viewer, date_input};
use crate::state::AppState;
use crate::web::context::{CurrentAccount, Guarded};
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};
use crate::web::roles::shell;

/// The expiry presets offered, in days.
const PRESETS: [i64; 3] = [7, 30, 90];

pub struct TokenRow {
    pub id: TokenId,
    pub name: String,
    pub organization: String,
    pub scope_key: &'static str,
    pub created: String,
    pub expires: String,
    /// "active", "expired" or "revoked".
    pub status: &'static str,
    pub last_used: String,
    pub last_used_ip: String,
}

impl TokenRow {
    pub fn of(token: TokenSummary, viewer: &Viewer, now: time::PrimitiveDateTime) -> Self {
        Self {
            id: token.id,
            scope_key: scope_key(token.scope()),
            created: viewer.datetime(token.created_at),
            expires: viewer.datetime(token.expires_at),
            status: if token.revoked_at.is_some() {
                "revoked"
            } else if token.expires_at <= now {
                "expired"
            } else {
                "active"
            },
            last_used: token
                .last_used_at
                .map(|at| viewer.datetime(at))
                .unwrap_or_default(),
            last_used_ip: token.last_used_ip.unwrap_or_default(),
            name: token.name,
            organization: token.organization_name,
        }
    }
}

pub fn scope_key(scope: TokenScope) -> &'static str {
    match scope {
        TokenScope::Read => "tokens-scope-read",
        TokenScope::ReadWrite => "tokens-scope-read-write",
    }
}

/// An organization a token may be made for, with its longest lifetime.
pub struct OrganizationOption {
    pub id: OrganizationId,
    pub name: String,
    pub max_days: i32,
}

/// What the create form shows: as first shown, or what was typed with its errors.
#[derive(Default)]
struct Typed {
    name: String,
    organization_id: Option<OrganizationId>,
    expiry: String,
    expires_on: String,
    scope: String,
    name_error: String,
    expiry_error: String,
    form_error: String,
}

#[derive(Template)]
#[template(path = "profile/tokens.html", blocks = ["content"])]
struct TokensPage {
    t: Tr,
    shell: Shell,
    organizations: Vec<OrganizationOption>,
    token_name: String,
    organization_id: Option<OrganizationId>,
    expiry: String,
    expires_on: String,
    min_date: String,
    scope: String,
    name_error: String,
    expiry_error: String,
    form_error: String,
    created: Option<String>,
    created_name: String,
    tokens: Vec<TokenRow>,
    presets: [i64; 3],
}

impl TokensPage {
    fn organization_selected(&self, id: &OrganizationId) -> bool {
        self.organization_id == Some(*id)
    }

    fn preset_checked(&self, days: &i64) -> bool {
        self.expiry == days.to_string()
    }
}

/// The organizations where the account may hold tokens now (API access there).
fn token_organizations(
    conn: &mut crate::db::DbConnection,
    account_id: crate::domain::ids::AccountId,
    choices: &[OrganizationChoice],
) -> diesel::QueryResult<Vec<OrganizationOption>> {
    let mut offered = Vec::new();
    for choice in choices {
        let Some(member) = organization::member_context(conn, account_id, choice.id)? else {
            continue;
        };
        if Capabilities::of(account_id, &member)
            .grant::<ApiUser>()
            .is_some()
        {
            offered.push(OrganizationOption {
                id: choice.id,
                name: choice.name.clone(),
                max_days: policy::token_settings(conn, choice.id)?.0,
            });
        }
    }
    Ok(offered)
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    current: &CurrentAccount,
    typed: Typed,
    created: Option<(String, CreatedToken)>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let account_id = current.account.account_id;
    let me = current.me(state.now());
    let (choices, offered, tokens) = state
        .db(move |conn| {
            let choices = organization::choices_for_account(conn, account_id)?;
            let offered = token_organizations(conn, account_id, &choices)?;
            let tokens = tokens::mine(&me, conn)?;
            Ok::<_, AppError>((choices, offered, tokens))
        })
        .await?;
    let viewer = current.ctx.viewer();
    let now = state.now();
    let current_organization = current.account.member.as_ref().map(|m| m.organization_id);
    let organization_id = typed
        .organization_id
        .or(current_organization.filter(|id| offered.iter().any(|o| o.id == *id)))
        .or(offered.first().map(|o| o.id));
    let page = TokensPage {
        t: current.ctx.tr(),
        shell: Shell::for_account(current, choices, NavPage::Profile),
        token_name: typed.name,
        organization_id,
        expiry: if typed.expiry.is_empty() {
            "30".to_owned()
        } else {
            typed.expiry
        },
        expires_on: typed.expires_on,
        min_date: date_input(now.date().next_day().unwrap_or(now.date())),
        scope: if typed.scope.is_empty() {
            TokenScope::Read.as_str().to_owned()
        } else {
            typed.scope
        },
        name_error: typed.name_error,
        expiry_error: typed.expiry_error,
        form_error: typed.form_error,
        created_name: created
            .as_ref()
            .map(|(name, _)| name.clone())
            .unwrap_or_default(),
        created: created.map(|(_, token)| token.secret),
        tokens: tokens
            .into_iter()
            .map(|token| TokenRow::of(token, &viewer, now))
            .collect(),
        organizations: offered,
        presets: PRESETS,
    };
    let mut response = htmx::render_with_status(req, status, &page, |page| page.as_content())?;
    if page.created.is_some() {
        // The secret is in this page only: no cache may keep it.
        response.headers_mut().insert(
            actix_web::http::header::CACHE_CONTROL,
            actix_web::http::header::HeaderValue::from_static("no-store"),
        );
    }
    Ok(response)
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    render(
        &req,
        &state,
        &current,
        Typed::default(),
        None,
        StatusCode::OK,
    )
    .await
}

/// Reads the expiry fields: a preset number of days, or a date (`YYYY-MM-DD`).
fn parse_expiry(choice: &str, date: &str) -> Result<Expiry, &'static str> {
    match choice {
        "date" => Date::parse(
            date.trim(),
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map(Expiry::On)
        .map_err(|_| "tokens-expiry-date-invalid"),
        preset => preset
            .parse::<i64>()
            .ok()
            .filter(|days| PRESETS.contains(days))
            .map(Expiry::Days)
            .ok_or("tokens-expiry-required"),
    }
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let t = current.ctx.tr();
    let mut typed = Typed {
        name: form.text("name").trim().to_owned(),
        organization_id: form.text("organization_id").parse().ok(),
        expiry: form.text("expiry").to_owned(),
        expires_on: form.text("expires_on").trim().to_owned(),
        scope: form.text("scope").to_owned(),
        ..Typed::default()
    };
    let name = personal_token::parse_name(&typed.name);
    let expiry = parse_expiry(&typed.expiry, &typed.expires_on);
    let scope = TokenScope::parse(&typed.scope);
    typed.name_error = name.as_ref().err().map(|key| t.t(key)).unwrap_or_default();
    typed.expiry_error = expiry.err().map(|key| t.t(key)).unwrap_or_default();
    let (Ok(name), Ok(expiry), Some(scope), Some(organization_id)) =
        (name, expiry, scope, typed.organization_id)
    else {
        if scope.is_none() || typed.organization_id.is_none() {
            typed.form_error = t.t("tokens-choice-required");
        }
        return render(
            &req,
            &state,
            &current,
            typed,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let input = NewToken {
        name: name.clone(),
        organization_id,
        scope,
        expiry,
    };
    let me = current.me(state.now());
    // The organization the session acts in has passed the session layer's checks (two-factor
    // included) on this very request.
    let acting_in = current
        .account
        .member
        .as_ref()
        .filter(|_| current.account.two_factor_pending_org.is_none())
        .map(|member| member.organization_id);
    let zone = current.ctx.viewer().zone;
    let result = state
        .db(move |conn| tokens::create(&me, &input, acting_in, &zone, conn))
        .await;
    match result {
        Ok(created) => {
            render(
                &req,
                &state,
                &current,
                Typed::default(),
                Some((name, created)),
                StatusCode::OK,
            )
            .await
        }
        Err(AppError::Rule(violation)) => {
            let message = match violation.message_key() {
                "tokens-expiry-too-long" => {
                    let max = state
                        .db(move |conn| policy::token_settings(conn, organization_id))
                        .await?
                        .0;
                    t.t1("tokens-expiry-too-long", "days", i64::from(max))
                }
                key => t.t(key),
            };
            if violation.message_key().starts_with("tokens-expiry") {
                typed.expiry_error = message;
            } else {
                typed.form_error = message;
            }
            render(
                &req,
                &state,
                &current,
                typed,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(err) => Err(err),
    }
}

#[derive(Template)]
#[template(path = "profile/token_revoke.html", blocks = ["content"])]
struct RevokePage {
    t: Tr,
    shell: Shell,
    token: TokenRow,
}

async fn own_token(
    state: &AppState,
    current: &CurrentAccount,
    token_id: TokenId,
) -> Result<TokenSummary, AppError> {
    let account_id = current.account.account_id;
    state
        .db(move |conn| personal_token::find(conn, token_id))
        .await?
        .filter(|token| token.account_id == account_id)
        .ok_or(AppError::NotFound)
}

pub async fn revoke_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
    path: web::Path<TokenId>,
) -> Result<HttpResponse, AppError> {
    let token = own_token(&state, &current, path.into_inner()).await?;
    let account_id = current.account.account_id;
    let choices = state
        .db(move |conn| organization::choices_for_account(conn, account_id))
        .await?;
    let page = RevokePage {
        t: current.ctx.tr(),
        shell: Shell::for_account(&current, choices, NavPage::Profile),
        token: TokenRow::of(token, &current.ctx.viewer(), state.now()),
    };
    htmx::render(&req, &page, |page| page.as_content())
}

pub async fn revoke(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
    path: web::Path<TokenId>,
) -> Result<HttpResponse, AppError> {
    let token_id = path.into_inner();
    let me = current.me(state.now());
    state
        .db(move |conn| tokens::revoke_own(&me, token_id, conn))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/profile/tokens",
        "flash-token-revoked",
    ))
}

// ---------------------------------------------------------------------------------------------
// Admins: a member's tokens (from the member's panel), and all tokens at once (from Policies).

#[derive(Template)]
#[template(path = "users/token_revoke.html", blocks = ["content"])]
struct MemberRevokePage {
    t: Tr,
    shell: Shell,
    membership_id: MembershipId,
    owner: String,
    token: TokenRow,
}

/// A live token of the member, in the admin's organization.
async fn member_token(
    state: &AppState,
    admin: &Guarded<Admin>,
    membership_id: MembershipId,
    token_id: TokenId,
) -> Result<(String, TokenSummary), AppError> {
    let by = admin.acting(state.now());
    state
        .db(move |conn| tokens::member_token(&by, membership_id, token_id, conn))
        .await
}

pub async fn member_revoke_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    admin: Guarded<Admin>,
    path: web::Path<(MembershipId, TokenId)>,
) -> Result<HttpResponse, AppError> {
    let (membership_id, token_id) = path.into_inner();
    let (owner, token) = member_token(&state, &admin, membership_id, token_id).await?;
    let page = MemberRevokePage {
        t: admin.ctx.tr(),
        shell: shell(&state, &admin, NavPage::Users).await?,
        membership_id,
        owner,
        token: TokenRow::of(token, &admin.ctx.viewer(), state.now()),
    };
    htmx::render(&req, &page, |page| page.as_content())
}

pub async fn member_revoke(
    req: HttpRequest,
    state: web::Data<AppState>,
    admin: Guarded<Admin>,
    path: web::Path<(MembershipId, TokenId)>,
) -> Result<HttpResponse, AppError> {
    let (membership_id, token_id) = path.into_inner();
    let by = admin.acting(state.now());
    let settings = state.settings.clone();
    let outcome = state
        .db(move |conn| {
            Ok::<_, AppError>(tokens::revoke_member_token(
                &by,
                membership_id,
                token_id,
                &settings,
                conn,
            ))
        })
        .await?;
    let back = format!("/users/{membership_id}/roles");
    match outcome {
        Ok(()) => {
            state.outbox_wake.notify_one();
            Ok(htmx::see_other_with_flash(
                &req,
                &state.settings,
                &back,
                "flash-token-revoked",
            ))
        }
        Err(DomainError::Rule(violation)) => Ok(htmx::see_other_with_error(
            &req,
            &state.settings,
            &back,
            violation.message_key(),
        )),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "policies/revoke_tokens.html", blocks = ["content"])]
struct RevokeAllPage {
    t: Tr,
    shell: Shell,
    organization: String,
    owner_spared: bool,
}

pub async fn revoke_all_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    admin: Guarded<Admin>,
) -> Result<HttpResponse, AppError> {
    let page = RevokeAllPage {
        t: admin.ctx.tr(),
        organization: admin.member.organization_name.clone(),
        owner_spared: !admin.holds::<Owner>(),
        shell: shell(&state, &admin, NavPage::Policies).await?,
    };
    htmx::render(&req, &page, |page| page.as_content())
}

pub async fn revoke_all(
    req: HttpRequest,
    state: web::Data<AppState>,
    admin: Guarded<Admin>,
) -> Result<HttpResponse, AppError> {
    let by = admin.acting(state.now());
    state.db(move |conn| tokens::revoke_all(&by, conn)).await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/policies",
        "flash-tokens-revoked-all",
    ))
}
