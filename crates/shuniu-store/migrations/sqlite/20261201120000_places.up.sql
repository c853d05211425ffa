-- Issue 12, item 3: the places a resident knows — roads, residential compounds (小区),
-- landmarks, and the names of the communities themselves — each under the
-- jurisdiction node it belongs to, so that a typed fragment finds the resident's
-- community and street.
CREATE TABLE place_names (
    id                BLOB PRIMARY KEY,
    jurisdiction_code TEXT NOT NULL REFERENCES jurisdictions (code),
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('road','compound','landmark','community')),
    UNIQUE (jurisdiction_code, name, kind)
);
-- One character: a prefix range over the names.
CREATE INDEX place_names_name ON place_names (name, jurisdiction_code);

-- Every two-character gram of each name, so that a fragment of two or more characters
-- is an indexed lookup of its grams, not a scan of every name.
CREATE TABLE place_grams (
    gram     TEXT NOT NULL,
    place_id BLOB NOT NULL REFERENCES place_names (id) ON DELETE CASCADE,
    PRIMARY KEY (gram, place_id)
);
CREATE INDEX place_grams_place ON place_grams (place_id);
