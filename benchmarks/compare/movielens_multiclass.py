#!/usr/bin/python3
"""MovieLens-small, three classes: the XGBoost / scikit-learn anchors for multiclass (docs/multiclass.md).

Usage (from the repository root):
    /usr/bin/python3 benchmarks/compare/movielens_multiclass.py OUT_DIR [../shared/data]

Builds the features once and writes them to OUT_DIR/movielens_multiclass.csv (never into the repository), then trains
XGBoost 1.7.4 multi:softprob and scikit-learn 1.2.1 RandomForestClassifier on them and prints one JSON line per model.
The C# side (`dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- multiclass OUT_DIR`) reads the
same file, so both sides see identical rows and splits.

Task: a rating is low (<= 2.5), medium (3 - 3.5) or high (>= 4). Features: the movie's genres (one 0/1 column per
genre), release year (from the title), hour and weekday of the rating (UTC), and strictly causal history: the
count and mean of the user's and of the movie's ratings with an earlier timestamp (ratings in the same second do
not see each other). Split: temporal, the earliest 80% of ratings train, the latest 20% test.
"""
import json
import os
import re
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score, log_loss

OUT = sys.argv[1]
DATA = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
THREADS = 2


def causal_history(df, key):
    """Count and mean of the key's ratings strictly before each row's timestamp."""
    g = df.groupby([key, "timestamp"], sort=True)["rating"].agg(["sum", "count"]).reset_index()
    g["cum_sum"] = g.groupby(key)["sum"].cumsum() - g["sum"]
    g["cum_count"] = g.groupby(key)["count"].cumsum() - g["count"]
    merged = df[[key, "timestamp"]].merge(g[[key, "timestamp", "cum_sum", "cum_count"]], on=[key, "timestamp"], how="left")
    count = merged["cum_count"].to_numpy(dtype=np.float64)
    mean = np.where(count > 0, merged["cum_sum"].to_numpy() / np.maximum(count, 1), np.nan)
    return count, mean


def build():
    ratings = pd.read_csv(os.path.join(DATA, "movielens-latest-small", "ratings.csv"))
    movies = pd.read_csv(os.path.join(DATA, "movielens-latest-small", "movies.csv"))
    ratings = ratings.sort_values(["timestamp", "userId", "movieId"], kind="mergesort").reset_index(drop=True)
    genres = sorted({g for gs in movies["genres"] for g in gs.split("|") if g != "(no genres listed)"})
    year = movies["title"].map(lambda t: float(m.group(1)) if (m := re.search(r"\((\d{4})\)\s*$", t.strip())) else np.nan)
    movie_info = pd.DataFrame({"movieId": movies["movieId"], "year": year})
    for g in genres:
        movie_info["genre_" + g] = movies["genres"].map(lambda gs, g=g: 1.0 if g in gs.split("|") else 0.0)
    df = ratings.merge(movie_info, on="movieId", how="left")
    when = pd.to_datetime(df["timestamp"], unit="s", utc=True)
    df["hour"] = when.dt.hour.astype(float)
    df["weekday"] = when.dt.weekday.astype(float)
    df["user_count"], df["user_mean"] = causal_history(df, "userId")
    df["movie_count"], df["movie_mean"] = causal_history(df, "movieId")
    df["label"] = np.select([df["rating"] <= 2.5, df["rating"] <= 3.5], [0, 1], 2)
    cut = int(len(df) * 0.8)
    df["test"] = (np.arange(len(df)) >= cut).astype(int)
    features = ["genre_" + g for g in genres] + ["year", "hour", "weekday", "user_count", "user_mean", "movie_count", "movie_mean"]
    out = df[features + ["label", "test"]]
    os.makedirs(OUT, exist_ok=True)
    out.to_csv(os.path.join(OUT, "movielens_multiclass.csv"), index=False, na_rep="")
    return out, features


def report(name, y, p, seconds):
    pred = p.argmax(axis=1)
    print(json.dumps({"model": name, "logloss": round(log_loss(y, p, labels=[0, 1, 2]), 4),
                      "accuracy": round(accuracy_score(y, pred), 4), "macro_f1": round(f1_score(y, pred, average="macro"), 4),
                      "train_seconds": round(seconds, 2)}))


def main():
    df, features = build()
    train, test = df[df["test"] == 0], df[df["test"] == 1]
    xtr, ytr = train[features].to_numpy(np.float32), train["label"].to_numpy()
    xte, yte = test[features].to_numpy(np.float32), test["label"].to_numpy()
    print(json.dumps({"rows": len(df), "train": len(train), "test": len(test), "features": len(features),
                      "class_shares_test": [round(float((yte == c).mean()), 4) for c in range(3)]}))

    params = dict(tree_method="hist", grow_policy="lossguide", max_leaves=31, max_depth=0, learning_rate=0.1,
                  max_bin=255, nthread=THREADS, objective="multi:softprob", num_class=3, eval_metric="mlogloss")
    start = time.perf_counter()
    booster = xgb.train(params, xgb.DMatrix(xtr, label=ytr), num_boost_round=100)
    seconds = time.perf_counter() - start
    report("xgboost multi:softprob (100 rounds, 31 leaves)", yte, booster.predict(xgb.DMatrix(xte)), seconds)

    # scikit-learn's forest cannot take NaN in 1.2.1: missing history/year become -1 (never a real value).
    rf = RandomForestClassifier(n_estimators=100, min_samples_leaf=5, n_jobs=THREADS, random_state=0)
    start = time.perf_counter()
    rf.fit(np.nan_to_num(xtr, nan=-1), ytr)
    seconds = time.perf_counter() - start
    report("sklearn RandomForest (100 trees, min_samples_leaf 5)", yte, rf.predict_proba(np.nan_to_num(xte, nan=-1)), seconds)


if __name__ == "__main__":
    main()
