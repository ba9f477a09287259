"""The HTML page where an editor reviews flagged spans: one self-contained file.

Everything taken from the articles is escaped (jinja2 autoescape; the flag data for the page's
script goes through ``tojson``, which escapes ``<``, ``>``, ``&`` and quotes): the pages come from
the open web. Highlights are cut from the raw text at the flags' own offsets, so what is marked is
exactly what the JSON report points at. The page's CSS and script are inlined and allowed by their
hashes in a Content-Security-Policy that forbids everything else (no network, no other script),
so nothing from an article can run even if it got past the escaping. Without JavaScript the page
is a static report: text, highlights with tooltips, the flag table; filters, keyboard and review
need the script.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..types import Document, Flag, Report
from .views import estimate_text, flag_counts, partial_note, review_text, reworded, severity_label, worst_flags


@dataclass(frozen=True)
class Piece:
    """A run of one sentence's text and what covers it: flags (numbers, worst first), whether it
    is a flag's source counterpart, whether it was reworded (changed but not flagged)."""

    text: str
    flags: tuple[int, ...] = ()
    severity: str = ""  # the worst covering flag's severity
    first_of: tuple[int, ...] = ()  # flags that start here (their anchor)
    last_of: tuple[int, ...] = ()  # flags that end here (their number follows)
    reworded: bool = False
    title: str = ""
    point: bool = False  # an empty-width flag (an omission's place)


_Mark = tuple[int, int, int, Flag]  # start, end, flag number, flag


def _pieces(doc: Document, indices, marks: list[_Mark], changed: list[tuple[int, int]]) -> list[list[Piece]]:
    """Each sentence of ``indices`` cut at every flag and reworded-word boundary."""
    out = []
    for i in indices:
        sent = doc.sentences[i]
        inside = [
            m
            for m in marks
            if m[0] < sent.end and m[1] > sent.start or (m[0] == m[1] and sent.start <= m[0] < sent.end)
        ]
        # reworded words are cut out only where no flag covers them: a flag stays one highlight
        words = [
            (s, e) for s, e in changed if sent.start <= s < sent.end and not any(m[0] < e and m[1] > s for m in inside)
        ]
        cuts = {sent.start, sent.end}
        for s, e, _, _ in inside:
            cuts |= {min(max(s, sent.start), sent.end), min(max(e, sent.start), sent.end)}
        for s, e in words:
            cuts |= {s, min(e, sent.end)}
        points = sorted((m for m in inside if m[0] == m[1]), key=lambda m: m[2])
        pieces: list[Piece] = []
        bounds = sorted(cuts)
        for a, b in zip(bounds, bounds[1:]):
            for s, _, n, f in points:
                if s == a:
                    pieces.append(_point(n, f))
            covering = sorted(
                (m for m in inside if m[0] < b and m[1] > a),
                key=lambda m: (not m[3].counts, m[3].severity != "major", m[2]),
            )
            flags = tuple(m[2] for m in covering)
            pieces.append(
                Piece(
                    doc.raw[a:b],
                    flags,
                    _look(covering[0][3]) if covering else "",
                    tuple(m[2] for m in covering if max(m[0], sent.start) == a),
                    tuple(m[2] for m in covering if min(m[1], sent.end) == b),
                    not covering and any(s < b and e > a for s, e in words),
                    "\n".join(f"{m[2]}. {m[3].kind}, {severity_label(m[3])}: {m[3].message}" for m in covering),
                )
            )
        for s, _, n, f in points:
            if s == sent.end:
                pieces.append(_point(n, f))
        out.append(pieces)
    return out


def _look(flag: Flag) -> str:
    """How a flag is highlighted: its severity, or dismissed; confirmed ones stand out."""
    if flag.decision == "dismissed":
        return "dismissed"
    return f"{flag.severity} confirmed" if flag.decision == "confirmed" else flag.severity


def _point(number: int, flag: Flag) -> Piece:
    return Piece(
        "",
        (number,),
        _look(flag),
        (number,),
        (number,),
        title=f"{number}. {flag.kind}, {severity_label(flag)}: {flag.message}",
        point=True,
    )


