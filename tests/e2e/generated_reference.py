"""An independent reference for bench/frameworks/llr and targets, and for account_lens of
bench/frameworks/events.fulcrum, over fulcrum-gen's data, computed from the CSV files alone with
plain Python (used by gen_test and scale_test). Not a test itself (no `_test` name)."""
import collections
import csv
import datetime
import math
import io

from e2e_support import day, divide, mean, median, money, money_mean, quarter_bounds, shift_quarter


# The reference for bench/frameworks/llr and targets over fulcrum-gen's files (see
# bench/frameworks/data.fulcrum for the columns they read), from the CSV files alone.

def _read(folder, table):
    with open(f"{folder}/{table}.csv", newline="") as f:
        return list(csv.DictReader(f))


def _in(text, start, end):
    return bool(text) and start <= day(text) <= end


def days_since(d, as_of):
    """days_since(d) as of `as_of`: whole days, missing for a date after it (not yet happened)."""
    return None if d is None or d > as_of else (as_of - d).days


def generated_reference(folder, year, q, as_of=None):
    """{"llr": {rep_id: {column: value}}, "targets": {...}} for the quarter `year`-Q`q` over the
    fulcrum-gen files in `folder`: llr's deal, quota, activity and rating metrics in the quarter;
    targets' over the previous 2 quarters (activities, decided deals, own, team and median rates,
    the rates chosen, the back-solved funnel, the daily targets, the coaching band).

    `as_of` (a datetime.date, by default the quarter's last day) is the run's today (language.md,
    "As of a date"): `in period` ends at it when it falls inside the quarter (period to date),
    and `days_since` of a later date is missing, so a rep hired after it has no tenure (and
    plans with the team's rates, `chosen_rate` counting a missing history as none; the coaching
    band's first condition is missing, so the band is missing). `previous 2 quarters` and
    `working_days(period)` are whole quarters whatever the as-of day."""
    reps = _read(folder, "reps")
    deals = _read(folder, "deals")
    activities = _read(folder, "activities")
    quotas = _read(folder, "quotas")
    ratings = _read(folder, "ratings")
    period = f"{year}-Q{q}"
    start, end = quarter_bounds(year, q)
    as_of = end if as_of is None else as_of
    to_date = min(end, as_of)  # where `in period` ends
    window_start, _ = quarter_bounds(*shift_quarter(year, q, -2))
    _, window_end = quarter_bounds(*shift_quarter(year, q, -1))
    working_days = sum(1 for n in range((end - start).days + 1)
                       if (start + datetime.timedelta(days=n)).weekday() < 5)

    quota = collections.defaultdict(float)
    for row in quotas:
        if row["quarter"] == period:
            quota[row["rep"]] += float(row["quota"])
    rated = collections.defaultdict(list)
    for row in ratings:
        if row["quarter"] == period:
            rated[row["rep"]].append((float(row["leadership"]), float(row["leverage"])))
    kinds = ("dial", "email", "conversation", "meeting", "demo")
    in_period = collections.defaultdict(collections.Counter)
    in_window = collections.defaultdict(collections.Counter)
    for row in activities:
        d = day(row["day"])
        if start <= d <= to_date:
            in_period[row["rep"]][row["kind"]] += 1
        if window_start <= d <= window_end:
            in_window[row["rep"]][row["kind"]] += 1
    won = collections.defaultdict(float)
    wins, decided = collections.Counter(), collections.Counter()
    window_won, window_wins, window_decided = (collections.defaultdict(list), collections.Counter(),
                                               collections.Counter())
    for row in deals:
        decision = row["stage"] in ("Won", "Lost")
        if _in(row["closed"], start, to_date):
            decided[row["owner"]] += decision
            if row["stage"] == "Won":
                wins[row["owner"]] += 1
                won[row["owner"]] += float(row["value"]) if row["value"] else 0.0
        if _in(row["closed"], window_start, window_end):
            window_decided[row["owner"]] += decision
            if row["stage"] == "Won":
                window_wins[row["owner"]] += 1
                if row["value"]:
                    window_won[row["owner"]].append(float(row["value"]))

    llr = {}
    for rep in reps:
        r = rep["rep_id"]
        counts = in_period[r]
        llr[r] = {
            "won": won[r], "decided": decided[r], "win_rate": divide(wins[r], decided[r]),
            "quota": quota[r], "attainment": divide(won[r], quota[r]),
            "dials": counts["dial"], "emails": counts["email"],
            "conversations": counts["conversation"], "meetings": counts["meeting"],
            "demos": counts["demo"],
            "meeting_rate": divide(counts["meeting"], counts["conversation"]),
            "leadership": mean([lead for lead, _ in rated[r]]),
            "leverage_rating": mean([lev for _, lev in rated[r]]),
        }

    stages = ("dial_to_conversation", "conversation_to_meeting", "meeting_to_demo")
    own = {}
    for rep in reps:
        r = rep["rep_id"]
        counts = in_window[r]
        own[r] = {
            "tenure": days_since(day(rep["hire_date"]), as_of),
            "quota": quota[r],
            "dials": counts["dial"], "conversations_held": counts["conversation"],
            "meetings_held": counts["meeting"], "demos_held": counts["demo"],
            "decided": window_decided[r],
            "own_win_rate": divide(window_wins[r], window_decided[r]),
            "own_average_deal": money_mean(window_won[r]),
            "own_dial_to_conversation": divide(counts["conversation"], counts["dial"]),
            "own_conversation_to_meeting": divide(counts["meeting"], counts["conversation"]),
            "own_meeting_to_demo": divide(counts["demo"], counts["meeting"]),
        }
    teams = collections.defaultdict(list)
    for rep in reps:
        teams[rep["team"]].append(own[rep["rep_id"]])

    def chosen(mine, team, history, threshold):
        # stdlib/funnel's chosen_rate: a missing history counts as none.
        return (mine if mine is not None else team) if (history or 0) >= threshold else team

    targets = {}
    for rep in reps:
        f = dict(own[rep["rep_id"]])
        peers = teams[rep["team"]]
        for k in ("win_rate",) + stages:
            f["team_" + k] = mean([p["own_" + k] for p in peers])
        f["team_average_deal"] = money_mean([p["own_average_deal"] for p in peers])
        for k in ("win_rate",) + stages:
            f["median_" + k] = median([p["own_" + k] for p in peers])
        for k in ("win_rate", "average_deal"):
            f[k] = chosen(f["own_" + k], f["team_" + k], f["decided"], 20)
        for k in stages:
            f[k] = chosen(f["own_" + k], f["team_" + k], f["tenure"], 90)
        f["pipeline"] = money(divide(f["quota"], f["win_rate"]))  # money / a rate is money
        f["opportunities"] = divide(f["pipeline"], f["average_deal"])
        f["conversations"] = divide(f["opportunities"], None if None in (
            f["conversation_to_meeting"], f["meeting_to_demo"])
            else f["conversation_to_meeting"] * f["meeting_to_demo"])
        f["dials_needed_"] = divide(f["conversations"], f["dial_to_conversation"])
        f["dials_per_day"] = ("ceil", divide(f["dials_needed_"], working_days))
        f["conversations_per_day"] = ("ceil", divide(f["conversations"], working_days))
        versus = [divide(f["own_" + k], f["median_" + k]) for k in stages + ("win_rate",)]
        f["weakest_vs_team"] = None if None in versus else min(versus)
        f["coaching"] = (None if f["tenure"] is None else  # a missing condition: missing
                         "ramp-up" if f["tenure"] < 90 else
                         "not enough data" if f["weakest_vs_team"] is None else
                         "at or above the team" if f["weakest_vs_team"] >= 1 else
                         "coach the weakest stage")
        targets[rep["rep_id"]] = f
    return {"llr": llr, "targets": targets}


