DROP TABLE bulk_loads;
