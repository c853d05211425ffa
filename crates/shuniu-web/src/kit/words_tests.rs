//! Every interface word in both languages, each in its own: the tests read every
//! capability's messages and the kit's, and the templates, so that a string missing in one
//! language or left in the other fails here instead of on a page.

use std::path::{Path, PathBuf};

use crate::kit::capability::all_messages;

/// Runs of three or more Latin letters a Chinese message may carry: codes, formats and
/// names that are the same in both languages.
const LATIN_IN_ZH: &[&str] = &[
    "USCC",
    "API",
    "CSV",
    "XLSX",
    // The spreadsheet program, named as Chinese readers name it ("下载 Excel").
    "Excel",
    "PDF",
    "HSDS",
    "JSON",
    "URL",
    "HTTP",
    "HTTPS",
    "SVG",
    "UUID",
    "OpenAPI",
    "UTC",
    // The HTTP header a program sends its token in, written as it must be typed.
    "Authorization",
    "Bearer",
];

/// Keys whose Chinese quotes a code the reader types as it is (an audit action).
const CODES_IN_ZH: &[&str] = &["hint.audit_action"];

/// Keys whose English quotes a Chinese term on purpose.
const CJK_IN_EN: &[&str] = &[
    // A penalty decision's document number is Chinese in every language.
    "cev.hint.note",
];

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// The runs of three or more ASCII letters of `s`, leaving out URLs and `{}`.
fn latin_words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in s.split_whitespace().filter(|w| !w.contains("://")) {
        for w in part.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 3 {
                out.push(w);
            }
        }
    }
    out
}

/// What is wrong with the pair `(zh, en)`, if anything.
pub(crate) fn problems(key: &str, zh: &str, en: &str) -> Vec<String> {
    let mut out = Vec::new();
    if zh.trim().is_empty() || en.trim().is_empty() {
        out.push(format!("{key}: a language is missing"));
    }
    // Text with words must be Chinese on the Chinese side; "—" or "{} · {}" need not.
    // ("1+1+X" is the model's name in both languages: one letter is not a word.)
    let has_words = zh
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() >= 2);
    if has_words && !zh.chars().any(is_cjk) {
        out.push(format!("{key}: the Chinese text is not Chinese: {zh}"));
    }
    for w in latin_words(zh) {
        if !LATIN_IN_ZH.contains(&w) && !CODES_IN_ZH.contains(&key) {
            out.push(format!(
                "{key}: English word “{w}” in the Chinese text: {zh}"
            ));
        }
    }
    if en.chars().any(is_cjk) && !CJK_IN_EN.contains(&key) {
        out.push(format!("{key}: Chinese in the English text: {en}"));
    }
    if zh.matches("{}").count() != en.matches("{}").count() {
        out.push(format!(
            "{key}: the languages fill in a different number of {{}}"
        ));
    }
    out
}

#[test]
fn every_message_is_in_both_languages_each_in_its_own() {
    let found: Vec<String> = all_messages(crate::capabilities())
        .flat_map(|(k, zh, en)| problems(k, zh, en))
        .collect();
    assert!(
        found.is_empty(),
        "{} messages to fix:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_check_catches_what_it_is_for() {
    assert!(problems("k", "党建", "Party building").is_empty());
    assert!(problems("k", "{} · {}", "{} · {}").is_empty());
    assert!(problems("k", "统一社会信用代码（USCC）", "USCC").is_empty());
    assert!(!problems("k", "党建 / Party building", "Party building").is_empty());
    assert!(!problems("k", "党建", "Party building / 党建").is_empty());
    assert!(!problems("k", "党建", "").is_empty());
    assert!(!problems("k", "Party building", "Party building").is_empty());
    assert!(!problems("k", "共 {} 个", "all").is_empty());
    // Templates: what is outside tags and `{{ }}` / `{% %}` is what a reader sees.
    let seen = visible_text(
        "<p title=\"x\">{{ ui.t(\"a.b\") }} 你好 {% if x %}<b>Hello</b>{% endif %}</p>\
         <script>let word = 1;</script>",
    );
    assert!(seen.contains("你好") && seen.contains("Hello"), "{seen}");
    assert!(!seen.contains("ui.t") && !seen.contains("word") && !seen.contains("title"));
    assert_eq!(
        visible_attributes("<input placeholder=\"如 2026\">"),
        ["如 2026"]
    );
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            files_below(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The text of a template a reader sees: everything outside tags, `{{ … }}`, `{% … %}`
/// and `{# … #}`, and outside `<script>`/`<style>`.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let skip_to = |open: &str, close: &str, r: &str| -> Option<usize> {
            r.starts_with(open)
                .then(|| r.find(close).map(|i| i + close.len()).unwrap_or(r.len()))
        };
        let skip = skip_to("{{", "}}", rest)
            .or_else(|| skip_to("{%", "%}", rest))
            .or_else(|| skip_to("{#", "#}", rest))
            .or_else(|| skip_to("<script", "</script>", rest))
            .or_else(|| skip_to("<style", "</style>", rest))
            .or_else(|| skip_to("<", ">", rest));
        match skip {
            Some(n) => {
                out.push(' ');
                rest = &rest[n..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Attributes a reader sees or hears: their values must come from `ui.t` too.
fn visible_attributes(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for attr in ["placeholder=\"", "title=\"", "aria-label=\"", "alt=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            out.push(&rest[..rest.find('"').unwrap_or(rest.len())]);
        }
    }
    out
}

/// Template text that is the same in both languages on purpose.
const SAME_IN_BOTH: &[&str] = &[
    // The audit filter's placeholder shows action codes as they are typed.
    "login / organization.update",
];

/// Text in a template outside `ui.t(…)` would show in one language on both pages.
#[test]
fn templates_hold_no_words_of_their_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut files = Vec::new();
    files_below(&root, &mut files);
    let mut found = Vec::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(path).unwrap();
        let text = visible_text(&html);
        let attrs = visible_attributes(&html);
        for piece in std::iter::once(text.as_str()).chain(attrs.iter().copied()) {
            if piece.contains("{{") || SAME_IN_BOTH.contains(&piece) {
                continue;
            }
            // The brand mark and the language switch name themselves on purpose.
            let cleaned = piece
                .replace("枢", "")
                .replace("中文", "")
                .replace("English", "");
            let words = latin_words(&cleaned);
            if cleaned.chars().any(is_cjk) || !words.is_empty() {
                let shown: String = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
                found.push(format!(
                    "{}: {shown}",
                    path.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "words outside ui.t:\n{}",
        found.join("\n")
    );
}
