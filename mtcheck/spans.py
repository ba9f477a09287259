"""Flags inside one aligned bead: which candidate spans probably changed the meaning.

Two layers:

* **A learned word flagger** (same-language pairs). Candidate and source words are aligned with
  difflib over case-, punctuation- and spelling-normalised words (so "capital," = "capital" and
  "armoured" = "armored" count as matched). Every candidate word then gets a handful of features:
  whether it matched exactly or only after normalisation, the best cosine between its contextual
  token embedding and any source word's, that cosine inside its difflib counterpart chunk, stopword,
  capitalised, number, position, the neighbours' values, and the precise checks below. Two small
  logistic models (trained by ``bench/train_flagger.py`` on half of the MQM dev documents; weights in
  ``mtcheck/data/flagger.json``) give each word P(in a Major error) and P(in any error). Words above
  the Major threshold become major flags, words above the any-error threshold minor flags; runs of
  flagged words inside one difflib chunk become one flag, whose source counterpart is that chunk's
  source side. Paraphrases ("spokesman" / "spokesperson") keep a high contextual cosine and so a
  low probability; meaning changes ("boarded" / "addressed") do not.
* **Precise checks**, for same- and cross-language pairs: numbers, times and dates that differ
  after normalisation (``mtcheck.numbers``); negation added or dropped; names (capitalised words)
  with no counterpart; words in another script or language than the candidate's; and, same-language
  only, content words omitted or added. A precise flag takes precedence over a learned flag on the
  same words.

Multi-sentence beads are handled by joining each side's sentences with one space and mapping every
offset back into the raw text. All model calls of many beads are batched in :func:`flag_beads`.
"""

from __future__ import annotations

import difflib
import json
import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .numbers import extract_numbers, number_keys
from .types import Flag, Span

log = logging.getLogger("mtcheck")

__all__ = [
    "BeadInput",
    "flag_bead",
    "flag_beads",
    "checks_run",
    "flagger_fingerprint",
    "penalty",
    "word_features",
    "FEATURES",
]

SAME_LANGUAGE_CHECKS = ("substitution", "omission", "addition", "number", "name", "negation", "untranslated")
CROSS_LANGUAGE_CHECKS = ("number", "name", "negation", "untranslated")


def checks_run(cross_language: bool) -> tuple[str, ...]:
    """Names of the checks :func:`flag_bead` runs for a same- or cross-language pair."""
    return CROSS_LANGUAGE_CHECKS if cross_language else SAME_LANGUAGE_CHECKS


def penalty(flags: Iterable[Flag], weights: Mapping[str, float] | Iterable[tuple[str, float]]) -> float:
    """Sum of the severity weights of ``flags`` (``{"major": 5, "minor": 1}`` by default in
    CheckConfig.severity_weights)."""
    w = dict(weights)
    return float(sum(w.get(f.severity, 0.0) for f in flags))


# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------

STOPWORDS = frozenset(
    """a an the and or but nor so yet for of to in on at by with from as into onto upon about
    above below over under between among through during before after since until than then
    that this these those there here which who whom whose what when where why how whether if
    because while although though also too very just only even still already again further
    more most less least much many some any each every all both either neither other another
    such same own i me my mine we us our ours you your yours he him his she her hers it its
    they them their theirs one ones is am are was were be been being have has had having do
    does did doing will would shall should can could may might must ought 's 're 've 'd 'll
    n't not no s t up out off down per via against within without toward towards across
    around along amid behind beyond near so-called mr mrs ms""".split()
)

NEGATION_CUES = {
    "en": frozenset("not no never nobody nothing none neither nor cannot without nowhere n't".split()),
    "de": frozenset("nicht kein keine keinen keinem keiner keines nie niemals niemand nichts ohne weder".split()),
    "fr": frozenset("ne n' pas jamais rien personne aucun aucune sans ni".split()),
    "es": frozenset("no nunca nada nadie ningún ninguno ninguna sin ni jamás tampoco".split()),
    "it": frozenset("non mai niente nulla nessuno nessuna senza né".split()),
    "pt": frozenset("não nunca nada ninguém nenhum nenhuma sem nem".split()),
    "nl": frozenset("niet geen nooit niets niemand zonder".split()),
    "ru": frozenset("не нет ни никогда ничего никто без".split()),
}
# Chinese negation characters, and common words that contain one without negating anything.
_ZH_NEG = "不没未无非别勿莫"
_ZH_NOT_NEG = (
    "不断 不少 不仅 不过 不久 不同 不管 不论 不得不 无论 并非 非常 非洲 未来 别人 别的 特别 区别 "
    "分别 个别 级别 类别 无人机 无线 无数 不已 不禁 莫斯科 莫过于 没有人不 毫无疑问 无疑 不妨 无比 "
    "不料 不光 不只 不然 不但 不外乎 不由得 不停 不时 不利 不良 不足 不安 无限 无偿 非法 未曾"
).split()

_SENT_END = re.compile(r"[.!?。！？:;\"“”]$")
_WORD_RE = re.compile(r"\S+")
_HAS_ALNUM = re.compile(r"\w", re.UNICODE)
_EN_SUFFIXES = (
    "ing", "ed", "ly", "tion", "tions", "sion", "ness", "ment", "ments", "able", "ible", "ism",
    "ist", "ists", "ize", "ized", "ise", "ised", "ous", "ful", "less", "er", "ers", "est", "s",
    "ity", "ance", "ence", "ship", "ward", "wise", "al", "ic", "ical", "ive", "ure",
)


