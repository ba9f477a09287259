"""Tests of mtcheck.align with constructed embeddings.

A deterministic fake stands in for a model: every "meaning" is a random unit vector from a
seeded RNG with a shared topic component (so unrelated sentences score about 0.2, like
same-topic sentences under MiniLM), a candidate sentence is a noisy copy of its meaning
(about 0.85 against its source), and a sentence that carries several meanings is the
normalised sum of their vectors.
"""

from __future__ import annotations

import numpy as np
import pytest

from mtcheck.align import Alignment, AlignSide, align, auto_skip_threshold
from mtcheck.errors import ConfigError, InputError
from mtcheck.types import Bead

Shape = tuple[int, int]


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def make_pair(shapes: list[Shape], *, d: int = 64, seed: int = 0, noise: float = 0.6, topic: float = 0.5):
    """Source and candidate embeddings whose gold alignment is ``shapes``, and that gold."""
    rng = np.random.default_rng(seed)
    topic_vec = _unit(rng.standard_normal(d))
    src: list[np.ndarray] = []
    cand: list[np.ndarray] = []
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []

    def noisy(v: np.ndarray) -> np.ndarray:
        return _unit(v + noise * _unit(rng.standard_normal(d)))

    for a, b in shapes:
        assert (a, b) != (0, 0) and min(a, b) <= 1
        atoms = _unit(topic * topic_vec + _unit(rng.standard_normal((max(a, b), d))))
        s_idx = tuple(range(len(src), len(src) + a))
        c_idx = tuple(range(len(cand), len(cand) + b))
        if a == 1 and b != 1:
            src.append(_unit(atoms.sum(axis=0)))
        else:
            src.extend(atoms[:a])
        if b == 1 and a != 1:
            cand.append(noisy(_unit(atoms.sum(axis=0))))
        else:
            cand.extend(noisy(v) for v in atoms[:b])
        gold.append((s_idx, c_idx))
    S = np.array(src).reshape(-1, d)
    C = np.array(cand).reshape(-1, d)
    return S, C, gold


def with_lengths(S: np.ndarray, C: np.ndarray, gold) -> tuple[AlignSide, AlignSide]:
    """The sides as the pipeline gives them: with sentence lengths. A sentence carries 100
    characters per meaning, so that a merged side is about as long as its counterpart."""
    src_len, cand_len = np.zeros(len(S)), np.zeros(len(C))
    for s_idx, c_idx in gold:
        meanings = max(len(s_idx), len(c_idx))
        for i in s_idx:
            src_len[i] = 100 * meanings / len(s_idx)
        for j in c_idx:
            cand_len[j] = 100 * meanings / len(c_idx)
    return AlignSide(S, lengths=src_len), AlignSide(C, lengths=cand_len)


def random_shapes(count: int, seed: int) -> list[Shape]:
    """About ``count`` beads: mostly 1-1, with merges, splits, omissions and insertions."""
    rng = np.random.default_rng(seed)
    kinds = [(1, 1), (2, 1), (1, 2), (3, 1), (1, 3), (1, 0), (0, 1)]
    probs = [0.80, 0.04, 0.04, 0.01, 0.01, 0.05, 0.05]
    shapes = [kinds[k] for k in rng.choice(len(kinds), size=count, p=probs)]
    # never two gaps in a row of opposite kinds: an omission next to an insertion may be
    # swapped without changing the score, so the gold order would be arbitrary
    out: list[Shape] = []
    for s in shapes:
        if out and {s, out[-1]} == {(1, 0), (0, 1)}:
            continue
        out.append(s)
    return out


def pairs(al: Alignment):
    return [(b.source, b.candidate) for b in al.beads]


def check_cover(al: Alignment, n: int, m: int) -> None:
    src = [i for b in al.beads for i in b.source if not b.moved]
    cand = [j for b in al.beads for j in b.candidate]
    assert src == sorted(src)
    assert sorted(src + [i for b in al.beads if b.moved for i in b.source]) == list(range(n))
    assert cand == list(range(m))
    for b in al.beads:
        assert (b.similarity is None) == b.is_gap
        assert len(b.source) <= 4 and len(b.candidate) <= 4
        assert b.is_gap or len(b.source) + len(b.candidate) <= 5


