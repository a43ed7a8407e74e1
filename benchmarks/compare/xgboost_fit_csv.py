#!/usr/bin/python3
"""The anchor for `pq train` on issue 19's synthetic CSV: XGBoost hist on the same 80 % of the rows, in memory.

Usage: /usr/bin/python3 benchmarks/compare/xgboost_fit_csv.py FILE.csv [THREADS]
Prints the read, DMatrix and fit times (wall and process CPU) and the held-out AUC; run it under /usr/bin/time -v for
the whole process's peak memory (benchmarks/compare/loading.sh does). The settings are pq train's defaults as in the
tree-engine comparison (compare_trees.py): 100 rounds, 31 leaves grown leaf-wise, learning rate 0.1, 255 bins.
"""
import os
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import roc_auc_score


def main() -> None:
    path = sys.argv[1]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    t0, c0 = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path, dtype=np.float32)
    y = frame.pop("label").to_numpy()
    x = frame.to_numpy(dtype=np.float32)
    del frame
    t1, c1 = time.perf_counter(), time.process_time()
    # A seeded random 80/20 split, as pq train's default random split does.
    test = np.random.default_rng(7).random(len(y)) < 0.2
    dtrain = xgb.DMatrix(x[~test], label=y[~test], nthread=threads)
    t2, c2 = time.perf_counter(), time.process_time()
    params = dict(tree_method="hist", grow_policy="lossguide", max_leaves=31, max_depth=0, learning_rate=0.1,
                  max_bin=255, nthread=threads, objective="binary:logistic")
    booster = xgb.train(params, dtrain, num_boost_round=100)
    t3, c3 = time.perf_counter(), time.process_time()
    auc = roc_auc_score(y[test], booster.predict(xgb.DMatrix(x[test], nthread=threads)))
    print(f"xgboost {xgb.__version__}, {threads} threads, load average {os.getloadavg()[0]:.1f}: "
          f"read_csv {t1 - t0:.2f} s (cpu {c1 - c0:.2f}), DMatrix {t2 - t1:.2f} s (cpu {c2 - c1:.2f}), "
          f"fit {t3 - t2:.2f} s (cpu {c3 - c2:.2f}), held-out AUC {auc:.4f}")


if __name__ == "__main__":
    main()
