//! Multi-row `INSERT`s for writes in bulk (registrations by the thousand, imports): one
//! statement per chunk of rows instead of one per row, the chunk kept under SQLite's
//! limit of 32,766 bound variables (PostgreSQL's is 65,535).
//! Also the marks of dynamic `IN (…)` lists.

use crate::Dialect;

/// SQLite's maximum number of bound variables in one statement (since 3.32).
const MAX_VARIABLES: usize = 32_766;

/// Rows of `columns` columns per statement: as many as the variables allow, at most
/// 1,000 (past that the statement text only grows; the round trips are already few).
pub(crate) fn rows_per_statement(columns: usize) -> usize {
    (MAX_VARIABLES / columns).clamp(1, 1000)
}

/// The placeholders of `rows` rows of `columns` columns: `($1, $2, …), ($k+1, …), …` on
/// PostgreSQL, `(?, ?, …), …` on SQLite — where a numbered parameter is a *named* one,
/// and finding a name's number walks a list of all names (sqlx asks it for each
/// parameter: quadratic, over a second per 27,000-parameter statement).
pub(crate) fn values_sql(dialect: Dialect, columns: usize, rows: usize) -> String {
    let mut s = String::with_capacity(rows * columns * 6);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..columns {
            if c > 0 {
                s.push_str(", ");
            }
            match dialect {
                Dialect::Postgres => {
                    s.push('$');
                    s.push_str(&(r * columns + c + 1).to_string());
                }
                Dialect::Sqlite => s.push('?'),
            }
        }
        s.push(')');
    }
    s
}

/// `$1, $2, …, $n`: the marks of an `IN (…)` list of `n` values bound in order.
pub(crate) fn in_marks(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_lists_are_marked_in_order() {
        assert_eq!(in_marks(1), "$1");
        assert_eq!(in_marks(3), "$1, $2, $3");
    }

    #[test]
    fn placeholders_number_rows_after_rows() {
        assert_eq!(values_sql(Dialect::Postgres, 2, 2), "($1, $2), ($3, $4)");
        assert_eq!(values_sql(Dialect::Sqlite, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(rows_per_statement(27), 1000);
        assert_eq!(rows_per_statement(40), 819);
        assert!(rows_per_statement(40) * 40 <= MAX_VARIABLES);
    }
}
