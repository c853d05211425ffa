-- Issue 12, item 8: the credibility score 可信度, one row per organization, recomputed
-- when an event changes its facts (a review, a grade, a listing, a status change, a
-- rating, an edit of the disclosure) and read by pages, never computed per view. The
-- breakdown is the domain's `Credibility` (parts with weight, points, source and notes in
-- both languages, and the cap if one applied) as JSON.
CREATE TABLE credibility (
    organization_id BLOB PRIMARY KEY REFERENCES organizations (id),
    score           INTEGER NOT NULL CHECK (score >= 0 AND score <= 100),
    band            TEXT NOT NULL CHECK (band IN ('high','fair','low')),
    breakdown       TEXT NOT NULL,
    as_of           TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- Ranking by score (the dispatcher's candidates join it), and lists by band.
CREATE INDEX credibility_score ON credibility (score, organization_id);
CREATE INDEX credibility_band ON credibility (band, score);
-- An organization's obligation reports (the obligations part reads them by organization).
CREATE INDEX obligation_reports_org ON obligation_reports (organization_id, year, quarter);
