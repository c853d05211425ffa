//! The interface words of the audit trail: key, Chinese, English.

#[rustfmt::skip]
pub static MESSAGES: &[(&str, &str, &str)] = &[
    ("audit.title", "审计日志", "Audit trail"),
    ("audit.scope_all", "全部记录（平台管理员）。记录只能追加，不能修改或删除。", "All records (platform admin). Records can only be appended, never changed or deleted."),
    ("audit.scope_official", "仅显示{}及下级辖区的记录。", "Records of {} and below only."),
    ("audit.count", "共 {} 条记录", "{} records"),
    ("audit.empty", "没有符合条件的记录。", "No records match these filters."),
    ("audit.export", "导出 CSV", "Export CSV"),
    ("audit.success", "成功", "Success"),
    ("audit.failure", "失败", "Failure"),
    ("audit.col.time", "时间", "Time"),
    ("audit.col.object", "对象", "Object"),
    ("audit.col.source", "来源地址", "Source"),
    ("audit.col.details", "详情", "Details"),
    ("audit.f.actor", "操作人", "Actor"),
    ("audit.f.action", "操作", "Action"),
    ("audit.f.outcome", "结果", "Outcome"),
    ("audit.f.from", "开始日期", "From"),
    ("audit.f.to", "结束日期", "To"),
    ("audit.all_events", "全部事件", "All events"),
];
