"""The frozen dataclasses that flow between pipeline stages.

Every offset is a character offset into the raw text as read (after decoding), so an editor's
highlight lands on exactly the characters read from disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args


@dataclass(frozen=True)
class Span:
    """A stretch of one raw text: ``raw[start:end] == text``."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"span {self.start}..{self.end} has {len(self.text)} characters of text, "
                f"expected {self.end - self.start}"
            )

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def of(cls, raw: str, start: int, end: int) -> Span:
        """The span of ``raw`` between ``start`` and ``end``."""
        return cls(start, end, raw[start:end])


@dataclass(frozen=True)
class Junk(Span):
    """Page junk set aside by the cleaner; ``reason`` names the rule that caught it."""

    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "reason": self.reason}


@dataclass(frozen=True)
class Document:
    """One side of a pair: the raw text and what the cleaner and segmenter made of it.

    Attributes:
        raw: the text exactly as read (after decoding).
        sentences: content sentences in reading order, offsets into ``raw``.
        junk: page junk set aside, offsets into ``raw``; never silently dropped.
        language: ISO 639-1 code from langdetect, or "unknown".
        path: where the text came from, if a file.
        encoding: the encoding it was decoded with, if read from a file.
    """

    raw: str
    sentences: tuple[Span, ...]
    junk: tuple[Junk, ...] = ()
    language: str = "unknown"
    path: str | None = None
    encoding: str | None = None

    def __post_init__(self) -> None:
        for span in (*self.sentences, *self.junk):
            if self.raw[span.start : span.end] != span.text:
                raise ValueError(f"span {span.start}..{span.end} does not match the raw text")

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    def joined(self, indices) -> str:
        """The text of several sentences as one, joined by a space (how a bead's side is read)."""
        return " ".join(self.sentences[i].text for i in indices)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "encoding": self.encoding,
            "language": self.language,
            "characters": len(self.raw),
            "sentences": [s.to_dict() for s in self.sentences],
            "junk": [j.to_dict() for j in self.junk],
        }


@dataclass(frozen=True)
class Bead:
    """One alignment unit: source sentence indices against candidate sentence indices.

    Either side may be empty (an omission "1-0" or an insertion "0-1"). ``similarity`` is the
    embedding cosine of the merged sides, ``None`` for gaps. ``scores`` holds surface metrics
    (chrF, BLEU, TER) where they were computed. ``error_mass`` is the evidence of major errors in
    the candidate side (see mtcheck.checks.error_mass; ``None`` where no word flagger read the
    bead: gaps, cross-language pairs, flagging off). ``moved`` marks a source sentence found
    elsewhere in the candidate (mtcheck.align): the bead stands at the candidate's place in
    the reading order and its kind is "moved".
    """

    source: tuple[int, ...]
    candidate: tuple[int, ...]
    similarity: float | None = None
    scores: tuple[tuple[str, float], ...] = ()
    error_mass: float | None = None
    moved: bool = False

    def __post_init__(self) -> None:
        if not self.source and not self.candidate:
            raise ValueError("a bead needs at least one sentence")
        if self.moved and (not self.source or not self.candidate):
            raise ValueError("a moved bead has sentences on both sides")
        if (self.similarity is None) != (not self.source or not self.candidate):
            raise ValueError("similarity is given exactly when both sides are non-empty")

    @property
    def kind(self) -> str:
        return "moved" if self.moved else f"{len(self.source)}-{len(self.candidate)}"

    @property
    def is_gap(self) -> bool:
        return not self.source or not self.candidate

    def score(self, name: str) -> float | None:
        return dict(self.scores).get(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": list(self.source),
            "candidate": list(self.candidate),
            "kind": self.kind,
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "scores": {k: round(v, 4) for k, v in self.scores},
            "error_mass": None if self.error_mass is None else round(self.error_mass, 4),
        }


#: What a flag says went wrong; checks declare the kinds they raise (mtcheck.checks).
FlagKind = Literal[
    "mistranslation", "omission", "addition", "untranslated", "number", "name", "negation", "terminology"
]
Severity = Literal["major", "minor"]
#: An editor's decision about a flag (mtcheck.review): a real error, or not one.
DecisionKind = Literal["confirmed", "dismissed"]
FLAG_KINDS: tuple[FlagKind, ...] = get_args(FlagKind)
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
DECISION_KINDS: tuple[DecisionKind, ...] = get_args(DecisionKind)


