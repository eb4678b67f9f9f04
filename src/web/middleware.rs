//! The session and CSRF layer every page request passes through. It resolves the session once,
//! picks the language, and refuses any unsafe request whose CSRF token or Origin is wrong, so no
//! handler can forget to.

use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::{self, BytesMut};
use actix_web::{Error, HttpMessage, ResponseError};
use futures_util::StreamExt;

use crate::app::access::{self, Lookup, SignedIn};
use crate::config::Settings;
use crate::crypto::token::{constant_time_eq, random_token};
use crate::domain::session;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::context::RequestContext;
use crate::web::cookies::CookieKind;
use crate::web::{htmx, password_expired, two_factor};

pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "csrf_token";
/// Forms are small; anything bigger is refused before it is buffered.
pub const FORM_BODY_LIMIT: usize = 64 * 1024;
/// Multipart forms carry uploads (an OpenAPI document of up to 2 MiB, with the other fields);
/// a bigger body is refused with 413 before it is buffered.
pub const UPLOAD_BODY_LIMIT: usize = 3 * 1024 * 1024;

pub async fn session_layer(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .expect("AppState is registered");
    let settings = state.settings.clone();
    let client_ip = client_address(&req, &settings);
    let trace = crate::domain::audit::Trace::new(
        req.headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|agent| agent.to_str().ok()),
        req.extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(ToString::to_string),
    );

    let trusted_device = req
        .cookie(&CookieKind::TrustedDevice.name(&settings))
        .map(|cookie| cookie.value().to_owned());
    let lookup = match req.cookie(&CookieKind::Session.name(&settings)) {
        Some(cookie) => {
            let value = cookie.value().to_owned();
            let (now, policy) = (state.now(), state.session_policy());
            let address = client_ip.clone();
            match state
                .db(move |conn| {
                    let lookup = access::load(conn, &value, now, policy)?;
                    let lookup = keep_within_allow_lists(conn, lookup, address.as_deref())?;
                    track_two_factor(conn, lookup, trusted_device.as_deref(), now)
                })
                .await
            {
                Ok(lookup) => lookup,
                Err(err) => return Ok(req.error_response(err)),
            }
        }
        None => Lookup::Unknown,
    };
    let (signed_in, session_ended) = match lookup {
        Lookup::Valid(signed_in) => (Some(Arc::<SignedIn>::from(signed_in)), None),
        Lookup::Expired => (None, Some("flash-session-expired")),
        Lookup::AccessEnded => (None, Some("flash-access-ended")),
        Lookup::Unknown => (None, None),
    };

    let lang = signed_in
        .as_ref()
        .and_then(|s| s.language.as_deref())
        .and_then(Lang::from_tag)
        .unwrap_or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok())
                .map(Lang::negotiate)
                .unwrap_or_default()
        });

    let anonymous_csrf = req
        .cookie(&CookieKind::AnonymousCsrf.name(&settings))
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| value.len() >= 32);
    let (csrf_token, new_anonymous_csrf) = match (&signed_in, anonymous_csrf) {
        (Some(signed_in), _) => (signed_in.csrf_token.clone(), None),
        (None, Some(token)) => (token.clone(), None),
        (None, None) => {
            let token = random_token();
            (token.clone(), Some(token))
        }
    };

    if is_unsafe(req.method()) {
        if !origin_is_ours(&req, &settings) {
            tracing::warn!(origin = ?req.headers().get(header::ORIGIN), "cross-origin request refused");
            return Ok(req.error_response(AppError::CsrfRejected));
        }
        let presented = match presented_csrf_token(&mut req).await {
            Ok(presented) => presented,
            Err(response) => return Ok(req.into_response(response)),
        };
        let valid = presented.is_some_and(|presented| constant_time_eq(&presented, &csrf_token));
        if !valid {
            tracing::warn!("request without a valid CSRF token refused");
            return Ok(req.error_response(AppError::CsrfRejected));
        }
    }

    // A two-factor code is due: nothing but the code page and sign-out until it is entered.
    let two_factor_pending = signed_in
        .as_ref()
        .is_some_and(|s| s.two_factor_pending_org.is_some());
    if two_factor_pending && !allowed_while_two_factor_pending(req.path()) {
        let response = htmx::see_other(req.request(), two_factor::PATH);
        return Ok(req.into_response(response));
    }
    // An expired password: nothing but the change page and sign-out until it is changed.
    if !two_factor_pending
        && signed_in
            .as_ref()
            .is_some_and(|s| s.password_change_required)
        && !allowed_while_password_expired(req.path())
    {
        let response = htmx::see_other(req.request(), password_expired::PATH);
        return Ok(req.into_response(response));
    }

    let flash = req
        .cookie(&CookieKind::Flash.name(&settings))
        .map(|cookie| cookie.value().to_owned());
    let showed_flash = flash.is_some();
    req.extensions_mut().insert(RequestContext {
        lang,
        csrf_token,
        signed_in,
        flash,
        session_ended,
        client_ip,
        trace,
    });

    let mut response = next.call(req).await?.map_into_boxed_body();
    if let Some(token) = new_anonymous_csrf {
        response
            .response_mut()
            .add_cookie(&CookieKind::AnonymousCsrf.build(&settings, token))?;
    }
    if let Some(reason) = session_ended {
        let response = response.response_mut();
        response.add_cookie(&CookieKind::Session.removal(&settings))?;
        // A redirect (to sign-in) carries the reason along; a page already showed it.
        if !response.status().is_success()
            && !response
                .cookies()
                .any(|c| c.name() == CookieKind::Flash.name(&settings))
        {
            response.add_cookie(&CookieKind::Flash.build(&settings, reason.to_owned()))?;
        }
    }
    // The flash was rendered into this page; a redirect passes it on to the next one.
    if showed_flash
        && response.status().is_success()
        && !has_cookie(&response, CookieKind::Flash, &settings)
    {
        response
            .response_mut()
            .add_cookie(&CookieKind::Flash.removal(&settings))?;
    }
    Ok(response)
}

