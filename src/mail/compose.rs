//! Every email has a plain-text and an HTML part, rendered from `templates/emails/` in the
//! recipient's language.

use askama::Template;

use crate::i18n::{Lang, Tr};

#[derive(Debug, Clone)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Subjects and names end up in headers: control characters (CR, LF) would let them add headers
/// of their own, so they become spaces.
pub fn header_safe(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Template)]
#[template(path = "emails/password_reset.txt")]
struct PasswordResetText<'a> {
    t: Tr,
    name: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "emails/password_reset.html")]
struct PasswordResetHtml<'a> {
    t: Tr,
    name: &'a str,
    link: &'a str,
}

pub fn password_reset(lang: Lang, name: &str, link: &str) -> Result<RenderedEmail, askama::Error> {
    let t = Tr(lang);
    Ok(RenderedEmail {
        subject: header_safe(&t.t("email-reset-subject")),
        text: PasswordResetText { t, name, link }.render()?,
        html: PasswordResetHtml { t, name, link }.render()?,
    })
}

#[derive(Template)]
#[template(path = "emails/test_message.txt")]
struct TestMessageText<'a> {
    t: Tr,
    organization: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "emails/test_message.html")]
struct TestMessageHtml<'a> {
    t: Tr,
    organization: &'a str,
    link: &'a str,
}

/// The message an administrator sends to themselves to check that email gets out.
pub fn test_message(
    lang: Lang,
    organization: &str,
    link: &str,
) -> Result<RenderedEmail, askama::Error> {
    let t = Tr(lang);
    Ok(RenderedEmail {
        subject: header_safe(&t.t1("email-test-subject", "organization", organization)),
        text: TestMessageText {
            t,
            organization,
            link,
        }
        .render()?,
        html: TestMessageHtml {
            t,
            organization,
            link,
        }
        .render()?,
    })
}

#[derive(Template)]
#[template(path = "emails/invitation.txt")]
struct InvitationText<'a> {
    t: Tr,
    organization: &'a str,
    inviter: &'a str,
    link: &'a str,
    expires: &'a str,
}

#[derive(Template)]
#[template(path = "emails/invitation.html")]
struct InvitationHtml<'a> {
    t: Tr,
    organization: &'a str,
    inviter: &'a str,
    link: &'a str,
    expires: &'a str,
}

pub fn invitation(
    lang: Lang,
    organization: &str,
    inviter: &str,
    link: &str,
    expires_at: time::PrimitiveDateTime,
) -> Result<RenderedEmail, askama::Error> {
    let t = Tr(lang);
    let expires = crate::i18n::format::timestamp_utc(expires_at);
    let expires = expires.as_str();
    Ok(RenderedEmail {
        subject: header_safe(&t.t1("email-invitation-subject", "organization", organization)),
        text: InvitationText {
            t,
            organization,
            inviter,
            link,
            expires,
        }
        .render()?,
        html: InvitationHtml {
            t,
            organization,
            inviter,
            link,
            expires,
        }
        .render()?,
    })
}

#[derive(Template)]
#[template(path = "emails/external_invitation.txt")]
struct ExternalInvitationText<'a> {
    t: Tr,
    organization: &'a str,
    inviter: &'a str,
    link: &'a str,
    expires: &'a str,
    access_until: &'a str,
    zone: &'a str,
}

#[derive(Template)]
#[template(path = "emails/external_invitation.html")]
struct ExternalInvitationHtml<'a> {
    t: Tr,
    organization: &'a str,
    inviter: &'a str,
    link: &'a str,
    expires: &'a str,
    access_until: &'a str,
    zone: &'a str,
}

/// The registration link of an external user (API portal access): the organization, who
/// invited them, until when the link works, and when access ends (`access_expires_on` at 23:59
/// in `zone`; None: no end).
pub fn external_invitation(
    lang: Lang,
    organization: &str,
    inviter: &str,
    link: &str,
    link_expires_at: time::PrimitiveDateTime,
    access_expires_on: Option<time::Date>,
    zone: &str,
) -> Result<RenderedEmail, askama::Error> {
    let t = Tr(lang);
    let expires = crate::i18n::format::timestamp_utc(link_expires_at);
    let expires = expires.as_str();
    let access_until = access_expires_on
        .map(|date| {
            crate::i18n::format::Viewer {
                lang,
                zone: zone.to_owned(),
            }
            .date(date)
        })
        .unwrap_or_default();
    let access_until = access_until.as_str();
    Ok(RenderedEmail {
        subject: header_safe(&t.t1("external-email-subject", "organization", organization)),
        text: ExternalInvitationText {
            t,
            organization,
            inviter,
            link,
            expires,
            access_until,
            zone,
        }
        .render()?,
        html: ExternalInvitationHtml {
            t,
            organization,
            inviter,
            link,
            expires,
            access_until,
            zone,
        }
        .render()?,
    })
}

#[derive(Template)]
#[template(path = "emails/access_granted.txt")]
struct AccessGrantedText<'a> {
    t: Tr,
    organization: &'a str,
    name: &'a str,
    inviter: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "emails/access_granted.html")]
struct AccessGrantedHtml<'a> {
    t: Tr,
    organization: &'a str,
    name: &'a str,
    inviter: &'a str,
    link: &'a str,
}

