//! The pages' message catalog: key → Chinese, English. Labels of domain codes come
//! from the domain's own `label(lang)` methods; this holds the interface's words.
//! `{}` in a message is filled in order by [`super::Ui::tf`].

use std::collections::HashMap;
use std::sync::LazyLock;

use shuniu_domain::Lang;

#[rustfmt::skip]
static MESSAGES: &[(&str, &str, &str)] = &[
    // Site chrome
    ("site.name", "枢纽", "Shuniu"),
    ("site.tagline", "枢纽型社会组织服务平台", "Hub-type social organization platform"),
    ("nav.skip", "跳到主要内容", "Skip to main content"),
    ("nav.label", "主导航", "Main navigation"),
    ("nav.language", "界面语言", "Interface language"),
    ("nav.breadcrumbs", "当前位置", "You are here"),
    ("nav.home", "首页", "Home"),
    ("nav.organizations", "社会组织名录", "Organizations"),
    ("nav.new", "登记新组织", "Register"),
    ("action.register", "登记新组织", "Register an organization"),
    ("footer.about", "枢纽：以枢纽型社会组织整合资源、搭建平台，让社会组织服务更简便、更可信。", "Shuniu: hub organizations pool resources and build platforms so that social organizations can serve more simply and more credibly."),
    ("footer.note", "登记备案信息以登记管理机关的记录为准。", "The registration authority's records prevail over this listing."),
    ("punct.colon", "：", ": "),

    // Accounts
    ("nav.login", "登录", "Sign in"),
    ("nav.logout", "退出", "Sign out"),
    ("nav.account", "我的账号", "My account"),
    ("nav.users", "用户管理", "Users"),
    ("nav.audit", "审计日志", "Audit trail"),
    ("col.actions", "操作", "Actions"),
    ("login.title", "登录", "Sign in"),
    ("login.intro", "政府、枢纽组织、社会组织和专家的工作人员请使用平台分配的账号登录。居民无需登录即可浏览公开信息。", "Staff of government, hubs, organizations and experts sign in with the account the platform gave them. Residents can browse public information without an account."),
    ("login.failed", "登录失败：用户名或密码错误，或账号暂时无法使用。连续失败5次，账号将被锁定15分钟。", "Sign-in failed: wrong user name or password, or the account cannot be used right now. After 5 failures in a row an account is locked for 15 minutes."),
    ("login.submit", "登录", "Sign in"),
    ("login.note", "忘记密码请联系平台管理员重置。请勿在公共电脑上保存密码。", "Forgot your password? Ask the platform administrator to reset it. Do not save passwords on shared computers."),
    ("field.username", "用户名", "User name"),
    ("field.password", "密码", "Password"),
    ("field.display_name", "姓名", "Name"),
    ("field.role", "角色", "Role"),
    ("field.organization", "所属社会组织", "Organization"),
    ("field.current_password", "当前密码", "Current password"),
    ("field.new_password", "新密码", "New password"),
    ("field.repeat_password", "再次输入新密码", "New password again"),
    ("field.token_name", "令牌名称", "Token name"),
    ("field.token_days", "有效期（天）", "Valid for (days)"),
    ("password.title", "修改密码", "Change password"),
    ("password.intro", "密码至少{}位，须包含小写字母、大写字母、数字、符号中的至少三类，且不能包含用户名。", "At least {} characters, using three of: lower-case, upper-case, digits, symbols; must not contain the user name."),
    ("password.forced", "这是管理员为您设置的临时密码。继续使用前，请先设置您自己的密码。", "This is a temporary password set by an administrator. Please choose your own password before you continue."),
    ("password.submit", "修改密码", "Change password"),
    ("hint.password_policy", "修改后，您在其他设备上的登录将失效。", "Your sessions on other devices will be signed out."),
    ("account.title", "我的账号", "My account"),
    ("account.who", "账号信息", "Account"),
    ("account.binding", "所属辖区或组织", "Jurisdiction or organization"),
    ("account.password_changed_at", "密码修改时间", "Password changed"),
    ("account.change_password", "修改密码", "Change password"),
    ("account.password_changed", "密码已修改。", "Your password has been changed."),
    ("token.title", "API 令牌", "API tokens"),
    ("token.intro", "程序通过请求头 Authorization: Bearer <令牌> 调用接口。令牌只在创建时显示一次，系统只保存其摘要；不用时请及时撤销。", "Programs call the API with the header Authorization: Bearer <token>. A token is shown once when it is created and only its digest is stored; revoke it when it is no longer needed."),
    ("token.created", "新令牌已创建。请立即复制并妥善保存：", "New token created. Copy it now and keep it safe:"),
    ("token.once", "离开此页面后将无法再次查看该令牌。", "You will not be able to see this token again after leaving this page."),
    ("token.none", "还没有 API 令牌。", "No API tokens yet."),
    ("token.new", "创建令牌", "Create a token"),
    ("token.create", "创建令牌", "Create token"),
    ("token.revoke", "撤销", "Revoke"),
    ("token.revoked_notice", "令牌已撤销。", "The token has been revoked."),
    ("token.active", "有效", "Active"),
    ("token.revoked", "已撤销", "Revoked"),
    ("token.expired", "已过期", "Expired"),
    ("token.col.state", "状态", "State"),
    ("token.col.created", "创建时间", "Created"),
    ("token.col.expires", "到期时间", "Expires"),
    ("token.col.last_used", "最近使用", "Last used"),
    ("hint.token_days", "1–365天", "1–365 days"),
    ("users.title", "用户管理", "Users"),
    ("users.summary", "共 {} 个账号 · 第 {} / {} 页", "{} accounts · page {} of {}"),
    ("users.new", "新建账号", "New account"),
    ("users.new_intro", "新账号使用临时密码，首次登录时必须修改。政府工作人员须绑定辖区，枢纽组织和社会组织工作人员须绑定组织。", "A new account gets a temporary password that must be changed at first sign-in. Officials are bound to a jurisdiction; hub staff and organization members to an organization."),
    ("users.create", "创建账号", "Create account"),
    ("user.state.active", "正常", "Active"),
    ("user.state.disabled", "已停用", "Disabled"),
    ("user.state.locked", "已锁定", "Locked"),
    ("user.state.must_change", "待改密码", "Must change password"),
    ("user.disable", "停用", "Disable"),
    ("user.enable", "启用", "Enable"),
    ("user.reset", "重置密码", "Reset password"),
    ("user.reset_intro", "设置一个临时密码，用户下次登录时必须修改；该用户现有的登录将失效。", "Set a temporary password that the user must change at the next sign-in; the user's current sessions end."),
    ("user.reset_submit", "重置密码", "Reset password"),
    ("user.created", "账号已创建。请通过安全渠道把临时密码告知本人。", "Account created. Give the temporary password to its owner through a safe channel."),
    ("user.disabled_notice", "账号已停用，其登录和令牌已失效。", "Account disabled; its sessions and tokens no longer work."),
    ("user.enabled_notice", "账号已启用。", "Account enabled."),
    ("user.reset_notice", "密码已重置，用户下次登录时须修改。", "Password reset; the user must change it at the next sign-in."),
    ("hint.username", "3–32位小写字母、数字或 . _ -，以字母开头", "3–32 characters of a-z, 0-9, . _ -, starting with a letter"),
    ("hint.temp_password", "至少8位，包含三类字符，不含用户名", "At least 8 characters of three kinds, without the user name"),
    ("hint.user_jurisdiction", "仅政府工作人员需要", "Officials only"),
    ("hint.user_organization", "枢纽组织或社会组织工作人员需要：组织编号（见组织详情页地址）", "Hub staff and organization members: the organization's id (from its page address)"),
    ("audit.title", "审计日志", "Audit trail"),
    ("audit.scope_all", "全部记录（平台管理员）。记录只能追加，不能修改或删除。", "All records (platform admin). Records can only be appended, never changed or deleted."),
    ("audit.scope_official", "仅显示{}及下级辖区的记录。", "Records of {} and below only."),
    ("audit.summary", "共 {} 条记录 · 第 {} / {} 页", "{} records · page {} of {}"),
    ("audit.empty", "没有符合条件的记录。", "No records match these filters."),
    ("audit.export", "导出 CSV", "Export CSV"),
    ("audit.success", "成功", "Success"),
    ("audit.failure", "失败", "Failure"),
    ("audit.col.time", "时间", "Time"),
    ("audit.col.object", "对象", "Object"),
    ("audit.col.source", "来源地址", "Source"),
    ("audit.col.details", "详情", "Details"),
    ("field.audit_actor", "操作人", "Actor"),
    ("field.audit_action", "操作", "Action"),
    ("field.audit_outcome", "结果", "Outcome"),
    ("field.audit_from", "开始日期", "From"),
    ("field.audit_to", "结束日期", "To"),
    ("hint.audit_action", "如 login 表示全部登录事件", "e.g. login for every sign-in event"),

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

    // Home
    ("home.title", "首页", "Home"),
    ("home.heading", "让社会组织的服务更简便、更可信", "Simpler, more trustworthy services from social organizations"),
    ("home.lead", "枢纽（Shuniu）按“一核两轴”模式，把全市社会组织的登记备案、培育发展与综合管理集中在一处：政府、枢纽组织、社会组织和居民看到的是同一份可信的名录。", "Shuniu brings the registration, cultivation and oversight of a city's social organizations into one place, following the “one core, two axes” hub model: government, hubs, organizations and residents all see the same trustworthy register."),
    ("home.browse", "浏览社会组织", "Browse organizations"),
    ("home.figures", "主要数据", "Key figures"),
    ("home.fig.orgs", "{}登记备案的社会组织", "Registered or filed organizations in {}"),
    ("home.fig.staff", "专兼职工作人员", "Full- and part-time staff"),
    ("home.fig.nodes", "行政区划（省、市、区、街道）", "Jurisdictions (province, city, district, street)"),
    ("home.tree", "辖区与社会组织分布", "Organizations by jurisdiction"),
    ("home.tree_note", "数字含下级辖区，不含已注销的组织。点击名称查看辖区，点击数字查看该辖区的组织。", "Counts include everything below a node and leave out deregistered organizations. Click a name for the jurisdiction, a count for its organizations."),
    ("home.list_here", "查看该辖区的社会组织", "Organizations in this jurisdiction"),
    ("col.jurisdiction", "辖区", "Jurisdiction"),
    ("col.level", "层级", "Level"),
    ("col.organizations", "社会组织", "Organizations"),
    ("col.staff", "工作人员", "Staff"),
    ("col.code", "代码", "Code"),

    // Jurisdiction
    ("jurisdiction.list", "查看本辖区社会组织", "Organizations in this jurisdiction"),
    ("jurisdiction.structure_district", "“一核两轴”结构图", "One core, two axes"),
    ("jurisdiction.structure_street", "“1+1+X”", "1+1+X"),
    ("jurisdiction.coverage", "覆盖情况", "Coverage"),
    ("jurisdiction.orgs", "本辖区登记备案的社会组织（含下级）", "Organizations here and below"),
    ("jurisdiction.children_count", "下级辖区", "Sub-jurisdictions"),
    ("jurisdiction.children", "下级辖区", "Sub-jurisdictions"),
    ("jurisdiction.no_children", "没有下级辖区。", "No sub-jurisdictions."),
    ("jurisdiction.total", "合计（含本级）", "Total (including this level)"),

    // List
    ("list.title", "社会组织名录", "Social organizations"),
    ("list.summary", "共 {} 个组织 · 第 {} / {} 页", "{} organizations · page {} of {}"),
    ("list.empty", "没有符合条件的社会组织。", "No organizations match these filters."),
    ("list.bad_filter", "筛选条件有误：", "Some filters are not valid:"),
    ("list.pages", "分页", "Pages"),
    ("list.beyond", "这一页已超出结果范围。", "This page is past the end of the results."),
    ("list.first", "回到第一页", "Back to the first page"),
    ("list.prev", "上一页", "Previous"),
    ("list.next", "下一页", "Next"),
    ("filter.q", "名称或代码", "Name or code"),
    ("filter.q_placeholder", "输入名称关键字、统一社会信用代码或备案编号", "Part of a name, a USCC or a filing number"),
    ("filter.all", "全部", "All"),
    ("filter.domain", "服务领域", "Service domain"),
    ("filter.sort", "排序", "Sort by"),
    ("filter.apply", "筛选", "Apply filters"),
    ("filter.clear", "清除条件", "Clear"),
    ("sort.name", "名称（升序）", "Name (A–Z)"),
    ("sort.-name", "名称（降序）", "Name (Z–A)"),
    ("sort.founded_on", "成立日期（最早）", "Founded (oldest first)"),
    ("sort.-founded_on", "成立日期（最近）", "Founded (newest first)"),
    ("sort.-updated_at", "最近更新", "Recently updated"),
    ("sort.-staff", "工作人员（多到少）", "Staff (most first)"),

    // Fields
    ("field.name", "名称", "Name"),
    ("field.legal_form", "组织类型", "Legal form"),
    ("field.uscc", "统一社会信用代码", "Unified social credit code (USCC)"),
    ("field.filing_number", "备案编号", "Filing number"),
    ("field.domains", "服务领域", "Service domains"),
    ("field.jurisdiction", "所属辖区", "Jurisdiction"),
    ("field.address", "住所（地址）", "Address"),
    ("field.founded_on", "成立日期", "Founded on"),
    ("field.legal_representative", "法定代表人（负责人）", "Legal representative"),
    ("field.contact_phone", "联系电话", "Contact phone"),
    ("field.staff_full_time", "专职工作人员", "Full-time staff"),
    ("field.staff_part_time", "兼职工作人员", "Part-time staff"),
    ("field.volunteers", "志愿者", "Volunteers"),
    ("field.party_org", "党组织", "Party organization"),
    ("field.party_members", "党员人数", "Party members"),
    ("field.stage", "发展阶段", "Lifecycle stage"),
    ("field.grade", "评估等级", "Assessment grade"),
    ("field.grade_awarded_on", "等级评定日期", "Grade awarded on"),
    ("field.status", "状态", "Status"),
    ("field.status_reason", "原因", "Reason"),
    ("field.status_changed_on", "状态变更日期", "Status changed on"),
    ("field.reason", "原因", "Reason"),
    ("field.effective_on", "生效日期", "Effective on"),
    ("field.page", "页码", "Page"),
    ("field.per_page", "每页条数", "Items per page"),
    ("field.sort", "排序", "Sort by"),
    ("field.domain", "服务领域", "Service domain"),
    ("field.q", "名称或代码", "Name or code"),

    // Detail
    ("detail.edit", "修改信息", "Edit"),
    ("detail.change_status", "变更状态", "Change status"),
    ("detail.demo", "演示数据", "Demo record"),
    ("detail.group.status", "状态与记录", "Status and record"),
    ("detail.staff_total", "工作人员合计", "Staff in total"),
    ("detail.not_assessed", "未评估", "Not assessed"),
    ("detail.grade_expires_on", "等级有效期至", "Grade valid until"),
    ("detail.expired", "（已过期）", "(expired)"),
    ("detail.created_at", "创建时间", "Created"),
    ("detail.updated_at", "最后更新", "Last updated"),
    ("detail.notice.suspended", "该组织自 {} 起暂停活动。原因：{}", "This organization has been suspended since {}. Reason: {}"),
    ("detail.notice.deregistered", "该组织已于 {} 注销，记录予以保留。原因：{}", "This organization was deregistered on {}; its record is kept. Reason: {}"),
    ("history.title", "变更记录", "Change history"),
    ("history.empty", "暂无变更记录。", "No changes recorded."),
    ("history.created", "创建登记记录", "Record created"),
    ("history.updated", "修改信息", "Details changed"),
    ("history.status", "状态变更为“{}”", "Status changed to “{}”"),
    ("history.by", "操作人", "by"),
    ("history.to", "改为", "changed to"),
    ("history.timezone", "时间为北京时间（UTC+8）。", "Times are China Standard Time (UTC+8)."),

    // Forms
    ("form.intro", "带 * 的为必填项。提交后系统会校验统一社会信用代码等信息。", "Fields marked * are required. Codes such as the USCC are checked when you submit."),
    ("form.required", "必填", "Required"),
    ("form.choose", "请选择", "Choose…"),
    ("form.cancel", "取消", "Cancel"),
    ("form.errors_title", "提交的信息有误，请更正后重新提交：", "There is a problem with what was submitted. Please correct:"),
    ("form.error_prefix", "错误：", "Error: "),
    ("form.state_conflict", "已注销的组织不能修改信息。", "A deregistered organization cannot be edited."),
    ("form.new.title", "登记新组织", "Register an organization"),
    ("form.new.submit", "提交登记", "Register"),
    ("form.edit.title", "修改：{}", "Edit: {}"),
    ("form.edit.submit", "保存修改", "Save changes"),
    ("form.group.basic", "基本信息", "Basic information"),
    ("form.group.services", "服务领域与发展阶段", "Services and stage"),
    ("form.group.people", "人员与党建", "People and party building"),
    ("form.group.assessment", "评估等级", "Assessment"),
    ("hint.uscc", "社会团体、社会服务机构、基金会填写：18位，登记证书上的代码。", "For social groups, service institutions and foundations: the 18-character code on the registration certificate."),
    ("hint.filing_number", "备案的社区社会组织填写，如 320102002000-2011-0007。", "For filed community organizations, e.g. 320102002000-2011-0007."),
    ("hint.contact_phone", "手机号，或带区号的固定电话，如 025-84123456。", "A mobile number, or a landline with area code such as 025-84123456."),
    ("hint.party_members", "单独建立党支部需至少3名正式党员。", "An own party branch needs at least 3 members."),
    ("hint.grade_awarded_on", "评估等级有效期为5年。", "A grade is valid for 5 years."),

    // Status
    ("status.title", "变更状态", "Change status"),
    ("status.current", "当前状态：", "Current status:"),
    ("status.action", "变更为", "Change to"),
    ("status.suspend", "暂停活动", "Suspend"),
    ("status.reactivate", "恢复活动", "Reactivate"),
    ("status.deregister", "注销", "Deregister"),
    ("status.effective_on", "生效日期", "Effective on"),
    ("status.submit", "确认变更", "Change status"),
    ("status.back", "返回组织详情", "Back to the organization"),
    ("status.final", "该组织已注销，状态不能再变更。", "This organization is deregistered; its status cannot change any more."),
    ("status.not_allowed", "当前状态为“{}”，不能变更为“{}”。", "The current status is “{}”; it cannot change to “{}”."),
    ("status.never_deleted", "注销不会删除记录：组织信息和变更记录会一直保留。", "Deregistering never deletes: the record and its history are kept."),
    ("status.confirm_deregister", "注销后不能恢复，确定要注销该组织吗？", "Deregistration cannot be undone. Deregister this organization?"),
    ("hint.reason", "请写明原因，如：理事会决议自行解散。", "State the reason, e.g. dissolved by decision of its council."),
    ("hint.effective_on", "不填则为今天；不能晚于今天。", "Today if left empty; it cannot be in the future."),
];

