//! The Roles pages: the list (search, sort, column settings), a new role, and one role's panel
//! (name and permissions, status, assigned members, environment access).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::access::Admin;
use crate::app::roles::{self, RoleInput};
use crate::db::DbConnection;
use crate::domain::environment::{self, EnvAccess, EnvAccessSet};
use crate::domain::ids::{EnvironmentId, MembershipId, OrganizationId, RoleId};
use crate::domain::membership::{self, Unassigned};
use crate::domain::organization;
use crate::domain::permission::{Permission, PermissionSet};
use crate::domain::preferences;
use crate::domain::role::{self, Role};
use crate::domain::rules::{DomainError, DomainResult};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::{CurrentMember, Guarded};
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};
use crate::web::table::{self, ColumnDef, ColumnSetting, HeaderCell};

pub const TABLE: &str = "roles";

pub const COLUMNS: [ColumnDef; 4] = [
    ColumnDef {
        key: "name",
        label_key: "roles-col-name",
        sortable: true,
    },
    ColumnDef {
        key: "permissions",
        label_key: "roles-col-permissions",
        sortable: false,
    },
    ColumnDef {
        key: "status",
        label_key: "roles-col-status",
        sortable: true,
    },
    ColumnDef {
        key: "members",
        label_key: "roles-col-members",
        sortable: true,
    },
];

pub const DEACTIVATE_WORD: crate::web::confirm::ConfirmWord =
    crate::web::confirm::ConfirmWord::Deactivate;
pub const REMOVE_WORD: crate::web::confirm::ConfirmWord = crate::web::confirm::ConfirmWord::Remove;

/// How many members without the role the "assign members" list offers.
const CANDIDATE_LIMIT: i64 = 200;

/// The permissions a role form offers, in this order; App Developer only where a role has it.
const OFFERED: [Permission; 5] = [
    Permission::Read,
    Permission::Admin,
    Permission::AgentInstall,
    Permission::ApiConsumer,
    Permission::ApiAccess,
];

// ---------------------------------------------------------------------------------------------
// Shared with the environments page.

pub(crate) async fn shell(
    state: &AppState,
    member: &CurrentMember,
    page: NavPage,
) -> Result<Shell, AppError> {
    let account_id = member.account.account_id;
    let organizations = state
        .db(move |conn| organization::choices_for_account(conn, account_id))
        .await?;
    Ok(Shell::new(member, organizations, page))
}

pub(crate) fn access_key(access: EnvAccess) -> &'static str {
    match access {
        EnvAccess::ViewLogs => "env-access-view-logs",
        EnvAccess::Read => "env-access-read",
        EnvAccess::Execute => "env-access-execute",
        EnvAccess::Write => "env-access-write",
    }
}

/// Runs a command, then tells whether the acting member may still manage roles: a change to
/// their own roles can take that away, and then the page they came from would answer 403.
pub(crate) async fn change<T: Send + 'static>(
    state: &AppState,
    member: &CurrentMember,
    command: impl FnOnce(&mut DbConnection) -> DomainResult<T> + Send + 'static,
) -> Result<DomainResult<(T, bool)>, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    state
        .db(move |conn| {
            let outcome = command(conn);
            Ok::<_, AppError>(match outcome {
                Ok(value) => {
                    let still_admin =
                        organization::member_context(conn, account_id, organization_id)?
                            .is_some_and(|context| context.permissions.allows(Permission::Admin));
                    Ok((value, still_admin))
                }
                Err(err) => Err(err),
            })
        })
        .await
}

/// The usual answer to a change: back to `back` with `flash` (or to the overview when the
/// member can no longer manage roles), or back with the rule's message when it was refused.
pub(crate) fn answer<T>(
    req: &HttpRequest,
    state: &AppState,
    outcome: DomainResult<(T, bool)>,
    back: &str,
    flash: &str,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok((_, true)) => Ok(htmx::see_other_with_flash(
            req,
            &state.settings,
            back,
            flash,
        )),
        Ok((_, false)) => Ok(htmx::see_other_with_flash(
            req,
            &state.settings,
            "/",
            "flash-roles-no-longer-admin",
        )),
        Err(DomainError::Rule(violation)) => Ok(htmx::see_other_with_error(
            req,
            &state.settings,
            back,
            violation.message_key(),
        )),
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The list.

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
}

