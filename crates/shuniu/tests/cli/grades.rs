//! `shuniu grades import`: the authority's register of grades, on both backends. A
//! file with bad rows names each and imports nothing; a dry run writes nothing; a good
//! file records each award as imported, with its document; a rerun skips every row.

use chrono::{Datelike, NaiveDate};
use shuniu_domain::registry::{Grade, OrgStatus, Organization, StatusChange};
use shuniu_domain::supervision::assessment::GradeSource;

use super::*;

/// The same day `years` before `d` (28 February for 29 February).
fn years_before(d: NaiveDate, years: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year() - years, d.month(), d.day().min(28)).unwrap()
}

/// A migrated database with four ungraded organizations of the demo data, the last
/// deregistered; a store that writes with the command's audit key.
async fn registry(dir: &TempDir, url: &str) -> (Store, Vec<Organization>) {
    assert_ok(&run(shuniu(dir).args(["migrate", "--db", url])));
    let key = hex::decode(
        std::fs::read_to_string(dir.path("audit.key"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let store = Store::connect(url).await.unwrap().with_audit_key(&key);
    let data: Vec<_> = shuniu_demo::xuanwu_organizations(shuniu_web::today())
        .into_iter()
        // Founded before the oldest award of the test.
        .filter(|o| o.uscc.is_some() && o.founded_on < years_before(shuniu_web::today(), 8))
        .take(4)
        .map(|mut o| {
            o.grade = None;
            o.grade_awarded_on = None;
            o
        })
        .collect();
    let mut orgs = store.create_organizations(&data, "test").await.unwrap();
    let gone = store
        .change_status(
            orgs[3].id,
            &StatusChange {
                status: OrgStatus::Deregistered,
                reason: "自行解散".into(),
                effective_on: years_before(shuniu_web::today(), 1),
            },
            "test",
        )
        .await
        .unwrap();
    orgs[3] = gone;
    (store, orgs)
}

fn uscc(o: &Organization) -> String {
    o.data.uscc.as_ref().unwrap().to_string()
}

/// The organization's grade as the registry holds it (what lists and figures read).
async fn graded(store: &Store, o: &Organization) -> (Option<Grade>, Option<NaiveDate>) {
    let o = store.organization(o.id).await.unwrap().unwrap();
    (o.data.grade, o.data.grade_awarded_on)
}

fn write(dir: &TempDir, name: &str, text: &str) -> String {
    let path = dir.path(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn import(dir: &TempDir, url: &str, file: &str, extra: &[&str]) -> Output {
    run(shuniu(dir)
        .args(["grades", "import", "--db", url, "--file", file])
        .args(extra))
}

async fn award_count(store: &Store, orgs: &[Organization]) -> usize {
    let mut n = 0;
    for o in orgs {
        n += store.grade_awards(o.id).await.unwrap().len();
    }
    n
}

async fn import_the_register(dir: &TempDir, url: &str) {
    let (store, orgs) = registry(dir, url).await;
    let [a, b, c, gone] = [&orgs[0], &orgs[1], &orgs[2], &orgs[3]];
    let today = shuniu_web::today();
    // a: an award, then the next one; b: a grade in force; c: one past its five years.
    let a_first = years_before(today, 7);
    let a_then = years_before(today, 2);
    let b_on = years_before(today, 1);
    let c_on = years_before(today, 6);

    // Every bad row is named by line and field, and nothing is written.
    let bad = write(
        dir,
        "bad.csv",
        &format!(
            "organization,grade,awarded_on,document\n\
             {a},4A,{a_then},玄民〔{y}〕12号\n\
             {b},6A,{b_on},玄民〔{y}〕13号\n\
             91320102MJ0000000X,9A,{b_on},玄民〔{y}〕14号\n\
             {c},3A,2999-01-01,玄民〔2999〕1号\n\
             {c},3A,{c_on},\n\
             {a},5A,{a_then},玄民〔{y}〕15号\n\
             {gone},2A,{b_on},玄民〔{y}〕16号\n",
            a = a.id,
            b = uscc(b),
            c = uscc(c),
            gone = uscc(gone),
            y = a_then.year(),
        ),
    );
    let out = import(dir, url, &bad, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    for needle in [
        "line 3: grade: \"6A\" is not a grade",
        "line 4: organization: ",
        "line 4: grade: \"9A\"",
        "line 5: awarded_on: 2999-01-01 is in the future",
        "line 6: document: is required",
        "line 7: awarded_on: line 2 already gives",
        "line 8: organization: ",
        "is deregistered",
        "7 problem(s) on 6 line(s): nothing was imported",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    assert!(!err.contains("line 2:"), "line 2 is good:\n{err}");
    // A line's problems in the order of its columns.
    assert!(
        err.find("line 4: organization").unwrap() < err.find("line 4: grade").unwrap(),
        "{err}"
    );
    assert_eq!(award_count(&store, &orgs).await, 0, "nothing written");

    // The good file (as a spreadsheet saves it: a byte-order mark, CRLF, its own
    // columns and case), by id and by code.
    let good = write(
        dir,
        "good.csv",
        &format!(
            "\u{feff}Name,Organization,Grade,Awarded_On,Document\r\n\
             甲,{a},3a,{a_first},玄民〔{y1}〕8号\r\n\
             乙,{b},4A级,{b_on},玄民〔{y2}〕3号\r\n\
             甲,{a2},AAAA,{a_then},玄民〔{y3}〕12号\r\n\
             丙,{c},5A,{c_on},宁民〔{y4}〕101号\r\n",
            a = a.id,
            a2 = uscc(a),
            b = uscc(b),
            c = c.id,
            y1 = a_first.year(),
            y2 = b_on.year(),
            y3 = a_then.year(),
            y4 = c_on.year(),
        ),
    );
    let out = import(dir, url, &good, &["--dry-run"]);
    assert_ok(&out);
    let said = text(&out.stdout);
    assert!(
        said.contains("would import 4 grades (3 organizations)"),
        "{said}"
    );
    assert!(
        said.contains(&format!("line 4: grade 4A awarded on {a_then}")),
        "{said}"
    );
    assert_eq!(
        award_count(&store, &orgs).await,
        0,
        "a dry run writes nothing"
    );

    let out = import(dir, url, &good, &[]);
    assert_ok(&out);
    let said = text(&out.stdout);
    assert!(
        said.contains("imported 4 grades (3 organizations)"),
        "{said}"
    );
    assert!(!said.contains("skipped"), "{said}");
    let awards = store.grade_awards(a.id).await.unwrap();
    assert_eq!(awards.len(), 2);
    assert!(awards.iter().all(|w| w.award.source == GradeSource::Import));
    assert_eq!(
        (
            awards[0].award.grade,
            awards[0].award.awarded_on,
            awards[0].award.ended_on
        ),
        (Grade::A3, a_first, Some(a_then)),
        "the later award supersedes the earlier"
    );
    assert_eq!(awards[0].document, format!("玄民〔{}〕8号", a_first.year()));
    assert_eq!(
        (awards[1].award.grade, awards[1].award.ended_on),
        (Grade::A4, None)
    );
    assert_eq!(graded(&store, a).await, (Some(Grade::A4), Some(a_then)));
    assert_eq!(graded(&store, b).await, (Some(Grade::A4), Some(b_on)));
    // c's grade is recorded, and counts no more: its five years are over.
    assert_eq!(store.grade_awards(c.id).await.unwrap().len(), 1);
    assert_eq!(graded(&store, c).await, (None, None));
    let filter = shuniu_store::AuditFilter {
        action: Some("grade.import".into()),
        ..Default::default()
    };
    let records = store.audit_page(&filter, 1, 100).await.unwrap().items;
    assert_eq!(records.len(), 4);
    assert!(
        records.iter().all(|r| r.event.actor == "tester"),
        "{records:?}"
    );

    // A rerun skips every row.
    let out = import(dir, url, &good, &[]);
    assert_ok(&out);
    let said = text(&out.stdout);
    assert!(
        said.contains("imported 0 grades (0 organizations); skipped 4 already imported"),
        "{said}"
    );
    assert_eq!(award_count(&store, &orgs).await, 4);

    // An award before the latest one, or another on a recorded date, is refused.
    let late = write(
        dir,
        "late.csv",
        &format!(
            "organization,grade,awarded_on,document\n\
             {a},2A,{early},玄民补1号\n\
             {b},5A,{b_on},玄民补2号\n",
            a = a.id,
            b = b.id,
            early = years_before(today, 3),
        ),
    );
    let out = import(dir, url, &late, &[]);
    assert_fails_with(
        &out,
        &[
            "line 2: awarded_on: ",
            "is before the organization's latest grade award",
            "line 3: awarded_on: the organization already has a grade awarded on",
        ],
    );
    assert_eq!(award_count(&store, &orgs).await, 4);

    // A file too large is refused before it is read.
    let big = dir.path("big.csv");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(21 * 1024 * 1024)
        .unwrap();
    let out = import(dir, url, &big.display().to_string(), &[]);
    assert_fails_with(&out, &["larger than 20 MiB"]);
    let out = import(dir, url, &dir.path("none.csv").display().to_string(), &[]);
    assert_fails_with(&out, &["cannot read"]);

    store.close().await;
    let out = run(shuniu(dir).args(["audit", "verify", "--db", url]));
    assert_ok(&out);
}

#[tokio::test]
async fn grades_import_on_sqlite() {
    let dir = TempDir::new();
    import_the_register(&dir, &dir.sqlite_url("g.db")).await;
}

#[tokio::test]
async fn grades_import_on_postgres() {
    let dir = TempDir::new();
    import_the_register(&dir, &fresh_postgres_url().await).await;
}
