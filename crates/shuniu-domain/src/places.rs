//! Places a resident knows (issue 12, item 3): roads, residential compounds 小区,
//! landmarks and the names of communities, each under its jurisdiction
//! node; a typed fragment is looked up by its character bigrams. Pure: the grams of a
//! name, the check of a typed fragment, and how near a place is to the resident's
//! community (same community, same street, same district).

use crate::jurisdiction::path_within;
use crate::{FieldError, FieldErrors};

/// What kind of place a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceNameKind {
    Road,
    Compound,
    Landmark,
    Community,
}

impl PlaceNameKind {
    pub const ALL: [PlaceNameKind; 4] = [
        PlaceNameKind::Road,
        PlaceNameKind::Compound,
        PlaceNameKind::Landmark,
        PlaceNameKind::Community,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceNameKind::Road => "road",
            PlaceNameKind::Compound => "compound",
            PlaceNameKind::Landmark => "landmark",
            PlaceNameKind::Community => "community",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The most characters a typed fragment may have.
pub const MAX_QUERY_CHARS: usize = 40;

/// The distinct two-character grams of `s` (lowercased, spaces dropped), in order of
/// first appearance; empty for fewer than two characters.
pub fn bigrams(s: &str) -> Vec<String> {
    let chars: Vec<char> = normalize(s).chars().collect();
    let mut out: Vec<String> = Vec::new();
    for w in chars.windows(2) {
        let g: String = w.iter().collect();
        if !out.contains(&g) {
            out.push(g);
        }
    }
    out
}

/// A name or fragment as it is compared: lowercase, without white space.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The typed fragment, checked: not empty, at most [`MAX_QUERY_CHARS`] characters.
pub fn parse_query(q: Option<&str>) -> Result<String, FieldErrors> {
    let q = normalize(q.unwrap_or(""));
    let count = q.chars().count();
    if count == 0 {
        return Err(FieldErrors::single("q", FieldError::required()));
    }
    if count > MAX_QUERY_CHARS {
        return Err(FieldErrors::single(
            "q",
            FieldError::new("最多 40 个字", "at most 40 characters"),
        ));
    }
    Ok(q)
}

/// The field error for a code that is not a community.
pub fn not_a_community() -> FieldError {
    FieldError::new("请选择一个社区", "choose a community")
}

/// How near a place is to the resident's community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Nearness {
    SameCommunity,
    SameStreet,
    SameDistrict,
}

impl Nearness {
    pub fn as_str(self) -> &'static str {
        match self {
            Nearness::SameCommunity => "same_community",
            Nearness::SameStreet => "same_street",
            Nearness::SameDistrict => "same_district",
        }
    }

    /// The rank the database sorts by (0 nearest).
    pub fn from_rank(rank: i64) -> Option<Self> {
        match rank {
            0 => Some(Nearness::SameCommunity),
            1 => Some(Nearness::SameStreet),
            2 => Some(Nearness::SameDistrict),
            _ => None,
        }
    }

    /// How near `path` is to the community at `home` (both materialised paths).
    pub fn of(path: &str, home: &str) -> Option<Self> {
        let scopes = near_scopes(home);
        if path_within(path, &scopes.community) {
            Some(Nearness::SameCommunity)
        } else if path_within(path, &scopes.street) {
            Some(Nearness::SameStreet)
        } else if path_within(path, &scopes.district) {
            Some(Nearness::SameDistrict)
        } else {
            None
        }
    }
}

/// The three subtrees a resident's community sits in, nearest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearScopes {
    pub community: String,
    pub street: String,
    pub district: String,
}

/// The community path `home`, its street's and its district's (a street or district
/// given as `home` stands for its own community/street scope).
pub fn near_scopes(home: &str) -> NearScopes {
    let parts: Vec<&str> = home.trim_end_matches('/').split('/').collect();
    let upto = |n: usize| format!("{}/", parts[..n.min(parts.len())].join("/"));
    NearScopes {
        community: home.to_string(),
        street: upto(4),
        district: upto(3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_of_a_name() {
        assert_eq!(bigrams("珠江路"), vec!["珠江", "江路"]);
        assert_eq!(bigrams("锁"), Vec::<String>::new());
        assert_eq!(bigrams("梅园 新村"), vec!["梅园", "园新", "新村"]);
        assert_eq!(bigrams("啊啊啊"), vec!["啊啊"]);
    }

    #[test]
    fn nearness_by_path() {
        let home = "320000/320100/320102/320102002000/320102002001/";
        assert_eq!(Nearness::of(home, home), Some(Nearness::SameCommunity));
        assert_eq!(
            Nearness::of("320000/320100/320102/320102002000/320102002002/", home),
            Some(Nearness::SameStreet)
        );
        assert_eq!(
            Nearness::of("320000/320100/320102/320102002000/", home),
            Some(Nearness::SameStreet)
        );
        assert_eq!(
            Nearness::of("320000/320100/320102/320102003000/", home),
            Some(Nearness::SameDistrict)
        );
        assert_eq!(Nearness::of("320000/320100/320104/", home), None);
    }

    #[test]
    fn fragments_are_checked() {
        assert!(parse_query(None).is_err());
        assert!(parse_query(Some("  ")).is_err());
        assert!(parse_query(Some(&"路".repeat(41))).is_err());
        assert_eq!(parse_query(Some(" 珠江 ")).unwrap(), "珠江");
    }
}
