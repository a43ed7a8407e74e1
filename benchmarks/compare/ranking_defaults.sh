#!/bin/sh
# The LambdaRank defaults on every ranking data set we can build, side by side with XGBoost rank:ndcg in one run
# (docs/ranking.md, "Choosing the defaults"). From the repository root:
#   benchmarks/compare/ranking_defaults.sh [seeds] [out_dir]
# Builds the MovieLens ranking sets into out_dir (default /tmp/pq-ranking-data, never the repository), then for
# LightGBM's lambdarank example and each MovieLens set prints our objective variants (mean and sd over bagging seeds)
# and XGBoost 1.7.4 rank:ndcg (defaults and train.conf translated). Needs python3-xgboost / python3-sklearn (Debian).
set -eu
SEEDS=${1:-5}
OUT=${2:-/tmp/pq-ranking-data}
DATA=../shared/data
echo "# $(date -u +%FT%TZ), uptime: $(uptime)"
/usr/bin/python3 benchmarks/compare/make_movielens_ranking.py "$OUT" "$DATA"
dotnet build benchmarks/PatternQuality.Benchmarks -c Release -v q -nologo >/dev/null
for dir in "$DATA/lightgbm-examples/lambdarank" "$OUT/movielens-graded" "$OUT/movielens-liked"; do
  dotnet run -c Release --no-build --project benchmarks/PatternQuality.Benchmarks -- ranking-defaults "$dir" "$SEEDS"
  /usr/bin/python3 benchmarks/compare/compare_ranking.py "$DATA" "$SEEDS" "$dir" 2>&1 | grep -v WARNING
done
echo "# uptime at end: $(uptime)"
