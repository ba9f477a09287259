"""The precise checks' findings in one same-language bead, which the learned flagger reads as
features and the checks turn into flags (see :mod:`mtcheck.checks`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..types import Severity


@dataclass(frozen=True)
class Evidence:
    """What the precise checks found in one same-language bead (candidate word indices unless said).

    Attributes:
        num_bad: (start, end, key) of candidate numbers the source does not have, offsets in the
            candidate side's text.
        num_ok: digits whose value the source writes in another form ("19. 00" for "7 p.m.").
        name_bad: capitalised words with no source counterpart.
        foreign: word -> "major"/"minor" for words in another language.
        neg: ("added", i1, i2, None) or ("dropped", i1, i2, source word index).
    """

    num_bad: tuple[tuple[int, int, str], ...] = ()
    num_ok: tuple[int, ...] = ()
    name_bad: tuple[int, ...] = ()
    foreign: Mapping[int, Severity] = field(default_factory=lambda: MappingProxyType({}))
    neg: tuple[tuple[str, int, int, int | None], ...] = ()
