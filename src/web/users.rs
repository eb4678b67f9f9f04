//! The users page: the organization's members (search, sort, pages, column settings), adding
//! people, each member's role panel, and removal.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::app::access::{Admin, UserReader};
use crate::app::members::{self, NewMember};
use crate::app::roles::RoleInput;
use crate::domain::account::EmailAddress;
use crate::domain::ids::{MembershipId, RoleId};
use crate::domain::kinds::MembershipStatus;
use crate::domain::membership::{self, Added, DirectoryQuery, SortColumn, Unassigned};
use crate::domain::organization;
use crate::domain::permission::PermissionSet;
use crate::domain::preferences;
use crate::domain::role::{self, Role};
use crate::domain::rules::{DomainError, DomainResult};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::{CurrentMember, Guarded};
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{Flash, NavPage, Shell};
use crate::web::roles::role_label;
use crate::web::table::{self, ColumnDef, ColumnSetting, HeaderCell, ListQuery, Listing, Pager};

pub const TABLE: &str = "users";
pub const PER_PAGE: i64 = 50;

pub const COLUMNS: [ColumnDef; 6] = [
    ColumnDef {
        key: "email",
        label_key: "users-col-email",
        sortable: true,
    },
    ColumnDef {
        key: "name",
        label_key: "users-col-name",
        sortable: true,
    },
    ColumnDef {
        key: "roles",
        label_key: "users-col-roles",
        sortable: true,
    },
    ColumnDef {
        key: "status",
        label_key: "users-col-status",
        sortable: true,
    },
    ColumnDef {
        key: "last-sign-in",
        label_key: "users-col-last-sign-in",
        sortable: true,
    },
    ColumnDef {
        key: "member-since",
        label_key: "users-col-member-since",
        sortable: true,
    },
];

// ---------------------------------------------------------------------------------------------
// The list.

pub struct RoleBadge {
    pub name: String,
    /// The assignment is on and the role itself is active.
    pub effective: bool,
}

pub struct UserRow {
    pub membership_id: MembershipId,
    pub email: String,
    pub name: String,
    pub roles: Vec<RoleBadge>,
    pub status_key: &'static str,
    pub status_badge: &'static str,
    pub pending: bool,
    pub inactive: bool,
    pub last_sign_in: String,
    pub member_since: String,
}

#[derive(Template)]
#[template(path = "users/users.html", blocks = ["content", "table"])]
struct UsersPage {
    t: Tr,
    shell: Shell,
    can_manage: bool,
    search: String,
    /// The search was cut to `table::MAX_SEARCH_CHARS`.
    search_shortened: bool,
    sort: &'static str,
    descending: bool,
    headers: Vec<HeaderCell>,
    column_settings: Vec<ColumnSetting>,
    rows: Vec<UserRow>,
    pager: Pager,
    return_to: String,
}

