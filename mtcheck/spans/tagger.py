"""The span tagger: a cross-encoder that reads a candidate and its source in one pass.

Every candidate word of a same-language English bead gets P(word is in a Major error) and
P(word is in any error) from a fine-tuned all-MiniLM-L6-v2 that reads ``[CLS] candidate [SEP]
source [SEP]``, so that each candidate word piece attends to the whole source (a per-word feature
cannot see that "private exercise" answers "personal trainer"). ``bench/train_tagger.py`` trains
it on the MQM training set (``../shared/data/mqm-train``, never the dev set), calibrates both
heads on its held-out documents, exports it to ONNX and quantises it to int8; the result ships in
``mtcheck/data/tagger/`` and runs on ONNX Runtime, with no torch and no GPU.

A candidate longer than the model's window is read in windows of word pieces, each with the
matching stretch of the source (by relative position), so that every word gets a probability.

A tagger folder may also hold a logistic word flagger (``flagger.json``, the features of
:mod:`mtcheck.spans.model`, trained by ``bench/fit_blend.py`` on the same training
set) and, in ``tagger.json``, a ``blend`` weight: each word's P(major) is then the weighted mean,
in log-odds, of the two models' (:meth:`Tagger.blended`). The two read a pair differently (the
cross-encoder's attention; contextual word vectors, difflib and the precise checks' hits), and
their mean ranks meaning changes better than either alone. P(any) stays the tagger's: blending it
too scored the same on the held-out documents, and lost words the tagger alone flags as minor
("considerations" for "concerns" in kim-arrives).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..embed import model_threads

#: The packaged tagger's folder inside the mtcheck package.
PACKAGED = "data/tagger"
#: The files a tagger folder holds.
MODEL_FILE, TOKENIZER_FILE, META_FILE = "tagger.onnx", "tokenizer.json", "tagger.json"
#: The logistic word flagger a tagger folder may blend in (see the module docstring).
BLEND_FILE = "flagger.json"
#: A window keeps at least this many source pieces beside its candidate pieces.
_MIN_SOURCE = 24


@dataclass(frozen=True)
class TaggerInput:
    """One candidate text to tag, its words (character spans) and its source text."""

    candidate: str
    words: Sequence[tuple[int, int]]
    source: str


@dataclass(frozen=True)
class _Window:
    """One model input: ids and token types, and where its candidate pieces came from."""

    ids: tuple[int, ...]
    types: tuple[int, ...]
    pieces: range  # indices into the item's candidate pieces, at positions 1.. of ids


class Tagger:
    """A loaded span tagger (ONNX model, tokenizer, calibration and thresholds)."""

    def __init__(self, directory: str | Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        directory = Path(directory)
        self.meta: dict[str, Any] = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        self.max_length = int(self.meta["max_length"])
        self.thresholds: dict[str, float] = dict(self.meta["thresholds"])
        # per word head (major, any): [a, b], or [a, b, c] where c weighs the segment head's logit
        self._calibration = [[float(v) for v in head] for head in self.meta["calibration"]]
        #: the logistic flagger's weight in the blend of P(major) (0: the tagger alone), and its file
        self.blend_weight = float(self.meta.get("blend", 0.0))
        self.blend_path: Path | None = directory / BLEND_FILE if self.blend_weight else None
        self._tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        cls, sep = self._tokenizer.token_to_id("[CLS]"), self._tokenizer.token_to_id("[SEP]")
        if cls is None or sep is None:
            raise ValueError(f"{directory / TOKENIZER_FILE} has no [CLS] or [SEP] token")
        self._cls, self._sep = cls, sep
        options = ort.SessionOptions()
        options.intra_op_num_threads = model_threads()
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(directory / MODEL_FILE), options, providers=["CPUExecutionProvider"])

    def word_probabilities(self, inputs: Sequence[TaggerInput]) -> list[np.ndarray]:
        """Per input, a (words, 2) array: calibrated P(Major error), P(any error) per word.

        A word gets the largest logit of the candidate pieces that overlap it; a word the
        tokenizer makes no piece of (whitespace-only, say) gets probability 0.
        """
        return [self._calibrated(z) for z in self.word_logits(inputs)]

    def word_logits(self, inputs: Sequence[TaggerInput]) -> list[np.ndarray]:
        """Per input, a (words, heads) array of the model's raw logits per word (the largest of
        the word's pieces; -inf for a word without pieces). With a ``segment`` head, its column
        holds the logit of the window the word was read in: P(the text has a Major error)."""
        encoded = [self._pieces(x) for x in inputs]
        heads = len(self.meta["heads"])
        logits: list[np.ndarray] = [np.full((len(cand[0]), heads), -np.inf) for cand, _ in encoded]
        for k, (cand, src) in enumerate(encoded):
            # One window per call, never a padded batch: int8 dynamic quantisation scales the
            # activations by the whole input tensor, so in a batch a sentence's scores would
            # depend on its neighbours (by up to 0.03). Alone, it costs about a fifth more time.
            for w in self._windows(cand[0], src):
                ids = np.asarray([w.ids], dtype=np.int64)
                feed = {"input_ids": ids, "token_type_ids": np.asarray([w.types], dtype=np.int64)}
                feed["attention_mask"] = np.ones_like(ids)
                out = self._session.run(None, feed)[0][0]
                part = out[1 : 1 + len(w.pieces)].copy()
                if heads > 2:  # the segment head reads the window's [CLS]
                    part[:, 2] = out[0, 2]
                logits[k][w.pieces.start : w.pieces.stop] = part
        return [self._pool(x, cand[1], z) for x, (cand, _), z in zip(inputs, encoded, logits)]

    def blended(self, probs: np.ndarray, other: np.ndarray) -> np.ndarray:
        """``probs`` (the tagger's P(major), P(any) per word) with P(major) blended with ``other``
        (the logistic flagger's P(major) per word): the weighted mean of their log-odds."""
        w = self.blend_weight
        p, q = np.clip(probs[:, 0], 1e-6, 1 - 1e-6), np.clip(other, 1e-6, 1 - 1e-6)
        z = (1 - w) * np.log(p / (1 - p)) + w * np.log(q / (1 - q))
        return np.stack([1.0 / (1.0 + np.exp(-z)), probs[:, 1]], axis=1)

    def _pieces(self, x: TaggerInput) -> tuple[tuple[list[int], list[tuple[int, int]]], list[int]]:
        cand = self._tokenizer.encode(x.candidate, add_special_tokens=False)
        src = self._tokenizer.encode(x.source, add_special_tokens=False)
        return (list(cand.ids), list(cand.offsets)), list(src.ids)

    def _windows(self, cand: list[int], src: list[int]) -> list[_Window]:
        """The model inputs for one candidate: one window if it fits beside some source, else
        windows of at most half the model's length, each with its stretch of the source."""
        room = self.max_length - 3
        if not cand:
            return []
        size = len(cand) if len(cand) <= room - _MIN_SOURCE else room // 2
        windows = []
        for start in range(0, len(cand), size):
            stop = min(len(cand), start + size)
            keep = room - (stop - start)
            if len(src) <= keep:
                src_part = src
            else:  # the source stretch at the same relative position, as long as fits
                middle = (start + stop) / 2 / len(cand) * len(src)
                lo = int(max(0, min(len(src) - keep, middle - keep / 2)))
                src_part = src[lo : lo + keep]
            ids = (self._cls, *cand[start:stop], self._sep, *src_part, self._sep)
            types = (0,) * (stop - start + 2) + (1,) * (len(src_part) + 1)
            windows.append(_Window(ids, types, range(start, stop)))
        return windows

    def _pool(self, x: TaggerInput, offsets: list[tuple[int, int]], logits: np.ndarray) -> np.ndarray:
        pooled = np.full((len(x.words), logits.shape[1]), -np.inf)
        starts = np.asarray([s for s, _ in offsets], dtype=np.int64)
        ends = np.asarray([e for _, e in offsets], dtype=np.int64)
        for w, (s, e) in enumerate(x.words):
            hit = (starts < e) & (ends > s)
            if hit.any():
                pooled[w] = logits[hit].max(0)
        return pooled

    def _calibrated(self, logits: np.ndarray) -> np.ndarray:
        """Platt scaling of both heads; P(major) also reads the segment logit where the
        calibration has a third weight (fitted with the others on held-out documents)."""
        probs = np.zeros((len(logits), 2))
        known = np.isfinite(logits[:, 0])
        z = logits[known]
        for head in (0, 1):
            a, b, *rest = self._calibration[head]
            t = a * z[:, head] + b
            if rest and rest[0]:
                t = t + rest[0] * z[:, 2]
            probs[known, head] = 1.0 / (1.0 + np.exp(-t))
        return probs


def packaged_directory() -> Path:
    """The folder of the tagger that ships with mtcheck."""
    return Path(str(resources.files("mtcheck").joinpath(PACKAGED)))


@cache
def load_tagger(directory: str | None = None) -> Tagger:
    """The packaged tagger (or the one in ``directory``), loaded once per process."""
    return Tagger(directory or packaged_directory())


@cache
def tagger_fingerprint(directory: str | None = None) -> str:
    """sha256 prefix of the tagger's weights, calibration and tokenizer (and the flagger it blends
    in), for the report signature."""
    folder = Path(directory) if directory else packaged_directory()
    digest = hashlib.sha256()
    for name in (MODEL_FILE, META_FILE, TOKENIZER_FILE):
        digest.update((folder / name).read_bytes())
    if (folder / BLEND_FILE).exists():
        digest.update((folder / BLEND_FILE).read_bytes())
    return f"sha256:{digest.hexdigest()[:12]}"
