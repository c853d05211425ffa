//! Full-text search over organizations and services, with tantivy.
//!
//! One index of documents (an organization or a service: its id, name, searchable text,
//! jurisdiction path and status). Chinese is analysed by character pairs and jieba words,
//! names also by pinyin and initials (see [`analysis`]); terms are given to tantivy
//! pre-tokenized, so the index needs no tokenizer of its own to be opened. A query is the
//! union of four groups — the name (boosted), the text, the name's pinyin, its initials —
//! each of which must match all the query's terms; hits are ranked by BM25 and each says
//! which group matched first ([`Reason`]). Filters (kind, jurisdiction subtree as a facet,
//! statuses) score nothing.
//!
//! One `IndexWriter` sits behind a mutex; every write commits and reloads the reader, so it
//! is seen by the next query.

pub mod analysis;

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, Query, TermQuery,
};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{
    DocAddress, DocSet, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
};

/// Bumped whenever the schema or the analysis changes: an index on disk written with
/// another version is discarded and rebuilt.
pub const INDEX_VERSION: u32 = 2;
const VERSION_FILE: &str = "shuniu-search.version";

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index: the writer lock was poisoned")]
    Poisoned,
}

pub type Result<T> = std::result::Result<T, SearchError>;

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Organization,
    Service,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Organization => "organization",
            Kind::Service => "service",
        }
    }
}

/// One searchable record.
#[derive(Clone, Debug)]
pub struct Doc {
    pub kind: Kind,
    /// The record's id (a UUID as text); the key of upserts and deletes.
    pub id: String,
    pub name: String,
    /// Everything else a query may find it by: domain words, a service's description …
    /// (the name need not be repeated; it is added).
    pub text: String,
    /// Another name the record goes by, found by its pinyin and initials as the name
    /// is (a service: its organization's name, so that `yanglao` finds the services of
    /// a 养老服务中心); empty for none. Put it in `text` too to find it by its words.
    pub also_named: String,
    /// The materialised jurisdiction path (`320000/320100/320102/`).
    pub path: String,
    pub status: String,
}

/// Why a hit matched: the first of these groups that holds every term of the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Name,
    Description,
    Pinyin,
    Initials,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::Name => "name",
            Reason::Description => "description",
            Reason::Pinyin => "pinyin",
            Reason::Initials => "initials",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Hit {
    pub id: String,
    pub reason: Reason,
    pub score: f32,
}

#[derive(Clone, Debug, Default)]
pub struct Hits {
    /// Every match, not only this page.
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// What a query is limited to, besides its words.
#[derive(Clone, Debug, Default)]
pub struct Filter<'a> {
    pub kind: Option<Kind>,
    /// A materialised path: only documents at or below it.
    pub subtree: Option<&'a str>,
    /// Only documents with one of these statuses (none: any).
    pub statuses: &'a [&'a str],
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    kind: Field,
    status: Field,
    path: Field,
    name: Field,
    text: Field,
    pinyin: Field,
    initials: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let terms = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field("kind", STRING),
        status: b.add_text_field("status", STRING),
        path: b.add_facet_field("path", FacetOptions::default()),
        name: b.add_text_field("name", terms.clone()),
        text: b.add_text_field("text", terms.clone()),
        pinyin: b.add_text_field("pinyin", terms.clone()),
        initials: b.add_text_field("initials", terms),
    };
    (b.build(), fields)
}

/// How much the writer may use: threads and heap bytes (tantivy needs 15 MB a thread).
#[derive(Clone, Copy, Debug)]
pub struct WriterBudget {
    pub threads: usize,
    pub heap_bytes: usize,
}

impl Default for WriterBudget {
    fn default() -> Self {
        WriterBudget {
            threads: 1,
            heap_bytes: 20_000_000,
        }
    }
}

/// The commit payload's prefix, before a time in seconds since 1970: every record the
/// store wrote before it is in the index, so a start re-reads the store from there.
const COMPLETE_FROM: &str = "complete_from=";
/// The payload of indexes committed before `complete_from`: the commit's own time.
const COMMITTED_AT: &str = "committed_at=";

/// What a commit by a serving process allows for: a record whose transaction began
/// before the commit but reached the index after it (or never, if the process stopped
/// between the store's commit and the index's), and the clocks of the processes that
/// write the store.
pub const IN_FLIGHT: Duration = Duration::from_secs(10 * 60);

