"""Terminal summary (rich): what an editor reads at a glance, worst first."""

from __future__ import annotations

import io
from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..text import shorten, visible
from ..types import Document, Report
from .views import (
    ESTIMATE_MEANING,
    estimate_value,
    flag_counts,
    gap_beads,
    review_text,
    severity_label,
    worst_flags,
    worst_matched_beads,
)


def _safe(text: str) -> str:
    """Article text for the terminal: control characters shown, not obeyed; no rich markup."""
    return escape(visible(text))


def _side_line(label: str, doc: Document) -> str:
    junk = Counter(j.reason for j in doc.junk)
    junk_text = ", ".join(f"{n} {reason}" for reason, n in sorted(junk.items())) if junk else "none"
    return (
        f"[bold]{label}[/]: {_safe(doc.path or '(text)')}  language {doc.language}, "
        f"{len(doc.sentences)} sentences; junk set aside: {_safe(junk_text)}"
    )


def render_terminal(report: Report, *, top: int = 10, width: int = 120, color: bool = False, **_options) -> str:
    """The report as terminal text (ANSI colours only when ``color``)."""
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=color, no_color=not color, highlight=False)
    s = report.summary
    console.print(_side_line("source", report.source))
    console.print(_side_line("candidate", report.candidate))
    console.print(f"[bold]model[/]: {_safe(report.model)}")
    for note in report.notes:
        console.print(f"[yellow]note[/]: {_safe(note)}")

    figures = Table(show_header=False, box=None, pad_edge=False)
    figures.add_row("[bold]MQM estimate[/]", f"[bold]{estimate_value(s)}[/]", f"({ESTIMATE_MEANING})")
    figures.add_row("divergence", f"{s.divergence:.3f}", "(0 = same meaning throughout, 1 = nothing matched)")
    figures.add_row("divergence of aligned text", f"{s.divergence_aligned:.3f}", "(matched beads only)")
    figures.add_row(
        "coverage",
        f"source {s.coverage_source:.0%}, candidate {s.coverage_candidate:.0%}",
        f"({s.omissions} omitted, {s.insertions} inserted sentences)",
    )
    if s.mean_similarity is not None:
        figures.add_row(
            "mean similarity", f"{s.mean_similarity:.3f}", f"over {s.beads - s.omissions - s.insertions} matched beads"
        )
    for name, value in s.corpus_scores:
        figures.add_row(f"corpus {name}", f"{value:.1f}", "")
    figures.add_row(
        "flags",
        flag_counts(s),
        f"penalty {s.penalty:g} ({s.penalty_per_100_words:.1f} per 100 words)",
    )
    console.print(figures)
    review = review_text(report)
    if review is not None:
        console.print(f"[bold]review[/]: {_safe(review)}", soft_wrap=True)  # one line, for greps

    flags = worst_flags(report, top)
    if flags:
        table = Table(title=f"Flags, worst first ({len(flags)} of {len(report.flags)})", title_justify="left")
        table.add_column("sev")
        table.add_column("kind")
        table.add_column("conf", justify="right")
        table.add_column("candidate @offset")
        table.add_column("message")
        for f in flags:
            table.add_row(
                severity_label(f),
                f.kind,
                f"{f.score:.2f}",
                _safe(f"{shorten(f.candidate.text, 40)!r} @{f.candidate.start}"),
                _safe(shorten(f.message, 70)),
            )
        console.print(table)

    worst = worst_matched_beads(report, top)
    if worst:
        table = Table(
            title=f"Least similar aligned sentences ({len(worst)} of {s.beads - s.omissions - s.insertions})",
            title_justify="left",
        )
        table.add_column("#", justify="right")
        table.add_column("kind")
        table.add_column("sim", justify="right")
        table.add_column("chrF", justify="right")
        table.add_column("source")
        table.add_column("candidate")
        for view in worst:
            chrf = view.bead.score("chrf")
            table.add_row(
                str(view.index),
                view.bead.kind,
                f"{view.bead.similarity:.2f}",
                "-" if chrf is None else f"{chrf:.0f}",
                _safe(shorten(view.source_text, 60)),
                _safe(shorten(view.candidate_text, 60)),
            )
        console.print(table)

    gaps = gap_beads(report)
    if gaps:
        console.print(f"[bold]Unmatched sentences[/] ({len(gaps)}):")
        for view in gaps[:top]:
            side, text = (
                ("omitted from candidate", view.source_text)
                if view.bead.source
                else ("only in candidate", view.candidate_text)
            )
            console.print(f"  #{view.index} {side}: {_safe(shorten(text, 90))}")
        if len(gaps) > top:
            console.print(f"  ... and {len(gaps) - top} more (see the JSON or Markdown report)")
    console.print(f"[dim]signature: {_safe(report.signature)}[/]")
    return out.getvalue()
