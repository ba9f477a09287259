"""What every human-facing renderer shows, computed once: beads worst first, flags worst first."""

from __future__ import annotations

from dataclasses import dataclass

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
