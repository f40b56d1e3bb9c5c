-- mart.national: one row per year × item: the national distribution of published values
-- (median for context lines, best province for "top province" bars).
CREATE OR REPLACE TABLE mart.national AS
SELECT
    year,
    item_code,
    count(value) AS n_provinces,
    median(value) AS median,
    avg(value) AS mean,
    min(value) AS min,
    max(value) AS max,
    arg_max(province_code, value) AS best_province_code,
    max(value) AS best_value
FROM mart.score
WHERE value IS NOT NULL
GROUP BY year, item_code
ORDER BY year, item_code;
