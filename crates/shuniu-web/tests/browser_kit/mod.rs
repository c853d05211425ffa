//! What the browser tests share: chromedriver and Chromium (started and cleaned up),
//! navigation with an accessibility audit on arrival, screenshots, form helpers.

mod audit;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub use audit::{Audit, Mode, audit, goto, set_mode};

/// The first of `candidates` that exists, or an explanation of what is missing.
pub fn find_program(env: &str, candidates: &[&str], what: &str) -> PathBuf {
    if let Ok(p) = std::env::var(env) {
        let p = PathBuf::from(p);
        assert!(p.exists(), "{env}={} does not exist", p.display());
        return p;
    }
    for c in candidates {
        let p = Path::new(c);
        if p.exists() {
            return p.to_path_buf();
        }
    }
    panic!(
        "{what} not found (looked at {}). Install it (Debian/Ubuntu: `apt-get install chromium chromium-driver`) \
         or point {env} at it. The browser test fails rather than skips.",
        candidates.join(", ")
    );
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// chromedriver, killed when dropped (also when the test panics).
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Driver {
    pub fn start() -> Driver {
        let exe = find_program(
            "SHUNIU_CHROMEDRIVER",
            &[
                "/usr/bin/chromedriver",
                "/usr/lib/chromium/chromedriver",
                "/usr/local/bin/chromedriver",
            ],
            "chromedriver",
        );
        let port = free_port();
        let child = Command::new(&exe)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port} within 20 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh Chromium profile directory, removed when dropped.
pub struct Profile(pub PathBuf);

impl Profile {
    pub fn new() -> Profile {
        let dir =
            std::env::temp_dir().join(format!("shuniu-chromium-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Profile(dir)
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub async fn connect(driver: &Driver, profile: &Path) -> Client {
    let chrome = find_program(
        "SHUNIU_CHROME",
        &[
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        ],
        "Chromium",
    );
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chrome.to_string_lossy(),
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                "--hide-scrollbars",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    ClientBuilder::rustls()
        .expect("TLS roots")
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("cannot open a Chromium session through {}: {e}", driver.url))
}

/// Writes a full-page screenshot of the current page at `width` px.
pub async fn shoot(c: &Client, dir: &Path, name: &str, width: u32) {
    c.set_window_size(width, 900).await.unwrap();
    let height = c
        .execute(
            "return Math.ceil(document.documentElement.scrollHeight);",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(900)
        .clamp(600, 8000) as u32;
    c.set_window_size(width, height).await.unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    c.set_window_size(width, 900).await.unwrap();
}

/// Waits until the browser is on a page whose path satisfies `ok`.
pub async fn wait_for_path(c: &Client, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let url = c.current_url().await.unwrap();
        if ok(url.path()) {
            return url.path().to_string();
        }
        assert!(Instant::now() < deadline, "still on {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits (up to 10 s) until the first `css` element's text contains `needle`; a page
/// still loading or replaced meanwhile is simply asked again.
pub async fn wait_for_text(c: &Client, css: &str, needle: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(e) = c.find(Locator::Css(css)).await
            && let Ok(t) = e.text().await
            && t.contains(needle)
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

pub async fn type_into(c: &Client, name: &str, text: &str) {
    let e = c
        .find(Locator::Css(&format!("[name=\"{name}\"]")))
        .await
        .unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

pub async fn choose(c: &Client, name: &str, value: &str) {
    c.find(Locator::Css(&format!("select[name=\"{name}\"]")))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

/// Date inputs take keystrokes in the browser's locale order: set the value instead.
pub async fn set_date(c: &Client, name: &str, value: &str) {
    c.execute(
        "document.querySelector('[name=\"' + arguments[0] + '\"]').value = arguments[1];",
        vec![json!(name), json!(value)],
    )
    .await
    .unwrap();
}

pub async fn sign_in(c: &Client, base: &str, user: &str, password: &str, then: &str) {
    goto(c, &format!("{base}/login?next={then}")).await;
    type_into(c, "username", user).await;
    type_into(c, "password", password).await;
    c.find(Locator::Css("form.login-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(c, |p| p != "/login").await;
    audit(c, "after signing in").await;
}
