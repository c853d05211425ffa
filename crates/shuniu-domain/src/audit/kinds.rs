//! What the audit trail's codes mean, in both languages: the event kinds the code base
//! writes (`organization.update`, `login.failure` …), the roles records carry, the kinds
//! of object (`organization:<id>`) and the keys of the details. One table each, so the
//! audit page, its filter and the API read the same words; the store refuses (in debug
//! builds) to write a kind this table does not name, and a test of the web crate checks
//! every kind written in the sources against it.
//!
//! Records are kept for years, so unknown codes (from older versions) must stay readable:
//! every lookup answers `None` rather than failing, and callers show the code.

use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::access::Role;
use crate::registry::labelled_enum;

labelled_enum!(
    /// The capability an event kind belongs to: the groups of the audit filter.
    EventGroup {
        Accounts = "accounts", "账号与安全", "Accounts and security";
        Audit = "audit", "审计日志", "Audit trail";
        Registry = "registry", "社会组织登记", "Registry";
        Hubs = "hubs", "枢纽组织", "Hubs";
        Parks = "parks", "服务园区", "Service parks";
        Party = "party", "党建", "Party building";
        Supervision = "supervision", "监管", "Supervision";
        Services = "services", "服务目录", "Service catalogue";
        Requests = "requests", "居民求助", "Resident requests";
        Complaints = "complaints", "居民投诉", "Resident complaints";
    }
);

/// One kind of audit event: its code as stored, its group and its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventKind {
    pub code: &'static str,
    pub group: EventGroup,
    zh: &'static str,
    en: &'static str,
}

