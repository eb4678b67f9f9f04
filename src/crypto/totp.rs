//! Time-based one-time passwords (RFC 6238) for authenticator apps: HMAC-SHA-1, 30-second steps,
//! 6 digits, which is what every authenticator app reads from an `otpauth://` link. The clock
//! is the caller's (the app's injectable clock), and a code is accepted in the step before or
//! after the current one, once: the caller keeps the last step used and passes it back.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;
use time::PrimitiveDateTime;

use crate::crypto::token::constant_time_eq;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Steps either side of the current one a code may come from (a phone's clock a little off).
pub const DRIFT_STEPS: i64 = 1;
pub const DIGITS: u32 = 6;
/// 160 bits, the HMAC-SHA-1 block the RFC recommends.
const SECRET_BYTES: usize = 20;

/// A shared secret, as the authenticator app and the server both keep it.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(..)")
    }
}

impl TotpSecret {
    pub fn generate() -> Self {
        let mut bytes = vec![0; SECRET_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Base32 without padding, as typed into an app by hand (shown in groups of four).
    pub fn to_base32(&self) -> String {
        BASE32_NOPAD.encode(&self.0)
    }

    /// The code for one step.
    pub fn code_at_step(&self, step: i64) -> String {
        let mut mac =
            Hmac::<Sha1>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        // Dynamic truncation (RFC 4226 section 5.3).
        let offset = usize::from(digest[digest.len() - 1] & 0x0f);
        let binary = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        format!(
            "{:0width$}",
            binary % 10u32.pow(DIGITS),
            width = DIGITS as usize
        )
    }

    /// The step a code typed at `now` matched (the current one, or one either side), if it is
    /// later than `last_used_step`: each code is accepted once, and an older one never again.
    pub fn verify(
        &self,
        typed: &str,
        now: PrimitiveDateTime,
        last_used_step: Option<i64>,
    ) -> Option<i64> {
        let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let current = step_of(now);
        (current - DRIFT_STEPS..=current + DRIFT_STEPS)
            .filter(|step| last_used_step.is_none_or(|used| *step > used))
            .find(|step| constant_time_eq(&self.code_at_step(*step), &typed))
    }

    /// The `otpauth://` link an authenticator app reads from the QR code.
    pub fn provisioning_uri(&self, issuer: &str, account: &str) -> String {
        format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            percent(issuer),
            percent(account),
            self.to_base32(),
            percent(issuer),
        )
    }
}

/// Percent-encodes all but the unreserved characters (spaces as `%20`, which every
/// authenticator app reads; `+` is not read as a space by all of them).
fn percent(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The step `at` falls in: whole 30-second periods since the Unix epoch.
pub fn step_of(at: PrimitiveDateTime) -> i64 {
    at.assume_utc().unix_timestamp().div_euclid(STEP_SECONDS)
}

/// The QR code of a provisioning link, as an SVG drawn on the server (no script, no image
/// request): dark modules on white, which phone cameras read in dark mode too.
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn at(unix: i64) -> PrimitiveDateTime {
        let instant = OffsetDateTime::from_unix_timestamp(unix).unwrap();
        PrimitiveDateTime::new(instant.date(), instant.time())
    }

    /// RFC 6238 appendix B, SHA-1, the last six of its eight digits.
    #[test]
    fn the_rfc_test_vectors_hold() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        for (unix, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(secret.code_at_step(step_of(at(unix))), code, "at {unix}");
        }
    }

    #[test]
    fn one_step_of_drift_either_way_and_each_code_once() {
        let secret = TotpSecret::generate();
        let now = at(1_800_000_015);
        let current = step_of(now);
        let previous = secret.code_at_step(current - 1);
        let next = secret.code_at_step(current + 1);
        let too_old = secret.code_at_step(current - 2);
        assert_eq!(secret.verify(&previous, now, None), Some(current - 1));
        assert_eq!(secret.verify(&next, now, None), Some(current + 1));
        assert_eq!(secret.verify(&too_old, now, None), None);
        // Once a step is used, it and every earlier one are refused.
        let code = secret.code_at_step(current);
        assert_eq!(secret.verify(&code, now, Some(current)), None);
        assert_eq!(secret.verify(&previous, now, Some(current - 1)), None);
        assert_eq!(secret.verify(&next, now, Some(current)), Some(current + 1));
        // Spaces are fine, anything else is not a code.
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(secret.verify(&spaced, now, None), Some(current));
        assert_eq!(secret.verify("12345", now, None), None);
        assert_eq!(secret.verify("12345a", now, None), None);
    }

    #[test]
    fn the_link_and_its_qr_code_carry_the_secret() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        assert_eq!(secret.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let uri = secret.provisioning_uri("Gatehouse (Acme & Co)", "ada@example.com");
        assert_eq!(
            uri,
            "otpauth://totp/Gatehouse%20%28Acme%20%26%20Co%29:ada%40example.com\
             ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Gatehouse%20%28Acme%20%26%20Co%29\
             &algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        assert!(!svg.contains("<script"));
    }
}
