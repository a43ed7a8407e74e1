#!/usr/bin/python3
"""Writes the golden fixtures that tests/PatternQuality.Tests/Evaluation and Calibration compare against.

Run with Debian's python3 (scikit-learn 1.2.1, numpy 1.24):
    /usr/bin/python3 tests/PatternQuality.Tests/Fixtures/Evaluation/make_golden.py [shared-data-dir]

Only model predictions, labels and reference values are written, never the raw data. Every score is rounded to
float32 first, because PatternQuality takes float scores: both sides then see the same numbers.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from scipy.special import expit
from sklearn.calibration import _sigmoid_calibration, calibration_curve
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, average_precision_score, brier_score_loss, f1_score, log_loss,
                             precision_recall_curve, precision_score, recall_score, roc_auc_score)
from sklearn.metrics._ranking import _ndcg_sample_scores
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split

assert sklearn.__version__ == "1.2.1", sklearn.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "..", "..", "shared", "data")
DATA = os.path.abspath(DATA)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def short(a):
    """float32 values in their shortest round-trip text, to keep the fixtures small."""
    return [float(np.format_float_positional(np.float32(v), unique=True, trim="-")) for v in np.ravel(a)]


def ints(a):
    return [int(v) for v in np.ravel(a)]


def write(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print(name, os.path.getsize(os.path.join(HERE, name)), "bytes")


def ece_equal_width(y, p, w, bins=10):
    # calibration_curve's bin convention: edges np.linspace(0, 1, bins + 1), searchsorted on the inner edges
    # (side="left"), so bin i holds (edge_i, edge_i+1] and the first bin also holds 0.
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.searchsorted(edges[1:-1], p)
    return ece_from_index(y, p, w, idx, bins)


def ece_equal_mass(y, p, w, bins=10):
    order = np.argsort(p, kind="stable")
    idx = np.empty(len(p), dtype=int)
    for b, chunk in enumerate(np.array_split(order, bins)):
        idx[chunk] = b
    return ece_from_index(y, p, w, idx, bins)


def ece_from_index(y, p, w, idx, bins):
    total = w.sum()
    ece, mce = 0.0, 0.0
    for b in range(bins):
        m = idx == b
        wb = w[m].sum()
        if wb <= 0:
            continue
        gap = abs((w[m] * p[m]).sum() / wb - (w[m] * y[m]).sum() / wb)
        ece += gap * wb / total
        mce = max(mce, gap)
    return ece, mce


def best_f1(y, p, w):
    prec, rec, thr = precision_recall_curve(y, p, sample_weight=w)
    prec, rec = prec[:-1], rec[:-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(prec + rec > 0, 2 * prec * rec / (prec + rec), 0.0)
    i = int(np.argmax(f1))
    return float(f1[i]), float(thr[i])


def binary_case(name, y, p, w=None, threshold=0.5):
    y = f32(y)
    p = f32(p)
    wv = np.ones_like(p) if w is None else f32(w)
    pred = (p >= threshold).astype(float)
    ew, mw = ece_equal_width(y, p, wv)
    em, mm = ece_equal_mass(y, p, wv)
    bf1, bthr = best_f1(y, p, w if w is None else wv)
    case = {
        "name": name, "threshold": threshold, "labels": ints(y), "scores": short(p),
        "weights": None if w is None else short(wv),
        "auc": roc_auc_score(y, p, sample_weight=None if w is None else wv),
        "pr_auc": average_precision_score(y, p, sample_weight=None if w is None else wv),
        "accuracy": accuracy_score(y, pred, sample_weight=None if w is None else wv),
        "precision": precision_score(y, pred, sample_weight=None if w is None else wv, zero_division=0),
        "recall": recall_score(y, pred, sample_weight=None if w is None else wv, zero_division=0),
        "f1": f1_score(y, pred, sample_weight=None if w is None else wv, zero_division=0),
        "logloss": log_loss(y, p, sample_weight=None if w is None else wv),
        "brier": brier_score_loss(y, p, sample_weight=None if w is None else wv),
        "ece": ew, "mce": mw, "ece_equal_mass": em, "mce_equal_mass": mm,
        "best_f1": bf1, "best_f1_threshold": bthr,
    }
    if w is None:
        prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy="uniform")
        case["curve_true"] = prob_true.tolist()
        case["curve_pred"] = prob_pred.tolist()
    return case


def load_coupon():
    df = pd.read_csv(os.path.join(DATA, "in-vehicle-coupon", "in-vehicle-coupon-recommendation.csv"), keep_default_na=False)
    y = df.pop("Y").to_numpy()
    x = pd.get_dummies(df.astype(str)).to_numpy(dtype=np.float64)
    return x, y


def load_bank():
    df = pd.read_csv(os.path.join(DATA, "bank-marketing", "bank-additional-full.csv"), sep=";")
    y = (df.pop("y") == "yes").astype(int).to_numpy()
    df = df.drop(columns=["duration"])
    x = pd.get_dummies(df).to_numpy(dtype=np.float64)
    return x, y


def load_svmlight(path, n_features=300):
    labels, rows = [], []
    with open(path) as f:
        for line in f:
            parts = line.split()
            labels.append(float(parts[0]))
            row = np.zeros(n_features)
            for kv in parts[1:]:
                k, v = kv.split(":")
                row[int(k) - 1] = float(v)
            rows.append(row)
    return np.array(rows), np.array(labels)


def ndcg_linear(y, s, bounds, k):
    vals = []
    for q in range(len(bounds) - 1):
        a, b = bounds[q], bounds[q + 1]
        vals.append(_ndcg_sample_scores(y[None, a:b], s[None, a:b], k=k, ignore_ties=False)[0])
    return float(np.mean(vals))


def ndcg_exponential(y, s, bounds, k):
    # LightGBM's convention: gain 2^rel - 1, discount 1/log2(rank + 1), ties in score kept in row order (stable
    # sort), truncation at min(k, query size), and a query with no relevant document counts as 1.
    vals = []
    for q in range(len(bounds) - 1):
        yy, ss = y[bounds[q]:bounds[q + 1]], s[bounds[q]:bounds[q + 1]]
        kk = len(yy) if k is None else min(k, len(yy))
        disc = 1.0 / np.log2(np.arange(kk) + 2.0)
        order = np.argsort(-ss, kind="stable")
        dcg = ((2.0 ** yy[order][:kk] - 1.0) * disc).sum()
        ideal = ((2.0 ** np.sort(yy)[::-1][:kk] - 1.0) * disc).sum()
        vals.append(1.0 if ideal <= 0 else dcg / ideal)
    return float(np.mean(vals))


def main():
    rng = np.random.default_rng(42)

    # --- Binary metrics: coupon, gradient boosting around the reference setup, 80/20 split. ---
    x, y = load_coupon()
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, random_state=0, stratify=y)
    hgb = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, random_state=0).fit(xtr, ytr)
    p = hgb.predict_proba(xte)[:1200, 1]
    yte_s = yte[:1200]
    cases = [
        binary_case("coupon_hgb", yte_s, p),
        binary_case("coupon_hgb_rounded_ties", yte_s, np.round(p, 2)),
        binary_case("coupon_hgb_threshold_0.3", yte_s, p, threshold=0.3),
    ]

    # Bank marketing (imbalanced), logistic regression on a random 3,000-row sample, with weights.
    xb, yb = load_bank()
    xbtr, xbte, ybtr, ybte = train_test_split(xb, yb, test_size=1500, random_state=0, stratify=yb)
    mean, std = xbtr.mean(axis=0), xbtr.std(axis=0) + 1e-9
    lr = LogisticRegression(max_iter=2000).fit((xbtr - mean) / std, ybtr)
    pb = lr.predict_proba((xbte - mean) / std)[:, 1]
    wb = np.round(rng.uniform(0.5, 2.0, size=len(pb)), 3)
    cases.append(binary_case("bank_lr_weighted", ybte, pb, w=wb))
    cases.append(binary_case("bank_lr_rounded_ties_weighted", ybte, np.round(pb, 1), w=wb))
    write("binary_metrics.json", {"sklearn": sklearn.__version__, "cases": cases})

    # --- Calibrators: fitted on out-of-fold decision_function values (as CalibratedClassifierCV feeds them),
    # evaluated on the test split's decision values. ---
    oof = cross_val_predict(HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, random_state=0),
                            xtr, ytr, cv=StratifiedKFold(5), method="decision_function")
    test_raw = f32(hgb.decision_function(xte))
    fit_x, fit_y = f32(oof[:1200]), f32(ytr[:1200])
    fit_w = f32(np.round(rng.uniform(0.5, 2.0, size=1200), 3))
    eval_x = np.concatenate([test_raw[:300], [fit_x.min() - 1.0, fit_x.max() + 1.0, fit_x[0], fit_x[1]]])
    eval_x = f32(eval_x)
    cal = []
    for name, w in (("unweighted", None), ("weighted", fit_w)):
        a, b = _sigmoid_calibration(fit_x, fit_y, sample_weight=w)
        iso = IsotonicRegression(out_of_bounds="clip").fit(fit_x, fit_y, sample_weight=w)
        cal.append({
            "name": name, "x": short(fit_x), "y": ints(fit_y), "weights": None if w is None else short(w),
            "eval_x": short(eval_x), "platt_a": float(a), "platt_b": float(b),
            "platt_out": expit(-(a * eval_x + b)).tolist(), "isotonic_out": iso.predict(eval_x).tolist(),
        })
    # Ties in x: rounding to one decimal makes many equal inputs, which isotonic regression must average.
    tx = f32(np.round(fit_x, 1))
    iso = IsotonicRegression(out_of_bounds="clip").fit(tx, fit_y)
    a, b = _sigmoid_calibration(tx, fit_y)
    cal.append({"name": "ties", "x": short(tx), "y": ints(fit_y), "weights": None, "eval_x": short(eval_x),
                "platt_a": float(a), "platt_b": float(b), "platt_out": expit(-(a * eval_x + b)).tolist(),
                "isotonic_out": iso.predict(eval_x).tolist()})
    write("calibrators.json", {"sklearn": sklearn.__version__, "cases": cal})

    # --- Multiclass: relevance grade (0-4) as a class, multinomial logistic regression on rank.train. ---
    rtr_x, rtr_y = load_svmlight(os.path.join(DATA, "lightgbm-examples", "lambdarank", "rank.train"))
    rte_x, rte_y = load_svmlight(os.path.join(DATA, "lightgbm-examples", "lambdarank", "rank.test"))
    mlr = LogisticRegression(max_iter=3000, C=0.1).fit(rtr_x, rtr_y)
    proba = f32(mlr.predict_proba(rte_x))
    pred = np.argmax(proba, axis=1).astype(float)
    multi = {
        "labels": ints(rte_y), "class_count": 5, "probabilities": short(proba),
        "accuracy": accuracy_score(rte_y, pred),
        "macro_f1": f1_score(rte_y, pred, average="macro", zero_division=0),
        "logloss": log_loss(rte_y, proba, labels=[0, 1, 2, 3, 4]),
    }

    # --- NDCG on rank.test with a regressor's scores; a rounded copy adds ties. ---
    with open(os.path.join(DATA, "lightgbm-examples", "lambdarank", "rank.test.query")) as f:
        sizes = [int(s) for s in f.read().split()]
    bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    reg = HistGradientBoostingRegressor(max_iter=50, random_state=0).fit(rtr_x, rtr_y)
    s = f32(reg.predict(rte_x))
    ndcg = {"labels": ints(rte_y), "query_boundaries": bounds.tolist(), "cases": []}
    for sname, sc in (("raw", s), ("rounded_ties", f32(np.round(s, 1)))):
        for k in (1, 3, 5, 10, None):
            ndcg["cases"].append({"scores_name": sname, "k": k,
                                  "linear": ndcg_linear(rte_y, sc, bounds, k),
                                  "exponential": ndcg_exponential(rte_y, sc, bounds, k)})
    ndcg["scores"] = {"raw": short(s), "rounded_ties": short(np.round(s, 1))}
    # Cross-check the exponential convention against xgboost's ndcg@k (no ties in raw scores).
    try:
        import xgboost as xgb
        dm = xgb.DMatrix(rte_x, label=rte_y)
        dm.set_group(sizes)
        dm.set_base_margin(s.astype(np.float32))
        booster = xgb.train({"objective": "rank:ndcg", "eval_metric": ["ndcg@10"]}, dm, num_boost_round=0)
        print("xgboost check:", booster.eval(dm), "ours:",
              ndcg_exponential(rte_y, s, bounds, 3), ndcg_exponential(rte_y, s, bounds, 10))
    except Exception as e:  # the cross-check is informative only
        print("xgboost check skipped:", e)
    write("multiclass_ranking.json", {"sklearn": sklearn.__version__, "multiclass": multi, "ndcg": ndcg})


if __name__ == "__main__":
    main()
