//! Secrets the server must read back (an authenticator app's shared secret, an identity
//! provider's client secret) are kept sealed in the database: AES-256-GCM under a key from the
//! settings (`GATEHOUSE_SECRET_KEY`), never in the clear. Each value is bound to what it belongs
//! to (`context`, e.g. `totp:42`), so a sealed value copied to another row does not open there.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::RngCore;

/// The format's version, first in every sealed value, so the scheme can change later.
const VERSION: &str = "v1";
const NONCE_BYTES: usize = 12;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretKeyError {
    #[error("GATEHOUSE_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32)")]
    Malformed,
}

/// The key secrets are sealed with.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    /// A key as the settings give it: 32 bytes in base64 (what `openssl rand -base64 32`
    /// prints).
    pub fn parse(text: &str) -> Result<Self, SecretKeyError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| SecretKeyError::Malformed)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| SecretKeyError::Malformed)?;
        Ok(Self(key))
    }

    pub fn generate() -> Self {
        let mut key = [0; 32];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    /// The key in the settings' form.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// `v1.<nonce and ciphertext, base64url>`: a fresh random nonce each time.
    pub fn seal(&self, plain: &[u8], context: &str) -> String {
        let mut nonce = [0; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let cipher = Aes256Gcm::new_from_slice(&self.0).expect("a 32-byte key");
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .expect("AES-GCM seals any length we store");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{VERSION}.{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// The plain value, or `None` when the value was not sealed by this key for this context
    /// (or was altered).
    pub fn open(&self, sealed: &str, context: &str) -> Option<Vec<u8>> {
        let body = sealed.strip_prefix(VERSION)?.strip_prefix('.')?;
        let bytes = URL_SAFE_NO_PAD.decode(body).ok()?;
        if bytes.len() <= NONCE_BYTES {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let cipher = Aes256Gcm::new_from_slice(&self.0).ok()?;
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_with_its_key_and_context_only() {
        let key = SecretKey::generate();
        let sealed = key.seal(b"shared secret", "totp:42");
        assert!(sealed.starts_with("v1."));
        assert!(!sealed.contains("shared"));
        assert_eq!(
            key.open(&sealed, "totp:42").as_deref(),
            Some(&b"shared secret"[..])
        );
        assert_eq!(key.open(&sealed, "totp:43"), None, "moved to another row");
        assert_eq!(SecretKey::generate().open(&sealed, "totp:42"), None);
        assert_ne!(
            sealed,
            key.seal(b"shared secret", "totp:42"),
            "a fresh nonce"
        );
        let mut altered = sealed.clone();
        let last = altered.pop().unwrap();
        altered.push(if last == 'A' { 'B' } else { 'A' });
        assert_eq!(key.open(&altered, "totp:42"), None);
        assert_eq!(key.open("v1.", "totp:42"), None);
        assert_eq!(key.open("plain", "totp:42"), None);
    }

    #[test]
    fn keys_come_from_base64_of_32_bytes() {
        let key = SecretKey::generate();
        let again = SecretKey::parse(&key.to_base64()).unwrap();
        assert_eq!(
            again.open(&key.seal(b"x", "c"), "c").as_deref(),
            Some(&b"x"[..])
        );
        assert_eq!(
            SecretKey::parse("c2hvcnQ=").unwrap_err(),
            SecretKeyError::Malformed
        );
        assert!(SecretKey::parse("not base64!").is_err());
    }
}