fn status_view(status: MembershipStatus) -> (&'static str, &'static str) {
    match status {
        MembershipStatus::Active => ("member-status-active", "green"),
        MembershipStatus::Pending => ("member-status-pending", "amber"),
        MembershipStatus::Inactive => ("member-status-inactive", "gray"),
    }
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<UserReader>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let sort = query
        .sort
        .as_deref()
        .and_then(SortColumn::parse)
        .unwrap_or(SortColumn::Email);
    let listing = Listing::read("/users", query, sort.as_str());
    let directory_query = DirectoryQuery {
        search: listing.search_filter(),
        sort,
        descending: listing.descending,
        page: listing.page,
        per_page: PER_PAGE,
        after: None,
    };
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, saved_columns, directory) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                preferences::columns(conn, account_id, TABLE)?,
                membership::directory(conn, organization_id, &directory_query)?,
            ))
        })
        .await?;

    let columns = table::visible_columns(&COLUMNS, saved_columns.as_deref());
    let pager = listing.pager(
        PER_PAGE,
        directory.rows.len(),
        directory.total,
        directory.has_next,
    );
    let viewer = member.ctx.viewer();
    let rows = directory
        .rows
        .into_iter()
        .map(|row| {
            let (status_key, status_badge) = status_view(row.status);
            UserRow {
                membership_id: row.membership_id,
                pending: row.status == MembershipStatus::Pending,
                inactive: row.status == MembershipStatus::Inactive,
                email: row.email,
                name: row.name,
                roles: row
                    .roles
                    .into_iter()
                    .map(|role| RoleBadge {
                        effective: role.active && role.role_active,
                        name: role_label(member.ctx.tr(), &role.name, role.builtin),
                    })
                    .collect(),
                status_key,
                status_badge,
                last_sign_in: row
                    .last_sign_in_at
                    .map(|at| viewer.datetime(at))
                    .unwrap_or_default(),
                member_since: viewer.day_of(row.created_at),
            }
        })
        .collect();
    let page_view = UsersPage {
        t: member.ctx.tr(),
        can_manage: member.holds::<Admin>(),
        return_to: listing.here(),
        column_settings: table::column_settings(&COLUMNS, &columns),
        headers: listing.headers(&columns),
        sort: listing.sort,
        descending: listing.descending,
        search_shortened: listing.search_shortened,
        search: listing.search,
        rows,
        pager,
        shell: Shell::new(&member, organizations, NavPage::Users),
    };
    htmx::render(&req, &page_view, |page| page.as_table())
}

// ---------------------------------------------------------------------------------------------
// Adding people.

#[derive(Template)]
#[template(path = "users/new.html", blocks = ["content"])]
struct NewUserPage {
    t: Tr,
    shell: Shell,
    email: String,
    email_error: String,
    roles_error: String,
    roles: Vec<RoleChoice>,
}

pub struct RoleChoice {
    pub id: RoleId,
    pub name: String,
    pub permissions: String,
    pub checked: bool,
}

fn permission_names(t: Tr, permissions: PermissionSet) -> String {
    permissions
        .iter()
        .map(|p| t.t(p.label_key()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the add-user form shows: what was typed, the errors, the roles ticked.
#[derive(Default)]
struct NewUserForm {
    email: String,
    email_error: String,
    roles_error: String,
    checked: Vec<RoleId>,
}

async fn new_user_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    form: NewUserForm,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, roles) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                role::list(conn, organization_id)?,
            ))
        })
        .await?;
    let t = member.ctx.tr();
    let NewUserForm {
        email,
        email_error,
        roles_error,
        checked,
    } = form;
    let page = NewUserPage {
        t,
        email,
        email_error,
        roles_error,
        roles: roles
            .into_iter()
            .filter(|role| role.active)
            .map(|role| RoleChoice {
                checked: checked.contains(&role.id),
                permissions: permission_names(t, role.permission_set()),
                id: role.id,
                name: role_label(t, &role.name, role.is_builtin()),
            })
            .collect(),
        shell: Shell::new(member, organizations, NavPage::Users),
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn new_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
) -> Result<HttpResponse, AppError> {
    new_user_page(
        &req,
        &state,
        &member,
        NewUserForm::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn add_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let t = member.ctx.tr();
    let role_ids = form.ids("role_id")?;
    let typed = form.text("email").trim().to_owned();
    let email = EmailAddress::parse(&typed);
    if email.is_err() || role_ids.is_empty() {
        let email_error = email.err().map(|key| t.t(key)).unwrap_or_default();
        let roles_error = if role_ids.is_empty() {
            t.t("member-needs-role")
        } else {
            String::new()
        };
        let form = NewUserForm {
            email: typed,
            email_error,
            roles_error,
            checked: role_ids,
        };
        return new_user_page(
            &req,
            &state,
            &member,
            form,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let input = NewMember {
        email: email.expect("checked above"),
        role_ids: role_ids.clone(),
    };
    let (by, settings) = (member.acting(state.now()), state.settings.clone());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(members::add(&by, &input, &settings, conn)))
        .await?;
    match outcome {
        Ok(added) => {
            state.outbox_wake.notify_one();
            let flash = match added {
                Added::Invited { .. } => "flash-member-invited",
                Added::Granted { .. } => "flash-member-added",
            };
            Ok(htmx::see_other_with_flash(
                &req,
                &state.settings,
                "/users",
                flash,
            ))
        }
        Err(DomainError::Rule(violation)) => {
            let form = NewUserForm {
                email: typed,
                email_error: t.t(violation.message_key()),
                roles_error: String::new(),
                checked: role_ids,
            };
            new_user_page(
                &req,
                &state,
                &member,
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Invitations of pending members.

pub async fn resend_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    membership_id: web::Path<MembershipId>,
) -> Result<HttpResponse, AppError> {
    let membership_id = membership_id.into_inner();
    let (by, settings) = (member.acting(state.now()), state.settings.clone());
    state
        .db(move |conn| members::resend_invitation(&by, membership_id, &settings, conn))
        .await?;
    state.outbox_wake.notify_one();
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/users",
        "flash-invitation-resent",
    ))
}

pub async fn revoke_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    membership_id: web::Path<MembershipId>,
) -> Result<HttpResponse, AppError> {
    let (by, membership_id) = (member.acting(state.now()), membership_id.into_inner());
    state
        .db(move |conn| members::revoke_invitation(&by, membership_id, conn))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/users",
        "flash-invitation-revoked",
    ))
}

