"""A same-language bead aligned word by word: which candidate words have a source counterpart.

difflib aligns the two word sequences twice: once on the words as written (``exact``) and once on
their spelling keys (``loose``, so "capital," = "capital" and "armoured" = "armored"). The loose
alignment's opcodes are the chunks every later step talks about: a flag covers words inside one
chunk, and a chunk's source side is the flag's counterpart.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..types import Span
from .words import Side

#: Typographic variants of one punctuation mark: dashes, quotes, apostrophes, primes.
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("‐‑‒–—―−⸺⸻", "-"),
        **dict.fromkeys("“”„‟«»″〃", '"'),
        **dict.fromkeys("‘’‚‛‹›′`´", "'"),
    }
)


def typographic_key(word: str) -> str:
    """``word`` with typographic variants folded ("—" and "–" to "-", curly quotes to straight,
    "--" to "-"): punctuation that differs only in typography is the same punctuation."""
    folded = unicodedata.normalize("NFKC", word).translate(_TYPOGRAPHY)
    return re.sub(r"-+", "-", folded)


Opcode = tuple[str, int, int, int, int]  # difflib's (tag, i1, i2, j1, j2) over word indices


@dataclass(frozen=True)
class Pair:
    """A same-language bead aligned word by word."""

    cand: Side
    src: Side
    opcodes: list[Opcode]
    chunk_of: list[int]  # candidate word -> index into opcodes
    exact: np.ndarray  # candidate word matched as written
    loose: np.ndarray  # candidate word matched after normalisation (exact implies loose)

    @classmethod
    def align(cls, cand: Side, src: Side, key: Callable[[str], str]) -> Pair:
        """Align the words of ``cand`` and ``src``; ``key`` folds a word to its spelling key
        (the language pack's: case, punctuation and spelling variants)."""
        opcodes, exact, loose = _align_words(cand, src, key)
        chunk_of = [0] * len(cand.words)
        for c, (_tag, i1, i2, _, _) in enumerate(opcodes):
            for i in range(i1, i2):
                chunk_of[i] = c
        return cls(cand, src, opcodes, chunk_of, exact, loose)

    def source_chunk(self, i: int) -> Span | None:
        """The source side of candidate word ``i``'s chunk; None for an added chunk."""
        tag, _, _, j1, j2 = self.opcodes[self.chunk_of[i]]
        if tag == "delete" or j2 <= j1:
            return None
        return self.src.words_span(j1, j2)

    def source_word(self, i: int) -> int | None:
        """The source word candidate word ``i`` matched (in an "equal" chunk), else None."""
        tag, i1, _, j1, _ = self.opcodes[self.chunk_of[i]]
        return j1 + (i - i1) if tag == "equal" else None

    def candidate_window(self, j: int) -> tuple[int, int]:
        """Candidate words standing where source word ``j`` is: the replacing chunk, or the words on
        either side of the place it was dropped from."""
        n = len(self.cand.words)
        for _tag, i1, i2, j1, j2 in self.opcodes:
            if j1 <= j < j2:
                if i2 > i1:
                    return i1, i2
                lo, hi = max(0, i1 - 1), min(n, i1 + 1)
                return (lo, hi) if hi > lo else (0, min(n, 1))
        return 0, min(n, 1)


def _align_words(cand: Side, src: Side, key: Callable[[str], str]) -> tuple[list[Opcode], np.ndarray, np.ndarray]:
    cw = cand.word_texts()
    sw = src.word_texts()
    exact = np.zeros(len(cw), dtype=bool)
    for i, _, n in difflib.SequenceMatcher(None, cw, sw, autojunk=False).get_matching_blocks():
        exact[i : i + n] = True
    # a word of punctuation only has an empty key: it is compared as written, typography folded
    ck = [key(w) or typographic_key(w) for w in cw]
    sk = [key(w) or typographic_key(w) for w in sw]
    sm = difflib.SequenceMatcher(None, ck, sk, autojunk=False)
    opcodes: list[Opcode] = list(sm.get_opcodes())
    loose = np.zeros(len(cw), dtype=bool)
    for tag, i1, i2, _, _ in opcodes:
        if tag == "equal":
            loose[i1:i2] = True
    return opcodes, exact, loose
