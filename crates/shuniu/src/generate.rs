//! `shuniu generate`: a province-scale data set (`shuniu_demo::province`) written
//! through the store's ordinary writes in bulk — `create_organizations` in batches
//! (rows, domains, history, audit, counters), hubs recognized one by one, memberships
//! added a batch at a time (`add_members`), and the few suspensions and
//! deregistrations as `change_status`. What `shuniu serve` then shows is what the
//! registry would hold had the organizations been registered by hand.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use shuniu_demo::province::{Generated, HubRole, Province};
use shuniu_domain::hubs::{HubFunction, HubKind, HubLevel, Recognition};
use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_domain::registry::{OrgStatus, ServiceDomain, StatusChange};
use shuniu_store::{OrgFilter, Store, StoreError, WriteCtx};
use uuid::Uuid;

use crate::{Failure, Outcome};

/// Who the history and the audit trail name as the author.
const ACTOR: &str = "generate";

/// What was asked.
pub(crate) struct Request {
    pub orgs: u64,
    pub seed: u64,
    pub batch: usize,
    pub today: NaiveDate,
}

/// What was made, and how fast.
#[derive(Debug, Default)]
pub(crate) struct Made {
    pub nodes: usize,
    pub organizations: u64,
    pub regional_hubs: usize,
    pub industry_hubs: usize,
    pub memberships: usize,
    pub suspended: usize,
    pub deregistered: usize,
    /// Time spent in `create_organizations` alone.
    pub registering: Duration,
    pub total: Duration,
}

impl std::fmt::Display for Made {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rate = |n: u64, d: Duration| n as f64 / d.as_secs_f64().max(1e-9);
        write!(
            f,
            "Generated {} organizations ({} new streets and communities); {} regional and {} industry hubs \
             with {} memberships; {} suspended, {} deregistered. {:.1} s in all ({:.0} organizations/s); \
             registration alone {:.1} s ({:.0} organizations/s).",
            self.organizations,
            self.nodes,
            self.regional_hubs,
            self.industry_hubs,
            self.memberships,
            self.suspended,
            self.deregistered,
            self.total.as_secs_f64(),
            rate(self.organizations, self.total),
            self.registering.as_secs_f64(),
            rate(self.organizations, self.registering),
        )
    }
}

fn failed(what: &str) -> impl Fn(StoreError) -> Failure + '_ {
    move |e| Failure::new(format!("cannot {what}: {e}"))
}

/// One line on stderr, redrawn in place on a terminal, every few seconds otherwise.
struct Progress {
    total: u64,
    started: Instant,
    last: Instant,
    tty: bool,
}

impl Progress {
    fn new(total: u64) -> Progress {
        Progress {
            total,
            started: Instant::now(),
            last: Instant::now(),
            tty: std::io::stderr().is_terminal(),
        }
    }
    fn show(&mut self, done: u64) {
        let every = if self.tty { 0.2 } else { 10.0 };
        if self.last.elapsed().as_secs_f64() < every && done < self.total {
            return;
        }
        self.last = Instant::now();
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        let width = 30usize;
        let filled = (done as usize * width) / self.total.max(1) as usize;
        let line = format!(
            "[{}{}] {done}/{} organizations, {:.0}/s",
            "#".repeat(filled),
            "-".repeat(width - filled),
            self.total,
            done as f64 / secs
        );
        let mut err = std::io::stderr();
        if self.tty {
            let _ = write!(err, "\r{line}");
            if done >= self.total {
                let _ = writeln!(err);
            }
        } else {
            let _ = writeln!(err, "{line}");
        }
    }
}

fn recognition(role: &HubRole, k: usize, today: NaiveDate) -> Recognition {
    let (kind, level, code, base_body, fields) = match role {
        HubRole::Regional(street) => (HubKind::Regional, HubLevel::Street, street.as_str(), "", 0),
        HubRole::Industry(district, domains) => (
            HubKind::Industry,
            HubLevel::District,
            district.as_str(),
            "区民政局",
            ServiceDomain::mask(domains),
        ),
    };
    Recognition {
        kind,
        level,
        jurisdiction: JurisdictionCode::parse(code).expect("a generated code"),
        base_body: base_body.into(),
        fields_mask: fields,
        recognizing_body: "区民政局".into(),
        document_number: format!("民〔2013〕{}号", k + 1),
        recognized_on: today,
        functions_mask: HubFunction::mask(HubFunction::ALL),
    }
}

