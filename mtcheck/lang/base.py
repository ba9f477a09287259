"""The :class:`LanguagePack` type and the machinery the per-language modules share.

Nothing heavy is imported here: ``text2num`` (a Rust extension) is imported on the first call of
:meth:`LanguagePack.number_mentions` of a pack that uses it, and ``stopwordsiso`` (which parses a
200 kB JSON file of all its languages) when the first pack that draws on it is built.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

__all__ = [
    "LanguagePack",
    "curated_pack",
    "numbered",
    "Mention",
    "frozen_map",
    "iso_stopwords",
    "plain_key",
    "strip_punct",
    "words",
]

Mention = tuple[int, int, float]
"""A number written as words: ``(start, end, value)``, character offsets into the text."""

# Words, with combining marks kept inside them (a decomposed "tre\u0302s" is one word), and
# every other non-space character as a token of its own (hyphens, commas, apostrophes).
_TOKEN_RE = re.compile(r"(?:\w|[\u0300-\u036f])+|[^\w\s]")
_SCALES = frozenset({100.0, 1e3, 1e6, 1e9, 1e12})


def strip_punct(word: str) -> str:
    """Keep letters, digits, apostrophes and hyphens, then trim apostrophes and hyphens from both
    ends ("“full," -> "full", "Kim’s" -> "Kim’s")."""
    return "".join(ch for ch in word if ch.isalnum() or ch in "'’-").strip("'’-")


@lru_cache(maxsize=65536)  # every check asks for the keys of the same few thousand words
def plain_key(word: str) -> str:
    """NFKC, punctuation stripped, lower case, typographic apostrophe as "'"."""
    return strip_punct(unicodedata.normalize("NFKC", word)).lower().replace("’", "'")


def words(text: str) -> frozenset[str]:
    """A frozenset of the whitespace-separated words of ``text`` (for writing lists in modules)."""
    return frozenset(text.split())


def frozen_map(mapping: Mapping[str, float] | Mapping[str, int] | Mapping[str, str]) -> Mapping:
    """A read-only view of a copy of ``mapping``."""
    return MappingProxyType(dict(mapping))


def iso_stopwords(code: str) -> frozenset[str]:
    """The stopwordsiso list for ``code``, lower-cased, with typographic apostrophes folded."""
    import stopwordsiso  # ~30 ms, once, only for the packs that use it

    return frozenset(w.lower().replace("’", "'") for w in stopwordsiso.stopwords(code))


def iso_version() -> str:
    import stopwordsiso

    return str(getattr(stopwordsiso, "__version__", "unknown"))


@dataclass(frozen=True)
class LanguagePack:
    """Closed-class word lists and word-level helpers for one language.

    The first nine fields are the language's data; the last four (all optional) say how the
    helpers behave for it. A pack is built once, in its language's module (``mtcheck/lang/pt.py``
    etc.), and looked up with :func:`mtcheck.lang.pack_for`.
    """

    code: str
    name: str
    negation_cues: frozenset[str]
    stopwords: frozenset[str]
    number_words: Mapping[str, float]
    ambiguous_number_words: frozenset[str]
    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    sources: Mapping[str, str]
    # --- behaviour -------------------------------------------------------------------------
    # language code text2num knows this language by; None: number words are read from the
    # word table alone, one word at a time
    text2num_lang: str | None = None
    # lower-case phrases whose number words are not numbers ("por cento", "segunda-feira",
    # "premier ministre"); a number overlapping one of them is dropped
    not_number_phrases: frozenset[str] = frozenset()
    # extra folding applied to the plain spelling key (English: British -> American spelling)
    spelling_rules: Callable[[str], str] | None = field(default=None, compare=False, repr=False)
    # replaces the generic number reader entirely (English: today's word-by-word reader)
    number_reader: Callable[[str], list[Mention]] | None = field(default=None, compare=False, repr=False)
    # opposites: a word's possible lemmas -> their antonyms' lemmas (English: from WordNet);
    # empty: the antonym check does not run for the language
    antonyms: Callable[[str], frozenset[str]] | None = field(default=None, compare=False, repr=False)
    lemmas: Callable[[str], frozenset[str]] | None = field(default=None, compare=False, repr=False)

    def __hash__(self) -> int:  # the Mapping fields are not hashable; a pack is one per code
        return hash(self.code)

    # -------------------------------------------------------------------------------- words

    def spelling_key(self, word: str) -> str:
        """Case- and punctuation-folded key of ``word`` (NFKC, punctuation stripped as in
        ``strip_punct``, lower case, "’" as "'"), then the language's spelling rules if any."""
        key = plain_key(word)
        return self.spelling_rules(key) if self.spelling_rules is not None else key

    def is_stopword(self, word: str) -> bool:
        """``word`` (any case, surrounding punctuation allowed) is one of the stopwords."""
        return plain_key(word) in self.stopwords

    # ------------------------------------------------------------------------------ numbers

    def number_mentions(self, text: str) -> list[Mention]:
        """Numbers written as words in ``text``: ``(start, end, value)``, left to right,
        non-overlapping. Multi-word numbers are one mention; ambiguous words alone are skipped;
        digits are not read."""
        if self.number_reader is not None:
            return self.number_reader(text)
        if self.text2num_lang is None:
            return _table_mentions(self, text)
        return _text2num_mentions(self, text)

    def number_value(self, word: str) -> float | None:
        """The table value of one word ("duas" -> 2.0), or None."""
        value = self.number_words.get(plain_key(word))
        return None if value is None else float(value)


