//! Small view helpers shared by the pages: numbers, URLs, select options, the tree.

use chrono::{Datelike, NaiveDate};
use shuniu_domain::Lang;
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_store::Store;

use uuid::Uuid;

use crate::AppError;

/// `1379` → `1,379`.
pub fn fmt_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A quarter as people read it: `2026年第四季度` / `Q4 2026`. Inputs and the API keep
/// the typed form `2026Q4`; this is for the pages' text only.
pub fn quarter(lang: Lang, year: i32, q: u8) -> String {
    match lang {
        Lang::Zh => {
            let n = ["一", "二", "三", "四"].get(usize::from(q).wrapping_sub(1));
            match n {
                Some(n) => format!("{year}年第{n}季度"),
                None => format!("{year}年第{q}季度"),
            }
        }
        Lang::En => format!("Q{q} {year}"),
    }
}

/// A date as people read it: `2026年11月30日` / `30 Nov 2026`. Form inputs, the API and
/// exports keep ISO `2026-11-30`, which programs and `<input type="date">` read.
pub fn date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

/// Percent-encodes a query component (everything but unreserved characters).
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes what may not appear raw in a `Location` header (non-ASCII, spaces,
/// controls), leaving the URL's structure as it is.
pub fn encode_non_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `next` if it is a path on this site (`/…`, not `//host` or `/\host`), else `None`.
pub fn local_path(next: Option<&str>) -> Option<&str> {
    let n = next?;
    let ok = n.starts_with('/')
        && !n.starts_with("//")
        && !n.contains('\\')
        && !n.chars().any(|c| c.is_control())
        && n.len() <= 2000;
    ok.then_some(n)
}

/// One choice of a select, radio group or checkbox group.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        Opt {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// Options for a closed set of codes, with `current` selected; `blank` (if any) first.
pub fn options<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
    current: &str,
    blank: Option<&str>,
) -> Vec<Opt> {
    let mut out = Vec::with_capacity(all.len() + 1);
    if let Some(b) = blank {
        out.push(Opt::new("", b, current.trim().is_empty()));
    }
    for x in all.iter().copied() {
        let c = code(x);
        out.push(Opt::new(
            c,
            label(x),
            c.eq_ignore_ascii_case(current.trim()),
        ));
    }
    out
}

/// The whole jurisdiction tree in pre-order, down to `max_level`.
pub async fn tree(
    store: &Store,
    max_level: Level,
) -> Result<std::sync::Arc<Vec<Jurisdiction>>, AppError> {
    // One root (a province) is the usual tree: its subtree as the store keeps it in
    // memory, not copied on every list request.
    let roots = store.jurisdiction_roots().await?;
    if let [root] = roots.as_slice() {
        return Ok(store.jurisdiction_subtree_shared(root, max_level).await?);
    }
    let mut out = Vec::new();
    for root in &roots {
        out.extend(store.jurisdiction_subtree(root, max_level).await?);
    }
    Ok(std::sync::Arc::new(out))
}

/// Where the data are: from the first top node down, through every node that is the
/// only child holding organizations, to a district at most. A deployment for one
/// district (the demo's Xuanwu) answers that district, not the province whose other
/// districts are empty; `None` when there is no jurisdiction at all.
pub async fn data_node(store: &Store) -> Result<Option<Jurisdiction>, AppError> {
    let Some(root) = store.jurisdiction_roots().await?.into_iter().next() else {
        return Ok(None);
    };
    let stats = store.subtree_stats_under(&root).await?;
    let mut node = root;
    while depth(node.level) < depth(Level::District) {
        let mut holding = store
            .jurisdiction_children(node.code.as_str())
            .await?
            .into_iter()
            .filter(|c| {
                stats
                    .get(c.code.as_str())
                    .is_some_and(|s| s.organizations > 0)
            });
        match (holding.next(), holding.next()) {
            (Some(only), None) => node = only,
            _ => break,
        }
    }
    Ok(Some(node))
}

/// How deep a node sits (province 0 … community 4).
pub fn depth(level: Level) -> usize {
    Level::ALL.iter().position(|l| *l == level).unwrap_or(0)
}

/// Jurisdiction options, indented by depth, with `current` selected.
pub fn jurisdiction_options(
    tree: &[Jurisdiction],
    lang: Lang,
    current: &str,
    blank: &str,
) -> Vec<Opt> {
    let mut out = vec![Opt::new("", blank, current.trim().is_empty())];
    for j in tree {
        let indent = "\u{a0}\u{a0}\u{a0}".repeat(depth(j.level));
        out.push(Opt::new(
            j.code.as_str(),
            format!("{indent}{}", j.name(lang)),
            j.code.as_str() == current.trim(),
        ));
    }
    out
}

/// A select of the filter form.
pub struct Filter {
    pub name: &'static str,
    pub label: &'static str,
    pub options: Vec<Opt>,
}

/// One step of a page's breadcrumbs, before the page itself (which the template names).
pub struct Crumb {
    pub name: String,
    pub href: String,
}

impl Crumb {
    pub fn new(name: impl Into<String>, href: impl Into<String>) -> Self {
        Crumb {
            name: name.into(),
            href: href.into(),
        }
    }
    /// The home page, where most pages' breadcrumbs start.
    pub fn home(ui: &crate::kit::ui::Ui) -> Self {
        Crumb::new(ui.t("nav.home"), "/")
    }
    /// The organization list.
    pub fn organizations(ui: &crate::kit::ui::Ui) -> Self {
        Crumb::new(ui.t("nav.organizations"), "/organizations")
    }
}

/// Parses the `{id}` of a path; anything that is not a UUID is a 404.
pub fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands() {
        assert_eq!(fmt_int(0), "0");
        assert_eq!(fmt_int(999), "999");
        assert_eq!(fmt_int(1379), "1,379");
        assert_eq!(fmt_int(25_000), "25,000");
        assert_eq!(fmt_int(-1_234_567), "-1,234,567");
    }

    #[test]
    fn quarters_and_dates_read_in_each_language() {
        assert_eq!(quarter(Lang::Zh, 2026, 4), "2026年第四季度");
        assert_eq!(quarter(Lang::En, 2026, 4), "Q4 2026");
        assert_eq!(quarter(Lang::Zh, 2027, 1), "2027年第一季度");
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(date(Lang::Zh, d), "2026年11月30日");
        assert_eq!(date(Lang::En, d), "30 Nov 2026");
        let d = NaiveDate::from_ymd_opt(2027, 3, 5).unwrap();
        assert_eq!(date(Lang::Zh, d), "2027年3月5日");
        assert_eq!(date(Lang::En, d), "5 Mar 2027");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(
            local_path(Some("/organizations?page=2")),
            Some("/organizations?page=2")
        );
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "evil",
            "/a\nb",
            "",
        ] {
            assert_eq!(local_path(Some(bad)), None, "{bad}");
        }
        assert_eq!(local_path(None), None);
    }

    #[test]
    fn encoding() {
        assert_eq!(pct("/a?b=c&d=梅"), "%2Fa%3Fb%3Dc%26d%3D%E6%A2%85");
        assert_eq!(encode_non_ascii("/o?q=梅 园"), "/o?q=%E6%A2%85%20%E5%9B%AD");
    }
}
