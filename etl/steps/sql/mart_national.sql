-- mart.national: one row per year × vintage × item: the distribution of published values among
-- that vintage's provinces (median for context lines, best province for "top province" bars).
-- Summed and ranked in province order, whatever the row groups and threads: the same mean to the
-- last digit in every build, and among tied best values the first province by code.
CREATE OR REPLACE TABLE mart.national AS
SELECT
    year,
    vintage,
    item_code,
    count(value) AS n_provinces,
    median(value) AS median,
    avg(value ORDER BY province_code) AS mean,
    min(value) AS min,
    max(value) AS max,
    first(province_code ORDER BY value DESC, province_code) AS best_province_code,
    max(value) AS best_value
FROM mart.score
WHERE value IS NOT NULL
GROUP BY year, vintage, item_code
ORDER BY year, vintage, item_code;
