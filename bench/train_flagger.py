#!/usr/bin/env python3
"""Train mtcheck's word flagger on the dev half of the MQM zh-en data; write mtcheck/data/flagger.json.

    python bench/train_flagger.py [--data PATH] [--out mtcheck/data/flagger.json]

Steps (deterministic):
1. every row of the data file becomes a same-language bead (reference = source, hypothesis =
   candidate); mtcheck.spans computes its word features (one batched model pass);
2. a word's labels: "major" if it overlaps a Major gold span, "any" if it overlaps any gold span;
3. two L2-regularised logistic regressions (scikit-learn, C=1) on the standardised features of the
   dev half (documents sorted by doc_id, every other one);
4. the two probability thresholds are tuned on the dev half: "major" for the best Major F1
   (score_spans.py's character-level F1), then "minor" for the best Kendall tau-b of -penalty;
5. the weights, the standardisation and the thresholds are written as JSON. Figures for the
   held-out half are printed for information only: nothing is tuned on them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import eval_mqm

from mtcheck.checks import build_contexts, run_bead_checks, word_feature_matrices, word_vectors
from mtcheck.checks.context import WordScores
from mtcheck.config import SEVERITY_WEIGHTS
from mtcheck.spans.model import FEATURES, predict
from mtcheck.summary import penalty


def pair_features(rows, embedder):
    """(feature matrix, bead context without scores) per MQM row, from one batched model pass."""
    contexts = build_contexts(eval_mqm.bead_inputs(rows), embedder=embedder, with_scores=False)
    return list(zip(word_feature_matrices(contexts, word_vectors(contexts, embedder)), contexts))


def labels(context, row) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate word: overlaps a Major gold span / any gold span (non-space characters)."""
    n = len(context.candidate.words)
    major, anyl = np.zeros(n), np.zeros(n)
    for sp in row["spans"]:
        if sp.get("start") is None or sp["end"] <= sp["start"]:
            continue
        for k, (s, e) in enumerate(context.candidate.words):
            if s < sp["end"] and e > sp["start"]:
                anyl[k] = 1
                if sp["severity"] == "Major":
                    major[k] = 1
    return major, anyl


def fitted_model(pairs: list, rows: list[dict], about: str, C: float = 1.0) -> dict:
    """The flagger's JSON model: both heads fitted to the features of ``pairs`` (pair_features)
    and the labels of ``rows``, on standardised features; thresholds at 0.5 until tuned."""
    X = np.concatenate([F for F, _ in pairs])
    ys = [labels(p, r) for (_, p), r in zip(pairs, rows)]
    mean, scale = X.mean(0), X.std(0)
    scale[scale < 1e-6] = 1.0
    return {
        "about": about,
        "features": list(FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "heads": {
            "major": fit(X, np.concatenate([y[0] for y in ys]), mean, scale, C),
            "any": fit(X, np.concatenate([y[1] for y in ys]), mean, scale, C),
        },
        "thresholds": {"major": 0.5, "minor": 0.5, "omission_major_words": 5},
    }


def fit(X: np.ndarray, y: np.ndarray, mean: np.ndarray, scale: np.ndarray, C: float = 1.0) -> dict:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit((X - mean) / scale, y)
    return {"coef": [round(float(c), 6) for c in clf.coef_[0]], "intercept": round(float(clf.intercept_[0]), 6)}


def evaluate(rows, pairs, model, th):
    from scipy.stats import kendalltau

    preds, pens = [], []
    for F, context in pairs:
        scores = WordScores(predict(model, F, "major"), predict(model, F, "any"), th)
        flags = run_bead_checks(replace(context, scores=scores))
        preds.append(eval_mqm.flags_to_pred(flags))
        pens.append(-penalty(flags, SEVERITY_WEIGHTS))
    res = eval_mqm.span_prf(rows, preds)
    tau = kendalltau(pens, [r["mqm_score"] for r in rows], variant="b").statistic
    return res["all"][2], res["major"][2], tau


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(eval_mqm.DATA))
    ap.add_argument("--out", default=str(HERE.parent / "mtcheck" / "data" / "flagger.json"))
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--cache", default=None, help="pickle the features here and reuse them (development only)")
    args = ap.parse_args()

    from mtcheck.embed import get_embedder

    t0 = time.perf_counter()
    rows = {s: eval_mqm.load_rows(args.data, s) for s in ("dev", "test")}
    emb = get_embedder("all-MiniLM-L6-v2")
    if args.cache and Path(args.cache).exists():
        import pickle

        pairs = pickle.loads(Path(args.cache).read_bytes())
    else:
        pairs = {s: pair_features(rows[s], emb) for s in rows}
        if args.cache:
            import pickle

            Path(args.cache).write_bytes(pickle.dumps(pairs))
    print(f"features for {sum(len(v) for v in rows.values())} rows in {time.perf_counter() - t0:.0f}s")

    model = fitted_model(
        pairs["dev"],
        rows["dev"],
        "mtcheck word flagger: logistic regressions over mtcheck.spans.model.FEATURES; "
        "regenerate with bench/train_flagger.py (trained on the dev half of the WMT20 zh-en "
        "MQM data, Freitag et al. 2021)",
        args.C,
    )
    labelled = [labels(p, r) for (_, p), r in zip(pairs["dev"], rows["dev"])]
    words = sum(len(major) for major, _ in labelled)
    in_major, in_any = (sum(int(y[k].sum()) for y in labelled) for k in (0, 1))
    print(f"{words} words; {in_major} in Major spans, {in_any} in any span")

    # thresholds, on the dev half only: a run of flagged words becomes one flag of its highest
    # severity, so the minor threshold also widens major flags; pick the pair with the best
    # Major F1 + tau(-penalty)
    best = None
    for tm in np.arange(0.10, 0.42, 0.02):
        for tn in np.arange(0.06, 0.42, 0.02):
            if tn > tm:
                continue
            th = {**model["thresholds"], "major": float(tm), "minor": float(tn)}
            fa, fm, tau = evaluate(rows["dev"], pairs["dev"], model, th)
            if best is None or fm + tau > best[0]:
                best = (fm + tau, float(tm), float(tn))
    model["thresholds"]["major"] = round(best[1], 2)
    model["thresholds"]["minor"] = round(best[2], 2)

    for s in ("dev", "test"):
        fa, fm, tau = evaluate(rows[s], pairs[s], model, model["thresholds"])
        print(f"{s:5s} any F1 {fa:.4f}  Major F1 {fm:.4f}  tau(-penalty) {tau:.4f}")
    print("thresholds", model["thresholds"])
    print(
        "weights (major head):", ", ".join(f"{f} {c:+.2f}" for f, c in zip(FEATURES, model["heads"]["major"]["coef"]))
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
