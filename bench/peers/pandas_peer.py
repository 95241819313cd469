#!/usr/bin/python3
"""Benchmark peer: pandas. Loads the generated CSVs with read_csv (references as categoricals
over the reps' keys, dates parsed), evaluates the framework with vectorised groupbys K times,
writes the result as Fulcrum's CSV and prints one JSON line of timings.

    pandas_peer.py --data DIR --framework llr|targets|deals --period 2018-Q3 [--as-of 2018-08-15]
                   --out RESULT.csv [--repeat K]

Missing is NaN; a division is by a divisor with zeros made NaN (Fulcrum: division by zero is
missing); `sum` and `count` over no rows are 0, `avg` over none NaN, as pandas' own are.
Money is exact, as in fulcrum (language.md, "Money is exact"): in `targets`, amounts are carried
as whole units of 1/10,000 (floats holding whole numbers, so sums are exact), and a money result
that is a quotient (`quota / win_rate`) or an avg (own and team average deal: the exact sum over
the count) is rounded to the unit with halves away from zero (`money_units`), then shown as
units / 10000.
"""
import datetime
import os
import time

import numpy as np
import pandas as pd

import peer_common

KINDS = ["dial", "email", "conversation", "meeting", "demo"]


def divide(numerator, denominator):
    return numerator / denominator.where(denominator != 0)


def money_units(x):
    """x rounded to a whole number, halves away from zero, as C's round() and fulcrum's
    RoundMoney (numpy's round goes to even, and floor(x + 0.5) rounds 0.49999999999999994 up);
    |x| - floor(|x|) is exact. NaN stays NaN."""
    magnitude = np.abs(x)
    whole = np.floor(magnitude)
    return np.copysign(whole + (magnitude - whole >= 0.5), x)


def dates_of(column):
    """A date column read as a categorical of its ISO texts, as datetime64: a few thousand
    distinct days are parsed once each, and no Python string per row is ever made."""
    days = pd.to_datetime(column.cat.categories, format="%Y-%m-%d").values
    codes = column.cat.codes.values
    return pd.Series(np.where(codes >= 0, days[codes], np.datetime64("NaT")), index=column.index)


def load(directory, framework):
    path = lambda file: os.path.join(directory, file)
    if framework == "deals":
        return load_pipeline(path)
    reps = pd.read_csv(path("reps.csv"), dtype=str, keep_default_na=False)
    reps = pd.DataFrame({"id": reps["rep_id"], "team": reps["team"],
                         "hired": pd.to_datetime(reps["hire_date"], format="%Y-%m-%d")})
    # Every reference is a categorical whose categories are the reps' keys in file order, so its
    # codes are row positions of reps and a groupby lines up with the subjects.
    rep_type = pd.CategoricalDtype(categories=reps["id"], ordered=False)
    tables = {"reps": reps}
    deals = pd.read_csv(
        path("deals.csv"), usecols=["owner", "stage", "closed", "value"],
        dtype={"owner": rep_type, "stage": "category", "closed": "category", "value": float},
        keep_default_na=False, na_values={"closed": [""], "value": [""]})
    deals["closed"] = dates_of(deals["closed"])
    tables["deals"] = deals
    activities = pd.read_csv(path("activities.csv"), usecols=["rep", "day", "kind"],
                             dtype={"rep": rep_type, "day": "category", "kind": "category"},
                             keep_default_na=False)
    activities["day"] = dates_of(activities["day"])
    tables["activities"] = activities
    tables["quotas"] = pd.read_csv(path("quotas.csv"),
                                   dtype={"rep": rep_type, "quarter": str, "quota": float},
                                   keep_default_na=False)
    if framework == "llr":
        tables["ratings"] = pd.read_csv(
            path("ratings.csv"),
            dtype={"rep": rep_type, "quarter": str, "leadership": float, "leverage": float},
            keep_default_na=False)
    return tables