impl EventKind {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

macro_rules! kinds {
    ($($group:ident: $($code:literal, $zh:literal, $en:literal;)+)+) => {
        &[$($(EventKind { code: $code, group: EventGroup::$group, zh: $zh, en: $en },)+)+]
    };
}

/// Every kind the code base writes, in the order the filter offers them. Kinds built
/// from a domain code (`membership.{action}`, `change_application.{action}`,
/// `assessment.{stage}`) are listed per code; the tests below check each code has one.
#[rustfmt::skip]
pub const KINDS: &[EventKind] = kinds! {
    Accounts:
        "login.success", "登录成功", "Signed in";
        "login.failure", "登录失败", "Sign-in failed";
        "login.lockout", "账号被锁定", "Account locked";
        "logout", "退出登录", "Signed out";
        "user.create", "创建用户", "User created";
        "user.password", "设置密码", "Password set";
        "user.disable", "停用用户", "User disabled";
        "user.enable", "启用用户", "User enabled";
        "token.create", "创建 API 令牌", "API token created";
        "token.revoke", "吊销 API 令牌", "API token revoked";
        "access.denied", "拒绝访问", "Access denied";
        "api.unauthenticated", "API 身份验证失败", "API authentication failed";
    Audit:
        "audit.export", "导出审计日志", "Audit trail exported";
        "audit.purge", "清理过期审计记录", "Expired audit records purged";
        "list.export", "下载列表", "List downloaded";
    Registry:
        "organization.create", "登记社会组织", "Organization registered";
        "organization.update", "修改组织信息", "Organization edited";
        "organization.status", "变更组织状态", "Organization status changed";
    Hubs:
        "hub.recognize", "认定枢纽组织", "Hub recognized";
        "hub.revoke", "撤销枢纽组织认定", "Hub recognition revoked";
        "hub.core", "设定区级“一核”", "District core set";
        "membership.apply", "申请加入枢纽组织", "Applied to join a hub";
        "membership.add", "枢纽组织添加成员", "Member added by the hub";
        "membership.approve", "批准入会申请", "Membership approved";
        "membership.reject", "驳回入会申请", "Membership application rejected";
        "membership.suspend", "暂停成员资格", "Membership suspended";
        "membership.reinstate", "恢复成员资格", "Membership reinstated";
        "membership.remove", "移出成员", "Member removed";
        "membership.withdraw", "撤回入会申请", "Membership application withdrawn";
        "membership.leave", "退出枢纽组织", "Left the hub";
        "membership.initiating", "设定发起单位", "Initiating unit set";
    Parks:
        "venue.create", "新建场地", "Venue created";
        "venue.update", "修改场地", "Venue edited";
        "space.create", "新建空间", "Space created";
        "space.update", "修改空间", "Space edited";
        "booking.create", "预约空间", "Space booked";
        "booking.cancel", "取消预约", "Booking cancelled";
        "office.allocate", "分配办公空间", "Office allocated";
        "office.end", "结束办公空间使用", "Office allocation ended";
        "obligation.report", "报送服务情况", "Service report filed";
    Party:
        "organization.party", "更新党建信息", "Party-building facts updated";
        "instructor.create", "登记党建指导员", "Party-building instructor added";
        "coverage.export", "导出未覆盖组织名单", "Uncovered organizations exported";
    Supervision:
        "registration.record", "记录登记事项", "Registration details recorded";
        "change_application.submit", "提交变更登记申请", "Change application submitted";
        "change_application.approve", "核准变更登记", "Change application approved";
        "change_application.return", "退回变更登记申请", "Change application returned";
        "change_application.withdraw", "撤回变更登记申请", "Change application withdrawn";
        "annual_report.file", "报送年度报告", "Annual report filed";
        "annual_report.review", "审查年度报告", "Annual report reviewed";
        "credit.event", "记录信用事件", "Credit event recorded";
        "credit.list", "列入信用名单", "Put on a credit list";
        "credit.remove", "移出信用名单", "Removed from a credit list";
        "assessment.round.open", "开启等级评估", "Assessment round opened";
        "assessment.apply", "申请等级评估", "Applied for assessment";
        "assessment.refused", "评估初审未通过", "Assessment refused at preliminary review";
        "assessment.scored", "完成评估评分", "Assessment scored";
        "assessment.notice", "评估结果公示", "Assessment result on public notice";
        "assessment.awarded", "评估授予等级", "Assessment grade awarded";
        "assessment.not_graded", "评估未达等级", "Assessment earned no grade";
        "assessment.withdrawn", "撤回评估申请", "Assessment application withdrawn";
        "grade.award", "授予评估等级", "Grade awarded";
        "grade.lower", "降低评估等级", "Grade lowered";
        "grade.withdraw", "撤销评估等级", "Grade withdrawn";
        "grade.expire", "评估等级到期", "Grade expired";
        "grade.import", "导入评估等级", "Grade imported";
    Services:
        "organization.contact", "更新对外服务联系方式", "Public contact updated";
        "service.create", "新增服务项目", "Service added";
        "service.update", "修改服务项目", "Service changed";
    Requests:
        "request.submit", "居民提交求助", "Request submitted";
        "request.assign", "求助派单", "Request assigned";
        "request.accept", "接受求助", "Request accepted";
        "request.decline", "婉拒求助", "Request declined";
        "request.complete", "求助服务完成", "Request completed";
        "request.confirm", "居民确认并评价", "Request confirmed and rated";
        "request.cancel", "取消求助", "Request cancelled";
        "request.close", "关闭求助", "Request closed";
    Complaints:
        "complaint.submit", "居民提交投诉", "Complaint filed";
        "complaint.answer", "组织答复投诉", "Complaint answered by the organization";
        "complaint.escalate", "投诉超时未答复，升级至街道", "Complaint escalated to the street (first response overdue)";
        "complaint.resolve", "投诉办结", "Complaint resolved";
        "complaint.close", "投诉关闭", "Complaint closed";
};

/// The kind with this code, if the code base writes it.
pub fn kind(code: &str) -> Option<&'static EventKind> {
    KINDS.iter().find(|k| k.code == code)
}

/// What a refused request tried to do (the `action` of an `access.denied` record), where
/// it is not itself a kind of [`KINDS`]: reading or deciding, which write no record.
#[rustfmt::skip]
const REQUESTS: &[(&str, &str, &str)] = &[
    ("audit.read", "查看审计日志", "Read the audit trail"),
    ("audit.verify", "校验审计链", "Verify the audit chain"),
    ("annual_report.queue", "查看年度报告审查队列", "Open the annual report queue"),
    ("assessment.decide", "处理评估申请", "Decide an assessment application"),
    ("change_application.decide", "审批变更登记申请", "Decide a change application"),
    ("change_application.queue", "查看变更登记申请队列", "Open the change application queue"),
    ("change_application.read", "查看变更登记申请", "Read a change application"),
    ("grade.change", "变更评估等级", "Change a grade"),
    ("membership.decide", "处理成员资格", "Decide a membership"),
    ("request.queue", "查看求助队列", "Open the request queue"),
    ("request.read", "查看居民求助", "Read a resident request"),
    ("request.act", "处理居民求助", "Act on a resident request"),
    ("complaint.queue", "查看投诉队列", "Open the complaint queue"),
    ("complaint.read", "查看居民投诉", "Read a resident complaint"),
    ("complaint.act", "处理居民投诉", "Act on a resident complaint"),
];

