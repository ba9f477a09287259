"""English: the lists the learned flagger was trained and measured with (moved here unchanged
from the flagger's modules, so that no measured figure moved):

- ``spelling_key`` folds British spellings to American ones;
- ``number_mentions`` reads each number word as its own mention, so "twenty-three" is 20 and 3 and "five billion" is 5 (the
  English lists do not merge multi-word numbers the way the other packs do, on purpose: the MQM
  evaluation set has "sixty-five", "five billion" and "first one", and merging would move its
  figures). Switching English to the text2num reader is a one-line change here (set
  ``text2num_lang="en"`` and drop ``number_reader``), to be made together with a re-measurement.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources

from .base import LanguagePack, Mention, frozen_map, numbered, plain_key, words

# the flagger's stopwords (they decide the "stop" feature the weights were trained on)
STOPWORDS = words(
    """a an the and or but nor so yet for of to in on at by with from as into onto upon about
    above below over under between among through during before after since until than then
    that this these those there here which who whom whose what when where why how whether if
    because while although though also too very just only even still already again further
    more most less least much many some any each every all both either neither other another
    such same own i me my mine we us our ours you your yours he him his she her hers it its
    they them their theirs one ones is am are was were be been being have has had having do
    does did doing will would shall should can could may might must ought 's 're 've 'd 'll
    n't not no s t up out off down per via against within without toward towards across
    around along amid behind beyond near so-called mr mrs ms"""
)

# negation cues
NEGATION_CUES = words("not no never nobody nothing none neither nor cannot without nowhere n't")

# cardinals, ordinals and "half", "dozen"
NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 1e6,
    "billion": 1e9,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "half": 0.5,
    "dozen": 12,
}
# number words that more often are something else ("a second", "one of", "2.5 million")
AMBIGUOUS = words("second half hundred thousand million billion one")

MONTHS = numbered(
    "january jan",
    "february feb",
    "march mar",
    "april apr",
    "may",
    "june jun",
    "july jul",
    "august aug",
    "september sep sept",
    "october oct",
    "november nov",
    "december dec",
)  # 1 = January
# full names only: "sun", "sat" and "wed" are words
WEEKDAYS = numbered("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # 1 = Monday


@lru_cache(maxsize=65536)
def american(w: str) -> str:
    """British spellings folded to American ones, applied to the plain key (NFKC, punctuation
    stripped, lower case, "’" as "'"); MQM raters do not count these as errors."""
    if len(w) > 4:
        w = re.sub(r"our(s|ed|ing|ite|ites|able)?$", r"or\1", w)
        w = re.sub(r"(?<=[a-z])is(e|ed|es|ing|ation|ations)$", r"iz\1", w)
        w = re.sub(r"yse(s|d)?$", r"yze\1", w)
        w = re.sub(r"tre(s)?$", r"ter\1", w)
        w = re.sub(r"ence(s)?$", r"ense\1", w) if w.endswith(("fence", "fences")) else w
        w = re.sub(r"([aeiou])ll(ed|ing|er|ers)$", r"\1l\2", w)
        w = w.replace("ae", "e") if ("aem" in w or "aed" in w) else w
        w = w.replace("-", "")
    return w


# mtcheck.numbers._WORD_RE, verbatim
_WORD_RE = re.compile(r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def read_numbers(text: str) -> list[Mention]:
    """One mention per number word (the reader the flagger's number features were measured with)."""
    out: list[Mention] = []
    for m in _WORD_RE.finditer(text):
        word = m.group(1).lower()
        if word in AMBIGUOUS:
            continue  # too often not a number ("a second", "one of")
        out.append((m.start(), m.end(), float(NUMBER_WORDS[word])))
    return out


# Reversals WordNet does not list as antonyms but news translation gets wrong
EXTRA_ANTONYMS = (
    ("confirm", "deny"),
    ("approve", "reject"),
    ("support", "oppose"),
    ("increase", "decrease"),
    ("win", "lose"),
    ("allow", "ban"),
    ("allow", "forbid"),
    ("agree", "disagree"),
    ("succeed", "fail"),
    ("include", "exclude"),
    ("inside", "outside"),
    ("rise", "fall"),
    ("accept", "reject"),
)


@cache
def _antonym_data() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """lemma -> its antonyms, and irregular form -> lemma (WordNet-derived, plus EXTRA_ANTONYMS)."""
    data = json.loads(resources.files("mtcheck.lang").joinpath("data/en_antonyms.json").read_text("utf-8"))
    table: dict[str, set[str]] = {}
    for a, b in [*data["pairs"], *EXTRA_ANTONYMS]:
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in table.items()}, dict(data["forms"])


@lru_cache(maxsize=65536)  # the antonym check asks for a word's lemmas, then for its antonyms
def lemmas_of(word: str) -> frozenset[str]:
    """The lemmas ``word`` may be an inflection of, by WordNet's irregular forms and the regular
    suffixes ("denied" -> deny, "rose" -> rise, "rejects" -> reject, "stopped" -> stop)."""
    w = plain_key(word)
    table, forms = _antonym_data()
    out = {w}
    if w in forms:
        out.add(forms[w])
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("er", ""),
        ("est", ""),
    ):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)] + repl
            out.add(stem)
            if repl == "" and len(stem) > 2 and stem[-1] == stem[-2]:
                out.add(stem[:-1])  # "stopped" -> "stop"
    return frozenset(x for x in out if x in table) or frozenset({w})


def antonyms_of(word: str) -> frozenset[str]:
    """The antonym lemmas of any lemma ``word`` may be."""
    table, _ = _antonym_data()
    return frozenset(a for lemma in lemmas_of(word) for a in table.get(lemma, ()))


PACK = LanguagePack(
    code="en",
    name="English",
    negation_cues=NEGATION_CUES,
    stopwords=STOPWORDS,
    number_words=frozen_map(NUMBER_WORDS),
    ambiguous_number_words=AMBIGUOUS,
    months=frozen_map(MONTHS),
    weekdays=frozen_map(WEEKDAYS),
    sources=frozen_map(
        {
            "stopwords": "hand list (the one the learned flagger was trained with)",
            "negation_cues": "hand list",
            "number_words": "hand list",
            "ambiguous_number_words": "hand list",
            "number_mentions": "one word = one mention (as the flagger was measured)",
            "spelling_key": "NFKC + lower case + punctuation strip + British -> American rules",
            "months": "hand list (closed class)",
            "weekdays": "hand list (closed class)",
            "antonyms": "WordNet 3.0 antonym pairs (adjectives, verbs, adverbs; data/en_antonyms.json) "
            "plus a hand list WordNet lacks",
        }
    ),
    spelling_rules=american,
    number_reader=read_numbers,
    antonyms=antonyms_of,
    lemmas=lemmas_of,
)
