#!/usr/bin/python3
"""Writes issue 19's synthetic loading benchmark: 1,000,000 rows x 28 float features + a 0/1 label (about 250 MB).

Usage: /usr/bin/python3 benchmarks/compare/make_synthetic_csv.py OUT.csv [ROWS]
The CSV is generated, never committed. Features are float32 written with 6 significant digits.
"""
import sys

import numpy as np
from sklearn.datasets import make_classification


def main() -> None:
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    x, y = make_classification(n_samples=rows, n_features=28, n_informative=14, n_redundant=4,
                               flip_y=0.05, class_sep=0.8, random_state=7)
    x = x.astype(np.float32)
    header = ",".join([f"f{i}" for i in range(28)] + ["label"])
    with open(out, "w", encoding="utf-8") as f:
        f.write(header + "\n")
        chunk = 100_000
        for s in range(0, rows, chunk):
            block = x[s:s + chunk]
            labels = y[s:s + chunk]
            lines = [",".join(f"{v:.6g}" for v in row) + f",{label}" for row, label in zip(block, labels)]
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
