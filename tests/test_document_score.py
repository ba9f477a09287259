"""The document score, summary.mqm_estimate: what it counts (pure logic), that the reports lead
with it, and that corrupting an article never makes it better (real model, real articles)."""

from __future__ import annotations

import json
import statistics
import sys

import pytest

import mtcheck
from mtcheck.report import render
from mtcheck.summary import ESTIMATE_WEIGHTS, mqm_estimate
from mtcheck.types import Bead

from .conftest import ROOT, doc_of

sys.path.insert(0, str(ROOT / "bench"))

ENGLISH = ESTIMATE_WEIGHTS["all-MiniLM-L6-v2"]

# ---------------------------------------------------------------------- what it counts

CAND = doc_of(["one two three four five six seven eight nine ten", "a b c d e", "x y"])


def test_identical_text_estimates_zero_and_nothing_aligned_estimates_none():
    beads = [Bead((0,), (0,), 1.0, error_mass=0.0), Bead((1,), (1,), 1.0, error_mass=0.0)]
    assert mqm_estimate(CAND, beads) == 0.0
    assert mqm_estimate(CAND, [Bead((), (0,))]) is None


def test_dissimilarity_and_error_mass_add_per_100_words():
    beads = [Bead((0,), (0,), 0.8, error_mass=0.5), Bead((1,), (1,), 1.0)]
    points = ENGLISH.dissimilarity * 10 * 0.2 + ENGLISH.error_mass * 0.5
    assert mqm_estimate(CAND, beads) == pytest.approx(100 * points / 15)


def test_gaps_are_coverage_unless_a_sentence_was_garbled_past_aligning():
    matched = Bead((0,), (0,), 0.9)
    # an insertion alone (a candidate that runs on) is coverage, not fidelity
    assert mqm_estimate(CAND, [matched, Bead((), (1,))]) == pytest.approx(mqm_estimate(CAND, [matched]))
    # an omission next to an insertion: the sentence is there, rewritten beyond recognition,
    # and counts worse than any aligned rendering of it could
    garbled = mqm_estimate(CAND, [matched, Bead((1,), ()), Bead((), (1,))])
    aligned_badly = mqm_estimate(CAND, [matched, Bead((1,), (1,), 0.0)])
    assert garbled == pytest.approx(aligned_badly) and garbled > mqm_estimate(CAND, [matched, Bead((1,), (1,), 0.3)])


def test_a_cut_off_bead_is_left_out():
    beads = [Bead((0,), (0,), 1.0), Bead((1,), (1,), 0.2)]
    assert mqm_estimate(CAND, beads, leave_out=(1,)) == 0.0
    # and it separates the gap runs on either side of it
    beads = [Bead((0,), ()), Bead((1,), (0,), 0.5), Bead((), (1,)), Bead((2,), (2,), 1.0)]
    assert mqm_estimate(CAND, beads, leave_out=(1,)) == 0.0


def test_the_multilingual_model_counts_mostly_what_falls_below_a_faithful_translation():
    weights = ESTIMATE_WEIGHTS["usem3"]
    faithful = weights.faithful_similarity
    assert faithful < 0.9 and weights.softness > 0
    at = {sim: mqm_estimate(CAND, [Bead((0,), (0,), sim)], "usem3") for sim in (0.95, 0.9, faithful, faithful - 0.3)}
    # above the faithful similarity it fades out but still grows with every fall in similarity
    assert 0 < at[0.95] < at[0.9] < at[faithful] < 0.2 * at[faithful - 0.3]
    assert at[faithful - 0.3] == pytest.approx(100 * weights.dissimilarity * 0.3, rel=0.01)


# ---------------------------------------------------------------------- the reports lead with it


@pytest.mark.model
def test_every_report_leads_with_the_estimate(pair_report):
    report = pair_report("kim-arrives")
    value = f"{report.summary.mqm_estimate:.1f}"
    terminal = render(report, "terminal", width=200)
    assert terminal.index("MQM estimate") < terminal.index("divergence") and value in terminal
    markdown = render(report, "markdown")
    assert markdown.index(f"| MQM estimate | **{value} ") < markdown.index("| divergence |")
    page = render(report, "html")
    assert page.index(f'<span class="big">{value}</span><span>MQM estimate') < page.index("divergence")
    summary = json.loads(render(report, "json"))["summary"]
    assert next(iter(summary)) == "mqm_estimate"
    assert summary["mqm_estimate"] == round(report.summary.mqm_estimate, 4)


@pytest.mark.model
def test_garbled_round_trip_scores_far_worse_than_the_control_and_the_translation(pair_report):
    garbled = pair_report("kim-arrives").summary.mqm_estimate
    control = pair_report("kim-support-control").summary.mqm_estimate
    translation = pair_report("missiles-pt-en").summary.mqm_estimate
    assert control < 0.5 and translation < 2
    assert garbled > 5 and garbled > 4 * max(control, translation)


