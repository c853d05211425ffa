//! The plans the engines make for the first page of the keyset lists of the queues,
//! reports, credit lists and accounts, so that a test on both engines can check that a
//! page walks an index in the list's order (no sort step) rather than reading a range
//! and sorting it.

#[cfg(feature = "testing")]
pub use plans::PlannedList;

use crate::Arg;
use crate::paging::keyset::KeyList;
use crate::paging::{Key, Walk};

/// A list's select, values and order, as its keyset page reads it.
pub(crate) struct ListShape {
    pub select: String,
    pub args: Vec<Arg>,
    pub keys: &'static [(&'static str, Key)],
    pub desc: bool,
}

impl ListShape {
    /// The list as a keyset page reads it, named `tag` in its cursors.
    pub fn key_list<'a>(&'a self, tag: &'a str) -> KeyList<'a> {
        KeyList {
            with: "",
            select: (&self.select, &self.args),
            walk: self.walk(),
            tag,
        }
    }

    /// The list's order, as a download walks it.
    pub fn walk(&self) -> Walk<'static> {
        Walk {
            keys: self.keys,
            desc: self.desc,
        }
    }
}

#[cfg(feature = "testing")]
mod plans {
    use shuniu_domain::supervision::credit::ListKind;
    use uuid::Uuid;

    use crate::complaints::ComplaintFilter;
    use crate::paging::Sql;
    use crate::paging::keyset::{Read, read_sql};
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
        let shape = match list {
            PlannedList::ComplaintQueue(f) => crate::complaints::queue_shape(f),
            PlannedList::PublicComplaints(o) => crate::complaints::public_shape(*o),
            PlannedList::RequestQueue(f) => crate::requests::queue_shape(f),
            PlannedList::AnnualQueue {
                authority_path,
                year,
                outcome,
            } => crate::supervision::annual::annual_queue_shape(authority_path, *year, *outcome)
                .expect("an authority that reviews reports"),
            PlannedList::AssessmentRounds => crate::supervision::assessment::rounds_shape(),
            PlannedList::CreditList { list, path } => {
                crate::supervision::credit::credit_list_shape(*list, path.as_deref())
            }
            PlannedList::Users => crate::accounts::users_shape(),
        };
        let (sql, args) = read_sql(&Read {
            with: "",
            select: (&shape.select, &shape.args),
            keys: shape.keys,
            desc: shape.desc,
            after: None,
            limit: 21,
            offset: 0,
        });
        self.plan_for_tests((&sql, &args)).await
    }

    /// The plan of one statement (see [`Store::list_plan_for_tests`]).
    pub(crate) async fn plan_for_tests(&self, statement: Sql<'_>) -> Result<Vec<String>> {
        use sqlx::Row;
        let (sql, args) = statement;
        Ok(match &self.backend {
            crate::Backend::Sqlite(p) => {
                let sql = format!("EXPLAIN QUERY PLAN {sql}");
                let rows = crate::bind_args!(sqlx::query(&sql), args)
                    .fetch_all(p)
                    .await?;
                rows.iter()
                    .map(|r| r.try_get::<String, _>(3))
                    .collect::<std::result::Result<_, _>>()?
            }
            crate::Backend::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("SET LOCAL enable_seqscan = off")
                    .execute(&mut *tx)
                    .await?;
                let sql = format!("EXPLAIN {sql}");
                let rows = crate::bind_args!(sqlx::query(&sql), args)
                    .fetch_all(&mut *tx)
                    .await?;
                tx.rollback().await?;
                rows.iter()
                    .map(|r| r.try_get::<String, _>(0))
                    .collect::<std::result::Result<_, _>>()?
            }
        })
    }
}
}
