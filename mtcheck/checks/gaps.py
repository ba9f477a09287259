"""Whole sentences omitted from, or added to, the candidate between matched beads.

Gap runs before the first or after the last matched bead are not flagged: there they usually mean
a partial source or page material around the article (kim-arrives' source is its first fifth), and
they are already counted in coverage and listed in every report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text import shorten
from ..types import Bead, Document, Flag, FlagKind, Span
from .context import DocumentContext

#: A gap sentence with at least this many words is a major omission/addition.
MAJOR_GAP_WORDS = 5

_WORD = re.compile(r"\w+", re.UNICODE)


def side_span(doc: Document, indices: Sequence[int]) -> Span:
    """From the first sentence's start to the last one's end, in the raw text."""
    return Span.of(doc.raw, doc.sentences[indices[0]].start, doc.sentences[indices[-1]].end)


def gap_flags(beads: Sequence[Bead], src: Document, cand: Document) -> list[Flag]:
    """Omission/addition flags for gap beads between the first and last matched bead."""
    matched = [i for i, b in enumerate(beads) if not b.is_gap]
    if not matched:
        return []
    flags = []
    for index in range(matched[0] + 1, matched[-1]):
        bead = beads[index]
        if not bead.is_gap:
            continue
        if bead.source:
            text = side_span(src, bead.source)
            # The omission sits between the candidate text of its neighbours: mark that point.
            before = next(beads[k] for k in range(index - 1, -1, -1) if beads[k].candidate)
            at = cand.sentences[before.candidate[-1]].end
            words = len(_WORD.findall(text.text))
            flags.append(
                Flag(
                    "omission",
                    "major" if words >= MAJOR_GAP_WORDS else "minor",
                    Span(at, at, ""),
                    text,
                    0.8 if words >= MAJOR_GAP_WORDS else 0.5,
                    f"source sentence missing: {shorten(text.text, 70)!r}",
                    index,
                )
            )
        else:
            text = side_span(cand, bead.candidate)
            words = len(_WORD.findall(text.text))
            flags.append(
                Flag(
                    "addition",
                    "major" if words >= MAJOR_GAP_WORDS else "minor",
                    text,
                    None,
                    0.7 if words >= MAJOR_GAP_WORDS else 0.4,
                    f"no counterpart in the source: {shorten(text.text, 70)!r}",
                    index,
                )
            )
    return flags


class GapCheck:
    name = "interior-gaps"
    kinds: tuple[FlagKind, ...] = ("omission", "addition")
    needs_glossary = False

    def run(self, context: DocumentContext) -> list[Flag]:
        return gap_flags(context.beads, context.source, context.candidate)
