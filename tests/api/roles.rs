//! The Roles page, as an administrator uses it: creating and editing roles, deactivating,
//! reactivating and removing them, the members who hold them and their environment access.

use diesel::prelude::*;
use gatehouse::clock::Clock;
use gatehouse::db::schema::{
    accounts, audit_events, memberships, organizations, role_assignments, role_environment_access,
    roles,
};
use gatehouse::domain::account::EmailAddress;
use gatehouse::domain::audit::Actor;
use gatehouse::domain::environment::{self, EnvAccess, EnvAccessSet};
use gatehouse::domain::ids::{EnvironmentId, MembershipId, OrganizationId, RoleId};
use gatehouse::domain::membership::{self, Added};
use gatehouse::domain::organization::{self, MemberContext};
use gatehouse::domain::permission::{Permission, PermissionSet};
use gatehouse::domain::role;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::helpers::*;

// ---------------------------------------------------------------------------------------------
// Arranging data straight through the domain, as another admin would have done before.

pub fn system_actor(app: &TestApp) -> Actor {
    Actor::system(app.clock.now())
}

pub fn our_organization(app: &TestApp) -> OrganizationId {
    let mut conn = app.pool.get().unwrap();
    organizations::table
        .filter(organizations::name.eq(ORGANIZATION))
        .select(organizations::id)
        .first(&mut conn)
        .unwrap()
}

pub fn role_named(app: &TestApp, name: &str) -> RoleId {
    let mut conn = app.pool.get().unwrap();
    roles::table
        .filter(roles::organization_id.eq(our_organization(app)))
        .filter(roles::name.eq(name))
        .select(roles::id)
        .first(&mut conn)
        .unwrap()
}

pub fn new_role(app: &TestApp, name: &str, permissions: &[Permission]) -> RoleId {
    let mut conn = app.pool.get().unwrap();
    role::create(
        &mut conn,
        our_organization(app),
        name,
        PermissionSet::of(permissions),
        &system_actor(app),
    )
    .unwrap()
}

pub fn new_environment(app: &TestApp, name: &str) -> EnvironmentId {
    let mut conn = app.pool.get().unwrap();
    environment::create(&mut conn, our_organization(app), name, &system_actor(app)).unwrap()
}

pub fn grant(app: &TestApp, role_id: RoleId, environment_id: EnvironmentId, access: &[EnvAccess]) {
    let mut conn = app.pool.get().unwrap();
    environment::set_role_access(
        &mut conn,
        our_organization(app),
        role_id,
        environment_id,
        EnvAccessSet::of(access),
        &system_actor(app),
    )
    .unwrap();
}

/// A person with a password who is an active member of our organization with these roles.
pub fn add_member(app: &TestApp, email: &str, name: &str, role_ids: &[RoleId]) -> MembershipId {
    let mut conn = app.pool.get().unwrap();
    let now = app.clock.now();
    account_with_password(&mut conn, now, email, name, None);
    let added = membership::add(
        &mut conn,
        our_organization(app),
        &EmailAddress::parse(email).unwrap(),
        role_ids,
        None,
        &system_actor(app),
    )
    .unwrap();
    match added {
        Added::Granted { membership_id, .. } => membership_id,
        Added::Invited { .. } => panic!("{email} has a password, so is added at once"),
    }
}

/// Someone invited who has not registered yet.
pub fn invite(app: &TestApp, email: &str, role_ids: &[RoleId]) -> MembershipId {
    let mut conn = app.pool.get().unwrap();
    match membership::add(
        &mut conn,
        our_organization(app),
        &EmailAddress::parse(email).unwrap(),
        role_ids,
        None,
        &system_actor(app),
    )
    .unwrap()
    {
        Added::Invited { membership_id, .. } => membership_id,
        Added::Granted { .. } => panic!("{email} has no account yet"),
    }
}

pub fn membership_of(app: &TestApp, email: &str) -> Option<MembershipId> {
    let mut conn = app.pool.get().unwrap();
    memberships::table
        .inner_join(accounts::table)
        .filter(accounts::email.eq(email))
        .filter(memberships::organization_id.eq(our_organization(app)))
        .select(memberships::id)
        .first(&mut conn)
        .optional()
        .unwrap()
}

/// What the person may do in our organization right now, as the next request will see it.
pub fn rights_of(app: &TestApp, email: &str) -> Option<MemberContext> {
    let mut conn = app.pool.get().unwrap();
    let account_id: gatehouse::domain::ids::AccountId = accounts::table
        .filter(accounts::email.eq(email))
        .select(accounts::id)
        .first(&mut conn)
        .unwrap();
    organization::member_context(&mut conn, account_id, our_organization(app)).unwrap()
}

/// (active, permissions, name) of a role, or None once it is gone.
fn role_row(app: &TestApp, id: RoleId) -> Option<(bool, i32, String)> {
    let mut conn = app.pool.get().unwrap();
    roles::table
        .find(id)
        .select((roles::active, roles::permissions, roles::name))
        .first(&mut conn)
        .optional()
        .unwrap()
}

