//! Identification codes: each type can only hold a valid value (parse, don't validate).

pub mod filing;
pub mod phone;
pub mod resident_id;
pub mod uscc;

pub use filing::{FilingNumber, FilingNumberError};
pub use phone::{Phone, PhoneError};
pub use resident_id::{ResidentId, ResidentIdError};
pub use uscc::{Uscc, UsccError};

/// Masks the middle of a personal number for roles that do not need the full value
/// (PIPL): `13812348000` → `138****8000`.
pub fn mask_middle(s: &str, keep_head: usize, keep_tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= keep_head + keep_tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..keep_head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - keep_head - keep_tail));
    out.extend(&chars[chars.len() - keep_tail..]);
    out
}
