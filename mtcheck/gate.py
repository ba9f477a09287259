"""A quality gate over many article pairs: find the pairs, check each, judge each against thresholds.

Library code: no printing, no exiting; :mod:`mtcheck.cli` renders the outcome and maps it to an
exit code. One process checks every pair, so each embedding model loads once (``get_embedder``
keeps it), or a pool of processes or a Dask cluster does (:func:`gate_executor`), each loading
each model once; a pair that cannot be read or checked is recorded as an error without stopping
the others.

A pairs folder holds one subfolder per pair with ``source.*`` and ``candidate.*`` (the layout of
the bundled ``pairs/``), and optionally ``decisions.json`` (editors' decisions, mtcheck.review)
and ``glossary.tsv`` or ``glossary.csv`` (terminology, mtcheck.checks.terminology); a path that is
itself such a subfolder is one pair. A manifest (``.toml`` with ``[[pair]]`` tables, ``.csv`` with
a header row, or ``.jsonl`` with an object a line) lists pairs by ``source`` and ``candidate``
(relative to the manifest's folder), with an optional ``name``, ``decisions`` and ``glossary``, and
any threshold of :class:`Thresholds` for that pair alone. A listed pair's decisions default to
``<candidate>.decisions.json`` beside the candidate.
"""

from __future__ import annotations

import contextlib
import csv
import json
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .config import CheckConfig
from .errors import ConfigError, InputError, MtcheckError
from .glossary import read_glossary
from .review import Decisions, apply_decisions, baseline, read_decisions, render_decisions
from .types import FLAG_KINDS, Report

__all__ = [
    "Pair",
    "Thresholds",
    "Verdict",
    "Outcome",
    "find_pairs",
    "auto_workers",
    "gate_executor",
    "judge",
    "run_gate",
    "write_baseline",
]


@dataclass(frozen=True)
class Pair:
    """One source/candidate pair to check; ``name`` is how reports and CI name it.

    ``problem`` says what is wrong with a folder that holds only half a pair: such a pair is
    reported as an error, not skipped. ``decisions`` is where the pair's decisions file is, or
    would be (it is read when it exists; ``--write-baseline`` writes it); ``glossary`` is its
    glossary, if it has one.
    """

    name: str
    source: Path
    candidate: Path
    problem: str | None = None
    thresholds: tuple[tuple[str, Any], ...] = ()  # this pair's own thresholds (from a manifest)
    decisions: Path | None = None
    glossary: Path | None = None


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
    checked: Report | None = None  # the report before decisions were applied (for a baseline)

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


#: The glossary file names a pair folder may hold, in the order they are looked for.
GLOSSARY_NAMES = ("glossary.tsv", "glossary.csv")
#: The decisions file of a pair folder.
DECISIONS_NAME = "decisions.json"


def _pair_in(folder: Path, name: str) -> Pair | None:
    source, candidate = _side(folder, "source"), _side(folder, "candidate")
    if source is None or candidate is None:
        return None
    glossary = next((folder / g for g in GLOSSARY_NAMES if (folder / g).is_file()), None)
    return Pair(name, source, candidate, decisions=folder / DECISIONS_NAME, glossary=glossary)