pub fn access_granted(
    lang: Lang,
    organization: &str,
    name: &str,
    inviter: &str,
    link: &str,
) -> Result<RenderedEmail, askama::Error> {
    let t = Tr(lang);
    Ok(RenderedEmail {
        subject: header_safe(&t.t1("email-granted-subject", "organization", organization)),
        text: AccessGrantedText {
            t,
            organization,
            name,
            inviter,
            link,
        }
        .render()?,
        html: AccessGrantedHtml {
            t,
            organization,
            name,
            inviter,
            link,
        }
        .render()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_lose_line_breaks() {
        assert_eq!(
            header_safe("Hello\r\nBcc: evil@example.com"),
            "Hello Bcc: evil@example.com"
        );
        assert_eq!(header_safe("  Plain   subject "), "Plain subject");
    }

    #[test]
    fn reset_email_has_both_parts_with_the_link() {
        let email = password_reset(Lang::PtBr, "Ana <b>", "http://x/reset-password/abc").unwrap();
        assert!(email.text.contains("http://x/reset-password/abc"));
        assert!(email.html.contains("href=\"http://x/reset-password/abc\""));
        assert!(
            email.html.contains("Ana &#60;b&#62;"),
            "names are escaped in HTML"
        );
        assert!(email.text.contains("Ana <b>"), "and left alone in text");
        assert!(!email.subject.is_empty());
    }
}

#[derive(Template)]
#[template(path = "emails/two_factor.txt")]
struct TwoFactorText<'a> {
    t: Tr,
    name: &'a str,
    organization: &'a str,
    code: &'a str,
}

#[derive(Template)]
#[template(path = "emails/two_factor.html")]
struct TwoFactorHtml<'a> {
    t: Tr,
    name: &'a str,
    organization: &'a str,
    code: &'a str,
}

/// The code that completes a sign-in (or a switch) into an organization with two-factor.
pub fn two_factor_code(
    lang: Lang,
    name: &str,
    organization: &str,
    code: &str,
) -> Result<RenderedEmail, askama::Error> {
    let t = Tr(lang);
    Ok(RenderedEmail {
        subject: header_safe(&t.t("email-two-factor-subject")),
        text: TwoFactorText {
            t,
            name,
            organization,
            code,
        }
        .render()?,
        html: TwoFactorHtml {
            t,
            name,
            organization,
            code,
        }
        .render()?,
    })
}

#[derive(Template)]
#[template(path = "emails/token_notice.txt")]
struct TokenNoticeText<'a> {
    t: Tr,
    name: &'a str,
    message: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "emails/token_notice.html")]
struct TokenNoticeHtml<'a> {
    t: Tr,
    subject: &'a str,
    name: &'a str,
    message: &'a str,
    link: &'a str,
}

/// What happened to one of a person's personal access tokens.
pub enum TokenNotice<'a> {
    /// Someone else (an admin) revoked it.
    Revoked { by: &'a str },
    /// It stops working at `expires` (already formatted for the reader).
    Expiring { expires: &'a str },
}

pub fn token_notice(
    lang: Lang,
    name: &str,
    token_name: &str,
    organization: &str,
    notice: TokenNotice<'_>,
    link: &str,
) -> Result<RenderedEmail, askama::Error> {
    let t = Tr(lang);
    let (subject, message) = match notice {
        TokenNotice::Revoked { by } => (
            t.t1("email-token-revoked-subject", "token", token_name),
            t.t_args(
                "email-token-revoked-body",
                &t.args3("token", token_name, "organization", organization, "by", by),
            ),
        ),
        TokenNotice::Expiring { expires } => (
            t.t1("email-token-expiring-subject", "token", token_name),
            t.t_args(
                "email-token-expiring-body",
                &t.args3(
                    "token",
                    token_name,
                    "organization",
                    organization,
                    "expires",
                    expires,
                ),
            ),
        ),
    };
    let subject = header_safe(&subject);
    Ok(RenderedEmail {
        text: TokenNoticeText {
            t,
            name,
            message: &message,
            link,
        }
        .render()?,
        html: TokenNoticeHtml {
            t,
            subject: &subject,
            name,
            message: &message,
            link,
        }
        .render()?,
        subject,
    })
}

#[derive(Template)]
#[template(path = "emails/webhook_disabled.txt")]
struct WebhookDisabledText<'a> {
    t: Tr,
    name: &'a str,
    message: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "emails/webhook_disabled.html")]
struct WebhookDisabledHtml<'a> {
    t: Tr,
    subject: &'a str,
    name: &'a str,
    message: &'a str,
    link: &'a str,
}

/// Tells an organization's owner that a webhook stopped after five days of failures.
pub fn webhook_disabled(
    lang: Lang,
    name: &str,
    url: &str,
    organization: &str,
    link: &str,
) -> Result<RenderedEmail, askama::Error> {
    let t = Tr(lang);
    let subject = header_safe(&t.t1(
        "email-webhook-disabled-subject",
        "organization",
        organization,
    ));
    let message = t.t_args(
        "email-webhook-disabled-body",
        &t.args2("url", url, "organization", organization),
    );
    Ok(RenderedEmail {
        text: WebhookDisabledText {
            t,
            name,
            message: &message,
            link,
        }
        .render()?,
        html: WebhookDisabledHtml {
            t,
            subject: &subject,
            name,
            message: &message,
            link,
        }
        .render()?,
        subject,
    })
}
