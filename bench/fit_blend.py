#!/usr/bin/env python3
"""Fit the logistic word flagger that the span tagger blends in, and the blend, on the training set.

    python bench/fit_blend.py [--train PATH] [--tagger DIR]

Writes ``DIR/flagger.json`` (default: the packaged tagger's folder) and the ``blend`` weight (of
P(major)), "major"/"minor" thresholds and "extend" threshold into ``DIR/tagger.json``, keeping
the tagger's own major threshold as "own_major" (checks.context.WordScores.own_major)
(mtcheck/spans/tagger.py and mtcheck/checks/learned.py say what they do). Steps, deterministic:

1. the logistic flagger's two heads (mtcheck.spans.model.FEATURES, bench/train_flagger.py's
   ``fit``) on the newstest2020 rows of the training documents the tagger trained on;
2. on the tagger's held-out 10% of the training documents (which neither model trained on): for
   each blend weight in a grid, the "major" and "minor" thresholds (eval_mqm.tune_thresholds),
   then the "extend" threshold, each for the best sum of any-severity F1, Major F1 and
   tau(-penalty); the weight with the best sum wins;
3. the dev set's figures at the result, through mtcheck's own code (measured, never tuned on).

About 10 minutes on one core (the word vectors of ~11,000 training rows).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import eval_mqm
import train_flagger
import train_tagger

from mtcheck.spans.model import predict
from mtcheck.spans.tagger import BLEND_FILE, META_FILE, load_tagger, packaged_directory, tagger_fingerprint

WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5)
EXTEND = (None, 0.15, 0.2, 0.25, 0.3)


def objective(rows, contexts, th) -> float:
    r = eval_mqm.figures(rows, eval_mqm.run_checks(contexts, th))
    return r["any"][2] + r["major"][2] + r["tau"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", default=str(train_tagger.TRAIN))
    ap.add_argument("--tagger", default=str(packaged_directory()))
    args = ap.parse_args(argv)

    from mtcheck.embed import get_embedder

    folder = Path(args.tagger)
    embedder = get_embedder("all-MiniLM-L6-v2")
    train, held = train_tagger.load_train(Path(args.train), "both")
    train = [r for r in train if r["testset"] == "newstest2020"]

    t0 = time.perf_counter()
    pairs = train_flagger.pair_features(train, embedder)
    model = train_flagger.fitted_model(
        pairs,
        train,
        "mtcheck word flagger blended into the span tagger: logistic regressions over "
        "mtcheck.spans.model.FEATURES, trained by bench/fit_blend.py on the newstest2020 rows of the "
        "WMT20/21 zh-en MQM training set (never the dev set)",
    )
    (folder / BLEND_FILE).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(
        f"logistic flagger: {len(train)} rows, {sum(len(F) for F, _ in pairs)} words, {time.perf_counter() - t0:.0f}s"
    )

    # the tagger alone on the held-out documents, and the flagger's probabilities beside it
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    meta.pop("blend", None)
    before = meta["thresholds"]
    meta["thresholds"] = {k: v for k, v in before.items() if k not in ("extend", "own_major")}
    # the tagger's own major threshold (back from "own_major" when the folder was blended before):
    # the name check and the error mass keep reading the tagger's own P(major) against it
    own = meta["thresholds"]["major"] = float(before.get("own_major", before["major"]))
    (folder / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    load_tagger.cache_clear()
    tagged = eval_mqm.flag_contexts(held, embedder, "tagger", str(folder))
    features = [F for F, _ in train_flagger.pair_features(held, embedder)]
    tagger = load_tagger(str(folder))

    best = None
    for w in WEIGHTS:
        tagger.blend_weight = w
        contexts = []
        for c, F in zip(tagged, features):
            if c.scores is not None:
                p = np.stack([c.scores.p_major, c.scores.p_any], axis=1)
                b = tagger.blended(p, predict(model, F, "major"))
                own_major = (c.scores.p_major, own)
                c = replace(c, scores=replace(c.scores, p_major=b[:, 0], p_any=b[:, 1], unblended=own_major))
            contexts.append(c)
        th = eval_mqm.tune_thresholds(held, contexts)
        for ext in EXTEND:
            full = {**th, **({"extend": ext} if ext is not None else {})}
            score = objective(held, contexts, full)
            print(f"held-out: blend {w:.1f} thresholds {full}: any F1 + Major F1 + tau = {score:.4f}", flush=True)
            if best is None or score > best[0]:
                best = (score, w, full)
    assert best is not None
    _, w, th = best
    meta["blend"] = w
    meta["thresholds"] = {**meta["thresholds"], **th, "own_major": own}
    (folder / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    load_tagger.cache_clear()
    tagger_fingerprint.cache_clear()
    print(f"chose blend {w} and {th}; wrote {folder / BLEND_FILE} and {folder / META_FILE}")

    for name, rows in (("held-out", held), ("dev (all)", eval_mqm.load_rows())):
        r = eval_mqm.figures(rows, eval_mqm.run_checks(eval_mqm.flag_contexts(rows, embedder, "tagger", str(folder))))
        (pa, ra, fa), (pm, rm, fm) = r["any"], r["major"]
        print(
            f"{name}: any P {pa:.4f} R {ra:.4f} F1 {fa:.4f}  Major P {pm:.4f} R {rm:.4f} F1 {fm:.4f}  tau {r['tau']:.4f}"
        )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
