"""CheckConfig and the signature: overrides, validation, and every number-moving field signed."""

from __future__ import annotations

from dataclasses import fields

import pytest

import mtcheck
from mtcheck.config import SIGNATURE_EXEMPT, CheckConfig, Signature
from mtcheck.errors import ConfigError
from mtcheck.metrics import make_metrics


class Model:
    name = "a-model"

    def fingerprint(self) -> str:
        return "sha256:0123"


#: A value other than the default for every field that must move the signature.
OTHER_VALUES = {
    "presplit": True,
    "clean": False,
    "langdetect_seed": 7,
    "max_merge": 2,
    "run_embedding": "all",
    "skip_threshold": 0.3,
    "band": 12,
    "full_search_cells": 1000,
    "metrics": ("chrf",),
    "flag_spans": False,
    "severity_weights": (("major", 10.0), ("minor", 1.0)),
}


def signature(config: CheckConfig) -> str:
    """The signature as the pipeline builds it for a same-language pair."""
    return str(Signature.of(config, Model(), make_metrics(config.metrics), flagger="sha256:f1a9"))


def test_every_field_is_signed_or_exempt_for_a_stated_reason():
    names = {f.name for f in fields(CheckConfig)}
    assert names == set(OTHER_VALUES) | set(SIGNATURE_EXEMPT), "a new CheckConfig field needs a place here"
    assert not set(OTHER_VALUES) & set(SIGNATURE_EXEMPT)
    assert all(len(reason) > 20 for reason in SIGNATURE_EXEMPT.values())


@pytest.mark.parametrize("field", sorted(OTHER_VALUES))
def test_changing_a_field_changes_the_signature(field):
    default = CheckConfig()
    assert getattr(default, field) != OTHER_VALUES[field]
    assert signature(default.with_(**{field: OTHER_VALUES[field]})) != signature(default)


def test_signature_text():
    assert signature(CheckConfig()) == (
        f"mtcheck:{mtcheck.__version__}|model:a-model@sha256:0123|align:runs4-lazy+skip:auto+band:24+full:250000"
        "|split:sentencex+clean:yes|langdetect-seed:0|flagger:sha256:f1a9|weights:major5+minor1|"
        + "|".join(f"{m.name}({m.signature()})" for m in make_metrics(("chrf", "bleu")))
    )


def test_version_lives_in_one_place():
    from importlib.metadata import version

    assert version("mtcheck") == mtcheck.__version__


def test_unknown_override_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown setting 'max_merges'; CheckConfig has model, "):
        CheckConfig().with_(max_merges=2)
    with pytest.raises(ConfigError, match="unknown setting 'nope'"):
        mtcheck.check("Kim arrived.", "Kim arrived.", nope=1)


def test_out_of_range_override_is_a_config_error():
    with pytest.raises(ConfigError, match="max_merge must be 1 to 4, not 9"):
        mtcheck.check("Kim arrived.", "Kim arrived.", max_merge=9)


@pytest.mark.model
def test_overrides_reach_the_check():
    report = mtcheck.check(
        ["Kim arrived by train.", "He met Putin."],
        ["Kim arrived by train.", "He met Putin."],
        flag_spans=False,
        metrics=("chrf",),
    )
    assert dict(report.settings)["flag_spans"] is False
    assert "flagger:off" in report.signature and "bleu(" not in report.signature
    assert [name for name, _ in report.beads[0].scores] == ["chrf"]


def test_signature_names_the_checks_that_ran():
    names = ("number", "negation", "learned")
    signed = str(Signature.of(CheckConfig(), Model(), [], flagger="sha256:f1a9", checks=names))
    assert "|flagger:sha256:f1a9|checks:number+negation+learned|weights:" in signed
    unflagged = str(Signature.of(CheckConfig(flag_spans=False), Model(), [], flagger="off", checks=names))
    assert "checks:" not in unflagged and "|flagger:off|" in unflagged
