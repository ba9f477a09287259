"""Words in another language or script than the text around them: left untranslated.

Another script is certain evidence ("犹豫" in an English sentence). Inside one Latin-script text the
evidence is statistical: an English text's word that the model's English-trained subword vocabulary
splits into several pieces, and that langdetect's character trigrams make far likelier in Spanish,
French, ... than in English ("disienten"), reads as foreign. Capitalised words are left alone: names
look foreign in any language.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from ..types import Severity
from .words import Side, main_script, script_of, strip_punct

#: How many subword pieces a model's vocabulary splits a word into (TokenEmbedder.word_pieces).
WordPieces = Callable[[str], int]

# Latin-script languages whose trigram profiles compete with English's
_NB_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl", "ca", "ro", "sv", "da", "pl", "id", "tl", "af")
# English derivational endings: a long English word the vocabulary splits is usually one of these
_EN_SUFFIXES = (
    "ing",
    "ed",
    "ly",
    "tion",
    "tions",
    "sion",
    "ness",
    "ment",
    "ments",
    "able",
    "ible",
    "ism",
    "ist",
    "ists",
    "ize",
    "ized",
    "ise",
    "ised",
    "ous",
    "ful",
    "less",
    "er",
    "ers",
    "est",
    "s",
    "ity",
    "ance",
    "ence",
    "ship",
    "ward",
    "wise",
    "al",
    "ic",
    "ical",
    "ive",
    "ure",
)


@lru_cache(maxsize=1)
def _trigram_profiles() -> dict[str, tuple[dict[str, int], int]]:
    """langdetect's character trigram counts for English and some other Latin-script languages."""
    import os

    import langdetect

    folder = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
    out = {}
    for lang in ("en", *_NB_LANGUAGES):
        with open(os.path.join(folder, lang), encoding="utf-8") as fh:
            prof = json.load(fh)
        out[lang] = ({g: c for g, c in prof["freq"].items() if len(g) == 3}, prof["n_words"][2])
    return out


def _non_english_margin(word: str) -> float:
    """Log-likelihood margin of the best other Latin-script language over English (naive Bayes
    over langdetect's character trigrams); above ~10 the word reads as foreign."""
    padded = f" {word.lower()} "
    grams = [padded[i : i + 3] for i in range(len(padded) - 2)]

    def loglik(lang: str) -> float:
        freq, total = _trigram_profiles()[lang]
        floor = 0.5 * total / 1e6
        return sum(math.log((freq.get(g, 0) + floor) / total) for g in grams)

    return max(loglik(lang) for lang in _NB_LANGUAGES) - loglik("en")


#: Zipf frequency (log10 per billion words) from which a word counts as attested English: about
#: one use in 100 million words ("cosmodrome" 2.2, "cosmonaut" 2.5; "disienten" 0, "sobre" 2.7).
_ENGLISH_ZIPF = 2.0
#: ... unless another language uses it this much more ("sobre": Spanish 6.2 against English 2.7).
_OTHER_LANGUAGE_LEAD = 1.5


def _attested_english(word: str) -> bool:
    """``word`` is an English word by real word frequencies (wordfreq), and not much likelier in
    one of the Latin-script languages an English text's untranslated words usually come from."""
    from wordfreq import zipf_frequency  # ~0.1 s per language, on first use only

    english = zipf_frequency(word, "en")
    if english < _ENGLISH_ZIPF:
        return False
    # The other languages' "small" lists (every word from Zipf 3 up) load in a tenth of the time
    # of the full ones and decide the same: only another language's Zipf above English's + 1.5,
    # so above 3.5, can override here.
    other = max(zipf_frequency(word, lang, wordlist="small") for lang in ("es", "fr", "de", "it", "pt", "nl"))
    return english >= other - _OTHER_LANGUAGE_LEAD


def foreign_word(
    word: str, script: str, source_bag: set[str], word_pieces: WordPieces | None, english: bool
) -> Severity | None:
    """ "major" for a word in another script than the text's, or (English texts) one that reads
    clearly non-English; "minor" for one that may be; None otherwise."""
    core = strip_punct(word)
    if not core or core.lower() in source_bag:
        return None
    letters = [ch for ch in core if ch.isalpha()]
    if not letters:
        return None
    scripts = {script_of(ch) for ch in letters} - {""}
    if scripts and script not in scripts:
        return "major"
    if not english or script != "latin" or core[0].isupper():
        return None
    verdict: Severity | None
    if any(not ch.isascii() for ch in letters):
        verdict = "major" if _non_english_margin(core) >= 6 else "minor"  # "está", "für"
    elif word_pieces is None or not core.isalpha() or len(core) < 6 or core.endswith(_EN_SUFFIXES):
        return None
    elif word_pieces(core) < 3:
        return None  # the English vocabulary knows it, or nearly
    else:
        margin = _non_english_margin(core)
        verdict = "major" if margin >= 12 else "minor" if margin >= 6 else None
    # Last, because its word lists take a second to load: most words never get this far.
    if verdict is None or _attested_english(core):
        return None  # a rare English word ("cosmodrome") is no foreign word
    return verdict


def foreign_words(
    side: Side,
    source_bag: set[str],
    word_pieces: WordPieces | None,
    *,
    english: bool,
    skip: Sequence[bool] | np.ndarray | None = None,
) -> dict[int, Severity]:
    """Word index -> "major"/"minor" for the words of ``side`` that look untranslated.

    Args:
        side: the candidate text; its main script is the one the other words are measured against.
        source_bag: lower-cased source words; a word the source also has was kept on purpose.
        word_pieces: how many pieces the embedder's subword vocabulary splits a word into, needed
            to judge all-ASCII words; may be None.
        english: whether ``side`` is English, so that English-only evidence applies.
        skip: words not to judge (those difflib matched exactly in the source).
    """
    script = main_script(side.text)
    out: dict[int, Severity] = {}
    for k in range(len(side.words)):
        if skip is not None and skip[k]:
            continue
        level = foreign_word(side.word(k), script, source_bag, word_pieces, english)
        if level:
            out[k] = level
    return out
