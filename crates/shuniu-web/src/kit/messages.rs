//! The message catalog: key → Chinese, English. Each capability keeps its words in its
//! own `messages.rs` (`Capability::messages`); this file holds the site's own (chrome,
//! errors, shared column heads) and looks a key up in all of them. Labels of domain
//! codes come from the domain's own `label(lang)` methods.
//! `{}` in a message is filled in order by [`crate::kit::ui::Ui::tf`].

use shuniu_domain::Lang;

use crate::kit::capability::message_index;

#[rustfmt::skip]
pub static MESSAGES: &[(&str, &str, &str)] = &[
    // Site chrome
    ("site.name", "枢纽", "Shuniu"),
    ("site.tagline", "枢纽型社会组织服务平台", "Hub organization service platform"),
    ("nav.skip", "跳到主要内容", "Skip to main content"),
    ("table.region", "表格，可左右滑动查看", "Table; scroll sideways to see all of it"),
    // Why a search hit matched (kit::search).
    ("search.reason.name", "名称相符", "Matched in the name"),
    ("search.reason.description", "领域或说明相符", "Matched in its domains or description"),
    ("search.reason.pinyin", "名称拼音相符", "Matched the name's pinyin"),
    ("search.reason.initials", "名称拼音首字母相符", "Matched the initials of the name's pinyin"),
    // Downloads of lists (kit::export)
    ("dl.label", "下载列表", "Download the list"),
    ("dl.csv", "下载 CSV", "Download CSV"),
    ("dl.xlsx", "下载 Excel", "Download Excel"),
    ("dl.note", "按当前筛选条件下载完整列表；Excel 文件最多 {} 行。", "The whole list with the filters applied; an Excel file holds at most {} rows."),
    ("dl.capped", "仅导出前 {} 行；完整列表请下载 CSV。", "Only the first {} rows; download the CSV for the whole list."),
    ("dl.col.area_code", "区划代码", "Area code"),
    ("nav.label", "主导航", "Main navigation"),
    ("nav.language", "界面语言", "Interface language"),
    ("nav.display", "显示模式", "Display mode"),
    ("display.elder", "长辈版", "Large text"),
    ("display.standard", "标准版", "Standard"),
    ("display.mark", "大", "A"),
    ("display.elder_hint", "大字、高对比、大按钮", "Larger text, stronger contrast, bigger buttons"),
    ("display.standard_hint", "恢复标准字号", "Back to the standard text size"),
    ("nav.breadcrumbs", "当前位置", "You are here"),
    ("nav.home", "首页", "Home"),
    ("nav.organizations", "社会组织名录", "Organizations"),
    ("nav.new", "登记新组织", "Register"),
    ("action.register", "登记新组织", "Register an organization"),
    ("footer.about", "枢纽：以枢纽型社会组织整合资源、搭建平台，让社会组织服务更简便、更可信。", "Shuniu: hub organizations pool resources and build platforms so that social organizations can serve more simply and more credibly."),
    ("footer.note", "登记备案信息以登记管理机关的记录为准。", "The registration authority's records prevail over this listing."),
    ("footer.glossary", "术语表", "Glossary"),
    ("glossary.title", "术语表", "Glossary"),
    ("glossary.intro", "本平台所用的枢纽型社会组织术语，附英文对照和一句说明；各页面的译法以此为准。", "The hub model's terms as this site uses them, each with its Chinese original and one line of meaning; every page translates them this way."),
    ("glossary.col.term", "术语", "Term"),
    ("glossary.col.other", "英文", "Chinese"),
    ("glossary.col.meaning", "说明", "Meaning"),
    ("punct.colon", "：", ": "),
    ("nav.login", "登录", "Sign in"),
    ("nav.logout", "退出", "Sign out"),
    ("nav.account", "我的账号", "My account"),
    ("nav.users", "用户管理", "Users"),
    ("nav.audit", "审计日志", "Audit trail"),
    ("col.actions", "操作", "Actions"),

    // Errors
    ("error.400.title", "请求无效", "Bad request"),
    ("error.400.text", "无法读取提交的内容，请返回后重试。", "The request could not be read. Please go back and try again."),
    ("error.405.title", "不支持此操作", "Not supported here"),
    ("error.405.text", "此地址不支持这种请求方式。请从页面上的链接或按钮进入。", "This address does not take this kind of request. Use the links and buttons on the pages."),
    ("error.413.title", "提交的内容过大", "Too much data"),
    ("error.413.text", "提交的内容超过了允许的大小，请精简后重试。", "What was sent is larger than allowed. Please send less and try again."),
    ("error.414.title", "网址过长", "Address too long"),
    ("error.414.text", "网址超过了允许的长度，请返回后重试。", "The address is longer than allowed. Please go back and try again."),
    ("error.415.title", "内容格式不支持", "Unsupported format"),
    ("error.415.text", "提交的内容格式无法处理，请使用页面上的表单提交。", "What was sent is in a format this page cannot take. Please use the form on the page."),
    ("error.403.title", "无权操作", "Not allowed"),
    ("error.403.text", "您的账号无权进行此操作。", "Your account may not do this."),
    ("error.csrf.text", "表单已过期或来源不明，请返回、刷新页面后重试。", "The form has expired or did not come from this site. Go back, reload the page and try again."),
    ("error.404.title", "页面不存在", "Page not found"),
    ("error.404.text", "找不到您要访问的页面或记录，它可能不存在或地址有误。", "The page or record you asked for does not exist, or the address is wrong."),
    ("error.409.title", "操作冲突", "Conflict"),
    ("error.429.title", "尝试次数过多", "Too many attempts"),
    ("error.429.text", "登录失败次数过多，请稍后再试。", "Too many failed sign-ins. Please try again later."),
    ("error.503.title", "服务繁忙", "Busy"),
    ("error.503.text", "服务器正忙，请稍后再试。", "The server is busy. Please try again in a moment."),
    ("error.409.text", "该记录当前的状态不允许此操作。", "The record's current state does not allow this."),
    ("error.422.title", "输入有误", "Invalid input"),
    ("error.422.text", "请更正以下内容：", "Please correct the following:"),
    ("error.500.title", "系统错误", "Something went wrong"),
    ("error.500.text", "服务器出现错误，请稍后再试。问题已记录。", "The server ran into an error. Please try again later; the problem has been logged."),
    ("col.jurisdiction", "辖区", "Jurisdiction"),
    ("col.level", "层级", "Level"),
    ("col.organizations", "社会组织", "Organizations"),
    ("col.staff", "工作人员", "Staff"),
    ("col.code", "代码", "Code"),
];