# ------------------------------------------------------------------------------------------
# The generic number reader
# ------------------------------------------------------------------------------------------


class _Token:
    """A token as text2num's ``find_numbers`` wants it (the ``Token`` protocol)."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def text(self) -> str:
        return self._text

    def nt_separated(self, previous: _Token) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [
        (m.start(), m.end(), unicodedata.normalize("NFKC", m.group()).lower().replace("’", "'"))
        for m in _TOKEN_RE.finditer(text)
    ]


@lru_cache(maxsize=64)
def _phrase_re(phrases: frozenset[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alts = sorted((re.escape(p).replace(r"\ ", r"\s+") for p in phrases), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


def _blocked(pack: LanguagePack, text: str) -> list[bool]:
    """Per character: inside a phrase whose number words are not numbers."""
    blocked = [False] * (len(text) + 1)
    pattern = _phrase_re(pack.not_number_phrases)
    if pattern is not None:
        for m in pattern.finditer(text):
            for k in range(m.start(), m.end()):
                blocked[k] = True
    return blocked


def _after_digits(toks: list[tuple[int, int, str]], i: int, text: str) -> bool:
    """Token ``i`` follows a run of digits ("2 mil", "2,5 milhões"): the digit reader's business."""
    if i == 0:
        return False
    _, e, t = toks[i - 1]
    return t.isdigit() and text[e : toks[i][0]].isspace()


@lru_cache(maxsize=4096)
def _t2n_word(word: str, lang: str) -> float | None:
    from text_to_num import text2num

    try:
        return float(text2num(word, lang))
    except ValueError:
        return None


def _text2num_mentions(pack: LanguagePack, text: str) -> list[Mention]:
    from text_to_num import find_numbers

    toks = _tokens(text)
    if not toks:
        return []
    lang = pack.text2num_lang or pack.code
    table = pack.number_words
    used = [False] * len(toks)
    runs: list[tuple[int, int, float]] = []  # token i, token j (exclusive), value

    for occ in find_numbers([_Token(t) for _, _, t in toks], lang, 0.0):
        i, j, value = occ.start, occ.end, float(occ.value)
        # text2num reads some scale words on the short scale where the language does not
        # (European Portuguese "bilião" is 10^12): the table has the last word
        for k in range(i, j):
            word = toks[k][2]
            if word in table and float(table[word]) >= 1e9:
                t2n = _t2n_word(word, lang)
                if t2n and t2n != float(table[word]):
                    value = value / t2n * float(table[word])
        runs.append((i, j, value))
        for k in range(i, j):
            used[k] = True
    # words text2num does not know ("veintiún", "siebente", "billón"): the table, one by one
    runs.extend((k, k + 1, float(table[w])) for k, (_, _, w) in enumerate(toks) if not used[k] and w in table)
    runs.sort()
    # a scale word only the table knows, right after a number, multiplies it: "dos billones"
    merged: list[tuple[int, int, float]] = []
    for i, j, value in runs:
        if merged and j - i == 1 and value in _SCALES and value >= 1e6 and _t2n_word(toks[i][2], lang) is None:
            pi, pj, pv = merged[-1]
            if pj == i and pv < value and text[toks[pj - 1][1] : toks[i][0]].isspace():
                merged[-1] = (pi, j, pv * value)
                continue
        merged.append((i, j, value))
    blocked = _blocked(pack, text)
    out: list[Mention] = []
    for i, j, value in merged:
        start, end = toks[i][0], toks[j - 1][1]
        if any(blocked[start:end]):
            continue  # "por cento", "segunda-feira", "premier ministre"
        if j - i == 1 and toks[i][2] in pack.ambiguous_number_words:
            continue  # "um", "segundo", "une", "ein" alone
        if float(table.get(toks[i][2], 0.0)) in _SCALES and _after_digits(toks, i, text):
            continue  # "2 mil", "2,5 milhões": a number in digits with its scale word
        out.append((start, end, value))
    return out


