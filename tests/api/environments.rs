//! The Environments page: creating, renaming and deleting environments, and seeing which roles
//! reach each one and how.

use diesel::prelude::*;
use gatehouse::db::schema::environments;
use gatehouse::domain::environment::EnvAccess;
use gatehouse::domain::permission::Permission;
use gatehouse::domain::role;
use reqwest::StatusCode;

use crate::helpers::*;
use crate::roles::{
    access_rows_of_role, add_member, admin_of_another_organization, audit_actions, call, grant,
    new_environment, new_role, our_organization, role_named, signed_in, submit, system_actor,
};

fn environment_names(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool.get().unwrap();
    environments::table
        .order(environments::name_folded.asc())
        .select(environments::name)
        .load(&mut conn)
        .unwrap()
}

fn environment_named(app: &TestApp, name: &str) -> gatehouse::domain::ids::EnvironmentId {
    let mut conn = app.pool.get().unwrap();
    environments::table
        .filter(environments::name.eq(name))
        .select(environments::id)
        .first(&mut conn)
        .unwrap()
}

/// The table row of one environment on the page.
fn row_of(page: &str, environment_id: gatehouse::domain::ids::EnvironmentId) -> &str {
    let start = page
        .find(&format!(r#"<tr id="environment-{environment_id}">"#))
        .unwrap_or_else(|| panic!("a row for environment {environment_id}"));
    let end = page[start..].find("</tr>").unwrap() + start;
    &page[start..end]
}

#[tokio::test]
async fn an_admin_creates_renames_and_deletes_environments() {
    let (app, admin) = spawn_app_with_admin().await;
    let (status, page) = admin.page("/environments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("No environments yet"));
    assert!(page.contains(r#"<label for="new-environment">Name</label>"#));

    let (status, to, page) = submit(
        &admin,
        "/environments",
        "/environments",
        &[("name", " Production ")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let production = environment_named(&app, "Production");
    assert_eq!(to, format!("/environments#environment-{production}"));
    assert!(page.contains("Environment added."));
    assert!(page.contains("<strong>Production</strong>"));
    submit(
        &admin,
        "/environments",
        "/environments",
        &[("name", "Staging")],
    )
    .await;

    // Mistakes come back next to the field, with what was typed.
    for (typed, message) in [
        ("production", "Another environment already has this name."),
        ("", "Enter a name for the environment."),
    ] {
        let (status, _, page) =
            submit(&admin, "/environments", "/environments", &[("name", typed)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{typed:?}");
        assert!(page.contains(&format!(
            r#"<p class="field-error" id="new-environment-error">{message}</p>"#
        )));
        assert!(page.contains(&format!(
            r#"id="new-environment" name="name" type="text" value="{typed}""#
        )));
    }
    assert_eq!(environment_names(&app), vec!["Production", "Staging"]);

    // Renaming.
    let rename = format!("/environments/{production}");
    let (status, _, page) = submit(&admin, "/environments", &rename, &[("name", "Live")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.contains("Environment renamed."));
    let (status, _, page) = submit(&admin, "/environments", &rename, &[("name", "STAGING")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let row = row_of(&page, production);
    assert!(
        row.contains("<details class=\"rename\" open>"),
        "the form is open where the mistake is"
    );
    assert!(row.contains(r#"value="STAGING""#));
    assert!(row.contains("Another environment already has this name."));
    assert_eq!(environment_names(&app), vec!["Live", "Staging"]);

    // Deleting asks for the typed word, on the server too.
    let confirm = format!("/environments/{production}/delete");
    let (status, page) = admin.page(&confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Delete “Live”?"));
    assert!(page.contains(r#"data-confirm-word="DELETE""#));
    assert!(page.contains("<label for=\"confirm\">Type DELETE to confirm</label>"));
    let (status, _, page) = submit(&admin, &confirm, &confirm, &[("confirm", "delete")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Type DELETE exactly, in capital letters, to confirm."));
    assert_eq!(environment_names(&app), vec!["Live", "Staging"]);
    let (status, to, page) = submit(&admin, &confirm, &confirm, &[("confirm", "DELETE")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/environments");
    assert!(page.contains("Environment deleted."));
    assert_eq!(environment_names(&app), vec!["Staging"]);

    let actions = audit_actions(&app);
    for action in [
        "environment.created",
        "environment.renamed",
        "environment.deleted",
    ] {
        assert!(actions.contains(&action.to_owned()), "{action} is audited");
    }
}

#[tokio::test]
async fn deleting_an_environment_takes_away_every_roles_access_to_it() {
    let (app, admin) = spawn_app_with_admin().await;
    let support = new_role(&app, "Support", &[Permission::Read]);
    let production = new_environment(&app, "Production");
    let staging = new_environment(&app, "Staging");
    grant(&app, support, production, &[EnvAccess::Write]);
    grant(&app, support, staging, &[EnvAccess::Read]);
    let confirm = format!("/environments/{production}/delete");
    let (_, page) = admin.page(&confirm).await;
    assert!(page.contains("These roles lose their access:"));
    assert!(page.contains(r#"<span class="badge badge-gray">Support</span>"#));
    submit(&admin, &confirm, &confirm, &[("confirm", "DELETE")]).await;
    assert_eq!(access_rows_of_role(&app, support).len(), 1);
    assert_eq!(access_rows_of_role(&app, support)[0].0, staging);
}

#[tokio::test]
async fn the_page_shows_which_roles_reach_each_environment_and_how() {
    let (app, admin) = spawn_app_with_admin().await;
    let support = new_role(&app, "Support", &[Permission::Read]);
    let deployers = new_role(&app, "Deployers", &[Permission::AgentInstall]);
    let production = new_environment(&app, "Production");
    let staging = new_environment(&app, "Staging");
    let sandbox = new_environment(&app, "Sandbox");
    grant(
        &app,
        support,
        production,
        &[EnvAccess::Read, EnvAccess::ViewLogs],
    );
    grant(
        &app,
        deployers,
        production,
        &[EnvAccess::Execute, EnvAccess::Write],
    );
    grant(&app, deployers, staging, &[EnvAccess::Write]);
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

    let (_, page) = admin.page("/environments").await;
    assert!(page.contains(r#"<caption class="visually-hidden">Environments</caption>"#));
    let prod = row_of(&page, production);
    assert!(prod.contains(&format!(
        r#"<a href="/roles/{support}?tab=environments">Support</a>"#
    )));
    assert!(prod.contains(r#"<span class="badge badge-blue">View Logs</span>"#));
    assert!(prod.contains(r#"<span class="badge badge-blue">Read</span>"#));
    assert!(prod.contains(&format!(
        r#"<a href="/roles/{deployers}?tab=environments">Deployers</a>"#
    )));
    assert!(prod.contains("Role inactive"), "a suspended role is marked");
    assert!(prod.contains(r#"<span class="badge badge-gray">Execute</span>"#));
    assert!(
        prod.find("Deployers").unwrap() < prod.find("Support").unwrap(),
        "roles by name"
    );

    let stage = row_of(&page, staging);
    assert!(stage.contains("Deployers") && !stage.contains("Support"));
    assert!(stage.contains("Write"));
    assert!(row_of(&page, sandbox).contains("No role has access."));
}

#[tokio::test]
async fn a_plain_member_gets_403_on_every_environment_route() {
    let (app, _admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production");
    add_member(
        &app,
        "bob@example.com",
        "Bob Plain",
        &[role_named(&app, "User")],
    );
    let bob = signed_in(&app, "bob@example.com").await;
    bob.page("/").await;
    for (method, path, fields) in [
        ("GET", "/environments".to_owned(), vec![]),
        (
            "POST",
            "/environments".to_owned(),
            vec![("name", "Mine".to_owned())],
        ),
        (
            "POST",
            format!("/environments/{production}"),
            vec![("name", "Mine".to_owned())],
        ),
        ("GET", format!("/environments/{production}/delete"), vec![]),
        (
            "POST",
            format!("/environments/{production}/delete"),
            vec![("confirm", "DELETE".to_owned())],
        ),
    ] {
        assert_eq!(
            call(&bob, method, &path, &fields).await,
            StatusCode::FORBIDDEN,
            "{method} {path}"
        );
    }
    assert_eq!(environment_names(&app), vec!["Production"]);
    let (_, overview) = bob.page("/").await;
    assert!(!overview.contains(r#"href="/environments""#));
}

#[tokio::test]
async fn an_admin_of_another_organization_gets_404_for_our_environment_ids() {
    let (app, _admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production");
    let grace = admin_of_another_organization(&app).await;
    let (status, theirs) = grace.page("/environments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!theirs.contains("Production"));
    for (method, path, fields) in [
        (
            "POST",
            format!("/environments/{production}"),
            vec![("name", "Theirs".to_owned())],
        ),
        (
            "POST",
            format!("/environments/{production}"),
            vec![("name", "".to_owned())],
        ),
        ("GET", format!("/environments/{production}/delete"), vec![]),
        (
            "POST",
            format!("/environments/{production}/delete"),
            vec![("confirm", "DELETE".to_owned())],
        ),
    ] {
        assert_eq!(
            call(&grace, method, &path, &fields).await,
            StatusCode::NOT_FOUND,
            "{method} {path}"
        );
    }
    assert_eq!(environment_names(&app), vec!["Production"]);
    // Same name in their organization is fine: names are unique per organization.
    let (status, _, _) = submit(
        &grace,
        "/environments",
        "/environments",
        &[("name", "Production")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(environment_names(&app), vec!["Production", "Production"]);
}
