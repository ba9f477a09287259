"""Meaning changes and harmless rewordings of whole English articles, at known places.

The document score must get worse with every meaning change and hardly move with a rewording
(issue 9). This module makes both, reusing bench/synth_errors.py's edit generators (the span
tagger's synthetic training errors: WordNet wrong senses and antonyms, negation flips, number
and date changes), applied to chosen stretches of an article instead of to one training segment:

    changes = meaning_changes(text, units, references, seed=0, count=8)
    corrupted = apply(text, changes[:4])  # the first four; the first n of one list nest

``units`` are (start, end) character ranges of ``text`` that may be edited, one edit at most
each (tests pass the candidate side of each matched bead, so an edit lands in aligned text, where
the score reads it); ``references`` are the texts an edit must not copy (the aligned source).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import synth_errors as synth

#: Meaning changes, tried in a rotating order so that an article gets a mix of kinds.
KINDS = ("wrong_sense", "antonym", "negation", "number")

#: Rewordings that keep the sense: contractions both ways and plain synonyms. Whole words only,
#: matched case-insensitively; the replacement keeps the original's capitalisation.
REWORDINGS = (
    ("did not", "didn't"),
    ("does not", "doesn't"),
    ("do not", "don't"),
    ("is not", "isn't"),
    ("was not", "wasn't"),
    ("will not", "won't"),
    ("it is", "it's"),
    ("didn't", "did not"),
    ("doesn't", "does not"),
    ("don't", "do not"),
    ("isn't", "is not"),
    ("wasn't", "was not"),
    ("won't", "will not"),
    ("said", "stated"),
    ("large", "big"),
    ("big", "large"),
    ("almost", "nearly"),
    ("nearly", "almost"),
    ("whole", "entire"),
    ("quickly", "rapidly"),
    ("bought", "purchased"),
    ("began", "started"),
    ("started", "began"),
    ("many", "numerous"),
    ("also", "additionally"),
    ("however", "nevertheless"),
    ("sufficient", "enough"),
    ("enough", "sufficient"),
    ("speech", "address"),
    ("meeting", "talks"),
)


@dataclass(frozen=True)
class Change:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str
    kind: str


@lru_cache(maxsize=1)
def _lexicon() -> synth.Lexicon:
    """WordNet relations, with English word forms attested by wordfreq (a generated inflection must
    be a real word)."""
    from wordfreq import top_n_list

    return synth.Lexicon(synth.load_relations(), set(top_n_list("en", 100_000)))


def _candidates(kind: str, unit: str, reference: str, rng: random.Random) -> list[tuple[int, int, str]]:
    """The edits of ``kind`` that synth_errors finds in ``unit``, as (start, end, new) in it: those
    of words the reference has too where there are any, as synth_errors.synthesize chooses. A word
    the candidate already got wrong can move closer to the source when "changed": Online-B's
    "security" for the source's "guarantee" became "certificate", which the model and the tagger
    both found nearer the source (bench/eval_monotonicity.py counted it as a failure)."""
    edits = synth.meaning_edits(kind, unit, reference, _lexicon(), rng)
    anchored = [edit for edit, in_reference in edits if in_reference]
    return [(a, b, new) for a, b, new, _s0, _s1 in anchored or [edit for edit, _ in edits]]


def meaning_changes(
    text: str, units: Sequence[tuple[int, int]], references: Sequence[str], *, seed: int = 0, count: int = 8
) -> list[Change]:
    """Up to ``count`` meaning changes, kinds rotating through KINDS. Units are visited in a random
    order, one change each; a short article gets a second change in a unit on a second pass (never
    overlapping or touching the first). A unit where no kind fits is skipped."""
    rng = random.Random(seed)
    order = list(range(len(units)))
    rng.shuffle(order)
    kinds = list(KINDS)
    rng.shuffle(kinds)
    out: list[Change] = []
    for _ in range(2):
        for u in order:
            if len(out) == count:
                return out
            start, end = units[u]
            taken = [(c.start - 1, c.end + 1) for c in out if start <= c.start < end]
            rotated = kinds[len(out) % len(kinds) :] + kinds[: len(out) % len(kinds)]
            for kind in rotated:
                found = [
                    (start + a, start + b, new)
                    for a, b, new in _candidates(kind, text[start:end], references[u], rng)
                    if all(start + b <= lo or start + a >= hi for lo, hi in taken)
                ]
                if found:
                    a, b, new = rng.choice(sorted(found))
                    out.append(Change(a, b, new, kind))
                    break
    return out


def harmless_rewordings(text: str, units: Sequence[tuple[int, int]], *, seed: int = 0, count: int = 8) -> list[Change]:
    """Up to ``count`` sense-keeping rewordings (REWORDINGS), each in a different unit."""
    rng = random.Random(seed)
    order = list(range(len(units)))
    rng.shuffle(order)
    out: list[Change] = []
    for u in order:
        if len(out) == count:
            break
        start, end = units[u]
        found = [
            Change(start + m.start(), start + m.end(), _same_case(m.group(), new), "rewording")
            for old, new in REWORDINGS
            for m in re.finditer(rf"(?<![\w'’]){re.escape(old)}(?![\w'’])", text[start:end], re.IGNORECASE)
        ]
        if found:
            out.append(rng.choice(sorted(found, key=lambda c: (c.start, c.new))))
    return out


def editable_units(report) -> tuple[list[tuple[int, int]], list[str]]:
    """The candidate side of each matched bead of a report (raw offsets), and what an edit there
    must not copy: the bead's source text, or for a cross-language pair the unit itself. A bead
    whose source sentence is cut off (mtcheck.partial) is left out: the score does not read it."""
    from mtcheck.partial import source_end

    cand, src = report.candidate, report.source
    end = source_end(src, cand, report.beads)
    units, references = [], []
    for k, bead in enumerate(report.beads):
        if bead.is_gap or (end is not None and k == end.cut_bead):
            continue
        units.append((cand.sentences[bead.candidate[0]].start, cand.sentences[bead.candidate[-1]].end))
        same = src.language == cand.language
        references.append(src.joined(bead.source) if same else cand.raw[units[-1][0] : units[-1][1]])
    return units, references


def _same_case(old: str, new: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def apply(text: str, changes: Iterable[Change]) -> str:
    """``text`` with non-overlapping ``changes`` made."""
    out = text
    for change in sorted(changes, key=lambda c: c.start, reverse=True):
        out = out[: change.start] + change.new + out[change.end :]
    return out
