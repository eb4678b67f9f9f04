use gatehouse::clock::Clock;
use gatehouse::domain::audit::Actor;
use gatehouse::domain::organization;
use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn an_account_in_two_organizations_switches_from_the_top_bar() {
    let (app, client) = spawn_app_with_admin().await;
    let account_id = admin_account_id(&app);
    let second = {
        let mut conn = app.pool.get().unwrap();
        let actor = Actor::person(account_id, None, app.clock.now());
        organization::create_with_owner(&mut conn, "Difference Engines", account_id, &actor)
            .unwrap()
    };

    let (_, body) = client.page("/").await;
    assert!(body.contains("<select id=\"org-select\" name=\"organization_id\">"));
    assert!(body.contains("Difference Engines"));
    assert!(body.contains("<h1>Analytical Engines</h1>"));

    let response = client
        .post_form(
            "/organizations/switch",
            &[("organization_id", &second.id.to_string())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, body) = client.page("/").await;
    assert!(body.contains("<h1>Difference Engines</h1>"));
    assert!(body.contains("Organization switched."));
}

#[tokio::test]
async fn switching_to_an_organization_one_is_not_in_answers_404() {
    let (app, client) = spawn_app_with_admin().await;
    let stranger = {
        use gatehouse::domain::account::{self, NewAccount};
        let mut conn = app.pool.get().unwrap();
        let now = app.clock.now();
        let other = account::insert(
            &mut conn,
            &NewAccount {
                email: "grace@example.com",
                name: "Grace",
                password_hash: None,
                language: None,
                created_at: now,
                password_changed_at: None,
            },
        )
        .unwrap();
        let actor = Actor::person(other.id, None, now);
        organization::create_with_owner(&mut conn, "Someone Else", other.id, &actor).unwrap()
    };
    client.page("/").await;
    let response = client
        .post_form(
            "/organizations/switch",
            &[("organization_id", &stranger.id.to_string())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let (_, body) = client.page("/").await;
    assert!(body.contains("<h1>Analytical Engines</h1>"));
    assert!(!body.contains("Someone Else"));
}
