#!/usr/bin/python3
"""scikit-learn side of the binary re-split check in docs/benchmarks.md ("Calibration"): binary.train and binary.test
pooled (7,500 rows), re-split at random into 7,000 training and 500 test rows ten times; mean test ECE (10 equal-width
bins) of HistGradientBoosting(max_iter=100, max_leaf_nodes=31) uncalibrated and in CalibratedClassifierCV(cv=5).
The C# side (`dotnet run ... -- calibration --binary-resplits 10`) draws its own ten splits of the same pool.

    /usr/bin/python3 benchmarks/compare/calibration_resplit_sklearn.py [shared-data-dir]
"""
import os
import sys

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")


def ece(y, p, bins=10):
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.searchsorted(edges[1:-1], p)
    return sum(abs(p[idx == b].mean() - y[idx == b].mean()) * (idx == b).sum() / len(p) for b in range(bins) if (idx == b).any())


d = os.path.join(DATA, "lightgbm-examples", "binary_classification")
data = np.vstack([np.loadtxt(os.path.join(d, "binary.train")), np.loadtxt(os.path.join(d, "binary.test"))])
x, y = data[:, 1:], data[:, 0]
results = {"none": [], "sigmoid": [], "isotonic": []}
for r in range(10):
    order = np.random.RandomState(100 + r).permutation(len(y))
    te, tr = order[:500], order[500:]
    base = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, random_state=0)
    for method in results:
        model = base if method == "none" else CalibratedClassifierCV(base, method=method, cv=5, ensemble=False)
        p = model.fit(x[tr], y[tr]).predict_proba(x[te])[:, 1]
        results[method].append(ece(y[te], p))
for method, values in results.items():
    print(f"binary re-split x10: {method} (ensemble=False) mean ECE {np.mean(values):.4f} ± {np.std(values, ddof=1):.4f}", flush=True)
