DROP INDEX credit_listings_kind_listed;
DROP INDEX assessment_rounds_order;
DROP INDEX annual_reports_queue_order;
DROP INDEX resident_requests_org_created;
DROP INDEX resident_requests_created;
DROP INDEX complaints_org_filed;
