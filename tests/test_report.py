"""Renderers on hand-built reports (exact offsets, escaping) and on a real pair."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from mtcheck.report import FORMATS, render
from mtcheck.types import Bead, Document, Flag, Junk, Report, Span, Summary

SOURCE = 'Kim boarded his personal train. <script>alert("x")</script> officials met.'
CANDIDATE = "Kim addressed his private exercise. <img src=x onerror=alert(1)> officials met. Read more »"


def _span(raw: str, text: str) -> Span:
    start = raw.index(text)
    return Span(start, start + len(text), text)


@pytest.fixture()
def report() -> Report:
    src = Document(
        SOURCE,
        (_span(SOURCE, "Kim boarded his personal train."), _span(SOURCE, SOURCE[32:])),
        language="en",
        path="s.txt",
    )
    junk_start = CANDIDATE.index("Read more »")
    cand = Document(
        CANDIDATE,
        (_span(CANDIDATE, "Kim addressed his private exercise."), _span(CANDIDATE, CANDIDATE[36:junk_start].strip())),
        junk=(Junk(junk_start, len(CANDIDATE), "Read more »", "read-more"),),
        language="en",
        path="c.txt",
    )
    flags = (
        Flag(
            "mistranslation",
            "major",
            _span(CANDIDATE, "private exercise"),
            _span(SOURCE, "personal train"),
            0.9,
            '"private exercise" where the source has "personal train"',
            0,
        ),
        Flag(
            "mistranslation",
            "minor",
            _span(CANDIDATE, "addressed"),
            _span(SOURCE, "boarded"),
            0.6,
            '"addressed" where the source has "boarded"',
            0,
        ),
    )
    beads = (Bead((0,), (0,), 0.56, (("chrf", 40.0),)), Bead((1,), (1,), 0.7, (("chrf", 55.0),)))
    summary = Summary(0.3, 1.0, 1.0, 0.63, 2, 0, 0, penalty=6.0, flags_major=1, flags_minor=1, divergence_aligned=0.3)
    return Report(src, cand, beads, flags, summary, "mtcheck:test", "fake")


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.marks, self.text, self._in_mark = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_mark = tag == "mark" and "data-flags" in dict(attrs)  # not the legend's

    def handle_endtag(self, tag):
        self._in_mark = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_mark:
            self.marks.append(data)


def test_html_escapes_article_text_and_marks_exact_spans(report):
    from importlib import resources

    page = render(report, "html")
    own_script = resources.files("mtcheck").joinpath("report/templates/report.js").read_text("utf-8")
    # the only scripts are the page's own: its flag data (inert JSON) and its packaged code
    assert page.count("<script") == 2 and '<script type="application/json" id="flag-data">' in page
    assert f"<script>{own_script}</script>" in page
    assert "<img" not in page and 'alert("x")</script>' not in page
    parser = _Collect()
    parser.feed(page)
    shown = "".join(parser.text)  # what a reader sees: the hostile text, literally
    assert '<script>alert("x")</script>' in shown and "<img src=x onerror=alert(1)>" in shown
    assert parser.tags.count("script") == 2 and "img" not in parser.tags
    # source column then candidate column, each highlight exactly the flagged characters
    assert parser.marks == ["boarded", "personal train", "addressed", "private exercise"]
    assert '<mark class="flag major"' in page and '<mark class="flag minor"' in page
    assert "Read more »" in page  # junk is listed, not dropped


def test_markdown_groups_major_flags_and_folds_minor_ones(report):
    md = render(report, "markdown")
    assert "<script>" not in md and "<img" not in md
    # the major flag's unit, the changed words bold on both sides
    assert "- source: Kim boarded his **personal train**." in md
    assert "- candidate: Kim addressed his **private exercise**." in md
    # the minor flag in a folded table, its row unbroken
    folded = md[md.index("<details>") : md.index("</details>")]
    rows = [line for line in folded.splitlines() if line.startswith("| minor |")]
    assert len(rows) == 1 and rows[0].count(" | ") == 5 and "addressed" in rows[0]


def test_terminal_lists_flags_worst_first(report):
    text = render(report, "terminal")
    flags = text[text.index("Flags, worst first") :]
    assert flags.index("private exercise") < flags.index("addressed")
    assert "1 major, 1 minor" in text
    assert "read-more" in text


def test_json_round_trips_offsets(report):
    data = json.loads(render(report, "json"))
    for flag in data["flags"]:
        assert CANDIDATE[flag["candidate"]["start"] : flag["candidate"]["end"]] == flag["candidate"]["text"]
        assert SOURCE[flag["source"]["start"] : flag["source"]["end"]] == flag["source"]["text"]


def test_every_format_renders(report):
    for fmt in FORMATS:
        assert render(report, fmt).strip()
    with pytest.raises(ValueError):
        render(report, "pdf")


@pytest.mark.model
def test_html_for_a_real_pair_has_every_bead(pair_report):
    report = pair_report("kim-arrives")
    page = render(report, "html")
    assert len(re.findall(r'<div class="bead[^"]*" id="bead-\d+"', page)) == len(report.beads)
    assert "Loading the weather" in page


@pytest.mark.model
def test_markdown_for_a_pull_request_is_short_and_shows_what_changed(pair_report):
    report = pair_report("kim-arrives")
    md = render(report, "markdown")
    assert len(md.splitlines()) < 100
    unit = md[md.index("**Unit 2**") :].split("\n\n")[0]
    assert "**personal train**" in unit and "**private exercise**" in unit
    majors = sum(f.severity == "major" for f in report.flags)
    assert f"### Major flags ({majors})" in md
    assert f"<summary>Minor and dismissed flags ({len(report.flags) - majors})</summary>" in md


@pytest.mark.model
@pytest.mark.parametrize("width", [80, 100, 160])
def test_terminal_report_fits_its_width_and_keeps_the_changed_words(pair_report, width):
    report = pair_report("kim-arrives")
    text = render(report, "terminal", width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert text.splitlines()[0].startswith("MQM estimate ")
    flags = text[text.index("Flags, worst first") : text.index("Least similar")]
    assert "private" in flags and "exercise" in flags  # (a narrow column may wrap between them)
    # narrower than 80 columns is laid out at 80
    assert render(report, "terminal", width=40) == render(report, "terminal", width=80)


@pytest.mark.model
def test_terminal_severity_and_top_choose_the_flags(pair_report):
    report = pair_report("kim-arrives")
    text = render(report, "terminal", severity="major", top=3)
    table = text[text.index("major flags, worst first") : text.index("Least similar")]
    majors = sum(f.severity == "major" for f in report.flags)
    assert f"(3 of {majors})" in table and "│ minor" not in table
