"""The HTML review page in a real headless Chromium: highlights, keyboard, filters, review and
export, hostile text, and the page without JavaScript."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mtcheck.report import render

from . import browser
from .conftest import PAIRS, run_cli

pytestmark = pytest.mark.model

_WHY_NOT = browser.missing()
if _WHY_NOT is not None:
    if os.environ.get("MTCHECK_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"browser tests required but cannot run: {_WHY_NOT}")
    pytest.skip(_WHY_NOT, allow_module_level=True)


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium() as b:
        yield b


@pytest.fixture(scope="module")
def kim(pair_report, tmp_path_factory):
    """kim-arrives' report and its HTML page on disk."""
    report = pair_report("kim-arrives")
    page = tmp_path_factory.mktemp("html") / "kim-arrives.html"
    page.write_text(render(report, "html"), "utf-8")
    return report, page


@pytest.fixture()
def page(chromium, kim):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(kim[1].as_uri())
    assert tab.get_attribute("body", "data-ready") == "1"  # the page's own script ran (its CSP hash holds)
    yield tab
    context.close()
    assert errors == []


def _numbered(report):
    from mtcheck.report.views import worst_flags

    return list(enumerate(worst_flags(report), 1))


def test_highlights_cover_exactly_the_flagged_characters(page, kim):
    report, _ = kim
    checked = 0
    for n, flag in _numbered(report):
        if flag.candidate.start == flag.candidate.end or "\n" in flag.candidate.text:
            continue  # an omission's place, or a flag across a sentence boundary
        shown = page.eval_on_selector_all(
            f'.cand mark[data-flags~="{n}"]', "marks => marks.map(m => m.textContent).join('')"
        )
        assert shown == flag.candidate.text, (n, flag.message)
        if flag.source is not None and "\n" not in flag.source.text:
            counterpart = page.eval_on_selector_all(
                f'.src mark[data-flags~="{n}"]', "marks => marks.map(m => m.textContent).join('')"
            )
            assert counterpart == flag.source.text, (n, flag.message)
        checked += 1
    assert checked >= 20
    assert page.locator(".cand mark.flag.major").count() >= report.summary.flags_major


def test_n_and_p_walk_the_flags_in_reading_order_and_light_the_counterpart(page, kim):
    report, _ = kim
    reading = [n for n, f in sorted(_numbered(report), key=lambda nf: (nf[1].candidate.start, nf[0]))]
    ids = []
    for key in ("n", "n", "n", "p"):
        page.keyboard.press(key)
        ids.append(page.evaluate("document.activeElement.id"))
    first, second, third = (f"flag-{n}" for n in reading[:3])
    assert ids == [first, second, third, second]
    n = reading[1]
    flag = dict(_numbered(report))[n]
    assert page.inner_text("#panel-title").startswith(f"#{n} {flag.severity} {flag.kind}")
    assert page.inner_text("#panel-message") == flag.message
    if flag.source is not None:
        active = page.eval_on_selector_all(".src mark.active", "ms => ms.map(m => m.textContent).join('')")
        assert active == flag.source.text


def test_filters_hide_what_they_should(page, kim):
    report, _ = kim
    minor_only = [n for n, f in _numbered(report) if f.severity == "minor"]
    page.uncheck('input[name="severity"][value="minor"]')
    for n in minor_only[:10]:
        assert page.locator(f'tr[data-flag="{n}"]').is_hidden()
        classes = page.eval_on_selector_all(f'.cand mark[data-flags="{n}"]', "ms => ms.map(m => m.className)")
        assert all("off" in c for c in classes)
    assert page.locator('tr[data-flag="1"]').is_visible() or not page.locator("details.flag-table").get_attribute(
        "open"
    )
    # flags only: the beads left are exactly those holding a major flag
    page.check("#flags-only")
    major_beads = {f.bead for _, f in _numbered(report) if f.severity == "major"}
    shown = page.eval_on_selector_all(".bead[data-flags]:not(.hidden)", "bs => bs.map(b => b.id)")
    assert sorted(shown) == sorted(f"bead-{k}" for k in major_beads)
    # n now skips the hidden minor flags
    page.keyboard.press("n")
    focused = int(page.evaluate("document.activeElement.id").split("-")[1])
    assert focused not in minor_only