/// The message `key` in `lang`; an unknown key reads as itself (and fails the tests).
pub fn t(lang: Lang, key: &str) -> &str {
    match message_index().get(key) {
        Some((zh, en)) => lang.pick(zh, en),
        None => {
            tracing::warn!(key, "missing message");
            key
        }
    }
}

/// The label of a form field (or query parameter) `field`.
pub fn field_label(lang: Lang, field: &str) -> &str {
    let key = format!("field.{field}");
    match message_index().get(key.as_str()) {
        Some((zh, en)) => lang.pick(zh, en),
        None => field,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::path::{Path, PathBuf};

    use crate::kit::capability::{all_messages, install};

    fn index() -> &'static std::collections::HashMap<&'static str, (&'static str, &'static str)> {
        install(crate::capabilities());
        super::message_index()
    }

    #[test]
    fn keys_are_unique_and_both_languages_are_given() {
        let all: Vec<_> = all_messages(crate::capabilities()).collect();
        let keys: HashSet<_> = all.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(keys.len(), all.len(), "duplicate keys");
        assert_eq!(index().len(), all.len());
        for (k, zh, en) in all {
            assert!(!zh.is_empty() && !en.is_empty(), "{k}");
            assert_eq!(zh.matches("{}").count(), en.matches("{}").count(), "{k}");
        }
    }

    #[test]
    fn every_organization_field_has_a_label() {
        for f in shuniu_domain::registry::ORGANIZATION_FIELDS {
            assert!(index().contains_key(format!("field.{f}").as_str()), "{f}");
        }
    }

    /// Every file below `dir`, subfolders included.
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

    /// Every `ui.t("…")` / `ui.tf("…"` in the templates and the code (every capability's
    /// folder and the kit) names a message of some capability or of the kit.
    #[test]
    fn every_key_used_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["templates", "src"] {
            files_below(&root.join(dir), &mut files);
        }
        let this = Path::new(file!()).file_name().unwrap();
        let mut checked = 0;
        let mut folders = HashSet::new();
        for path in files {
            if path.ends_with(Path::new("kit").join(this)) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for pat in [".t(\"", ".tf(\""] {
                for (i, _) in text.match_indices(pat) {
                    let rest = &text[i + pat.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if key.is_empty() || key.contains('{') {
                        continue;
                    }
                    assert!(
                        index().contains_key(key),
                        "{}: unknown key {key}",
                        path.display()
                    );
                    checked += 1;
                    folders.insert(path.parent().unwrap().to_path_buf());
                }
            }
        }
        assert!(checked > 50, "found only {checked} keys");
        // The walk reaches the capabilities' template folders, not only the top one.
        for c in crate::capabilities() {
            let dir = root.join("templates").join(c.name);
            assert!(
                !dir.exists() || folders.contains(&dir),
                "no key checked in {}",
                dir.display()
            );
        }
    }
}
