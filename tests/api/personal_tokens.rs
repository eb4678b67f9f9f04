//! Personal access tokens and the JSON API, through HTTP with real tokens made on the profile
//! page: the token's lifecycle, scopes, the intersection with the owner's rights now, who may
//! revoke, the rate limit (shared by two instances on one database), problem documents, cursors,
//! ETags and idempotency.

use std::sync::Arc;

use gatehouse::clock::{Clock, ManualClock};
use gatehouse::domain::ids::OrganizationId;
use gatehouse::domain::permission::Permission;
use gatehouse::startup::Application;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// Creates a token on the profile page and returns its secret, read from the page.
async fn create_token(
    client: &TestClient,
    organization_id: OrganizationId,
    scope: &str,
    expiry: &str,
) -> String {
    let (_, page) = client.page("/profile/tokens").await;
    client.remember_csrf(&page);
    let response = client
        .post_form(
            "/profile/tokens",
            &[
                ("name", "Nightly sync"),
                ("organization_id", &organization_id.to_string()),
                ("expiry", expiry),
                ("scope", scope),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let html = response.text().await.unwrap();
    secret_in(&html).expect("the new token is shown")
}

fn secret_in(html: &str) -> Option<String> {
    let start = html.find("value=\"gh_pat_")? + "value=\"".len();
    Some(html[start..start + 43].to_owned())
}

fn api(app: &TestApp) -> reqwest::Client {
    let _ = app;
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    api_call(app, token, reqwest::Method::GET, path, None).await
}

/// A second instance on the same database (and clock), as behind a load balancer; its address.
async fn second_instance(app: &TestApp) -> String {
    let mut settings = test_settings(&app.database);
    settings.bind = "127.0.0.1:0".into();
    let clock: Arc<ManualClock> = app.clock.clone();
    let second = Application::build(settings, clock).await.unwrap();
    let address = format!("http://127.0.0.1:{}", second.port());
    tokio::spawn(second.run_until_stopped());
    address
}

async fn organization_from(client: &reqwest::Client, base: &str, token: &str) -> reqwest::Response {
    client
        .get(format!("{base}/api/v1/organization"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn problem_type(response: reqwest::Response) -> String {
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    body["type"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_token_is_shown_once_and_acts_in_its_organization() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read", "30").await;
    assert!(gatehouse::crypto::personal_token::is_well_formed(&token));

    let (_, list) = admin.page("/profile/tokens").await;
    assert!(!list.contains(&token), "the secret is shown only once");
    assert!(list.contains("Nightly sync"));

    let response = get(&app, &token, "/api/v1/organization").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("set-cookie").is_none());
    assert_eq!(
        response.headers().get("ratelimit-policy").unwrap(),
        "\"token\";q=30;w=60"
    );
    assert!(
        response
            .headers()
            .get("ratelimit")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("\"token\";r=29;t=")
    );
    assert_eq!(
        response.headers().get("x-ratelimit-remaining").unwrap(),
        "29"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["name"], ORGANIZATION);
    assert_eq!(body["id"], organization_id.get());

    // The list shows when and from where it was used.
    let (_, list) = admin.page("/profile/tokens").await;
    assert!(list.contains("127.0.0.1"));

    let tokens: Value = get(&app, &token, "/api/v1/tokens")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(tokens["data"][0]["scopes"], json!(["read"]));
    assert_eq!(tokens["data"][0]["current"], true);
    assert!(!tokens.to_string().contains(&token));
}

#[tokio::test]
async fn requests_without_a_valid_token_are_refused_as_problems() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let no_token = api(&app)
        .get(format!("{}/api/v1/organization", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    assert!(no_token.headers().get("www-authenticate").is_some());
    assert_eq!(
        problem_type(no_token).await,
        "urn:gatehouse:problem:unauthorized"
    );

    // A session cookie is no way in.
    let with_cookie = admin.get("/api/v1/organization").await;
    assert_eq!(with_cookie.status(), StatusCode::UNAUTHORIZED);

    let token = create_token(&admin, organization_id, "read", "7").await;
    let mut tampered = token.clone();
    tampered.replace_range(10..11, if &token[10..11] == "A" { "B" } else { "A" });
    assert_eq!(
        get(&app, &tampered, "/api/v1/organization").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let unknown = get(&app, &token, "/api/v1/nowhere").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        problem_type(unknown).await,
        "urn:gatehouse:problem:not-found"
    );

    let bad_json = api(&app)
        .post(format!("{}/api/v1/roles", app.address))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    // A read token may not write at all; the scope is checked before the body is read.
    assert_eq!(bad_json.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        problem_type(bad_json).await,
        "urn:gatehouse:problem:insufficient-scope"
    );
}

#[tokio::test]
async fn failed_authentications_are_limited_per_address() {
    let (app, _admin) = spawn_app_with_admin().await;
    let bogus = gatehouse::crypto::personal_token::generate();
    for _ in 0..10 {
        assert_eq!(
            get(&app, &bogus, "/api/v1/organization").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = get(&app, &bogus, "/api/v1/organization").await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.headers().get("retry-after").is_some());
}

#[tokio::test]
async fn writes_need_the_write_scope_and_follow_the_same_rules_as_the_pages() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let writer = create_token(&admin, organization_id, "read-write", "30").await;
    let created = api_call(
        &app,
        &writer,
        reqwest::Method::POST,
        "/api/v1/roles",
        Some(json!({"name": "Field Agents", "permissions": ["read", "api-access"]})),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = created
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let role: Value = created.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/roles/{}", role["id"]));
    assert_eq!(role["permissions"], json!(["read", "api-access"]));

    // The same name again: the page's rule, as a problem with a stable type.
    let taken = api_call(
        &app,
        &writer,
        reqwest::Method::POST,
        "/api/v1/roles",
        Some(json!({"name": "field agents", "permissions": ["read"]})),
    )
    .await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem_type(taken)
            .await
            .starts_with("urn:gatehouse:problem:role-name")
    );

    let invalid = api_call(
        &app,
        &writer,
        reqwest::Method::POST,
        "/api/v1/roles",
        Some(json!({"name": " ", "permissions": []})),
    )
    .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = invalid.json().await.unwrap();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["name", "permissions"]);

    // The audit event names the token.
    use diesel::prelude::*;
    use gatehouse::db::schema::audit_events;
    let mut conn = app.pool.get().unwrap();
    let token_ids: Vec<Option<i64>> = audit_events::table
        .filter(audit_events::action.eq("role.created"))
        .select(audit_events::actor_token_id)
        .load(&mut conn)
        .unwrap();
    assert!(matches!(token_ids.as_slice(), [Some(_)]));
}

#[tokio::test]
async fn a_token_never_exceeds_its_owners_rights_now() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    create_role(
        &app,
        organization_id,
        "Integrators",
        &[Permission::Admin, Permission::ApiAccess],
    );
    let membership_id = add_member(&app, organization_id, "ian@example.com", &["Integrators"]);
    let ian = app
        .signed_in_client("ian@example.com", ADMIN_PASSWORD)
        .await;
    let token = create_token(&ian, organization_id, "read", "30").await;
    assert_eq!(
        get(&app, &token, "/api/v1/roles").await.status(),
        StatusCode::OK
    );

    // The owner switches the role off on the console: the next request is refused.
    let role = role_id(&app, organization_id, "Integrators");
    let (_, page) = admin.page("/roles").await;
    admin.remember_csrf(&page);
    let response = admin
        .post_form(
            &format!("/roles/{role}/deactivate"),
            &[("confirm", "DEACTIVATE")],
        )
        .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let refused = get(&app, &token, "/api/v1/roles").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Removed from the organization: refused too.
    let mut conn = app.pool.get().unwrap();
    gatehouse::domain::membership::remove(
        &mut conn,
        organization_id,
        membership_id,
        &test_actor(&app),
    )
    .unwrap();
    let removed = get(&app, &token, "/api/v1/organization").await;
    assert_eq!(removed.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        problem_type(removed).await,
        "urn:gatehouse:problem:membership-ended"
    );
}

#[tokio::test]
async fn only_members_with_api_access_may_create_tokens() {
    let (app, _admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    create_role(&app, organization_id, "Readers", &[Permission::Read]);
    add_member(&app, organization_id, "rita@example.com", &["Readers"]);
    let rita = app
        .signed_in_client("rita@example.com", ADMIN_PASSWORD)
        .await;
    let (_, page) = rita.page("/profile/tokens").await;
    assert!(page.contains("API access"));
    rita.remember_csrf(&page);
    let refused = rita
        .post_form(
            "/profile/tokens",
            &[
                ("name", "Mine"),
                ("organization_id", &organization_id.to_string()),
                ("expiry", "7"),
                ("scope", "read"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(secret_in(&html).is_none());
}

#[tokio::test]
async fn expiry_is_bounded_by_the_organization_and_ends_the_token() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let organization_id = first_organization_id(&app);
    let (_, page) = admin.page("/profile/tokens").await;
    admin.remember_csrf(&page);
    let too_far = time::OffsetDateTime::now_utc().date() + time::Duration::days(400);
    let refused = admin
        .post_form(
            "/profile/tokens",
            &[
                ("name", "Forever"),
                ("organization_id", &organization_id.to_string()),
                ("expiry", "date"),
                ("expires_on", &too_far.to_string()),
                ("scope", "read"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("at most 366 days"));

    let token = create_token(&admin, organization_id, "read", "7").await;
    // A week before the end the owner is told, once, through the outbox.
    let settings = gatehouse::config::Settings::with_database_url(&app.database.url);
    let mut conn = app.pool.get().unwrap();
    let queued =
        gatehouse::app::tokens::send_expiry_notices(&settings, app.clock.now(), &mut conn).unwrap();
    assert_eq!(queued, 1);
    let again =
        gatehouse::app::tokens::send_expiry_notices(&settings, app.clock.now(), &mut conn).unwrap();
    assert_eq!(again, 0);
    let messages = sink.wait_for_messages(1).await;
    assert!(
        messages[0]
            .text
            .as_deref()
            .unwrap()
            .contains("Nightly sync")
    );

    app.clock
        .advance(time::Duration::days(7) + time::Duration::minutes(1));
    let expired = get(&app, &token, "/api/v1/organization").await;
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    let body: Value = expired.json().await.unwrap();
    assert_eq!(body["detail"], "The token has expired.");
}

#[tokio::test]
async fn admins_revoke_members_tokens_but_only_the_owner_revokes_the_owners() {
    let (app, owner, sink) = spawn_app_with_sink().await;
    let organization_id = first_organization_id(&app);
    let owner_token = create_token(&owner, organization_id, "read", "30").await;
    let owner_membership = {
        use diesel::prelude::*;
        use gatehouse::db::schema::memberships;
        let mut conn = app.pool.get().unwrap();
        memberships::table
            .filter(memberships::account_id.eq(admin_account_id(&app)))
            .select(memberships::id)
            .first::<gatehouse::domain::ids::MembershipId>(&mut conn)
            .unwrap()
    };
    let ben_membership = add_member(&app, organization_id, "ben@example.com", &["Administrator"]);
    let ben = app
        .signed_in_client("ben@example.com", ADMIN_PASSWORD)
        .await;
    let ben_token = create_token(&ben, organization_id, "read", "30").await;
    let token_id = |secret: &str| {
        use diesel::prelude::*;
        use gatehouse::db::schema::personal_access_tokens;
        let mut conn = app.pool.get().unwrap();
        personal_access_tokens::table
            .filter(
                personal_access_tokens::token_hash.eq(gatehouse::crypto::token::hash_token(secret)),
            )
            .select(personal_access_tokens::id)
            .first::<i64>(&mut conn)
            .unwrap()
    };

    // Ben sees the owner's token in the owner's panel, but may not revoke it.
    let (_, panel) = ben.page(&format!("/users/{owner_membership}/roles")).await;
    assert!(panel.contains("Nightly sync"));
    ben.remember_csrf(&panel);
    let refused = ben
        .post_form(
            &format!(
                "/users/{owner_membership}/tokens/{}/revoke",
                token_id(&owner_token)
            ),
            &[],
        )
        .await;
    assert!(refused.status().is_redirection());
    // Nor through his own tokens page: another account's token is not found there.
    let not_his = ben
        .post_form(
            &format!("/profile/tokens/{}/revoke", token_id(&owner_token)),
            &[],
        )
        .await;
    assert_eq!(not_his.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        get(&app, &owner_token, "/api/v1/organization")
            .await
            .status(),
        StatusCode::OK
    );

    // The owner revokes Ben's: Ben is told by email, and the token stops at once.
    let (_, panel) = owner.page(&format!("/users/{ben_membership}/roles")).await;
    owner.remember_csrf(&panel);
    let revoked = owner
        .post_form(
            &format!(
                "/users/{ben_membership}/tokens/{}/revoke",
                token_id(&ben_token)
            ),
            &[],
        )
        .await;
    assert!(revoked.status().is_redirection());
    let refused = get(&app, &ben_token, "/api/v1/organization").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let messages = sink.wait_for_messages(1).await;
    let notice = messages
        .iter()
        .find(|message| message.to.contains("ben@example.com"))
        .expect("Ben is told");
    let text = notice.text.as_deref().unwrap();
    assert!(text.contains("revoked your personal access token") && text.contains(ADMIN_NAME));

    // Revoke all (an incident) by the owner ends every token, the owner's too.
    let (_, page) = owner.page("/policies/tokens/revoke-all").await;
    owner.remember_csrf(&page);
    owner.post_form("/policies/tokens/revoke-all", &[]).await;
    assert_eq!(
        get(&app, &owner_token, "/api/v1/organization")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_rate_limit_is_shared_by_every_instance_on_the_database() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read", "30").await;

    let second_address = second_instance(&app).await;

    let client = api(&app);
    let mut allowed = 0;
    let mut last = None;
    for index in 0..31 {
        let response =
            organization_from(&client, [&app.address, &second_address][index % 2], &token).await;
        if response.status() == StatusCode::OK {
            allowed += 1;
        }
        last = Some(response);
    }
    assert_eq!(allowed, 30);
    let limited = last.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "{retry}");
    assert_eq!(limited.headers()["x-ratelimit-remaining"], "0");
    assert_eq!(
        problem_type(limited).await,
        "urn:gatehouse:problem:rate-limited"
    );

    // Two seconds later one more request fits (30 a minute is one every 2 s).
    app.clock.advance(time::Duration::seconds(2));
    assert_eq!(
        get(&app, &token, "/api/v1/organization").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn members_are_paged_by_cursor_with_a_link_to_the_next_page() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    for index in 0..6 {
        add_member(
            &app,
            organization_id,
            &format!("m{index}@example.com"),
            &["User"],
        );
    }
    let token = create_token(&admin, organization_id, "read", "30").await;
    let mut path = "/api/v1/members?limit=3&sort=email&order=desc".to_owned();
    let mut emails = Vec::new();
    let mut pages = 0;
    loop {
        let response = get(&app, &token, &path).await;
        assert_eq!(response.status(), StatusCode::OK);
        let link = response
            .headers()
            .get("link")
            .map(|value| value.to_str().unwrap().to_owned());
        let body: Value = response.json().await.unwrap();
        emails.extend(
            body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|member| member["email"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        match link {
            Some(link) => {
                assert!(link.ends_with("; rel=\"next\""));
                path = link[1..link.find('>').unwrap()].to_owned();
                assert_eq!(
                    body["next_cursor"].as_str().unwrap(),
                    url::form_urlencoded::parse(path.split_once('?').unwrap().1.as_bytes())
                        .find(|(name, _)| name == "cursor")
                        .unwrap()
                        .1
                );
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let mut sorted = emails.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(emails, sorted);
    assert_eq!(emails.len(), 7);

    let search: Value = get(&app, &token, "/api/v1/members?q=m3")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(search["data"].as_array().unwrap().len(), 1);

    let bad = get(&app, &token, "/api/v1/members?limit=1000").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = get(&app, &token, "/api/v1/members?cursor=nonsense").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn updates_with_a_stale_etag_are_refused() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read-write", "30").await;
    let role = create_role(&app, organization_id, "Support", &[Permission::Read]);
    let path = format!("/api/v1/roles/{role}");
    let read = get(&app, &token, &path).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();

    let patch = |if_match: String, name: &'static str| {
        let (client, url, token) = (api(&app), format!("{}{path}", app.address), token.clone());
        async move {
            client
                .patch(url)
                .bearer_auth(token)
                .header("if-match", if_match)
                .json(&json!({ "name": name }))
                .send()
                .await
                .unwrap()
        }
    };
    let first = patch(etag.clone(), "Support Team").await;
    assert_eq!(first.status(), StatusCode::OK);
    let new_etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    // A second writer still holding the old ETag loses.
    let stale = patch(etag, "Helpdesk").await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        problem_type(stale).await,
        "urn:gatehouse:problem:precondition-failed"
    );
    let body: Value = get(&app, &token, &path).await.json().await.unwrap();
    assert_eq!(body["name"], "Support Team");
}

#[tokio::test]
async fn a_retried_post_with_an_idempotency_key_acts_once() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read-write", "30").await;
    let post = |key: &'static str, name: &'static str| {
        let (client, url, token) = (
            api(&app),
            format!("{}/api/v1/roles", app.address),
            token.clone(),
        );
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .header("idempotency-key", key)
                .json(&json!({"name": name, "permissions": ["read"]}))
                .send()
                .await
                .unwrap()
        }
    };
    let first = post("create-ops-1", "Ops").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first_body: Value = first.json().await.unwrap();
    let retry = post("create-ops-1", "Ops").await;
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(retry.json::<Value>().await.unwrap(), first_body);
    let other = post("create-ops-1", "Other").await;
    assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem_type(other).await,
        "urn:gatehouse:problem:idempotency-key-reused"
    );
    let roles: Value = get(&app, &token, "/api/v1/roles")
        .await
        .json()
        .await
        .unwrap();
    let named_ops = roles["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|role| role["name"] == "Ops")
        .count();
    assert_eq!(named_ops, 1);
}

#[tokio::test]
async fn members_are_invited_changed_and_removed_through_the_api() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read-write", "30").await;
    let member_role = role_id(&app, organization_id, "User");
    let support = create_role(&app, organization_id, "Support", &[Permission::Read]);
    let invited = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/members",
        Some(json!({"email": "new.person@example.com", "role_ids": [member_role.get()]})),
    )
    .await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let member: Value = invited.json().await.unwrap();
    assert_eq!(member["status"], "pending");
    sink.wait_for_messages(1).await;

    let path = format!("/api/v1/members/{}", member["id"]);
    let resent = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("{path}/invitation"),
        None,
    )
    .await;
    assert_eq!(resent.status(), StatusCode::ACCEPTED);
    sink.wait_for_messages(2).await;
    let changed = api_call(
        &app,
        &token,
        reqwest::Method::PATCH,
        &path,
        Some(json!({"assign": [support.get()], "switch": [{"role_id": member_role.get(), "active": false}]})),
    )
    .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let changed: Value = changed.json().await.unwrap();
    let roles = changed["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 2);
    assert!(
        roles
            .iter()
            .any(|role| role["name"] == "User" && role["active"] == false)
    );

    let removed = api_call(&app, &token, reqwest::Method::DELETE, &path, None).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&app, &token, &path).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let (app, _admin) = spawn_app_with_admin().await;
    let document: Value = api(&app)
        .get(format!("{}/api/v1/openapi.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    for path in [
        "/api/v1/organization",
        "/api/v1/members",
        "/api/v1/members/{id}",
        "/api/v1/roles",
        "/api/v1/roles/{id}",
        "/api/v1/tokens",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is described");
    }
    assert_eq!(
        document["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn members_with_api_access_read_the_api_reference_in_the_portal() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let (status, portal) = admin.page("/portal").await;
    assert_eq!(status, StatusCode::OK);
    assert!(portal.contains("/portal/gatehouse-api"));
    let (status, reference) = admin.page("/portal/gatehouse-api").await;
    assert_eq!(status, StatusCode::OK);
    assert!(reference.contains("/api/v1/members/{id}"));
    assert!(reference.contains("Lists members"));
    assert!(reference.contains("href=\"/api/v1/openapi.json\""));

    create_role(&app, organization_id, "Readers", &[Permission::Read]);
    add_member(&app, organization_id, "rita@example.com", &["Readers"]);
    let rita = app
        .signed_in_client("rita@example.com", ADMIN_PASSWORD)
        .await;
    let (status, _) = rita.page("/portal/gatehouse-api").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn environments_and_role_access_through_the_api() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read-write", "30").await;
    let created = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/environments",
        Some(json!({"name": "Production"})),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let environment: Value = created.json().await.unwrap();
    let support = create_role(&app, organization_id, "Support", &[Permission::Read]);
    let path = format!(
        "/api/v1/environments/{}/roles/{}",
        environment["id"],
        support.get()
    );
    let set = api_call(
        &app,
        &token,
        reqwest::Method::PUT,
        &path,
        Some(json!({"access": ["read", "view-logs"]})),
    )
    .await;
    assert_eq!(set.status(), StatusCode::OK);
    let listed: Value = get(&app, &token, "/api/v1/environments")
        .await
        .json()
        .await
        .unwrap();
    let production = &listed["data"][0];
    assert_eq!(production["name"], "Production");
    assert_eq!(production["roles"][0]["role_name"], "Support");
    assert_eq!(
        production["roles"][0]["access"],
        json!(["view-logs", "read"])
    );

    let unknown = api_call(
        &app,
        &token,
        reqwest::Method::PUT,
        &format!("/api/v1/environments/{}/roles/999999", environment["id"]),
        Some(json!({"access": ["read"]})),
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let wrong_method = api_call(
        &app,
        &token,
        reqwest::Method::DELETE,
        "/api/v1/environments",
        None,
    )
    .await;
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.headers()["allow"], "GET, POST");
}

#[tokio::test]
async fn external_users_are_invited_and_listed_through_the_api() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read-write", "30").await;
    let invited = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/external-users",
        Some(json!({"email": "dev@customer.example", "expires_on": "2099-12-31", "time_zone": "Europe/Lisbon"})),
    )
    .await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let user: Value = invited.json().await.unwrap();
    assert_eq!(user["status"], "requested");
    assert_eq!(user["expires_on"], "2099-12-31");
    let messages = sink.wait_for_messages(1).await;
    assert!(messages[0].to.contains("dev@customer.example"));

    let bad = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/external-users",
        Some(json!({"email": "nope", "expires_on": "31/12/2099", "time_zone": "Mars/Base"})),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["errors"].as_array().unwrap().len(), 3);

    let listed: Value = get(&app, &token, "/api/v1/external-users?q=customer")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["data"][0]["email"], "dev@customer.example");

    // The page's sorts, kept by the cursor from page to page.
    api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/external-users",
        Some(json!({"email": "ops@vendor.example"})),
    )
    .await;
    let first: Value = get(
        &app,
        &token,
        "/api/v1/external-users?sort=email&order=desc&limit=1",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(first["data"][0]["email"], "ops@vendor.example");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = get(
        &app,
        &token,
        &format!("/api/v1/external-users?limit=1&cursor={cursor}"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(second["data"][0]["email"], "dev@customer.example");
    assert!(second.get("next_cursor").is_none());
    let unknown = get(&app, &token, "/api/v1/external-users?sort=shoe-size").await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn policies_are_read_and_changed_through_the_api() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read-write", "30").await;
    let read = get(&app, &token, "/api/v1/policies").await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let policies: Value = read.json().await.unwrap();
    assert_eq!(policies["api_requests_per_minute"], 30);

    let patch = |body: Value, if_match: Option<String>| {
        let (client, url, token) = (
            api(&app),
            format!("{}/api/v1/policies", app.address),
            token.clone(),
        );
        async move {
            let mut request = client.patch(url).bearer_auth(token).json(&body);
            if let Some(tag) = if_match {
                request = request.header("if-match", tag);
            }
            request.send().await.unwrap()
        }
    };
    let saved = patch(
        json!({"api_requests_per_minute": 120, "member_domains": ["example.com"]}),
        Some(etag.clone()),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["api_requests_per_minute"], 120);
    assert_eq!(saved["password_history"], policies["password_history"]);
    // The quota follows the setting at once.
    let next = get(&app, &token, "/api/v1/organization").await;
    assert_eq!(next.headers()["ratelimit-policy"], "\"token\";q=120;w=60");

    assert_eq!(
        patch(json!({"inactivity_days": 5}), Some(etag))
            .await
            .status(),
        StatusCode::PRECONDITION_FAILED
    );
    let invalid = patch(
        json!({"two_factor_days": 0, "ip_allow_list": ["nonsense"]}),
        None,
    )
    .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = invalid.json().await.unwrap();
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);
    // A list without the caller's own address would lock the token out: confirmed, or refused.
    let lockout = patch(json!({"ip_allow_list": ["203.0.113.0/24"]}), None).await;
    assert_eq!(lockout.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let confirmed = patch(
        json!({"ip_allow_list": ["203.0.113.0/24"], "confirm_lockout": true}),
        None,
    )
    .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert_eq!(
        get(&app, &token, "/api/v1/organization").await.status(),
        StatusCode::FORBIDDEN
    );
}

fn token_id_of(app: &TestApp, secret: &str) -> i64 {
    use diesel::prelude::*;
    use gatehouse::db::schema::personal_access_tokens;
    let mut conn = app.pool.get().unwrap();
    personal_access_tokens::table
        .filter(personal_access_tokens::token_hash.eq(gatehouse::crypto::token::hash_token(secret)))
        .select(personal_access_tokens::id)
        .first::<i64>(&mut conn)
        .unwrap()
}

#[tokio::test]
async fn external_users_are_changed_resent_and_deleted_through_the_api() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read-write", "30").await;
    let production = catalog_environment(&app, organization_id, "Production");
    let payments = insert_catalog_api(&app, organization_id, production, "Payments", "v1");
    let orders = insert_catalog_api(&app, organization_id, production, "Orders", "v1");
    let group = catalog_group(&app, organization_id, "Partner APIs", &[orders]);
    let invited = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/external-users",
        Some(json!({"email": "dev@customer.example"})),
    )
    .await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let location = invited.headers()["location"].to_str().unwrap().to_owned();
    let id = invited.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(location, format!("/api/v1/external-users/{id}"));
    sink.wait_for_messages(1).await;

    // An invited person gets a new link (without a body); their expiry waits for registration.
    let resent = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("{location}/invitation"),
        None,
    )
    .await;
    assert_eq!(resent.status(), StatusCode::ACCEPTED);
    sink.wait_for_messages(2).await;
    let too_early = api_call(
        &app,
        &token,
        reqwest::Method::PATCH,
        &location,
        Some(json!({"expires_on": "2099-01-31"})),
    )
    .await;
    assert_eq!(too_early.status(), StatusCode::UNPROCESSABLE_ENTITY);

    {
        use diesel::prelude::*;
        use gatehouse::clock::Clock;
        use gatehouse::db::schema::external_users;
        let mut conn = app.pool.get().unwrap();
        diesel::update(external_users::table.find(id))
            .set((
                external_users::status.eq("active"),
                external_users::registered_at.eq(Some(app.clock.now())),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let read = get(&app, &token, &location).await;
    assert_eq!(read.status(), StatusCode::OK);
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(read.json::<Value>().await.unwrap()["status"], "active");

    let patch = |body: Value, if_match: &str| {
        let (client, url, token, tag) = (
            api(&app),
            format!("{}{location}", app.address),
            token.clone(),
            if_match.to_owned(),
        );
        async move {
            client
                .patch(url)
                .bearer_auth(token)
                .header("if-match", tag)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    // An unknown API refuses the whole change: the suspension is not kept either.
    let unknown = patch(
        json!({"status": "suspended", "apis": [payments, 999_999]}),
        &etag,
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "unknown-api");
    let changed = patch(
        json!({"status": "suspended", "expires_on": "2099-06-30", "api_groups": [group], "apis": [payments]}),
        &etag,
    )
    .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let after: Value = changed.json().await.unwrap();
    assert_eq!(after["status"], "suspended");
    assert_eq!(after["expires_on"], "2099-06-30");
    assert_eq!(after["api_groups"][0]["name"], "Partner APIs");
    assert_eq!(after["apis"][0]["name"], "Payments v1");
    assert_eq!(
        patch(json!({"status": "active"}), &etag).await.status(),
        StatusCode::PRECONDITION_FAILED
    );
    // `null` ends the end date; lists left out stay as they were.
    let lifted = patch(json!({"status": "active", "expires_on": null}), "*").await;
    let lifted: Value = lifted.json().await.unwrap();
    assert_eq!(lifted["status"], "active");
    assert_eq!(lifted["expires_on"], Value::Null);
    assert_eq!(lifted["apis"][0]["name"], "Payments v1");

    let deleted = api_call(&app, &token, reqwest::Method::DELETE, &location, None).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&app, &token, &location).await.status(),
        StatusCode::NOT_FOUND
    );
    let actions: Vec<String> = {
        use diesel::prelude::*;
        use gatehouse::db::schema::audit_events;
        let mut conn = app.pool.get().unwrap();
        audit_events::table
            .filter(audit_events::actor_token_id.is_not_null())
            .order(audit_events::id.asc())
            .select(audit_events::action)
            .load(&mut conn)
            .unwrap()
    };
    for action in [
        "external-user.invitation-resent",
        "external-user.expiry-changed",
        "external-user.suspended",
        "external-user.reactivated",
        "external-user.deleted",
    ] {
        assert!(
            actions.iter().any(|done| done == action),
            "{action}: {actions:?}"
        );
    }
}

#[tokio::test]
async fn environments_are_read_and_renamed_through_the_api() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read-write", "30").await;
    let staging = catalog_environment(&app, organization_id, "Staging");
    catalog_environment(&app, organization_id, "Production");
    let path = format!("/api/v1/environments/{}", staging.get());
    let renamed = api_call(
        &app,
        &token,
        reqwest::Method::PATCH,
        &path,
        Some(json!({"name": "Pre-production"})),
    )
    .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    assert_eq!(
        renamed.json::<Value>().await.unwrap()["name"],
        "Pre-production"
    );
    let shown: Value = get(&app, &token, &path).await.json().await.unwrap();
    assert_eq!(shown["name"], "Pre-production");
    let taken = api_call(
        &app,
        &token,
        reqwest::Method::PATCH,
        &path,
        Some(json!({"name": "production"})),
    )
    .await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let empty = api_call(
        &app,
        &token,
        reqwest::Method::PATCH,
        &path,
        Some(json!({"name": "  "})),
    )
    .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        get(&app, &token, "/api/v1/environments/999999")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn tokens_are_revoked_through_the_api_by_their_owner_and_by_admins() {
    let (app, owner, sink) = spawn_app_with_sink().await;
    let organization_id = first_organization_id(&app);
    let owner_token = create_token(&owner, organization_id, "read-write", "30").await;
    let spare = create_token(&owner, organization_id, "read", "30").await;
    let ben_membership = add_member(&app, organization_id, "ben@example.com", &["Administrator"]);
    let ben = app
        .signed_in_client("ben@example.com", ADMIN_PASSWORD)
        .await;
    let ben_token = create_token(&ben, organization_id, "read-write", "30").await;
    let ben_other = create_token(&ben, organization_id, "read", "30").await;

    let listed: Value = get(
        &app,
        &owner_token,
        &format!("/api/v1/members/{ben_membership}/tokens"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);
    assert_eq!(listed["data"][0]["name"], "Nightly sync");

    // Ben may not revoke the owner's token, nor a token of someone else as if it were his own.
    let owner_membership: i64 = {
        use diesel::prelude::*;
        use gatehouse::db::schema::memberships;
        let mut conn = app.pool.get().unwrap();
        memberships::table
            .filter(memberships::account_id.eq(admin_account_id(&app)))
            .select(memberships::id)
            .first(&mut conn)
            .unwrap()
    };
    let refused = api_call(
        &app,
        &ben_token,
        reqwest::Method::DELETE,
        &format!(
            "/api/v1/members/{owner_membership}/tokens/{}",
            token_id_of(&app, &owner_token)
        ),
        None,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let not_his = api_call(
        &app,
        &ben_token,
        reqwest::Method::DELETE,
        &format!("/api/v1/tokens/{}", token_id_of(&app, &owner_token)),
        None,
    )
    .await;
    assert_eq!(not_his.status(), StatusCode::NOT_FOUND);
    // A token id under the wrong member is not found either.
    let wrong_member = api_call(
        &app,
        &owner_token,
        reqwest::Method::DELETE,
        &format!(
            "/api/v1/members/{owner_membership}/tokens/{}",
            token_id_of(&app, &ben_token)
        ),
        None,
    )
    .await;
    assert_eq!(wrong_member.status(), StatusCode::NOT_FOUND);

    // The owner revokes one of Ben's: it stops at once and Ben is told.
    let revoked = api_call(
        &app,
        &owner_token,
        reqwest::Method::DELETE,
        &format!(
            "/api/v1/members/{ben_membership}/tokens/{}",
            token_id_of(&app, &ben_other)
        ),
        None,
    )
    .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&app, &ben_other, "/api/v1/organization").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let messages = sink.wait_for_messages(1).await;
    assert!(
        messages
            .iter()
            .any(|message| message.to.contains("ben@example.com"))
    );

    // Ben revokes the token he calls with: the next request is refused.
    let own = api_call(
        &app,
        &ben_token,
        reqwest::Method::DELETE,
        &format!("/api/v1/tokens/{}", token_id_of(&app, &ben_token)),
        None,
    )
    .await;
    assert_eq!(own.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&app, &ben_token, "/api/v1/organization").await.status(),
        StatusCode::UNAUTHORIZED
    );

    // The owner's incident switch revokes every live token, the owner's own included.
    let all = api_call(
        &app,
        &owner_token,
        reqwest::Method::DELETE,
        "/api/v1/organization/tokens",
        None,
    )
    .await;
    assert_eq!(all.status(), StatusCode::OK);
    assert_eq!(all.json::<Value>().await.unwrap()["revoked"], 2);
    assert_eq!(
        get(&app, &spare, "/api/v1/organization").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_api_catalog_is_managed_through_the_api() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read-write", "30").await;
    let production = catalog_environment(&app, organization_id, "Production").get();
    let staging = catalog_environment(&app, organization_id, "Staging").get();
    let created = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/apis",
        Some(
            json!({"environment_id": production, "name": "Payments", "version": "v1",
                    "base_url": "https://payments.example.com"}),
        ),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let api_id = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    // The page's rules: every bad field at once, and a name and version taken in the environment.
    let invalid = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/apis",
        Some(json!({"environment_id": production, "name": " ", "version": "", "base_url": "ftp://x"})),
    )
    .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = invalid.json().await.unwrap();
    assert_eq!(body["errors"].as_array().unwrap().len(), 3, "{body}");
    let taken = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/apis",
        Some(
            json!({"environment_id": production, "name": "payments", "version": "v1",
                    "base_url": "https://other.example.com"}),
        ),
    )
    .await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let elsewhere = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/apis",
        Some(
            json!({"environment_id": 999_999, "name": "Ledger", "version": "v1",
                    "base_url": "https://ledger.example.com"}),
        ),
    )
    .await;
    assert_eq!(elsewhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        elsewhere.json::<Value>().await.unwrap()["errors"][0]["field"],
        "environment_id"
    );

    // The document goes as the raw file; a broken one is refused with the page's message.
    let document = "openapi: 3.1.0\ninfo: {title: Payments, version: '1'}\npaths:\n  /charges:\n    post: {summary: Charge}\n";
    let client = api(&app);
    let put = |body: &'static str| {
        client
            .put(format!(
                "{}{location}/document?filename=payments.yaml",
                app.address
            ))
            .bearer_auth(&token)
            .header("content-type", "application/yaml")
            .body(body)
            .send()
    };
    let stored = put(document).await.unwrap();
    assert_eq!(stored.status(), StatusCode::OK);
    assert_eq!(
        stored.json::<Value>().await.unwrap()["document_filename"],
        "payments.yaml"
    );
    let broken = put("openapi: 3.1.0\ninfo: [unclosed\n").await.unwrap();
    assert_eq!(broken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let read = get(&app, &token, &format!("{location}/document")).await;
    assert_eq!(read.headers()["content-type"], "application/yaml");
    assert_eq!(read.text().await.unwrap(), document);

    // Moved to another environment, with the ETag it was read with.
    let etag = get(&app, &token, &location).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let moved = client
        .patch(format!("{}{location}", app.address))
        .bearer_auth(&token)
        .header("if-match", &etag)
        .json(&json!({"environment_id": staging, "description": "Charges and refunds"}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["environment_name"], "Staging");
    assert_eq!(moved["name"], "Payments");
    assert_eq!(moved["document_filename"], "payments.yaml");

    // Groups hold the organization's APIs only.
    let group = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/api-groups",
        Some(json!({"name": "Partner APIs", "api_ids": [api_id]})),
    )
    .await;
    assert_eq!(group.status(), StatusCode::CREATED);
    let group_location = group.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        group.json::<Value>().await.unwrap()["api_ids"],
        json!([api_id])
    );
    let foreign = api_call(
        &app,
        &token,
        reqwest::Method::PATCH,
        &group_location,
        Some(json!({"api_ids": [api_id, 999_999]})),
    )
    .await;
    assert_eq!(foreign.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let renamed = api_call(
        &app,
        &token,
        reqwest::Method::PATCH,
        &group_location,
        Some(json!({"name": "Partners"})),
    )
    .await;
    let renamed: Value = renamed.json().await.unwrap();
    assert_eq!(renamed["name"], "Partners");
    assert_eq!(renamed["api_ids"], json!([api_id]));

    // Deleting the API takes it out of its group.
    let removed = api_call(
        &app,
        &token,
        reqwest::Method::DELETE,
        &format!("{location}/document"),
        None,
    )
    .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&app, &token, &format!("{location}/document"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let deleted = api_call(&app, &token, reqwest::Method::DELETE, &location, None).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let groups: Value = get(&app, &token, "/api/v1/api-groups")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(groups["data"][0]["api_ids"], json!([]));
    let gone = api_call(&app, &token, reqwest::Method::DELETE, &group_location, None).await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let apis: Value = get(&app, &token, "/api/v1/apis")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(apis["data"], json!([]));
}

#[tokio::test]
async fn client_tokens_go_from_partner_to_client_through_the_api() {
    let w = crate::partner_tokens::world().await;
    let app = &w.app;
    let ada = create_token(&w.partner, w.partner_org, "read-write", "30").await;
    let clara = create_token(&w.client, w.client_org, "read-write", "30").await;
    let client = api(app);

    // Issued once: a retry with the same key does not issue a second token, nor show the secret.
    let issue = || {
        client
            .post(format!("{}/api/v1/client-tokens", app.address))
            .bearer_auth(&ada)
            .header("idempotency-key", "issue-1")
            .send()
    };
    let issued = issue().await.unwrap();
    assert_eq!(issued.status(), StatusCode::CREATED);
    assert_eq!(issued.headers()["cache-control"], "no-store");
    let issued: Value = issued.json().await.unwrap();
    let secret = issued["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("gh_ct_"), "{secret}");
    assert_eq!(issued["status"], "pending");
    let retried = issue().await.unwrap();
    assert_eq!(retried.status(), StatusCode::CONFLICT);
    let retried = retried.text().await.unwrap();
    assert!(retried.contains("idempotent-secret-not-kept") && !retried.contains(&secret));
    let listed: Value = get(app, &ada, "/api/v1/client-tokens")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    let token_path = format!("/api/v1/client-tokens/{}", issued["id"]);

    // The client sees whose it is, then accepts it with two of its roles.
    let partner_name = get(app, &ada, "/api/v1/organization")
        .await
        .json::<Value>()
        .await
        .unwrap()["name"]
        .clone();
    let preview = api_call(
        app,
        &clara,
        reqwest::Method::POST,
        "/api/v1/partnerships/preview",
        Some(json!({"token": secret})),
    )
    .await;
    assert_eq!(preview.status(), StatusCode::OK);
    assert_eq!(
        preview.json::<Value>().await.unwrap()["partner_name"],
        partner_name
    );
    let accepted = api_call(
        app,
        &clara,
        reqwest::Method::POST,
        "/api/v1/partnerships",
        Some(json!({"token": secret, "role_ids": [w.support.get(), w.operators.get()]})),
    )
    .await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
    let partnership: Value = accepted.json().await.unwrap();
    assert_eq!(partnership["status"], "active");
    let partnership_path = format!("/api/v1/partnerships/{}", partnership["id"]);

    // The partner lets Pat act there, within the client's rules only.
    let user_path = format!("{token_path}/users/{}", w.pat_membership);
    let set = |roles: Vec<i64>| {
        api_call(
            app,
            &ada,
            reqwest::Method::PUT,
            &user_path,
            Some(json!({ "role_ids": roles })),
        )
    };
    let outside = set(vec![w.auditors.get()]).await;
    assert_eq!(outside.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let granted: Value = set(vec![w.support.get()]).await.json().await.unwrap();
    assert_eq!(granted["users"][0]["roles"][0]["name"], "Support");
    let replaced: Value = set(vec![w.support.get(), w.operators.get()])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(replaced["users"][0]["roles"].as_array().unwrap().len(), 2);

    // The client narrows the rules (Pat loses Operators) and suspends the partnership.
    let narrowed = api_call(
        app,
        &clara,
        reqwest::Method::PATCH,
        &partnership_path,
        Some(json!({"grantable_role_ids": [w.support.get()], "status": "suspended"})),
    )
    .await;
    assert_eq!(narrowed.status(), StatusCode::OK);
    let narrowed: Value = narrowed.json().await.unwrap();
    assert_eq!(narrowed["status"], "suspended");
    assert_eq!(narrowed["users"][0]["roles"].as_array().unwrap().len(), 1);
    let seen_by_partner: Value = get(app, &ada, &token_path).await.json().await.unwrap();
    assert_eq!(seen_by_partner["status"], "suspended");
    // A suspended token is the client's to resume, not the partner's to switch.
    let switch = |active: bool| {
        api_call(
            app,
            &ada,
            reqwest::Method::PATCH,
            &token_path,
            Some(json!({ "active": active })),
        )
    };
    assert_eq!(
        switch(false).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let resumed = api_call(
        app,
        &clara,
        reqwest::Method::PATCH,
        &partnership_path,
        Some(json!({"status": "active"})),
    )
    .await;
    assert_eq!(resumed.json::<Value>().await.unwrap()["status"], "active");
    let off: Value = switch(false).await.json().await.unwrap();
    assert_eq!(off["status"], "deactivated");
    let on: Value = switch(true).await.json().await.unwrap();
    assert_eq!(on["status"], "active");

    let removed = api_call(app, &ada, reqwest::Method::DELETE, &user_path, None).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let after: Value = get(app, &ada, &token_path).await.json().await.unwrap();
    assert_eq!(after["users"], json!([]));

    // Each side's routes are refused to the other's token.
    assert_eq!(
        get(app, &clara, "/api/v1/client-tokens").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(app, &ada, &partnership_path).await.status(),
        StatusCode::NOT_FOUND
    );

    let ended = api_call(
        app,
        &clara,
        reqwest::Method::DELETE,
        &partnership_path,
        None,
    )
    .await;
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    let seen_by_partner: Value = get(app, &ada, &token_path).await.json().await.unwrap();
    assert_eq!(seen_by_partner["status"], "ended");
    let actions: Vec<String> = {
        use diesel::prelude::*;
        use gatehouse::db::schema::audit_events;
        let mut conn = app.pool.get().unwrap();
        audit_events::table
            .filter(audit_events::actor_token_id.is_not_null())
            .filter(audit_events::action.like("client-token.%"))
            .select(audit_events::action)
            .load(&mut conn)
            .unwrap()
    };
    assert!(
        actions
            .iter()
            .any(|action| action == "client-token.created")
            && actions
                .iter()
                .any(|action| action == "client-token.user-revoked"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn quota_leased_ahead_by_two_instances_never_exceeds_the_limit() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read", "30").await;
    {
        // 600 a minute: each instance takes 3 requests' worth from the database at a time.
        let mut conn = app.pool.get().unwrap();
        let mut policy = gatehouse::domain::policy::load(&mut conn, organization_id).unwrap();
        policy.api_requests_per_minute = 600;
        gatehouse::domain::policy::save(&mut conn, organization_id, &policy, &test_actor(&app))
            .unwrap();
    }
    let second_address = second_instance(&app).await;

    // The clock stands still, so nothing of the quota comes back during the run.
    let client = api(&app);
    let mut allowed = 0;
    let mut lowest_remaining = i64::MAX;
    for index in 0..620 {
        let response =
            organization_from(&client, [&app.address, &second_address][index % 2], &token).await;
        if response.status() == StatusCode::OK {
            allowed += 1;
            let remaining: i64 = response.headers()["x-ratelimit-remaining"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            lowest_remaining = lowest_remaining.min(remaining);
        } else {
            assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        }
    }
    // Never more than the limit; at most each instance's unused rest of a lease lost.
    assert!((596..=600).contains(&allowed), "{allowed} allowed");
    assert!(lowest_remaining <= 4, "{lowest_remaining}");
}

#[tokio::test]
async fn partners_are_registered_and_changed_through_the_api_by_the_owner_only() {
    let (app, owner, sink) = spawn_app_with_sink().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&owner, organization_id, "read-write", "30").await;
    let production = catalog_environment(&app, organization_id, "Production");
    let payments = insert_catalog_api(&app, organization_id, production, "Payments", "v1");

    let refused = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/partners",
        Some(json!({"name": " ", "domains": ["not a domain"],
                    "admin": {"first_name": "Peter", "last_name": "Gibbons", "email": "peter@initech.example"}})),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.unwrap();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "domains"]);
    let outside = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/partners",
        Some(json!({"name": "Initech", "domains": ["initech.example"],
                    "admin": {"first_name": "Peter", "last_name": "Gibbons", "email": "peter@elsewhere.example"}})),
    )
    .await;
    assert_eq!(outside.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        outside.json::<Value>().await.unwrap()["errors"][0]["field"],
        "admin.email"
    );

    let registered = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/partners",
        Some(json!({"name": "Initech", "domains": ["@Initech.example"],
                    "admin": {"first_name": "Peter", "last_name": "Gibbons", "email": "peter@initech.example"}})),
    )
    .await;
    assert_eq!(registered.status(), StatusCode::CREATED);
    let location = registered.headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    let partner: Value = registered.json().await.unwrap();
    assert_eq!(partner["status"], "pending");
    assert_eq!(partner["domains"], json!(["initech.example"]));
    assert_eq!(partner["pending_admin"]["email"], "peter@initech.example");
    let messages = sink.wait_for_messages(1).await;
    assert!(messages[0].to.contains("peter@initech.example"));
    let again = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/partners",
        Some(json!({"name": "initech", "domains": ["initech.example"],
                    "admin": {"first_name": "Peter", "last_name": "Gibbons", "email": "peter@initech.example"}})),
    )
    .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let changed = api_call(
        &app,
        &token,
        reqwest::Method::PATCH,
        &location,
        Some(
            json!({"name": "Initech Labs", "domains": ["initech.example", "initech-labs.example"],
                    "linked_api_ids": [payments]}),
        ),
    )
    .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed["name"], "Initech Labs");
    assert_eq!(changed["domains"].as_array().unwrap().len(), 2);
    assert_eq!(changed["linked_api_ids"], json!([payments]));
    let resent = api_call(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("{location}/admin-invitation"),
        None,
    )
    .await;
    assert_eq!(resent.status(), StatusCode::ACCEPTED);
    sink.wait_for_messages(2).await;

    // Deactivating waits until nothing is linked.
    let linked = api_call(&app, &token, reqwest::Method::DELETE, &location, None).await;
    assert_eq!(linked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    api_call(
        &app,
        &token,
        reqwest::Method::PATCH,
        &location,
        Some(json!({"linked_api_ids": []})),
    )
    .await;
    let deactivated = api_call(&app, &token, reqwest::Method::DELETE, &location, None).await;
    assert_eq!(deactivated.status(), StatusCode::NO_CONTENT);
    let after: Value = get(&app, &token, &location).await.json().await.unwrap();
    assert_eq!(after["status"], "ended");

    // An administrator who is not the owner is refused, as on the page.
    add_member(&app, organization_id, "ben@example.com", &["Administrator"]);
    let ben = app
        .signed_in_client("ben@example.com", ADMIN_PASSWORD)
        .await;
    let ben_token = create_token(&ben, organization_id, "read-write", "30").await;
    assert_eq!(
        get(&app, &ben_token, "/api/v1/partners").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn members_are_paged_by_last_sign_in_with_those_never_seen_together() {
    use diesel::prelude::*;
    use gatehouse::clock::Clock;
    use gatehouse::db::schema::memberships;
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    let token = create_token(&admin, organization_id, "read", "30").await;
    let now = app.clock.now();
    let hours = |count: i64| Some(now - time::Duration::hours(10 - count));
    let last_sign_ins = [
        ("m0@example.com", None),
        ("m1@example.com", hours(1)),
        ("m2@example.com", None),
        ("m3@example.com", hours(1)),
        ("m4@example.com", hours(2)),
        ("m5@example.com", None),
    ];
    for (email, _) in &last_sign_ins {
        add_member(&app, organization_id, email, &["User"]);
    }
    {
        let mut conn = app.pool.get().unwrap();
        for (email, at) in last_sign_ins
            .iter()
            .copied()
            .chain([(ADMIN_EMAIL, hours(3))])
        {
            diesel::update(memberships::table.filter(memberships::email.eq(email)))
                .set(memberships::last_sign_in_at.eq(at))
                .execute(&mut conn)
                .unwrap();
        }
    }
    let walk = |order: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            let mut path = format!("/api/v1/members?limit=2&sort=last-sign-in&order={order}");
            let mut emails = Vec::new();
            loop {
                let body: Value = get(app, token, &path).await.json().await.unwrap();
                for member in body["data"].as_array().unwrap() {
                    emails.push(member["email"].as_str().unwrap().to_owned());
                }
                match body["next_cursor"].as_str() {
                    Some(cursor) => {
                        path = format!("/api/v1/members?limit=2&cursor={cursor}");
                    }
                    None => break emails,
                }
            }
        }
    };
    // Never signed in counts as the oldest; ties go by id, on both databases.
    assert_eq!(
        walk("asc").await,
        ["m0", "m2", "m5", "m1", "m3", "m4"]
            .iter()
            .map(|name| format!("{name}@example.com"))
            .chain([ADMIN_EMAIL.to_owned()])
            .collect::<Vec<_>>()
    );
    assert_eq!(
        walk("desc").await,
        [ADMIN_EMAIL.to_owned()]
            .into_iter()
            .chain(
                ["m4", "m3", "m1", "m5", "m2", "m0"]
                    .iter()
                    .map(|name| format!("{name}@example.com"))
            )
            .collect::<Vec<_>>()
    );
}