# --------------------------------------------------------------------------------------------
# Texts, words and offsets
# --------------------------------------------------------------------------------------------


@dataclass
class _Side:
    """One side of a bead: its sentences joined by single spaces, with a map back to the raw text."""

    raw: str
    text: str
    pieces: list[tuple[int, int, int]]  # (joined start, raw start, length)
    words: list[tuple[int, int]]  # word offsets into ``text``

    @classmethod
    def build(cls, raw: str, spans: Sequence[Span]) -> "_Side":
        parts, pieces, pos = [], [], 0
        for k, sp in enumerate(spans):
            if k:
                parts.append(" ")
                pos += 1
            pieces.append((pos, sp.start, len(sp.text)))
            parts.append(sp.text)
            pos += len(sp.text)
        text = "".join(parts)
        return cls(raw, text, pieces, [(m.start(), m.end()) for m in _WORD_RE.finditer(text)])

    def word(self, k: int) -> str:
        s, e = self.words[k]
        return self.text[s:e]

    def to_raw(self, pos: int, *, end: bool = False) -> int:
        """Raw offset of joined offset ``pos`` (an end offset maps the character before it)."""
        if not self.pieces:
            return 0
        probe = pos - 1 if end and pos > 0 else pos
        for js, rs, n in self.pieces:
            if js <= probe < js + n:
                return rs + (probe - js) + (1 if end and pos > 0 else 0)
        # in a joining space or past the end: snap to the nearest piece boundary
        best = min(self.pieces, key=lambda p: min(abs(p[0] - probe), abs(p[0] + p[2] - probe)))
        js, rs, n = best
        return rs if probe < js else rs + n

    def span(self, start: int, end: int) -> Span:
        a = self.to_raw(start)
        b = self.to_raw(end, end=True) if end > start else a
        return Span.of(self.raw, a, max(a, b))

    def words_span(self, i: int, j: int, *, trim: bool = True) -> Span:
        """Raw span of words i..j-1, with edge punctuation trimmed from words that have letters."""
        s, e = self.words[i][0], self.words[j - 1][1]
        if trim:
            s, e = _trim(self.text, s, e)
        return self.span(s, e)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    if not _HAS_ALNUM.search(text[s:e]):
        return s, e
    while s < e and not (text[s].isalnum()):
        s += 1
    while e > s and not (text[e - 1].isalnum() or text[e - 1] == "%"):
        e -= 1
    return s, e


def _strip_punct(word: str) -> str:
    return "".join(ch for ch in word if ch.isalnum() or ch in "'’-").strip("'’-")


def _spelling_key(word: str) -> str:
    """Lower-case, punctuation-free, British spellings folded to American ones."""
    w = _strip_punct(unicodedata.normalize("NFKC", word)).lower().replace("’", "'")
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


def _is_stop(word: str) -> bool:
    return _strip_punct(word).lower().replace("’", "'") in STOPWORDS


def _is_punct(word: str) -> bool:
    return not _HAS_ALNUM.search(word)


def _script(ch: str) -> str:
    if ch.isascii():
        return "latin" if ch.isalpha() else ""
    name = unicodedata.name(ch, "")
    for script in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "CYRILLIC", "ARABIC", "GREEK", "HEBREW",
                   "THAI", "DEVANAGARI", "LATIN"):
        if name.startswith(script) or f" {script} " in f" {name} ":
            return {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}.get(script, script.lower())
    return ""


def _main_script(text: str) -> str:
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            sc = _script(ch)
            if sc:
                counts[sc] = counts.get(sc, 0) + 1
    return max(counts, key=counts.get) if counts else "latin"


# --------------------------------------------------------------------------------------------
# Embeddings
# --------------------------------------------------------------------------------------------


def _sentence_transformer(embedder: Any):
    """The underlying SentenceTransformer with a Hugging Face model, or None."""
    for obj in (embedder, getattr(embedder, "inner", None)):
        if obj is None:
            continue
        try:
            model = getattr(obj, "model", None)
        except Exception:  # noqa: BLE001 - a backend that cannot load has no token embeddings
            return None
        if model is not None and hasattr(model, "tokenizer"):
            try:
                if hasattr(model[0], "auto_model"):
                    return model
            except (TypeError, IndexError, KeyError):
                pass
    return None


def _word_vectors(side: _Side, tok_off: np.ndarray, tok_vec: np.ndarray, dim: int) -> np.ndarray:
    """One L2-normalised vector per word of ``side``: the mean of the tokens inside it."""
    wv = np.zeros((len(side.words), dim), dtype=np.float32)
    for w, (s, e) in enumerate(side.words):
        sel = (tok_off[:, 0] < e) & (tok_off[:, 1] > s)
        if sel.any():
            wv[w] = tok_vec[sel].mean(0)
    norms = np.linalg.norm(wv, axis=1, keepdims=True)
    return wv / np.maximum(norms, 1e-9)


