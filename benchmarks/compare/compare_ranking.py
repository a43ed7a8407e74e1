#!/usr/bin/python3
"""XGBoost side of the ranking comparison (docs/ranking.md, "LambdaRank").

Usage (from the repository root):  /usr/bin/python3 benchmarks/compare/compare_ranking.py [../shared/data] [seeds] [DIR]

Trains XGBoost's rank:ndcg on LightGBM's lambdarank example (rank.train / rank.test with their .query files, read in
place) and prints NDCG@1/3/5 on the test queries: linear gain with scikit-learn's ndcg_score averaged over queries
(the "ndcg@k" of `pq evaluate --json`) and exponential gain as LightGBM reports it ("ndcg_exp@k"). Two settings:
XGBoost's defaults (100 rounds) and LightGBM's train.conf translated (31 leaves, eta 0.1, subsample 0.9,
min_child_weight 5). DIR (optional) names another directory with rank.train / rank.test and their .query files, such as
those make_movielens_ranking.py writes; it is used instead of the lambdarank example. Needs Debian's python3-xgboost 1.7.4 and python3-sklearn 1.2.1 (/usr/bin/python3).
"""
import os
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.datasets import load_svmlight_file
from sklearn.metrics import ndcg_score

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
SEEDS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
DIR = sys.argv[3] if len(sys.argv) > 3 else os.path.join(DATA, "lightgbm-examples", "lambdarank")


def load(name, n_features=None):
    x, y = load_svmlight_file(os.path.join(DIR, name), n_features=n_features)
    sizes = np.loadtxt(os.path.join(DIR, name + ".query"), dtype=int)
    return x, y, sizes


def ndcg_exp(y, s, k):
    # LightGBM's ndcg@k: gain 2^rel - 1, ties kept in row order (stable sort), a query without relevance counts 1.
    order = np.argsort(-s, kind="stable")[:k]
    ideal = np.sort(y)[::-1][:k]
    disc = 1 / np.log2(np.arange(2, k + 2))
    dcg = ((2 ** y[order] - 1) * disc[: len(order)]).sum()
    idcg = ((2 ** ideal - 1) * disc[: len(ideal)]).sum()
    return dcg / idcg if idcg > 0 else 1.0


def metrics(y, s, sizes):
    out = []
    for gain in ("linear", "exp"):
        for k in (1, 3, 5):
            vals, start = [], 0
            for n in sizes:
                yy, ss = y[start:start + n], s[start:start + n]
                if gain == "linear":
                    vals.append(ndcg_score([yy], [ss], k=k) if n > 1 else (1.0 if yy[0] > 0 else 0.0))
                else:
                    vals.append(ndcg_exp(yy, ss, k))
                start += n
            out.append(float(np.mean(vals)))
    return out


def main():
    xtr, ytr, qtr = load("rank.train")
    xte, yte, qte = load("rank.test", n_features=xtr.shape[1])
    settings = {
        "XGBoost rank:ndcg defaults": dict(objective="rank:ndcg", tree_method="hist", nthread=2),
        "XGBoost rank:ndcg train.conf": dict(objective="rank:ndcg", tree_method="hist", nthread=2, eta=0.1,
                                             max_depth=0, grow_policy="lossguide", max_leaves=31,
                                             min_child_weight=5, subsample=0.9, max_bin=255),
    }
    print(f"xgboost {xgb.__version__}; {DIR}: {len(qtr)} train / {len(qte)} test queries")
    print("model | ndcg@1 | ndcg@3 | ndcg@5 (linear gain) | ndcg_exp@1 | ndcg_exp@3 | ndcg_exp@5 | train s")
    for name, params in settings.items():
        runs, secs = [], []
        for seed in range(1, SEEDS + 1):
            dtr = xgb.DMatrix(xtr, label=ytr)
            dtr.set_group(qtr)
            dte = xgb.DMatrix(xte, label=yte)
            dte.set_group(qte)
            t = time.perf_counter()
            booster = xgb.train({**params, "seed": seed}, dtr, num_boost_round=100)
            secs.append(time.perf_counter() - t)
            runs.append(metrics(yte, booster.predict(dte), qte))
        m = np.mean(runs, axis=0)
        sd = np.std([r[1] for r in runs], ddof=1) if len(runs) > 1 else 0.0
        print(f"{name} (mean of {SEEDS} seeds) | " + " | ".join(f"{v:.4f}" for v in m) + f" | {np.mean(secs):.2f} | ndcg@3 sd {sd:.4f}")


if __name__ == "__main__":
    main()
