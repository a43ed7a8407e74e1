#!/usr/bin/python3
"""More multiclass data sets beside MovieLens: the XGBoost / scikit-learn anchors (docs/multiclass.md).

Usage (from the repository root):
    /usr/bin/python3 benchmarks/compare/multiclass_more.py OUT_DIR [../shared/data]

Writes one all-numeric CSV per task to OUT_DIR (never into the repository): the features, `label` (class index) and
`test` (1 for the held-out rows, which come last), then trains XGBoost 1.7.4 multi:softprob with the MovieLens
settings and scikit-learn 1.2.1 RandomForestClassifier on the same rows and prints one JSON line per model. Our side:
`dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- multiclass-pipeline OUT_DIR/TASK.csv`.

Tasks (none is temporal; categorical columns are one-hot encoded so both sides see the same numbers):
- rank-relevance: LightGBM's lambdarank example read as 5-class classification of the relevance grade (its own
  train/test files; queries ignored).
- bank-education: bank marketing, the client's education (8 classes) from the other client and campaign columns
  except the outcome y; a stratified random 20% is held out.
- coupon-bar: in-vehicle coupon survey, how often the respondent goes to a bar (5 classes) from the other answers
  except the other venue frequencies and the coupon response; a stratified random 20% is held out.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.datasets import load_svmlight_file
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score, log_loss
from sklearn.model_selection import train_test_split

OUT = sys.argv[1]
DATA = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
THREADS = 2


def rank_relevance():
    folder = os.path.join(DATA, "lightgbm-examples", "lambdarank")
    xtr, ytr = load_svmlight_file(os.path.join(folder, "rank.train"))
    xte, yte = load_svmlight_file(os.path.join(folder, "rank.test"), n_features=xtr.shape[1])
    columns = [f"f{i}" for i in range(xtr.shape[1])]
    train = pd.DataFrame(xtr.toarray(), columns=columns)
    test = pd.DataFrame(xte.toarray(), columns=columns)
    train["label"], test["label"] = ytr.astype(int), yte.astype(int)
    return train, test


def encoded_split(df, target, drop):
    classes = sorted(df[target].unique())
    y = df[target].map({c: i for i, c in enumerate(classes)})
    x = pd.get_dummies(df.drop(columns=[target] + drop), dtype=float)
    x.columns = [c.replace(",", ";").replace(" ", "_") for c in x.columns]
    x["label"] = y
    train, test = train_test_split(x, test_size=0.2, stratify=y, random_state=0)
    return train, test


def bank_education():
    df = pd.read_csv(os.path.join(DATA, "bank-marketing", "bank-additional-full.csv"), sep=";")
    return encoded_split(df, "education", ["y"])


def coupon_bar():
    df = pd.read_csv(os.path.join(DATA, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv"))
    df = df.dropna(subset=["Bar"])
    return encoded_split(df, "Bar", ["car", "CoffeeHouse", "CarryAway", "RestaurantLessThan20", "Restaurant20To50", "Y"])


def report(task, name, y, p, k, seconds):
    pred = p.argmax(axis=1)
    print(json.dumps({"task": task, "model": name, "logloss": round(log_loss(y, p, labels=list(range(k))), 4),
                      "accuracy": round(accuracy_score(y, pred), 4), "macro_f1": round(f1_score(y, pred, average="macro"), 4),
                      "train_seconds": round(seconds, 2)}))


def main():
    os.makedirs(OUT, exist_ok=True)
    for task, build in [("rank-relevance", rank_relevance), ("bank-education", bank_education), ("coupon-bar", coupon_bar)]:
        train, test = build()
        train, test = train.assign(test=0), test.assign(test=1)
        both = pd.concat([train, test])
        both.to_csv(os.path.join(OUT, task + ".csv"), index=False, na_rep="")
        features = [c for c in both.columns if c not in ("label", "test")]
        k = int(both["label"].max()) + 1
        xtr, ytr = train[features].to_numpy(np.float32), train["label"].to_numpy()
        xte, yte = test[features].to_numpy(np.float32), test["label"].to_numpy()
        print(json.dumps({"task": task, "train": len(train), "test": len(test), "features": len(features), "classes": k}))
        params = dict(tree_method="hist", grow_policy="lossguide", max_leaves=31, max_depth=0, learning_rate=0.1,
                      max_bin=255, nthread=THREADS, objective="multi:softprob", num_class=k, eval_metric="mlogloss")
        start = time.perf_counter()
        booster = xgb.train(params, xgb.DMatrix(xtr, label=ytr), num_boost_round=100)
        report(task, "xgboost multi:softprob (100 rounds, 31 leaves)", yte, booster.predict(xgb.DMatrix(xte)), k, time.perf_counter() - start)
        rf = RandomForestClassifier(n_estimators=100, min_samples_leaf=5, n_jobs=THREADS, random_state=0)
        start = time.perf_counter()
        rf.fit(np.nan_to_num(xtr, nan=-1), ytr)
        report(task, "sklearn RandomForest (100 trees, min_samples_leaf 5)", yte, rf.predict_proba(np.nan_to_num(xte, nan=-1)), k, time.perf_counter() - start)


if __name__ == "__main__":
    main()
