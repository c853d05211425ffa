//! What a migrated schema is made of, read back from the database's own catalogue and
//! put in one engine-neutral shape, so that a test can compare what the SQLite and the
//! PostgreSQL migrations built (the migration parity test). The guarantees the store
//! relies on — no double booking, one regional hub per street, unique codes — are
//! indexes and constraints that exist only if both migration files say the same.
//!
//! Expressions (CHECK constraints, partial-index predicates) are compared as the set of
//! their names, string literals and numbers: each engine prints them its own way
//! (`status IN ('a','b')` comes back from PostgreSQL as
//! `(status = ANY (ARRAY['a'::text, 'b'::text]))`), but a column or a value missing on
//! one side is a real difference.

use std::collections::BTreeSet;

use crate::{Backend, Result, Store};

/// One table's column and whether it is `NOT NULL`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub table: String,
    pub name: String,
    pub not_null: bool,
}

/// An index other than the primary key's. `name` is `None` for an index the engine
/// made for a `UNIQUE` constraint (its name is the engine's).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Index {
    pub table: String,
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub unique: bool,
    /// The partial index's predicate, as tokens (see the module documentation).
    pub predicate: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub table: String,
    pub columns: Vec<String>,
    pub references: String,
    pub referenced_columns: Vec<String>,
}

/// A CHECK constraint of a table, as tokens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Check {
    pub table: String,
    pub tokens: Vec<String>,
}

/// The schema's facts, each kind a sorted set (checks: a sorted list, a table may have
/// two alike).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaFacts {
    pub tables: BTreeSet<String>,
    pub columns: BTreeSet<Column>,
    pub primary_keys: BTreeSet<(String, Vec<String>)>,
    pub indexes: BTreeSet<Index>,
    pub foreign_keys: BTreeSet<ForeignKey>,
    pub checks: Vec<Check>,
    /// `(table, trigger name)`.
    pub triggers: BTreeSet<(String, String)>,
}

/// Words that say how, not what: operators, casts and type names either engine adds.
const NOISE: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "is",
    "null",
    "any",
    "array",
    "check",
    "text",
    "character",
    "varying",
    "varchar",
    "bigint",
    "integer",
    "int",
    "smallint",
    "numeric",
    "boolean",
    "bool",
    "true",
    "false",
    "collate",
    "c",
    "timestamp",
    "with",
    "time",
    "zone",
    "date",
    "between",
];

/// The names, string literals and numbers of an SQL expression, sorted and deduplicated.
pub fn expression_tokens(sql: &str) -> Vec<String> {
    let mut out = BTreeSet::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            let mut lit = String::from("'");
            while let Some(d) = chars.next() {
                if d == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                        lit.push_str("''");
                        continue;
                    }
                    break;
                }
                lit.push(d);
            }
            lit.push('\'');
            out.insert(lit);
        } else if c.is_alphanumeric() || c == '_' {
            let mut word = c.to_lowercase().to_string();
            while let Some(&d) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    word.extend(d.to_lowercase());
                    chars.next();
                } else {
                    break;
                }
            }
            // `"quoted"` identifiers arrive without their quotes: same word.
            if !NOISE.contains(&word.as_str()) {
                out.insert(word);
            }
        }
    }
    out.into_iter().collect()
}

