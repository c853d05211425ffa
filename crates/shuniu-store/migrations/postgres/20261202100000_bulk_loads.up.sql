-- The progress of a bulk load (`shuniu generate`): what was asked (`params`) and how
-- many organizations its finished batches hold (`done`). Written after each batch, so a
-- run killed halfway is resumed from there by a rerun with the same parameters.
CREATE TABLE bulk_loads (
    name   TEXT PRIMARY KEY,
    params TEXT NOT NULL,
    done   BIGINT NOT NULL CHECK (done >= 0)
);
