//! `/api/v1/external-users`: people from outside with expiring access to the API portal, as on
//! Users → External users, through the same commands.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::api::auth::ApiCaller;
use crate::api::problem::{FieldError, Problem};
use crate::api::{
    Page, check_precondition, db, decode_cursor, delete_if_match, encode_cursor, if_match,
    limit_of, page_response, present, timestamp, with_etag,
};
use crate::app::access::{Admin, UserReader};
use crate::app::external_users::{self as commands, Invitation};
use crate::db::write_transaction;
use crate::domain::account::EmailAddress;
use crate::domain::external_access::ExternalStatus;
use crate::domain::external_user::{self, DirectoryQuery, DirectoryRow, SortColumn};
use crate::domain::rules::DomainError;
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Granted {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExternalUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub company: String,
    /// `requested` (invited), `active`, `suspended` or `expired`.
    pub status: String,
    /// The last day of access (`YYYY-MM-DD`), in the person's time zone; none: no end.
    pub expires_on: Option<String>,
    /// When access ends, as an instant.
    pub access_ends_at: Option<String>,
    pub api_groups: Vec<Granted>,
    pub apis: Vec<Granted>,
    pub last_sign_in_at: Option<String>,
    pub invited_at: String,
}

impl ExternalUser {
    fn of(row: DirectoryRow, now: time::PrimitiveDateTime) -> Self {
        let user = row.user;
        Self {
            id: user.id,
            status: user.status_at(now).as_str().to_owned(),
            expires_on: user.expires_on.map(|date| date.to_string()),
            access_ends_at: user.ends_at().map(timestamp),
            api_groups: row
                .access
                .groups
                .into_iter()
                .map(|group| Granted {
                    id: group.id,
                    name: group.name,
                })
                .collect(),
            apis: row
                .access
                .apis
                .into_iter()
                .map(|api| Granted {
                    id: api.id,
                    name: format!("{} {}", api.name, api.version),
                })
                .collect(),
            last_sign_in_at: user.last_sign_in_at.map(timestamp),
            invited_at: timestamp(user.created_at),
            email: user.email,
            name: user.name,
            company: user.company,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words matched at the start of words of the email, name and company.
    pub q: Option<String>,
    /// `email` (default), `name`, `company`, `status`, `expires`, `last-sign-in` or
    /// `member-since`, as on the page.
    #[param(pattern = "^(email|name|company|status|expires|last-sign-in|member-since)$")]
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    #[param(pattern = "^(asc|desc)$")]
    pub order: Option<String>,
    /// 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    q: Option<String>,
    sort: String,
    descending: bool,
    /// External users are few per organization: the cursor holds the page.
    page: i64,
}

/// Lists external users, with the page's search and sorts.
#[utoipa::path(
    get, path = "/api/v1/external-users", tag = "external-users",
    operation_id = "external_users_list",
    params(ListQuery),
    responses((status = 200, description = "A page of external users", body = Page<ExternalUser>)),
    security(("token" = []))
)]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<UserReader>(state.now())?;
    let limit = limit_of(query.limit)?;
    // A cursor carries its list's search and sort, so the next page continues that list.
    let cursor: Cursor = match query.cursor.as_deref() {
        Some(cursor) => decode_cursor(cursor)?,
        None => Cursor {
            q: query.q.clone().filter(|q| !q.trim().is_empty()),
            sort: query.sort.clone().unwrap_or_else(|| "email".into()),
            descending: match query.order.as_deref() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(_) => {
                    return Err(Problem::invalid(vec![field(
                        "order",
                        "invalid",
                        "Use asc or desc.".into(),
                    )]));
                }
            },
            page: 0,
        },
    };
    let sort = SortColumn::parse(&cursor.sort).ok_or_else(|| {
        Problem::invalid(vec![field(
            "sort",
            "invalid",
            "Sort by email, name, company, status, expires, last-sign-in or member-since.".into(),
        )])
    })?;
    if cursor.q.as_ref().is_some_and(|q| q.chars().count() > 200) || cursor.page < 0 {
        return Err(Problem::invalid(vec![FieldError {
            field: "q".into(),
            code: "too-long".into(),
            message: Tr(caller.lang).t("search-too-long"),
        }]));
    }
    let directory_query = DirectoryQuery {
        search: cursor.q.clone(),
        sort,
        descending: cursor.descending,
        page: cursor.page,
        per_page: limit,
    };
    let now = state.now();
    let page = db(&state, caller.lang, move |conn| {
        Ok(external_user::directory(
            conn,
            by.organization_id(),
            &directory_query,
        )?)
    })
    .await?;
    let next_cursor = page.has_next.then(|| {
        encode_cursor(&Cursor {
            q: cursor.q.clone(),
            sort: cursor.sort.clone(),
            descending: cursor.descending,
            page: cursor.page + 1,
        })
    });
    Ok(page_response(
        &req,
        Page {
            data: page
                .rows
                .into_iter()
                .map(|row| ExternalUser::of(row, now))
                .collect(),
            next_cursor,
        },
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExternalUser {
    #[schema(min_length = 3, max_length = 254)]
    pub email: String,
    /// The last day of access (`YYYY-MM-DD`); none: no end.
    #[schema(format = Date)]
    pub expires_on: Option<String>,
    /// The IANA zone the day is read in until the person registers (default: UTC).
    pub time_zone: Option<String>,
}

/// Invites an external user: they get an email with a registration link.
#[utoipa::path(
    post, path = "/api/v1/external-users", tag = "external-users",
    operation_id = "external_users_invite",
    request_body = NewExternalUser,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key get the first answer")),
    responses((status = 201, description = "Invited", body = ExternalUser, headers(("Location" = String)))),
    security(("token" = []))
)]
pub async fn invite(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewExternalUser>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let lang = caller.lang;
    let t = Tr(lang);
    let mut errors = Vec::new();
    let email = EmailAddress::parse(&body.email)
        .map_err(|key| errors.push(field("email", key, t.t(key))))
        .ok();
    let expires_on = match body.expires_on.as_deref() {
        None => None,
        Some(text) => parse_day(text).map_err(|err| errors.push(err)).ok(),
    };
    let time_zone = body.time_zone.clone().unwrap_or_else(|| "UTC".into());
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        errors.push(field(
            "time_zone",
            "invalid",
            "Use an IANA time zone such as Europe/Lisbon.".into(),
        ));
    }
    let (Some(email), true) = (email, errors.is_empty()) else {
        return Err(Problem::invalid(errors));
    };
    let input = Invitation {
        email,
        expires_on,
        time_zone,
    };
    let (settings, now) = (state.settings.clone(), state.now());
    let row = db(&state, lang, move |conn| {
        let id = commands::invite(&by, &input, &settings, conn)
            .map_err(|err| Problem::from_domain(err, lang))?;
        external_user::directory_row(conn, by.organization_id(), id)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    state.outbox_wake.notify_one();
    let user = ExternalUser::of(row, now);
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((
            header::LOCATION,
            format!("/api/v1/external-users/{}", user.id),
        ))
        .json(user))
}