/// The words of what a request tried to do: an event kind, or one of the reads and
/// decisions of [`REQUESTS`].
pub fn request_label(code: &str, lang: Lang) -> Option<&'static str> {
    event_label(code, lang).or_else(|| {
        REQUESTS
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(_, zh, en)| lang.pick(zh, en))
    })
}

/// Debug builds stop at the write of a kind without words, so any test that exercises
/// a new kind fails until it is added to [`KINDS`]; release builds write it anyway (the
/// page shows its code), since losing an audit record would be worse.
#[track_caller]
pub fn debug_assert_known(code: &str) {
    debug_assert!(
        kind(code).is_some(),
        "audit event kind `{code}` has no words in shuniu_domain::audit::kinds::KINDS"
    );
}

/// The words of an event kind; `None` for a code this version does not write.
pub fn event_label(code: &str, lang: Lang) -> Option<&'static str> {
    kind(code).map(|k| k.label(lang))
}

/// The words of a role as records store it: the account roles, and who acts without
/// an account (anonymous callers, the shell, system tasks).
pub fn role_label(code: &str, lang: Lang) -> Option<&'static str> {
    if let Some(r) = Role::parse(code) {
        return Some(r.label(lang));
    }
    match code {
        "anonymous" => Some(lang.pick("未登录访问者", "Anonymous visitor")),
        "cli" => Some(lang.pick("命令行操作员", "Command-line operator")),
        "system" => Some(lang.pick("系统任务", "System task")),
        _ => None,
    }
}

/// The kinds of object a record names (`organization:<id>`, `audit_log` …).
#[rustfmt::skip]
const OBJECTS: &[(&str, &str, &str)] = &[
    ("organization", "社会组织", "Organization"),
    ("user", "用户", "User"),
    ("token", "API 令牌", "API token"),
    ("hub", "枢纽组织", "Hub"),
    ("hub_core", "区级“一核”", "District core"),
    ("membership", "枢纽成员资格", "Hub membership"),
    ("structure", "一核两轴", "Hub structure"),
    ("venue", "场地", "Venue"),
    ("space", "空间", "Space"),
    ("booking", "预约", "Booking"),
    ("allocation", "办公空间分配", "Office allocation"),
    ("instructor", "党建指导员", "Party-building instructor"),
    ("annual_report", "年度报告", "Annual report"),
    ("annual_reports", "年度报告审查队列", "Annual report queue"),
    ("assessment_round", "等级评估", "Assessment round"),
    ("assessment_rounds", "等级评估", "Assessment rounds"),
    ("assessment_application", "评估申请", "Assessment application"),
    ("change_application", "变更登记申请", "Change application"),
    ("change_applications", "变更登记申请队列", "Change application queue"),
    ("credit_listing", "信用名单记录", "Credit listing"),
    ("service", "服务项目", "Service"),
    ("request", "居民求助", "Resident request"),
    ("requests", "求助队列", "Request queue"),
    ("complaint", "居民投诉", "Resident complaint"),
    ("complaints", "投诉队列", "Complaint queue"),
    ("audit_log", "审计日志", "Audit trail"),
    ("endpoint", "接口", "API endpoint"),
    ("page", "页面", "Page"),
    ("list", "列表", "List"),
];

/// The words of an object kind (the part of `object` before `:`).
pub fn object_label(kind: &str, lang: Lang) -> Option<&'static str> {
    OBJECTS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, zh, en)| lang.pick(zh, en))
}

/// Why a sign-in failed (`reason` of `login.failure`).
#[rustfmt::skip]
const LOGIN_REASONS: &[(&str, &str, &str)] = &[
    ("wrong_password", "密码错误", "Wrong password"),
    ("unknown_user", "用户名不存在", "Unknown user name"),
    ("locked", "账号已锁定", "Account locked"),
    ("disabled", "账号已停用", "Account disabled"),
    ("throttled", "尝试过于频繁", "Too many attempts"),
    ("busy", "服务繁忙", "Server busy"),
];

