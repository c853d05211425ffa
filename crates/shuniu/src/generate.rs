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
    /// Organizations written by this run.
    pub organizations: u64,
    /// Organizations of the batches an earlier run finished (resumed after them).
    pub skipped: u64,
    pub regional_hubs: usize,
    pub industry_hubs: usize,
    pub memberships: usize,
    pub suspended: usize,
    pub deregistered: usize,
    /// Time spent in each step: registrations, hubs, memberships, status changes.
    pub registering: Duration,
    pub recognizing: Duration,
    pub joining: Duration,
    pub changing: Duration,
    /// Building the indexes set aside during the load (see `Store::defer_indexes`).
    pub indexing: Duration,
    pub total: Duration,
}

impl std::fmt::Display for Made {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rate = |n: u64, d: Duration| n as f64 / d.as_secs_f64().max(1e-9);
        let n = self.organizations;
        write!(
            f,
            "Generated {} organizations ({} new streets and communities); {} regional and {} industry hubs \
             with {} memberships; {} suspended, {} deregistered. {:.1} s in all ({:.0} organizations/s); \
             registration {:.1} s ({:.0} organizations/s), hubs {:.1} s, memberships {:.1} s ({:.0}/s), \
             status changes {:.1} s ({:.0}/s), indexes built and the tables vacuumed (on PostgreSQL, analyzed) after the load {:.1} s.",
            n + self.skipped,
            self.nodes,
            self.regional_hubs,
            self.industry_hubs,
            self.memberships,
            self.suspended,
            self.deregistered,
            self.total.as_secs_f64(),
            rate(n, self.total),
            self.registering.as_secs_f64(),
            rate(n, self.registering),
            self.recognizing.as_secs_f64(),
            self.joining.as_secs_f64(),
            rate(self.memberships as u64, self.joining),
            self.changing.as_secs_f64(),
            rate((self.suspended + self.deregistered) as u64, self.changing),
            self.indexing.as_secs_f64(),
        )?;
        if self.skipped > 0 {
            write!(
                f,
                " Resumed: {} of them were written by an earlier run that stopped.",
                self.skipped
            )?;
        }
        Ok(())
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
    let key = crate::connect::audit_key(settings, crate::connect::Key::CreateIfMissing)?;
    let store = crate::connect::open_tuned(settings, shuniu_store::Tuning::Bulk)
        .await?
        .with_audit_key(&key);
    crate::connect::migrate(&store).await?;
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

/// The name of `generate`'s row in the store's record of bulk loads.
const LOAD: &str = "generate";

/// Where the batches go: the hubs made so far (joined by later organizations), what was
/// made, and the test hook that stops the process between two writes.
struct Writer<'a> {
    store: &'a Store,
    req: &'a Request,
    ctx: WriteCtx,
    regional: HashMap<String, Uuid>,
    industry: HashMap<String, Vec<Uuid>>,
    made: Made,
    crash: Crash,
}

/// A test hook: `SHUNIU_GENERATE_CRASH_AFTER=k` aborts the process (no unwinding, no
/// cleanup: what a `kill -9` leaves) right after the k-th write of the run, so that the
/// resumption can be tested at every boundary between two writes.
struct Crash {
    after: Option<u64>,
    writes: u64,
}

impl Crash {
    fn from_env() -> Crash {
        Crash {
            after: std::env::var("SHUNIU_GENERATE_CRASH_AFTER")
                .ok()
                .and_then(|v| v.parse().ok()),
            writes: 0,
        }
    }
    fn wrote(&mut self) {
        self.writes += 1;
        if self.after == Some(self.writes) {
            std::process::abort();
        }
    }
}

/// The code that identifies a generated organization (USCC, or filing number).
fn code_of(g: &Generated) -> &str {
    g.data
        .uscc
        .as_ref()
        .map(|u| u.as_str())
        .or(g.data.filing_number.as_ref().map(|f| f.as_str()))
        .expect("a generated organization has a USCC or a filing number")
}

