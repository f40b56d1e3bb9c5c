-- mart.score: one row per year × vintage × province × item (the data contract; names are stable).
-- vintage '63' = the provinces until 30/06/2025 (PAPI 2011–2024), '34' = those from 01/07/2025.
CREATE OR REPLACE TABLE mart.score AS
-- The published intervals and standard errors, one row per key (one pass, not three joins).
WITH m AS (
    SELECT year, vintage, province_code, item_code,
           any_value(value) FILTER (WHERE measure = 'ci_low') AS ci_low,
           any_value(value) FILTER (WHERE measure = 'ci_high') AS ci_high,
           any_value(value) FILTER (WHERE measure = 'std_error') AS std_error
    FROM staging.score
    WHERE measure IN ('ci_low', 'ci_high', 'std_error') AND status = 'published'
    GROUP BY year, vintage, province_code, item_code
)
SELECT
    s.year::INTEGER AS year,
    s.vintage::VARCHAR AS vintage,
    s.province_code,
    s.item_code,
    s.value,
    m.ci_low,
    m.ci_high,
    m.std_error,
    s.status,
    s.sources AS source,
    s.flag::VARCHAR AS flag,
    s.competing::VARCHAR AS competing
FROM staging.score AS s
LEFT JOIN m
    ON (m.year, m.vintage, m.province_code, m.item_code)
        = (s.year, s.vintage, s.province_code, s.item_code)
WHERE s.measure = 'value'
ORDER BY year, vintage, province_code, item_code;
