use super::*;

const XUANWU: &str = "320000/320100/320102/";
const MEIYUAN: &str = "320000/320100/320102/320102002000/";
const QINHUAI: &str = "320000/320100/320104/";

fn org(id: &str, name: &str, text: &str, path: &str) -> Doc {
    Doc {
        kind: Kind::Organization,
        id: id.into(),
        name: name.into(),
        text: text.into(),
        also_named: String::new(),
        path: path.into(),
        status: "registered".into(),
    }
}

fn ids(h: &Hits) -> Vec<&str> {
    h.hits.iter().map(|h| h.id.as_str()).collect()
}

fn sample() -> Search {
    let s = Search::in_memory().unwrap();
    s.upsert_all(&[
        org("a", "玄武区阳光养老服务中心", "助老", MEIYUAN),
        org("b", "秦淮区助残服务社", "养残", QINHUAI),
        org("c", "玄武区社区文化促进会", "为老人提供养老咨询", XUANWU),
        org("d", "梅园新村托育服务中心", "辅幼", MEIYUAN),
    ])
    .unwrap();
    s
}

#[test]
fn a_two_character_word_matches_inside_longer_text() {
    let s = sample();
    let h = s.query("养老", None, Kind::Organization, 10, 0).unwrap();
    assert_eq!(h.total, 2);
    assert_eq!(ids(&h), vec!["a", "c"]);
    assert_eq!(h.hits[0].reason, Reason::Name);
    assert_eq!(h.hits[1].reason, Reason::Description);
    let h = s.query("托育", None, Kind::Organization, 10, 0).unwrap();
    assert_eq!(ids(&h), vec!["d"]);
    let h = s.query("助残", None, Kind::Organization, 10, 0).unwrap();
    assert_eq!(ids(&h), vec!["b"]);
    // A longer phrase needs all its pairs: 养老服务 is in a's name, not in c's text.
    let h = s
        .query("养老服务", None, Kind::Organization, 10, 0)
        .unwrap();
    assert_eq!(ids(&h), vec!["a"]);
    // One character.
    assert_eq!(
        s.query("残", None, Kind::Organization, 10, 0)
            .unwrap()
            .total,
        1
    );
}

#[test]
fn the_name_ranks_above_the_description() {
    let s = Search::in_memory().unwrap();
    s.upsert_all(&[
        org("text", "鼓楼区文化中心", "托育 托育 托育 托育", XUANWU),
        org("name", "托育之家", "", XUANWU),
    ])
    .unwrap();
    let h = s.query("托育", None, Kind::Organization, 10, 0).unwrap();
    assert_eq!(ids(&h), vec!["name", "text"]);
    assert!(h.hits[0].score > h.hits[1].score);
}

#[test]
fn pinyin_and_initials_match_the_name() {
    let s = sample();
    let h = s.query("yanglao", None, Kind::Organization, 10, 0).unwrap();
    assert_eq!(ids(&h), vec!["a"]);
    assert_eq!(h.hits[0].reason, Reason::Pinyin);
    let h = s.query("yl", None, Kind::Organization, 10, 0).unwrap();
    assert_eq!(ids(&h), vec!["a"]);
    assert_eq!(h.hits[0].reason, Reason::Initials);
    let h = s
        .query("YangLao FuWu", None, Kind::Organization, 10, 0)
        .unwrap();
    assert_eq!(ids(&h), vec!["a"]);
    assert_eq!(
        s.query("tuoyu", None, Kind::Organization, 10, 0)
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        s.query("zcfws", None, Kind::Organization, 10, 0)
            .unwrap()
            .total,
        1
    );
}

