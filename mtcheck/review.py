"""Editors' decisions about flags: read them, apply them to a report, write a baseline.

A decisions file (JSON, ``mtcheck/schemas/decisions-1.schema.json``) lists, per flag fingerprint,
"confirmed" (a real error) or "dismissed" (not one), with an optional note, who and when. The
HTML report's review panel exports it; ``mtcheck check --decisions FILE`` and ``mtcheck gate``
read it; ``mtcheck gate --write-baseline`` writes one that accepts every current flag, so that a
gate can be adopted on existing content and fail only on what is new (as linters' baselines do).

Applying decisions is a stage of its own, Report -> Report: a dismissed flag stays in the report,
marked, and counts toward nothing (flag counts, penalty, the MQM estimate, a gate's thresholds);
a confirmed one is marked and counts as before; decisions that match no flag are listed as
stale. Fingerprints are keyed by what was flagged, not where (mtcheck.fingerprint), so decisions
survive a re-run and edits elsewhere in the article.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import InputError
from .partial import left_out, source_end
from .summary import flag_figures
from .types import DECISION_KINDS, Bead, Decision, Flag, Report, Review

__all__ = ["DECISIONS_SCHEMA", "Decisions", "read_decisions", "render_decisions", "apply_decisions", "baseline"]

#: The ``schema`` value of a decisions file.
DECISIONS_SCHEMA = "mtcheck.decisions/1"
_FIELDS = ("fingerprint", "decision", "note", "by", "at", "kind", "text")


@dataclass(frozen=True)
class Decisions:
    """The decisions of one file, in file order (the last one for a fingerprint wins).

    Attributes:
        entries: the decisions.
        origin: where they came from (a path), for the report; "" when made in memory.
    """

    entries: tuple[Decision, ...] = ()
    origin: str = ""

    def by_fingerprint(self) -> dict[str, Decision]:
        return {d.fingerprint: d for d in self.entries}

    def digest(self) -> str:
        """12 hex digits naming what the decisions do (fingerprint, decision, note), for the
        report's signature: the same decisions in another order or layout give the same digest."""
        effective = sorted((d.fingerprint, d.decision, d.note) for d in self.by_fingerprint().values())
        return hashlib.sha256(json.dumps(effective, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


def _entry(path: str, k: int, item: Any) -> Decision:
    if not isinstance(item, dict):
        raise InputError(f"{path}: decision {k} is not an object")
    unknown = sorted(set(item) - set(_FIELDS))
    if unknown:
        raise InputError(f"{path}: decision {k} has an unknown key {unknown[0]!r}")
    if not isinstance(item.get("fingerprint"), str) or not item["fingerprint"].startswith("fp1:"):
        raise InputError(f'{path}: decision {k} has no flag fingerprint ("fp1:...", from a report\'s JSON)')
    if item.get("decision") not in DECISION_KINDS:
        raise InputError(f'{path}: decision {k}: "decision" must be {" or ".join(DECISION_KINDS)}')
    bad = [key for key in _FIELDS[2:] if not isinstance(item.get(key, ""), str)]
    if bad:
        raise InputError(f"{path}: decision {k}: {bad[0]!r} must be a string")
    return Decision(**{key: item[key] for key in _FIELDS if key in item})


def parse_decisions(text: str, origin: str = "") -> Decisions:
    """Decisions from the text of a decisions file.

    Raises:
        InputError: not JSON, or not a decisions file (one line saying what is wrong).
    """
    where = origin or "decisions"
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{where}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != DECISIONS_SCHEMA:
        raise InputError(f'{where}: not an mtcheck decisions file (expected "schema": "{DECISIONS_SCHEMA}")')
    items = data.get("decisions")
    if not isinstance(items, list):
        raise InputError(f'{where}: "decisions" must be a list')
    return Decisions(tuple(_entry(where, k, item) for k, item in enumerate(items, start=1)), origin)


def read_decisions(path: str | Path) -> Decisions:
    """The decisions in ``path``.

    Raises:
        InputError: the file cannot be read or is not a decisions file.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InputError(f"{path}: cannot read decisions ({reason})") from None
    return parse_decisions(text, str(path))


def render_decisions(decisions: Decisions) -> str:
    """A decisions file's text (JSON, two-space indent, one decision per object)."""
    data = {"schema": DECISIONS_SCHEMA, "decisions": [d.to_dict() for d in decisions.entries]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _undo_mass(beads: Sequence[Bead], flags: Iterable[Flag]) -> tuple[Bead, ...]:
    """``beads`` with the error mass under dismissed flags taken back."""
    taken: dict[int, float] = {}
    for f in flags:
        if not f.counts:
            taken[f.bead] = taken.get(f.bead, 0.0) + f.error_mass
    return tuple(
        replace(b, error_mass=max(b.error_mass - taken[k], 0.0)) if k in taken and b.error_mass is not None else b
        for k, b in enumerate(beads)
    )


def apply_decisions(report: Report, decisions: Decisions) -> Report:
    """``report`` with ``decisions`` applied (see the module's docstring).

    The summary's flag-dependent figures are recomputed without dismissed flags; the signature
    gains ``review:`` and the decisions' digest, so that a reviewed report is never mistaken for
    an unreviewed one.
    """
    chosen = decisions.by_fingerprint()
    flags = tuple(
        replace(f, decision=chosen[f.fingerprint].decision, decision_note=chosen[f.fingerprint].note)
        if f.fingerprint in chosen
        else f
        for f in report.flags
    )
    beads = _undo_mass(report.beads, flags)
    cut = left_out(source_end(report.source, report.candidate, beads))
    weights = dict(report.settings).get("severity_weights", {})
    figures = flag_figures(report.candidate, beads, flags, weights, report.model, cut)
    summary = replace(report.summary, **figures)
    present = {f.fingerprint for f in flags}
    review = Review(
        decisions=decisions.origin,
        confirmed=sum(f.decision == "confirmed" for f in flags),
        dismissed=figures["flags_dismissed"],
        stale=tuple(d for d in chosen.values() if d.fingerprint not in present),
    )
    signature = f"{report.signature}|review:{decisions.digest()}"
    return replace(report, beads=beads, flags=flags, summary=summary, review=review, signature=signature)


def baseline(report: Report, existing: Decisions | None = None, *, by: str = "", at: str = "") -> Decisions:
    """``existing`` decisions, kept as they are, plus a dismissal of every flag of ``report`` that
    none of them decides: the baseline that lets a gate pass on today's content and fail on what
    is new. Nothing already decided is changed or dropped."""
    kept = existing.entries if existing is not None else ()
    decided = {d.fingerprint for d in kept}
    added = tuple(
        Decision(
            f.fingerprint, "dismissed", "baseline: accepted when the gate was adopted", by, at, f.kind, f.candidate.text
        )
        for f in report.flags
        if f.fingerprint not in decided
    )
    return Decisions(kept + added, existing.origin if existing is not None else "")
