//! One error type for the web layer. Its responses carry an `ErrorPage` marker and no body; the
//! error-page middleware, which knows the request's language and whether htmx asked, renders them.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("the request's security token or origin is not valid")]
    CsrfRejected,
    #[error("sign-in required")]
    SignInRequired,
    #[error("the account is not an active member of any organization")]
    NoOrganization,
    /// The organization's IP allow-list refuses the client's address.
    #[error("the organization does not accept this address")]
    AddressNotAllowed,
    #[error("bad request")]
    BadRequest,
    /// A rule refused the change; the page explains it with the rule's message.
    #[error("refused: {0}")]
    Rule(crate::domain::rules::RuleViolation),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("database unavailable: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::Internal(err.to_string())
    }
}

impl From<crate::domain::rules::DomainError> for AppError {
    fn from(err: crate::domain::rules::DomainError) -> Self {
        use crate::domain::rules::DomainError;
        match err {
            DomainError::Rule(violation) => Self::Rule(violation),
            DomainError::NotFound => Self::NotFound,
            DomainError::Database(err) => Self::Database(err),
            DomainError::Compose(err) => Self::from(err),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(err: askama::Error) -> Self {
        Self::Internal(format!("template: {err}"))
    }
}

impl From<crate::crypto::password::HashError> for AppError {
    fn from(err: crate::crypto::password::HashError) -> Self {
        Self::Internal(err.to_string())
    }
}

/// What the error-page middleware should show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPage {
    Status,
    Rule(&'static str),
    SignInRequired,
    CsrfRejected,
    NoOrganization,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden
            | Self::CsrfRejected
            | Self::NoOrganization
            | Self::AddressNotAllowed => StatusCode::FORBIDDEN,
            Self::SignInRequired => StatusCode::UNAUTHORIZED,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Rule(_) => StatusCode::CONFLICT,
            Self::Pool(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(err) if crate::db::is_unavailable(err) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(error = %self, "database unavailable");
        } else if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let page = match self {
            Self::SignInRequired => ErrorPage::SignInRequired,
            Self::CsrfRejected => ErrorPage::CsrfRejected,
            Self::NoOrganization => ErrorPage::NoOrganization,
            Self::AddressNotAllowed => ErrorPage::Rule("address-not-allowed"),
            Self::Rule(violation) => ErrorPage::Rule(violation.message_key()),
            _ => ErrorPage::Status,
        };
        let mut builder = HttpResponse::build(status);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            // A restart of the database takes seconds; tell clients and scripts when to retry.
            builder.insert_header((actix_web::http::header::RETRY_AFTER, "5"));
        }
        let mut response = builder.finish();
        response.extensions_mut().insert(page);
        response
    }
}
