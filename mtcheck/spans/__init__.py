"""Flags inside one aligned bead: which candidate spans probably changed the meaning.

Two layers:

* **A learned word flagger** (same-language pairs). Candidate and source words are aligned with
  difflib over case-, punctuation- and spelling-normalised words (:mod:`.pair`). Every candidate
  word then gets features from its contextual vector (:mod:`.vectors`) and from the precise checks,
  and two small logistic models give it P(in a Major error) and P(in any error) (:mod:`.model`).
  Words above the Major threshold become major flags, words above the any-error threshold minor
  flags; runs of flagged words inside one difflib chunk become one flag, whose source counterpart
  is that chunk's source side (:mod:`.flags`). Paraphrases ("spokesman" / "spokesperson") keep a
  high contextual cosine and so a low probability; meaning changes ("boarded" / "addressed") do not.
* **Precise checks**, for same- and cross-language pairs: numbers, times and dates that differ
  after normalisation (``mtcheck.numbers``); negation added or dropped; names (capitalised words)
  with no counterpart; words in another script or language than the candidate's (:mod:`.foreign`);
  and, same-language only, content words omitted or added (:mod:`.checks`, :mod:`.cross_language`).
  A precise flag takes precedence over a learned flag on the same words.

Multi-sentence beads are handled by joining each side's sentences with one space and mapping every
offset back into the raw text (:mod:`.words`). All model calls of many beads are batched in
:func:`flag_beads`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from ..embed import Embedder, TokenVectors
from ..types import Flag, Span
from .checks import same_language_checks
from .cross_language import cross_language_flags
from .flags import same_language_flags, untranslated_flags
from .foreign import WordPieces
from .model import FEATURES, flagger_fingerprint, load_model, predict, word_features
from .pair import Pair
from .vectors import contextual_word_vectors, word_pieces_of
from .words import Side, base_language

__all__ = [
    "BeadInput",
    "flag_bead",
    "flag_beads",
    "checks_run",
    "flagger_fingerprint",
    "penalty",
    "pair_features",
    "untranslated_flags",
    "word_features",
    "FEATURES",
]

SAME_LANGUAGE_CHECKS = ("substitution", "omission", "addition", "number", "name", "negation", "untranslated")
CROSS_LANGUAGE_CHECKS = ("number", "name", "negation", "untranslated")


def checks_run(cross_language: bool) -> tuple[str, ...]:
    """Names of the checks :func:`flag_bead` runs for a same- or cross-language pair."""
    return CROSS_LANGUAGE_CHECKS if cross_language else SAME_LANGUAGE_CHECKS


def penalty(flags: Iterable[Flag], weights: Mapping[str, float] | Iterable[tuple[str, float]]) -> float:
    """Sum of the severity weights of ``flags`` (``{"major": 5, "minor": 1}`` by default in
    CheckConfig.severity_weights)."""
    w = dict(weights)
    return float(sum(w.get(f.severity, 0.0) for f in flags))


@dataclass(frozen=True)
class BeadInput:
    """One aligned bead for :func:`flag_beads`: both raw texts and the bead's sentence spans."""

    source_raw: str
    source_spans: Sequence[Span]
    candidate_raw: str
    candidate_spans: Sequence[Span]
    bead_index: int = 0
    cross_language: bool = False
    source_language: str | None = None
    candidate_language: str | None = None


def flag_bead(
    source_raw: str,
    source_spans: Sequence[Span],
    candidate_raw: str,
    candidate_spans: Sequence[Span],
    *,
    bead_index: int,
    embedder: Embedder,
    cross_language: bool,
    config: Any = None,
    source_language: str | None = None,
    candidate_language: str | None = None,
) -> list[Flag]:
    """Flags for one aligned bead; see :func:`flag_beads`, which batches many."""
    bead = BeadInput(source_raw, tuple(source_spans), candidate_raw, tuple(candidate_spans), bead_index,
                     cross_language, source_language, candidate_language)
    return flag_beads([bead], embedder=embedder, config=config)[0]


def flag_beads(beads: Sequence[BeadInput], *, embedder: Embedder, config: Any = None,
               model_path: str | None = None, thresholds: Mapping[str, float] | None = None,
               tokens: Mapping[str, TokenVectors] | None = None,
               ) -> list[list[Flag]]:
    """Flags for many beads, with one batched model pass over all their same-language texts.

    Args:
        beads: the beads; sentence spans are offsets into each bead's raw texts, and a bead with
            several sentences on a side is treated as one text (sentences joined by a space).
        embedder: an Embedder; a sentence-transformers one gives contextual token vectors, any
            other is used for static word vectors. Only used for same-language beads.
        config: a CheckConfig (unused fields are ignored); may be None.
        model_path: a flagger JSON other than the packaged one (for training and tests).
        thresholds: override the packaged "major"/"minor" probability thresholds.
        tokens: word-piece vectors the embed stage already has, by sentence text
            (``Embedded.tokens``); texts not in it are read by the model here.

    Returns:
        one list of flags per bead, each sorted by candidate offset; flag offsets are into the raw
        texts.
    """
    results: list[list[Flag]] = [[] for _ in beads]
    same: list[tuple[int, Pair]] = []
    word_pieces = word_pieces_of(embedder)
    for b, bead in enumerate(beads):
        cand = Side.build(bead.candidate_raw, bead.candidate_spans)
        src = Side.build(bead.source_raw, bead.source_spans)
        if not cand.words:
            continue
        if bead.cross_language:
            results[b] = cross_language_flags(cand, src, bead.bead_index, bead.source_language,
                                              bead.candidate_language)
            continue
        english = base_language(bead.candidate_language or "en") == "en"
        same.append((b, _prepare(cand, src, word_pieces, english)))
    if not same:
        return results
    model = load_model(model_path)
    th = dict(model["thresholds"])
    if thresholds:
        th.update(thresholds)
    _add_features([pair for _, pair in same], embedder, tokens)
    for b, pair in same:
        p_major = predict(model, pair.features, "major")
        p_any = predict(model, pair.features, "any")
        results[b] = same_language_flags(pair, p_major, p_any, th, beads[b].bead_index)
    return results


def pair_features(beads: Sequence[BeadInput], embedder: Embedder) -> list[tuple[np.ndarray, Pair]]:
    """Feature matrices of same-language beads, for training (bench/train_flagger.py)."""
    word_pieces = word_pieces_of(embedder)
    pairs = [_prepare(Side.build(b.candidate_raw, b.candidate_spans), Side.build(b.source_raw, b.source_spans),
                      word_pieces) for b in beads]
    _add_features(pairs, embedder)
    return [(pair.features, pair) for pair in pairs]


def _prepare(cand: Side, src: Side, word_pieces: WordPieces | None, english: bool = True) -> Pair:
    """Align a same-language pair word by word and run its precise checks."""
    pair = Pair.align(cand, src)
    pair.checks = same_language_checks(pair, word_pieces, english)
    return pair


def _add_features(pairs: Sequence[Pair], embedder: Embedder, tokens: Mapping[str, TokenVectors] | None = None) -> None:
    """Set every pair's ``features``, with one batched model pass over the texts not in ``tokens``."""
    sides = [s for p in pairs for s in (p.cand, p.src)]
    wvecs, svecs = contextual_word_vectors(embedder, sides, tokens)
    for k, pair in enumerate(pairs):
        sentcos = float(svecs[2 * k] @ svecs[2 * k + 1]) if pair.src.words else 0.0
        pair.features = word_features(pair, wvecs[2 * k], wvecs[2 * k + 1], sentcos)
