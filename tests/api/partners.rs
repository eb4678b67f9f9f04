//! The Partners page, as an organization's owner uses it: registering a partner company step by
//! step (its info and logo, its email domains, its partner admin, a review), the partner admin's
//! invitation and registration, the limit, linked APIs in the partner's portal, the partner's
//! settings, a change of partner admin, and deactivation, for good.

use diesel::prelude::*;
use gatehouse::clock::Clock;
use gatehouse::db::schema::{
    audit_events, memberships, organizations, partner_drafts, partner_profiles, partnerships,
};
use reqwest::StatusCode;

use crate::helpers::*;
use crate::smtp_sink::SmtpSink;
use gatehouse::domain::ids::OrganizationId;

const PARTNER_PASSWORD: &str = "a partner admin's passphrase";
const BOUNDARY: &str = "----gatehouse-partners-boundary-9QvXk2Lm";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0";
const WEBP: &[u8] =
    b"RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0\x2f\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0";
const SVG: &[u8] = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"><script>alert(1)</script></svg>";

/// A multipart/form-data body: the text fields, then the logo (file name, content type and
/// bytes) when given, or an empty file input, as a browser sends the form.
fn multipart_body(fields: &[(&str, &str)], logo: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    let (filename, content_type, bytes) = logo.unwrap_or(("", "application/octet-stream", b""));
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Posts a multipart form with the remembered CSRF token in its hidden field.
async fn post_multipart(
    app: &TestApp,
    client: &TestClient,
    path: &str,
    fields: &[(&str, &str)],
    logo: Option<(&str, &str, &[u8])>,
) -> reqwest::Response {
    let token = client.csrf_token().unwrap_or_default();
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    client
        .http
        .post(format!("{}{path}", app.address))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart_body(&all, logo))
        .send()
        .await
        .expect("POST")
}

/// Step 1: loads the page, posts the partner's name and logo.
async fn post_info(
    app: &TestApp,
    owner: &TestClient,
    name: &str,
    logo: Option<(&str, &str, &[u8])>,
) -> reqwest::Response {
    let (status, _) = owner.page("/partners/new").await;
    assert_eq!(status, StatusCode::OK, "step 1 opens");
    post_multipart(app, owner, "/partners/new", &[("name", name)], logo).await
}

