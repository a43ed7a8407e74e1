#!/usr/bin/python3
"""Per-class precision/recall/F1/support and the confusion matrix, by scikit-learn 1.2.1, on the labels and
probabilities of multiclass_ranking.json (real data, written by make_golden.py). Writes multiclass_report.json.

Usage (from this folder):  /usr/bin/python3 make_multiclass_report.py
"""
import json

import numpy as np
import sklearn
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

m = json.load(open("multiclass_ranking.json"))["multiclass"]
k = m["class_count"]
y = np.array(m["labels"], dtype=int)
pred = np.array(m["probabilities"], dtype=np.float32).reshape(-1, k).argmax(axis=1)
p, r, f, s = precision_recall_fscore_support(y, pred, labels=list(range(k)), average=None, zero_division=0)
out = {"sklearn": sklearn.__version__, "class_count": k,
       "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist(),
       "confusion": confusion_matrix(y, pred, labels=list(range(k))).tolist()}
json.dump(out, open("multiclass_report.json", "w"), indent=1)
