//! What a person does with the keyboard only, key by key: Tab to a control, type, Enter, Space,
//! Escape. Focus must always be somewhere sensible and failures must be said.

use fantoccini::key::Key;

use crate::browser::{Browser, DESKTOP};
use crate::helpers::*;
use crate::scenario::arrange;

async fn title(browser: &Browser) -> String {
    browser.client.title().await.unwrap()
}

#[tokio::test]
async fn sign_in_says_what_is_missing_then_signs_in() {
    let (app, _admin) = spawn_app_with_admin().await;
    let browser = Browser::start(&app.address, DESKTOP).await;
    browser.open("/sign-in").await;
    browser.tab_to("#email").await;
    browser.press(Key::Enter).await;
    browser
        .wait_until("document.activeElement.matches('.error-summary')")
        .await;
    let summary = browser.text_of(".error-summary").await;
    assert!(summary.contains("Enter your email address."), "{summary}");
    assert!(summary.contains("Enter your password."), "{summary}");
    assert!(title(&browser).await.starts_with("Error:"));

    // The summary's link takes focus to the field.
    browser.press(Key::Tab).await;
    assert!(browser.focus_matches(".error-summary a").await);
    browser.press(Key::Enter).await;
    assert!(
        browser.focus_matches("#email").await,
        "{}",
        browser.focused().await
    );
    browser.keys(ADMIN_EMAIL).await;
    browser.press(Key::Tab).await;
    browser.keys(ADMIN_PASSWORD).await;
    browser.press(Key::Enter).await;
    browser.wait_until("location.pathname === '/'").await;
    browser.quit().await;
}

#[tokio::test]
async fn a_members_roles_open_switch_and_close_with_escape_back_on_the_trigger() {
    let (app, _admin, ids) = arrange().await;
    let browser = Browser::start(&app.address, DESKTOP).await;
    browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.open("/users").await;
    let trigger = format!("a[href=\"/users/{}/roles\"]", ids.member);
    browser.tab_to(&trigger).await;
    browser.press(Key::Enter).await;
    browser
        .wait_until("document.querySelector('#drawer .drawer[role=dialog][aria-modal=true]')")
        .await;
    browser.settle().await;
    assert!(
        browser.focus_matches("#drawer .drawer *").await,
        "focus moves into the drawer: {}",
        browser.focused().await
    );
    // Tab stays inside the drawer.
    for _ in 0..25 {
        browser.press(Key::Tab).await;
        assert!(
            browser.focus_matches("#drawer .drawer *").await,
            "Tab left the drawer for {}",
            browser.focused().await
        );
    }
    // Switch the role off, from the keyboard; the drawer stays open and says so.
    browser
        .tab_to("#drawer form[action$=\"/active\"] button")
        .await;
    browser.press(Key::Enter).await;
    browser
        .wait_until("document.querySelector('#drawer .drawer-notice')")
        .await;
    browser.settle().await;
    assert!(browser.focus_matches("#drawer .drawer *").await);
    let notice = browser.text_of("#drawer .drawer-notice").await;
    assert!(!notice.is_empty());
    assert!(
        browser.text_of("#drawer").await.contains("Off"),
        "the assignment shows as off"
    );
    // Escape closes it, and focus is back on the control that opened it.
    browser.press(Key::Escape).await;
    browser
        .wait_until("!document.querySelector('#drawer .drawer')")
        .await;
    assert!(
        browser.focus_matches(&trigger).await,
        "focus returns to the trigger, not {}",
        browser.focused().await
    );
    assert_eq!(browser.path().await, "/users");
    browser.quit().await;
}

#[tokio::test]
async fn removing_a_member_asks_for_the_typed_word_and_says_when_its_case_is_wrong() {
    let (app, _admin, ids) = arrange().await;
    let browser = Browser::start(&app.address, DESKTOP).await;
    browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.open(&format!("/users/{}/remove", ids.spare)).await;
    browser.tab_to("#confirm").await;
    browser.keys("remove").await;
    browser
        .wait_until("document.getElementById('confirm-case')")
        .await;
    assert!(
        browser
            .eval("return document.querySelector('main form button.btn-danger').disabled")
            .await
            .as_bool()
            .unwrap()
    );
    for _ in 0.."remove".len() {
        browser.press(Key::Backspace).await;
    }
    browser.keys("REMOVE").await;
    browser
        .wait_until("!document.getElementById('confirm-case')")
        .await;
    browser.press(Key::Enter).await;
    browser.wait_until("location.pathname === '/users'").await;
    browser.settle().await;
    assert!(
        !browser.text_of("main").await.contains("spare@example.com"),
        "the member is gone"
    );
    browser.quit().await;
}

#[tokio::test]
async fn inviting_a_user_shows_the_errors_then_invites() {
    let (app, _admin) = spawn_app_with_admin().await;
    let browser = Browser::start(&app.address, DESKTOP).await;
    browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.open("/users/new").await;
    browser.tab_to("main form .btn-primary").await;
    browser.press(Key::Enter).await;
    browser
        .wait_until("document.activeElement && document.activeElement.matches('.error-summary')")
        .await;
    assert!(title(&browser).await.starts_with("Error:"));
    browser.press(Key::Tab).await;
    browser.press(Key::Enter).await;
    assert!(
        browser.focus_matches("#email").await,
        "{}",
        browser.focused().await
    );
    browser.keys("new.person@example.com").await;
    browser.tab_to("main input[type=checkbox]").await;
    browser.press(Key::Space).await;
    browser.tab_to("main form .btn-primary").await;
    browser.press(Key::Enter).await;
    browser.wait_until("location.pathname === '/users'").await;
    browser.settle().await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("new.person@example.com")
    );
    // The outcome is read out: the announcer repeats the toast once the page is there.
    let toast = browser.text_of("#messages .toast span").await;
    browser
        .wait_until(&format!(
            "document.getElementById('announcer').textContent === {}",
            serde_json::Value::String(toast)
        ))
        .await;
    // A boosted link moves focus to the new page's heading, which a screen reader then reads.
    browser.tab_to(".sidenav a[href=\"/roles\"]").await;
    browser.press(Key::Enter).await;
    browser.wait_until("location.pathname === '/roles'").await;
    browser.settle().await;
    assert!(
        browser.focus_matches("main h1").await,
        "after the boosted navigation, focus is on the new page's heading: {}",
        browser.focused().await
    );
    browser.quit().await;
}

