-- mart.national: one row per year × vintage × item: the distribution of published values among
-- that vintage's provinces (median for context lines, best province for "top province" bars).
CREATE OR REPLACE TABLE mart.national AS
SELECT
    year,
    vintage,
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
GROUP BY year, vintage, item_code
ORDER BY year, vintage, item_code;