/// Every `CHECK (…)` expression in a `CREATE TABLE` statement, parentheses balanced.
pub fn check_clauses(create_table: &str) -> Vec<String> {
    let upper = create_table.to_ascii_uppercase();
    let bytes = create_table.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CHECK") {
        let start = from + at;
        from = start + 5;
        // A whole word: not part of a name such as `checked_at`.
        let before_ok =
            start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        let after = create_table[from..].trim_start();
        if !before_ok || !after.starts_with('(') {
            continue;
        }
        let open = create_table.len() - after.len();
        let mut depth = 0usize;
        let mut in_literal = false;
        for (i, ch) in create_table[open..].char_indices() {
            match ch {
                '\'' => in_literal = !in_literal,
                '(' if !in_literal => depth += 1,
                ')' if !in_literal => {
                    depth -= 1;
                    if depth == 0 {
                        out.push(create_table[open + 1..open + i].to_string());
                        from = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The predicate of a `CREATE … INDEX … WHERE …` statement, if partial.
fn index_predicate(create_index: &str) -> Option<String> {
    let upper = create_index.to_ascii_uppercase();
    upper
        .rfind(" WHERE ")
        .map(|at| create_index[at + 7..].trim().to_string())
}

impl Store {
    /// The facts of the schema the migrations built (tables of the application only:
    /// sqlx's own bookkeeping is left out).
    #[doc(hidden)]
    pub async fn schema_facts_for_tests(&self) -> Result<SchemaFacts> {
        match &self.backend {
            Backend::Sqlite(p) => sqlite_facts(p).await,
            Backend::Postgres(p) => postgres_facts(p).await,
        }
    }
}

async fn sqlite_facts(p: &sqlx::SqlitePool) -> Result<SchemaFacts> {
    let mut f = SchemaFacts::default();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(p)
    .await?;
    for (table, sql) in &tables {
        f.tables.insert(table.clone());
        let cols: Vec<(String, bool, i64)> =
            sqlx::query_as("SELECT name, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(p)
                .await?;
        let mut pk: Vec<(i64, String)> = Vec::new();
        for (name, not_null, pk_pos) in &cols {
            // SQLite lets a primary-key column hold NULL unless it says NOT NULL;
            // PostgreSQL makes it NOT NULL: compare what the data can hold.
            f.columns.insert(Column {
                table: table.clone(),
                name: name.clone(),
                not_null: *not_null || *pk_pos > 0,
            });
            if *pk_pos > 0 {
                pk.push((*pk_pos, name.clone()));
            }
        }
        pk.sort();
        if !pk.is_empty() {
            f.primary_keys
                .insert((table.clone(), pk.into_iter().map(|(_, n)| n).collect()));
        }
        let indexes: Vec<(String, bool, String)> =
            sqlx::query_as("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
                .bind(table)
                .fetch_all(p)
                .await?;
        for (name, unique, origin) in indexes {
            if origin == "pk" {
                continue;
            }
            let columns: Vec<Option<String>> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(p)
                    .await?;
            let create: Option<String> = sqlx::query_scalar(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1",
            )
            .bind(&name)
            .fetch_optional(p)
            .await?
            .flatten();
            f.indexes.insert(Index {
                table: table.clone(),
                name: (origin == "c").then_some(name),
                columns: columns
                    .into_iter()
                    .map(|c| c.unwrap_or_else(|| "<expression>".into()))
                    .collect(),
                unique,
                predicate: create
                    .as_deref()
                    .and_then(index_predicate)
                    .map(|w| expression_tokens(&w)),
            });
        }
        let fks: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(table)
        .fetch_all(p)
        .await?;
        let mut by_id: std::collections::BTreeMap<i64, ForeignKey> = Default::default();
        for (id, references, from, to) in fks {
            let fk = by_id.entry(id).or_insert_with(|| ForeignKey {
                table: table.clone(),
                columns: vec![],
                references: references.clone(),
                referenced_columns: vec![],
            });
            fk.columns.push(from);
            // `REFERENCES t` without columns names t's primary key.
            fk.referenced_columns.push(to.unwrap_or_default());
        }
        for mut fk in by_id.into_values() {
            if fk.referenced_columns.iter().any(String::is_empty) {
                let pk: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk",
                )
                .bind(&fk.references)
                .fetch_all(p)
                .await?;
                fk.referenced_columns = pk;
            }
            f.foreign_keys.insert(fk);
        }
        for clause in check_clauses(sql) {
            f.checks.push(Check {
                table: table.clone(),
                tokens: expression_tokens(&clause),
            });
        }
    }
    let triggers: Vec<(String, String)> =
        sqlx::query_as("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            .fetch_all(p)
            .await?;
    f.triggers = triggers.into_iter().collect();
    f.checks.sort();
    Ok(f)
}

/// Table, index, unique, primary, predicate, columns, made for a UNIQUE constraint.
type PgIndexRow = (
    String,
    String,
    bool,
    bool,
    Option<String>,
    Vec<String>,
    bool,
);

async fn postgres_facts(p: &sqlx::PgPool) -> Result<SchemaFacts> {
    let mut f = SchemaFacts::default();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
         AND tablename <> '_sqlx_migrations'",
    )
    .fetch_all(p)
    .await?;
    f.tables = tables.into_iter().collect();
    let cols: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(p)
    .await?;
    for (table, name, nullable) in cols {
        if f.tables.contains(&table) {
            f.columns.insert(Column {
                table,
                name,
                not_null: nullable == "NO",
            });
        }
    }
    // Index columns in order; 0 in indkey is an expression.
    let indexes: Vec<PgIndexRow> =
        sqlx::query_as(
            "SELECT t.relname::text, i.relname::text, ix.indisunique, ix.indisprimary, \
                    pg_get_expr(ix.indpred, ix.indrelid), \
                    ARRAY(SELECT COALESCE(a.attname::text, '<expression>') \
                          FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) \
                          LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                          ORDER BY k.n), \
                    EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid AND c.contype = 'u') \
             FROM pg_index ix \
             JOIN pg_class i ON i.oid = ix.indexrelid \
             JOIN pg_class t ON t.oid = ix.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = current_schema() AND t.relname <> '_sqlx_migrations'",
        )
        .fetch_all(p)
        .await?;
    for (table, name, unique, primary, predicate, columns, from_constraint) in indexes {
        if primary {
            f.primary_keys.insert((table, columns));
            continue;
        }
        f.indexes.insert(Index {
            table,
            name: (!from_constraint).then_some(name),
            columns,
            unique,
            predicate: predicate.map(|w| expression_tokens(&w)),
        });
    }
    let fks: Vec<(String, String, Vec<String>, Vec<String>)> = sqlx::query_as(
        "SELECT t.relname::text, rt.relname::text, \
                ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(num, n) \
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.n), \
                ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(num, n) \
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num ORDER BY k.n) \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_class rt ON rt.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE c.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(p)
    .await?;
    for (table, references, columns, referenced_columns) in fks {
        f.foreign_keys.insert(ForeignKey {
            table,
            columns,
            references,
            referenced_columns,
        });
    }
    let checks: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.relname::text, pg_get_constraintdef(c.oid) \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE c.contype = 'c' AND n.nspname = current_schema()",
    )
    .fetch_all(p)
    .await?;
    for (table, def) in checks {
        f.checks.push(Check {
            table,
            tokens: expression_tokens(&def),
        });
    }
    f.checks.sort();
    let triggers: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, tg.tgname::text FROM pg_trigger tg \
         JOIN pg_class c ON c.oid = tg.tgrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE NOT tg.tgisinternal AND n.nspname = current_schema()",
    )
    .fetch_all(p)
    .await?;
    f.triggers = triggers.into_iter().collect();
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_compare_by_what_they_name() {
        let sqlite = "status IN ('pending','active','suspended') AND hub_kind = 'regional'";
        let pg = "((hub_kind = 'regional'::text) AND (status = ANY (ARRAY['pending'::text, \
                  'active'::text, 'suspended'::text])))";
        assert_eq!(expression_tokens(sqlite), expression_tokens(pg));
        assert_ne!(
            expression_tokens("status IN ('a','b')"),
            expression_tokens("status IN ('a')")
        );
        assert_eq!(expression_tokens("x >= 0"), vec!["0", "x"]);
    }

    #[test]
    fn checks_are_found_with_balanced_parentheses() {
        let sql = "CREATE TABLE t (a TEXT NOT NULL CHECK (a IN ('x', 'y)')), \
                   checked_at TEXT, n INTEGER CHECK(n >= 0 AND (n < 10)), CHECK (a <> ''))";
        assert_eq!(
            check_clauses(sql),
            vec!["a IN ('x', 'y)')", "n >= 0 AND (n < 10)", "a <> ''"]
        );
    }
}
