//! The organization list: its filters and orders, one page at a time (`LIMIT … OFFSET`
//! with a count) or a whole walk in keyset chunks for a download, and the search
//! index's hits in the index's rank.

use serde::Serialize;
use shuniu_domain::codes::{FilingNumber, Uscc};
use shuniu_domain::registry::{Grade, LegalForm, OrgStatus, Organization, ServiceDomain, Stage};
use uuid::Uuid;

use super::{COLUMNS, OrgRow};
use crate::paging::{Key, Walk};
use crate::{After, Arg, KeyChunk, Page, Paging, Result, Store};

/// Filters of the organization list; all optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrgFilter {
    /// A jurisdiction code: the node and its whole subtree.
    pub jurisdiction: Option<String>,
    pub legal_form: Option<LegalForm>,
    pub domain: Option<ServiceDomain>,
    pub status: Option<OrgStatus>,
    pub stage: Option<Stage>,
    pub grade: Option<Grade>,
    /// A whole USCC or filing number, or a whole name (exact, indexed). Words and parts
    /// of names are looked up in the search index, whose hits come here as `ids`.
    pub q: Option<String>,
    pub sort: OrgSort,
    /// Only these organizations (the search index's hits, best first), listed in this
    /// order whatever `sort` says. At most [`crate::MAX_RANKED_IDS`]; empty: nothing.
    #[serde(skip)]
    pub ids: Option<Vec<Uuid>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgSort {
    #[default]
    Name,
    NameDesc,
    Founded,
    FoundedDesc,
    Updated,
    Staff,
}

impl OrgSort {
    pub const ALL: [OrgSort; 6] = [
        OrgSort::Name,
        OrgSort::NameDesc,
        OrgSort::Founded,
        OrgSort::FoundedDesc,
        OrgSort::Updated,
        OrgSort::Staff,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            OrgSort::Name => "name",
            OrgSort::NameDesc => "-name",
            OrgSort::Founded => "founded_on",
            OrgSort::FoundedDesc => "-founded_on",
            OrgSort::Updated => "-updated_at",
            OrgSort::Staff => "-staff",
        }
    }
    pub fn parse(s: &str) -> Option<OrgSort> {
        OrgSort::ALL.into_iter().find(|o| o.as_str() == s)
    }
    /// Every order ends on `id`, so that pages are stable.
    fn order_by(self) -> &'static str {
        match self {
            OrgSort::Name => "name ASC, id ASC",
            OrgSort::NameDesc => "name DESC, id DESC",
            OrgSort::Founded => "founded_on ASC, id ASC",
            OrgSort::FoundedDesc => "founded_on DESC, id DESC",
            OrgSort::Updated => "updated_at DESC, id DESC",
            OrgSort::Staff => "(staff_full_time + staff_part_time) DESC, id ASC",
        }
    }
    /// The same order as a keyset walk (the staff count negated, to run one way).
    fn walk(self) -> Walk<'static> {
        const NAME: &[(&str, Key)] = &[("name", Key::Text), ("id", Key::Uuid)];
        const FOUNDED: &[(&str, Key)] = &[("founded_on", Key::Date), ("id", Key::Uuid)];
        const UPDATED: &[(&str, Key)] = &[("updated_at", Key::Time), ("id", Key::Uuid)];
        const STAFF: &[(&str, Key)] = &[
            ("-(staff_full_time + staff_part_time)", Key::Int),
            ("id", Key::Uuid),
        ];
        let (keys, desc) = match self {
            OrgSort::Name => (NAME, false),
            OrgSort::NameDesc => (NAME, true),
            OrgSort::Founded => (FOUNDED, false),
            OrgSort::FoundedDesc => (FOUNDED, true),
            OrgSort::Updated => (UPDATED, true),
            OrgSort::Staff => (STAFF, false),
        };
        Walk { keys, desc }
    }
}

/// The `WHERE` of a list of organizations, its values, and the search index's rank
/// when the list is of its hits.
struct OrgWhere {
    sql: String,
    args: Vec<Arg>,
    rank: Option<String>,
}

