//! The registry of social organizations 社会组织登记备案: the core record and its rules.

use crate::jurisdiction::bad_code_error;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::codes::{FilingNumber, Phone, Uscc, UsccError};
use crate::jurisdiction::JurisdictionCode;
use crate::{FieldError, FieldErrors, Lang};

/// Declares a closed set of codes with their Chinese and English labels.
macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s.trim() { $($code => Some($name::$variant),)+ _ => None }
            }
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($zh, $en)),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use labelled_enum;

labelled_enum!(
    /// Legal form under civil-affairs registration.
    LegalForm {
        SocialGroup = "social_group", "社会团体", "Social group";
        SocialServiceInstitution = "social_service_institution", "民办非企业单位（社会服务机构）", "Social service institution";
        Foundation = "foundation", "基金会", "Foundation";
        CommunityFiled = "community_filed", "社区社会组织（备案）", "Community organization (filed)";
    }
);

impl LegalForm {
    /// The USCC type character (2nd) that civil affairs issues for this form.
    pub fn uscc_kind(self) -> Option<char> {
        match self {
            LegalForm::SocialGroup => Some('1'),
            LegalForm::SocialServiceInstitution => Some('2'),
            LegalForm::Foundation => Some('3'),
            LegalForm::CommunityFiled => None,
        }
    }
}

labelled_enum!(
    /// Service domains; an organization has one or more.
    ServiceDomain {
        Elderly = "elderly", "助老", "Elderly care";
        Children = "children", "辅幼", "Child care";
        Disability = "disability", "助残", "Disability support";
        Employment = "employment", "就业创业", "Employment and entrepreneurship";
        Education = "education", "教育", "Education";
        CultureSports = "culture_sports", "文化体育", "Culture and sports";
        SocialAffairs = "social_affairs", "社会事务", "Social affairs";
        PublicWelfare = "public_welfare", "公益服务", "Public-welfare services";
        Academic = "academic", "学术交流", "Academic exchange";
        CharityRelief = "charity_relief", "慈善救助", "Charity relief";
        Environment = "environment", "环境保护", "Environmental protection";
        PublicSecurity = "public_security", "治安协勤", "Public-security assistance";
        Other = "other", "其他", "Other";
    }
);

impl ServiceDomain {
    /// Bit of this domain in a domain set stored as an integer mask.
    pub fn bit(self) -> i64 {
        1 << (ServiceDomain::ALL
            .iter()
            .position(|d| *d == self)
            .expect("in ALL") as i64)
    }
    pub fn from_mask(mask: i64) -> Vec<ServiceDomain> {
        ServiceDomain::ALL
            .iter()
            .copied()
            .filter(|d| mask & d.bit() != 0)
            .collect()
    }
    pub fn mask(domains: &[ServiceDomain]) -> i64 {
        domains.iter().fold(0, |m, d| m | d.bit())
    }
    /// Public-welfare (公益) domains: services to residents rather than to members.
    pub fn is_public_welfare(self) -> bool {
        !matches!(
            self,
            ServiceDomain::Academic | ServiceDomain::Other | ServiceDomain::CultureSports
        )
    }
}

labelled_enum!(
    /// Registration status. `Active` reads 已登记 for registered forms and 已备案 for filed ones.
    OrgStatus {
        Active = "active", "正常", "Active";
        Suspended = "suspended", "暂停活动", "Suspended";
        Deregistered = "deregistered", "已注销", "Deregistered";
    }
);

impl OrgStatus {
    pub fn label_for(self, form: LegalForm, lang: Lang) -> &'static str {
        match (self, form) {
            (OrgStatus::Active, LegalForm::CommunityFiled) => lang.pick("已备案", "Filed"),
            (OrgStatus::Active, _) => lang.pick("已登记", "Registered"),
            _ => self.label(lang),
        }
    }
}

labelled_enum!(
    /// Lifecycle stage; incubators serve the first two.
    Stage {
        Germination = "germination", "萌芽期", "Germination";
        StartUp = "start_up", "初创期", "Start-up";
        Growth = "growth", "成长期", "Growth";
        Mature = "mature", "成熟期", "Mature";
    }
);

