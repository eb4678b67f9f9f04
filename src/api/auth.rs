//! Who calls the API: a personal access token, checked on every request against its owner's
//! rights in its organization *now* (a removed role, a suspended member or a revoked token is
//! refused at the next request), the organization's IP allow-list, the token's scope, and the rate
//! limit shared by every instance. Cookies play no part here, so there is no CSRF to check.

use std::future::{Ready, ready};
use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, web};
use time::PrimitiveDateTime;

use crate::api::problem::Problem;
use crate::app::access::{Acting, ApiUser, Capabilities, Guard};
use crate::db::DbConnection;
use crate::domain::ids::{AccountId, OrganizationId, TokenId};
use crate::domain::organization::{self, MemberContext};
use crate::domain::personal_token::{self, Refusal};
use crate::domain::policy;
use crate::domain::rate_limit::{self, Decision};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::middleware::client_address;

/// Failed authentications an address may make a minute before it is refused without a check.
pub const FAILED_AUTHENTICATIONS_PER_MINUTE: i64 = 10;

/// The caller of an API request, as the API layer established it.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub token_id: TokenId,
    pub token_name: String,
    pub account_id: AccountId,
    pub can_write: bool,
    pub member: MemberContext,
    pub capabilities: Capabilities,
    pub ip: Option<String>,
    /// The owner's name and language, for the emails a change sends.
    pub name: String,
    pub mail_language: Lang,
    /// The language of problem details (`Accept-Language`).
    pub lang: Lang,
    /// The request's id and user agent, for the audit events of what it changes.
    pub trace: crate::domain::audit::Trace,
}

impl ApiCaller {
    pub fn organization_id(&self) -> OrganizationId {
        self.member.organization_id
    }

    /// The guard `G` with this request's facts, made through this token; 403 when the owner
    /// does not hold it in the organization.
    pub fn acting<G: Guard>(&self, at: PrimitiveDateTime) -> Result<Acting<G>, Problem> {
        let guard = self.capabilities.grant::<G>().ok_or_else(|| {
            Problem::forbidden(
                "forbidden",
                "The token's owner may not do this in the organization.",
            )
        })?;
        Ok(Acting::new(
            guard,
            self.ip.clone(),
            at,
            self.name.clone(),
            self.mail_language,
        )
        .through_token(self.token_id)
        .traced(self.trace.clone(), self.member.via_partner.clone()))
    }
}

impl FromRequest for ApiCaller {
    type Error = Problem;
    type Future = Ready<Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<Arc<ApiCaller>>()
                .map(|caller| (**caller).clone())
                .ok_or_else(|| Problem::unauthorized("Send a personal access token.")),
        )
    }
}

/// The language problems are worded in.
pub fn request_lang(req: &HttpRequest) -> Lang {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map(Lang::negotiate)
        .unwrap_or(Lang::En)
}

fn bearer(req: &ServiceRequest) -> Result<String, Problem> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| {
            Problem::unauthorized(
                "Send a personal access token as \"Authorization: Bearer <token>\".",
            )
        })?
        .to_str()
        .map_err(|_| Problem::unauthorized("The Authorization header is not readable."))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(|| Problem::unauthorized("Use the Bearer scheme."))?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(Problem::unauthorized("Use the Bearer scheme."));
    }
    Ok(token.trim().to_owned())
}

/// A refusal, with the rate-limit state when the token's quota was consulted.
type Refused = (Problem, Option<Decision>);

