"""Markdown report: the whole alignment as a table, flags first, for pull requests and wikis."""

from __future__ import annotations

import re

from ..text import visible
from ..types import Report
from .views import bead_view, estimate_text, flag_counts, review_text, severity_label, worst_flags


def _cell(text: str) -> str:
    # Article text comes from the open web: keep it from breaking the table, injecting markup,
    # or (read in a terminal) obeying control characters.
    text = " ".join(visible(text).split())
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text


def _code(text: str) -> str:
    """``text`` as an inline code span: no escaping works inside one, so the fence is made longer
    than any run of backticks in the text (CommonMark), and control characters are shown."""
    text = " ".join(visible(text).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}" if longest else f"{fence}{text}{fence}"


def render_markdown(report: Report, **_options) -> str:
    s = report.summary
    lines = [
        "# mtcheck report",
        "",
        f"- source: {_code(report.source.path or '(text)')} ({report.source.language}, {len(report.source.sentences)} sentences, {len(report.source.junk)} junk items)",
        f"- candidate: {_code(report.candidate.path or '(text)')} ({report.candidate.language}, {len(report.candidate.sentences)} sentences, {len(report.candidate.junk)} junk items)",
        f"- model: {_code(report.model)}",
        f"- MQM estimate: **{estimate_text(s)}**",
        f"- divergence: {s.divergence:.3f} (aligned text only: {s.divergence_aligned:.3f})",
        f"- coverage: source {s.coverage_source:.0%}, candidate {s.coverage_candidate:.0%} ({s.omissions} omitted, {s.insertions} inserted)",
        f"- flags: {flag_counts(s)}; penalty {s.penalty:g} ({s.penalty_per_100_words:.1f} per 100 words)",
    ]
    lines += [f"- corpus {name}: {value:.1f}" for name, value in s.corpus_scores]
    review = review_text(report)
    if review is not None:
        lines.append(f"- review: {_cell(review)}")
    lines += [f"- note: {_cell(note)}" for note in report.notes]
    flags = worst_flags(report)
    if flags:
        lines += [
            "",
            "## Flags",
            "",
            "| severity | kind | confidence | candidate | source | message |",
            "|---|---|---|---|---|---|",
        ]
        for f in flags:
            source = "" if f.source is None else f"{_cell(f.source.text)} @{f.source.start}"
            lines.append(
                f"| {severity_label(f)} | {f.kind} | {f.score:.2f} | {_cell(f.candidate.text)} @{f.candidate.start} | {source} | {_cell(f.message)} |"
            )
    lines += [
        "",
        "## Alignment",
        "",
        "| # | kind | similarity | chrF | source | candidate |",
        "|---|---|---|---|---|---|",
    ]
    for i in range(len(report.beads)):
        view = bead_view(report, i)
        sim = "" if view.bead.similarity is None else f"{view.bead.similarity:.2f}"
        chrf = view.bead.score("chrf")
        lines.append(
            f"| {i} | {view.bead.kind} | {sim} | {'' if chrf is None else f'{chrf:.0f}'} | {_cell(view.source_text)} | {_cell(view.candidate_text)} |"
        )
    for label, doc in (("source", report.source), ("candidate", report.candidate)):
        if doc.junk:
            lines += ["", f"## Junk set aside ({label})", ""]
            lines += [f"- {j.reason} @{j.start}: {_cell(j.text[:120])}" for j in doc.junk]
    lines += ["", f"Signature: {_code(report.signature)}", ""]
    return "\n".join(lines)
