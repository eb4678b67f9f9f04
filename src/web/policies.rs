//! The Policies page: what an organization requires of its members. Saving shows exactly what
//! changed (read back from the audit event the change wrote).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::access::Admin;
use crate::app::organizations;
use crate::domain::organization;
use crate::domain::policy::{self, Change, Policy, TwoFactorMode};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::{CurrentMember, Guarded};
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};

/// How many out-of-policy members the page names (the count covers all of them).
const OUT_OF_POLICY_SHOWN: usize = 20;

pub struct ChangeLine {
    pub label_key: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "policies/policies.html", blocks = ["content"])]
struct PoliciesPage {
    t: Tr,
    shell: Shell,
    password_requires_special: bool,
    password_expiry_days: String,
    password_history: String,
    inactivity_days: String,
    ip_allow_list: String,
    numbers_error: String,
    /// Which of the numbers the error is about: expiry, history, inactivity.
    numbers_invalid: [bool; 3],
    ip_error: String,
    lockout_warning: bool,
    client_ip: String,
    member_domains: String,
    remote_agent_configuration: bool,
    scheduler_time_zone: String,
    disable_connector_updates: bool,
    two_factor_mode: &'static str,
    two_factor_days: String,
    two_factor_email_fallback: bool,
    two_factor_error: String,
    token_max_days: String,
    api_requests_per_minute: String,
    tokens_error: String,
    domains_error: String,
    time_zone_error: String,
    time_zones: Vec<&'static str>,
    out_of_policy: Vec<String>,
    out_of_policy_count: usize,
    changes: Vec<ChangeLine>,
}

/// What the form shows: the saved policy, or what was typed with its errors.
struct FormState {
    policy: Policy,
    expiry_text: String,
    history_text: String,
    inactivity_text: String,
    ip_text: String,
    numbers_error: String,
    numbers_invalid: [bool; 3],
    ip_error: String,
    lockout_warning: bool,
    domains_text: String,
    domains_error: String,
    time_zone_text: String,
    time_zone_error: String,
    two_factor_days_text: String,
    two_factor_error: String,
    token_max_days_text: String,
    api_requests_text: String,
    tokens_error: String,
}

impl FormState {
    fn saved(policy: Policy) -> Self {
        Self {
            expiry_text: policy.password_expiry_days.to_string(),
            history_text: policy.password_history.to_string(),
            inactivity_text: policy.inactivity_days.to_string(),
            ip_text: policy.ip_allow_list.join(", "),
            numbers_error: String::new(),
            numbers_invalid: [false; 3],
            ip_error: String::new(),
            lockout_warning: false,
            domains_text: policy.member_domains.join(", "),
            time_zone_text: policy.scheduler_time_zone.clone().unwrap_or_default(),
            two_factor_days_text: policy.two_factor_days.to_string(),
            two_factor_error: String::new(),
            token_max_days_text: policy.token_max_days.to_string(),
            api_requests_text: policy.api_requests_per_minute.to_string(),
            tokens_error: String::new(),
            policy,
            domains_error: String::new(),
            time_zone_error: String::new(),
        }
    }
}

