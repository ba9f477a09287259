"""Monotonic sentence alignment over sentence embeddings.

Pure numpy: no model, no I/O, no printing. :func:`align` takes the L2-normalised sentence
embeddings of both sides and returns the best monotonic sequence of beads (1-1, 1-k, k-1 for
k up to ``max_merge``, omissions 1-0 and insertions 0-1) covering every sentence exactly once.

Merged units are scored vecalign-style: the vector of a run of sentences is the normalised sum
of its sentence vectors, so no re-embedding is needed.

Objective. The path maximises the sum over beads of

    gain(a, b) = w(a, b) * (sim - tau) - merge_penalty * (a + b - 2)    for a, b >= 1
    gain = 0                                                            for 1-0 and 0-1
    w(a, b) = 2 + (a + b - 2) / 4

where ``sim`` is the cosine of the merged sides and ``tau`` the skip threshold. A pair less
similar than ``tau`` loses against leaving both sentences unmatched (an omission plus an
insertion), so unrelated text is reported as gaps instead of forced matches.

Why ``w`` grows by only a quarter per extra sentence instead of the plain ``a + b``: with the
plain count, gluing an unrelated neighbour onto a good pair pays. A true pair at 0.86 plus a
same-topic neighbour gives a merged cosine of about (0.86 + 0.2) / sqrt(2.4) = 0.68, noise
pushes it to 0.75, and 3 * (0.75 - 0.45) - 0.04 = 0.86 beats the honest 1-1 plus insertion,
2 * (0.86 - 0.45) = 0.82. A true split instead keeps the merged cosine at the pair level
(about 0.86) while its 1-1 alternative drops to about 0.65, so it wins under any weight from
2 upwards. On synthetic documents (1,500 beads, topic-correlated sentences, uneven split
parts, seven noise/topic settings) the share of gold beads recovered was, per weight:
``a + b`` 0.93-1.00, constant 2 0.99-1.00 (but 0.91-1.00 of merges), ``2 + (a+b-2)/4``
0.99-1.00 (0.97-1.00 of merges). On the bundled real pairs (kim-arrives, missiles-pt-en) every
source sentence lands on its counterpart (tests/test_pipeline.py). ``merge_penalty`` per extra
sentence makes the plain 1-1 win near-ties. Ties are broken deterministically: 1-1, then 1-2, 2-1, 1-3, 3-1, ..., then 1-0,
then 0-1.

Cost. When ``n * m <= full_search_cells`` (or one side is no longer than ``2 * band + 1``) the
whole (n+1) x (m+1) grid is searched. Otherwise a first pass aligns block averages of consecutive sentences (a coarse grid of at most about
400 x 400) and the exact DP runs only in a window of +-(band + block size) sentences around the
projected coarse path, so time and memory grow linearly with the text length. The full
similarity matrix is never built in that case: similarities are computed a few rows at a time,
for the window columns only. Backpointers take one byte per searched cell. The banded pass
multiplies many small blocks; on a busy machine multithreaded BLAS can spin on them (10x
slower measured on 2 shared CPUs), so the pipeline runs it under
``threadpoolctl.threadpool_limits(1)``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError, InputError
from .types import Bead

__all__ = ["Alignment", "align", "auto_skip_threshold", "AUTO_TAU_RANGE", "COARSE_MAX"]

#: The automatic skip threshold is clamped to this range (see :func:`auto_skip_threshold`).
AUTO_TAU_RANGE: tuple[float, float] = (0.2, 0.6)
#: The coarse first pass works on at most this many blocks per side.
COARSE_MAX = 400
#: Where the coarse pass puts its threshold, as a share of the way from the bulk median to the
#: typical best match (see ``_coarse_windows``).
_COARSE_TAU_SHARE = 0.25
#: Similarity blocks computed at once: at most this many cells and _CHUNK_ROWS rows.
_CHUNK_CELLS = 1 << 20
_CHUNK_ROWS = 64
#: The automatic threshold takes its bulk median from at most about this many similarities
#: (a deterministic strided sample beyond that), so a forced full search stays linear in memory.
_SAMPLE_CAP = 1 << 22

#: Weight of each sentence beyond the first pair in the objective (see the module docstring).
_EXTRA_WEIGHT = 0.25

_NONE = -1  # backpointer of an unreachable cell (never on a path)


@dataclass(frozen=True)
class Alignment:
    """The result of :func:`align`.

    Attributes:
        beads: in reading order; together they cover every source and candidate index exactly
            once, and both sides' indices increase along the sequence.
        skip_threshold: the threshold ``tau`` actually used (given or derived).
        searched_cells: DP cells evaluated, fine pass plus coarse pass; ``(n+1)*(m+1)`` for a
            full search, far less when banded. 0 when either side is empty.
        banded: whether the fine pass ran inside a band around a coarse path.
    """

    beads: tuple[Bead, ...]
    skip_threshold: float
    searched_cells: int
    banded: bool


def _weight(a: int, b: int) -> float:
    """w(a, b) of the objective: 2 for a 1-1 pair, a quarter more per extra sentence."""
    return 2.0 + (a + b - 2) * _EXTRA_WEIGHT


def _transitions(max_merge: int) -> list[tuple[int, int]]:
    """Non-insertion bead shapes (a, b), in tie-break order."""
    shapes = [(1, 1)]
    for k in range(2, max_merge + 1):
        shapes += [(1, k), (k, 1)]
    shapes.append((1, 0))
    return shapes


def _as_matrix(x: np.ndarray, name: str) -> np.ndarray:
    x = np.asarray(x)
    if x.size == 0:
        return np.zeros((0, x.shape[-1] if x.ndim == 2 else 0))
    if x.ndim != 2:
        raise InputError(f"{name} embeddings must be a 2-D array (sentences x dimensions), not shape {x.shape}")
    if not np.issubdtype(x.dtype, np.number) or np.issubdtype(x.dtype, np.complexfloating):
        raise InputError(f"{name} embeddings must be real numbers, not {x.dtype}")
    if not np.all(np.isfinite(x)):
        raise InputError(f"{name} embeddings contain NaN or infinite values")
    return x


def _normalise_rows(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; all-zero rows stay zero (and score 0 against anything)."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.divide(x, norms, out=x, where=norms > 0)
    return x


def _merged(x: np.ndarray, k0: int, k1: int, w: int) -> np.ndarray:
    """Normalised sums of ``x[k-w:k]`` for grid positions ``k`` in ``[k0, k1)``.

    Positions ``k < w`` (no room for a run of ``w``) get zero vectors; the DP never uses them.
    Sums are taken directly (not from prefix sums) so every path computes identical values.
    """
    out = np.zeros((k1 - k0, x.shape[1]), dtype=np.float64)
    s = max(k0, w)
    if s < k1:
        acc = out[s - k0 :]
        acc += x[s - w : k1 - w]
        for t in range(1, w):
            acc += x[s - w + t : k1 - w + t]
    return _normalise_rows(out)


def _chunks(lo: np.ndarray, hi: np.ndarray) -> Iterator[tuple[int, int, int, int]]:
    """Row blocks ``[r0, r1)`` of DP rows 1..n with their column union ``[c0, c1]``."""
    n = len(lo) - 1
    r0 = 1
    while r0 <= n:
        c0 = int(lo[r0])
        r1 = r0 + 1
        while r1 <= n and r1 - r0 < _CHUNK_ROWS and (int(hi[r1]) - c0 + 1) * (r1 - r0 + 1) <= _CHUNK_CELLS:
            r1 += 1
        yield r0, r1, c0, int(hi[r1 - 1])
        r0 = r1


class _CandidateCache:
    """Merged candidate vectors for the current column union (reused while it is unchanged)."""

    def __init__(self, cand: np.ndarray) -> None:
        self.cand = cand
        self.key: tuple[int, int] | None = None
        self.by_width: dict[int, np.ndarray] = {}

    def get(self, c0: int, c1: int, w: int) -> np.ndarray:
        if self.key != (c0, c1):
            self.key, self.by_width = (c0, c1), {}
        if w not in self.by_width:
            self.by_width[w] = _merged(self.cand, c0, c1 + 1, w)
        return self.by_width[w]


def _tau_rule(bulk: float, top: float, share: float = 0.5) -> float:
    return bulk + share * (top - bulk)


def _robust_top(row_max: np.ndarray, col_max: np.ndarray) -> float:
    """The typical best match: the larger of the median row maximum and median column maximum.

    Taking the larger keeps the estimate high when one side has many sentences without a
    counterpart (their maxima are low), e.g. a candidate that translates half the source.
    """
    tops = [float(np.median(v)) for v in (row_max[np.isfinite(row_max)], col_max[np.isfinite(col_max)]) if v.size]
    return max(tops)


def auto_skip_threshold(similarities: np.ndarray) -> float:
    """The skip threshold ``tau`` derived from a matrix of 1-1 sentence similarities.

    Rule: ``tau = (bulk + top) / 2`` clamped to ``AUTO_TAU_RANGE`` (0.2 to 0.6), where ``bulk``
    is the median of all similarities (what an unrelated pair scores, since almost every cell
    of the matrix pairs unrelated sentences) and ``top`` is the median best match per sentence
    (the larger of the medians of row maxima and column maxima; what a real translation pair
    scores). Medians make both robust to a minority of omitted, inserted or merged sentences.

    Why: embedders differ in scale. With English MiniLM, translations and paraphrases score
    0.6-0.95 while unrelated sentences on the same topic score 0.2-0.5; with multilingual USE,
    translations score 0.6-0.9 and unrelated sentences 0.0-0.3. A fixed threshold would either
    force unrelated pairs to match under one model or drop real pairs under the other; the
    midpoint between the document's own "unrelated" and "matched" levels adapts to both (about
    0.5 and 0.45 respectively). The clamp stops degenerate documents (nearly everything
    unrelated, or everything near-identical) from producing a threshold that forces matches
    (below 0.2) or rejects good translations (above 0.6).

    :func:`align` applies the same rule to the similarities inside its search window (the full
    matrix for small inputs, the band around the coarse path otherwise; the bulk median from a
    strided sample of at most about 4M values).

    Args:
        similarities: n x m cosine similarities of single source and candidate sentences.

    Returns:
        The threshold. 0.4, the middle of the clamp range, when the matrix is empty.
    """
    sims = np.asarray(similarities, dtype=np.float64)
    if sims.ndim != 2:
        raise InputError(f"similarities must be a 2-D matrix, not shape {sims.shape}")
    if sims.size == 0:
        return float(sum(AUTO_TAU_RANGE) / 2)
    return _clamp_tau(_tau_rule(float(np.median(sims)), _robust_top(sims.max(axis=1), sims.max(axis=0))))


def _clamp_tau(tau: float) -> float:
    return float(min(max(tau, AUTO_TAU_RANGE[0]), AUTO_TAU_RANGE[1]))


def _windowed_stats(src: np.ndarray, cand: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[float, float]:
    """(bulk median, typical best match) of the 1-1 similarities inside the windows."""
    n, m = len(src), len(cand)
    total = int(np.sum(hi[1:] - np.maximum(lo[1:], 1) + 1))
    stride = max(1, math.ceil(total / _SAMPLE_CAP))
    row_max = np.full(n, -np.inf)
    col_max = np.full(m + 1, -np.inf)
    samples = []
    cache = _CandidateCache(cand)
    for r0, r1, c0, c1 in _chunks(lo, hi):
        sims = _merged(src, r0, r1, 1) @ cache.get(c0, c1, 1).T
        cols = np.arange(c0, c1 + 1)
        inside = (cols >= np.maximum(lo[r0:r1], 1)[:, None]) & (cols <= hi[r0:r1][:, None])
        samples.append(sims[inside][::stride].copy())  # a copy: a view would keep all alive
        sims[~inside] = -np.inf
        row_max[r0 - 1 : r1 - 1] = sims.max(axis=1)
        np.maximum(col_max[c0 : c1 + 1], sims.max(axis=0), out=col_max[c0 : c1 + 1])
    bulk = float(np.median(np.concatenate(samples)))
    return bulk, _robust_top(row_max, col_max[1:])


def _dp(
    src: np.ndarray,
    cand: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    shapes: list[tuple[int, int]],
    tau: float,
    penalty: float,
) -> list[tuple[int, int]]:
    """Best path from (0, 0) to (n, m) inside the windows; returns bead shapes in order.

    Row ``i`` of the DP grid may use columns ``lo[i]..hi[i]``. The windows must be monotone
    with ``lo[i] <= hi[i-1]``, ``lo[0] == 0`` and ``hi[n] == m``, which makes every window cell
    reachable. Each row is one vectorised step: the best non-insertion move per column, then
    insertions (0-1, gain 0) as a running maximum along the row.
    """
    n = len(src)
    ins = len(shapes)  # backpointer code of an insertion
    max_a = max(a for a, _ in shapes)
    scores: dict[int, np.ndarray] = {0: np.zeros(int(hi[0]) - int(lo[0]) + 1)}
    back: list[np.ndarray] = [np.full(len(scores[0]), ins, dtype=np.int8)]
    back[0][0] = _NONE
    cache = _CandidateCache(cand)
    for r0, r1, c0, c1 in _chunks(lo, hi):
        gains: dict[tuple[int, int], np.ndarray] = {}
        for a, b in shapes:
            if b == 0:
                continue
            g = _merged(src, r0, r1, a) @ cache.get(c0, c1, b).T
            g -= tau
            g *= _weight(a, b)
            if a + b > 2:
                g -= penalty * (a + b - 2)
            gains[(a, b)] = g
        for r in range(r0, r1):
            lo_r, hi_r = int(lo[r]), int(hi[r])
            best = np.full(hi_r - lo_r + 1, -np.inf)
            kind = np.full(hi_r - lo_r + 1, _NONE, dtype=np.int8)
            for t, (a, b) in enumerate(shapes):
                p = r - a
                if p < 0:
                    continue
                prev, lo_p = scores[p], int(lo[p])
                j0, j1 = max(lo_r, lo_p + b), min(hi_r, lo_p + len(prev) - 1 + b)
                if j0 > j1:
                    continue
                val = prev[j0 - b - lo_p : j1 - b - lo_p + 1]
                if b:
                    val = val + gains[(a, b)][r - r0, j0 - c0 : j1 - c0 + 1]
                seg = best[j0 - lo_r : j1 - lo_r + 1]
                better = val > seg  # strict: earlier shapes win ties
                np.copyto(seg, val, where=better)
                np.copyto(kind[j0 - lo_r : j1 - lo_r + 1], t, where=better)
            run = np.maximum.accumulate(best)
            # where a column's own move reaches the running maximum it wins over an insertion
            back.append(np.where(best == run, kind, ins).astype(np.int8))
            scores[r] = run
            scores.pop(r - max_a, None)
    path: list[tuple[int, int]] = []
    i, j = n, int(hi[n])
    while i > 0 or j > 0:
        t = int(back[i][j - int(lo[i])])
        if t == ins:
            path.append((0, 1))
            j -= 1
        elif t == _NONE:  # pragma: no cover - the windows guarantee reachability
            raise RuntimeError(f"alignment DP reached an unreachable cell ({i}, {j})")
        else:
            a, b = shapes[t]
            path.append((a, b))
            i, j = i - a, j - b
    path.reverse()
    return path


def _block_vectors(x: np.ndarray, size: int) -> np.ndarray:
    """Normalised sums of consecutive blocks of ``size`` rows, after removing the side's mean.

    Averages of many sentences of one document drift towards the document's mean vector (its
    topic, and for cross-lingual models its language), which would make every block look like
    every other; subtracting the mean keeps what distinguishes one block from another. Sides
    with fewer than 8 blocks are not centred (the mean would be most of each block). Works on
    block sums, so no copy of the embeddings is made.
    """
    starts = np.arange(0, len(x), size)
    sums = np.add.reduceat(x, starts, axis=0, dtype=np.float64)
    if len(starts) >= 8:
        counts = np.diff(np.append(starts, len(x)))[:, None]
        sums -= counts * (sums.sum(axis=0) / len(x))
    return _normalise_rows(sums)


def _coarse_windows(src: np.ndarray, cand: np.ndarray, band: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Fine-grid windows around the path of a coarse first pass, and its cell count.

    The coarse pass aligns block vectors with 1-1, 1-0 and 0-1 only. Its threshold sits a
    quarter of the way from the bulk median to the typical best block match (no clamp: block
    similarities have their own scale). It is lower than the fine threshold on purpose: the
    coarse path only has to find the neighbourhood of the true path, and a low threshold keeps
    it diagonal through weakly matching stretches instead of bending into an L of gaps whose
    window would miss the true path.
    """
    n, m = len(src), len(cand)
    size = math.ceil(max(n, m) / COARSE_MAX)
    sb, cb = _block_vectors(src, size), _block_vectors(cand, size)
    nb, mb = len(sb), len(cb)
    sims = sb @ cb.T
    tau = _tau_rule(float(np.median(sims)), _robust_top(sims.max(axis=1), sims.max(axis=0)), _COARSE_TAU_SHARE)
    path = _dp(
        sb, cb, np.zeros(nb + 1, dtype=np.int64), np.full(nb + 1, mb, dtype=np.int64), [(1, 1), (1, 0)], tau, 0.0
    )
    # project the path to the fine grid: each step covers the box between its end points
    c_lo = np.full(n + 1, m, dtype=np.int64)
    c_hi = np.zeros(n + 1, dtype=np.int64)
    y = x = 0
    for a, b in path:
        y0, x0 = min(y * size, n), min(x * size, m)
        y, x = y + a, x + b
        y1, x1 = min(y * size, n), min(x * size, m)
        np.minimum(c_lo[y0 : y1 + 1], x0, out=c_lo[y0 : y1 + 1])
        np.maximum(c_hi[y0 : y1 + 1], x1, out=c_hi[y0 : y1 + 1])
    margin = band + size
    lo = np.clip(c_lo - margin, 0, m)
    hi = np.clip(c_hi + margin, 0, m)
    lo = np.minimum.accumulate(lo[::-1])[::-1].copy()  # monotone: never above a later row's
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    lo[1:] = np.minimum(lo[1:], hi[:-1])  # consecutive windows overlap: every cell reachable
    return lo, hi, (nb + 1) * (mb + 1)


