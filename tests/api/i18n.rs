use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, HeaderMap, HeaderValue};

use crate::helpers::*;

fn accept(language: &'static str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static(language));
    headers
}

#[tokio::test]
async fn visitors_get_their_browser_language() {
    let app = spawn_app().await;
    let client = app.client();
    let page = client
        .get_with("/sign-in", accept("pt-BR,pt;q=0.9,en;q=0.8"))
        .await;
    let body = page.text().await.unwrap();
    assert!(body.contains("<html lang=\"pt-BR\">"));
    assert!(body.contains("Use o e-mail e a senha da sua conta Gatehouse."));

    let english = client.get_with("/sign-in", accept("de-DE,de;q=0.9")).await;
    assert!(
        english.text().await.unwrap().contains("<html lang=\"en\">"),
        "unknown languages fall back to English"
    );

    let missing = client.get_with("/nowhere", accept("pt-BR")).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(
        missing
            .text()
            .await
            .unwrap()
            .contains("Página não encontrada")
    );
}

#[tokio::test]
async fn the_account_language_wins_over_the_browser() {
    let app = spawn_app().await;
    let client = app.client();
    // Set up from a Portuguese browser: the account keeps pt-BR as its language.
    let link = app.setup_link.clone().unwrap();
    let page = client.get_with(&link, accept("pt-BR")).await;
    client.remember_csrf(&page.text().await.unwrap());
    let token = client.csrf_token().unwrap();
    let response = client
        .http
        .post(&link)
        .headers(accept("pt-BR"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("organization", ORGANIZATION),
            ("name", ADMIN_NAME),
            ("email", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
            ("password_confirmation", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let overview = client.get_with("/", accept("en-US")).await;
    assert!(overview.text().await.unwrap().contains("Visão geral"));
}

/// Polish end to end: chosen on the profile, the pages speak it (plurals, dates, the built-in
/// roles' names, the typed word); "use my browser's language" hands the choice back to the
/// browser.
#[tokio::test]
async fn polish_is_chosen_on_the_profile_and_the_browser_can_choose_again() {
    let (_app, admin) = spawn_app_with_admin().await;
    let (_, profile) = admin.page("/profile").await;
    assert!(profile.contains("<option value=\"pl\" lang=\"pl\">Polski</option>"));
    assert!(profile.contains("value=\"browser\""));
    admin.choose_language("pl").await;
    let (_, users) = admin.page("/users").await;
    assert!(users.contains("<html lang=\"pl\">"));
    assert!(users.contains("Administrator"));
    let (_, roles) = admin.page("/roles").await;
    assert!(
        roles.contains("Użytkownik"),
        "the built-in User role in Polish"
    );
    assert!(
        roles.contains("2 role"),
        "Polish plural (few) for two roles"
    );
    let (_, member) = admin.page("/users/1/remove").await;
    assert!(member.contains("data-confirm-word=\"USUŃ\""));

    admin.choose_language("browser").await;
    let portuguese = admin.get_with("/roles", accept("pt-BR")).await;
    let portuguese = portuguese.text().await.unwrap();
    assert!(portuguese.contains("<html lang=\"pt-BR\">"));
    assert!(
        portuguese.contains("Usuário"),
        "the built-in User role in Portuguese"
    );
}
