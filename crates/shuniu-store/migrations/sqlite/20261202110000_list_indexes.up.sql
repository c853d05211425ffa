-- Every list pages by walking an index in its order from a cursor (keyset), so each
-- list's filter + order has an index ending on id.
--
-- A hub's members are ordered initiating units first, then by the member's name; the
-- name is kept on the membership (set when it is made, renamed with the organization)
-- so that one index holds the whole order.
ALTER TABLE hub_memberships ADD COLUMN member_name TEXT NOT NULL DEFAULT '';
UPDATE hub_memberships SET member_name = (SELECT o.name FROM organizations o WHERE o.id = hub_memberships.organization_id);
CREATE INDEX hub_memberships_page ON hub_memberships (hub_id, (CASE WHEN initiating THEN 0 ELSE 1 END), member_name, id);
-- The hub list: regional hubs first, then by place, then by the hub organization's name
-- (kept on the hub, as above).
ALTER TABLE hubs ADD COLUMN name TEXT NOT NULL DEFAULT '';
UPDATE hubs SET name = (SELECT o.name FROM organizations o WHERE o.id = hubs.organization_id);
CREATE INDEX hubs_page ON hubs ((CASE kind WHEN 'regional' THEN 0 ELSE 1 END), jurisdiction_path, name, id);
-- Venues by name (a subtree is a filter on the walk), and a hub's venues by name.
CREATE INDEX venues_name_id ON venues (name, id);
DROP INDEX venues_hub;
CREATE INDEX venues_hub_name ON venues (hub_id, name, id);
-- An organization's bookings by start.
DROP INDEX bookings_org;
CREATE INDEX bookings_org_start ON bookings (organization_id, starts_at, id);