labelled_enum!(
    /// Party organization of a social organization.
    PartyOrg {
        None = "none", "未建立", "None";
        OwnBranch = "own_branch", "单独建立党支部", "Own branch";
        JointBranch = "joint_branch", "联合党支部", "Joint branch";
    }
);

labelled_enum!(
    /// Assessment grade 评估等级 (MCA Order 39).
    Grade {
        A1 = "1A", "1A", "1A";
        A2 = "2A", "2A", "2A";
        A3 = "3A", "3A", "3A";
        A4 = "4A", "4A", "4A";
        A5 = "5A", "5A", "5A";
    }
);

impl Grade {
    /// A grade is valid for five years from its award.
    pub const VALID_YEARS: i32 = 5;
    pub fn stars(self) -> u8 {
        self as u8 + 1
    }
    pub fn expiry(awarded_on: NaiveDate) -> NaiveDate {
        add_years(awarded_on, Self::VALID_YEARS)
    }
}

/// Same day `years` later; 29 February falls back to 28 February.
pub fn add_years(d: NaiveDate, years: i32) -> NaiveDate {
    d.with_year(d.year() + years)
        .or_else(|| NaiveDate::from_ymd_opt(d.year() + years, d.month(), 28))
        .expect("28th exists in every month")
}

/// A validated organization record, ready to be stored. Identity, status and
/// timestamps live beside it in the stored record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganizationData {
    pub name: String,
    pub legal_form: LegalForm,
    pub uscc: Option<Uscc>,
    pub filing_number: Option<FilingNumber>,
    pub domains: Vec<ServiceDomain>,
    pub jurisdiction: JurisdictionCode,
    pub address: String,
    pub founded_on: NaiveDate,
    pub legal_representative: String,
    pub contact_phone: Option<Phone>,
    pub staff_full_time: u32,
    pub staff_part_time: u32,
    pub volunteers: u32,
    pub party_org: PartyOrg,
    pub party_members: u32,
    pub stage: Stage,
    pub grade: Option<Grade>,
    pub grade_awarded_on: Option<NaiveDate>,
    pub is_demo: bool,
}

impl OrganizationData {
    pub fn grade_expires_on(&self) -> Option<NaiveDate> {
        self.grade_awarded_on.map(Grade::expiry)
    }
    pub fn staff_total(&self) -> u32 {
        self.staff_full_time + self.staff_part_time
    }
    /// The fields a person edits, as strings — the inverse of [`OrganizationDraft::validate`].
    pub fn to_draft(&self) -> OrganizationDraft {
        OrganizationDraft {
            name: Some(self.name.clone()),
            legal_form: Some(self.legal_form.as_str().into()),
            uscc: self.uscc.as_ref().map(|u| u.to_string()),
            filing_number: self.filing_number.as_ref().map(|f| f.to_string()),
            domains: Some(
                self.domains
                    .iter()
                    .map(|d| d.as_str().to_string())
                    .collect(),
            ),
            jurisdiction: Some(self.jurisdiction.to_string()),
            address: Some(self.address.clone()),
            founded_on: Some(self.founded_on.to_string()),
            legal_representative: Some(self.legal_representative.clone()),
            contact_phone: self.contact_phone.as_ref().map(|p| p.to_string()),
            staff_full_time: Some(self.staff_full_time.to_string()),
            staff_part_time: Some(self.staff_part_time.to_string()),
            volunteers: Some(self.volunteers.to_string()),
            party_org: Some(self.party_org.as_str().into()),
            party_members: Some(self.party_members.to_string()),
            stage: Some(self.stage.as_str().into()),
            grade: self.grade.map(|g| g.as_str().into()),
            grade_awarded_on: self.grade_awarded_on.map(|d| d.to_string()),
        }
    }
}

/// What a person typed (form) or sent (API), every field as text. `None` and an
/// empty string both mean "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationDraft {
    pub name: Option<String>,
    pub legal_form: Option<String>,
    pub uscc: Option<String>,
    pub filing_number: Option<String>,
    pub domains: Option<Vec<String>>,
    pub jurisdiction: Option<String>,
    pub address: Option<String>,
    pub founded_on: Option<String>,
    pub legal_representative: Option<String>,
    pub contact_phone: Option<String>,
    pub staff_full_time: Option<String>,
    pub staff_part_time: Option<String>,
    pub volunteers: Option<String>,
    pub party_org: Option<String>,
    pub party_members: Option<String>,
    pub stage: Option<String>,
    pub grade: Option<String>,
    pub grade_awarded_on: Option<String>,
}

