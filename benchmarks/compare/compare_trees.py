#!/usr/bin/python3
"""XGBoost / scikit-learn side of the tree-engine comparison (docs/benchmarks.md, "Tree engine").

Usage (from the repository root):  /usr/bin/python3 benchmarks/compare/compare_trees.py [../shared/data] [--scoring]
(--scoring: only the scoring rows, for benchmarks/compare/scoring.sh)

Reads the shared datasets in place (never copies them). Needs the Debian python3-xgboost 1.7.4 and
python3-sklearn 1.2.1 (use /usr/bin/python3, not a pyenv python).

Splits are deterministic and reproduced exactly by the C# side: binary uses LightGBM's own train/test files;
coupon (drop `car`) is stratified 80/20 by taking, within each class in file order, every fifth row as test.
"""
import os
import sys
import time

import numpy as np
import pandas as pd
import sklearn
import xgboost as xgb
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

DATA = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
THREADS = 2


def load_binary(name):
    m = np.loadtxt(os.path.join(DATA, "lightgbm-examples", "binary_classification", name), delimiter="\t")
    return m[:, 1:].astype(np.float32), m[:, 0]


def coupon_split():
    df = pd.read_csv(os.path.join(DATA, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv"),
                     keep_default_na=False, dtype=str)
    y = df["Y"].astype(int).to_numpy()
    x = df.drop(columns=["Y", "car"])
    onehot = pd.get_dummies(x.replace("", np.nan), dummy_na=False).astype(np.float32).to_numpy()
    test = np.zeros(len(y), dtype=bool)
    for c in (0, 1):
        rows = np.flatnonzero(y == c)
        test[rows[4::5]] = True
    return onehot[~test], y[~test], onehot[test], y[test]


def run_xgb(xtr, ytr, xte, yte):
    params = dict(tree_method="hist", grow_policy="lossguide", max_leaves=31, max_depth=0, learning_rate=0.1,
                  max_bin=255, nthread=THREADS, objective="binary:logistic", eval_metric="auc")
    dtrain = xgb.DMatrix(xtr, label=ytr)
    start, cpu = time.perf_counter(), time.process_time()
    booster = xgb.train(params, dtrain, num_boost_round=100)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return roc_auc_score(yte, booster.predict(xgb.DMatrix(xte))), elapsed, cpu


def run_rf(xtr, ytr, xte, yte):
    rf = RandomForestClassifier(n_estimators=100, max_depth=10, class_weight="balanced", n_jobs=THREADS, random_state=0)
    start, cpu = time.perf_counter(), time.process_time()
    rf.fit(xtr, ytr)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return roc_auc_score(yte, rf.predict_proba(xte)[:, 1]), elapsed, cpu


def main():
    print(f"xgboost {xgb.__version__}, scikit-learn {sklearn.__version__}, {THREADS} threads, load average {os.getloadavg()}")
    xtr, ytr = load_binary("binary.train")
    if "--scoring" in sys.argv:
        score_xgb(xtr, ytr)
        return
    xte, yte = load_binary("binary.test")
    ctr, cytr, cte, cyte = coupon_split()
    for name, (a, b, c, d) in (("binary", (xtr, ytr, xte, yte)), ("coupon-onehot", (ctr, cytr, cte, cyte))):
        auc, _, _ = run_xgb(a, b, c, d)
        runs = [run_xgb(a, b, c, d) for _ in range(4)]
        print(f"{name:14s} xgboost   AUC {auc:.4f}  train {min(r[1] for r in runs):.3f} s wall, "
              f"{min(r[2] for r in runs):.3f} s CPU (best of 4, after warm-up)")
        auc, t, cpu = run_rf(a, b, c, d)
        print(f"{name:14s} sklearnRF AUC {auc:.4f}  train {t:.3f} s wall, {cpu:.3f} s CPU")
    score_xgb(xtr, ytr)


def score_xgb(xtr, ytr):
    """XGBoost's own scoring speed on the same 100-tree, 31-leaf binary model, for the scoring rows of the table."""
    params = dict(tree_method="hist", grow_policy="lossguide", max_leaves=31, max_depth=0, learning_rate=0.1,
                  max_bin=255, nthread=THREADS, objective="binary:logistic")
    booster = xgb.train(params, xgb.DMatrix(xtr, label=ytr), num_boost_round=100)
    rows = np.ascontiguousarray(np.tile(xtr, (3_000_000 // len(xtr) + 1, 1))[:3_000_000])
    best = min(_timed(lambda: booster.inplace_predict(rows)) for _ in range(3))
    print(f"xgboost batch scoring: {len(rows) / best[0] / 1e6:.2f} M rows/s wall, "
          f"{THREADS * len(rows) / best[1] / 1e6:.2f} M rows/s per {THREADS} CPU-seconds")
    one = xtr[:1]
    n = 2000
    wall, cpu = _timed(lambda: [booster.inplace_predict(one) for _ in range(n)])
    print(f"xgboost single row (inplace_predict, includes Python call overhead): {wall / n * 1e6:.1f} us wall")


def _timed(fn):
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


if __name__ == "__main__":
    main()
