"""Stable fingerprints of flags, so that a decision about a flag, or a CI tool tracking it, finds
it again in the next run.

A fingerprint is keyed by what was flagged, not where: the flag's kind, the flagged candidate
text, its source counterpart and a little of the candidate text around it (whitespace folded).
It survives a re-run on the same texts and edits elsewhere in the article; it changes when the
flagged words or their immediate surroundings change. Two flags that would share a key (the
same words flagged in the same surroundings twice) are told apart by their order.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from .text import fold_space
from .types import Document, Flag

__all__ = ["fingerprints", "CONTEXT_CHARS"]

#: Characters of candidate text on each side of a flag that go into its fingerprint.
CONTEXT_CHARS = 30


def _key(flag: Flag, candidate: Document) -> str:
    start, end = flag.candidate.start, flag.candidate.end
    parts = (
        flag.kind,
        fold_space(flag.candidate.text),
        fold_space(flag.source.text) if flag.source is not None else "",
        fold_space(candidate.raw[max(0, start - CONTEXT_CHARS) : start]),
        fold_space(candidate.raw[end : end + CONTEXT_CHARS]),
    )
    return "\x1f".join(parts)


def fingerprints(flags: Sequence[Flag], candidate: Document) -> list[str]:
    """One fingerprint per flag, in order: ``"fp1:"`` and 20 hex digits of a SHA-256."""
    seen: Counter[str] = Counter()
    out = []
    for flag in flags:
        key = _key(flag, candidate)
        seen[key] += 1
        if seen[key] > 1:
            key += f"\x1f{seen[key]}"
        out.append("fp1:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20])
    return out
