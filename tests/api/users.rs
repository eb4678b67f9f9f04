//! The users page: inviting, registering, the role panel, removal, and who may see what.

use gatehouse::domain::environment::{EnvAccess, EnvAccessSet};
use gatehouse::domain::permission::Permission;
use reqwest::StatusCode;
use time::Duration;

use crate::helpers::*;

async fn invite(
    admin: &TestClient,
    email: &str,
    role_ids: &[gatehouse::domain::ids::RoleId],
) -> reqwest::Response {
    let (status, _) = admin.page("/users/new").await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<String> = role_ids.iter().map(ToString::to_string).collect();
    let mut fields: Vec<(&str, &str)> = vec![("email", email)];
    fields.extend(ids.iter().map(|id| ("role_id", id.as_str())));
    admin.post_form("/users", &fields).await
}

#[tokio::test]
async fn an_invited_user_registers_and_sees_only_what_the_roles_allow() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let org = first_organization_id(&app);
    let developers = create_role(
        &app,
        org,
        "Developers",
        &[Permission::Read, Permission::ApiConsumer],
    );
    let user = role_id(&app, org, "User");

    let response = invite(&admin, "grace@example.com", &[user, developers]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, list) = admin.page("/users").await;
    assert!(list.contains("Invitation sent."));
    assert!(list.contains("grace@example.com"));
    assert!(list.contains("Pending"));
    assert!(list.contains("Developers") && list.contains("User"));

    let email = sink.wait_for_messages(1).await.remove(0);
    assert_eq!(email.recipients, vec!["grace@example.com".to_owned()]);
    assert_eq!(
        email.subject,
        format!("You are invited to {ORGANIZATION} on Gatehouse")
    );
    assert!(
        email
            .text
            .as_deref()
            .unwrap()
            .contains("Ada Lovelace invited you")
    );
    let link = email.links()[0].clone();
    assert!(link.starts_with(&format!("{}/invitations/", app.address)));
    assert!(email.html.unwrap().contains(&format!("href=\"{link}\"")));

    let grace = app.client();
    let (status, page) = grace.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("grace@example.com"));
    let short = grace
        .post_form(
            &link,
            &[
                ("name", "Grace Hopper"),
                ("password", "short"),
                ("password_confirmation", "short"),
            ],
        )
        .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short
            .text()
            .await
            .unwrap()
            .contains("value=\"Grace Hopper\""),
        "what was typed is kept"
    );
    let registered = grace
        .post_form(
            &link,
            &[
                ("name", "Grace Hopper"),
                ("password", "nanoseconds and bugs"),
                ("password_confirmation", "nanoseconds and bugs"),
            ],
        )
        .await;
    assert_eq!(registered.status(), StatusCode::SEE_OTHER);
    let (status, overview) = grace.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(overview.contains("Welcome! Your account is ready."));
    assert!(overview.contains("API Consumer") && overview.contains("Read"));
    assert!(
        !overview.contains("href=\"/users\""),
        "no Users entry for a plain member"
    );
    assert_eq!(grace.get("/users").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        grace.get("/deliveries").await.status(),
        StatusCode::FORBIDDEN
    );

    // Signing in later works, and the list shows her as Active with her name.
    let again = app.client();
    assert_eq!(
        again
            .sign_in("grace@example.com", "nanoseconds and bugs")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (_, list) = admin.page("/users?q=grace").await;
    assert!(list.contains("Grace Hopper"));
    assert!(list.contains("Active"));
    assert!(!list.contains(">Never<"), "her last sign-in is shown");

    // The link is spent.
    let (status, used) = app.client().page(&link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(used.contains("This invitation was already used"));
}

#[tokio::test]
async fn someone_with_an_account_gets_access_at_once_and_an_email_saying_so() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let org = first_organization_id(&app);
    // Grace already has an account, through another organization.
    let other_org = {
        let mut conn = app.pool.get().unwrap();
        let now = test_actor(&app).at;
        let grace = account_with_password(
            &mut conn,
            now,
            "grace@example.com",
            "Grace Hopper",
            Some("pt-BR"),
        );
        gatehouse::domain::organization::create_with_owner(
            &mut conn,
            "Navy",
            grace.id,
            &test_actor(&app),
        )
        .unwrap()
    };
    let response = invite(&admin, "grace@example.com", &[role_id(&app, org, "User")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, list) = admin.page("/users").await;
    assert!(list.contains("they have access now"));

    let email = sink.wait_for_messages(1).await.remove(0);
    assert_eq!(
        email.subject,
        format!("Você agora tem acesso a {ORGANIZATION}"),
        "in her language"
    );

    let grace = app
        .signed_in_client("grace@example.com", ADMIN_PASSWORD)
        .await;
    let (_, page) = grace.page("/organizations").await;
    assert!(page.contains(ORGANIZATION) && page.contains("Navy"));
    let _ = other_org;
}

#[tokio::test]
async fn adding_a_user_explains_each_mistake() {
    let (app, admin, _sink) = spawn_app_with_sink().await;
    let org = first_organization_id(&app);
    let no_role = invite(&admin, "grace@example.com", &[]).await;
    assert_eq!(no_role.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = no_role.text().await.unwrap();
    assert!(body.contains("Choose at least one role."));
    assert!(body.contains("value=\"grace@example.com\""));

    let bad_email = invite(&admin, "grace", &[role_id(&app, org, "User")]).await;
    assert_unprocessable(bad_email, "Enter an email address like name@example.com.").await;

    let myself = invite(&admin, ADMIN_EMAIL, &[role_id(&app, org, "User")]).await;
    assert_eq!(myself.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(myself.text().await.unwrap().contains("already a member"));

    invite(&admin, "grace@example.com", &[role_id(&app, org, "User")]).await;
    let twice = invite(&admin, "grace@example.com", &[role_id(&app, org, "User")]).await;
    assert!(
        twice
            .text()
            .await
            .unwrap()
            .contains("pending invitation already")
    );
}

#[tokio::test]
async fn resending_replaces_the_link_and_revoking_withdraws_it() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let org = first_organization_id(&app);
    invite(&admin, "grace@example.com", &[role_id(&app, org, "User")]).await;
    let first_link = sink.wait_for_messages(1).await[0].links()[0].clone();
    let membership_id = membership_id_of(&app, "grace@example.com");

    admin.page("/users").await;
    let resend = admin
        .post_form(&format!("/users/{membership_id}/invitation/resend"), &[])
        .await;
    assert_eq!(resend.status(), StatusCode::SEE_OTHER);
    let second_link = sink.wait_for_messages(2).await[1].links()[0].clone();
    assert_ne!(first_link, second_link);
    let (status, page) = app.client().page(&first_link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("This invitation link is not valid"));
    assert_eq!(app.client().page(&second_link).await.0, StatusCode::OK);

    let revoke = admin
        .post_form(&format!("/users/{membership_id}/invitation/revoke"), &[])
        .await;
    assert_eq!(revoke.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.client().page(&second_link).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, list) = admin.page("/users").await;
    assert!(!list.contains("grace@example.com"));
}

#[tokio::test]
async fn expired_and_tampered_links_get_a_clear_page() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let org = first_organization_id(&app);
    invite(&admin, "grace@example.com", &[role_id(&app, org, "User")]).await;
    let link = sink.wait_for_messages(1).await[0].links()[0].clone();
    let tampered = format!("{}x", link);
    let (status, page) = app.client().page(&tampered).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("This invitation link is not valid"));

    app.clock.advance(Duration::days(7) + Duration::minutes(1));
    let (status, page) = app.client().page(&link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("This invitation has expired"));
    let visitor = app.client();
    visitor.page("/sign-in").await;
    let late = visitor
        .post_form(
            &link,
            &[
                ("name", "Grace"),
                ("password", "nanoseconds and bugs"),
                ("password_confirmation", "nanoseconds and bugs"),
            ],
        )
        .await;
    assert_eq!(late.status(), StatusCode::GONE);
}

