//! The 1+1+X diagram of a street: the service park (1) and the promotion association
//! (1, the street's regional hub) side by side at the top, joined to the X member
//! organizations below — the first twelve as nodes (initiating units first, marked in
//! words), then one node for the rest. Drawn 300 units wide at 14 units of type and
//! never shown narrower than 300 px (`.oox-diagram`), so no text is under 14 px on a
//! phone; names wrap onto two lines rather than being cut.

use super::*;

const OW: i32 = 300;
const OM: i32 = 6;
const BOX_GAP: i32 = 12;
const BOX_W: i32 = (OW - 2 * OM - BOX_GAP) / 2;
const LINE: i32 = 18;
const SIZE: u32 = 14;
/// Members drawn as nodes; the rest are one "N more" node.
pub(super) const SHOWN: usize = 12;
const MEMBER_H: i32 = 64;
const MEMBER_GAP: i32 = 8;

fn text_at(x: i32, y: i32, text: String, fill: &'static str, bold: bool) -> SvgText {
    let mut t = t(x, y, text, SIZE);
    t.fill = fill;
    t.bold = bold;
    t
}

/// A top box's texts: its title, its name over up to two lines, then its notes.
fn box_texts(cx: i32, y: i32, title: &str, name: &[String], notes: &[String], muted: bool) -> Vec<SvgText> {
    let mut out = Vec::new();
    let mut ty = y + 22;
    for l in wrap(title, BOX_W - 12, SIZE, 2) {
        out.push(text_at(cx, ty, l, "#1f2933", true));
        ty += LINE;
    }
    ty += 4;
    for l in name {
        out.push(text_at(cx, ty, l.clone(), if muted { "#52606d" } else { "#0b4a8b" }, false));
        ty += LINE;
    }
    for n in notes {
        out.push(text_at(cx, ty, fit(n, BOX_W - 12, SIZE), "#3e4c59", false));
        ty += LINE;
    }
    out
}

