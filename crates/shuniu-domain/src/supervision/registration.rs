//! What the registration authority 登记管理机关 checks when it registers: who the
//! authority is, that the code's division is its own, that a foundation registers high
//! enough, and how a name clash is told. (Name uniqueness itself is a unique index in
//! the store, so two racing registrations cannot both take a name.)

use crate::codes::Uscc;
use crate::jurisdiction::Level;
use crate::registry::{LegalForm, OrganizationData};
use crate::{FieldError, FieldErrors, Lang};

use super::Refusal;

/// The path of the registration authority of an organization of `form` recorded at the
/// node `org_path`: a filed organization is filed with its street; a foundation is
/// registered by the city (or the province, when recorded there); any other registered
/// organization by its district (or the city / province it is recorded at). Paths are
/// materialised (`320000/320100/320102/`).
pub fn authority_path(form: LegalForm, org_path: &str) -> String {
    let parts: Vec<&str> = org_path.trim_end_matches('/').split('/').collect();
    let depth = match form {
        // Province, city, district, street.
        LegalForm::CommunityFiled => 4,
        LegalForm::Foundation => 2,
        _ => 3,
    };
    let keep = parts.len().min(depth);
    let mut out = String::new();
    for p in &parts[..keep] {
        out.push_str(p);
        out.push('/');
    }
    out
}

/// The levels at which an authority may register (or file) an organization of `form`.
pub fn registering_levels(form: LegalForm) -> &'static [Level] {
    match form {
        LegalForm::Foundation => &[Level::Province, Level::City],
        LegalForm::CommunityFiled => &[Level::Street],
        LegalForm::SocialGroup | LegalForm::SocialServiceInstitution => {
            &[Level::Province, Level::City, Level::District]
        }
    }
}

/// Foundations register at city or province level (and filed organizations with a
/// street; others with a district or above).
pub fn check_level(form: LegalForm, authority_level: Level) -> Result<(), Refusal> {
    if registering_levels(form).contains(&authority_level) {
        return Ok(());
    }
    let levels = |lang: Lang| {
        registering_levels(form)
            .iter()
            .map(|l| l.label(lang))
            .collect::<Vec<_>>()
    };
    Err(Refusal::new(
        "registration_level",
        format!(
            "{}应由{}级登记管理机关登记，不能由{}级登记",
            form.label(Lang::Zh),
            levels(Lang::Zh).join("或"),
            authority_level.label(Lang::Zh)
        ),
        format!(
            "a {} registers with a {} authority, not a {} one",
            form.label(Lang::En).to_lowercase(),
            levels(Lang::En).join(" or ").to_lowercase(),
            authority_level.label(Lang::En).to_lowercase()
        ),
    ))
}

/// The 6-digit code of the authority node, or the district code of a street's path.
fn six_digit_code(authority_path: &str) -> Option<&str> {
    authority_path
        .trim_end_matches('/')
        .split('/')
        .rfind(|c| c.len() == 6)
}

/// Characters 3–8 of a USCC are the division code of the registering authority: it
/// must lie in the authority's area (GB/T 2260 prefixes: a district's own code, a
/// city's four digits, a province's two). Checked at registration: a record that moved
/// later keeps its code.
pub fn check_uscc_division(uscc: &Uscc, authority_path: &str) -> Result<(), Refusal> {
    let division = uscc.division();
    let Some(code) = six_digit_code(authority_path) else {
        return Ok(());
    };
    let prefix = if code.ends_with("0000") {
        &code[..2]
    } else if code.ends_with("00") {
        &code[..4]
    } else {
        code
    };
    if division.starts_with(prefix) {
        Ok(())
    } else {
        Err(Refusal::new(
            "uscc_division",
            format!(
                "统一社会信用代码第3–8位（{division}）不属于登记管理机关所在行政区划（{code}）"
            ),
            format!(
                "characters 3–8 of the code ({division}) are not within the registering authority's area ({code})"
            ),
        ))
    }
}

