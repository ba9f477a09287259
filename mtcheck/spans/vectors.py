"""Contextual word vectors: one vector per word of a :class:`~.words.Side`, and one per sentence.

The learned flagger asks "does this candidate word still mean what some source word means?", which
a word's vector *in its sentence* answers better than the word alone ("boarded" and "addressed" are
both verbs of arrival out of context). A TokenEmbedder's forward pass gives both the word-piece
vectors (averaged per word) and the sentence vector (the model's own pooling); texts whose vectors
the pipeline's embed stage already has (``Embedded.tokens``) need no second pass. Any other
embedder falls back to static vectors: each word embedded alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..embed import Embedder, TokenEmbedder, TokenVectors
from .foreign import WordPieces
from .words import Side


def word_pieces_of(embedder: Embedder | None) -> WordPieces | None:
    """The embedder's subword splitter, or None: it tells words its vocabulary knows from others."""
    return embedder.word_pieces if isinstance(embedder, TokenEmbedder) else None


def _word_vectors(side: Side, tok_off: np.ndarray, tok_vec: np.ndarray, dim: int) -> np.ndarray:
    """One L2-normalised vector per word of ``side``: the mean of the tokens inside it."""
    wv = np.zeros((len(side.words), dim), dtype=np.float32)
    for w, (s, e) in enumerate(side.words):
        sel = (tok_off[:, 0] < e) & (tok_off[:, 1] > s)
        if sel.any():
            wv[w] = tok_vec[sel].mean(0)
    norms = np.linalg.norm(wv, axis=1, keepdims=True)
    return wv / np.maximum(norms, 1e-9)


def _static_word_vectors(embedder: Embedder, sides: Sequence[Side]) -> tuple[list[np.ndarray], np.ndarray]:
    """Each distinct word embedded alone with ``embedder.encode``; sentences likewise."""
    vocab = sorted({s.word(k) for s in sides for k in range(len(s.words))})
    table = dict(zip(vocab, embedder.encode(vocab))) if vocab else {}
    sent = embedder.encode([s.text for s in sides]) if sides else np.zeros((0, 1))
    dim = sent.shape[1] if len(sides) else 1
    words = [
        np.stack([table[s.word(k)] for k in range(len(s.words))]) if s.words else np.zeros((0, dim)) for s in sides
    ]
    return words, np.asarray(sent, dtype=np.float32)


def contextual_word_vectors(
    embedder: Embedder, sides: Sequence[Side], known: Mapping[str, TokenVectors] | None = None
) -> tuple[list[np.ndarray], np.ndarray]:
    """Per side: one L2-normalised contextual vector per word; plus one sentence vector per side.

    With a TokenEmbedder, word vectors are the mean of each word's word-piece vectors, and the
    sentence vector is the model's own. Texts in ``known`` (the pipeline's embed stage already
    read them) need no second forward pass; the others go through ``encode_tokens`` in one batch.
    Other embedders get static word vectors (each word embedded alone) and ``embedder.encode``.
    """
    if not isinstance(embedder, TokenEmbedder):
        return _static_word_vectors(embedder, sides)
    table: dict[str, TokenVectors] = dict(known or {})
    missing = [t for t in dict.fromkeys(side.text for side in sides) if t not in table]
    # A side of several sentences is read sentence by sentence when the embedding pass already
    # read each of them (no second model pass), or when it is too long for the model's window as
    # one text (it would lose the word vectors of its end).
    sizes = dict(zip(missing, embedder.count_tokens(missing)))
    too_long = {
        side.text: side
        for side in sides
        if side.text in sizes
        and len(side.pieces) > 1
        and (sizes[side.text] > embedder.window or all(side.text[js : js + n] in table for js, _, n in side.pieces))
    }
    parts = {side.text[js : js + n] for side in too_long.values() for js, _, n in side.pieces}
    whole = [t for t in missing if t not in too_long]
    needed = list(dict.fromkeys([*whole, *(p for p in sorted(parts) if p not in table and p not in whole)]))
    table.update(zip(needed, embedder.encode_tokens(needed)))
    for text, side in too_long.items():
        table[text] = _joined(table, side)
    dim = next(iter(table.values())).sentence.shape[0] if table else 1
    words = [_word_vectors(side, table[side.text].offsets, table[side.text].vectors, dim) for side in sides]
    sentences = np.stack([table[side.text].sentence for side in sides]) if sides else np.zeros((0, dim), np.float32)
    return words, np.asarray(sentences, dtype=np.float32)


def _joined(table: Mapping[str, TokenVectors], side: Side) -> TokenVectors:
    """The word pieces of a side's sentences, each read on its own, as one text's."""
    pieces = [(js, table[side.text[js : js + n]]) for js, _, n in side.pieces]
    sentence = np.sum([kept.sentence for _, kept in pieces], axis=0)
    return TokenVectors(
        offsets=np.concatenate([kept.offsets + js for js, kept in pieces]),
        vectors=np.concatenate([kept.vectors for _, kept in pieces]),
        sentence=sentence / max(float(np.linalg.norm(sentence)), 1e-12),
    )
