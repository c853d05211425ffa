//! Small charts drawn on the server as SVG, shared by the pages that compare figures:
//! the threshold bands' colours and words (every coloured mark is said in words beside
//! it), and a bar chart of counts whose text stays legible on a phone.
//!
//! The count chart is drawn in a 300-unit-wide box at 14–15 units of type; the page's
//! style sheet keeps the drawing at least 300 px wide (`.fig-chart svg`), so its text is
//! never rendered under 14 px. Each bar's name sits on its own line above the bar, so a
//! long English name is never squeezed into a column or cut.

use shuniu_domain::party::Band;

use super::ui::Ui;

/// The CSS class of a band's colour (`band-low` …), shared by bars, charts and legends.
pub fn band_class(b: Band) -> &'static str {
    match b {
        Band::Low => "band-low",
        Band::Middle => "band-middle",
        Band::High => "band-high",
    }
}

/// A band in words: the text beside every coloured mark.
pub fn band_label(ui: &Ui, b: Band) -> &'static str {
    match b {
        Band::Low => ui.t("cov.band.low"),
        Band::Middle => ui.t("cov.band.middle"),
        Band::High => ui.t("cov.band.high"),
    }
}

pub struct LegendItem {
    pub class: &'static str,
    pub label: &'static str,
}

/// The bands' legend: a colour and its words each.
pub fn legend(ui: &Ui) -> Vec<LegendItem> {
    Band::ALL
        .iter()
        .map(|b| LegendItem {
            class: band_class(*b),
            label: band_label(ui, *b),
        })
        .collect()
}

/// One bar of a count chart: its name on a line, the bar below, the count after it.
pub struct CountBar {
    pub name: String,
    pub href: String,
    pub value: String,
    pub name_y: i64,
    pub bar_y: i64,
    pub value_y: i64,
    pub width: i64,
    pub value_x: i64,
}

pub struct CountChart {
    pub width: i64,
    pub height: i64,
    pub span: i64,
    pub bar_height: i64,
    pub bars: Vec<CountBar>,
}

/// Width of the drawing, of the longest bar, and one row's parts, in SVG units.
const WIDTH: i64 = 300;
const SPAN: i64 = 236;
const ROW: i64 = 44;
const NAME: i64 = 15;
const BAR: i64 = 14;

/// The bar chart of `items` (name, link, count), bars scaled to the largest count;
/// `None` when there is nothing to draw.
pub fn count_chart(items: &[(String, String, i64)]) -> Option<CountChart> {
    if items.is_empty() {
        return None;
    }
    let max = items.iter().map(|(_, _, n)| *n).max().unwrap_or(0).max(1);
    let bars = items
        .iter()
        .enumerate()
        .map(|(i, (name, href, n))| {
            let top = i as i64 * ROW;
            let bar_y = top + NAME + 7;
            // A count above zero always shows a sliver of a bar.
            let width = if *n > 0 { (n * SPAN / max).max(2) } else { 0 };
            CountBar {
                name: name.clone(),
                href: href.clone(),
                value: super::view::fmt_int(*n),
                name_y: top + NAME,
                bar_y,
                value_y: bar_y + BAR - 1,
                width,
                value_x: width + 6,
            }
        })
        .collect();
    Some(CountChart {
        width: WIDTH,
        height: items.len() as i64 * ROW,
        span: SPAN,
        bar_height: BAR,
        bars,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_count_and_leave_room_for_it() {
        let items = vec![
            ("a".to_string(), "/a".to_string(), 10),
            ("b".to_string(), "/b".to_string(), 5),
            ("c".to_string(), "/c".to_string(), 0),
        ];
        let c = count_chart(&items).unwrap();
        assert_eq!(c.bars[0].width, SPAN);
        assert_eq!(c.bars[1].width, SPAN / 2);
        assert_eq!(c.bars[2].width, 0);
        // The longest bar's count still fits in the drawing (up to five digits at 14 units).
        assert!(c.bars[0].value_x + 5 * 9 <= c.width);
        assert!(count_chart(&[]).is_none());
    }
}
