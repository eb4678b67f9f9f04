//! `/api/v1/members`: the users page's directory (search and sort, paged by cursor), adding
//! people, their role assignments and removal, through the same commands as the pages.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::auth::ApiCaller;
use crate::api::problem::{FieldError, Problem};
use crate::api::{
    Page, check_precondition, db, decode_cursor, delete_if_match, encode_cursor, etag_of, if_match,
    limit_of, page_response, timestamp, with_etag,
};
use crate::app::access::{Admin, UserReader};
use crate::app::members::{self as commands, NewMember as AddMember};
use crate::db::write_transaction;
use crate::domain::account::EmailAddress;
use crate::domain::ids::{MembershipId, RoleId};
use crate::domain::membership::{self, Added, After, DirectoryQuery, MemberRow, SortColumn};
use crate::domain::rules::DomainError;
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignedRole {
    pub id: i64,
    pub name: String,
    /// The assignment is switched on (and gives the role's rights while the role is active).
    pub active: bool,
    pub role_active: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Member {
    /// The membership's id (the member in this organization).
    pub id: i64,
    pub account_id: i64,
    pub email: String,
    pub name: String,
    /// `active`, `pending` (invited) or `inactive`.
    pub status: String,
    pub roles: Vec<AssignedRole>,
    pub last_sign_in_at: Option<String>,
    pub member_since: String,
}

impl Member {
    fn of(row: MemberRow) -> Self {
        Self {
            id: row.membership_id.get(),
            account_id: row.account_id.get(),
            email: row.email,
            name: row.name,
            status: row.status.as_str().to_owned(),
            roles: row
                .roles
                .into_iter()
                .map(|role| AssignedRole {
                    id: role.role_id.get(),
                    name: role.name,
                    active: role.active,
                    role_active: role.role_active,
                })
                .collect(),
            last_sign_in_at: row.last_sign_in_at.map(timestamp),
            member_since: timestamp(row.created_at),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words matched at the start of words of the email, name and role names.
    pub q: Option<String>,
    /// `email` (default), `name`, `roles`, `status`, `last-sign-in` (never signed in first
    /// ascending, last descending) or `member-since`.
    #[param(pattern = "^(email|name|roles|status|last-sign-in|member-since)$")]
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    #[param(pattern = "^(asc|desc)$")]
    pub order: Option<String>,
    /// 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// From the previous page's `next_cursor` (or its `Link` header).
    pub cursor: Option<String>,
}

/// Where the next page starts, with the list it belongs to.
#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    sort: String,
    descending: bool,
    q: Option<String>,
    after: After,
}

/// Lists members, with the users page's search and sort.
#[utoipa::path(
    operation_id = "members_list",
    get, path = "/api/v1/members", tag = "members",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of members; `Link: <...>; rel=\"next\"` when there are more", body = Page<Member>),
        (status = 422, description = "A parameter is invalid", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<UserReader>(state.now())?;
    let lang = caller.lang;
    let limit = limit_of(query.limit)?;
    let cursor: Option<Cursor> = query.cursor.as_deref().map(decode_cursor).transpose()?;
    // A cursor carries its list's sort and search, so the next page continues that list.
    let (sort_name, descending, search) = match &cursor {
        Some(cursor) => (cursor.sort.clone(), cursor.descending, cursor.q.clone()),
        None => (
            query.sort.clone().unwrap_or_else(|| "email".into()),
            match query.order.as_deref() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(_) => {
                    return Err(Problem::invalid(vec![FieldError {
                        field: "order".into(),
                        code: "invalid".into(),
                        message: "Use asc or desc.".into(),
                    }]));
                }
            },
            query.q.clone().filter(|q| !q.trim().is_empty()),
        ),
    };
    let sort = SortColumn::parse(&sort_name).ok_or_else(|| {
        Problem::invalid(vec![FieldError {
            field: "sort".into(),
            code: "invalid".into(),
            message: "Sort by email, name, roles, status, last-sign-in or member-since.".into(),
        }])
    })?;
    if search.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(Problem::invalid(vec![FieldError {
            field: "q".into(),
            code: "too-long".into(),
            message: Tr(lang).t("search-too-long"),
        }]));
    }
    let directory_query = DirectoryQuery {
        search: search.clone(),
        sort,
        descending,
        page: 0,
        per_page: limit,
        after: cursor.map(|cursor| cursor.after),
    };
    let (rows, next) = db(&state, lang, move |conn| {
        let page = membership::directory(conn, by.organization_id(), &directory_query)?;
        let next = match (page.has_next, page.rows.last()) {
            (true, Some(last)) => {
                membership::sort_key_of(conn, last.membership_id, sort)?.map(|key| After {
                    key,
                    id: last.membership_id,
                })
            }
            _ => None,
        };
        Ok((page.rows, next))
    })
    .await?;
    let next_cursor = next.map(|after| {
        encode_cursor(&Cursor {
            sort: sort.as_str().to_owned(),
            descending,
            q: search,
            after,
        })
    });
    Ok(page_response(
        &req,
        Page {
            data: rows.into_iter().map(Member::of).collect(),
            next_cursor,
        },
    ))
}