def load_pipeline(path):
    """The deals shape: the agents (subjects), the accounts' names, and sales_pipeline.csv with
    the owner a categorical over the agents' names, the stage and product categoricals, the
    dates parsed (empty: NaT) and the close value a float (empty: NaN)."""
    agents = pd.read_csv(path("sales_teams.csv"), usecols=["sales_agent"], dtype=str,
                         keep_default_na=False)["sales_agent"]
    accounts = pd.read_csv(path("accounts.csv"), usecols=["account"], dtype=str,
                           keep_default_na=False)["account"]
    agent_type = pd.CategoricalDtype(categories=agents, ordered=False)
    deals = pd.read_csv(
        path("sales_pipeline.csv"),
        usecols=["sales_agent", "product", "deal_stage", "engage_date", "close_date", "close_value"],
        dtype={"sales_agent": agent_type, "product": "category", "deal_stage": "category",
               "engage_date": "category", "close_date": "category", "close_value": float},
        keep_default_na=False, na_values={"engage_date": [""], "close_date": [""],
                                          "close_value": [""]})
    deals = deals.rename(columns={"sales_agent": "owner", "deal_stage": "stage",
                                  "close_value": "value"})
    deals["engaged"] = dates_of(deals.pop("engage_date"))
    deals["closed"] = dates_of(deals.pop("close_date"))
    return {"agents": agents, "accounts": accounts, "deals": deals}


def deals(t, q):
    """Eight filtered aggregates per agent, as boolean columns summed by one groupby."""
    start, end = pd.Timestamp(q.start), pd.Timestamp(q.to_date)
    d = t["deals"]
    closed_in = (d["closed"] >= start) & (d["closed"] <= end)
    won = (d["stage"] == "Won") & closed_in
    won_value = d["value"].where(won)
    frame = pd.DataFrame({
        "owner": d["owner"], "won": won_value, "won_deals": won,
        "lost_deals": (d["stage"] == "Lost") & closed_in,
        "engaged": (d["engaged"] >= start) & (d["engaged"] <= end),
        "biggest_win": won_value,
        "gtk_won": won_value.where(d["product"] == "GTK 500"),
        "open_deals": d["stage"] == "Engaging", "prospects": d["stage"] == "Prospecting"})
    grouped = frame.groupby("owner", observed=False)
    r = grouped[["won", "won_deals", "lost_deals", "engaged", "gtk_won", "open_deals",
                 "prospects"]].sum()
    r["biggest_win"] = grouped["biggest_win"].max()
    r = r.reindex(t["agents"].values)
    out = pd.DataFrame({"id": t["agents"].values})
    for column in ("won", "won_deals", "lost_deals", "engaged", "biggest_win", "gtk_won",
                   "open_deals", "prospects"):
        out[column] = r[column].values
    out["win_rate"] = divide(out["won_deals"].astype(float),
                             (out["won_deals"] + out["lost_deals"]).astype(float))
    return out


def activity_counts(activities, start, end):
    """Per rep (in reps order) and kind, the activities on days in [start, end]."""
    rows = activities[(activities["day"] >= start) & (activities["day"] <= end)]
    counts = rows.groupby(["rep", "kind"], observed=False).size().unstack("kind")
    return counts.reindex(columns=KINDS, fill_value=0)


def deal_facts(deals, start, end):
    """Per rep: decided (Won or Lost) and won deals closed in [start, end], and the Won rows."""
    closed = deals[(deals["closed"] >= start) & (deals["closed"] <= end)]
    won = closed[closed["stage"] == "Won"]
    decided = closed[closed["stage"].isin(["Won", "Lost"])].groupby("owner", observed=False).size()
    return won, decided, won.groupby("owner", observed=False).size()


def quota_of(quotas, quarter):
    rows = quotas[quotas["quarter"] == quarter]
    return rows.groupby("rep", observed=False)["quota"].sum()


