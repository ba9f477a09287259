"""A source that stops early: say so, and do not blame the candidate for what the source lacks.

Scraped originals are often partial: the page showed the first paragraphs, or the copy was cut
mid-sentence. Then the candidate's tail has no counterpart (it counts as uncovered, which the
coverage figures already show, and no check flags it), and the source's last, cut-off sentence
lacks words its candidate counterpart has: numbers, names and content words that are not
errors ("31" from "MiG-31" when the source stops at "MiG-").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .types import Bead, Document, Flag

#: How a complete sentence ends: terminal punctuation, perhaps inside closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’»)\]]*\s*$|[\"”’»]\s*$")
#: A candidate that runs on for at least this many sentences past the last aligned bead means the
#: source stopped early (one or two are a closing line or a byline).
RUN_ON_SENTENCES = 3
#: Flag kinds a cut-off last source sentence makes unreliable on its bead.
_UNRELIABLE_AT_CUT = frozenset({"number", "name", "omission", "addition"})


@dataclass(frozen=True)
class SourceEnd:
    """Where a partial source stops.

    Attributes:
        end: character offset in the raw source where its text ends.
        cut: the last source sentence stops mid-way (no terminal punctuation).
        cut_bead: the bead holding that sentence (None when not cut).
        run_on: candidate sentences after the last aligned bead.
        note: one line for the report.
    """

    end: int
    cut: bool
    cut_bead: int | None
    run_on: int
    note: str


def source_end(source: Document, candidate: Document, beads: Sequence[Bead]) -> SourceEnd | None:
    """The point where ``source`` visibly stops early, or None when it looks complete."""
    matched = [k for k, b in enumerate(beads) if b.source and b.candidate]
    if not matched or not source.sentences:
        return None
    last_sentence = len(source.sentences) - 1
    cut = not _SENTENCE_END.search(source.sentences[last_sentence].text)
    tail = [j for b in beads[matched[-1] + 1 :] for j in b.candidate]
    run_on = len(tail) if len(tail) >= RUN_ON_SENTENCES else 0
    if not cut and not run_on:
        return None
    end = source.sentences[last_sentence].end
    last_words = source.raw[max(0, end - 40) : end].split("\n")[-1].strip()
    parts = [f"source appears to end at character {end} (...{last_words!r})"]
    if cut:
        parts.append(
            "its last sentence stops mid-way, so number, name, omission and addition flags are not raised there"
        )
    if run_on:
        first, last = candidate.sentences[tail[0]], candidate.sentences[tail[-1]]
        parts.append(
            f"the candidate's last {run_on} sentences (characters {first.start}-{last.end}) have no counterpart: "
            "counted as uncovered, not flagged"
        )
    cut_bead = next((k for k, b in enumerate(beads) if last_sentence in b.source), None) if cut else None
    return SourceEnd(end, cut, cut_bead, run_on, "; ".join(parts))


def left_out(end: SourceEnd | None) -> tuple[int, ...]:
    """The beads the document score leaves out for a partial source: the one holding its
    cut-off last sentence, if any."""
    return () if end is None or end.cut_bead is None else (end.cut_bead,)


def drop_flags_at_cut(flags: Sequence[Flag], end: SourceEnd | None) -> tuple[Flag, ...]:
    """``flags`` without those a cut-off last source sentence makes unreliable."""
    if end is None or end.cut_bead is None:
        return tuple(flags)
    return tuple(f for f in flags if not (f.bead == end.cut_bead and f.kind in _UNRELIABLE_AT_CUT))
