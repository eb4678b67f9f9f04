//! Form bodies with repeated fields (checkbox groups: `role_id=1&role_id=2`), which serde's
//! url-encoded parser cannot express as lists.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use crate::error::AppError;

#[derive(Debug, Clone, Default)]
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// The first value of a field, trimmed of nothing (passwords keep their spaces).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value, or "" when absent.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }

    /// Every value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// Every value of a repeated field that is an id; anything else answers 400.
    /// Every value of the field as an id (`RoleId`, `MembershipId`, or a plain `i64`); anything
    /// else is a bad request.
    pub fn ids<T: std::str::FromStr>(&self, name: &str) -> Result<Vec<T>, AppError> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.parse::<T>().map_err(|_| AppError::BadRequest))
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

impl FromRequest for FormFields {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = bytes.await.map_err(|_| AppError::BadRequest)?;
            Ok(Self(
                url::form_urlencoded::parse(&body)
                    .map(|(key, value)| (key.into_owned(), value.into_owned()))
                    .collect(),
            ))
        })
    }
}
