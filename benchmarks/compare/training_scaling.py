#!/usr/bin/python3
"""Issue 17 item 4, the XGBoost side: 100 trees of 31 leaves (hist, lossguide, 255 bins, 2 threads) on a CSV written by
make_synthetic_csv.py. Prints one JSON line like the .NET harness (`training-scaling`): fit wall and CPU seconds (DMatrix
built from the loaded float32 matrix, then xgb.train) and the peak resident memory while fitting, the input matrix
included (the kernel's high-water mark is reset after loading, as the .NET side does).

Usage: /usr/bin/python3 benchmarks/compare/training_scaling.py FILE.csv
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb


def memory_mb(field):
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    frame = pd.read_csv(sys.argv[1], dtype=np.float32)
    x = frame.iloc[:, :-1].to_numpy(dtype=np.float32)
    y = frame.iloc[:, -1].to_numpy(dtype=np.float32)
    del frame
    loaded = memory_mb("VmRSS")
    with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
        f.write("5")
    params = dict(tree_method="hist", grow_policy="lossguide", max_leaves=31, max_depth=0, learning_rate=0.1,
                  max_bin=255, nthread=2, objective="binary:logistic")
    cpu = time.process_time()
    start = time.perf_counter()
    d = xgb.DMatrix(x, label=y, nthread=2)
    booster = xgb.train(params, d, num_boost_round=100)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(json.dumps({"engine": f"xgboost {xgb.__version__} hist", "rows": x.shape[0], "features": x.shape[1],
                      "trees": booster.num_boosted_rounds(), "fit_seconds": round(wall, 3),
                      "fit_cpu_seconds": round(cpu, 3), "loaded_mb": round(loaded), "fit_peak_mb": round(memory_mb("VmHWM"))}))


if __name__ == "__main__":
    main()
