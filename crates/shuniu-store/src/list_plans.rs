//! The queues' filters, written so that a page walks the order's index, and the plans
//! the engines make for the first page of the keyset lists of the queues, reports,
//! credit lists and accounts, so that a test on both engines can check that a page
//! walks an index in the list's order (no sort step) rather than reading a range and
//! sorting it.

#[cfg(feature = "testing")]
pub use plans::PlannedList;

use crate::Arg;
use crate::paging::unindexed;

/// The `WHERE` of a queue (a street's subtree, an organization's, a state, a deadline)
/// walked by its time index. Without an organization every column is read
/// [`unindexed`], so that no other index (a street's range, a state, a due time) can
/// serve the filter and the engine walks the order's index instead of reading a whole
/// range and sorting it; an organization's queue is read through its own index, its
/// columns as they are.
pub(crate) struct QueueFilters {
    alias: &'static str,
    hidden: bool,
    args: Vec<Arg>,
    clauses: Vec<String>,
}

impl QueueFilters {
    /// The filters of the rows `alias`, of the organization in `owner` (its column and
    /// id) when given.
    pub fn new(alias: &'static str, owner: Option<(&str, uuid::Uuid)>) -> QueueFilters {
        let mut w = QueueFilters {
            alias,
            hidden: owner.is_none(),
            args: vec![],
            clauses: vec![],
        };
        if let Some((column, id)) = owner {
            let m = w.bind(Arg::Uuid(id));
            w.push(format!("{alias}.{column} = {m}"));
        }
        w
    }

    /// A column as the filters read it.
    pub fn col(&self, c: &str) -> String {
        if self.hidden {
            unindexed(&format!("{}.{c}", self.alias))
        } else {
            format!("{}.{c}", self.alias)
        }
    }

    /// The placeholder of a new value.
    pub fn bind(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    pub fn push(&mut self, clause: String) {
        self.clauses.push(clause);
    }

    /// The rows whose path `column` lies in the subtree at `path` (when given).
    pub fn subtree(&mut self, column: &str, path: Option<&str>) {
        if let Some(path) = path {
            let (lo, hi) = shuniu_domain::jurisdiction::subtree_range(path);
            let (lo, hi) = (self.bind(Arg::Text(lo)), self.bind(Arg::Text(hi)));
            let c = self.col(column);
            self.push(format!("{c} >= {lo} AND {c} < {hi}"));
        }
    }

    /// The rows whose `column` is `value` (when given).
    pub fn eq(&mut self, column: &str, value: Option<&str>) {
        if let Some(v) = value {
            let m = self.bind(Arg::Text(v.to_string()));
            let c = self.col(column);
            self.push(format!("{c} = {m}"));
        }
    }

    /// The `WHERE` (`1 = 1` when nothing is filtered) and its values.
    pub fn finish(self) -> (String, Vec<Arg>) {
        let sql = if self.clauses.is_empty() {
            "1 = 1".to_string()
        } else {
            self.clauses.join(" AND ")
        };
        (sql, self.args)
    }
}

#[cfg(feature = "testing")]
mod plans {
    use shuniu_domain::supervision::credit::ListKind;
    use uuid::Uuid;

    use crate::complaints::ComplaintFilter;
    use crate::requests::RequestFilter;
    use crate::supervision::annual::QueueOutcome;
    use crate::{Result, Store};

    /// A list whose first page's plan is asked for.
    #[derive(Debug, Clone)]
    pub enum PlannedList {
        ComplaintQueue(ComplaintFilter),
        PublicComplaints(Uuid),
        RequestQueue(RequestFilter),
        AnnualQueue {
            authority_path: String,
            year: Option<i32>,
            outcome: Option<QueueOutcome>,
        },
        AssessmentRounds,
        CreditList {
            list: ListKind,
            path: Option<String>,
        },
        Users,
    }

    impl Store {
        /// The plan of the first page of `list`, one line per step (SQLite's `EXPLAIN QUERY
        /// PLAN` details, PostgreSQL's `EXPLAIN`, asked with sequential scans priced out:
        /// on a test's few rows a sequential scan beats any index, and what a test asks is
        /// which index the statement's shape lets the engine walk and whether it sorts).
        pub async fn list_plan_for_tests(&self, list: &PlannedList) -> Result<Vec<String>> {
            let q = match list {
                PlannedList::ComplaintQueue(f) => crate::complaints::queue_list(f),
                PlannedList::PublicComplaints(o) => crate::complaints::public_list(*o),
                PlannedList::RequestQueue(f) => crate::requests::queue_list(f),
                PlannedList::AnnualQueue {
                    authority_path,
                    year,
                    outcome,
                } => crate::supervision::annual::annual_queue_list(authority_path, *year, *outcome)
                    .expect("an authority that reviews reports"),
                PlannedList::AssessmentRounds => crate::supervision::assessment::rounds_list(),
                PlannedList::CreditList { list, path } => {
                    crate::supervision::credit::credit_list(*list, path.as_deref())
                }
                PlannedList::Users => crate::accounts::users_list(),
            };
            self.list_plan(&q).await
        }
    }
}
