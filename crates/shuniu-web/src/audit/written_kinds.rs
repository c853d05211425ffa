//! Every audit event kind the sources write has words (`shuniu_domain::audit::kinds`).
//!
//! Kinds are plain strings at the write, so the compiler cannot check them; this test
//! reads the sources of every crate that writes to the trail and finds the kinds three
//! ways: a string argument of an event call (`ctx.event("hub.core", …)`,
//! `user_event(caller, user, "login.failure", …)`), the `action` of an `AuditEvent`
//! literal, and — in the store, where a kind is often chosen first and passed on
//! (`let action = if disabled { "user.disable" } …`) — any string shaped like a kind
//! whose first part is that of a known kind. A kind built with `format!("membership.{…}")`
//! must have a known prefix; the domain's own tests check each code such a kind is built
//! from. Debug builds also stop at the write of an unknown kind (`debug_assert_known`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use shuniu_domain::Lang;
use shuniu_domain::audit::kinds::{KINDS, kind, request_label};

/// Store strings shaped like kinds that are not audit kinds: the registry history's
/// own action names.
const NOT_KINDS: &[&str] = &["change_application.submitted"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

fn kind_shaped(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
}

/// The text of a call's arguments: from just after `(` to its matching `)`.
fn call_args(text: &str) -> &str {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        match c {
            '"' if prev != '\\' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => {
                if depth == 0 {
                    return &text[..i];
                }
                depth -= 1;
            }
            _ => {}
        }
        prev = c;
    }
    text
}

/// Top-level arguments of a call, trimmed.
fn split_args(args: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut in_str, mut start, mut prev) = (0i32, false, 0, ' ');
    for (i, c) in args.char_indices() {
        match c {
            '"' if prev != '\\' => in_str = !in_str,
            '(' | '[' | '{' if !in_str => depth += 1,
            ')' | ']' | '}' if !in_str => depth -= 1,
            ',' if !in_str && depth == 0 => {
                out.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        prev = c;
    }
    out.push(args[start..].trim());
    out
}

fn literal(arg: &str) -> Option<&str> {
    arg.strip_prefix('"')?.strip_suffix('"')
}

#[derive(Default)]
struct Found {
    kinds: BTreeSet<String>,
    prefixes: BTreeSet<String>,
    /// What refused requests tried: an event kind, or a read or decision with words.
    requests: BTreeSet<String>,
}

fn scan(text: &str, in_store: bool, found: &mut Found) {
    for (i, _) in text.match_indices("event(") {
        let before = &text[..i];
        // `fn event(` and `fn user_event(` are the definitions, not writes.
        let word_start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |j| j + 1);
        if before[..word_start].trim_end().ends_with("fn") {
            continue;
        }
        for arg in split_args(call_args(&text[i + "event(".len()..])) {
            if let Some(s) = literal(arg).filter(|s| kind_shaped(s)) {
                found.kinds.insert(s.to_string());
            }
            if let Some(rest) = arg.strip_prefix("&format!(\"") {
                let prefix = &rest[..rest.find('{').unwrap_or(0)];
                if kind_shaped(prefix.trim_end_matches('.')) {
                    found.prefixes.insert(prefix.to_string());
                }
            }
        }
    }
    // What a refused request tried (`note_denial(s, caller, "membership.decide", …)`).
    for call in ["note_denial(", "filter_for("] {
        for (i, _) in text.match_indices(call) {
            for arg in split_args(call_args(&text[i + call.len()..])) {
                if let Some(s) = literal(arg).filter(|s| kind_shaped(s) && s.contains('.')) {
                    found.requests.insert(s.to_string());
                }
            }
        }
    }
    for (i, _) in text.match_indices("AuditEvent {") {
        let body = &text[i..(i + 600).min(text.len())];
        if let Some(j) = body.find("action: \"") {
            let rest = &body[j + "action: \"".len()..];
            found.kinds.insert(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    if in_store {
        let firsts: BTreeSet<&str> = KINDS.iter().map(|k| k.code.split('.').next().unwrap()).collect();
        for part in text.split('"').skip(1).step_by(2) {
            let first = part.split('.').next().unwrap_or("");
            if part.contains('.') && kind_shaped(part) && firsts.contains(first) && !NOT_KINDS.contains(&part) {
                found.kinds.insert(part.to_string());
            }
        }
    }
}

#[test]
fn every_kind_written_in_the_sources_has_words() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut found = Found::default();
    for name in ["shuniu-store", "shuniu-web", "shuniu", "shuniu-demo"] {
        let mut files = Vec::new();
        rust_files(&crates.join(name).join("src"), &mut files);
        for f in files {
            // This file's own examples are not writes.
            if f.ends_with("audit/written_kinds.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap();
            scan(&text, name == "shuniu-store", &mut found);
        }
    }
    let missing: Vec<_> = found.kinds.iter().filter(|k| kind(k).is_none()).collect();
    assert!(missing.is_empty(), "kinds written without words in audit::kinds::KINDS: {missing:?}");
    let unnamed: Vec<_> = found
        .requests
        .iter()
        .filter(|r| request_label(r, Lang::Zh).is_none())
        .collect();
    assert!(unnamed.is_empty(), "refused requests without words: {unnamed:?}");
    assert!(found.requests.contains("audit.read") && found.requests.contains("membership.decide"), "{:?}", found.requests);
    for p in &found.prefixes {
        assert!(KINDS.iter().any(|k| k.code.starts_with(p.as_str())), "no kind starts with {p}");
    }
    // The scan does find the writes (a change of style would make it find nothing).
    for k in ["login.success", "logout", "access.denied", "audit.purge", "user.disable", "credit.list", "grade.award", "membership.initiating"] {
        assert!(found.kinds.contains(k), "the scan missed {k}");
    }
    assert!(found.kinds.len() > 40, "{:?}", found.kinds);
    assert!(found.prefixes.contains("membership."), "{:?}", found.prefixes);
}

#[test]
fn the_scan_reads_calls_as_written() {
    let mut f = Found::default();
    scan(
        r#"fn event(action: &str) {}
           x.event("a.b", format!("o:{id}"), Outcome::Success, json!({"k": "v"}).to_string());
           user_event(caller, Some(&u), "c.d", Outcome::Failure, json!({}));
           ctx.event(&format!("e.{to}"), y);
           AuditEvent { at, action: "f.g".into() }"#,
        false,
        &mut f,
    );
    assert_eq!(f.kinds.iter().map(String::as_str).collect::<Vec<_>>(), ["a.b", "c.d", "f.g"]);
    assert_eq!(f.prefixes.iter().map(String::as_str).collect::<Vec<_>>(), ["e."]);
}