def _contextual_word_vectors(
    embedder: Any, sides: Sequence[_Side], batch_size: int = 32
) -> tuple[list[np.ndarray], np.ndarray]:
    """Per side: one L2-normalised contextual vector per word; plus one sentence vector per side.

    With a sentence-transformers model, one forward pass per text gives both: word vectors are the
    mean of the word's token vectors, and the sentence vector is the model's own mean pooling.
    Other embedders get static word vectors (each word embedded alone) and ``embedder.encode``.
    """
    model = _sentence_transformer(embedder)
    if model is None:
        vocab = sorted({s.word(k) for s in sides for k in range(len(s.words))})
        table = dict(zip(vocab, embedder.encode(vocab))) if vocab else {}
        sent = embedder.encode([s.text for s in sides]) if sides else np.zeros((0, 1))
        dim = sent.shape[1] if len(sides) else 1
        words = [
            np.stack([table[s.word(k)] for k in range(len(s.words))]) if s.words else np.zeros((0, dim))
            for s in sides
        ]
        return words, np.asarray(sent, dtype=np.float32)

    import torch

    tok = model.tokenizer
    auto = model[0].auto_model
    max_len = min(getattr(model, "max_seq_length", 256) or 256, 512)
    dim = auto.config.hidden_size
    words_out: list[np.ndarray | None] = [None] * len(sides)
    sent_out = np.zeros((len(sides), dim), dtype=np.float32)
    # one pass per distinct text (a reference checked against several systems is embedded once)
    first: dict[str, int] = {}
    for k, side in enumerate(sides):
        first.setdefault(side.text, k)
    # Texts whose tokens the pipeline's own embedding pass kept need no second forward pass.
    cached_tokens = getattr(embedder, "cached_tokens", None)
    if cached_tokens is not None:
        for k in list(first.values()):
            kept = cached_tokens(sides[k].text)
            if kept is None:
                continue
            tok_off, tok_vec = kept
            words_out[k] = _word_vectors(sides[k], tok_off, tok_vec, dim)
            sent_out[k] = embedder.encode([sides[k].text])[0]
            del first[sides[k].text]
    order = sorted(first.values(), key=lambda k: len(sides[k].text))
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            texts = [sides[k].text for k in idx]
            enc = tok(texts, padding=True, truncation=True, max_length=max_len,
                      return_offsets_mapping=True, return_special_tokens_mask=True, return_tensors="pt")
            offsets = enc.pop("offset_mapping").numpy()
            special = enc.pop("special_tokens_mask").numpy().astype(bool)
            hidden = auto(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, dim=-1).numpy()
            hid = hidden.numpy()
            for row, k in enumerate(idx):
                sent_out[k] = pooled[row]
                live = (~special[row]) & (enc["attention_mask"][row].numpy() > 0)
                words_out[k] = _word_vectors(sides[k], offsets[row][live], hid[row][live], dim)
    first_of = {}
    for k, side in enumerate(sides):
        first_of.setdefault(side.text, k)
    for k, side in enumerate(sides):
        if words_out[k] is None and first_of[side.text] != k:
            words_out[k] = words_out[first_of[side.text]]
            sent_out[k] = sent_out[first_of[side.text]]
    return [w if w is not None else np.zeros((0, dim)) for w in words_out], sent_out


# --------------------------------------------------------------------------------------------
# The learned flagger
# --------------------------------------------------------------------------------------------

FEATURES = (
    "exact", "loose", "inbag", "maxcos", "ctxcos", "chunkcos", "stop", "cap", "num", "punct",
    "relpos", "loglen", "chunk", "isadd", "srcchunk", "sentcos", "lenratio", "unmatched_frac",
    "prev_exact", "next_exact", "prev_maxcos", "next_maxcos", "num_bad", "neg", "name_bad",
    "foreign", "first", "unm_maxcos", "unm_stop", "unm_cap",
)


@dataclass
class _Pair:
    """Everything computed for one same-language bead before flags are made."""

    cand: _Side
    src: _Side
    opcodes: list[tuple[str, int, int, int, int]]
    chunk_of: list[int]  # candidate word -> index into opcodes
    exact: np.ndarray
    loose: np.ndarray
    features: np.ndarray | None = None
    checks: dict[str, Any] = field(default_factory=dict)


def _align_words(cand: _Side, src: _Side) -> tuple[list, np.ndarray, np.ndarray]:
    cw = [cand.word(k) for k in range(len(cand.words))]
    sw = [src.word(k) for k in range(len(src.words))]
    exact = np.zeros(len(cw), dtype=bool)
    for i, _, n in difflib.SequenceMatcher(None, cw, sw, autojunk=False).get_matching_blocks():
        exact[i : i + n] = True
    ck = [_spelling_key(w) or w for w in cw]
    sk = [_spelling_key(w) or w for w in sw]
    sm = difflib.SequenceMatcher(None, ck, sk, autojunk=False)
    opcodes = sm.get_opcodes()
    loose = np.zeros(len(cw), dtype=bool)
    for tag, i1, i2, _, _ in opcodes:
        if tag == "equal":
            loose[i1:i2] = True
    return opcodes, exact, loose


