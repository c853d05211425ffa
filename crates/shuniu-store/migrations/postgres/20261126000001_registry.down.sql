DROP TABLE jurisdiction_stats;
DROP TABLE organization_changes;
DROP TABLE organization_domains;
DROP TABLE organizations;
DROP TABLE jurisdictions;