pub struct PermissionBadge {
    pub label_key: &'static str,
    pub deprecated: bool,
}

pub struct RoleRow {
    pub id: RoleId,
    pub name: String,
    pub builtin: bool,
    pub active: bool,
    pub permissions: Vec<PermissionBadge>,
    pub members: i64,
}

#[derive(Template)]
#[template(path = "roles/roles.html", blocks = ["content", "table"])]
struct RolesPage {
    t: Tr,
    shell: Shell,
    search: String,
    /// The search was cut to `table::MAX_SEARCH_CHARS`.
    search_shortened: bool,
    sort: &'static str,
    descending: bool,
    headers: Vec<HeaderCell>,
    column_settings: Vec<ColumnSetting>,
    rows: Vec<RoleRow>,
    shown: i64,
    total: i64,
    return_to: String,
    /// A registered partner's organization: its two roles are fixed.
    roles_fixed: bool,
}

fn list_url(search: &str, sort: &str, descending: bool) -> String {
    let mut url = format!(
        "/roles?sort={sort}&dir={}",
        if descending { "desc" } else { "asc" }
    );
    if !search.is_empty() {
        url.push_str(&format!("&q={}", table::encode(search)));
    }
    url
}

fn badges(permissions: PermissionSet) -> Vec<PermissionBadge> {
    permissions
        .iter()
        .map(|permission| PermissionBadge {
            label_key: permission.label_key(),
            deprecated: permission == Permission::AppDeveloper,
        })
        .collect()
}

fn status_key(active: bool) -> &'static str {
    if active {
        "roles-status-active"
    } else {
        "roles-status-inactive"
    }
}

/// A role's name as the viewer reads it: the built-in roles (Administrator, User) in the
/// viewer's language, the organization's own roles as their admins named them.
/// Built-in roles cannot be renamed, so their stored name tells which one it is.
pub fn role_label(t: Tr, name: &str, builtin: bool) -> String {
    use crate::domain::kinds::BuiltinRole;
    if builtin && name == BuiltinRole::Administrator.name() {
        t.t("role-builtin-administrator")
    } else if builtin && name == BuiltinRole::User.name() {
        t.t("role-builtin-user")
    } else {
        name.to_owned()
    }
}

/// Whether a role matches every word of the search: in its name (as stored or as shown) or a
/// permission's name (anywhere), or its status (from the start, so "active" does not find
/// inactive roles).
fn matches(t: Tr, role: &Role, words: &[String]) -> bool {
    let name = format!(
        "{} {}",
        role.name.to_lowercase(),
        role_label(t, &role.name, role.is_builtin()).to_lowercase()
    );
    let permissions: Vec<String> = role
        .permission_set()
        .iter()
        .flat_map(|p| [t.t(p.label_key()).to_lowercase(), p.as_str().to_owned()])
        .collect();
    let status = t.t(status_key(role.active)).to_lowercase();
    words.iter().all(|word| {
        name.contains(word.as_str())
            || permissions.iter().any(|p| p.contains(word.as_str()))
            || status.starts_with(word.as_str())
    })
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let (search, search_shortened) = table::bounded_search(query.q.as_deref());
    let sort = match query.sort.as_deref() {
        Some("status") => "status",
        Some("members") => "members",
        _ => "name",
    };
    let descending = query.dir.as_deref() == Some("desc");
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, saved_columns, roles, counts) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                preferences::columns(conn, account_id, TABLE)?,
                role::list(conn, organization_id)?,
                role::member_counts(conn, organization_id)?,
            ))
        })
        .await?;

    let t = member.ctx.tr();
    let words: Vec<String> = search
        .to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let total = roles.len() as i64;
    // An organization has tens of roles, not thousands: filtering and sorting here is cheap.
    let mut rows: Vec<RoleRow> = roles
        .iter()
        .filter(|role| matches(t, role, &words))
        .map(|role| RoleRow {
            id: role.id,
            name: role_label(t, &role.name, role.is_builtin()),
            builtin: role.is_builtin(),
            active: role.active,
            permissions: badges(role.permission_set()),
            members: counts.get(&role.id).copied().unwrap_or(0),
        })
        .collect();
    match sort {
        "status" => rows.sort_by_key(|row| !row.active),
        "members" => rows.sort_by_key(|row| row.members),
        _ => {}
    }
    if descending {
        rows.reverse();
    }

    let columns = table::visible_columns(&COLUMNS, saved_columns.as_deref());
    let headers = table::header_cells(&columns, sort, descending, |key, desc| {
        list_url(&search, key, desc)
    });
    let page = RolesPage {
        t,
        return_to: list_url(&search, sort, descending),
        column_settings: table::column_settings(&COLUMNS, &columns),
        headers,
        search,
        search_shortened,
        sort,
        descending,
        shown: rows.len() as i64,
        rows,
        total,
        roles_fixed: member.member.is_registered_partner,
        shell: Shell::new(&member, organizations, NavPage::Roles),
    };
    htmx::render(&req, &page, |page| page.as_table())
}