/// `shuniu generate`: migrates, generates, prints what was made.
pub(crate) async fn command(
    settings: &crate::config::Settings,
    orgs: u64,
    seed: u64,
    batch: usize,
) -> Outcome {
    let key = crate::audit_key(settings, crate::Key::CreateIfMissing)?;
    let store = crate::open_tuned(settings, shuniu_store::Tuning::Bulk)
        .await?
        .with_audit_key(&key);
    crate::migrate(&store).await?;
    let req = Request {
        orgs,
        seed,
        batch,
        today: shuniu_web::today(),
    };
    let done = run(&store, &req).await.map(|made| println!("{made}"));
    // Name search goes through the index, as after `shuniu demo`.
    let indexed = match done {
        Ok(()) => match crate::search::open_index(settings) {
            Ok(index) => crate::search::reindex(&store, &index).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    store.close().await;
    println!("{}", indexed?);
    Ok(())
}

pub(crate) async fn run(store: &Store, req: &Request) -> Outcome<Made> {
    let started = Instant::now();
    let held = store
        .list_organizations(&OrgFilter::default(), 1, 1)
        .await
        .map_err(failed("count the organizations"))?
        .total;
    if held > 0 {
        return Err(Failure::new(format!(
            "the database already holds {held} organizations: generate writes into an empty registry"
        )));
    }
    let min = Province::minimum_total();
    if req.orgs < min {
        return Err(Failure::new(format!(
            "--orgs must be at least {min} (every district gets its hubs)"
        )));
    }
    let ctx = WriteCtx::system(ACTOR);
    let mut province = Province::new(req.orgs, req.seed, req.today);
    let mut made = Made::default();
    for node in province.new_nodes() {
        match store.add_jurisdiction(node).await {
            Ok(()) => made.nodes += 1,
            // Already there (a community added by hand, an earlier run): kept.
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(failed("add the generated streets and communities")(e)),
        }
    }
    let mut progress = Progress::new(req.orgs);
    let mut regional: HashMap<String, Uuid> = HashMap::new();
    let mut industry: HashMap<String, Vec<Uuid>> = HashMap::new();
    // The next batch is generated on another thread while this one is written: the
    // machine's second core makes names and codes while the first one writes.
    let (send, mut batches) = tokio::sync::mpsc::channel::<Vec<Generated>>(2);
    let size = req.batch;
    let generator = tokio::task::spawn_blocking(move || {
        loop {
            let batch = province.next_batch(size);
            if batch.is_empty() || send.blocking_send(batch).is_err() {
                break;
            }
        }
    });
    while let Some(batch) = batches.recv().await {
        let data: Vec<_> = batch.iter().map(|g| g.data.clone()).collect();
        let t = Instant::now();
        let orgs = store
            .create_organizations(&data, &ctx)
            .await
            .map_err(failed("register the organizations"))?;
        made.registering += t.elapsed();
        made.organizations += orgs.len() as u64;
        let mut joins = Vec::new();
        let mut ends = Vec::new();
        for (g, org) in batch.iter().zip(&orgs) {
            if let Some(role) = &g.hub {
                let k = made.regional_hubs + made.industry_hubs;
                let hub = store
                    .recognize_hub(org.id, &recognition(role, k, req.today), &ctx)
                    .await
                    .map_err(failed("recognize a hub"))?;
                match role {
                    HubRole::Regional(street) => {
                        regional.insert(street.clone(), hub.id);
                        made.regional_hubs += 1;
                    }
                    HubRole::Industry(district, _) => {
                        industry.entry(district.clone()).or_default().push(hub.id);
                        made.industry_hubs += 1;
                    }
                }
            }
            if let Some(hub) = g.joins_street.as_ref().and_then(|s| regional.get(s)) {
                joins.push((*hub, org.id, false));
            }
            let district = &g.data.jurisdiction.as_str()[..6];
            if let Some(hub) = g
                .joins_industry
                .and_then(|i| industry.get(district).and_then(|h| h.get(i)))
            {
                joins.push((*hub, org.id, false));
            }
            if let Some(deregistered) = g.ends {
                ends.push((org.id, deregistered, g.data.founded_on));
            }
        }
        made.memberships += store
            .add_members(&joins, req.today, &ctx)
            .await
            .map_err(failed("add the memberships"))?
            .len();
        for (id, deregistered, founded_on) in ends {
            let change = StatusChange {
                status: if deregistered {
                    OrgStatus::Deregistered
                } else {
                    OrgStatus::Suspended
                },
                reason: if deregistered {
                    "自行解散，办理注销登记".into()
                } else {
                    "未按规定参加年度检查，责令整改".into()
                },
                effective_on: founded_on.max(req.today - chrono::Days::new(400)),
            };
            store
                .change_status(id, &change, &ctx)
                .await
                .map_err(failed("change a status"))?;
            if deregistered {
                made.deregistered += 1;
            } else {
                made.suspended += 1;
            }
        }
        progress.show(made.organizations);
    }
    drop(batches);
    generator
        .await
        .map_err(|e| Failure::new(format!("the generator failed: {e}")))?;
    made.total = started.elapsed();
    Ok(made)
}
