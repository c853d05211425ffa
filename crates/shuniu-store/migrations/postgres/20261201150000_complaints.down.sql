DROP TABLE complaints;
DROP TABLE complaint_counters;
