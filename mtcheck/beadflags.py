"""Flags for whole beads, which the word-level flagger inside a bead cannot see.

* Interior gaps: a sentence omitted from, or added to, the candidate *between* matched beads. Gap
  runs before the first or after the last matched bead are not flagged: there they usually mean a
  partial source or page material around the article (kim-arrives' source is its first fifth), and
  they are already counted in coverage and listed in every report.
* Similarity outliers: a matched bead whose similarity falls far below the document's own norm
  (median minus OUTLIER_MADS robust deviations, and below OUTLIER_CEILING). For cross-language
  pairs this is the only meaning check a reference-free word comparison cannot replace; for
  same-language pairs it catches wholesale rewrites the word flagger splits into many small flags.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .text import shorten
from .types import Bead, Document, Flag, Span

#: Names of the checks this module runs, as the report lists them.
WHOLE_BEAD_CHECKS = ("interior-gaps", "similarity-outliers")

#: How many median absolute deviations below the median similarity makes a bead an outlier.
OUTLIER_MADS = 4.0
#: A bead at or above this similarity is never an outlier, however tight the document's norm.
OUTLIER_CEILING = 0.6
#: A gap sentence with at least this many words is a major omission/addition.
MAJOR_GAP_WORDS = 5

_WORD = re.compile(r"\w+", re.UNICODE)


def _side_span(doc: Document, indices: Sequence[int]) -> Span:
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
            text = _side_span(src, bead.source)
            # The omission sits between the candidate text of its neighbours: mark that point.
            before = next(beads[k] for k in range(index - 1, -1, -1) if beads[k].candidate)
            at = cand.sentences[before.candidate[-1]].end
            words = len(_WORD.findall(text.text))
            flags.append(
                Flag("omission", "major" if words >= MAJOR_GAP_WORDS else "minor", Span(at, at, ""), text,
                     0.8 if words >= MAJOR_GAP_WORDS else 0.5, f"source sentence missing: {shorten(text.text, 70)!r}", index)
            )
        else:
            text = _side_span(cand, bead.candidate)
            words = len(_WORD.findall(text.text))
            flags.append(
                Flag("addition", "major" if words >= MAJOR_GAP_WORDS else "minor", text, None,
                     0.7 if words >= MAJOR_GAP_WORDS else 0.4, f"no counterpart in the source: {shorten(text.text, 70)!r}", index)
            )
    return flags


def outlier_flags(beads: Sequence[Bead], src: Document, cand: Document) -> list[Flag]:
    """Mistranslation flags for matched beads far below the document's similarity norm."""
    sims = np.array([b.similarity for b in beads if not b.is_gap], dtype=float)
    if len(sims) < 4:
        return []  # too few beads to know the norm
    median = float(np.median(sims))
    mad = float(np.median(np.abs(sims - median))) or 0.02
    cutoff = min(median - OUTLIER_MADS * mad, OUTLIER_CEILING)
    flags = []
    for index, bead in enumerate(beads):
        if bead.is_gap or bead.similarity >= cutoff:
            continue
        how_far = (median - bead.similarity) / mad
        flags.append(
            Flag(
                "mistranslation",
                "major",
                _side_span(cand, bead.candidate),
                _side_span(src, bead.source),
                float(min(1.0, 0.5 + 0.05 * how_far)),
                f"whole sentence diverges: similarity {bead.similarity:.2f} against a document norm of {median:.2f}",
                index,
            )
        )
    return flags
