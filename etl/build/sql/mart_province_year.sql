-- mart.province_year: one row per year × province; rank and performance group by the
-- unweighted total (TOTAL) among the provinces PAPI published that year. Groups are quartiles
-- of the published totals: 1 = nhóm đạt điểm cao nhất … 4 = nhóm đạt điểm thấp nhất.
CREATE OR REPLACE TABLE mart.province_year AS
WITH totals AS (
    SELECT year, province_code, value AS total
    FROM mart.score WHERE item_code = 'TOTAL'
),
cuts AS (
    SELECT year,
           quantile_cont(total, 0.75) AS q75,
           quantile_cont(total, 0.50) AS q50,
           quantile_cont(total, 0.25) AS q25
    FROM totals WHERE total IS NOT NULL GROUP BY year
),
dims AS (
    SELECT year, province_code, count(value) AS n_dimensions
    FROM mart.score s JOIN ref.item i USING (item_code)
    WHERE i.level = 'dimension' GROUP BY year, province_code
)
SELECT
    t.year,
    t.province_code,
    t.total,
    CASE WHEN t.total IS NOT NULL
         THEN rank() OVER (PARTITION BY t.year ORDER BY t.total DESC NULLS LAST) END AS rank,
    CASE WHEN t.total IS NULL THEN NULL
         WHEN t.total >= c.q75 THEN 1
         WHEN t.total >= c.q50 THEN 2
         WHEN t.total >= c.q25 THEN 3
         ELSE 4 END AS performance_group,
    coalesce(d.n_dimensions, 0) AS n_dimensions
FROM totals t
LEFT JOIN cuts c USING (year)
LEFT JOIN dims d USING (year, province_code)
ORDER BY t.year, t.province_code;