fn membership_id_of(app: &TestApp, email: &str) -> gatehouse::domain::ids::MembershipId {
    use diesel::prelude::*;
    use gatehouse::db::schema::memberships;
    let mut conn = app.pool.get().unwrap();
    memberships::table
        .filter(memberships::email.eq(email))
        .select(memberships::id)
        .first(&mut conn)
        .unwrap()
}

#[tokio::test]
async fn removing_a_member_needs_the_typed_word_and_ends_their_access_at_once() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    let membership_id = add_member(&app, org, "grace@example.com", &["User"]);
    let grace = app
        .signed_in_client("grace@example.com", ADMIN_PASSWORD)
        .await;
    assert_eq!(grace.get("/").await.status(), StatusCode::OK);

    let (status, page) = admin.page(&format!("/users/{membership_id}/remove")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("data-confirm-word=\"REMOVE\""));
    let wrong = admin
        .post_form(
            &format!("/users/{membership_id}/remove"),
            &[("confirm", "remove")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        grace.get("/").await.status(),
        StatusCode::OK,
        "nothing happened"
    );

    admin.page(&format!("/users/{membership_id}/remove")).await;
    let removed = admin
        .post_form(
            &format!("/users/{membership_id}/remove"),
            &[("confirm", "REMOVE")],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    // Her open session has no organization any more.
    let after = grace.get("/").await;
    assert_eq!(after.status(), StatusCode::FORBIDDEN);
    assert!(
        after
            .text()
            .await
            .unwrap()
            .contains("You are not a member of any organization")
    );
}

#[tokio::test]
async fn the_last_administrator_cannot_be_removed_unassigned_or_switched_off() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    let own = membership_id_of(&app, ADMIN_EMAIL);
    let administrator = role_id(&app, org, "Administrator");

    admin.page(&format!("/users/{own}/remove")).await;
    let remove = admin
        .post_form(&format!("/users/{own}/remove"), &[("confirm", "REMOVE")])
        .await;
    assert_eq!(remove.status(), StatusCode::CONFLICT);
    assert!(
        remove
            .text()
            .await
            .unwrap()
            .contains("must keep at least one active member")
    );

    let unassign = admin
        .post_form(&format!("/users/{own}/roles/{administrator}/unassign"), &[])
        .await;
    assert_eq!(unassign.status(), StatusCode::SEE_OTHER);
    let (_, panel) = admin.page(&format!("/users/{own}/roles")).await;
    assert!(panel.contains("must keep at least one active member"));
    let off = admin
        .post_form(
            &format!("/users/{own}/roles/{administrator}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        admin.get("/users/new").await.status(),
        StatusCode::OK,
        "still an administrator"
    );

    // With a second administrator, the first may step down.
    add_member(&app, org, "grace@example.com", &["Administrator"]);
    let off = admin
        .post_form(
            &format!("/users/{own}/roles/{administrator}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        admin.get("/users/new").await.status(),
        StatusCode::FORBIDDEN,
        "no longer an administrator"
    );
}

#[tokio::test]
async fn the_role_panel_assigns_switches_unassigns_and_creates_roles() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    let membership_id = add_member(&app, org, "grace@example.com", &["User"]);
    let grace = app
        .signed_in_client("grace@example.com", ADMIN_PASSWORD)
        .await;
    let administrator = role_id(&app, org, "Administrator");
    let user = role_id(&app, org, "User");

    let (status, panel) = admin.page(&format!("/users/{membership_id}/roles")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(panel.contains("unassigning it removes them"));
    let assign = admin
        .post_form(
            &format!("/users/{membership_id}/roles/assign"),
            &[("role_id", &administrator.to_string())],
        )
        .await;
    assert_eq!(assign.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        grace.get("/users/new").await.status(),
        StatusCode::OK,
        "Grace is an admin now"
    );

    admin
        .post_form(
            &format!("/users/{membership_id}/roles/{administrator}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(
        grace.get("/users/new").await.status(),
        StatusCode::FORBIDDEN,
        "switched off"
    );
    admin
        .post_form(
            &format!("/users/{membership_id}/roles/{administrator}/active"),
            &[("active", "true")],
        )
        .await;
    assert_eq!(
        grace.get("/users/new").await.status(),
        StatusCode::OK,
        "switched on again"
    );

    // "+ New role": a role without permissions is refused; with Read it is created and assigned.
    let refused = admin
        .post_form(
            &format!("/users/{membership_id}/roles/new"),
            &[("name", "Auditors")],
        )
        .await;
    assert_unprocessable(refused, "Choose at least one permission.").await;
    let created = admin
        .post_form(
            &format!("/users/{membership_id}/roles/new"),
            &[("name", "Auditors"), ("permission", "read")],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let (_, panel) = admin.page(&format!("/users/{membership_id}/roles")).await;
    assert!(panel.contains("Auditors"));
    let duplicate = admin
        .post_form(
            &format!("/users/{membership_id}/roles/new"),
            &[("name", "AUDITORS"), ("permission", "read")],
        )
        .await;
    assert_eq!(duplicate.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Unassigning every role removes the member from the organization.
    let auditors = role_id(&app, org, "Auditors");
    for role in [administrator, user] {
        admin
            .post_form(
                &format!("/users/{membership_id}/roles/{role}/unassign"),
                &[],
            )
            .await;
    }
    let last = admin
        .post_form(
            &format!("/users/{membership_id}/roles/{auditors}/unassign"),
            &[],
        )
        .await;
    assert_eq!(location(&last), "/users");
    let (_, list) = admin.page("/users").await;
    assert!(list.contains("The member was removed from the organization."));
    assert!(!list.contains("grace@example.com"));
}

#[tokio::test]
async fn members_with_execute_or_view_logs_access_may_read_the_users_page() {
    let (app, _admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    let operators = create_role(&app, org, "Operators", &[Permission::Read]);
    let production = {
        let mut conn = app.pool.get().unwrap();
        let actor = test_actor(&app);
        let id =
            gatehouse::domain::environment::create(&mut conn, org, "Production", &actor).unwrap();
        gatehouse::domain::environment::set_role_access(
            &mut conn,
            org,
            operators,
            id,
            EnvAccessSet::of(&[EnvAccess::Execute]),
            &actor,
        )
        .unwrap();
        id
    };
    add_member(&app, org, "olive@example.com", &["Operators"]);
    let olive = app
        .signed_in_client("olive@example.com", ADMIN_PASSWORD)
        .await;
    let (status, page) = olive.page("/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(ADMIN_EMAIL));
    assert!(
        !page.contains("href=\"/users/new\""),
        "read-only: no Add user"
    );
    assert!(!page.contains("/remove"), "read-only: no actions");
    assert_eq!(
        olive.get("/users/new").await.status(),
        StatusCode::FORBIDDEN
    );
    let post = olive
        .post_form(
            "/users",
            &[
                ("email", "x@example.com"),
                ("role_id", &operators.to_string()),
            ],
        )
        .await;
    assert_eq!(post.status(), StatusCode::FORBIDDEN);
    let _ = production;
}

#[tokio::test]
async fn the_list_searches_sorts_and_pages() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    create_role(&app, org, "Night Shift", &[Permission::Read]);
    for n in 0..60 {
        let roles: &[&str] = if n % 10 == 0 {
            &["User", "Night Shift"]
        } else {
            &["User"]
        };
        add_member(&app, org, &format!("person{n:02}@example.com"), roles);
    }
    let (_, first) = admin.page("/users").await;
    assert_eq!(first.matches("<tr>").count() - 1, 50, "50 a page");
    assert!(first.contains("1–50 of 61"));
    assert!(first.contains("rel=\"next\""));
    assert!(
        first.contains("ada@example.com"),
        "sorted by email: ada first"
    );

    let (_, second) = admin.page("/users?sort=email&dir=asc&page=2").await;
    assert_eq!(second.matches("<tr>").count() - 1, 11);
    assert!(second.contains("51–61 of 61"));
    assert!(second.contains("person59@example.com"));

    let (_, by_role) = admin.page("/users?q=night").await;
    assert_eq!(
        by_role.matches("<tr>").count() - 1,
        6,
        "role names are searched"
    );
    let (_, by_name) = admin.page("/users?q=LOVELACE").await;
    assert!(by_name.contains(ADMIN_EMAIL));
    assert_eq!(by_name.matches("<tr>").count() - 1, 1);
    let (_, literal) = admin.page("/users?q=%25").await;
    assert!(literal.contains("No members match"), "% is not a wildcard");

    let (_, descending) = admin.page("/users?sort=email&dir=desc").await;
    let first_row = descending.find("person59@example.com").unwrap();
    assert!(first_row < descending.find("person58@example.com").unwrap());
    assert!(descending.contains("aria-sort=\"descending\""));
}

#[tokio::test]
async fn each_admin_chooses_and_orders_the_columns() {
    let (app, admin) = spawn_app_with_admin().await;
    let (_, page) = admin.page("/users").await;
    assert!(page.contains("Member since"));
    let saved = admin
        .post_form(
            "/preferences/columns/users",
            &[
                ("show", "name"),
                ("show", "email"),
                ("position_name", "1"),
                ("position_email", "2"),
                ("return_to", "/users"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page("/users").await;
    assert!(page.contains("Column settings saved."));
    let header = &page[page.find("<thead>").unwrap()..page.find("</thead>").unwrap()];
    assert!(!header.contains("Member since"));
    assert!(header.find(">Name<").unwrap() < header.find(">Email<").unwrap());

    // Another admin keeps the default.
    let org = first_organization_id(&app);
    add_member(&app, org, "grace@example.com", &["Administrator"]);
    let grace = app
        .signed_in_client("grace@example.com", ADMIN_PASSWORD)
        .await;
    let (_, page) = grace.page("/users").await;
    assert!(page.contains("Member since"));
}

#[tokio::test]
async fn the_htmx_search_returns_just_the_table() {
    let (_app, admin) = spawn_app_with_admin().await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("hx-request", "true".parse().unwrap());
    let response = admin.get_with("/users?q=ada", headers).await;
    let body = response.text().await.unwrap();
    assert!(!body.contains("<html"));
    assert!(body.contains("<table"));
    assert!(!body.contains("users-search"), "not the toolbar");
}

#[tokio::test]
async fn admins_rename_the_current_organization() {
    let (_app, admin) = spawn_app_with_admin().await;
    let (status, page) = admin.page("/organizations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Administrator"), "my roles there");
    let empty = admin
        .post_form("/organizations/current", &[("name", " ")])
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let renamed = admin
        .post_form("/organizations/current", &[("name", "Engines Ltd")])
        .await;
    assert_eq!(renamed.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page("/").await;
    assert!(page.contains("<h1>Engines Ltd</h1>"));
}
