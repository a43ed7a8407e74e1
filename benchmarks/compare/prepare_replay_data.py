#!/usr/bin/env python3
"""Writes the two streaming data sets that `pq replay` and replay_xgboost.py read, into a scratch folder.

Nothing here is committed: the inputs are read from ../shared/data and the outputs go to --out (default
/tmp/pq-bench). Usage (from the repository root):

    /usr/bin/python3 benchmarks/compare/prepare_replay_data.py [--out /tmp/pq-bench]

Outputs:
  bank.csv       bank-additional-full.csv with `duration` dropped (leaks the label), comma-separated, file order
                 (the file is ordered by date, so row order is time order); label column `y` (yes/no).
  movielens.csv  ratings joined to movie genres (one 0/1 column per genre) and release year parsed from the title,
                 sorted by timestamp (stable), label column `rating` (use threshold 4).
"""
import argparse
import os
import re

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/pq-bench")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    bank = pd.read_csv(os.path.join(DATA, "bank-marketing", "bank-additional-full.csv"), sep=";")
    bank = bank.drop(columns=["duration"])
    bank.to_csv(os.path.join(args.out, "bank.csv"), index=False)

    ratings = pd.read_csv(os.path.join(DATA, "movielens-latest-small", "ratings.csv"))
    movies = pd.read_csv(os.path.join(DATA, "movielens-latest-small", "movies.csv"))
    year = movies["title"].map(lambda t: _year(t))
    genres = sorted({g for gs in movies["genres"] for g in gs.split("|") if g != "(no genres listed)"})
    cols = {"movieId": movies["movieId"], "year": year}
    for g in genres:
        cols["genre_" + re.sub(r"[^A-Za-z0-9]", "_", g)] = movies["genres"].map(lambda gs, g=g: int(g in gs.split("|")))
    mv = pd.DataFrame(cols)
    ml = ratings.merge(mv, on="movieId", how="left")
    ml = ml.sort_values("timestamp", kind="stable").reset_index(drop=True)
    ml.to_csv(os.path.join(args.out, "movielens.csv"), index=False)
    print(f"wrote {len(bank)} bank rows and {len(ml)} movielens rows to {args.out}")


def _year(title):
    m = re.search(r"\((\d{4})\)\s*$", title.strip())
    return int(m.group(1)) if m else None


if __name__ == "__main__":
    main()
