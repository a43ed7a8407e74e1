#!/usr/bin/python3
"""XGBoost side of the active-learning comparison (docs/active-learning.md).

Usage (from the repository root):
    /usr/bin/python3 benchmarks/compare/active_learning_xgboost.py [../shared/data] > xgb-al.json

Protocol (issue "Ask for the feedback that teaches most"), the same as `pq active-learn`:
pool-based; a random 80/20 split per seed; 100 random starting labels; batches of 100 up to 2,000 labels;
XGBoost 100 trees, 15 leaves (hist, lossguide, learning rate 0.1, one thread: the training sets are small); test AUC after every batch, mean over 5 seeds.
Coupon drops `car` and is one-hot encoded; bank marketing drops `duration` (it leaks the label) and is one-hot
encoded. Strategies: random, least-confident (for a binary model margin and entropy order the pool identically),
and a 50/50 mix of the two. Needs Debian's python3-xgboost 1.7.4 and python3-sklearn 1.2.1.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
START, BATCH, BUDGET, SEEDS = 100, 100, 2000, 5
PARAMS = dict(tree_method="hist", grow_policy="lossguide", max_leaves=15, max_depth=0, learning_rate=0.1,
              max_bin=255, nthread=1, objective="binary:logistic", verbosity=0)


def coupon():
    df = pd.read_csv(os.path.join(DATA, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv"),
                     keep_default_na=False, dtype=str)
    y = df["Y"].astype(int).to_numpy()
    x = pd.get_dummies(df.drop(columns=["Y", "car"]).replace("", np.nan), dummy_na=False)
    return x.astype(np.float32).to_numpy(), y


def bank():
    df = pd.read_csv(os.path.join(DATA, "bank-marketing", "bank-additional-full.csv"), sep=";")
    y = (df["y"] == "yes").astype(int).to_numpy()
    x = pd.get_dummies(df.drop(columns=["y", "duration"]))
    return x.astype(np.float32).to_numpy(), y


def fit(x, y, seed):
    return xgb.train({**PARAMS, "seed": seed}, xgb.DMatrix(x, label=y), num_boost_round=100)


def run(x, y, strategy, seed):
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, random_state=seed)
    rng = np.random.default_rng(seed)
    labelled = list(rng.choice(len(ytr), START, replace=False))
    curve = []
    while True:
        model = fit(xtr[labelled], ytr[labelled], seed)
        curve.append({"labels": len(labelled), "auc": float(roc_auc_score(yte, model.predict(xgb.DMatrix(xte))))})
        if len(labelled) >= BUDGET:
            return curve
        pool = np.setdiff1d(np.arange(len(ytr)), labelled)
        if strategy == "random":
            pick = rng.choice(pool, BATCH, replace=False)
        else:
            p = model.predict(xgb.DMatrix(xtr[pool]))
            by_uncertainty = pool[np.argsort(np.abs(p - 0.5), kind="stable")]
            if strategy == "least-confident":
                pick = by_uncertainty[:BATCH]
            else:  # 50/50 mix: half the most uncertain, half at random from the rest
                half = by_uncertainty[:BATCH // 2]
                rest = np.setdiff1d(pool, half)
                pick = np.concatenate([half, rng.choice(rest, BATCH - len(half), replace=False)])
        labelled.extend(int(i) for i in pick)


def main():
    out = {}
    for name, load in (("coupon", coupon), ("bank", bank)):
        x, y = load()
        curves = {}
        for strategy in ("random", "least-confident", "mix"):
            runs = [run(x, y, strategy, seed) for seed in range(SEEDS)]
            curves[strategy] = [{"labels": pts[0]["labels"], "auc": float(np.mean([p["auc"] for p in pts]))}
                                for pts in zip(*runs)]
            print(name, strategy, " ".join(f"{p['labels']}:{p['auc']:.4f}" for p in curves[strategy]), file=sys.stderr)
        out[name] = curves
    json.dump({"xgboost": xgb.__version__, "curves": out}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
