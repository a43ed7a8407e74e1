#!/bin/sh
# Loading benchmark of issue 19 (docs/benchmarks.md, "Loading"): pandas read_csv, pq inspect and pq train on the same
# synthetic CSV, one after the other in the same run, each under /usr/bin/time -v (wall time and peak RSS).
# Usage: benchmarks/compare/loading.sh [WORKDIR]   (from the repository root; needs python3-sklearn and pandas)
set -eu
work=${1:-/tmp/pq-loading}
mkdir -p "$work"
csv="$work/synthetic-1m.csv"
[ -f "$csv" ] || /usr/bin/python3 benchmarks/compare/make_synthetic_csv.py "$csv"
dotnet build src/PatternQuality.Cli -c Release -o "$work/pq" >/dev/null
measure() {
  name=$1; shift
  /usr/bin/time -v "$@" > "$work/$name.out" 2> "$work/$name.time" || { cat "$work/$name.out" "$work/$name.time"; exit 1; }
  wall=$(grep "Elapsed (wall clock)" "$work/$name.time" | awk '{print $NF}')
  user=$(grep "User time" "$work/$name.time" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$work/$name.time" | awk '{print $NF}')
  echo "$name: wall $wall, user CPU $user s, peak RSS $((rss / 1024)) MB"
}
for run in 1 2 3; do
  echo "run $run"
  measure pandas /usr/bin/python3 benchmarks/compare/pandas_read_csv.py "$csv"
  measure inspect "$work/pq/pq" inspect --data "$csv" --label label
  rm -rf "$work/store"
  measure train "$work/pq/pq" train --data "$csv" --label label --store "$work/store"
done