/// An organization's IP allow-list applies while acting in it: a session whose current
/// organization refuses this address moves to another of the account's organizations that
/// accepts it, or to none (other organizations of the account are unaffected).
fn keep_within_allow_lists(
    conn: &mut crate::db::DbConnection,
    lookup: Lookup,
    address: Option<&str>,
) -> diesel::QueryResult<Lookup> {
    let Lookup::Valid(mut signed_in) = lookup else {
        return Ok(lookup);
    };
    let refused = signed_in.member.as_ref().is_some_and(|member| {
        !crate::domain::policy::address_allowed(&member.ip_allow_list, address)
    });
    if refused {
        let reachable =
            crate::domain::organization::first_reachable(conn, signed_in.account_id, address)?;
        signed_in.act_in(reachable);
        if let Some(member) = &signed_in.member {
            session::set_organization(conn, &signed_in.session_hash, member.organization_id)?;
        }
    }
    Ok(Lookup::Valid(signed_in))
}

/// Two-factor applies while acting in an organization that sets it: when the session's current
/// organization requires a code this session has not entered (at sign-in, after a switch, or
/// after a policy change mid-session), the session waits for one; otherwise nothing is pending.
fn track_two_factor(
    conn: &mut crate::db::DbConnection,
    lookup: Lookup,
    trusted_device: Option<&str>,
    now: time::PrimitiveDateTime,
) -> diesel::QueryResult<Lookup> {
    let Lookup::Valid(mut signed_in) = lookup else {
        return Ok(lookup);
    };
    let pending = match &signed_in.member {
        Some(member) if member.two_factor_off => None,
        Some(member) => {
            let organization_id = member.organization_id;
            let entered =
                session::two_factor_entered(conn, &signed_in.session_hash, organization_id)?;
            (!entered
                && crate::domain::two_factor::required(
                    conn,
                    signed_in.account_id,
                    organization_id,
                    trusted_device,
                    now,
                )?)
            .then_some(organization_id)
        }
        None => None,
    };
    if pending != signed_in.two_factor_pending_org {
        session::set_two_factor_pending(conn, &signed_in.session_hash, pending)?;
        signed_in.two_factor_pending_org = pending;
    }
    Ok(Lookup::Valid(signed_in))
}

/// The address the request comes from: the peer, or, when the peer is one of the configured
/// trusted proxies, the nearest address in `X-Forwarded-For` that is not a trusted proxy.
pub fn client_address(req: &ServiceRequest, settings: &Settings) -> Option<String> {
    let peer = req.peer_addr()?.ip();
    let trusted =
        |ip: &std::net::IpAddr| settings.trusted_proxies.iter().any(|net| net.contains(ip));
    if !trusted(&peer) {
        return Some(peer.to_string());
    }
    let forwarded: Vec<std::net::IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted(ip))
            .unwrap_or(peer)
            .to_string(),
    )
}

