//! Single sign-on against a real OpenID Connect provider (oidc-provider, started per test):
//! testing and turning on the connection, signing in through it, a wrong email_verified, a
//! mismatched email, a replayed or foreign state, a wrong nonce, the bypass list, the rule
//! that nobody is in an SSO organization and a non-SSO one, and which policies still apply.

use diesel::prelude::*;
use gatehouse::clock::Clock;
use gatehouse::db::schema::{accounts, audit_events, memberships, sso_requests};
use gatehouse::domain::audit::Actor;
use gatehouse::domain::ids::OrganizationId;
use gatehouse::domain::organization;
use gatehouse::domain::policy::{self, Policy, TwoFactorMode};
use reqwest::StatusCode;
use time::Duration;

use crate::helpers::*;
use crate::oidc_provider::{
    CLIENT_ID, CLIENT_SECRET, OidcProvider, callback_from_provider, sign_in_at_provider,
};

fn settings_form(provider: &OidcProvider) -> Vec<(&'static str, String)> {
    vec![
        ("issuer_url", provider.issuer.clone()),
        ("client_id", CLIENT_ID.to_owned()),
        ("client_secret", CLIENT_SECRET.to_owned()),
        ("email_claim", "email".to_owned()),
    ]
}

async fn post(client: &TestClient, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form(path, &fields).await
}

/// The admin tests the connection (signing in at the provider as themselves) and turns SSO on.
async fn turn_on_sso(admin: &TestClient, provider: &OidcProvider) {
    admin.page("/policies/sso").await;
    let started = post(admin, "/policies/sso/test", &settings_form(provider)).await;
    let (_, tested) = sign_in_at_provider(admin, started, ADMIN_EMAIL).await;
    assert_eq!(tested.status(), StatusCode::OK);
    let page = tested.text().await.unwrap();
    assert!(page.contains("The provider signed you in"), "{page}");
    assert!(page.contains("email_verified"), "the claims are listed");
    admin.remember_csrf(&page);
    let enabled = admin
        .post_form("/policies/sso/enabled", &[("enabled", "true")])
        .await;
    assert_eq!(enabled.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page("/policies/sso").await;
    assert!(page.contains("Single sign-on is on"), "{page}");
}

/// Starts a sign-in on the sign-in page with the email only.
async fn start_sign_in(client: &TestClient, email: &str) -> reqwest::Response {
    client.page("/sign-in").await;
    client
        .post_form("/sign-in", &[("email", email), ("password", "")])
        .await
}

fn audit_actions(app: &TestApp, prefix: &str) -> Vec<String> {
    let mut conn = app.pool.get().unwrap();
    audit_events::table
        .filter(audit_events::action.like(format!("{prefix}%")))
        .order(audit_events::id.asc())
        .select(audit_events::action)
        .load(&mut conn)
        .unwrap()
}

fn set_policy(app: &TestApp, organization_id: OrganizationId, change: impl FnOnce(&mut Policy)) {
    let mut conn = app.pool.get().unwrap();
    let mut policy = policy::load(&mut conn, organization_id).unwrap();
    change(&mut policy);
    policy::save(&mut conn, organization_id, &policy, &test_actor(app)).unwrap();
}

#[tokio::test]
async fn a_tested_connection_is_turned_on_and_members_sign_in_through_the_provider() {
    let provider = OidcProvider::start();
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    // Enabling before any test is refused.
    admin.page("/policies/sso").await;
    let early = admin
        .post_form("/policies/sso/enabled", &[("enabled", "true")])
        .await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    turn_on_sso(&admin, &provider).await;
    // Someone invited now joins at their first sign-in through the provider (below).
    let (_, _) = admin.page("/users/new").await;
    let user_role = role_id(&app, organization_id, "User").to_string();
    let invited = admin
        .post_form(
            "/users",
            &[("email", "new.hire@example.com"), ("role_id", &user_role)],
        )
        .await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);

    // The password rules, expiry and the emailed two-factor code do not apply under SSO.
    set_policy(&app, organization_id, |policy| {
        policy.password_expiry_days = 1;
        policy.two_factor_mode = TwoFactorMode::Always;
    });
    app.clock.advance(Duration::days(3));
    let member = app.client();
    let started = start_sign_in(&member, ADMIN_EMAIL).await;
    assert!(location(&started).starts_with(&provider.issuer));
    let (_, back) = sign_in_at_provider(&member, started, ADMIN_EMAIL).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&back), "/");
    assert!(set_cookie(&back, "gh_session").is_some());
    let (status, page) = member.page("/users").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "no code, no new password asked: {page}"
    );
    // A password is not accepted for an SSO member: the email alone leads to the provider.
    let with_password = app.client();
    with_password.page("/sign-in").await;
    let tried = with_password
        .post_form(
            "/sign-in",
            &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert!(location(&tried).starts_with(&provider.issuer));

    let outbox = app
        .wait_for_outbox("the invitation", |messages| {
            messages
                .iter()
                .any(|m| m.text_body.contains("/invitations/"))
        })
        .await;
    let body = &outbox
        .iter()
        .find(|m| m.text_body.contains("/invitations/"))
        .unwrap()
        .text_body;
    let link = body[body.find("/invitations/").unwrap()..]
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap()
        .to_owned();
    let newcomer = app.client();
    let (status, page) = newcomer.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Continue to your identity provider"),
        "{page}"
    );
    // No password is set through the link of an organization with single sign-on.
    let registered = newcomer
        .post_form(
            &link,
            &[
                ("name", "New Hire"),
                ("password", "a long enough password!"),
                ("password_confirmation", "a long enough password!"),
            ],
        )
        .await;
    assert_eq!(registered.status(), StatusCode::CONFLICT);
    let started = start_sign_in(&newcomer, "new.hire@example.com").await;
    let (_, back) = sign_in_at_provider(&newcomer, started, "new.hire@example.com").await;
    assert_eq!(location(&back), "/");
    let (status, _) = newcomer.page("/").await;
    assert_eq!(status, StatusCode::OK);
    let status: String = memberships::table
        .inner_join(accounts::table)
        .filter(accounts::email.eq("new.hire@example.com"))
        .select(memberships::status)
        .first(&mut app.pool.get().unwrap())
        .unwrap();
    assert_eq!(status, "active");
    assert_eq!(
        audit_actions(&app, "sso."),
        ["sso.settings-changed", "sso.enabled"]
    );
}