/// What the database says about a request's token, in one trip to the blocking pool.
fn authorize(
    conn: &mut DbConnection,
    leases: &rate_limit::Leases,
    presented: &str,
    ip: Option<String>,
    writes: bool,
    now: PrimitiveDateTime,
) -> Result<Result<(ApiCaller, Decision), Refused>, diesel::result::Error> {
    let failures = format!("auth-failures:{}", ip.as_deref().unwrap_or("unknown"));
    // A valid token is looked up before the address's failures are consulted, so someone sending
    // bad tokens from a shared address (a NAT, a proxy) cannot lock out the integrations behind it.
    let bearer = match personal_token::authenticate(conn, presented, now)? {
        Ok(bearer) => bearer,
        Err(refusal) => {
            let locked = rate_limit::peek(conn, &failures, FAILED_AUTHENTICATIONS_PER_MINUTE, now)?;
            if !locked.allowed {
                let mut problem = Problem::new(
                    actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                    "too-many-failed-authentications",
                    "Too many failed authentications",
                )
                .detail(
                    "Too many requests with invalid tokens came from this address. Wait and retry.",
                );
                problem.retry_after = Some(locked.retry_after_seconds);
                return Ok(Err((problem, None)));
            }
            rate_limit::take(conn, &failures, FAILED_AUTHENTICATIONS_PER_MINUTE, now)?;
            let detail = match refusal {
                Refusal::Unknown => "The token is not valid.",
                Refusal::Expired => "The token has expired.",
                Refusal::Revoked => "The token has been revoked.",
            };
            return Ok(Err((Problem::unauthorized(detail), None)));
        }
    };
    let Some(member) =
        organization::member_context(conn, bearer.account_id, bearer.organization_id)?
    else {
        return Ok(Err((
            Problem::forbidden(
                "membership-ended",
                "The token's owner is no longer an active member of its organization.",
            ),
            None,
        )));
    };
    if !policy::address_allowed(&member.ip_allow_list, ip.as_deref()) {
        return Ok(Err((
            Problem::forbidden(
                "address-not-allowed",
                "The organization's IP allow-list does not include this address.",
            ),
            None,
        )));
    }
    let capabilities = Capabilities::of(bearer.account_id, &member);
    if capabilities.grant::<ApiUser>().is_none() {
        return Ok(Err((
            Problem::forbidden(
                "api-access-required",
                "The token's owner no longer has API access in the organization.",
            ),
            None,
        )));
    }
    let per_minute = bearer
        .requests_per_minute
        .unwrap_or(policy::API_REQUESTS_PER_MINUTE_MIN);
    let decision = leases.take(
        conn,
        &format!("token:{}", bearer.token_id),
        i64::from(per_minute),
        now,
    )?;
    if !decision.allowed {
        let mut problem = Problem::new(
            actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many requests",
        )
        .detail(format!(
            "This token may make {per_minute} requests a minute. Wait and retry."
        ));
        problem.retry_after = Some(decision.retry_after_seconds);
        return Ok(Err((problem, Some(decision))));
    }
    if writes && !bearer.can_write {
        return Ok(Err((
            Problem::forbidden(
                "insufficient-scope",
                "This token may only read. Create a token with the read and write scope.",
            ),
            Some(decision),
        )));
    }
    if bearer.use_is_news(ip.as_deref(), now) {
        personal_token::touch(conn, bearer.token_id, ip.as_deref(), now)?;
    }
    let mail_language = bearer
        .owner_language
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(Lang::En);
    Ok(Ok((
        ApiCaller {
            token_id: bearer.token_id,
            token_name: bearer.name,
            account_id: bearer.account_id,
            can_write: bearer.can_write,
            member,
            capabilities,
            ip,
            name: bearer.owner_name,
            mail_language,
            lang: Lang::En,
            trace: Default::default(),
        },
        decision,
    )))
}

/// The IETF rate-limit headers and the `X-RateLimit-*` trio most clients know.
fn add_rate_limit_headers(headers: &mut HeaderMap, decision: &Decision, now: PrimitiveDateTime) {
    let window = rate_limit::WINDOW_SECONDS;
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    set(
        "ratelimit-policy",
        format!("\"token\";q={};w={window}", decision.limit),
    );
    set(
        "ratelimit",
        format!(
            "\"token\";r={};t={}",
            decision.remaining, decision.reset_seconds
        ),
    );
    set("x-ratelimit-limit", decision.limit.to_string());
    set("x-ratelimit-remaining", decision.remaining.to_string());
    set(
        "x-ratelimit-reset",
        (now.assume_utc().unix_timestamp() + decision.reset_seconds).to_string(),
    );
}

/// The API layer: authenticates every request under `/api/v1` except the OpenAPI document, and
/// puts the `ApiCaller` in the request for the handlers.
pub async fn api_layer(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.path() == "/api/v1/openapi.json" {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .expect("AppState is registered");
    let lang = request_lang(req.request());
    let presented = match bearer(&req) {
        Ok(presented) => presented,
        Err(problem) => return Ok(req.into_response(problem.response())),
    };
    let ip = client_address(&req, &state.settings);
    let writes = !matches!(
        *req.method(),
        actix_web::http::Method::GET | actix_web::http::Method::HEAD
    );
    let (now, leases) = (state.now(), state.rate_leases.clone());
    let outcome = state
        .db(move |conn| authorize(conn, &leases, &presented, ip, writes, now))
        .await;
    let (mut caller, decision) = match outcome {
        Ok(Ok(found)) => found,
        Ok(Err((problem, decision))) => {
            let mut response = problem.response();
            if let Some(decision) = decision {
                add_rate_limit_headers(response.headers_mut(), &decision, now);
            }
            return Ok(req.into_response(response));
        }
        Err(err) => {
            return Ok(req.into_response(Problem::from_app(err, lang).response()));
        }
    };
    caller.lang = lang;
    caller.trace = crate::domain::audit::Trace::new(
        req.headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|agent| agent.to_str().ok()),
        req.extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(ToString::to_string),
    );
    req.extensions_mut().insert(Arc::new(caller));
    let mut response = next.call(req).await?.map_into_boxed_body();
    add_rate_limit_headers(response.headers_mut(), &decision, now);
    Ok(response)
}