/// Whether the member's assignment of the role is switched on, or None when not assigned.
fn assignment(app: &TestApp, membership_id: MembershipId, role_id: RoleId) -> Option<bool> {
    let mut conn = app.pool.get().unwrap();
    role_assignments::table
        .find((membership_id, role_id))
        .select(role_assignments::active)
        .first(&mut conn)
        .optional()
        .unwrap()
}

pub fn access_rows_of_role(app: &TestApp, role_id: RoleId) -> Vec<(EnvironmentId, i32)> {
    let mut conn = app.pool.get().unwrap();
    role_environment_access::table
        .filter(role_environment_access::role_id.eq(role_id))
        .order(role_environment_access::environment_id.asc())
        .select((
            role_environment_access::environment_id,
            role_environment_access::access,
        ))
        .load(&mut conn)
        .unwrap()
}

pub fn audit_actions(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool.get().unwrap();
    audit_events::table
        .order(audit_events::id.asc())
        .select(audit_events::action)
        .load(&mut conn)
        .unwrap()
}

pub async fn signed_in(app: &TestApp, email: &str) -> TestClient {
    let client = app.client();
    let response = client.sign_in(email, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{email} signs in");
    client
}

/// An administrator of a second organization ("Navy"), signed in there.
pub async fn admin_of_another_organization(app: &TestApp) -> TestClient {
    let email = "grace@example.com";
    {
        let mut conn = app.pool.get().unwrap();
        let now = app.clock.now();
        let grace = account_with_password(&mut conn, now, email, "Grace Hopper", None);
        organization::create_with_owner(&mut conn, "Navy", grace.id, &system_actor(app)).unwrap();
    }
    signed_in(app, email).await
}

/// Posts a form from a page, as the browser would after loading it, and follows the redirect.
pub async fn submit(
    client: &TestClient,
    from: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let (status, _) = client.page(from).await;
    assert_eq!(status, StatusCode::OK, "{from} loads");
    let response = client.post_form(action, fields).await;
    let status = response.status();
    if status == StatusCode::SEE_OTHER {
        let to = location(&response);
        let (_, body) = client.page(&to).await;
        (status, to, body)
    } else {
        (status, String::new(), response.text().await.unwrap())
    }
}

const BUILTIN_NOTE: &str = "Built-in roles cannot be renamed, changed, deactivated or removed.";
const LAST_ADMIN: &str = "The Administrator role must keep at least one active member.";

// ---------------------------------------------------------------------------------------------
// Creating and editing.

#[tokio::test]
async fn a_new_role_has_read_preselected_and_never_offers_app_developer() {
    let (app, admin) = spawn_app_with_admin().await;
    let (status, form) = admin.page("/roles/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains(r#"name="permission" value="read" checked"#),
        "Read is preselected"
    );
    for offered in ["admin", "agent-install", "api-consumer"] {
        assert!(
            form.contains(&format!(r#"name="permission" value="{offered}""#)),
            "{offered} is offered"
        );
        assert!(!form.contains(&format!(r#"value="{offered}" checked"#)));
    }
    assert!(
        !form.contains("app-developer"),
        "the deprecated permission is never offered"
    );
    assert!(form.contains(r#"<label for="role-name">Name</label>"#));

    let response = admin
        .post_form(
            "/roles",
            &[
                ("name", "  Support  "),
                ("permission", "read"),
                ("permission", "api-consumer"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let support = role_named(&app, "Support");
    assert_eq!(location(&response), format!("/roles/{support}"));
    let (_, panel) = admin.page(&location(&response)).await;
    assert!(panel.contains("Role created."));
    assert!(panel.contains("<h1>Support</h1>"));
    let (active, bits, _) = role_row(&app, support).unwrap();
    assert!(active);
    assert_eq!(
        bits,
        PermissionSet::of(&[Permission::Read, Permission::ApiConsumer]).bits()
    );
    assert!(audit_actions(&app).contains(&"role.created".to_owned()));

    let (_, list) = admin.page("/roles").await;
    assert!(list.contains(&format!(r#"<a href="/roles/{support}">Support</a>"#)));
    assert!(list.contains("API Consumer"));
}

#[tokio::test]
async fn a_role_needs_a_permission_and_a_name_no_other_role_has_in_any_case() {
    let (app, admin) = spawn_app_with_admin().await;
    admin.page("/roles/new").await;

    let none = admin.post_form("/roles", &[("name", "Support")]).await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = none.text().await.unwrap();
    assert!(body.contains(
        r#"<p class="field-error" id="permissions-error">Choose at least one permission.</p>"#
    ));
    assert!(body.contains(r#"aria-describedby="permissions-error""#));
    assert!(
        body.contains(r#"value="Support""#),
        "what was typed is kept"
    );
    assert!(
        !body.contains(r#"value="read" checked"#),
        "and what was unticked stays unticked"
    );

    let unnamed = admin
        .post_form("/roles", &[("name", " "), ("permission", "read")])
        .await;
    assert_eq!(unnamed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = unnamed.text().await.unwrap();
    assert!(body.contains("Enter a name for the role."));
    assert!(body.contains(r#"aria-invalid="true""#));

    let deprecated = admin
        .post_form(
            "/roles",
            &[("name", "Legacy"), ("permission", "app-developer")],
        )
        .await;
    assert_unprocessable(deprecated, "That permission cannot be given to a role.").await;

    for taken in ["administrator", "USER"] {
        let response = admin
            .post_form("/roles", &[("name", taken), ("permission", "read")])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{taken}"
        );
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("Another role already has this name.")
        );
    }
    let mut conn = app.pool.get().unwrap();
    let count: i64 = roles::table.count().get_result(&mut conn).unwrap();
    assert_eq!(count, 2, "only the built-in roles exist");
}

#[tokio::test]
async fn an_admin_renames_a_role_and_changes_its_permissions() {
    let (app, admin) = spawn_app_with_admin().await;
    let support = new_role(&app, "Support", &[Permission::Read]);
    let panel = format!("/roles/{support}");

    let (status, _, page) = submit(
        &admin,
        &panel,
        &panel,
        &[
            ("name", "Helpdesk"),
            ("permission", "agent-install"),
            ("permission", "api-consumer"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.contains("Role saved."));
    assert!(page.contains("<h1>Helpdesk</h1>"));
    let (_, bits, name) = role_row(&app, support).unwrap();
    assert_eq!(name, "Helpdesk");
    assert_eq!(
        bits,
        PermissionSet::of(&[Permission::AgentInstall, Permission::ApiConsumer]).bits()
    );
    assert!(audit_actions(&app).contains(&"role.updated".to_owned()));

    // A name another role has, in another case, is refused next to the field.
    let (status, _, page) = submit(
        &admin,
        &panel,
        &panel,
        &[("name", "uSeR"), ("permission", "read")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Another role already has this name."));
    assert!(page.contains(r#"value="uSeR""#));
    assert_eq!(role_row(&app, support).unwrap().2, "Helpdesk");

    // Renaming to itself in another case is fine.
    let (status, _, _) = submit(
        &admin,
        &panel,
        &panel,
        &[("name", "HELPDESK"), ("permission", "read")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(role_row(&app, support).unwrap().2, "HELPDESK");
}

#[tokio::test]
async fn built_in_roles_cannot_be_renamed_changed_deactivated_or_removed() {
    let (app, admin) = spawn_app_with_admin().await;
    for name in ["Administrator", "User"] {
        let id = role_named(&app, name);
        let before = role_row(&app, id).unwrap();
        let panel = format!("/roles/{id}");
        let (status, page) = admin.page(&panel).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(r#"<span class="badge badge-blue">Built-in</span>"#));
        assert!(page.contains(BUILTIN_NOTE));
        for action in ["deactivate", "reactivate", "remove"] {
            assert!(
                !page.contains(&format!(r#"action="/roles/{id}/{action}""#)),
                "{name}: no {action} control"
            );
        }
        assert!(
            !page.contains(&format!(r#"action="/roles/{id}""#)),
            "{name}: no edit form"
        );

        // The server refuses anyway, and says why.
        let attempts: [(String, Vec<(&str, &str)>); 4] = [
            (
                panel.clone(),
                vec![("name", "Renamed"), ("permission", "read")],
            ),
            (
                format!("{panel}/deactivate"),
                vec![("confirm", "DEACTIVATE")],
            ),
            (format!("{panel}/reactivate"), vec![]),
            (format!("{panel}/remove"), vec![("confirm", "REMOVE")]),
        ];
        for (action, fields) in attempts {
            let (status, back, page) = submit(&admin, &panel, &action, &fields).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{action}");
            assert_eq!(back, panel, "{action} goes back to the role");
            assert!(
                page.contains(&format!(
                    r#"<div class="toast toast-error"><span>{BUILTIN_NOTE}</span>"#
                )),
                "{action}"
            );
        }
        assert_eq!(role_row(&app, id).unwrap(), before, "{name} is unchanged");
    }
}

// ---------------------------------------------------------------------------------------------
// Deactivating, reactivating, removing.

#[tokio::test]
async fn deactivating_needs_the_typed_word_and_suspends_what_the_role_grants() {
    let (app, admin) = spawn_app_with_admin().await;
    let deputies = new_role(&app, "Deputies", &[Permission::Admin]);
    let production = new_environment(&app, "Production");
    grant(&app, deputies, production, &[EnvAccess::Read]);
    add_member(&app, "bob@example.com", "Bob Deputy", &[deputies]);
    let bob = signed_in(&app, "bob@example.com").await;
    assert_eq!(
        bob.page("/roles").await.0,
        StatusCode::OK,
        "Deputies grants Admin"
    );

    let panel = format!("/roles/{deputies}");
    let (_, page) = admin.page(&panel).await;
    assert!(
        page.contains(r#"data-confirm-word="DEACTIVATE""#),
        "the button waits for the word"
    );
    for wrong in ["", "deactivate", "DEACTIVATED"] {
        let (status, _, page) = submit(
            &admin,
            &panel,
            &format!("{panel}/deactivate"),
            &[("confirm", wrong)],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong:?}");
        assert!(page.contains(r#"<p class="field-error" id="deactivate-error">Type DEACTIVATE exactly, in capital letters, to confirm.</p>"#));
        assert!(
            role_row(&app, deputies).unwrap().0,
            "still active after {wrong:?}"
        );
    }
    assert_eq!(bob.page("/roles").await.0, StatusCode::OK);

    let (status, back, page) = submit(
        &admin,
        &panel,
        &format!("{panel}/deactivate"),
        &[("confirm", "DEACTIVATE")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(back, panel);
    assert!(page.contains("Role deactivated."));
    assert!(page.contains(r#"<span class="badge badge-gray">Inactive</span>"#));
    assert!(!role_row(&app, deputies).unwrap().0);
    assert!(audit_actions(&app).contains(&"role.deactivated".to_owned()));

    // Bob holds only this role: at his next request he has nothing it granted.
    assert_eq!(bob.page("/roles").await.0, StatusCode::FORBIDDEN);
    let rights = rights_of(&app, "bob@example.com").expect("still a member");
    assert!(rights.permissions.is_empty());
    assert!(
        rights.environment_access.is_empty(),
        "environment access is suspended"
    );
    assert_eq!(
        assignment(
            &app,
            membership_of(&app, "bob@example.com").unwrap(),
            deputies
        ),
        Some(true),
        "the assignment is kept"
    );
}

#[tokio::test]
async fn reactivating_brings_back_permissions_and_environment_access_as_they_were() {
    let (app, admin) = spawn_app_with_admin().await;
    let deputies = new_role(&app, "Deputies", &[Permission::Admin]);
    let production = new_environment(&app, "Production");
    let staging = new_environment(&app, "Staging");
    grant(
        &app,
        deputies,
        production,
        &[EnvAccess::Read, EnvAccess::Execute],
    );
    grant(&app, deputies, staging, &[EnvAccess::ViewLogs]);
    let access_before = access_rows_of_role(&app, deputies);
    add_member(&app, "bob@example.com", "Bob Deputy", &[deputies]);
    let bob = signed_in(&app, "bob@example.com").await;

    let panel = format!("/roles/{deputies}");
    submit(
        &admin,
        &panel,
        &format!("{panel}/deactivate"),
        &[("confirm", "DEACTIVATE")],
    )
    .await;
    assert_eq!(bob.page("/roles").await.0, StatusCode::FORBIDDEN);
    let (_, page) = admin.page(&format!("{panel}?tab=environments")).await;
    assert!(page.contains("This role is inactive, so the access below is suspended."));

    let (_, page) = admin.page(&panel).await;
    assert!(page.contains(&format!(r#"action="/roles/{deputies}/reactivate""#)));
    assert!(!page.contains(r#"data-confirm-word="DEACTIVATE""#));
    // No confirmation needed.
    let (status, _, page) = submit(&admin, &panel, &format!("{panel}/reactivate"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.contains("Role reactivated."));
    assert!(role_row(&app, deputies).unwrap().0);

    assert_eq!(bob.page("/roles").await.0, StatusCode::OK);
    let rights = rights_of(&app, "bob@example.com").unwrap();
    assert!(rights.permissions.allows(Permission::Admin));
    assert_eq!(
        rights.environment_access,
        EnvAccessSet::of(&[EnvAccess::Read, EnvAccess::Execute, EnvAccess::ViewLogs])
    );
    assert_eq!(
        access_rows_of_role(&app, deputies),
        access_before,
        "environment access as it was"
    );
}

#[tokio::test]
async fn removing_a_role_with_remove_deletes_its_assignments_and_environment_access() {
    let (app, admin) = spawn_app_with_admin().await;
    let contractors = new_role(&app, "Contractors", &[Permission::Read]);
    let user = role_named(&app, "User");
    let production = new_environment(&app, "Production");
    grant(&app, contractors, production, &[EnvAccess::Write]);
    add_member(&app, "bob@example.com", "Bob Only", &[contractors]);
    let carol = add_member(
        &app,
        "carol@example.com",
        "Carol Both",
        &[contractors, user],
    );

    let panel = format!("/roles/{contractors}");
    let (status, _, page) = submit(
        &admin,
        &panel,
        &format!("{panel}/remove"),
        &[("confirm", "remove")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Type REMOVE exactly, in capital letters, to confirm."));
    assert!(role_row(&app, contractors).is_some());

    let (status, to, page) = submit(
        &admin,
        &panel,
        &format!("{panel}/remove"),
        &[("confirm", "REMOVE")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/roles");
    assert!(
        page.contains("Role removed. Members for whom it was the only role left the organization.")
    );
    assert!(!page.contains("Contractors"));
    assert!(role_row(&app, contractors).is_none());
    assert_eq!(assignment(&app, carol, contractors), None);
    assert_eq!(
        assignment(&app, carol, user),
        Some(true),
        "Carol keeps her other role"
    );
    assert!(
        access_rows_of_role(&app, contractors).is_empty(),
        "its environment access is gone"
    );
    assert_eq!(
        membership_of(&app, "bob@example.com"),
        None,
        "Bob had no other role, so he left"
    );
    assert!(membership_of(&app, "carol@example.com").is_some());
    assert!(audit_actions(&app).contains(&"role.removed".to_owned()));
}

// ---------------------------------------------------------------------------------------------
// Assigned users.

#[tokio::test]
async fn the_last_active_administrator_cannot_be_unassigned_or_switched_off() {
    let (app, admin) = spawn_app_with_admin().await;
    let administrator = role_named(&app, "Administrator");
    let ada = membership_of(&app, ADMIN_EMAIL).unwrap();
    let panel = format!("/roles/{administrator}");
    let (_, page) = admin.page(&panel).await;
    assert!(page.contains(r#"<span class="badge badge-blue">You</span>"#));

    // Ada, the only administrator, tries to switch herself off and to unassign herself.
    let (status, back, page) = submit(
        &admin,
        &panel,
        &format!("{panel}/members/{ada}/active"),
        &[("active", "false")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(back, panel);
    assert!(page.contains(LAST_ADMIN));
    assert_eq!(assignment(&app, ada, administrator), Some(true));
    let (_, _, page) = submit(
        &admin,
        &panel,
        &format!("{panel}/members/{ada}/unassign"),
        &[],
    )
    .await;
    assert!(page.contains(LAST_ADMIN));
    assert_eq!(assignment(&app, ada, administrator), Some(true));

    // With a second administrator, Ada may step down; then Bob is the last one, even for himself.
    let user = role_named(&app, "User");
    let bob = add_member(&app, "bob@example.com", "Bob Admin", &[administrator, user]);
    let (status, to, page) = submit(
        &admin,
        &panel,
        &format!("{panel}/members/{ada}/active"),
        &[("active", "false")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        to, "/",
        "Ada can no longer manage roles, so she lands on the overview"
    );
    assert!(page.contains("Your roles no longer let you manage roles."));
    assert_eq!(assignment(&app, ada, administrator), Some(false));
    assert_eq!(admin.page(&panel).await.0, StatusCode::FORBIDDEN);

    let bob_client = signed_in(&app, "bob@example.com").await;
    let (_, _, page) = submit(
        &bob_client,
        &panel,
        &format!("{panel}/members/{bob}/active"),
        &[("active", "false")],
    )
    .await;
    assert!(page.contains(LAST_ADMIN));
    let (_, _, page) = submit(
        &bob_client,
        &panel,
        &format!("{panel}/members/{bob}/unassign"),
        &[],
    )
    .await;
    assert!(page.contains(LAST_ADMIN));
    assert_eq!(assignment(&app, bob, administrator), Some(true));

    // Switching Ada back on is fine.
    let (status, _, page) = submit(
        &bob_client,
        &panel,
        &format!("{panel}/members/{ada}/active"),
        &[("active", "false"), ("active", "true")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.contains("Assignment switched on."));
    assert_eq!(assignment(&app, ada, administrator), Some(true));
}

#[tokio::test]
async fn an_admin_assigns_several_members_at_once_and_switches_and_unassigns_them() {
    let (app, admin) = spawn_app_with_admin().await;
    let user = role_named(&app, "User");
    let support = new_role(
        &app,
        "Support",
        &[Permission::Read, Permission::ApiConsumer],
    );
    let bob = add_member(&app, "bob@example.com", "Bob Builder", &[user]);
    let carol = add_member(&app, "carol@example.com", "Carol Danvers", &[user]);
    let dan = invite(&app, "dan@example.com", &[user]);
    let panel = format!("/roles/{support}");

    let (_, page) = admin.page(&panel).await;
    assert!(page.contains("Nobody holds this role yet."));
    for id in [bob, carol, dan] {
        assert!(
            page.contains(&format!(r#"name="membership_id" value="{id}""#)),
            "{id} is offered"
        );
    }

    let nothing = submit(&admin, &panel, &format!("{panel}/members"), &[]).await;
    assert!(nothing.2.contains("Choose at least one member to assign."));

    let bob_id = bob.to_string();
    let carol_id = carol.to_string();
    let (status, back, page) = submit(
        &admin,
        &panel,
        &format!("{panel}/members"),
        &[("membership_id", &bob_id), ("membership_id", &carol_id)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(back, panel);
    assert!(page.contains("Members assigned."));
    assert!(page.contains("bob@example.com") && page.contains("carol@example.com"));
    assert!(
        !page.contains(&format!(r#"name="membership_id" value="{bob}""#)),
        "Bob is no longer offered"
    );
    assert!(page.contains(&format!(r#"name="membership_id" value="{dan}""#)));
    assert_eq!(assignment(&app, bob, support), Some(true));
    assert_eq!(assignment(&app, carol, support), Some(true));
    assert_eq!(assignment(&app, dan, support), None);
    assert!(
        rights_of(&app, "bob@example.com")
            .unwrap()
            .permissions
            .allows(Permission::ApiConsumer)
    );

    // The switch: unticked sends only the hidden "false".
    let (_, _, page) = submit(
        &admin,
        &panel,
        &format!("{panel}/members/{bob}/active"),
        &[("active", "false")],
    )
    .await;
    assert!(page.contains("Assignment switched off."));
    assert_eq!(assignment(&app, bob, support), Some(false));
    assert!(
        !rights_of(&app, "bob@example.com")
            .unwrap()
            .permissions
            .allows(Permission::ApiConsumer)
    );

    // Unassigning: Carol keeps User; an unknown member answers 404.
    let (_, _, page) = submit(
        &admin,
        &panel,
        &format!("{panel}/members/{carol}/unassign"),
        &[],
    )
    .await;
    assert!(page.contains("Member unassigned."));
    assert_eq!(assignment(&app, carol, support), None);
    assert_eq!(assignment(&app, carol, user), Some(true));
    let response = admin
        .post_form(&format!("{panel}/members/{carol}/unassign"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unassigning_a_members_only_role_removes_them_and_says_so() {
    let (app, admin) = spawn_app_with_admin().await;
    let support = new_role(&app, "Support", &[Permission::Read]);
    let bob = add_member(&app, "bob@example.com", "Bob Builder", &[support]);
    let panel = format!("/roles/{support}");
    let (_, page) = admin.page(&panel).await;
    assert!(page.contains("Unassign and remove from organization"));
    let (_, _, page) = submit(
        &admin,
        &panel,
        &format!("{panel}/members/{bob}/unassign"),
        &[],
    )
    .await;
    assert!(page.contains("It was their only role, so they left the organization."));
    assert_eq!(membership_of(&app, "bob@example.com"), None);
}

#[tokio::test]
async fn an_inactive_role_cannot_be_assigned() {
    let (app, admin) = spawn_app_with_admin().await;
    let user = role_named(&app, "User");
    let support = new_role(&app, "Support", &[Permission::Read]);
    let bob = add_member(&app, "bob@example.com", "Bob Builder", &[user]);
    let panel = format!("/roles/{support}");
    submit(
        &admin,
        &panel,
        &format!("{panel}/deactivate"),
        &[("confirm", "DEACTIVATE")],
    )
    .await;
    let (_, page) = admin.page(&panel).await;
    assert!(page.contains("Reactivate the role to assign members to it."));
    let (_, _, page) = submit(
        &admin,
        &panel,
        &format!("{panel}/members"),
        &[("membership_id", &bob.to_string())],
    )
    .await;
    assert!(page.contains("Reactivate the role to assign members to it."));
    assert_eq!(assignment(&app, bob, support), None);
}

// ---------------------------------------------------------------------------------------------
// Environment access on the role panel.

#[tokio::test]
async fn environment_access_is_switched_per_environment() {
    let (app, admin) = spawn_app_with_admin().await;
    let support = new_role(&app, "Support", &[Permission::Read]);
    let production = new_environment(&app, "Production");
    let staging = new_environment(&app, "Staging");
    let tab = format!("/roles/{support}?tab=environments");

    let (status, page) = admin.page(&tab).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<a class="tab" href="/roles/"#));
    assert!(page.contains(&format!(
        r#"href="/roles/{support}?tab=environments" aria-current="page""#
    )));
    for environment in [production, staging] {
        assert!(page.contains(&format!(
            r#"action="/roles/{support}/environments/{environment}""#
        )));
    }
    for label in ["View Logs", "Read", "Execute", "Write"] {
        assert!(page.contains(&format!(r#"<span class="switch-label">{label}</span>"#)));
    }
    assert!(!page.contains(r#"name="access" value="read" checked"#));

    let action = format!("/roles/{support}/environments/{production}");
    let (status, back, page) = submit(
        &admin,
        &tab,
        &action,
        &[("access", "read"), ("access", "execute")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(back, format!("{tab}#environment-{production}"));
    assert!(page.contains("Environment access saved."));
    assert!(page.contains(r#"name="access" value="read" checked"#));
    assert_eq!(
        access_rows_of_role(&app, support),
        vec![(
            production,
            EnvAccessSet::of(&[EnvAccess::Read, EnvAccess::Execute]).bits()
        )]
    );
    assert!(audit_actions(&app).contains(&"role.environment-access-changed".to_owned()));

    // Everything unticked: no access left.
    submit(&admin, &tab, &action, &[]).await;
    assert!(access_rows_of_role(&app, support).is_empty());

    let response = admin.post_form(&action, &[("access", "root")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

// ---------------------------------------------------------------------------------------------
// The list and the panel's navigation.

fn htmx_request() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("hx-request", HeaderValue::from_static("true"));
    headers
}

#[tokio::test]
async fn the_list_searches_names_permissions_and_status() {
    let (app, admin) = spawn_app_with_admin().await;
    new_role(
        &app,
        "Support",
        &[Permission::Read, Permission::ApiConsumer],
    );
    let deployers = new_role(&app, "Deployers", &[Permission::AgentInstall]);
    {
        let mut conn = app.pool.get().unwrap();
        role::set_active(
            &mut conn,
            our_organization(&app),
            deployers,
            false,
            &system_actor(&app),
        )
        .unwrap();
    }
    let shows = |body: &str, name: &str| body.contains(&format!(">{name}</a>"));

    let (_, all) = admin.page("/roles").await;
    assert!(
        ["Administrator", "Deployers", "Support", "User"]
            .iter()
            .all(|name| shows(&all, name))
    );
    assert!(all.contains(r#"<caption class="visually-hidden">Roles</caption>"#));
    assert!(
        all.contains(r#"<th scope="col" aria-sort="ascending">"#),
        "sorted by name"
    );
    assert!(all.contains("4 roles"));

    let (_, api) = admin.page("/roles?q=api").await;
    assert!(shows(&api, "Support") && !shows(&api, "Deployers") && !shows(&api, "User"));
    assert!(api.contains("1 of 4 roles"));
    let (_, inactive) = admin.page("/roles?q=Inactive").await;
    assert!(shows(&inactive, "Deployers") && !shows(&inactive, "Support"));
    let (_, active) = admin.page("/roles?q=active").await;
    assert!(
        !shows(&active, "Deployers") && shows(&active, "Support"),
        "active does not find inactive roles"
    );
    let (_, read_user) = admin.page("/roles?q=read%20user").await;
    assert!(
        shows(&read_user, "User") && !shows(&read_user, "Support"),
        "every word must match"
    );
    let (_, nothing) = admin.page("/roles?q=nobody").await;
    assert!(nothing.contains("No roles match “nobody”."));

    // Sorting by members, most first.
    add_member(&app, "bob@example.com", "Bob", &[role_named(&app, "User")]);
    add_member(
        &app,
        "carol@example.com",
        "Carol",
        &[role_named(&app, "User")],
    );
    let (_, by_members) = admin.page("/roles?sort=members&dir=desc").await;
    let user_at = by_members.find(">User</a>").unwrap();
    let admin_at = by_members.find(">Administrator</a>").unwrap();
    assert!(
        user_at < admin_at,
        "User (2 members) before Administrator (1)"
    );

    // htmx asks for just the table.
    let fragment = admin.get_with("/roles?q=support", htmx_request()).await;
    assert_eq!(fragment.status(), StatusCode::OK);
    let body = fragment.text().await.unwrap();
    assert!(!body.contains("<html") && !body.contains(r#"id="roles-search""#));
    assert!(shows(&body, "Support") && !shows(&body, "User"));
    let (_, page) = admin.page("/roles").await;
    assert!(page.contains(r##"hx-get="/roles" hx-trigger="input changed delay:300ms, search" hx-target="#roles-table" hx-push-url="true""##));
}

#[tokio::test]
async fn each_admin_chooses_the_roles_columns() {
    let (app, admin) = spawn_app_with_admin().await;
    new_role(&app, "Support", &[Permission::ApiConsumer]);
    let (_, page) = admin.page("/roles").await;
    assert!(page.contains(r#"action="/preferences/columns/roles""#));
    assert!(page.contains(r#"<span class="badge badge-gray">API Consumer</span>"#));
    let response = admin
        .post_form(
            "/preferences/columns/roles",
            &[
                ("return_to", "/roles"),
                ("show", "members"),
                ("show", "name"),
                ("position_members", "1"),
                ("position_name", "2"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/roles");
    let (_, page) = admin.page("/roles").await;
    assert!(
        !page.contains(r#"<span class="badge badge-gray">API Consumer</span>"#),
        "permissions hidden"
    );
    let members_at = page
        .find(r#"<a class="sort" href="/roles?sort=members"#)
        .unwrap();
    let name_at = page
        .find(r#"<a class="sort" href="/roles?sort=name"#)
        .unwrap();
    assert!(members_at < name_at, "members first");
}

#[tokio::test]
async fn previous_and_next_step_through_roles_by_name() {
    let (app, admin) = spawn_app_with_admin().await;
    let support = new_role(&app, "Support", &[Permission::Read]);
    let administrator = role_named(&app, "Administrator");
    let user = role_named(&app, "User");
    let (_, page) = admin
        .page(&format!("/roles/{support}?tab=environments"))
        .await;
    assert!(page.contains(&format!(
        r#"rel="prev" href="/roles/{administrator}?tab=environments""#
    )));
    assert!(page.contains(&format!(
        r#"rel="next" href="/roles/{user}?tab=environments""#
    )));
    let (_, first) = admin.page(&format!("/roles/{administrator}")).await;
    assert!(first.contains(r#"aria-disabled="true">Previous role</span>"#));
}

// ---------------------------------------------------------------------------------------------
// Who may use the page.

/// Every roles route with its method, for a role and member of ours.
fn role_routes(
    role_id: RoleId,
    membership_id: MembershipId,
    environment_id: EnvironmentId,
) -> Vec<(&'static str, String)> {
    vec![
        ("GET", "/roles".to_owned()),
        ("GET", "/roles/new".to_owned()),
        ("POST", "/roles".to_owned()),
        ("GET", format!("/roles/{role_id}")),
        ("GET", format!("/roles/{role_id}?tab=environments")),
        ("POST", format!("/roles/{role_id}")),
        ("POST", format!("/roles/{role_id}/deactivate")),
        ("POST", format!("/roles/{role_id}/reactivate")),
        ("POST", format!("/roles/{role_id}/remove")),
        ("POST", format!("/roles/{role_id}/members")),
        (
            "POST",
            format!("/roles/{role_id}/members/{membership_id}/active"),
        ),
        (
            "POST",
            format!("/roles/{role_id}/members/{membership_id}/unassign"),
        ),
        (
            "POST",
            format!("/roles/{role_id}/environments/{environment_id}"),
        ),
    ]
}

/// The fields a correct form would carry, so that only the caller's rights decide the answer.
fn plausible_fields(path: &str, membership_id: MembershipId) -> Vec<(&'static str, String)> {
    if path.ends_with("/deactivate") {
        vec![("confirm", "DEACTIVATE".into())]
    } else if path.ends_with("/remove") {
        vec![("confirm", "REMOVE".into())]
    } else if path.ends_with("/members") {
        vec![("membership_id", membership_id.to_string())]
    } else if path.ends_with("/active") {
        vec![("active", "false".into())]
    } else if path.contains("/environments/") {
        vec![("access", "write".into())]
    } else {
        vec![("name", "Hijacked".into()), ("permission", "admin".into())]
    }
}

pub async fn call(
    client: &TestClient,
    method: &str,
    path: &str,
    fields: &[(&'static str, String)],
) -> StatusCode {
    if method == "GET" {
        client.get(path).await.status()
    } else {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        client.post_form(path, &fields).await.status()
    }
}

#[tokio::test]
async fn a_plain_member_gets_403_on_every_roles_route() {
    let (app, _admin) = spawn_app_with_admin().await;
    let user = role_named(&app, "User");
    let support = new_role(&app, "Support", &[Permission::Read]);
    let production = new_environment(&app, "Production");
    let bob = add_member(&app, "bob@example.com", "Bob Plain", &[user]);
    let client = signed_in(&app, "bob@example.com").await;
    client.page("/").await;
    for (method, path) in role_routes(support, bob, production) {
        let fields = plausible_fields(&path, bob);
        assert_eq!(
            call(&client, method, &path, &fields).await,
            StatusCode::FORBIDDEN,
            "{method} {path}"
        );
    }
    assert_eq!(
        role_row(&app, support).unwrap(),
        (
            true,
            PermissionSet::of(&[Permission::Read]).bits(),
            "Support".to_owned()
        )
    );
    assert_eq!(assignment(&app, bob, user), Some(true));
    assert!(access_rows_of_role(&app, support).is_empty());
    // And the navigation does not offer the page.
    let (_, overview) = client.page("/").await;
    assert!(!overview.contains(r#"href="/roles""#));
}

#[tokio::test]
async fn an_admin_of_another_organization_gets_404_for_our_role_ids() {
    let (app, admin) = spawn_app_with_admin().await;
    let support = new_role(&app, "Support", &[Permission::Read]);
    let production = new_environment(&app, "Production");
    let ada = membership_of(&app, ADMIN_EMAIL).unwrap();
    let grace = admin_of_another_organization(&app).await;
    let (status, theirs) = grace.page("/roles").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!theirs.contains("Support"), "they see only their own roles");

    for (method, path) in role_routes(support, ada, production) {
        if path == "/roles" || path == "/roles/new" {
            continue;
        }
        let fields = plausible_fields(&path, ada);
        assert_eq!(
            call(&grace, method, &path, &fields).await,
            StatusCode::NOT_FOUND,
            "{method} {path}"
        );
    }
    // Their own role with our environment or our member is no better.
    let navy_user: i64 = {
        let mut conn = app.pool.get().unwrap();
        roles::table
            .inner_join(organizations::table)
            .filter(organizations::name.eq("Navy"))
            .filter(roles::name.eq("User"))
            .select(roles::id)
            .first(&mut conn)
            .unwrap()
    };
    grace.page(&format!("/roles/{navy_user}")).await;
    let ada_id = ada.to_string();
    for (path, fields) in [
        (
            format!("/roles/{navy_user}/environments/{production}"),
            [("access", "write")],
        ),
        (
            format!("/roles/{navy_user}/members"),
            [("membership_id", ada_id.as_str())],
        ),
    ] {
        let response = grace.post_form(&path, &fields).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(role_row(&app, support).unwrap().2, "Support");
    assert!(role_row(&app, support).unwrap().0);
    assert_eq!(
        assignment(&app, ada, role_named(&app, "Administrator")),
        Some(true)
    );
    let (_, ours) = admin.page("/roles").await;
    assert!(ours.contains("Support"));
}
