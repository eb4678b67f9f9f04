//! `/api/v1/policies`: the organization's policies, read and changed with the same checks and
//! the same command as the Policies page.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::auth::ApiCaller;
use crate::api::problem::{FieldError, Problem};
use crate::api::{check_precondition, db, if_match, with_etag};
use crate::app::access::Admin;
use crate::app::organizations as commands;
use crate::db::write_transaction;
use crate::domain::policy::{self, Policy, TwoFactorMode};
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Policies {
    pub password_requires_special: bool,
    /// Days after which a password must be changed; 0: never.
    pub password_expiry_days: i32,
    /// Previous passwords a new one may not repeat; 0: none.
    pub password_history: i32,
    /// Days without a sign-in after which a member becomes inactive; 0: never.
    pub inactivity_days: i32,
    /// Addresses and CIDR ranges allowed to act in the organization; empty: any.
    pub ip_allow_list: Vec<String>,
    /// Domains members' emails must belong to; empty: any.
    pub member_domains: Vec<String>,
    /// `off`, `periodic` or `always`.
    pub two_factor_mode: String,
    pub two_factor_days: i32,
    /// Whether a member with an authenticator app may ask for an emailed code instead.
    pub two_factor_email_fallback: bool,
    pub token_max_days: i32,
    pub api_requests_per_minute: i32,
}

impl Policies {
    fn of(policy: &Policy) -> Self {
        Self {
            password_requires_special: policy.password_requires_special,
            password_expiry_days: policy.password_expiry_days,
            password_history: policy.password_history,
            inactivity_days: policy.inactivity_days,
            ip_allow_list: policy.ip_allow_list.clone(),
            member_domains: policy.member_domains.clone(),
            two_factor_mode: policy.two_factor_mode.as_str().to_owned(),
            two_factor_days: policy.two_factor_days,
            two_factor_email_fallback: policy.two_factor_email_fallback,
            token_max_days: policy.token_max_days,
            api_requests_per_minute: policy.api_requests_per_minute,
        }
    }
}

/// The fields to change; the others keep their values.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyChange {
    pub password_requires_special: Option<bool>,
    #[schema(minimum = 0, maximum = 3650)]
    pub password_expiry_days: Option<i32>,
    #[schema(minimum = 0, maximum = 24)]
    pub password_history: Option<i32>,
    #[schema(minimum = 0, maximum = 3650)]
    pub inactivity_days: Option<i32>,
    pub ip_allow_list: Option<Vec<String>>,
    pub member_domains: Option<Vec<String>>,
    #[schema(pattern = "^(off|periodic|always)$")]
    pub two_factor_mode: Option<String>,
    #[schema(minimum = 1, maximum = 365)]
    pub two_factor_days: Option<i32>,
    pub two_factor_email_fallback: Option<bool>,
    #[schema(minimum = 1, maximum = 366)]
    pub token_max_days: Option<i32>,
    #[schema(minimum = 30, maximum = 6000)]
    pub api_requests_per_minute: Option<i32>,
    /// Needed when the IP allow-list leaves out the address this request comes from.
    #[serde(default)]
    pub confirm_lockout: bool,
}

