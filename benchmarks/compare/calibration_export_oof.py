#!/usr/bin/python3
"""Exports HistGradientBoosting (100 iterations, 31 leaves) out-of-fold train probabilities and test probabilities
for the two calibration-target splits, so PatternQuality's calibrators and Auto policy can be measured on the same
base model as calibration_sklearn.py (ensemble=False scheme: one model on all training rows, calibrator on 5-fold
out-of-fold predictions).

    OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/compare/calibration_export_oof.py [shared-data-dir] [out-dir]

Writes <out-dir>/<split>_{oof,test}.csv with columns label,probability. Not committed: derived from the data.
"""
import os
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import calibration_sklearn as ref  # noqa: E402  same loaders and splits

if len(sys.argv) > 1:
    ref.DATA = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/pq-calibration"
os.makedirs(OUT, exist_ok=True)

for name, load in (("coupon", ref.coupon), ("binary", ref.binary)):
    xtr, xte, ytr, yte = load()
    base = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, random_state=0)
    oof = cross_val_predict(base, xtr, ytr, cv=StratifiedKFold(5), method="predict_proba")[:, 1]
    test = base.fit(xtr, ytr).predict_proba(xte)[:, 1]
    for part, y, p in (("oof", ytr, oof), ("test", yte, test)):
        np.savetxt(os.path.join(OUT, f"{name}_{part}.csv"), np.column_stack([y, p]), delimiter=",", fmt=["%d", "%.9g"])
    print(name, "ece none", round(ref.ece(yte, test), 4), flush=True)
