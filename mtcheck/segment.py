"""Sentence splitting, language detection, and building a Document from raw text.

Splitting uses ``sentencex`` (rule-based, about 300 languages), then repairs the mistakes it
makes on scraped machine-translated news, where spacing around dots is often broken:
"U. S.", "19. 00 local time", "apnews. com/hub". Sentences never cross a block boundary, so a
headline without a final stop stays its own sentence.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from .clean import find_junk
from .config import CheckConfig
from .errors import InputError, ModelError
from .text import word_count
from .types import Document, Span

log = logging.getLogger("mtcheck")

#: How much text language detection looks at; more only costs time.
DETECT_CHARS = 5000

# Repairs: join a fragment to the previous one when the split point looks like this.
# "U." | "S. officials say": a lone initial at the end and another at the start. ("visited the
# U. S. | The trip was long" is a real boundary, so two initials at the end are not enough.)
_ENDS_WITH_INITIAL = re.compile(r"(?:^|[\s(“\"'])[A-Z]\.$")
_STARTS_WITH_INITIAL = re.compile(r"[A-Z]\.(?:\s|$)")
_ENDS_WITH_DIGIT_DOT = re.compile(r"\d\.$")  # "19." of "19. 00"
_STARTS_WITH_DIGIT = re.compile(r"\d")
# A fragment starting in lower case continues the previous sentence ("com/hub...", "link
# between ..."): scraped MT text breaks "apnews.com" into "apnews. com".
_STARTS_LOWER = re.compile(r"[\"“'‘(\[]*[^\W\d_]")


def split_sentences(raw: str, blocks: Sequence[Span], language: str = "en") -> tuple[Span, ...]:
    """Split content blocks into sentences.

    Args:
        raw: the whole raw text.
        blocks: content blocks (paragraphs or lines) with offsets into ``raw``; a sentence
            never crosses from one block into the next.
        language: ISO 639-1 code choosing sentencex's rules; unknown codes use English rules.

    Returns:
        The sentences in reading order, trimmed of surrounding whitespace, offsets into ``raw``.
    """
    lang = _sentencex_language(language)
    sentences: list[Span] = []
    for block in blocks:
        pieces = _repair(block.text, _raw_pieces(block.text, lang))
        sentences.extend(Span.of(raw, block.start + s, block.start + e) for s, e in pieces)
    return tuple(sentences)


def _sentencex_language(language: str) -> str:
    """The sentencex code for a langdetect code ("zh-cn" -> "zh"); English when unknown."""
    code = language.split("-")[0].lower()
    return code if code.isalpha() and code != "unknown" else "en"


def _raw_pieces(text: str, lang: str) -> list[tuple[int, int]]:
    """sentencex's fragments as trimmed (start, end) offsets into ``text``."""
    from sentencex import segment

    try:
        fragments = list(segment(lang, text))
    except Exception:  # sentencex's errors are undocumented; English rules always work
        log.debug("sentencex failed for language %r; using English rules", lang)
        fragments = list(segment("en", text))
    pieces: list[tuple[int, int]] = []
    cursor = 0
    for fragment in fragments:
        stripped = fragment.strip()
        if not stripped:
            continue
        # sentencex yields substrings in order; search forward to recover the offsets.
        found = text.find(stripped, cursor)
        if found < 0:  # should not happen; keep the rest whole rather than lose text
            log.debug("sentencex fragment not found in its block; keeping the rest whole")
            break
        pieces.append((found, found + len(stripped)))
        cursor = found + len(stripped)
    rest = text[cursor:]
    if rest.strip():
        start = cursor + len(rest) - len(rest.lstrip())
        pieces.append((start, cursor + len(rest.rstrip())))
    return pieces