pub(super) fn street_diagram(ui: &Ui, s: &StreetStructure) -> Diagram {
    let lang = ui.lang;
    let inner = BOX_W - 16;
    let mut nodes = Vec::new();
    let mut lines = Vec::new();
    let top = 8;
    // The park: the first venue (the hub's own first), and how many more.
    let (park_name, park_notes, park_href) = match s.venues.first() {
        Some(v) => {
            let mut notes = vec![ui.tf("structure.area", &[&fmt_int(v.data.area_m2.into())])];
            if s.venues.len() > 1 {
                notes.push(ui.tf("structure.fig.more_venues", &[&fmt_int(s.venues.len() as i64 - 1)]));
            }
            (wrap(&v.data.name, inner, SIZE, 2), notes, format!("/venues/{}", v.id))
        }
        None => (wrap(ui.t("structure.no_park"), inner, SIZE, 2), vec![], String::new()),
    };
    let (hub_name, hub_notes, hub_href) = match &s.hub {
        Some(h) => (
            wrap(&h.organization_name, inner, SIZE, 2),
            vec![ui.tf("structure.members_n", &[&fmt_int(h.member_count)])],
            format!("/hubs/{}", h.id),
        ),
        None => (wrap(ui.t("structure.no_hub"), inner, SIZE, 2), vec![], String::new()),
    };
    let rows = |name: &[String], notes: &[String]| (name.len() + notes.len()) as i32;
    let title_lines = |t: &str| wrap(t, BOX_W - 12, SIZE, 2).len() as i32;
    let titles = title_lines(ui.t("structure.park")).max(title_lines(ui.t("structure.fig.association")));
    let box_h = 22 + LINE * (titles - 1) + 4 + LINE * rows(&park_name, &park_notes).max(rows(&hub_name, &hub_notes)) + 8;
    let park_x = OM;
    let hub_x = OM + BOX_W + BOX_GAP;
    let park_label = match s.venues.first() {
        Some(v) => format!("{} · {}", ui.t("structure.park"), v.data.name),
        None => format!("{} · {}", ui.t("structure.park"), ui.t("structure.no_park")),
    };
    nodes.push(SvgNode {
        href: park_href,
        label: park_label,
        x: park_x,
        y: top,
        w: BOX_W,
        h: box_h,
        fill: if s.venues.is_empty() { "#ffffff" } else { "#e8f5ec" },
        stroke: if s.venues.is_empty() { "#52606d" } else { "#1f7a3a" },
        dash: s.venues.is_empty(),
        texts: box_texts(park_x + BOX_W / 2, top, ui.t("structure.park"), &park_name, &park_notes, s.venues.is_empty()),
    });
    nodes.push(SvgNode {
        href: hub_href,
        label: format!(
            "{} · {}",
            ui.t("structure.fig.association"),
            s.hub.as_ref().map(|h| h.organization_name.as_str()).unwrap_or(ui.t("structure.no_hub"))
        ),
        x: hub_x,
        y: top,
        w: BOX_W,
        h: box_h,
        fill: if s.hub.is_none() { "#ffffff" } else { "#eef4fb" },
        stroke: if s.hub.is_none() { "#52606d" } else { "#0b5cad" },
        dash: s.hub.is_none(),
        texts: box_texts(hub_x + BOX_W / 2, top, ui.t("structure.fig.association"), &hub_name, &hub_notes, s.hub.is_none()),
    });
    // The two 1s join and lead down to the X.
    let bus = top + box_h + 16;
    for cx in [park_x + BOX_W / 2, hub_x + BOX_W / 2] {
        lines.push(SvgLine { x1: cx, y1: top + box_h, x2: cx, y2: bus });
    }
    lines.push(SvgLine { x1: park_x + BOX_W / 2, y1: bus, x2: hub_x + BOX_W / 2, y2: bus });
    let frame_y = bus + 16;
    lines.push(SvgLine { x1: OW / 2, y1: bus, x2: OW / 2, y2: frame_y });
    // X: the members.
    let total = s.hub.as_ref().map(|h| h.member_count).unwrap_or(0);
    let shown: Vec<&shuniu_domain::hubs::Membership> = s.members.iter().take(SHOWN).collect();
    let col_w = (OW - 2 * OM - 16 - MEMBER_GAP) / 2;
    let mut y = frame_y + 36;
    let mut member_nodes = Vec::new();
    for (i, chunk) in shown.chunks(2).enumerate() {
        let row_y = y + i as i32 * (MEMBER_H + MEMBER_GAP);
        for (c, m) in chunk.iter().enumerate() {
            let x = OM + 8 + c as i32 * (col_w + MEMBER_GAP);
            let cx = x + col_w / 2;
            let mut texts: Vec<SvgText> = wrap(&m.organization_name, col_w - 14, SIZE, 2)
                .into_iter()
                .enumerate()
                .map(|(k, l)| text_at(cx, row_y + 22 + k as i32 * LINE, l, "#0b4a8b", false))
                .collect();
            if m.initiating {
                texts.push(text_at(cx, row_y + 22 + 2 * LINE - 2, format!("★ {}", ui.t("hubs.initiating")), "#7a4b00", true));
            }
            member_nodes.push(SvgNode {
                href: format!("/organizations/{}", m.organization_id),
                label: if m.initiating {
                    format!("{} · {}", m.organization_name, ui.t("hubs.initiating"))
                } else {
                    m.organization_name.clone()
                },
                x,
                y: row_y,
                w: col_w,
                h: MEMBER_H,
                fill: if m.initiating { "#fdf3df" } else { "#ffffff" },
                stroke: if m.initiating { "#7a4b00" } else { "#52606d" },
                dash: false,
                texts,
            });
        }
    }
    y += shown.len().div_ceil(2) as i32 * (MEMBER_H + MEMBER_GAP);
    let rest = total - shown.len() as i64;
    if let (Some(h), true) = (&s.hub, rest > 0) {
        let more = ui.tf("structure.fig.more", &[&fmt_int(rest)]);
        member_nodes.push(SvgNode {
            href: format!("/hubs/{}#members", h.id),
            label: more.clone(),
            x: OM + 8,
            y,
            w: OW - 2 * OM - 16,
            h: 36,
            fill: "#eef4fb",
            stroke: "#0b5cad",
            dash: false,
            texts: vec![text_at(OW / 2, y + 23, fit(&more, OW - 2 * OM - 30, SIZE), "#0b4a8b", true)],
        });
        y += 36 + MEMBER_GAP;
    }
    if shown.is_empty() {
        let none = if s.hub.is_some() { ui.t("hubs.members_empty") } else { ui.t("structure.no_hub") };
        member_nodes.push(SvgNode {
            href: String::new(),
            label: none.to_string(),
            x: 0,
            y: 0,
            w: 0,
            h: 0,
            fill: "none",
            stroke: "none",
            dash: false,
            texts: vec![text_at(OW / 2, y + 14, none.to_string(), "#52606d", false)],
        });
        y += 28;
    }
    let frame_h = y - frame_y + 4;
    nodes.push(SvgNode {
        href: String::new(),
        label: ui.t("structure.x").to_string(),
        x: OM,
        y: frame_y,
        w: OW - 2 * OM,
        h: frame_h,
        fill: "#f5f7fa",
        stroke: "#7b8794",
        dash: false,
        texts: vec![text_at(
            OW / 2,
            frame_y + 24,
            fit(&ui.tf("structure.fig.x", &[&fmt_int(total)]), OW - 2 * OM - 16, SIZE),
            "#1f2933",
            true,
        )],
    });
    nodes.extend(member_nodes);
    Diagram {
        width: OW,
        height: frame_y + frame_h + 6,
        title: ui.tf("structure.fig.title", &[s.street.name(lang)]),
        lines,
        labels: vec![],
        nodes,
    }
}