/// Brings an Inactive member back to Active.
pub async fn reactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    membership_id: web::Path<MembershipId>,
) -> Result<HttpResponse, AppError> {
    let (by, membership_id) = (member.acting(state.now()), membership_id.into_inner());
    state
        .db(move |conn| members::reactivate(&by, membership_id, conn))
        .await?;
    Ok(htmx::see_other_with_flash(
        &req,
        &state.settings,
        "/users",
        "flash-member-reactivated",
    ))
}

// ---------------------------------------------------------------------------------------------
// The role panel of one member.

pub struct PanelRole {
    pub role_id: RoleId,
    pub name: String,
    pub permissions: String,
    pub active: bool,
    pub role_active: bool,
}

#[derive(Template)]
#[template(path = "users/roles.html", blocks = ["content", "drawer"])]
struct RolePanelPage {
    t: Tr,
    shell: Shell,
    /// The outcome of a change made in the drawer, shown inside it (a page has its toast).
    notice: Option<Flash>,
    membership_id: MembershipId,
    email: String,
    name: String,
    assigned: Vec<PanelRole>,
    available: Vec<PanelRole>,
    only_one_role: bool,
    new_role_name: String,
    new_role_error: String,
    tokens: Vec<crate::web::tokens::TokenRow>,
}

fn panel_role(t: Tr, role: &Role, active: bool) -> PanelRole {
    PanelRole {
        role_id: role.id,
        name: role_label(t, &role.name, role.is_builtin()),
        permissions: permission_names(t, role.permission_set()),
        active,
        role_active: role.active,
    }
}

/// What the role panel shows beyond the stored data: the "new role" form as typed, with its
/// error, and the outcome of a change made in the drawer.
#[derive(Default)]
struct PanelExtras {
    new_role_name: String,
    new_role_error: String,
    notice: Option<Flash>,
}

async fn role_panel_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    membership_id: MembershipId,
    extras: PanelExtras,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let PanelExtras {
        new_role_name,
        new_role_error,
        notice,
    } = extras;
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let now = state.now();
    let (organizations, person, roles, mut assignments, tokens) = state
        .db(move |conn| {
            let person = membership::find(conn, organization_id, membership_id)?;
            let tokens = crate::domain::personal_token::live_of_member(
                conn,
                organization_id,
                person.account_id,
                now,
            )?;
            Ok::<_, DomainError>((
                organization::choices_for_account(conn, account_id)?,
                person,
                role::list(conn, organization_id)?,
                membership::assigned_roles(conn, &[membership_id])?,
                tokens,
            ))
        })
        .await?;
    let viewer = member.ctx.viewer();
    let t = member.ctx.tr();
    let assignments = assignments.remove(&membership_id).unwrap_or_default();
    let assigned: Vec<PanelRole> = roles
        .iter()
        .filter_map(|role| {
            assignments
                .iter()
                .find(|a| a.role_id == role.id)
                .map(|a| panel_role(t, role, a.active))
        })
        .collect();
    let available = roles
        .iter()
        .filter(|role| role.active && !assignments.iter().any(|a| a.role_id == role.id))
        .map(|role| panel_role(t, role, false))
        .collect();
    let page = RolePanelPage {
        t,
        notice,
        membership_id,
        email: person.email,
        name: person.name,
        only_one_role: assigned.len() == 1,
        assigned,
        available,
        new_role_name,
        new_role_error,
        tokens: tokens
            .into_iter()
            .map(|token| crate::web::tokens::TokenRow::of(token, &viewer, now))
            .collect(),
        shell: Shell::new(member, organizations, NavPage::Users),
    };
    htmx::render_with_status(req, status, &page, |page| page.as_drawer())
}

