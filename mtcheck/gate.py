"""A quality gate over many article pairs: find the pairs, check each, judge each against thresholds.

Library code: no printing, no exiting; :mod:`mtcheck.cli` renders the outcome and maps it to an
exit code. One process checks every pair, so each embedding model loads once (``get_embedder``
keeps it), and a pair that cannot be read or checked is recorded as an error without stopping
the others.

A pairs folder holds one subfolder per pair with ``source.*`` and ``candidate.*`` (the layout of
the bundled ``pairs/``); a path that is itself such a subfolder is one pair. A manifest (``.toml``
with ``[[pair]]`` tables, ``.csv`` with a header row, or ``.jsonl`` with an object a line) lists
pairs by ``source`` and ``candidate`` (relative to the manifest's folder), with an optional
``name`` and any threshold of :class:`Thresholds` for that pair alone.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .config import CheckConfig
from .errors import InputError, MtcheckError
from .types import FLAG_KINDS, Report

__all__ = ["Pair", "Thresholds", "Verdict", "Outcome", "find_pairs", "judge", "run_gate"]


@dataclass(frozen=True)
class Pair:
    """One source/candidate pair to check; ``name`` is how reports and CI name it.

    ``problem`` says what is wrong with a folder that holds only half a pair: such a pair is
    reported as an error, not skipped.
    """

    name: str
    source: Path
    candidate: Path
    problem: str | None = None
    thresholds: tuple[tuple[str, Any], ...] = ()  # this pair's own thresholds (from a manifest)


@dataclass(frozen=True)
class Thresholds:
    """What a pair must meet to pass; ``None`` leaves a figure unchecked.

    Attributes:
        max_mqm_estimate: the document score (summary.mqm_estimate, MQM points per 100 words).
        min_coverage_source: share of the source's characters that found a counterpart.
        min_coverage_candidate: share of the candidate's characters that found a counterpart.
        max_major: major flags.
        max_penalty_per_100_words: summary.penalty_per_100_words.
        fail_kinds: flag kinds that fail the pair whenever one is raised (e.g. number, negation).
    """

    max_mqm_estimate: float | None = None
    min_coverage_source: float | None = None
    min_coverage_candidate: float | None = None
    max_major: int | None = None
    max_penalty_per_100_words: float | None = None
    fail_kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = [k for k in self.fail_kinds if k not in FLAG_KINDS]
        if unknown:
            raise InputError(f"unknown flag kind {unknown[0]!r}; choose from {', '.join(FLAG_KINDS)}")
        for name in ("min_coverage_source", "min_coverage_candidate"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= value <= 1.0:
                raise InputError(f"{name} must be between 0 and 1, not {value}")
        for name in ("max_mqm_estimate", "max_major", "max_penalty_per_100_words"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise InputError(f"{name} must not be negative, not {value}")


@dataclass(frozen=True)
class Verdict:
    """Whether a report meets the thresholds, and every reason it does not (one line each)."""

    passed: bool
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """One pair's result: a report and its verdict, or the error that stopped its check."""

    pair: Pair
    report: Report | None = None
    verdict: Verdict | None = None
    error: str | None = None

    @property
    def status(self) -> str:
        """ "pass", "fail" or "error"."""
        if self.error is not None:
            return "error"
        return "pass" if self.verdict is not None and self.verdict.passed else "fail"


