"""mtcheck: check a machine translation against its source article.

Importing this package loads no model and, until a name is used, none of its modules: the
command line takes over Ctrl-C within milliseconds of starting, and ``import mtcheck`` is free.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

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


def check(source: Any, candidate: Any, config: "CheckConfig | None" = None, **kwargs: Any) -> "Report":
    """Check ``candidate`` against ``source``; see :func:`mtcheck.pipeline.check`."""
    from .pipeline import check as _check

    return _check(source, candidate, config, **kwargs)


__all__ = ["__version__", "check", *_LAZY]
