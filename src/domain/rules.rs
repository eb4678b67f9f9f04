//! Refusals that people must understand: each names a message in the catalog.

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RuleViolation(pub &'static str);

impl RuleViolation {
    pub fn message_key(self) -> &'static str {
        self.0
    }
}

/// The outcome of a domain operation that can be refused by a rule or fail in the database.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error(transparent)]
    Rule(#[from] RuleViolation),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("email could not be composed: {0}")]
    Compose(#[from] askama::Error),
}

pub type DomainResult<T> = Result<T, DomainError>;

/// Refuses with the given message key.
pub fn refuse<T>(key: &'static str) -> DomainResult<T> {
    Err(DomainError::Rule(RuleViolation(key)))
}
