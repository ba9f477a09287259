"""Glossaries for the terminology check: required renderings, do-not-translate terms, forbidden terms.

A glossary is a TSV (``.tsv``, ``.txt``) or CSV (``.csv``) file, one term a row, as localization
QA tools (Xbench, Okapi CheckMate, Weblate) keep them (columns separated by a tab, shown here as
``→``)::

    # source term → target term(s) → note
    health care system → health care system|healthcare system → house style
    Kim Jong Un → = → names stay as written
    personal trainer → personal trainer|!private exercise
    → !fitness system → never, anywhere

* targets, separated by ``|``, are the renderings allowed for the source term: where an aligned
  source sentence has the term, its candidate counterpart (or a neighbouring sentence) must have
  one of them;
* ``=`` means "do not translate": the candidate must carry the source term as it is;
* a target starting with ``!`` is forbidden: as a rendering of that source term, or, in a row
  with no source term, anywhere in the candidate.

A first row whose first cell is ``source`` is a header; rows starting with ``#`` are comments.
Terms match whole words, case-insensitively, in any inflected form: both sides are lemmatised by
``simplemma`` (50+ languages) in each side's language, so "systems" matches "system" and "denied"
matches "deny". For a language simplemma does not know, words match as written (case folded).
A same-language pair uses the glossary as a house-style list.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .text import word_spans

__all__ = ["Term", "Glossary", "parse_glossary", "read_glossary", "TermMatcher"]

#: Marks a target term as forbidden.
FORBIDDEN = "!"
#: Stands for "the source term itself" (do not translate).
KEEP = "="


@dataclass(frozen=True)
class Term:
    """One glossary row.

    Attributes:
        source: the source term; "" for a term forbidden anywhere in the candidate.
        targets: the allowed renderings (any one will do); the source term itself when ``keep``.
        forbidden: renderings that must not appear (for this source term, or anywhere).
        keep: do not translate: the candidate carries the source term unchanged.
        note: the glossary's note, shown with each flag.
        line: the row's line number in the file, for messages.
    """

    source: str
    targets: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    keep: bool = False
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Glossary:
    """A parsed glossary and where it came from."""

    terms: tuple[Term, ...]
    origin: str = ""

    def digest(self) -> str:
        """12 hex digits naming the terms, for the report's signature."""
        rows = [(t.source, t.targets, t.forbidden, t.keep) for t in self.terms]
        return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()[:12]


def _row_term(where: str, line: int, cells: list[str]) -> Term | None:
    cells = [c.strip() for c in cells] + ["", ""]
    source, targets, note = cells[0], cells[1], cells[2]
    if not source and not targets:
        return None
    alternatives = [t.strip() for t in targets.split("|") if t.strip()]
    keep = KEEP in alternatives
    allowed = tuple(t for t in alternatives if t != KEEP and not t.startswith(FORBIDDEN))
    forbidden = tuple(t[1:].strip() for t in alternatives if t.startswith(FORBIDDEN) and t[1:].strip())
    if not source:
        if allowed or keep or not forbidden:
            raise InputError(f"{where}, line {line}: a row without a source term lists only forbidden terms (!term)")
        return Term("", (), forbidden, False, note, line)
    if not (allowed or keep or forbidden):
        raise InputError(f"{where}, line {line}: {source!r} has no target term (give one, '=' or '!forbidden')")
    return Term(source, (source,) if keep else allowed, forbidden, keep, note, line)


def parse_glossary(text: str, origin: str = "", delimiter: str = "\t") -> Glossary:
    """A glossary from its text (TSV, or CSV with ``delimiter=","``).

    Raises:
        InputError: a row has no target term, or the glossary has no term at all.
    """
    where = origin or "glossary"
    terms: list[Term] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for cells in reader:
        line = reader.line_num  # the row's last line: a quoted cell may span lines
        if not cells or cells[0].lstrip().startswith("#"):
            continue
        if not terms and cells[0].strip().casefold() == "source":
            continue  # a header row
        term = _row_term(where, line, cells)
        if term is not None:
            terms.append(term)
    if not terms:
        raise InputError(f"{where}: the glossary lists no term")
    return Glossary(tuple(terms), origin)


def read_glossary(path: str | Path) -> Glossary:
    """The glossary in ``path``: CSV for ``.csv``, else TSV.

    Raises:
        InputError: the file cannot be read, or a row is not a term.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InputError(f"{path}: cannot read the glossary ({reason})") from None
    return parse_glossary(text, str(path), "," if path.suffix.lower() == ".csv" else "\t")


@lru_cache(maxsize=65536)
def _lemma(word: str, language: str) -> str:
    folded = word.casefold()
    if not language:
        return folded
    import simplemma

    try:
        return simplemma.lemmatize(folded, lang=language).casefold()
    except (ValueError, KeyError):  # a language simplemma has no data for: words as written
        return folded


@dataclass(frozen=True)
class TermMatcher:
    """Finds terms, in any inflected form, in texts of one language."""

    language: str

    def words(self, text: str) -> list[tuple[int, int, str]]:
        """Each word of ``text``: its offsets and its lemma."""
        return [(start, end, _lemma(word, self.language)) for start, end, word in word_spans(text)]

    def lemmas(self, term: str) -> tuple[str, ...]:
        return tuple(lemma for _, _, lemma in self.words(term))

    def find(self, term: str, words: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
        """Where ``term`` occurs among ``words`` (from :meth:`words`), as (start, end) offsets."""
        wanted = self.lemmas(term)
        n = len(wanted)
        if not n:
            return []
        return [
            (words[k][0], words[k + n - 1][1])
            for k in range(len(words) - n + 1)
            if tuple(lemma for _, _, lemma in words[k : k + n]) == wanted
        ]
