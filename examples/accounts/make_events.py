#!/usr/bin/env python3
"""Writes events.csv: made-up account activity for the 85 Maven CRM accounts, 2017-03-27 (a
Monday) to 2017-06-30 (a Friday), about fourteen weeks.

Columns `account, contact, kind, at, weight`, in date order (events of one day in the order they
were drawn). The kinds and their weights:

- web_visit (1): someone at the account read the web site; the visitor is often anonymous (no
  contact).
- whitepaper (3): a whitepaper download, sometimes anonymous.
- contact_me (8): a named contact filled in "contact me".
- role_change (2): a named contact (a decision maker) changed roles; a reorganisation may move
  two people at one account on the same day.
- product_usage (0.5 to 4, one decimal): a customer's weekly usage roll-up (active seats / 10),
  dated the Monday of the week, no contact.

Each account is drawn into one of these groups (shares are approximate):

- cold (1 in 5): no event at all.
- prospect (a little over half): marketing activity only, at a level of interest of its own
  (0.05 to 0.6 web visits a week); 3 in 10 of them warm up in the last three weeks (more
  visits, a download or more, often a "contact me").
- customer (1 in 4): weekly product usage, plus a little marketing activity (some warm up too).
  3 in 10 customers stop using the product: their usage ends on a Monday between 2017-03-27 and
  2017-06-05 and never comes back (the alert `gone_quiet` fires once the last use is more than
  14 days old).

About one account in seven (of those not cold) has a decision maker changing roles, for
prospects mostly in the last two weeks of June so that the feed as of 2017-06-30 shows some;
besides, half of the customers who stop using the product see a role change after their last
week of use (a champion who moves on is a common reason). A third of the moves at an account
with several contacts are a reorganisation: two people move on the same day.

The contacts are made-up names; the accounts are the real ones of
../../../shared/datasets/maven-crm/accounts.csv. Deterministic (fixed seed): running it again
writes the same file. Run from anywhere:

    python3 examples/accounts/make_events.py            # writes examples/accounts/events.csv
    python3 examples/accounts/make_events.py OUT.csv    # writes OUT.csv instead
"""
import csv
import datetime
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "../../../shared/datasets/maven-crm")
SEED = 20170630
FIRST = datetime.date(2017, 3, 27)  # a Monday
LAST = datetime.date(2017, 6, 30)   # a Friday
DAYS = (LAST - FIRST).days + 1

FIRST_NAMES = ["Avery", "Blake", "Camila", "Dana", "Elif", "Farah", "Gideon", "Hana", "Idris",
               "Jonas", "Keiko", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rafael",
               "Sofia", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zara"]
LAST_NAMES = ["Abbott", "Brennan", "Castillo", "Dimitrov", "Eriksen", "Fischer", "Gallo",
              "Haddad", "Ito", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor",
              "Petrov", "Quintero", "Rossi", "Sato", "Tanaka", "Varga", "Weber", "Yilmaz", "Zhou"]

rng = random.Random(SEED)


def some_day(first=FIRST, last=LAST):
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def marketing(account, contacts, interest, warming, rows):
    """Web visits (`interest` a week on average) and downloads over the whole span; a warming
    account adds a burst in its last three weeks: visits, downloads and often a "contact me"."""
    for _ in range(round(interest * DAYS / 7 * rng.uniform(0.6, 1.4))):
        visitor = rng.choice(contacts) if rng.random() < 0.4 else ""
        rows.append([account, visitor, "web_visit", some_day(), 1])
    for _ in range(rng.randrange(0, 2 + round(2 * interest))):
        reader = rng.choice(contacts) if rng.random() < 0.7 else ""
        rows.append([account, reader, "whitepaper", some_day(), 3])
    if warming:
        burst = LAST - datetime.timedelta(days=20)
        for _ in range(rng.randrange(6, 15)):
            rows.append([account, rng.choice(contacts), "web_visit", some_day(burst), 1])
        for _ in range(rng.randrange(1, 4)):
            rows.append([account, rng.choice(contacts), "whitepaper", some_day(burst), 3])
        if rng.random() < 0.85:
            for _ in range(rng.randrange(1, 3)):
                rows.append([account, rng.choice(contacts), "contact_me", some_day(burst), 8])


def usage(account, last_monday, rows):
    """A customer's weekly usage roll-up, every Monday from FIRST to `last_monday`."""
    seats = rng.uniform(0.8, 3.5)
    monday = FIRST
    while monday <= last_monday:
        weight = round(max(0.5, min(4.0, seats * rng.uniform(0.8, 1.2))), 1)
        rows.append([account, "", "product_usage", monday, weight])
        monday += datetime.timedelta(weeks=1)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "events.csv")
    with open(os.path.join(DATA, "accounts.csv"), newline="") as f:
        accounts = [row["account"] for row in csv.DictReader(f)]

    rows = []
    for account in accounts:
        contacts = []
        for _ in range(rng.randint(1, 3)):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in contacts:
                contacts.append(name)
        group = rng.random()
        if group < 0.2:
            continue  # cold: nothing at all
        moved = rng.random() < 0.15  # a decision maker changes roles
        if group < 0.75:
            marketing(account, contacts, rng.choice([0.05, 0.1, 0.2, 0.35, 0.6]),
                      rng.random() < 0.3, rows)
            when = some_day(LAST - datetime.timedelta(days=13)) if rng.random() < 0.6 \
                else some_day()
        else:
            churned = rng.random() < 0.3
            weeks = rng.randrange(0, 11) if churned else (LAST - FIRST).days // 7
            last_monday = FIRST + datetime.timedelta(weeks=weeks)
            usage(account, last_monday, rows)
            marketing(account, contacts, rng.choice([0, 0.05, 0.1, 0.2]), rng.random() < 0.15,
                      rows)
            # A champion who moves on is a common reason for usage to stop: half of the churned
            # customers see a role change after their last week of use.
            moved = moved or (churned and rng.random() < 0.5)
            when = some_day(last_monday + datetime.timedelta(days=3)) if churned \
                else some_day()
        if moved:
            rows.append([account, contacts[0], "role_change", when, 2])
            if len(contacts) > 1 and rng.random() < 0.3:  # a reorganisation: two on one day
                rows.append([account, contacts[-1], "role_change", when, 2])

    rows.sort(key=lambda row: row[3])  # stable: a day's events stay in the order drawn
    with open(path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["account", "contact", "kind", "at", "weight"])
        out.writerows([a, c, k, d.isoformat(), w] for a, c, k, d, w in rows)
    print(f"{os.path.relpath(path)}: {len(rows)} rows")


if __name__ == "__main__":
    main()