/// The draft's field names, in form order.
pub const ORGANIZATION_FIELDS: &[&str] = &[
    "name",
    "legal_form",
    "uscc",
    "filing_number",
    "domains",
    "jurisdiction",
    "address",
    "founded_on",
    "legal_representative",
    "contact_phone",
    "staff_full_time",
    "staff_part_time",
    "volunteers",
    "party_org",
    "party_members",
    "stage",
    "grade",
    "grade_awarded_on",
];

pub fn uscc_error_message(e: &UsccError) -> FieldError {
    match e {
        UsccError::Length(n) => FieldError::new(
            format!("统一社会信用代码应为18位，实为{n}位"),
            format!("must be 18 characters, got {n}"),
        ),
        UsccError::Charset { position, found } => FieldError::new(
            format!("第{position}位字符“{found}”不允许：只能是数字和除I、O、Z、S、V外的大写字母"),
            format!(
                "character {position} ('{found}') is not allowed: digits and capitals except I, O, Z, S, V"
            ),
        ),
        UsccError::Division => FieldError::new(
            "第3–8位应为6位行政区划代码",
            "characters 3–8 must be a 6-digit division code",
        ),
        UsccError::OrgCodeCheck { expected } => FieldError::new(
            format!("组织机构代码校验位（第17位）错误，应为“{expected}”"),
            format!("organization-code check character (17th) is wrong: expected '{expected}'"),
        ),
        UsccError::Check { expected } => FieldError::new(
            format!("校验码（第18位）错误，应为“{expected}”"),
            format!("check character (18th) is wrong: expected '{expected}'"),
        ),
    }
}

impl OrganizationDraft {
    /// Checks every field and every cross-field rule, collecting all problems.
    pub fn validate(&self, today: NaiveDate) -> Result<OrganizationData, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = parse_text(&mut e, "name", &self.name, 100, true);
        if !name.is_empty() && name.chars().count() < 2 {
            e.add(
                "name",
                FieldError::new("至少2个字", "must be at least 2 characters"),
            );
        }
        let forms: Vec<&str> = LegalForm::ALL.iter().map(|f| f.as_str()).collect();
        let legal_form = parse_choice(
            &mut e,
            "legal_form",
            &self.legal_form,
            LegalForm::parse,
            &forms,
        );
        if given(&self.legal_form).is_none() {
            e.add("legal_form", FieldError::required());
        }

        let uscc = match given(&self.uscc).map(Uscc::parse) {
            None => None,
            Some(Ok(u)) => Some(u),
            Some(Err(err)) => {
                e.add("uscc", uscc_error_message(&err));
                None
            }
        };
        let filing_number = match given(&self.filing_number).map(FilingNumber::parse) {
            None => None,
            Some(Ok(f)) => Some(f),
            Some(Err(_)) => {
                e.add(
                    "filing_number",
                    FieldError::new(
                        "备案编号格式应为 街道代码-年份-序号，如 320102002000-2011-0007",
                        "must look like 320102002000-2011-0007 (street code, year, 4-digit sequence)",
                    ),
                );
                None
            }
        };
        if let Some(form) = legal_form {
            match form.uscc_kind() {
                Some(kind) => {
                    if given(&self.uscc).is_none() {
                        e.add(
                            "uscc",
                            FieldError::new(
                                "登记的社会组织必须填写统一社会信用代码",
                                "is required for a registered organization",
                            ),
                        );
                    }
                    if let Some(u) = &uscc {
                        if u.authority() != '5' {
                            e.add("uscc", FieldError::new(
                                format!("登记管理机关代码（第1位）应为5（民政），实为{}", u.authority()),
                                format!("registration authority (1st character) must be 5 (civil affairs), got {}", u.authority()),
                            ));
                        } else if u.kind() != kind {
                            e.add(
                                "uscc",
                                FieldError::new(
                                    format!(
                                        "机构类别代码（第2位）应为{kind}（{}），实为{}",
                                        form.label(Lang::Zh),
                                        u.kind()
                                    ),
                                    format!(
                                        "type (2nd character) must be {kind} for a {}, got {}",
                                        form.label(Lang::En).to_lowercase(),
                                        u.kind()
                                    ),
                                ),
                            );
                        }
                    }
                    if given(&self.filing_number).is_some() {
                        e.add(
                            "filing_number",
                            FieldError::new(
                                "登记的社会组织不使用备案编号",
                                "is only for filed community organizations",
                            ),
                        );
                    }
                }
                None => {
                    if given(&self.filing_number).is_none() {
                        e.add(
                            "filing_number",
                            FieldError::new(
                                "备案的社区社会组织必须填写备案编号",
                                "is required for a filed community organization",
                            ),
                        );
                    }
                    if given(&self.uscc).is_some() {
                        e.add(
                            "uscc",
                            FieldError::new(
                                "备案的社区社会组织没有统一社会信用代码",
                                "a filed community organization has no USCC",
                            ),
                        );
                    }
                }
            }
        }