pub async fn role_panel(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    membership_id: web::Path<MembershipId>,
) -> Result<HttpResponse, AppError> {
    role_panel_page(
        &req,
        &state,
        &member,
        membership_id.into_inner(),
        PanelExtras::default(),
        StatusCode::OK,
    )
    .await
}

fn panel_url(membership_id: MembershipId) -> String {
    format!("/users/{membership_id}/roles")
}

/// Where a change made in the role panel lands. Sent from the drawer (htmx), the panel comes
/// back in place with the outcome as its notice, so the drawer stays open over the users page;
/// without JavaScript it is post/redirect/get to the panel's own page.
async fn panel_outcome(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    membership_id: MembershipId,
    outcome: Result<&str, &str>,
) -> Result<HttpResponse, AppError> {
    if htmx::wants_fragment(req) {
        let t = member.ctx.tr();
        let (status, notice) = match outcome {
            Ok(key) => (StatusCode::OK, Flash::success(t.t(key))),
            Err(key) => (StatusCode::UNPROCESSABLE_ENTITY, Flash::error(t.t(key))),
        };
        return role_panel_page(
            req,
            state,
            member,
            membership_id,
            PanelExtras {
                notice: Some(notice),
                ..PanelExtras::default()
            },
            status,
        )
        .await;
    }
    let back = panel_url(membership_id);
    Ok(match outcome {
        Ok(key) => htmx::see_other_with_flash(req, &state.settings, &back, key),
        Err(key) => htmx::see_other_with_error(req, &state.settings, &back, key),
    })
}

/// Runs a command from the role panel and goes back to it, with the rule's message if refused.
async fn panel_change<T: Send + 'static>(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    membership_id: MembershipId,
    success_flash: &str,
    command: impl FnOnce(&mut crate::db::DbConnection) -> DomainResult<T> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(command(conn)))
        .await?;
    let result = match outcome {
        Ok(_) => Ok(success_flash),
        Err(DomainError::Rule(violation)) => Err(violation.message_key()),
        Err(other) => return Err(other.into()),
    };
    panel_outcome(req, state, member, membership_id, result).await
}

pub async fn assign_roles(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    membership_id: web::Path<MembershipId>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let membership_id = membership_id.into_inner();
    let role_ids = form.ids("role_id")?;
    let by = member.acting(state.now());
    panel_change(
        &req,
        &state,
        &member,
        membership_id,
        "flash-roles-assigned",
        move |conn| members::assign_roles(&by, membership_id, &role_ids, conn),
    )
    .await
}

pub async fn set_assignment(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    path: web::Path<(MembershipId, RoleId)>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let (membership_id, role_id) = path.into_inner();
    let active = form.get("active") == Some("true");
    let by = member.acting(state.now());
    panel_change(
        &req,
        &state,
        &member,
        membership_id,
        "flash-assignment-changed",
        move |conn| members::set_assignment_active(&by, membership_id, role_id, active, conn),
    )
    .await
}

