//! The profile page: every signed-in account's own details, password and sessions.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::{accounts, passwords, sessions};
use crate::domain::organization;
use crate::domain::profile::{self, DEFAULT_TIME_ZONE, ProfileDetails};
use crate::domain::session::{self, SessionSummary};
use crate::domain::{account, authenticator};
use crate::error::AppError;
use crate::i18n::format;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use crate::web::context::CurrentAccount;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};
use crate::web::password_expired::{PasswordForm, change_errors};

pub struct LanguageChoice {
    pub tag: &'static str,
    pub label_key: &'static str,
}

pub struct SessionRow {
    pub handle: String,
    pub current: bool,
    pub device: String,
    pub created: String,
    pub last_seen: String,
    pub ip: String,
}

/// What the "Your details" form shows: the stored values, or what was typed.
#[derive(Default)]
struct Details {
    name: String,
    language: String,
    time_zone: String,
}

/// The messages next to the fields of both forms; empty when there is none.
#[derive(Default)]
struct Errors {
    name: String,
    language: String,
    time_zone: String,
    current_password: String,
    password: String,
    confirmation: String,
}

#[derive(Template)]
#[template(path = "profile/profile.html", blocks = ["content"])]
struct ProfilePage {
    t: Tr,
    shell: Shell,
    /// Not `name`: the field macro has a parameter of that name.
    person_name: String,
    language: String,
    time_zone: String,
    languages: Vec<LanguageChoice>,
    time_zones: &'static [&'static str],
    name_error: String,
    language_error: String,
    time_zone_error: String,
    current_password_error: String,
    password_error: String,
    confirmation_error: String,
    sessions: Vec<SessionRow>,
    other_sessions: usize,
    /// The account has a confirmed authenticator app.
    authenticator_on: bool,
}

impl ProfilePage {
    fn zone_selected(&self, zone: &str) -> bool {
        self.time_zone == zone
    }

    fn language_selected(&self, tag: &str) -> bool {
        self.language == tag
    }
}

fn language_label_key(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "profile-language-en",
        Lang::PtBr => "profile-language-pt-br",
        Lang::Pl => "profile-language-pl",
    }
}

/// A user agent as people recognise it: browser and operating system, when we can tell.
/// Deliberately small: the few browsers and systems that cover nearly everyone.
pub fn describe_user_agent(user_agent: &str) -> (Option<&'static str>, Option<&'static str>) {
    let ua = user_agent;
    let has = |needle: &str| ua.contains(needle);
    let browser = if has("Edg/") || has("EdgA/") || has("EdgiOS/") {
        Some("Edge")
    } else if has("OPR/") || has("Opera") {
        Some("Opera")
    } else if has("SamsungBrowser/") {
        Some("Samsung Internet")
    } else if has("Firefox/") || has("FxiOS/") {
        Some("Firefox")
    } else if has("CriOS/") || has("Chrome/") {
        Some("Chrome")
    } else if has("Chromium/") {
        Some("Chromium")
    } else if has("Safari/") && has("Version/") {
        Some("Safari")
    } else if ua.starts_with("curl/") {
        Some("curl")
    } else {
        None
    };
    // iPads and iPhones say "like Mac OS X", Android says "Linux": the specific ones first.
    let os = if has("iPhone") || has("iPad") || has("iPod") {
        Some("iOS")
    } else if has("Android") {
        Some("Android")
    } else if has("Windows") {
        Some("Windows")
    } else if has("CrOS") {
        Some("ChromeOS")
    } else if has("Macintosh") || has("Mac OS X") {
        Some("macOS")
    } else if has("Linux") || has("X11") {
        Some("Linux")
    } else {
        None
    };
    (browser, os)
}

fn device_label(t: Tr, user_agent: Option<&str>) -> String {
    match user_agent.map(describe_user_agent).unwrap_or_default() {
        (Some(browser), Some(os)) => t.t_args(
            "profile-session-device",
            &t.args2("browser", browser, "os", os),
        ),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
        (None, None) => t.t("profile-session-unknown-device"),
    }
}

fn session_row(t: Tr, viewer: &format::Viewer, summary: SessionSummary) -> SessionRow {
    SessionRow {
        device: device_label(t, summary.user_agent.as_deref()),
        created: viewer.datetime(summary.created_at),
        last_seen: viewer.datetime(summary.last_seen_at),
        ip: summary.ip.unwrap_or_else(|| "—".to_owned()),
        handle: summary.handle,
        current: summary.current,
    }
}

