"""The check registry, and the README's "Adding a check" example run as written."""

from __future__ import annotations

import re

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
    assert check_names(True) == tuple(c.name for c in BEAD_CHECKS if "cross-language" in c.scopes) + tuple(
        c.name for c in DOCUMENT_CHECKS
    )


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