def _fold(word: str) -> str:
    """Lower case without accents: "Rússia" -> "russia"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(ch))


def _shares_stem(a: str, b: str, length: int = 5) -> bool:
    """Both words begin with the same ``length`` letters (Korea/Korean, Russia/Russian)."""
    a, b = _fold(_strip_punct(a)), _fold(_strip_punct(b))
    return len(a) >= length and len(b) >= length and a[:length] == b[:length]


def _sentence_initial(side: _Side, k: int) -> bool:
    if k == 0:
        return True
    prev = side.word(k - 1)
    if _SENT_END.search(prev):
        return True
    # after a dash or colon a capital starts a clause ("SEOUL (AP) — Accompanied by ...")
    if prev in ("—", "–", "-", ":") or prev.endswith(":"):
        return True
    # the first word after a sentence join
    s = side.words[k][0]
    return any(js == s for js, _, _ in side.pieces)


_NB_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl", "ca", "ro", "sv", "da", "pl", "id", "tl", "af")


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


def _foreign_word(word: str, script: str, source_bag: set[str], tokenizer: Any, english: bool) -> str | None:
    """"major" for a word in another script than the text's, or (English texts) one that reads
    clearly non-English; "minor" for one that may be; None otherwise."""
    core = _strip_punct(word)
    if not core or core.lower() in source_bag:
        return None
    letters = [ch for ch in core if ch.isalpha()]
    if not letters:
        return None
    scripts = {_script(ch) for ch in letters} - {""}
    if scripts and script not in scripts:
        return "major"
    if not english or script != "latin" or core[0].isupper():
        return None
    if any(not ch.isascii() for ch in letters):
        return "major" if _non_english_margin(core) >= 6 else "minor"  # "está", "für"
    if tokenizer is None or not core.isalpha() or len(core) < 6 or core.endswith(_EN_SUFFIXES):
        return None
    if len(tokenizer.tokenize(core)) < 3:
        return None  # the English vocabulary knows it, or nearly
    margin = _non_english_margin(core)
    return "major" if margin >= 12 else "minor" if margin >= 6 else None


def _negation_count(words: Sequence[str], cues: frozenset[str]) -> list[int]:
    hits = []
    for k, w in enumerate(words):
        lw = w.lower().replace("’", "'")
        core = _strip_punct(lw)
        if core in cues or lw.endswith("n't") or core.endswith("n't") or core == "cannot":
            hits.append(k)
    return hits


def _zh_negations(text: str) -> list[int]:
    masked = list(text)
    for word in _ZH_NOT_NEG:
        for m in re.finditer(re.escape(word), text):
            for k in range(m.start(), m.end()):
                masked[k] = " "
    return [k for k, ch in enumerate(masked) if ch in _ZH_NEG]


def _prepare(cand: _Side, src: _Side, tokenizer: Any) -> _Pair:
    opcodes, exact, loose = _align_words(cand, src)
    chunk_of = [0] * len(cand.words)
    for c, (tag, i1, i2, _, _) in enumerate(opcodes):
        for i in range(i1, i2):
            chunk_of[i] = c
    pair = _Pair(cand, src, opcodes, chunk_of, exact, loose)
    pair.checks = _same_language_checks(pair, tokenizer)
    return pair


def _same_language_checks(pair: _Pair, tokenizer: Any) -> dict[str, Any]:
    """Precise checks over one same-language pair (English word lists where they matter)."""
    cand, src = pair.cand, pair.src
    n = len(cand.words)
    cw = [cand.word(k) for k in range(n)]
    sw = [src.word(k) for k in range(len(src.words))]
    src_bag = {_strip_punct(w).lower() for w in sw} | {_spelling_key(w) for w in sw}
    src_text_lower = src.text.lower()
    out: dict[str, Any] = {"num_bad": [], "name_bad": [], "foreign": [], "neg": [], "num_ok": []}

    # numbers
    src_keys = number_keys(src.text)
    out["num_ok"] = []
    for m in extract_numbers(cand.text):
        ks = [k for k, (ws, we) in enumerate(cand.words) if ws < m.end and we > m.start]
        if m.key not in src_keys:
            out["num_bad"].append((m.start, m.end, m.key))
        elif m.written_in_digits and all(not _strip_punct(cw[k]).isalpha()
                                         or _strip_punct(cw[k]).lower() in ("am", "pm", "oclock", "o'clock", "hrs")
                                         for k in ks):
            out["num_ok"].extend(ks)

    # names: capitalised, not sentence-initial, no counterpart anywhere in the source
    for k, w in enumerate(cw):
        core = _strip_punct(w)
        if not core or not core[0].isupper() or _is_stop(core) or pair.loose[k]:
            continue
        if _sentence_initial(cand, k) or any(ch.isdigit() for ch in core):
            continue
        if core.lower() in src_bag or _spelling_key(core) in src_bag or core.lower() in src_text_lower:
            continue
        if len(core) <= 2 and core.isupper():
            continue  # "TV", "AP": abbreviations of common nouns as often as names
        if any(_shares_stem(core, w) for w in src_bag):
            continue  # "South Korean" for "South Korea's": the same name, another form
        out["name_bad"].append(k)

    # other-language words
    script = _main_script(cand.text)
    out["foreign_severity"] = {}
    for k, w in enumerate(cw):
        level = None if pair.exact[k] else _foreign_word(w, script, src_bag, tokenizer, english=True)
        if level:
            out["foreign"].append(k)
            out["foreign_severity"][k] = level

    # negation: cues present on one side only
    cues = NEGATION_CUES["en"]
    c_hits, s_hits = _negation_count(cw, cues), _negation_count(sw, cues)
    if len(c_hits) != len(s_hits):
        if len(c_hits) > len(s_hits):
            extra = [k for k in c_hits if not pair.loose[k]] or c_hits
            for k in extra[: len(c_hits) - len(s_hits)]:
                out["neg"].append(("added", k, k + 1, None))
        else:
            # source cue words the candidate lacks: locate them through the opcodes
            matched_src = set()
            for tag, i1, i2, j1, j2 in pair.opcodes:
                if tag == "equal":
                    matched_src.update(range(j1, j2))
            missing = [j for j in s_hits if j not in matched_src] or s_hits
            for j in missing[: len(s_hits) - len(c_hits)]:
                i_lo, i_hi = _candidate_window(pair, j)
                out["neg"].append(("dropped", i_lo, i_hi, j))
    return out


def _candidate_window(pair: _Pair, j: int) -> tuple[int, int]:
    """Candidate words standing where source word ``j`` is: the replacing chunk, or the words on
    either side of the place it was dropped from."""
    n = len(pair.cand.words)
    for tag, i1, i2, j1, j2 in pair.opcodes:
        if j1 <= j < j2:
            if i2 > i1:
                return i1, i2
            lo, hi = max(0, i1 - 1), min(n, i1 + 1)
            return (lo, hi) if hi > lo else (0, min(n, 1))
    return 0, min(n, 1)


def word_features(pair: _Pair, words: np.ndarray, swords: np.ndarray, sentcos: float) -> np.ndarray:
    """The feature matrix (candidate words x FEATURES) of one same-language pair."""
    cand, src = pair.cand, pair.src
    n, m = len(cand.words), len(src.words)
    F = np.zeros((n, len(FEATURES)), dtype=np.float32)
    if n == 0:
        return F
    sim = words @ swords.T if m else np.zeros((n, 1), dtype=np.float32)
    maxcos = sim.max(1) if m else np.zeros(n)
    src_bag = {_strip_punct(src.word(k)).lower() for k in range(m)}
    chunk_cos = np.zeros(n)
    ctx_cos = np.zeros(n)
    for tag, i1, i2, j1, j2 in pair.opcodes:
        if i2 == i1:
            continue
        lo, hi = max(0, j1 - 1), min(m, j2 + 1)
        if tag == "equal":
            for d in range(i2 - i1):
                ctx_cos[i1 + d] = sim[i1 + d, j1 + d] if m else 0
        else:
            ctx_cos[i1:i2] = sim[i1:i2, lo:hi].max(1) if hi > lo else maxcos[i1:i2]
        chunk_cos[i1:i2] = ctx_cos[i1:i2].mean()
    unmatched = ~pair.loose
    num_bad = np.zeros(n)
    for s, e, _ in pair.checks["num_bad"]:
        for k, (ws, we) in enumerate(cand.words):
            if ws < e and we > s:
                num_bad[k] = 1
    neg = np.zeros(n)
    for _, i1, i2, _ in pair.checks["neg"]:
        neg[i1:i2] = 1
    for k in range(n):
        w = cand.word(k)
        tag, i1, i2, j1, j2 = pair.opcodes[pair.chunk_of[k]]
        core = _strip_punct(w)
        row = {
            "exact": float(pair.exact[k]),
            "loose": float(pair.loose[k]),
            "inbag": float(core.lower() in src_bag),
            "maxcos": maxcos[k],
            "ctxcos": ctx_cos[k],
            "chunkcos": chunk_cos[k],
            "stop": float(_is_stop(w)),
            "cap": float(bool(core) and core[0].isupper() and not _sentence_initial(cand, k)),
            "num": float(any(ch.isdigit() for ch in w)),
            "punct": float(_is_punct(w)),
            "relpos": k / max(1, n - 1),
            "loglen": math.log1p(len(core)),
            "chunk": math.log1p(i2 - i1) if tag != "equal" else 0.0,
            "isadd": float(tag == "delete"),
            "srcchunk": math.log1p(j2 - j1) if tag != "equal" else 0.0,
            "sentcos": sentcos,
            "lenratio": math.log((n + 1) / (m + 1)),
            "unmatched_frac": float(unmatched.mean()),
            "prev_exact": float(pair.exact[k - 1]) if k > 0 else 1.0,
            "next_exact": float(pair.exact[k + 1]) if k + 1 < n else 1.0,
            "prev_maxcos": maxcos[k - 1] if k > 0 else 1.0,
            "next_maxcos": maxcos[k + 1] if k + 1 < n else 1.0,
            "num_bad": num_bad[k],
            "neg": neg[k],
            "name_bad": float(k in pair.checks["name_bad"]),
            "foreign": float(k in pair.checks["foreign"]),
            "first": float(k == 0),
        }
        row["unm_maxcos"] = (1 - row["loose"]) * row["maxcos"]
        row["unm_stop"] = (1 - row["loose"]) * row["stop"]
        row["unm_cap"] = (1 - row["loose"]) * row["cap"]
        F[k] = [row[f] for f in FEATURES]
    return F


@lru_cache(maxsize=None)
def _load_model(path: str | None = None) -> dict[str, Any]:
    if path:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    else:
        data = json.loads(resources.files("mtcheck").joinpath("data/flagger.json").read_text("utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError("mtcheck/data/flagger.json was trained on other features; rerun bench/train_flagger.py")
    return data


@lru_cache(maxsize=None)
def flagger_fingerprint() -> str:
    """sha256 prefix of the packaged flagger weights, for the report signature."""
    import hashlib

    blob = resources.files("mtcheck").joinpath("data/flagger.json").read_bytes()
    return f"sha256:{hashlib.sha256(blob).hexdigest()[:12]}"


def _predict(model: dict[str, Any], F: np.ndarray, head: str) -> np.ndarray:
    h = model["heads"][head]
    z = (F - np.asarray(model["mean"])) / np.asarray(model["scale"])
    return 1.0 / (1.0 + np.exp(-(z @ np.asarray(h["coef"]) + h["intercept"])))


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BeadInput:
    """One aligned bead for :func:`flag_beads`: both raw texts and the bead's sentence spans."""

    source_raw: str
    source_spans: Sequence[Span]
    candidate_raw: str
    candidate_spans: Sequence[Span]
    bead_index: int = 0
    cross_language: bool = False
    source_language: str | None = None
    candidate_language: str | None = None


