//! The 一核两轴 diagram of a district: SVG geometry (boxes, lines, text fitted to width).

use super::*;

pub struct SvgText {
    pub x: i32,
    pub y: i32,
    pub text: String,
    pub size: u32,
    pub bold: bool,
    pub anchor: &'static str,
    pub fill: &'static str,
}

pub struct SvgLine {
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
}

/// A linked node: an optional box and its texts.
pub struct SvgNode {
    pub href: String,
    pub label: String,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    pub fill: &'static str,
    pub stroke: &'static str,
    /// A dashed outline: what is missing (a street without a service park).
    pub dash: bool,
    pub texts: Vec<SvgText>,
}

pub struct Diagram {
    pub width: i32,
    pub height: i32,
    pub title: String,
    pub lines: Vec<SvgLine>,
    pub labels: Vec<SvgText>,
    pub nodes: Vec<SvgNode>,
}

/// Roughly how wide `s` is at `size` px: CJK glyphs are square, others about half.
pub(super) fn text_width(s: &str, size: u32) -> f32 {
    s.chars()
        .map(|c| if (c as u32) < 0x2E80 { 0.58 } else { 1.0 })
        .sum::<f32>()
        * size as f32
}

/// `s` cut with an ellipsis to fit `max` px at `size` px (the full text is in the node's title).
pub(super) fn fit(s: &str, max: i32, size: u32) -> String {
    if text_width(s, size) <= max as f32 {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        let mut next = out.clone();
        next.push(c);
        next.push('…');
        if text_width(&next, size) > max as f32 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` broken into at most `max_lines` lines of `max` px at `size` px: between words
/// for text with spaces, between any two characters of Chinese; a word too long for a
/// line is broken inside. What does not fit in `max_lines` ends the last line with an
/// ellipsis (the full text is in the node's title).
pub(super) fn wrap(s: &str, max: i32, size: u32, max_lines: usize) -> Vec<String> {
    let fits = |t: &str| text_width(t, size) <= max as f32;
    // Tokens: a word with the space before it, or one Chinese character.
    let mut tokens: Vec<String> = Vec::new();
    let mut pending_space = false;
    for c in s.chars() {
        if c == ' ' {
            pending_space = true;
        } else if (c as u32) >= 0x2E80 {
            tokens.push(if pending_space && !tokens.is_empty() {
                format!(" {c}")
            } else {
                c.to_string()
            });
            pending_space = false;
        } else {
            match tokens.last_mut() {
                Some(last) if !pending_space && !last.chars().any(|l| (l as u32) >= 0x2E80) => {
                    last.push(c)
                }
                _ => tokens.push(if pending_space && !tokens.is_empty() {
                    format!(" {c}")
                } else {
                    c.to_string()
                }),
            }
            pending_space = false;
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for tok in tokens {
        let trial = format!("{cur}{tok}");
        if fits(trial.trim()) {
            cur = trial;
            continue;
        }
        if !cur.trim().is_empty() {
            lines.push(cur.trim().to_string());
        }
        cur = String::new();
        for c in tok.trim_start().chars() {
            let mut next = cur.clone();
            next.push(c);
            if !fits(&next) && !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
    }
    if !cur.trim().is_empty() {
        lines.push(cur.trim().to_string());
    }
    if lines.len() > max_lines.max(1) {
        let keep = max_lines.max(1) - 1;
        let rest = lines[keep..].join(" ");
        lines.truncate(keep);
        let mut last = fit(&rest, max, size);
        if !last.ends_with('…') {
            last.push('…');
        }
        lines.push(last);
    }
    lines
}

pub(super) fn t(x: i32, y: i32, text: String, size: u32) -> SvgText {
    SvgText {
        x,
        y,
        text,
        size,
        bold: false,
        anchor: "middle",
        fill: "#1f2933",
    }
}

pub(super) const W: i32 = 480;
pub(super) const MARGIN: i32 = 12;
pub(super) const GAP: i32 = 24;
pub(super) const CELL_W: i32 = (W - 2 * MARGIN - GAP) / 2;
pub(super) const CELL_H: i32 = 84;
pub(super) const ROW_GAP: i32 = 28;
pub(super) const IND_W: i32 = 360;
pub(super) const IND_H: i32 = 62;
pub(super) const IND_GAP: i32 = 18;

/// One cell of the horizontal axis: a place and its regional hub.
pub(super) struct AxisItem {
    place: String,
    place_href: String,
    hub: Option<(Uuid, String, i64)>,
    organizations: Option<i64>,
    /// For a street: whether it has a service park (`None` for the district itself).
    park: Option<bool>,
}

/// A cell's lines: the place's name, the hub's name (or that there is none), the count.
struct AxisCell {
    name: Vec<String>,
    hub: Vec<String>,
    count: Vec<String>,
    height: i32,
}

fn axis_cell(ui: &Ui, item: &AxisItem) -> AxisCell {
    let width = CELL_W - 16;
    let name = wrap(&item.place, width, 15, 2);
    let (hub, count) = match &item.hub {
        Some((_, hub_name, members)) => (
            wrap(hub_name, width, 13, 2),
            match item.organizations {
                Some(o) => ui.tf("structure.members_orgs", &[&fmt_int(*members), &fmt_int(o)]),
                None => ui.tf("structure.members_n", &[&fmt_int(*members)]),
            },
        ),
        None => (
            wrap(ui.t("structure.no_hub"), width, 13, 2),
            ui.tf(
                "structure.orgs_n",
                &[&fmt_int(item.organizations.unwrap_or(0))],
            ),
        ),
    };
    let count = wrap(&count, width, 13, 2);
    // Down to the last line's baseline, then its descent and a margin; the mark below it.
    let mark = if item.park == Some(false) { 24 } else { -1 };
    let height = 24 + 19 * name.len() as i32 + 5 + 17 * (hub.len() + count.len()) as i32 + mark;
    AxisCell {
        name,
        hub,
        count,
        height,
    }
}

/// 一核两轴 as positioned shapes: the core on top, the streets' regional hubs on the
/// horizontal axis (two per row, as many rows as needed), the industry hubs stacked
/// on the vertical axis below. Positions are computed, so any number of streets and
/// industry hubs fits; the viewBox keeps it legible on a phone.
pub(super) fn district_diagram(ui: &Ui, d: &DistrictStructure) -> Diagram {
    let lang = ui.lang;
    let mut lines = Vec::new();
    let mut labels = Vec::new();
    let mut nodes = Vec::new();
    let district = d.district.name(lang).to_string();
    // The core.
    let core_name = d
        .core
        .as_ref()
        .map(|c| lang.pick(&c.name_zh, &c.name_en).to_string())
        .unwrap_or_else(|| ui.t("structure.no_core").to_string());
    // The core's name wraps onto a second line rather than being cut.
    let core_lines = wrap(&core_name, 340 - 20, 16, 3);
    let (cw, ch, cy) = (340, 42 + 20 * core_lines.len() as i32, 12);
    let mut core_title = t(W / 2, cy + 24, fit(ui.t("structure.core"), cw - 20, 12), 12);
    core_title.fill = "#fff";
    let mut core_texts = vec![core_title];
    for (i, l) in core_lines.into_iter().enumerate() {
        let mut core_text = t(W / 2, cy + 47 + 20 * i as i32, l, 16);
        core_text.bold = true;
        core_text.fill = "#fff";
        core_texts.push(core_text);
    }
    nodes.push(SvgNode {
        href: format!("/hubs?jurisdiction={}", d.district.code),
        label: format!("{} · {}", ui.t("structure.core"), core_name),
        x: (W - cw) / 2,
        y: cy,
        w: cw,
        h: ch,
        fill: "#b3261e",
        stroke: "#8c1d17",
        dash: false,
        texts: core_texts,
    });
    // The horizontal axis.
    let mut items: Vec<AxisItem> = d
        .district_hubs
        .iter()
        .map(|h| AxisItem {
            place: district.clone(),
            place_href: format!("/hubs/{}", h.id),
            hub: Some((h.id, h.organization_name.clone(), h.member_count)),
            organizations: None,
            park: None,
        })
        .collect();
    items.extend(d.streets.iter().map(|s| {
        AxisItem {
            place: s.street.name(lang).to_string(),
            place_href: format!("/structure/{}", s.street.code),
            hub: s
                .hub
                .as_ref()
                .map(|h| (h.id, h.organization_name.clone(), h.member_count)),
            organizations: Some(s.organizations),
            park: Some(s.park),
        }
    }));
    let mut y = cy + ch + 34;
    let mut h_label = t(MARGIN, y, ui.t("structure.h_axis").to_string(), 13);
    h_label.anchor = "start";
    h_label.bold = true;
    labels.push(h_label);
    y += 22;
    let trunk_top = cy + ch;
    for chunk in items.chunks(2) {
        let row_y = y;
        let bus_y = row_y - 12;
        let centres: Vec<i32> = (0..chunk.len())
            .map(|c| MARGIN + c as i32 * (CELL_W + GAP) + CELL_W / 2)
            .collect();
        let left = centres[0].min(W / 2);
        let right = (*centres.last().unwrap_or(&(W / 2))).max(W / 2);
        lines.push(SvgLine {
            x1: left,
            y1: bus_y,
            x2: right,
            y2: bus_y,
        });
        // Each cell's texts, wrapped (never cut while two lines hold them); the row is
        // as tall as its taller cell.
        let cells: Vec<AxisCell> = chunk.iter().map(|item| axis_cell(ui, item)).collect();
        let row_h = cells.iter().map(|c| c.height).max().unwrap_or(CELL_H).max(CELL_H);
        for (c, (item, cell)) in chunk.iter().zip(cells).enumerate() {
            let x = MARGIN + c as i32 * (CELL_W + GAP);
            let cx = centres[c];
            lines.push(SvgLine {
                x1: cx,
                y1: bus_y,
                x2: cx,
                y2: row_y,
            });
            let mut ty = row_y + 24;
            let mut names = Vec::new();
            for l in &cell.name {
                let mut name = t(cx, ty, l.clone(), 15);
                name.bold = true;
                names.push(name);
                ty += 19;
            }
            nodes.push(SvgNode {
                href: item.place_href.clone(),
                label: item.place.clone(),
                x,
                y: row_y,
                w: CELL_W,
                h: row_h,
                fill: "#eef4fb",
                stroke: "#0b5cad",
                dash: false,
                texts: names,
            });
            let hub_top = ty - 12;
            ty += 5;
            let mut texts = Vec::new();
            for l in &cell.hub {
                let mut h = t(cx, ty, l.clone(), 13);
                h.fill = if item.hub.is_some() { "#0b5cad" } else { "#616e7c" };
                texts.push(h);
                ty += 17;
            }
            for l in &cell.count {
                texts.push(t(cx, ty, l.clone(), 13));
                ty += 17;
            }
            match &item.hub {
                Some((id, hub_name, _)) => {
                    // The hub's part of the cell: a transparent rect takes the clicks
                    // between and around its lines of text.
                    nodes.push(SvgNode {
                        href: format!("/hubs/{id}"),
                        label: format!("{hub_name} · {}", cell.count.join(" ")),
                        x: x + 4,
                        y: hub_top,
                        w: CELL_W - 8,
                        h: ty - 10 - hub_top,
                        fill: "transparent",
                        stroke: "none",
                        dash: false,
                        texts,
                    });
                }
                None => nodes.push(SvgNode {
                    href: item.place_href.clone(),
                    label: format!("{} · {}", item.place, cell.count.join(" ")),
                    x: 0,
                    y: 0,
                    w: 0,
                    h: 0,
                    fill: "none",
                    stroke: "none",
                    dash: false,
                    texts,
                }),
            }
            // A street without a service park: a dashed tag that says so in words.
            if item.park == Some(false) {
                let label = ui.t("structure.fig.no_park");
                let w = (text_width(label, 13) as i32 + 20).min(CELL_W - 16);
                let mut mark = t(cx, ty + 8, fit(label, w - 8, 13), 13);
                mark.fill = "#9b1c1c";
                mark.bold = true;
                nodes.push(SvgNode {
                    href: item.place_href.clone(),
                    label: format!("{} · {}", item.place, ui.t("structure.fig.no_park")),
                    x: cx - w / 2,
                    y: ty - 8,
                    w,
                    h: 22,
                    fill: "#ffffff",
                    stroke: "#9b1c1c",
                    dash: true,
                    texts: vec![mark],
                });
            }
        }
        y += row_h + ROW_GAP;
    }
    y += 8;
    // The vertical axis.
    let mut v_label = t(MARGIN, y, ui.t("structure.v_axis").to_string(), 13);
    v_label.anchor = "start";
    v_label.bold = true;
    labels.push(v_label);
    y += 22;
    let x = (W - IND_W) / 2;
    if d.industry.is_empty() {
        let mut none = t(W / 2, y + 20, ui.t("structure.no_industry").to_string(), 13);
        none.fill = "#616e7c";
        labels.push(none);
        y += 32;
    }
    for h in &d.industry {
        let mut name = t(W / 2, y + 25, fit(&h.organization_name, IND_W - 16, 15), 15);
        name.bold = true;
        let sub = ui.tf(
            "structure.base_members",
            &[&h.recognition.base_body, &fmt_int(h.member_count)],
        );
        nodes.push(SvgNode {
            href: format!("/hubs/{}", h.id),
            label: format!("{} · {sub}", h.organization_name),
            x,
            y,
            w: IND_W,
            h: IND_H,
            fill: "#fdf3df",
            stroke: "#7a4b00",
            dash: false,
            texts: vec![name, t(W / 2, y + 48, fit(&sub, IND_W - 16, 13), 13)],
        });
        y += IND_H + IND_GAP;
    }
    // The trunk from the core down through both axes (drawn first, under the boxes).
    lines.insert(
        0,
        SvgLine {
            x1: W / 2,
            y1: trunk_top,
            x2: W / 2,
            y2: (y - IND_GAP).max(trunk_top + 40),
        },
    );
    Diagram {
        width: W,
        height: y + MARGIN,
        title: ui.tf("structure.district_title", &[&district]),
        lines,
        labels,
        nodes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn long_names_are_cut_to_fit() {
        let s = "梅园新村街道社会组织发展促进会";
        let cut = fit(s, 120, 15);
        assert!(cut.ends_with('…'));
        assert!(text_width(&cut, 15) <= 120.0);
        assert_eq!(fit("短名", 120, 15), "短名");
    }

    #[test]
    fn names_wrap_between_words_or_characters_and_nothing_is_lost_that_fits() {
        let en = wrap("Meiyuan Xincun Street Promotion Association", 150, 14, 3);
        assert!(en.len() > 1);
        assert!(en.iter().all(|l| text_width(l, 14) <= 150.0));
        assert_eq!(en.join(" "), "Meiyuan Xincun Street Promotion Association");
        let zh = wrap("梅园新村街道社会组织发展促进会", 126, 14, 2);
        assert_eq!(zh.concat(), "梅园新村街道社会组织发展促进会");
        let cut = wrap("梅园新村街道社会组织发展促进会", 60, 14, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'));
        assert_eq!(wrap("短名", 120, 15, 2), vec!["短名".to_string()]);
        assert_eq!(wrap("成员 3 · 组织 5", 190, 13, 2), vec!["成员 3 · 组织 5".to_string()]);
    }
}