def quota_units_of(quotas, quarter):
    """The quota in whole units of 1/10,000 (each row's amount made units, then an exact sum)."""
    rows = quotas[quotas["quarter"] == quarter]
    units = money_units(rows["quota"] * 10000)
    return units.groupby(rows["rep"], observed=False).sum()


def llr(t, q):
    # `in period`: the period to date (to its last day unless the as-of day is earlier).
    start, end = pd.Timestamp(q.start), pd.Timestamp(q.to_date)
    won_rows, decided, won_deals = deal_facts(t["deals"], start, end)
    acts = activity_counts(t["activities"], start, end)
    ratings = t["ratings"][t["ratings"]["quarter"] == q.text]
    rated = ratings.groupby("rep", observed=False)[["leadership", "leverage"]].mean()

    r = pd.DataFrame({"id": t["reps"]["id"].values})
    r["won"] = won_rows.groupby("owner", observed=False)["value"].sum().values
    r["decided"] = decided.values
    r["win_rate"] = divide(pd.Series(won_deals.values), r["decided"])
    r["quota"] = quota_of(t["quotas"], q.text).values
    r["attainment"] = divide(r["won"], r["quota"])
    for kind, column in zip(KINDS, ["dials", "emails", "conversations", "meetings", "demos"]):
        r[column] = acts[kind].values
    r["meeting_rate"] = divide(r["meetings"], r["conversations"])
    r["leadership"] = rated["leadership"].values
    r["leverage_rating"] = rated["leverage"].values
    # Score components clamped to [0, 1] (clip keeps NaN); `results` is a clamp already.
    results = (r["attainment"] / 1.5).clip(0, 1)
    leadership = (r["leadership"] / 5).clip(0, 1)
    leverage = ((r["leverage_rating"] / 5 + (r["meeting_rate"] / 0.4).clip(0, 1)) / 2).clip(0, 1)
    r["llr"] = 5 * (0.4 * results + 0.3 * leadership + 0.3 * leverage)
    r["llr.results"], r["llr.leadership"], r["llr.leverage"] = results, leadership, leverage
    # The first true arm; `decided` is never missing and `is missing` comes before the
    # comparisons, so NaN's false comparisons are never what picks an arm.
    score = r["llr"]
    r["outcome"] = np.select(
        [r["decided"] == 0, score.isna(), score >= 4.5, score >= 3.5, score >= 2.0],
        ["ramping", "unrated", "promote", "raise", "meets"], default="pip")
    return r


def working_days(start, end):
    return int(np.busday_count(start, end + datetime.timedelta(days=1)))  # Monday to Friday


def chosen(own, team, history, threshold):
    """chosen_rate / chosen_amount: the own value (else the team's) with enough history."""
    return own.fillna(team).where(history >= threshold, team)


