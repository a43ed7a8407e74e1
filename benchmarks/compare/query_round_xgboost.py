#!/usr/bin/python3
"""XGBoost side of the query-round latency (docs/active-learning.md, "Query-round latency").

Usage (from the repository root, in the same session as the .NET side):
    /usr/bin/python3 benchmarks/compare/query_round_xgboost.py [../shared/data]

The same round as `dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- query-round`: a
100-tree, 31-leaf model trained on coupon (one-hot, `car` dropped), a pool of 10,000 coupon rows, one round =
predict the pool + least-confident top 100 (argpartition). Median and best of 5 rounds after a warm-up, with
XGBoost's default threads (all cores). Needs Debian's python3-xgboost 1.7.4.
"""
import os
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
df = pd.read_csv(os.path.join(DATA, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv"),
                 keep_default_na=False, dtype=str)
y = df["Y"].astype(int).to_numpy()
x = pd.get_dummies(df.drop(columns=["Y", "car"]).replace("", np.nan), dummy_na=False).astype(np.float32).to_numpy()
params = dict(tree_method="hist", grow_policy="lossguide", max_leaves=31, max_depth=0, learning_rate=0.1,
              objective="binary:logistic", verbosity=0)
model = xgb.train(params, xgb.DMatrix(x, label=y), num_boost_round=100)
pool = x[:10_000]


def one_round():
    p = model.predict(xgb.DMatrix(pool))
    uncertainty = 1 - np.maximum(p, 1 - p)
    return np.argpartition(-uncertainty, 100)[:100]


def timed(f):
    times = []
    for rep in range(6):
        start = time.perf_counter()
        f()
        if rep > 0:
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[len(times) // 2], times[0]


load = " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else "n/a"
print(f"XGBoost {xgb.__version__}, {os.cpu_count()} cores, load average {load}, {x.shape[1]} one-hot columns")
median, best = timed(lambda: model.predict(xgb.DMatrix(pool)))
print(f"xgboost scoring the 10,000 candidates alone: median {median:.1f} ms, best {best:.1f} ms")
median, best = timed(one_round)
print(f"xgboost least-confident one round (10,000 candidates, batch 100): median {median:.1f} ms, best {best:.1f} ms")
