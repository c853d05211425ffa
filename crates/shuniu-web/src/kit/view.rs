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
    options_of_places(tree.iter(), lang, current, blank)
}

/// How many places a list's filter offers at most before it asks for the way down:
/// a select of a province's streets and communities (1,264 in the 1M benchmark, about
/// 20,000 in a real province) cannot be used on a phone, and made four fifths of every
/// 117 KB list page.
pub const PLACE_FILTER_MAX: usize = 300;

/// The place options of a list's filter. A small tree (a district's deployment) is
/// offered whole. A larger one offers the levels that fit in `PLACE_FILTER_MAX`, and
/// below them only the children of the places on the way to `current`: choose a
/// district and apply, and its streets are offered; choose a street, its communities.
pub fn place_filter_options(
    tree: &[Jurisdiction],
    lang: Lang,
    current: &str,
    blank: &str,
) -> Vec<Opt> {
    if tree.len() <= PLACE_FILTER_MAX {
        return jurisdiction_options(tree, lang, current, blank);
    }
    let mut per_level = [0usize; Level::ALL.len()];
    for j in tree {
        per_level[depth(j.level)] += 1;
    }
    let mut open_depth = 0;
    let mut offered = 0;
    for (d, n) in per_level.iter().enumerate() {
        offered += n;
        if offered > PLACE_FILTER_MAX {
            break;
        }
        open_depth = d;
    }
    // The codes on the way to the chosen place, itself included (its path).
    let way: Vec<&str> = tree
        .iter()
        .find(|j| j.code.as_str() == current.trim())
        .map(|j| j.path.split('/').filter(|c| !c.is_empty()).collect())
        .unwrap_or_default();
    let kept = tree.iter().filter(|j| {
        depth(j.level) <= open_depth || j.parent.as_ref().is_some_and(|p| way.contains(&p.as_str()))
    });
    options_of_places(kept, lang, current, blank)
}

fn options_of_places<'a>(
    places: impl Iterator<Item = &'a Jurisdiction>,
    lang: Lang,
    current: &str,
    blank: &str,
) -> Vec<Opt> {
    let mut out = vec![Opt::new("", blank, current.trim().is_empty())];
    for j in places {
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

    /// A province of 2 cities × 2 districts × 20 streets × 10 communities (887 places).
    fn big_tree() -> Vec<Jurisdiction> {
        use shuniu_domain::jurisdiction::{JurisdictionCode, child_of, reference_tree};
        let code = |c: String| JurisdictionCode::parse(&c).unwrap();
        let province = reference_tree().remove(0);
        let mut out = vec![province.clone()];
        for c in 1..=2 {
            let city = child_of(&province, code(format!("32{c:02}00")), "市", "City").unwrap();
            out.push(city.clone());
            for d in 1..=2 {
                let district =
                    child_of(&city, code(format!("32{c:02}{d:02}")), "区", "District").unwrap();
                out.push(district.clone());
                for st in 1..=20 {
                    let street = child_of(
                        &district,
                        code(format!("32{c:02}{d:02}{st:03}000")),
                        "街道",
                        "Street",
                    )
                    .unwrap();
                    out.push(street.clone());
                    for cm in 1..=10 {
                        out.push(
                            child_of(
                                &street,
                                code(format!("32{c:02}{d:02}{st:03}{cm:03}")),
                                "社区",
                                "Community",
                            )
                            .unwrap(),
                        );
                    }
                }
            }
        }
        out
    }

    #[test]
    fn a_large_place_filter_offers_the_way_down_to_the_chosen_place() {
        let tree = big_tree();
        assert_eq!(tree.len(), 887);
        let values = |current: &str| -> Vec<String> {
            place_filter_options(&tree, Lang::En, current, "All")
                .into_iter()
                .map(|o| o.value)
                .collect()
        };
        let communities = |v: &[String]| {
            v.iter()
                .filter(|c| c.len() == 12 && !c.ends_with("000"))
                .count()
        };
        // Nothing chosen: the province, cities, districts and streets (87), no community.
        let none = values("");
        assert_eq!(none.len(), 1 + 87);
        assert_eq!(communities(&none), 0);
        // A street chosen: its ten communities as well, and no other street's.
        let street = values("320101003000");
        assert_eq!(street.len(), 1 + 87 + 10);
        assert!(
            street
                .iter()
                .filter(|c| c.len() == 12 && !c.ends_with("000"))
                .all(|c| c.starts_with("320101003"))
        );
        // A community chosen: it and its siblings; the chosen one is selected.
        let opts = place_filter_options(&tree, Lang::En, "320202020007", "All");
        assert_eq!(opts.len(), 1 + 87 + 10);
        assert!(opts.iter().any(|o| o.value == "320202020007" && o.selected));
        // Pre-order kept: the communities follow their street.
        let at = |v: &str| opts.iter().position(|o| o.value == v).unwrap();
        assert_eq!(at("320202020001"), at("320202020000") + 1);
        // An unknown code opens nothing.
        assert_eq!(values("999999").len(), 1 + 87);
        // A small tree (the demo's district) is offered whole.
        let small = reference_tree_places();
        assert_eq!(
            place_filter_options(&small, Lang::Zh, "", "全部").len(),
            small.len() + 1
        );
    }

    fn reference_tree_places() -> Vec<Jurisdiction> {
        shuniu_domain::jurisdiction::reference_tree()
    }

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