/// The words of a coded value under `key` in a record's details (a role, a legal form,
/// a service domain, a status …); `None` for free text and unknown codes.
pub fn value_label(key: &str, value: &str, lang: Lang) -> Option<&'static str> {
    use crate::hubs::MembershipStatus;
    use crate::registry::{Grade, LegalForm, OrgStatus, PartyOrg, ServiceDomain, Stage};
    match key {
        "role" => role_label(value, lang),
        "legal_form" => LegalForm::parse(value).map(|v| v.label(lang)),
        "domains" | "domain" => ServiceDomain::parse(value).map(|v| v.label(lang)),
        "stage" => Stage::parse(value).map(|v| v.label(lang)),
        "party_org" => PartyOrg::parse(value).map(|v| v.label(lang)),
        "grade" => Grade::parse(value).map(|v| v.label(lang)),
        "source" => {
            crate::supervision::assessment::GradeSource::parse(value).map(|v| v.label(lang))
        }
        "status" => OrgStatus::parse(value)
            .map(|v| v.label(lang))
            .or_else(|| MembershipStatus::parse(value).map(|v| v.label(lang))),
        "reason" => LOGIN_REASONS
            .iter()
            .find(|(c, _, _)| *c == value)
            .map(|(_, zh, en)| lang.pick(zh, en)),
        _ => None,
    }
}

/// The keys the details of records use. Keys of an organization's own fields (the
/// changes of `organization.update`) are labelled by the interface's field labels.
#[rustfmt::skip]
const DETAILS: &[(&str, &str, &str)] = &[
    ("from", "原为", "From"),
    ("change", "变更记录", "Change record"),
    ("sha256", "变更记录摘要（SHA-256）", "Digest of the change (SHA-256)"),
    ("to", "改为", "To"),
    ("reason", "理由", "Reason"),
    ("reasons", "理由", "Reasons"),
    ("action", "操作", "Action"),
    ("status", "状态", "Status"),
    ("decision", "决定", "Decision"),
    ("outcome", "结果", "Outcome"),
    ("suppressed", "期间未单独记录的次数", "Not recorded separately"),
    ("unrecorded_failures_before", "此前未记录的失败次数", "Unrecorded failures before"),
    ("locked_until", "锁定至", "Locked until"),
    ("disabled", "已停用", "Disabled"),
    ("must_change_password", "须修改密码", "Must change password"),
    ("format", "格式", "Format"),
    ("filter", "筛选条件", "Filter"),
    ("scope", "范围", "Scope"),
    ("path_prefix", "辖区范围", "Jurisdiction scope"),
    ("method", "请求方式", "Method"),
    ("path", "地址", "Path"),
    ("retention_days", "保留天数", "Retention days"),
    ("before", "早于", "Before"),
    ("removed", "删除条数", "Removed"),
    ("actor", "操作人", "Actor"),
    ("user", "用户", "User"),
    ("expires_at", "到期时间", "Expires at"),
    ("hub_id", "枢纽组织", "Hub"),
    ("organization_id", "社会组织", "Organization"),
    ("organization", "社会组织", "Organization"),
    ("venue_id", "场地", "Venue"),
    ("space_id", "空间", "Space"),
    ("initiating", "发起单位", "Initiating unit"),
    ("recognition", "认定", "Recognition"),
    ("kind", "类型", "Kind"),
    ("name", "名称", "Name"),
    ("name_zh", "中文名称", "Chinese name"),
    ("name_en", "英文名称", "English name"),
    ("application", "申请", "Application"),
    ("changes", "变更内容", "Changes"),
    ("round", "评估", "Round"),
    ("table", "指标表", "Indicator table"),
    ("total", "总分", "Total score"),
    ("grade", "等级", "Grade"),
    ("grade_awarded_on", "等级授予日期", "Grade awarded on"),
    ("year", "年度", "Year"),
    ("report", "报告", "Report"),
    ("review", "审查", "Review"),
    ("late", "逾期", "Late"),
    ("due_on", "截止日期", "Due on"),
    ("submitted_on", "报送日期", "Submitted on"),
    ("on", "日期", "Date"),
    ("ended_on", "结束日期", "Ended on"),
    ("expired_on", "到期日期", "Expired on"),
    ("expires_on", "有效期至", "Valid until"),
    ("awarded_on", "评定日期", "Awarded on"),
    ("source", "来源", "Source"),
    ("document", "文号", "Document number"),
    ("list", "名单", "List"),
    ("listing", "名单记录", "Listing"),
    ("cause", "事由", "Cause"),
    ("trigger", "触发条件", "Trigger"),
    ("event", "事件", "Event"),
    ("number", "编号", "Number"),
    ("rating", "评分", "Rating"),
    ("due_at", "答复期限", "Response due"),
    ("note", "备注", "Note"),
    ("service", "服务项目", "Service"),
    ("category", "服务类别", "Category"),
    ("service_phone", "服务电话", "Service phone"),
    ("message", "说明", "Message"),
    ("error", "错误", "Error"),
    ("request", "请求", "Request"),
    ("data", "数据", "Data"),
    ("attachments", "附件", "Attachments"),
    ("volunteers", "志愿者人数", "Volunteers"),
    ("is_demo", "演示数据", "Demo data"),
    ("party_members", "党员人数", "Party members"),
];

