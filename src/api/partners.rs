//! `/api/v1/partners`: the partner companies the organization's owner registers, as on the
//! Partners page, through the same commands (owner tokens only). Registering takes the whole
//! partner in one request instead of the page's wizard; the logo is the page's alone for now.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::auth::ApiCaller;
use crate::api::problem::{FieldError, Problem};
use crate::api::{check_precondition, db, delete_if_match, if_match, timestamp, with_etag};
use crate::app::access::Owner;
use crate::app::partners as commands;
use crate::db::{DbConnection, write_transaction};
use crate::domain::ids::OrganizationId;
use crate::domain::partner_input::{self, AdminInput, LogoChange};
use crate::domain::partner_registry::{self, PartnerSummary, Registration};
use crate::domain::rules::DomainError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    pub name: String,
    pub email: String,
    /// Has set a password.
    pub registered: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Partner {
    pub id: i64,
    /// The partner's own organization in Gatehouse.
    pub partner_organization_id: i64,
    pub name: String,
    /// `pending` (its admin has not accepted yet), `active` or `ended` (deactivated).
    pub status: String,
    /// Its members' email domains.
    pub domains: Vec<String>,
    pub admin: Option<Person>,
    /// Someone invited to become the admin, until they accept.
    pub pending_admin: Option<Person>,
    /// APIs and API groups of this organization shown in the partner's portal.
    pub linked_api_ids: Vec<i64>,
    pub linked_group_ids: Vec<i64>,
    pub created_at: String,
}

fn person(person: Option<partner_registry::Person>) -> Option<Person> {
    person.map(|person| Person {
        name: person.name,
        email: person.email,
        registered: person.registered,
    })
}

fn partner(
    conn: &mut DbConnection,
    client_organization_id: OrganizationId,
    id: i64,
    lang: Lang,
) -> Result<Partner, Problem> {
    let summary = partner_registry::details(conn, client_organization_id, id)
        .map_err(|err| Problem::from_domain(err, lang))?;
    let links = partner_registry::links(conn, id)?;
    Ok(partner_of(summary, links))
}

fn partner_of(
    summary: PartnerSummary,
    (mut linked_api_ids, mut linked_group_ids): partner_registry::Links,
) -> Partner {
    linked_api_ids.sort_unstable();
    linked_group_ids.sort_unstable();
    Partner {
        id: summary.id,
        partner_organization_id: summary.partner_organization_id.get(),
        name: summary.name,
        status: summary.status.as_str().to_owned(),
        domains: summary.domains,
        admin: person(summary.admin),
        pending_admin: person(summary.pending_admin),
        linked_api_ids,
        linked_group_ids,
        created_at: timestamp(summary.created_at),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerList {
    pub data: Vec<Partner>,
}

/// Lists the registered partners: those in force by name, then the deactivated.
#[utoipa::path(
    get, path = "/api/v1/partners", tag = "partners",
    operation_id = "partners_list",
    responses((status = 200, description = "The registered partners", body = PartnerList)),
    security(("token" = []))
)]
pub async fn list(state: web::Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let data = db(&state, caller.lang, move |conn| {
        let summaries = partner_registry::list(conn, by.organization_id())?;
        let ids: Vec<i64> = summaries.iter().map(|summary| summary.id).collect();
        let mut links = partner_registry::links_of_each(conn, &ids)?;
        Ok(summaries
            .into_iter()
            .map(|summary| {
                let linked = links.remove(&summary.id).unwrap_or_default();
                partner_of(summary, linked)
            })
            .collect())
    })
    .await?;
    Ok(HttpResponse::Ok().json(PartnerList { data }))
}

/// Reads one registered partner.
#[utoipa::path(
    get, path = "/api/v1/partners/{id}", tag = "partners",
    operation_id = "partners_show",
    params(("id" = i64, Path, description = "The partner's id")),
    responses((status = 200, description = "The partner, with its ETag", body = Partner)),
    security(("token" = []))
)]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let found = db(&state, lang, move |conn| {
        partner(conn, by.organization_id(), id, lang)
    })
    .await?;
    Ok(with_etag(&found))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAdmin {
    pub first_name: String,
    pub last_name: String,
    /// In one of the partner's domains.
    pub email: String,
}

