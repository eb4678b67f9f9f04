//! A partner user inside a client: the client in their switcher "via" the partner, rights that are
//! never above the client's rules (before and after the rules change), nothing while the
//! partnership is not active or the partner organization is deactivated, the client's policies,
//! and the client's users page listing them under their partner. The partnership is arranged in
//! the database here; partner_tokens.rs and partners.rs drive the pages that make one.

use diesel::prelude::*;
use gatehouse::clock::Clock;
use gatehouse::db::schema::{
    accounts, memberships, organizations, partnership_grants, partnership_roles, partnerships,
};
use gatehouse::domain::permission::Permission;
use gatehouse::domain::policy::{self, Policy, TwoFactorMode};
use reqwest::StatusCode;

use crate::helpers::*;
use gatehouse::domain::ids::OrganizationId;

struct Partnered {
    app: TestApp,
    client_org: OrganizationId,
    partnership: i64,
    admins_role: gatehouse::domain::ids::RoleId,
}

const PARTNER_USER: &str = "pat@partner.example";

/// The first organization (the client) accepted a partner organization, "Partner Co", whose
/// member pat@partner.example is granted the client's "Operators" (Admin) and "Readers" roles;
/// the rules allow both.
async fn partnered() -> Partnered {
    let (app, _admin) = spawn_app_with_admin().await;
    let client_org = first_organization_id(&app);
    let admins_role = create_role(&app, client_org, "Operators", &[Permission::Admin]);
    let readers_role = create_role(&app, client_org, "Readers", &[Permission::Read]);
    let mut conn = app.pool.get().unwrap();
    let now = app.clock.now();
    let owner = account_with_password(
        &mut conn,
        now,
        "owner@partner.example",
        "Partner Owner",
        None,
    );
    let partner_org = gatehouse::domain::organization::create_with_owner(
        &mut conn,
        "Partner Co",
        owner.id,
        &test_actor(&app),
    )
    .unwrap()
    .id;
    drop(conn);
    let membership = add_member(&app, partner_org, PARTNER_USER, &["User"]);
    let mut conn = app.pool.get().unwrap();
    let partnership: i64 = diesel::insert_into(partnerships::table)
        .values((
            partnerships::partner_organization_id.eq(partner_org),
            partnerships::client_organization_id.eq(client_org),
            partnerships::origin.eq("token"),
            partnerships::status.eq("active"),
            partnerships::created_at.eq(now),
            partnerships::activated_at.eq(now),
        ))
        .returning(partnerships::id)
        .get_result(&mut conn)
        .unwrap();
    for role in [admins_role, readers_role] {
        diesel::insert_into(partnership_roles::table)
            .values((
                partnership_roles::partnership_id.eq(partnership),
                partnership_roles::role_id.eq(role),
            ))
            .execute(&mut conn)
            .unwrap();
        diesel::insert_into(partnership_grants::table)
            .values((
                partnership_grants::partnership_id.eq(partnership),
                partnership_grants::membership_id.eq(membership),
                partnership_grants::role_id.eq(role),
                partnership_grants::created_at.eq(now),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    Partnered {
        app,
        client_org,
        partnership,
        admins_role,
    }
}

/// The partner user, signed in and acting in the client.
async fn partner_user_in(app: &TestApp, client_org: OrganizationId) -> TestClient {
    let pat = app.signed_in_client(PARTNER_USER, ADMIN_PASSWORD).await;
    assert_eq!(
        switch_into(&pat, client_org).await.status(),
        StatusCode::SEE_OTHER
    );
    pat
}

async fn switch_into(client: &TestClient, organization_id: OrganizationId) -> reqwest::Response {
    client.page("/").await;
    client
        .post_form(
            "/organizations/switch",
            &[("organization_id", &organization_id.to_string())],
        )
        .await
}

fn set_status(app: &TestApp, partnership: i64, status: &str) {
    let mut conn = app.pool.get().unwrap();
    diesel::update(partnerships::table.find(partnership))
        .set(partnerships::status.eq(status))
        .execute(&mut conn)
        .unwrap();
}

#[tokio::test]
async fn a_partner_user_acts_in_the_client_within_its_rules() {
    let Partnered {
        app,
        client_org,
        partnership,
        admins_role,
        ..
    } = partnered().await;
    let pat = app.signed_in_client(PARTNER_USER, ADMIN_PASSWORD).await;
    let (_, home) = pat.page("/").await;
    assert!(
        home.contains(&format!("{ORGANIZATION} · via Partner Co")),
        "{home}"
    );

    let switched = switch_into(&pat, client_org).await;
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    let (_, home) = pat.page("/").await;
    assert!(home.contains(&format!("<h1>{ORGANIZATION}</h1>")));
    // Operators holds Admin here: the client's admin pages open.
    assert_eq!(pat.page("/roles").await.0, StatusCode::OK);
    // Not the owner: the owner-only page does not.
    assert_eq!(pat.page("/partners").await.0, StatusCode::FORBIDDEN);

    // The client takes Operators out of the rules: the grant stays, but counts no more.
    {
        let mut conn = app.pool.get().unwrap();
        diesel::delete(
            partnership_roles::table
                .filter(partnership_roles::partnership_id.eq(partnership))
                .filter(partnership_roles::role_id.eq(admins_role)),
        )
        .execute(&mut conn)
        .unwrap();
    }
    assert_eq!(pat.page("/roles").await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        pat.page("/").await.0,
        StatusCode::OK,
        "Readers still counts"
    );

    // The client shows them under their partner, with the roles that count.
    let admin = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (status, page) = admin.page("/users/partners").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Partner Co") && page.contains(PARTNER_USER));
    assert!(page.contains("Readers") && !page.contains("Operators"));

    // Suspended: the client is gone for them at once.
    set_status(&app, partnership, "suspended");
    let (_, home) = pat.page("/").await;
    assert!(!home.contains("via Partner Co"));
    assert!(
        home.contains("<h1>Partner Co</h1>"),
        "back in their own organization"
    );
    let refused = switch_into(&pat, client_org).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    set_status(&app, partnership, "active");
    assert_eq!(
        switch_into(&pat, client_org).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_deactivated_partner_organization_gives_its_members_nothing() {
    let Partnered {
        app, client_org, ..
    } = partnered().await;
    let pat = partner_user_in(&app, client_org).await;
    {
        let mut conn = app.pool.get().unwrap();
        diesel::update(organizations::table.filter(organizations::name.eq("Partner Co")))
            .set(organizations::deactivated_at.eq(app.clock.now()))
            .execute(&mut conn)
            .unwrap();
    }
    let (status, _) = pat.page("/").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no organization is left");
    assert_eq!(
        switch_into(&pat, client_org).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_clients_policies_apply_to_partner_users() {
    let Partnered {
        app, client_org, ..
    } = partnered().await;
    {
        let mut conn = app.pool.get().unwrap();
        let saved = Policy {
            two_factor_mode: TwoFactorMode::Always,
            ..policy::load(&mut conn, client_org).unwrap()
        };
        policy::save(&mut conn, client_org, &saved, &test_actor(&app)).unwrap();
    }
    let pat = app.signed_in_client(PARTNER_USER, ADMIN_PASSWORD).await;
    let switched = switch_into(&pat, client_org).await;
    assert_eq!(
        location(&switched),
        "/two-factor",
        "the client asks for a code"
    );

    {
        let mut conn = app.pool.get().unwrap();
        let saved = Policy {
            two_factor_mode: TwoFactorMode::Off,
            ip_allow_list: vec!["203.0.113.0/24".to_owned()],
            ..policy::load(&mut conn, client_org).unwrap()
        };
        policy::save(&mut conn, client_org, &saved, &test_actor(&app)).unwrap();
    }
    let pat = app.signed_in_client(PARTNER_USER, ADMIN_PASSWORD).await;
    let refused = switch_into(&pat, client_org).await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "the allow-list applies"
    );
}

#[tokio::test]
async fn removal_from_the_partner_organization_ends_access_to_its_clients() {
    let Partnered {
        app, client_org, ..
    } = partnered().await;
    let pat = partner_user_in(&app, client_org).await;
    {
        let mut conn = app.pool.get().unwrap();
        let account: i64 = accounts::table
            .filter(accounts::email.eq(PARTNER_USER))
            .select(accounts::id)
            .first(&mut conn)
            .unwrap();
        diesel::update(memberships::table.filter(memberships::account_id.eq(account)))
            .set(memberships::status.eq("inactive"))
            .execute(&mut conn)
            .unwrap();
    }
    assert_eq!(pat.page("/").await.0, StatusCode::FORBIDDEN);
}