/// The words of a details key, if it is one the records use.
pub fn detail_label(key: &str, lang: Lang) -> Option<&'static str> {
    DETAILS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| lang.pick(zh, en))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hubs::MembershipAction;
    use crate::supervision::assessment::ApplicationStage;
    use crate::supervision::changes::ChangeAction;
    use std::collections::HashSet;

    fn labelled(code: &str) {
        let zh = event_label(code, Lang::Zh).unwrap_or_else(|| panic!("{code} has no label"));
        let en = event_label(code, Lang::En).unwrap();
        assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{code}");
        assert!(!zh.is_ascii(), "{code}: the Chinese label is not Chinese");
    }

    #[test]
    fn codes_and_labels_are_unique_and_bilingual() {
        let mut codes = HashSet::new();
        let mut words = HashSet::new();
        for k in KINDS {
            assert!(codes.insert(k.code), "{} twice", k.code);
            assert!(words.insert(k.label(Lang::Zh)), "{}: same words", k.code);
            assert!(words.insert(k.label(Lang::En)), "{}: same words", k.code);
            labelled(k.code);
        }
    }

    /// The kinds the store builds from a domain code: one per code it can write.
    #[test]
    fn every_built_kind_is_labelled() {
        for a in MembershipAction::ALL {
            labelled(&format!("membership.{a}"));
        }
        // Joining: `membership.apply` (pending) and `membership.add` (by the hub).
        labelled("membership.apply");
        labelled("membership.add");
        for a in ChangeAction::ALL {
            labelled(&format!("change_application.{a}"));
        }
        // An application is advanced to every stage some stage can become.
        for to in ApplicationStage::ALL {
            if ApplicationStage::ALL
                .iter()
                .any(|from| from.can_become(*to))
            {
                labelled(&format!("assessment.{to}"));
            }
        }
    }

    #[test]
    fn roles_and_objects_read_in_both_languages() {
        for r in Role::ALL {
            assert_eq!(role_label(r.as_str(), Lang::Zh), Some(r.label(Lang::Zh)));
        }
        for code in ["anonymous", "cli", "system"] {
            assert!(role_label(code, Lang::Zh).is_some_and(|w| !w.is_ascii()));
            assert!(role_label(code, Lang::En).is_some_and(|w| w.is_ascii()));
        }
        assert_eq!(role_label("wizard", Lang::Zh), None);
        assert_eq!(event_label("nope.never", Lang::En), None);
        assert_eq!(object_label("organization", Lang::Zh), Some("社会组织"));
        assert_eq!(detail_label("reason", Lang::En), Some("Reason"));
        assert_eq!(request_label("audit.read", Lang::Zh), Some("查看审计日志"));
        assert_eq!(
            request_label("hub.core", Lang::En),
            event_label("hub.core", Lang::En)
        );
        assert_eq!(
            value_label("role", "org_member", Lang::Zh),
            Role::OrgMember.label(Lang::Zh).into()
        );
        assert_eq!(
            value_label("reason", "wrong_password", Lang::En),
            Some("Wrong password")
        );
        assert_eq!(value_label("reason", "the hub closed", Lang::En), None);
        for (k, zh, en) in OBJECTS
            .iter()
            .chain(DETAILS)
            .chain(REQUESTS)
            .chain(LOGIN_REASONS)
        {
            assert!(!zh.is_ascii() && en.is_ascii(), "{k}");
        }
    }
}
