DROP INDEX bookings_org_start;
CREATE INDEX bookings_org ON bookings (organization_id, starts_at);
DROP INDEX venues_hub_name;
CREATE INDEX venues_hub ON venues (hub_id);
DROP INDEX venues_name_id;
DROP INDEX hubs_page;
ALTER TABLE hubs DROP COLUMN name;
DROP INDEX hub_memberships_page;
ALTER TABLE hub_memberships DROP COLUMN member_name;
