-- Framework `llr` (bench/frameworks/llr.fulcrum) in DuckDB's SQL, over the tables the DuckDB peer
-- loads. Parameters: $period ('2018-Q3'), $period_start, $to_date (DATE, both inclusive: `in
-- period` ends at the period's last day, or at the as-of day when that is earlier).
-- Fulcrum's missing is NULL; its division by zero is a division by NULLIF(d, 0); its `sum` and
-- `count` over no rows are 0, hence the COALESCEs after the LEFT JOINs.
WITH
deal_facts AS (
  SELECT owner AS rep,
         sum(value) FILTER (WHERE stage = 'Won') AS won,
         count(*) FILTER (WHERE stage IN ('Won', 'Lost')) AS decided,
         count(*) FILTER (WHERE stage = 'Won') AS won_deals
  FROM deals
  WHERE closed BETWEEN $period_start AND $to_date
  GROUP BY owner
),
-- Touches per rep and kind first, then one row per rep: one hash of (rep, kind) per activity
-- row is cheaper than five filtered counts.
activity_kinds AS (
  SELECT rep, kind, count(*) AS touches
  FROM activities
  WHERE day BETWEEN $period_start AND $to_date
  GROUP BY rep, kind
),
activity_facts AS (
  SELECT rep,
         coalesce(sum(touches) FILTER (WHERE kind = 'dial'), 0) AS dials,
         coalesce(sum(touches) FILTER (WHERE kind = 'email'), 0) AS emails,
         coalesce(sum(touches) FILTER (WHERE kind = 'conversation'), 0) AS conversations,
         coalesce(sum(touches) FILTER (WHERE kind = 'meeting'), 0) AS meetings,
         coalesce(sum(touches) FILTER (WHERE kind = 'demo'), 0) AS demos
  FROM activity_kinds
  GROUP BY rep
),
quota_facts AS (
  SELECT rep, sum(quota) AS quota FROM quotas WHERE quarter = $period GROUP BY rep
),
rating_facts AS (
  SELECT rep, avg(leadership) AS leadership, avg(leverage) AS leverage_rating
  FROM ratings WHERE quarter = $period GROUP BY rep
),
metrics AS (
  SELECT r.rowid AS row_order, r.id,
         coalesce(d.won, 0) AS won,
         coalesce(d.decided, 0) AS decided,
         coalesce(d.won_deals, 0) / nullif(coalesce(d.decided, 0), 0) AS win_rate,
         coalesce(q.quota, 0) AS quota,
         coalesce(a.dials, 0) AS dials,
         coalesce(a.emails, 0) AS emails,
         coalesce(a.conversations, 0) AS conversations,
         coalesce(a.meetings, 0) AS meetings,
         coalesce(a.demos, 0) AS demos,
         rt.leadership, rt.leverage_rating
  FROM reps r
  LEFT JOIN deal_facts d ON d.rep = r.id
  LEFT JOIN activity_facts a ON a.rep = r.id
  LEFT JOIN quota_facts q ON q.rep = r.id
  LEFT JOIN rating_facts rt ON rt.rep = r.id
),
rates AS (
  SELECT *,
         won / nullif(quota, 0) AS attainment,
         meetings / nullif(conversations, 0) AS meeting_rate
  FROM metrics
),
-- Score components, each clamped to [0, 1] by the score (clamp01 keeps NULL: see the peer's
-- macros); `results` is a clamp already, which the score's clamp leaves as it is.
components AS (
  SELECT *,
         clamp01(attainment / 1.5) AS results,
         clamp01(leadership / 5) AS leadership_part,
         clamp01((leverage_rating / 5 + clamp01(meeting_rate / 0.4)) / 2) AS leverage_part
  FROM rates
),
scored AS (
  SELECT *, 5 * (0.4 * results + 0.3 * leadership_part + 0.3 * leverage_part) AS llr
  FROM components
)
-- The band's arms never see a NULL condition before the `is missing` one (decided is never
-- missing), so SQL's CASE, which treats NULL as false, picks what Fulcrum's case picks.
SELECT id, won, decided, win_rate, quota, attainment, dials, emails, conversations, meetings,
       demos, meeting_rate, leadership, leverage_rating, llr,
       results AS "llr.results", leadership_part AS "llr.leadership",
       leverage_part AS "llr.leverage",
       CASE WHEN decided = 0 THEN 'ramping'
            WHEN llr IS NULL THEN 'unrated'
            WHEN llr >= 4.5 THEN 'promote'
            WHEN llr >= 3.5 THEN 'raise'
            WHEN llr >= 2.0 THEN 'meets'
            ELSE 'pip' END AS outcome
FROM scored
ORDER BY row_order
