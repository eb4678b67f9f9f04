//! axe-core on every page an administrator can open, and on the signed-out pages, in the states
//! people see them in, at desktop and phone widths: no violation of WCAG 2.2 A/AA or of axe's
//! best practices, and no page that scrolls sideways.

use crate::browser::{Browser, DESKTOP, PHONE};
use crate::helpers::*;
use crate::scenario::{Audience, EXTERNAL_EMAIL, arrange, routes};

/// Pages that are not HTML documents (downloads, OpenAPI documents, a partner's logo).
fn is_document(path: &str) -> bool {
    !(path.contains("/export")
        || path.ends_with("/openapi")
        || path.ends_with("/logo")
        || path.contains('?'))
}

/// Every console and portal page an organization's owner may open, from the route list the
/// authorization test walks (so a new page is checked here as soon as it is listed there).
fn admin_pages(ids: &crate::scenario::Ids) -> Vec<String> {
    let mut pages: Vec<String> = routes(ids)
        .into_iter()
        .filter(|route| route.method == "GET" && is_document(&route.path))
        .filter(|route| {
            matches!(
                route.audience,
                Audience::Accounts
                    | Audience::Members
                    | Audience::UserReaders
                    | Audience::Admins
                    | Audience::Owner
            )
        })
        .map(|route| route.path)
        .collect();
    pages.dedup();
    pages
}

fn assert_none(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} accessibility failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Saves the page as `<dir>/<name>.png` when GATEHOUSE_SCREENSHOTS names a directory.
async fn screenshot_if_asked(browser: &Browser, shots: &Option<String>, name: &str) {
    if let Some(dir) = shots {
        std::fs::create_dir_all(dir).unwrap();
        browser
            .screenshot(&std::path::Path::new(dir).join(format!("{name}.png")))
            .await;
    }
}

async fn check(browser: &Browser, label: &str, failures: &mut Vec<String>) {
    for violation in browser.axe_violations().await {
        failures.push(format!("{label}: {violation}"));
    }
    if browser.scrolls_sideways().await {
        failures.push(format!("{label}: the page scrolls sideways"));
    }
}

/// Sets the language of an account's pages, as the profile does.
fn set_language(app: &TestApp, email: &str, language: &str) {
    use diesel::prelude::*;
    use gatehouse::db::schema::accounts;
    let mut conn = app.pool.get().unwrap();
    diesel::update(accounts::table.filter(accounts::email.eq(email)))
        .set(accounts::language.eq(Some(language)))
        .execute(&mut conn)
        .unwrap();
}

#[tokio::test]
async fn every_page_passes_axe_at_desktop_and_phone_widths() {
    let (app, _admin, ids) = arrange().await;
    let pages = admin_pages(&ids);
    assert!(
        pages.len() > 40,
        "the route list yields the pages: {pages:?}"
    );
    let shots = std::env::var("GATEHOUSE_SCREENSHOTS").ok();
    let mut failures = Vec::new();
    // English at both widths; Portuguese and Polish, whose words run longer, where they are
    // most likely to break a layout (Polish on a phone).
    for (language, width_name, size) in [
        ("en", "1280", DESKTOP),
        ("en", "390", PHONE),
        ("pt-BR", "1280", DESKTOP),
        ("pl", "390", PHONE),
    ] {
        set_language(&app, ADMIN_EMAIL, language);
        let browser = Browser::start(&app.address, size).await;
        browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        for page in &pages {
            browser.open(page).await;
            let label = format!("{page} at {width_name} in {language}");
            check(&browser, &label, &mut failures).await;
            let name: String = page
                .trim_matches('/')
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let name = if name.is_empty() { "home" } else { &name };
            screenshot_if_asked(&browser, &shots, &format!("{language}-{width_name}-{name}")).await;
        }
        browser.quit().await;
    }
    assert_none(&failures);
}

/// A state of a page: opened at `path`, then `script` run (a click, a submit), then `ready`
/// waited for.
struct PageState {
    label: &'static str,
    path: String,
    script: String,
    ready: &'static str,
}

fn state(label: &'static str, path: &str, script: &str, ready: &'static str) -> PageState {
    PageState {
        label,
        path: path.to_owned(),
        script: script.to_owned(),
        ready,
    }
}

async fn check_states(
    browser: &Browser,
    states: &[PageState],
    width: &str,
    failures: &mut Vec<String>,
) {
    for page in states {
        browser.open(&page.path).await;
        if !page.script.is_empty() {
            browser.eval(&page.script).await;
        }
        browser.wait_until(page.ready).await;
        browser.settle().await;
        check(browser, &format!("{} at {width}", page.label), failures).await;
    }
}