fn field(name: &str, code: &str, message: String) -> FieldError {
    FieldError {
        field: name.into(),
        code: code.into(),
        message,
    }
}

fn parse_day(text: &str) -> Result<Date, FieldError> {
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        field(
            "expires_on",
            "invalid",
            "Give the date as YYYY-MM-DD.".into(),
        )
    })
}

/// Reads `expires_on` as sent: absent (None), `null` for no end (Some(None)), or a day.
fn parse_expiry(sent: Option<Option<String>>) -> Result<Option<Option<Date>>, Problem> {
    match sent {
        None => Ok(None),
        Some(None) => Ok(Some(None)),
        Some(Some(text)) => parse_day(&text)
            .map(|day| Some(Some(day)))
            .map_err(|err| Problem::invalid(vec![err])),
    }
}

/// Reads one external user and what they may reach.
#[utoipa::path(
    get, path = "/api/v1/external-users/{id}", tag = "external-users",
    operation_id = "external_users_show",
    params(("id" = i64, Path, description = "The external user's id")),
    responses(
        (status = 200, description = "The external user, with its ETag", body = ExternalUser),
    ),
    security(("token" = []))
)]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<UserReader>(state.now())?;
    let (lang, id, now) = (caller.lang, path.into_inner(), state.now());
    let row = db(&state, lang, move |conn| {
        external_user::directory_row(conn, by.organization_id(), id)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    Ok(with_etag(&ExternalUser::of(row, now)))
}

/// What an admin may set on an external user's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StatusChange {
    /// Lifts a suspension (back to `requested` when they never registered).
    Active,
    /// Ends their access to the portal at once, sessions included.
    Suspended,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalUserChange {
    pub status: Option<StatusChange>,
    /// The last day of access (`YYYY-MM-DD`), `null` for no end; absent: unchanged. Only for
    /// active or suspended people (an expired one gets a new date with a new invitation).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = Date, nullable)]
    pub expires_on: Option<Option<String>>,
    /// The API groups they may reach, replacing the current ones; absent: unchanged.
    pub api_groups: Option<Vec<i64>>,
    /// The single APIs they may reach, replacing the current ones; absent: unchanged.
    pub apis: Option<Vec<i64>>,
}

/// Changes an external user's status, expiry and access, in one transaction.
#[utoipa::path(
    patch, path = "/api/v1/external-users/{id}", tag = "external-users",
    operation_id = "external_users_update",
    request_body = ExternalUserChange,
    params(
        ("id" = i64, Path, description = "The external user's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on"),
    ),
    responses(
        (status = 200, description = "The external user after the change", body = ExternalUser),
        (status = 412, description = "The external user changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule refused the change (a past date, an expired person, an unknown API)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<ExternalUserChange>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id, expected, now) = (caller.lang, path.into_inner(), if_match(&req), state.now());
    let change = body.into_inner();
    let expires_on = parse_expiry(change.expires_on)?;
    let after = db(&state, lang, move |conn| {
        write_transaction(conn, |conn| {
            let organization_id = by.organization_id();
            let fail = |err| Problem::from_domain(err, lang);
            let current = external_user::directory_row(conn, organization_id, id).map_err(fail)?;
            check_precondition(&expected, &ExternalUser::of(current.clone(), now))?;
            let status = current.user.status_at(now);
            // Lifted first and suspended last, so the expiry can be changed in the same request.
            if change.status == Some(StatusChange::Active) && status == ExternalStatus::Suspended {
                commands::reactivate(&by, id, conn).map_err(fail)?;
            }
            if let Some(expires_on) = expires_on {
                commands::change_expiry(&by, id, expires_on, conn).map_err(fail)?;
            }
            if change.api_groups.is_some() || change.apis.is_some() {
                let groups = change.api_groups.clone().unwrap_or_else(|| {
                    current.access.groups.iter().map(|group| group.id).collect()
                });
                let apis = change
                    .apis
                    .clone()
                    .unwrap_or_else(|| current.access.apis.iter().map(|api| api.id).collect());
                commands::set_access(&by, id, &groups, &apis, conn).map_err(|err| match err {
                    // The person exists: an id not found is a group's or an API's.
                    DomainError::NotFound => Problem::invalid(vec![field(
                        "api_groups",
                        "unknown-api",
                        "An API group or API id is not one of the organization's.".into(),
                    )]),
                    err => fail(err),
                })?;
            }
            if change.status == Some(StatusChange::Suspended) && status != ExternalStatus::Suspended
            {
                commands::suspend(&by, id, conn).map_err(fail)?;
            }
            external_user::directory_row(conn, organization_id, id).map_err(fail)
        })
    })
    .await?;
    Ok(with_etag(&ExternalUser::of(after, now)))
}

/// Deletes an external user: their access and sessions end at once.
#[utoipa::path(
    delete, path = "/api/v1/external-users/{id}", tag = "external-users",
    operation_id = "external_users_delete",
    params(
        ("id" = i64, Path, description = "The external user's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the deletion is based on"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 412, description = "The external user changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id, now) = (caller.lang, path.into_inner(), state.now());
    delete_if_match(
        &req,
        &state,
        lang,
        by,
        move |by, conn| {
            external_user::directory_row(conn, by.organization_id(), id)
                .map(|row| ExternalUser::of(row, now))
                .map_err(|err| Problem::from_domain(err, lang))
        },
        move |by, conn| {
            commands::delete(by, id, conn).map_err(|err| Problem::from_domain(err, lang))
        },
    )
    .await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    /// For an expired person, the new last day of access (`YYYY-MM-DD`, or `null` for no end);
    /// required for them, ignored for a person who was invited and has not registered yet.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = Date, nullable)]
    pub expires_on: Option<Option<String>>,
}

/// Sends a new registration link to an invited or expired external user (the old link stops working).
#[utoipa::path(
    post, path = "/api/v1/external-users/{id}/invitation", tag = "external-users",
    operation_id = "external_users_resend_invitation",
    request_body(content = Option<NewInvitation>, description = "Needed only for an expired person"),
    params(("id" = i64, Path, description = "The external user's id")),
    responses(
        (status = 202, description = "A new invitation is on its way"),
        (status = 422, description = "The person has registered, or is expired and no new date was given", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn resend_invitation(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, Problem> {
    let by = caller.acting::<Admin>(state.now())?;
    let (lang, id, settings) = (caller.lang, path.into_inner(), state.settings.clone());
    // The body is optional (only an expired person needs one), so it is read here rather than
    // by the JSON extractor, which would refuse an empty one.
    let invitation: NewInvitation = if body.iter().all(u8::is_ascii_whitespace) {
        NewInvitation::default()
    } else {
        serde_json::from_slice(&body).map_err(|err| {
            Problem::bad_request(format!("The JSON body could not be read: {err}"))
        })?
    };
    let new_expiry = parse_expiry(invitation.expires_on)?;
    db(&state, lang, move |conn| {
        commands::resend(&by, id, new_expiry, &settings, conn)
            .map_err(|err| Problem::from_domain(err, lang))
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(HttpResponse::Accepted().finish())
}
