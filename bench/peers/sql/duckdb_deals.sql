-- Framework `deals` (bench/frameworks/deals.fulcrum) in DuckDB's SQL, over the deals shape the
-- DuckDB peer loads (agents, pipeline). Parameters: $period_start, $to_date (DATE, both
-- inclusive: `in period` ends at the period's last day, or at the as-of day when earlier).
-- One pass over the pipeline grouped by owner, eight FILTERed aggregates; `sum` and `count`
-- over no rows are 0 (COALESCE after the LEFT JOIN), `max` over none is missing, and the win
-- rate's division by zero is missing.
WITH facts AS (
  SELECT owner,
         sum(value) FILTER (WHERE stage = 'Won' AND closed BETWEEN $period_start AND $to_date) AS won,
         count(*) FILTER (WHERE stage = 'Won' AND closed BETWEEN $period_start AND $to_date) AS won_deals,
         count(*) FILTER (WHERE stage = 'Lost' AND closed BETWEEN $period_start AND $to_date) AS lost_deals,
         count(*) FILTER (WHERE engaged BETWEEN $period_start AND $to_date) AS engaged,
         max(value) FILTER (WHERE stage = 'Won' AND closed BETWEEN $period_start AND $to_date) AS biggest_win,
         sum(value) FILTER (WHERE stage = 'Won' AND product = 'GTK 500'
                            AND closed BETWEEN $period_start AND $to_date) AS gtk_won,
         count(*) FILTER (WHERE stage = 'Engaging') AS open_deals,
         count(*) FILTER (WHERE stage = 'Prospecting') AS prospects
  FROM pipeline
  GROUP BY owner
)
SELECT a.id,
       coalesce(f.won, 0) AS won,
       coalesce(f.won_deals, 0) AS won_deals,
       coalesce(f.lost_deals, 0) AS lost_deals,
       coalesce(f.engaged, 0) AS engaged,
       f.biggest_win,
       coalesce(f.gtk_won, 0) AS gtk_won,
       coalesce(f.open_deals, 0) AS open_deals,
       coalesce(f.prospects, 0) AS prospects,
       coalesce(f.won_deals, 0) / nullif(coalesce(f.won_deals, 0) + coalesce(f.lost_deals, 0), 0)
         AS win_rate
FROM agents a
LEFT JOIN facts f ON f.owner = a.id
ORDER BY a.rowid
