"""The Dask scaling figures (docs/performance.md, docs/scaling.md): bench/frameworks/llr.fulcrum
over fulcrum-gen data, on one machine (`fulcrum run`, one thread) and through fulcrum.dask on a
LocalCluster of 1 and of 2 worker processes (one thread each), the partitioned tables cut by rep
into --parts files. Prints one JSON object: each run's wall time (the first Dask run, whose
workers compile the framework, and the best of --repeat more), whether its CSV equals `fulcrum
run`'s byte for byte, and what is shipped (each partition's partial, the second stage's input).

Run by bench/run.py --dask-only with a Python that has Dask's `distributed` (Debian's
python3-distributed) and the package on PYTHONPATH; alone:
    PYTHONPATH=build/python python3 bench/dask_scaling.py --bin build/bin --data DIR"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LLR = os.path.join(REPO_ROOT, "bench", "frameworks", "llr.fulcrum")
FACTS = {"deals": "owner", "activities": "rep", "ratings": "rep", "quotas": "rep"}


def partition(folder, parts):
    """Each fact table cut by rep into `parts` files under folder/dask-N (kept between runs):
    reps dealt round-robin in order of first appearance, every row of a rep in one file."""
    out = os.path.join(folder, f"dask-{parts}")
    done = os.path.join(out, "done")
    if not os.path.exists(done):
        os.makedirs(out, exist_ok=True)
        for table, column in FACTS.items():
            with open(os.path.join(folder, f"{table}.csv"), newline="") as f:
                reader = csv.reader(f)
                header = next(reader)
                at = header.index(column)
                files = [open(os.path.join(out, f"{table}-{i}.csv"), "w", newline="")
                         for i in range(parts)]
                writers = [csv.writer(w, lineterminator="\n") for w in files]
                for w in writers:
                    w.writerow(header)
                place = {}
                for row in reader:
                    writers[place.setdefault(row[at], len(place) % parts)].writerow(row)
                for w in files:
                    w.close()
        open(done, "w").close()
    return {t: os.path.join(out, f"{t}-*.csv") for t in FACTS}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--data", required=True, help="a fulcrum-gen folder")
    parser.add_argument("--parts", type=int, default=8)
    parser.add_argument("--period", default="2018-Q3")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()

    import distributed
    import fulcrum.dask as fdask

    data = {"rep": os.path.join(args.data, "reps.csv"), **partition(args.data, args.parts)}
    command = [os.path.join(args.bin, "fulcrum"), "run", LLR, "--framework", "llr", "--period",
               args.period, "--format", "csv", "--threads", "1",
               "--data", f"rep={data['rep']}"]
    for table in FACTS:
        command += ["--data", f"{table}={os.path.join(args.data, table + '.csv')}"]
    best = None
    for _ in range(args.repeat):
        start = time.perf_counter()
        expected = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        wall = time.perf_counter() - start
        best = wall if best is None else min(best, wall)
    report = {"parts": args.parts, "subjects": expected.count("\n") - 1,
              "one_process_s": best, "dask": []}

    # What is shipped: each partition's partial (computed here, by the task's own function).
    job, parts = fdask.plan(LLR, "llr", args.period, data=data, format="csv")
    sizes = {t: [len(fdask.scan_partition(job, t, f).encode()) for f in files]
             for t, files in parts.items()}
    report["partial_bytes"] = {t: {"partitions": len(s), "mean": sum(s) / len(s),
                                   "total": sum(s)} for t, s in sizes.items()}
    report["stage2_input_bytes"] = sum(sum(s) for s in sizes.values())
    report["input_bytes"] = sum(os.path.getsize(f) for files in parts.values() for f in files)

    os.environ["FULCRUM_JIT_CACHE"] = "off"  # each worker compiles: the cold figure is honest
    for workers in [int(w) for w in args.workers.split(",")]:
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=40) as cluster, \
                distributed.Client(cluster) as client:
            times = []
            same = True
            for _ in range(1 + args.repeat):
                start = time.perf_counter()
                got = fdask.run(LLR, "llr", args.period, data=data, client=client, format="csv")
                times.append(time.perf_counter() - start)
                same = same and got == expected
            report["dask"].append({"workers": workers, "first_s": times[0],
                                   "best_s": min(times[1:]), "identical": same})
    print(json.dumps(report))
    return 0 if all(d["identical"] for d in report["dask"]) else 1


if __name__ == "__main__":
    sys.exit(main())