// ---------------------------------------------------------------------------------------------
// The role form (new role, and name and permissions on the panel).

/// What the person typed and ticked, kept when the form comes back with errors.
#[derive(Debug, Clone, Default)]
pub struct RoleForm {
    pub name: String,
    pub permissions: Vec<String>,
}

impl RoleForm {
    fn from_fields(fields: &FormFields) -> Self {
        Self {
            name: fields.text("name").to_owned(),
            permissions: fields.all("permission"),
        }
    }

    fn of(role: &Role) -> Self {
        Self {
            name: role.name.clone(),
            permissions: role
                .permission_set()
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
        }
    }
}

#[derive(Debug, Default)]
pub struct RoleErrors {
    pub name: String,
    pub permissions: String,
}

pub struct PermissionChoice {
    pub value: &'static str,
    pub label_key: &'static str,
    pub hint_key: &'static str,
    pub checked: bool,
}

/// The checkboxes of a role form: the five offered permissions, and App Developer only when the
/// role being edited has it.
fn permission_choices(form: &RoleForm, previous: Option<PermissionSet>) -> Vec<PermissionChoice> {
    let keeps_deprecated =
        previous.is_some_and(|set| set.iter().any(|p| p == Permission::AppDeveloper));
    OFFERED
        .into_iter()
        .chain(keeps_deprecated.then_some(Permission::AppDeveloper))
        .map(|permission| PermissionChoice {
            value: permission.as_str(),
            label_key: permission.label_key(),
            hint_key: match permission {
                Permission::Read => "roles-permission-read-hint",
                Permission::Admin => "roles-permission-admin-hint",
                Permission::AgentInstall => "roles-permission-agent-install-hint",
                Permission::ApiConsumer => "roles-permission-api-consumer-hint",
                Permission::ApiAccess => "roles-permission-api-access-hint",
                Permission::AppDeveloper => "roles-permission-app-developer-hint",
            },
            checked: form
                .permissions
                .iter()
                .any(|value| value == permission.as_str()),
        })
        .collect()
}

fn validate(
    t: Tr,
    form: &RoleForm,
    previous: Option<PermissionSet>,
) -> Result<(String, PermissionSet), RoleErrors> {
    let name = role::parse_name(&form.name);
    let permissions = role::parse_permissions(&form.permissions, previous);
    match (name, permissions) {
        (Ok(name), Ok(permissions)) => Ok((name, permissions)),
        (name, permissions) => Err(RoleErrors {
            name: name.err().map(|key| t.t(key)).unwrap_or_default(),
            permissions: permissions.err().map(|key| t.t(key)).unwrap_or_default(),
        }),
    }
}

