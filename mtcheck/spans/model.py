"""The learned word flagger: per-word features and two small logistic models over them.

Each candidate word of a same-language pair gets the features named in :data:`FEATURES`: whether it
matched exactly or only after normalisation, how close its contextual vector comes to any source
word's and to its difflib counterpart's, stopword, capitalised, number, position, its neighbours'
values, and the precise checks' hits. Two logistic heads (trained by ``bench/train_flagger.py`` on
half of the MQM dev documents; weights in ``mtcheck/data/flagger.json``) turn them into P(word is in
a Major error) and P(word is in any error). A logistic model over few features was chosen because
it beat difflib alone on Major F1 and stays small enough to read (see DESIGN.md).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from .evidence import Evidence
from .pair import Pair
from .words import is_punct, sentence_initial, strip_punct

# The column order of the packaged weights; changing it means retraining (bench/train_flagger.py).
FEATURES = (
    "exact",
    "loose",
    "inbag",
    "maxcos",
    "ctxcos",
    "chunkcos",
    "stop",
    "cap",
    "num",
    "punct",
    "relpos",
    "loglen",
    "chunk",
    "isadd",
    "srcchunk",
    "sentcos",
    "lenratio",
    "unmatched_frac",
    "prev_exact",
    "next_exact",
    "prev_maxcos",
    "next_maxcos",
    "num_bad",
    "neg",
    "name_bad",
    "foreign",
    "first",
    "unm_maxcos",
    "unm_stop",
    "unm_cap",
)


def word_features(
    pair: Pair,
    evidence: Evidence,
    words: np.ndarray,
    swords: np.ndarray,
    sentcos: float,
    is_stop: Callable[[str], bool],
) -> np.ndarray:
    """The feature matrix (candidate words x FEATURES) of one same-language pair; ``is_stop`` is
    the language's stopword test."""
    cand, src = pair.cand, pair.src
    n, m = len(cand.words), len(src.words)
    F = np.zeros((n, len(FEATURES)), dtype=np.float32)
    if n == 0:
        return F
    sim = words @ swords.T if m else np.zeros((n, 1), dtype=np.float32)
    maxcos = sim.max(1) if m else np.zeros(n)
    src_bag = {strip_punct(src.word(k)).lower() for k in range(m)}
    chunk_cos = np.zeros(n)
    ctx_cos = np.zeros(n)
    for tag, i1, i2, j1, j2 in pair.opcodes:
        if i2 == i1:
            continue
        lo, hi = max(0, j1 - 1), min(m, j2 + 1)
        if tag == "equal":
            for d in range(i2 - i1):
                ctx_cos[i1 + d] = sim[i1 + d, j1 + d] if m else 0
        else:
            ctx_cos[i1:i2] = sim[i1:i2, lo:hi].max(1) if hi > lo else maxcos[i1:i2]
        chunk_cos[i1:i2] = ctx_cos[i1:i2].mean()
    unmatched = ~pair.loose
    num_bad = np.zeros(n)
    for s, e, _ in evidence.num_bad:
        for k, (ws, we) in enumerate(cand.words):
            if ws < e and we > s:
                num_bad[k] = 1
    neg = np.zeros(n)
    for _, i1, i2, _ in evidence.neg:
        neg[i1:i2] = 1
    for k in range(n):
        w = cand.word(k)
        tag, i1, i2, j1, j2 = pair.opcodes[pair.chunk_of[k]]
        core = strip_punct(w)
        row = {
            "exact": float(pair.exact[k]),
            "loose": float(pair.loose[k]),
            "inbag": float(core.lower() in src_bag),
            "maxcos": maxcos[k],
            "ctxcos": ctx_cos[k],
            "chunkcos": chunk_cos[k],
            "stop": float(is_stop(w)),
            "cap": float(bool(core) and core[0].isupper() and not sentence_initial(cand, k)),
            "num": float(any(ch.isdigit() for ch in w)),
            "punct": float(is_punct(w)),
            "relpos": k / max(1, n - 1),
            "loglen": math.log1p(len(core)),
            "chunk": math.log1p(i2 - i1) if tag != "equal" else 0.0,
            "isadd": float(tag == "delete"),
            "srcchunk": math.log1p(j2 - j1) if tag != "equal" else 0.0,
            "sentcos": sentcos,
            "lenratio": math.log((n + 1) / (m + 1)),
            "unmatched_frac": float(unmatched.mean()),
            "prev_exact": float(pair.exact[k - 1]) if k > 0 else 1.0,
            "next_exact": float(pair.exact[k + 1]) if k + 1 < n else 1.0,
            "prev_maxcos": maxcos[k - 1] if k > 0 else 1.0,
            "next_maxcos": maxcos[k + 1] if k + 1 < n else 1.0,
            "num_bad": num_bad[k],
            "neg": neg[k],
            "name_bad": float(k in evidence.name_bad),
            "foreign": float(k in evidence.foreign),
            "first": float(k == 0),
        }
        row["unm_maxcos"] = (1 - row["loose"]) * row["maxcos"]
        row["unm_stop"] = (1 - row["loose"]) * row["stop"]
        row["unm_cap"] = (1 - row["loose"]) * row["cap"]
        F[k] = [row[f] for f in FEATURES]
    return F


@cache
def load_model(path: str | None = None) -> dict[str, Any]:
    """The flagger weights: the packaged ones, or those in the JSON file at ``path``."""
    if path:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    else:
        data = json.loads(resources.files("mtcheck").joinpath("data/flagger.json").read_text("utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError("mtcheck/data/flagger.json was trained on other features; rerun bench/train_flagger.py")
    return data


@cache
def flagger_fingerprint() -> str:
    """sha256 prefix of the packaged flagger weights, for the report signature."""
    import hashlib

    blob = resources.files("mtcheck").joinpath("data/flagger.json").read_bytes()
    return f"sha256:{hashlib.sha256(blob).hexdigest()[:12]}"


def predict(model: dict[str, Any], F: np.ndarray, head: str) -> np.ndarray:
    """P(word is in an error) per row of ``F``, from the "major" or the "any" head."""
    h = model["heads"][head]
    z = (F - np.asarray(model["mean"])) / np.asarray(model["scale"])
    return 1.0 / (1.0 + np.exp(-(z @ np.asarray(h["coef"]) + h["intercept"])))