#[tokio::test]
async fn a_policy_with_an_error_is_fixed_and_saved() {
    let (app, _admin) = spawn_app_with_admin().await;
    let browser = Browser::start(&app.address, DESKTOP).await;
    browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.open("/policies").await;
    browser.tab_to("#member_domains").await;
    browser.keys("not a domain").await;
    browser
        .tab_to("form[action=\"/policies\"] button.btn-primary")
        .await;
    browser.press(Key::Enter).await;
    browser
        .wait_until("document.activeElement && document.activeElement.matches('.error-summary')")
        .await;
    assert!(title(&browser).await.starts_with("Error:"));
    let save_disabled =
        "document.querySelector('form[action=\"/policies\"] button.btn-primary').disabled";
    assert_eq!(
        browser.eval(&format!("return {save_disabled}")).await,
        serde_json::Value::Bool(false),
        "Save stays usable after an error"
    );
    browser.press(Key::Tab).await;
    browser.press(Key::Enter).await;
    assert!(browser.focus_matches("#member_domains").await);
    browser.keys(&(Key::Control + "a")).await;
    browser.keys("example.com").await;
    browser
        .tab_to("form[action=\"/policies\"] button.btn-primary")
        .await;
    browser.press(Key::Enter).await;
    browser
        .wait_until("document.querySelector('.toast-success')")
        .await;
    assert_eq!(
        browser
            .eval("return document.getElementById('member_domains').value")
            .await,
        serde_json::Value::String("example.com".into())
    );
    browser.quit().await;
}

/// Sets up an authenticator app from the keyboard, with the code computed from the key the page
/// shows (as a phone would), then signs in with a recovery code; axe checks each step. With
/// GATEHOUSE_SCREENSHOTS set, each step is saved as a PNG to look at.
#[tokio::test]
async fn an_authenticator_app_is_set_up_and_a_recovery_code_signs_in() {
    use gatehouse::clock::Clock;
    use gatehouse::domain::policy::{self, Policy, TwoFactorMode};

    let (app, _admin) = spawn_app_with_admin().await;
    let shots = std::env::var("GATEHOUSE_SCREENSHOTS").ok();
    let shot = async |browser: &Browser, name: &str| {
        if let Some(dir) = &shots {
            std::fs::create_dir_all(dir).unwrap();
            browser
                .screenshot(&std::path::Path::new(dir).join(format!("{name}.png")))
                .await;
        }
    };
    let no_violations = async |browser: &Browser, step: &str| {
        let violations = browser.axe_violations().await;
        assert!(violations.is_empty(), "{step}: {violations:#?}");
        assert!(!browser.scrolls_sideways().await, "{step} scrolls sideways");
    };
    let browser = Browser::start(&app.address, DESKTOP).await;
    browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.open("/profile/two-factor").await;
    browser
        .tab_to("form[action=\"/profile/two-factor/setup\"] button")
        .await;
    browser.press(Key::Enter).await;
    browser
        .wait_until("document.querySelector('.qr-code svg')")
        .await;
    browser.settle().await;
    no_violations(&browser, "the setup").await;
    shot(&browser, "authenticator-setup").await;

    let key: String = browser
        .text_of(".setup-key")
        .await
        .split_whitespace()
        .collect();
    let secret = gatehouse::crypto::totp::TotpSecret::from_bytes(
        data_encoding::BASE32_NOPAD.decode(key.as_bytes()).unwrap(),
    );
    let code = secret.code_at_step(gatehouse::crypto::totp::step_of(app.clock.now()));
    browser.tab_to("#authenticator-code").await;
    browser.keys(&code).await;
    browser.press(Key::Enter).await;
    browser
        .wait_until("document.querySelector('.recovery-codes')")
        .await;
    browser.settle().await;
    no_violations(&browser, "the recovery codes").await;
    shot(&browser, "authenticator-recovery-codes").await;
    let first_code = browser.text_of(".recovery-codes li").await;
    browser.quit().await;

    {
        let organization_id = first_organization_id(&app);
        let mut conn = app.pool.get().unwrap();
        let policy = Policy {
            two_factor_mode: TwoFactorMode::Always,
            ..policy::load(&mut conn, organization_id).unwrap()
        };
        policy::save(&mut conn, organization_id, &policy, &test_actor(&app)).unwrap();
    }
    let browser = Browser::start(&app.address, DESKTOP).await;
    browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser
        .wait_until("location.pathname === '/two-factor'")
        .await;
    no_violations(&browser, "the app's code page").await;
    shot(&browser, "authenticator-sign-in").await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("Open your authenticator app")
    );
    browser.tab_to("#two-factor-code").await;
    browser.keys(&first_code).await;
    browser.press(Key::Enter).await;
    browser
        .wait_until("location.pathname === '/profile/two-factor'")
        .await;
    browser.settle().await;
    no_violations(&browser, "after a recovery code").await;
    shot(&browser, "authenticator-after-recovery-code").await;
    assert!(browser.text_of("main").await.contains("9 of 10"));
    browser.quit().await;
}
