//! What people type about a partner company, on the Partners wizard and its settings: the
//! partner's name, its logo, its email domains and its admin. Checked here once, for the wizard's
//! drafts and for the registration itself.

use crate::domain::account::EmailAddress;
use crate::i18n::Tr;

/// The largest logo accepted (512 KiB).
pub const MAX_LOGO_BYTES: usize = 512 * 1024;
/// The most email domains one partner may have.
pub const MAX_DOMAINS: usize = 20;
const MAX_PARTNER_NAME: usize = 100;
const MAX_PERSON_NAME: usize = 50;

/// A partner's name: trimmed, 1 to 100 characters, no control characters.
pub fn parse_partner_name(candidate: &str) -> Result<String, &'static str> {
    let name = candidate.trim();
    if name.is_empty() {
        Err("partners-name-required")
    } else if name.chars().count() > MAX_PARTNER_NAME || name.chars().any(char::is_control) {
        Err("partners-name-invalid")
    } else {
        Ok(name.to_owned())
    }
}

/// What a logo's content says it is: PNG, JPEG or WebP by their magic bytes, whatever the file
/// is called. Returns the content type to store, or the message key of the refusal.
pub fn check_logo(bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err("partners-logo-too-large");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok("image/png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok("image/jpeg");
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok("image/webp");
    }
    if looks_like_svg(bytes) {
        return Err("partners-logo-svg");
    }
    Err("partners-logo-type")
}

/// SVG can carry scripts; it is refused with its own message so people know why.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    String::from_utf8_lossy(head)
        .to_ascii_lowercase()
        .contains("<svg")
}

/// Why a list of domains was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainsProblem {
    Required,
    /// The piece as typed (shortened).
    Invalid(String),
    TooMany,
}

impl DomainsProblem {
    /// Why the typed domains were refused, in the reader's language.
    pub fn message(&self, t: Tr) -> String {
        match self {
            Self::Invalid(piece) => t.t1(self.message_key(), "domain", piece.as_str()),
            _ => t.t1(self.message_key(), "count", MAX_DOMAINS as i64),
        }
    }

    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Required => "partners-domains-required",
            Self::Invalid(_) => "partners-domain-invalid",
            Self::TooMany => "partners-domains-too-many",
        }
    }
}

/// Email domains, one per line or separated by commas or spaces, each `@partner.example` or
/// `partner.example`: lower-cased, de-duplicated (in the order typed), at most `MAX_DOMAINS`.
pub fn parse_domains(text: &str) -> Result<Vec<String>, DomainsProblem> {
    let mut domains: Vec<String> = Vec::new();
    for piece in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        if piece.is_empty() {
            continue;
        }
        let candidate = piece
            .strip_prefix('@')
            .unwrap_or(piece)
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if !valid_domain(&candidate) {
            return Err(DomainsProblem::Invalid(piece.chars().take(80).collect()));
        }
        if !domains.contains(&candidate) {
            domains.push(candidate);
        }
    }
    if domains.is_empty() {
        Err(DomainsProblem::Required)
    } else if domains.len() > MAX_DOMAINS {
        Err(DomainsProblem::TooMany)
    } else {
        Ok(domains)
    }
}

/// A domain name in its ASCII form (internationalized names as `xn--`): two labels or more, each
/// 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen, the last one not a
/// number.
fn valid_domain(domain: &str) -> bool {
    if domain.is_empty() || domain.len() > 253 || !domain.is_ascii() {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let labels_ok = labels.iter().all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    let top = labels.last().copied().unwrap_or_default();
    labels_ok && top.len() >= 2 && !top.chars().all(|c| c.is_ascii_digit())
}

/// The domain of an email address.
pub fn domain_of(email: &str) -> &str {
    email
        .rsplit_once('@')
        .map(|(_, domain)| domain)
        .unwrap_or_default()
}

pub fn email_in_domains(email: &EmailAddress, domains: &[String]) -> bool {
    let domain = domain_of(email.as_str());
    domains.iter().any(|allowed| allowed == domain)
}

fn parse_person_name(candidate: &str, required: &'static str) -> Result<String, &'static str> {
    let name = candidate.trim();
    if name.is_empty() {
        Err(required)
    } else if name.chars().count() > MAX_PERSON_NAME || name.chars().any(char::is_control) {
        Err("partners-person-name-invalid")
    } else {
        Ok(name.to_owned())
    }
}

/// The partner admin as typed: first and last name, and an email in the partner's domains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminInput {
    pub first_name: String,
    pub last_name: String,
    pub email: EmailAddress,
}

impl AdminInput {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// The message key of each field's refusal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminErrors {
    pub first_name: Option<&'static str>,
    pub last_name: Option<&'static str>,
    pub email: Option<&'static str>,
}

impl AdminErrors {
    pub fn first(&self) -> Option<&'static str> {
        self.first_name.or(self.last_name).or(self.email)
    }
}

