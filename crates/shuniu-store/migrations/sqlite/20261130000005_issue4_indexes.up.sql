-- Issue 4 at province scale. Hubs by standing and place whatever their kind: the hub
-- list of a subtree without a kind filter, the hubs over an organization's place
-- (what it may join: one lookup per ancestor path) and a district's 一核两轴.
-- `hubs_kind_path` leads with the kind and serves only queries that name one.
CREATE INDEX hubs_status_path ON hubs (status, jurisdiction_path);
