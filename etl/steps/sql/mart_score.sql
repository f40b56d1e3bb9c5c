-- mart.score: one row per year × vintage × province × item (the data contract; names are stable).
-- vintage '63' = the provinces until 30/06/2025 (PAPI 2011–2024), '34' = those from 01/07/2025.
CREATE OR REPLACE TABLE mart.score AS
SELECT
    s.year::INTEGER AS year,
    s.vintage::VARCHAR AS vintage,
    s.province_code,
    s.item_code,
    s.value,
    ci_low.value AS ci_low,
    ci_high.value AS ci_high,
    se.value AS std_error,
    s.status,
    s.sources AS source,
    s.flag::VARCHAR AS flag,
    s.competing::VARCHAR AS competing
FROM staging.score AS s
LEFT JOIN staging.score AS ci_low
    ON ci_low.measure = 'ci_low' AND ci_low.status = 'published'
    AND (ci_low.year, ci_low.vintage, ci_low.province_code, ci_low.item_code)
        = (s.year, s.vintage, s.province_code, s.item_code)
LEFT JOIN staging.score AS ci_high
    ON ci_high.measure = 'ci_high' AND ci_high.status = 'published'
    AND (ci_high.year, ci_high.vintage, ci_high.province_code, ci_high.item_code)
        = (s.year, s.vintage, s.province_code, s.item_code)
LEFT JOIN staging.score AS se
    ON se.measure = 'std_error' AND se.status = 'published'
    AND (se.year, se.vintage, se.province_code, se.item_code)
        = (s.year, s.vintage, s.province_code, s.item_code)
WHERE s.measure = 'value'
ORDER BY year, vintage, province_code, item_code;
