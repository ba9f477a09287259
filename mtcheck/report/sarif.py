"""SARIF 2.1.0 for a gate run: code-scanning tools (GitHub, GitLab, Azure DevOps) read it.

Each flag is a result located in the candidate file by line and column, with its source
counterpart as a related location and its fingerprint (mtcheck.fingerprint) as a partial
fingerprint, so that a code-scanning service tracks the same flag across runs. A dismissed flag
(mtcheck.review) carries an accepted external suppression; a pair that fails its thresholds
adds one result on its candidate file; a pair that could not be checked is a tool execution
notification. Columns count Unicode code points (``columnKind``), as mtcheck's offsets do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .._version import __version__
from ..gate import GateResult
from ..text import line_col
from ..types import FLAG_KINDS, Document, Flag, Span

#: The result a failed threshold gives (flags give their kind).
GATE_RULE = "gate-failed"
_RULE_TEXT = {
    "mistranslation": "A candidate span that changes the meaning of its source counterpart.",
    "omission": "Source content missing from the candidate.",
    "addition": "Candidate content with no counterpart in the source.",
    "untranslated": "Words left in another language.",
    "number": "A number, date or amount that differs from the source.",
    "name": "A name that differs from, or is missing in, the source.",
    "negation": "A negation dropped or added.",
    "terminology": "A glossary term not rendered as the glossary requires, or a forbidden term.",
    GATE_RULE: "A pair that fails the gate's thresholds (document score, coverage, flag counts).",
}
_RULES = (*FLAG_KINDS, GATE_RULE)


def _uri(path: str) -> str:
    """A URI reference for ``path``: relative paths stay relative (to the directory the gate ran
    in, which code scanning takes as the repository root), absolute ones become file URIs."""
    p = Path(path)
    return p.as_uri() if p.is_absolute() else quote(p.as_posix(), safe="/")


def _location(doc: Document, fallback: str, span: Span) -> dict[str, Any]:
    line, col = line_col(doc.raw, span.start)
    end_line, end_col = line_col(doc.raw, span.end)
    region = {
        "startLine": line,
        "startColumn": col,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": span.start,
        "charLength": span.end - span.start,
        "snippet": {"text": span.text},
    }
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(doc.path or fallback)}, "region": region}}


def _result(flag: Flag, pair: str, source: Document, candidate: Document, paths: tuple[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": flag.kind,
        "ruleIndex": _RULES.index(flag.kind),
        "level": "error" if flag.severity == "major" else "warning",
        "message": {"text": flag.message},
        "locations": [_location(candidate, paths[1], flag.candidate)],
        "partialFingerprints": {"mtcheckFlag/v1": flag.fingerprint},
        "properties": {"pair": pair, "severity": flag.severity, "score": round(flag.score, 4), "bead": flag.bead},
    }
    if flag.source is not None:
        related = _location(source, paths[0], flag.source)
        result["relatedLocations"] = [{"id": 1, **related, "message": {"text": "source counterpart"}}]
    if flag.decision == "dismissed":
        justification = flag.decision_note or "dismissed by an editor"
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": justification}]
    return result


def render_sarif(result: GateResult) -> str:
    """The gate run as a SARIF 2.1.0 log (one run). No timestamps: the same run gives the same file."""
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for o in result.outcomes:
        paths = (str(o.pair.source), str(o.pair.candidate))
        if o.report is None or o.verdict is None:
            notifications.append({"level": "error", "message": {"text": f"{o.pair.name}: {o.error}"}})
            continue
        report = o.report
        results += [_result(f, o.pair.name, report.source, report.candidate, paths) for f in report.flags]
        if not o.verdict.passed:
            uri = _uri(report.candidate.path or paths[1])
            results.append(
                {
                    "ruleId": GATE_RULE,
                    "ruleIndex": _RULES.index(GATE_RULE),
                    "level": "error",
                    "message": {"text": f"{o.pair.name}: " + "; ".join(o.verdict.reasons)},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                    "properties": {"pair": o.pair.name},
                }
            )
    rules = [{"id": rule, "name": rule, "shortDescription": {"text": _RULE_TEXT[rule]}} for rule in _RULES]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mtcheck",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
                ],
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
