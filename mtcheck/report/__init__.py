"""Renderers: one module per format, each a function Report -> str. They never print."""

from __future__ import annotations

from collections.abc import Callable

from ..types import Report

FORMATS = ("terminal", "json", "markdown", "html")


def render(report: Report, fmt: str, **options) -> str:
    """Render ``report`` in format ``fmt`` (one of FORMATS)."""
    return _renderer(fmt)(report, **options)


def _renderer(fmt: str) -> Callable[..., str]:
    if fmt == "terminal":
        from .terminal import render_terminal

        return render_terminal
    if fmt == "json":
        from .json_report import render_json

        return render_json
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown
    if fmt == "html":
        from .html import render_html

        return render_html
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