impl Store {
    /// One page of organizations matching `filter`; filtering, ordering and paging all
    /// happen in the database. An unknown jurisdiction yields an empty page.
    pub async fn list_organizations(
        &self,
        filter: &OrgFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Organization>> {
        let paging = Paging::new(page, per_page, 200);
        let Some(OrgWhere {
            sql: where_sql,
            args,
            rank,
        }) = self.org_where(filter).await?
        else {
            return Ok(paging.empty());
        };
        let order = match rank {
            Some(rank) => format!("{rank}, id"),
            None => filter.sort.order_by().to_string(),
        };
        // The total from the maintained tallies when they count by this filter (handed
        // back by a constant query, no scan); otherwise counted.
        let (count_sql, count_args) = match self.organization_total(filter).await? {
            Some(total) => (
                "SELECT CAST($1 AS BIGINT)".to_string(),
                vec![Arg::Int(total)],
            ),
            None => (
                format!("SELECT COUNT(*) FROM organizations WHERE {where_sql}"),
                args.clone(),
            ),
        };
        let list_sql =
            format!("SELECT {COLUMNS} FROM organizations WHERE {where_sql} ORDER BY {order}");
        self.paged::<OrgRow, _>(
            paging,
            (&count_sql, &count_args),
            (&list_sql, &args),
            Organization::try_from,
        )
        .await
    }

    /// The organizations matching `filter` in the list's order, `limit` after `after`
    /// (from the start if `None`): a download walks the whole list so, by its sort key
    /// and id, without counting or skipping rows.
    pub async fn organizations_chunk(
        &self,
        filter: &OrgFilter,
        after: Option<&After>,
        limit: u32,
    ) -> Result<KeyChunk<Organization>> {
        let Some(OrgWhere {
            sql: where_sql,
            args,
            rank,
        }) = self.org_where(filter).await?
        else {
            return Ok(KeyChunk {
                items: vec![],
                next: None,
            });
        };
        let select = format!("SELECT {COLUMNS} FROM organizations WHERE {where_sql}");
        // Search hits walk in the index's rank; other lists by their sort.
        let ranked;
        let walk = match &rank {
            Some(rank) => {
                ranked = [(rank.as_str(), Key::Int), ("id", Key::Uuid)];
                Walk {
                    keys: &ranked,
                    desc: false,
                }
            }
            None => filter.sort.walk(),
        };
        self.walk::<OrgRow, _>((&select, &args), walk, after, limit, Organization::try_from)
            .await
    }

    /// The `WHERE` of the organizations matching `filter`, with its values; `None` when
    /// it names a jurisdiction that does not exist (nothing matches).
    async fn org_where(&self, filter: &OrgFilter) -> Result<Option<OrgWhere>> {
        let mut where_ = vec!["1 = 1".to_string()];
        let mut args: Vec<Arg> = Vec::new();
        // Appends a clause, numbering its `?` placeholders after those already bound.
        let mut push_n = |clause: &str, new_args: Vec<Arg>, args: &mut Vec<Arg>| {
            let mut new_args = new_args.into_iter();
            let mut sql = String::with_capacity(clause.len() + 8);
            for c in clause.chars() {
                if c == '?' {
                    args.push(new_args.next().expect("one argument per placeholder"));
                    sql.push_str(&format!("${}", args.len()));
                } else {
                    sql.push(c);
                }
            }
            where_.push(sql);
        };
        let range = match &filter.jurisdiction {
            Some(code) => match self.jurisdiction(code).await? {
                Some(j) => Some(j.subtree_range()),
                None => return Ok(None),
            },
            None => None,
        };
        if let Some((lo, hi)) = &range {
            push_n(
                "jurisdiction_path >= ?",
                vec![Arg::Text(lo.clone())],
                &mut args,
            );
            push_n(
                "jurisdiction_path < ?",
                vec![Arg::Text(hi.clone())],
                &mut args,
            );
        }
        if let Some(f) = filter.legal_form {
            push_n(
                "legal_form = ?",
                vec![Arg::Text(f.as_str().into())],
                &mut args,
            );
        }
        if let Some(s) = filter.status {
            push_n("status = ?", vec![Arg::Text(s.as_str().into())], &mut args);
        }
        if let Some(s) = filter.stage {
            push_n("stage = ?", vec![Arg::Text(s.as_str().into())], &mut args);
        }
        if let Some(g) = filter.grade {
            push_n("grade = ?", vec![Arg::Text(g.as_str().into())], &mut args);
        }
        if let Some(d) = filter.domain {
            // The domain index carries the path: domain-within-jurisdiction is one range.
            let (lo, hi) = range
                .clone()
                .unwrap_or_else(|| (String::new(), "~".to_string()));
            push_n(
                "id IN (SELECT organization_id FROM organization_domains WHERE domain = ? AND jurisdiction_path >= ? AND jurisdiction_path < ?)",
                vec![Arg::Text(d.as_str().into()), Arg::Text(lo), Arg::Text(hi)],
                &mut args,
            );
        }
        if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            // A whole code is an exact, indexed lookup; anything else searches names.
            if let Ok(u) = Uscc::parse(q) {
                push_n("uscc = ?", vec![Arg::Text(u.to_string())], &mut args);
            } else if let Ok(f) = FilingNumber::parse(q) {
                push_n(
                    "filing_number = ?",
                    vec![Arg::Text(f.to_string())],
                    &mut args,
                );
            } else {
                push_n("name = ?", vec![Arg::Text(q.to_string())], &mut args);
            }
        }
        // The search index's hits: restricted to them, ranked as the index ranked them.
        let mut rank = None;
        if let Some(ids) = &filter.ids {
            if ids.is_empty() {
                return Ok(None);
            }
            let (clause, r, more) = crate::paging::ranked_ids("id", ids, args.len());
            where_.push(clause);
            args.extend(more);
            rank = Some(r);
        }
        Ok(Some(OrgWhere {
            sql: where_.join(" AND "),
            args,
            rank,
        }))
    }
}
