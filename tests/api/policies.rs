//! The Policies page and what it changes elsewhere: invitations by domain, password rules.

use reqwest::StatusCode;

use crate::helpers::*;

/// Posts the policies form as a browser would: every field the page has, the defaults where the
/// test does not say otherwise.
async fn save_policies(admin: &TestClient, fields: &[(&str, &str)]) -> reqwest::Response {
    let (status, _) = admin.page("/policies").await;
    assert_eq!(status, StatusCode::OK);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    for (name, default) in [
        ("password_expiry_days", "90"),
        ("password_history", "5"),
        ("inactivity_days", "90"),
        ("two_factor_mode", "off"),
        ("two_factor_days", "30"),
    ] {
        if !fields.iter().any(|(field, _)| *field == name) {
            all.push((name, default));
        }
    }
    admin.post_form("/policies", &all).await
}

#[tokio::test]
async fn saving_shows_exactly_what_changed_and_records_it() {
    let (_app, admin) = spawn_app_with_admin().await;
    let (_, page) = admin.page("/policies").await;
    assert!(
        page.contains("data-dirty-submit"),
        "Save waits for a change (with JavaScript)"
    );
    // Single sign-on has its own page, linked from here.
    assert!(page.contains("href=\"/policies/sso\""));

    let saved = save_policies(
        &admin,
        &[
            ("password_requires_special", "on"),
            ("member_domains", "Example.com; @partner.org"),
        ],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let target = location(&saved);
    assert!(target.starts_with("/policies?changed="));
    let (_, page) = admin.page(&target).await;
    assert!(page.contains("Policies saved."));
    assert!(page.contains(
        "Passwords require a special character</strong>: <span class=\"muted\">off</span> → on"
    ));
    assert!(page.contains(
        "Allowed domains</strong>: <span class=\"muted\">—</span> → example.com, partner.org"
    ));
    assert!(
        !page.contains("Remote agent configuration</strong>"),
        "unchanged settings are not listed"
    );
    assert!(page.contains("value=\"example.com, partner.org\""));
    assert!(page.contains("checked aria-describedby=\"special-hint\""));

    // Saving the same again changes nothing.
    let again = save_policies(
        &admin,
        &[
            ("password_requires_special", "on"),
            ("member_domains", "example.com, partner.org"),
        ],
    )
    .await;
    assert_eq!(location(&again), "/policies");
    let (_, page) = admin.page("/policies").await;
    assert!(page.contains("Nothing changed."));
}

#[tokio::test]
async fn bad_values_are_explained_and_kept() {
    let (_app, admin) = spawn_app_with_admin().await;
    let response = save_policies(
        &admin,
        &[
            ("member_domains", "not a domain"),
            ("scheduler_time_zone", "Mars/Olympus"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(body.contains("Enter domains like example.com"));
    assert!(body.contains("Choose a time zone from the list"));
    assert!(body.contains("value=\"not a domain\""));
    assert!(body.contains("value=\"Mars/Olympus\""));
    let (_, page) = admin.page("/policies").await;
    assert!(!page.contains("not a domain"), "nothing was saved");
}

#[tokio::test]
async fn agent_settings_are_stored_and_shown() {
    let (_app, admin) = spawn_app_with_admin().await;
    let saved = save_policies(
        &admin,
        &[
            ("remote_agent_configuration", "on"),
            ("scheduler_time_zone", "America/Sao_Paulo"),
            ("disable_connector_updates", "on"),
        ],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page("/policies").await;
    assert!(page.contains("value=\"America/Sao_Paulo\""));
    assert!(page.contains(
        "id=\"remote_agent_configuration\" name=\"remote_agent_configuration\" value=\"on\" checked"
    ));
    assert!(
        page.contains("<option value=\"Europe/Warsaw\">"),
        "the zone list to pick from"
    );
}

#[tokio::test]
async fn invitations_outside_the_member_domains_are_refused_and_existing_members_listed() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    add_member(&app, org, "grace@navy.mil", &["User"]);
    save_policies(&admin, &[("member_domains", "example.com")]).await;
    let (_, page) = admin.page("/policies").await;
    assert!(page.contains("One member has an email outside these domains"));
    assert!(page.contains("<li>grace@navy.mil</li>"));

    admin.page("/users/new").await;
    let user = role_id(&app, org, "User").to_string();
    let refused = admin
        .post_form(
            "/users",
            &[("email", "linus@kernel.org"), ("role_id", &user)],
        )
        .await;
    assert_unprocessable(refused, "domain is not allowed").await;
    let allowed = admin
        .post_form(
            "/users",
            &[("email", "margaret@example.com"), ("role_id", &user)],
        )
        .await;
    assert_eq!(allowed.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn only_admins_open_the_policies_page() {
    let (app, _admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    add_member(&app, org, "plain@example.com", &["User"]);
    let plain = app
        .signed_in_client("plain@example.com", ADMIN_PASSWORD)
        .await;
    assert_eq!(plain.get("/policies").await.status(), StatusCode::FORBIDDEN);
    let post = plain
        .post_form("/policies", &[("password_requires_special", "on")])
        .await;
    assert_eq!(post.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn new_passwords_meet_the_special_character_rule() {
    let (app, admin, sink) = spawn_app_with_sink().await;
    save_policies(&admin, &[("password_requires_special", "on")]).await;

    // Registering through an invitation.
    let org = first_organization_id(&app);
    admin.page("/users/new").await;
    admin
        .post_form(
            "/users",
            &[
                ("email", "grace@example.com"),
                ("role_id", &role_id(&app, org, "User").to_string()),
            ],
        )
        .await;
    let link = sink.wait_for_messages(1).await[0].links()[0].clone();
    let grace = app.client();
    grace.page(&link).await;
    let plain = grace
        .post_form(
            &link,
            &[
                ("name", "Grace"),
                ("password", "only plain words here"),
                ("password_confirmation", "only plain words here"),
            ],
        )
        .await;
    assert_unprocessable(plain, "Add at least one special character").await;
    let special = grace
        .post_form(
            &link,
            &[
                ("name", "Grace"),
                ("password", "plain words & one sign"),
                ("password_confirmation", "plain words & one sign"),
            ],
        )
        .await;
    assert_eq!(special.status(), StatusCode::SEE_OTHER);

    // Resetting a password: the strictest policy of the account's organizations applies.
    let visitor = app.client();
    visitor.page("/forgot-password").await;
    visitor
        .post_form("/forgot-password", &[("email", ADMIN_EMAIL)])
        .await;
    let reset = sink.wait_for_messages(2).await[1].links()[0].clone();
    visitor.page(&reset).await;
    let refused = visitor
        .post_form(
            &reset,
            &[
                ("password", "no special characters"),
                ("password_confirmation", "no special characters"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let accepted = visitor
        .post_form(
            &reset,
            &[
                ("password", "now with a percent %"),
                ("password_confirmation", "now with a percent %"),
            ],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn changing_a_password_on_the_profile_meets_the_rule_too() {
    let (_app, admin) = spawn_app_with_admin().await;
    save_policies(&admin, &[("password_requires_special", "on")]).await;
    admin.page("/profile").await;
    let plain = admin
        .post_form(
            "/profile/password",
            &[
                ("current_password", ADMIN_PASSWORD),
                ("password", "nothing special here"),
                ("password_confirmation", "nothing special here"),
            ],
        )
        .await;
    assert_unprocessable(plain, "Add at least one special character").await;
    let special = admin
        .post_form(
            "/profile/password",
            &[
                ("current_password", ADMIN_PASSWORD),
                ("password", "something special: !"),
                ("password_confirmation", "something special: !"),
            ],
        )
        .await;
    assert_eq!(special.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn idle_members_become_inactive_at_sign_in_and_admins_reactivate_them() {
    let (app, admin) = spawn_app_with_admin().await;
    // Passwords that never expire, so that only the inactivity rule is at work here.
    save_policies(&admin, &[("password_expiry_days", "0")]).await;
    let org = first_organization_id(&app);
    add_member(&app, org, "grace@example.com", &["User"]);
    app.clock.advance(time::Duration::days(91));

    // Grace has not signed in for 91 days (the default policy is 90): signing in ends her membership.
    let grace = app
        .signed_in_client("grace@example.com", ADMIN_PASSWORD)
        .await;
    let refused = grace.get("/").await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "sent to {}",
        location(&refused)
    );
    // The owner is never inactivated, so someone can always reactivate the others.
    let admin = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, list) = admin.page("/users?q=grace").await;
    assert!(list.contains("Inactive"));
    let membership = {
        use diesel::prelude::*;
        use gatehouse::db::schema::memberships;
        let mut conn = app.pool.get().unwrap();
        memberships::table
            .filter(memberships::email.eq("grace@example.com"))
            .select(memberships::id)
            .first::<i64>(&mut conn)
            .unwrap()
    };
    let reactivated = admin
        .post_form(&format!("/users/{membership}/reactivate"), &[])
        .await;
    assert_eq!(reactivated.status(), StatusCode::SEE_OTHER);
    let grace = app
        .signed_in_client("grace@example.com", ADMIN_PASSWORD)
        .await;
    assert_eq!(grace.get("/").await.status(), StatusCode::OK);
    // Reactivating an active member is refused.
    let again = admin
        .post_form(&format!("/users/{membership}/reactivate"), &[])
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_periodic_job_inactivates_by_each_organizations_period_and_zero_means_never() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    add_member(&app, org, "grace@example.com", &["User"]);
    save_policies(&admin, &[("inactivity_days", "30")]).await;
    app.clock.advance(time::Duration::days(29));
    let run = |app: &TestApp| {
        use gatehouse::clock::Clock;
        let mut conn = app.pool.get().unwrap();
        gatehouse::domain::policy::inactivate_idle_members(
            &mut conn,
            None,
            app.clock.now(),
            &test_actor(app),
        )
        .unwrap()
    };
    assert_eq!(run(&app), 0, "29 days: still active");
    app.clock.advance(time::Duration::days(2));
    assert_eq!(
        run(&app),
        1,
        "31 days: Grace (not the owner) becomes inactive"
    );

    let admin = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    save_policies(&admin, &[("inactivity_days", "0")]).await;
    add_member(&app, org, "linus@example.com", &["User"]);
    app.clock.advance(time::Duration::days(3650));
    assert_eq!(run(&app), 0, "0 means never");
}

/// A client whose requests reach Gatehouse through a trusted proxy on 127.0.0.1 that says the
/// browser's address is `address`.
fn client_from(app: &TestApp, address: &str) -> TestClient {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", address.parse().unwrap());
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    TestClient::with_http(&app.address, http)
}

async fn app_behind_a_proxy() -> TestApp {
    spawn_app_with(|settings| settings.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()])
        .await
}

#[tokio::test]
async fn the_ip_allow_list_refuses_other_addresses_for_this_organization_only() {
    let app = app_behind_a_proxy().await;
    let office = client_from(&app, "198.51.100.7");
    complete_setup(&app, &office).await;
    let org = first_organization_id(&app);
    // The same account also owns a second organization with no list.
    {
        use gatehouse::domain::account::EmailAddress;
        let mut conn = app.pool.get().unwrap();
        let ada = gatehouse::domain::account::find_by_email(
            &mut conn,
            &EmailAddress::parse(ADMIN_EMAIL).unwrap(),
        )
        .unwrap()
        .unwrap();
        gatehouse::domain::organization::create_with_owner(
            &mut conn,
            "Zeta Labs",
            ada.id,
            &test_actor(&app),
        )
        .unwrap();
    }
    let saved = save_policies(
        &office,
        &[("ip_allow_list", "198.51.100.0/24, 2001:db8::/32")],
    )
    .await;
    assert_eq!(
        saved.status(),
        StatusCode::SEE_OTHER,
        "the admin's own address is in the list: no warning"
    );

    let home = client_from(&app, "203.0.113.9");
    assert_eq!(
        home.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let (status, page) = home.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<h1>Zeta Labs</h1>"),
        "from outside the list, the other organization opens"
    );
    let switch = home
        .post_form(
            "/organizations/switch",
            &[("organization_id", &org.to_string())],
        )
        .await;
    assert_eq!(switch.status(), StatusCode::FORBIDDEN);
    assert!(
        switch
            .text()
            .await
            .unwrap()
            .contains("does not accept requests from your network address")
    );

    let (_, page) = office.page("/").await;
    assert!(
        page.contains(&format!("<h1>{ORGANIZATION}</h1>")),
        "from inside, the organization works"
    );
}

#[tokio::test]
async fn an_admin_saving_a_list_that_locks_them_out_is_warned_and_must_confirm() {
    let app = app_behind_a_proxy().await;
    let admin = client_from(&app, "203.0.113.9");
    complete_setup(&app, &admin).await;
    let warned = save_policies(&admin, &[("ip_allow_list", "198.51.100.0/24")]).await;
    assert_eq!(warned.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = warned.text().await.unwrap();
    assert!(body.contains("does not include your current address (203.0.113.9)"));
    assert!(body.contains("name=\"confirm_lockout\""));
    let (_, page) = admin.page("/policies").await;
    assert!(
        !page.contains("198.51.100.0/24"),
        "nothing saved without confirmation"
    );

    let confirmed = save_policies(
        &admin,
        &[
            ("ip_allow_list", "198.51.100.0/24"),
            ("confirm_lockout", "yes"),
        ],
    )
    .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        admin.get("/policies").await.status(),
        StatusCode::FORBIDDEN,
        "locked out, as warned"
    );
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    // No trusted proxy: a forged X-Forwarded-For is ignored, the peer (127.0.0.1) counts.
    let (app, admin) = spawn_app_with_admin().await;
    let saved = save_policies(&admin, &[("ip_allow_list", "127.0.0.1")]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let forged = client_from(&app, "198.51.100.7");
    assert_eq!(
        forged.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        forged.get("/").await.status(),
        StatusCode::OK,
        "judged by its real address, 127.0.0.1"
    );
}

#[tokio::test]
async fn a_new_organization_starts_with_the_documented_defaults() {
    let (_app, admin) = spawn_app_with_admin().await;
    let (_, page) = admin.page("/policies").await;
    assert!(!page.contains(
        "id=\"password_requires_special\" name=\"password_requires_special\" value=\"on\" checked"
    ));
    assert!(page.contains(
        "name=\"password_expiry_days\" type=\"number\" min=\"0\" max=\"3650\" value=\"90\""
    ));
    assert!(
        page.contains("name=\"password_history\" type=\"number\" min=\"0\" max=\"24\" value=\"5\"")
    );
    assert!(
        page.contains(
            "name=\"inactivity_days\" type=\"number\" min=\"0\" max=\"3650\" value=\"90\""
        )
    );
    assert!(page.contains("value=\"off\" checked"), "two-factor is off");
    assert!(
        page.contains(
            "name=\"two_factor_days\" type=\"number\" min=\"1\" max=\"365\" value=\"30\""
        )
    );
    assert!(page.contains("<textarea id=\"ip_allow_list\" name=\"ip_allow_list\" rows=\"3\" aria-describedby=\"ip-hint\"></textarea>"));
    assert!(page.contains("name=\"member_domains\" type=\"text\" value=\"\""));
}

#[tokio::test]
async fn members_who_sign_in_stay_active() {
    let (app, admin) = spawn_app_with_admin().await;
    save_policies(&admin, &[("password_expiry_days", "0")]).await;
    let org = first_organization_id(&app);
    add_member(&app, org, "grace@example.com", &["User"]);
    app.clock.advance(time::Duration::days(60));
    let grace = app
        .signed_in_client("grace@example.com", ADMIN_PASSWORD)
        .await;
    assert_eq!(grace.get("/").await.status(), StatusCode::OK);
    app.clock.advance(time::Duration::days(60));
    // 120 days a member, 60 since her last sign-in: the 90-day rule leaves her active.
    let inactivated = {
        use gatehouse::clock::Clock;
        let mut conn = app.pool.get().unwrap();
        gatehouse::domain::policy::inactivate_idle_members(
            &mut conn,
            None,
            app.clock.now(),
            &test_actor(&app),
        )
        .unwrap()
    };
    assert_eq!(inactivated, 0);
}
