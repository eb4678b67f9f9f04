//! Static files embedded in the binary: served with their content type, an ETag, and a year-long
//! cache lifetime. Pages link them with `?v=<hash>`, so a new release is fetched at once.

use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::HttpMessage;
use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
#[exclude = "README.md"]
struct StaticFiles;

/// `?v=` suffix for each file: the first 16 hex digits of its SHA-256.
static VERSIONS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    StaticFiles::iter()
        .filter_map(|name| {
            let file = StaticFiles::get(&name)?;
            Some((
                name.to_string(),
                hex::encode(&file.metadata.sha256_hash()[..8]),
            ))
        })
        .collect()
});

/// The URL a page uses for a static file, with its version.
pub fn asset_url(name: &str) -> String {
    match VERSIONS.get(name) {
        Some(version) => format!("/static/{name}?v={version}"),
        None => format!("/static/{name}"),
    }
}

pub async fn serve(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let Some(file) = StaticFiles::get(path.as_str()) else {
        return HttpResponse::NotFound().finish();
    };
    let etag = EntityTag::new_strong(hex::encode(file.metadata.sha256_hash()));
    let cache = (header::CACHE_CONTROL, "public, max-age=31536000, immutable");
    let not_modified = match req.get_header::<IfNoneMatch>() {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => tags.iter().any(|tag| tag.weak_eq(&etag)),
        None => false,
    };
    if not_modified {
        return HttpResponse::NotModified()
            .insert_header(header::ETag(etag))
            .insert_header(cache)
            .finish();
    }
    HttpResponse::Ok()
        .content_type(file.metadata.mimetype())
        .insert_header(header::ETag(etag))
        .insert_header(cache)
        .body(file.data.into_owned())
}
