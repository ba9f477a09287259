#!/usr/bin/env python3
"""Evaluate mtcheck's span flags and penalty on the MQM zh-en dev set (reference vs hypothesis).

    python bench/eval_mqm.py [--data PATH] [--limit N] [--split dev|test|all] [--tagger DIR]

Each row is one segment: the English reference is the source, the MT hypothesis the candidate
(a same-language pair, one sentence each, models loaded once, all rows batched). Printed, from one run:

* character-level P/R/F1 over non-space characters, exactly as ``score_spans.py`` computes them:
  all flags vs all gold spans, and major flags vs Major gold spans; for mtcheck with each word
  flagger (the span tagger, the logistic flagger; the precise checks run with both) and two
  baselines (flag everything; hypothesis words difflib leaves unmatched in the reference), and
  for scale an oracle: the tagger's flags with major severity kept only in segments where the
  rater found a Major error (what a perfect segment-level decision would give);
* for each flagger, the segment-level Kendall tau-b (scipy) of -penalty against the rater's
  ``mqm_score``, the flag counts and the seconds per 100 segments (flagging, model included);
* the tau-b of other segment scores: -divergence (1 - cosine of the two sentence embeddings),
  sentence chrF++ (sacrebleu CHRF(word_order=2)), minus the hypothesis word count (length), minus
  the count of difflib-unmatched hypothesis words.

``--split dev`` / ``test``: alternate halves of the documents (sorted by doc_id); the packaged
logistic flagger was trained and tuned on the ``dev`` half. The span tagger never saw any of it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data" / "mqm-dev" / "mqm_zhen_newstest2020_dev.jsonl"
sys.path.insert(0, str(ROOT))


def _score_module():
    """bench/data/mqm-dev/score_spans.py, imported so the scoring is exactly the same code."""
    spec = importlib.util.spec_from_file_location("score_spans", HERE / "data" / "mqm-dev" / "score_spans.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


score_spans = _score_module()


def load_rows(path: Path | str = DATA, split: str = "all", limit: int | None = None) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    docs = sorted({r["doc_id"] for r in rows})
    half = {d: ("dev" if k % 2 == 0 else "test") for k, d in enumerate(docs)}
    if split != "all":
        rows = [r for r in rows if half[r["doc_id"]] == split]
    return rows[:limit] if limit else rows


def span_prf(rows: list[dict], preds: list[list[dict]]) -> dict[str, tuple[float, float, float]]:
    """score_spans.py's micro P/R/F1 over non-space characters: any severity, and Major."""
    counts = {"all": [0, 0, 0], "major": [0, 0, 0]}
    for row, pspans in zip(rows, preds):
        text = row["hypothesis"]
        g_all = score_spans.covered(text, row["spans"])
        g_maj = score_spans.covered(text, row["spans"], lambda sp: sp.get("severity") == "Major")
        p_all = score_spans.covered(text, pspans)
        p_maj = score_spans.covered(text, pspans, lambda sp: sp.get("severity", "Major") == "Major")
        for name, g, p in (("all", g_all, p_all), ("major", g_maj, p_maj)):
            c = counts[name]
            c[0] += len(g & p)
            c[1] += len(p - g)
            c[2] += len(g - p)
    return {k: score_spans.prf(*v) for k, v in counts.items()}


def difflib_unmatched(hyp: str, ref: str) -> list[dict]:
    """baselines.py's difflib baseline: hypothesis whitespace tokens not matched in the reference."""
    import difflib
    import re

    h = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", hyp)]
    r = [m.group() for m in re.finditer(r"\S+", ref)]
    sm = difflib.SequenceMatcher(None, [t for _, _, t in h], r, autojunk=False)
    matched = set()
    for i, _, n in sm.get_matching_blocks():
        matched.update(range(i, i + n))
    return [{"start": s, "end": e} for k, (s, e, _) in enumerate(h) if k not in matched]


def bead_inputs(rows: list[dict]):
    from mtcheck.checks import BeadInput
    from mtcheck.types import Span

    return [
        BeadInput(
            r["reference"],
            (Span.of(r["reference"], 0, len(r["reference"])),),
            r["hypothesis"],
            (Span.of(r["hypothesis"], 0, len(r["hypothesis"])),),
            bead_index=0,
            cross_language=False,
            source_language="en",
            candidate_language="en",
        )
        for r in rows
    ]


def flags_to_pred(flags) -> list[dict]:
    return [
        {"start": f.candidate.start, "end": f.candidate.end, "severity": "Major" if f.severity == "major" else "Minor"}
        for f in flags
    ]


def flag_contexts(rows: list[dict], embedder, flagger: str, model_path: str | None = None):
    """The checks' contexts of every row (reference = source, hypothesis = candidate), scored by
    ``flagger``; thresholds can then be varied without running the model again."""
    from mtcheck.checks import build_contexts

    return build_contexts(bead_inputs(rows), embedder=embedder, flagger=flagger, model_path=model_path)


def run_checks(contexts, thresholds: dict[str, float] | None = None) -> list:
    """Every row's flags, as the pipeline makes them (optionally at other thresholds)."""
    from dataclasses import replace

    from mtcheck.checks import run_bead_checks

    if thresholds:
        contexts = [
            replace(c, scores=replace(c.scores, thresholds={**c.scores.thresholds, **thresholds}))
            if c.scores is not None
            else c
            for c in contexts
        ]
    return [run_bead_checks(c) for c in contexts]