@dataclass(frozen=True)
class Flag:
    """A likely error inside one aligned bead.

    Attributes:
        kind: one of FLAG_KINDS.
        severity: "major" or "minor".
        candidate: the flagged candidate span (offsets into the raw candidate); for an omission,
            the candidate words next to which something is missing (may be empty-width).
        source: the source counterpart (offsets into the raw source); None for additions.
        score: confidence in [0, 1].
        message: one line for a person.
        bead: index of the bead the flag belongs to.
        fingerprint: stable identity across runs (mtcheck.fingerprint); empty until the
            pipeline sets it.
        error_mass: this flag's share of its bead's error mass (the word flagger's evidence
            under its words, see mtcheck.checks.error_mass), which a dismissal takes back.
        decision: an editor's decision about it (mtcheck.review), None when undecided. A
            dismissed flag stays in the report and counts toward no figure.
        decision_note: the note that came with the decision.
    """

    kind: FlagKind
    severity: Severity
    candidate: Span
    source: Span | None
    score: float
    message: str
    bead: int
    fingerprint: str = ""
    error_mass: float = 0.0
    decision: DecisionKind | None = None
    decision_note: str = ""

    @property
    def counts(self) -> bool:
        """Whether the flag counts toward the summary and a gate's thresholds (not dismissed)."""
        return self.decision != "dismissed"

    def __post_init__(self) -> None:
        if self.decision is not None and self.decision not in DECISION_KINDS:
            raise ValueError(f"unknown decision {self.decision!r}")
        if self.kind not in FLAG_KINDS:
            raise ValueError(f"unknown flag kind {self.kind!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"flag score {self.score} is outside [0, 1]")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "candidate": self.candidate.to_dict(),
            "source": None if self.source is None else self.source.to_dict(),
            "score": round(self.score, 4),
            "message": self.message,
            "bead": self.bead,
            "fingerprint": self.fingerprint,
            "error_mass": round(self.error_mass, 4),
            "decision": self.decision,
            "decision_note": self.decision_note,
        }


@dataclass(frozen=True)
class Summary:
    """Document-level figures; see README "Scores" for definitions."""

    divergence: float
    coverage_source: float
    coverage_candidate: float
    mean_similarity: float | None
    beads: int
    omissions: int
    insertions: int
    penalty: float = 0.0
    flags_major: int = 0
    flags_minor: int = 0
    corpus_scores: tuple[tuple[str, float], ...] = ()
    divergence_aligned: float = 0.0
    penalty_per_100_words: float = 0.0
    mqm_estimate: float | None = None
    flags_dismissed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "mqm_estimate": None if self.mqm_estimate is None else round(self.mqm_estimate, 4),
            "divergence": round(self.divergence, 4),
            "divergence_aligned": round(self.divergence_aligned, 4),
            "coverage_source": round(self.coverage_source, 4),
            "coverage_candidate": round(self.coverage_candidate, 4),
            "mean_similarity": None if self.mean_similarity is None else round(self.mean_similarity, 4),
            "beads": self.beads,
            "omissions": self.omissions,
            "insertions": self.insertions,
            "penalty": round(self.penalty, 4),
            "penalty_per_100_words": round(self.penalty_per_100_words, 4),
            "flags_major": self.flags_major,
            "flags_minor": self.flags_minor,
            "flags_dismissed": self.flags_dismissed,
            "corpus_scores": {k: round(v, 4) for k, v in self.corpus_scores},
        }


@dataclass(frozen=True)
class Decision:
    """An editor's decision about one flag, as a decisions file holds it (mtcheck.review).

    Attributes:
        fingerprint: the flag's fingerprint (Flag.fingerprint).
        decision: "confirmed" (a real error) or "dismissed" (not one; it no longer counts).
        note: why, for the next reader.
        by: who decided.
        at: when (ISO 8601).
        kind: the flag's kind when decided, for people reading the file.
        text: the flagged candidate text when decided, likewise.
    """

    fingerprint: str
    decision: DecisionKind
    note: str = ""
    by: str = ""
    at: str = ""
    kind: str = ""
    text: str = ""

    def __post_init__(self) -> None:
        if self.decision not in DECISION_KINDS:
            raise ValueError(f"unknown decision {self.decision!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "decision": self.decision,
            "note": self.note,
            "by": self.by,
            "at": self.at,
            "kind": self.kind,
            "text": self.text,
        }


@dataclass(frozen=True)
class Review:
    """What applying a decisions file did to a report.

    Attributes:
        decisions: where the decisions came from (a path, or "" when given in memory).
        confirmed: flags marked confirmed.
        dismissed: flags marked dismissed (they count toward no figure).
        stale: decisions that match no flag of this report (the flagged text changed, or the
            flag is gone), for someone to delete or re-decide.
    """

    decisions: str
    confirmed: int
    dismissed: int
    stale: tuple[Decision, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "decisions": self.decisions,
            "confirmed": self.confirmed,
            "dismissed": self.dismissed,
            "stale": [d.to_dict() for d in self.stale],
        }


@dataclass(frozen=True)
class Report:
    """Everything one check found; ``to_dict()`` feeds every renderer."""

    source: Document
    candidate: Document
    beads: tuple[Bead, ...]
    flags: tuple[Flag, ...]
    summary: Summary
    signature: str
    model: str
    notes: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    settings: tuple[tuple[str, Any], ...] = field(default=())
    review: Review | None = None

    def to_dict(self) -> dict[str, Any]:
        from ._version import __version__
        from .schema import SCHEMA_ID

        return {
            "schema": SCHEMA_ID,
            "mtcheck_version": __version__,
            "source": self.source.to_dict(),
            "candidate": self.candidate.to_dict(),
            "model": self.model,
            "beads": [b.to_dict() for b in self.beads],
            "flags": [f.to_dict() for f in self.flags],
            "summary": self.summary.to_dict(),
            "checks": list(self.checks),
            "notes": list(self.notes),
            "settings": dict(self.settings),
            "review": None if self.review is None else self.review.to_dict(),
            "signature": self.signature,
        }