/// The rules of a new registration, every failure on the field it concerns.
/// `authority_level` and `authority_path` describe the authority [`authority_path`] names.
pub fn check_registration(
    data: &OrganizationData,
    authority_level: Level,
    authority_path: &str,
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if let Err(r) = check_level(data.legal_form, authority_level) {
        e.add("jurisdiction", r.field_error());
    }
    if let Some(u) = &data.uscc
        && let Err(r) = check_uscc_division(u, authority_path)
    {
        e.add("uscc", r.field_error());
    }
    if e.is_empty() { Ok(()) } else { Err(e) }
}

/// The message for a name another live organization of the same authority holds.
pub fn name_taken(holder_name: &str, holder_code: &str) -> FieldError {
    FieldError::new(
        format!("同一登记管理机关已登记同名组织：{holder_name}（{holder_code}）"),
        format!(
            "the same registration authority already registers an organization of this name: {holder_name} ({holder_code})"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supervision::testkit::org;

    use crate::test_paths::MEIYUAN;

    #[test]
    fn the_authority_follows_the_legal_form() {
        assert_eq!(
            authority_path(LegalForm::SocialGroup, MEIYUAN),
            "320000/320100/320102/"
        );
        assert_eq!(authority_path(LegalForm::CommunityFiled, MEIYUAN), MEIYUAN);
        assert_eq!(
            authority_path(
                LegalForm::CommunityFiled,
                "320000/320100/320102/320102002000/320102002001/"
            ),
            MEIYUAN
        );
        assert_eq!(
            authority_path(LegalForm::Foundation, MEIYUAN),
            "320000/320100/"
        );
        assert_eq!(authority_path(LegalForm::Foundation, "320000/"), "320000/");
        assert_eq!(
            authority_path(LegalForm::SocialGroup, "320000/320100/"),
            "320000/320100/"
        );
    }

    #[test]
    fn foundations_register_at_city_or_province_level() {
        assert!(check_level(LegalForm::Foundation, Level::City).is_ok());
        assert!(check_level(LegalForm::Foundation, Level::Province).is_ok());
        let r = check_level(LegalForm::Foundation, Level::District).unwrap_err();
        assert_eq!(r.rule, "registration_level");
        assert!(r.en.contains("province or city"), "{}", r.en);
        assert!(check_level(LegalForm::SocialGroup, Level::District).is_ok());
        assert!(check_level(LegalForm::SocialGroup, Level::Street).is_err());
        assert!(check_level(LegalForm::CommunityFiled, Level::Street).is_ok());
    }

    #[test]
    fn the_code_must_carry_the_authoritys_division() {
        let xuanwu = Uscc::assemble('5', '2', "320102", "MJ5000A1").unwrap();
        let gulou = Uscc::assemble('5', '2', "320106", "MJ5000A1").unwrap();
        let nanjing = Uscc::assemble('5', '3', "320100", "MJ5000A1").unwrap();
        let district = "320000/320100/320102/";
        assert!(check_uscc_division(&xuanwu, district).is_ok());
        let r = check_uscc_division(&gulou, district).unwrap_err();
        assert_eq!(r.rule, "uscc_division");
        assert!(r.zh.contains("320106"));
        // A city authority: any code of the city.
        assert!(check_uscc_division(&nanjing, "320000/320100/").is_ok());
        assert!(check_uscc_division(&xuanwu, "320000/320100/").is_ok());
        assert!(check_uscc_division(&xuanwu, "320000/").is_ok());
        let beijing = Uscc::assemble('5', '1', "110105", "MJ5000A1").unwrap();
        assert!(check_uscc_division(&beijing, "320000/").is_err());
    }

    #[test]
    fn a_registration_is_checked_field_by_field() {
        let mut o = org();
        assert!(check_registration(&o, Level::District, "320000/320100/320102/").is_ok());
        o.uscc = Some(Uscc::assemble('5', '2', "320106", "MJ5000A1").unwrap());
        let e = check_registration(&o, Level::District, "320000/320100/320102/").unwrap_err();
        assert!(e.get("uscc").is_some());
        o.legal_form = LegalForm::Foundation;
        let e = check_registration(&o, Level::District, "320000/320100/320102/").unwrap_err();
        assert!(e.get("jurisdiction").is_some());
        assert!(
            name_taken("某中心", "52320102MJ5000A1X")
                .en
                .contains("某中心")
        );
    }
}
