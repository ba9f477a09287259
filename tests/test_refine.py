"""refine(): gap sentences join a neighbouring bead only when the joined text fits better."""

from __future__ import annotations

import numpy as np

from mtcheck.refine import refine
from mtcheck.types import Bead

from .conftest import doc_of


class TableEmbedder:
    """Deterministic fake: each known text has a fixed direction; unknown texts are orthogonal noise."""

    name = "table"

    def __init__(self, table):
        self.table = {k: np.asarray(v, dtype=np.float32) / np.linalg.norm(v) for k, v in table.items()}
        self.calls = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return np.stack([self.table[t] for t in texts])

    def fingerprint(self):
        return "table"


SRC = doc_of(["Kim met Putin and spoke of arms.", "They ate."])
CAND = doc_of(["Kim met Putin.", "He spoke of arms.", "They ate.", "Unrelated tail."])


def test_split_sentence_joins_its_bead_and_the_tail_stays_an_insertion():
    emb = TableEmbedder(
        {
            "Kim met Putin and spoke of arms.": [1, 0.1, 0, 0],
            "Kim met Putin. He spoke of arms.": [1, 0.12, 0, 0],  # the joined text fits better
            "They ate.": [0, 0, 1, 0],
            "They ate. Unrelated tail.": [0, 0.8, 0.6, 0],  # joining the tail would hurt
        }
    )
    beads = [Bead((0,), (0,), 0.9), Bead((), (1,)), Bead((1,), (2,), 1.0), Bead((), (3,))]
    out = refine(beads, SRC, CAND, emb, max_merge=3)
    assert [(b.source, b.candidate) for b in out] == [((0,), (0, 1)), ((1,), (2,)), ((), (3,))]
    assert out[0].similarity > 0.99


def test_no_merge_beyond_max_merge_and_gaps_alone_untouched():
    emb = TableEmbedder(
        {"Kim met Putin and spoke of arms.": [1, 0, 0, 0], "Kim met Putin. He spoke of arms.": [1, 0, 0, 0]}
    )
    beads = [Bead((0,), (0,), 0.9), Bead((), (1,))]
    out = refine(beads, SRC, CAND, emb, max_merge=1)
    assert out == tuple(beads)
    only_gaps = (Bead((0,), ()), Bead((), (0,)))
    assert refine(only_gaps, SRC, CAND, emb, max_merge=3) == only_gaps
    assert emb.calls == []