# The reference for account_lens (bench/frameworks/events.fulcrum) over fulcrum-gen's accounts
# and events, from the CSV files alone.

LENS_ALERTS = (("decision_maker_move", "Decision maker move"),
               ("gone_quiet", "No product use for two weeks"))


def lens_reference(folder, as_of):
    """({account_id: {column: value}}, [feed line]) for account_lens as of `as_of` (a
    datetime.date): size_of_prize (employees * $40), temperature (the weights of the last 90
    days' events, each times 0.5 ^ (age / 14 days), summed exactly rounded), the heat band, the
    priority rank (RANK() of size_of_prize * temperature, descending), quiet_days (days since
    the last product_usage; missing without one, or when it is after `as_of`), and the alert
    feed as `fulcrum alerts --format csv` prints it (without its header): decision_maker_move
    for each role_change of the last 7 days, gone_quiet for quiet_days > 14; subjects by rank
    then key, newest first, declaration order, file order."""
    accounts = _read(folder, "accounts")
    index = {a["account_id"]: i for i, a in enumerate(accounts)}
    weights = [[] for _ in accounts]  # summed exactly rounded, as fulcrum's sum (math.fsum)
    last_use = [None] * len(accounts)
    active = []  # (subject, date, row, contact)
    for row, e in enumerate(_read(folder, "events")):
        a, at = index[e["account"]], day(e["at"])
        if e["kind"] == "product_usage" and (last_use[a] is None or at > last_use[a]):
            last_use[a] = at
        if as_of - datetime.timedelta(days=89) <= at <= as_of:
            weights[a].append(float(e["weight"]) * 0.5 ** ((as_of - at).days / 14))
        if e["kind"] == "role_change" and as_of - datetime.timedelta(days=6) <= at <= as_of:
            active.append((a, at, row, e["contact"] or "-"))
    temperature = [math.fsum(w) for w in weights]
    size = [float(a["employees"]) * 40 for a in accounts]
    # size_of_prize * temperature is money: fulcrum holds it in units of 1/10,000, the product
    # rounded to the unit with halves away from zero (language.md, "Money is exact"), so products
    # within half a unit of each other tie.
    product = [math.floor(s * 10000 * t + 0.5) for s, t in zip(size, temperature)]
    rank, place = [0] * len(accounts), 0
    for i, a in enumerate(sorted(range(len(accounts)), key=lambda a: -product[a])):
        if i == 0 or product[a] != product[previous]:
            place = i + 1
        rank[a], previous = place, a
    expected = {}
    for i, a in enumerate(accounts):
        t = temperature[i]
        expected[a["account_id"]] = {
            "size_of_prize": f"{size[i]:.0f}", "temperature": t,
            "heat": "HIGH" if t >= 20 else "MEDIUM" if t >= 5 else "LOW",
            "priority": str(rank[i]), "quiet_days": (str(days_since(last_use[i], as_of))
                                                     if days_since(last_use[i], as_of) is not None
                                                     else None)}
    fired = [(a, 0, at, row, f"{contact} changed roles at {accounts[a]['name']}")
             for a, at, row, contact in active]
    for i, a in enumerate(accounts):
        quiet = days_since(last_use[i], as_of)
        if quiet is not None and quiet > 14:
            fired.append((i, 1, as_of, -1, f"{a['name']}: no product use for {quiet:,} days"))
    fired.sort(key=lambda f: (rank[f[0]], accounts[f[0]]["account_id"], -f[2].toordinal(), f[1],
                              f[3]))
    feed = []
    for a, k, at, row, message in fired:
        line = io.StringIO()
        csv.writer(line, lineterminator="").writerow(  # quotes a message holding `1,094`
            [accounts[a]["account_id"], LENS_ALERTS[k][0], LENS_ALERTS[k][1], at.isoformat(),
             message, ""])
        feed.append(line.getvalue())
    return expected, feed
