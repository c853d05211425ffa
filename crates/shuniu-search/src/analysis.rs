//! Text analysis: what a document's fields are indexed as, and what a query looks for.
//!
//! Chinese text is indexed three ways at once, so that a word matches inside longer text
//! whatever the segmenter makes of it: every character (for one-character queries), every
//! pair of adjacent characters (a two-character word such as 养老 is always one of them,
//! even where jieba cuts 老服 or 养老服务), and jieba's search-mode words of three or
//! more characters (which lift a hit on a whole word). A query of `n ≥ 2` characters asks
//! for all its pairs. Latin letters and digits are lower-cased words.
//!
//! Pinyin is indexed from the name: each character's syllable (`yang`) and each pair of
//! adjacent syllables joined (`yanglao`) in one field; each pair of adjacent initials
//! (`yl`) in another. A query of letters is cut into syllables (`yanglao` → `yang lao`);
//! if it cannot be, it is read as initials.

use std::collections::HashSet;
use std::sync::OnceLock;

use jieba_rs::Jieba;
use pinyin::ToPinyin;

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Loads the segmenter's dictionary now rather than on the first write or query.
pub fn warm_up() {
    let _ = jieba();
    let _ = syllables();
}

/// Every plain syllable the pinyin table knows, read once from the table itself.
fn syllables() -> &'static HashSet<&'static str> {
    static SYLLABLES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SYLLABLES.get_or_init(|| {
        ('\u{4e00}'..='\u{9fff}')
            .filter_map(|c| c.to_pinyin())
            .map(|p| p.plain())
            .filter(|s| s.is_ascii())
            .collect()
    })
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Full-width letters and digits to ASCII, then lower case.
fn normalize_char(c: char) -> char {
    let c = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// A run of text of one kind: Chinese characters, or an ASCII word.
#[derive(Debug, PartialEq)]
pub(crate) enum Run {
    Han(Vec<char>),
    Word(String),
}

pub(crate) fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut han: Vec<char> = Vec::new();
    let mut word = String::new();
    for c in text.chars().map(normalize_char) {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
            }
            han.push(c);
        } else if c.is_ascii_alphanumeric() {
            if !han.is_empty() {
                out.push(Run::Han(std::mem::take(&mut han)));
            }
            word.push(c);
        } else {
            if !han.is_empty() {
                out.push(Run::Han(std::mem::take(&mut han)));
            }
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
            }
        }
    }
    if !han.is_empty() {
        out.push(Run::Han(han));
    }
    if !word.is_empty() {
        out.push(Run::Word(word));
    }
    out
}

/// The terms a text field is indexed with (unordered; repeats count for BM25).
pub fn text_terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for run in runs(text) {
        match run {
            Run::Word(w) => terms.push(w),
            Run::Han(chars) => {
                terms.extend(chars.iter().map(|c| c.to_string()));
                terms.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
                let s: String = chars.iter().collect();
                terms.extend(
                    jieba()
                        .cut_for_search(&s, false)
                        .into_iter()
                        .filter(|t| t.end - t.start >= 3)
                        .map(|t| t.word.to_string()),
                );
            }
        }
    }
    terms
}

fn syllable_of(c: char) -> Option<String> {
    c.to_pinyin().map(|p| p.plain().replace('ü', "v"))
}

/// The pinyin terms of a name: syllables and joined pairs of adjacent syllables.
pub fn pinyin_terms(name: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for run in runs(name) {
        if let Run::Han(chars) = run {
            let sy: Vec<String> = chars.iter().filter_map(|c| syllable_of(*c)).collect();
            terms.extend(sy.iter().cloned());
            terms.extend(sy.windows(2).map(|w| format!("{}{}", w[0], w[1])));
        }
    }
    terms
}

/// The initials terms of a name: pairs of adjacent syllables' first letters (`yl`).
pub fn initials_terms(name: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for run in runs(name) {
        if let Run::Han(chars) = run {
            let first: Vec<char> = chars
                .iter()
                .filter_map(|c| syllable_of(*c))
                .filter_map(|s| s.chars().next())
                .collect();
            terms.extend(first.windows(2).map(|w| w.iter().collect::<String>()));
        }
    }
    terms
}

/// The full pinyin of a name, syllables joined (`yanglaofuwu`), for display or sorting.
pub fn pinyin_of(name: &str) -> String {
    name.chars().filter_map(syllable_of).collect()
}

