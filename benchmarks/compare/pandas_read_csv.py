#!/usr/bin/python3
"""The anchor for the loading benchmark: pandas read_csv of the whole file, timed in process."""
import sys
import time

import pandas as pd

start = time.perf_counter()
frame = pd.read_csv(sys.argv[1])
print(f"pandas read_csv: {len(frame)} rows x {frame.shape[1]} columns in {time.perf_counter() - start:.2f} s")