pub async fn unassign_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    path: web::Path<(MembershipId, RoleId)>,
) -> Result<HttpResponse, AppError> {
    let (membership_id, role_id) = path.into_inner();
    let by = member.acting(state.now());
    let outcome = state
        .db(move |conn| {
            Ok::<_, AppError>(members::unassign_role(&by, membership_id, role_id, conn))
        })
        .await?;
    let result = match outcome {
        // The member left with their last role: the panel has nobody to show.
        Ok(Unassigned::MemberRemoved) => {
            return Ok(htmx::see_other_with_flash(
                &req,
                &state.settings,
                "/users",
                "flash-member-removed",
            ));
        }
        Ok(_) => Ok("flash-role-unassigned"),
        Err(DomainError::Rule(violation)) => Err(violation.message_key()),
        Err(other) => return Err(other.into()),
    };
    panel_outcome(&req, &state, &member, membership_id, result).await
}

pub async fn create_and_assign_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    membership_id: web::Path<MembershipId>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let membership_id = membership_id.into_inner();
    let t = member.ctx.tr();
    let typed = form.text("name").trim().to_owned();
    let checked = role::parse_name(&typed).and_then(|name| {
        role::parse_permissions(&form.all("permission"), None)
            .map(|permissions| (name, permissions))
    });
    let (name, permissions) = match checked {
        Ok(valid) => valid,
        Err(key) => {
            return role_panel_page(
                &req,
                &state,
                &member,
                membership_id,
                PanelExtras {
                    new_role_name: typed,
                    new_role_error: t.t(key),
                    notice: None,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let by = member.acting(state.now());
    let input = RoleInput { name, permissions };
    let outcome = state
        .db(move |conn| {
            Ok::<_, AppError>(members::create_and_assign_role(
                &by,
                membership_id,
                &input,
                conn,
            ))
        })
        .await?;
    match outcome {
        Ok(_) => {
            panel_outcome(
                &req,
                &state,
                &member,
                membership_id,
                Ok("flash-role-created-assigned"),
            )
            .await
        }
        Err(DomainError::Rule(violation)) => {
            role_panel_page(
                &req,
                &state,
                &member,
                membership_id,
                PanelExtras {
                    new_role_name: typed,
                    new_role_error: t.t(violation.message_key()),
                    notice: None,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Removal, with a typed confirmation.

pub const REMOVE_WORD: crate::web::confirm::ConfirmWord = crate::web::confirm::ConfirmWord::Remove;

#[derive(Template)]
#[template(path = "users/remove.html", blocks = ["content"])]
struct RemovePage {
    t: Tr,
    shell: Shell,
    membership_id: MembershipId,
    email: String,
    name: String,
    word: &'static str,
    error: String,
}

async fn remove_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    membership_id: MembershipId,
    error: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, person) = state
        .db(move |conn| {
            Ok::<_, DomainError>((
                organization::choices_for_account(conn, account_id)?,
                membership::find(conn, organization_id, membership_id)?,
            ))
        })
        .await?;
    let page = RemovePage {
        t: member.ctx.tr(),
        membership_id,
        email: person.email,
        name: person.name,
        word: REMOVE_WORD.text(member.ctx.tr()),
        error,
        shell: Shell::new(member, organizations, NavPage::Users),
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn confirm_remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    membership_id: web::Path<MembershipId>,
) -> Result<HttpResponse, AppError> {
    remove_page(
        &req,
        &state,
        &member,
        membership_id.into_inner(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    membership_id: web::Path<MembershipId>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    let membership_id = membership_id.into_inner();
    let t = member.ctx.tr();
    if !REMOVE_WORD.matches(t, form.text("confirm")) {
        let error = t.t1("confirm-word-mismatch", "word", REMOVE_WORD.text(t));
        return remove_page(
            &req,
            &state,
            &member,
            membership_id,
            error,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let by = member.acting(state.now());
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(members::remove(&by, membership_id, conn)))
        .await?;
    match outcome {
        Ok(()) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            "/users",
            "flash-member-removed",
        )),
        Err(DomainError::Rule(violation)) => {
            remove_page(
                &req,
                &state,
                &member,
                membership_id,
                t.t(violation.message_key()),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
