#!/usr/bin/env python3
"""A what-if over the quota: the llr example over the Maven CRM data, loaded once and run for
quotas of $600k, $900k and $1.2M, printing the reps whose band (`outcome`) changes with the quota.

    PYTHONPATH=build/python python3 examples/embed/whatif.py [--period 2017-Q3]

One load serves the three runs: only the param changes between them."""
import argparse
import os

import fulcrum

QUOTAS = (600_000, 900_000, 1_200_000)
LLR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "llr", "llr.fulcrum")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2017-Q3")
    period = parser.parse_args().period

    data = fulcrum.compile(LLR).load()
    outcomes = {quota: data.run(period=period, params={"quota": quota}).set_index("name")["outcome"]
                for quota in QUOTAS}
    reps = outcomes[QUOTAS[0]].index
    changed = [rep for rep in reps if len({outcomes[q][rep] for q in QUOTAS}) > 1]

    print(f"llr {period}: the reps whose band changes with the quota")
    headers = [f"${q:,}" for q in QUOTAS]
    width = max(len(rep) for rep in reps)
    print(f"{'rep':<{width}}  " + "  ".join(f"{h:<10}" for h in headers).rstrip())
    for rep in changed:
        print(f"{rep:<{width}}  " + "  ".join(f"{outcomes[q][rep]:<10}" for q in QUOTAS).rstrip())
    print(f"{len(changed)} of {len(reps)} reps change band")


if __name__ == "__main__":
    main()
