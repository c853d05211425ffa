//! Search benchmark at province scale (not a test: it prints numbers).
//!
//! `cargo run --release -p shuniu-search --example bench [-- N]`
//!
//! Builds an index of N (default 1,000,000) organization names made from Chinese place,
//! domain and form words with a fixed seed, in `target/shuniu-search-bench-N` (reused when
//! it is already there with N documents), then runs a few thousand queries — two-character
//! words, pinyin, initials, each with and without a jurisdiction subtree — and prints
//! p50/p95/p99 per kind and the build rate.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use shuniu_search::{Doc, Filter, Kind, Search, WriterBudget};

/// A small deterministic generator (xorshift64*), so every run builds the same set.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const CITIES: [&str; 13] = [
    "南京",
    "无锡",
    "徐州",
    "常州",
    "苏州",
    "南通",
    "连云港",
    "淮安",
    "盐城",
    "扬州",
    "镇江",
    "泰州",
    "宿迁",
];
const DISTRICTS: [&str; 10] = [
    "玄武",
    "秦淮",
    "建邺",
    "鼓楼",
    "浦口",
    "栖霞",
    "雨花台",
    "江宁",
    "六合",
    "溧水",
];
const STREETS: [&str; 16] = [
    "梅园新村",
    "新街口",
    "玄武门",
    "锁金村",
    "红山",
    "孝陵卫",
    "玄武湖",
    "夫子庙",
    "朝天宫",
    "五老村",
    "湖南路",
    "中央门",
    "宁海路",
    "华侨路",
    "江东",
    "挹江门",
];
const FLAVOURS: [&str; 24] = [
    "阳光",
    "爱心",
    "幸福",
    "和谐",
    "温馨",
    "同心",
    "睦邻",
    "乐龄",
    "康乐",
    "善行",
    "益友",
    "春晖",
    "暖阳",
    "金色",
    "夕阳红",
    "启明",
    "彩虹",
    "向日葵",
    "邻里",
    "心语",
    "守望",
    "仁爱",
    "惠民",
    "青禾",
];
const DOMAINS: [&str; 24] = [
    "养老",
    "助老",
    "托育",
    "助残",
    "社工",
    "志愿者",
    "文化",
    "体育",
    "法律援助",
    "心理咨询",
    "家庭教育",
    "就业创业",
    "环保",
    "调解",
    "青少年",
    "妇女儿童",
    "康复",
    "救助",
    "慈善",
    "科普",
    "健康",
    "读书",
    "书画",
    "戏曲",
];
const FORMS: [&str; 16] = [
    "服务中心",
    "服务社",
    "协会",
    "促进会",
    "发展中心",
    "工作室",
    "志愿服务队",
    "互助会",
    "研究会",
    "基金会",
    "之家",
    "驿站",
    "俱乐部",
    "联合会",
    "服务站",
    "事务所",
];

struct Place {
    path: String,
    city: &'static str,
    district: &'static str,
    street: &'static str,
}

fn places() -> Vec<Place> {
    let mut out = Vec::new();
    for (c, city) in CITIES.iter().enumerate() {
        for (d, district) in DISTRICTS.iter().enumerate() {
            for (s, street) in STREETS.iter().enumerate() {
                let city_code = 320100 + 100 * c;
                let district_code = city_code + d + 2;
                out.push(Place {
                    path: format!(
                        "320000/{city_code}/{district_code}/{district_code}{:03}000/",
                        s + 1
                    ),
                    city,
                    district,
                    street,
                });
            }
        }
    }
    out
}

fn organization(i: u64, rng: &mut Rng, places: &[Place]) -> Doc {
    let place = &places[rng.below(places.len() as u64) as usize];
    let domain = rng.pick(&DOMAINS);
    let prefix = match rng.below(4) {
        0 => format!("{}市{}区", place.city, place.district),
        1 => format!("{}区{}街道", place.district, place.street),
        2 => format!("{}区", place.district),
        _ => place.street.to_string(),
    };
    let name = format!(
        "{prefix}{}{domain}{}",
        rng.pick(&FLAVOURS),
        rng.pick(&FORMS)
    );
    Doc {
        kind: Kind::Organization,
        id: format!("{i:032x}"),
        name,
        text: format!("{} {}", domain, rng.pick(&DOMAINS)),
        also_named: String::new(),
        path: place.path.clone(),
        status: if rng.below(20) == 0 {
            "deregistered"
        } else {
            "registered"
        }
        .to_string(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    let dir = target.join(format!("shuniu-search-bench-{n}"));
    let places = places();
    let budget = WriterBudget {
        threads: 2,
        heap_bytes: 400_000_000,
    };
    let search = Search::open_with(&dir, budget)?;
    if search.len() != n {
        println!("building {n} organizations in {}", dir.display());
        let started = Instant::now();
        search.clear()?;
        let mut rng = Rng(0x5eed_2026_1201);
        let mut batch = Vec::with_capacity(10_000);
        for i in 0..n {
            batch.push(organization(i, &mut rng, &places));
            if batch.len() == 10_000 {
                search.stage(&batch)?;
                batch.clear();
            }
            if (i + 1) % 200_000 == 0 {
                println!(
                    "  {} documents, {:.0} s",
                    i + 1,
                    started.elapsed().as_secs_f64()
                );
            }
        }
        search.stage(&batch)?;
        search.commit()?;
        search.wait_merging()?;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "built {n} documents in {secs:.1} s: {:.0} documents/s",
            n as f64 / secs
        );
    } else {
        println!("reusing the index in {} ({n} documents)", dir.display());
        drop(search);
    }
    let search = Search::open(&dir)?;
    let words = [
        "养老", "助残", "托育", "社工", "文化", "康复", "慈善", "驿站", "调解", "书画",
    ];
    let pinyin = [
        "yanglao", "zhucan", "tuoyu", "shegong", "wenhua", "kangfu", "cishan", "yizhan", "tiaojie",
        "shuhua",
    ];
    let initials = ["yl", "zc", "ty", "sg", "wh", "kf", "cs", "yz", "tj", "sh"];
    let mut rng = Rng(42);
    let mut all = Vec::new();
    for (label, queries) in [
        ("two-character word", &words),
        ("pinyin", &pinyin),
        ("initials", &initials),
    ] {
        for subtree in [false, true] {
            let mut times = Vec::new();
            let mut hits = 0usize;
            for round in 0..600 {
                let q = queries[round % queries.len()];
                let place = &places[rng.below(places.len() as u64) as usize];
                let district: String =
                    place.path.split('/').take(3).collect::<Vec<_>>().join("/") + "/";
                let filter = Filter {
                    kind: Some(Kind::Organization),
                    subtree: subtree.then_some(district.as_str()),
                    statuses: &[],
                };
                let started = Instant::now();
                let h = search.query_with(q, &filter, 20, 0)?;
                times.push(started.elapsed());
                hits += h.total;
            }
            times.sort();
            println!(
                "{label:>20} {:>14}: p50 {:6.2} ms  p95 {:6.2} ms  p99 {:6.2} ms  ({} queries, {} hits on average)",
                if subtree {
                    "in a district"
                } else {
                    "everywhere"
                },
                percentile(&times, 0.5),
                percentile(&times, 0.95),
                percentile(&times, 0.99),
                times.len(),
                hits / times.len()
            );
            all.extend(times);
        }
    }
    all.sort();
    println!(
        "{:>20} {:>14}: p50 {:6.2} ms  p95 {:6.2} ms  p99 {:6.2} ms  ({} queries)",
        "all",
        "",
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        percentile(&all, 0.99),
        all.len()
    );
    Ok(())
}
