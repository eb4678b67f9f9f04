//! Walks every console route for every kind of caller and checks the answer: an admin, a
//! read-only member (Execute access to an environment), a plain member, a signed-out visitor,
//! and an admin of another organization (for whom this organization's ids do not exist).
//! Add each new route here.

use gatehouse::domain::environment::{EnvAccess, EnvAccessSet};
use gatehouse::domain::permission::Permission;
use reqwest::StatusCode;

use crate::helpers::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    /// Any active member.
    Members,
    /// Admins, and members who may read the users page.
    UserReaders,
    Admins,
}

struct Route {
    method: &'static str,
    path: String,
    audience: Audience,
    /// The path names ids of the organization, which another organization must not see.
    scoped: bool,
}

fn route(method: &'static str, path: String, audience: Audience, scoped: bool) -> Route {
    Route {
        method,
        path,
        audience,
        scoped,
    }
}

/// The ids the routes are filled with, all from the first organization.
struct Ids {
    organization: i64,
    member: i64,
    /// A second plain member, for the last route once the first is gone.
    spare: i64,
    pending: i64,
    role: i64,
    environment: i64,
    delivery: i64,
}

fn routes(ids: &Ids) -> Vec<Route> {
    use Audience::*;
    let Ids {
        organization,
        member,
        spare,
        pending,
        role,
        environment,
        delivery,
    } = ids;
    vec![
        route("GET", "/".into(), Members, false),
        route("GET", "/organizations".into(), Members, false),
        route("POST", "/organizations/switch".into(), Members, true)
            .with_form(&[("organization_id", organization)]),
        route("POST", "/organizations/current".into(), Admins, false),
        // Every signed-in account's own page. (Signing out one session by its handle is checked in
        // profile.rs: a handle is per caller, and another account's answers 404.)
        route("GET", "/profile".into(), Members, false),
        route("POST", "/profile".into(), Members, false),
        route("POST", "/profile/password".into(), Members, false),
        route(
            "POST",
            "/profile/sessions/sign-out-others".into(),
            Members,
            false,
        ),
        // The expired-password page: any signed-in account (without an expired password it just
        // leads to the console; password_policy.rs checks the page itself).
        route("GET", "/password-expired".into(), Members, false),
        route("POST", "/password-expired".into(), Members, false),
        // The two-factor page: any signed-in account (with nothing pending it leads to the
        // console; two_factor.rs checks the page itself).
        route("GET", "/two-factor".into(), Members, false),
        route("POST", "/two-factor".into(), Members, false),
        route("POST", "/two-factor/resend".into(), Members, false),
        route("GET", "/users".into(), UserReaders, false),
        route(
            "POST",
            "/preferences/columns/users".into(),
            UserReaders,
            false,
        ),
        route("GET", "/users/new".into(), Admins, false),
        route("POST", "/users".into(), Admins, false),
        route("GET", format!("/users/{member}/roles"), Admins, true),
        route(
            "POST",
            format!("/users/{member}/roles/assign"),
            Admins,
            true,
        ),
        route("POST", format!("/users/{member}/roles/new"), Admins, true),
        route(
            "POST",
            format!("/users/{member}/roles/{role}/active"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/{pending}/invitation/resend"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/{pending}/invitation/revoke"),
            Admins,
            true,
        ),
        route("POST", format!("/users/{member}/reactivate"), Admins, true),
        route("GET", format!("/users/{member}/remove"), Admins, true),
        route("POST", format!("/users/{member}/remove"), Admins, true),
        route("GET", "/policies".into(), Admins, false),
        route("POST", "/policies".into(), Admins, false),
        route("GET", "/deliveries".into(), Admins, false),
        route("POST", "/deliveries/test".into(), Admins, false),
        route(
            "POST",
            format!("/deliveries/{delivery}/send-again"),
            Admins,
            true,
        ),
        route("GET", "/roles".into(), Admins, false),
        route("GET", "/roles/new".into(), Admins, false),
        route("POST", "/roles".into(), Admins, false),
        route("POST", "/preferences/columns/roles".into(), Admins, false),
        route("GET", format!("/roles/{role}"), Admins, true),
        route(
            "GET",
            format!("/roles/{role}?tab=environments"),
            Admins,
            true,
        ),
        route("POST", format!("/roles/{role}"), Admins, true),
        route("POST", format!("/roles/{role}/deactivate"), Admins, true),
        route("POST", format!("/roles/{role}/reactivate"), Admins, true),
        route("POST", format!("/roles/{role}/remove"), Admins, true),
        route("POST", format!("/roles/{role}/members"), Admins, true),
        route(
            "POST",
            format!("/roles/{role}/members/{member}/active"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/roles/{role}/environments/{environment}"),
            Admins,
            true,
        ),
        route("GET", "/environments".into(), Admins, false),
        route("POST", "/environments".into(), Admins, false),
        route("POST", format!("/environments/{environment}"), Admins, true),
        route(
            "GET",
            format!("/environments/{environment}/delete"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/environments/{environment}/delete"),
            Admins,
            true,
        ),
        // Last: for the admin these end the member's role (their only one), so the member goes.
        route(
            "POST",
            format!("/roles/{role}/members/{member}/unassign"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/{spare}/roles/{role}/unassign"),
            Admins,
            true,
        ),
    ]
}

trait WithForm {
    fn with_form(self, fields: &[(&str, &i64)]) -> Self;
}

impl WithForm for Route {
    /// Routes that need a field to reach their authorization check carry it in the path's query
    /// marker; the caller sends it as a form field.
    fn with_form(mut self, fields: &[(&str, &i64)]) -> Self {
        for (name, value) in fields {
            self.path.push_str(&format!("?{name}={value}"));
        }
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Admin,
    ReadOnly,
    Plain,
    Visitor,
    OtherAdmin,
}

/// What a caller must get for a route.
fn expected(caller: Caller, route: &Route) -> &'static str {
    match caller {
        Caller::Visitor => "sign-in",
        Caller::OtherAdmin if route.scoped => "404",
        Caller::Admin | Caller::OtherAdmin => "allowed",
        Caller::ReadOnly if route.audience != Audience::Admins => "allowed",
        Caller::Plain if route.audience == Audience::Members => "allowed",
        Caller::ReadOnly | Caller::Plain => "403",
    }
}

async fn call(client: &TestClient, route: &Route) -> (StatusCode, String) {
    let (path, fields) = match route
        .path
        .split_once('?')
        .filter(|_| route.method == "POST")
    {
        Some((path, query)) => (
            path.to_owned(),
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect::<Vec<_>>(),
        ),
        None => (route.path.clone(), Vec::new()),
    };
    // A page first, for a fresh CSRF token, as a browser would have one.
    client.page("/sign-in").await;
    client.page("/").await;
    let response = if route.method == "GET" {
        client.get(&path).await
    } else {
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        client.post_form(&path, &borrowed).await
    };
    (response.status(), location(&response))
}

fn verdict(status: StatusCode, location: &str) -> &'static str {
    match status.as_u16() {
        303 | 200 if location.starts_with("/sign-in") => "sign-in",
        403 => "403",
        404 => "404",
        401 => "401",
        _ => "allowed",
    }
}

#[tokio::test]
async fn every_route_answers_every_kind_of_caller_as_it_should() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);

    // A read-only member: a role with Execute access to an environment.
    let operators = create_role(&app, org, "Operators", &[Permission::Read]);
    let environment = {
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
    add_member(&app, org, "reader@example.com", &["Operators"]);
    let member = add_member(&app, org, "plain@example.com", &["User"]);
    let spare = add_member(&app, org, "spare@example.com", &["User"]);
    let pending = {
        let mut conn = app.pool.get().unwrap();
        let email = gatehouse::domain::account::EmailAddress::parse("pending@example.com").unwrap();
        match gatehouse::domain::membership::add(
            &mut conn,
            org,
            &email,
            &[role_id(&app, org, "User")],
            None,
            &test_actor(&app),
        )
        .unwrap()
        {
            gatehouse::domain::membership::Added::Invited { membership_id, .. } => membership_id,
            other => panic!("{other:?}"),
        }
    };
    admin.page("/deliveries").await;
    admin.post_form("/deliveries/test", &[]).await;
    // Let the worker finish with the message first (it writes to a file here), then mark it
    // failed, so that "send again" has something to act on.
    let delivery = {
        use diesel::prelude::*;
        use gatehouse::db::schema::outbox_messages;
        let sent = app
            .wait_for_outbox("the test email handled", |m| {
                m.len() == 1 && m[0].status != "pending"
            })
            .await;
        let mut conn = app.pool.get().unwrap();
        diesel::update(outbox_messages::table.find(sent[0].id))
            .set(outbox_messages::status.eq("failed"))
            .execute(&mut conn)
            .unwrap();
        sent[0].id
    };
    let ids = Ids {
        organization: org,
        member,
        spare,
        pending,
        role: role_id(&app, org, "User"),
        environment,
        delivery,
    };

    // Another organization with its own administrator.
    {
        let mut conn = app.pool.get().unwrap();
        let hash = gatehouse::auth::password::hash_blocking(ADMIN_PASSWORD, 4).unwrap();
        let actor = test_actor(&app);
        let other = gatehouse::domain::account::insert(
            &mut conn,
            &gatehouse::domain::account::NewAccount {
                email: "other@example.com",
                name: "Other Admin",
                password_hash: Some(&hash),
                language: None,
                created_at: actor.at,
                password_changed_at: Some(actor.at),
            },
        )
        .unwrap();
        gatehouse::domain::organization::create_with_owner(
            &mut conn,
            "Elsewhere",
            other.id,
            &actor,
        )
        .unwrap();
    }

    let callers = [
        (Caller::Visitor, app.client()),
        (
            Caller::Plain,
            app.signed_in_client("plain@example.com", ADMIN_PASSWORD)
                .await,
        ),
        (
            Caller::ReadOnly,
            app.signed_in_client("reader@example.com", ADMIN_PASSWORD)
                .await,
        ),
        (
            Caller::OtherAdmin,
            app.signed_in_client("other@example.com", ADMIN_PASSWORD)
                .await,
        ),
        // Last, because an admin's calls change things.
        (Caller::Admin, admin),
    ];
    let mut failures = Vec::new();
    let all_routes = routes(&ids);
    for (caller, client) in &callers {
        for route in &all_routes {
            let (status, location) = call(client, route).await;
            let got = verdict(status, &location);
            let want = expected(*caller, route);
            if got != want {
                failures.push(format!(
                    "{caller:?} {} {}: wanted {want}, got {status} {location}",
                    route.method, route.path
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization mismatches:\n{}",
        failures.join("\n")
    );
}