#[tokio::test]
async fn pages_in_their_other_states_pass_axe() {
    let (app, admin, ids) = arrange().await;
    let submit = |form: &str| format!("document.querySelector('{form}').requestSubmit()");
    let signed_out = [
        state("sign-in", "/sign-in", "", "true"),
        state(
            "sign-in with errors",
            "/sign-in",
            &submit("form[action=\"/sign-in\"]"),
            "document.querySelector('.error-summary')",
        ),
        state("forgot-password", "/forgot-password", "", "true"),
    ];
    let signed_in = [
        state(
            "users with the roles drawer",
            "/users",
            &format!(
                "document.querySelector('a[href=\"/users/{}/roles\"]').click()",
                ids.member
            ),
            "document.querySelector('#drawer .drawer[role=dialog]')",
        ),
        state(
            "users search without results",
            "/users",
            "var q = document.getElementById('users-search'); q.value = 'nobody-matches-this';
             q.dispatchEvent(new Event('input', { bubbles: true }));",
            "document.querySelector('#users-table .empty-title')",
        ),
        state(
            "add user with errors",
            "/users/new",
            &submit("main form[method=post]"),
            "document.querySelector('.error-summary')",
        ),
        state(
            "policies with errors",
            "/policies",
            "document.getElementById('member_domains').value = 'not a domain';
             document.querySelector('form[action=\"/policies\"]').requestSubmit()",
            "document.querySelector('.error-summary')",
        ),
        state(
            "setting up an authenticator app",
            "/profile/two-factor",
            "var start = document.querySelector('form[action=\"/profile/two-factor/setup\"] button');
             if (start) start.click();",
            "document.querySelector('.qr-code svg')",
        ),
        state(
            "clients with a dialog open",
            "/clients",
            "document.querySelector('[data-dialog-open=\"add-token\"]').click()",
            "document.querySelector('dialog[open]')",
        ),
        state(
            "APIs with the delete dialog open",
            "/apis",
            "document.querySelector('[data-dialog-open^=\"delete-\"]').click()",
            "document.querySelector('dialog[open]')",
        ),
        state(
            "a partner with the end dialog open",
            &format!("/my-partner/{}", ids.accepted_partner),
            "document.querySelector('[data-dialog-open=\"end-partnership\"]').click()",
            "document.querySelector('dialog[open]')",
        ),
    ];
    // The pages behind emailed links: a password reset and an invitation, from the outbox.
    let visitor = app.client();
    visitor.page("/forgot-password").await;
    visitor
        .post_form("/forgot-password", &[("email", "plain@example.com")])
        .await;
    admin.page("/users/new").await;
    let user_role = crate::helpers::role_id(&app, ids.organization, "User").to_string();
    admin
        .post_form(
            "/users",
            &[("email", "invitee@example.com"), ("role_id", &user_role)],
        )
        .await;
    let link_in = |marker: &str| {
        let marker = marker.to_owned();
        move |messages: &[gatehouse::domain::outbox::OutboxMessage]| {
            messages.iter().any(|m| m.text_body.contains(&marker))
        }
    };
    let outbox = app
        .wait_for_outbox("a reset and an invitation", |m| {
            link_in("/reset-password/")(m) && link_in("/invitations/")(m)
        })
        .await;
    let path_of = |marker: &str| -> String {
        let body = &outbox
            .iter()
            .find(|m| m.text_body.contains(marker))
            .unwrap()
            .text_body;
        let at = body.find(marker).unwrap();
        body[at..]
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap()
            .trim_end_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .to_owned()
    };
    let emailed = [
        state("reset password", &path_of("/reset-password/"), "", "true"),
        state(
            "accept an invitation",
            &path_of("/invitations/"),
            "",
            "true",
        ),
    ];
    // The API portal as an external user sees it.
    let portal = [
        state("the portal", "/portal", "", "true"),
        state(
            "a granted API",
            &format!("/portal/apis/{}", ids.api),
            "",
            "true",
        ),
        state("an external user's profile", "/profile", "", "true"),
    ];
    let mut failures = Vec::new();
    for (width, size) in [("1280", DESKTOP), ("390", PHONE)] {
        let browser = Browser::start(&app.address, size).await;
        check_states(&browser, &signed_out, width, &mut failures).await;
        check_states(&browser, &emailed, width, &mut failures).await;
        browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        check_states(&browser, &signed_in, width, &mut failures).await;
        browser.quit().await;
        let browser = Browser::start(&app.address, size).await;
        browser.sign_in(EXTERNAL_EMAIL, ADMIN_PASSWORD).await;
        check_states(&browser, &portal, width, &mut failures).await;
        browser.quit().await;
    }
    assert_none(&failures);
}

/// The members and external users lists fit their width at 1024, 1280 and 390 px, light and
/// dark: the page never scrolls sideways and each row's actions are on screen. With
/// GATEHOUSE_SCREENSHOTS set to a directory, the states are saved there as PNG files to look at.
#[tokio::test]
async fn the_users_page_fits_every_width_in_light_and_dark() {
    let (app, _admin, _ids) = arrange().await;
    let shots = std::env::var("GATEHOUSE_SCREENSHOTS").ok();
    let mut failures = Vec::new();
    for dark in [false, true] {
        for width in [1024, 1280, 390] {
            let browser =
                crate::browser::Browser::start_with(&app.address, (width, 800), dark).await;
            browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
            for (name, page) in [("users", "/users"), ("external-users", "/users/external")] {
                browser.open(page).await;
                let scheme = if dark { "dark" } else { "light" };
                let label = format!("{page} at {width} {scheme}");
                if browser.scrolls_sideways().await {
                    failures.push(format!("{label}: the page scrolls sideways"));
                }
                let hidden_actions = browser
                    .eval(
                        "return Array.from(document.querySelectorAll('main tbody tr .actions .btn'))
                           .filter(function (b) { var r = b.getBoundingClientRect(); return r.width === 0 || r.right > window.innerWidth || r.left < 0; })
                           .length",
                    )
                    .await;
                if hidden_actions != serde_json::Value::from(0) {
                    failures.push(format!(
                        "{label}: {hidden_actions} row actions are off screen"
                    ));
                }
                screenshot_if_asked(&browser, &shots, &format!("{name}-{width}-{scheme}")).await;
            }
            browser.quit().await;
        }
    }
    assert_none(&failures);
}
