//! The geometry of the coverage report's figures, drawn on the server as SVG (no
//! script; the page's style sheet colours them by band): the threshold legend, and the
//! bar chart comparing the areas below a node (a district's streets) on party
//! organization coverage. The table beside the chart carries the same numbers.

use shuniu_domain::party::Band;

use super::*;

pub use crate::kit::chart::{LegendItem, band_class, band_label, legend};

/// One area's bar: the label at the left, the bar, its percentage after it.
pub struct ChartBar {
    pub name: String,
    pub href: String,
    pub y: i64,
    pub text_y: i64,
    pub width: i64,
    pub value_x: i64,
    pub percent: String,
    pub class: &'static str,
    pub band: &'static str,
}

/// A threshold's dashed line across the chart, with its value at the top.
pub struct Rule {
    pub x: i64,
    pub label: String,
}

pub struct Chart {
    pub width: i64,
    pub height: i64,
    pub left: i64,
    pub span: i64,
    pub bar_height: i64,
    pub bottom: i64,
    pub bars: Vec<ChartBar>,
    pub rules: Vec<Rule>,
}

/// Name column, plot width and one row's height, in SVG units.
const LEFT: i64 = 150;
const SPAN: i64 = 400;
const ROW: i64 = 26;
const BAR: i64 = 16;
const TOP: i64 = 22;

/// The chart of `children` (name, link, share); `None` when there is nothing to compare.
pub fn chart(children: &[(String, String, Share)], ui: &Ui) -> Option<Chart> {
    if children.is_empty() {
        return None;
    }
    let bars = children
        .iter()
        .enumerate()
        .map(|(i, (name, href, s))| {
            let y = TOP + i as i64 * ROW;
            let width = s.permille() * SPAN / 1000;
            ChartBar {
                name: name.clone(),
                href: href.clone(),
                y,
                text_y: y + BAR - 3,
                width,
                value_x: LEFT + width + 6,
                percent: s.percent_text(),
                class: band_class(s.band()),
                band: band_label(ui, s.band()),
            }
        })
        .collect();
    let rule = |permille: i64| Rule {
        x: LEFT + permille * SPAN / 1000,
        label: format!("{}%", permille / 10),
    };
    Some(Chart {
        width: LEFT + SPAN + 70,
        height: TOP + children.len() as i64 * ROW + 4,
        left: LEFT,
        span: SPAN,
        bar_height: BAR,
        bottom: TOP + children.len() as i64 * ROW,
        bars,
        rules: vec![rule(Band::MIDDLE), rule(Band::HIGH)],
    })
}
