//! Errors of the JSON API as `application/problem+json` (RFC 9457): a stable `type` per rule, so
//! that integrations can branch on it, a human `title` and `detail`, and the field errors.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::rules::DomainError;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};

/// Every problem type is `urn:gatehouse:problem:<slug>`; a refused rule's slug is its message key.
pub const TYPE_PREFIX: &str = "urn:gatehouse:problem:";

/// One field the request got wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// The JSON member (or query parameter) at fault.
    pub field: String,
    /// A stable code for the rule it broke.
    pub code: String,
    /// The rule in words.
    pub message: String,
}

/// A problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Seconds to wait (429 only), as in the Retry-After header.
    #[serde(skip)]
    pub retry_after: Option<i64>,
}

impl Problem {
    pub fn new(status: StatusCode, slug: &str, title: &str) -> Self {
        Self {
            kind: format!("{TYPE_PREFIX}{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: None,
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn field(mut self, field: &str, code: &str, message: impl Into<String>) -> Self {
        self.errors.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        });
        self
    }

    pub fn unauthorized(detail: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
        )
        .detail(detail)
    }

    pub fn forbidden(slug: &str, detail: &str) -> Self {
        Self::new(StatusCode::FORBIDDEN, slug, "Forbidden").detail(detail)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found")
            .detail("No such resource in the token's organization.")
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", "Bad request").detail(detail)
    }

    /// A request whose fields break rules: 422 with one entry per field.
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        let mut problem = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-request",
            "The request has invalid fields",
        );
        problem.errors = errors;
        problem
    }

    /// A rule of the console refused the change: the same message the page shows.
    pub fn rule(key: &str, lang: Lang) -> Self {
        let message = Tr(lang).t(key);
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, key, &Tr(Lang::En).t(key)).detail(message)
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal server error",
        )
    }

    pub fn unavailable() -> Self {
        let mut problem = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
        )
        .detail("The database is not reachable. Try again shortly.");
        problem.retry_after = Some(5);
        problem
    }

    /// The problem for an error of the application, worded in `lang`.
    pub fn from_app(err: AppError, lang: Lang) -> Self {
        match err {
            AppError::NotFound => Self::not_found(),
            AppError::Forbidden => {
                Self::forbidden("forbidden", "The token's owner may not do this.")
            }
            AppError::BadRequest => Self::bad_request("The request could not be read."),
            AppError::Rule(violation) => Self::rule(violation.message_key(), lang),
            AppError::Pool(_) => Self::unavailable(),
            AppError::Database(ref db) if crate::db::is_unavailable(db) => Self::unavailable(),
            other => {
                tracing::error!(error = %other, "API request failed");
                Self::internal()
            }
        }
    }

    pub fn from_domain(err: DomainError, lang: Lang) -> Self {
        Self::from_app(err.into(), lang)
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code())
            .insert_header((header::CONTENT_TYPE, "application/problem+json"))
            .body(serde_json::to_string(self).unwrap_or_default());
        if let Some(value) = self
            .retry_after
            .and_then(|seconds| HeaderValue::from_str(&seconds.to_string()).ok())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if self.status == 401 {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"gatehouse\""),
            );
        }
        response
    }
}

impl From<diesel::result::Error> for Problem {
    fn from(err: diesel::result::Error) -> Self {
        Self::from_app(AppError::Database(err), Lang::En)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.kind)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        Problem::status_code(self)
    }

    fn error_response(&self) -> HttpResponse {
        self.response()
    }
}