/// One member, with their roles.
#[utoipa::path(
    operation_id = "members_show",
    get, path = "/api/v1/members/{id}", tag = "members",
    params(("id" = i64, Path, description = "The membership's id")),
    responses(
        (status = 200, description = "The member, with its ETag", body = Member),
        (status = 404, description = "No such member in the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<MembershipId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<UserReader>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    let row = db(&state, lang, move |conn| {
        membership::row(conn, by.organization_id(), id)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(with_etag(&Member::of(row)))
}

fn unknown_roles() -> Problem {
    Problem::invalid(vec![FieldError {
        field: "role_ids".into(),
        code: "unknown-role".into(),
        message: "A role id is not one of the organization's roles.".into(),
    }])
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    #[schema(min_length = 3, max_length = 254)]
    pub email: String,
    /// The ids of the roles they get (at least one).
    #[schema(min_items = 1)]
    pub role_ids: Vec<i64>,
}

/// Invites a person, or adds an existing account at once, with roles.
#[utoipa::path(
    operation_id = "members_add",
    post, path = "/api/v1/members", tag = "members",
    request_body = NewMember,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key get the first answer")),
    responses(
        (status = 201, description = "Invited (a new person: status `pending`) or added at once (an existing account)", body = Member, headers(("Location" = String))),
        (status = 422, description = "A field breaks a rule (already a member, a domain the policy refuses, ...)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn add(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewMember>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let lang = caller.lang;
    let email = EmailAddress::parse(&body.email).map_err(|key| {
        Problem::invalid(vec![FieldError {
            field: "email".into(),
            code: key.into(),
            message: Tr(lang).t(key),
        }])
    })?;
    if body.role_ids.is_empty() {
        return Err(Problem::invalid(vec![FieldError {
            field: "role_ids".into(),
            code: "roles-required".into(),
            message: Tr(lang).t("users-roles-required"),
        }]));
    }
    let input = AddMember {
        email,
        role_ids: body.role_ids.iter().copied().map(RoleId::new).collect(),
    };
    let settings = state.settings.clone();
    let row = db(&state, lang, move |conn| {
        let added = commands::add(&by, &input, &settings, conn).map_err(|err| match err {
            // The only ids in the body are roles: one of another organization, or none at all.
            DomainError::NotFound => unknown_roles(),
            err => Problem::from_domain(err, lang),
        })?;
        let (Added::Invited { membership_id, .. } | Added::Granted { membership_id, .. }) = added;
        membership::row(conn, by.organization_id(), membership_id)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    state.outbox_wake.notify_one();
    let member = Member::of(row);
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::LOCATION, format!("/api/v1/members/{}", member.id)))
        .insert_header((header::ETAG, etag_of(&member)))
        .json(member))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Switch {
    pub role_id: i64,
    pub active: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberChange {
    /// Roles to give the member.
    #[serde(default)]
    pub assign: Vec<i64>,
    /// Assignments to switch on or off (the member keeps the role, without or with its rights).
    #[serde(default)]
    pub switch: Vec<Switch>,
    /// Roles to take away; taking the last one removes the member from the organization.
    #[serde(default)]
    pub unassign: Vec<i64>,
}

/// Assigns, switches on or off, and takes away a member's roles.
#[utoipa::path(
    operation_id = "members_update",
    patch, path = "/api/v1/members/{id}", tag = "members",
    request_body = MemberChange,
    params(
        ("id" = i64, Path, description = "The membership's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on"),
    ),
    responses(
        (status = 200, description = "The member after the change", body = Member),
        (status = 204, description = "The last role was taken: the member left the organization"),
        (status = 412, description = "The member changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule refused the change (e.g. the last administrator)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<MembershipId>,
    body: web::Json<MemberChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id, expected) = (caller.lang, path.into_inner(), if_match(&req));
    let change = body.into_inner();
    let after = db(&state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let organization_id = by.organization_id();
            let fail = |err| Problem::from_domain(err, lang);
            let current = membership::row(conn, organization_id, id).map_err(fail)?;
            check_precondition(&expected, &Member::of(current))?;
            // The member exists: any id not found from here on is a role's.
            let fail = |err| match err {
                DomainError::NotFound => unknown_roles(),
                err => Problem::from_domain(err, lang),
            };
            if !change.assign.is_empty() {
                let roles: Vec<RoleId> = change.assign.iter().copied().map(RoleId::new).collect();
                commands::assign_roles(&by, id, &roles, conn).map_err(fail)?;
            }
            for switch in &change.switch {
                commands::set_assignment_active(
                    &by,
                    id,
                    RoleId::new(switch.role_id),
                    switch.active,
                    conn,
                )
                .map_err(fail)?;
            }
            for role_id in &change.unassign {
                if let membership::Unassigned::MemberRemoved =
                    commands::unassign_role(&by, id, RoleId::new(*role_id), conn).map_err(fail)?
                {
                    return Ok(None);
                }
            }
            membership::row(conn, organization_id, id)
                .map(Some)
                .map_err(fail)
        })
    })
    .await?;
    Ok(match after {
        Some(row) => with_etag(&Member::of(row)),
        None => HttpResponse::NoContent().finish(),
    })
}