/// What the query asks of the text fields: for each of its words, the terms that must
/// all be there, plus jieba words that lift a hit but are not required.
#[derive(Debug, Default)]
pub(crate) struct TextQuery {
    pub required: Vec<String>,
    pub lifts: Vec<String>,
}

pub(crate) fn text_query(q: &str) -> TextQuery {
    let mut out = TextQuery::default();
    for run in runs(q) {
        match run {
            Run::Word(w) => out.required.push(w),
            Run::Han(chars) if chars.len() == 1 => out.required.push(chars[0].to_string()),
            Run::Han(chars) => {
                out.required
                    .extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
                if chars.len() >= 3 {
                    let s: String = chars.iter().collect();
                    out.lifts.extend(
                        jieba()
                            .cut_for_search(&s, false)
                            .into_iter()
                            .filter(|t| t.end - t.start >= 3)
                            .map(|t| t.word.to_string()),
                    );
                }
            }
        }
    }
    out.required.sort();
    out.required.dedup();
    out
}

/// The letters of a query, if it is letters only (spaces and apostrophes allowed).
fn letters(q: &str) -> Option<String> {
    let s: String = q
        .chars()
        .map(normalize_char)
        .filter(|c| !c.is_whitespace() && *c != '\'')
        .collect();
    (!s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase())).then_some(s)
}

/// Cuts letters into pinyin syllables, longest first with backtracking.
pub(crate) fn segment_pinyin(s: &str) -> Option<Vec<String>> {
    fn go(s: &str, set: &HashSet<&'static str>, out: &mut Vec<String>) -> bool {
        if s.is_empty() {
            return true;
        }
        for len in (1..=s.len().min(6)).rev() {
            let head = &s[..len];
            if set.contains(head) {
                out.push(head.to_string());
                if go(&s[len..], set, out) {
                    return true;
                }
                out.pop();
            }
        }
        false
    }
    let mut out = Vec::new();
    go(s, syllables(), &mut out).then_some(out)
}

/// What the query asks of the pinyin fields.
#[derive(Debug, PartialEq)]
pub(crate) enum PinyinQuery {
    /// Terms of the full-pinyin field, all required.
    Full(Vec<String>),
    /// Terms of the initials field, all required.
    Initials(Vec<String>),
    None,
}

pub(crate) fn pinyin_query(q: &str) -> PinyinQuery {
    let Some(s) = letters(q) else {
        return PinyinQuery::None;
    };
    if let Some(sy) = segment_pinyin(&s) {
        return if sy.len() == 1 {
            PinyinQuery::Full(sy)
        } else {
            let mut t: Vec<String> = sy.windows(2).map(|w| format!("{}{}", w[0], w[1])).collect();
            t.sort();
            t.dedup();
            PinyinQuery::Full(t)
        };
    }
    if s.len() >= 2 {
        let chars: Vec<char> = s.chars().collect();
        let mut t: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
        t.sort();
        t.dedup();
        return PinyinQuery::Initials(t);
    }
    PinyinQuery::None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_cover_a_word_jieba_may_cut_otherwise() {
        let t = text_terms("玄武区阳光养老服务中心");
        assert!(t.contains(&"养老".to_string()));
        assert!(t.contains(&"老服".to_string()));
        assert!(t.contains(&"养".to_string()));
    }

    #[test]
    fn pinyin_and_initials() {
        let p = pinyin_terms("养老中心");
        assert!(p.contains(&"yanglao".to_string()));
        assert!(p.contains(&"yang".to_string()));
        assert_eq!(initials_terms("养老中心"), vec!["yl", "lz", "zx"]);
        assert_eq!(pinyin_of("养老"), "yanglao");
    }

    #[test]
    fn queries_are_read_as_pinyin_or_initials() {
        assert_eq!(
            pinyin_query("yanglao"),
            PinyinQuery::Full(vec!["yanglao".into()])
        );
        assert_eq!(
            pinyin_query("YangLao"),
            PinyinQuery::Full(vec!["yanglao".into()])
        );
        assert_eq!(pinyin_query("yl"), PinyinQuery::Initials(vec!["yl".into()]));
        assert_eq!(pinyin_query("养老"), PinyinQuery::None);
        assert_eq!(
            segment_pinyin("yanglaofuwu").unwrap(),
            vec!["yang", "lao", "fu", "wu"]
        );
    }

    #[test]
    fn full_width_letters_are_folded() {
        assert_eq!(
            runs("ＡＢＣ养老"),
            vec![Run::Word("abc".into()), Run::Han(vec!['养', '老'])]
        );
    }
}
