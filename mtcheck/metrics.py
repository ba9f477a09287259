"""Surface metrics for one aligned pair, via sacrebleu, behind a name-to-class registry.

Surface metrics only mean something when both sides are in the same language; the pipeline
skips them otherwise and says so in the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar


class PairMetric:
    """One sacrebleu metric, scored sentence by sentence. Subclasses set ``name`` and ``_make``."""

    name: ClassVar[str]
    higher_is_better: ClassVar[bool] = True

    def __init__(self) -> None:
        self._metric = self._make()
        self._signature: str | None = None

    @staticmethod
    def _make():
        raise NotImplementedError

    def sentence(self, candidate: str, source: str) -> float:
        return float(self._metric.sentence_score(candidate, [source]).score)

    def corpus(self, candidates: Sequence[str], sources: Sequence[str]) -> float:
        return float(self._metric.corpus_score(list(candidates), [list(sources)]).score)

    def signature(self) -> str:
        """sacrebleu's own signature string (it is only known after one evaluation)."""
        if self._signature is None:
            self._metric.sentence_score("a", ["a"])
            self._signature = str(self._metric.get_signature())
        return self._signature


class ChrF(PairMetric):
    name = "chrf"

    @staticmethod
    def _make():
        from sacrebleu.metrics import CHRF

        return CHRF()


class Bleu(PairMetric):
    name = "bleu"

    @staticmethod
    def _make():
        from sacrebleu.metrics import BLEU

        # Effective order: sentence BLEU without it is zero for most short sentences.
        return BLEU(effective_order=True)


class Ter(PairMetric):
    name = "ter"
    higher_is_better = False

    @staticmethod
    def _make():
        from sacrebleu.metrics import TER

        return TER()


METRICS: dict[str, type[PairMetric]] = {m.name: m for m in (ChrF, Bleu, Ter)}


def make_metrics(names: Sequence[str]) -> list[PairMetric]:
    return [METRICS[name]() for name in names]
