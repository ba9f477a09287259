"""Renderers of a gate run: the summary table for people, JUnit XML for CI. They never print."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..gate import GateResult, Outcome
from ..text import line_col, visible
from .views import estimate_value


def _why(outcome: Outcome) -> str:
    """Why a pair did not pass, one line (control characters shown, not obeyed: XML 1.0 and
    terminals both choke on them)."""
    if outcome.error is not None:
        return visible(outcome.error)
    assert outcome.verdict is not None
    return visible("; ".join(outcome.verdict.reasons))


def render_gate_table(result: GateResult, *, width: int = 120, color: bool = False) -> str:
    """One row per pair: document score, coverage, flags, pass/fail and why; then the totals."""
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=color, no_color=not color, highlight=False)
    table = Table(show_lines=False)
    for name in ("pair", "MQM estimate", "coverage src / cand", "major", "minor", "result", "why"):
        table.add_column(name, overflow="fold")
    styles = {"pass": "green", "fail": "red", "error": "bold red"}
    for o in result.outcomes:
        status = f"[{styles[o.status]}]{o.status}[/]"
        why = escape(_why(o))
        if o.report is None:
            table.add_row(escape(visible(o.pair.name)), "", "", "", "", status, "see below")
            continue
        s = o.report.summary
        table.add_row(
            escape(visible(o.pair.name)),
            estimate_value(s),
            f"{s.coverage_source:.0%} / {s.coverage_candidate:.0%}",
            str(s.flags_major),
            str(s.flags_minor),
            status,
            why,
        )
    console.print(table)
    # errors name paths, too long for a table cell: one whole line each, for logs and greps
    for o in result.outcomes:
        if o.error is not None:
            console.print(f"{escape(visible(o.pair.name))}: error: {escape(_why(o))}", soft_wrap=True)
    for o in result.outcomes:
        review = None if o.report is None else o.report.review
        if review is not None and review.stale:
            where = f" in {review.decisions}" if review.decisions else ""
            console.print(
                f"{escape(visible(o.pair.name))}: {len(review.stale)} stale decision{'s' if len(review.stale) > 1 else ''}"
                f"{escape(visible(where))} (they match no flag now)",
                soft_wrap=True,
            )
    counts = {k: sum(o.status == k for o in result.outcomes) for k in ("pass", "fail", "error")}
    console.print(
        f"{len(result.outcomes)} pairs: {counts['pass']} passed, {counts['fail']} failed, {counts['error']} errors"
    )
    return out.getvalue()


def render_junit(result: GateResult) -> str:
    """JUnit XML: one test case per pair; a failure carries the reasons, an error its message.

    No timestamps or durations, so the same run gives the same file.
    """
    failures = sum(o.status == "fail" for o in result.outcomes)
    suite = ET.Element(
        "testsuite",
        name="mtcheck gate",
        tests=str(len(result.outcomes)),
        failures=str(failures),
        errors=str(result.errors),
    )
    for o in result.outcomes:
        case = ET.SubElement(suite, "testcase", classname="mtcheck.gate", name=visible(o.pair.name))
        if o.status == "fail":
            assert o.verdict is not None
            failure = ET.SubElement(case, "failure", message=_why(o), type="threshold")
            failure.text = "\n".join(visible(r) for r in o.verdict.reasons)
        elif o.status == "error":
            error = ET.SubElement(case, "error", message=_why(o), type="input")
            error.text = _why(o)
        else:
            assert o.report is not None
            out = ET.SubElement(case, "system-out")
            s = o.report.summary
            out.text = f"MQM estimate {estimate_value(s)}; {s.flags_major} major, {s.flags_minor} minor flags"
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _command_data(text: str) -> str:
    """A workflow command's message, escaped as the GitHub runner reads it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    """A workflow command's property value (file, title), escaped."""
    return _command_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: GateResult) -> str:
    """GitHub Actions workflow commands: an annotation per flag at its place in the candidate file
    (major: error, minor: warning), and one per pair that failed or could not be checked."""
    lines = []
    for o in result.outcomes:
        if o.error is not None:
            lines.append(f"::error title={_command_property('mtcheck: ' + o.pair.name)}::{_command_data(_why(o))}")
            continue
        assert o.report is not None and o.verdict is not None
        cand = o.report.candidate
        path = _command_property(cand.path or str(o.pair.candidate))
        for flag in o.report.flags:
            if not flag.counts:
                continue  # dismissed by an editor: nothing to annotate
            line, col = line_col(cand.raw, flag.candidate.start)
            end_line, end_col = line_col(cand.raw, flag.candidate.end)
            level = "error" if flag.severity == "major" else "warning"
            title = _command_property(f"mtcheck {flag.severity} {flag.kind}")
            place = f"file={path},line={line},col={col},endLine={end_line},endColumn={end_col}"
            lines.append(f"::{level} {place},title={title}::{_command_data(visible(flag.message))}")
        if not o.verdict.passed:
            lines.append(
                f"::error file={path},title={_command_property('mtcheck gate failed')}::{_command_data(_why(o))}"
            )
    return "".join(line + "\n" for line in lines)
