#!/usr/bin/env python3
"""The XGBoost side of the `pq replay` comparison (issue 6 targets).

Trains on the first 70% of a time-ordered file, then streams the rest in batches of 100, scoring each batch before
learning from it (prequential), for: static (never updated), full retrain every N rows, and XGBoost continued
training (5 new trees per batch via xgb_model=). History features (smoothed approval rate and count per key) are
computed causally: each row sees only rows with a strictly earlier timestamp.

    /usr/bin/python3 benchmarks/compare/prepare_replay_data.py
    /usr/bin/python3 benchmarks/compare/replay_xgboost.py bank
    /usr/bin/python3 benchmarks/compare/replay_xgboost.py movielens
"""
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import log_loss, roc_auc_score

PARAMS = dict(tree_method="hist", max_leaves=31, grow_policy="lossguide", eta=0.1, max_bin=255, nthread=2,
              objective="binary:logistic", eval_metric="logloss", verbosity=0)


def history(keys, y, t, m=10.0):
    """Causal smoothed rate and count per key value."""
    n = len(y)
    rate = np.zeros(n)
    count = np.zeros(n)
    stats = {}
    glob_pos = 0.0
    glob_n = 0.0
    i = 0
    while i < n:
        j = i
        while j < n and t[j] == t[i]:
            j += 1
        prior = (glob_pos + 1) / (glob_n + 2)
        for r in range(i, j):
            pos, cnt = stats.get(keys[r], (0.0, 0.0))
            rate[r] = (pos + prior * m) / (cnt + m)
            count[r] = cnt
        for r in range(i, j):
            pos, cnt = stats.get(keys[r], (0.0, 0.0))
            stats[keys[r]] = (pos + y[r], cnt + 1)
            glob_pos += y[r]
            glob_n += 1
        i = j
    return rate, count


def load(name):
    if name == "bank":
        df = pd.read_csv("/tmp/pq-bench/bank.csv")
        y = (df.pop("y") == "yes").astype(int).to_numpy()
        x = pd.get_dummies(df, dtype=float).to_numpy(dtype=np.float32)
        return x, y, 2000
    df = pd.read_csv("/tmp/pq-bench/movielens.csv")
    y = (df.pop("rating") >= 4).astype(int).to_numpy()
    t = df.pop("timestamp").to_numpy()
    extra = []
    for key in ("userId", "movieId"):
        r, c = history(df[key].to_numpy(), y, t)
        extra += [r, c]
    df = df.drop(columns=["userId", "movieId"])
    x = np.column_stack([df.to_numpy(dtype=np.float32)] + extra).astype(np.float32)
    return x, y, 5000


def main():
    name = sys.argv[1]
    x, y, retrain_every = load(name)
    n0 = int(0.7 * len(y))
    d0 = xgb.DMatrix(x[:n0], label=y[:n0])
    static = xgb.train(PARAMS, d0, 100)
    retrain = static
    cont = static
    ps, pr, pc, lat = [], [], [], []
    since = 0
    for s in range(n0, len(y), 100):
        e = min(s + 100, len(y))
        db = xgb.DMatrix(x[s:e], label=y[s:e])
        ps.append(static.predict(db))
        pr.append(retrain.predict(db))
        pc.append(cont.predict(db))
        t0 = time.perf_counter()
        cont = xgb.train(PARAMS, db, 5, xgb_model=cont)
        lat.append((time.perf_counter() - t0) * 1000)
        since += e - s
        if since >= retrain_every:
            retrain = xgb.train(PARAMS, xgb.DMatrix(x[:e], label=y[:e]), 100)
            since = 0
    ys = y[n0:]
    for label, p in (("static", ps), ("retrain", pr), ("xgb-continued", pc)):
        p = np.concatenate(p)
        print(f"{name} {label}: auc={roc_auc_score(ys, p):.4f} logloss={log_loss(ys, p):.4f}")
    print(f"{name} continued-update ms: p50={np.percentile(lat, 50):.1f} p95={np.percentile(lat, 95):.1f} max={max(lat):.1f}")


if __name__ == "__main__":
    main()
