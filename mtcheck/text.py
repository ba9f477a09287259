"""Small text helpers shared by flag messages and renderers."""

from __future__ import annotations


def shorten(text: str, limit: int) -> str:
    """``text`` on one line (runs of whitespace folded), cut with "…" past ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
