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
    assert!(
        !page.contains("Single sign-on"),
        "no switch that does nothing"
    );

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
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("domain is not allowed")
    );
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
    use crate::smtp_sink::SmtpSink;
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(move |settings| settings.smtp_url = Some(url)).await;
    let admin = app.client();
    complete_setup(&app, &admin).await;
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
    assert_eq!(plain.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        plain
            .text()
            .await
            .unwrap()
            .contains("Add at least one special character")
    );
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
    assert_eq!(plain.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        plain
            .text()
            .await
            .unwrap()
            .contains("Add at least one special character")
    );
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