#[tokio::test]
async fn the_provider_must_vouch_for_the_same_verified_email() {
    let provider = OidcProvider::start();
    let (app, admin) = spawn_app_with_admin().await;
    turn_on_sso(&admin, &provider).await;

    let client = app.client();
    let started = start_sign_in(&client, ADMIN_EMAIL).await;
    let (_, back) =
        sign_in_at_provider(&client, started, &format!("unverified:{ADMIN_EMAIL}")).await;
    assert_eq!(back.status(), StatusCode::FORBIDDEN);
    assert!(
        back.text()
            .await
            .unwrap()
            .contains("has not verified your email")
    );

    let client = app.client();
    let started = start_sign_in(&client, ADMIN_EMAIL).await;
    let (_, back) = sign_in_at_provider(&client, started, "someone.else@example.com").await;
    assert_eq!(back.status(), StatusCode::FORBIDDEN);
    assert!(back.text().await.unwrap().contains("a different person"));
    assert!(
        !location(&client.get("/users").await).is_empty(),
        "not signed in"
    );
}

#[tokio::test]
async fn a_state_works_once_in_the_browser_that_started_it_and_the_nonce_is_checked() {
    let provider = OidcProvider::start();
    let (app, admin) = spawn_app_with_admin().await;
    turn_on_sso(&admin, &provider).await;

    let client = app.client();
    let started = start_sign_in(&client, ADMIN_EMAIL).await;
    let (callback, back) = sign_in_at_provider(&client, started, ADMIN_EMAIL).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    // Replayed: the state was used.
    let replayed = client.get(&callback).await;
    assert_eq!(replayed.status(), StatusCode::BAD_REQUEST);
    assert!(replayed.text().await.unwrap().contains("already used"));

    // Finished in another browser (login CSRF): refused, and the round trip is spent.
    let attacker = app.client();
    let started = start_sign_in(&attacker, ADMIN_EMAIL).await;
    let forged = callback_from_provider(&attacker, started, ADMIN_EMAIL).await;
    let victim = app.client();
    let refused = victim.get(&forged).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        attacker.get(&forged).await.status(),
        StatusCode::BAD_REQUEST
    );

    // A token minted for another request: its nonce does not match the one stored.
    let client = app.client();
    let started = start_sign_in(&client, ADMIN_EMAIL).await;
    diesel::update(sso_requests::table)
        .set(sso_requests::nonce.eq("not-the-nonce-sent"))
        .execute(&mut app.pool.get().unwrap())
        .unwrap();
    let (_, back) = sign_in_at_provider(&client, started, ADMIN_EMAIL).await;
    assert_eq!(back.status(), StatusCode::BAD_GATEWAY);
    assert!(back.text().await.unwrap().contains("did not sign you in"));
}

