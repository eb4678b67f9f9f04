//! One headless Chromium per test, through its own ChromeDriver, with axe-core at hand.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// Phone and desktop widths the pages are checked at.
pub const DESKTOP: (u32, u32) = (1280, 900);
pub const PHONE: (u32, u32) = (390, 844);

/// The rules the pages must pass: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best
/// practices. None is switched off.
const AXE_TAGS: &[&str] = &[
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

pub struct Browser {
    pub client: Client,
    pub base: String,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn program(variable: &str, default: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| default.to_owned())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

fn axe_source() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run `npm ci --prefix tests/browser` (or .ci/browser-tests)",
            path.display()
        )
    })
}

impl Browser {
    /// Starts ChromeDriver and a fresh headless Chromium at `size`, for the server at `base`.
    pub async fn start(base: &str, size: (u32, u32)) -> Self {
        Self::start_with(base, size, false).await
    }

    /// As `start`, in the dark colour scheme when `dark`.
    pub async fn start_with(base: &str, size: (u32, u32), dark: bool) -> Self {
        let port = free_port();
        let driver = Command::new(program("GATEHOUSE_CHROMEDRIVER", "chromedriver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (install chromium-driver, or run .ci/browser-tests)");
        let url = format!("http://127.0.0.1:{port}");
        let status = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while status.get(format!("{url}/status")).send().await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_owned(),
            json!({
                "binary": program("GATEHOUSE_CHROMIUM", "/usr/bin/chromium"),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-dev-shm-usage", "--lang=en-US", "--force-prefers-reduced-motion",
                    format!("--window-size={},{}", size.0, size.1),
                    if dark { "--force-dark-mode" } else { "--force-light-mode" },
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&url)
            .await
            .expect("a Chromium session");
        let browser = Self {
            client,
            base: base.to_owned(),
            driver,
            _profile: profile,
        };
        browser.resize(size).await;
        browser
    }

    /// Sets the viewport (not the window) to `size`, so that pages are laid out at that width.
    pub async fn resize(&self, size: (u32, u32)) {
        self.client
            .set_window_size(size.0, size.1)
            .await
            .expect("resize");
        let inner: Value = self
            .client
            .execute("return [window.innerWidth, window.innerHeight]", vec![])
            .await
            .unwrap();
        let (w, h) = (
            inner[0].as_u64().unwrap() as u32,
            inner[1].as_u64().unwrap() as u32,
        );
        self.client
            .set_window_size(size.0 + (size.0 - w), size.1 + (size.1 - h))
            .await
            .expect("resize to the viewport");
    }

    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|err| panic!("open {path}: {err}"));
        self.settle().await;
    }

    /// Waits for htmx to be idle and the page's script to have run.
    pub async fn settle(&self) {
        self.wait_until(
            "document.readyState === 'complete' && !document.querySelector('.htmx-request')",
        )
        .await;
        // Animations and htmx's settle delay (20 ms).
        tokio::time::sleep(Duration::from_millis(120)).await;
    }

    /// Waits (up to 10 s) until a JavaScript expression is true.
    pub async fn wait_until(&self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let value = self
                .client
                .execute(&format!("return !!({condition})"), vec![])
                .await
                .unwrap_or(Value::Bool(false));
            if value == Value::Bool(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for `{condition}` on {}",
                self.path().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|url| url.path().to_owned())
            .unwrap_or_default()
    }

    pub async fn eval(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|err| panic!("script failed: {err}\n{script}"))
    }

    pub async fn text_of(&self, css: &str) -> String {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap(),
            Err(_) => panic!("{css} is not on {}", self.path().await),
        }
    }

    /// Ends the browser session (Chromium exits) and then ChromeDriver.
    pub async fn quit(self) {
        let _ = self.client.clone().close().await;
    }

    /// The focused element, described for assertions: `tag#id.class "text"`.
    pub async fn focused(&self) -> String {
        self.eval(
            "var e = document.activeElement; if (!e) return '';
             return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
               (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
               ' \"' + (e.textContent || e.value || '').trim().replace(/\\s+/g, ' ').slice(0, 80) + '\"';",
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Whether the focused element matches a CSS selector.
    pub async fn focus_matches(&self, css: &str) -> bool {
        self.client
            .execute(
                "return !!document.activeElement && document.activeElement.matches(arguments[0])",
                vec![json!(css)],
            )
            .await
            .unwrap()
            == Value::Bool(true)
    }

    /// Keys typed into whatever has focus, as a person types them.
    pub async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .expect("something has focus")
            .send_keys(keys)
            .await
            .expect("keys typed");
    }

    pub async fn press(&self, key: Key) {
        self.keys(&key.to_string()).await;
    }

    /// Presses Tab until focus is on an element matching `css`: a keyboard user's way there.
    pub async fn tab_to(&self, css: &str) {
        for _ in 0..120 {
            if self.focus_matches(css).await {
                return;
            }
            self.press(Key::Tab).await;
        }
        panic!(
            "Tab never reached {css} on {} (focus on {})",
            self.path().await,
            self.focused().await
        );
    }

    /// Signs in through the sign-in page, by keyboard.
    pub async fn sign_in(&self, email: &str, password: &str) {
        self.open("/sign-in").await;
        self.tab_to("#email").await;
        self.keys(email).await;
        self.press(Key::Tab).await;
        self.keys(password).await;
        self.press(Key::Enter).await;
        self.wait_until("location.pathname !== '/sign-in'").await;
        self.settle().await;
    }

    /// axe-core's violations on the page as it is now, one line per element.
    pub async fn axe_violations(&self) -> Vec<String> {
        let loaded = self.eval("return typeof window.axe === 'object'").await;
        if loaded != Value::Bool(true) {
            self.client
                .execute(&axe_source(), vec![])
                .await
                .expect("axe-core loads");
        }
        let result = self
            .client
            .execute_async(
                "var done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
                   .then(function (r) {
                     done(r.violations.flatMap(function (v) {
                       return v.nodes.map(function (n) {
                         return v.id + ' (' + v.impact + '): ' + n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\s+/g, ' ');
                       });
                     }));
                   }, function (e) { done(['axe failed: ' + e]); });",
                vec![json!(AXE_TAGS)],
            )
            .await
            .expect("axe runs");
        result
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| item.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether the page scrolls sideways (a layout that does not fit its width).
    pub async fn scrolls_sideways(&self) -> bool {
        self.eval("return document.documentElement.scrollWidth > window.innerWidth + 1")
            .await
            == Value::Bool(true)
    }

    pub async fn screenshot(&self, file: &std::path::Path) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(file, png).expect("screenshot written");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
