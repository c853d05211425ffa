//! Residents' requests and complaints of 2026 (issue 12, item 10): a few hundred
//! requests across Xuanwu's communities in every state — waiting (some overdue),
//! assigned, accepted, declined, completed, confirmed with ratings 1–5 and comments,
//! cancelled, closed — dispatched to the best-ranked candidate; then complaints about
//! some of them and about organizations directly: answered in time, answered late,
//! unanswered and escalated, resolved with each outcome. Everything goes through the
//! store's own writes (numbers, conditional transitions, audit), at times that fit.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use shuniu_domain::complaints::{
    ComplaintAction, ComplaintDraft, ComplaintOutcome, ComplaintSettings, Decision,
};
use shuniu_domain::jurisdiction::Level;
use shuniu_domain::parks::shanghai;
use shuniu_domain::registry::ServiceDomain;
use shuniu_domain::requests::{
    Rating, RequestDraft, RequestState, TimeLimits, Transition, token_hash,
};
use shuniu_store::complaints::{Against, ComplaintStep};
use shuniu_store::requests::{ResidentRequest, TransitionInput};
use shuniu_store::{Store, StoreError, WriteCtx};
use uuid::Uuid;

use crate::ACTOR;

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Residents {
    pub requests: usize,
    pub rated: usize,
    pub complaints: usize,
    pub escalated: usize,
}

/// Requests written.
const REQUESTS: usize = 320;

fn ctx() -> WriteCtx {
    WriteCtx::system(ACTOR)
}

/// A small deterministic generator (the demo is the same every time).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The needs residents describe, by category.
const NEEDS: &[(ServiceDomain, &[&str])] = &[
    (
        ServiceDomain::Elderly,
        &[
            "独居老人行动不便，需要每天送餐上门",
            "老人刚出院，想请人定期上门测血压、陪同复诊",
            "家里老人想参加社区的健身和兴趣活动，请帮忙联系",
            "需要为失能老人申请短期照护，家属白天上班",
        ],
    ),
    (
        ServiceDomain::Children,
        &[
            "双职工家庭，孩子放学后无人看护，想找课后托管",
            "孩子有自闭倾向，想了解康复训练和家长课程",
            "暑假想给孩子报名公益阅读和科普活动",
        ],
    ),
    (
        ServiceDomain::Disability,
        &[
            "肢体残疾，想找白天的托养和康复服务",
            "视力残疾人想学习手机读屏软件的使用",
            "需要无障碍出行的陪同服务",
        ],
    ),
    (
        ServiceDomain::Employment,
        &[
            "失业半年，想参加技能培训并推荐岗位",
            "大学毕业生想了解创业补贴和孵化场地",
        ],
    ),
    (
        ServiceDomain::SocialAffairs,
        &[
            "邻里噪音纠纷，希望有人出面调解",
            "小区楼道堆物严重，想请志愿者协助清理",
        ],
    ),
    (
        ServiceDomain::CultureSports,
        &["想组织小区的广场舞队，需要场地和老师指导"],
    ),
];

const COMMENTS: [&[&str]; 5] = [
    &["答应的时间没人来，打电话也不接", "服务很敷衍，问题没有解决"],
    &["来得很晚，只解决了一部分"],
    &["服务一般，基本解决了问题", ""],
    &["工作人员耐心细致，谢谢", "很及时，老人很满意", ""],
    &[
        "非常感谢，服务周到，已推荐给邻居",
        "上门准时，专业又热情",
        "",
    ],
];

/// The state each request is left in, by share of the whole (out of 100).
const PLAN: [(RequestState, u64); 8] = [
    (RequestState::Submitted, 7),
    (RequestState::Assigned, 6),
    (RequestState::Accepted, 8),
    (RequestState::Declined, 5),
    (RequestState::Completed, 9),
    (RequestState::Confirmed, 53),
    (RequestState::Cancelled, 6),
    (RequestState::Closed, 6),
];

fn target(i: usize) -> RequestState {
    let slot = (i as u64 * 37) % 100;
    let mut acc = 0;
    for (s, share) in PLAN {
        acc += share;
        if slot < acc {
            return s;
        }
    }
    RequestState::Confirmed
}

/// 10:00 in Shanghai on `d`, plus `hours`.
fn at(d: NaiveDate, hours: i64) -> DateTime<Utc> {
    shanghai()
        .from_local_datetime(&d.and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("a time")))
        .single()
        .expect("a fixed offset")
        .with_timezone(&Utc)
        + Duration::hours(hours)
}

fn phone(d: &mut Dice) -> String {
    format!("139{:08}", d.below(100_000_000))
}