impl Writer<'_> {
    /// Notes a hub (made now, or by the run that stopped) for the joins that follow.
    fn hub_made(&mut self, role: &HubRole, hub: Uuid) {
        match role {
            HubRole::Regional(street) => {
                self.regional.insert(street.clone(), hub);
                self.made.regional_hubs += 1;
            }
            HubRole::Industry(district, _) => {
                self.industry.entry(district.clone()).or_default().push(hub);
                self.made.industry_hubs += 1;
            }
        }
    }

    /// A batch written by the run that stopped: only its hubs are needed again.
    async fn skipped(&mut self, batch: &[Generated]) -> Outcome {
        for g in batch {
            if let Some(role) = &g.hub {
                let hub = self.hub_of(code_of(g)).await?.ok_or_else(|| {
                    Failure::new(format!(
                        "the hub organization {} of an earlier batch has no hub: the database was changed since",
                        code_of(g)
                    ))
                })?;
                self.hub_made(role, hub);
            }
            self.made.skipped += 1;
        }
        Ok(())
    }

    /// The hub of the organization with `code`, if both exist.
    async fn hub_of(&self, code: &str) -> Outcome<Option<Uuid>> {
        let Some(org) = self
            .store
            .organization_by_code(code)
            .await
            .map_err(failed("find an organization"))?
        else {
            return Ok(None);
        };
        Ok(self
            .store
            .hub_of_organization(org.id)
            .await
            .map_err(failed("find a hub"))?
            .map(|h| h.id))
    }

    /// Writes one batch: registrations, hubs, memberships, status changes, each all or
    /// none. `resuming`: the run that stopped may have written part of it, so each step
    /// first looks whether it is already there (a step is one transaction, but the hubs
    /// are recognized one by one).
    async fn write(&mut self, batch: &[Generated], resuming: bool) -> Outcome {
        let (store, today) = (self.store, self.req.today);
        let ctx = &self.ctx.clone();
        let t = Instant::now();
        let mut ids = Vec::with_capacity(batch.len());
        let held = if resuming {
            store
                .organization_by_code(code_of(&batch[0]))
                .await
                .map_err(failed("find an organization"))?
        } else {
            None
        };
        if held.is_some() {
            for g in batch {
                let org = store
                    .organization_by_code(code_of(g))
                    .await
                    .map_err(failed("find an organization"))?
                    .ok_or_else(|| Failure::new("a batch was written in part"))?;
                ids.push(org.id);
            }
        } else {
            let data: Vec<_> = batch.iter().map(|g| g.data.clone()).collect();
            let orgs = store
                .create_organizations(&data, ctx)
                .await
                .map_err(failed("register the organizations"))?;
            ids.extend(orgs.iter().map(|o| o.id));
            self.crash.wrote();
        }
        self.made.registering += t.elapsed();
        self.made.organizations += ids.len() as u64;
        let t = Instant::now();
        let mut joins = Vec::new();
        let mut ends = Vec::new();
        for (g, &id) in batch.iter().zip(&ids) {
            if let Some(role) = &g.hub {
                let existing = if resuming {
                    store
                        .hub_of_organization(id)
                        .await
                        .map_err(failed("find a hub"))?
                        .map(|h| h.id)
                } else {
                    None
                };
                let hub = match existing {
                    Some(hub) => hub,
                    None => {
                        let k = self.made.regional_hubs + self.made.industry_hubs;
                        let hub = store
                            .recognize_hub(id, &recognition(role, k, today), ctx)
                            .await
                            .map_err(failed("recognize a hub"))?;
                        self.crash.wrote();
                        hub.id
                    }
                };
                self.hub_made(role, hub);
            }
            if let Some(hub) = g.joins_street.as_ref().and_then(|s| self.regional.get(s)) {
                joins.push((*hub, id, false));
            }
            let district = &g.data.jurisdiction.as_str()[..6];
            if let Some(hub) = g
                .joins_industry
                .and_then(|i| self.industry.get(district).and_then(|h| h.get(i)))
            {
                joins.push((*hub, id, false));
            }
            if let Some(deregistered) = g.ends {
                ends.push((id, status_change(deregistered, g.data.founded_on, today)));
            }
        }
        self.made.recognizing += t.elapsed();
        let t = Instant::now();
        // The memberships are added in one transaction: the first there means all are.
        let joined = match joins.first() {
            Some(&(hub, org, _)) if resuming => store
                .memberships_of(org)
                .await
                .map_err(failed("read the memberships"))?
                .iter()
                .any(|m| m.hub_id == hub),
            _ => false,
        };
        if !joined && !joins.is_empty() {
            store
                .add_members(&joins, today, ctx)
                .await
                .map_err(failed("add the memberships"))?;
            self.crash.wrote();
        }
        self.made.memberships += joins.len();
        self.made.joining += t.elapsed();
        let t = Instant::now();
        // Likewise the status changes.
        let changed = match ends.first() {
            Some((id, _)) if resuming => store
                .organization(*id)
                .await
                .map_err(failed("read an organization"))?
                .is_some_and(|o| o.status != OrgStatus::Active),
            _ => false,
        };
        if !changed && !ends.is_empty() {
            store
                .change_statuses(&ends, ctx)
                .await
                .map_err(failed("change the statuses"))?;
            self.crash.wrote();
        }
        for (_, change) in &ends {
            match change.status {
                OrgStatus::Deregistered => self.made.deregistered += 1,
                _ => self.made.suspended += 1,
            }
        }
        self.made.changing += t.elapsed();
        Ok(())
    }
}