/// What a rebuild allows for: it holds the index's writer lock, so no serving process
/// writes the index meanwhile and every record committed before it began is read; only
/// another command's transaction in flight at that moment (ours last well under a
/// second) may be missed.
pub const REBUILD_IN_FLIGHT: Duration = Duration::from_secs(10);

pub struct Search {
    reader: IndexReader,
    writer: Mutex<Writer>,
    fields: Fields,
}

/// The tantivy writer and what the index's commits say about the store.
struct Writer {
    index: IndexWriter,
    /// Seconds since 1970 before which every record of the store is in the index, as
    /// the last commit recorded it (`None`: it never committed with a payload).
    complete_from: Option<u64>,
    /// When the rebuild under way began (set by [`Search::clear`]).
    rebuild_from: Option<u64>,
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

/// The floor a commit's payload records: after a rebuild, the rebuild's start less its
/// allowance; otherwise the later of the floor so far and now less a serving process's
/// allowance (a floor never moves back, or a start after a recent rebuild would read
/// the whole rebuilt store again).
fn next_floor(previous: Option<u64>, rebuild_from: Option<u64>, now: u64) -> u64 {
    match rebuild_from {
        Some(start) => start.saturating_sub(REBUILD_IN_FLIGHT.as_secs()),
        None => previous
            .unwrap_or(0)
            .max(now.saturating_sub(IN_FLIGHT.as_secs())),
    }
}

/// The floor in a stored payload (an older payload's commit time less [`IN_FLIGHT`]).
fn floor_of_payload(payload: Option<&str>) -> Option<u64> {
    let payload = payload?;
    if let Some(secs) = payload.strip_prefix(COMPLETE_FROM) {
        return secs.parse().ok();
    }
    let at: u64 = payload.strip_prefix(COMMITTED_AT)?.parse().ok()?;
    Some(at.saturating_sub(IN_FLIGHT.as_secs()))
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search").field("docs", &self.len()).finish()
    }
}

fn facet_of(path: &str) -> Facet {
    Facet::from_path(path.split('/').filter(|p| !p.is_empty()))
}

fn pre_tokenized(terms: Vec<String>) -> PreTokenizedString {
    let tokens = terms
        .into_iter()
        .enumerate()
        .map(|(position, text)| Token {
            offset_from: 0,
            offset_to: 0,
            position,
            text,
            position_length: 1,
        })
        .collect();
    PreTokenizedString {
        text: String::new(),
        tokens,
    }
}

impl Search {
    /// An index kept in memory (tests, or a throw-away index).
    pub fn in_memory() -> Result<Search> {
        let (schema, fields) = schema();
        Search::with_index(
            Index::create_in_ram(schema),
            fields,
            WriterBudget::default(),
        )
    }

    /// The index in `dir` (created if missing; discarded and recreated if it was written by
    /// another version of the analysis — it is derived data, rebuilt from the store).
    pub fn open(dir: &Path) -> Result<Search> {
        Search::open_with(dir, WriterBudget::default())
    }

