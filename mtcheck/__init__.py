"""mtcheck: check a machine translation against its source article.

Importing this package loads no model; models load lazily on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .config import CheckConfig
from .errors import ConfigError, InputError, ModelError, MtcheckError
from .types import Bead, Document, Flag, Junk, Report, Span, Summary


def check(source, candidate, config: CheckConfig | None = None, **kwargs) -> Report:
    """Check ``candidate`` against ``source``; see :func:`mtcheck.pipeline.check`."""
    from .pipeline import check as _check

    return _check(source, candidate, config, **kwargs)


__all__ = [
    "__version__",
    "check",
    "CheckConfig",
    "Report",
    "Document",
    "Bead",
    "Flag",
    "Span",
    "Junk",
    "Summary",
    "MtcheckError",
    "InputError",
    "ModelError",
    "ConfigError",
]