def _table_mentions(pack: LanguagePack, text: str) -> list[Mention]:
    """Number words one by one from the table (for a language text2num does not know)."""
    blocked = _blocked(pack, text)
    out: list[Mention] = []
    for start, end, word in _tokens(text):
        if word in pack.number_words and word not in pack.ambiguous_number_words and not any(blocked[start:end]):
            out.append((start, end, float(pack.number_words[word])))
    return out


def check_words(name: str, items: Iterable[str]) -> None:
    """Fail loudly at import if a hand list holds something that is not a lower-case key."""
    bad = [w for w in items if w != w.lower() or w != unicodedata.normalize("NFC", w)]
    if bad:
        raise ValueError(f"{name}: not lower-case NFC: {bad[:5]}")


def curated_stopwords(
    code: str,
    remove: frozenset[str],
    number_words: Mapping[str, float],
    keep: frozenset[str] = frozenset(),
    add: frozenset[str] = frozenset(),
) -> tuple[frozenset[str], frozenset[str]]:
    """stopwordsiso's list for ``code`` without ``remove`` and without the number words (numbers
    are content: "dois mísseis" omitted is an omission) except those in ``keep`` (articles such
    as "um"/"uma"), plus ``add``. Returns the list and what was actually taken out of it."""
    iso = iso_stopwords(code)
    # entries no single word can match ("por qué", "o|", "ei,") go too
    drop = ((remove | (frozenset(number_words) - keep)) & iso) | {w for w in iso if plain_key(w) != w}
    return (iso - drop) | add, drop


def float_map(mapping: Mapping[str, float]) -> Mapping[str, float]:
    """A read-only copy of ``mapping`` with float values, its keys checked to be lower-case NFC."""
    check_words("keys", mapping)
    return MappingProxyType({k: float(v) for k, v in mapping.items()})


def inflect(stems: Mapping[str, float], endings: Iterable[str]) -> dict[str, float]:
    """Every stem with every ending: {"dritt": 3} x ("e", "en") -> {"dritte": 3, "dritten": 3}."""
    endings = tuple(endings)
    return {stem + ending: value for stem, value in stems.items() for ending in endings}


def curated_pack(
    *,
    code: str,
    name: str,
    negation_cues: frozenset[str],
    negation_note: str,
    stopwords: frozenset[str],
    removed: str,
    number_words: Mapping[str, float],
    ambiguous: frozenset[str],
    months: Mapping[str, int],
    weekdays: Mapping[str, int],
    not_number_phrases: frozenset[str] = frozenset(),
    spelling_note: str = "",
) -> LanguagePack:
    """A pack whose stopwords are a curated stopwordsiso list and whose numbers text2num reads
    (Portuguese, Spanish, French, German); ``sources`` says where each field comes from.

    Args:
        negation_note: what the hand list of negation cues holds beyond the first list.
        removed: what was taken out of (and added to) stopwordsiso's list, for ``sources``.
        spelling_note: anything the spelling key does not fold, for ``sources``.
    """
    return LanguagePack(
        code=code,
        name=name,
        negation_cues=negation_cues,
        stopwords=stopwords,
        number_words=float_map(number_words),
        ambiguous_number_words=ambiguous,
        months=frozen_map(months),
        weekdays=frozen_map(weekdays),
        sources=frozen_map(
            {
                "stopwords": f"stopwordsiso {iso_version()} (MIT; data: the stopwords-iso collection, MIT), "
                f"{removed} (mtcheck/lang/{code}.py REMOVED)",
                "negation_cues": f"hand list ({negation_note})",
                "number_words": "hand list, checked against text2num 3.1.0 (MIT) in tests/test_lang.py",
                "ambiguous_number_words": "hand list",
                "number_mentions": "text2num find_numbers (MIT), the hand table for words it does not know",
                "spelling_key": f"NFKC + lower case + punctuation strip{spelling_note}",
                "months": "hand list (closed class)",
                "weekdays": "hand list (closed class)",
            }
        ),
        text2num_lang=code,
        not_number_phrases=not_number_phrases,
    )


def numbered(*groups: str) -> dict[str, int]:
    """Names numbered from 1 in order, each group the spellings of one ("januar jänner", "februar")."""
    return {name: number for number, group in enumerate(groups, 1) for name in group.split()}
