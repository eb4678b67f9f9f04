//! Client access tokens, from both sides: a partner organization issues a token (My Clients),
//! a client's admin accepts it with rules (My Partner), the partner authorizes its members, and
//! those partner users act in the client with exactly the granted roles, never above the rules.

use diesel::prelude::*;
use gatehouse::clock::Clock;
use gatehouse::crypto::token::hash_token;
use gatehouse::db::schema::{audit_events, partnership_grants, partnership_roles, partnerships};
use gatehouse::domain::audit::Actor;
use gatehouse::domain::ids::{MembershipId, OrganizationId, RoleId};
use gatehouse::domain::organization;
use gatehouse::domain::partnership;
use gatehouse::domain::permission::Permission;
use reqwest::StatusCode;

use crate::helpers::*;

pub(crate) const CLIENT_ADMIN: &str = "clara@globex.example";
const CLIENT: &str = "Globex";
const PARTNER_USER: &str = "pat@example.com";

/// A registered account (password `ADMIN_PASSWORD`) owning a new organization; returns the
/// organization's id.
fn organization_with_owner(app: &TestApp, name: &str, email: &str) -> OrganizationId {
    let mut conn = app.pool.get().unwrap();
    let now = app.clock.now();
    let owner = account_with_password(
        &mut conn,
        now,
        email,
        email.split('@').next().unwrap(),
        None,
    );
    let actor = Actor::person(owner.id, None, now);
    organization::create_with_owner(&mut conn, name, owner.id, &actor)
        .unwrap()
        .id
}

fn enable_partner(app: &TestApp, organization_id: OrganizationId) {
    let mut conn = app.pool.get().unwrap();
    partnership::enable_partner(&mut conn, organization_id, &test_actor(app)).unwrap();
}

/// The partner organization (Analytical Engines, Ada its admin), a partner user (Pat, a plain
/// member there), and a client organization (Globex, Clara its owner) with three roles.
pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) partner: TestClient,
    pub(crate) partner_org: OrganizationId,
    pub(crate) client: TestClient,
    pub(crate) client_org: OrganizationId,
    pat: TestClient,
    pub(crate) pat_membership: MembershipId,
    /// Client roles: Support (Read), Operators (Admin), Auditors (Read, never in the rules).
    pub(crate) support: RoleId,
    pub(crate) operators: RoleId,
    pub(crate) auditors: RoleId,
}

pub(crate) async fn world() -> World {
    let (app, partner) = spawn_app_with_admin().await;
    let partner_org = first_organization_id(&app);
    enable_partner(&app, partner_org);
    let pat_membership = add_member(&app, partner_org, PARTNER_USER, &["User"]);
    let client_org = organization_with_owner(&app, CLIENT, CLIENT_ADMIN);
    let support = create_role(&app, client_org, "Support", &[Permission::Read]);
    let operators = create_role(&app, client_org, "Operators", &[Permission::Admin]);
    let auditors = create_role(&app, client_org, "Auditors", &[Permission::Read]);
    let client = app.signed_in_client(CLIENT_ADMIN, ADMIN_PASSWORD).await;
    let pat = app.signed_in_client(PARTNER_USER, ADMIN_PASSWORD).await;
    World {
        app,
        partner,
        partner_org,
        client,
        client_org,
        pat,
        pat_membership,
        support,
        operators,
        auditors,
    }
}

/// The token a page shows in full (in its read-only field).
fn token_in(page: &str) -> String {
    let marker = "value=\"gh_ct_";
    let start = page.find(marker).expect("the page shows a token") + "value=\"".len();
    let end = page[start..].find('"').unwrap() + start;
    page[start..end].to_owned()
}

