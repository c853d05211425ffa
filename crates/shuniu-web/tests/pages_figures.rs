//! Figures that compare (issue 13): a street's and a district's page chart their
//! organizations by service domain beside a table holding the same numbers and show
//! coverage by band; a street's page names its park, hub and members; the street's
//! 1+1+X is drawn; the district diagram marks the streets without a service park —
//! on SQLite and PostgreSQL.

use crate::common;
use crate::pages_support;

use common::TestApp;
use pages_support::*;
use reqwest::StatusCode;
use shuniu_domain::hubs::{Hub, RecognitionDraft};
use shuniu_domain::jurisdiction::{JurisdictionCode, Level};
use shuniu_domain::parks::VenueData;
use shuniu_domain::registry::Organization;

const MEIYUAN: &str = "320102002000";
const XINJIEKOU: &str = "320102003000";

async fn org_at(app: &TestApp, n: u32, place: &str, name: &str, domains: &[&str]) -> Organization {
    let mut form = with(with(org_form(n), "jurisdiction", place), "name", name);
    form.retain(|(k, _)| *k != "domains");
    for d in domains {
        form.push(("domains", d.to_string()));
    }
    seed_form(app, &form).await
}

async fn regional_hub(app: &TestApp, org: &Organization, place: &str) -> Hub {
    let d = RecognitionDraft {
        kind: Some("regional".into()),
        level: Some("street".into()),
        jurisdiction: Some(place.into()),
        base_body: Some("街道办事处".into()),
        fields: vec![],
        recognizing_body: Some("玄武区民政局".into()),
        document_number: Some("玄民〔2012〕12号".into()),
        recognized_on: Some("2012-03-01".into()),
        functions: vec!["cultivation".into()],
    };
    let r = d
        .validate(chrono::Utc::now().date_naive(), Some(Level::Street))
        .unwrap();
    app.store.recognize_hub(org.id, &r, "test").await.unwrap()
}

/// The slice of the page from the element carrying `marker` to the next `end`.
fn part<'a>(p: &'a Page, marker: &str, end: &str) -> &'a str {
    let start = p
        .raw
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} on the page"));
    let stop = p.raw[start..].find(end).expect("closed") + start;
    &p.raw[start..stop]
}

