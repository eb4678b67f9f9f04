//! The audit log end to end: changes made through the API and the pages, read back on the Audit
//! log page, its exports and `/api/v1/audit-events`; the search language; what a change
//! recorded before and after; names as they were; retention; the hash chain and
//! `gatehouse audit verify`; who may read it.

use diesel::prelude::*;
use gatehouse::db::schema::audit_events;
use gatehouse::domain::audit::{self, Verdict};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn admin_token(app: &TestApp, name: &str) -> String {
    owner_token_named(app, name)
}

async fn api_json(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let response = api_call(app, token, method, path, body).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Every event the API returns for a search, following the cursors.
async fn search_all(app: &TestApp, token: &str, q: &str) -> Vec<Value> {
    let mut events = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/audit-events?limit=50&q={}", urlencode(q));
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let (status, page) = api_json(app, token, reqwest::Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{q}: {page}");
        events.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return events,
        }
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn actions(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|event| event["action"].as_str().unwrap().to_owned())
        .collect()
}

fn ids(events: &[Value]) -> Vec<i64> {
    events
        .iter()
        .map(|event| event["id"].as_i64().unwrap())
        .collect()
}

fn change<'a>(event: &'a Value, field: &str) -> &'a Value {
    event["details"]["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("no changes in {event}"))
        .iter()
        .find(|change| change["field"] == field)
        .unwrap_or_else(|| panic!("no change of {field} in {event}"))
}

