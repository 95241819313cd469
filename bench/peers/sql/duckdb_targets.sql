-- Framework `targets` (bench/frameworks/targets.fulcrum, with stdlib/funnel.fulcrum inlined) in
-- DuckDB's SQL. Parameters: $period_start, $period_end, $window_start, $window_end (the two whole
-- quarters before the period), $as_of (DATE), $period ('2018-Q3'), $min_tenure, $min_decided.
-- Missing is NULL; a division is by NULLIF(d, 0); `sum`/`count` over no rows are 0.
-- Money is exact, as in fulcrum (language.md, "Money is exact"): amounts are carried as whole
-- units of 1/10,000 (`*_units`, DOUBLEs holding whole numbers, so sums are exact), and a money
-- result that is a quotient (`quota / win_rate`) or an avg (own and team average deal) is
-- rounded to the unit with halves away from zero: DuckDB's round() of a DOUBLE is C's round(),
-- as fulcrum's RoundMoney. An avg is spelled as the exact sum over the count (one DOUBLE
-- division, as fulcrum's), not left to avg(). The result shows units / 10000.
WITH
working AS (
  SELECT count(*) AS working_days
  FROM range($period_start::DATE, $period_end::DATE + 1, INTERVAL 1 DAY) AS t(d)
  WHERE isodow(d) <= 5
),
-- Touches per rep and kind first, then one row per rep: one hash of (rep, kind) per activity
-- row is cheaper than five filtered counts.
activity_kinds AS (
  SELECT rep, kind, count(*) AS touches
  FROM activities
  WHERE day BETWEEN $window_start AND $window_end
  GROUP BY rep, kind
),
activity_facts AS (
  SELECT rep,
         coalesce(sum(touches) FILTER (WHERE kind = 'dial'), 0) AS dials,
         coalesce(sum(touches) FILTER (WHERE kind = 'conversation'), 0) AS conversations_held,
         coalesce(sum(touches) FILTER (WHERE kind = 'meeting'), 0) AS meetings_held,
         coalesce(sum(touches) FILTER (WHERE kind = 'demo'), 0) AS demos_held
  FROM activity_kinds
  GROUP BY rep
),
deal_facts AS (
  SELECT owner AS rep,
         count(*) FILTER (WHERE stage IN ('Won', 'Lost')) AS decided,
         count(*) FILTER (WHERE stage = 'Won') AS won_deals,
         sum(round(value * 10000)) FILTER (WHERE stage = 'Won') AS won_units,
         count(value) FILTER (WHERE stage = 'Won') AS won_values
  FROM deals
  WHERE closed BETWEEN $window_start AND $window_end
  GROUP BY owner
),
quota_facts AS (
  SELECT rep, sum(round(quota * 10000)) AS quota_units FROM quotas WHERE quarter = $period
  GROUP BY rep
),
own AS (
  SELECT r.rowid AS row_order, r.id, r.team,
         -- days_since(hired): missing for a rep hired after the as-of day
         CASE WHEN r.hired <= $as_of::DATE THEN datediff('day', r.hired, $as_of::DATE) END
           AS tenure,
         coalesce(q.quota_units, 0) AS quota_units,
         coalesce(a.dials, 0) AS dials,
         coalesce(a.conversations_held, 0) AS conversations_held,
         coalesce(a.meetings_held, 0) AS meetings_held,
         coalesce(a.demos_held, 0) AS demos_held,
         coalesce(d.decided, 0) AS decided,
         coalesce(d.won_deals, 0) / nullif(coalesce(d.decided, 0), 0) AS own_win_rate,
         round(d.won_units / nullif(d.won_values, 0)) AS own_average_deal_units
  FROM reps r
  LEFT JOIN activity_facts a ON a.rep = r.id
  LEFT JOIN deal_facts d ON d.rep = r.id
  LEFT JOIN quota_facts q ON q.rep = r.id
),
own_rates AS (
  SELECT *,
         conversations_held / nullif(dials, 0) AS own_dial_to_conversation,
         meetings_held / nullif(conversations_held, 0) AS own_conversation_to_meeting,
         demos_held / nullif(meetings_held, 0) AS own_meeting_to_demo
  FROM own
),
-- `avg(m across rep by team)` and `median(...)`: over every rep of the team, the rep included,
-- skipping NULLs (as both aggregates do in DuckDB); median averages the middle two of an even
-- count, as Fulcrum's does.
team AS (
  SELECT *,
         avg(own_win_rate) OVER by_team AS team_win_rate,
         round(sum(own_average_deal_units) OVER by_team
               / nullif(count(own_average_deal_units) OVER by_team, 0))
           AS team_average_deal_units,
         avg(own_dial_to_conversation) OVER by_team AS team_dial_to_conversation,
         avg(own_conversation_to_meeting) OVER by_team AS team_conversation_to_meeting,
         avg(own_meeting_to_demo) OVER by_team AS team_meeting_to_demo,
         median(own_dial_to_conversation) OVER by_team AS median_dial_to_conversation,
         median(own_conversation_to_meeting) OVER by_team AS median_conversation_to_meeting,
         median(own_meeting_to_demo) OVER by_team AS median_meeting_to_demo,
         median(own_win_rate) OVER by_team AS median_win_rate
  FROM own_rates
  WINDOW by_team AS (PARTITION BY team)
),
-- chosen_rate / chosen_amount: the own value when there is enough history, else the team's.
chosen AS (
  SELECT *,
         CASE WHEN decided >= $min_decided THEN coalesce(own_win_rate, team_win_rate)
              ELSE team_win_rate END AS win_rate,
         CASE WHEN decided >= $min_decided
              THEN coalesce(own_average_deal_units, team_average_deal_units)
              ELSE team_average_deal_units END AS average_deal_units,
         CASE WHEN tenure >= $min_tenure
              THEN coalesce(own_dial_to_conversation, team_dial_to_conversation)
              ELSE team_dial_to_conversation END AS dial_to_conversation,
         CASE WHEN tenure >= $min_tenure
              THEN coalesce(own_conversation_to_meeting, team_conversation_to_meeting)
              ELSE team_conversation_to_meeting END AS conversation_to_meeting,
         CASE WHEN tenure >= $min_tenure
              THEN coalesce(own_meeting_to_demo, team_meeting_to_demo)
              ELSE team_meeting_to_demo END AS meeting_to_demo
  FROM team
),
funnel_pipeline AS (
  SELECT *, round(quota_units / nullif(win_rate, 0)) AS pipeline_units FROM chosen
),
funnel_opportunities AS (
  SELECT *, pipeline_units / nullif(average_deal_units, 0) AS opportunities FROM funnel_pipeline
),
funnel_conversations AS (
  SELECT *,
         opportunities / nullif(conversation_to_meeting * meeting_to_demo, 0) AS conversations
  FROM funnel_opportunities
),
funnel_dials AS (
  SELECT *, conversations / nullif(dial_to_conversation, 0) AS dials_needed_
  FROM funnel_conversations
),
-- versus_team for each stage, then `least` of the four, which is NULL when any is (DuckDB's
-- least skips NULLs, Fulcrum's does not).
versus AS (
  SELECT *,
         own_dial_to_conversation / nullif(median_dial_to_conversation, 0) AS vs_d2c,
         own_conversation_to_meeting / nullif(median_conversation_to_meeting, 0) AS vs_c2m,
         own_meeting_to_demo / nullif(median_meeting_to_demo, 0) AS vs_m2d,
         own_win_rate / nullif(median_win_rate, 0) AS vs_win
  FROM funnel_dials
),
weakest AS (
  SELECT *,
         CASE WHEN vs_d2c IS NULL OR vs_c2m IS NULL OR vs_m2d IS NULL OR vs_win IS NULL THEN NULL
              ELSE least(vs_d2c, vs_c2m, vs_m2d, vs_win) END AS weakest_vs_team
  FROM versus
)
-- The band: SQL's CASE takes a NULL condition as false and moves on, where Fulcrum's case is
-- missing; tenure is NULL for a rep hired after the as-of day, hence the first arm. The second
-- condition is `is missing`, so from there on the two pick the same arm.
SELECT id, tenure, quota_units / 10000 AS quota, dials, conversations_held, meetings_held,
       demos_held, decided, own_win_rate, own_average_deal_units / 10000 AS own_average_deal,
       own_dial_to_conversation, own_conversation_to_meeting, own_meeting_to_demo,
       team_win_rate, team_average_deal_units / 10000 AS team_average_deal,
       team_dial_to_conversation, team_conversation_to_meeting, team_meeting_to_demo, win_rate,
       average_deal_units / 10000 AS average_deal, dial_to_conversation,
       conversation_to_meeting, meeting_to_demo, pipeline_units / 10000 AS pipeline, opportunities,
       conversations, dials_needed_,
       ceil(dials_needed_ / nullif(working_days, 0)) AS dials_per_day,
       ceil(conversations / nullif(working_days, 0)) AS conversations_per_day,
       median_dial_to_conversation, median_conversation_to_meeting, median_meeting_to_demo,
       median_win_rate, weakest_vs_team,
       CASE WHEN tenure IS NULL THEN NULL
            WHEN tenure < $min_tenure THEN 'ramp-up'
            WHEN weakest_vs_team IS NULL THEN 'not enough data'
            WHEN weakest_vs_team >= 1 THEN 'at or above the team'
            ELSE 'coach the weakest stage' END AS coaching
FROM weakest, working
ORDER BY row_order
