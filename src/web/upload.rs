//! Multipart forms with text fields and at most one file (the API form's OpenAPI document, a
//! partner's logo).
//!
//! The session layer has already checked their CSRF token; a plain form's body was buffered up
//! to `UPLOAD_BODY_LIMIT` for that, but htmx sends the token in a header and its body streams
//! straight here, so the limits are applied again while reading: per field and in total.

use actix_multipart::Multipart;
use actix_web::HttpResponse;
use futures_util::StreamExt;

use crate::error::AppError;
use crate::web::form::FormFields;
use crate::web::middleware::UPLOAD_BODY_LIMIT;

/// Any text field (a description is at most 2000 characters of up to 4 bytes).
const TEXT_FIELD_LIMIT: usize = 16 * 1024;

/// What one form with a file input looks like.
pub struct FileForm {
    /// The name of the file input.
    pub file_field: &'static str,
    /// The largest file kept; a bigger one is marked `too_large` so the form can say so.
    pub file_limit: usize,
    /// More parts than the form has is not our form.
    pub max_parts: usize,
}

pub struct UploadedFile {
    /// The name the browser gave, "" when it gave none.
    pub filename: String,
    /// Empty when the file is too large.
    pub bytes: Vec<u8>,
    pub too_large: bool,
}

pub struct Upload {
    pub fields: FormFields,
    /// The chosen file, if one was chosen.
    pub file: Option<UploadedFile>,
}

pub enum UploadError {
    /// More than `UPLOAD_BODY_LIMIT` in all: 413.
    TooLarge,
    /// Not a form our page sends (a text field over its limit, too many parts, not UTF-8): 400.
    Malformed,
}

impl UploadError {
    /// The answer: 413 is a response of its own (the error-page layer words it), 400 an error.
    pub fn response(self) -> Result<HttpResponse, AppError> {
        match self {
            Self::TooLarge => Ok(HttpResponse::PayloadTooLarge().finish()),
            Self::Malformed => Err(AppError::BadRequest),
        }
    }
}

impl FileForm {
    /// Reads the text fields (up to 16 KiB each) and the file (up to `file_limit`; a bigger one
    /// is marked, not kept, and only the first file part counts). The whole body may not pass
    /// `UPLOAD_BODY_LIMIT`.
    pub async fn read(&self, mut multipart: Multipart) -> Result<Upload, UploadError> {
        let mut total = 0usize;
        let mut pairs = Vec::new();
        let mut file = None;
        let mut parts = 0;
        while let Some(field) = multipart.next().await {
            let mut field = field.map_err(|_| UploadError::Malformed)?;
            parts += 1;
            if parts > self.max_parts {
                return Err(UploadError::Malformed);
            }
            let name = field.name().unwrap_or_default().to_owned();
            let is_file = name == self.file_field;
            let limit = if is_file {
                self.file_limit
            } else {
                TEXT_FIELD_LIMIT
            };
            let filename = field
                .content_disposition()
                .and_then(|disposition| disposition.get_filename())
                .map(str::to_owned)
                .unwrap_or_default();
            let mut data = Vec::new();
            let mut over = false;
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(|_| UploadError::Malformed)?;
                total += chunk.len();
                if total > UPLOAD_BODY_LIMIT {
                    return Err(UploadError::TooLarge);
                }
                // Past the limit the rest is still read (and counted), but not kept.
                if over || data.len() + chunk.len() > limit {
                    over = true;
                    data = Vec::new();
                } else {
                    data.extend_from_slice(&chunk);
                }
            }
            if is_file {
                // A file input left empty still sends a part, without a name or content.
                let chosen = over || !filename.is_empty() || !data.is_empty();
                if chosen && file.is_none() {
                    file = Some(UploadedFile {
                        filename,
                        bytes: data,
                        too_large: over,
                    });
                }
            } else {
                if over {
                    return Err(UploadError::Malformed);
                }
                let value = String::from_utf8(data).map_err(|_| UploadError::Malformed)?;
                pairs.push((name, value));
            }
        }
        Ok(Upload {
            fields: FormFields::from_pairs(pairs),
            file,
        })
    }
}
