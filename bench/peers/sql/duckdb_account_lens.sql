-- Framework `account_lens` (bench/frameworks/events.fulcrum) in DuckDB's SQL, over the tables the
-- DuckDB peer loads: its columns, rank included, into the temporary table `lens` (the result and
-- the alert feed are both read from it; the feed takes the few names it shows from `accounts`). Parameters: $as_of (DATE, the run's today),
-- $last_90_start and $last_7_start ($as_of - 89 and $as_of - 6: `last N days` are the N days
-- ending at the as-of day).
-- As of a day D: `decay` and `days_since` of a date after D are missing, so a later event adds
-- nothing to temperature (the window already ends at D, and the CASE says so again) and a last
-- product use after D leaves quiet_days NULL. A sum over no rows is 0 (the COALESCE after the
-- LEFT JOIN); max over none is NULL.
CREATE OR REPLACE TEMP TABLE lens AS
WITH
event_facts AS (
  SELECT account,
         sum(CASE WHEN "at" <= $as_of
                  THEN weight * pow(0.5, date_diff('day', "at", $as_of) / 14.0) END)
           FILTER (WHERE "at" BETWEEN $last_90_start AND $as_of) AS temperature,
         max("at") FILTER (WHERE kind = 'product_usage') AS last_use
  FROM events
  GROUP BY account
),
metrics AS (
  SELECT a.rowid AS row_order, a.id,
         a.employees * 40 AS size_of_prize,
         a.employees * 400000 AS size_of_prize_units,
         coalesce(e.temperature, 0) AS temperature,
         CASE WHEN e.last_use <= $as_of THEN date_diff('day', e.last_use, $as_of) END AS quiet_days
  FROM accounts a
  LEFT JOIN event_facts e ON e.account = a.id
)
-- The rank's value `size_of_prize * temperature` is money, as fulcrum holds it (language.md,
-- "Money is exact"): the size in units of 1/10,000 times temperature, rounded to the unit with
-- halves away from zero (DuckDB's round() of a DOUBLE is C's round(), as fulcrum's RoundMoney),
-- so products within half a unit of each other tie.
-- A missing value has a missing rank (and is ranked after the others, so the places of the
-- others are RANK()'s). temperature is never missing here, so neither is the product.
SELECT row_order, id, size_of_prize, temperature,
       CASE WHEN temperature >= 20 THEN 'HIGH'
            WHEN temperature >= 5 THEN 'MEDIUM'
            ELSE 'LOW' END AS heat,
       CASE WHEN product_units IS NOT NULL
            THEN rank() OVER (ORDER BY product_units DESC NULLS LAST) END AS priority,
       quiet_days
FROM (SELECT *, round(size_of_prize_units * temperature) AS product_units FROM metrics)