/// Ada adds a token on My Clients (after its confirmation) and reads it off the page.
async fn add_token(partner: &TestClient) -> String {
    let (status, _) = partner.page("/clients/new").await;
    assert_eq!(status, StatusCode::OK);
    let response = partner.post_form("/clients", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    assert!(page.contains("This is the only time the token is shown."));
    token_in(&page)
}

/// Clara enters the token and accepts it with the given rules; returns the partnership id.
async fn accept(client: &TestClient, token: &str, role_ids: &[RoleId]) -> i64 {
    client.page("/my-partner").await;
    let ids: Vec<String> = role_ids.iter().map(RoleId::to_string).collect();
    let mut fields = vec![("token", token)];
    fields.extend(ids.iter().map(|id| ("role_id", id.as_str())));
    let response = client.post_form("/my-partner/accept", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "accepted");
    location(&response)
        .strip_prefix("/my-partner/")
        .expect("goes to the partner's page")
        .parse()
        .unwrap()
}

async fn authorize(
    partner: &TestClient,
    id: i64,
    grants: &[(MembershipId, RoleId)],
) -> reqwest::Response {
    partner.page(&format!("/clients/{id}")).await;
    let values: Vec<String> = grants.iter().map(|(m, r)| format!("{m}:{r}")).collect();
    let fields: Vec<(&str, &str)> = values.iter().map(|v| ("grant", v.as_str())).collect();
    partner
        .post_form(&format!("/clients/{id}/users"), &fields)
        .await
}

async fn switch(user: &TestClient, organization_id: OrganizationId) -> reqwest::Response {
    user.page("/").await;
    user.post_form(
        "/organizations/switch",
        &[("organization_id", &organization_id.to_string())],
    )
    .await
}

async fn status_of(user: &TestClient, path: &str) -> StatusCode {
    user.get(path).await.status()
}

fn actions(app: &TestApp, organization_id: OrganizationId) -> Vec<String> {
    let mut conn = app.pool.get().unwrap();
    audit_events::table
        .filter(audit_events::organization_id.eq(organization_id))
        .filter(audit_events::action.like("client-token.%"))
        .order(audit_events::id.asc())
        .select(audit_events::action)
        .load(&mut conn)
        .unwrap()
}

fn partnership_status(app: &TestApp, id: i64) -> Option<String> {
    let mut conn = app.pool.get().unwrap();
    partnerships::table
        .find(id)
        .select(partnerships::status)
        .first(&mut conn)
        .optional()
        .unwrap()
}

#[tokio::test]
async fn a_token_goes_from_the_partner_to_the_client_and_gives_exactly_the_granted_rights() {
    let w = world().await;
    let (status, page) = w.partner.page("/clients").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("No client tokens yet."));
    assert!(page.contains("href=\"/clients/new\""));

    // Added after a confirmation, shown once in full; only its hash and hint are kept.
    let token = add_token(&w.partner).await;
    assert!(token.starts_with("gh_ct_") && token.len() > 40);
    let hint = format!("…{}", &token[token.len() - 4..]);
    let (_, list) = w.partner.page("/clients").await;
    assert!(list.contains("Waiting for a client"));
    assert!(list.contains("Pending"));
    assert!(list.contains(&hint));
    assert!(!list.contains(&token), "the list shows only the hint");
    {
        let mut conn = w.app.pool.get().unwrap();
        let stored: (Option<String>, Option<String>) = partnerships::table
            .select((partnerships::token_hash, partnerships::token_hint))
            .first(&mut conn)
            .unwrap();
        assert_eq!(stored.0, Some(hash_token(&token)));
        assert_eq!(stored.1.as_deref(), Some(&token[token.len() - 4..]));
    }

    // The client's admin enters it, sees whose it is, picks the rules and accepts.
    w.client.page("/my-partner").await;
    let response = w
        .client
        .post_form("/my-partner/preview", &[("token", &token)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let preview = response.text().await.unwrap();
    assert!(preview.contains("Accept Analytical Engines as a partner"));
    assert!(preview.contains(&format!("value=\"{}\"", w.support)));
    assert!(preview.contains(&format!("value=\"{}\"", w.operators)));
    let id = accept(&w.client, &token, &[w.support, w.operators]).await;
    let (_, page) = w.client.page(&format!("/my-partner/{id}")).await;
    assert!(page.contains("Partnership accepted."));
    assert!(page.contains("<h1>Analytical Engines</h1>"));
    assert!(page.contains("Active"));
    let (_, list) = w.client.page("/my-partner").await;
    assert!(list.contains("Analytical Engines") && list.contains("Operators"));

    // Active on the partner's side too, with the client and its rules.
    let (_, list) = w.partner.page("/clients").await;
    assert!(list.contains(CLIENT) && list.contains("Active") && list.contains("Support"));
    let (status, details) = w.partner.page(&format!("/clients/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(details.contains(&format!("<h1>{CLIENT}</h1>")));
    assert!(details.contains("Operators") && !details.contains("Auditors"));

    // A role outside the rules is refused; an allowed one is granted.
    let refused = authorize(&w.partner, id, &[(w.pat_membership, w.auditors)]).await;
    assert_unprocessable(
        refused,
        "That role is not among the roles the client allows.",
    )
    .await;
    let granted = authorize(&w.partner, id, &[(w.pat_membership, w.support)]).await;
    assert_eq!(granted.status(), StatusCode::SEE_OTHER);
    let (_, details) = w.partner.page(&format!("/clients/{id}")).await;
    assert!(details.contains("Users authorized."));
    assert!(details.contains(PARTNER_USER));

    // Pat sees the client in the switcher, marked with the partner, and acts there as Support.
    let (_, home) = w.pat.page("/").await;
    assert!(home.contains(&format!("{CLIENT} · via Analytical Engines")));
    let switched = switch(&w.pat, w.client_org).await;
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    let (_, home) = w.pat.page("/").await;
    assert!(home.contains(&format!("<h1>{CLIENT}</h1>")));
    assert_eq!(status_of(&w.pat, "/roles").await, StatusCode::FORBIDDEN);
    assert_eq!(
        status_of(&w.pat, "/my-partner").await,
        StatusCode::FORBIDDEN
    );

    // The partner gives Pat Operators as well: Admin inside the client, still not My Partner.
    w.partner
        .page(&format!("/clients/{id}/users/{}", w.pat_membership))
        .await;
    let edited = w
        .partner
        .post_form(
            &format!("/clients/{id}/users/{}", w.pat_membership),
            &[
                ("role_id", &w.support.to_string()),
                ("role_id", &w.operators.to_string()),
            ],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&w.pat, "/roles").await, StatusCode::OK);
    assert_eq!(
        status_of(&w.pat, "/my-partner").await,
        StatusCode::FORBIDDEN
    );
    // Even in a client that is itself a partner, a partner user issues none of its tokens.
    enable_partner(&w.app, w.client_org);
    assert_eq!(status_of(&w.pat, "/clients").await, StatusCode::FORBIDDEN);
    let outside = w
        .partner
        .post_form(
            &format!("/clients/{id}/users/{}", w.pat_membership),
            &[("role_id", &w.auditors.to_string())],
        )
        .await;
    assert_eq!(outside.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The client shrinks the rules: Operators' rights go at the next request, and its grant is
    // deleted, so allowing Operators again gives nothing back by itself.
    w.client.page(&format!("/my-partner/{id}")).await;
    let shrunk = w
        .client
        .post_form(
            &format!("/my-partner/{id}/rules"),
            &[("role_id", &w.support.to_string())],
        )
        .await;
    assert_eq!(shrunk.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&w.pat, "/roles").await, StatusCode::FORBIDDEN);
    let (_, page) = w.client.page(&format!("/my-partner/{id}")).await;
    assert!(page.contains("Partner users lost the roles you removed."));
    let grown = w
        .client
        .post_form(
            &format!("/my-partner/{id}/rules"),
            &[
                ("role_id", &w.support.to_string()),
                ("role_id", &w.operators.to_string()),
            ],
        )
        .await;
    assert_eq!(grown.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        status_of(&w.pat, "/roles").await,
        StatusCode::FORBIDDEN,
        "a deleted grant does not come back with the rules"
    );
    {
        let mut conn = w.app.pool.get().unwrap();
        let grants: Vec<RoleId> = partnership_grants::table
            .filter(partnership_grants::partnership_id.eq(id))
            .select(partnership_grants::role_id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(grants, vec![w.support]);
    }
    let no_roles = w
        .client
        .post_form(&format!("/my-partner/{id}/rules"), &[])
        .await;
    assert_eq!(no_roles.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Suspended by the client: no access; resumed: back.
    let suspended = w
        .client
        .post_form(&format!("/my-partner/{id}/suspend"), &[])
        .await;
    assert_eq!(suspended.status(), StatusCode::SEE_OTHER);
    let (_, home) = w.pat.page("/").await;
    assert!(
        !home.contains(&format!("<h1>{CLIENT}</h1>")),
        "moved out of the client"
    );
    assert!(!home.contains("via Analytical Engines"));
    assert_eq!(
        switch(&w.pat, w.client_org).await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, details) = w.partner.page(&format!("/clients/{id}")).await;
    assert!(details.contains("Suspended by the client"));
    let resumed = w
        .client
        .post_form(&format!("/my-partner/{id}/resume"), &[])
        .await;
    assert_eq!(resumed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        switch(&w.pat, w.client_org).await.status(),
        StatusCode::SEE_OTHER
    );

    // Deactivated by the partner: the client is gone at once; activated: same roles again.
    w.partner.page(&format!("/clients/{id}/deactivate")).await;
    let deactivated = w
        .partner
        .post_form(&format!("/clients/{id}/deactivate"), &[])
        .await;
    assert_eq!(deactivated.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&w.pat, "/roles").await, StatusCode::FORBIDDEN);
    let (_, home) = w.pat.page("/").await;
    assert!(!home.contains("via Analytical Engines"));
    let (_, page) = w.client.page(&format!("/my-partner/{id}")).await;
    assert!(page.contains("The partner deactivated this token"));
    let resume_refused = w
        .client
        .post_form(&format!("/my-partner/{id}/resume"), &[])
        .await;
    assert_eq!(resume_refused.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        partnership_status(&w.app, id).as_deref(),
        Some("deactivated")
    );
    // Activating is confirmed as deactivating is (a dialog, and this page without JavaScript).
    let (status, confirm) = w.partner.page(&format!("/clients/{id}/activate")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("Your users get back the same access to this client"));
    let activated = w
        .partner
        .post_form(&format!("/clients/{id}/activate"), &[])
        .await;
    assert_eq!(activated.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        switch(&w.pat, w.client_org).await.status(),
        StatusCode::SEE_OTHER
    );
    let (status, home) = w.pat.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains(&format!("<h1>{CLIENT}</h1>")));
    assert_eq!(status_of(&w.pat, "/roles").await, StatusCode::FORBIDDEN);

    // Revoking takes Pat's roles away (after a confirmation).
    let (status, _) = w
        .partner
        .page(&format!("/clients/{id}/users/{}/revoke", w.pat_membership))
        .await;
    assert_eq!(status, StatusCode::OK);
    let revoked = w
        .partner
        .post_form(
            &format!("/clients/{id}/users/{}/revoke", w.pat_membership),
            &[],
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    let (_, home) = w.pat.page("/").await;
    assert!(!home.contains("via Analytical Engines"));
    assert_eq!(
        authorize(&w.partner, id, &[(w.pat_membership, w.support)])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    // Deleting needs the typed word, then everything goes.
    let (status, _) = w.partner.page(&format!("/clients/{id}/delete")).await;
    assert_eq!(status, StatusCode::OK);
    let wrong = w
        .partner
        .post_form(&format!("/clients/{id}/delete"), &[("confirm", "delete")])
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(partnership_status(&w.app, id).is_some());
    let deleted = w
        .partner
        .post_form(&format!("/clients/{id}/delete"), &[("confirm", "DELETE")])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&deleted), "/clients");
    assert_eq!(partnership_status(&w.app, id), None);
    {
        let mut conn = w.app.pool.get().unwrap();
        let grants: i64 = partnership_grants::table
            .filter(partnership_grants::partnership_id.eq(id))
            .count()
            .get_result(&mut conn)
            .unwrap();
        let rules: i64 = partnership_roles::table
            .filter(partnership_roles::partnership_id.eq(id))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!((grants, rules), (0, 0));
    }
    let (_, home) = w.pat.page("/").await;
    assert!(!home.contains(CLIENT));
    assert_eq!(
        switch(&w.pat, w.client_org).await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, list) = w.client.page("/my-partner").await;
    assert!(list.contains("No partner yet."));
    assert_eq!(
        status_of(&w.client, &format!("/my-partner/{id}")).await,
        StatusCode::NOT_FOUND
    );

    // Every step, in both organizations where it concerns both.
    let expected_both = [
        "client-token.accepted",
        "client-token.user-authorized",
        "client-token.user-edited",
        "client-token.rules-changed",
        "client-token.rules-changed",
        "client-token.suspended",
        "client-token.resumed",
        "client-token.deactivated",
        "client-token.activated",
        "client-token.user-revoked",
        "client-token.user-authorized",
        "client-token.deleted",
    ];
    let mut expected_partner = vec!["client-token.created"];
    expected_partner.extend(expected_both);
    assert_eq!(actions(&w.app, w.partner_org), expected_partner);
    assert_eq!(actions(&w.app, w.client_org), expected_both.to_vec());
}

#[tokio::test]
async fn the_client_ends_a_partnership_for_good_with_a_typed_word() {
    let w = world().await;
    let token = add_token(&w.partner).await;
    let id = accept(&w.client, &token, &[w.operators]).await;
    assert_eq!(
        authorize(&w.partner, id, &[(w.pat_membership, w.operators)])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        switch(&w.pat, w.client_org).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(status_of(&w.pat, "/roles").await, StatusCode::OK);

    let (status, page) = w.client.page(&format!("/my-partner/{id}/end")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Type END to confirm"));
    assert!(page.contains("One partner user loses access."));
    let wrong = w
        .client
        .post_form(&format!("/my-partner/{id}/end"), &[("confirm", "end")])
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(partnership_status(&w.app, id).as_deref(), Some("active"));
    let ended = w
        .client
        .post_form(&format!("/my-partner/{id}/end"), &[("confirm", "END")])
        .await;
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    assert_eq!(partnership_status(&w.app, id).as_deref(), Some("ended"));
    assert_eq!(status_of(&w.pat, "/roles").await, StatusCode::FORBIDDEN);
    let (_, home) = w.pat.page("/").await;
    assert!(!home.contains("via Analytical Engines"));

    // Irreversible: nothing switches it back on, and nobody can be authorized again.
    let (_, page) = w.client.page(&format!("/my-partner/{id}")).await;
    assert!(page.contains("Partnership ended."));
    assert!(page.contains("This partnership has ended and cannot be resumed."));
    for action in ["resume", "suspend"] {
        w.client
            .post_form(&format!("/my-partner/{id}/{action}"), &[])
            .await;
    }
    let again = w
        .client
        .post_form(&format!("/my-partner/{id}/end"), &[("confirm", "END")])
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let rules = w
        .client
        .post_form(
            &format!("/my-partner/{id}/rules"),
            &[("role_id", &w.support.to_string())],
        )
        .await;
    assert_eq!(rules.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for path in ["activate", "deactivate"] {
        w.partner
            .post_form(&format!("/clients/{id}/{path}"), &[])
            .await;
    }
    assert_eq!(partnership_status(&w.app, id).as_deref(), Some("ended"));
    let refused = authorize(&w.partner, id, &[(w.pat_membership, w.operators)]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, details) = w.partner.page(&format!("/clients/{id}")).await;
    assert!(details.contains("The client ended this partnership."));
    {
        let mut conn = w.app.pool.get().unwrap();
        let grants: i64 = partnership_grants::table
            .filter(partnership_grants::partnership_id.eq(id))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(grants, 0, "ending deletes every authorization");
    }
    assert!(actions(&w.app, w.client_org).contains(&"client-token.ended".to_owned()));
    assert!(actions(&w.app, w.partner_org).contains(&"client-token.ended".to_owned()));

    // The partner can start again with this client only after deleting the ended token.
    let second = add_token(&w.partner).await;
    w.client.page("/my-partner").await;
    let refused = w
        .client
        .post_form("/my-partner/preview", &[("token", &second)])
        .await;
    assert_unprocessable(refused, "already has a partnership with this partner").await;
    w.partner
        .post_form(&format!("/clients/{id}/delete"), &[("confirm", "DELETE")])
        .await;
    accept(&w.client, &second, &[w.support]).await;
}

#[tokio::test]
async fn tokens_that_cannot_be_accepted_say_why() {
    let w = world().await;
    let client = &w.client;
    client.page("/my-partner").await;
    let refusal = |token: String| async move {
        let response = client
            .post_form("/my-partner/preview", &[("token", &token)])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{token}"
        );
        response.text().await.unwrap()
    };
    assert!(
        refusal(String::new())
            .await
            .contains("Enter the token your partner gave you.")
    );
    assert!(
        refusal("gh_ct_not-a-real-token".into())
            .await
            .contains("This token is not valid.")
    );

    // A partner's own token, entered on its own My Partner page.
    let token = add_token(&w.partner).await;
    w.partner.page("/my-partner").await;
    let own = w
        .partner
        .post_form("/my-partner/preview", &[("token", &token)])
        .await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        own.text()
            .await
            .unwrap()
            .contains("This token belongs to your own organization")
    );

    // Accepting needs at least one role, of this organization.
    let none = client
        .post_form("/my-partner/accept", &[("token", &token)])
        .await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        none.text()
            .await
            .unwrap()
            .contains("Choose at least one role the partner may hand out.")
    );
    let partner_role = role_id(&w.app, w.partner_org, "User");
    let foreign = client
        .post_form(
            "/my-partner/accept",
            &[("token", &token), ("role_id", &partner_role.to_string())],
        )
        .await;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        actions(&w.app, w.client_org),
        Vec::<String>::new(),
        "nothing was accepted"
    );

    // Used by this client: a second client cannot use it; a second token from the same partner
    // is refused (one token per client company).
    accept(client, &token, &[w.support]).await;
    assert!(
        refusal(token.clone())
            .await
            .contains("already has a partnership with this partner")
    );
    let other_org = organization_with_owner(&w.app, "Initech", "ian@initech.example");
    let other = w
        .app
        .signed_in_client("ian@initech.example", ADMIN_PASSWORD)
        .await;
    other.page("/my-partner").await;
    let used = other
        .post_form("/my-partner/preview", &[("token", &token)])
        .await;
    assert_eq!(used.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        used.text()
            .await
            .unwrap()
            .contains("This token has already been used by another organization.")
    );
    let second = add_token(&w.partner).await;
    assert!(
        refusal(second.clone())
            .await
            .contains("already has a partnership with this partner")
    );

    // A pending token the partner deactivated cannot be accepted until it is activated again,
    // and then it is Pending again.
    let second_id: i64 = {
        let mut conn = w.app.pool.get().unwrap();
        partnerships::table
            .filter(partnerships::token_hash.eq(hash_token(&second)))
            .select(partnerships::id)
            .first(&mut conn)
            .unwrap()
    };
    w.partner
        .post_form(&format!("/clients/{second_id}/deactivate"), &[])
        .await;
    assert_eq!(
        partnership_status(&w.app, second_id).as_deref(),
        Some("deactivated")
    );
    let inactive = other
        .post_form("/my-partner/preview", &[("token", &second)])
        .await;
    assert_unprocessable(inactive, "The partner switched this token off.").await;
    w.partner
        .post_form(&format!("/clients/{second_id}/activate"), &[])
        .await;
    assert_eq!(
        partnership_status(&w.app, second_id).as_deref(),
        Some("pending")
    );
    let initech_support = create_role(&w.app, other_org, "Support", &[Permission::Read]);
    accept(&other, &second, &[initech_support]).await;
    let (_, list) = w.partner.page("/clients").await;
    assert!(list.contains("Initech") && list.contains(CLIENT));
}

#[tokio::test]
async fn only_admins_of_partner_organizations_manage_client_tokens() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);

    // Not a partner: the page explains; the rest is refused.
    let (status, page) = admin.page("/clients").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Not available for this organization"));
    assert!(page.contains(&format!("gatehouse partner enable {org}")));
    assert!(!page.contains("href=\"/clients/new\""));
    assert_eq!(
        admin.post_form("/clients", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_of(&admin, "/clients/new").await,
        StatusCode::FORBIDDEN
    );

    // Once enabled, the page offers tokens; htmx gets the content block alone.
    enable_partner(&app, org);
    let (_, page) = admin.page("/clients").await;
    assert!(page.contains("href=\"/clients/new\""));
    assert!(page.contains("href=\"/clients\""), "in the navigation");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("HX-Request", "true".parse().unwrap());
    let fragment = admin.get_with("/clients", headers).await;
    assert_eq!(fragment.status(), StatusCode::OK);
    let fragment = fragment.text().await.unwrap();
    assert!(fragment.contains("<h1>My Clients</h1>") && !fragment.contains("<html"));

    // Members without Admin get 403 on both sides.
    add_member(&app, org, "bob@example.com", &["User"]);
    let bob = app
        .signed_in_client("bob@example.com", ADMIN_PASSWORD)
        .await;
    for path in ["/clients", "/clients/new", "/my-partner"] {
        assert_eq!(status_of(&bob, path).await, StatusCode::FORBIDDEN, "{path}");
    }
    bob.page("/").await;
    assert_eq!(
        bob.post_form("/clients", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        bob.post_form("/my-partner/preview", &[("token", "gh_ct_x")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn another_organizations_ids_answer_404_on_both_sides() {
    let w = world().await;
    let token = add_token(&w.partner).await;
    let id = accept(&w.client, &token, &[w.support]).await;

    // A second partner and a second client, strangers to this partnership.
    let stranger_org = organization_with_owner(&w.app, "Umbrella", "uma@umbrella.example");
    enable_partner(&w.app, stranger_org);
    let stranger = w
        .app
        .signed_in_client("uma@umbrella.example", ADMIN_PASSWORD)
        .await;
    stranger.page("/").await;
    for path in [
        format!("/clients/{id}"),
        format!("/clients/{id}/deactivate"),
        format!("/clients/{id}/delete"),
        format!("/clients/{id}/users/{}", w.pat_membership),
        format!("/my-partner/{id}"),
        format!("/my-partner/{id}/end"),
    ] {
        assert_eq!(
            status_of(&stranger, &path).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for (path, fields) in [
        (format!("/clients/{id}/deactivate"), vec![]),
        (format!("/clients/{id}/activate"), vec![]),
        (format!("/clients/{id}/delete"), vec![("confirm", "DELETE")]),
        (format!("/clients/{id}/delete"), vec![("confirm", "no")]),
        (format!("/clients/{id}/users"), vec![("grant", "1:1")]),
        (format!("/my-partner/{id}/suspend"), vec![]),
        (format!("/my-partner/{id}/end"), vec![("confirm", "END")]),
        (format!("/my-partner/{id}/end"), vec![("confirm", "no")]),
    ] {
        let response = stranger.post_form(&path, &fields).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(partnership_status(&w.app, id).as_deref(), Some("active"));

    // The client is not the partner, and the partner is not the client.
    assert_eq!(
        status_of(&w.partner, &format!("/my-partner/{id}")).await,
        StatusCode::NOT_FOUND
    );
    enable_partner(&w.app, w.client_org);
    assert_eq!(
        status_of(&w.client, &format!("/clients/{id}")).await,
        StatusCode::NOT_FOUND
    );

    // The partner cannot authorize someone who is not its member.
    let outsider = add_member(&w.app, stranger_org, "olga@umbrella.example", &["User"]);
    let response = authorize(&w.partner, id, &[(outsider, w.support)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_clients_policies_apply_to_partner_users_inside_it() {
    use gatehouse::domain::policy::{self, TwoFactorMode};
    let w = world().await;
    let token = add_token(&w.partner).await;
    let id = accept(&w.client, &token, &[w.support]).await;
    authorize(&w.partner, id, &[(w.pat_membership, w.support)]).await;

    // The IP allow-list: Pat's address (127.0.0.1) is not in it.
    {
        let mut conn = w.app.pool.get().unwrap();
        let mut rules = policy::load(&mut conn, w.client_org).unwrap();
        rules.ip_allow_list = vec!["198.51.100.0/24".to_owned()];
        policy::save(&mut conn, w.client_org, &rules, &test_actor(&w.app)).unwrap();
    }
    assert_eq!(
        switch(&w.pat, w.client_org).await.status(),
        StatusCode::FORBIDDEN
    );

    // Two-factor: switching in asks for the code first.
    {
        let mut conn = w.app.pool.get().unwrap();
        let mut rules = policy::load(&mut conn, w.client_org).unwrap();
        rules.ip_allow_list = Vec::new();
        rules.two_factor_mode = TwoFactorMode::Always;
        policy::save(&mut conn, w.client_org, &rules, &test_actor(&w.app)).unwrap();
    }
    let switched = switch(&w.pat, w.client_org).await;
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&switched), "/two-factor");
}

#[tokio::test]
async fn guessing_tokens_is_limited_per_admin() {
    let w = world().await;
    let token = add_token(&w.partner).await;
    let client = &w.client;
    client.page("/my-partner").await;
    let preview = |token: String| async move {
        let response = client
            .post_form("/my-partner/preview", &[("token", &token)])
            .await;
        let status = response.status();
        (status, response.text().await.unwrap())
    };
    // Known tokens, and refusals of a known token, give their attempt back.
    for _ in 0..12 {
        let (status, _) = preview(token.clone()).await;
        assert_eq!(status, StatusCode::OK);
    }
    for n in 0..10 {
        let (status, page) = preview(format!("gh_ct_guess{n}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("This token is not valid."));
    }
    // Locked: the real token is not looked up, neither to preview nor to accept.
    let (status, page) = preview(token.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Too many tokens that were not valid."));
    let accepted = client
        .post_form(
            "/my-partner/accept",
            &[("token", &token), ("role_id", &w.support.to_string())],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Another admin of the client is not locked out by this one.
    w.app.clock.advance(time::Duration::minutes(1));
    let (status, _) = preview(token.clone()).await;
    assert_eq!(status, StatusCode::OK, "the lock passes");
    accept(client, &token, &[w.support]).await;
}
