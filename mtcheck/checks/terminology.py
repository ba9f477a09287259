"""Terminology: the glossary's required renderings, do-not-translate terms and forbidden terms.

Runs only when a glossary is given (``--glossary``; mtcheck.glossary has the format). For each
aligned bead whose source side has a glossary term: the candidate side, or a neighbouring bead's
(sentence boundaries shift between versions), must carry one of the allowed renderings (the
term itself for a do-not-translate term), and must not carry a forbidden one. A term forbidden
anywhere is looked for in every candidate sentence. Every violation is a major ``terminology``
flag located in both texts: the forbidden words, or the candidate sentence that lacks the
required term, against the source term.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..glossary import Glossary, Term, TermMatcher
from ..text import quote
from ..types import Document, Flag, FlagKind, Span
from .context import DocumentContext
from .gaps import side_span

#: How sure a glossary violation is: the match is exact up to inflection, but a lemmatiser can
#: join two words that only look alike.
SCORE = 0.9

Words = list[tuple[int, int, str]]


def _sentence_words(doc: Document, matcher: TermMatcher) -> list[Words]:
    """Each sentence's words with raw offsets and lemmas."""
    return [[(s.start + a, s.start + b, lemma) for a, b, lemma in matcher.words(s.text)] for s in doc.sentences]


def _note(term: Term, glossary: Glossary) -> str:
    where = f"glossary line {term.line}" if not glossary.origin else f"{glossary.origin}, line {term.line}"
    return f" ({where}{': ' + term.note if term.note else ''})"


class TerminologyCheck:
    name = "terminology"
    kinds: tuple[FlagKind, ...] = ("terminology",)
    needs_glossary = True

    def run(self, context: DocumentContext) -> list[Flag]:
        glossary = context.glossary
        if glossary is None:
            return []
        src, cand, beads = context.source, context.candidate, context.beads
        src_matcher, cand_matcher = TermMatcher(src.language), TermMatcher(cand.language)
        src_words, cand_words = _sentence_words(src, src_matcher), _sentence_words(cand, cand_matcher)
        flags: list[Flag] = []
        for k, bead in enumerate(beads):
            if bead.is_gap:
                continue
            here = [w for j in bead.candidate for w in cand_words[j]]
            around = here + [
                w for i in (k - 1, k + 1) if 0 <= i < len(beads) for j in beads[i].candidate for w in cand_words[j]
            ]
            source_words = [w for i in bead.source for w in src_words[i]]
            for term in glossary.terms:
                found = src_matcher.find(term.source, source_words) if term.source else []
                if not found:
                    continue
                source_span = Span.of(src.raw, *found[0])
                if term.targets and not any(cand_matcher.find(t, around) for t in term.targets):
                    wanted = "kept as it is" if term.keep else "rendered " + " or ".join(quote(t) for t in term.targets)
                    flags.append(
                        Flag(
                            "terminology",
                            "major",
                            side_span(cand, bead.candidate),
                            source_span,
                            SCORE,
                            f"{quote(term.source)} should be {wanted}{_note(term, glossary)}",
                            k,
                        )
                    )
                flags += self._forbidden(term, here, cand, cand_matcher, source_span, k, glossary)
        flags += self._anywhere(glossary, beads, cand, cand_matcher, cand_words)
        return flags

    @staticmethod
    def _forbidden(
        term: Term,
        words: Words,
        cand: Document,
        matcher: TermMatcher,
        source: Span | None,
        bead: int,
        glossary: Glossary,
    ) -> list[Flag]:
        flags = []
        for bad in term.forbidden:
            for start, end in matcher.find(bad, words):
                what = f"for {quote(term.source)}" if term.source else "anywhere"
                flags.append(
                    Flag(
                        "terminology",
                        "major",
                        Span.of(cand.raw, start, end),
                        source,
                        SCORE,
                        f"{quote(bad)} is a forbidden term {what}{_note(term, glossary)}",
                        bead,
                    )
                )
        return flags

    def _anywhere(
        self,
        glossary: Glossary,
        beads: Sequence,
        cand: Document,
        matcher: TermMatcher,
        cand_words: list[Words],
    ) -> list[Flag]:
        """Terms forbidden anywhere, in every candidate sentence (inserted ones too)."""
        bead_of = {j: k for k, b in enumerate(beads) for j in b.candidate}
        flags = []
        for term in glossary.terms:
            if term.source:
                continue
            for j, words in enumerate(cand_words):
                if j in bead_of:
                    flags += self._forbidden(term, words, cand, matcher, None, bead_of[j], glossary)
        return flags
