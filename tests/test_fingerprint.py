"""Flag fingerprints: stable across runs and edits elsewhere, distinct within a report."""

from __future__ import annotations

import pytest

import mtcheck
from mtcheck.fingerprint import fingerprints
from mtcheck.types import Flag, Span

from .conftest import doc_of, pair_paths


def _flag(doc, text: str, occurrence: int = 0, kind="number") -> Flag:
    start = -1
    for _ in range(occurrence + 1):
        start = doc.raw.index(text, start + 1)
    return Flag(kind, "major", Span.of(doc.raw, start, start + len(text)), None, 0.9, "m", 0)


def test_same_words_in_other_surroundings_or_twice_get_distinct_fingerprints():
    doc = doc_of(["He paid 5 dollars.", "She paid 5 dollars.", "She paid 5 dollars."])
    flags = [_flag(doc, "5", k) for k in range(3)]
    prints = fingerprints(flags, doc)
    assert len(set(prints)) == 3
    assert all(p.startswith("fp1:") and len(p) == 24 for p in prints)
    # the kind is part of the identity
    assert fingerprints([_flag(doc, "5", kind="name")], doc) != prints[:1]


def test_a_fingerprint_ignores_what_happens_far_away():
    sentence = "Yesterday in the market the old farmer paid 5 dollars for it, and then went home again."
    before = doc_of(["Intro.", sentence, "Outro."])
    after = doc_of(["A completely different and much longer introduction.", sentence, "A new ending."])
    assert fingerprints([_flag(before, "5")], before) == fingerprints([_flag(after, "5")], after)
    near = doc_of(["Intro.", sentence.replace("dollars", "euros"), "Outro."])
    assert fingerprints([_flag(before, "5")], before) != fingerprints([_flag(near, "5")], near)


@pytest.mark.model
def test_fingerprints_survive_a_rerun_and_an_edit_elsewhere_on_a_real_pair():
    src_path, cand_path = pair_paths("kim-arrives")
    source, candidate = src_path.read_text("utf-8"), cand_path.read_text("utf-8")
    first = mtcheck.check(source, candidate)
    prints = [f.fingerprint for f in first.flags]
    assert len(set(prints)) == len(prints) and all(p.startswith("fp1:") for p in prints)
    assert [f.fingerprint for f in mtcheck.check(source, candidate).flags] == prints
    # the candidate's tail (past the partial source) rewritten: flags in the aligned part keep theirs
    tail = candidate.index("Kremlin spokesman Dmitry Peskov")
    edited = candidate[:tail] + "Kremlin spokesman Dmitry Peskov declined to comment further.\n"
    kept = {f.fingerprint for f in mtcheck.check(source, edited).flags}
    early = [f.fingerprint for f in first.flags if f.candidate.end < tail - 100]
    assert early and set(early) <= kept