@dataclass(frozen=True)
class GateResult:
    """Every pair's outcome, in the order the pairs were found (sorted by name)."""

    outcomes: tuple[Outcome, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return all(o.status == "pass" for o in self.outcomes)

    @property
    def errors(self) -> int:
        return sum(o.status == "error" for o in self.outcomes)


def _side(folder: Path, stem: str) -> Path | None:
    matches = sorted(p for p in folder.glob(f"{stem}.*") if p.is_file())
    return matches[0] if matches else None


def _pair_in(folder: Path, name: str) -> Pair | None:
    source, candidate = _side(folder, "source"), _side(folder, "candidate")
    if source is None or candidate is None:
        return None
    return Pair(name, source, candidate)


def find_pairs(paths: Sequence[str | Path]) -> list[Pair]:
    """The pairs under ``paths``: each a pair folder, or a folder of pair folders.

    Pairs come sorted by name (the folder's path relative to the one given, ``/``-separated), so
    the gate's summary is the same on every machine.

    Raises:
        InputError: a path does not exist, is not a folder, or holds no pair; two pairs share a
            name.
    """
    found: dict[str, Pair] = {}
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_file() and path.suffix.lower() in MANIFEST_SUFFIXES:
            for listed in read_manifest(path):
                if listed.name in found:
                    raise InputError(f"two pairs are named {listed.name!r} (in {path})")
                found[listed.name] = listed
            continue
        if not path.is_dir():
            raise InputError(
                f"{path} is neither a folder of pairs (each a subfolder with source.* and candidate.*) "
                f"nor a manifest ({', '.join(MANIFEST_SUFFIXES)})"
            )
        direct = _pair_in(path, path.name)
        pairs = [direct] if direct is not None else []
        if direct is None:
            for sub in sorted(p for p in path.iterdir() if p.is_dir()):
                pair = _pair_in(sub, sub.name)
                if pair is not None:
                    pairs.append(pair)
                elif any(sub.glob("source.*")) or any(sub.glob("candidate.*")):
                    # half a pair is a mistake worth reporting, not a folder to skip silently
                    missing = "candidate" if any(sub.glob("source.*")) else "source"
                    pairs.append(Pair(sub.name, sub, sub, f"{sub} has no {missing}.* file"))
        if not pairs:
            raise InputError(f"{path} holds no pair (a subfolder with source.* and candidate.*)")
        for pair in pairs:
            if pair.name in found:
                raise InputError(
                    f"two pairs are named {pair.name!r} ({found[pair.name].source.parent}, {pair.source.parent})"
                )
            found[pair.name] = pair
    return [found[name] for name in sorted(found)]


#: Manifest formats, by file suffix.
MANIFEST_SUFFIXES = (".toml", ".csv", ".jsonl")
_THRESHOLD_FIELDS = {f.name: f for f in fields(Thresholds)}


def _manifest_entries(path: Path) -> list[dict[str, Any]]:
    try:
        if path.suffix.lower() == ".toml":
            from .settings import tomllib

            with path.open("rb") as handle:
                entries = tomllib.load(handle).get("pair", [])
        elif path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                entries = [{k: v for k, v in row.items() if v not in (None, "")} for row in csv.DictReader(handle)]
        else:
            with path.open(encoding="utf-8") as handle:
                entries = [json.loads(line) for line in handle if line.strip()]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: cannot be read as a manifest ({exc})") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError(f"{path}: a manifest lists pairs ([[pair]] tables in TOML, rows in CSV, objects in JSONL)")
    return entries


def _threshold_value(path: Path, key: str, value: Any) -> Any:
    """A manifest's threshold value, typed (CSV gives strings; fail_kinds there are space-separated)."""
    if key == "fail_kinds":
        return tuple(value.split()) if isinstance(value, str) else tuple(value)
    try:
        return int(value) if key == "max_major" else float(value)
    except (TypeError, ValueError):
        raise InputError(f"{path}: {key} must be a number, not {value!r}") from None


def read_manifest(path: Path) -> list[Pair]:
    """The pairs a manifest lists, paths taken relative to its folder.

    Raises:
        InputError: the file cannot be read, an entry lacks source or candidate, or names an
            unknown key or a bad threshold.
    """
    pairs = []
    for k, entry in enumerate(_manifest_entries(path), start=1):
        missing = [key for key in ("source", "candidate") if key not in entry]
        if missing:
            raise InputError(f"{path}: pair {k} has no {missing[0]}")
        unknown = sorted(set(entry) - {"name", "source", "candidate"} - set(_THRESHOLD_FIELDS))
        if unknown:
            raise InputError(f"{path}: pair {k}: unknown key {unknown[0]!r}")
        own = tuple(
            sorted((key, _threshold_value(path, key, v)) for key, v in entry.items() if key in _THRESHOLD_FIELDS)
        )
        Thresholds(**dict(own))  # refuse a bad value here, naming nothing the check would
        source, candidate = path.parent / str(entry["source"]), path.parent / str(entry["candidate"])
        name = str(entry.get("name") or entry["candidate"])
        pairs.append(Pair(name, source, candidate, thresholds=own))
    if not pairs:
        raise InputError(f"{path} lists no pair")
    return pairs


def judge(report: Report, thresholds: Thresholds) -> Verdict:
    """The verdict on one report: every threshold it misses, as a reason."""
    s, t = report.summary, thresholds
    reasons = []
    if t.max_mqm_estimate is not None and s.mqm_estimate is not None and s.mqm_estimate > t.max_mqm_estimate:
        reasons.append(f"MQM estimate {s.mqm_estimate:.2f} > {t.max_mqm_estimate:g}")
    if t.min_coverage_source is not None and s.coverage_source < t.min_coverage_source:
        reasons.append(f"source coverage {s.coverage_source:.0%} < {t.min_coverage_source:.0%}")
    if t.min_coverage_candidate is not None and s.coverage_candidate < t.min_coverage_candidate:
        reasons.append(f"candidate coverage {s.coverage_candidate:.0%} < {t.min_coverage_candidate:.0%}")
    if t.max_major is not None and s.flags_major > t.max_major:
        reasons.append(f"{s.flags_major} major flags > {t.max_major}")
    if t.max_penalty_per_100_words is not None and s.penalty_per_100_words > t.max_penalty_per_100_words:
        reasons.append(f"penalty {s.penalty_per_100_words:.2f} per 100 words > {t.max_penalty_per_100_words:g}")
    for kind in t.fail_kinds:
        count = sum(f.kind == kind for f in report.flags)
        if count:
            reasons.append(f"{count} {kind} flag{'s' if count > 1 else ''}")
    return Verdict(not reasons, tuple(reasons))


def run_gate(
    pairs: Iterable[Pair],
    config: CheckConfig,
    thresholds: Thresholds,
    *,
    on_done: Callable[[Outcome], None] | None = None,
) -> GateResult:
    """Check and judge every pair; a pair that fails to read or check becomes an error outcome.

    Args:
        pairs: the pairs, in the order to check and report them.
        config: check settings for every pair.
        thresholds: what every pair must meet.
        on_done: called with each outcome as it is ready (progress display, partial reports).
    """
    from .io import read_document
    from .pipeline import check

    outcomes = []
    for pair in pairs:
        if pair.problem is not None:
            outcomes.append(Outcome(pair, error=pair.problem))
            if on_done is not None:
                on_done(outcomes[-1])
            continue
        try:
            report = check(read_document(pair.source, config), read_document(pair.candidate, config), config)
            outcome = Outcome(pair, report, judge(report, replace(thresholds, **dict(pair.thresholds))))
        except MtcheckError as exc:
            outcome = Outcome(pair, error=str(exc))
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return GateResult(tuple(outcomes))
