"""A source that stops early: the note, and no flags blamed on what the source lacks."""

from __future__ import annotations

import pytest

import mtcheck
from mtcheck.partial import drop_flags_at_cut, source_end
from mtcheck.types import Bead, Flag, Span

from .conftest import doc_of

SOURCE = ["Kim arrived on Tuesday.", "He met officials.", "The MiG-"]
CANDIDATE = ["Kim arrived on Tuesday.", "He met officials.", "The MiG-31 jets flew over.", "A", "B", "C"]


def _beads(n_matched: int, tail: int) -> list[Bead]:
    beads = [Bead((k,), (k,), 0.9) for k in range(n_matched)]
    return beads + [Bead((), (n_matched + k,)) for k in range(tail)]


def test_a_source_cut_mid_sentence_and_a_running_on_candidate_are_named():
    src, cand = doc_of(SOURCE), doc_of(CANDIDATE)
    end = source_end(src, cand, _beads(3, 3))
    assert end is not None and end.cut and end.cut_bead == 2 and end.run_on == 3
    assert end.end == len(src.raw)
    assert end.note.startswith(f"source appears to end at character {len(src.raw)} (...")
    assert "stops mid-way" in end.note
    tail_start = cand.sentences[3].start
    assert f"the candidate's last 3 sentences (characters {tail_start}-{len(cand.raw)})" in end.note


def test_a_complete_source_gets_no_note():
    src = doc_of(SOURCE[:2])
    cand = doc_of(CANDIDATE[:2] + ["Thanks for reading."])
    assert source_end(src, cand, _beads(2, 1)) is None  # one closing line is no run-on


def test_number_name_and_omission_flags_on_the_cut_sentence_are_dropped():
    src, cand = doc_of(SOURCE), doc_of(CANDIDATE)
    end = source_end(src, cand, _beads(3, 3))
    at = cand.raw.index("31")
    number = Flag("number", "major", Span(at, at + 2, "31"), None, 0.9, "31", 2)
    wrong = Flag("mistranslation", "major", Span(at + 3, at + 7, "jets"), None, 0.5, "jets", 2)
    earlier = Flag("number", "major", Span(0, 3, "Kim"), None, 0.9, "x", 0)
    assert drop_flags_at_cut([earlier, number, wrong], end) == (earlier, wrong)


@pytest.mark.model
@pytest.mark.parametrize("name", ["kim-arrives", "kim-support-control", "missiles-pt-en"])
def test_flag_counterparts_are_whole_words(pair_report, name):
    report = pair_report(name)
    raw = report.source.raw
    for flag in report.flags:
        span = flag.source
        if span is None or span.start == span.end:
            continue
        assert not (span.start > 0 and raw[span.start - 1].isalnum() and raw[span.start].isalnum()), flag
        assert not (span.end < len(raw) and raw[span.end - 1].isalnum() and raw[span.end].isalnum()), flag


@pytest.mark.model
def test_a_word_cut_off_at_the_end_of_the_source_is_no_counterpart():
    source = "Kim Jong Un arrived in Russia by train.\n\nHe will meet President Vladimir Putin on M"
    candidate = "Kim Jong Un arrived in Russia by train.\n\nHe will meet President Vladimir Putin on Monday."
    report = mtcheck.check(source, candidate)
    assert any("source appears to end" in note for note in report.notes)
    assert [f for f in report.flags if f.source is not None and f.source.text.endswith("M")] == []
    assert [f for f in report.flags if f.kind in ("name", "number")] == []
