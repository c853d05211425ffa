DROP TABLE place_grams;
DROP TABLE place_names;
