//! The page a session whose password expired is held on (the session layer sends every other
//! page here), and the password-change checks it shares with the profile page: the current
//! password, the strictest policy's character rules, and the password history.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::crypto::password::NewPassword;
use crate::domain::audit::Actor;
use crate::domain::throttle::{self, Admission, ThrottleKey, ThrottleKeys};
use crate::domain::{account, password_history, policy};
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

/// Checks a password change of the signed-in account: the current password, the strictest rules
/// among its organizations (length, special characters), the confirmation, and that the new
/// password is none of the last `history` ones. Returns the new password's hash, or the messages.
///
/// The current password is a proof of identity like a sign-in: the attempt counts toward the
/// account's (and the address's) sign-in lock before it is checked, and while either is locked it
/// is not checked at all, so holding someone's session does not let one guess their password.
pub async fn check_change(
    state: &AppState,
    current: &CurrentAccount,
    form: &PasswordForm,
) -> Result<Result<String, ChangeErrors>, AppError> {
    let t = current.ctx.tr();
    let account_id = current.account.account_id;
    let keys = ThrottleKeys::identity(
        ThrottleKey::account(account_id),
        current.ctx.client_ip.as_deref(),
    );
    let now = state.now();
    let typed = !form.current_password.is_empty();
    let admission_keys = keys.clone();
    let (stored_hash, rules, admission) = state
        .db(move |conn| {
            let admission = if typed {
                Some(throttle::admit(conn, &admission_keys, now)?)
            } else {
                None
            };
            Ok::<_, diesel::result::Error>((
                account::password_hash(conn, account_id)?,
                policy::password_rules_for_account(conn, account_id)?,
                admission,
            ))
        })
        .await?;
    let current_error = match admission {
        None => Some(t.t("profile-current-password-required")),
        Some(Admission::Locked { .. }) => Some(t.t("profile-current-password-locked")),
        Some(Admission::Admitted) => {
            // Checked even when the new password is refused, so a typo in both is reported at
            // once.
            let matches = state
                .hasher
                .verify(&form.current_password, stored_hash.as_deref())
                .await;
            if matches {
                state
                    .write(move |conn| throttle::release(conn, &keys))
                    .await?;
                None
            } else {
                Some(t.t("profile-current-password-wrong"))
            }
        }
    };
    let password = NewPassword::parse_with(&form.password, rules);
    let mismatch = password.is_ok() && form.password != form.password_confirmation;
    let password = match password {
        Ok(password) if current_error.is_none() && !mismatch => password,
        result => {
            return Ok(Err(ChangeErrors {
                current_password: current_error.unwrap_or_default(),
                password: result
                    .err()
                    .map(|err| t.t(err.message_key()))
                    .unwrap_or_default(),
                confirmation: if mismatch {
                    t.t("password-mismatch")
                } else {
                    String::new()
                },
            }));
        }
    };
    if let Some(count) = reused(state, account_id, rules.history, &password).await? {
        return Ok(Err(ChangeErrors {
            password: reused_message(t, count),
            ..ChangeErrors::default()
        }));
    }
    Ok(Ok(state.hasher.hash(&password).await?))
}

/// When the password is one of the account's last `history` ones: `Some(history)`.
pub async fn reused(
    state: &AppState,
    account_id: i64,
    history: i32,
    password: &NewPassword,
) -> Result<Option<i32>, AppError> {
    if history <= 0 {
        return Ok(None);
    }
    let hashes = state
        .db(move |conn| password_history::recent(conn, account_id, history))
        .await?;
    Ok(state
        .hasher
        .matches_any(password.expose(), hashes)
        .await
        .then_some(history))
}

/// "You used this password recently…", with the policy's count.
pub fn reused_message(t: Tr, count: i32) -> String {
    t.t1("password-reused", "count", i64::from(count))
}

/// Sets the checked password: history, password date, the other sessions end, this session's
/// "change required" mark is lifted, and `account.password-changed` is recorded.
pub async fn apply_change(
    state: &AppState,
    current: &CurrentAccount,
    new_hash: String,
) -> Result<(), AppError> {
    let account_id = current.account.account_id;
    let keep = current.account.session_hash.clone();
    let actor = Actor {
        account_id: Some(account_id),
        ip: current.ctx.client_ip.clone(),
        at: state.now(),
    };
    state
        .write(move |conn| account::change_password(conn, account_id, &new_hash, &keep, &actor))
        .await?;
    Ok(())
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
    let new_hash = match check_change(&state, &current, &form).await? {
        Ok(hash) => hash,
        Err(errors) => return page(&current, errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    apply_change(&state, &current, new_hash).await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/",
        "flash-password-changed",
    ))
}
