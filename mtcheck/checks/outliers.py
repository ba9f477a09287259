"""Matched beads whose similarity falls far below the document's own norm.

The cutoff is the median minus OUTLIER_MADS robust deviations, and below OUTLIER_CEILING. For
cross-language pairs this is the only meaning check a reference-free word comparison cannot
replace; for same-language pairs it catches wholesale rewrites the word flagger splits into many
small flags.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..types import Bead, Document, Flag, FlagKind
from .context import DocumentContext
from .gaps import side_span

#: How many median absolute deviations below the median similarity makes a bead an outlier.
OUTLIER_MADS = 4.0
#: A bead at or above this similarity is never an outlier, however tight the document's norm.
OUTLIER_CEILING = 0.6


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
        if bead.similarity is None or bead.similarity >= cutoff:  # gaps have no similarity
            continue
        how_far = (median - bead.similarity) / mad
        flags.append(
            Flag(
                "mistranslation",
                "major",
                side_span(cand, bead.candidate),
                side_span(src, bead.source),
                float(min(1.0, 0.5 + 0.05 * how_far)),
                f"whole sentence diverges: similarity {bead.similarity:.2f} against a document norm of {median:.2f}",
                index,
            )
        )
    return flags


class OutlierCheck:
    name = "similarity-outliers"
    kinds: tuple[FlagKind, ...] = ("mistranslation",)
    needs_glossary = False

    def run(self, context: DocumentContext) -> list[Flag]:
        return outlier_flags(context.beads, context.source, context.candidate)
