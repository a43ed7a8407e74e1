#!/usr/bin/python3
"""Writes XGBoost's own TreeSHAP (Booster.predict(pred_contribs=True), python3-xgboost 1.7.4, Debian) for the import
fixtures beside this script, so PatternQuality's TreeSHAP on the imported models is golden-tested against it.

Reproduce from the repository root (after make_xgboost_fixtures.py):
    /usr/bin/python3 tests/PatternQuality.Tests/Fixtures/Interop/make_xgboost_contribs.py ../shared/data

Outputs, beside this script, one row per test row, the feature contributions then the bias, space-separated (repr):
  xgb_binary_100.contribs    xgb_binary_100.json on every row of LightGBM's binary.test (500 rows, 28 features + bias).
  xgb_missing.contribs       xgb_missing.json on the 200 rows of xgb_missing.csv (missing cells as NaN).
"""
import os
import sys

import numpy as np
import xgboost as xgb

here = os.path.dirname(os.path.abspath(__file__))
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../../../shared/data")
test = np.loadtxt(os.path.join(data, "lightgbm-examples", "binary_classification", "binary.test"), delimiter="\t")
tx = test[:, 1:].astype(np.float32)


def write(model, rows, name):
    booster = xgb.Booster(model_file=os.path.join(here, model))
    booster.set_param({"nthread": 1})
    contribs = booster.predict(xgb.DMatrix(rows, missing=np.nan), pred_contribs=True)
    with open(os.path.join(here, name), "w") as f:
        for row in contribs:
            f.write(" ".join(repr(float(v)) for v in row) + "\n")


write("xgb_binary_100.json", tx, "xgb_binary_100.contribs")
missing = np.genfromtxt(os.path.join(here, "xgb_missing.csv"), delimiter=",", skip_header=1, missing_values="", filling_values=np.nan)
write("xgb_missing.json", missing[:, 1:].astype(np.float32), "xgb_missing.contribs")
