#!/usr/bin/env python3
"""Issue 11 item 2: our static model with native categorical splits against XGBoost's one-hot static model, on
every high-cardinality stream we can build from ../shared/data, in one run, one table.

Each stream is in time (or file) order; both sides train on the first 70% and are scored on the last 30%. Ours is
`pq train --split file-order --test-fraction 0.3 --calibration none` (library defaults, categorical columns split
natively); XGBoost gets every categorical column one-hot encoded (the levels of the training part; unseen levels
are all-zero) with replay_xgboost.PARAMS and 100 rounds. Target: ours >= XGBoost one-hot - 0.002 AUC on every
stream. Streams (written to --out, never committed):

  movielens-ids        ratings (>= 4 approves) in time order, userId (610 levels) and movieId (9.7k levels, the
                       254 most frequent get their own category) as categorical columns, genres, year.
  movielens-ids-shuffled  the same rows in a random order (stationary).
  bandit-items         Open Bandit sample (4 files, timestamp order): campaign x item id, position, the four hashed
                       user features, item features; click label (rare positives, noisy AUC).
  coupon-combined      in-vehicle coupon with columns combined into high-cardinality ones (destination x passenger
                       x weather x time, occupation x income, age x marital status x children, coupon x expiration).
  bank-combined        bank marketing in file order, `duration` dropped, job x education x month and
                       marital x housing x loan x contact combined.
  coupon-combined-shuffled, bank-combined-shuffled  the same rows in a random order (stationary).
  coupon, bank         the plain files (low cardinality: must not get worse).

Usage (from the repository root; heavy, run under the shared bench lock):

    dotnet build src/PatternQuality.Cli -c Release
    flock /work/coord/bench.lock /usr/bin/python3 benchmarks/compare/categorical_suite.py [--only movielens-ids]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp
import xgboost as xgb
from sklearn.metrics import log_loss, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from replay_xgboost import PARAMS  # noqa: E402

DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data"))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PQ = os.path.join(ROOT, "src", "PatternQuality.Cli", "bin", "Release", "net10.0", "pq.dll")
SEED = 11
TRAIN = 0.7


def _combine(df, name, cols):
    df[name] = df[cols].astype(str).agg("|".join, axis=1)
    return df.drop(columns=cols)


def prepare(out):
    """Writes every stream as a CSV; returns {name: (path, label column, positive predicate, categorical columns)}."""
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    frames = {}

    ratings = pd.read_csv(os.path.join(DATA, "movielens-latest-small", "ratings.csv"))
    movies = pd.read_csv(os.path.join(DATA, "movielens-latest-small", "movies.csv"))
    genres = sorted({g for gs in movies["genres"] for g in gs.split("|") if g != "(no genres listed)"})
    mv = pd.DataFrame({"movieId": movies["movieId"],
                       "year": movies["title"].str.extract(r"\((\d{4})\)\s*$")[0].astype(float),
                       **{"genre_" + "".join(c if c.isalnum() else "_" for c in g): movies["genres"].map(lambda gs, g=g: int(g in gs.split("|"))) for g in genres}})
    ml = ratings.merge(mv, on="movieId", how="left").sort_values("timestamp", kind="stable").reset_index(drop=True)
    ml["user"] = "u" + ml.pop("userId").astype(str)
    ml["movie"] = "m" + ml.pop("movieId").astype(str)
    ml["rating"] = (ml["rating"] >= 4).astype(int)
    ml = ml.drop(columns=["timestamp"])
    frames["movielens-ids"] = (ml, "rating")
    frames["movielens-ids-shuffled"] = (ml.iloc[rng.permutation(len(ml))].reset_index(drop=True), "rating")

    parts = []
    for policy in ("random", "bts"):
        for campaign in ("men", "women"):
            d = pd.read_csv(os.path.join(DATA, "open-bandit-sample", policy, campaign, campaign + ".csv"), index_col=0)
            items = pd.read_csv(os.path.join(DATA, "open-bandit-sample", policy, campaign, "item_context.csv"), index_col=0)
            d = d.merge(items, on="item_id", how="left")
            d["item"] = campaign + "-" + d["item_id"].astype(str)
            d["position"] = "p" + d["position"].astype(str)
            parts.append(d.drop(columns=["item_id", "propensity_score"]))
    bandit = pd.concat(parts, ignore_index=True).sort_values("timestamp", kind="stable").reset_index(drop=True)
    bandit = bandit.drop(columns=["timestamp"] + [c for c in bandit.columns if c.startswith("user-item_affinity")])
    frames["bandit-items"] = (bandit, "click")

    coupon = pd.read_csv(os.path.join(DATA, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv"))
    frames["coupon"] = (coupon, "Y")
    cc = coupon.copy()
    cc = _combine(cc, "context", ["destination", "passanger", "weather", "time"])
    cc = _combine(cc, "job_income", ["occupation", "income"])
    cc = _combine(cc, "person", ["age", "maritalStatus", "has_children"])
    cc = _combine(cc, "offer", ["coupon", "expiration"])
    frames["coupon-combined"] = (cc, "Y")
    frames["coupon-combined-shuffled"] = (cc.iloc[rng.permutation(len(cc))].reset_index(drop=True), "Y")

    bank = pd.read_csv(os.path.join(DATA, "bank-marketing", "bank-additional-full.csv"), sep=";").drop(columns=["duration"])
    bank["y"] = (bank["y"] == "yes").astype(int)
    frames["bank"] = (bank, "y")
    bc = bank.copy()
    bc = _combine(bc, "job_edu_month", ["job", "education", "month"])
    bc = _combine(bc, "household", ["marital", "housing", "loan", "contact"])
    frames["bank-combined"] = (bc, "y")
    frames["bank-combined-shuffled"] = (bc.iloc[rng.permutation(len(bc))].reset_index(drop=True), "y")

    streams = {}
    for name, (df, label) in frames.items():
        path = os.path.join(out, name + ".csv")
        df.to_csv(path, index=False)
        cats = [c for c in df.columns if c != label and df[c].dtype == object]
        streams[name] = (path, label, cats)
    return streams


def run_pq(path, label):
    store = tempfile.mkdtemp(prefix="pq-cat-")
    try:
        out = subprocess.run(["dotnet", PQ, "train", "--store", store, "--data", path, "--label", label, "--positive", "1",
                              "--split", "file-order", "--test-fraction", str(1 - TRAIN), "--calibration", "none", "--json"],
                             check=True, capture_output=True, text=True)
        m = json.loads(out.stdout)["metrics"]
        return m["auc"], m["logloss"]
    finally:
        shutil.rmtree(store, ignore_errors=True)


def run_xgb(path, label, cats):
    df = pd.read_csv(path, dtype={c: str for c in cats})
    y = df.pop(label).to_numpy().astype(int)
    n0 = len(y) - int(round((1 - TRAIN) * len(y)))
    blocks = [sp.csr_matrix(df.drop(columns=cats).to_numpy(dtype=np.float32))]
    for c in cats:
        levels = {v: i for i, v in enumerate(sorted(df[c].iloc[:n0].dropna().unique()))}
        idx = df[c].map(levels)
        rows = np.nonzero(idx.notna().to_numpy())[0]
        blocks.append(sp.csr_matrix((np.ones(len(rows), np.float32), (rows, idx.iloc[rows].astype(int).to_numpy())), shape=(len(y), len(levels))))
    x = sp.hstack(blocks, format="csr")
    model = xgb.train(PARAMS, xgb.DMatrix(x[:n0], label=y[:n0]), 100)
    p = model.predict(xgb.DMatrix(x[n0:]))
    return roc_auc_score(y[n0:], p), log_loss(y[n0:], p), x.shape[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/pq-categorical")
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    streams = prepare(args.out)
    only = [s for s in args.only.split(",") if s]
    print("| stream | rows | categorical columns (levels in training) | pq static AUC / log loss | XGBoost one-hot static AUC / log loss | AUC difference |")
    print("|---|---|---|---|---|---|")
    for name, (path, label, cats) in streams.items():
        if only and name not in only:
            continue
        started = time.time()
        pq_auc, pq_ll = run_pq(path, label)
        xg_auc, xg_ll, width = run_xgb(path, label, cats)
        df = pd.read_csv(path, usecols=cats, dtype=str) if cats else pd.DataFrame()
        n0 = int(TRAIN * len(df)) if cats else 0
        levels = ", ".join(f"{c} {df[c].iloc[:n0].nunique()}" for c in cats if df[c].iloc[:n0].nunique() > 25) or "none above 25"
        rows = sum(1 for _ in open(path)) - 1
        print(f"| {name} | {rows} | {levels} | {pq_auc:.4f} / {pq_ll:.4f} | {xg_auc:.4f} / {xg_ll:.4f} | {pq_auc - xg_auc:+.4f} |", flush=True)
        print(f"<!-- {name}: {time.time() - started:.0f} s, one-hot width {width} -->", flush=True)


if __name__ == "__main__":
    main()