def _beads(src: np.ndarray, cand: np.ndarray, path: list[tuple[int, int]]) -> tuple[Bead, ...]:
    """Beads for a path of shapes, with the cosine of the normalised sums of both sides."""
    starts = np.zeros((len(path) + 1, 2), dtype=np.int64)
    np.cumsum(np.array(path, dtype=np.int64).reshape(-1, 2), axis=0, out=starts[1:])
    sims: dict[int, float] = {}
    by_shape: dict[tuple[int, int], list[int]] = {}
    for k, shape in enumerate(path):
        if shape[0] and shape[1]:
            by_shape.setdefault(shape, []).append(k)
    step = 4096  # beads per batch, to keep the temporary vectors small
    for (a, b), ks in by_shape.items():
        for k0 in range(0, len(ks), step):
            idx = np.array(ks[k0 : k0 + step])
            s = np.zeros((len(idx), src.shape[1]))
            c = np.zeros((len(idx), cand.shape[1]))
            for t in range(a):
                s += src[starts[idx, 0] + t]
            for t in range(b):
                c += cand[starts[idx, 1] + t]
            s, c = _normalise_rows(s), _normalise_rows(c)
            for k, v in zip(idx.tolist(), np.einsum("ij,ij->i", s, c).tolist()):
                sims[k] = v
    return tuple(
        Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), sims.get(k))
        for k, ((a, b), (i, j)) in enumerate(zip(path, starts[:-1].tolist()))
    )


