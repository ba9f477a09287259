"""The check registry, and the README's "Adding a check" example run as written."""

from __future__ import annotations

import re

import pytest

from mtcheck.checks import BEAD_CHECKS, DOCUMENT_CHECKS, BeadInput, build_contexts, check_names, run_bead_checks
from mtcheck.types import FLAG_KINDS, Span

from .conftest import ROOT


def test_registry_declares_names_kinds_and_scopes():
    names = [c.name for c in (*BEAD_CHECKS, *DOCUMENT_CHECKS)]
    assert len(names) == len(set(names))
    for check in BEAD_CHECKS:
        assert check.kinds and set(check.kinds) <= set(FLAG_KINDS), check.name
        assert check.scopes <= {"same-language", "cross-language", "inserted"}, check.name
    covered = {kind for check in (*BEAD_CHECKS, *DOCUMENT_CHECKS) for kind in check.kinds}
    assert covered == set(FLAG_KINDS)  # every flag kind has a check that raises it
    cross = tuple(c.name for c in BEAD_CHECKS if "cross-language" in c.scopes)
    assert check_names(True) == cross + ("interior-gaps", "similarity-outliers")
    # the terminology check runs, and reports list it, only when a glossary is given
    assert check_names(True, glossary=True) == cross + ("interior-gaps", "similarity-outliers", "terminology")


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Adding a check") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_check_runs_as_written():
    namespace: dict = {}
    exec(compile(readme_example(), "README.md", "exec"), namespace)
    check = namespace["RepeatedWordCheck"]()
    source = "Kim encontrou o líder na estação de comboios."
    candidate = "Kim met the the leader at the train station."
    bead = BeadInput(
        source,
        (Span.of(source, 0, len(source)),),
        candidate,
        (Span.of(candidate, 0, len(candidate)),),
        bead_index=2,
        cross_language=True,
        source_language="pt",
        candidate_language="en",
    )
    (context,) = build_contexts([bead], embedder=None)  # type: ignore[arg-type]  # cross-language: no model
    flags = run_bead_checks(context, (*BEAD_CHECKS, check))
    repeated = [f for f in flags if f.message.endswith("is written twice")]
    assert [(f.kind, f.severity, f.candidate.text, f.candidate.start, f.bead) for f in repeated] == [
        ("addition", "minor", "the", candidate.index("the the") + 4, 2)
    ]
    assert run_bead_checks(context) == [f for f in flags if f not in repeated]  # the registry alone


def test_a_changed_weekday_or_month_is_date_evidence():
    from functools import partial

    from mtcheck.checks.number import calendar_evidence
    from mtcheck.lang import pack_for, word_key
    from mtcheck.spans.pair import Pair
    from mtcheck.spans.words import Side

    pack = pack_for("en")

    def evidence(source: str, candidate: str) -> list[tuple[str, str]]:
        cand = Side.build(candidate, (Span.of(candidate, 0, len(candidate)),))
        src = Side.build(source, (Span.of(source, 0, len(source)),))
        pair = Pair.align(cand, src, key=partial(word_key, pack))
        return [(cand.text[s:e], key) for s, e, key in calendar_evidence(pair, pack)]

    assert evidence("He returned on Monday.", "He returned on Tuesday.") == [("Tuesday", "weekday:2")]
    assert evidence("The law passed in March.", "The law passed in May, (he said).") == [("May", "month:5")]
    assert evidence("He returned on Monday.", "He returned on Monday.") == []
    # the source names no weekday or month: nothing to compare with
    assert evidence("He returned yesterday.", "He returned on Tuesday.") == []
    # "May" opening a sentence is the verb; "march" in lower case walks
    assert evidence("In March they left.", "May they march on in March.") == []


