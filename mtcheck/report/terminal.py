"""Terminal summary (rich): what an editor reads at a glance, worst first."""

from __future__ import annotations

import io
from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..text import line_col, shorten, visible
from ..types import Document, Report
from .views import (
    ESTIMATE_MEANING,
    Excerpt,
    estimate_value,
    excerpt,
    flag_counts,
    gap_beads,
    review_text,
    reworded,
    severity_label,
    worst_flags,
    worst_matched_beads,
)

#: The narrowest the terminal report lays itself out for.
MIN_WIDTH = 80


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


def _marked(ex: Excerpt) -> str:
    """An excerpt with the flagged words in bold: rich markup, the article text escaped."""
    return f"{_safe(ex.before)}[bold underline]{_safe(ex.text)}[/]{_safe(ex.after)}"


def _where(doc: Document, offset: int) -> str:
    line, col = line_col(doc.raw, offset)
    return f"{line}:{col}"


def render_terminal(
    report: Report,
    *,
    top: int = 10,
    width: int = 100,
    color: bool = False,
    severity: str | None = None,
    **_options,
) -> str:
    """The report as terminal text, ``width`` columns wide (at least 80; ANSI colours only when
    ``color``): the document score first, then the ``top`` worst flags (of ``severity`` only, if
    given) with their changed words in context, the least similar units and the unmatched ones."""
    width = max(width, MIN_WIDTH)
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=color, no_color=not color, highlight=False)
    s = report.summary
    console.print(f"[bold]MQM estimate {estimate_value(s)}[/] ({ESTIMATE_MEANING})")
    console.print(
        f"coverage: source {s.coverage_source:.0%}, candidate {s.coverage_candidate:.0%} "
        f"({s.omissions} omitted, {s.insertions} inserted sentences); flags: {flag_counts(s)}, "
        f"penalty {s.penalty:g} ({s.penalty_per_100_words:.1f} per 100 words)"
    )
    corpus = "".join(f", corpus {name} {value:.1f}" for name, value in s.corpus_scores)
    similarity = "" if s.mean_similarity is None else f", mean similarity {s.mean_similarity:.3f}"
    console.print(
        f"[dim]divergence {s.divergence:.3f} (aligned text {s.divergence_aligned:.3f}){similarity}{corpus}[/]"
    )
    review = review_text(report)
    if review is not None:
        console.print(f"[bold]review[/]: {_safe(review)}", soft_wrap=True)  # one line, for greps
    for note in report.notes:
        console.print(f"[yellow]note[/]: {_safe(note)}")

    chosen = [f for f in worst_flags(report) if severity is None or f.severity == severity]
    flags = chosen[:top]
    if flags:
        what = f"{severity} flags" if severity else "Flags"
        table = Table(title=f"{what}, worst first ({len(flags)} of {len(chosen)})", title_justify="left", expand=True)
        table.add_column("sev", no_wrap=True)
        table.add_column("kind", no_wrap=True)
        table.add_column("conf", justify="right", no_wrap=True)
        table.add_column("at", no_wrap=True)
        table.add_column("candidate, in context", ratio=3)
        table.add_column("source", ratio=2)
        room = max(width // 2 - 10, 30)
        for f in flags:
            cand = excerpt(report.candidate.raw, f.candidate.start, f.candidate.end, room)
            src = (
                ""
                if f.source is None
                else _marked(excerpt(report.source.raw, f.source.start, f.source.end, room // 2 + 10))
            )
            table.add_row(
                severity_label(f),
                f.kind,
                f"{f.score:.2f}",
                _where(report.candidate, f.candidate.start),
                _marked(cand) if f.candidate.text else f"[dim](missing here)[/] {_marked(cand)}",
                src,
            )
        console.print(table)

    worst = worst_matched_beads(report, top)
    if worst:
        table = Table(
            title=f"Least similar aligned sentences ({len(worst)} of {s.beads - s.omissions - s.insertions})",
            title_justify="left",
            expand=True,
        )
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("sim", justify="right", no_wrap=True)
        table.add_column("source")
        table.add_column("candidate")
        room = 2 * ((width - 22) // 2) - 4  # two lines of each text column
        for view in worst:
            src_changed, cand_changed = reworded(report, view.index)
            table.add_row(
                str(view.index),
                f"{view.bead.similarity:.2f}",
                _around_change(report.source, view.bead.source, src_changed, room),
                _around_change(report.candidate, view.bead.candidate, cand_changed, room),
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
            console.print(f"  #{view.index} {side}: {_safe(shorten(text, width - 30))}")
        if len(gaps) > top:
            console.print(f"  ... and {len(gaps) - top} more (see the JSON or Markdown report)")
    console.print(_side_line("source", report.source))
    console.print(_side_line("candidate", report.candidate))
    console.print(f"[bold]model[/]: {_safe(report.model)}")
    console.print(f"[dim]signature: {_safe(report.signature)}[/]")
    return out.getvalue()


def _around_change(doc: Document, indices, changed: list[tuple[int, int]], room: int) -> str:
    """A unit's side shortened around its first changed words (they stay visible), in bold."""
    if not indices:
        return ""
    start, end = doc.sentences[indices[0]].start, doc.sentences[indices[-1]].end
    if not changed:
        return _safe(shorten(doc.raw[start:end], room))
    first, last = changed[0]
    for _, change_end in changed[1:]:  # the changes close to the first, in one stretch
        if change_end - first > room // 2:
            break
        last = change_end
    return _marked(excerpt(doc.raw[start:end], first - start, last - start, room))