def test_identity_one_to_one():
    S, C, gold = make_pair([(1, 1)] * 12)
    al = align(S, C)
    assert pairs(al) == [((i,), (i,)) for i in range(12)]
    assert all(b.kind == "1-1" and b.similarity > 0.7 for b in al.beads)
    assert not al.banded and al.searched_cells == 13 * 13
    assert 0.15 <= al.skip_threshold <= 0.6


def test_two_to_one_merge():
    S, C, gold = make_pair([(1, 1)] * 4 + [(2, 1)] + [(1, 1)] * 4, seed=1)
    al = align(S, C)
    assert pairs(al) == gold
    assert [b.kind for b in al.beads][4] == "2-1"
    assert pairs(al)[4] == ((4, 5), (4,))


def test_one_to_two_split():
    S, C, gold = make_pair([(1, 1)] * 3 + [(1, 2)] + [(1, 1)] * 5, seed=2)
    al = align(S, C)
    assert pairs(al) == gold
    assert pairs(al)[3] == ((3,), (3, 4))


def test_one_to_three_split():
    S, C, gold = make_pair([(1, 1)] * 3 + [(1, 3)] + [(1, 1)] * 5, seed=3)
    al = align(S, C)
    assert pairs(al) == gold
    assert pairs(al)[3] == ((3,), (3, 4, 5))


def test_three_to_one_merge_needs_max_merge_3():
    S, C, gold = make_pair([(1, 1)] * 3 + [(3, 1)] + [(1, 1)] * 5, seed=4)
    assert pairs(align(S, C)) == gold
    assert "3-1" not in [b.kind for b in align(S, C, max_merge=2).beads]


def test_omission_in_the_middle():
    S, C, gold = make_pair([(1, 1)] * 5 + [(1, 0)] + [(1, 1)] * 5, seed=5)
    al = align(S, C)
    assert pairs(al) == gold
    assert al.beads[5] == Bead((5,), ())


def test_insertion_in_the_middle():
    S, C, gold = make_pair([(1, 1)] * 5 + [(0, 1)] + [(1, 1)] * 5, seed=6)
    al = align(S, C)
    assert pairs(al) == gold
    assert al.beads[5] == Bead((), (5,))


def test_shifted_run_five_extra_at_start():
    S, C, gold = make_pair([(0, 1)] * 5 + [(1, 1)] * 15, seed=7)
    al = align(S, C)
    assert pairs(al) == [((), (j,)) for j in range(5)] + [((i,), (i + 5,)) for i in range(15)]


def test_candidate_runs_past_the_end():
    S, C, gold = make_pair([(1, 1)] * 30 + [(0, 1)] * 20, seed=8)
    al = align(*with_lengths(S, C, gold))
    assert pairs(al) == gold
    assert [b.kind for b in al.beads[30:]] == ["0-1"] * 20


def test_trailing_run_in_banded_mode():
    # 40 trailing candidate sentences past the end of a long source stay inside the window
    S, C, gold = make_pair([(1, 1)] * 600 + [(0, 1)] * 40, seed=9, d=48)
    al = align(*with_lengths(S, C, gold), full_search_cells=10_000)
    assert al.banded
    assert pairs(al) == gold


def test_leading_run_in_banded_mode():
    S, C, gold = make_pair([(1, 0)] * 40 + [(1, 1)] * 600, seed=10, d=48)
    al = align(S, C, full_search_cells=10_000)
    assert al.banded
    assert pairs(al) == gold


def test_short_side_is_searched_in_full():
    # 3 x 3000 is over the cell limit, but a side shorter than a band makes banding pointless
    S, C, gold = make_pair([(0, 1)] * 1500 + [(1, 1)] * 3 + [(0, 1)] * 1497, seed=16, d=384)
    al = align(S, C, full_search_cells=100)
    assert not al.banded and al.searched_cells == 4 * 3001
    assert [b for b in pairs(al) if b[0]] == [((0,), (1500,)), ((1,), (1501,)), ((2,), (1502,))]


@pytest.mark.parametrize("n,m", [(0, 4), (3, 0), (0, 0)])
def test_empty_sides(n, m):
    rng = np.random.default_rng(0)
    S, C = _unit(rng.standard_normal((n, 8))), _unit(rng.standard_normal((m, 8)))
    al = align(S, C)
    assert pairs(al) == [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]
    assert al.searched_cells == 0 and not al.banded


def test_empty_side_as_1d_array():
    al = align(np.zeros((0,)), np.eye(3))
    assert pairs(al) == [((), (0,)), ((), (1,)), ((), (2,))]


