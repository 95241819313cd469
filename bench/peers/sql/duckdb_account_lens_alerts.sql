-- The alert feed of `account_lens` (bench/frameworks/events.fulcrum) in DuckDB's SQL, over the
-- `lens` table duckdb_account_lens.sql makes: the fields of `fulcrum alerts --format csv`, in its
-- order (subjects by rank, missing last, ties by key; then newest first, the alerts in
-- declaration order, the events in file order). Parameters: $as_of, $last_7_start.
-- decision_maker_move: one alert per role_change event of the last 7 days, dated by the event (an
-- event after the as-of day has not happened yet: left out); its message's holes as shown (a
-- missing contact as `-`). gone_quiet: one per account whose quiet_days > 14 (NULL does not
-- fire), dated the as-of day; quiet_days is a count, shown with thousands separators.
SELECT subject, alert, title, strftime(date, '%Y-%m-%d') AS date, message, NULL AS priority
FROM (
  SELECT l.id AS subject, 'decision_maker_move' AS alert, 'Decision maker move' AS title,
         e."at" AS date,
         coalesce(e.contact, '-') || ' changed roles at ' || a.name AS message,
         l.priority AS subject_rank, 0 AS alert_order, e.rowid AS row_order
  FROM events e
  JOIN lens l ON l.id = e.account
  JOIN accounts a ON a.id = e.account
  WHERE e.kind = 'role_change' AND e."at" BETWEEN $last_7_start AND $as_of
  UNION ALL
  SELECT l.id, 'gone_quiet', 'No product use for two weeks', $as_of,
         a.name || ': no product use for ' || format('{:,}', l.quiet_days) || ' days',
         l.priority, 1, -1
  FROM lens l
  JOIN accounts a ON a.id = l.id
  WHERE l.quiet_days > 14
)
ORDER BY subject_rank NULLS LAST, subject, date DESC, alert_order, row_order