def targets(t, q):
    start, end = pd.Timestamp(q.window_start), pd.Timestamp(q.window_end)
    won_rows, decided, won_deals = deal_facts(t["deals"], start, end)
    acts = activity_counts(t["activities"], start, end)

    reps = t["reps"]
    r = pd.DataFrame({"id": reps["id"].values})
    # days_since(hired): missing (NaN) for a rep hired after the as-of day.
    as_of = pd.Timestamp(q.as_of)
    r["tenure"] = (as_of - reps["hired"]).dt.days.where(reps["hired"] <= as_of).values
    quota_units = quota_units_of(t["quotas"], q.text).values
    r["quota"] = quota_units / 10000
    r["dials"] = acts["dial"].values
    r["conversations_held"] = acts["conversation"].values
    r["meetings_held"] = acts["meeting"].values
    r["demos_held"] = acts["demo"].values
    r["decided"] = decided.values
    r["own_win_rate"] = divide(pd.Series(won_deals.values), r["decided"])
    # avg of money: the exact sum of the units over the count, rounded to the unit.
    won_units = money_units(won_rows["value"] * 10000).groupby(won_rows["owner"], observed=False)
    # In units until the funnel has used it; shown as dollars at the end.
    r["own_average_deal"] = money_units(divide(won_units.sum(), won_units.count())).values
    r["own_dial_to_conversation"] = divide(r["conversations_held"], r["dials"])
    r["own_conversation_to_meeting"] = divide(r["meetings_held"], r["conversations_held"])
    r["own_meeting_to_demo"] = divide(r["demos_held"], r["meetings_held"])

    # `avg(m across rep by team)` and `median(...)`: over the team, the rep included, NaN skipped;
    # pandas' median averages the middle two of an even count, as Fulcrum's does.
    stages = ["win_rate", "average_deal", "dial_to_conversation", "conversation_to_meeting",
              "meeting_to_demo"]
    by_team = r[["own_" + s for s in stages]].groupby(reps["team"].values)
    team_means = by_team.transform("mean")
    # avg of money (units): the exact sum over the count, rounded to the unit.
    team_means["own_average_deal"] = money_units(
        divide(by_team["own_average_deal"].transform("sum"),
               by_team["own_average_deal"].transform("count")))
    for s in stages:
        r["team_" + s] = team_means["own_" + s]

    history = {"win_rate": r["decided"], "average_deal": r["decided"]}
    for s in stages:
        threshold = peer_common.MIN_DECIDED if s in history else peer_common.MIN_TENURE
        r[s] = chosen(r["own_" + s], r["team_" + s], history.get(s, r["tenure"]), threshold)

    days = working_days(q.start, q.end)
    pipeline_units = money_units(divide(pd.Series(quota_units), r["win_rate"]))
    r["pipeline"] = pipeline_units / 10000
    r["opportunities"] = divide(pipeline_units, r["average_deal"])
    for money in ("own_average_deal", "team_average_deal", "average_deal"):
        r[money] = r[money] / 10000
    r["conversations"] = divide(r["opportunities"],
                                r["conversation_to_meeting"] * r["meeting_to_demo"])
    r["dials_needed_"] = divide(r["conversations"], r["dial_to_conversation"])
    r["dials_per_day"] = np.ceil(r["dials_needed_"] / days) if days else np.nan
    r["conversations_per_day"] = np.ceil(r["conversations"] / days) if days else np.nan

    compared = ["dial_to_conversation", "conversation_to_meeting", "meeting_to_demo", "win_rate"]
    medians = r[["own_" + s for s in compared]].groupby(reps["team"].values).transform("median")
    for s in compared:
        r["median_" + s] = medians["own_" + s]
    # least(...) is missing when any operand is: min without skipping NaN.
    versus = pd.concat([divide(r["own_" + s], r["median_" + s]) for s in compared], axis=1)
    r["weakest_vs_team"] = versus.min(axis=1, skipna=False)
    weakest = r["weakest_vs_team"]
    # Fulcrum's case is missing when a condition before the taken arm is: a missing tenure makes
    # the band missing (NaN's comparison would be false and fall through to the next arm).
    r["coaching"] = np.select(
        [r["tenure"].isna(), r["tenure"] < peer_common.MIN_TENURE, weakest.isna(), weakest >= 1],
        [None, "ramp-up", "not enough data", "at or above the team"],
        default="coach the weakest stage")
    return r


def main():
    args = peer_common.parse_args(__doc__.splitlines()[0])
    quarter = peer_common.Quarter(args.period, args.as_of)
    start = time.perf_counter()
    tables = load(args.data, args.framework)
    load_s = time.perf_counter() - start

    evaluate = {"llr": llr, "targets": targets, "deals": deals}[args.framework]
    result, eval_s, eval_median_s = peer_common.timed_evaluations(
        lambda: evaluate(tables, quarter), args.repeat)
    rows = result.astype(object).where(result.notna(), None).values.tolist()
    peer_common.write_result(args.out, list(result.columns), rows)
    peer_common.report("pandas", args, load_s, eval_s, eval_median_s,
                       len(tables["deals" if args.framework == "deals" else "activities"]))


if __name__ == "__main__":
    main()
