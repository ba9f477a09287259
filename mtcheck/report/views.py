"""What every human-facing renderer shows, computed once: beads worst first, flags worst first."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..text import fold_space, word_spans
from ..types import Bead, Flag, Report, Summary


@dataclass(frozen=True)
class BeadView:
    index: int
    bead: Bead
    source_text: str
    candidate_text: str


def bead_view(report: Report, index: int) -> BeadView:
    bead = report.beads[index]
    return BeadView(
        index=index,
        bead=bead,
        source_text=report.source.joined(bead.source),
        candidate_text=report.candidate.joined(bead.candidate),
    )


def worst_matched_beads(report: Report, limit: int | None = None) -> list[BeadView]:
    """Matched beads, least similar first (ties in reading order)."""
    order = sorted(
        (i for i, b in enumerate(report.beads) if not b.is_gap),
        key=lambda i: (report.beads[i].similarity, i),
    )
    return [bead_view(report, i) for i in order[:limit]]


def gap_beads(report: Report) -> list[BeadView]:
    """Omissions and insertions, in reading order."""
    return [bead_view(report, i) for i, b in enumerate(report.beads) if b.is_gap]


def worst_flags(report: Report, limit: int | None = None) -> list[Flag]:
    """Flags, dismissed ones last; major before minor, then by confidence, then reading order."""
    ranked = sorted(report.flags, key=lambda f: (not f.counts, f.severity != "major", -f.score, f.candidate.start))
    return ranked[:limit]


def severity_label(flag: Flag) -> str:
    """The flag's severity, and an editor's decision about it if there is one."""
    return flag.severity if flag.decision is None else f"{flag.severity} ({flag.decision})"


def flag_counts(summary: Summary) -> str:
    """The flag counts, as every renderer words them."""
    dismissed = f", {summary.flags_dismissed} dismissed" if summary.flags_dismissed else ""
    return f"{summary.flags_major} major, {summary.flags_minor} minor{dismissed}"


def review_text(report: Report) -> str | None:
    """What the editors' decisions did, in one line; None when none were applied."""
    r = report.review
    if r is None:
        return None
    stale = f"; {len(r.stale)} stale (match no flag now)" if r.stale else ""
    source = f" from {r.decisions}" if r.decisions else ""
    return f"decisions{source}: {r.confirmed} confirmed, {r.dismissed} dismissed{stale}"


#: What the document score means, as every renderer words it (README, "Scores").
ESTIMATE_MEANING = "estimated penalty points per 100 words of aligned text; 0 = nothing wrong found"


def estimate_value(summary: Summary) -> str:
    """The document score, printed; "none" when no sentence aligned."""
    return "none" if summary.mqm_estimate is None else f"{summary.mqm_estimate:.1f}"


def estimate_text(summary: Summary) -> str:
    """The document score with its meaning, in one phrase."""
    if summary.mqm_estimate is None:
        return "none (no sentence aligned)"
    return f"{estimate_value(summary)} {ESTIMATE_MEANING}"


#: The start of the note mtcheck.partial writes when the source stops early.
_PARTIAL_NOTE = "source appears to end at"


def partial_note(report: Report) -> str | None:
    """The report's note that the source appears to stop early, if it has one."""
    return next((n for n in report.notes if n.startswith(_PARTIAL_NOTE)), None)


@dataclass(frozen=True)
class Excerpt:
    """A flagged stretch with some text on either side, on one line: ``before``, ``text``, ``after``
    (cut with "…" at the outer ends)."""

    before: str
    text: str
    after: str


def excerpt(raw: str, start: int, end: int, width: int = 60) -> Excerpt:
    """The characters ``raw[start:end]`` centred in about ``width`` characters of their context, so
    that the changed words stay visible however long the sentence is."""
    text = fold_space(raw[start:end])
    room = max(width - len(text), 0)
    left, right = room // 2, room - room // 2
    head, tail = max(0, start - left), min(len(raw), end + right)
    before, after = " ".join(raw[head:start].split()), " ".join(raw[end:tail].split())
    if before and head > 0:
        before = "…" + before[1:]
    if after and tail < len(raw):
        after = after[:-1] + "…"
    # keep the spaces that part the flag from its context
    if before and raw[start - 1 : start].isspace():
        before += " "
    if after and raw[end : end + 1].isspace():
        after = " " + after
    return Excerpt(before, text, after)


def reworded(report: Report, index: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The words of matched bead ``index`` that differ between its sides (difflib over case-folded
    words), as raw (start, end) spans of the source and of the candidate: what changed, whether or
    not mtcheck thinks it matters. Empty for a gap."""
    bead = report.beads[index]
    if bead.is_gap:
        return [], []
    sides = []
    for doc, indices in ((report.source, bead.source), (report.candidate, bead.candidate)):
        words = [
            (s.start + a, s.start + b, word.casefold())
            for i in indices
            for s in (doc.sentences[i],)
            for a, b, word in word_spans(s.text)
        ]
        sides.append(words)
    src, cand = sides
    matcher = difflib.SequenceMatcher(None, [w[2] for w in src], [w[2] for w in cand], autojunk=False)
    src_changed, cand_changed = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        src_changed += [(w[0], w[1]) for w in src[i1:i2]]
        cand_changed += [(w[0], w[1]) for w in cand[j1:j2]]
    return src_changed, cand_changed