def flag_bead(
    source_raw: str,
    source_spans: Sequence[Span],
    candidate_raw: str,
    candidate_spans: Sequence[Span],
    *,
    bead_index: int,
    embedder: Any,
    cross_language: bool,
    config: Any = None,
    source_language: str | None = None,
    candidate_language: str | None = None,
) -> list[Flag]:
    """Flags for one aligned bead; see :func:`flag_beads`, which batches many."""
    bead = BeadInput(source_raw, tuple(source_spans), candidate_raw, tuple(candidate_spans), bead_index,
                     cross_language, source_language, candidate_language)
    return flag_beads([bead], embedder=embedder, config=config)[0]


def flag_beads(beads: Sequence[BeadInput], *, embedder: Any, config: Any = None,
               model_path: str | None = None, thresholds: Mapping[str, float] | None = None,
               ) -> list[list[Flag]]:
    """Flags for many beads, with one batched model pass over all their same-language texts.

    Args:
        beads: the beads; sentence spans are offsets into each bead's raw texts, and a bead with
            several sentences on a side is treated as one text (sentences joined by a space).
        embedder: an Embedder; a sentence-transformers one gives contextual token vectors, any
            other is used for static word vectors. Only used for same-language beads.
        config: a CheckConfig (unused fields are ignored); may be None.
        model_path: a flagger JSON other than the packaged one (for training and tests).
        thresholds: override the packaged "major"/"minor" probability thresholds.

    Returns:
        one list of flags per bead, each sorted by candidate offset; flag offsets are into the raw
        texts.
    """
    results: list[list[Flag]] = [[] for _ in beads]
    same: list[tuple[int, _Pair]] = []
    tokenizer = None
    st = None
    for b, bead in enumerate(beads):
        cand = _Side.build(bead.candidate_raw, bead.candidate_spans)
        src = _Side.build(bead.source_raw, bead.source_spans)
        if not cand.words:
            continue
        if bead.cross_language:
            results[b] = _cross_language_flags(cand, src, bead)
            continue
        if st is None and tokenizer is None:
            st = _sentence_transformer(embedder)
            tokenizer = st.tokenizer if st is not None else None
        same.append((b, _prepare(cand, src, tokenizer)))
    if not same:
        return results
    model = _load_model(model_path)
    th = dict(model["thresholds"])
    if thresholds:
        th.update(thresholds)
    sides: list[_Side] = []
    for _, pair in same:
        sides.extend([pair.cand, pair.src])
    wvecs, svecs = _contextual_word_vectors(embedder, sides)
    for k, (b, pair) in enumerate(same):
        sentcos = float(svecs[2 * k] @ svecs[2 * k + 1]) if pair.src.words else 0.0
        pair.features = word_features(pair, wvecs[2 * k], wvecs[2 * k + 1], sentcos)
        p_major = _predict(model, pair.features, "major")
        p_any = _predict(model, pair.features, "any")
        results[b] = _same_language_flags(pair, p_major, p_any, th, beads[b].bead_index)
    return results


