-- The secondary indexes a bulk load has set aside (`Store::defer_indexes`), with the
-- statement that builds each back: a load writes the tables and the unique indexes that
-- guard them, and the rest are built once at its end, each in one sorted pass, instead
-- of taking a random B-tree insert per row. A load that stops leaves its rows here; the
-- next `migrate` (every `serve` starts with one) builds them back first.
CREATE TABLE bulk_deferred_indexes (
    name       TEXT PRIMARY KEY,
    table_name TEXT NOT NULL,
    definition TEXT NOT NULL
);
