"""Document-level figures of a check: coverage, similarity, divergence, corpus scores, penalty.

Definitions are in README, "Scores".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .config import CheckConfig
from .metrics import PairMetric
from .types import Bead, Document, Flag, Summary


def _char_weight(doc: Document, indices: Sequence[int]) -> int:
    return sum(len(doc.sentences[i].text) for i in indices)


def summarise(
    src: Document,
    cand: Document,
    beads: Sequence[Bead],
    flags: Sequence[Flag],
    metrics: Sequence[PairMetric],
    config: CheckConfig,
) -> Summary:
    """Document-level figures (definitions in README, "Scores").

    divergence: 1 - the character-weighted mean of max(similarity, 0) over all beads, where a
    gap (omission or insertion) counts as similarity 0 and a bead weighs the characters of both
    its sides. 0 means every sentence found an identical counterpart; 1 means nothing matched.
    """
    matched = [b for b in beads if not b.is_gap]
    covered_src = sum(len(b.source) for b in matched)
    covered_cand = sum(len(b.candidate) for b in matched)
    weights = np.array([_char_weight(src, b.source) + _char_weight(cand, b.candidate) for b in beads], float)
    quality = np.array([0.0 if b.is_gap else max(b.similarity or 0.0, 0.0) for b in beads])
    is_matched = np.array([not b.is_gap for b in beads], bool)
    mean_similarity = float(np.mean([b.similarity for b in matched])) if matched else None
    corpus_scores: tuple[tuple[str, float], ...] = ()
    if metrics and matched:
        hyps = [cand.joined(b.candidate) for b in matched]
        refs = [src.joined(b.source) for b in matched]
        corpus_scores = tuple((m.name, m.corpus(hyps, refs)) for m in metrics)
    total_penalty = penalty(flags, config.severity_weights)
    # per 100 words of what was checked, so that a long article is not worse for being long
    candidate_words = sum(len(s.text.split()) for s in cand.sentences)
    return Summary(
        divergence=_divergence(weights, quality),
        coverage_source=covered_src / len(src.sentences),
        coverage_candidate=covered_cand / len(cand.sentences),
        mean_similarity=mean_similarity,
        beads=len(beads),
        omissions=sum(1 for b in beads if not b.candidate),
        insertions=sum(1 for b in beads if not b.source),
        penalty=total_penalty,
        penalty_per_100_words=100.0 * total_penalty / max(candidate_words, 1),
        flags_major=sum(1 for f in flags if f.severity == "major"),
        flags_minor=sum(1 for f in flags if f.severity == "minor"),
        corpus_scores=corpus_scores,
        divergence_aligned=_divergence(weights[is_matched], quality[is_matched]),
    )


def _divergence(weights: np.ndarray, quality: np.ndarray) -> float:
    """1 - the weighted mean quality, in [0, 1]; 1 when there is nothing to weigh."""
    if not weights.sum():
        return 1.0
    return min(max(1.0 - float((weights * quality).sum() / weights.sum()), 0.0), 1.0)


def penalty(flags: Iterable[Flag], weights: Mapping[str, float] | Iterable[tuple[str, float]]) -> float:
    """Sum of the severity weights of ``flags`` (``{"major": 5, "minor": 1}`` by default in
    CheckConfig.severity_weights)."""
    w = dict(weights)
    return float(sum(w.get(f.severity, 0.0) for f in flags))