/// Writes the requests and complaints; `today` is the demo's date.
pub async fn build(store: &Store, today: NaiveDate) -> Result<Residents, StoreError> {
    let mut out = Residents::default();
    let Some(district) = store.jurisdiction("320102").await? else {
        return Ok(out);
    };
    let communities: Vec<String> = store
        .jurisdiction_subtree(&district, Level::Community)
        .await?
        .into_iter()
        .filter(|j| j.level == Level::Community)
        .map(|j| j.code.to_string())
        .collect();
    if communities.is_empty() {
        return Ok(out);
    }
    let start = NaiveDate::from_ymd_opt(today.year(), 1, 5).unwrap_or(today);
    let span = (today - start).num_days().max(30);
    let limits = TimeLimits::default();
    let mut dice = Dice(2026);
    let mut handled: Vec<(ResidentRequest, Uuid, u8)> = Vec::new();
    for i in 0..REQUESTS {
        let (category, texts) = NEEDS[dice.below(NEEDS.len() as u64) as usize];
        let goal = target(i);
        // Waiting ones are recent, some past their limit; the rest spread over the year.
        let back = match goal {
            RequestState::Submitted | RequestState::Declined => 1 + dice.below(4) as i64,
            RequestState::Assigned | RequestState::Accepted => 1 + dice.below(6) as i64,
            _ => 7 + dice.below(span as u64 - 7) as i64,
        };
        let day = today - Duration::days(back);
        let t0 = at(day, dice.below(8) as i64);
        let d = RequestDraft {
            category: Some(category.as_str().into()),
            community: Some(communities[dice.below(communities.len() as u64) as usize].clone()),
            description: Some(texts[dice.below(texts.len() as u64) as usize].into()),
            phone: Some(phone(&mut dice)),
        }
        .validate()
        .map_err(StoreError::Invalid)?;
        let token = token_hash(&format!("demo-request-{i}"));
        let r = store.submit_request(&d, &token, &limits, t0, ctx()).await?;
        out.requests += 1;
        let step = |h: i64| t0 + Duration::hours(h);
        let mv = |t: Transition, org: Option<Uuid>, reason: &str, h: i64| {
            let input = TransitionInput {
                organization_id: org,
                reason: reason.into(),
                rating: None,
            };
            async move {
                store
                    .transition_request(r.id, t, &input, &limits, step(h), ctx())
                    .await
            }
        };
        if goal == RequestState::Submitted {
            continue;
        }
        if goal == RequestState::Cancelled {
            mv(Transition::Cancel, None, "居民来电说明已自行解决", 5).await?;
            continue;
        }
        let candidates = store.request_candidates(&r, 1, 3).await?.items;
        let Some(first) = candidates.first() else {
            continue;
        };
        // Mostly the best fit; now and then the second.
        let pick = if candidates.len() > 1 && dice.below(5) == 0 {
            &candidates[1]
        } else {
            first
        };
        let org = pick.facts.organization_id;
        mv(Transition::Assign, Some(org), "", 3).await?;
        match goal {
            RequestState::Assigned => continue,
            RequestState::Declined => {
                mv(Transition::Decline, Some(org), "本周服务名额已满", 20).await?;
                continue;
            }
            _ => {}
        }
        mv(Transition::Accept, Some(org), "", 8).await?;
        if goal == RequestState::Accepted {
            continue;
        }
        if goal == RequestState::Closed {
            mv(Transition::Close, None, "多次联系居民未果", 120).await?;
            continue;
        }
        mv(
            Transition::Complete,
            Some(org),
            "",
            30 + dice.below(40) as i64,
        )
        .await?;
        if goal == RequestState::Completed {
            continue;
        }
        // Ratings lean good, with some poor ones.
        let stars = match dice.below(20) {
            0 => 1,
            1 | 2 => 2,
            3..=5 => 3,
            6..=11 => 4,
            _ => 5,
        };
        let comments = COMMENTS[stars as usize - 1];
        let rating = Rating {
            stars,
            comment: comments[dice.below(comments.len() as u64) as usize].into(),
        };
        let input = TransitionInput {
            rating: Some(rating),
            ..Default::default()
        };
        let r = store
            .transition_request(r.id, Transition::Confirm, &input, &limits, step(100), ctx())
            .await?;
        out.rated += 1;
        handled.push((r, org, stars));
    }
    complaints(store, today, &handled, &mut dice, &mut out).await?;
    Ok(out)
}

/// How a demo complaint goes.
#[derive(Clone, Copy)]
enum Course {
    InTime(Option<ComplaintOutcome>),
    Late(Option<ComplaintOutcome>),
    Unanswered(Option<ComplaintOutcome>),
    Waiting,
}

