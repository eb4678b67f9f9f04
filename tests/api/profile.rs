//! The profile page: details, language, time zone, password change and active sessions.

use reqwest::StatusCode;

use crate::helpers::*;

const NEW_PASSWORD: &str = "a brand new passphrase";

/// The handles in the "Sign out" buttons of a profile page, in page order.
fn session_handles(page: &str) -> Vec<String> {
    let marker = "action=\"/profile/sessions/";
    page.match_indices(marker)
        .map(|(at, _)| &page[at + marker.len()..])
        .filter(|rest| !rest.starts_with("sign-out-others"))
        .map(|rest| rest[..16].to_owned())
        .collect()
}

/// Whether the client is signed out: the console sends it to the sign-in page.
async fn is_anonymous(client: &TestClient) -> bool {
    let response = client.get("/").await;
    response.status() == StatusCode::SEE_OTHER && location(&response).starts_with("/sign-in")
}

async fn save_details(
    client: &TestClient,
    name: &str,
    language: &str,
    time_zone: &str,
) -> reqwest::Response {
    let (status, _) = client.page("/profile").await;
    assert_eq!(status, StatusCode::OK);
    client
        .post_form(
            "/profile",
            &[
                ("name", name),
                ("language", language),
                ("time_zone", time_zone),
            ],
        )
        .await
}

#[tokio::test]
async fn the_profile_shows_the_account_and_is_reached_from_the_user_menu() {
    let (_app, admin) = spawn_app_with_admin().await;
    let (_, overview) = admin.page("/").await;
    assert!(overview.contains("href=\"/profile\">Profile</a>"));
    let (status, page) = admin.page("/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("value=\"{ADMIN_NAME}\"")));
    assert!(page.contains("autocomplete=\"name\""));
    assert!(page.contains("autocomplete=\"current-password\""));
    assert!(page.contains("autocomplete=\"new-password\""));
    assert!(
        page.contains("<option selected>UTC</option>"),
        "UTC until a zone is chosen"
    );
    assert!(page.contains("<option value=\"en\" lang=\"en\" selected>English</option>"));
}

#[tokio::test]
async fn name_language_and_time_zone_are_saved_and_the_page_switches_language() {
    let (_app, admin) = spawn_app_with_admin().await;
    let response = save_details(&admin, "Augusta Ada King", "pt-BR", "America/Sao_Paulo").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/profile");

    let (status, page) = admin.page("/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<html lang=\"pt-BR\">"));
    assert!(page.contains("Perfil salvo."));
    assert!(page.contains("value=\"Augusta Ada King\""));
    assert!(page.contains("<option selected>America/Sao_Paulo</option>"));
    assert!(page.contains("<option value=\"pt-BR\" lang=\"pt-BR\" selected>"));

    // The users page sorts and searches by the copies of the name on each membership.
    let (_, users) = admin.page("/users?q=augusta").await;
    assert!(
        users.contains("Augusta Ada King"),
        "directory copies refreshed"
    );

    // And back to English.
    let response = save_details(&admin, "Augusta Ada King", "en", "Europe/London").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page("/profile").await;
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("<option selected>Europe/London</option>"));
}