def test_dismiss_confirm_export_and_feed_back_with_decisions(page, kim, tmp_path):
    report, path = kim
    numbered = dict(_numbered(report))
    page.keyboard.press("n")
    dismissed = int(page.evaluate("document.activeElement.id").split("-")[1])
    page.keyboard.press("d")
    page.fill("#note", "a fair rewording")
    page.keyboard.press("Escape")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("n")
    confirmed = int(page.evaluate("document.activeElement.id").split("-")[1])
    page.keyboard.press("c")
    assert "dismissed" in page.get_attribute(f"#flag-{dismissed}", "class")
    with page.expect_download() as download:
        page.click("#export-button")
    assert download.value.suggested_filename == "decisions.json"
    exported = json.loads(page.input_value("#export"))
    assert exported["schema"] == "mtcheck.decisions/1"
    got = [(d["fingerprint"], d["decision"], d["note"]) for d in exported["decisions"]]
    assert sorted(got) == sorted(
        [
            (numbered[dismissed].fingerprint, "dismissed", "a fair rewording"),
            (numbered[confirmed].fingerprint, "confirmed", ""),
        ]
    )
    # decisions survive a reload (local storage, keyed by the report)
    page.reload()
    assert "dismissed" in page.get_attribute(f"#flag-{dismissed}", "class")
    # fed back to check: the dismissed flag stays, marked, and no longer counts
    decisions = tmp_path / "decisions.json"
    decisions.write_text(page.input_value("#export") or json.dumps(exported), "utf-8")
    decisions.write_text(json.dumps(exported), "utf-8")
    out = tmp_path / "r.json"
    src, cand = PAIRS / "kim-arrives" / "source.txt", PAIRS / "kim-arrives" / "candidate.txt"
    result = run_cli("check", str(src), str(cand), "--decisions", str(decisions), "-f", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    by_fp = {f["fingerprint"]: f for f in data["flags"]}
    assert by_fp[numbered[dismissed].fingerprint]["decision"] == "dismissed"
    assert by_fp[numbered[confirmed].fingerprint]["decision"] == "confirmed"
    before = report.summary
    counted = "flags_major" if numbered[dismissed].severity == "major" else "flags_minor"
    assert data["summary"][counted] == getattr(before, counted) - 1
    assert data["summary"]["flags_dismissed"] == 1 and data["review"]["stale"] == []


# (no full stops inside the markup: the sentence splitter would cut it across two units)
HOSTILE = (
    "Kim boarded his personal train <script>self['__pwned'] = 1</script> on Sunday.\n\n"
    "Officials met <img src=x onerror=\"self['__pwned'] = 2\"> in the capital.\n\n"
    "<a href=\"javascript:self['__pwned']=3\">click</a> and </textarea></script> {{ 7*7 }} \x1b[31mred\x1b[0m.\n"
)


def test_hostile_text_is_shown_literally_and_never_runs(chromium, tmp_path):
    folder = tmp_path / "<img src=x onerror=alert(1)>"
    folder.mkdir()
    src, cand = folder / "source.txt", folder / "candidate.txt"
    src.write_text(HOSTILE, "utf-8")
    cand.write_text(HOSTILE.replace("personal train", "private exercise").replace("Sunday", "Monday"), "utf-8")
    html = tmp_path / "page.html"
    assert run_cli("check", str(src), str(cand), "--html", str(html)).exit_code == 0
    context = chromium.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.goto(html.as_uri())
    assert tab.get_attribute("body", "data-ready") == "1"
    tab.keyboard.press("n")
    for link in tab.locator("main a").all()[:5]:
        link.click()
    assert tab.evaluate("self['__pwned']") is None and dialogs == []
    assert tab.locator("main img, main script, main a[href^='javascript']").count() == 0
    text = tab.inner_text("main")
    for literal in ("<script>self['__pwned'] = 1</script>", "<img src=x onerror=\"self['__pwned'] = 2\">", "{{ 7*7 }}"):
        assert literal in text
    assert "</textarea></script>" in text
    assert "<img src=x onerror=alert(1)>" in tab.title()  # the file name, literally
    context.close()


def test_without_javascript_the_page_is_a_static_report(chromium, kim):
    report, path = kim
    context = chromium.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(path.as_uri())
    assert tab.locator("#controls").is_hidden() and tab.locator("#panel").is_hidden()
    assert tab.locator(".cand mark.flag").count() >= len(report.flags) - 3
    first = tab.locator(".cand mark.flag.major").first
    assert first.get_attribute("title")  # the message, as a tooltip
    assert tab.locator("details.unaligned").count() == 1  # the 41 sentences past the partial source
    assert tab.locator(".warning").inner_text().startswith("Partial source.")
    context.close()


def test_narrow_screens_stack_the_two_sides(chromium, kim):
    _, path = kim
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(path.as_uri())
    src = tab.locator("#bead-2 .src").bounding_box()
    cand = tab.locator("#bead-2 .cand").bounding_box()
    assert src and cand and cand["y"] >= src["y"] + src["height"] - 1  # one under the other
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    context.close()


def test_screenshot_at_1280(chromium, kim, tmp_path):
    _, path = kim
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(path.as_uri())
    shot = tmp_path / "review.png"
    tab.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000 and Path(shot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    context.close()
