DROP TABLE services;
DROP TABLE organization_contacts;