/// A refusal of the role form: a taken name belongs next to the name; built-in roles are refused
/// before they get a form.
fn form_errors(t: Tr, key: &'static str) -> RoleErrors {
    if key.starts_with("role-permissions") {
        RoleErrors {
            name: String::new(),
            permissions: t.t(key),
        }
    } else {
        RoleErrors {
            name: t.t(key),
            permissions: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "roles/new.html", blocks = ["content"])]
struct NewRolePage {
    t: Tr,
    shell: Shell,
    form: RoleForm,
    errors: RoleErrors,
    choices: Vec<PermissionChoice>,
}

async fn new_role_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    form: RoleForm,
    errors: RoleErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let page = NewRolePage {
        t: member.ctx.tr(),
        choices: permission_choices(&form, None),
        form,
        errors,
        shell: shell(state, member, NavPage::Roles).await?,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn new_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
) -> Result<HttpResponse, AppError> {
    let form = RoleForm {
        name: String::new(),
        permissions: vec![Permission::Read.as_str().to_owned()],
    };
    new_role_page(
        &req,
        &state,
        &member,
        form,
        RoleErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let t = member.ctx.tr();
    let form = RoleForm::from_fields(&fields);
    let (name, permissions) = match validate(t, &form, None) {
        Ok(valid) => valid,
        Err(errors) => {
            return new_role_page(
                &req,
                &state,
                &member,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let by = member.acting(state.now());
    let input = RoleInput { name, permissions };
    let outcome = state
        .db(move |conn| Ok::<_, AppError>(roles::create(&by, &input, conn)))
        .await?;
    match outcome {
        Ok(id) => Ok(htmx::see_other_with_flash(
            &req,
            &state.settings,
            &format!("/roles/{id}"),
            "flash-roles-created",
        )),
        Err(DomainError::Rule(violation)) => {
            let errors = form_errors(t, violation.message_key());
            new_role_page(
                &req,
                &state,
                &member,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// One role's panel.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Members,
    Environments,
}

impl Tab {
    fn parse(value: Option<&str>) -> Self {
        match value {
            Some("environments") => Self::Environments,
            _ => Self::Members,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Members => "members",
            Self::Environments => "environments",
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    tab: Option<String>,
}

pub struct RoleView {
    pub id: RoleId,
    pub name: String,
    pub builtin: bool,
    pub active: bool,
    pub permissions: Vec<PermissionBadge>,
    pub members: i64,
}

pub struct HolderRow {
    pub membership_id: MembershipId,
    pub email: String,
    pub name: String,
    pub active: bool,
    /// Unassigning the member's only role removes them from the organization.
    pub only_role: bool,
    pub is_you: bool,
}

pub struct Candidate {
    pub membership_id: MembershipId,
    pub email: String,
    pub name: String,
}

pub struct AccessSwitch {
    pub value: &'static str,
    pub label_key: &'static str,
    pub on: bool,
}

pub struct EnvironmentAccessRow {
    pub id: EnvironmentId,
    pub name: String,
    pub switches: Vec<AccessSwitch>,
}

/// Messages next to the typed confirmations.
#[derive(Debug, Default)]
pub struct ConfirmErrors {
    pub deactivate: String,
    pub remove: String,
}

#[derive(Template)]
#[template(path = "roles/role.html", blocks = ["content"])]
struct RolePage {
    t: Tr,
    shell: Shell,
    role: RoleView,
    tab: &'static str,
    previous: Option<RoleId>,
    next: Option<RoleId>,
    form: RoleForm,
    errors: RoleErrors,
    choices: Vec<PermissionChoice>,
    confirm_errors: ConfirmErrors,
    deactivate_word: &'static str,
    remove_word: &'static str,
    holders: Vec<HolderRow>,
    candidates: Vec<Candidate>,
    more_candidates: bool,
    environments: Vec<EnvironmentAccessRow>,
}

struct Loaded {
    role: Role,
    neighbours: (Option<RoleId>, Option<RoleId>),
    members: i64,
    holders: Vec<HolderRow>,
    candidates: Vec<Candidate>,
    more_candidates: bool,
    environments: Vec<EnvironmentAccessRow>,
}

fn load(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
    own_email: &str,
    id: RoleId,
    tab: Tab,
) -> DomainResult<Loaded> {
    let role = role::find(conn, organization_id, id)?;
    let neighbours = role::neighbours(conn, organization_id, id)?;
    let mut loaded = Loaded {
        neighbours,
        members: 0,
        holders: Vec::new(),
        candidates: Vec::new(),
        more_candidates: false,
        environments: Vec::new(),
        role,
    };
    let holders = membership::holders_of_role(conn, id)?;
    loaded.members = holders.len() as i64;
    match tab {
        Tab::Members => {
            let ids: Vec<MembershipId> = holders.iter().map(|holder| holder.0).collect();
            let mut role_counts: HashMap<MembershipId, usize> = HashMap::new();
            // Bounded IN lists: both databases cap the parameters of one statement.
            for chunk in ids.chunks(500) {
                for (membership_id, roles) in membership::assigned_roles(conn, chunk)? {
                    role_counts.insert(membership_id, roles.len());
                }
            }
            loaded.holders = holders
                .into_iter()
                .map(|(membership_id, email, name, active)| HolderRow {
                    only_role: role_counts.get(&membership_id).copied().unwrap_or(0) <= 1,
                    is_you: email == own_email,
                    membership_id,
                    email,
                    name,
                    active,
                })
                .collect();
            let mut candidates =
                membership::non_holders_of_role(conn, organization_id, id, CANDIDATE_LIMIT + 1)?;
            loaded.more_candidates = candidates.len() as i64 > CANDIDATE_LIMIT;
            candidates.truncate(CANDIDATE_LIMIT as usize);
            loaded.candidates = candidates
                .into_iter()
                .map(|(membership_id, email, name)| Candidate {
                    membership_id,
                    email,
                    name,
                })
                .collect();
        }
        Tab::Environments => {
            let access: HashMap<EnvironmentId, EnvAccessSet> =
                environment::access_of_role(conn, id)?.into_iter().collect();
            loaded.environments = environment::list(conn, organization_id)?
                .into_iter()
                .map(|env| {
                    let set = access.get(&env.id).copied().unwrap_or_default();
                    EnvironmentAccessRow {
                        id: env.id,
                        name: env.name,
                        switches: EnvAccess::ALL
                            .into_iter()
                            .map(|access| AccessSwitch {
                                value: access.as_str(),
                                label_key: access_key(access),
                                on: set.has(access),
                            })
                            .collect(),
                    }
                })
                .collect();
        }
    }
    Ok(loaded)
}

/// What a re-rendered panel keeps from the request that failed.
#[derive(Default)]
struct Kept {
    form: Option<RoleForm>,
    errors: RoleErrors,
    confirm_errors: ConfirmErrors,
}

async fn role_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    id: RoleId,
    tab: Tab,
    kept: Kept,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let own_email = member.account.email.clone();
    let (organizations, loaded) = state
        .db(move |conn| {
            Ok::<_, DomainError>((
                organization::choices_for_account(conn, account_id)?,
                load(conn, organization_id, &own_email, id, tab)?,
            ))
        })
        .await?;
    let Loaded {
        role,
        neighbours,
        members,
        holders,
        candidates,
        more_candidates,
        environments,
    } = loaded;
    let form = kept.form.unwrap_or_else(|| RoleForm::of(&role));
    let page = RolePage {
        t: member.ctx.tr(),
        choices: permission_choices(&form, Some(role.permission_set())),
        form,
        errors: kept.errors,
        confirm_errors: kept.confirm_errors,
        deactivate_word: DEACTIVATE_WORD.text(member.ctx.tr()),
        remove_word: REMOVE_WORD.text(member.ctx.tr()),
        tab: tab.as_str(),
        previous: neighbours.0,
        next: neighbours.1,
        holders,
        candidates,
        more_candidates,
        environments,
        role: RoleView {
            id: role.id,
            builtin: role.is_builtin(),
            active: role.active,
            permissions: badges(role.permission_set()),
            members,
            name: role_label(member.ctx.tr(), &role.name, role.is_builtin()),
        },
        shell: Shell::new(member, organizations, NavPage::Roles),
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<RoleId>,
    query: web::Query<DetailQuery>,
) -> Result<HttpResponse, AppError> {
    let tab = Tab::parse(query.tab.as_deref());
    role_page(
        &req,
        &state,
        &member,
        id.into_inner(),
        tab,
        Kept::default(),
        StatusCode::OK,
    )
    .await
}

fn role_url(id: RoleId, tab: Tab) -> String {
    match tab {
        Tab::Members => format!("/roles/{id}"),
        Tab::Environments => format!("/roles/{id}?tab=environments"),
    }
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<RoleId>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let t = member.ctx.tr();
    let organization_id = member.organization_id();
    let current = state
        .db(move |conn| role::find(conn, organization_id, id))
        .await?;
    let form = RoleForm::from_fields(&fields);
    let invalid = |errors| Kept {
        form: Some(form.clone()),
        errors,
        ..Kept::default()
    };
    let (name, permissions) = match validate(t, &form, Some(current.permission_set())) {
        Ok(valid) => valid,
        Err(errors) => {
            return role_page(
                &req,
                &state,
                &member,
                id,
                Tab::Members,
                invalid(errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let by = member.acting(state.now());
    let input = RoleInput { name, permissions };
    let outcome = change(&state, &member, move |conn| {
        roles::update(&by, id, &input, conn)
    })
    .await?;
    match outcome {
        Err(DomainError::Rule(violation)) if violation.message_key() == "role-name-taken" => {
            let errors = form_errors(t, violation.message_key());
            role_page(
                &req,
                &state,
                &member,
                id,
                Tab::Members,
                invalid(errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        outcome => answer(
            &req,
            &state,
            outcome,
            &role_url(id, Tab::Members),
            "flash-roles-updated",
        ),
    }
}

/// The role page again, with the error under the dialog that asked for `word`, when the word
/// typed is not it. The role is looked up first, so that another organization's id answers 404
/// whatever was typed.
async fn mistyped_word(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    member: &Guarded<Admin>,
    id: RoleId,
    fields: &FormFields,
    word: crate::web::confirm::ConfirmWord,
) -> Result<Option<HttpResponse>, AppError> {
    let t = member.ctx.tr();
    if word.matches(t, fields.text("confirm")) {
        return Ok(None);
    }
    let organization_id = member.organization_id();
    state
        .db(move |conn| role::find(conn, organization_id, id))
        .await?;
    let error = t.t1("confirm-word-mismatch", "word", word.text(t));
    let confirm_errors = if word == DEACTIVATE_WORD {
        ConfirmErrors {
            deactivate: error,
            remove: String::new(),
        }
    } else {
        ConfirmErrors {
            deactivate: String::new(),
            remove: error,
        }
    };
    let kept = Kept {
        confirm_errors,
        ..Kept::default()
    };
    role_page(
        req,
        state,
        member,
        id,
        Tab::Members,
        kept,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
    .map(Some)
}

pub async fn deactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<RoleId>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    if let Some(page) = mistyped_word(&req, &state, &member, id, &fields, DEACTIVATE_WORD).await? {
        return Ok(page);
    }
    let by = member.acting(state.now());
    let outcome = change(&state, &member, move |conn| {
        roles::set_active(&by, id, false, conn)
    })
    .await?;
    answer(
        &req,
        &state,
        outcome,
        &role_url(id, Tab::Members),
        "flash-roles-deactivated",
    )
}

pub async fn reactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<RoleId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let by = member.acting(state.now());
    let outcome = change(&state, &member, move |conn| {
        roles::set_active(&by, id, true, conn)
    })
    .await?;
    answer(
        &req,
        &state,
        outcome,
        &role_url(id, Tab::Members),
        "flash-roles-reactivated",
    )
}

pub async fn remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<RoleId>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    if let Some(page) = mistyped_word(&req, &state, &member, id, &fields, REMOVE_WORD).await? {
        return Ok(page);
    }
    let by = member.acting(state.now());
    let outcome = change(&state, &member, move |conn| roles::remove(&by, id, conn)).await?;
    let flash = match &outcome {
        Ok((left, _)) if *left > 0 => "flash-roles-removed-members-left",
        _ => "flash-roles-removed",
    };
    match outcome {
        // Refusals go back to the role, which still exists; success goes to the list.
        Err(DomainError::Rule(violation)) => Ok(htmx::see_other_with_error(
            &req,
            &state.settings,
            &role_url(id, Tab::Members),
            violation.message_key(),
        )),
        outcome => answer(&req, &state, outcome, "/roles", flash),
    }
}

// ---------------------------------------------------------------------------------------------
// Assigned members.

pub async fn assign_members(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<RoleId>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut membership_ids = fields.ids("membership_id")?;
    membership_ids.sort_unstable();
    membership_ids.dedup();
    let by = member.acting(state.now());
    let outcome = change(&state, &member, move |conn| {
        roles::assign_members(&by, id, &membership_ids, conn)
    })
    .await?;
    answer(
        &req,
        &state,
        outcome,
        &role_url(id, Tab::Members),
        "flash-roles-members-assigned",
    )
}

pub async fn set_member_active(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    path: web::Path<(RoleId, MembershipId)>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let (id, membership_id) = path.into_inner();
    // A switch sends `active=false` from a hidden field and `active=true` when ticked.
    let active = fields.all("active").iter().any(|value| value == "true");
    let by = member.acting(state.now());
    let outcome = change(&state, &member, move |conn| {
        roles::set_assignment_active(&by, id, membership_id, active, conn)
    })
    .await?;
    let flash = if active {
        "flash-roles-assignment-on"
    } else {
        "flash-roles-assignment-off"
    };
    answer(&req, &state, outcome, &role_url(id, Tab::Members), flash)
}

pub async fn unassign_member(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    path: web::Path<(RoleId, MembershipId)>,
) -> Result<HttpResponse, AppError> {
    let (id, membership_id) = path.into_inner();
    let by = member.acting(state.now());
    let outcome = change(&state, &member, move |conn| {
        roles::unassign(&by, id, membership_id, conn)
    })
    .await?;
    let flash = match &outcome {
        Ok((Unassigned::MemberRemoved, _)) => "flash-roles-unassigned-member-left",
        _ => "flash-roles-unassigned",
    };
    answer(&req, &state, outcome, &role_url(id, Tab::Members), flash)
}

// ---------------------------------------------------------------------------------------------
// Environment access.

pub async fn set_environment_access(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    path: web::Path<(RoleId, EnvironmentId)>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let (id, environment_id) = path.into_inner();
    let accesses = fields
        .all("access")
        .iter()
        .map(|value| EnvAccess::parse(value).ok_or(AppError::BadRequest))
        .collect::<Result<Vec<_>, _>>()?;
    let access = EnvAccessSet::of(&accesses);
    let by = member.acting(state.now());
    let outcome = change(&state, &member, move |conn| {
        roles::set_environment_access(&by, id, environment_id, access, conn)
    })
    .await?;
    let back = format!(
        "{}#environment-{environment_id}",
        role_url(id, Tab::Environments)
    );
    answer(
        &req,
        &state,
        outcome,
        &back,
        "flash-roles-environment-access-saved",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn role(name: &str, permissions: &[Permission], active: bool) -> Role {
        Role {
            id: RoleId::new(1),
            organization_id: crate::domain::ids::OrganizationId::new(1),
            name: name.to_owned(),
            name_folded: name.to_lowercase(),
            permissions: PermissionSet::of(permissions).bits(),
            builtin: None,
            active,
            created_at: time::macros::datetime!(2025-01-01 0:00),
        }
    }

    fn words(search: &str) -> Vec<String> {
        search
            .to_lowercase()
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn search_matches_name_permissions_and_status() {
        let t = Tr(Lang::En);
        let support = role(
            "Support Team",
            &[Permission::Read, Permission::ApiConsumer],
            false,
        );
        assert!(matches(t, &support, &words("team")));
        assert!(matches(t, &support, &words("api consumer")));
        assert!(matches(t, &support, &words("INACTIVE support")));
        assert!(
            !matches(t, &support, &words("active")),
            "active does not find inactive roles"
        );
        assert!(!matches(t, &support, &words("admin")));
        assert!(matches(t, &support, &words("")));
        assert!(matches(Tr(Lang::PtBr), &support, &words("inativo")));
    }

    #[test]
    fn new_roles_never_offer_app_developer() {
        let form = RoleForm {
            name: String::new(),
            permissions: vec!["read".into()],
        };
        let offered: Vec<_> = permission_choices(&form, None)
            .iter()
            .map(|c| c.value)
            .collect();
        assert_eq!(
            offered,
            vec![
                "read",
                "admin",
                "agent-install",
                "api-consumer",
                "api-access"
            ]
        );
        let legacy = PermissionSet::of(&[Permission::AppDeveloper]);
        assert!(
            permission_choices(&form, Some(legacy))
                .iter()
                .any(|c| c.value == "app-developer")
        );
    }
}
