DROP TABLE bulk_deferred_indexes;
