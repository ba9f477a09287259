"""Document-level figures of a check: the MQM estimate, coverage, similarity, divergence, corpus
scores, penalty.

Definitions are in README, "Scores".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .config import CheckConfig
from .embed import DEFAULT_ENGLISH, USEM3
from .metrics import PairMetric
from .text import word_count
from .types import Bead, Document, Flag, Summary


@dataclass(frozen=True)
class EstimateWeights:
    """How :func:`mqm_estimate` turns one embedding model's similarities into penalty points.

    Attributes:
        dissimilarity: points per word of a bead per unit its similarity falls short of
            ``faithful_similarity`` (see :meth:`shortfall`).
        error_mass: points per unit of the word flagger's error mass (Bead.error_mass).
        faithful_similarity: the similarity a faithful rendering reaches with this model: 1 for
            a same-language model; across languages even a human translation stays far below.
        softness: how gently the shortfall fades out above ``faithful_similarity`` (0: it stops
            there). Above it a change must still count a little, or every faithful-looking
            translation would score 0 and a meaning change in one would go unseen.
    """

    dissimilarity: float
    error_mass: float
    faithful_similarity: float = 1.0
    softness: float = 0.0

    def shortfall(self, similarity: float) -> float:
        """How far ``similarity`` falls short of a faithful rendering's: ``max(faithful - similarity,
        0)``, smoothed by ``softness`` (a softplus), so that it strictly grows as similarity falls."""
        gap = self.faithful_similarity - max(similarity, 0.0)
        if not self.softness:
            return max(gap, 0.0)
        return self.softness * float(np.logaddexp(0.0, gap / self.softness))


#: Per embedding model. Fitted by bench/fit_document_score.py to the experts' MQM per 100 words
#: on the training set's held-out documents, which the span tagger never trained on: English MT
#: against its English reference for the English model (the two weights' ratio by rank agreement,
#: their scale by least squares, no intercept), the same MT against its Chinese source for the
#: multilingual one. The dev set only measures the result (bench/eval_documents.py). A model not
#: listed here gets the English weights.
ESTIMATE_WEIGHTS: dict[str, EstimateWeights] = {
    DEFAULT_ENGLISH: EstimateWeights(dissimilarity=0.599, error_mass=1.693),
    USEM3: EstimateWeights(dissimilarity=3.888, error_mass=1.693, faithful_similarity=0.69, softness=0.05),
}


def _char_weight(doc: Document, indices: Sequence[int]) -> int:
    return sum(len(doc.sentences[i].text) for i in indices)


def _word_count(doc: Document, indices: Sequence[int]) -> int:
    return sum(word_count(doc.sentences[i].text) for i in indices)


@dataclass(frozen=True)
class EstimateTerms:
    """What :func:`mqm_estimate` weighs, summed over the text it reads.

    Attributes:
        dissimilarity: words x the similarity's shortfall (EstimateWeights.shortfall), summed.
        error_mass: the word flagger's error mass.
        words: candidate words read.
    """

    dissimilarity: float
    error_mass: float
    words: int


def estimate_terms(
    cand: Document, beads: Sequence[Bead], weights: EstimateWeights, leave_out: Collection[int] = ()
) -> EstimateTerms:
    """The terms of :func:`mqm_estimate` (also what bench/fit_document_score.py fits its weights to)."""
    dissimilarity = mass = 0.0
    words = 0
    for run in _runs(beads, leave_out):
        if run[0].is_gap:
            if not (any(b.source for b in run) and any(b.candidate for b in run)):
                continue  # only omitted, or only inserted: coverage
            n = sum(_word_count(cand, b.candidate) for b in run)
            dissimilarity += n * weights.shortfall(0.0)  # similarity 0: nothing left to recognise
            words += n
            continue
        for b in run:
            n = _word_count(cand, b.candidate)
            dissimilarity += n * weights.shortfall(b.similarity or 0.0)
            mass += b.error_mass or 0.0
            words += n
    return EstimateTerms(dissimilarity, mass, words)


def mqm_estimate(
    cand: Document, beads: Sequence[Bead], model: str = DEFAULT_ENGLISH, leave_out: Collection[int] = ()
) -> float | None:
    """Estimated MQM penalty per 100 candidate words of the aligned text (0 = nothing wrong
    found; WMT's expert MQM gives news MT about 1-15).

    Each matched bead contributes ``dissimilarity x words x shortfall(similarity) + error_mass x
    its error mass`` penalty points (``model``'s ESTIMATE_WEIGHTS); the sum is divided by the words
    of those beads' candidate side. Omitted and inserted sentences are left to the coverage
    figures, except where the aligner put both in one place: a candidate sentence inserted where
    a source sentence is omitted was rewritten beyond recognition, so its words count at
    similarity 0 (else garbling a sentence a little more, until it no longer aligns, would make
    the score better). Beads in ``leave_out`` (a source sentence cut off mid-way) are left out.
    None when nothing matched.
    """
    weights = ESTIMATE_WEIGHTS.get(model, ESTIMATE_WEIGHTS[DEFAULT_ENGLISH])
    terms = estimate_terms(cand, beads, weights, leave_out)
    if not terms.words:
        return None
    points = weights.dissimilarity * terms.dissimilarity + weights.error_mass * terms.error_mass
    return 100.0 * points / terms.words


def _runs(beads: Sequence[Bead], leave_out: Collection[int]) -> list[list[Bead]]:
    """``beads`` without ``leave_out``, in maximal runs of gaps and of matched beads."""
    runs: list[list[Bead]] = []
    for k, b in enumerate(beads):
        if k in leave_out:
            runs.append([])  # a left-out bead separates the runs on either side
            continue
        if runs and runs[-1] and runs[-1][-1].is_gap == b.is_gap:
            runs[-1].append(b)
        else:
            runs.append([b])
    return [run for run in runs if run]


def summarise(
    src: Document,
    cand: Document,
    beads: Sequence[Bead],
    flags: Sequence[Flag],
    metrics: Sequence[PairMetric],
    config: CheckConfig,
    model: str = DEFAULT_ENGLISH,
    leave_out: Collection[int] = (),
) -> Summary:
    """Document-level figures (definitions in README, "Scores").

    divergence: 1 - the character-weighted mean of max(similarity, 0) over all beads, where a
    gap (omission or insertion) counts as similarity 0 and a bead weighs the characters of both
    its sides. 0 means every sentence found an identical counterpart; 1 means nothing matched.

    ``model`` (the embedding model's name) and ``leave_out`` (beads it does not read): see
    :func:`mqm_estimate`.
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
    return Summary(
        divergence=_divergence(weights, quality),
        coverage_source=covered_src / len(src.sentences),
        coverage_candidate=covered_cand / len(cand.sentences),
        mean_similarity=mean_similarity,
        beads=len(beads),
        omissions=sum(1 for b in beads if not b.candidate),
        insertions=sum(1 for b in beads if not b.source),
        corpus_scores=corpus_scores,
        divergence_aligned=_divergence(weights[is_matched], quality[is_matched]),
        **flag_figures(cand, beads, flags, config.severity_weights, model, leave_out),
    )


def flag_figures(
    cand: Document,
    beads: Sequence[Bead],
    flags: Sequence[Flag],
    severity_weights: Mapping[str, float] | Iterable[tuple[str, float]],
    model: str = DEFAULT_ENGLISH,
    leave_out: Collection[int] = (),
) -> dict[str, Any]:
    """The Summary fields that flags and error mass move: the MQM estimate, the penalty (also per
    100 words) and the flag counts, dismissed flags left out (mtcheck.review recomputes them when
    it applies decisions)."""
    counted = [f for f in flags if f.counts]
    total_penalty = penalty(counted, severity_weights)
    # per 100 words of what was checked, so that a long article is not worse for being long
    candidate_words = _word_count(cand, range(len(cand.sentences)))
    return {
        "mqm_estimate": mqm_estimate(cand, beads, model, leave_out),
        "penalty": total_penalty,
        "penalty_per_100_words": 100.0 * total_penalty / max(candidate_words, 1),
        "flags_major": sum(1 for f in counted if f.severity == "major"),
        "flags_minor": sum(1 for f in counted if f.severity == "minor"),
        "flags_dismissed": len(flags) - len(counted),
    }


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