#[test]
fn the_subtree_filter_keeps_a_node_and_what_lies_below() {
    let s = sample();
    let h = s
        .query("服务", Some(XUANWU), Kind::Organization, 10, 0)
        .unwrap();
    assert_eq!(h.total, 2, "{h:?}");
    let h = s
        .query("服务", Some(MEIYUAN), Kind::Organization, 10, 0)
        .unwrap();
    assert_eq!(h.total, 2);
    let h = s
        .query("服务", Some(QINHUAI), Kind::Organization, 10, 0)
        .unwrap();
    assert_eq!(ids(&h), vec!["b"]);
    let h = s
        .query("服务", Some("320000/"), Kind::Organization, 10, 0)
        .unwrap();
    assert_eq!(h.total, 3);
    // A sibling whose code shares a prefix is not inside.
    let h = s
        .query(
            "服务",
            Some("320000/320100/32010/"),
            Kind::Organization,
            10,
            0,
        )
        .unwrap();
    assert_eq!(h.total, 0);
}

#[test]
fn a_service_is_found_by_the_pinyin_of_its_organization() {
    let s = Search::in_memory().unwrap();
    s.upsert(&Doc {
        kind: Kind::Service,
        id: "s".into(),
        name: "老年助餐配送".into(),
        text: "玄武区阳光养老服务中心 助老".into(),
        also_named: "玄武区阳光养老服务中心".into(),
        path: MEIYUAN.into(),
        status: "active".into(),
    })
    .unwrap();
    for q in ["zhucan", "yanglao", "yl", "养老"] {
        let h = s.query(q, None, Kind::Service, 10, 0).unwrap();
        assert_eq!(ids(&h), ["s"], "{q}");
    }
    let h = s.query("yanglao", None, Kind::Service, 10, 0).unwrap();
    assert_eq!(h.hits[0].reason, Reason::Pinyin);
    // Its own name's pinyin is its own, the organization's does not make it a name hit.
    let h = s.query("养老", None, Kind::Service, 10, 0).unwrap();
    assert_eq!(h.hits[0].reason, Reason::Description);
}

#[test]
fn kinds_and_statuses_filter() {
    let s = sample();
    let mut svc = org("s1", "上门助浴", "为失能老人提供养老上门服务", MEIYUAN);
    svc.kind = Kind::Service;
    s.upsert(&svc).unwrap();
    assert_eq!(
        ids(&s.query("养老", None, Kind::Service, 10, 0).unwrap()),
        vec!["s1"]
    );
    assert_eq!(
        s.query("养老", None, Kind::Organization, 10, 0)
            .unwrap()
            .total,
        2
    );
    let mut gone = org("a", "玄武区阳光养老服务中心", "助老", MEIYUAN);
    gone.status = "deregistered".into();
    s.upsert(&gone).unwrap();
    let live = Filter {
        kind: Some(Kind::Organization),
        subtree: None,
        statuses: &["registered", "filed"],
    };
    assert_eq!(ids(&s.query_with("养老", &live, 10, 0).unwrap()), vec!["c"]);
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let s = sample();
    s.upsert(&org("a", "玄武区阳光托老所", "", MEIYUAN))
        .unwrap();
    assert_eq!(s.len(), 4);
    assert!(
        s.query("养老服务", None, Kind::Organization, 10, 0)
            .unwrap()
            .hits
            .is_empty()
    );
    assert_eq!(
        ids(&s.query("托老", None, Kind::Organization, 10, 0).unwrap()),
        vec!["a"]
    );
    s.delete("a").unwrap();
    assert_eq!(
        s.query("托老", None, Kind::Organization, 10, 0)
            .unwrap()
            .total,
        0
    );
    assert_eq!(s.len(), 3);
    s.delete("nothing").unwrap();
}

#[test]
fn pages_and_totals() {
    let s = Search::in_memory().unwrap();
    let docs: Vec<Doc> = (0..25)
        .map(|i| org(&format!("{i:02}"), &format!("养老院{i}"), "", XUANWU))
        .collect();
    s.upsert_all(&docs).unwrap();
    let p1 = s.query("养老", None, Kind::Organization, 10, 0).unwrap();
    let p3 = s.query("养老", None, Kind::Organization, 10, 20).unwrap();
    assert_eq!((p1.total, p1.hits.len(), p3.hits.len()), (25, 10, 5));
}

