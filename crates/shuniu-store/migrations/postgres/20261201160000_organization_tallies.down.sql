DROP TABLE organization_domain_tallies;
DROP TABLE organization_tallies;
