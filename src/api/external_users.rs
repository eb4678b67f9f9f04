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
use crate::api::{Page, db, decode_cursor, encode_cursor, limit_of, page_response, timestamp};
use crate::app::access::{Admin, UserReader};
use crate::app::external_users::{self as commands, Invitation};
use crate::domain::account::EmailAddress;
use crate::domain::external_user::{self, DirectoryQuery, DirectoryRow, SortColumn};
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
    /// 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    q: Option<String>,
    /// External users are few per organization: the cursor holds the page.
    page: i64,
}

/// Lists external users by email.
#[utoipa::path(
    get, path = "/api/v1/external-users", tag = "external-users",
    operation_id = "external_users_list",
    params(ListQuery),
    responses((status = 200, description = "A page of external users by email", body = Page<ExternalUser>)),
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
    let cursor: Cursor = match query.cursor.as_deref() {
        Some(cursor) => decode_cursor(cursor)?,
        None => Cursor {
            q: query.q.clone().filter(|q| !q.trim().is_empty()),
            page: 0,
        },
    };
    if cursor.q.as_ref().is_some_and(|q| q.chars().count() > 200) || cursor.page < 0 {
        return Err(Problem::invalid(vec![FieldError {
            field: "q".into(),
            code: "too-long".into(),
            message: Tr(caller.lang).t("search-too-long"),
        }]));
    }
    let directory_query = DirectoryQuery {
        search: cursor.q.clone(),
        sort: SortColumn::Email,
        descending: false,
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
        Some(text) => Date::parse(
            text,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|_| {
            errors.push(field(
                "expires_on",
                "invalid",
                "Give the date as YYYY-MM-DD.".into(),
            ))
        })
        .ok(),
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
        .insert_header((header::LOCATION, "/api/v1/external-users"))
        .json(user))
}

fn field(name: &str, code: &str, message: String) -> FieldError {
    FieldError {
        field: name.into(),
        code: code.into(),
        message,
    }
}
