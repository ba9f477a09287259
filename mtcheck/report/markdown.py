"""Markdown report: the whole alignment as a table, flags first, for pull requests and wikis."""

from __future__ import annotations

import re

from ..text import visible
from ..types import Document, Report
from .views import estimate_text, flag_counts, review_text, severity_label, worst_flags


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


def _bold_spans(raw: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``raw[start:end]`` escaped for Markdown, on one line, with each of ``spans`` (merged where
    they touch) in bold."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted((max(s, start), min(e, end)) for s, e in spans if s < end and e > start and e > s):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    parts, pos = [], start
    for s, e in merged:
        parts += [(pos, s, False), (s, e, True)]
        pos = e
    parts.append((pos, end, False))
    text = ""
    for a, b, bold in parts:
        chunk = raw[a:b]
        body = _cell(chunk)  # folds the chunk's outer spaces away: they are put back around it
        if chunk[:1].isspace() and text and not text.endswith(" "):
            text += " "
        if body:
            text += f"**{body}**" if bold else body
        if chunk[-1:].isspace() and text and not text.endswith(" "):
            text += " "
    return text.strip()


def _side(doc: Document, indices: tuple[int, ...], spans: list[tuple[int, int]]) -> str:
    if not indices:
        return "*(none)*"
    start, end = doc.sentences[indices[0]].start, doc.sentences[indices[-1]].end
    return _bold_spans(doc.raw, start, end, spans)


def render_markdown(report: Report, **_options) -> str:
    """A report for a pull-request comment: the figures as a table, the major flags grouped by
    aligned unit with the flagged words in bold on both sides, the minor ones folded away. The
    full alignment is in the JSON and HTML reports."""
    s = report.summary
    lines = [
        "## mtcheck report",
        "",
        "| figure | value |",
        "|---|---|",
        f"| MQM estimate | **{estimate_text(s)}** |",
        f"| coverage | source {s.coverage_source:.0%}, candidate {s.coverage_candidate:.0%} ({s.omissions} omitted, {s.insertions} inserted sentences) |",
        f"| flags | {flag_counts(s)}; penalty {s.penalty:g} ({s.penalty_per_100_words:.1f} per 100 words) |",
        f"| divergence | {s.divergence:.3f} (aligned text only: {s.divergence_aligned:.3f}) |",
    ]
    if s.corpus_scores:
        lines.append("| corpus scores | " + ", ".join(f"{name} {value:.1f}" for name, value in s.corpus_scores) + " |")
    lines += [
        f"| source | {_code(report.source.path or '(text)')} ({report.source.language}, {len(report.source.sentences)} sentences, {len(report.source.junk)} junk items) |",
        f"| candidate | {_code(report.candidate.path or '(text)')} ({report.candidate.language}, {len(report.candidate.sentences)} sentences, {len(report.candidate.junk)} junk items) |",
        f"| model | {_code(report.model)} |",
        "",
    ]
    review = review_text(report)
    if review is not None:
        lines += [f"> review: {_cell(review)}", ""]
    lines += [f"> note: {_cell(note)}" for note in report.notes]
    if report.notes:
        lines.append("")
    flags = worst_flags(report)
    major = [f for f in flags if f.severity == "major" and f.counts]
    if major:
        lines += [f"### Major flags ({len(major)})", ""]
        for index in sorted({f.bead for f in major}):
            bead = report.beads[index]
            here = [f for f in major if f.bead == index]
            cand_spans = [(f.candidate.start, f.candidate.end) for f in here]
            src_spans = [(f.source.start, f.source.end) for f in here if f.source is not None]
            sim = "" if bead.similarity is None else f", similarity {bead.similarity:.2f}"
            lines += [
                f"**Unit {index}** ({bead.kind}{sim})",
                f"- source: {_side(report.source, bead.source, src_spans)}",
                f"- candidate: {_side(report.candidate, bead.candidate, cand_spans)}",
            ]
            lines += [f"  - {f.kind}, {f.score:.2f}: {_cell(f.message)}" for f in here]
            lines.append("")
    rest = [f for f in flags if f not in major]
    if rest:
        lines += [
            f"<details><summary>Minor and dismissed flags ({len(rest)})</summary>",
            "",
            "| severity | kind | score | candidate | source | message |",
            "|---|---|---|---|---|---|",
        ]
        for f in rest:
            source = "" if f.source is None else _cell(f.source.text)
            lines.append(
                f"| {severity_label(f)} | {f.kind} | {f.score:.2f} | {_cell(f.candidate.text)} | {source} | {_cell(f.message)} |"
            )
        lines += ["", "</details>", ""]
    gaps = [b for b in report.beads if b.is_gap]
    if gaps:
        lines += [
            f"{len(gaps)} sentences have no counterpart ({s.omissions} omitted, {s.insertions} inserted); "
            "the HTML and JSON reports list them.",
            "",
        ]
    junk = len(report.source.junk) + len(report.candidate.junk)
    if junk:
        lines += [f"{junk} items of page junk were set aside (listed in the HTML and JSON reports).", ""]
    lines += [f"<sub>Signature: {_code(report.signature)}</sub>", ""]
    return "\n".join(lines)
