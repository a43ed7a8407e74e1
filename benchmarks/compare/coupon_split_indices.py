#!/usr/bin/python3
"""Prints the 0-based data-row indices of the coupon test split used by calibration_sklearn.py
(train_test_split(test_size=0.2, random_state=0, stratify=y): the split depends only on y and the row count),
so the C# side (`dotnet run ... -- calibration --coupon-test-rows FILE`) evaluates on exactly the same rows.

    /usr/bin/python3 benchmarks/compare/coupon_split_indices.py [shared-data-dir] > /tmp/coupon_test_rows.txt
"""
import os
import sys

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
df = pd.read_csv(os.path.join(DATA, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv"), keep_default_na=False)
y = df["Y"].to_numpy()
_, test = train_test_split(np.arange(len(y)), test_size=0.2, random_state=0, stratify=y)
print("\n".join(str(i) for i in sorted(test)))
