//! The accessibility audit of every page the browser tests visit (issue 13): axe-core,
//! pinned and fetched by `scripts/fetch-axe`, is injected into the page and run with
//! the WCAG 2.0/2.1 A and AA rules; in elderly mode (cookie `display=elder`, set before
//! visiting) the AAA contrast rule `color-contrast-enhanced` (7:1) runs as well.

use std::path::PathBuf;
use std::sync::OnceLock;

use fantoccini::Client;
use serde::Deserialize;
use serde_json::json;

/// How the site is displayed: a cookie the server reads, so a mode is set once per
/// browser session and holds for every page visited after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Standard,
    /// 长辈版: larger type, 7:1 contrast — audited with the AAA contrast rule too.
    Elderly,
}

const MODE_COOKIE: &str = "display";
const ELDER: &str = "elder";

/// The WCAG A/AA rule sets every page must pass.
const TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// Sets the display mode for the pages visited next (the browser must be on the site).
pub async fn set_mode(c: &Client, mode: Mode) {
    // Through the page: WebDriver's add-cookie refuses a host that is an IP address.
    let script = match mode {
        Mode::Standard => format!("document.cookie = '{MODE_COOKIE}=; path=/; max-age=0';"),
        Mode::Elderly => {
            format!("document.cookie = '{MODE_COOKIE}={ELDER}; path=/; max-age=31536000';")
        }
    };
    c.execute(&script, vec![]).await.unwrap();
}

/// The mode the browser is in: the cookie the server reads.
async fn current_mode(c: &Client) -> Mode {
    match c.get_named_cookie(MODE_COOKIE).await {
        Ok(k) if k.value() == ELDER => Mode::Elderly,
        _ => Mode::Standard,
    }
}

/// Goes to `url` and audits the page the browser lands on (after any redirect).
pub async fn goto(c: &Client, url: &str) {
    c.goto(url)
        .await
        .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    audit(c, url).await;
}

/// Audits the current page in the browser's mode; panics with the violations.
pub async fn audit(c: &Client, label: &str) {
    let found = Audit::run(c, label).await;
    assert!(found.is_clean(), "{}", found.report());
}

/// One axe finding: a rule broken on some elements of one page.
#[derive(Debug, Deserialize)]
pub struct Violation {
    pub id: String,
    pub impact: Option<String>,
    pub help: String,
    pub targets: Vec<String>,
}

/// The outcome of auditing one page.
#[derive(Debug)]
pub struct Audit {
    pub label: String,
    pub url: String,
    pub mode: Mode,
    pub violations: Vec<Violation>,
}

impl Audit {
    /// Runs axe on the current page (A/AA; plus AAA contrast in elderly mode).
    pub async fn run(c: &Client, label: &str) -> Audit {
        let mode = current_mode(c).await;
        let url = c
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let loaded = c
            .execute("return typeof window.axe === 'object';", vec![])
            .await
            .unwrap();
        if loaded != json!(true) {
            // The script body itself, as axe's own WebDriver bindings do: code run
            // through WebDriver is not subject to the page's content security policy.
            c.execute(&format!("{}\nreturn true;", axe_source()), vec![])
                .await
                .unwrap_or_else(|e| panic!("cannot inject axe-core into {url}: {e}"));
        }
        let raw = c
            .execute_async(RUN, vec![json!(TAGS), json!(mode == Mode::Elderly)])
            .await
            .unwrap_or_else(|e| panic!("axe did not run on {url}: {e}"));
        let text = raw.as_str().unwrap_or_default();
        let violations: Vec<Violation> = serde_json::from_str(text)
            .unwrap_or_else(|_| panic!("axe failed on {url} ({label}): {raw}"));
        Audit {
            label: label.to_string(),
            url,
            mode,
            violations,
        }
    }

    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }

    /// The violations as lines a person can act on: rule, impact, elements, page.
    pub fn report(&self) -> String {
        let mut out = format!(
            "axe: {} violation(s) on {} ({}, {:?} mode)\n",
            self.violations.len(),
            self.url,
            self.label,
            self.mode
        );
        for v in &self.violations {
            out.push_str(&format!(
                "  - {} [{}] {}\n      at {}\n",
                v.id,
                v.impact.as_deref().unwrap_or("?"),
                v.help,
                v.targets.join(" | ")
            ));
        }
        out
    }
}

/// Runs the A/AA rules, then (elderly mode) the AAA contrast rule alone, and hands back
/// the violations as JSON (a string: WebDriver's value conversion is not needed).
const RUN: &str = r#"
const [tags, elderly, done] = arguments;
const slim = (vs) => vs.map((v) => ({
  id: v.id,
  impact: v.impact,
  help: v.help,
  targets: v.nodes.map((n) => n.target.join(' ')),
}));
(async () => {
  const base = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
  let found = slim(base.violations);
  if (elderly) {
    const aaa = await axe.run(document, {
      runOnly: { type: 'rule', values: ['color-contrast-enhanced'] },
    });
    found = found.concat(slim(aaa.violations));
  }
  done(JSON.stringify(found));
})().catch((e) => done('axe error: ' + e));
"#;

/// axe.min.js: `SHUNIU_AXE_JS`, or where `scripts/fetch-axe` puts it in the target dir.
fn axe_source() -> &'static str {
    static SRC: OnceLock<String> = OnceLock::new();
    SRC.get_or_init(|| {
        let path = match std::env::var("SHUNIU_AXE_JS") {
            Ok(p) => PathBuf::from(p),
            Err(_) => default_path(),
        };
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "axe-core not found at {} ({e}). Run `scripts/fetch-axe` (it puts a pinned, \
                 checked axe.min.js under $CARGO_TARGET_DIR/axe/) or point SHUNIU_AXE_JS at \
                 one. The browser tests audit every page and fail rather than skip.",
                path.display()
            )
        })
    })
}

/// `<target>/axe/axe.min.js`, the target dir found from this test binary
/// (`<target>/debug/deps/browser-…`), so that CARGO_TARGET_DIR needs no repeating.
fn default_path() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let target = exe
        .ancestors()
        .nth(3)
        .map(|p| p.to_path_buf())
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("axe").join("axe.min.js")
}
