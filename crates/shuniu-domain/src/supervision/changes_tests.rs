use super::*;
use crate::supervision::testkit::{org, today};

fn extras() -> RegistrationExtras {
    RegistrationExtras {
        business_scope: "心理咨询、居家养老服务".into(),
        competent_unit: None,
        registered_capital: Some(Fen::yuan(30_000)),
    }
}

fn change(pairs: &[(&str, &str)]) -> ChangeDraft {
    ChangeDraft {
        changes: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        attachments: vec!["理事会决议".into()],
        note: None,
    }
}

use crate::test_paths::{MEIYUAN, XUANWU};

fn actor(role: Role, path: Option<&str>, org: Option<Uuid>) -> Actor {
    Actor {
        user_id: Uuid::nil(),
        username: "u".into(),
        role,
        jurisdiction_path: path.map(String::from),
        organization_id: org,
    }
}

#[test]
fn every_field_of_the_record_has_a_class() {
    for f in crate::registry::ORGANIZATION_FIELDS {
        assert!(field_class(f).is_some(), "{f} has no class");
    }
    for f in RegisteredField::ALL {
        assert_eq!(field_class(f.as_str()), Some(FieldClass::Registered));
    }
    assert!(self_declared_fields().any(|f| f == "website"));
}

#[test]
fn a_direct_edit_may_not_touch_registered_facts_or_grades() {
    let e = direct_edit_refusals(["name", "grade", "volunteers", "status", "party_org"]);
    assert!(e.get("name").unwrap().en.contains("change application"));
    assert!(e.get("grade").unwrap().en.contains("assessment"));
    assert!(e.get("status").is_some());
    assert!(e.get("volunteers").is_none() && e.get("party_org").is_none());
    assert!(direct_edit_refusals(["contact_phone", "introduction"]).is_empty());
}

#[test]
fn an_application_records_old_and_new_values() {
    let r = change(&[
        ("legal_representative", "李四"),
        ("registered_capital", "50000"),
        ("business_scope", "心理咨询、居家养老、社区助餐"),
    ])
    .validate(&org(), &extras(), today())
    .unwrap();
    assert_eq!(r.changes.len(), 3);
    let cap = r
        .changes
        .iter()
        .find(|c| c.field == RegisteredField::RegisteredCapital)
        .unwrap();
    assert_eq!((cap.from.as_str(), cap.to.as_str()), ("3000000", "5000000"));
    let (after, ex) = apply_changes(&org(), &extras(), &r.changes, today()).unwrap();
    assert_eq!(after.legal_representative, "李四");
    assert_eq!(ex.registered_capital, Some(Fen::yuan(50_000)));
    assert_eq!(after.uscc, org().uscc);
}

#[test]
fn bad_applications_name_every_problem() {
    let mut d = change(&[
        ("name", "一家圆"),
        ("grade", "5A"),
        ("volunteers", "9"),
        ("founded_on", "2099-01-01"),
        ("registered_capital", "12.345"),
    ]);
    d.attachments = vec![" ".into()];
    let e = d.validate(&org(), &extras(), today()).unwrap_err();
    for f in [
        "grade",
        "volunteers",
        "founded_on",
        "registered_capital",
        "attachments",
    ] {
        assert!(e.get(f).is_some(), "{f}: {e}");
    }
    assert!(e.get("volunteers").unwrap().en.contains("self-declared"));
    // Unchanged values are not a change.
    let e = change(&[("name", "南京玄武一家圆心灵保姆服务中心")])
        .validate(&org(), &extras(), today())
        .unwrap_err();
    assert!(e.get("name").unwrap().en.contains("same"));
    assert!(change(&[]).validate(&org(), &extras(), today()).is_err());
}

#[test]
fn the_record_after_the_change_must_still_hold_together() {
    // A foundation needs a type-3 code: changing the form alone is refused.
    let e = change(&[("legal_form", "foundation")])
        .validate(&org(), &extras(), today())
        .unwrap_err();
    assert!(e.get("uscc").is_some(), "{e}");
}

#[test]
fn approval_refuses_stale_applications() {
    let r = change(&[("address", "梅园新村36号")])
        .validate(&org(), &extras(), today())
        .unwrap();
    let mut moved = org();
    moved.address = "长江路1号".into();
    assert_eq!(
        apply_changes(&moved, &extras(), &r.changes, today()).unwrap_err(),
        ApplyError::Stale {
            field: RegisteredField::Address
        }
    );
}

