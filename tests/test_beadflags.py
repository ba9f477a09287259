"""Whole-bead flags: interior gaps and similarity outliers."""

from __future__ import annotations

import pytest

import mtcheck
from mtcheck.checks.gaps import gap_flags
from mtcheck.checks.outliers import outlier_flags
from mtcheck.types import Bead

from .conftest import doc_of, pair_paths

SRC = doc_of(
    ["One two three four five.", "Six seven eight nine ten.", "Eleven twelve.", "Thirteen fourteen.", "Fifteen."]
)
CAND = doc_of(
    ["Uno dos tres cuatro cinco.", "Extra words in the middle here now.", "Once doce.", "Trece.", "Quince.", "Tail."]
)


def test_interior_gaps_are_flagged_and_edges_are_not():
    beads = [
        Bead((0,), (0,), 0.9),
        Bead((), (1,)),  # interior insertion, 7 words -> major addition
        Bead((1,), ()),  # interior omission, 5 words -> major omission
        Bead((2,), (2,), 0.8),
        Bead((3,), (3,), 0.8),
        Bead((4,), (4,), 0.8),
        Bead((), (5,)),  # trailing insertion: partial source, not flagged
    ]
    flags = gap_flags(beads, SRC, CAND)
    assert [(f.kind, f.severity, f.bead) for f in flags] == [("addition", "major", 1), ("omission", "major", 2)]
    addition, omission = flags
    assert addition.candidate.text == "Extra words in the middle here now." and addition.source is None
    assert omission.source.text == "Six seven eight nine ten."
    # the omission is marked at the end of the candidate text before it, as an empty span
    assert omission.candidate.start == omission.candidate.end == CAND.sentences[1].end


def test_similarity_outlier_is_flagged_against_the_documents_norm():
    beads = [Bead((i,), (i,), s) for i, s in enumerate([0.86, 0.84, 0.31, 0.88, 0.85])]
    flags = outlier_flags(beads, SRC, CAND)
    assert [(f.kind, f.severity, f.bead) for f in flags] == [("mistranslation", "major", 2)]
    assert flags[0].candidate.text == "Once doce." and flags[0].source.text == "Eleven twelve."
    assert "0.31" in flags[0].message
    # a uniformly mediocre document has no outlier; too few beads give no norm
    assert outlier_flags([Bead((i,), (i,), 0.5 + 0.01 * i) for i in range(5)], SRC, CAND) == []
    assert outlier_flags(beads[:3], SRC, CAND) == []


@pytest.mark.model
def test_a_wrong_sentence_in_a_cross_language_pair_is_flagged():
    src_path, cand_path = pair_paths("missiles-pt-en")
    candidate = cand_path.read_text("utf-8")
    original = "Kim arrived at Vostochny railway station from North Korea in his special armored train, from where he was transported to space base in a limousine."
    wrong = "The weather in Lisbon stayed sunny and warm all week, according to the forecasters."
    assert original in candidate
    report = mtcheck.check(src_path.read_text("utf-8"), candidate.replace(original, wrong))
    at = report.candidate.raw.index(wrong)
    on_it = [
        f
        for f in report.flags
        if f.candidate.start <= at < f.candidate.end
        or (f.kind == "omission" and f.source and "comboio" in f.source.text)
    ]
    assert on_it, report.flags
    assert any(f.severity == "major" for f in on_it)
    # the unchanged pair has no such flag
    clean = mtcheck.check(src_path.read_text("utf-8"), candidate)
    assert not [f for f in clean.flags if f.kind in ("mistranslation", "omission")]
