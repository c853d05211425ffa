DROP INDEX obligation_reports_org;
DROP TABLE credibility;
