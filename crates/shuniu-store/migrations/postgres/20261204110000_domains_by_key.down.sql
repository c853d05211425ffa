CREATE INDEX organization_domains_org ON organization_domains (organization_id);
