#!/usr/bin/env python3
"""Issue 11's replay suite: every stream we can build from ../shared/data, `pq replay` with the library defaults
against XGBoost's static / retrain / continued / sliding-window contenders, in one run, one table.

Each stream: the first 70% trains every contender, the rest is streamed in batches of 100, every batch scored by all
contenders before any learns from it (prequential); retrain contenders retrain every 2,000 streamed rows (pq's
default). Streams (written to --out, never committed):

  bank            bank marketing in file (= date) order, `duration` dropped: drifts (the campaign's end).
  bank-shuffled   the same rows in a random order: stationary by construction.
  movielens       ratings (>= 4 is approval) in time order, genres and year, causal user/movie history features.
  movielens-shuffled  the same ratings in a random order (history features causal in that order): stationary.
  coupon          in-vehicle coupon in file order (categoricals, several with 10-25 levels).
  coupon-shuffled the same rows shuffled: stationary.
  binary          LightGBM's binary example (train then test), 28 numeric features: stationary.

Usage (from the repository root; run under the shared bench lock, it is heavy):

    dotnet build src/PatternQuality.Cli -c Release
    flock /work/coord/bench.lock /usr/bin/python3 benchmarks/compare/replay_suite.py [--only bank,coupon]
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import log_loss, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from replay_xgboost import PARAMS, history  # noqa: E402

DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data"))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PQ = os.path.join(ROOT, "src", "PatternQuality.Cli", "bin", "Release", "net10.0", "pq.dll")
RETRAIN_EVERY = 2000
WINDOW = 10000
SEED = 11


def prepare(out):
    """Writes every stream as a CSV; returns {name: (path, pq arguments, xgb loader)}."""
    os.makedirs(out, exist_ok=True)
    streams = {}
    rng = np.random.default_rng(SEED)

    bank = pd.read_csv(os.path.join(DATA, "bank-marketing", "bank-additional-full.csv"), sep=";").drop(columns=["duration"])
    for name, df in (("bank", bank), ("bank-shuffled", bank.iloc[rng.permutation(len(bank))])):
        path = os.path.join(out, name + ".csv")
        df.to_csv(path, index=False)
        streams[name] = (path, ["--label", "y", "--positive", "yes"], lambda p: _onehot(p, "y", lambda s: s == "yes"))

    coupon = pd.read_csv(os.path.join(DATA, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv"))
    for name, df in (("coupon", coupon), ("coupon-shuffled", coupon.iloc[rng.permutation(len(coupon))])):
        path = os.path.join(out, name + ".csv")
        df.to_csv(path, index=False)
        streams[name] = (path, ["--label", "Y"], lambda p: _onehot(p, "Y", lambda s: s == 1))

    cols = ["label"] + [f"f{i}" for i in range(28)]
    binary = pd.concat([pd.read_csv(os.path.join(DATA, "lightgbm-examples", "binary_classification", f), sep="\t", header=None, names=cols)
                        for f in ("binary.train", "binary.test")], ignore_index=True)
    path = os.path.join(out, "binary.csv")
    binary.to_csv(path, index=False)
    streams["binary"] = (path, ["--label", "label"], lambda p: _onehot(p, "label", lambda s: s == 1))

    ratings = pd.read_csv(os.path.join(DATA, "movielens-latest-small", "ratings.csv"))
    movies = pd.read_csv(os.path.join(DATA, "movielens-latest-small", "movies.csv"))
    genres = sorted({g for gs in movies["genres"] for g in gs.split("|") if g != "(no genres listed)"})
    mv = pd.DataFrame({"movieId": movies["movieId"],
                       "year": movies["title"].str.extract(r"\((\d{4})\)\s*$")[0].astype(float),
                       **{"genre_" + "".join(c if c.isalnum() else "_" for c in g): movies["genres"].map(lambda gs, g=g: int(g in gs.split("|"))) for g in genres}})
    ml = ratings.merge(mv, on="movieId", how="left").sort_values("timestamp", kind="stable").reset_index(drop=True)
    for name, df in (("movielens", ml), ("movielens-shuffled", ml.iloc[rng.permutation(len(ml))].reset_index(drop=True))):
        df = df.copy()
        df["t"] = np.arange(len(df))  # the order the stream arrives in: history features are causal in it
        df = df.drop(columns=["timestamp"])
        path = os.path.join(out, name + ".csv")
        df.to_csv(path, index=False)
        streams[name] = (path, ["--label", "rating", "--threshold", "4", "--time", "t", "--history-key", "userId",
                                "--history-key", "movieId", "--drop", "userId,movieId,t"], _movielens)
    return streams


def _onehot(path, label, positive):
    df = pd.read_csv(path)
    y = positive(df.pop(label)).astype(int).to_numpy()
    return pd.get_dummies(df, dtype=float).to_numpy(dtype=np.float32), y


def _movielens(path):
    df = pd.read_csv(path)
    y = (df.pop("rating") >= 4).astype(int).to_numpy()
    t = df.pop("t").to_numpy()
    extra = []
    for key in ("userId", "movieId"):
        r, c = history(df[key].to_numpy(), y, t)
        extra += [r, c]
    df = df.drop(columns=["userId", "movieId"])
    return np.column_stack([df.to_numpy(dtype=np.float32)] + extra).astype(np.float32), y


def run_pq(path, args):
    out = subprocess.run(["dotnet", PQ, "replay", "--data", path, *args, "--json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def run_xgb(x, y):
    n0 = int(0.7 * len(y))
    static = xgb.train(PARAMS, xgb.DMatrix(x[:n0], label=y[:n0]), 100)
    retrain = window = cont = static
    preds = {k: [] for k in ("static", "retrain", "window", "continued")}
    since = 0
    for s in range(n0, len(y), 100):
        e = min(s + 100, len(y))
        db = xgb.DMatrix(x[s:e], label=y[s:e])
        for k, m in (("static", static), ("retrain", retrain), ("window", window), ("continued", cont)):
            preds[k].append(m.predict(db))
        cont = xgb.train(PARAMS, db, 5, xgb_model=cont)
        since += e - s
        if since >= RETRAIN_EVERY:
            retrain = xgb.train(PARAMS, xgb.DMatrix(x[:e], label=y[:e]), 100)
            w0 = max(0, e - WINDOW)
            window = xgb.train(PARAMS, xgb.DMatrix(x[w0:e], label=y[w0:e]), 100)
            since = 0
    ys = y[n0:]
    return {k: (roc_auc_score(ys, np.concatenate(p)), log_loss(ys, np.concatenate(p))) for k, p in preds.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/pq-suite")
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    streams = prepare(args.out)
    only = [s for s in args.only.split(",") if s]
    print("| stream | pq static | pq retrain | pq incremental (defaults) | served updated / batches | XGBoost static | XGBoost retrain | XGBoost window 10k | XGBoost continued |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, (path, pq_args, loader) in streams.items():
        if only and name not in only:
            continue
        started = time.time()
        pq = run_pq(path, pq_args)
        x, y = loader(path)
        xg = run_xgb(x, y)
        fmt = lambda m: f"{m['auc']:.4f} / {m['logloss']:.4f}"  # noqa: E731
        fx = lambda k: f"{xg[k][0]:.4f} / {xg[k][1]:.4f}"  # noqa: E731
        print(f"| {name} | {fmt(pq['static'])} | {fmt(pq['retrain'])} | **{fmt(pq['incremental'])}** | "
              f"{pq['served_updated_batches']} / {pq['batches']} ({pq['restarts']} restarts) | {fx('static')} | {fx('retrain')} | {fx('window')} | {fx('continued')} |",
              flush=True)
        print(f"<!-- {name}: {time.time() - started:.0f} s, update ms p50 {pq['update_ms']['p50']} p95 {pq['update_ms']['p95']} -->", flush=True)


if __name__ == "__main__":
    main()