pub fn parse_admin(
    first_name: &str,
    last_name: &str,
    email: &str,
    domains: &[String],
) -> Result<AdminInput, AdminErrors> {
    let first_name = parse_person_name(first_name, "partners-first-name-required");
    let last_name = parse_person_name(last_name, "partners-last-name-required");
    let email = EmailAddress::parse(email).and_then(|email| {
        if email_in_domains(&email, domains) {
            Ok(email)
        } else {
            Err("partners-admin-email-outside")
        }
    });
    match (first_name, last_name, email) {
        (Ok(first_name), Ok(last_name), Ok(email)) => Ok(AdminInput {
            first_name,
            last_name,
            email,
        }),
        (first_name, last_name, email) => Err(AdminErrors {
            first_name: first_name.err(),
            last_name: last_name.err(),
            email: email.err(),
        }),
    }
}

/// What happens to a stored logo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoChange {
    Keep,
    /// Checked bytes and their content type.
    Replace(Vec<u8>, String),
    Remove,
}

impl LogoChange {
    /// The logo and content type to store, or None to leave the stored ones alone.
    #[allow(clippy::type_complexity)]
    pub fn to_store(&self) -> Option<(Option<&[u8]>, Option<&str>)> {
        match self {
            Self::Keep => None,
            Self::Replace(bytes, content_type) => {
                Some((Some(bytes.as_slice()), Some(content_type.as_str())))
            }
            Self::Remove => Some((None, None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_are_recognised_by_their_content() {
        assert_eq!(check_logo(b"\x89PNG\r\n\x1a\nrest"), Ok("image/png"));
        assert_eq!(
            check_logo(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Ok("image/jpeg")
        );
        assert_eq!(check_logo(b"RIFF\x10\0\0\0WEBPVP8 "), Ok("image/webp"));
        assert_eq!(
            check_logo(b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Err("partners-logo-svg")
        );
        assert_eq!(check_logo(b"  <SVG></SVG>"), Err("partners-logo-svg"));
        assert_eq!(
            check_logo(b"just text, named logo.png"),
            Err("partners-logo-type")
        );
        assert_eq!(check_logo(b""), Err("partners-logo-type"));
        assert_eq!(
            check_logo(b"RIFF\0\0\0\0WAVEfmt "),
            Err("partners-logo-type")
        );
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_LOGO_BYTES, 0);
        assert_eq!(check_logo(&big), Ok("image/png"));
        big.push(0);
        assert_eq!(check_logo(&big), Err("partners-logo-too-large"));
    }

    #[test]
    fn domains_are_read_from_lines_commas_and_spaces() {
        assert_eq!(
            parse_domains("@Partner.example, partner.example\nsub.partner.example  @b.example."),
            Ok(vec![
                "partner.example".to_owned(),
                "sub.partner.example".to_owned(),
                "b.example".to_owned(),
            ])
        );
        assert_eq!(parse_domains(" \n, "), Err(DomainsProblem::Required));
        assert_eq!(
            parse_domains("partner.example localhost"),
            Err(DomainsProblem::Invalid("localhost".to_owned()))
        );
        for bad in [
            "-a.example",
            "a-.example",
            "a..example",
            "a.b_c.example",
            "bücher.example",
            "10.0.0.1",
            "@",
            "a.x",
        ] {
            assert!(
                matches!(parse_domains(bad), Err(DomainsProblem::Invalid(_))),
                "{bad}"
            );
        }
        assert!(parse_domains("xn--bcher-kva.example").is_ok());
        let many: Vec<String> = (0..21).map(|i| format!("d{i}.example")).collect();
        assert_eq!(parse_domains(&many.join(" ")), Err(DomainsProblem::TooMany));
        assert_eq!(parse_domains(&many[..20].join(",")).unwrap().len(), 20);
    }

    #[test]
    fn the_partner_admin_needs_names_and_an_email_in_the_domains() {
        let domains = vec!["partner.example".to_owned()];
        let admin = parse_admin(" Lin ", "Chen", "LIN@Partner.example", &domains).unwrap();
        assert_eq!(admin.full_name(), "Lin Chen");
        assert_eq!(admin.email.as_str(), "lin@partner.example");
        let errors = parse_admin("", " ", "lin@elsewhere.example", &domains).unwrap_err();
        assert_eq!(errors.first_name, Some("partners-first-name-required"));
        assert_eq!(errors.last_name, Some("partners-last-name-required"));
        assert_eq!(errors.email, Some("partners-admin-email-outside"));
        let errors = parse_admin("Lin", "Chen", "lin", &domains).unwrap_err();
        assert_eq!(errors.email, Some("email-invalid"));
        assert_eq!(errors.first(), Some("email-invalid"));
        let long = "x".repeat(51);
        let errors = parse_admin(&long, "Chen", "lin@partner.example", &domains).unwrap_err();
        assert_eq!(errors.first_name, Some("partners-person-name-invalid"));
        // A subdomain is another domain.
        assert!(parse_admin("Lin", "Chen", "lin@eu.partner.example", &domains).is_err());
    }

    #[test]
    fn partner_names_are_trimmed_and_bounded() {
        assert_eq!(parse_partner_name("  Acme  "), Ok("Acme".to_owned()));
        assert_eq!(parse_partner_name("   "), Err("partners-name-required"));
        assert_eq!(
            parse_partner_name(&"a".repeat(101)),
            Err("partners-name-invalid")
        );
        assert_eq!(parse_partner_name("a\nb"), Err("partners-name-invalid"));
    }
}
