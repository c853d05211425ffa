DROP INDEX hubs_status_path;
