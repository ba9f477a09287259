"""Rewrites that move paragraphs and insert headings, on a bundled article, with the real model.

The candidate is kim-arrives' own source with a subheading inserted between two paragraphs and
one paragraph moved to the end, the two things rewrites do that the aligner once got wrong: the
heading was pulled into a neighbouring bead, and the moved paragraph became major omissions
plus an unflagged insertion.
"""

from __future__ import annotations

import jsonschema
import pytest

import mtcheck
from mtcheck.report import render
from mtcheck.schema import report_schema

from .conftest import pair_paths

pytestmark = pytest.mark.model

HEADING = "Russia prepares a welcome"
MOVED = (
    "North Korean state media showed photographs of Kim walking past honor guards and crowds of civilians"
    " holding the national flag and flowers, and also of him waving from his green-and-yellow armored train"
    " before it left the station. Kim’s delegation likely includes his foreign minister, Choe Sun Hui, and his"
    " top military officials, including Korean People’s Army Marshals Ri Pyong Chol and Pak Jong Chon."
)
#: What the moved paragraph says in the rewrite: one meaning change, a dropped "likely".
MOVED_REWRITTEN = MOVED.replace("likely includes", "does not include")


@pytest.fixture(scope="module")
def rewrite():
    source = pair_paths("kim-arrives")[0].read_text("utf-8")
    assert MOVED in source
    paragraphs = source.split("\n\n")
    index = next(k for k, p in enumerate(paragraphs) if p.strip() == MOVED)
    moved = paragraphs.pop(index)
    assert moved.strip() == MOVED
    paragraphs.insert(3, HEADING)  # between "...train crossed into Russia" and the next paragraph
    paragraphs.append(MOVED_REWRITTEN)
    candidate = "\n\n".join(paragraphs)
    return source, candidate, mtcheck.check(source, candidate)


def _sentence_index(doc, opening: str) -> int:
    return next(k for k, s in enumerate(doc.sentences) if s.text.startswith(opening))


def test_an_inserted_heading_is_an_insertion_of_its_own(rewrite):
    _, _, report = rewrite
    heading = _sentence_index(report.candidate, HEADING)
    bead = next(b for b in report.beads if heading in b.candidate)
    assert bead.kind == "0-1"
    # and its neighbours keep their own counterparts, 1-1
    for neighbour in (heading - 1, heading + 1):
        other = next(b for b in report.beads if neighbour in b.candidate)
        assert other.kind == "1-1", other
        assert report.source.sentences[other.source[0]].text[:30] == report.candidate.sentences[neighbour].text[:30]
    assert [
        f.kind for f in report.flags if f.candidate.start <= report.candidate.sentences[heading].start < f.candidate.end
    ] == ["addition"]


def test_a_moved_paragraph_is_moved_beads_not_omissions_and_insertions(rewrite):
    _, _, report = rewrite
    src, cand = report.source, report.candidate
    moved = [b for b in report.beads if b.kind == "moved"]
    openings = ["North Korean state media showed", "Kim’s delegation"]
    assert [(b.source, b.candidate) for b in moved] == [
        ((_sentence_index(src, o),), (_sentence_index(cand, o),)) for o in openings
    ]
    for bead in moved:
        assert bead.similarity is not None and bead.similarity > 0.8
        # both positions: the source sentence sits before the candidate's place in reading order
        assert bead.source[0] < bead.candidate[0]
    assert report.summary.omissions == 0
    assert report.summary.insertions == 1  # the heading
    assert report.summary.coverage_source == 1.0
    assert not [f for f in report.flags if f.kind == "omission"]
    # everything else is a 1-1 bead on its own counterpart
    others = [b for b in report.beads if b.kind not in ("moved", "0-1")]
    assert all(
        b.kind == "1-1" and src.sentences[b.source[0]].text == cand.sentences[b.candidate[0]].text for b in others
    )


def test_a_moved_sentence_is_still_compared_and_flagged(rewrite):
    _, _, report = rewrite
    moved = {k for k, b in enumerate(report.beads) if b.kind == "moved"}
    added = report.candidate.raw.index("not include")
    on_it = [f for f in report.flags if f.bead in moved and f.candidate.start <= added < f.candidate.end]
    assert [(f.kind, f.severity, f.candidate.text) for f in on_it] == [("negation", "major", "not")]
    assert "likely includes" in on_it[0].source.text


def test_moved_beads_fit_the_schema_and_every_report(rewrite):
    _, _, report = rewrite
    data = report.to_dict()
    jsonschema.validate(data, report_schema())
    assert [b["kind"] for b in data["beads"]].count("moved") == 2
    for fmt in ("terminal", "markdown", "html"):
        assert render(report, fmt)