        let domain_codes: Vec<&str> = ServiceDomain::ALL.iter().map(|d| d.as_str()).collect();
        let mut domains = Vec::new();
        let raw_domains: Vec<&str> = self
            .domains
            .iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        for d in &raw_domains {
            match ServiceDomain::parse(d) {
                Some(d) if !domains.contains(&d) => domains.push(d),
                Some(_) => {}
                None => e.add(
                    "domains",
                    FieldError::new(
                        format!("“{d}”不是有效的服务领域，可选：{}", domain_codes.join("、")),
                        format!("'{d}' is not one of: {}", domain_codes.join(", ")),
                    ),
                ),
            }
        }
        if raw_domains.is_empty() {
            e.add(
                "domains",
                FieldError::new("至少选择一个服务领域", "choose at least one domain"),
            );
        }
        domains.sort();

        let jurisdiction = match given(&self.jurisdiction).map(JurisdictionCode::parse) {
            None => {
                e.add("jurisdiction", FieldError::required());
                None
            }
            Some(Ok(j)) => Some(j),
            Some(Err(_)) => {
                e.add("jurisdiction", bad_code_error());
                None
            }
        };
        // A filed organization is filed with a street: it sits in that street or one of
        // its communities (a community code shares the street's first 9 digits).
        if legal_form == Some(LegalForm::CommunityFiled)
            && let Some(j) = &jurisdiction
        {
            if j.as_str().len() != 12 {
                e.add(
                    "jurisdiction",
                    FieldError::new(
                        "备案的社区社会组织应属于街道或社区",
                        "a filed community organization belongs to a street or community",
                    ),
                );
            } else if let Some(f) = &filing_number
                && f.street_code() != format!("{}000", &j.as_str()[..9])
            {
                e.add(
                    "filing_number",
                    FieldError::new(
                        "备案编号中的街道代码与所属辖区不符",
                        "its street code does not match the jurisdiction",
                    ),
                );
            }
        }