def pair_features(beads: Sequence[BeadInput], embedder: Any) -> list[tuple[np.ndarray, _Pair]]:
    """Feature matrices of same-language beads, for training (bench/train_flagger.py)."""
    st = _sentence_transformer(embedder)
    tokenizer = st.tokenizer if st is not None else None
    pairs = [_prepare(_Side.build(b.candidate_raw, b.candidate_spans), _Side.build(b.source_raw, b.source_spans),
                      tokenizer) for b in beads]
    sides = [s for p in pairs for s in (p.cand, p.src)]
    wvecs, svecs = _contextual_word_vectors(embedder, sides)
    out = []
    for k, pair in enumerate(pairs):
        sentcos = float(svecs[2 * k] @ svecs[2 * k + 1]) if pair.src.words else 0.0
        pair.features = word_features(pair, wvecs[2 * k], wvecs[2 * k + 1], sentcos)
        out.append((pair.features, pair))
    return out


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[: limit - 1] + "…"}"'


def _same_language_flags(pair: _Pair, p_major: np.ndarray, p_any: np.ndarray,
                         th: Mapping[str, float], bead: int) -> list[Flag]:
    cand, src = pair.cand, pair.src
    n = len(cand.words)
    flags: list[Flag] = []
    taken = np.zeros(n, dtype=bool)

    def src_chunk(i: int) -> Span | None:
        tag, _, _, j1, j2 = pair.opcodes[pair.chunk_of[i]]
        if tag == "delete" or j2 <= j1:
            return None
        return src.words_span(j1, j2)

    def words_of(s: int, e: int) -> list[int]:
        return [k for k, (ws, we) in enumerate(cand.words) if ws < e and we > s]

    # --- precise checks first: they take their words
    for s, e, key in pair.checks["num_bad"]:
        ks = words_of(s, e)
        if not ks or taken[ks].any():
            continue
        taken[ks] = True
        counterpart = src_chunk(ks[0])
        cspan = cand.span(s, e)
        score = float(max(0.6, p_major[ks].max()))
        msg = (f"number {_quote(cspan.text)} where the source has {_quote(counterpart.text)}" if counterpart
               else f"number {_quote(cspan.text)} does not appear in the source")
        flags.append(Flag("number", "major", cspan, counterpart, score, msg, bead))
    for kind_, i1, i2, j in pair.checks["neg"]:
        ks = [k for k in range(i1, i2) if not taken[k]]
        if not ks:
            continue
        taken[ks] = True
        cspan = cand.words_span(ks[0], ks[-1] + 1)
        if kind_ == "added":
            msg = f"negation {_quote(cspan.text)} added: the source has no negation here"
            counterpart = src_chunk(ks[0])
        else:
            counterpart = src.words_span(j, j + 1)
            msg = f"negation dropped: the source has {_quote(counterpart.text)}, the candidate {_quote(cspan.text)}"
        flags.append(Flag("negation", "major", cspan, counterpart, float(max(0.7, p_major[ks].max())), msg, bead))
    for k in pair.checks["foreign"]:
        if taken[k]:
            continue
        taken[k] = True
        cspan = cand.words_span(k, k + 1)
        level = pair.checks["foreign_severity"].get(k, "major")
        flags.append(Flag("untranslated", level, cspan, src_chunk(k),
                          float(max(0.6 if level == "major" else 0.3, p_major[k])),
                          f"{_quote(cspan.text)} looks like another language than the rest of the text", bead))
    for k in pair.checks["name_bad"]:
        if taken[k] or max(p_major[k] / th["major"], p_any[k] / th["minor"]) < 1.0:
            continue  # a name check alone is not precise enough; it needs the model's support
        taken[k] = True
        cspan = cand.words_span(k, k + 1)
        counterpart = src_chunk(k)
        sev = "major" if p_major[k] >= th["major"] else "minor"
        msg = (f"name {_quote(cspan.text)} where the source has {_quote(counterpart.text)}" if counterpart
               else f"name {_quote(cspan.text)} does not appear in the source")
        flags.append(Flag("name", sev, cspan, counterpart, float(p_major[k] if sev == "major" else p_any[k]),
                          msg, bead))

    # --- the learned flagger: runs of flagged words inside one difflib chunk
    # major: the Major head over its threshold; minor: only words difflib left unmatched
    sev = np.where(p_major >= th["major"], 2, np.where((p_any >= th["minor"]) & ~pair.loose, 1, 0))
    sev[taken] = 0
    sev[pair.loose & ~pair.exact] = 0  # case, punctuation or spelling variants only
    for k in pair.checks["num_ok"]:
        sev[k] = 0  # "19. 00" for "7 p.m.": the same time, written differently
    k = 0
    while k < n:
        if sev[k] == 0:
            k += 1
            continue
        j = k + 1
        while j < n and sev[j] > 0 and pair.chunk_of[j] == pair.chunk_of[k]:
            j += 1
        level = int(sev[k:j].max())
        ks = list(range(k, j))
        tag = pair.opcodes[pair.chunk_of[k]][0]
        cspan = cand.words_span(k, j)
        counterpart = src_chunk(k)
        if tag == "equal":
            _, i1, _, j1, _ = pair.opcodes[pair.chunk_of[k]]
            counterpart = src.words_span(j1 + k - i1, j1 + j - i1)
        # confidence that the words changed the meaning: the Major head, for both severities
        score = float(p_major[ks].max())
        if tag == "delete" or counterpart is None:
            kind, msg = "addition", f"{_quote(cspan.text)} has no counterpart in the source"
        elif tag == "equal":
            kind, msg = "mistranslation", f"{_quote(cspan.text)} probably does not fit its context"
        else:
            kind, msg = "mistranslation", f"{_quote(cspan.text)} where the source has {_quote(counterpart.text)}"
        flags.append(Flag(kind, "major" if level == 2 else "minor", cspan, counterpart, min(1.0, score), msg, bead))
        k = j

    # --- omissions: source-only content words
    for tag, i1, i2, j1, j2 in pair.opcodes:
        if tag != "insert":
            continue
        content = [j for j in range(j1, j2) if not _is_stop(src.word(j)) and not _is_punct(src.word(j))]
        if not content:
            continue
        if any(pair.checks["neg"][q][3] in range(j1, j2) for q in range(len(pair.checks["neg"]))
               if pair.checks["neg"][q][3] is not None):
            continue  # already reported as a dropped negation
        sspan = src.words_span(j1, j2)
        at = cand.words[i1][0] if i1 < n else cand.words[-1][1]
        cspan = cand.span(at, at)
        major = len(content) >= th.get("omission_major_words", 5)
        score = min(0.95, 0.3 + 0.15 * len(content))
        flags.append(Flag("omission", "major" if major else "minor", cspan, sspan, score,
                          f"the source's {_quote(sspan.text)} is missing here", bead))
    flags.sort(key=lambda f: (f.candidate.start, f.candidate.end))
    return flags


