#!/bin/sh
# Scoring comparison of issue 17 (docs/benchmarks.md, "Scoring layouts"): XGBoost's inplace_predict, then ours (both
# batch layouts) and ML.NET FastTree in one .NET process, one after the other in the same run, on the 100-tree,
# 31-leaf model of LightGBM's binary example.
# Usage: benchmarks/compare/scoring.sh [DATA]   (from the repository root; needs python3-xgboost, python3-sklearn, pandas)
set -eu
data=${1:-../shared/data}
echo "== $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 benchmarks/compare/compare_trees.py "$data" --scoring
dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- compare --scoring
/usr/bin/python3 benchmarks/compare/compare_trees.py "$data" --scoring