def align(
    source: np.ndarray,
    candidate: np.ndarray,
    *,
    max_merge: int = 3,
    skip_threshold: float | None = None,
    merge_penalty: float = 0.04,
    band: int = 24,
    full_search_cells: int = 250_000,
) -> Alignment:
    """Align source and candidate sentences monotonically (see the module docstring).

    Args:
        source: n x d sentence embeddings, L2-normalised rows (n may be 0).
        candidate: m x d sentence embeddings of the same model (m may be 0).
        max_merge: largest run on one side of a bead: 1-2, 2-1, ... up to 1-k and k-1.
        skip_threshold: ``tau``; a pair less similar than this is left as an omission plus an
            insertion. ``None`` derives it from the similarities in the search window with
            the rule of :func:`auto_skip_threshold`.
        merge_penalty: subtracted per extra sentence of a merged bead, so that 1-1 wins ties.
        band: half-width in sentences of the fine search window around the coarse path (the
            coarse block size is added to it).
        full_search_cells: search the full grid when ``n * m`` is at most this (or when the
            shorter side has at most ``2 * band + 1`` sentences).

    Returns:
        The :class:`Alignment`.

    Raises:
        InputError: the embeddings are not 2-D, differ in dimension, or are not finite.
        ConfigError: a setting is out of range.
    """
    if not 1 <= max_merge <= 32:
        raise ConfigError(f"max_merge must be 1 to 32, not {max_merge}")
    if band < 0:
        raise ConfigError(f"band must not be negative, not {band}")
    if full_search_cells < 0:
        raise ConfigError(f"full_search_cells must not be negative, not {full_search_cells}")
    if not math.isfinite(merge_penalty):
        raise ConfigError(f"merge_penalty must be a finite number, not {merge_penalty}")
    if skip_threshold is not None and not -1.0 <= skip_threshold <= 1.0:
        raise ConfigError(f"skip_threshold must be in [-1, 1], not {skip_threshold}")
    src, cand = _as_matrix(source, "source"), _as_matrix(candidate, "candidate")
    n, m = len(src), len(cand)
    if n and m and src.shape[1] != cand.shape[1]:
        raise InputError(
            f"source and candidate embeddings differ in dimension "
            f"({src.shape[1]} vs {cand.shape[1]}); use one model for both"
        )
    if n == 0 or m == 0:
        tau = auto_skip_threshold(np.zeros((0, 0))) if skip_threshold is None else skip_threshold
        beads = [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        return Alignment(tuple(beads), float(tau), 0, False)

    # a side no longer than one band is searched in full: that costs only O(band * longer side),
    # and block averages over such a short side cannot guide a first pass
    banded = n * m > full_search_cells and min(n, m) > 2 * band + 1
    if banded:
        lo, hi, cells = _coarse_windows(src, cand, band)
    else:
        lo, hi, cells = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64), 0
    cells += int(np.sum(hi - lo + 1))
    if skip_threshold is None:
        tau = _clamp_tau(_tau_rule(*_windowed_stats(src, cand, lo, hi)))
    else:
        tau = float(skip_threshold)
    path = _dp(src, cand, lo, hi, _transitions(max_merge), tau, float(merge_penalty))
    return Alignment(_beads(src, cand, path), tau, cells, banded)