fn field(name: &str, code: &str, message: String) -> FieldError {
    FieldError {
        field: name.into(),
        code: code.into(),
        message,
    }
}

/// Checks the domains as the page does.
fn checked_domains(lang: Lang, domains: &[String]) -> Result<Vec<String>, FieldError> {
    partner_input::parse_domains(&domains.join("\n"))
        .map_err(|problem| field("domains", problem.message_key(), problem.message(Tr(lang))))
}

/// Checks the admin as the page does: each field, and the email in the partner's domains.
fn checked_admin(
    lang: Lang,
    admin: &NewAdmin,
    domains: &[String],
) -> Result<AdminInput, Vec<FieldError>> {
    let t = Tr(lang);
    partner_input::parse_admin(&admin.first_name, &admin.last_name, &admin.email, domains).map_err(
        |errors| {
            [
                ("admin.first_name", errors.first_name),
                ("admin.last_name", errors.last_name),
                ("admin.email", errors.email),
            ]
            .into_iter()
            .filter_map(|(name, key)| key.map(|key| field(name, key, t.t(key))))
            .collect()
        },
    )
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPartner {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Its members' email domains (`partner.example`); at least one.
    #[schema(min_items = 1)]
    pub domains: Vec<String>,
    /// Invited (or made admin at once when they have an account); the partner is `active` when
    /// they accept.
    pub admin: NewAdmin,
}

/// Registers a partner company: its organization, domains and admin, in one request.
#[utoipa::path(
    post, path = "/api/v1/partners", tag = "partners",
    operation_id = "partners_register",
    request_body = NewPartner,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key get the first answer")),
    responses(
        (status = 201, description = "Registered", body = Partner, headers(("Location" = String))),
        (status = 422, description = "A field is invalid, the name is taken, or the organization has as many partners as it may", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn register(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewPartner>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let lang = caller.lang;
    let body = body.into_inner();
    let mut errors = Vec::new();
    let name = partner_input::parse_partner_name(&body.name)
        .map_err(|key| errors.push(field("name", key, Tr(lang).t(key))))
        .ok();
    let domains = checked_domains(lang, &body.domains)
        .map_err(|err| errors.push(err))
        .ok();
    let admin = domains.as_ref().and_then(|domains| {
        checked_admin(lang, &body.admin, domains)
            .map_err(|refused| errors.extend(refused))
            .ok()
    });
    let (Some(name), Some(domains), Some(admin), true) = (name, domains, admin, errors.is_empty())
    else {
        return Err(Problem::invalid(errors));
    };
    let registration = Registration {
        name,
        domains,
        admin,
        logo: None,
    };
    let settings = state.settings.clone();
    let registered = db(&state, lang, move |conn| {
        let registered = commands::register_directly(&by, &registration, &settings, conn)
            .map_err(|err| Problem::from_domain(err, lang))?;
        partner(conn, by.organization_id(), registered.partnership_id, lang)
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((
            header::LOCATION,
            format!("/api/v1/partners/{}", registered.id),
        ))
        .json(registered))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerChange {
    /// Renames the partner (its organization too).
    pub name: Option<String>,
    /// Replaces its domains; a domain some member's email is in cannot be left out.
    pub domains: Option<Vec<String>>,
    /// Names a new admin: invited, or admin at once when they have an account.
    pub admin: Option<NewAdmin>,
    /// Replaces the APIs linked to the partner (shown in its members' portal).
    pub linked_api_ids: Option<Vec<i64>>,
    /// Replaces the API groups linked to the partner.
    pub linked_group_ids: Option<Vec<i64>>,
}

/// Changes a partner's name, domains, admin or linked APIs, in one transaction.
#[utoipa::path(
    patch, path = "/api/v1/partners/{id}", tag = "partners",
    operation_id = "partners_update",
    request_body = PartnerChange,
    params(
        ("id" = i64, Path, description = "The partner's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on"),
    ),
    responses(
        (status = 200, description = "The partner after the change", body = Partner),
        (status = 412, description = "The partner changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, a domain is in use, an API unknown, or the partner deactivated", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<PartnerChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, id, expected) = (caller.lang, path.into_inner(), if_match(&req));
    let change = body.into_inner();
    let name = change
        .name
        .as_deref()
        .map(|name| {
            partner_input::parse_partner_name(name)
                .map_err(|key| Problem::invalid(vec![field("name", key, Tr(lang).t(key))]))
        })
        .transpose()?;
    let domains = change
        .domains
        .as_deref()
        .map(|domains| checked_domains(lang, domains).map_err(|err| Problem::invalid(vec![err])))
        .transpose()?;
    let settings = state.settings.clone();
    let after = db(&state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let organization_id = by.organization_id();
            let fail = |err| Problem::from_domain(err, lang);
            let current = partner(conn, organization_id, id, lang)?;
            check_precondition(&expected, &current)?;
            if let Some(name) = &name {
                commands::update_info(&by, id, name, &LogoChange::Keep, conn).map_err(fail)?;
            }
            if let Some(domains) = &domains {
                commands::update_domains(&by, id, domains, conn).map_err(fail)?;
            }
            if let Some(admin) = &change.admin {
                let domains = domains.as_ref().unwrap_or(&current.domains);
                let admin = checked_admin(lang, admin, domains).map_err(Problem::invalid)?;
                commands::change_admin(&by, id, &admin, &settings, conn).map_err(fail)?;
            }
            if change.linked_api_ids.is_some() || change.linked_group_ids.is_some() {
                let api_ids = change
                    .linked_api_ids
                    .as_ref()
                    .unwrap_or(&current.linked_api_ids);
                let group_ids = change
                    .linked_group_ids
                    .as_ref()
                    .unwrap_or(&current.linked_group_ids);
                commands::set_links(&by, id, api_ids, group_ids, conn).map_err(
                    |err| match err {
                        // The partner exists: an id not found is an API's or a group's.
                        DomainError::NotFound => Problem::invalid(vec![field(
                            "linked_api_ids",
                            "unknown-api",
                            "An API or API group id is not one of the organization's.".into(),
                        )]),
                        err => fail(err),
                    },
                )?;
            }
            partner(conn, organization_id, id, lang)
        })
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(with_etag(&after))
}

/// Sends the pending partner admin a new invitation.
#[utoipa::path(
    post, path = "/api/v1/partners/{id}/admin-invitation", tag = "partners",
    operation_id = "partners_resend_admin_invitation",
    params(("id" = i64, Path, description = "The partner's id")),
    responses(
        (status = 202, description = "A new invitation is on its way"),
        (status = 422, description = "No admin is waiting to accept", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn resend_admin_invitation(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, id, settings) = (caller.lang, path.into_inner(), state.settings.clone());
    db(&state, lang, move |conn| {
        commands::resend_admin_invitation(&by, id, &settings, conn)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(HttpResponse::Accepted().finish())
}

/// Deactivates a partner for good: its members lose access here at once. Refused while any API
/// or group is still linked.
#[utoipa::path(
    delete, path = "/api/v1/partners/{id}", tag = "partners",
    operation_id = "partners_deactivate",
    params(
        ("id" = i64, Path, description = "The partner's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on"),
    ),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 412, description = "The partner changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "APIs are still linked, or it is deactivated already", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn deactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Owner>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    delete_if_match(
        &req,
        &state,
        lang,
        by,
        move |by, conn| partner(conn, by.organization_id(), id, lang),
        move |by, conn| {
            commands::deactivate(by, id, conn).map_err(|err| Problem::from_domain(err, lang))
        },
    )
    .await
}
