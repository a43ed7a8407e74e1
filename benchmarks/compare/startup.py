#!/usr/bin/python3
"""Issue 17 item 3: the JIT tax of `pq`, whole-process, beside XGBoost's Python training in the same run.

Usage (from the repository root, after `dotnet build -c Release src/PatternQuality.Cli` and, for the ReadyToRun row,
`dotnet publish src/PatternQuality.Cli -c Release -r linux-x64 -p:PublishReadyToRun=true -o /tmp/pq-r2r`):

    /usr/bin/python3 benchmarks/compare/startup.py [DATA] [--r2r /tmp/pq-r2r/pq] [--pq PORTABLE/pq] [--repeats 5]

The ReadyToRun build is what `dotnet tool install` puts on linux-x64 (the tool package's linux-x64 part); an installed
tool's `pq` works as `--r2r` too.

Each setting is run `--repeats` times, alternating with the others so load changes hit all alike; the table gives
the median of: process start to exit for `pq --help`, process start to exit for `pq train` on LightGBM's binary example
(100 trees, 31 leaves, the test file held out), and the `train_seconds` pq reports. XGBoost: a fresh
/usr/bin/python3 process that imports xgboost, loads the same file and fits 100 trees of 31 leaves (hist, lossguide,
2 threads); its fit time and its whole-process time.
"""
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
args = sys.argv[1:]
DATA = args[0] if args and not args[0].startswith("--") else os.path.join(ROOT, "..", "shared", "data")
BIN = os.path.join(DATA, "lightgbm-examples", "binary_classification")
REPEATS = int(args[args.index("--repeats") + 1]) if "--repeats" in args else 5
PQ = os.path.join(ROOT, "src", "PatternQuality.Cli", "bin", "Release", "net10.0", "pq")
if "--pq" in args:  # a copy of the portable build, so a rebuild during the run cannot change it
    PQ = args[args.index("--pq") + 1]

XGB_FIT = """
import time, numpy as np, xgboost as xgb
m = np.loadtxt(%r, delimiter="\\t")
d = xgb.DMatrix(m[:, 1:].astype(np.float32), label=m[:, 0])
p = dict(tree_method="hist", grow_policy="lossguide", max_leaves=31, max_depth=0, learning_rate=0.1, max_bin=255,
         nthread=2, objective="binary:logistic")
s = time.perf_counter(); xgb.train(p, d, num_boost_round=100); print(time.perf_counter() - s)
""" % os.path.join(BIN, "binary.train")

settings = [
    ("pq, default (tiered, PGO on)", [PQ], {}),
    ("pq, TieredPGO off", [PQ], {"DOTNET_TieredPGO": "0"}),
    ("pq, no quick JIT for loops", [PQ], {"DOTNET_TC_QuickJitForLoops": "0"}),
    ("pq, TieredCompilation off", [PQ], {"DOTNET_TieredCompilation": "0"}),
]
if "--r2r" in args:
    r2r = args[args.index("--r2r") + 1]
    settings.append(("pq ReadyToRun, default", [r2r], {}))
    settings.append(("pq ReadyToRun, TieredPGO off", [r2r], {"DOTNET_TieredPGO": "0"}))
    settings.append(("pq ReadyToRun, TieredCompilation off", [r2r], {"DOTNET_TieredCompilation": "0"}))


def run(cmd, env):
    """Wall seconds, CPU seconds (user + system of the child, which a loaded machine inflates far less) and stdout."""
    e = dict(os.environ, **env)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(cmd, env=e, capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out


results = {name: {"help": [], "help_cpu": [], "train": [], "train_cpu": [], "train_seconds": []}
           for name, _, _ in settings}
xgb_results = {"fit": [], "process": [], "process_cpu": []}
print(f"load average {os.getloadavg()}, {os.cpu_count()} cores, {REPEATS} repeats")
for rep in range(REPEATS):
    for name, cmd, env in settings:
        wall, cpu, _ = run(cmd + ["--help"], env)
        results[name]["help"].append(wall)
        results[name]["help_cpu"].append(cpu)
        store = tempfile.mkdtemp(prefix="pq-startup-")
        try:
            wall, cpu, out = run(cmd + ["train", "--store", store, "--data", os.path.join(BIN, "binary.train"), "--test",
                                   os.path.join(BIN, "binary.test"), "--no-header", "--label", "c0", "--json"], env)
        finally:
            shutil.rmtree(store, ignore_errors=True)
        results[name]["train"].append(wall)
        results[name]["train_cpu"].append(cpu)
        results[name]["train_seconds"].append(json.loads(out)["train_seconds"])
    wall, cpu, out = run(["/usr/bin/python3", "-c", XGB_FIT], {})
    xgb_results["process"].append(wall)
    xgb_results["process_cpu"].append(cpu)
    xgb_results["fit"].append(float(out.strip()))

print(f"load average {os.getloadavg()} (after)")
med = statistics.median
print("| setting | `pq --help` wall | `pq --help` CPU | `pq train` wall | `pq train` CPU | `train_seconds` |")
print("|---|---:|---:|---:|---:|---:|")
for name, _, _ in settings:
    r = results[name]
    print(f"| {name} | {med(r['help']):.3f} s | {med(r['help_cpu']):.3f} s | {med(r['train']):.3f} s | "
          f"{med(r['train_cpu']):.3f} s | {med(r['train_seconds']):.3f} s |")
print(f"| XGBoost 1.7 Python (import, load, fit) | | | {med(xgb_results['process']):.3f} s | "
      f"{med(xgb_results['process_cpu']):.3f} s | {med(xgb_results['fit']):.3f} s (fit) |")
