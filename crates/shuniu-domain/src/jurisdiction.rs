//! Administrative divisions: province → city → district → street → community.
//!
//! Codes follow GB/T 2260 (6 digits for province, city, district) and the 12-digit
//! statistical codes for streets and communities. Every node also carries a
//! materialised `path` (`320000/320100/320102/`) so that "this node and everything
//! below it" is one index range scan on any backend, and so that rows can be sharded
//! by the district prefix of their path.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    City,
    District,
    Street,
    Community,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Province,
        Level::City,
        Level::District,
        Level::Street,
        Level::Community,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::District => "district",
            Level::Street => "street",
            Level::Community => "community",
        }
    }
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
    pub fn child(self) -> Option<Level> {
        match self {
            Level::Province => Some(Level::City),
            Level::City => Some(Level::District),
            Level::District => Some(Level::Street),
            Level::Street => Some(Level::Community),
            Level::Community => None,
        }
    }
    pub fn label(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::*;
        match (self, lang) {
            (Level::Province, Zh) => "省",
            (Level::City, Zh) => "市",
            (Level::District, Zh) => "区",
            (Level::Street, Zh) => "街道",
            (Level::Community, Zh) => "社区",
            (Level::Province, En) => "Province",
            (Level::City, En) => "City",
            (Level::District, En) => "District",
            (Level::Street, En) => "Street",
            (Level::Community, En) => "Community",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JurisdictionCodeError {
    #[error("must be a 6-digit division code or a 12-digit street/community code")]
    Format,
}

/// A division code: 6 digits (province, city, district) or 12 digits (street, community).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct JurisdictionCode(String);

impl JurisdictionCode {
    pub fn parse(input: &str) -> Result<Self, JurisdictionCodeError> {
        let s = input.trim();
        if (s.len() == 6 || s.len() == 12) && s.bytes().all(|c| c.is_ascii_digit()) {
            Ok(JurisdictionCode(s.to_string()))
        } else {
            Err(JurisdictionCodeError::Format)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JurisdictionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for JurisdictionCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        JurisdictionCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A node of the jurisdiction tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jurisdiction {
    pub code: JurisdictionCode,
    pub name_zh: String,
    pub name_en: String,
    pub level: Level,
    pub parent: Option<JurisdictionCode>,
    /// `320000/320100/320102/` — ancestors' codes and its own, each followed by `/`.
    pub path: String,
}

impl Jurisdiction {
    pub fn name(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Zh => &self.name_zh,
            crate::Lang::En => &self.name_en,
        }
    }
    /// The district code this node falls in (its own code above district level): the
    /// shard key of everything filed under it.
    pub fn shard_key(&self) -> &str {
        shard_key_of_path(&self.path)
    }
    /// Half-open range `[lo, hi)` of the paths of this node's subtree.
    pub fn subtree_range(&self) -> (String, String) {
        subtree_range(&self.path)
    }
}

/// `[path, path with its last '/' replaced by '0')`: '0' is the character after '/'.
pub fn subtree_range(path: &str) -> (String, String) {
    let hi = format!("{}0", path.strip_suffix('/').unwrap_or(path));
    (path.to_string(), hi)
}

/// Whether `path` lies in the subtree rooted at `scope` (both materialised paths).
pub fn path_within(path: &str, scope: &str) -> bool {
    let (lo, hi) = subtree_range(scope);
    path >= lo.as_str() && path < hi.as_str()
}

/// The path of the district `path` falls in: its first three nodes (the whole path
/// above district level), e.g. `320000/320100/320102/`.
pub fn district_path(path: &str) -> String {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').take(3).collect();
    format!("{}/", parts.join("/"))
}

/// The path of the street `path` falls in: its first four nodes (the whole path above
/// street level), e.g. `320000/320100/320102/320102002000/`. Where residents' requests
/// and complaints are handled.
pub fn street_path(path: &str) -> String {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').take(4).collect();
    format!("{}/", parts.join("/"))
}

/// The field error for text that is not a division code.
pub fn bad_code_error() -> crate::FieldError {
    crate::FieldError::new(
        "应为6位或12位行政区划代码",
        "must be a 6- or 12-digit division code",
    )
}

/// The shard key of a path: its district's code (the third segment), or for a node
/// above district level its own code.
pub fn shard_key_of_path(path: &str) -> &str {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    parts.get(2).or(parts.last()).copied().unwrap_or("")
}

/// The district (its code, the shard key) a subtree at district level or below lies
/// wholly in; `None` for a province or city, which span districts.
pub fn district_of_path(path: &str) -> Option<&str> {
    (path.trim_end_matches('/').split('/').count() >= 3).then(|| shard_key_of_path(path))
}

/// Builds a child node of `parent`, checking that its level fits.
pub fn child_of(
    parent: &Jurisdiction,
    code: JurisdictionCode,
    name_zh: &str,
    name_en: &str,
) -> Result<Jurisdiction, &'static str> {
    let level = parent.level.child().ok_or("a community has no children")?;
    let wants_12 = matches!(level, Level::Street | Level::Community);
    if wants_12 != (code.as_str().len() == 12) {
        return Err("streets and communities take 12-digit codes, other levels 6 digits");
    }
    Ok(Jurisdiction {
        path: format!("{}{}/", parent.path, code.as_str()),
        parent: Some(parent.code.clone()),
        code,
        name_zh: name_zh.to_string(),
        name_en: name_en.to_string(),
        level,
    })
}

/// The reference tree of DOMAIN.md §4: Jiangsu, Nanjing, its 11 districts, Xuanwu's 7 streets.
pub fn reference_tree() -> Vec<Jurisdiction> {
    let node = |code: &str, zh: &str, en: &str, level: Level, parent: Option<&Jurisdiction>| {
        let code = JurisdictionCode::parse(code).expect("reference codes are valid");
        Jurisdiction {
            path: format!(
                "{}{}/",
                parent.map(|p| p.path.as_str()).unwrap_or(""),
                code.as_str()
            ),
            parent: parent.map(|p| p.code.clone()),
            code,
            name_zh: zh.to_string(),
            name_en: en.to_string(),
            level,
        }
    };
    let jiangsu = node(
        "320000",
        "江苏省",
        "Jiangsu Province",
        Level::Province,
        None,
    );
    let nanjing = node("320100", "南京市", "Nanjing", Level::City, Some(&jiangsu));
    let mut out = vec![jiangsu.clone(), nanjing.clone()];
    let districts = [
        ("320102", "玄武区", "Xuanwu District"),
        ("320104", "秦淮区", "Qinhuai District"),
        ("320105", "建邺区", "Jianye District"),
        ("320106", "鼓楼区", "Gulou District"),
        ("320111", "浦口区", "Pukou District"),
        ("320113", "栖霞区", "Qixia District"),
        ("320114", "雨花台区", "Yuhuatai District"),
        ("320115", "江宁区", "Jiangning District"),
        ("320116", "六合区", "Luhe District"),
        ("320117", "溧水区", "Lishui District"),
        ("320118", "高淳区", "Gaochun District"),
    ];
    for (code, zh, en) in districts {
        out.push(node(code, zh, en, Level::District, Some(&nanjing)));
    }
    let xuanwu = out[2].clone();
    for (code, zh, en) in XUANWU_STREETS {
        out.push(node(code, zh, en, Level::Street, Some(&xuanwu)));
    }
    out
}

/// Xuanwu district's seven streets (12-digit statistical codes).
pub const XUANWU_STREETS: [(&str, &str, &str); 7] = [
    ("320102002000", "梅园新村街道", "Meiyuan Xincun Street"),
    ("320102003000", "新街口街道", "Xinjiekou Street"),
    ("320102005000", "玄武门街道", "Xuanwumen Street"),
    ("320102007000", "锁金村街道", "Suojincun Street"),
    ("320102008000", "红山街道", "Hongshan Street"),
    ("320102009000", "孝陵卫街道", "Xiaolingwei Street"),
    ("320102010000", "玄武湖街道", "Xuanwuhu Street"),
];

#[cfg(test)]
mod tests {
    #[test]
    fn a_subtree_lies_in_a_district_from_district_level_down() {
        use super::district_of_path;
        assert_eq!(district_of_path("320000/"), None);
        assert_eq!(district_of_path("320000/320100/"), None);
        assert_eq!(district_of_path("320000/320100/320102/"), Some("320102"));
        assert_eq!(
            district_of_path("320000/320100/320102/320102002000/"),
            Some("320102")
        );
        assert_eq!(
            district_of_path("320000/320100/320102/320102002000/320102002001/"),
            Some("320102")
        );
    }

    #[test]
    fn the_district_of_a_path() {
        assert_eq!(
            district_path("320000/320100/320102/320102002000/"),
            "320000/320100/320102/"
        );
        assert_eq!(
            district_path("320000/320100/320102/"),
            "320000/320100/320102/"
        );
        assert_eq!(district_path("320000/"), "320000/");
    }

    use super::*;

    #[test]
    fn reference_tree_shape() {
        let t = reference_tree();
        assert_eq!(t.len(), 2 + 11 + 7);
        assert_eq!(t.iter().filter(|j| j.level == Level::District).count(), 11);
        let meiyuan = t
            .iter()
            .find(|j| j.code.as_str() == "320102002000")
            .unwrap();
        assert_eq!(meiyuan.path, "320000/320100/320102/320102002000/");
        assert_eq!(meiyuan.shard_key(), "320102");
        assert_eq!(t[0].shard_key(), "320000");
        let xuanwu = &t[2];
        let (lo, hi) = xuanwu.subtree_range();
        assert!(meiyuan.path >= lo && meiyuan.path < hi);
        let qinhuai = &t[3];
        assert!(!(qinhuai.path >= lo && qinhuai.path < hi));
    }

    #[test]
    fn child_levels() {
        let t = reference_tree();
        let street = t.last().unwrap();
        let c = child_of(
            street,
            JurisdictionCode::parse("320102010001").unwrap(),
            "某社区",
            "Some Community",
        )
        .unwrap();
        assert_eq!(c.level, Level::Community);
        assert!(child_of(street, JurisdictionCode::parse("320102").unwrap(), "x", "x").is_err());
        assert!(
            child_of(
                &c,
                JurisdictionCode::parse("320102010002").unwrap(),
                "x",
                "x"
            )
            .is_err()
        );
        assert!(JurisdictionCode::parse("32010").is_err());
    }
}