async fn complaints(
    store: &Store,
    today: NaiveDate,
    handled: &[(ResidentRequest, Uuid, u8)],
    dice: &mut Dice,
    out: &mut Residents,
) -> Result<(), StoreError> {
    let settings = ComplaintSettings::default();
    let now = at(today, 0);
    use ComplaintOutcome::*;
    let courses = [
        Course::InTime(Some(NotUpheld)),
        Course::InTime(Some(PartlyUpheld)),
        Course::InTime(None),
        Course::Late(Some(Upheld)),
        Course::Unanswered(Some(Upheld)),
        Course::InTime(Some(Upheld)),
        Course::Unanswered(None),
        Course::Late(None),
        Course::Waiting,
        Course::InTime(Some(NotUpheld)),
    ];
    // Poorly rated services draw complaints through their request's link.
    let poor: Vec<&(ResidentRequest, Uuid, u8)> =
        handled.iter().filter(|(_, _, s)| *s <= 2).collect();
    let kinds = ["not_delivered", "attitude", "service_quality", "fees"];
    let words = [
        "约定的服务没有按时提供，联系后也没有答复",
        "工作人员态度生硬，没有解决问题",
        "服务质量和宣传的不一致",
        "收取了宣传中说是免费的费用",
    ];
    for (n, (r, org, _)) in poor.iter().enumerate() {
        let course = courses[n % courses.len()];
        let k = dice.below(kinds.len() as u64) as usize;
        let filed = match course {
            Course::Waiting => now - Duration::hours(20),
            _ => r.updated_at + Duration::days(1),
        };
        if filed >= now {
            continue;
        }
        let d = ComplaintDraft {
            category: Some(kinds[k].into()),
            description: Some(words[k].into()),
            phone: None,
        }
        .validate(Some(&r.data.phone))
        .map_err(StoreError::Invalid)?;
        let token = token_hash(&format!("demo-complaint-{n}"));
        let against = Against::Request {
            request_id: r.id,
            organization_id: *org,
        };
        let c = store
            .submit_complaint(against, &d, &token, &settings, filed, ctx())
            .await?;
        out.complaints += 1;
        follow(store, c.id, *org, c.due_at, filed, now, course).await?;
    }
    // And a few about organizations directly, the phone given.
    let direct: Vec<Uuid> = handled.iter().map(|(_, o, _)| *o).take(6).collect();
    for (n, org) in direct.into_iter().enumerate() {
        let course = courses[(n * 3 + 1) % courses.len()];
        let filed = now - Duration::days(20 + 9 * n as i64);
        let d = ComplaintDraft {
            category: Some("safety".into()),
            description: Some("活动场地消防通道被杂物堵塞，存在安全隐患".into()),
            phone: Some(phone(dice)),
        }
        .validate(None)
        .map_err(StoreError::Invalid)?;
        let token = token_hash(&format!("demo-direct-complaint-{n}"));
        let c = store
            .submit_complaint(
                Against::Organization(org),
                &d,
                &token,
                &settings,
                filed,
                ctx(),
            )
            .await?;
        out.complaints += 1;
        follow(store, c.id, org, c.due_at, filed, now, course).await?;
    }
    out.escalated = store
        .complaint_queue(&shuniu_store::complaints::ComplaintFilter {
            escalated: true,
            page: 1,
            per_page: 1,
            ..Default::default()
        })
        .await?
        .total as usize;
    Ok(())
}

async fn follow(
    store: &Store,
    id: Uuid,
    org: Uuid,
    due: DateTime<Utc>,
    filed: DateTime<Utc>,
    now: DateTime<Utc>,
    course: Course,
) -> Result<(), StoreError> {
    let official = || WriteCtx::new("xuanwu.official", "official", "127.0.0.1");
    let answer = ComplaintStep::Answer {
        organization_id: org,
        response: "已与居民电话沟通，说明情况并安排整改".into(),
    };
    let (answered, outcome) = match course {
        Course::Waiting => return Ok(()),
        Course::InTime(o) => (Some(filed + Duration::hours(26)), o),
        Course::Late(o) => (Some(due + Duration::days(2)), o),
        Course::Unanswered(o) => (None, o),
    };
    // The daily job runs after the due time: what is unanswered then is escalated.
    let sweep = due + Duration::hours(1);
    if sweep < now && answered.is_none_or(|a| a > sweep) {
        store.escalate_overdue_complaints(sweep, ACTOR).await?;
    }
    let mut last = filed;
    if let Some(a) = answered.filter(|a| *a < now) {
        store.act_on_complaint(id, &answer, a, ctx()).await?;
        last = a;
    }
    if let Some(o) = outcome {
        let when = last.max(due) + Duration::days(3);
        if when < now {
            let step = ComplaintStep::Decide {
                // A complaint not upheld is closed; the others resolved.
                action: if o == ComplaintOutcome::NotUpheld {
                    ComplaintAction::Close
                } else {
                    ComplaintAction::Resolve
                },
                decision: Decision {
                    outcome: o,
                    outcome_text: match o {
                        ComplaintOutcome::Upheld => {
                            "经街道核实投诉属实，已责令组织整改并向居民致歉"
                        }
                        ComplaintOutcome::PartlyUpheld => "部分属实，组织已调整服务安排",
                        ComplaintOutcome::NotUpheld => "经核实服务按约定提供，投诉不成立",
                    }
                    .into(),
                },
            };
            store.act_on_complaint(id, &step, when, official()).await?;
        }
    }
    Ok(())
}
