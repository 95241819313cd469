-- Framework `deals` (bench/frameworks/deals.fulcrum) in SQLite's dialect: dates are ISO text, so
-- BETWEEN compares them as days; a NULL date is in no period. One pass grouped by owner with
-- filtered sums (SQLite's FILTER on aggregates), `sum`/`count` over no rows 0, `max` over none
-- missing, and the win rate's division by zero missing (1.0 * avoids integer division).
WITH facts AS (
  SELECT owner,
         sum(value) FILTER (WHERE stage = 'Won' AND closed BETWEEN :period_start AND :to_date) AS won,
         count(*) FILTER (WHERE stage = 'Won' AND closed BETWEEN :period_start AND :to_date) AS won_deals,
         count(*) FILTER (WHERE stage = 'Lost' AND closed BETWEEN :period_start AND :to_date) AS lost_deals,
         count(*) FILTER (WHERE engaged BETWEEN :period_start AND :to_date) AS engaged,
         max(value) FILTER (WHERE stage = 'Won' AND closed BETWEEN :period_start AND :to_date) AS biggest_win,
         sum(value) FILTER (WHERE stage = 'Won' AND product = 'GTK 500'
                            AND closed BETWEEN :period_start AND :to_date) AS gtk_won,
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
       1.0 * coalesce(f.won_deals, 0) / nullif(coalesce(f.won_deals, 0) + coalesce(f.lost_deals, 0), 0)
         AS win_rate
FROM agents a
LEFT JOIN facts f ON f.owner = a.id
ORDER BY a.rowid
