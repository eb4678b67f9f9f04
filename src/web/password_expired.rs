//! The page a session whose password expired is held on (the session layer sends every other
//! page here), and the password-change checks it shares with the profile page: the current
//! password, the strictest policy's character rules, and the password history.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::passwords::{self, ChangeProblems, NewPasswordProblem, PasswordChange};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::CurrentAccount;
use crate::web::htmx;
use crate::web::layout::AuthShell;

pub const PATH: &str = "/password-expired";

/// The messages next to the three fields of a password change; empty when there is none.
#[derive(Debug, Default)]
pub struct ChangeErrors {
    pub current_password: String,
    pub password: String,
    pub confirmation: String,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirmation: String,
}

/// The messages next to the fields of a refused password change.
pub fn change_errors(t: Tr, problems: &ChangeProblems) -> ChangeErrors {
    ChangeErrors {
        current_password: problems
            .current_password
            .map(|key| t.t(key))
            .unwrap_or_default(),
        password: match problems.password {
            Some(NewPasswordProblem::Rule(key)) => t.t(key),
            Some(NewPasswordProblem::Reused(count)) => reused_message(t, count),
            None => String::new(),
        },
        confirmation: if problems.confirmation {
            t.t("password-mismatch")
        } else {
            String::new()
        },
    }
}

/// "You used this password recently…", with the policy's count.
pub fn reused_message(t: Tr, count: i32) -> String {
    t.t1("password-reused", "count", i64::from(count))
}

impl PasswordForm {
    pub fn change(&self) -> PasswordChange {
        PasswordChange {
            current_password: self.current_password.clone(),
            password: self.password.clone(),
            confirmation: self.password_confirmation.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "auth/password_expired.html")]
struct PasswordExpiredPage {
    t: Tr,
    shell: AuthShell,
    email: String,
    current_password_error: String,
    password_error: String,
    confirmation_error: String,
}

fn page(
    current: &CurrentAccount,
    errors: ChangeErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let page = PasswordExpiredPage {
        t: current.ctx.tr(),
        shell: AuthShell::new(&current.ctx),
        email: current.account.email.clone(),
        current_password_error: errors.current_password,
        password_error: errors.password,
        confirmation_error: errors.confirmation,
    };
    htmx::render_page(&page, status)
}

pub async fn show(req: HttpRequest, current: CurrentAccount) -> Result<HttpResponse, AppError> {
    if !current.account.password_change_required {
        return Ok(htmx::see_other(&req, "/"));
    }
    page(&current, ChangeErrors::default(), StatusCode::OK)
}

pub async fn change(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    if !current.account.password_change_required {
        return Ok(htmx::see_other(&req, "/"));
    }
    let me = current.me(state.now());
    if let Err(problems) = passwords::change(&state, &me, &form.change()).await? {
        let errors = change_errors(current.ctx.tr(), &problems);
        return page(&current, errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/",
        "flash-password-changed",
    ))
}
