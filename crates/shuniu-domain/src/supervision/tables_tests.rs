use super::*;
use proptest::prelude::*;

fn area(code: &str, points: u32) -> AreaSpec {
    AreaSpec {
        code: code.into(),
        zh: format!("指标{code}"),
        en: format!("Area {code}"),
        points,
    }
}

/// A 100-point table of two areas, 5A from 90 and 3A from 60.
fn spec(kind: &str, authority: Option<&str>) -> TableSpec {
    TableSpec {
        kind: kind.into(),
        authority: authority.map(String::from),
        areas: vec![area("governance", 60), area("services", 40)],
        max_bonus: 5,
        max_total: 100,
        cutoffs: [("5A".to_string(), 90), ("3a".to_string(), 60)]
            .into_iter()
            .collect(),
    }
}

fn tables(specs: Vec<TableSpec>) -> IndicatorTables {
    IndicatorTables::from_file(&TablesFile { table: specs }).unwrap()
}

fn refused(s: TableSpec) -> String {
    IndicatorTables::from_file(&TablesFile { table: vec![s] }).unwrap_err()
}

#[test]
fn a_spec_becomes_a_checked_table() {
    let t = spec("foundation", Some("320102")).to_table().unwrap();
    assert_eq!(t.authority.as_deref(), Some("320102"));
    assert_eq!(t.source, TableSource::Setting);
    assert_eq!(t.table.kind, TableKind::Foundation);
    assert_eq!(t.table.cutoffs, vec![(Grade::A5, 90), (Grade::A3, 60)]);
    assert_eq!(t.table.grade_for(75), Some(Grade::A3));
    assert_eq!(t.table.grade_for(59), None);
}

#[test]
fn the_longest_prefix_wins_then_the_default_entry_then_the_built_in() {
    let mut nanjing = spec("foundation", Some("3201"));
    nanjing.max_bonus = 1;
    let mut xuanwu = spec("foundation", Some("320102"));
    xuanwu.max_bonus = 2;
    let mut every = spec("foundation", None);
    every.max_bonus = 3;
    let set = tables(vec![nanjing, xuanwu, every.clone()]);
    let bonus = |code: &str| set.table_for(code, TableKind::Foundation).table.max_bonus;
    assert_eq!(bonus("320102"), 2, "Xuanwu's own table");
    assert_eq!(bonus("320102002000"), 2, "a street of Xuanwu");
    assert_eq!(bonus("320104"), 1, "Qinhuai: Nanjing's table");
    assert_eq!(bonus("320200"), 3, "Wuxi: the table for every authority");
    // Another kind has no table set: the built-in one, wherever.
    let other = set.table_for("320102", TableKind::AcademicGroup);
    assert_eq!(other.source, TableSource::BuiltIn);
    assert_eq!(
        other.table,
        IndicatorTable::jiangsu_default(TableKind::AcademicGroup)
    );
    // Without the entry for every authority, Wuxi gets the built-in table too.
    let set = tables(vec![spec("foundation", Some("3201"))]);
    assert_eq!(
        set.table_for("320200", TableKind::Foundation).source,
        TableSource::BuiltIn
    );
    assert_eq!(IndicatorTables::default().entries().len(), 0);
}

#[test]
fn tables_in_force_by_authority_and_kind() {
    let set = tables(vec![
        spec("foundation", Some("320102")),
        spec("academic_group", None),
    ]);
    // One per kind for an authority.
    let xuanwu = set.in_force(Some("320102"), None);
    assert_eq!(xuanwu.len(), TableKind::ALL.len());
    let foundation = set.in_force(Some("320102"), Some(TableKind::Foundation));
    assert_eq!(foundation.len(), 1);
    assert_eq!(foundation[0].authority.as_deref(), Some("320102"));
    // Without an authority: every set table, and the built-in one of each kind
    // without a table for every authority.
    let all = set.in_force(None, None);
    assert_eq!(all.len(), TableKind::ALL.len() + 1);
    let foundations = set.in_force(None, Some(TableKind::Foundation));
    let sources: Vec<_> = foundations
        .iter()
        .map(|t| (t.source, t.authority.clone()))
        .collect();
    assert_eq!(
        sources,
        vec![
            (TableSource::BuiltIn, None),
            (TableSource::Setting, Some("320102".to_string()))
        ]
    );
    let academic = set.in_force(None, Some(TableKind::AcademicGroup));
    assert_eq!(academic.len(), 1);
    assert_eq!(academic[0].source, TableSource::Setting);
}

/// A change that spoils a good table.
type Change = Box<dyn Fn(&mut TableSpec)>;