@pytest.mark.model
def test_the_estimate_compares_articles_of_any_length():
    source = (
        "He met Putin at the cosmodrome on Wednesday.\n\nKim boarded his personal train from the capital on "
        "Sunday afternoon.\n\nThe talks lasted four hours."
    )
    candidate = source.replace("boarded his personal train", "addressed his private exercise")
    once = mtcheck.check(source, candidate).summary.mqm_estimate
    twice = mtcheck.check(source + "\n\n" + source, candidate + "\n\n" + candidate).summary.mqm_estimate
    assert once > 1 and twice == pytest.approx(once, rel=0.02)


# ---------------------------------------------------------------------- monotonicity

LEVELS = (0, 1, 2, 4, 8)
SEEDS = 3


def _levels(source: str, candidate: str) -> tuple[list[float], float]:
    """Mean estimate with 0, 1, 2, 4, 8 meaning changes (nested), and with one rewording."""
    import eval_monotonicity

    means, reworded, made = eval_monotonicity.estimates(source, candidate, SEEDS)
    assert made == LEVELS[-1]
    return means, reworded


@pytest.mark.model
@pytest.mark.parametrize("name", ["kim-arrives", "kim-support-control", "missiles-pt-en"])
def test_every_meaning_change_makes_a_bundled_pair_worse(name):
    pair = ROOT / "pairs" / name
    means, reworded = _levels(
        (pair / "source.txt").read_text(encoding="utf-8"), (pair / "candidate.txt").read_text(encoding="utf-8")
    )
    assert all(b > a for a, b in zip(means, means[1:])), means


@pytest.mark.model
def test_meaning_changes_worsen_dev_articles_and_rewordings_hardly_move_them():
    """A slice of the MQM dev articles (the bench runs them all: bench/eval_monotonicity.py)."""
    import eval_documents
    import eval_mqm

    items = eval_documents.articles(eval_mqm.load_rows(split="test"))[::23]
    assert len(items) == 3
    one_change, one_rewording = [], []
    for item in items:
        means, reworded = _levels(item["source"], item["candidate"])
        assert all(b > a for a, b in zip(means, means[1:])), (item["doc"], item["system"], means)
        one_change.append(means[1] - means[0])
        one_rewording.append(abs(reworded - means[0]))
    assert statistics.fmean(one_rewording) < 0.3 * statistics.fmean(one_change)


def test_another_experts_mqm_orders_one_documents_systems_like_the_gold_rater_under_62_percent():
    """The ceiling that bench/eval_documents.py prints beside the figures: the dev set's other two
    raters' MQM, read as metrics, rank articles well (tau-b ~0.6) but order one document's three
    systems like the gold rater only ~58% of the time, below the issue's 70% target."""
    import eval_documents
    import eval_mqm

    items = eval_documents.articles(eval_mqm.load_rows())
    gold = [item["mqm_per_100"] for item in items]
    first = items[0]["segments"][0]
    assert len(first["other_raters"]) == 2
    for k in (0, 1):
        other = eval_documents.other_rater(items, k)
        assert other != gold  # another rater, not the gold one again
        assert all(value <= 0 for value in other)  # MQM is a penalty: 0 or below
        assert 0.5 < eval_documents.pairwise_accuracy(items, gold, other) < 0.62


# ---------------------------------------------------------------------- error mass of a bead


@pytest.mark.model
def test_error_mass_counts_a_precise_finding_as_certain_and_ignores_words_the_source_has():
    from mtcheck.checks import BeadInput, _run_bead_checks, build_contexts, error_mass
    from mtcheck.embed import get_embedder
    from mtcheck.types import Span

    source = "The company sold 2018 cars in the first half of the year, the chairman said."
    embedder = get_embedder("all-MiniLM-L6-v2")

    def context_of(candidate: str):
        bead = BeadInput(
            source, (Span.of(source, 0, len(source)),), candidate, (Span.of(candidate, 0, len(candidate)),)
        )
        return build_contexts([bead], embedder=embedder, flagger="tagger")[0]

    same = context_of(source)
    assert error_mass(same, _run_bead_checks(same, mtcheck.checks.BEAD_CHECKS)[1]) == 0.0

    changed = context_of(source.replace("2018", "2019"))
    flags, certain = _run_bead_checks(changed, mtcheck.checks.BEAD_CHECKS)
    assert [(f.kind, f.candidate.text) for f in certain] == [("number", "2019")]
    sure = 1.0 - changed.scores.own_major[1]  # the tagger's own threshold, not the blend's
    assert error_mass(changed, certain) == pytest.approx(sure)  # every other word the source has
    assert error_mass(changed) < sure  # without the finding, only the flagger's doubt
