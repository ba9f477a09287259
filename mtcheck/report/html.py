"""HTML side-by-side page where an editor reviews flagged spans.

Everything taken from the articles is escaped (jinja2 autoescape): the pages come from the open
web. Highlights are cut from the raw text at the flags' own offsets, so what is marked is exactly
what the JSON report points at.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape

from ..types import Document, Flag, Report
from .views import estimate_text, flag_counts, review_text, severity_label, worst_flags


@dataclass(frozen=True)
class Piece:
    """A run of text, highlighted when ``flag`` is set."""

    text: str
    flag: int | None = None
    severity: str = ""
    title: str = ""


def _pieces(doc: Document, indices, marks: list[tuple[int, int, int, Flag]]) -> list[list[Piece]]:
    """Each sentence of ``indices`` cut into plain and highlighted pieces."""
    out = []
    for i in indices:
        sent = doc.sentences[i]
        inside = sorted((s, e, n, f) for s, e, n, f in marks if s < sent.end and e > sent.start)
        pieces, pos = [], sent.start
        for s, e, n, f in inside:
            s, e = max(s, pos), min(e, sent.end)
            if s >= e:
                continue  # overlaps a highlight already placed
            if s > pos:
                pieces.append(Piece(doc.raw[pos:s]))
            pieces.append(Piece(doc.raw[s:e], n, f.severity, f"{f.kind}, {f.severity}: {f.message}"))
            pos = e
        if pos < sent.end:
            pieces.append(Piece(doc.raw[pos : sent.end]))
        out.append(pieces)
    return out


def render_html(report: Report, **_options) -> str:
    env = Environment(
        loader=PackageLoader("mtcheck", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    ranked = worst_flags(report)
    # A highlight carries its flag's number in the worst-first table, so the two can be matched.
    cand_marks = [(f.candidate.start, f.candidate.end, n, f) for n, f in enumerate(ranked, 1)]
    src_marks = [(f.source.start, f.source.end, n, f) for n, f in enumerate(ranked, 1) if f.source is not None]
    rows = [
        {
            "index": index,
            "bead": bead,
            "source": _pieces(report.source, bead.source, src_marks),
            "candidate": _pieces(report.candidate, bead.candidate, cand_marks),
        }
        for index, bead in enumerate(report.beads)
    ]
    return env.get_template("report.html.j2").render(
        report=report,
        s=report.summary,
        estimate=estimate_text(report.summary),
        flags=ranked,
        rows=rows,
        flag_counts=flag_counts(report.summary),
        review=review_text(report),
        severity_label=severity_label,
    )