def _chart(report: Report, flagged: dict[int, str]) -> dict[str, Any]:
    """A bar per bead: taller the less similar (a gap reaches the top), coloured by its worst flag."""
    bars = []
    for k, b in enumerate(report.beads):
        height = 1.0 if b.is_gap else min(max(1.0 - (b.similarity or 0.0), 0.02), 1.0)
        label = "gap" if b.is_gap else f"similarity {b.similarity:.2f}"
        bars.append(
            {
                "index": k,
                "height": round(height * 40, 1),
                "cls": flagged.get(k, "gap" if b.is_gap else "plain"),
                "label": label,
            }
        )
    return {"bars": bars, "width": max(len(bars), 1) * 6}


def _folded_ends(report: Report) -> tuple[int, int]:
    """The first and last matched bead: gap beads outside them are unaligned material, folded."""
    matched = [k for k, b in enumerate(report.beads) if not b.is_gap]
    return (matched[0], matched[-1]) if matched else (0, len(report.beads) - 1)


@cache
def _asset(name: str) -> tuple[str, str]:
    """A packaged CSS or JS file's text and its CSP hash source."""
    text = resources.files("mtcheck").joinpath(f"report/templates/{name}").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


def _flag_data(report: Report, ranked: list[Flag]) -> list[dict[str, Any]]:
    """What the page's script needs of each flag (numbered worst first, as the table shows them)."""
    return [
        {
            "n": n,
            "fingerprint": f.fingerprint,
            "kind": f.kind,
            "severity": f.severity,
            "score": round(f.score, 2),
            "message": f.message,
            "text": f.candidate.text,
            "source": None if f.source is None else f.source.text,
            "bead": f.bead,
            "decision": f.decision,
            "note": f.decision_note,
        }
        for n, f in enumerate(ranked, 1)
    ]


def review_key(report: Report) -> str:
    """Where the page keeps its decisions in the browser: the report's signature without any
    applied decisions (so a re-run with them finds the same store) and the candidate's path."""
    base = report.signature.split("|review:")[0]
    return f"mtcheck-review|{base}|{report.candidate.path or 'candidate'}"


def render_html(report: Report, **_options) -> str:
    env = Environment(
        loader=PackageLoader("mtcheck", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    ranked = worst_flags(report)
    numbers = {id(f): n for n, f in enumerate(ranked, 1)}
    cand_marks = [(f.candidate.start, f.candidate.end, numbers[id(f)], f) for f in ranked]
    src_marks = [(f.source.start, f.source.end, numbers[id(f)], f) for f in ranked if f.source is not None]
    worst_in_bead: dict[int, str] = {}
    for f in ranked:
        if f.counts and worst_in_bead.get(f.bead) != "major":
            worst_in_bead[f.bead] = f.severity
    first, last = _folded_ends(report)
    in_bead: dict[int, list[int]] = {}
    for n, f in enumerate(ranked, 1):
        in_bead.setdefault(f.bead, []).append(n)
    rows = []
    for index, bead in enumerate(report.beads):
        src_changed, cand_changed = reworded(report, index)
        rows.append(
            {
                "index": index,
                "bead": bead,
                "source": _pieces(report.source, bead.source, src_marks, src_changed),
                "candidate": _pieces(report.candidate, bead.candidate, cand_marks, cand_changed),
                "flags": in_bead.get(index, []),
                "folded": "before" if index < first else "after" if index > last else "",
            }
        )
    css, css_hash = _asset("report.css")
    js, js_hash = _asset("report.js")
    csp = (
        f"default-src 'none'; style-src {css_hash}; script-src {js_hash}; "
        "img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    kinds = sorted({f.kind for f in ranked})
    return env.get_template("report.html.j2").render(
        report=report,
        s=report.summary,
        estimate=estimate_text(report.summary),
        flags=ranked,
        rows=rows,
        flag_counts=flag_counts(report.summary),
        review=review_text(report),
        partial=partial_note(report),
        severity_label=severity_label,
        chart=_chart(report, worst_in_bead),
        kinds=kinds,
        css=css,
        js=js,
        csp=csp,
        flag_data=_flag_data(report, ranked),
        review_key=review_key(report),
    )
