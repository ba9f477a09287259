"""Contextual word vectors: one vector per word of a :class:`~.words.Side`, and one per sentence.

The learned flagger asks "does this candidate word still mean what some source word means?", which
a word's vector *in its sentence* answers better than the word alone ("boarded" and "addressed" are
both verbs of arrival out of context). With a sentence-transformers model one forward pass gives
both the token vectors (averaged per word) and the sentence vector (the model's own pooling). When
the pipeline's embedding pass already kept a text's token vectors (``embedder.cached_tokens``), that
text needs no second pass. Any other embedder falls back to static vectors: each word embedded alone.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .words import Side


def sentence_transformer(embedder: Any):
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


def tokenizer_of(embedder: Any):
    """The embedder's subword tokenizer, or None; it tells words its vocabulary knows from others."""
    st = sentence_transformer(embedder)
    return st.tokenizer if st is not None else None


def _word_vectors(side: Side, tok_off: np.ndarray, tok_vec: np.ndarray, dim: int) -> np.ndarray:
    """One L2-normalised vector per word of ``side``: the mean of the tokens inside it."""
    wv = np.zeros((len(side.words), dim), dtype=np.float32)
    for w, (s, e) in enumerate(side.words):
        sel = (tok_off[:, 0] < e) & (tok_off[:, 1] > s)
        if sel.any():
            wv[w] = tok_vec[sel].mean(0)
    norms = np.linalg.norm(wv, axis=1, keepdims=True)
    return wv / np.maximum(norms, 1e-9)


def _static_word_vectors(embedder: Any, sides: Sequence[Side]) -> tuple[list[np.ndarray], np.ndarray]:
    """Each distinct word embedded alone with ``embedder.encode``; sentences likewise."""
    vocab = sorted({s.word(k) for s in sides for k in range(len(s.words))})
    table = dict(zip(vocab, embedder.encode(vocab))) if vocab else {}
    sent = embedder.encode([s.text for s in sides]) if sides else np.zeros((0, 1))
    dim = sent.shape[1] if len(sides) else 1
    words = [
        np.stack([table[s.word(k)] for k in range(len(s.words))]) if s.words else np.zeros((0, dim))
        for s in sides
    ]
    return words, np.asarray(sent, dtype=np.float32)


def contextual_word_vectors(
    embedder: Any, sides: Sequence[Side], batch_size: int = 32
) -> tuple[list[np.ndarray], np.ndarray]:
    """Per side: one L2-normalised contextual vector per word; plus one sentence vector per side.

    With a sentence-transformers model, one forward pass per text gives both: word vectors are the
    mean of the word's token vectors, and the sentence vector is the model's own mean pooling.
    Other embedders get static word vectors (each word embedded alone) and ``embedder.encode``.
    """
    model = sentence_transformer(embedder)
    if model is None:
        return _static_word_vectors(embedder, sides)

    import torch

    tok = model.tokenizer
    auto = model[0].auto_model
    max_len = min(getattr(model, "max_seq_length", 256) or 256, 512)
    dim = auto.config.hidden_size
    words_out: list[np.ndarray | None] = [None] * len(sides)
    sent_out = np.zeros((len(sides), dim), dtype=np.float32)
    # one pass per distinct text (a reference checked against several systems is embedded once)
    first_of: dict[str, int] = {}
    for k, side in enumerate(sides):
        first_of.setdefault(side.text, k)
    todo = dict(first_of)
    # Texts whose tokens the pipeline's own embedding pass kept need no second forward pass.
    cached_tokens = getattr(embedder, "cached_tokens", None)
    if cached_tokens is not None:
        for k in list(todo.values()):
            kept = cached_tokens(sides[k].text)
            if kept is None:
                continue
            tok_off, tok_vec = kept
            words_out[k] = _word_vectors(sides[k], tok_off, tok_vec, dim)
            sent_out[k] = embedder.encode([sides[k].text])[0]
            del todo[sides[k].text]
    order = sorted(todo.values(), key=lambda k: len(sides[k].text))
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
    # repeated texts share the first copy's vectors
    for k, side in enumerate(sides):
        if words_out[k] is None and first_of[side.text] != k:
            words_out[k] = words_out[first_of[side.text]]
            sent_out[k] = sent_out[first_of[side.text]]
    return [w if w is not None else np.zeros((0, dim)) for w in words_out], sent_out