#[test]
fn a_rebuild_replaces_everything_at_commit() {
    let s = sample();
    s.clear().unwrap();
    s.stage(&[org("z", "新街口养老驿站", "", XUANWU)]).unwrap();
    assert_eq!(s.len(), 4, "nothing changes before the commit");
    s.commit().unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(
        ids(&s.query("yl", None, Kind::Organization, 10, 0).unwrap()),
        vec!["z"]
    );
}

#[test]
fn an_index_on_disk_is_reopened() {
    let dir = std::env::temp_dir().join(format!("shuniu-search-test-{}", std::process::id()));
    {
        let s = Search::open(&dir).unwrap();
        s.upsert(&org("a", "玄武区阳光养老服务中心", "", MEIYUAN))
            .unwrap();
        s.wait_merging().unwrap();
    }
    let s = Search::open(&dir).unwrap();
    assert_eq!(s.len(), 1);
    drop(s);
    std::fs::write(dir.join(VERSION_FILE), "0").unwrap();
    assert!(
        Search::open(&dir).unwrap().is_empty(),
        "another version is discarded"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn nothing_to_look_for_finds_nothing() {
    let s = sample();
    assert_eq!(
        s.query("  ，。 ", None, Kind::Organization, 10, 0)
            .unwrap()
            .total,
        0
    );
}

#[test]
fn every_commit_records_from_when_the_index_is_complete() {
    let s = Search::in_memory().unwrap();
    assert_eq!(s.complete_from().unwrap(), None);
    let now = std::time::SystemTime::now;
    // A serving process's write: complete from its commit less the allowance.
    let before = now() - IN_FLIGHT - Duration::from_secs(1);
    s.upsert(&org("a", "玄武区阳光养老服务中心", "助老", MEIYUAN))
        .unwrap();
    let at = s.complete_from().unwrap().expect("the upsert committed");
    assert!(at >= before && at <= now() - IN_FLIGHT, "{at:?}");
    // A rebuild: complete from its start less a rebuild's (much smaller) allowance, so
    // that a start just after it does not read the whole store again.
    let started = now() - REBUILD_IN_FLIGHT - Duration::from_secs(1);
    s.clear().unwrap();
    s.stage(&[org("b", "梅园社区助餐点", "助餐", MEIYUAN)])
        .unwrap();
    s.commit().unwrap();
    let rebuilt = s.complete_from().unwrap().unwrap();
    assert!(
        rebuilt >= started && rebuilt <= now() - REBUILD_IN_FLIGHT,
        "{rebuilt:?}"
    );
    // A write after it does not move the floor back to its own commit less ten minutes.
    s.upsert(&org("c", "玄武区助浴队", "助浴", MEIYUAN))
        .unwrap();
    assert_eq!(s.complete_from().unwrap(), Some(rebuilt));
}

#[test]
fn the_floor_survives_a_restart_and_reads_the_older_payload() {
    let dir = std::env::temp_dir().join(format!("shuniu-search-floor-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let floor = {
        let s = Search::open(&dir).unwrap();
        s.clear().unwrap();
        s.stage(&[org("a", "玄武区阳光养老服务中心", "助老", MEIYUAN)])
            .unwrap();
        s.commit().unwrap();
        let floor = s.complete_from().unwrap().unwrap();
        s.wait_merging().unwrap();
        floor
    };
    let s = Search::open(&dir).unwrap();
    assert_eq!(s.complete_from().unwrap(), Some(floor));
    drop(s);
    std::fs::remove_dir_all(&dir).unwrap();
    // An index committed by the previous version carries its commit's time.
    assert_eq!(floor_of_payload(Some("committed_at=1000")), Some(400));
    assert_eq!(floor_of_payload(Some("complete_from=990")), Some(990));
    assert_eq!(floor_of_payload(Some("nonsense")), None);
    assert_eq!(floor_of_payload(None), None);
    assert_eq!(next_floor(Some(5_000), None, 1_000), 5_000);
    assert_eq!(next_floor(Some(5_000), Some(700), 1_000), 690);
    assert_eq!(next_floor(None, None, 1_000), 400);
}
