#!/usr/bin/python3
"""MovieLens-small as a learning-to-rank data set (docs/ranking.md, "Defaults on other ranking data").

Usage (from the repository root):
    /usr/bin/python3 benchmarks/compare/make_movielens_ranking.py OUT_DIR [../shared/data]

Writes two data sets to OUT_DIR (never into the repository), each as SVMlight rank.train / rank.test with LightGBM's
.query files beside them, so our harness (`ranking-defaults`) and XGBoost (compare_ranking.py) read identical rows:

  OUT_DIR/movielens-graded/   relevance = whole stars (0.5 -> 0, 3.5 -> 3, 5 -> 5): six grades
  OUT_DIR/movielens-liked/    relevance = 1 if the rating is 4 or more, else 0: binary

One query per user. Each user's ratings are ordered by time: the earlier half is the user's history, the later half
the query's candidates (at most 40, a fixed random sample), so every feature comes from the past of the candidates.
Features of a (user, movie) pair: the movie's mean rating, rating count and genres (one 0/1 column per genre) and
release year, counted over every user's history half only; the user's history count, mean and spread of ratings; the
user's mean rating (minus the user's mean) and share of history in the candidate's genres. Split by query: a fixed
random 70% of users train, the other 30% test (whole users on one side).
"""
import os
import re
import sys

import numpy as np
import pandas as pd

OUT = sys.argv[1]
DATA = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
MAX_CANDIDATES = 40


def main():
    ml = os.path.join(DATA, "movielens-latest-small")
    ratings = pd.read_csv(os.path.join(ml, "ratings.csv"))
    movies = pd.read_csv(os.path.join(ml, "movies.csv"))
    genres = sorted({g for gs in movies["genres"] for g in gs.split("|") if g != "(no genres listed)"})
    movie_genres = {m: set(gs.split("|")) for m, gs in zip(movies["movieId"], movies["genres"])}
    years = {}
    for m, title in zip(movies["movieId"], movies["title"]):
        found = re.search(r"\((\d{4})\)\s*$", title.strip())
        years[m] = float(found.group(1)) if found else np.nan

    ratings = ratings.sort_values(["userId", "timestamp", "movieId"], kind="stable")
    ratings["pos"] = ratings.groupby("userId").cumcount()
    ratings["n"] = ratings.groupby("userId")["movieId"].transform("size")
    history = ratings[ratings["pos"] < ratings["n"] // 2]
    future = ratings[ratings["pos"] >= ratings["n"] // 2]

    movie_stats = history.groupby("movieId")["rating"].agg(["mean", "count"])
    rng = np.random.default_rng(0)
    users = np.array(sorted(ratings["userId"].unique()))
    test_users = set(rng.choice(users, size=int(round(0.3 * len(users))), replace=False).tolist())

    rows = {"train": [], "test": []}
    sizes = {"train": [], "test": []}
    for user, past in history.groupby("userId"):
        mean = past["rating"].mean()
        spread = past["rating"].std(ddof=0)
        by_genre = {}
        for m, r in zip(past["movieId"], past["rating"]):
            for g in movie_genres.get(m, ()):
                by_genre.setdefault(g, []).append(r)
        cands = future[future["userId"] == user]
        if len(cands) > MAX_CANDIDATES:
            cands = cands.iloc[np.sort(rng.choice(len(cands), size=MAX_CANDIDATES, replace=False))]
        side = "test" if user in test_users else "train"
        for m, r in zip(cands["movieId"], cands["rating"]):
            mg = movie_genres.get(m, set())
            stats = movie_stats.loc[m] if m in movie_stats.index else None
            affinity = [np.mean(by_genre[g]) - mean for g in mg if g in by_genre]
            share = sum(len(by_genre.get(g, ())) for g in mg) / max(1, len(past))
            feats = [
                stats["mean"] if stats is not None else np.nan,
                np.log1p(stats["count"]) if stats is not None else 0.0,
                years.get(m, np.nan),
                len(past), mean, spread,
                np.mean(affinity) if affinity else np.nan,
                share,
            ] + [1.0 if g in mg else 0.0 for g in genres]
            rows[side].append((r, feats))
        sizes[side].append(len(cands))

    for name, label in (("movielens-graded", lambda r: int(np.floor(r))), ("movielens-liked", lambda r: int(r >= 4))):
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        for side, file in (("train", "rank.train"), ("test", "rank.test")):
            with open(os.path.join(d, file), "w") as f:
                for r, feats in rows[side]:
                    # SVMlight has no missing value: leave a missing feature out (both sides then read 0 / missing alike).
                    tokens = [f"{i + 1}:{v:.6g}" for i, v in enumerate(feats) if not np.isnan(v) and v != 0]
                    f.write(f"{label(r)} " + " ".join(tokens) + "\n")
            with open(os.path.join(d, file + ".query"), "w") as f:
                f.write("\n".join(str(s) for s in sizes[side]) + "\n")
        print(f"{d}: {len(sizes['train'])} train / {len(sizes['test'])} test queries, {len(rows['train'])} / {len(rows['test'])} rows, {8 + len(genres)} features")


if __name__ == "__main__":
    main()