#[tokio::test]
async fn changes_are_recorded_before_and_after_with_names_as_they_were() {
    let (app, admin) = spawn_app_with_admin().await;
    let token = admin_token(&app, "audit script");
    let organization_id = first_organization_id(&app);

    let (status, role) = api_json(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/roles",
        Some(json!({"name": "Field Agents", "permissions": ["read"]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    let role_id = role["id"].as_i64().unwrap();
    let (status, _) = api_json(
        &app,
        &token,
        reqwest::Method::PATCH,
        &format!("/api/v1/roles/{role_id}"),
        Some(json!({"name": "Field Ops", "permissions": ["read", "api-access"]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let membership_id = add_member(&app, organization_id, "grace@acme.test", &["User"]);
    let (status, _) = api_json(
        &app,
        &token,
        reqwest::Method::PATCH,
        &format!("/api/v1/members/{membership_id}"),
        Some(json!({"assign": [role_id]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let (status, _) = api_json(
        &app,
        &token,
        reqwest::Method::PATCH,
        "/api/v1/policies",
        Some(json!({"password_history": 7})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Taking the role away from its only member first, then deleting it.
    let (status, _) = api_json(
        &app,
        &token,
        reqwest::Method::PATCH,
        &format!("/api/v1/members/{membership_id}"),
        Some(json!({"unassign": [role_id]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let response = api_call(
        &app,
        &token,
        reqwest::Method::DELETE,
        &format!("/api/v1/roles/{role_id}"),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    // The role's whole story, newest first, each with the name it had then.
    let story = search_all(&app, &token, &format!("role:{role_id}")).await;
    assert_eq!(
        actions(&story),
        ["role.removed", "role.updated", "role.created"]
    );
    let targets: Vec<&str> = story
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["Field Ops", "Field Ops", "Field Agents"]);
    let updated = &story[1];
    assert_eq!(change(updated, "name")["before"], "Field Agents");
    assert_eq!(change(updated, "name")["after"], "Field Ops");
    assert_eq!(change(updated, "permissions")["before"], "read");
    assert_eq!(change(updated, "permissions")["after"], "read, api-access");
    assert_eq!(updated["actor_kind"], "token");
    assert_eq!(updated["actor"], ADMIN_EMAIL);
    assert_eq!(updated["actor_detail"], "audit script");
    assert!(
        updated["request_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    assert!(updated["user_agent"].is_null() || updated["user_agent"].is_string());

    // The old name still finds the event that had it.
    let by_old_name = search_all(&app, &token, r#"target:"Field Agents""#).await;
    assert_eq!(actions(&by_old_name), ["role.created"]);

    // A member's roles, before and after each change.
    let member = search_all(&app, &token, &format!("member:{membership_id}")).await;
    assert_eq!(
        actions(&member),
        [
            "member.role-unassigned",
            "member.roles-assigned",
            "member.added"
        ]
    );
    assert_eq!(change(&member[1], "roles")["before"], "User");
    assert_eq!(change(&member[1], "roles")["after"], "Field Ops, User");
    assert_eq!(change(&member[0], "roles")["before"], "Field Ops, User");
    assert_eq!(change(&member[0], "roles")["after"], "User");
    assert_eq!(member[2]["actor_kind"], "system");

    // A policy change.
    let policy = search_all(&app, &token, "action:policy.updated").await;
    assert_eq!(
        policy.len(),
        1,
        "{:?}",
        actions(&search_all(&app, &token, "").await)
    );
    let history = policy[0]["details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|change| change["setting"] == "password-history")
        .unwrap_or_else(|| panic!("{}", policy[0]));
    assert_eq!(history["after"], "7");

    // The page: the event's details show both sides, and the deleted role is not linked.
    let (status, page) = admin.page(&format!("/audit/{}", updated["id"])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<del class=\"break\">Field Agents</del>"),
        "{page}"
    );
    assert!(page.contains("<ins class=\"break\">Field Ops</ins>"));
    assert!(page.contains("no longer exists"));
    assert!(page.contains(updated["request_id"].as_str().unwrap()));
    let (_, page) = admin.page(&format!("/audit/{}", member[1]["id"])).await;
    assert!(
        page.contains(&format!("href=\"/users/{membership_id}/roles\"")),
        "a member who is still there is linked"
    );
}

#[tokio::test]
async fn each_qualifier_and_their_combination() {
    let (app, _) = spawn_app_with_admin().await;
    let token = admin_token(&app, "qualifiers");
    let (status, _) = api_json(
        &app,
        &token,
        reqwest::Method::PATCH,
        "/api/v1/policies",
        Some(json!({"api_requests_per_minute": 1000})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let organization_id = first_organization_id(&app);
    let day_one = {
        use gatehouse::clock::Clock;
        app.clock.now().date()
    };
    let agents = create_role(
        &app,
        organization_id,
        "Field Agents",
        &[gatehouse::domain::permission::Permission::Read],
    );
    app.clock.advance(time::Duration::days(3));
    let (status, _) = api_json(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/roles",
        Some(json!({"name": "Auditors", "permissions": ["read"]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let grace = add_member(&app, organization_id, "grace@acme.test", &["User"]);
    app.clock.advance(time::Duration::days(3));
    let (status, _) = api_json(
        &app,
        &token,
        reqwest::Method::PATCH,
        &format!("/api/v1/roles/{agents}"),
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let day_three = day_one + time::Duration::days(3);
    let day_six = day_one + time::Duration::days(6);
    // The administrator's session timed out meanwhile.
    let admin = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;

    let found = |q: &'static str| {
        let (app, token) = (&app, &token);
        async move { actions(&search_all(app, token, q).await) }
    };
    assert_eq!(
        found("action:role.*").await,
        ["role.deactivated", "role.created", "role.created"]
    );
    assert_eq!(
        found("action:role.created").await,
        ["role.created", "role.created"]
    );
    assert_eq!(found("actor:system action:role.*").await, ["role.created"]);
    assert_eq!(
        found(&*Box::leak(
            format!("actor:{ADMIN_EMAIL} action:role.*").into_boxed_str()
        ))
        .await,
        ["role.deactivated", "role.created"]
    );
    assert_eq!(
        found("actor:ada@* action:role.*").await,
        ["role.deactivated", "role.created"]
    );
    assert_eq!(
        found(r#"target:"field agents""#).await,
        ["role.deactivated", "role.created"]
    );
    assert_eq!(
        found("target:field*").await,
        ["role.deactivated", "role.created"]
    );
    assert_eq!(
        found("action:role.* -target:auditors").await,
        ["role.deactivated", "role.created"]
    );
    assert_eq!(
        found(&*Box::leak(format!("member:{grace}").into_boxed_str())).await,
        ["member.added"]
    );
    assert_eq!(found("auditors").await, ["role.created"]);
    assert_eq!(found("-action:role.* -action:token.* -action:organization.* -action:member.* -action:account.* -action:policy.*").await, Vec::<String>::new());

    let created =
        |text: String| Box::leak(format!("action:role.* {text}").into_boxed_str()) as &'static str;
    assert_eq!(
        found(created(format!("created:{day_one}"))).await,
        ["role.created"]
    );
    assert_eq!(
        found(created(format!("created:>={day_three}"))).await,
        ["role.deactivated", "role.created"]
    );
    assert_eq!(
        found(created(format!("created:>{day_three}"))).await,
        ["role.deactivated"]
    );
    assert_eq!(
        found(created(format!("created:<{day_three}"))).await,
        ["role.created"]
    );
    assert_eq!(
        found(created(format!("created:<={day_three}"))).await,
        ["role.created", "role.created"]
    );
    assert_eq!(
        found(created(format!("created:{day_one}..{day_three}"))).await,
        ["role.created", "role.created"]
    );
    assert_eq!(
        found(created(format!("-created:{day_three}..{day_six}"))).await,
        ["role.created"]
    );

    // A search that cannot be read says why, on the page and in the API.
    let (status, problem) = api_json(
        &app,
        &token,
        reqwest::Method::GET,
        "/api/v1/audit-events?q=created%3Ayesterday",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "q");
    let (status, page) = admin.page("/audit?q=colour%3Ared").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("is not a filter"), "{page}");
    assert!(page.contains("aria-invalid=\"true\""));

    // The search lives in the URL; each part is a chip whose link removes it.
    let (status, page) = admin
        .page("/audit?q=action%3Arole.*+target%3A%22Field+Agents%22")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("value=\"action:role.* target:&#34;Field Agents&#34;\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"/audit?q=target%3A%22Field+Agents%22\""),
        "the action chip's link keeps the target"
    );
    assert!(page.contains("role.deactivated"));
    assert!(!page.contains(">Auditors<"));
}

#[tokio::test]
async fn exports_hold_the_same_rows_as_the_pages() {
    let (app, admin) = spawn_app_with_admin().await;
    let token = admin_token(&app, "exports");
    let organization_id = first_organization_id(&app);
    for index in 0..120 {
        create_role(
            &app,
            organization_id,
            &format!("Team, \"{index}\""),
            &[gatehouse::domain::permission::Permission::Read],
        );
    }
    let q = "action:role.created";
    let from_api = ids(&search_all(&app, &token, q).await);
    assert_eq!(from_api.len(), 120);

    // The page, following "Older events".
    let mut from_pages = Vec::new();
    let mut path = format!("/audit?q={}", urlencode(q));
    loop {
        let (status, page) = admin.page(&path).await;
        assert_eq!(status, StatusCode::OK);
        for piece in page.split("<a href=\"/audit/").skip(1) {
            from_pages.push(piece.split('"').next().unwrap().parse::<i64>().unwrap());
        }
        match page.split("rel=\"next\" href=\"").nth(1) {
            Some(rest) => {
                path = rest
                    .split('"')
                    .next()
                    .unwrap()
                    .replace("&amp;", "&")
                    .replace("&#38;", "&")
            }
            None => break,
        }
    }
    assert_eq!(from_pages, from_api);

    let csv = admin
        .get(&format!("/audit/export.csv?q={}", urlencode(q)))
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let csv = csv.text().await.unwrap();
    let mut lines = csv.split("\r\n").filter(|line| !line.is_empty());
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,created_at,action,actor_kind,actor,")
    );
    let from_csv: Vec<i64> = lines
        .map(|line| line.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(from_csv, from_api);
    assert!(
        csv.contains("\"Team, \"\"7\"\"\""),
        "names with commas and quotes are quoted"
    );

    let ndjson = admin
        .get(&format!("/audit/export.ndjson?q={}", urlencode(q)))
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<Value> = ndjson
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(ids(&rows), from_api);
    let api_rows = search_all(&app, &token, q).await;
    assert_eq!(rows, api_rows, "NDJSON rows are the API's events");
}

#[tokio::test]
async fn retention_deletes_old_events_in_batches_and_the_chain_still_verifies() {
    use gatehouse::clock::Clock;
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    for index in 0..1100 {
        create_role(
            &app,
            organization_id,
            &format!("Old {index}"),
            &[gatehouse::domain::permission::Permission::Read],
        );
    }
    app.clock.advance(time::Duration::days(400));
    create_role(
        &app,
        organization_id,
        "Recent",
        &[gatehouse::domain::permission::Permission::Read],
    );
    let later = app.clock.now();
    // Back to today, so the administrator's session still holds; the clean-up runs as if later.
    app.clock.advance(time::Duration::days(-400));

    let mut conn = app.pool.get().unwrap();
    let deleted = gatehouse::app::audit_log::clean_up_expired(&mut conn, later).unwrap();
    assert!(deleted >= 1100, "{deleted}");
    let left: Vec<String> = audit_events::table
        .filter(audit_events::organization_id.eq(organization_id))
        .select(audit_events::action)
        .load(&mut conn)
        .unwrap();
    assert_eq!(left, ["role.created"], "only the recent event is left");
    assert!(matches!(
        audit::verify(&mut conn, organization_id).unwrap(),
        Verdict::Intact { events: 1 }
    ));
    // Once a day: a second run finds nothing due.
    assert_eq!(
        gatehouse::app::audit_log::clean_up_expired(&mut conn, later).unwrap(),
        0
    );
    drop(conn);

    let (_, page) = admin.page("/audit").await;
    assert!(page.contains("kept for 365 days"), "{page}");
    assert!(page.contains("The last clean-up ran"));

    // The owner sets it: below 30 days is refused with the reason.
    let response = admin.post_form("/audit/retention", &[("days", "7")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("from 30 to 3650"));
    let response = admin.post_form("/audit/retention", &[("days", "30")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page("/audit").await;
    assert!(page.contains("kept for 30 days"));
    assert!(page.contains("audit.retention-changed"));

    // The same through the API.
    let token = admin_token(&app, "retention");
    let path = "/api/v1/audit-events/retention";
    let (status, problem) = api_json(
        &app,
        &token,
        reqwest::Method::PUT,
        path,
        Some(json!({"days": 29})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "days");
    let (status, retention) = api_json(
        &app,
        &token,
        reqwest::Method::PUT,
        path,
        Some(json!({"days": 400})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{retention}");
    assert_eq!(retention["days"], 400);
    assert!(retention["cleaned_at"].is_string());
    let (_, retention) = api_json(&app, &token, reqwest::Method::GET, path, None).await;
    assert_eq!(retention["days"], 400);
}

#[tokio::test]
async fn the_chain_catches_an_edited_row_and_a_deleted_one() {
    let (app, _admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    for index in 0..5 {
        create_role(
            &app,
            organization_id,
            &format!("Role {index}"),
            &[gatehouse::domain::permission::Permission::Read],
        );
    }
    let mut conn = app.pool.get().unwrap();
    let chained: Vec<i64> = audit_events::table
        .filter(audit_events::organization_id.eq(organization_id))
        .order(audit_events::id.asc())
        .select(audit_events::id)
        .load(&mut conn)
        .unwrap();
    assert!(matches!(
        audit::verify(&mut conn, organization_id).unwrap(),
        Verdict::Intact { .. }
    ));

    let verify_cli = |database_url: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            .args(["audit", "verify"])
            .output()
            .unwrap()
    };
    let intact = verify_cli(&app.database.url);
    assert!(
        intact.status.success(),
        "{}",
        String::from_utf8_lossy(&intact.stderr)
    );
    assert!(String::from_utf8_lossy(&intact.stdout).contains("intact"));

    // Someone with database access renames a role in an old event.
    let edited = chained[2];
    let original: Option<String> = audit_events::table
        .find(edited)
        .select(audit_events::target)
        .first(&mut conn)
        .unwrap();
    diesel::update(audit_events::table.find(edited))
        .set(audit_events::target.eq("Someone else"))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        audit::verify(&mut conn, organization_id).unwrap(),
        Verdict::Broken {
            event_id: Some(edited),
            reason: audit::Broken::Edited
        }
    );
    let broken = verify_cli(&app.database.url);
    assert!(!broken.status.success());
    assert!(String::from_utf8_lossy(&broken.stdout).contains(&format!("BROKEN at event {edited}")));

    // Put back as it was, the chain holds again.
    diesel::update(audit_events::table.find(edited))
        .set(audit_events::target.eq(original))
        .execute(&mut conn)
        .unwrap();
    assert!(matches!(
        audit::verify(&mut conn, organization_id).unwrap(),
        Verdict::Intact { .. }
    ));

    // Deleting the newest event is caught, and so is deleting one from the middle (first).
    let newest = *chained.last().unwrap();
    diesel::delete(audit_events::table.find(newest))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        audit::verify(&mut conn, organization_id).unwrap(),
        Verdict::Broken {
            event_id: None,
            reason: audit::Broken::TailMissing
        }
    );
    diesel::delete(audit_events::table.find(chained[3]))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        audit::verify(&mut conn, organization_id).unwrap(),
        Verdict::Broken {
            event_id: Some(chained[4]),
            reason: audit::Broken::Unlinked
        }
    );
}

#[tokio::test]
async fn only_administrators_read_the_log_and_only_their_own() {
    let (app, admin) = spawn_app_with_admin().await;
    let organization_id = first_organization_id(&app);
    add_member(&app, organization_id, "grace@acme.test", &["User"]);
    let member = app
        .signed_in_client("grace@acme.test", ADMIN_PASSWORD)
        .await;
    assert_eq!(member.get("/audit").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        member.get("/audit/export.csv").await.status(),
        StatusCode::FORBIDDEN
    );
    let (_, page) = member.page("/").await;
    assert!(
        !page.contains("href=\"/audit\""),
        "the navigation does not offer it"
    );
    let (_, page) = admin.page("/").await;
    assert!(page.contains("href=\"/audit\""));

    // Another organization's administrator sees none of this organization's events.
    let other = {
        let mut conn = app.pool.get().unwrap();
        use gatehouse::clock::Clock;
        let account =
            account_with_password(&mut conn, app.clock.now(), "lin@other.test", "Lin", None);
        gatehouse::domain::organization::create_with_owner(
            &mut conn,
            "Other Org",
            account.id,
            &test_actor(&app),
        )
        .unwrap()
    };
    let lin = app.signed_in_client("lin@other.test", ADMIN_PASSWORD).await;
    let ours: i64 = {
        let mut conn = app.pool.get().unwrap();
        audit_events::table
            .filter(audit_events::organization_id.eq(organization_id))
            .select(audit_events::id)
            .first(&mut conn)
            .unwrap()
    };
    let (status, _) = lin.page(&format!("/audit/{ours}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, page) = lin.page("/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains(ADMIN_EMAIL), "{other:?}");
}

/// What a visitor does (accepting an invitation) and a sign-in carry the browser and the
/// request id in their events, like a signed-in admin's changes do.
#[tokio::test]
async fn a_visitors_events_carry_their_browser_and_request_id() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    let org = first_organization_id(&app);
    admin.page("/users/new").await;
    let user_role = role_id(&app, org, "User").to_string();
    let invited = admin
        .post_form(
            "/users",
            &[("email", "grace@example.com"), ("role_id", &user_role)],
        )
        .await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);
    let link = sink.wait_for_messages(1).await.remove(0).links()[0].clone();

    let browser = TestClient::with_http(
        &app.address,
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Visitor Browser/1.0")
            .build()
            .unwrap(),
    );
    browser.page(&link).await;
    let accepted = browser
        .post_form(
            &link,
            &[
                ("name", "Grace Hopper"),
                ("password", ADMIN_PASSWORD),
                ("password_confirmation", ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    browser.sign_out().await;
    browser.sign_in("grace@example.com", ADMIN_PASSWORD).await;

    let token = admin_token(&app, "audit reader");
    for action in ["member.invitation-accepted", "account.signed-in"] {
        let events = search_all(
            &app,
            &token,
            &format!("action:{action} actor:grace@example.com"),
        )
        .await;
        let event = events
            .first()
            .unwrap_or_else(|| panic!("no {action} event"));
        assert_eq!(event["user_agent"], "Visitor Browser/1.0", "{action}");
        assert!(
            event["request_id"]
                .as_str()
                .is_some_and(|id| !id.is_empty()),
            "{action}: {event}"
        );
    }
}

/// A role's access to an environment is part of the role's story in the audit log.
#[tokio::test]
async fn a_roles_environment_access_is_in_its_story() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    let role = create_role(
        &app,
        org,
        "Support",
        &[gatehouse::domain::permission::Permission::Read],
    );
    let environment = catalog_environment(&app, org, "Production");
    admin.page(&format!("/roles/{role}")).await;
    let changed = admin
        .post_form(
            &format!("/roles/{role}/environments/{environment}"),
            &[("access", "write")],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let token = admin_token(&app, "audit reader");
    let story = search_all(&app, &token, &format!("role:{role}")).await;
    assert_eq!(
        actions(&story),
        ["role.environment-access-changed", "role.created"]
    );
    assert_eq!(story[0]["target"], "Support");
}
