//! A real OpenID Connect provider for the tests: `tests/oidc/provider.mjs` (the certified
//! `oidc-provider` package, pinned by tests/oidc/package-lock.json) run with the machine's
//! Node.js on a free port. Its packages are installed with `npm ci` the first time it is needed.
//! Signing in at it is driven over HTTP like a browser: its sign-in form takes any login, which
//! becomes the email of the ID token ("unverified:<email>" for email_verified false).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

use reqwest::{Response, StatusCode};

use crate::helpers::{TestClient, location};

pub const CLIENT_ID: &str = "gatehouse";
pub const CLIENT_SECRET: &str = "gatehouse-secret";

static INSTALL: Mutex<bool> = Mutex::new(false);

fn directory() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

fn install_once() {
    let mut installed = INSTALL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if *installed || directory().join("node_modules/oidc-provider").exists() {
        *installed = true;
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(directory())
        .status()
        .expect("npm (Node.js) runs the test OpenID Connect provider");
    assert!(status.success(), "npm ci in tests/oidc failed");
    *installed = true;
}

pub struct OidcProvider {
    child: Child,
    pub issuer: String,
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl OidcProvider {
    pub fn start() -> Self {
        install_once();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new("node")
            .arg(directory().join("provider.mjs"))
            .arg(port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs tests/oidc/provider.mjs");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        match lines.next() {
            Some(Ok(line)) if line == "ready" => {}
            other => panic!("the OpenID Connect provider did not start: {other:?}"),
        }
        // It logs to stdout as it runs: keep reading, or its next line kills it (EPIPE).
        std::thread::spawn(move || lines.for_each(drop));
        Self {
            child,
            issuer: format!("http://127.0.0.1:{port}"),
        }
    }
}

fn form_action(page: &str) -> Option<String> {
    let at = page.find("<form")?;
    let rest = &page[at..];
    let start = rest.find("action=\"")? + "action=\"".len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].replace("&amp;", "&"))
}

/// Follows a redirect to the provider through its sign-in page, signing in as `login`, until the
/// provider sends the browser back to the console: that last response (the console's answer to
/// its callback) is returned, with the callback address.
pub async fn sign_in_at_provider(
    client: &TestClient,
    to_provider: Response,
    login: &str,
) -> (String, Response) {
    let callback = callback_from_provider(client, to_provider, login).await;
    let response = client.get(&callback).await;
    (callback, response)
}

/// The same, stopping at the address the provider sends the browser back to.
pub async fn callback_from_provider(
    client: &TestClient,
    to_provider: Response,
    login: &str,
) -> String {
    assert_eq!(
        to_provider.status(),
        StatusCode::SEE_OTHER,
        "a redirect to the provider"
    );
    let mut url = url::Url::parse(&location(&to_provider)).expect("an absolute address");
    for _ in 0..12 {
        if url.path() == "/sso/callback" {
            return url.to_string();
        }
        let response = client.get(url.as_str()).await;
        if response.status().is_redirection() {
            url = url.join(&location(&response)).unwrap();
            continue;
        }
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let page = response.text().await.unwrap();
        let action = form_action(&page).unwrap_or_else(|| panic!("a form at {url}: {page}"));
        let fields: Vec<(&str, &str)> = if page.contains("value=\"login\"") {
            vec![("prompt", "login"), ("login", login), ("password", "any")]
        } else {
            vec![("prompt", "consent")]
        };
        let posted = client
            .http
            .post(url.join(&action).unwrap())
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert!(posted.status().is_redirection(), "{}", posted.status());
        url = url.join(&location(&posted)).unwrap();
    }
    panic!("the provider never sent the browser back");
}
