#!/usr/bin/env python3
"""Builds the extra binary files for docs/active-learning.md's guarantee check (issue 16), outside the repo.

    /usr/bin/python3 benchmarks/compare/make_active_learning_data.py ../shared/data /tmp/al-data

- lightgbm-binary.csv: LightGBM's binary_classification/binary.train with a header (label, f1..f28), 7,000 rows.
- movielens-binary.csv: 20,000 ratings of MovieLens latest-small drawn with seed 0, label = rating >= 4; features
  known before the rating: the movie's year, first genre (categorical), number of genres, the movie's and the user's
  rating count, and the movie's and the user's mean rating over their OTHER ratings (leave-one-out, so the row's own
  label does not leak), the hour and weekday of the rating.
Coupon and bank marketing are read in place by pq active-learn. Open Bandit is not used: its click rate (about 0.5%)
gives about 10 positives in 2,000 labels, too few for a test AUC curve to mean anything.
"""
import csv
import os
import random
import re
import sys
from collections import defaultdict
from datetime import datetime, timezone

data, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

with open(os.path.join(data, "lightgbm-examples/binary_classification/binary.train")) as f, \
        open(os.path.join(out, "lightgbm-binary.csv"), "w", newline="") as g:
    w = csv.writer(g)
    w.writerow(["label"] + [f"f{i}" for i in range(1, 29)])
    for line in f:
        w.writerow(line.split())

movies = {}
with open(os.path.join(data, "movielens-latest-small/movies.csv"), newline="") as f:
    for r in csv.DictReader(f):
        m = re.search(r"\((\d{4})\)\s*$", r["title"])
        genres = r["genres"].split("|")
        movies[r["movieId"]] = (m.group(1) if m else "", genres[0], len(genres))
ratings = []
with open(os.path.join(data, "movielens-latest-small/ratings.csv"), newline="") as f:
    for r in csv.DictReader(f):
        ratings.append((r["userId"], r["movieId"], float(r["rating"]), int(r["timestamp"])))
sums = defaultdict(lambda: [0.0, 0])
for u, m, y, _ in ratings:
    for key in (("u", u), ("m", m)):
        sums[key][0] += y
        sums[key][1] += 1


def loo(key, y):
    s, n = sums[key]
    return "" if n <= 1 else f"{(s - y) / (n - 1):.4f}"


random.Random(0).shuffle(ratings)
with open(os.path.join(out, "movielens-binary.csv"), "w", newline="") as g:
    w = csv.writer(g)
    w.writerow(["liked", "year", "genre", "genres", "movie_ratings", "user_ratings", "movie_mean", "user_mean", "hour", "weekday"])
    for u, m, y, t in ratings[:20000]:
        year, genre, count = movies[m]
        when = datetime.fromtimestamp(t, timezone.utc)
        w.writerow([1 if y >= 4 else 0, year, genre, count, sums[("m", m)][1], sums[("u", u)][1],
                    loo(("m", m), y), loo(("u", u), y), when.hour, when.strftime("%a")])