/// The texts of the elements that open with `open` (up to their `>`), in order.
fn texts_after(s: &str, open: &str, close: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        rest = &rest[i + open.len()..];
        let gt = rest.find('>').unwrap() + 1;
        let end = rest[gt..].find(close).unwrap() + gt;
        out.push(rest[gt..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// (name, count) pairs.
type Pairs = Vec<(String, String)>;

/// (name, count) of each bar of the domain chart and each row of its table.
fn chart_and_table(p: &Page) -> (Pairs, Pairs) {
    let svg = part(p, "<svg id=\"domain-chart\"", "</svg>");
    let names = texts_after(svg, "<text class=\"fig-chart-name\"", "</text>");
    let values = texts_after(svg, "<text class=\"fig-chart-value\"", "</text>");
    assert_eq!(names.len(), values.len());
    let table = part(p, "<table id=\"domain-table\"", "</table>");
    let body = &table[table.find("<tbody>").unwrap()..];
    let row_names: Vec<String> = texts_after(body, "<th scope=\"row\"><a", "</a>");
    let row_values = texts_after(body, "<td class=\"num\"", "</td>");
    (
        names.into_iter().zip(values).collect(),
        row_names.into_iter().zip(row_values).collect(),
    )
}

fn pairs(v: &[(&str, &str)]) -> Pairs {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

http_test!(
    street_and_district_pages_chart_their_figures,
    |app: TestApp| async move {
        let a = org_at(
            &app,
            1,
            MEIYUAN,
            "梅园新村街道社会组织发展促进会",
            &["elderly", "public_welfare"],
        )
        .await;
        let m1 = org_at(
            &app,
            2,
            MEIYUAN,
            "玄武城市符号文化交流中心",
            &["elderly", "public_welfare"],
        )
        .await;
        let m2 = org_at(
            &app,
            3,
            MEIYUAN,
            "梅园阳光家园残疾人托养中心",
            &["education"],
        )
        .await;
        org_at(&app, 4, XINJIEKOU, "新街口测试教育中心", &["education"]).await;
        let hub = regional_hub(&app, &a, MEIYUAN).await;
        let today = chrono::Utc::now().date_naive();
        app.store
            .add_member(hub.id, m1.id, true, today, "test")
            .await
            .unwrap();
        app.store
            .add_member(hub.id, m2.id, false, today, "test")
            .await
            .unwrap();
        let venue = VenueData {
            name: "梅园新村街道社会组织服务园".into(),
            address: "梅园新村34号".into(),
            jurisdiction: JurisdictionCode::parse(MEIYUAN).unwrap(),
            area_m2: 400,
            owner: "梅园新村街道办事处".into(),
            free_of_charge: true,
            terms: "无偿提供".into(),
            utilities_waived: true,
            obligation: "服务本地居民".into(),
            obligation_hours_per_quarter: 0,
        };
        app.store
            .create_venue(Some(hub.id), &venue, "test")
            .await
            .unwrap();

        // The street's page: the domain chart's bars are the table's rows, most first,
        // and the data's counts (an organization counts in each of its domains).
        let p = get(&app, &format!("/jurisdictions/{MEIYUAN}"), Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text);
        let (chart, table) = chart_and_table(&p);
        let want = pairs(&[("助老", "2"), ("公益服务", "2"), ("教育", "1")]);
        assert_eq!(chart, want);
        assert_eq!(table, want);
        // Bars to scale: the largest 236 units, half of it for half the count.
        let svg = part(&p, "<svg id=\"domain-chart\"", "</svg>");
        assert!(
            svg.contains("width=\"236\" height=\"14\"><title>助老: 2</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("width=\"118\" height=\"14\"><title>教育: 1</title>"),
            "{svg}"
        );
        assert!(svg.contains("role=\"group\""));
        assert!(svg.contains(&format!(
            "<a href=\"/organizations?jurisdiction={MEIYUAN}&#38;domain=education\">"
        )));
        // 1+1+X at a glance: the park, the hub and its member count.
        let oox = part(&p, "id=\"one-one-x\"", "</section>");
        assert!(oox.contains("梅园新村街道社会组织服务园"));
        assert!(oox.contains(&format!(
            "<a href=\"/hubs/{}\">梅园新村街道社会组织发展促进会</a>",
            hub.id
        )));
        assert!(oox.contains("<dd>2</dd>"), "{oox}");
        // Coverage, each bar banded and the band in words, with the legend.
        let cov = part(&p, "id=\"coverage\"", "</section>");
        assert!(cov.contains("<span class=\"cov-band band-"));
        assert!(cov.contains("80% 及以上"));

        // The district's page: the same chart over its streets.
        let p = get(&app, "/jurisdictions/320102", Some(EN)).await;
        assert_eq!(p.status, StatusCode::OK);
        let (chart, table) = chart_and_table(&p);
        let want = pairs(&[
            ("Elderly care", "2"),
            ("Education", "2"),
            ("Public-welfare services", "2"),
        ]);
        assert_eq!(chart, want);
        assert_eq!(table, want);
        p.assert_lacks("id=\"one-one-x\"");

        // A street without organizations says so instead of drawing.
        let p = get(&app, "/jurisdictions/320102005000", Some(ZH)).await;
        p.assert_lacks("id=\"domain-chart\"");
        p.assert_has("本辖区尚无社会组织。");
    }
);

http_test!(
    the_structure_diagrams_draw_parks_hubs_and_members,
    |app: TestApp| async move {
        let a = org_at(
            &app,
            1,
            MEIYUAN,
            "梅园新村街道社会组织发展促进会",
            &["elderly"],
        )
        .await;
        let m1 = org_at(&app, 2, MEIYUAN, "玄武城市符号文化交流中心", &["elderly"]).await;
        let hub = regional_hub(&app, &a, MEIYUAN).await;
        let today = chrono::Utc::now().date_naive();
        app.store
            .add_member(hub.id, m1.id, true, today, "test")
            .await
            .unwrap();
        // Fourteen more members: twelve nodes, then "2 more".
        for n in 0..14u32 {
            let o = org_at(
                &app,
                10 + n,
                MEIYUAN,
                &format!("测试成员{n:02}"),
                &["elderly"],
            )
            .await;
            app.store
                .add_member(hub.id, o.id, false, today, "test")
                .await
                .unwrap();
        }
        let venue = VenueData {
            name: "梅园新村街道社会组织服务园".into(),
            address: "梅园新村34号".into(),
            jurisdiction: JurisdictionCode::parse(MEIYUAN).unwrap(),
            area_m2: 400,
            owner: "梅园新村街道办事处".into(),
            free_of_charge: true,
            terms: "无偿提供".into(),
            utilities_waived: true,
            obligation: "服务本地居民".into(),
            obligation_hours_per_quarter: 0,
        };
        let v = app
            .store
            .create_venue(Some(hub.id), &venue, "test")
            .await
            .unwrap();

        // 1+1+X: the park, the association and the members, capped, in one group
        // of links (so no role="img").
        let p = get(&app, &format!("/structure/{MEIYUAN}"), Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text);
        let svg = part(&p, "<svg class=\"oox-diagram\"", "</svg>");
        assert!(svg.contains("role=\"group\""));
        assert!(!svg.contains("role=\"img\""));
        assert!(svg.contains(&format!("<a href=\"/venues/{}\"", v.id)));
        assert!(svg.contains("梅园新村34号") || svg.contains("400 平方米"));
        assert!(svg.contains(&format!("<a href=\"/hubs/{}\"", hub.id)));
        assert!(
            svg.contains("<title>1 · 促进会 · 梅园新村街道社会组织发展促进会</title>"),
            "{svg}"
        );
        assert!(svg.contains("X · 成员单位 15 个"), "{svg}");
        assert!(svg.contains(&format!("<a href=\"/organizations/{}\"", m1.id)));
        assert!(svg.contains("<title>玄武城市符号文化交流中心 · 发起单位</title>"));
        assert!(svg.contains("★ 发起单位"));
        assert_eq!(svg.matches("<a href=\"/organizations/").count(), 12);
        assert!(svg.contains(&format!("<a href=\"/hubs/{}#members\"", hub.id)));
        assert!(svg.contains("另有 3 个成员单位"), "{svg}");

        // A street without park or hub is drawn with both missing, in words.
        let p = get(&app, &format!("/structure/{XINJIEKOU}"), Some(EN)).await;
        let svg = part(&p, "<svg class=\"oox-diagram\"", "</svg>");
        assert!(svg.contains("No service"), "{svg}");
        assert!(svg.contains("No regional"), "{svg}");
        assert!(svg.contains("stroke-dasharray"));

        // The district: the streets without a park carry a dashed tag in words, the
        // key below says what it means; Meiyuan has its park.
        let p = get(&app, "/structure/320102", Some(ZH)).await;
        let svg = part(&p, "<svg class=\"structure-diagram\"", "</svg>");
        assert!(svg.contains(&format!("<a href=\"/structure/{XINJIEKOU}\" class=\"svg-node\">\n    <title>新街口街道 · 无服务园</title>")), "{svg}");
        assert!(!svg.contains("梅园新村街道 · 无服务园"));
        assert!(svg.contains(">无服务园</text>"));
        p.assert_has("该街道尚无服务园");
        let p = get(&app, "/structure/320102", Some(EN)).await;
        let svg = part(&p, "<svg class=\"structure-diagram\"", "</svg>");
        assert!(svg.contains(">No park</text>"));
        assert!(svg.contains("<title>Xinjiekou Street · No park</title>"));
        // English names are whole, not cut.
        assert!(svg.contains(">Meiyuan Xincun Street</text>"));
        assert!(!svg.contains("Street…"));

        // On a phone the same structure is stacked cards in the page's type, with
        // the streets without a park marked in words.
        let stack = part(&p, "<div class=\"structure-stack\">", "</div>");
        assert!(stack.contains("Xinjiekou Street</a>"), "{stack}");
        let card = |name: &str| -> String {
            stack
                .split("<li")
                .find(|li| li.contains(&format!(">{name}</a>")))
                .unwrap_or_else(|| panic!("{name} in {stack}"))
                .to_string()
        };
        assert!(
            card("Xinjiekou Street").contains(">No park</span>"),
            "{stack}"
        );
        assert!(
            !card("Meiyuan Xincun Street").contains("stack-no-park"),
            "{stack}"
        );
        let p = get(&app, "/structure/320102", Some(ZH)).await;
        let stack = part(&p, "<div class=\"structure-stack\">", "</div>");
        assert!(stack.contains(">无服务园</span>"), "{stack}");
        assert!(
            !stack
                .split("<li")
                .any(|li| li.contains("梅园新村街道") && li.contains("stack-no-park"))
        );
    }
);

/// Nothing on the district diagram's page is held wider than a phone (375 px): the
/// style sheet gives its figure no `min-width` above 20rem / 320px, and below 640 px
/// the drawing gives way to the stacked cards.
#[test]
fn the_district_diagram_fits_a_phone() {
    let css = include_str!("../static/style.css");
    let mut rest = css;
    while let Some(i) = rest.find('{') {
        let selector = rest[..i].rsplit(['}', ';']).next().unwrap_or_default();
        let end = rest[i..].find('}').map(|j| i + j).unwrap_or(rest.len());
        let body = &rest[i + 1..end];
        if selector.contains("structure") && !selector.trim_start().starts_with('@') {
            for decl in body.split(';') {
                if let Some((prop, value)) = decl.split_once(':')
                    && prop.trim() == "min-width"
                {
                    let v = value.trim();
                    let px = if let Some(n) = v.strip_suffix("rem") {
                        n.trim().parse::<f64>().unwrap_or(0.0) * 16.0
                    } else if let Some(n) = v.strip_suffix("px") {
                        n.trim().parse::<f64>().unwrap_or(0.0)
                    } else {
                        0.0
                    };
                    assert!(
                        px <= 320.0,
                        "{selector} has min-width {v}: wider than a phone"
                    );
                }
            }
        }
        rest = &rest[(i + 1).min(rest.len())..];
    }
    let phone = css
        .split("@media (max-width: 640px)")
        .skip(1)
        .collect::<String>();
    assert!(phone.contains(".structure-figure .structure-diagram { display: none; }"));
    assert!(phone.contains(".structure-stack { display: block; }"));
}
