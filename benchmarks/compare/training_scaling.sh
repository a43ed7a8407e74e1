#!/bin/sh
# Issue 17 item 4: training time and peak memory against rows, ours beside XGBoost hist in one run (docs/benchmarks.md,
# "How training cost grows"). Generates the synthetic CSVs (28 numeric features) into a scratch directory (never the
# repository), then for each size runs XGBoost, ours, XGBoost, ours so load changes hit both alike.
# Usage: benchmarks/compare/training_scaling.sh [SIZES] [DIR]   e.g. "10000 100000 1000000 4000000" /tmp/pq-scaling
set -eu
sizes=${1:-"10000 100000 1000000 4000000"}
dir=${2:-/tmp/pq-scaling}
mkdir -p "$dir"
dotnet build -c Release benchmarks/PatternQuality.Benchmarks >/dev/null
bench="dotnet benchmarks/PatternQuality.Benchmarks/bin/Release/net10.0/PatternQuality.Benchmarks.dll"
echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
  csv="$dir/synthetic-$n.csv"
  [ -f "$csv" ] || /usr/bin/python3 benchmarks/compare/make_synthetic_csv.py "$csv" "$n"
  for rep in 1 2; do
    /usr/bin/python3 benchmarks/compare/training_scaling.py "$csv"
    $bench training-scaling "$csv"
  done
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