        let address = parse_text(&mut e, "address", &self.address, 200, true);
        let founded_on = match given(&self.founded_on) {
            None => {
                e.add("founded_on", FieldError::required());
                None
            }
            Some(s) => parse_date(&mut e, "founded_on", s, today),
        };
        let legal_representative = parse_text(
            &mut e,
            "legal_representative",
            &self.legal_representative,
            50,
            true,
        );
        let contact_phone = match given(&self.contact_phone).map(Phone::parse) {
            None => None,
            Some(Ok(p)) => Some(p),
            Some(Err(_)) => {
                e.add("contact_phone", FieldError::new("应为手机号（1开头11位）或带区号的固定电话（如025-84123456）", "must be a mobile (11 digits starting 1[3-9]) or a landline with area code (025-84123456)"));
                None
            }
        };
        let staff_full_time = parse_count(&mut e, "staff_full_time", &self.staff_full_time);
        let staff_part_time = parse_count(&mut e, "staff_part_time", &self.staff_part_time);
        let volunteers = parse_count(&mut e, "volunteers", &self.volunteers);
        let party_codes: Vec<&str> = PartyOrg::ALL.iter().map(|d| d.as_str()).collect();
        let party_org = parse_choice(
            &mut e,
            "party_org",
            &self.party_org,
            PartyOrg::parse,
            &party_codes,
        )
        .unwrap_or(PartyOrg::None);
        let party_members = parse_count(&mut e, "party_members", &self.party_members);
        // A branch of its own needs at least three full party members (Party constitution art. 30).
        if party_org == PartyOrg::OwnBranch && party_members < 3 && e.get("party_members").is_none()
        {
            e.add(
                "party_members",
                FieldError::new(
                    "单独建立党支部需至少3名正式党员",
                    "an own branch needs at least 3 party members",
                ),
            );
        }
        let stage_codes: Vec<&str> = Stage::ALL.iter().map(|d| d.as_str()).collect();
        let stage = parse_choice(&mut e, "stage", &self.stage, Stage::parse, &stage_codes);
        if given(&self.stage).is_none() {
            e.add("stage", FieldError::required());
        }
        let grade_codes: Vec<&str> = Grade::ALL.iter().map(|d| d.as_str()).collect();
        let grade = parse_choice(
            &mut e,
            "grade",
            &self.grade,
            |s| Grade::parse(&s.to_ascii_uppercase()),
            &grade_codes,
        );
        let grade_awarded_on = given(&self.grade_awarded_on)
            .and_then(|s| parse_date(&mut e, "grade_awarded_on", s, today));
        if given(&self.grade).is_some() && given(&self.grade_awarded_on).is_none() {
            e.add(
                "grade_awarded_on",
                FieldError::new("有评估等级时必须填写评定日期", "is required with a grade"),
            );
        }
        if given(&self.grade).is_none() && given(&self.grade_awarded_on).is_some() {
            e.add(
                "grade",
                FieldError::new("填写了评定日期但没有等级", "is required with an award date"),
            );
        }
        // MCA Order 39: assessed only after two full years of registration.
        if let (Some(a), Some(f)) = (grade_awarded_on, founded_on)
            && a < add_years(f, 2)
        {
            e.add(
                "grade_awarded_on",
                FieldError::new(
                    "评估须在成立满两年之后",
                    "must be at least two full years after the founding date",
                ),
            );
        }
        if grade.is_some() && legal_form == Some(LegalForm::CommunityFiled) {
            e.add(
                "grade",
                FieldError::new(
                    "备案的社区社会组织不参加等级评估",
                    "filed community organizations are not graded",
                ),
            );
        }
        if let (Some(f), Some(d)) = (&filing_number, founded_on) {
            let year: i32 = f.as_str()[13..17]
                .parse()
                .expect("FilingNumber checked the year");
            if year < d.year() || year > today.year() {
                e.add(
                    "filing_number",
                    FieldError::new(
                        "备案年份应在成立年份与今年之间",
                        "its year must lie between the founding year and this year",
                    ),
                );
            }
        }

        if !e.is_empty() {
            return Err(e);
        }
        Ok(OrganizationData {
            name,
            legal_form: legal_form.expect("checked"),
            uscc,
            filing_number,
            domains,
            jurisdiction: jurisdiction.expect("checked"),
            address,
            founded_on: founded_on.expect("checked"),
            legal_representative,
            contact_phone,
            staff_full_time,
            staff_part_time,
            volunteers,
            party_org,
            party_members,
            stage: stage.expect("checked"),
            grade,
            grade_awarded_on,
            is_demo: false,
        })
    }

    /// Overlays the fields given in `patch` on this draft (a `PATCH`).
    pub fn merge(mut self, patch: OrganizationDraft) -> OrganizationDraft {
        macro_rules! take {
            ($($f:ident),+) => { $( if patch.$f.is_some() { self.$f = patch.$f; } )+ };
        }
        take!(
            name,
            legal_form,
            uscc,
            filing_number,
            domains,
            jurisdiction,
            address,
            founded_on,
            legal_representative,
            contact_phone,
            staff_full_time,
            staff_part_time,
            volunteers,
            party_org,
            party_members,
            stage,
            grade,
            grade_awarded_on
        );
        self
    }
}

mod fields;
mod status;
pub(crate) use fields::{
    codes, given, parse_choice, parse_count, parse_date, parse_note, parse_phone, parse_text,
    required_choice,
};
pub use status::{Organization, StatusChange};

#[cfg(test)]
mod tests;