def figures(rows: list[dict], flags: list) -> dict:
    """Span P/R/F1 (any, Major), tau-b of -penalty against mqm_score, and flag counts."""
    from scipy.stats import kendalltau

    from mtcheck.config import SEVERITY_WEIGHTS
    from mtcheck.summary import penalty

    res = span_prf(rows, [flags_to_pred(f) for f in flags])
    pens = [-penalty(f, SEVERITY_WEIGHTS) for f in flags]
    tau = kendalltau(pens, [r["mqm_score"] for r in rows], variant="b").statistic
    return {
        "any": res["all"],
        "major": res["major"],
        "tau": float(tau),
        "flags": sum(map(len, flags)),
        "major_flags": sum(f.severity == "major" for fl in flags for f in fl),
    }


def tune_thresholds(rows: list[dict], contexts, grid=None) -> dict[str, float]:
    """The "major" and "minor" thresholds with the best sum of any-severity F1, Major F1 and
    tau(-penalty) on ``rows`` (the three figures the span tagger is measured by): first the best
    "major" with "minor" equal to it, then the best "minor" at or below it."""
    import numpy as np

    grid = np.round(np.arange(0.04, 0.86, 0.02), 2) if grid is None else grid

    def objective(th: dict[str, float]) -> float:
        r = figures(rows, run_checks(contexts, th))
        return r["any"][2] + r["major"][2] + r["tau"]

    best_major = max(grid, key=lambda t: (objective({"major": float(t), "minor": float(t)}), -t))
    best_minor = max(
        (t for t in grid if t <= best_major),
        key=lambda t: (objective({"major": float(best_major), "minor": float(t)}), t),
    )
    return {"major": float(best_major), "minor": float(best_minor)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--model-path", default=None, help="a logistic flagger JSON other than the packaged one")
    ap.add_argument("--tagger", default=None, help="a tagger folder other than the packaged one")
    ap.add_argument("--runtime", choices=("onnx", "torch"), default="onnx", help="what runs all-MiniLM-L6-v2")
    args = ap.parse_args(argv)

    import numpy as np
    from sacrebleu.metrics import CHRF
    from scipy.stats import kendalltau

    from mtcheck.embed import get_embedder

    rows = load_rows(args.data, args.split, args.limit)
    n = len(rows)
    embedder = get_embedder("all-MiniLM-L6-v2", runtime=args.runtime)
    t0 = time.perf_counter()
    embedder.encode(["warm up"])
    t_load = time.perf_counter() - t0

    systems, seconds = {}, {}
    for label, flagger, path in (
        ("mtcheck, span tagger", "tagger", args.tagger),
        ("mtcheck, logistic flagger", "logistic", args.model_path),
    ):
        t0 = time.perf_counter()
        systems[label] = run_checks(flag_contexts(rows, embedder, flagger, path))
        seconds[label] = time.perf_counter() - t0
    t0 = time.perf_counter()
    emb = embedder.encode([r["reference"] for r in rows] + [r["hypothesis"] for r in rows])
    divergence = 1.0 - np.sum(emb[:n] * emb[n:], axis=1)
    t_div = time.perf_counter() - t0

    baselines = {
        "flag everything": [[{"start": 0, "end": len(r["hypothesis"])}] for r in rows],
        "difflib unmatched": [difflib_unmatched(r["hypothesis"], r["reference"]) for r in rows],
    }
    gold = np.array([r["mqm_score"] for r in rows])
    chrf = CHRF(word_order=2)
    scores = {
        "mtcheck -divergence": list(-divergence),
        "chrF++ (sentence)": [chrf.sentence_score(r["hypothesis"], [r["reference"]]).score for r in rows],
        "-hypothesis words (length)": [-len(r["hypothesis"].split()) for r in rows],
        "-difflib unmatched words (count)": [-len(p) for p in baselines["difflib unmatched"]],
    }

    print(
        f"MQM zh-en dev, split {args.split}: {n} segments, {len({r['doc_id'] for r in rows})} documents; "
        f"source = reference, candidate = hypothesis; embedding model load {t_load:.1f}s, "
        f"sentence divergence {t_div:.1f}s"
    )
    print()
    head = f"{'spans (char-level, non-space)':28s} {'any P':>7s} {'R':>7s} {'F1':>7s}   {'Major P':>7s} {'R':>7s} {'F1':>7s}"
    print(f"{head}   {'tau(-pen)':>9s} {'flags':>6s} {'major':>6s} {'s/100 seg':>9s}")
    for label, flags in systems.items():
        r = figures(rows, flags)
        (pa, ra, fa), (pm, rm, fm) = r["any"], r["major"]
        print(
            f"{label:28s} {pa:7.4f} {ra:7.4f} {fa:7.4f}   {pm:7.4f} {rm:7.4f} {fm:7.4f}   {r['tau']:9.4f} "
            f"{r['flags']:6d} {r['major_flags']:6d} {100 * seconds[label] / n:9.2f}"
        )
    # For scale, not a system: the tagger's flags with their major ones kept only in the segments
    # where the rater found a Major error. How much Major F1 a perfect segment-level decision would
    # add; the rest is in telling which words of such a segment are the error.
    baselines["tagger, oracle segment gate"] = [
        pred
        if any(span.get("severity") == "Major" for span in row["spans"])
        else [{**p, "severity": "Minor"} for p in pred]
        for row, pred in zip(rows, (flags_to_pred(f) for f in systems["mtcheck, span tagger"]))
    ]
    for label, pred in baselines.items():
        res = span_prf(rows, pred)
        (pa, ra, fa), (pm, rm, fm) = res["all"], res["major"]
        print(f"{label:28s} {pa:7.4f} {ra:7.4f} {fa:7.4f}   {pm:7.4f} {rm:7.4f} {fm:7.4f}")
    print()
    print(f"{'other segment scores: Kendall tau-b vs mqm_score':50s} {'tau':>7s}")
    for label, vals in scores.items():
        tau = kendalltau(vals, gold, variant="b").statistic
        print(f"{label:50s} {tau:7.4f}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
