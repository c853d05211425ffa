DROP INDEX jurisdictions_path;