def _cross_language_name_flags(cand: _Side, src: _Side, src_span: Span | None, bead: int) -> list[Flag]:
    """Multi-word names in the candidate ("Hirokazu Matsuno") with no similar word in the source.

    Single capitalised words are left alone: across languages, countries, days and institutions
    are translated ("Korea"/"Coreia", "Wednesday"/"quarta-feira"), and a check on them is noise.
    A name whose every part has no similar source word (accents folded, difflib ratio >= 0.6) is
    flagged; one similar part (in any source word) is enough to trust it ("Joint Chiefs" / "Estado-Maior Conjunto").
    """
    # every source word, split at hyphens, any case: "sul-coreanos" vouches for "South Korean"
    src_words = {_fold(w) for w in re.findall(r"[^\W\d_]+", src.text)}
    if not src_words:
        return []

    def similar(word: str) -> bool:
        folded = _fold(word)
        return any(difflib.SequenceMatcher(None, folded, s).ratio() >= 0.6 for s in src_words)

    flags: list[Flag] = []
    k, n = 0, len(cand.words)
    while k < n:
        run = k
        while run < n and _is_name_word(cand, run):
            run += 1
        if run - k >= 2 and not any(similar(_strip_punct(cand.word(i))) for i in range(k, run)):
            cspan = cand.words_span(k, run)
            flags.append(Flag("name", "minor", cspan, src_span, 0.4,
                              f"name {_quote(cspan.text)} has no similar name in the source", bead))
        k = max(run, k + 1)
    return flags


