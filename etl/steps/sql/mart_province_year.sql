-- mart.province_year: one row per year × vintage × province; rank and performance group by the
-- unweighted total (TOTAL) among the provinces PAPI published that year in that vintage (2025:
-- out of 34). Groups are quartiles of the published totals: 1 = nhóm đạt điểm cao nhất …
-- 4 = nhóm đạt điểm thấp nhất. n_ranked = provinces ranked in that year × vintage.
CREATE OR REPLACE TABLE mart.province_year AS
WITH totals AS (
    SELECT year, vintage, province_code, value AS total
    FROM mart.score WHERE item_code = 'TOTAL'
),
cuts AS (
    SELECT year, vintage,
           quantile_cont(total, 0.75) AS q75,
           quantile_cont(total, 0.50) AS q50,
           quantile_cont(total, 0.25) AS q25,
           count(*) AS n_ranked
    FROM totals WHERE total IS NOT NULL GROUP BY year, vintage
),
dims AS (
    SELECT year, vintage, province_code, count(value) AS n_dimensions
    FROM mart.score s JOIN ref.item i USING (item_code)
    WHERE i.level = 'dimension' GROUP BY year, vintage, province_code
)
SELECT
    t.year,
    t.vintage,
    t.province_code,
    t.total,
    CASE WHEN t.total IS NOT NULL
         THEN rank() OVER (PARTITION BY t.year, t.vintage ORDER BY t.total DESC NULLS LAST) END
        AS rank,
    CASE WHEN t.total IS NULL THEN NULL
         WHEN t.total >= c.q75 THEN 1
         WHEN t.total >= c.q50 THEN 2
         WHEN t.total >= c.q25 THEN 3
         ELSE 4 END AS performance_group,
    coalesce(d.n_dimensions, 0) AS n_dimensions,
    coalesce(c.n_ranked, 0) AS n_ranked
FROM totals t
LEFT JOIN cuts c USING (year, vintage)
LEFT JOIN dims d USING (year, vintage, province_code)
ORDER BY t.year, t.vintage, t.province_code;
