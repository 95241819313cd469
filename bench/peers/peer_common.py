"""What the Python benchmark peers share: the command line, the quarter's dates, the repeated
timed evaluation, Fulcrum's CSV output and the JSON line of timings."""
import argparse
import csv
import datetime
import json
import math
import statistics
import time

# The frameworks' params at their defaults (bench/frameworks/targets.fulcrum).
MIN_TENURE = 90
MIN_DECIDED = 20


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", required=True, help="directory of the generated CSVs")
    parser.add_argument("--framework", required=True, choices=["llr", "targets", "deals"])
    parser.add_argument("--period", required=True, help="a quarter, like 2018-Q3")
    parser.add_argument("--as-of", default=None,
                        help="the run's today, YYYY-MM-DD (default: the period's last day)")
    parser.add_argument("--out", required=True, help="the result CSV to write")
    parser.add_argument("--threads", type=int, default=None,
                        help="accepted for a uniform command line; this peer runs on one thread")
    parser.add_argument("--repeat", type=int, default=1, help="evaluations; the best is reported")
    return parser.parse_args()


class Quarter:
    """The period `YYYY-Qn`: its first and last day, the two whole quarters before it (`previous
    2 quarters`), and the as-of day, the run's today (`as_of`, by default the period's last day).
    As of a day D (language.md, "As of a date"), `in period` ends at D when D falls inside the
    period (`to_date`, the last day `in period` counts; before `start` when D is before the
    period, so nothing counts), and `days_since` of a date after D is missing."""

    def __init__(self, text, as_of=None):
        try:
            year, q = text.split("-Q")
            year, q = int(year), int(q)
            assert 1 <= q <= 4
        except (ValueError, AssertionError):
            raise SystemExit(f"--period {text}: expected a quarter like 2018-Q3")
        self.text = text
        self.start = self._first_day(year, q)
        self.end = self._first_day(year + q // 4, q % 4 + 1) - datetime.timedelta(days=1)
        back = (year * 4 + q - 1) - 2
        self.window_start = self._first_day(back // 4, back % 4 + 1)
        self.window_end = self.start - datetime.timedelta(days=1)
        try:
            self.as_of = datetime.date.fromisoformat(as_of) if as_of else self.end
        except ValueError:
            raise SystemExit(f"--as-of {as_of}: expected a date like 2018-08-15")
        self.to_date = min(self.end, self.as_of)

    @staticmethod
    def _first_day(year, q):
        return datetime.date(year, 3 * (q - 1) + 1, 1)


def timed_evaluations(evaluate, repeat):
    """Runs evaluate() `repeat` times; returns the last result, the best and the median seconds."""
    times, result = [], None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = evaluate()
        times.append(time.perf_counter() - start)
    return result, min(times), statistics.median(times)


def format_cell(value):
    """A value as Fulcrum's CSV prints it: missing empty, whole numbers without a fraction, other
    numbers in shortest round-trip form (Python's repr and fmt's `{}` agree on the digits)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


def write_result(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([format_cell(v) for v in row])


def report(peer, args, load_s, eval_s, eval_median_s, activity_rows):
    print(json.dumps({"peer": peer, "framework": args.framework, "load_s": load_s,
                      "eval_s": eval_s, "eval_median_s": eval_median_s,
                      "activity_rows": activity_rows, "threads": 1}))
