//! The cookies Gatehouse sets. Under https they are Secure and `__Host-` prefixed, which pins them
//! to our exact host and path so a sibling subdomain cannot plant or overwrite them.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};

use crate::config::Settings;

#[derive(Debug, Clone, Copy)]
pub enum CookieKind {
    /// The session id.
    Session,
    /// The CSRF token of a visitor who is not signed in (double-submit).
    AnonymousCsrf,
    /// A message key shown once after a redirect.
    Flash,
    /// Tokens of the devices trusted for "every N days" two-factor (Max-Age = those days).
    TrustedDevice,
    /// The state of a round trip to an identity provider: only the browser that started it may
    /// finish it (against login CSRF).
    SsoState,
}

impl CookieKind {
    fn base_name(self) -> &'static str {
        match self {
            Self::Session => "gh_session",
            Self::AnonymousCsrf => "gh_csrf",
            Self::Flash => "gh_flash",
            Self::TrustedDevice => "gh_trusted",
            Self::SsoState => "gh_sso",
        }
    }

    pub fn name(self, settings: &Settings) -> String {
        if settings.is_https() {
            format!("__Host-{}", self.base_name())
        } else {
            self.base_name().to_owned()
        }
    }

    /// A cookie for the browser session (no Max-Age): the server enforces lifetimes.
    pub fn build(self, settings: &Settings, value: String) -> Cookie<'static> {
        Cookie::build(self.name(settings), value)
            .path("/")
            .http_only(true)
            .secure(settings.is_https())
            .same_site(SameSite::Lax)
            .finish()
    }

    /// A cookie that outlives the browser session by `days`.
    pub fn build_for_days(self, settings: &Settings, value: String, days: i32) -> Cookie<'static> {
        let mut cookie = self.build(settings, value);
        cookie.set_max_age(CookieDuration::days(i64::from(days)));
        cookie
    }

    /// A cookie that lasts `minutes`.
    pub fn build_for_minutes(
        self,
        settings: &Settings,
        value: String,
        minutes: i64,
    ) -> Cookie<'static> {
        let mut cookie = self.build(settings, value);
        cookie.set_max_age(CookieDuration::minutes(minutes));
        cookie
    }

    pub fn removal(self, settings: &Settings) -> Cookie<'static> {
        let mut cookie = self.build(settings, String::new());
        cookie.set_max_age(CookieDuration::ZERO);
        cookie
    }
}