    pub fn open_with(dir: &Path, budget: WriterBudget) -> Result<Search> {
        let (schema, fields) = schema();
        std::fs::create_dir_all(dir)?;
        let version_file = dir.join(VERSION_FILE);
        let current = std::fs::read_to_string(&version_file)
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok());
        if current != Some(INDEX_VERSION) {
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    std::fs::remove_dir_all(&path)?;
                } else {
                    std::fs::remove_file(&path)?;
                }
            }
            std::fs::write(&version_file, INDEX_VERSION.to_string())?;
        }
        let index = Index::open_or_create(MmapDirectory::open(dir)?, schema)?;
        Search::with_index(index, fields, budget)
    }

    fn with_index(index: Index, fields: Fields, budget: WriterBudget) -> Result<Search> {
        analysis::warm_up();
        let complete_from = floor_of_payload(index.load_metas()?.payload.as_deref());
        let writer = index.writer_with_num_threads(budget.threads.max(1), budget.heap_bytes)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Search {
            reader,
            writer: Mutex::new(Writer {
                index: writer,
                complete_from,
                rebuild_from: None,
            }),
            fields,
        })
    }

    /// How many documents the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn document(&self, doc: &Doc) -> TantivyDocument {
        let f = self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &doc.id);
        d.add_text(f.kind, doc.kind.code());
        d.add_text(f.status, &doc.status);
        d.add_facet(f.path, facet_of(&doc.path));
        d.add_pre_tokenized_text(f.name, pre_tokenized(analysis::text_terms(&doc.name)));
        let mut text = analysis::text_terms(&doc.name);
        text.extend(analysis::text_terms(&doc.text));
        d.add_pre_tokenized_text(f.text, pre_tokenized(text));
        let mut pinyin = analysis::pinyin_terms(&doc.name);
        pinyin.extend(analysis::pinyin_terms(&doc.also_named));
        d.add_pre_tokenized_text(f.pinyin, pre_tokenized(pinyin));
        let mut initials = analysis::initials_terms(&doc.name);
        initials.extend(analysis::initials_terms(&doc.also_named));
        d.add_pre_tokenized_text(f.initials, pre_tokenized(initials));
        d
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter, Fields) -> Result<T>,
        commit: bool,
    ) -> Result<T> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let out = f(&mut writer.index, self.fields)?;
        if commit {
            // Each commit carries the time before which the store is wholly in the index:
            // a process that stops between a store's commit and the index's loses that
            // document, and the next start re-reads from there ([`Search::complete_from`]).
            let floor = next_floor(writer.complete_from, writer.rebuild_from, now_secs());
            let mut prepared = writer.index.prepare_commit()?;
            prepared.set_payload(&format!("{COMPLETE_FROM}{floor}"));
            prepared.commit()?;
            writer.complete_from = Some(floor);
            writer.rebuild_from = None;
            self.reader.reload()?;
        }
        Ok(out)
    }

    /// The time (whole seconds) before which every record the store wrote is in the
    /// index, as its last commit recorded it: what a start re-reads the store from.
    /// `None` for an index that never committed.
    pub fn complete_from(&self) -> Result<Option<std::time::SystemTime>> {
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        Ok(writer
            .complete_from
            .map(|secs| std::time::UNIX_EPOCH + Duration::from_secs(secs)))
    }

    /// Adds or replaces one document, committed (seen by the next query).
    pub fn upsert(&self, doc: &Doc) -> Result<()> {
        self.upsert_all(std::slice::from_ref(doc))
    }

    /// Adds or replaces the documents (by id), committed together.
    pub fn upsert_all(&self, docs: &[Doc]) -> Result<()> {
        let built: Vec<TantivyDocument> = docs.iter().map(|d| self.document(d)).collect();
        self.write(
            |w, f| {
                for (doc, built) in docs.iter().zip(built) {
                    w.delete_term(Term::from_field_text(f.id, &doc.id));
                    w.add_document(built)?;
                }
                Ok(())
            },
            true,
        )
    }

    /// Removes a document, committed. Removing what is not there does nothing.
    pub fn delete(&self, id: &str) -> Result<()> {
        self.write(
            |w, f| {
                w.delete_term(Term::from_field_text(f.id, id));
                Ok(())
            },
            true,
        )
    }

    /// Starts a rebuild: every document is removed, not yet committed. Follow with
    /// [`Search::stage`] for each chunk and [`Search::commit`] at the end; that commit
    /// records the index as complete from shortly before this call.
    pub fn clear(&self) -> Result<()> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.index.delete_all_documents()?;
        writer.rebuild_from = Some(now_secs());
        Ok(())
    }

    /// Adds documents known not to be in the index (a rebuild), not yet committed.
    pub fn stage(&self, docs: &[Doc]) -> Result<()> {
        let built: Vec<TantivyDocument> = docs.iter().map(|d| self.document(d)).collect();
        self.write(
            |w, _| {
                for b in built {
                    w.add_document(b)?;
                }
                Ok(())
            },
            false,
        )
    }

    /// Commits what was staged and makes it visible.
    pub fn commit(&self) -> Result<()> {
        self.write(|_, _| Ok(()), true)
    }

    /// Waits for background merges to finish (before a process exits after a bulk build).
    pub fn wait_merging(self) -> Result<()> {
        let writer = self
            .writer
            .into_inner()
            .map_err(|_| SearchError::Poisoned)?;
        writer.index.wait_merging_threads()?;
        Ok(())
    }

    /// The query `q` limited to `subtree` (a materialised path) and `kind`: the hits
    /// `offset..offset + limit` by rank, and how many there are in all.
    pub fn query(
        &self,
        q: &str,
        subtree: Option<&str>,
        kind: Kind,
        limit: usize,
        offset: usize,
    ) -> Result<Hits> {
        self.query_with(
            q,
            &Filter {
                kind: Some(kind),
                subtree,
                statuses: &[],
            },
            limit,
            offset,
        )
    }

    pub fn query_with(
        &self,
        q: &str,
        filter: &Filter<'_>,
        limit: usize,
        offset: usize,
    ) -> Result<Hits> {
        let groups = self.groups(q);
        if groups.is_empty() {
            return Ok(Hits::default());
        }
        let f = self.fields;
        let union: Vec<(Occur, Box<dyn Query>)> = groups
            .iter()
            .map(|(_, q)| (Occur::Should, q.box_clone()))
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(union)))];
        let mut filter_on =
            |q: Box<dyn Query>| clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        if let Some(kind) = filter.kind {
            filter_on(term(f.kind, kind.code()));
        }
        if let Some(path) = filter.subtree {
            let facet = facet_of(path);
            if !facet.is_root() {
                filter_on(Box::new(TermQuery::new(
                    Term::from_facet(f.path, &facet),
                    IndexRecordOption::Basic,
                )));
            }
        }
        if !filter.statuses.is_empty() {
            let any = filter
                .statuses
                .iter()
                .map(|s| (Occur::Should, term(f.status, s)))
                .collect();
            filter_on(Box::new(BooleanQuery::new(any)));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let (top, total) = searcher.search(
            &query,
            &(TopDocs::with_limit(limit.max(1)).and_offset(offset), Count),
        )?;
        let weights = groups
            .iter()
            .map(|(reason, q)| {
                Ok((
                    *reason,
                    q.weight(EnableScoring::disabled_from_searcher(&searcher))?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top.into_iter().take(limit) {
            let reason = reason_of(&searcher, &weights, addr)?;
            let doc: TantivyDocument = searcher.doc(addr)?;
            let id = doc
                .get_first(f.id)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            hits.push(Hit { id, reason, score });
        }
        Ok(Hits { total, hits })
    }

    /// The query's groups, in the order of precedence of their reasons.
    fn groups(&self, q: &str) -> Vec<(Reason, Box<dyn Query>)> {
        let f = self.fields;
        let mut groups: Vec<(Reason, Box<dyn Query>)> = Vec::new();
        let text = analysis::text_query(q);
        if !text.required.is_empty() {
            let for_field = |field: Field| -> Box<dyn Query> {
                let mut c: Vec<(Occur, Box<dyn Query>)> = text
                    .required
                    .iter()
                    .map(|t| (Occur::Must, scored_term(field, t)))
                    .collect();
                c.extend(
                    text.lifts
                        .iter()
                        .map(|t| (Occur::Should, scored_term(field, t))),
                );
                Box::new(BooleanQuery::new(c))
            };
            groups.push((
                Reason::Name,
                Box::new(BoostQuery::new(for_field(f.name), 3.0)),
            ));
            groups.push((Reason::Description, for_field(f.text)));
        }
        let all = |field: Field, terms: &[String]| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                terms
                    .iter()
                    .map(|t| (Occur::Must, scored_term(field, t)))
                    .collect(),
            ))
        };
        match analysis::pinyin_query(q) {
            analysis::PinyinQuery::Full(t) => groups.push((
                Reason::Pinyin,
                Box::new(BoostQuery::new(all(f.pinyin, &t), 2.0)),
            )),
            analysis::PinyinQuery::Initials(t) => {
                groups.push((Reason::Initials, all(f.initials, &t)))
            }
            analysis::PinyinQuery::None => {}
        }
        groups
    }
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn scored_term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqs,
    ))
}

/// The first group whose scorer reaches the hit's document.
fn reason_of(
    searcher: &tantivy::Searcher,
    weights: &[(Reason, Box<dyn tantivy::query::Weight>)],
    addr: DocAddress,
) -> Result<Reason> {
    let segment = searcher.segment_reader(addr.segment_ord);
    for (reason, weight) in weights {
        let mut scorer = weight.scorer(segment, 1.0)?;
        if scorer.doc() <= addr.doc_id && scorer.seek(addr.doc_id) == addr.doc_id {
            return Ok(*reason);
        }
    }
    Ok(weights.last().map(|(r, _)| *r).unwrap_or(Reason::Name))
}

#[cfg(test)]
mod tests;