/// Removes a member from the organization.
#[utoipa::path(
    operation_id = "members_remove",
    delete, path = "/api/v1/members/{id}", tag = "members",
    params(
        ("id" = i64, Path, description = "The membership's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the removal is based on"),
    ),
    responses(
        (status = 204, description = "Removed from the organization (an invitation is withdrawn)"),
        (status = 412, description = "The member changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule refused it (the last administrator)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<MembershipId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    delete_if_match(
        &req,
        &state,
        lang,
        by,
        move |by, conn| {
            membership::row(conn, by.organization_id(), id)
                .map(Member::of)
                .map_err(|err| Problem::from_domain(err, lang))
        },
        move |by, conn| {
            commands::remove(by, id, conn).map_err(|err| Problem::from_domain(err, lang))
        },
    )
    .await
}

/// Sends a pending member a new invitation (the previous link stops working).
#[utoipa::path(
    post, path = "/api/v1/members/{id}/invitation", tag = "members",
    operation_id = "members_resend_invitation",
    params(("id" = i64, Path, description = "The membership's id")),
    responses(
        (status = 202, description = "A new invitation is on its way"),
        (status = 422, description = "The member is not pending", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn resend_invitation(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<MembershipId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id, settings) = (caller.lang, path.into_inner(), state.settings.clone());
    db(&state, lang, move |conn| {
        commands::resend_invitation(&by, id, &settings, conn)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(HttpResponse::Accepted().finish())
}

/// Withdraws a pending member's invitation; they leave the organization.
#[utoipa::path(
    delete, path = "/api/v1/members/{id}/invitation", tag = "members",
    operation_id = "members_revoke_invitation",
    params(("id" = i64, Path, description = "The membership's id")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 422, description = "The member is not pending", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn revoke_invitation(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<MembershipId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    db(&state, lang, move |conn| {
        commands::revoke_invitation(&by, id, conn).map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Resets a member's authenticator app (a lost phone): they sign in with emailed codes until
/// they set one up again. Only for an account of this organization alone, never the owner's.
#[utoipa::path(
    delete, path = "/api/v1/members/{id}/authenticator", tag = "members",
    operation_id = "members_reset_authenticator",
    params(("id" = i64, Path, description = "The membership's id")),
    responses(
        (status = 204, description = "Reset"),
        (status = 422, description = "No app, the owner, or an account of other organizations too", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn reset_authenticator(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<MembershipId>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id) = (caller.lang, path.into_inner());
    db(&state, lang, move |conn| {
        commands::reset_authenticator(&by, id, conn).map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