@pytest.mark.parametrize(
    ("source", "candidate", "flagged", "counterpart"),
    [
        (
            "The ministry confirmed the report on Monday.",
            "The ministry denied the report on Monday.",
            "denied",
            "confirmed",
        ),
        (
            "The ministry denied the report on Monday.",
            "The ministry confirmed the report on Monday.",
            "confirmed",
            "denied",
        ),
        ("The council accepted the offer.", "The council rejected the offer.", "rejected", "accepted"),
        ("The council rejected the offer.", "The council accepted the offer.", "accepted", "rejected"),
        ("They waited outside the station.", "They waited inside the station.", "inside", "outside"),
        ("They waited inside the station.", "They waited outside the station.", "outside", "inside"),
        ("Prices rose sharply in May.", "Prices fell sharply in May.", "fell", "rose"),
        ("Prices fell sharply in May.", "Prices rose sharply in May.", "rose", "fell"),
    ],
)
def test_antonyms_are_major_in_both_directions(source, candidate, flagged, counterpart):
    from mtcheck.checks.antonym import AntonymCheck

    context = _english_context(source, candidate)
    result = AntonymCheck().run(context, frozenset())
    assert [(f.candidate.text, f.source.text, f.severity) for f in result.flags] == [(flagged, counterpart, "major")]
    assert result.flags[0].message == f'"{flagged}" reverses the source\'s "{counterpart}"'


def test_rewordings_and_reorderings_are_no_reversal():
    from mtcheck.checks.antonym import AntonymCheck

    for source, candidate in [
        ("Prices rose and fell in May.", "Prices fell and rose in May."),
        ("The ministry confirmed the report.", "The ministry acknowledged the report."),
        ("They waited outside.", "They stayed outside."),
    ]:
        assert AntonymCheck().run(_english_context(source, candidate), frozenset()).flags == (), candidate


def _english_context(source: str, candidate: str):
    from functools import partial

    from mtcheck.checks.context import BeadContext
    from mtcheck.lang import pack_for, word_key
    from mtcheck.spans.pair import Pair
    from mtcheck.spans.words import Side
    from mtcheck.types import Span

    cand = Side.build(candidate, (Span.of(candidate, 0, len(candidate)),))
    src = Side.build(source, (Span.of(source, 0, len(source)),))
    pack = pack_for("en")
    return BeadContext(
        bead=0,
        candidate=cand,
        source=src,
        scope="same-language",
        source_language="en",
        candidate_language="en",
        source_pack=pack,
        candidate_pack=pack,
        alignment=Pair.align(cand, src, key=partial(word_key, pack)),
    )


def _evidence_of(source: str, candidate: str, nearby_source: str = "", nearby_candidate: str = ""):
    """The precise checks' evidence for one English bead, with these neighbouring texts (no model)."""
    bead = BeadInput(
        source,
        (Span.of(source, 0, len(source)),),
        candidate,
        (Span.of(candidate, 0, len(candidate)),),
        source_language="en",
        candidate_language="en",
        nearby_source=nearby_source,
        nearby_candidate=nearby_candidate,
    )
    (context,) = build_contexts([bead], embedder=None, with_scores=False)  # type: ignore[arg-type]
    return context.evidence


def test_a_name_or_number_in_a_neighbouring_source_sentence_is_not_missing():
    source, candidate = "Officials met on Monday.", "Officials met on Monday about Ukraine and 31 jets."
    alone = _evidence_of(source, candidate)
    assert [candidate.split()[k] for k in alone.name_bad] == ["Ukraine"]
    assert [key for _, _, key in alone.num_bad] == ["31"]
    nearby = _evidence_of(source, candidate, nearby_source="They discussed Ukraine and the 31 jets it wants.")
    assert nearby.name_bad == () and nearby.num_bad == ()


def test_a_negation_that_moved_into_the_next_sentence_is_not_dropped():
    source, candidate = "The minister did not comment on the talks.", "The minister commented on the talks."
    assert [kind for kind, *_ in _evidence_of(source, candidate).neg] == ["dropped"]
    moved = _evidence_of(
        source, candidate, nearby_source="He spoke later.", nearby_candidate="He did not say more, he spoke later."
    )
    assert moved.neg == ()
    # the neighbours carry no extra negation: still dropped
    same = _evidence_of(source, candidate, nearby_source="He spoke later.", nearby_candidate="He spoke later.")
    assert [kind for kind, *_ in same.neg] == ["dropped"]