def test_unrelated_texts_are_all_gaps():
    # different topics, 384 dimensions: unrelated pairs score about 0 +- 0.05, so the
    # automatic threshold falls to its floor (0.2) and nothing is forced to match
    S, _, _ = make_pair([(1, 1)] * 10, seed=11, d=384)
    _, C, _ = make_pair([(1, 1)] * 10, seed=12, d=384)
    al = align(S, C)
    check_cover(al, 10, 10)
    assert all(b.is_gap for b in al.beads)


def test_explicit_threshold_is_used():
    S, C, gold = make_pair([(1, 1)] * 6, seed=13)
    assert align(S, C, skip_threshold=0.3).skip_threshold == 0.3
    assert all(b.is_gap for b in align(S, C, skip_threshold=1.0).beads)


def test_similarity_is_cosine_of_normalised_sums():
    S, C, gold = make_pair([(1, 1), (2, 1), (1, 3), (1, 1)], seed=14)
    al = align(S, C)
    assert pairs(al) == gold
    for b in al.beads:
        s = _unit(S[list(b.source)].sum(axis=0))
        c = _unit(C[list(b.candidate)].sum(axis=0))
        assert b.similarity == pytest.approx(float(s @ c), abs=1e-12)


def test_every_index_covered_and_monotone_on_random_input():
    for seed in range(5):
        S, C, gold = make_pair(random_shapes(80, seed), seed=seed, noise=1.2)
        al = align(S, C)
        check_cover(al, len(S), len(C))


LONG = random_shapes(2050, seed=42)


@pytest.fixture(scope="module")
def long_pair():
    return make_pair(LONG, seed=42, d=64)


def test_banded_equals_full_search_on_long_text(long_pair):
    S, C, gold = long_pair
    n, m = len(S), len(C)
    assert 1900 <= n <= 2200 and 1900 <= m <= 2200
    sides = with_lengths(S, C, gold)
    banded = align(*sides, skip_threshold=0.45)
    full = align(*sides, skip_threshold=0.45, full_search_cells=10**9)
    assert banded.banded and not full.banded
    assert banded.beads == full.beads
    assert full.searched_cells == (n + 1) * (m + 1)
    assert banded.searched_cells < n * m / 10
    check_cover(banded, n, m)
    recovered = len(set(pairs(banded)) & set(gold)) / len(gold)
    assert recovered > 0.97


def test_banded_auto_threshold_matches_full_search(long_pair):
    S, C, gold = long_pair
    banded = align(S, C)
    full = align(S, C, full_search_cells=10**9)
    assert banded.skip_threshold == pytest.approx(full.skip_threshold, abs=0.05)
    assert banded.beads == full.beads


def test_deterministic(long_pair):
    S, C, _ = long_pair
    a, b = align(S, C), align(S.copy(), C.copy())
    assert a == b


def test_float32_input():
    S, C, gold = make_pair([(1, 1)] * 5 + [(2, 1)] + [(1, 1)] * 5, seed=15)
    assert pairs(align(S.astype(np.float32), C.astype(np.float32))) == gold


def test_auto_skip_threshold_rule():
    sims = np.full((10, 10), 0.3)
    np.fill_diagonal(sims, 0.9)
    assert auto_skip_threshold(sims) == pytest.approx(0.36)  # a tenth of the way from 0.3 to 0.9
    # clamped: texts with nothing in common are never paired, near-identical ones always
    assert auto_skip_threshold(np.full((4, 4), 0.95)) == 0.6
    assert auto_skip_threshold(np.full((4, 4), -0.3)) == 0.15
    assert auto_skip_threshold(np.zeros((0, 0))) == 0.15
    # half the source untranslated: column maxima keep the estimate of a real match
    half = np.full((10, 5), 0.3)
    half[np.arange(5), np.arange(5)] = 0.9
    assert auto_skip_threshold(half) == pytest.approx(0.36)


def test_bad_input():
    with pytest.raises(InputError):
        align(np.ones((3, 4)), np.ones((3, 5)))
    with pytest.raises(InputError):
        align(np.ones(4), np.ones((3, 4)))
    with pytest.raises(InputError):
        align(np.full((2, 4), np.nan), np.ones((3, 4)))
    with pytest.raises(ConfigError):
        align(np.ones((2, 4)), np.ones((3, 4)), max_merge=0)
    with pytest.raises(ConfigError):
        align(np.ones((2, 4)), np.ones((3, 4)), skip_threshold=2.0)