/// The status change of a generated organization that ends (deregistered) or is
/// suspended.
fn status_change(deregistered: bool, founded_on: NaiveDate, today: NaiveDate) -> StatusChange {
    StatusChange {
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
        effective_on: founded_on.max(today - chrono::Days::new(400)),
    }
}

/// How many organizations a rerun may skip: those of the finished batches of an
/// earlier run with the same parameters (`None` for a first run). Refuses a registry
/// that holds organizations of something else.
async fn resumable(store: &Store, params: &str) -> Outcome<Option<u64>> {
    let held = store
        .list_organizations(&OrgFilter::default(), 1, 1)
        .await
        .map_err(failed("count the organizations"))?
        .total;
    match store
        .bulk_load(LOAD)
        .await
        .map_err(failed("read the progress"))?
    {
        Some(load) if load.params == params => Ok(Some(load.done)),
        Some(load) => Err(Failure::new(format!(
            "the database already holds {held} organizations of `shuniu generate {}`: \
             rerun it with those parameters to resume, or generate into an empty registry",
            load.params
        ))),
        None if held > 0 => Err(Failure::new(format!(
            "the database already holds {held} organizations: generate writes into an empty registry"
        ))),
        None => Ok(None),
    }
}

pub(crate) async fn run(store: &Store, req: &Request) -> Outcome<Made> {
    let started = Instant::now();
    let min = Province::minimum_total();
    if req.orgs < min {
        return Err(Failure::new(format!(
            "--orgs must be at least {min} (every district gets its hubs)"
        )));
    }
    let params = format!(
        "--orgs {} --seed {} --batch {}",
        req.orgs, req.seed, req.batch
    );
    let earlier = resumable(store, &params).await?;
    let done = earlier.unwrap_or(0);
    let mut province = Province::new(req.orgs, req.seed, req.today);
    let mut w = Writer {
        store,
        req,
        ctx: WriteCtx::system(ACTOR),
        regional: HashMap::new(),
        industry: HashMap::new(),
        made: Made::default(),
        crash: Crash::from_env(),
    };
    for node in province.new_nodes() {
        match store.add_jurisdiction(node).await {
            Ok(()) => w.made.nodes += 1,
            // Already there (a community added by hand, an earlier run): kept.
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(failed("add the generated streets and communities")(e)),
        }
    }
    store
        .record_bulk_load(LOAD, &params, done)
        .await
        .map_err(failed("record the progress"))?;
    // The secondary indexes of the tables filled row by row are built once at the end,
    // each in one sorted pass, instead of a random insert per row into each (at 1M
    // organizations a dozen B-trees past the page cache). Unique ones stay and guard.
    store
        .defer_indexes()
        .await
        .map_err(failed("set the indexes aside"))?;
    let mut progress = Progress::new(req.orgs);
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
    // The batches are the same on a rerun (same seed, same size): those before `done`
    // were finished; the first after it may have been written in part.
    let mut position = 0u64;
    let mut resuming = earlier.is_some();
    let mut next_analysis = 10_000u64;
    while let Some(batch) = batches.recv().await {
        position += batch.len() as u64;
        if position <= done {
            w.skipped(&batch).await?;
            continue;
        }
        w.write(&batch, resuming).await?;
        resuming = false;
        store
            .record_bulk_load(LOAD, &params, position)
            .await
            .map_err(failed("record the progress"))?;
        w.crash.wrote();
        progress.show(w.made.organizations + w.made.skipped);
        // The planner's statistics as the registry grows fourfold (10,000, 40,000 …):
        // the next batches' joins are planned for the tables as they are.
        if position >= next_analysis {
            store
                .refresh_planner_statistics(false)
                .await
                .map_err(failed("refresh the planner's statistics"))?;
            next_analysis = position.saturating_mul(4);
        }
    }
    drop(batches);
    generator
        .await
        .map_err(|e| Failure::new(format!("the generator failed: {e}")))?;
    let t = Instant::now();
    store
        .restore_deferred_indexes()
        .await
        .map_err(failed("build the indexes set aside"))?;
    store
        .refresh_planner_statistics(true)
        .await
        .map_err(failed("vacuum and analyze what was loaded"))?;
    w.made.indexing = t.elapsed();
    w.made.total = started.elapsed();
    Ok(w.made)
}