/// Applies a change to the policy, or says which fields break which rule.
fn changed(
    mut policy: Policy,
    change: &PolicyChange,
    tr: Tr,
    address: Option<&str>,
) -> Result<Policy, Problem> {
    let mut errors = Vec::new();
    let mut error = |field: &str, key: &str| {
        errors.push(FieldError {
            field: field.to_owned(),
            code: key.to_owned(),
            message: tr.t(key),
        })
    };
    let mut number = |field: &str,
                      value: Option<i32>,
                      range: std::ops::RangeInclusive<i32>,
                      key: &str,
                      into: &mut i32| {
        if let Some(value) = value {
            if range.contains(&value) {
                *into = value;
            } else {
                error(field, key);
            }
        }
    };
    number(
        "password_expiry_days",
        change.password_expiry_days,
        0..=3650,
        "policy-numbers-invalid",
        &mut policy.password_expiry_days,
    );
    number(
        "password_history",
        change.password_history,
        0..=24,
        "policy-numbers-invalid",
        &mut policy.password_history,
    );
    number(
        "inactivity_days",
        change.inactivity_days,
        0..=3650,
        "policy-numbers-invalid",
        &mut policy.inactivity_days,
    );
    number(
        "two_factor_days",
        change.two_factor_days,
        1..=365,
        "policy-two-factor-days-invalid",
        &mut policy.two_factor_days,
    );
    number(
        "token_max_days",
        change.token_max_days,
        1..=policy::TOKEN_MAX_DAYS_LIMIT,
        "policy-tokens-invalid",
        &mut policy.token_max_days,
    );
    number(
        "api_requests_per_minute",
        change.api_requests_per_minute,
        policy::API_REQUESTS_PER_MINUTE_MIN..=policy::API_REQUESTS_PER_MINUTE_MAX,
        "policy-tokens-invalid",
        &mut policy.api_requests_per_minute,
    );
    if let Some(special) = change.password_requires_special {
        policy.password_requires_special = special;
    }
    if let Some(fallback) = change.two_factor_email_fallback {
        policy.two_factor_email_fallback = fallback;
    }
    if let Some(mode) = &change.two_factor_mode {
        match mode.parse::<TwoFactorMode>() {
            Ok(mode) => policy.two_factor_mode = mode,
            Err(key) => error("two_factor_mode", key),
        }
    }
    if let Some(list) = &change.ip_allow_list {
        match policy::parse_ip_allow_list(&list.join(", ")) {
            Ok(list) => policy.ip_allow_list = list,
            Err(key) => error("ip_allow_list", key),
        }
    }
    if let Some(domains) = &change.member_domains {
        match policy::parse_domains(&domains.join(", ")) {
            Ok(domains) => policy.member_domains = domains,
            Err(key) => error("member_domains", key),
        }
    }
    if errors.is_empty()
        && !change.confirm_lockout
        && !policy::address_allowed(&policy.ip_allow_list, address)
    {
        errors.push(FieldError {
            field: "ip_allow_list".into(),
            code: "lockout".into(),
            message: "The list leaves out the address of this request: the token would lock \
                      itself out. Send confirm_lockout: true to save it anyway."
                .into(),
        });
    }
    if errors.is_empty() {
        Ok(policy)
    } else {
        Err(Problem::invalid(errors))
    }
}

/// The organization's policies.
#[utoipa::path(
    get, path = "/api/v1/policies", tag = "policies",
    operation_id = "policies_show",
    responses((status = 200, description = "The policies, with their ETag", body = Policies)),
    security(("token" = []))
)]
pub async fn show(state: web::Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let current = db(&state, caller.lang, move |conn| {
        Ok(policy::load(conn, by.organization_id())?)
    })
    .await?;
    Ok(with_etag(&Policies::of(&current)))
}

/// Changes some of the organization's policies.
#[utoipa::path(
    patch, path = "/api/v1/policies", tag = "policies",
    operation_id = "policies_update",
    request_body = PolicyChange,
    params(("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses(
        (status = 200, description = "The policies after the change", body = Policies),
        (status = 412, description = "The policies changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<PolicyChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, expected, address) = (caller.lang, if_match(&req), caller.ip.clone());
    let change = body.into_inner();
    let saved = db(&state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let current = policy::load(conn, by.organization_id())?;
            check_precondition(&expected, &Policies::of(&current))?;
            let next = changed(current, &change, Tr(lang), address.as_deref())?;
            commands::save_policy(&by, &next, conn)
                .map_err(|err| Problem::from_domain(err, lang))?;
            Ok(next)
        })
    })
    .await?;
    Ok(with_etag(&Policies::of(&saved)))
}
