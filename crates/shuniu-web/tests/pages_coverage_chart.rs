//! The coverage report's figures: every bar coloured by its band and the band said in
//! words, the legend, and the chart comparing a district's streets beside their table —
//! on SQLite and PostgreSQL.

use crate::common;
use crate::coverage_support;
use crate::pages_support;

use common::TestApp;
use coverage_support::*;
use pages_support::*;
use reqwest::StatusCode;
use shuniu_domain::party::Band;

fn band_zh(b: Band) -> &'static str {
    match b {
        Band::Low => "低于 50%",
        Band::Middle => "50% 至 80%",
        Band::High => "80% 及以上",
    }
}

http_test!(
    bars_are_banded_and_streets_compared_in_a_chart,
    |app: TestApp| async move {
        let w = build(&app).await;
        let p = get(&app, "/coverage/320102", Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text);
        // The legend names the three bands.
        for b in Band::ALL {
            p.assert_has(&format!(
                "<rect class=\"band-{}\" width=\"14\" height=\"14\" rx=\"2\"/></svg> {}",
                b.as_str(),
                band_zh(b)
            ));
        }
        // Each headline figure: its bar in its band's colour, and the band in words.
        for s in expected(&w.specs, everyone) {
            let b = s.band();
            p.assert_has(&format!(
                "<rect class=\"band-{}\" width=\"{}\" height=\"12\"/>",
                b.as_str(),
                s.permille()
            ));
            p.assert_has(&format!(
                "<span class=\"cov-band band-{}\">{}</span>",
                b.as_str(),
                band_zh(b)
            ));
        }
        // The chart: one bar per street, to scale (400 units for 100%), in its band,
        // its name linking to the street's report, its percentage after it.
        p.assert_has("<title id=\"cov-chart-title\">党的组织覆盖率对比</title>");
        for (code, name) in [(MEIYUAN, "梅园新村街道"), (XINJIEKOU, "新街口街道")] {
            let s = expected(&w.specs, in_street(code))[0];
            p.assert_has(&format!(
                "<a href=\"/coverage/{code}\"><text class=\"cov-chart-name\""
            ));
            p.assert_has(&format!(">{name}</text></a>"));
            p.assert_has(&format!(
                "class=\"band-{}\" x=\"150\" y=\"",
                s.band().as_str()
            ));
            p.assert_has(&format!(
                "width=\"{}\" height=\"16\"><title>{name}: {} · {}</title>",
                s.permille() * 400 / 1000,
                s.percent_text(),
                band_zh(s.band())
            ));
        }
        // Dashed lines at the thresholds, and the table beside the chart.
        p.assert_has(">50%</text>");
        p.assert_has(">80%</text>");
        let chart = p.text.find("class=\"cov-chart\"").unwrap();
        let table = p.text.find("class=\"rows cov-children\"").unwrap();
        assert!(chart < table);

        let p = get(&app, "/coverage/320102", Some(EN)).await;
        p.assert_has("Party organization coverage compared");
        p.assert_has("below 50%");
        p.assert_has("80% or more");

        // A street has no areas below: no chart, the legend still.
        let p = get(&app, &format!("/coverage/{XINJIEKOU}"), Some(ZH)).await;
        assert_eq!(p.status, StatusCode::OK);
        p.assert_lacks("cov-chart-title");
        p.assert_has("class=\"cov-legend\"");
        // A hub's report bands its bars too.
        let p = get(&app, &format!("/hubs/{}/coverage", w.hub_m.id), Some(ZH)).await;
        for s in expected(&w.specs, in_hub_m) {
            p.assert_has(&format!(
                "<rect class=\"band-{}\" width=\"{}\" height=\"12\"/>",
                s.band().as_str(),
                s.permille()
            ));
        }
    }
);
