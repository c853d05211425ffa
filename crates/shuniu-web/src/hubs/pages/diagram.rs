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
    let (cw, ch, cy) = (340, 62, 12);
    let mut core_title = t(W / 2, cy + 24, fit(ui.t("structure.core"), cw - 20, 12), 12);
    core_title.fill = "#fff";
    let mut core_text = t(W / 2, cy + 47, fit(&core_name, cw - 20, 16), 16);
    core_text.bold = true;
    core_text.fill = "#fff";
    nodes.push(SvgNode {
        href: format!("/hubs?jurisdiction={}", d.district.code),
        label: format!("{} · {}", ui.t("structure.core"), core_name),
        x: (W - cw) / 2,
        y: cy,
        w: cw,
        h: ch,
        fill: "#b3261e",
        stroke: "#8c1d17",
        texts: vec![core_title, core_text],
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
        }
    }));
    let mut y = cy + ch + 34;
    let mut h_label = t(MARGIN, y, ui.t("structure.h_axis").to_string(), 13);
    h_label.anchor = "start";
    h_label.bold = true;
    labels.push(h_label);
    y += 22;
    let trunk_top = cy + ch;
    let rows = items.len().div_ceil(2);
    for (r, chunk) in items.chunks(2).enumerate() {
        let row_y = y + r as i32 * (CELL_H + ROW_GAP);
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
        for (c, item) in chunk.iter().enumerate() {
            let x = MARGIN + c as i32 * (CELL_W + GAP);
            let cx = centres[c];
            lines.push(SvgLine {
                x1: cx,
                y1: bus_y,
                x2: cx,
                y2: row_y,
            });
            let mut name = t(cx, row_y + 24, fit(&item.place, CELL_W - 16, 15), 15);
            name.bold = true;
            nodes.push(SvgNode {
                href: item.place_href.clone(),
                label: item.place.clone(),
                x,
                y: row_y,
                w: CELL_W,
                h: CELL_H,
                fill: "#eef4fb",
                stroke: "#0b5cad",
                texts: vec![name],
            });
            match &item.hub {
                Some((id, hub_name, members)) => {
                    let count = match item.organizations {
                        Some(o) => {
                            ui.tf("structure.members_orgs", &[&fmt_int(*members), &fmt_int(o)])
                        }
                        None => ui.tf("structure.members_n", &[&fmt_int(*members)]),
                    };
                    let mut hub_text = t(cx, row_y + 48, fit(hub_name, CELL_W - 16, 13), 13);
                    hub_text.fill = "#0b5cad";
                    // The lower part of the cell is the hub's: a transparent rect
                    // takes the clicks between and around its two lines of text.
                    nodes.push(SvgNode {
                        href: format!("/hubs/{id}"),
                        label: format!("{hub_name} · {count}"),
                        x: x + 4,
                        y: row_y + 32,
                        w: CELL_W - 8,
                        h: CELL_H - 36,
                        fill: "transparent",
                        stroke: "none",
                        texts: vec![hub_text, t(cx, row_y + 70, count, 13)],
                    });
                }
                None => {
                    let mut none = t(cx, row_y + 52, ui.t("structure.no_hub").to_string(), 13);
                    none.fill = "#616e7c";
                    let orgs = ui.tf(
                        "structure.orgs_n",
                        &[&fmt_int(item.organizations.unwrap_or(0))],
                    );
                    nodes.push(SvgNode {
                        href: item.place_href.clone(),
                        label: format!("{} · {}", item.place, orgs),
                        x: 0,
                        y: 0,
                        w: 0,
                        h: 0,
                        fill: "none",
                        stroke: "none",
                        texts: vec![none, t(cx, row_y + 72, orgs, 12)],
                    });
                }
            }
        }
    }
    y += rows as i32 * (CELL_H + ROW_GAP) + 8;
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
}
