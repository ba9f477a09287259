"""mtcheck: check a machine translation against its source article.

Importing this package loads no model and, until a name is used, none of its modules: the
command line takes over Ctrl-C within milliseconds of starting, and ``import mtcheck`` is free.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .config import CheckConfig
    from .errors import ConfigError, InputError, ModelError, MtcheckError, OutputError
    from .types import Bead, Document, Flag, Junk, Report, Span, Summary

# Public name -> the module that defines it, imported on first use (PEP 562).
_LAZY = {
    "CheckConfig": ".config",
    "MtcheckError": ".errors",
    "InputError": ".errors",
    "ModelError": ".errors",
    "ConfigError": ".errors",
    "OutputError": ".errors",
    "Report": ".types",
    "Document": ".types",
    "Bead": ".types",
    "Flag": ".types",
    "Span": ".types",
    "Junk": ".types",
    "Summary": ".types",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mtcheck' has no attribute {name!r}")


def check(
    source: Any, candidate: Any, config: CheckConfig | None = None, *, embedder: Any = None, **overrides: Any
) -> Report:
    """Check ``candidate`` against ``source``; see :func:`mtcheck.pipeline.check`.

    Keyword arguments other than ``embedder`` override ``config``'s fields, e.g.
    ``mtcheck.check(src, cand, max_merge=2, flag_spans=False)``; an unknown name raises ConfigError.
    """
    from .config import CheckConfig
    from .errors import ConfigError
    from .pipeline import check as _check

    if overrides:
        if config is not None and not isinstance(config, CheckConfig):
            raise ConfigError(f"config must be a CheckConfig, not {type(config).__name__}")
        config = (config or CheckConfig()).with_(**overrides)
    return _check(source, candidate, config, embedder=embedder)


__all__ = [
    "__version__",
    "check",
    "CheckConfig",
    "MtcheckError",
    "InputError",
    "ModelError",
    "ConfigError",
    "OutputError",
    "Report",
    "Document",
    "Bead",
    "Flag",
    "Span",
    "Junk",
    "Summary",
]
