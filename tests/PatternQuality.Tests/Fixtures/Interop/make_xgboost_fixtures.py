#!/usr/bin/python3
"""Writes the XGBoost import fixtures (python3-xgboost 1.7.4, Debian).

Reproduce from the repository root:
    /usr/bin/python3 tests/PatternQuality.Tests/Fixtures/Interop/make_xgboost_fixtures.py ../shared/data

Outputs, beside this script:
  xgb_binary_100.json        100 trees (max_depth 3) on LightGBM's binary example; the CLI test imports it and scores
                             binary.test from the shared data, comparing with xgb_binary_100.pred.
  xgb_binary_100.pred        Booster.predict (probability) on binary.test, one float per line (repr).
  xgb_missing.json           30 trees (max_depth 4) trained with 10% of the cells set to NaN, so default directions matter.
  xgb_missing.csv            200 test rows (label first, empty cell = missing) with the same NaN rate.
  xgb_missing.pred           Booster.predict (probability) and output_margin=True (margin) on those rows, "p margin" per line.
"""
import os
import sys

import numpy as np
import xgboost as xgb

here = os.path.dirname(os.path.abspath(__file__))
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../../../shared/data")
folder = os.path.join(data, "lightgbm-examples", "binary_classification")
train = np.loadtxt(os.path.join(folder, "binary.train"), delimiter="\t")
test = np.loadtxt(os.path.join(folder, "binary.test"), delimiter="\t")
y, x = train[:, 0], train[:, 1:].astype(np.float32)
ty, tx = test[:, 0], test[:, 1:].astype(np.float32)

params = {"objective": "binary:logistic", "max_depth": 3, "eta": 0.1, "tree_method": "hist", "seed": 7, "nthread": 1}
booster = xgb.train(params, xgb.DMatrix(x, label=y), num_boost_round=100)
booster.save_model(os.path.join(here, "xgb_binary_100.json"))
with open(os.path.join(here, "xgb_binary_100.pred"), "w") as f:
    for p in booster.predict(xgb.DMatrix(tx)):
        f.write(repr(float(p)) + "\n")

rng = np.random.default_rng(11)
xm = x.copy()
xm[rng.random(xm.shape) < 0.1] = np.nan
params = {"objective": "binary:logistic", "max_depth": 4, "eta": 0.2, "tree_method": "hist", "seed": 7, "nthread": 1}
booster = xgb.train(params, xgb.DMatrix(xm, label=y, missing=np.nan), num_boost_round=30)
booster.save_model(os.path.join(here, "xgb_missing.json"))
txm = tx[:200].copy()
txm[rng.random(txm.shape) < 0.1] = np.nan
dm = xgb.DMatrix(txm, missing=np.nan)
prob = booster.predict(dm)
margin = booster.predict(dm, output_margin=True)
with open(os.path.join(here, "xgb_missing.csv"), "w") as f:
    f.write(",".join(["label"] + [f"f{j}" for j in range(txm.shape[1])]) + "\n")
    for label, row in zip(ty[:200], txm):
        f.write(",".join([str(int(label))] + ["" if np.isnan(v) else repr(float(v)) for v in row]) + "\n")
with open(os.path.join(here, "xgb_missing.pred"), "w") as f:
    for p, m in zip(prob, margin):
        f.write(f"{float(p)!r} {float(m)!r}\n")