#[tokio::test]
async fn a_bad_time_zone_or_name_is_refused_and_nothing_changes() {
    let (_app, admin) = spawn_app_with_admin().await;
    let response = save_details(&admin, "Ada King", "en", "Mars/Olympus_Mons").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Choose a time zone from the list."));
    assert!(page.contains("aria-describedby=\"profile-time-zone-error\""));
    assert!(
        page.contains("value=\"Ada King\""),
        "what was typed is kept"
    );

    let response = save_details(&admin, "   ", "fr", "UTC").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Enter a name."));
    assert!(page.contains("Choose a language from the list."));

    let (_, page) = admin.page("/profile").await;
    assert!(page.contains(&format!("value=\"{ADMIN_NAME}\"")));
    assert!(page.contains("<option selected>UTC</option>"));
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_the_other_sessions() {
    let (app, admin) = spawn_app_with_admin().await;
    let other = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;

    admin.page("/profile").await;
    let wrong = admin
        .post_form(
            "/profile/password",
            &[
                ("current_password", "not my password at all"),
                ("password", NEW_PASSWORD),
                ("password_confirmation", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = wrong.text().await.unwrap();
    assert!(page.contains("That is not your current password."));
    assert!(page.contains("aria-describedby=\"profile-current-password-error\""));
    assert!(
        !page.contains(NEW_PASSWORD) && !page.contains("not my password at all"),
        "passwords are never sent back"
    );
    assert!(!is_anonymous(&other).await, "nothing changed");
    let check = app.client();
    assert_eq!(
        check.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await.status(),
        StatusCode::SEE_OTHER,
        "the old password still works"
    );

    let mismatch = admin
        .post_form(
            "/profile/password",
            &[
                ("current_password", ADMIN_PASSWORD),
                ("password", NEW_PASSWORD),
                ("password_confirmation", "something else here"),
            ],
        )
        .await;
    assert_unprocessable(mismatch, "The two passwords do not match.").await;

    let changed = admin
        .post_form(
            "/profile/password",
            &[
                ("current_password", ADMIN_PASSWORD),
                ("password", NEW_PASSWORD),
                ("password_confirmation", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let (status, page) = admin.page("/profile").await;
    assert_eq!(status, StatusCode::OK, "this session stays signed in");
    assert!(page.contains("Password changed."));
    assert!(is_anonymous(&other).await, "the other session ended");
    assert!(is_anonymous(&check).await);

    assert_ne!(
        app.client()
            .sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER,
        "the old password no longer works"
    );
    assert_eq!(
        app.client()
            .sign_in(ADMIN_EMAIL, NEW_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn sessions_are_listed_and_another_one_can_be_signed_out() {
    use diesel::prelude::*;
    use gatehouse::db::schema::sessions;
    let (app, admin) = spawn_app_with_admin().await;
    let other = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;

    let (_, page) = admin.page("/profile").await;
    assert_eq!(page.matches("This device").count(), 1);
    let handles = session_handles(&page);
    assert_eq!(handles.len(), 1, "one other session, with a button");
    assert!(page.contains("Sign out everywhere else"));
    let hashes: Vec<String> = sessions::table
        .select(sessions::id_hash)
        .load(&mut app.pool.get().unwrap())
        .unwrap();
    assert_eq!(hashes.len(), 2);
    assert!(
        hashes.iter().all(|hash| !page.contains(hash.as_str())),
        "session ids stay off the page"
    );

    let response = admin
        .post_form(&format!("/profile/sessions/{}/sign-out", handles[0]), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        is_anonymous(&other).await,
        "that browser is signed out at once"
    );
    let (status, page) = admin.page("/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Session signed out."));
    assert!(session_handles(&page).is_empty());
    assert!(!page.contains("Sign out everywhere else"));

    // The same handle again: gone.
    let again = admin
        .post_form(&format!("/profile/sessions/{}/sign-out", handles[0]), &[])
        .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn signing_out_everywhere_else_keeps_only_this_session() {
    let (app, admin) = spawn_app_with_admin().await;
    let first = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let second = app.signed_in_client(ADMIN_EMAIL, ADMIN_PASSWORD).await;

    let (_, page) = admin.page("/profile").await;
    assert_eq!(session_handles(&page).len(), 2);
    let response = admin
        .post_form("/profile/sessions/sign-out-others", &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(is_anonymous(&first).await);
    assert!(is_anonymous(&second).await);
    let (status, page) = admin.page("/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Signed out everywhere else."));
    assert!(session_handles(&page).is_empty());
    assert_eq!(page.matches("This device").count(), 1);
}

#[tokio::test]
async fn a_session_of_another_account_is_not_found() {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);
    add_member(&app, org, "grace@example.com", &["User"]);
    let grace = app
        .signed_in_client("grace@example.com", ADMIN_PASSWORD)
        .await;
    let _grace_elsewhere = app
        .signed_in_client("grace@example.com", ADMIN_PASSWORD)
        .await;
    let (_, page) = grace.page("/profile").await;
    let handles = session_handles(&page);
    assert_eq!(handles.len(), 1);

    admin.page("/profile").await;
    for handle in [handles[0].as_str(), "0123456789abcdef", "not-a-handle"] {
        let response = admin
            .post_form(&format!("/profile/sessions/{handle}/sign-out"), &[])
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{handle}");
    }
    assert!(!is_anonymous(&grace).await);

    // A plain member has a profile too.
    let (status, page) = grace.page("/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("value=\"grace\""));
}

#[tokio::test]
async fn an_account_without_an_organization_has_a_profile() {
    let (app, _admin) = spawn_app_with_admin().await;
    {
        use gatehouse::clock::Clock;
        let mut conn = app.pool.get().unwrap();
        let now = app.clock.now();
        account_with_password(&mut conn, now, "loner@example.com", "Lone Wolf", None);
    }
    let loner = app.client();
    loner.sign_in("loner@example.com", ADMIN_PASSWORD).await;
    let (status, page) = loner.page("/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("value=\"Lone Wolf\""));
    assert!(
        !page.contains("class=\"nav-link\""),
        "no organization pages"
    );
    assert!(!page.contains("org-switcher"));
    let response = loner
        .post_form(
            "/profile",
            &[
                ("name", "Lone Wolf"),
                ("language", "pt-BR"),
                ("time_zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = loner.page("/profile").await;
    assert!(page.contains("<html lang=\"pt-BR\">"));
}