#[tokio::test]
async fn bypassed_members_sign_in_with_their_password_and_two_factor() {
    let provider = OidcProvider::start();
    let (app, admin, sink) = spawn_app_with_sink().await;
    let organization_id = first_organization_id(&app);
    add_member(&app, organization_id, "contractor@example.com", &["User"]);
    turn_on_sso(&admin, &provider).await;

    // Only members can be added; the change is saved at once and audited.
    let (_, _) = admin.page("/policies/sso").await;
    let stranger = admin
        .post_form("/policies/sso/bypass", &[("email", "nobody@example.com")])
        .await;
    assert_eq!(stranger.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let added = admin
        .post_form(
            "/policies/sso/bypass",
            &[("email", "Contractor@example.com")],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    set_policy(&app, organization_id, |policy| {
        policy.two_factor_mode = TwoFactorMode::Always;
    });

    let contractor = app.client();
    let signed_in = contractor
        .sign_in("contractor@example.com", ADMIN_PASSWORD)
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&contractor.get("/").await), "/two-factor");
    contractor.page("/two-factor").await;
    sink.wait_for_messages(1).await;

    admin.page("/policies/sso").await;
    let removed = admin
        .post_form(
            "/policies/sso/bypass/remove",
            &[("email", "contractor@example.com")],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let again = app.client();
    let started = start_sign_in(&again, "contractor@example.com").await;
    assert!(location(&started).starts_with(&provider.issuer));
    assert_eq!(
        audit_actions(&app, "sso.bypass"),
        ["sso.bypass-added", "sso.bypass-removed"]
    );
}

#[tokio::test]
async fn nobody_is_in_an_sso_organization_and_a_non_sso_one() {
    let provider = OidcProvider::start();
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    add_member(&app, organization_id, "both@example.com", &["User"]);
    let other = {
        let mut conn = app.pool.get().unwrap();
        let owner = admin_account_id(&app);
        let actor = Actor::person(owner, None, app.clock.now());
        organization::create_with_owner(&mut conn, "Other Co", owner, &actor).unwrap()
    };
    add_member(&app, other.id, "both@example.com", &["User"]);

    // Enabling lists the members who block it (the admin is in both organizations too).
    admin.page("/policies/sso").await;
    let started = post(&admin, "/policies/sso/test", &settings_form(&provider)).await;
    let (_, tested) = sign_in_at_provider(&admin, started, ADMIN_EMAIL).await;
    admin.remember_csrf(&tested.text().await.unwrap());
    let refused = admin
        .post_form("/policies/sso/enabled", &[("enabled", "true")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("both@example.com"), "{page}");
    assert!(page.contains(ADMIN_EMAIL));

    // Bypassing them lets it on; then inviting a member of the SSO organization into the other
    // one is refused, unless bypassed.
    for email in ["both@example.com", ADMIN_EMAIL] {
        admin
            .post_form("/policies/sso/bypass", &[("email", email)])
            .await;
    }
    add_member(&app, organization_id, "sso.only@example.com", &["User"]);
    let enabled = admin
        .post_form("/policies/sso/enabled", &[("enabled", "true")])
        .await;
    assert_eq!(enabled.status(), StatusCode::SEE_OTHER);
    admin
        .post_form(
            "/organizations/switch",
            &[("organization_id", &other.id.to_string())],
        )
        .await;
    let (_, _) = admin.page("/users/new").await;
    let user_role = role_id(&app, other.id, "User").to_string();
    let invited = admin
        .post_form(
            "/users",
            &[("email", "sso.only@example.com"), ("role_id", &user_role)],
        )
        .await;
    assert_eq!(invited.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        invited
            .text()
            .await
            .unwrap()
            .contains("signs in through another organization")
    );
}

#[tokio::test]
async fn inactivity_still_applies_to_members_who_sign_in_through_the_provider() {
    let provider = OidcProvider::start();
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    add_member(&app, organization_id, "idle@example.com", &["User"]);
    set_policy(&app, organization_id, |policy| policy.inactivity_days = 30);
    turn_on_sso(&admin, &provider).await;

    app.clock.advance(Duration::days(31));
    let idle = app.client();
    let started = start_sign_in(&idle, "idle@example.com").await;
    sign_in_at_provider(&idle, started, "idle@example.com").await;
    let status: String = memberships::table
        .inner_join(accounts::table)
        .filter(accounts::email.eq("idle@example.com"))
        .select(memberships::status)
        .first(&mut app.pool.get().unwrap())
        .unwrap();
    assert_eq!(status, "inactive");
    let (status, _) = idle.page("/users").await;
    assert_ne!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_api_reads_and_changes_single_sign_on_and_tokens_keep_working_under_it() {
    use reqwest::Method;
    let provider = OidcProvider::start();
    let (app, admin) = spawn_app_with_admin().await;
    let token = owner_token_named(&app, "sso script");
    let shown: serde_json::Value = api_call(&app, &token, Method::GET, "/api/v1/sso", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["enabled"], false);
    assert_eq!(shown["has_client_secret"], false);

    let bad = api_call(
        &app,
        &token,
        Method::PATCH,
        "/api/v1/sso",
        Some(serde_json::json!({"issuer_url": "http://id.example.com", "client_id": "x", "client_secret": "y"})),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let saved = api_call(
        &app,
        &token,
        Method::PATCH,
        "/api/v1/sso",
        Some(serde_json::json!({
            "issuer_url": provider.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        })),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: serde_json::Value = saved.json().await.unwrap();
    assert_eq!(saved["has_client_secret"], true);
    assert!(
        saved.get("client_secret").is_none(),
        "the secret is write-only"
    );
    assert!(saved["tested_at"].is_null());
    // Untested settings cannot be turned on.
    let refused = api_call(
        &app,
        &token,
        Method::PATCH,
        "/api/v1/sso",
        Some(serde_json::json!({"enabled": true})),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Tested on the page (the secret kept as saved), then on through the API.
    admin.page("/policies/sso").await;
    let started = admin
        .post_form(
            "/policies/sso/test",
            &[
                ("issuer_url", provider.issuer.as_str()),
                ("client_id", CLIENT_ID),
                ("client_secret", ""),
                ("email_claim", "email"),
            ],
        )
        .await;
    let (_, tested) = sign_in_at_provider(&admin, started, ADMIN_EMAIL).await;
    assert_eq!(tested.status(), StatusCode::OK);
    let on = api_call(
        &app,
        &token,
        Method::PATCH,
        "/api/v1/sso",
        Some(serde_json::json!({"enabled": true})),
    )
    .await;
    assert_eq!(on.status(), StatusCode::OK);
    let on: serde_json::Value = on.json().await.unwrap();
    assert_eq!(on["enabled"], true);
    assert!(on["tested_at"].is_string());

    let path = format!("/api/v1/sso/bypass/{ADMIN_EMAIL}");
    let added = api_call(&app, &token, Method::PUT, &path, None).await;
    assert_eq!(added.status(), StatusCode::NO_CONTENT);
    let shown: serde_json::Value = api_call(&app, &token, Method::GET, "/api/v1/sso", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["bypass"], serde_json::json!([ADMIN_EMAIL]));
    let stranger = api_call(
        &app,
        &token,
        Method::PUT,
        "/api/v1/sso/bypass/nobody@example.com",
        None,
    )
    .await;
    assert_eq!(stranger.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        api_call(&app, &token, Method::DELETE, &path, None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api_call(&app, &token, Method::DELETE, &path, None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
