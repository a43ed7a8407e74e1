#!/usr/bin/python3
"""Writes ranking_map_mrr.json: MAP and MRR reference values for tests/PatternQuality.Tests/Evaluation/RankingMetricsTests.

Run with Debian's python3 (scikit-learn 1.2.1):
    /usr/bin/python3 tests/PatternQuality.Tests/Fixtures/Evaluation/make_golden_ranking.py

Reuses the real rank.test relevance labels, query boundaries and model scores (raw, and rounded to one decimal for
ties) that make_golden.py stored in multiclass_ranking.json, so no data is copied again.

- MAP: the mean over queries with at least one relevant document of scikit-learn's average_precision_score, where a
  document is relevant when its label >= threshold. Tied scores form one threshold, as in scikit-learn.
- MRR: the mean over the same queries of 1 / rank of the best-ranked relevant document, where a document's rank counts
  every document scoring at least as high (ties ranked pessimistically). For queries with exactly one relevant
  document this is scikit-learn's label_ranking_average_precision_score, which the script asserts.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, label_ranking_average_precision_score

assert sklearn.__version__ == "1.2.1", sklearn.__version__
HERE = os.path.dirname(os.path.abspath(__file__))


def per_query(y, s, bounds, threshold):
    aps, rrs = [], []
    for a, b in zip(bounds[:-1], bounds[1:]):
        rel = (y[a:b] >= threshold).astype(int)
        sc = s[a:b]
        if rel.sum() == 0:
            continue
        aps.append(average_precision_score(rel, sc))
        best = sc[rel == 1].max()
        rr = 1.0 / np.sum(sc >= best)
        if rel.sum() == 1:
            lrap = label_ranking_average_precision_score([rel], [sc])
            assert abs(lrap - rr) < 1e-12, (lrap, rr)
        rrs.append(rr)
    return float(np.mean(aps)), float(np.mean(rrs))


def main():
    with open(os.path.join(HERE, "multiclass_ranking.json")) as f:
        ndcg = json.load(f)["ndcg"]
    y = np.array(ndcg["labels"], dtype=np.float64)
    bounds = ndcg["query_boundaries"]
    cases = []
    for name, scores in ndcg["scores"].items():
        s = np.array(scores, dtype=np.float32).astype(np.float64)
        for threshold in (1, 2, 3):
            m, r = per_query(y, s, bounds, threshold)
            cases.append({"scores_name": name, "threshold": threshold, "map": m, "mrr": r})
    out = {"sklearn": sklearn.__version__, "source": "multiclass_ranking.json/ndcg", "cases": cases}
    with open(os.path.join(HERE, "ranking_map_mrr.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(json.dumps(cases, indent=1))


if __name__ == "__main__":
    main()
