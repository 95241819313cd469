#!/usr/bin/env python3
"""Runs one libFuzzer target: every saved regression input once, then a timed run from its seeds.

  run.py --fuzzer BIN --work DIR --seeds PATH... --regressions DIR --seconds N [--keep-corpus]
         [--saved-corpus DIR [--save]] [--replay SANITIZED-BIN] [--dict FILE]

Seeds (files, or folders searched for files) are copied into DIR/corpus; the run grows that
corpus, and --keep-corpus keeps it between runs (the long `make fuzz` run), so later runs start
where earlier ones stopped. A crash, leak or timeout fails the run: the input is left in
DIR/artifacts, and the message says how to save it as a regression test.
Prints the number of executions and their rate, from libFuzzer's final statistics.

--saved-corpus is the target's committed corpus (fuzz/corpus/NAME): what earlier long runs found
beyond the seeds, minimized. It seeds every run like --seeds. With --save, a clean run (and its
replay) rewrites it: libFuzzer's -set_cover_merge keeps, of the saved inputs and the grown
corpus, a small set with all the code edges they add over the seeds, named by content hash. Long runs thus start
where earlier ones stopped, on any clone.

--replay is for the long runs of `make fuzz`: the fuzz preset's binaries have coverage but no
sanitizers (several times faster), so afterwards every input of the grown corpus runs once
through the asan preset's build of the same target, and a report there fails the run too.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def seed_files(paths, max_len):
    for path in paths:
        if os.path.isfile(path):
            candidates = [path]
        else:
            candidates = [os.path.join(root, name)
                          for root, _, names in os.walk(path) for name in sorted(names)]
        for candidate in sorted(candidates):
            if os.path.getsize(candidate) <= max_len and not candidate.endswith(".expected"):
                yield candidate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fuzzer", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seeds", nargs="*", default=[])
    parser.add_argument("--regressions", required=True)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--max-len", type=int, default=8192)
    parser.add_argument("--keep-corpus", action="store_true")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--replay", help="a sanitized build of the target to rerun the corpus on")
    parser.add_argument("--dict", help="a libFuzzer dictionary for the mutations")
    parser.add_argument("--saved-corpus", help="the committed corpus: seeds, and --save's output")
    parser.add_argument("--save", action="store_true",
                        help="after a clean run, re-minimize --saved-corpus with the grown corpus")
    args = parser.parse_args()

    name = os.path.basename(args.fuzzer)
    env = dict(os.environ)
    # Leaks fail the run; a UBSan finding stops it like a crash.
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    # Allocations the C library frees itself (tools/sanitizers/lsan.supp says which and why).
    suppressions = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools",
                                "sanitizers", "lsan.supp")
    env.setdefault("LSAN_OPTIONS", f"suppressions={os.path.normpath(suppressions)}:print_suppressions=0")
    # The fuzzers never read or write the JIT's object cache on disk.
    env["FULCRUM_JIT_CACHE"] = "off"

    regressions = sorted(os.path.join(args.regressions, f)
                         for f in (os.listdir(args.regressions)
                                   if os.path.isdir(args.regressions) else []))
    if regressions:
        proc = subprocess.run([args.fuzzer] + regressions, env=env)
        if proc.returncode != 0:
            print(f"{name}: a saved regression input fails again", file=sys.stderr)
            return 1
        print(f"{name}: {len(regressions)} regression inputs pass")

    corpus = os.path.join(args.work, "corpus")
    artifacts = os.path.join(args.work, "artifacts")
    if not args.keep_corpus:
        shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    saved = [args.saved_corpus] if args.saved_corpus and os.path.isdir(args.saved_corpus) else []
    for index, seed in enumerate(seed_files(args.seeds + saved, args.max_len)):
        shutil.copyfile(seed, os.path.join(corpus, f"seed-{index:05d}"))

    # The test suite's short runs use a fixed seed, so that CI tries the same inputs each time
    # (a new finding fails the change that made it reachable, not a later one); `make fuzz` runs
    # with a fresh seed each time.
    seed = [] if args.keep_corpus else ["-seed=1"]
    command = [args.fuzzer, corpus] + seed + [f"-max_total_time={args.seconds}",
               f"-max_len={args.max_len}", "-timeout=10", "-rss_limit_mb=4096",
               "-print_final_stats=1", f"-artifact_prefix={artifacts}/"]
    if args.dict:
        command.append(f"-dict={args.dict}")
    if args.jobs > 1:
        command += [f"-jobs={args.jobs}", f"-workers={args.jobs}"]
    proc = subprocess.run(command, env=env, stderr=subprocess.PIPE, text=True, errors="replace")
    executions = re.findall(r"stat::number_of_executed_units:\s*(\d+)", proc.stderr)
    rate = re.findall(r"stat::average_exec_per_sec:\s*(\d+)", proc.stderr)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-20000:])
        print(f"{name}: FAILED; the input is in {artifacts}/. To keep it as a regression test: "
              f"cp {artifacts}/<file> {args.regressions}/", file=sys.stderr)
        return 1
    # What the target itself says at exit (differential_fuzz: how often it compiled).
    for line in proc.stderr.splitlines():
        if line.startswith(f"{name}: "):
            print(line)
    total = sum(int(e) for e in executions)
    print(f"{name}: {total} executions in {args.seconds} s "
          f"({sum(int(r) for r in rate)}/s), no crash, leak or timeout")
    if args.replay and replay(args.replay, corpus, artifacts, env, name, args.regressions) != 0:
        return 1
    if args.save and args.saved_corpus:
        return save_corpus(args, corpus, env, name)
    return 0


def replay(sanitized, corpus, artifacts, env, name, regressions):
    """Runs every corpus input once through the sanitized build; a report fails the run."""
    inputs = sorted(os.path.join(corpus, f) for f in os.listdir(corpus))
    batch = 256
    for start in range(0, len(inputs), batch):
        proc = subprocess.run([sanitized, f"-artifact_prefix={artifacts}/sanitized-"]
                              + inputs[start:start + batch], env=env, stderr=subprocess.PIPE,
                              text=True, errors="replace")
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-20000:])
            # libFuzzer names each input before running it; the last one named is the culprit.
            # (It writes no artifact when it runs files, so the input is copied there.)
            ran = re.findall(r"^Running: (.+)$", proc.stderr, re.M)
            culprit = ran[-1] if ran else "(unknown)"
            if ran:
                shutil.copyfile(culprit, os.path.join(artifacts, "sanitized-" +
                                                      os.path.basename(culprit)))
            print(f"{name}: {culprit} fails under {sanitized}; it is copied into {artifacts}/. "
                  f"To keep it as a regression test: cp {culprit} {regressions}/",
                  file=sys.stderr)
            return 1
    print(f"{name}: all {len(inputs)} corpus inputs pass under ASan + UBSan ({sanitized})")
    return 0


def save_corpus(args, corpus, env, name):
    """Rewrites --saved-corpus: the inputs of it and of `corpus` that add coverage over the seeds."""
    with tempfile.TemporaryDirectory() as work:
        merged = os.path.join(work, "merged")
        os.makedirs(merged)
        seeds = list(seed_files(args.seeds, args.max_len))
        for index, seed in enumerate(seeds):
            shutil.copyfile(seed, os.path.join(merged, f"seed-{index:05d}"))
        sources = [d for d in (args.saved_corpus, corpus) if os.path.isdir(d)]
        # Edges only (no hit-count buckets), by set cover: a tenth of the inputs of a plain merge.
        proc = subprocess.run([args.fuzzer, "-set_cover_merge=1", "-use_counters=0",
                               f"-max_len={args.max_len}", "-timeout=10",
                               "-rss_limit_mb=4096", merged] + sources,
                              env=env, stderr=subprocess.PIPE, text=True, errors="replace")
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-20000:])
            print(f"{name}: merging the corpus failed", file=sys.stderr)
            return 1
        found = sorted(f for f in os.listdir(merged) if not f.startswith("seed-"))
        shutil.rmtree(args.saved_corpus, ignore_errors=True)
        os.makedirs(args.saved_corpus)
        for file in found:
            shutil.copyfile(os.path.join(merged, file), os.path.join(args.saved_corpus, file))
    size = sum(os.path.getsize(os.path.join(args.saved_corpus, f)) for f in found)
    print(f"{name}: saved {len(found)} inputs ({size:,} bytes) beyond the {len(seeds)} seeds "
          f"in {args.saved_corpus}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
