//! The interface words of assessment 评估 and grades: key, Chinese, English.

#[rustfmt::skip]
pub static MESSAGES: &[(&str, &str, &str)] = &[
    ("nav.assessment", "等级评估", "Assessment"),
];
