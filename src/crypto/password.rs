//! Password rules and hashing.
//!
//! bcrypt reads at most 72 bytes, so a long passphrase would be silently cut. Every password is
//! therefore pre-hashed: HMAC-SHA256 keyed with a fixed, Gatehouse-specific label, then base64
//! (44 ASCII bytes, no NUL), and that string is what bcrypt hashes. Every character counts, and the
//! keyed pre-hash keeps our hashes from being "shucked" with leaked plain SHA-256 lists.
//!
//! Hashing is slow on purpose, so it never runs on the async executor: it runs on the blocking pool,
//! and a semaphore lets only half the cores hash at once, so a burst of sign-ins cannot starve the
//! rest of the console.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::Semaphore;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;
const PREHASH_KEY: &[u8] = b"gatehouse/bcrypt-prehash/v1";

/// A password that passed the length rule (counted in characters, not bytes).
#[derive(Clone)]
pub struct NewPassword(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
    NeedsSpecial,
}

/// What an organization's policy adds to the length rule (the strictest of the account's
/// organizations applies).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PasswordRules {
    pub require_special: bool,
    /// How many of the latest passwords (the current one included) a new one may not repeat;
    /// 0 = no history check.
    pub history: i32,
    /// Days after which the password must be changed at the next sign-in; 0 = never.
    pub expiry_days: i32,
}

/// A character that is not a letter, a digit or white space: `! # $ % _ < = >` and the like.
fn is_special(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

impl PasswordError {
    /// The message catalog key that explains the error.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::TooShort => "password-too-short",
            Self::TooLong => "password-too-long",
            Self::NeedsSpecial => "password-needs-special",
        }
    }
}

impl NewPassword {
    pub fn parse(candidate: &str) -> Result<Self, PasswordError> {
        let length = candidate.chars().count();
        if length < MIN_LENGTH {
            Err(PasswordError::TooShort)
        } else if length > MAX_LENGTH {
            Err(PasswordError::TooLong)
        } else {
            Ok(Self(candidate.to_owned()))
        }
    }

    /// The length rule plus the policy's rules.
    pub fn parse_with(candidate: &str, rules: PasswordRules) -> Result<Self, PasswordError> {
        let password = Self::parse(candidate)?;
        if rules.require_special && !candidate.chars().any(is_special) {
            return Err(PasswordError::NeedsSpecial);
        }
        Ok(password)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

fn prehash(password: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(PREHASH_KEY).expect("HMAC takes any key length");
    mac.update(password.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Hashes synchronously; call it off the async executor (the CLI may call it directly).
pub fn hash_blocking(password: &str, cost: u32) -> Result<String, bcrypt::BcryptError> {
    bcrypt::hash(prehash(password), cost)
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    bcrypt::verify(prehash(password), hash).unwrap_or(false)
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Bcrypt(#[from] bcrypt::BcryptError),
    #[error("password hashing was interrupted")]
    Interrupted,
}

/// Hashes and verifies passwords on the blocking pool, a few at a time.
#[derive(Clone)]
pub struct PasswordHasher {
    cost: u32,
    permits: Arc<Semaphore>,
    /// Checked against when the account is unknown, so that "no such email" takes as long as
    /// "wrong password".
    dummy_hash: Arc<str>,
}

impl PasswordHasher {
    pub fn new(cost: u32) -> Result<Self, HashError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let dummy_hash = hash_blocking("gatehouse dummy password for unknown accounts", cost)?;
        Ok(Self {
            cost,
            permits: Arc::new(Semaphore::new((cores / 2).max(1))),
            dummy_hash: dummy_hash.into(),
        })
    }

    pub async fn hash(&self, password: &NewPassword) -> Result<String, HashError> {
        let password = password.expose().to_owned();
        let cost = self.cost;
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| HashError::Interrupted)?;
        tokio::task::spawn_blocking(move || hash_blocking(&password, cost))
            .await
            .map_err(|_| HashError::Interrupted)?
            .map_err(HashError::from)
    }

    /// True when `password` matches `hash`. With no hash (unknown account, or one that never set a
    /// password) it checks against the dummy hash and answers false, taking the same time.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        let password = password.to_owned();
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let matches = tokio::task::spawn_blocking(move || verify_blocking(&password, &hash))
            .await
            .unwrap_or(false);
        known && matches
    }

    /// True when `password` matches any of `hashes` (an account's recent passwords). The
    /// verifications run on the blocking pool, under one permit, stopping at the first match.
    pub async fn matches_any(&self, password: &str, hashes: Vec<String>) -> bool {
        if hashes.is_empty() {
            return false;
        }
        let password = password.to_owned();
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        tokio::task::spawn_blocking(move || {
            hashes.iter().any(|hash| verify_blocking(&password, hash))
        })
        .await
        .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rule_counts_characters() {
        assert_eq!(
            NewPassword::parse("short").unwrap_err(),
            PasswordError::TooShort
        );
        assert!(NewPassword::parse("twelve chars").is_ok());
        // 12 characters but 24 bytes: long enough.
        assert!(NewPassword::parse("ééééééééééé1").is_ok());
        assert_eq!(
            NewPassword::parse(&"x".repeat(129)).unwrap_err(),
            PasswordError::TooLong
        );
        assert!(NewPassword::parse(&"x".repeat(128)).is_ok());
    }

    #[test]
    fn policies_can_require_a_special_character() {
        let strict = PasswordRules {
            require_special: true,
            ..PasswordRules::default()
        };
        assert_eq!(
            NewPassword::parse_with("only letters and spaces", strict).unwrap_err(),
            PasswordError::NeedsSpecial
        );
        assert!(NewPassword::parse_with("letters and a # sign", strict).is_ok());
        assert!(NewPassword::parse_with("letters_underscore", strict).is_ok());
        assert!(
            NewPassword::parse_with("only letters and spaces", PasswordRules::default()).is_ok()
        );
    }

    #[test]
    fn characters_beyond_72_bytes_count() {
        let base = "a".repeat(80);
        let hash = hash_blocking(&format!("{base}1"), 4).unwrap();
        assert!(verify_blocking(&format!("{base}1"), &hash));
        assert!(!verify_blocking(&format!("{base}2"), &hash));
    }

    #[tokio::test]
    async fn matches_any_finds_a_recent_password() {
        let hasher = PasswordHasher::new(4).unwrap();
        let hashes = vec![
            hash_blocking("first passphrase here", 4).unwrap(),
            hash_blocking("second passphrase here", 4).unwrap(),
        ];
        assert!(
            hasher
                .matches_any("second passphrase here", hashes.clone())
                .await
        );
        assert!(!hasher.matches_any("third passphrase here", hashes).await);
        assert!(!hasher.matches_any("anything", Vec::new()).await);
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        let hasher = PasswordHasher::new(4).unwrap();
        let password = NewPassword::parse("correct horse battery").unwrap();
        let hash = hasher.hash(&password).await.unwrap();
        assert!(hasher.verify("correct horse battery", Some(&hash)).await);
        assert!(!hasher.verify("wrong horse battery", Some(&hash)).await);
        assert!(
            !hasher
                .verify("gatehouse dummy password for unknown accounts", None)
                .await
        );
    }
}
