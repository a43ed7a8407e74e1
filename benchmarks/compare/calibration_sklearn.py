#!/usr/bin/python3
"""The scikit-learn side of the issue-4 calibration targets (docs/benchmarks.md).

For each split, fits HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31) and wraps it in
CalibratedClassifierCV (cv=5, sigmoid or isotonic; ensemble=True is sklearn's default, ensemble=False is the
single-model-plus-out-of-fold-calibrator scheme PatternQuality uses), then prints test ECE (10 equal-width bins,
calibration_curve's bin edges), Brier, log loss and ROC AUC.

    OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/compare/calibration_sklearn.py [shared-data-dir] [coupon|binary]

(One OpenMP thread: on a busy machine spinning OpenMP workers make HistGradientBoosting many times slower.)
"""
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")


def ece(y, p, bins=10):
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.searchsorted(edges[1:-1], p)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += abs(p[m].mean() - y[m].mean()) * m.sum() / len(p)
    return total


def coupon():
    df = pd.read_csv(os.path.join(DATA, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv"), keep_default_na=False)
    y = df.pop("Y").to_numpy()
    x = pd.get_dummies(df.astype(str)).to_numpy(dtype=np.float64)
    return train_test_split(x, y, test_size=0.2, random_state=0, stratify=y)


def binary():
    d = os.path.join(DATA, "lightgbm-examples", "binary_classification")
    tr = np.loadtxt(os.path.join(d, "binary.train"))
    te = np.loadtxt(os.path.join(d, "binary.test"))
    return tr[:, 1:], te[:, 1:], tr[:, 0], te[:, 0]


def main():
    print(f"scikit-learn {sklearn.__version__}")
    print(f"{'split':8} {'method':9} {'ensemble':8} {'ECE':>7} {'Brier':>7} {'logloss':>7} {'AUC':>7}")
    only = sys.argv[2] if len(sys.argv) > 2 else None
    for name, load in (("coupon", coupon), ("binary", binary)):
        if only is not None and name != only:
            continue
        xtr, xte, ytr, yte = load()
        base = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, random_state=0)
        runs = [("none", None, base)]
        for method in ("sigmoid", "isotonic"):
            for ens in (True, False):
                runs.append((method, ens, CalibratedClassifierCV(base, method=method, cv=5, ensemble=ens)))
        for method, ens, model in runs:
            p = model.fit(xtr, ytr).predict_proba(xte)[:, 1]
            print(f"{name:8} {method:9} {str(ens if ens is not None else '-'):8} {ece(yte, p):7.4f} "
                  f"{brier_score_loss(yte, p):7.4f} {log_loss(yte, p):7.4f} {roc_auc_score(yte, p):7.4f}", flush=True)


if __name__ == "__main__":
    main()