async fn profile_page(
    req: &HttpRequest,
    state: &AppState,
    current: &CurrentAccount,
    typed: Option<Details>,
    errors: Errors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let account_id = current.account.account_id;
    let session_hash = current.account.session_hash.clone();
    let now = state.now();
    let (stored, organizations, sessions, authenticator_on) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                account::find(conn, account_id)?,
                organization::choices_for_account(conn, account_id)?,
                session::list_for_account(conn, account_id, &session_hash, now)?,
                authenticator::is_confirmed(conn, account_id)?,
            ))
        })
        .await?;
    let stored = stored.ok_or(AppError::SignInRequired)?;
    let details = typed.unwrap_or_else(|| Details {
        name: stored.name.clone(),
        language: stored
            .language
            .as_deref()
            .and_then(Lang::from_tag)
            .map_or(profile::BROWSER_LANGUAGE, Lang::tag)
            .to_owned(),
        time_zone: stored
            .time_zone
            .clone()
            .filter(|zone| profile::parse_time_zone(zone).is_ok())
            .unwrap_or_else(|| DEFAULT_TIME_ZONE.to_owned()),
    });
    let t = current.ctx.tr();
    let viewer = current.ctx.viewer();
    let sessions: Vec<SessionRow> = sessions
        .into_iter()
        .map(|s| session_row(t, &viewer, s))
        .collect();
    let page = ProfilePage {
        t,
        shell: Shell::for_account(current, organizations, NavPage::Profile),
        person_name: details.name,
        language: details.language,
        time_zone: details.time_zone,
        languages: std::iter::once(LanguageChoice {
            tag: profile::BROWSER_LANGUAGE,
            label_key: "profile-language-browser",
        })
        .chain(Lang::ALL.into_iter().map(|lang| LanguageChoice {
            tag: lang.tag(),
            label_key: language_label_key(lang),
        }))
        .collect(),
        time_zones: profile::time_zones(),
        name_error: errors.name,
        language_error: errors.language,
        time_zone_error: errors.time_zone,
        current_password_error: errors.current_password,
        password_error: errors.password,
        confirmation_error: errors.confirmation,
        other_sessions: sessions.iter().filter(|s| !s.current).count(),
        sessions,
        authenticator_on,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    profile_page(
        &req,
        &state,
        &current,
        None,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct DetailsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
}

pub async fn save_details(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
    form: web::Form<DetailsForm>,
) -> Result<HttpResponse, AppError> {
    let t = current.ctx.tr();
    let name = account::parse_name(&form.name);
    let language = profile::parse_language(&form.language);
    let time_zone = profile::parse_time_zone(&form.time_zone);
    let (Ok(name), Ok(language), Ok(time_zone)) = (&name, language, time_zone) else {
        let message = |result: Result<(), &'static str>| result.err().map(|key| t.t(key));
        let errors = Errors {
            name: message(name.map(drop)).unwrap_or_default(),
            language: message(language.map(drop)).unwrap_or_default(),
            time_zone: message(time_zone.map(drop)).unwrap_or_default(),
            ..Errors::default()
        };
        let typed = Details {
            name: form.name.trim().to_owned(),
            language: form.language.clone(),
            time_zone: form.time_zone.clone(),
        };
        return profile_page(
            &req,
            &state,
            &current,
            Some(typed),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let details = ProfileDetails {
        name: name.clone(),
        language,
        time_zone,
    };
    let me = current.me(state.now());
    state
        .db(move |conn| accounts::save_profile(&me, &details, conn))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/profile",
        "flash-profile-saved",
    ))
}

pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    // The same checks as the expired-password page: the current password, the strictest policy
    // among the account's organizations, and the password history.
    let me = current.me(state.now());
    if let Err(problems) = passwords::change(&state, &me, &form.change()).await? {
        let errors = change_errors(current.ctx.tr(), &problems);
        let errors = Errors {
            current_password: errors.current_password,
            password: errors.password,
            confirmation: errors.confirmation,
            ..Errors::default()
        };
        return profile_page(
            &req,
            &state,
            &current,
            None,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/profile",
        "flash-password-changed",
    ))
}

/// A handle as `public_handle` makes them: 16 lower-case hex characters.
fn is_handle(candidate: &str) -> bool {
    candidate.len() == 16
        && candidate
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub async fn sign_out_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
    handle: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let handle = handle.into_inner();
    if !is_handle(&handle) {
        return Err(AppError::NotFound);
    }
    let me = current.me(state.now());
    let ended = state
        .db(move |conn| sessions::end_session(&me, &handle, conn))
        .await?;
    if !ended {
        // Not one of this account's other sessions: the same answer as for no session at all.
        return Err(AppError::NotFound);
    }
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/profile",
        "flash-session-ended",
    ))
}

pub async fn sign_out_others(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentAccount,
) -> Result<HttpResponse, AppError> {
    let me = current.me(state.now());
    state
        .db(move |conn| sessions::end_other_sessions(&me, conn))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/profile",
        "flash-other-sessions-ended",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_browsers_are_named() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                (Some("Firefox"), Some("Linux")),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
                (Some("Chrome"), Some("Windows")),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
                (Some("Edge"), Some("Windows")),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                (Some("Safari"), Some("macOS")),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                (Some("Safari"), Some("iOS")),
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
                (Some("Chrome"), Some("Android")),
            ),
            (
                "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
                (Some("Chrome"), Some("ChromeOS")),
            ),
            ("curl/8.5.0", (Some("curl"), None)),
            ("", (None, None)),
            ("something else entirely", (None, None)),
        ];
        for (ua, expected) in cases {
            assert_eq!(describe_user_agent(ua), expected, "{ua}");
        }
    }

    #[test]
    fn device_labels_read_naturally() {
        let t = Tr(Lang::En);
        assert_eq!(
            device_label(
                t,
                Some("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
            ),
            "Firefox on Linux"
        );
        assert_eq!(device_label(t, Some("curl/8.5.0")), "curl");
        assert_eq!(device_label(t, None), "Unknown device");
    }

    #[test]
    fn handles_are_sixteen_hex_characters() {
        assert!(is_handle("0123456789abcdef"));
        assert!(!is_handle("0123456789ABCDEF"));
        assert!(!is_handle("0123456789abcde"));
        assert!(!is_handle("../../etc/passwd"));
    }
}