def _repair(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join fragments that sentencex split at broken-spacing dots."""
    joined: list[tuple[int, int]] = []
    for start, end in pieces:
        # Only the last few characters of the sentence so far matter to _continues (its
        # patterns look at the end); passing all of it made a long line of fragments that all
        # join ("word. " * 16000) quadratic: 18 s for 96 KB.
        if joined and _continues(text[max(joined[-1][0], joined[-1][1] - 8) : joined[-1][1]], text[start:end]):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _continues(previous: str, fragment: str) -> bool:
    """Whether ``fragment`` is the rest of the sentence ``previous``, wrongly split off."""
    if _ENDS_WITH_INITIAL.search(previous) and _STARTS_WITH_INITIAL.match(fragment):
        return True
    if _ENDS_WITH_DIGIT_DOT.search(previous) and _STARTS_WITH_DIGIT.match(fragment):
        return True
    match = _STARTS_LOWER.match(fragment)
    return match is not None and match.group()[-1].islower()


def detect_language(text: str, seed: int = 0) -> str:
    """The language of ``text``, deterministically.

    Args:
        text: any text; only the first DETECT_CHARS characters are used.
        seed: langdetect's seed, set on each detector so repeated calls agree.

    Returns:
        An ISO 639-1 code such as "en" or "pt" (langdetect's "zh-cn"/"zh-tw" for Chinese),
        or "unknown" when langdetect finds no language features (digits, symbols, empty).

    Raises:
        KeyboardInterrupt: the language profiles were being loaded when the run was interrupted.
        ModelError: langdetect's language profiles cannot be loaded.
    """
    from langdetect.lang_detect_exception import LangDetectException

    detector = _language_profiles().create()
    detector.seed = seed  # per detector, not the class-wide DetectorFactory.seed: thread-safe
    detector.append(text[:DETECT_CHARS])
    try:
        return detector.detect()
    except LangDetectException:
        return "unknown"


_PROFILES = None
_PROFILES_LOCK = threading.Lock()


def _language_profiles():
    """langdetect's DetectorFactory with every profile loaded, built once per process.

    langdetect's own loader is not used: it is slow (see _read_profiles), and its bare
    ``except:`` turned *any* exception into a LangDetectException, KeyboardInterrupt included,
    keeping the half-loaded factory, so an early Ctrl-C made every later call in the process
    answer "unknown". Here the factory is kept only once complete, and an interrupt during
    loading stays the interrupt it was.
    """
    global _PROFILES
    with _PROFILES_LOCK:
        if _PROFILES is None:
            from langdetect import detector_factory

            factory = detector_factory.DetectorFactory()
            try:
                factory.langlist, factory.word_lang_prob_map = _read_profiles(detector_factory.PROFILES_DIRECTORY)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ModelError(f"langdetect's language profiles cannot be loaded: {exc}") from exc
            _PROFILES = factory
        return _PROFILES


def _read_profiles(folder: str) -> tuple[list[str], _NgramTable]:
    """langdetect's profiles as its ``DetectorFactory.load_profile`` reads them (same language
    order, same n-grams, the same float64 probabilities), built with numpy in a tenth of the time:
    its loader fills 87,598 lists of 55 probabilities one by one, 0.35 s of a 2.5 s cold start."""
    names = [name for name in os.listdir(folder) if not name.startswith(".")]  # its order, too
    profiles = []
    for name in names:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                profiles.append(json.load(fh))
    langs = [p["name"] for p in profiles]
    if len(langs) < 2 or len(set(langs)) != len(langs):
        raise ValueError(f"{folder} must hold two or more distinct language profiles")
    rows: dict[str, int] = {}
    for profile in profiles:
        for word in profile["freq"]:
            rows.setdefault(word, len(rows))
    table = np.zeros((len(rows), len(langs)), dtype=np.float64)
    for column, profile in enumerate(profiles):
        words = [w for w in profile["freq"] if 1 <= len(w) <= 3]  # longer n-grams stay 0, as there
        counts = np.array([profile["freq"][w] for w in words], dtype=np.float64)
        totals = np.array(profile["n_words"], dtype=np.float64)[[len(w) - 1 for w in words]]
        table[[rows[w] for w in words], column] = counts / totals  # IEEE division: the same numbers
    return langs, _NgramTable(rows, table)


class _NgramTable:
    """n-gram -> list of per-language probabilities, as langdetect's Detector reads its map
    (``in`` and ``[]``); each row becomes a list of floats on first use."""

    def __init__(self, rows: dict[str, int], table: np.ndarray) -> None:
        self._rows = rows
        self._table = table
        self._lists: dict[str, list[float]] = {}

    def __contains__(self, word: object) -> bool:
        return word in self._rows

    def __getitem__(self, word: str) -> list[float]:
        found = self._lists.get(word)
        if found is None:
            found = self._lists[word] = self._table[self._rows[word]].tolist()
        return found

    def __len__(self) -> int:
        return len(self._rows)


# Where a sentence too long for the model is best cut: after clause punctuation, else at a space.
_CLAUSE_BREAK = re.compile(r"[,;:)\]\u2013\u2014\u3001\uff0c\uff1b]\s*")
_SPACE = re.compile(r"\s+")


def fit_to_window(
    doc: Document, count_tokens: Callable[[Sequence[str]], list[int]], window: int
) -> tuple[Document, tuple[tuple[Span, int, int], ...]]:
    """Split every sentence longer than the model's window into parts that fit it.

    A sentence-transformers model reads at most ``window`` word pieces and silently drops the
    rest, so the end of a very long sentence would never be compared or flagged. Its parts
    become sentences of their own (the aligner then pairs them 1-2, 2-1 or 1-1 as they fall),
    cut after clause punctuation where possible, else at a space, else anywhere.

    Args:
        doc: the document.
        count_tokens: word pieces per text as the model reads it, special tokens included.
        window: the most word pieces the model reads.

    Returns:
        The document (the same object when nothing was too long) and, for each sentence that
        was split, (the original sentence, its word pieces, the number of parts).
    """
    sizes = count_tokens(doc.texts)
    if all(size <= window for size in sizes):
        return doc, ()
    fits = lambda text: count_tokens([text])[0] <= window  # noqa: E731
    sentences: list[Span] = []
    split: list[tuple[Span, int, int]] = []
    for sentence, size in zip(doc.sentences, sizes):
        if size <= window:
            sentences.append(sentence)
            continue
        parts = [Span.of(doc.raw, sentence.start + s, sentence.start + e) for s, e in _cut_to_fit(sentence.text, fits)]
        sentences.extend(parts)
        split.append((sentence, size, len(parts)))
    return replace(doc, sentences=tuple(sentences)), tuple(split)


def _cut_to_fit(text: str, fits: Callable[[str], bool]) -> list[tuple[int, int]]:
    """(start, end) offsets of consecutive trimmed parts of ``text``, each of which fits."""
    parts: list[tuple[int, int]] = []
    start = 0
    while True:
        start += len(text[start:]) - len(text[start:].lstrip())
        if start >= len(text):
            return parts
        if fits(text[start:]):
            parts.append((start, len(text.rstrip())))
            return parts
        # The longest prefix that fits (word pieces grow with the text), by bisection.
        low, high = start + 1, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if fits(text[start:middle]):
                low = middle
            else:
                high = middle - 1
        end = _best_cut(text, start, low)
        parts.append((start, start + len(text[start:end].rstrip())))
        start = end


def _best_cut(text: str, start: int, limit: int) -> int:
    """Where to end a part that may run from ``start`` to ``limit``: the last clause break in
    its second half, else the last space there, else ``limit`` itself."""
    half = start + (limit - start) // 2
    for pattern in (_CLAUSE_BREAK, _SPACE):
        cuts = [m.end() for m in pattern.finditer(text, half, limit) if m.end() <= limit]
        if cuts:
            return cuts[-1]
    return limit


def build_document(
    raw: str,
    *,
    path: str | None = None,
    encoding: str | None = None,
    clean: bool = True,
    seed: int = 0,
) -> Document:
    """Clean, detect the language of, and split a running text.

    A page whose every line is junk gives a Document with no sentences; deciding whether that
    is an error is the caller's business.

    Args:
        raw: the text as read.
        path: where it came from, for reports.
        encoding: the encoding it was decoded with, for reports.
        clean: set page junk aside first; if False every non-blank line is a content block.
        seed: langdetect's seed.

    Returns:
        The Document.

    Raises:
        InputError: the text is empty or only whitespace.
    """
    _require_text(raw, path)
    if clean:
        blocks, junk = find_junk(raw)
    else:
        blocks, junk = _line_spans(raw), ()
    language = detect_language("\n".join(b.text for b in blocks), seed) if blocks else "unknown"
    sentences = split_sentences(raw, blocks, language)
    return Document(raw, sentences, junk, language, path, encoding)


def document_from_lines(raw: str, *, path: str | None = None, encoding: str | None = None, seed: int = 0) -> Document:
    """A Document from presplit text: every non-blank line is one sentence, nothing is cleaned.

    Args:
        raw: the text as read, one sentence per line.
        path: where it came from, for reports.
        encoding: the encoding it was decoded with, for reports.
        seed: langdetect's seed.

    Raises:
        InputError: the text is empty or only whitespace.
    """
    _require_text(raw, path)
    sentences = _line_spans(raw)
    language = detect_language("\n".join(s.text for s in sentences), seed)
    return Document(raw, sentences, (), language, path, encoding)


def document_from_sentences(sentences: Sequence[str], seed: int = 0, what: str = "") -> Document:
    """A Document from a list of sentences (the Python API's list input).

    The raw text is the sentences joined by newlines; each sentence is one Span exactly as
    given, so sentence ``i`` of the list is sentence ``i`` of the Document.

    Args:
        sentences: the sentences, in order.
        seed: langdetect's seed.
        what: which side the list is ("source"), to name it in errors.

    Raises:
        InputError: the list is empty, or an item is not a string, holds a lone surrogate, or is
            blank (it would have nothing to align, and dropping it would shift every later index).
    """
    if isinstance(sentences, str):
        raise InputError("give a list of sentences, not one string")
    if not sentences:
        raise InputError("the list of sentences is empty; there is nothing to check")
    spans: list[Span] = []
    start = 0
    for i, sentence in enumerate(sentences):
        name = f"{what} sentence {i}".lstrip()
        if not isinstance(sentence, str):
            raise InputError(f"{name} is not a string but {type(sentence).__name__}")
        _refuse_surrogates(sentence, name)
        if not sentence.strip():
            raise InputError(f"{name} is empty or only whitespace")
        spans.append(Span(start, start + len(sentence), sentence))
        start += len(sentence) + 1  # the joining newline
    raw = "\n".join(sentences)
    return Document(raw, tuple(spans), (), detect_language(raw, seed))


def _line_spans(raw: str) -> tuple[Span, ...]:
    """Every non-blank line, trimmed, with offsets into ``raw``."""
    spans = []
    # A lone CR ends a line too: with "\n" only, a presplit CR-only file was one sentence.
    for match in re.finditer(r"[^\r\n]+", raw):
        line = match.group()
        if line.strip():
            start = match.start() + len(line) - len(line.lstrip())
            spans.append(Span.of(raw, start, match.start() + len(line.rstrip())))
    return tuple(spans)


def _require_text(raw: str, path: str | None) -> None:
    if not raw.strip():
        raise InputError(f"{path or 'the text'} is empty or only whitespace; there is nothing to check")


#: What ``mtcheck.check`` accepts for each side: an article, its sentences, or a Document.
Side = str | Sequence[str] | Document


_SURROGATE = re.compile("[\ud800-\udfff]")


def document_from_text(
    raw: str, config: CheckConfig, *, path: str | None = None, encoding: str | None = None
) -> Document:
    """A Document from running text as the settings say: one sentence per line if
    ``config.presplit``, else cleaned (if ``config.clean``) and split."""
    if config.presplit:
        return document_from_lines(raw, path=path, encoding=encoding, seed=config.langdetect_seed)
    return build_document(raw, path=path, encoding=encoding, clean=config.clean, seed=config.langdetect_seed)


def as_document(side: Side, config: CheckConfig, what: str) -> Document:
    """Turn what the caller gave for one side into a Document.

    Raises:
        InputError: ``side`` is not a string, a list (or tuple) of strings, or a Document; or it
            is empty, or holds a lone surrogate, which no file can contain.
    """
    if isinstance(side, Document):
        doc = side
    elif isinstance(side, str):
        _refuse_surrogates(side, f"the {what} text")
        if not side.strip():
            raise InputError(f"the {what} text is empty")
        doc = document_from_text(side, config)
    elif isinstance(side, (list, tuple)):
        doc = document_from_sentences(side, seed=config.langdetect_seed, what=what)
    else:
        raise InputError(
            f"{what} must be the article as a string, a list of sentences or a Document, not {type(side).__name__}"
        )
    if not doc.sentences:
        raise InputError(f"the {what} has no sentences to check")
    return doc


def _refuse_surrogates(text: str, what: str) -> None:
    # A lone surrogate cannot be encoded, so it would fail later in a renderer or the model.
    bad = _SURROGATE.search(text)
    if bad is not None:
        raise InputError(
            f"{what} contains a lone surrogate (U+{ord(bad.group()):04X}) at character {bad.start()}; "
            f"it is not valid Unicode text"
        )


__all__ = [
    "split_sentences",
    "detect_language",
    "build_document",
    "document_from_lines",
    "document_from_sentences",
    "fit_to_window",
    "as_document",
    "document_from_text",
    "Side",
]


#: A heading or caption has at most this many words (text.word_count).
_HEADING_WORDS = 15
#: Closing quotes and brackets after a sentence's last character.
_TRAILING_CLOSERS = "\"'”’)]»」』】）"


def standalone(doc: Document) -> tuple[bool, ...]:
    """Per sentence: whether it is a heading-like line that never joins a neighbour in a bead.

    A subheading, a caption or a credit line ("Image source: Reuters") is a short line of its
    own that does not end in punctuation. A rewrite that inserts one would otherwise have it
    glued onto the bead before or after it by the aligner's merges, diluting that bead. A line
    that ends mid-clause ("... and ask him to", "then—") is not standalone when it is long or
    ends in punctuation, so real sentence fragments still merge.
    """
    raw = doc.raw
    marks = []
    for span in doc.sentences:
        text = span.text.rstrip().rstrip(_TRAILING_CLOSERS)
        own_line = raw[: span.start].rstrip(" \t").endswith(("\n", "\r")) or not raw[: span.start].strip()
        own_line = own_line and (raw[span.end :].lstrip(" \t")[:1] in ("", "\n", "\r"))
        marks.append(bool(text) and text[-1].isalnum() and own_line and word_count(text) <= _HEADING_WORDS)
    return tuple(marks)
