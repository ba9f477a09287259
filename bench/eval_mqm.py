#!/usr/bin/env python3
"""Evaluate mtcheck's span flags and penalty on the MQM zh-en dev set (reference vs hypothesis).

    python bench/eval_mqm.py [--data PATH] [--limit N] [--split dev|test|all]

Each row is one segment: the English reference is the source, the MT hypothesis the candidate
(a same-language pair, one sentence each, model loaded once, all rows batched). Printed, from one run:

* character-level P/R/F1 over non-space characters, exactly as ``score_spans.py`` computes them:
  all flags vs all gold spans, and major flags vs Major gold spans; for mtcheck and two baselines
  (flag everything; hypothesis words difflib leaves unmatched in the reference);
* segment-level Kendall tau-b (scipy) against the rater's ``mqm_score`` of -penalty, of
  -divergence (1 - cosine of the two sentence embeddings), and of three baselines: sentence
  chrF++ (sacrebleu CHRF(word_order=2)), minus the hypothesis word count, minus the count of
  difflib-unmatched hypothesis words.

``--split dev`` is the half of the documents the flagger was trained and tuned on, ``test`` the
other half (documents sorted by doc_id, alternating), ``all`` both.
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--model-path", default=None, help="a flagger JSON other than the packaged one")
    args = ap.parse_args(argv)

    import numpy as np
    from sacrebleu.metrics import CHRF
    from scipy.stats import kendalltau

    from mtcheck.checks import flag_beads
    from mtcheck.config import CheckConfig
    from mtcheck.embed import get_embedder
    from mtcheck.summary import penalty

    rows = load_rows(args.data, args.split, args.limit)
    config = CheckConfig()
    embedder = get_embedder("all-MiniLM-L6-v2")
    t0 = time.perf_counter()
    embedder.encode(["warm up"])
    t_load = time.perf_counter() - t0

    t0 = time.perf_counter()
    all_flags = flag_beads(bead_inputs(rows), embedder=embedder, model_path=args.model_path)
    t_flag = time.perf_counter() - t0
    t0 = time.perf_counter()
    emb = embedder.encode([r["reference"] for r in rows] + [r["hypothesis"] for r in rows])
    n = len(rows)
    divergence = 1.0 - np.sum(emb[:n] * emb[n:], axis=1)
    t_div = time.perf_counter() - t0

    weights = dict(config.severity_weights)
    preds = {
        "mtcheck": [flags_to_pred(f) for f in all_flags],
        "flag everything": [[{"start": 0, "end": len(r["hypothesis"])}] for r in rows],
        "difflib unmatched": [difflib_unmatched(r["hypothesis"], r["reference"]) for r in rows],
    }
    gold = np.array([r["mqm_score"] for r in rows])
    chrf = CHRF(word_order=2)
    scores = {
        "mtcheck -penalty": [-penalty(f, weights) for f in all_flags],
        "mtcheck -divergence": list(-divergence),
        "chrF++ (sentence)": [chrf.sentence_score(r["hypothesis"], [r["reference"]]).score for r in rows],
        "-hypothesis words": [-len(r["hypothesis"].split()) for r in rows],
        "-difflib unmatched words": [-len(p) for p in preds["difflib unmatched"]],
    }

    n_flags = sum(len(f) for f in all_flags)
    n_major = sum(f.severity == "major" for fl in all_flags for f in fl)
    print(
        f"MQM zh-en dev, split {args.split}: {n} segments, {len({r['doc_id'] for r in rows})} documents; "
        f"source = reference, candidate = hypothesis"
    )
    print(
        f"mtcheck: {n_flags} flags ({n_major} major); model load {t_load:.1f}s, "
        f"flagging {t_flag:.1f}s ({n / max(t_flag, 1e-9):.0f} segments/s), divergence {t_div:.1f}s"
    )
    print()
    print(
        f"{'spans (char-level, non-space)':32s} {'any P':>7s} {'R':>7s} {'F1':>7s}   {'Major P':>7s} {'R':>7s} {'F1':>7s}"
    )
    for name, pred in preds.items():
        res = span_prf(rows, pred)
        (pa, ra, fa), (pm, rm, fm) = res["all"], res["major"]
        print(f"{name:32s} {pa:7.4f} {ra:7.4f} {fa:7.4f}   {pm:7.4f} {rm:7.4f} {fm:7.4f}")
    print()
    print(f"{'segment Kendall tau-b vs mqm_score':40s} {'tau':>7s}")
    for name, vals in scores.items():
        tau = kendalltau(vals, gold, variant="b").statistic
        print(f"{name:40s} {tau:7.4f}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