/// Every capability keeps its own words next to its pages; the index joins them.
fn all_messages() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    MESSAGES
        .iter()
        .chain(super::hubs::MESSAGES)
        .chain(super::parks::MESSAGES)
        .chain(super::coverage::MESSAGES)
}

static INDEX: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> =
    LazyLock::new(|| all_messages().map(|(k, zh, en)| (*k, (*zh, *en))).collect());

/// The message `key` in `lang`; an unknown key reads as itself (and fails the tests).
pub fn t(lang: Lang, key: &str) -> &str {
    match INDEX.get(key) {
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
    match INDEX.get(key.as_str()) {
        Some((zh, en)) => lang.pick(zh, en),
        None => field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_both_languages_are_given() {
        assert_eq!(INDEX.len(), all_messages().count(), "duplicate keys");
        for (k, zh, en) in all_messages() {
            assert!(!zh.is_empty() && !en.is_empty(), "{k}");
            assert_eq!(zh.matches("{}").count(), en.matches("{}").count(), "{k}");
        }
    }

    #[test]
    fn every_organization_field_has_a_label() {
        for f in shuniu_domain::registry::ORGANIZATION_FIELDS {
            assert!(INDEX.contains_key(format!("field.{f}").as_str()), "{f}");
        }
    }

    /// Every `ui.t("…")` / `ui.tf("…"` in the templates and the pages' code names a message.
    #[test]
    fn every_key_used_exists() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut files = Vec::new();
        for dir in ["templates", "src/pages"] {
            for e in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = e.unwrap().path();
                if !path.ends_with("catalog.rs") {
                    files.push(path);
                }
            }
        }
        let mut checked = 0;
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            for pat in [".t(\"", ".tf(\""] {
                for (i, _) in text.match_indices(pat) {
                    let rest = &text[i + pat.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if key.is_empty() || key.contains('{') {
                        continue;
                    }
                    assert!(
                        INDEX.contains_key(key),
                        "{}: unknown key {key}",
                        path.display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "found only {checked} keys");
    }
}