def _is_name_word(side: _Side, k: int) -> bool:
    core = _strip_punct(side.word(k))
    return len(core) >= 2 and core[0].isupper() and not _is_stop(core) and not _sentence_initial(side, k)


def _cross_language_flags(cand: _Side, src: _Side, bead: BeadInput) -> list[Flag]:
    """Number, name, negation and script checks for a pair in two languages."""
    flags: list[Flag] = []
    b = bead.bead_index
    src_span = src.span(0, len(src.text)) if src.text else None
    src_script = _main_script(src.text)
    cand_script = _main_script(cand.text)
    # numbers: only candidate numbers written in digits, against every number the source writes
    src_keys = number_keys(src.text, words=(src_script == "latin"))
    for m in extract_numbers(cand.text):
        if m.written_in_digits and m.key not in src_keys:
            if re.fullmatch(r"\d{1,2}", m.key) and int(m.key) <= 12 and not re.search(r"\d", src.text):
                continue  # small numbers are often written as words in the source
            cspan = cand.span(m.start, m.end)
            flags.append(Flag("number", "major", cspan, src_span, 0.7,
                              f"number {_quote(cspan.text)} does not appear in the source", b))
    cand_lower = cand.text.lower()
    # names: Latin-script words the source writes (names, acronyms) should survive translation
    if src_script != "latin":
        for m in re.finditer(r"[A-Za-z][A-Za-z0-9.&'-]*[A-Za-z0-9]", src.text):
            word = m.group()
            if len(word) >= 2 and word.lower() not in cand_lower:
                sspan = src.span(m.start(), m.end())
                cspan = cand.span(0, len(cand.text))
                flags.append(Flag("name", "minor", cspan, sspan, 0.5,
                                  f"the source's {_quote(word)} does not appear in the candidate", b))
    else:
        flags += _cross_language_name_flags(cand, src, src_span, b)
    # negation: one side negates and the other has no negation at all
    s_lang = (bead.source_language or "").split("-")[0]
    c_lang = (bead.candidate_language or "en").split("-")[0]
    cw = [cand.word(k) for k in range(len(cand.words))]
    c_hits = _negation_count(cw, NEGATION_CUES.get(c_lang, NEGATION_CUES["en"]))
    if src_script == "cjk" or s_lang.startswith("zh"):
        s_count = len(_zh_negations(src.text))
    elif s_lang in NEGATION_CUES:
        s_count = len(_negation_count([src.word(k) for k in range(len(src.words))], NEGATION_CUES[s_lang]))
    else:
        s_count = None
    if s_count is not None:
        if c_hits and s_count == 0:
            for k in c_hits:
                cspan = cand.words_span(k, k + 1)
                flags.append(Flag("negation", "minor", cspan, src_span, 0.5,
                                  f"negation {_quote(cspan.text)} but the source has none", b))
        elif s_count and not c_hits:
            cspan = cand.span(0, len(cand.text))
            flags.append(Flag("negation", "minor", cspan, src_span, 0.5,
                              "the source has a negation and the candidate has none", b))
    # words in another script than the candidate's
    src_bag = {_strip_punct(w).lower() for w in src.text.split()}
    for k in range(len(cand.words)):
        if _foreign_word(cand.word(k), cand_script, src_bag, None, english=False) == "major":
            cspan = cand.words_span(k, k + 1)
            flags.append(Flag("untranslated", "major", cspan, src_span, 0.8,
                              f"{_quote(cspan.text)} is in another script than the rest of the text", b))
    flags.sort(key=lambda f: (f.candidate.start, f.candidate.end))
    return flags
