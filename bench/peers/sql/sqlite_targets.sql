-- Framework `targets` (bench/frameworks/targets.fulcrum, stdlib/funnel.fulcrum inlined) in
-- SQLite's SQL: the same logic as duckdb_targets.sql. Parameters: :period_start, :period_end,
-- :window_start, :window_end (the two whole quarters before the period), :as_of (ISO text),
-- :period ('2018-Q3'), :min_tenure, :min_decided. Missing is NULL; a division is by
-- NULLIF(d, 0), with `1.0 *` where SQLite would divide integers.
-- Money is exact, as in fulcrum (language.md, "Money is exact"): amounts are carried as whole
-- units of 1/10,000 (`*_units`, INTEGER sums), and a money result that is a quotient
-- (`quota / win_rate`) or an avg (own and team average deal, the exact sum over the count) is
-- rounded to the unit with halves away from zero, as fulcrum's RoundMoney (C's round()).
-- SQLite's round(x) adds 0.5 and truncates, which rounds 0.49999999999999994 up, so the
-- rounding is spelled out: sign(x) * (floor(|x|) + (|x| - floor(|x|) >= 0.5)), where
-- |x| - floor(|x|) is exact. The result shows units / 10000.
WITH RECURSIVE
period_days(d) AS (
  SELECT :period_start
  UNION ALL
  SELECT date(d, '+1 day') FROM period_days WHERE d < :period_end
),
working AS (
  -- strftime('%w'): 0 is Sunday, 6 Saturday.
  SELECT count(*) AS working_days FROM period_days WHERE strftime('%w', d) NOT IN ('0', '6')
),
activity_facts AS (
  SELECT rep,
         count(*) FILTER (WHERE kind = 'dial') AS dials,
         count(*) FILTER (WHERE kind = 'conversation') AS conversations_held,
         count(*) FILTER (WHERE kind = 'meeting') AS meetings_held,
         count(*) FILTER (WHERE kind = 'demo') AS demos_held
  FROM activities
  WHERE day BETWEEN :window_start AND :window_end
  GROUP BY rep
),
deal_facts AS (
  SELECT owner AS rep,
         count(*) FILTER (WHERE stage IN ('Won', 'Lost')) AS decided,
         count(*) FILTER (WHERE stage = 'Won') AS won_deals,
         sum(CAST(round(value * 10000) AS INTEGER)) FILTER (WHERE stage = 'Won') AS won_units,
         count(value) FILTER (WHERE stage = 'Won') AS won_values
  FROM deals
  WHERE closed BETWEEN :window_start AND :window_end
  GROUP BY owner
),
quota_facts AS (
  SELECT rep, sum(CAST(round(quota * 10000) AS INTEGER)) AS quota_units
  FROM quotas WHERE quarter = :period GROUP BY rep
),
own AS (
  SELECT r.rowid AS row_order, r.id, r.team,
         -- days_since(hired): missing for a rep hired after the as-of day (ISO text orders)
         CASE WHEN r.hired <= :as_of
              THEN CAST(round(julianday(:as_of) - julianday(r.hired)) AS INTEGER) END AS tenure,
         coalesce(q.quota_units, 0) AS quota_units,
         coalesce(a.dials, 0) AS dials,
         coalesce(a.conversations_held, 0) AS conversations_held,
         coalesce(a.meetings_held, 0) AS meetings_held,
         coalesce(a.demos_held, 0) AS demos_held,
         coalesce(d.decided, 0) AS decided,
         1.0 * coalesce(d.won_deals, 0) / nullif(coalesce(d.decided, 0), 0) AS own_win_rate,
         1.0 * d.won_units / nullif(d.won_values, 0) AS own_average_deal_quotient
  FROM reps r
  LEFT JOIN activity_facts a ON a.rep = r.id
  LEFT JOIN deal_facts d ON d.rep = r.id
  LEFT JOIN quota_facts q ON q.rep = r.id
),
own_rates AS (
  SELECT *,
         sign(own_average_deal_quotient) * (floor(abs(own_average_deal_quotient))
           + (abs(own_average_deal_quotient) - floor(abs(own_average_deal_quotient)) >= 0.5))
           AS own_average_deal_units,
         1.0 * conversations_held / nullif(dials, 0) AS own_dial_to_conversation,
         1.0 * meetings_held / nullif(conversations_held, 0) AS own_conversation_to_meeting,
         1.0 * demos_held / nullif(meetings_held, 0) AS own_meeting_to_demo
  FROM own
),
-- SQLite has no median: each team's non-NULL rates per stage, ranked, and the mean of the middle
-- one (odd count) or two (even count).
stage_rates(team, stage, rate) AS (
  SELECT team, 'd2c', own_dial_to_conversation FROM own_rates
  UNION ALL SELECT team, 'c2m', own_conversation_to_meeting FROM own_rates
  UNION ALL SELECT team, 'm2d', own_meeting_to_demo FROM own_rates
  UNION ALL SELECT team, 'win', own_win_rate FROM own_rates
),
ranked AS (
  SELECT team, stage, rate,
         row_number() OVER (PARTITION BY team, stage ORDER BY rate) AS k,
         count(*) OVER (PARTITION BY team, stage) AS n
  FROM stage_rates WHERE rate IS NOT NULL
),
medians AS (
  SELECT team,
         avg(rate) FILTER (WHERE stage = 'd2c') AS median_dial_to_conversation,
         avg(rate) FILTER (WHERE stage = 'c2m') AS median_conversation_to_meeting,
         avg(rate) FILTER (WHERE stage = 'm2d') AS median_meeting_to_demo,
         avg(rate) FILTER (WHERE stage = 'win') AS median_win_rate
  FROM ranked WHERE k IN ((n + 1) / 2, (n + 2) / 2)
  GROUP BY team
),
-- `avg(m across rep by team)`: over every rep of the team, the rep included, skipping NULLs.
team_sums AS (
  SELECT o.*,
         1.0 * sum(own_average_deal_units) OVER by_team
           / nullif(count(own_average_deal_units) OVER by_team, 0) AS team_average_deal_quotient,
         avg(own_win_rate) OVER by_team AS team_win_rate,
         avg(own_dial_to_conversation) OVER by_team AS team_dial_to_conversation,
         avg(own_conversation_to_meeting) OVER by_team AS team_conversation_to_meeting,
         avg(own_meeting_to_demo) OVER by_team AS team_meeting_to_demo,
         m.median_dial_to_conversation, m.median_conversation_to_meeting,
         m.median_meeting_to_demo, m.median_win_rate
  FROM own_rates o LEFT JOIN medians m ON m.team = o.team
  WINDOW by_team AS (PARTITION BY o.team)
),
team AS (
  SELECT *,
         sign(team_average_deal_quotient) * (floor(abs(team_average_deal_quotient))
           + (abs(team_average_deal_quotient) - floor(abs(team_average_deal_quotient)) >= 0.5))
           AS team_average_deal_units
  FROM team_sums
),
-- chosen_rate / chosen_amount: the own value when there is enough history, else the team's.
chosen AS (
  SELECT *,
         CASE WHEN decided >= :min_decided THEN coalesce(own_win_rate, team_win_rate)
              ELSE team_win_rate END AS win_rate,
         CASE WHEN decided >= :min_decided
              THEN coalesce(own_average_deal_units, team_average_deal_units)
              ELSE team_average_deal_units END AS average_deal_units,
         CASE WHEN tenure >= :min_tenure
              THEN coalesce(own_dial_to_conversation, team_dial_to_conversation)
              ELSE team_dial_to_conversation END AS dial_to_conversation,
         CASE WHEN tenure >= :min_tenure
              THEN coalesce(own_conversation_to_meeting, team_conversation_to_meeting)
              ELSE team_conversation_to_meeting END AS conversation_to_meeting,
         CASE WHEN tenure >= :min_tenure
              THEN coalesce(own_meeting_to_demo, team_meeting_to_demo)
              ELSE team_meeting_to_demo END AS meeting_to_demo
  FROM team
),
funnel_quotient AS (
  SELECT *, quota_units / nullif(win_rate, 0) AS pipeline_quotient FROM chosen
),
funnel_pipeline AS (
  SELECT *,
         sign(pipeline_quotient) * (floor(abs(pipeline_quotient))
           + (abs(pipeline_quotient) - floor(abs(pipeline_quotient)) >= 0.5)) AS pipeline_units
  FROM funnel_quotient
),
funnel_opportunities AS (
  SELECT *, 1.0 * pipeline_units / nullif(average_deal_units, 0) AS opportunities
  FROM funnel_pipeline
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
-- versus_team per stage; SQLite's many-argument min is NULL when any argument is, as `least` is.
weakest AS (
  SELECT *,
         min(own_dial_to_conversation / nullif(median_dial_to_conversation, 0),
             own_conversation_to_meeting / nullif(median_conversation_to_meeting, 0),
             own_meeting_to_demo / nullif(median_meeting_to_demo, 0),
             own_win_rate / nullif(median_win_rate, 0)) AS weakest_vs_team
  FROM funnel_dials
)
-- The band: SQL's CASE takes a NULL condition as false and moves on, where Fulcrum's case is
-- missing; tenure is NULL for a rep hired after the as-of day, hence the first arm. The second
-- condition is `is missing`, so from there on the two pick the same arm.
SELECT id, tenure, quota_units / 10000.0 AS quota, dials, conversations_held, meetings_held,
       demos_held, decided, own_win_rate, own_average_deal_units / 10000.0 AS own_average_deal,
       own_dial_to_conversation, own_conversation_to_meeting, own_meeting_to_demo,
       team_win_rate, team_average_deal_units / 10000.0 AS team_average_deal,
       team_dial_to_conversation, team_conversation_to_meeting, team_meeting_to_demo, win_rate,
       average_deal_units / 10000.0 AS average_deal, dial_to_conversation,
       conversation_to_meeting, meeting_to_demo, pipeline_units / 10000.0 AS pipeline,
       opportunities,
       conversations, dials_needed_,
       ceil(dials_needed_ / nullif(working_days, 0)) AS dials_per_day,
       ceil(conversations / nullif(working_days, 0)) AS conversations_per_day,
       median_dial_to_conversation, median_conversation_to_meeting, median_meeting_to_demo,
       median_win_rate, weakest_vs_team,
       CASE WHEN tenure IS NULL THEN NULL
            WHEN tenure < :min_tenure THEN 'ramp-up'
            WHEN weakest_vs_team IS NULL THEN 'not enough data'
            WHEN weakest_vs_team >= 1 THEN 'at or above the team'
            ELSE 'coach the weakest stage' END AS coaching
FROM weakest, working
ORDER BY row_order