#[test]
fn a_bad_table_is_named_with_what_is_wrong() {
    let e = refused(spec("museum", None));
    assert!(e.starts_with("table 1 (museum, every authority)"), "{e}");
    assert!(e.contains("is not one of"), "{e}");

    let mut s = spec("foundation", Some("32a1"));
    assert!(refused(s.clone()).contains("jurisdiction-code prefix"));
    s.authority = Some("320102".into());
    s.areas[0].points = 50;
    let e = refused(s);
    assert!(
        e.starts_with("table 1 (foundation, authority 320102)"),
        "{e}"
    );
    assert!(e.contains("add up to 90, not 100"), "{e}");

    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|s| s.areas.clear()), "at least one area"),
        (
            Box::new(|s| s.areas[1].code = "governance".into()),
            "appears twice",
        ),
        (Box::new(|s| s.areas[1].code = String::new()), "lower-case"),
        (
            Box::new(|s| s.areas[1].code = "Services".into()),
            "lower-case",
        ),
        (
            Box::new(|s| s.areas[1].code = "bonus".into()),
            "scoring form",
        ),
        (Box::new(|s| s.areas[1].en = " ".into()), "zh and en"),
        (
            Box::new(|s| {
                s.areas[0].points = 100;
                s.areas[1].points = 0;
            }),
            "no points",
        ),
        (Box::new(|s| s.max_bonus = 101), "max_bonus"),
        (
            Box::new(|s| s.cutoffs.clear()),
            "at least one grade cut-off",
        ),
        (
            Box::new(|s| {
                s.cutoffs.insert("6A".into(), 95);
            }),
            "not a grade",
        ),
        (
            Box::new(|s| {
                s.cutoffs.insert("4A".into(), 95);
            }),
            "must fall",
        ),
        (
            Box::new(|s| {
                s.cutoffs.insert("1A".into(), 60);
            }),
            "must fall",
        ),
        (
            Box::new(|s| {
                s.cutoffs.insert("5A".into(), 101);
            }),
            "above the total",
        ),
        (
            Box::new(|s| {
                s.cutoffs.insert("1A".into(), 0);
            }),
            "every total",
        ),
    ];
    for (change, words) in cases {
        let mut s = spec("foundation", None);
        change(&mut s);
        let e = refused(s);
        assert!(e.contains(words), "{words}: {e}");
    }

    let e = IndicatorTables::from_file(&TablesFile {
        table: vec![
            spec("foundation", None),
            spec("foundation", Some("3201")),
            spec("foundation", Some("3201")),
        ],
    })
    .unwrap_err();
    assert!(e.starts_with("table 3 (foundation, authority 3201)"), "{e}");
    assert!(e.contains("already set"), "{e}");
}

/// A table of `points.len()` areas and the cut-offs `mins` given to the grades from 5A.
fn built(points: &[u32], mins: &[u32], max_bonus: u32) -> IndicatorTable {
    let areas: Vec<AreaSpec> = points
        .iter()
        .enumerate()
        .map(|(i, p)| area(&format!("a{i}"), *p))
        .collect();
    let grades = ["5A", "4A", "3A", "2A", "1A"];
    TableSpec {
        kind: "foundation".into(),
        authority: None,
        max_total: points.iter().sum(),
        areas,
        max_bonus,
        cutoffs: grades
            .iter()
            .zip(mins)
            .map(|(g, m)| (g.to_string(), *m))
            .collect(),
    }
    .to_table()
    .map(|t| t.table)
    .unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    /// Whatever prefixes are set, the table that scores is the one with the longest
    /// prefix of the authority's code; with none, the one for every authority; with
    /// neither, the built-in one.
    #[test]
    fn lookup_takes_the_longest_matching_prefix(
        prefixes in proptest::collection::btree_set("32(0|1)[0-9]{0,4}", 0..6),
        every in any::<bool>(),
        code in "32(0|1)[0-9]{3}([0-9]{6})?",
    ) {
        let mut specs: Vec<TableSpec> = prefixes
            .iter()
            .map(|p| spec("service_institution", Some(p)))
            .collect();
        if every {
            specs.push(spec("service_institution", None));
        }
        let set = tables(specs);
        let got = set.table_for(&code, TableKind::ServiceInstitution);
        let longest = prefixes
            .iter()
            .filter(|p| code.starts_with(p.as_str()))
            .max_by_key(|p| p.len());
        match longest {
            Some(p) => prop_assert_eq!(got.authority.as_deref(), Some(p.as_str())),
            None if every => {
                prop_assert_eq!(got.authority, None);
                prop_assert_eq!(got.source, TableSource::Setting);
            }
            None => prop_assert_eq!(got.source, TableSource::BuiltIn),
        }
        // Another kind is untouched by them.
        prop_assert_eq!(
            set.table_for(&code, TableKind::Foundation).source,
            TableSource::BuiltIn
        );
    }

    /// Any table whose areas add up and whose cut-offs fall is accepted, and then
    /// grades every total by its cut-offs; one point more on an area, or two cut-offs
    /// swapped, is refused.
    #[test]
    fn consistent_tables_pass_and_perturbed_ones_fail(
        points in proptest::collection::vec(1u32..300, 1..8),
        fractions in proptest::collection::btree_set(1u32..1000, 1..5),
        total_frac in 0u32..=1000,
    ) {
        let max_total: u32 = points.iter().sum();
        // Distinct cut-offs within the total, highest first.
        let mut mins: Vec<u32> = fractions
            .iter()
            .map(|f| (max_total * f / 1000).max(1))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        mins.reverse();
        let t = built(&points, &mins, max_total / 10);
        let total = max_total * total_frac / 1000;
        let expected = t.cutoffs.iter().find(|(_, m)| total >= *m).map(|(g, _)| *g);
        prop_assert_eq!(t.grade_for(total), expected);

        let mut more = t.clone();
        more.areas[0].points += 1;
        prop_assert!(more.check().is_err());
        if t.cutoffs.len() > 1 {
            let mut swapped = t.clone();
            let (a, b) = (swapped.cutoffs[0].1, swapped.cutoffs[1].1);
            swapped.cutoffs[0].1 = b;
            swapped.cutoffs[1].1 = a;
            prop_assert!(swapped.check().is_err());
        }
    }
}