fn change_line(change: Change) -> ChangeLine {
    let shown = |value: String| match value.as_str() {
        "" => "—".to_owned(),
        _ => value,
    };
    ChangeLine {
        label_key: format!("policy-{}", change.setting),
        before: shown(change.before),
        after: shown(change.after),
    }
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    form: Option<FormState>,
    changed_event: Option<i64>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, saved, changes) = state
        .db(move |conn| {
            let changes = match changed_event {
                Some(event) => policy::changes_recorded(conn, organization_id, event)?,
                None => Vec::new(),
            };
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                policy::load(conn, organization_id)?,
                changes,
            ))
        })
        .await?;
    let form = form.unwrap_or_else(|| FormState::saved(saved.clone()));
    let (out_of_policy, out_of_policy_count) = {
        let saved = saved.clone();
        state
            .db(move |conn| {
                policy::members_out_of_policy(conn, organization_id, &saved, OUT_OF_POLICY_SHOWN)
            })
            .await?
    };
    let page = PoliciesPage {
        t: member.ctx.tr(),
        password_requires_special: form.policy.password_requires_special,
        password_expiry_days: form.expiry_text,
        password_history: form.history_text,
        inactivity_days: form.inactivity_text,
        ip_allow_list: form.ip_text,
        numbers_error: form.numbers_error,
        numbers_invalid: form.numbers_invalid,
        ip_error: form.ip_error,
        lockout_warning: form.lockout_warning,
        client_ip: member.ctx.client_ip.clone().unwrap_or_default(),
        member_domains: form.domains_text,
        remote_agent_configuration: form.policy.remote_agent_configuration,
        scheduler_time_zone: form.time_zone_text,
        disable_connector_updates: form.policy.disable_connector_updates,
        two_factor_mode: form.policy.two_factor_mode.as_str(),
        two_factor_days: form.two_factor_days_text,
        two_factor_email_fallback: form.policy.two_factor_email_fallback,
        two_factor_error: form.two_factor_error,
        token_max_days: form.token_max_days_text,
        api_requests_per_minute: form.api_requests_text,
        tokens_error: form.tokens_error,
        domains_error: form.domains_error,
        time_zone_error: form.time_zone_error,
        time_zones: chrono_tz::TZ_VARIANTS
            .iter()
            .map(|zone| zone.name())
            .collect(),
        out_of_policy,
        out_of_policy_count,
        changes: changes.into_iter().map(change_line).collect(),
        shell: Shell::new(member, organizations, NavPage::Policies),
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

#[derive(Deserialize)]
pub struct PageQuery {
    changed: Option<i64>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    render(&req, &state, &member, None, query.changed, StatusCode::OK).await
}

pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let t = member.ctx.tr();
    let domains_text = form.text("member_domains").trim().to_owned();
    let time_zone_text = form.text("scheduler_time_zone").trim().to_owned();
    let domains = policy::parse_domains(&domains_text);
    let time_zone_valid =
        time_zone_text.is_empty() || time_zone_text.parse::<chrono_tz::Tz>().is_ok();
    let number = |name: &str, max: i32| -> Option<i32> {
        form.text(name)
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|n| (0..=max).contains(n))
    };
    let (expiry, history, inactivity) = (
        number("password_expiry_days", 3650),
        number("password_history", 24),
        number("inactivity_days", 3650),
    );
    // One radio group: only one mode can be chosen; anything else is refused.
    let two_factor_mode = match form.all("two_factor_mode").as_slice() {
        [] => Ok(TwoFactorMode::Off),
        [value] => value.parse::<TwoFactorMode>(),
        _ => Err("policy-two-factor-invalid"),
    };
    let two_factor_days_text = form.text("two_factor_days").trim().to_owned();
    let two_factor_days = if two_factor_days_text.is_empty() {
        Some(Policy::default().two_factor_days)
    } else {
        two_factor_days_text
            .parse::<i32>()
            .ok()
            .filter(|n| (1..=365).contains(n))
    };
    let two_factor_error = match (&two_factor_mode, two_factor_days) {
        (Err(key), _) => t.t(key),
        (Ok(_), None) => t.t("policy-two-factor-days-invalid"),
        _ => String::new(),
    };
    // Missing fields keep the defaults, as for the two-factor days.
    let bounded = |name: &str, default: i32, range: std::ops::RangeInclusive<i32>| {
        let text = form.text(name).trim().to_owned();
        let value = if text.is_empty() {
            Some(default)
        } else {
            text.parse::<i32>().ok().filter(|n| range.contains(n))
        };
        (
            if text.is_empty() {
                default.to_string()
            } else {
                text
            },
            value,
        )
    };
    let (token_max_days_text, token_max_days) = bounded(
        "token_max_days",
        Policy::default().token_max_days,
        1..=policy::TOKEN_MAX_DAYS_LIMIT,
    );
    let (api_requests_text, api_requests_per_minute) = bounded(
        "api_requests_per_minute",
        Policy::default().api_requests_per_minute,
        policy::API_REQUESTS_PER_MINUTE_MIN..=policy::API_REQUESTS_PER_MINUTE_MAX,
    );
    let tokens_error = if token_max_days.is_none() || api_requests_per_minute.is_none() {
        t.t("policy-tokens-invalid")
    } else {
        String::new()
    };
    let ip_text = form.text("ip_allow_list").trim().to_owned();
    let ip_list = policy::parse_ip_allow_list(&ip_text);
    let mut state_of_form = FormState {
        policy: Policy {
            password_requires_special: form.has("password_requires_special"),
            password_expiry_days: expiry.unwrap_or_default(),
            password_history: history.unwrap_or_default(),
            inactivity_days: inactivity.unwrap_or_default(),
            ip_allow_list: ip_list.clone().unwrap_or_default(),
            member_domains: domains.clone().unwrap_or_default(),
            remote_agent_configuration: form.has("remote_agent_configuration"),
            scheduler_time_zone: Some(time_zone_text.clone()).filter(|zone| !zone.is_empty()),
            disable_connector_updates: form.has("disable_connector_updates"),
            two_factor_mode: two_factor_mode.unwrap_or_default(),
            two_factor_days: two_factor_days.unwrap_or(Policy::default().two_factor_days),
            two_factor_email_fallback: form.has("two_factor_email_fallback"),
            token_max_days: token_max_days.unwrap_or(Policy::default().token_max_days),
            api_requests_per_minute: api_requests_per_minute
                .unwrap_or(Policy::default().api_requests_per_minute),
        },
        expiry_text: form.text("password_expiry_days").trim().to_owned(),
        history_text: form.text("password_history").trim().to_owned(),
        inactivity_text: form.text("inactivity_days").trim().to_owned(),
        numbers_error: if expiry.is_none() || history.is_none() || inactivity.is_none() {
            t.t("policy-numbers-invalid")
        } else {
            String::new()
        },
        numbers_invalid: [expiry.is_none(), history.is_none(), inactivity.is_none()],
        ip_error: ip_list
            .as_ref()
            .err()
            .map(|key| t.t(key))
            .unwrap_or_default(),
        lockout_warning: false,
        ip_text,
        domains_text,
        domains_error: domains.err().map(|key| t.t(key)).unwrap_or_default(),
        time_zone_text,
        time_zone_error: String::new(),
        two_factor_days_text: if two_factor_days_text.is_empty() {
            Policy::default().two_factor_days.to_string()
        } else {
            two_factor_days_text
        },
        two_factor_error,
        token_max_days_text,
        api_requests_text,
        tokens_error,
    };
    if !time_zone_valid {
        state_of_form.time_zone_error = t.t("policy-time-zone-invalid");
    }
    // Saving a list that leaves out the admin's own address locks them out: they must confirm.
    let locks_out = !policy::address_allowed(
        &state_of_form.policy.ip_allow_list,
        member.ctx.client_ip.as_deref(),
    );
    if locks_out && form.get("confirm_lockout") != Some("yes") {
        state_of_form.lockout_warning = true;
    }
    let has_errors = [
        &state_of_form.domains_error,
        &state_of_form.time_zone_error,
        &state_of_form.numbers_error,
        &state_of_form.ip_error,
        &state_of_form.two_factor_error,
        &state_of_form.tokens_error,
    ]
    .iter()
    .any(|error| !error.is_empty());
    if has_errors || state_of_form.lockout_warning {
        return render(
            &req,
            &state,
            &member,
            Some(state_of_form),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let by = member.acting(state.now());
    let new_policy = state_of_form.policy;
    let event = state
        .db(move |conn| organizations::save_policy(&by, &new_policy, conn))
        .await?;
    Ok(match event {
        Some(event) => htmx::see_other_with_flash(
            &req,
            &state.settings,
            &format!("/policies?changed={event}"),
            "flash-policies-saved",
        ),
        None => htmx::see_other_with_flash(
            &req,
            &state.settings,
            "/policies",
            "flash-policies-unchanged",
        ),
    })
}