/// The pages a session whose password expired may still open (static files never pass here).
fn allowed_while_password_expired(path: &str) -> bool {
    matches!(path, password_expired::PATH | "/sign-out")
}

/// The pages a session waiting for a two-factor code may still open.
fn allowed_while_two_factor_pending(path: &str) -> bool {
    matches!(
        path,
        two_factor::PATH | two_factor::RESEND_PATH | "/sign-out"
    )
}

fn has_cookie(response: &ServiceResponse<BoxBody>, kind: CookieKind, settings: &Settings) -> bool {
    let name = kind.name(settings);
    response
        .response()
        .cookies()
        .any(|cookie| cookie.name() == name)
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// A request from a browser carries `Origin` (and `Sec-Fetch-Site`) on unsafe methods; both must
/// say it came from our own pages. Clients that send neither still need the token.
///
/// Our origin is `GATEHOUSE_BASE_URL`'s, or the one the request was addressed to: its `Host`
/// with plain http, or, only when the peer is a trusted proxy, what the proxy forwarded
/// (`Forwarded`, `X-Forwarded-Host`, `X-Forwarded-Proto`). Anyone else can write those headers.
fn origin_is_ours(req: &ServiceRequest, settings: &Settings) -> bool {
    if let Some(site) = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if origin.eq_ignore_ascii_case(&settings.origin()) {
        return true;
    }
    let addressed = if peer_is_trusted_proxy(req, settings) {
        let connection = req.connection_info();
        format!("{}://{}", connection.scheme(), connection.host())
    } else {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .or_else(|| req.uri().authority().map(|a| a.as_str()));
        match host {
            Some(host) => format!("http://{host}"),
            None => return false,
        }
    };
    origin.eq_ignore_ascii_case(&addressed)
}

fn peer_is_trusted_proxy(req: &ServiceRequest, settings: &Settings) -> bool {
    req.peer_addr().is_some_and(|peer| {
        settings
            .trusted_proxies
            .iter()
            .any(|net| net.contains(&peer.ip()))
    })
}

/// The token from the `X-CSRF-Token` header (htmx), or from the `csrf_token` field of a
/// url-encoded or multipart form, whose body is read and put back for the handler.
async fn presented_csrf_token(
    req: &mut ServiceRequest,
) -> Result<Option<String>, actix_web::HttpResponse> {
    if let Some(token) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return Ok(Some(token.to_owned()));
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        return multipart_csrf_token(req).await;
    }
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form {
        return Ok(None);
    }
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::BadRequest.error_response())?;
        if body.len() + chunk.len() > FORM_BODY_LIMIT {
            return Err(actix_web::HttpResponse::PayloadTooLarge().finish());
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let token = url::form_urlencoded::parse(&body)
        .find(|(name, _)| name == CSRF_FIELD)
        .map(|(_, value)| value.into_owned());
    req.set_payload(body.into());
    Ok(token)
}

/// The `csrf_token` field of a multipart form. The body (at most `UPLOAD_BODY_LIMIT`) is
/// buffered, searched, and put back for the handler.
async fn multipart_csrf_token(
    req: &mut ServiceRequest,
) -> Result<Option<String>, actix_web::HttpResponse> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > UPLOAD_BODY_LIMIT) {
        return Err(actix_web::HttpResponse::PayloadTooLarge().finish());
    }
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::BadRequest.error_response())?;
        if body.len() + chunk.len() > UPLOAD_BODY_LIMIT {
            return Err(actix_web::HttpResponse::PayloadTooLarge().finish());
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let stream_body = body.clone();
    let mut multipart = actix_multipart::Multipart::new(
        req.headers(),
        futures_util::stream::once(async move { Ok(stream_body) }),
    );
    let mut token = None;
    // A malformed body has no token; the request is refused like any other without one.
    while let Some(Ok(mut field)) = multipart.next().await {
        if field.name() == Some(CSRF_FIELD) {
            if let Ok(Ok(value)) = field.bytes(1024).await {
                token = String::from_utf8(value.to_vec()).ok();
            }
            break;
        }
        // Skip this field's content to reach the next one.
        while let Some(Ok(_)) = field.next().await {}
    }
    drop(multipart);
    req.set_payload(body.into());
    Ok(token)
}
