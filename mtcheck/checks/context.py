"""What every check of one bead reads: a frozen :class:`BeadContext`, built once per bead.

For a same-language bead the context carries the word alignment (difflib over normalised words),
the precise checks' evidence (which the learned flagger also uses as features) and the learned
flagger's per-word probabilities, so that each check only turns these into flags. For a
cross-language bead, or an inserted sentence with no source, only the two sides and the
languages' packs are there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from ..glossary import Glossary
from ..lang import LanguagePack, is_stopword
from ..spans.evidence import Evidence
from ..spans.foreign import WordPieces
from ..spans.pair import Pair
from ..spans.words import Side
from ..types import Bead, Document, Flag, FlagKind

#: When a bead check runs: on same-language beads, cross-language beads, or candidate sentences
#: with no source at all (insertions).
Scope = Literal["same-language", "cross-language", "inserted"]


@dataclass(frozen=True)
class WordVectors:
    """Each word of a same-language bead read in its sentence by the model.

    Attributes:
        candidate: (candidate words, dim) L2-normalised contextual word vectors.
        source: (source words, dim) the same for the source side.
        sentence_cosine: the cosine between the two sides' sentence vectors.
    """

    candidate: np.ndarray
    source: np.ndarray
    sentence_cosine: float


@dataclass(frozen=True)
class WordScores:
    """The learned flagger's view of a same-language bead's candidate words.

    Attributes:
        p_major: P(word is in a Major error), per candidate word.
        p_any: P(word is in any error), per candidate word.
        thresholds: "major" and "minor" probability thresholds (and "omission_major_words").
        unblended: the span tagger's own P(major) per word and its threshold, where ``p_major``
            blends its logistic flagger in (see spans.tagger); None where they are ``p_major`` and
            ``thresholds["major"]``.
    """

    p_major: np.ndarray
    p_any: np.ndarray
    thresholds: Mapping[str, float]
    unblended: tuple[np.ndarray, float] | None = None

    @property
    def own_major(self) -> tuple[np.ndarray, float]:
        """P(major) per word and its threshold on the scale that the name check's severity and the
        error mass were tuned on: the flagger's own, unblended. The blend (and its threshold) was
        fitted to the learned check's words only (bench/fit_blend.py); read by the precise checks
        and the MQM estimate, it ranked the training set's held-out articles worse."""
        return self.unblended or (self.p_major, self.thresholds["major"])


@dataclass(frozen=True)
class BeadContext:
    """Everything a bead check may read about one bead. Built once, never changed.

    Attributes:
        bead: the bead's index in the report.
        candidate: the candidate side (its sentences joined by spaces, mapped back to raw offsets).
        source: the source side (no words for an inserted sentence).
        scope: which kind of bead this is, and so which checks run.
        source_language: langdetect code of the source ("" when unknown).
        candidate_language: langdetect code of the candidate.
        source_pack: the source language's pack, or None for a language without one.
        candidate_pack: the candidate language's pack, or None.
        word_pieces: the embedder's subword splitter (judges all-ASCII foreign words), or None.
        alignment: same-language only: the word alignment.
        evidence: same-language only: the precise checks' findings.
        scores: same-language only: the learned flagger's probabilities.
    """

    bead: int
    candidate: Side
    source: Side
    scope: Scope
    source_language: str
    candidate_language: str
    source_pack: LanguagePack | None
    candidate_pack: LanguagePack | None
    word_pieces: WordPieces | None = None
    alignment: Pair | None = None
    evidence: Evidence | None = None
    scores: WordScores | None = None

    @property
    def pack(self) -> LanguagePack | None:
        """The candidate's language pack: the language its words are judged in."""
        return self.candidate_pack

    def is_stop(self, word: str) -> bool:
        """``word`` is a function word of the candidate's language (never, without a pack)."""
        return is_stopword(self.candidate_pack, word)

    def same_language(self) -> tuple[Pair, Evidence, WordScores]:
        """The alignment, evidence and scores, which every same-language bead has."""
        if self.alignment is None or self.evidence is None or self.scores is None:
            raise ValueError(f"bead {self.bead} is not a same-language bead")
        return self.alignment, self.evidence, self.scores


@dataclass(frozen=True)
class CheckResult:
    """A bead check's flags, and the candidate words they claim: a word claimed by an earlier
    check (in registry order) is not flagged again by a later one."""

    flags: tuple[Flag, ...] = ()
    claimed: frozenset[int] = frozenset()


class BeadCheck(Protocol):
    """One check over one bead. Register an instance in ``mtcheck.checks.BEAD_CHECKS``.

    Attributes:
        name: the name reports list under ``checks``.
        kinds: the flag kinds it raises.
        scopes: the kinds of bead it runs on.
        needs_pack: it cannot run without the language's pack (the report then says so).
    """

    # Read-only properties, so that plain class attributes satisfy the protocol.
    @property
    def name(self) -> str: ...

    @property
    def kinds(self) -> tuple[FlagKind, ...]: ...

    @property
    def scopes(self) -> frozenset[Scope]: ...

    @property
    def needs_pack(self) -> bool: ...

    def run(self, context: BeadContext, claimed: frozenset[int]) -> CheckResult:
        """Flags for this bead; ``claimed`` holds candidate words earlier checks flagged."""
        ...


@dataclass(frozen=True)
class DocumentContext:
    """What a whole-document check reads: both documents, all the beads, and the glossary given
    for this check, if any (mtcheck.glossary)."""

    source: Document
    candidate: Document
    beads: tuple[Bead, ...]
    glossary: Glossary | None = None


class DocumentCheck(Protocol):
    """A check over whole beads (gaps, outliers, terminology). Register it in
    ``mtcheck.checks.DOCUMENT_CHECKS``. ``needs_glossary``: it runs (and reports list it) only
    when a glossary is given."""

    @property
    def name(self) -> str: ...

    @property
    def kinds(self) -> tuple[FlagKind, ...]: ...

    @property
    def needs_glossary(self) -> bool: ...

    def run(self, context: DocumentContext) -> list[Flag]: ...