/// Loads `from`, posts the form to `action`; returns the status, where it redirects, and the
/// page it shows (the redirect's target, or the re-rendered form).
async fn submit(
    client: &TestClient,
    from: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let (status, _) = client.page(from).await;
    assert_eq!(status, StatusCode::OK, "{from} opens");
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

/// The whole wizard; returns the partnership's id.
async fn register_partner(
    app: &TestApp,
    owner: &TestClient,
    name: &str,
    domains: &str,
    admin: (&str, &str, &str),
) -> i64 {
    let response = post_info(app, owner, name, Some(("logo.png", "image/png", PNG))).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "step 1 of {name}");
    let (status, _, _) = submit(
        owner,
        "/partners/new/domains",
        "/partners/new/domains",
        &[("domains", domains)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "step 2 of {name}");
    let (status, to, review) = submit(
        owner,
        "/partners/new/admin",
        "/partners/new/admin",
        &[
            ("first_name", admin.0),
            ("last_name", admin.1),
            ("email", admin.2),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "step 3 of {name}");
    assert_eq!(to, "/partners/new/review");
    assert!(review.contains("Step 4 of 4"));
    let response = owner.post_form("/partners", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{name} is added");
    let to = location(&response);
    to.strip_prefix("/partners/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to the partner, not {to}"))
}

/// The newest invitation link sent to `email`.
async fn invitation_link(sink: &SmtpSink, email: &str, count: usize) -> String {
    let messages = sink.wait_for_messages(count).await;
    let message = messages
        .iter()
        .rev()
        .find(|message| message.recipients == vec![email.to_owned()])
        .unwrap_or_else(|| panic!("an email to {email}"));
    message
        .links()
        .into_iter()
        .find(|link| link.contains("/invitations/"))
        .expect("an invitation link")
}

/// Follows an invitation link and registers; returns the signed-in client.
async fn accept_invitation(app: &TestApp, link: &str, name: &str) -> TestClient {
    let client = app.client();
    let (status, page) = client.page(link).await;
    assert_eq!(status, StatusCode::OK, "the invitation opens");
    assert!(page.contains("name=\"password\""));
    let response = client
        .post_form(
            link,
            &[
                ("name", name),
                ("password", PARTNER_PASSWORD),
                ("password_confirmation", PARTNER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "registration");
    client
}

fn status_of(app: &TestApp, partnership_id: i64) -> String {
    let mut conn = app.pool.get().unwrap();
    partnerships::table
        .find(partnership_id)
        .select(partnerships::status)
        .first(&mut conn)
        .unwrap()
}

fn partner_organization_of(app: &TestApp, partnership_id: i64) -> OrganizationId {
    let mut conn = app.pool.get().unwrap();
    partnerships::table
        .find(partnership_id)
        .select(partnerships::partner_organization_id)
        .first(&mut conn)
        .unwrap()
}

/// (admin, pending admin) of a partner, by email.
fn admins_of(app: &TestApp, partnership_id: i64) -> (Option<String>, Option<String>) {
    use gatehouse::db::schema::accounts;
    let mut conn = app.pool.get().unwrap();
    let (admin, pending): (Option<i64>, Option<i64>) = partner_profiles::table
        .find(partnership_id)
        .select((
            partner_profiles::admin_account_id,
            partner_profiles::pending_admin_account_id,
        ))
        .first(&mut conn)
        .unwrap();
    let mut email = |id: Option<i64>| {
        id.map(|id| {
            accounts::table
                .find(id)
                .select(accounts::email)
                .first::<String>(&mut conn)
                .unwrap()
        })
    };
    (email(admin), email(pending))
}

fn audit_actions_in(app: &TestApp, organization_id: OrganizationId) -> Vec<String> {
    let mut conn = app.pool.get().unwrap();
    audit_events::table
        .filter(audit_events::organization_id.eq(organization_id))
        .order(audit_events::id.asc())
        .select(audit_events::action)
        .load(&mut conn)
        .unwrap()
}

/// An active partner: registered, and its admin (Lin) registered through the invitation.
async fn active_partner(app: &TestApp, owner: &TestClient, sink: &SmtpSink) -> (i64, TestClient) {
    let id = register_partner(
        app,
        owner,
        "Acme Logistics",
        "@acme.example, acme-logistics.example",
        ("Lin", "Chen", "lin@acme.example"),
    )
    .await;
    let link = invitation_link(sink, "lin@acme.example", 1).await;
    let lin = accept_invitation(app, &link, "Lin Chen").await;
    assert_eq!(status_of(app, id), "active");
    (id, lin)
}

#[tokio::test]
async fn a_partner_is_registered_step_by_step_and_is_active_once_its_admin_registers() {
    let (app, owner, sink) = spawn_app_with_sink().await;
    let client_org = first_organization_id(&app);

    let (status, list) = owner.page("/partners").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("10 of 10 remaining"));
    assert!(list.contains("No partners yet"));
    assert!(list.contains(r#"href="/partners/new""#));

    // Later steps wait for the earlier ones.
    let early = owner.get("/partners/new/review").await;
    assert_eq!(early.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&early), "/partners/new");

    // Step 1: the partner's info.
    let (status, step) = owner.page("/partners/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(step.contains("Step 1 of 4"));
    assert!(step.contains(r#"aria-current="step""#));
    let response = post_multipart(&app, &owner, "/partners/new", &[("name", "  ")], None).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Enter the partner"));
    assert!(page.contains(r#"aria-describedby="partner-name-error""#));
    let response = post_info(
        &app,
        &owner,
        "Acme Logistics",
        Some(("acme.png", "image/png", PNG)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/partners/new/domains");

    // Step 2: the email domains.
    let (status, _, page) = submit(
        &owner,
        "/partners/new/domains",
        "/partners/new/domains",
        &[("domains", "@acme.example\nbad_domain")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Step 2 of 4"));
    assert!(page.contains("bad_domain"));
    assert!(page.contains("is not a domain name"));
    assert!(
        page.contains("@acme.example\nbad_domain</textarea>"),
        "kept"
    );
    let (status, to, page) = submit(
        &owner,
        "/partners/new/domains",
        "/partners/new/domains",
        &[(
            "domains",
            "@acme.example, ACME-Logistics.example acme.example",
        )],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/partners/new/admin");
    assert!(page.contains("Step 3 of 4"));
    assert!(page.contains("@acme.example, @acme-logistics.example"));

    // Back to step 1 and 2: the draft kept everything, the logo too.
    let (_, step) = owner.page("/partners/new").await;
    assert!(step.contains(r#"value="Acme Logistics""#));
    assert!(step.contains(r#"src="/partners/new/logo?v="#));
    let (_, step) = owner.page("/partners/new/domains").await;
    assert!(step.contains("acme.example\nacme-logistics.example</textarea>"));

    // Step 3: the partner admin, whose email must be in the domains.
    let (status, _, page) = submit(
        &owner,
        "/partners/new/admin",
        "/partners/new/admin",
        &[
            ("first_name", "Lin"),
            ("last_name", ""),
            ("email", "lin@elsewhere.example"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Enter the last name."));
    assert!(page.contains("This email is not in the partner"));
    assert!(page.contains("(@acme.example, @acme-logistics.example)"));
    assert!(page.contains(r#"value="lin@elsewhere.example""#));
    let (status, to, review) = submit(
        &owner,
        "/partners/new/admin",
        "/partners/new/admin",
        &[
            ("first_name", "Lin"),
            ("last_name", "Chen"),
            ("email", "Lin@Acme.example"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/partners/new/review");

    // Step 4: the review shows it all.
    assert!(review.contains("Step 4 of 4"));
    assert!(review.contains("Acme Logistics"));
    assert!(review.contains("@acme.example") && review.contains("@acme-logistics.example"));
    assert!(review.contains("Lin Chen") && review.contains("lin@acme.example"));
    assert!(review.contains(r#"src="/partners/new/logo?v="#));
    assert!(review.contains("Add partner"));
    let logo = owner.get("/partners/new/logo").await;
    assert_eq!(logo.status(), StatusCode::OK);
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.bytes().await.unwrap().as_ref(), PNG);

    let response = owner.post_form("/partners", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    let id: i64 = to.strip_prefix("/partners/").unwrap().parse().unwrap();
    let (_, settings) = owner.page(&to).await;
    assert!(settings.contains("Partner added."));
    assert!(settings.contains("Pending"));
    assert_eq!(status_of(&app, id), "pending");
    assert_eq!(
        admins_of(&app, id),
        (None, Some("lin@acme.example".to_owned()))
    );
    {
        let mut conn = app.pool.get().unwrap();
        let drafts: i64 = partner_drafts::table.count().get_result(&mut conn).unwrap();
        assert_eq!(drafts, 0, "the draft is gone");
    }
    let (_, list) = owner.page("/partners").await;
    assert!(list.contains("9 of 10 remaining"));
    assert!(list.contains("Acme Logistics") && list.contains("Pending"));
    assert!(list.contains(&format!(r#"src="/partners/{id}/logo?v="#)));
    let logo = owner.get(&format!("/partners/{id}/logo")).await;
    assert_eq!(logo.status(), StatusCode::OK);
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert!(
        logo.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("private")
    );

    // The partner admin's invitation arrives; they register; the partner is Active.
    let email = sink.wait_for_messages(1).await.remove(0);
    assert_eq!(email.recipients, vec!["lin@acme.example".to_owned()]);
    assert_eq!(
        email.subject,
        "You are invited to Acme Logistics on Gatehouse"
    );
    let link = invitation_link(&sink, "lin@acme.example", 1).await;
    let lin = accept_invitation(&app, &link, "Lin Chen").await;
    assert_eq!(status_of(&app, id), "active");
    assert_eq!(
        admins_of(&app, id),
        (Some("lin@acme.example".to_owned()), None)
    );
    let (_, list) = owner.page("/partners").await;
    assert!(list.contains("Active") && list.contains("Lin Chen"));

    // The partner admin invites people of the partner's domains, and no one else.
    let partner_org = partner_organization_of(&app, id);
    let member_role = role_id(&app, partner_org, "Member").to_string();
    let (status, _, _) = submit(
        &lin,
        "/users/new",
        "/users",
        &[
            ("email", "sam@acme-logistics.example"),
            ("role_id", &member_role),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "inside the domains");
    let (status, _, page) = submit(
        &lin,
        "/users/new",
        "/users",
        &[
            ("email", "eve@elsewhere.example"),
            ("role_id", &member_role),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("This partner takes members only from its registered email domains."));

    // The partner's roles are fixed.
    {
        let mut conn = app.pool.get().unwrap();
        let refused = gatehouse::domain::role::create(
            &mut conn,
            partner_org,
            "Auditors",
            gatehouse::domain::permission::PermissionSet::of(&[
                gatehouse::domain::permission::Permission::Read,
            ]),
            &test_actor(&app),
        );
        assert!(matches!(
            refused,
            Err(gatehouse::domain::rules::DomainError::Rule(rule))
                if rule.message_key() == "partners-roles-fixed"
        ));
        let names: Vec<String> = gatehouse::domain::role::list(&mut conn, partner_org)
            .unwrap()
            .into_iter()
            .map(|role| role.name)
            .collect();
        assert_eq!(names, vec!["Admin".to_owned(), "Member".to_owned()]);
    }

    // Both organizations record the registration and the activation.
    for org in [client_org, partner_org] {
        let actions = audit_actions_in(&app, org);
        assert!(actions.contains(&"partner.registered".to_owned()), "{org}");
        assert!(actions.contains(&"partner.activated".to_owned()), "{org}");
    }
}

#[tokio::test]
async fn a_partner_admin_who_already_has_an_account_makes_the_partner_active_at_once() {
    let (app, owner, sink) = spawn_app_with_sink().await;
    let client_org = first_organization_id(&app);
    // Kim is a member of the client already; that is fine.
    add_member(&app, client_org, "kim@kim-partner.example", &["User"]);
    let id = register_partner(
        &app,
        &owner,
        "Kim Partners",
        "kim-partner.example",
        ("Kim", "Park", "kim@kim-partner.example"),
    )
    .await;
    assert_eq!(status_of(&app, id), "active");
    assert_eq!(
        admins_of(&app, id),
        (Some("kim@kim-partner.example".to_owned()), None)
    );
    let email = sink.wait_for_messages(1).await.remove(0);
    assert_eq!(email.subject, "You now have access to Kim Partners");
    let kim = app
        .signed_in_client("kim@kim-partner.example", ADMIN_PASSWORD)
        .await;
    let (_, page) = kim.page("/organizations").await;
    assert!(page.contains("Kim Partners"));
}

#[tokio::test]
async fn logos_are_checked_by_their_content() {
    let (app, owner, _sink) = spawn_app_with_sink().await;
    for (file, content_type, bytes) in [
        ("acme.png", "image/png", PNG),
        ("acme.jpg", "image/jpeg", JPEG),
        ("acme.webp", "image/webp", WEBP),
        // The name and the declared type do not matter, the content does.
        ("acme.bin", "application/octet-stream", PNG),
    ] {
        let response = post_info(&app, &owner, "Acme", Some((file, content_type, bytes))).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{file}");
        let logo = owner.get("/partners/new/logo").await;
        assert_eq!(logo.status(), StatusCode::OK);
        let expected = match &file[file.len() - 3..] {
            "jpg" => "image/jpeg",
            "ebp" => "image/webp",
            _ => "image/png",
        };
        assert_eq!(logo.headers()["content-type"], expected, "{file}");
    }
    let refusals: [(&str, &str, Vec<u8>, &str); 4] = [
        (
            "acme.svg",
            "image/svg+xml",
            SVG.to_vec(),
            "SVG is not accepted.",
        ),
        (
            "notes.png",
            "image/png",
            b"just some text, named like an image".to_vec(),
            "This file is not a PNG, JPEG or WebP image.",
        ),
        (
            "empty.png",
            "image/png",
            Vec::new(),
            "This file is not a PNG",
        ),
        (
            "huge.png",
            "image/png",
            {
                let mut big = PNG.to_vec();
                big.resize(512 * 1024 + 1, 0);
                big
            },
            "The logo is larger than 512 KB.",
        ),
    ];
    for (file, content_type, bytes, message) in refusals {
        let response = post_info(&app, &owner, "Acme", Some((file, content_type, &bytes))).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{file}"
        );
        let page = response.text().await.unwrap();
        assert!(page.contains(message), "{file}: {message}");
        assert!(page.contains(r#"aria-describedby="partner-logo-error"#));
    }
    // The last good logo is still the draft's.
    let logo = owner.get("/partners/new/logo").await;
    assert_eq!(logo.headers()["content-type"], "image/png");
    // Exactly 512 KiB is fine.
    let mut exact = PNG.to_vec();
    exact.resize(512 * 1024, 0);
    let response = post_info(&app, &owner, "Acme", Some(("big.png", "image/png", &exact))).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // A good logo with a mistake elsewhere is kept, so it need not be chosen again.
    let response = post_info(&app, &owner, "", Some(("new.jpg", "image/jpeg", JPEG))).await;
    assert_unprocessable(response, "This logo is kept.").await;
    let logo = owner.get("/partners/new/logo").await;
    assert_eq!(logo.headers()["content-type"], "image/jpeg");
    // Removing it.
    let response = post_multipart(
        &app,
        &owner,
        "/partners/new",
        &[("name", "Acme"), ("remove_logo", "yes")],
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        owner.get("/partners/new/logo").await.status(),
        StatusCode::NOT_FOUND
    );
    // Cancelling drops the draft.
    let response = owner.post_form("/partners/new/cancel", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, list) = owner.page("/partners").await;
    assert!(list.contains("The registration was cancelled."));
    let (_, step) = owner.page("/partners/new").await;
    assert!(!step.contains(r#"value="Acme""#));
}

#[tokio::test]
async fn an_organization_registers_at_most_its_limit_of_partners() {
    let (app, owner, _sink) = spawn_app_with_sink_and(|settings| settings.max_partners = 2).await;
    let client_org = first_organization_id(&app);
    let first = register_partner(
        &app,
        &owner,
        "First",
        "first.example",
        ("Ann", "One", "ann@first.example"),
    )
    .await;
    let (_, list) = owner.page("/partners").await;
    assert!(list.contains("1 of 2 remaining"));
    register_partner(
        &app,
        &owner,
        "Second",
        "second.example",
        ("Bob", "Two", "bob@second.example"),
    )
    .await;
    let (_, list) = owner.page("/partners").await;
    assert!(list.contains("0 of 2 remaining"));
    assert!(list.contains("disabled"));
    assert!(list.contains("the most it may register"));
    assert!(!list.contains(r#"href="/partners/new""#));
    assert_eq!(
        owner.get("/partners/new").await.status(),
        StatusCode::CONFLICT
    );
    // A third, even with a complete draft, is refused.
    {
        let mut conn = app.pool.get().unwrap();
        let owner_id: i64 = organizations::table
            .find(client_org)
            .select(organizations::owner_account_id)
            .first::<Option<i64>>(&mut conn)
            .unwrap()
            .unwrap();
        diesel::insert_into(partner_drafts::table)
            .values((
                partner_drafts::organization_id.eq(client_org),
                partner_drafts::account_id.eq(owner_id),
                partner_drafts::name.eq("Third"),
                partner_drafts::domains.eq("third.example"),
                partner_drafts::admin_first_name.eq("Cy"),
                partner_drafts::admin_last_name.eq("Three"),
                partner_drafts::admin_email.eq("cy@third.example"),
                partner_drafts::updated_at.eq(app.clock.now()),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let response = owner.post_form("/partners", &[]).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("registered as many partners as it may")
    );
    {
        let mut conn = app.pool.get().unwrap();
        let count: i64 = partnerships::table
            .filter(partnerships::client_organization_id.eq(client_org))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(count, 2);
    }
    // A deactivated partner no longer counts.
    let (status, _, _) = submit(
        &owner,
        &format!("/partners/{first}/deactivate"),
        &format!("/partners/{first}/deactivate"),
        &[("confirm", "DEACTIVATE")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, list) = owner.page("/partners").await;
    assert!(list.contains("1 of 2 remaining"));
}

#[tokio::test]
async fn linked_apis_reach_the_partner_portal_and_deactivation_ends_every_access_for_good() {
    let (app, owner, sink) = spawn_app_with_sink().await;
    let client_org = first_organization_id(&app);
    let (id, lin) = active_partner(&app, &owner, &sink).await;
    let partner_org = partner_organization_of(&app, id);
    let production = catalog_environment(&app, client_org, "Production");
    let shipping = insert_catalog_api(&app, client_org, production, "Shipping", "1.0");
    let tracking = insert_catalog_api(&app, client_org, production, "Tracking", "1.0");
    let group = catalog_group(&app, client_org, "Logistics", &[tracking]);
    insert_catalog_api(&app, client_org, production, "Payroll", "1.0");

    // Nothing yet in Lin's portal.
    let (_, portal) = lin.page("/portal").await;
    assert!(!portal.contains("Shipping") && !portal.contains("Tracking"));

    let settings = format!("/partners/{id}");
    let (_, page) = owner.page(&settings).await;
    assert!(page.contains("APIs in Production"));
    assert!(page.contains("Logistics"));
    let (status, to, page) = submit(
        &owner,
        &settings,
        &format!("/partners/{id}/apis"),
        &[
            ("api", &shipping.to_string()),
            ("group", &group.to_string()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, format!("/partners/{id}#apis"));
    assert!(page.contains("The linked APIs were saved."));
    let (_, list) = owner.page("/partners").await;
    assert!(list.contains("2 APIs or groups"));

    // The partner's members see them in the portal; nothing else.
    let (_, portal) = lin.page("/portal").await;
    assert!(portal.contains("Shipping") && portal.contains("Tracking"));
    assert!(!portal.contains("Payroll"));

    // Another organization's API is not found.
    let other_org = {
        let mut conn = app.pool.get().unwrap();
        gatehouse::domain::organization::create_partner_organization(
            &mut conn,
            "Elsewhere",
            &test_actor(&app),
        )
        .unwrap()
        .id
    };
    let elsewhere = catalog_environment(&app, other_org, "Elsewhere");
    let foreign = insert_catalog_api(&app, other_org, elsewhere, "Foreign", "1.0");
    let response = owner
        .post_form(
            &format!("/partners/{id}/apis"),
            &[("api", &foreign.to_string())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // Deactivation is refused while APIs remain, and the page says which.
    let deactivate = format!("/partners/{id}/deactivate");
    let (status, page) = owner.page(&deactivate).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("still has access to APIs"));
    assert!(page.contains("Shipping 1.0 (Production)"));
    assert!(page.contains("Logistics"));
    assert!(!page.contains(r#"name="confirm""#));
    let response = owner
        .post_form(&deactivate, &[("confirm", "DEACTIVATE")])
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Shipping 1.0 (Production)")
    );
    assert_eq!(status_of(&app, id), "active");

    // Unlinked, it asks for the typed word, which the server checks too.
    let (status, _, _) = submit(&owner, &settings, &format!("/partners/{id}/apis"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = owner.page(&deactivate).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"data-confirm-word="DEACTIVATE""#));
    // A member Lin invited, who has not registered yet.
    let member_role = role_id(&app, partner_org, "Member").to_string();
    let (status, _, _) = submit(
        &lin,
        "/users/new",
        "/users",
        &[("email", "sam@acme.example"), ("role_id", &member_role)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let sam_link = invitation_link(&sink, "sam@acme.example", 2).await;
    let response = owner
        .post_form(&deactivate, &[("confirm", "deactivate")])
        .await;
    assert_unprocessable(response, "Type DEACTIVATE exactly").await;
    let (status, to, list) = submit(
        &owner,
        &deactivate,
        &deactivate,
        &[("confirm", "DEACTIVATE")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/partners");
    assert!(list.contains("The partner was deactivated."));
    assert!(list.contains("Deactivated"));
    assert!(list.contains("10 of 10 remaining"));
    assert_eq!(status_of(&app, id), "ended");

    // Its members lose every access at once.
    assert_eq!(lin.get("/users").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(lin.get("/").await.status(), StatusCode::FORBIDDEN);
    {
        let mut conn = app.pool.get().unwrap();
        let lin_id: gatehouse::domain::ids::AccountId = memberships::table
            .filter(memberships::organization_id.eq(partner_org))
            .filter(memberships::email.eq("lin@acme.example"))
            .select(memberships::account_id)
            .first(&mut conn)
            .unwrap();
        assert!(
            gatehouse::domain::organization::member_context(&mut conn, lin_id, partner_org)
                .unwrap()
                .is_none()
        );
        assert!(
            gatehouse::domain::organization::choices_for_account(&mut conn, lin_id)
                .unwrap()
                .is_empty()
        );
        assert!(
            gatehouse::domain::portal::reachable_api_ids(&mut conn, lin_id, None, app.clock.now())
                .unwrap()
                .is_empty()
        );
    }
    let (_, portal) = lin.page("/portal").await;
    assert!(!portal.contains("Shipping") && !portal.contains("Tracking"));
    // A pending invitation into it no longer opens.
    assert_eq!(
        app.client().get(&sam_link).await.status(),
        StatusCode::NOT_FOUND
    );

    // And there is no way back: the settings are read-only, nothing re-enables it.
    let (status, page) = owner.page(&settings).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("This partner was deactivated on"));
    assert!(!page.contains(&format!(r#"action="/partners/{id}/info""#)));
    for (path, fields) in [
        (
            format!("/partners/{id}/domains"),
            vec![("domains", "acme.example")],
        ),
        (
            format!("/partners/{id}/admin"),
            vec![
                ("first_name", "Mei"),
                ("last_name", "Wong"),
                ("email", "mei@acme.example"),
            ],
        ),
        (format!("/partners/{id}/apis"), vec![("api", "1")]),
        (format!("/partners/{id}/admin/resend"), vec![]),
        (deactivate.clone(), vec![("confirm", "DEACTIVATE")]),
    ] {
        let response = owner.post_form(&path, &fields).await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("its settings can no longer change"),
            "{path}"
        );
    }
    let response = post_multipart(
        &app,
        &owner,
        &format!("/partners/{id}/info"),
        &[("name", "Acme Again")],
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(owner.get(&deactivate).await.status(), StatusCode::CONFLICT);
    for path in [
        format!("/partners/{id}/activate"),
        format!("/partners/{id}/reactivate"),
    ] {
        let response = owner.post_form(&path, &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(status_of(&app, id), "ended");

    for org in [client_org, partner_org] {
        let actions = audit_actions_in(&app, org);
        assert!(actions.contains(&"partner.apis-linked".to_owned()), "{org}");
        assert!(actions.contains(&"partner.deactivated".to_owned()), "{org}");
    }
}

#[tokio::test]
async fn the_partner_settings_change_and_a_new_partner_admin_takes_over_on_accepting() {
    let (app, owner, sink) = spawn_app_with_sink().await;
    let client_org = first_organization_id(&app);
    let (id, lin) = active_partner(&app, &owner, &sink).await;
    let partner_org = partner_organization_of(&app, id);
    let settings = format!("/partners/{id}");

    // General information: the name (the partner's organization follows) and the logo.
    let (_, _) = owner.page(&settings).await;
    let response = post_multipart(
        &app,
        &owner,
        &format!("/partners/{id}/info"),
        &[("name", "Acme Freight")],
        Some(("logo.svg", "image/svg+xml", SVG)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("SVG is not accepted."));
    assert!(page.contains(r#"value="Acme Freight""#));
    let response = post_multipart(
        &app,
        &owner,
        &format!("/partners/{id}/info"),
        &[("name", "Acme Freight")],
        Some(("logo.webp", "image/webp", WEBP)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/partners/{id}#general"));
    let logo = owner.get(&format!("/partners/{id}/logo")).await;
    assert_eq!(logo.headers()["content-type"], "image/webp");
    {
        let mut conn = app.pool.get().unwrap();
        let name: String = organizations::table
            .find(partner_org)
            .select(organizations::name)
            .first(&mut conn)
            .unwrap();
        assert_eq!(name, "Acme Freight");
    }

    // Domains: the partner admin's domain stays.
    let (status, _, page) = submit(
        &owner,
        &settings,
        &format!("/partners/{id}/domains"),
        &[("domains", "acme-logistics.example")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("uses @acme.example"));
    let (status, to, page) = submit(
        &owner,
        &settings,
        &format!("/partners/{id}/domains"),
        &[("domains", "acme.example\nacme-freight.example")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, format!("/partners/{id}#domains"));
    assert!(page.contains("@acme-freight.example"));
    assert!(!page.contains("@acme-logistics.example"));

    // A new partner admin: within the domains, invited, effective when they accept.
    let (status, _, page) = submit(
        &owner,
        &settings,
        &format!("/partners/{id}/admin"),
        &[
            ("first_name", "Mei"),
            ("last_name", "Wong"),
            ("email", "mei@acme-logistics.example"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("This email is not in the partner"));
    let (status, _, page) = submit(
        &owner,
        &settings,
        &format!("/partners/{id}/admin"),
        &[
            ("first_name", "Lin"),
            ("last_name", "Chen"),
            ("email", "lin@acme.example"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("already the partner admin"));
    let (status, to, page) = submit(
        &owner,
        &settings,
        &format!("/partners/{id}/admin"),
        &[
            ("first_name", "Mei"),
            ("last_name", "Wong"),
            ("email", "mei@acme-freight.example"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, format!("/partners/{id}#admin"));
    assert!(page.contains("Invitation sent."));
    assert!(page.contains("Mei Wong") && page.contains("mei@acme-freight.example"));
    assert_eq!(
        admins_of(&app, id),
        (
            Some("lin@acme.example".to_owned()),
            Some("mei@acme-freight.example".to_owned())
        ),
        "nothing changes before Mei accepts"
    );
    // While Mei is the pending admin, her domain cannot go either.
    let (status, _, page) = submit(
        &owner,
        &settings,
        &format!("/partners/{id}/domains"),
        &[("domains", "acme.example")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("uses @acme-freight.example"));

    let link = invitation_link(&sink, "mei@acme-freight.example", 2).await;
    let mei = accept_invitation(&app, &link, "Mei Wong").await;
    assert_eq!(
        admins_of(&app, id),
        (Some("mei@acme-freight.example".to_owned()), None)
    );
    let (_, page) = owner.page(&settings).await;
    assert!(page.contains("Mei Wong"));
    // Both are members of the partner, with the Admin role.
    assert_eq!(mei.get("/users/new").await.status(), StatusCode::OK);
    assert_eq!(lin.get("/users").await.status(), StatusCode::OK);

    for org in [client_org, partner_org] {
        let actions = audit_actions_in(&app, org);
        for action in [
            "partner.info-updated",
            "partner.domains-updated",
            "partner.admin-change-requested",
            "partner.admin-changed",
        ] {
            assert!(actions.contains(&action.to_owned()), "{org}: {action}");
        }
    }
}

#[tokio::test]
async fn only_the_owner_reaches_the_partners_pages_and_only_for_their_partners() {
    let (app, owner, _sink) = spawn_app_with_sink().await;
    let client_org = first_organization_id(&app);
    let id = register_partner(
        &app,
        &owner,
        "Acme Logistics",
        "acme.example",
        ("Lin", "Chen", "lin@acme.example"),
    )
    .await;
    // An administrator of the client who is not its owner.
    add_member(&app, client_org, "grace@example.com", &["Administrator"]);
    let grace = app
        .signed_in_client("grace@example.com", ADMIN_PASSWORD)
        .await;
    let (status, overview) = grace.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!overview.contains(r#"href="/partners""#));
    let gets = [
        "/partners".to_owned(),
        "/partners/new".to_owned(),
        "/partners/new/domains".to_owned(),
        "/partners/new/admin".to_owned(),
        "/partners/new/review".to_owned(),
        "/partners/new/logo".to_owned(),
        format!("/partners/{id}"),
        format!("/partners/{id}/logo"),
        format!("/partners/{id}/deactivate"),
    ];
    for path in &gets {
        assert_eq!(
            grace.get(path).await.status(),
            StatusCode::FORBIDDEN,
            "GET {path}"
        );
    }
    let posts = [
        "/partners".to_owned(),
        "/partners/new/domains".to_owned(),
        "/partners/new/admin".to_owned(),
        "/partners/new/cancel".to_owned(),
        format!("/partners/{id}/domains"),
        format!("/partners/{id}/admin"),
        format!("/partners/{id}/admin/resend"),
        format!("/partners/{id}/apis"),
        format!("/partners/{id}/deactivate"),
    ];
    for path in &posts {
        let response = grace.post_form(path, &[("confirm", "DEACTIVATE")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path}");
    }
    for path in ["/partners/new".to_owned(), format!("/partners/{id}/info")] {
        let response = post_multipart(&app, &grace, &path, &[("name", "Mine")], None).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path}");
    }
    assert_eq!(status_of(&app, id), "pending");

    // The owner of another organization: a partner of ours is not found there.
    let navy_owner = {
        let email = "hopper@navy.example";
        let mut conn = app.pool.get().unwrap();
        let now = app.clock.now();
        let account = account_with_password(&mut conn, now, email, "Grace Hopper", None);
        gatehouse::domain::organization::create_with_owner(
            &mut conn,
            "Navy",
            account.id,
            &test_actor(&app),
        )
        .unwrap();
        app.signed_in_client(email, ADMIN_PASSWORD).await
    };
    let (status, list) = navy_owner.page("/partners").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!list.contains("Acme Logistics"));
    for path in [
        format!("/partners/{id}"),
        format!("/partners/{id}/logo"),
        format!("/partners/{id}/deactivate"),
    ] {
        assert_eq!(
            navy_owner.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "GET {path}"
        );
    }
    for path in [
        format!("/partners/{id}/domains"),
        format!("/partners/{id}/admin"),
        format!("/partners/{id}/apis"),
        format!("/partners/{id}/deactivate"),
    ] {
        let response = navy_owner
            .post_form(
                &path,
                &[("confirm", "DEACTIVATE"), ("domains", "x.example")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    let response = post_multipart(
        &app,
        &navy_owner,
        &format!("/partners/{id}/info"),
        &[("name", "Mine")],
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(status_of(&app, id), "pending");
}

/// A partner's first admin is a new member of the partner organization: someone who signs in
/// through an organization's single sign-on (and is not on its bypass list) cannot be one.
#[tokio::test]
async fn a_partner_admin_who_signs_in_through_sso_elsewhere_is_refused() {
    use gatehouse::db::schema::sso_connections;
    let (app, owner, _sink) = spawn_app_with_sink().await;
    let organization_id = first_organization_id(&app);
    add_member(&app, organization_id, "sso.member@example.com", &["User"]);
    {
        let mut conn = app.pool.get().unwrap();
        diesel::insert_into(sso_connections::table)
            .values((
                sso_connections::organization_id.eq(organization_id),
                sso_connections::issuer_url.eq("https://id.example.com"),
                sso_connections::client_id.eq("gatehouse"),
                sso_connections::client_secret_sealed.eq("v1.unused"),
                sso_connections::email_claim.eq("email"),
                sso_connections::enabled.eq(true),
                sso_connections::updated_at.eq(app.clock.now()),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let response = post_info(&app, &owner, "Acme", Some(("logo.png", "image/png", PNG))).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    submit(
        &owner,
        "/partners/new/domains",
        "/partners/new/domains",
        &[("domains", "example.com")],
    )
    .await;
    submit(
        &owner,
        "/partners/new/admin",
        "/partners/new/admin",
        &[
            ("first_name", "Sso"),
            ("last_name", "Member"),
            ("email", "sso.member@example.com"),
        ],
    )
    .await;
    let (_, _) = owner.page("/partners/new/review").await;
    // As for anything else that no longer holds, the wizard goes back to its first step, which
    // says why, and nobody was invited.
    let refused = owner.post_form("/partners", &[]).await;
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&refused), "/partners/new");
    let (_, page) = owner.page("/partners/new").await;
    assert!(
        page.contains("signs in through another organization"),
        "{page}"
    );
    let partnerships: i64 = partnerships::table
        .count()
        .get_result(&mut app.pool.get().unwrap())
        .unwrap();
    assert_eq!(partnerships, 0);
}
