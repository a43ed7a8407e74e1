#!/bin/sh
# Engine comparison of issue 12 item 5 (docs/benchmarks.md, "Engines"): XGBoost/scikit-learn, then ours, ML.NET
# FastTree and ML.NET LightGbm in one .NET process, one after the other in the same run, same data and settings.
# Usage: benchmarks/compare/engines.sh [DATA]   (from the repository root; needs python3-xgboost, python3-sklearn, pandas)
set -eu
data=${1:-../shared/data}
echo "== $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 benchmarks/compare/compare_trees.py "$data"
dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- engines
