//! Property tests of the identification codes: generated valid codes parse, and every
//! single-character change of a valid code is caught.

use proptest::prelude::*;
use shuniu_domain::codes::resident_id::resident_id_check;
use shuniu_domain::codes::uscc::{USCC_CHARSET, org_code_check, uscc_check};
use shuniu_domain::codes::{FilingNumber, Phone, ResidentId, Uscc, UsccError};
use shuniu_domain::money::Fen;

fn charset_char() -> impl Strategy<Value = char> {
    proptest::sample::select(USCC_CHARSET.chars().collect::<Vec<_>>())
}

/// Any valid USCC: authority and type from the charset, a 6-digit division, an 8-char
/// organization-code body, both checks computed.
fn valid_uscc() -> impl Strategy<Value = Uscc> {
    (
        charset_char(),
        charset_char(),
        "[0-9]{6}",
        proptest::collection::vec(charset_char(), 8),
    )
        .prop_filter_map(
            "org-code check must be in the USCC charset",
            |(a, k, div, body)| {
                let body: String = body.into_iter().collect();
                Uscc::assemble(a, k, &div, &body).ok()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_usccs_round_trip(u in valid_uscc()) {
        let s = u.as_str();
        prop_assert_eq!(s.len(), 18);
        prop_assert_eq!(Uscc::parse(s).unwrap(), u.clone());
        prop_assert_eq!(Uscc::parse(&s.to_lowercase()).unwrap(), u.clone());
        prop_assert_eq!(uscc_check(&s[..17]), s.chars().nth(17));
        prop_assert_eq!(org_code_check(&s[8..16]), s.chars().nth(16));
    }

    #[test]
    fn any_single_character_change_is_caught(u in valid_uscc(), pos in 0usize..18, replacement in any::<char>()) {
        let mut chars: Vec<char> = u.as_str().chars().collect();
        prop_assume!(chars[pos] != replacement && !replacement.is_whitespace());
        prop_assume!(chars[pos] != replacement.to_ascii_uppercase());
        chars[pos] = replacement;
        let changed: String = chars.into_iter().collect();
        // The 18th character checks all 17 before it and the 17th checks 9–16, so no
        // single change can yield a valid code.
        match Uscc::parse(&changed) {
            Ok(v) => prop_assert!(false, "change at {} accepted: {} (from {})", pos + 1, v, u),
            Err(UsccError::Check { expected }) => {
                prop_assert_eq!(Some(expected), uscc_check(&changed.to_ascii_uppercase()[..17]));
            }
            Err(_) => {}
        }
    }

    #[test]
    fn uscc_parse_never_panics(s in "\\PC{0,30}") {
        let _ = Uscc::parse(&s);
        let _ = ResidentId::parse(&s);
        let _ = Phone::parse(&s);
        let _ = FilingNumber::parse(&s);
        let _ = Fen::parse_yuan(&s);
    }

    #[test]
    fn resident_ids_catch_single_digit_changes(body in "[0-9]{17}", pos in 0usize..17, d in 0u8..10) {
        let id = format!("{body}{}", resident_id_check(&body).unwrap());
        prop_assert!(ResidentId::parse(&id).is_ok());
        let mut b: Vec<u8> = id.into_bytes();
        prop_assume!(b[pos] != b'0' + d);
        b[pos] = b'0' + d;
        prop_assert!(ResidentId::parse(&String::from_utf8(b).unwrap()).is_err());
    }

    #[test]
    fn mobiles_parse_and_mask(rest in "[3-9][0-9]{9}") {
        let n = format!("1{rest}");
        let p = Phone::parse(&format!("+86 {n}")).unwrap();
        prop_assert_eq!(p.as_str(), n.as_str());
        let m = p.masked();
        prop_assert_eq!(&m[..3], &n[..3]);
        prop_assert_eq!(&m[3..7], "****");
        prop_assert_eq!(&m[7..], &n[7..]);
    }

    #[test]
    fn money_display_parses_back(fen in -10_000_000_000i64..10_000_000_000) {
        let f = Fen(fen);
        prop_assert_eq!(Fen::parse_yuan(&f.to_string().replace("-¥", "-")), Some(f));
    }
}
