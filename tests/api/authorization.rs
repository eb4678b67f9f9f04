//! Walks every console and portal route for every kind of caller and checks the answer: an
//! admin, a read-only member (Execute access to an environment), a plain member, a signed-out
//! visitor, an admin of another organization (for whom this organization's ids do not exist),
//! an external user (the API portal and their own account, nothing of the console), a partner
//! user acting in this organization through a partner with a read-only role, and an admin of
//! this organization who is not its owner (for the owner-only pages).
//! Add each new route here.

use reqwest::StatusCode;

use crate::helpers::*;
use crate::scenario::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Admin,
    ReadOnly,
    Plain,
    Visitor,
    OtherAdmin,
    External,
    /// Acting here through a partner, with a role like the read-only member's.
    PartnerUser,
    /// An Administrator here who is not the owner; calls only the owner's routes.
    NonOwnerAdmin,
}

/// What a caller must get for a route.
fn expected(caller: Caller, route: &Route) -> &'static str {
    match (caller, route.audience) {
        (Caller::Visitor, _) => "sign-in",
        (_, Audience::UngrantedApi) => "404",
        (Caller::External, Audience::Accounts | Audience::GrantedApi) => "allowed",
        // Switching names an organization they are no member of: it does not exist for them.
        (Caller::External, Audience::Members) if route.scoped => "404",
        (Caller::External, _) => "403",
        (_, Audience::GrantedApi) => "404",
        (Caller::OtherAdmin, Audience::Owner) if !route.scoped => "allowed",
        (Caller::Admin, Audience::Owner) => "allowed",
        (Caller::OtherAdmin, _) if route.scoped => "404",
        (_, Audience::Owner) => "403",
        // A partner user holds the client roles granted, as a member holding them would, but
        // never the client's own partner relations.
        (Caller::PartnerUser, _) if route.path.starts_with("/my-partner") => "403",
        (Caller::PartnerUser, _) => expected_for_members(Caller::ReadOnly, route),
        (Caller::NonOwnerAdmin, _) => expected_for_members(Caller::Admin, route),
        _ => expected_for_members(caller, route),
    }
}

fn expected_for_members(caller: Caller, route: &Route) -> &'static str {
    match caller {
        Caller::Visitor | Caller::External | Caller::PartnerUser | Caller::NonOwnerAdmin => {
            unreachable!("answered above")
        }
        Caller::OtherAdmin if route.scoped => "404",
        Caller::Admin | Caller::OtherAdmin => "allowed",
        Caller::ReadOnly if route.audience != Audience::Admins => "allowed",
        Caller::Plain if matches!(route.audience, Audience::Members | Audience::Accounts) => {
            "allowed"
        }
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
    client.page("/profile").await;
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

/// The first organization with every kind of caller and one of everything the routes name: the
/// app, its administrator (signed in) and the ids to fill the routes with.
#[tokio::test]
async fn every_route_answers_every_kind_of_caller_as_it_should() {
    let (app, admin, ids) = arrange().await;
    let org = ids.organization;

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
        (
            Caller::External,
            app.signed_in_client(EXTERNAL_EMAIL, ADMIN_PASSWORD).await,
        ),
        (Caller::PartnerUser, {
            let client = app.signed_in_client(PARTNER_USER, ADMIN_PASSWORD).await;
            client.page("/").await;
            let switched = client
                .post_form(
                    "/organizations/switch",
                    &[("organization_id", &org.to_string())],
                )
                .await;
            assert_eq!(switched.status(), StatusCode::SEE_OTHER, "into the client");
            client
        }),
        (
            Caller::NonOwnerAdmin,
            app.signed_in_client("second-admin@example.com", ADMIN_PASSWORD)
                .await,
        ),
        // Last, because an admin's calls change things.
        (Caller::Admin, admin),
    ];
    let mut failures = Vec::new();
    let all_routes = routes(&ids);
    for (caller, client) in &callers {
        for route in &all_routes {
            // Another admin's changes would leave nothing for the owner's calls to act on.
            if *caller == Caller::NonOwnerAdmin && route.audience != Audience::Owner {
                continue;
            }
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