def find_pairs(paths: Sequence[str | Path], *, glossary: str | Path | None = None) -> list[Pair]:
    """The pairs under ``paths``: each a pair folder, or a folder of pair folders, or a manifest;
    ``glossary`` is the glossary of every pair that has none of its own.

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
    if glossary is not None:
        found = {name: p if p.glossary else replace(p, glossary=Path(glossary)) for name, p in found.items()}
    return [found[name] for name in sorted(found)]


#: Manifest formats, by file suffix.
MANIFEST_SUFFIXES = (".toml", ".csv", ".jsonl")
_THRESHOLD_FIELDS = {f.name: f for f in fields(Thresholds)}
#: What a manifest entry may name besides thresholds.
_PAIR_KEYS = ("name", "source", "candidate", "decisions", "glossary")


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
        unknown = sorted(set(entry) - set(_PAIR_KEYS) - set(_THRESHOLD_FIELDS))
        if unknown:
            raise InputError(f"{path}: pair {k}: unknown key {unknown[0]!r}")
        own = tuple(
            sorted((key, _threshold_value(path, key, v)) for key, v in entry.items() if key in _THRESHOLD_FIELDS)
        )
        Thresholds(**dict(own))  # refuse a bad value here, naming nothing the check would
        source, candidate = path.parent / str(entry["source"]), path.parent / str(entry["candidate"])
        name = str(entry.get("name") or entry["candidate"])
        decisions = path.parent / str(entry.get("decisions") or f"{entry['candidate']}.decisions.json")
        glossary = path.parent / str(entry["glossary"]) if entry.get("glossary") else None
        pairs.append(Pair(name, source, candidate, thresholds=own, decisions=decisions, glossary=glossary))
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
        count = sum(f.kind == kind and f.counts for f in report.flags)
        if count:
            reasons.append(f"{count} {kind} flag{'s' if count > 1 else ''}")
    return Verdict(not reasons, tuple(reasons))


def run_gate(
    pairs: Iterable[Pair],
    config: CheckConfig,
    thresholds: Thresholds,
    *,
    on_done: Callable[[Outcome], None] | None = None,
    executor: Executor | None = None,
) -> GateResult:
    """Check and judge every pair; a pair that fails to read or check becomes an error outcome.

    Args:
        pairs: the pairs, in the order to check and report them.
        config: check settings for every pair.
        thresholds: what every pair must meet.
        on_done: called with each outcome, in the pairs' order (progress display, partial reports).
        executor: where to run the checks (see :func:`gate_executor`); None: here, one by one.
            The outcomes are the same either way.
    """
    if executor is None:
        ready: Iterable[Outcome] = (_check_pair(pair, config, thresholds) for pair in pairs)
    else:
        futures = [executor.submit(_check_pair, pair, config, thresholds) for pair in pairs]
        ready = (future.result() for future in futures)  # in the pairs' order, whatever finished first
    outcomes = []
    for outcome in ready:
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return GateResult(tuple(outcomes))


#: Where a gate runs its checks (``gate --backend``).
BACKENDS = ("local", "dask")


@contextlib.contextmanager
def gate_executor(backend: str = "local", workers: int = 1, scheduler: str | None = None) -> Iterator[Executor | None]:
    """Where :func:`run_gate` sends its checks, for the length of a ``with`` block.

    Args:
        backend: "local": this machine; one process (``workers`` 1, the default: the model uses
            the cores through its own threads) or a pool of ``workers`` processes, one model
            call thread each. "dask": a Dask cluster (PyPI ``distributed``, ``mtcheck[dask]``).
        workers: processes on this machine (local), or workers of the local Dask cluster.
        scheduler: a Dask scheduler's address (``tcp://host:8786``); without it, a local
            cluster of ``workers`` processes (at least 2) is started and stopped here.

    Every worker process loads each model once, on its first pair (``get_embedder`` keeps it),
    and reads its pairs' files itself: with a remote scheduler, the pairs' paths must be
    readable on the workers (a shared checkout or volume).

    Raises:
        ConfigError: an unknown backend, workers below 1, or ``distributed`` not installed.
    """
    if backend not in BACKENDS:
        raise ConfigError(f"backend must be {' or '.join(BACKENDS)}, not {backend!r}")
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, not {workers}")
    if scheduler is not None and backend != "dask":
        raise ConfigError("a scheduler address needs the dask backend (--backend dask)")
    if backend == "local":
        if workers == 1:
            yield None
            return
        context = multiprocessing.get_context("spawn")  # no fork of a process that holds threads
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_quiet_worker) as pool:
            try:
                yield pool
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError("the dask backend needs the package distributed: pip install 'mtcheck[dask]'") from exc
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=max(workers, 2),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env={"MTCHECK_THREADS": "1"},
        )
        with cluster, Client(cluster) as client:
            yield client.get_executor(pure=False)
    else:
        try:
            client = Client(scheduler, timeout=30)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            yield client.get_executor(pure=False)


#: A worker process starts in about 2 s (imports, models): worth it from this many pairs on.
PAIRS_PER_WORKER = 8


def auto_workers(pairs: int) -> int:
    """Processes for a local gate of ``pairs`` pairs: one per core, but no more than one per
    PAIRS_PER_WORKER pairs. On 2 cores, 2 processes of one model thread check 306 dev articles a
    minute where one process with the model on both cores checks 244 (bench/bench_speed.py)."""
    return max(1, min(os.cpu_count() or 1, pairs // PAIRS_PER_WORKER))


def _quiet_worker() -> None:
    """A local worker process: one model thread (the cores are shared out between the workers),
    and Ctrl-C left to the parent, which stops the pool (else every worker prints a traceback)."""
    os.environ["MTCHECK_THREADS"] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def thresholds_for(pair: Pair, thresholds: Thresholds) -> Thresholds:
    """``thresholds`` with the pair's own (from its manifest entry) in their place."""
    return replace(thresholds, **dict(pair.thresholds))


def _check_pair(pair: Pair, config: CheckConfig, thresholds: Thresholds) -> Outcome:
    from .io import read_document
    from .pipeline import check

    if pair.problem is not None:
        return Outcome(pair, error=pair.problem)
    try:
        glossary = None if pair.glossary is None else read_glossary(pair.glossary)
        checked = check(
            read_document(pair.source, config), read_document(pair.candidate, config), config, glossary=glossary
        )
        decisions = _decisions_of(pair)
        report = checked if decisions is None else apply_decisions(checked, decisions)
        return Outcome(pair, report, judge(report, thresholds_for(pair, thresholds)), checked=checked)
    except MtcheckError as exc:
        return Outcome(pair, error=str(exc))


def _decisions_of(pair: Pair) -> Decisions | None:
    if pair.decisions is None or not pair.decisions.exists():
        return None
    return read_decisions(pair.decisions)


def write_baseline(result: GateResult, thresholds: Thresholds, *, by: str, at: str) -> GateResult:
    """Write each checked pair's decisions file so that it accepts every current flag (keeping
    every decision already there), and judge the pairs again with it: the way to adopt a gate on
    existing content (README, "Review decisions"). Pairs that could not be checked are left as
    they are.

    Raises:
        OutputError: a decisions file cannot be written (the files written before it stay whole).
        InputError: an existing decisions file cannot be read.
    """
    from .io import write_atomically

    outcomes = []
    for o in result.outcomes:
        if o.checked is None or o.pair.decisions is None:
            outcomes.append(o)
            continue
        decisions = replace(baseline(o.checked, _decisions_of(o.pair), by=by, at=at), origin=str(o.pair.decisions))
        write_atomically(o.pair.decisions, render_decisions(decisions), overwrite=True)
        report = apply_decisions(o.checked, decisions)
        outcomes.append(replace(o, report=report, verdict=judge(report, thresholds_for(o.pair, thresholds))))
    return GateResult(tuple(outcomes))