#[test]
fn every_outcome_is_final() {
    for a in ChangeAction::ALL {
        assert!(a.apply(ChangeStatus::Submitted).is_some());
        for s in [
            ChangeStatus::Approved,
            ChangeStatus::Returned,
            ChangeStatus::Withdrawn,
        ] {
            assert_eq!(a.apply(s), None);
        }
    }
    assert!(ChangeDecision::parse(Some("return"), Some(" ")).is_err());
    assert!(ChangeDecision::parse(Some("approve"), None).is_ok());
    assert!(ChangeDecision::parse(Some("grant"), None).is_err());
}

#[test]
fn only_the_authoritys_own_official_decides() {
    let id = Uuid::now_v7();
    let xuanwu = actor(Role::Official, Some(XUANWU), None);
    let street = actor(Role::Official, Some(MEIYUAN), None);
    let city = actor(Role::Official, Some("320000/320100/"), None);
    let admin = actor(Role::Admin, None, None);
    let member = actor(Role::OrgMember, None, Some(id));
    for (a, ok) in [
        (&xuanwu, true),
        (&street, false),
        (&city, false),
        (&admin, false),
        (&member, false),
    ] {
        for act in [ChangeAction::Approve, ChangeAction::Return] {
            assert_eq!(
                may_decide(Some(a), act, XUANWU, id, MEIYUAN).is_allowed(),
                ok,
                "{:?} {act:?}",
                a.role
            );
        }
    }
    assert!(may_decide(Some(&member), ChangeAction::Withdraw, XUANWU, id, MEIYUAN).is_allowed());
    assert!(may_submit(Some(&member), id, MEIYUAN).is_allowed());
    assert!(may_submit(Some(&street), id, MEIYUAN).is_allowed());
    assert!(!may_submit(Some(&admin), id, MEIYUAN).is_allowed());
    assert_eq!(may_submit(None, id, MEIYUAN), Decision::Login);
    let other = actor(Role::OrgMember, None, Some(Uuid::now_v7()));
    assert!(!may_submit(Some(&other), id, MEIYUAN).is_allowed());
}

#[test]
fn the_organization_its_officials_and_admins_read_its_applications() {
    let id = Uuid::now_v7();
    let xuanwu = actor(Role::Official, Some(XUANWU), None);
    let qinhuai = actor(Role::Official, Some("320000/320100/320104/"), None);
    let admin = actor(Role::Admin, None, None);
    let member = actor(Role::OrgMember, None, Some(id));
    let other = actor(Role::OrgMember, None, Some(Uuid::now_v7()));
    let expert = actor(Role::Expert, None, None);
    assert_eq!(may_read(None, id, MEIYUAN), Decision::Login);
    for a in [&xuanwu, &admin, &member] {
        assert!(may_read(Some(a), id, MEIYUAN).is_allowed(), "{:?}", a.role);
    }
    for a in [&qinhuai, &other, &expert] {
        assert_eq!(
            may_read(Some(a), id, MEIYUAN),
            Decision::Hidden,
            "{:?}",
            a.role
        );
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever valid text is applied for, approval yields a record whose registered
        /// facts read exactly as the application's "to" values, and applying the same
        /// application to that record again is refused as stale.
        #[test]
        fn approval_writes_what_was_applied_for(
            rep in "[张王李赵][一-龥]{1,3}",
            addr in "[一-龥]{2,8}[0-9]{1,3}号",
            capital in 0i64..100_000_000,
        ) {
            let d = change(&[
                ("legal_representative", rep.as_str()),
                ("address", addr.as_str()),
                ("registered_capital", &format!("{}.{:02}", capital / 100, capital % 100)),
            ]);
            let Ok(req) = d.validate(&org(), &extras(), today()) else {
                // Only a value equal to the current one is refused here.
                prop_assert!(rep == "张三" || addr == "梅园新村34号" || capital == 3_000_000);
                return Ok(());
            };
            let (after, ex) = apply_changes(&org(), &extras(), &req.changes, today()).unwrap();
            for c in &req.changes {
                prop_assert_eq!(current_value(&after, &ex, c.field), c.to.clone());
            }
            let stale = matches!(
                apply_changes(&after, &ex, &req.changes, today()),
                Err(ApplyError::Stale { .. })
            );
            prop_assert!(stale);
        }
    }
}
