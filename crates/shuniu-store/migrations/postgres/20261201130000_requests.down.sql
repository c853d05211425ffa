DROP TABLE request_events;
DROP TABLE resident_requests;
DROP TABLE request_counters;
