#!/usr/bin/env python3
"""Reads `pq active-learn --json` outputs and prints, per file and strategy, the learning curve, the labels needed to
reach random sampling's final AUC and the worst gap below random at any point (issue 16's two targets).

    /usr/bin/python3 benchmarks/compare/active_learning_summary.py coupon.json bank.json ...
"""
import json
import sys

for path in sys.argv[1:]:
    curves = json.load(open(path))["curves"]
    random = curves["random"]
    target = random[-1]["auc"]
    labels = [p["labels"] for p in random]
    names = list(curves)
    print(f"\n{path}")
    print("| labels | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for i, n in enumerate(labels):
        print(f"| {n:,} | " + " | ".join(f"{curves[s][i]['auc']:.4f}" for s in names) + " |")
    print(f"\nlabels to reach random's {labels[-1]:,}-label AUC ({target:.4f}), worst gap below random at any point:\n")
    print("| strategy | labels to reach | worst gap to random | at labels |")
    print("|---|---|---|---|")
    for s in names:
        reach = next((p["labels"] for p in curves[s] if p["auc"] >= target), None)
        gaps = [(curves[s][i]["auc"] - random[i]["auc"], labels[i]) for i in range(len(labels))]
        worst = min(gaps)
        print(f"| {s} | {f'{reach:,}' if reach else 'not within budget'} | {worst[0]:+.4f} | {worst[1]:,} |")
