"""Settings from a project's config file: ``[tool.mtcheck]`` in ``pyproject.toml``, or ``mtcheck.toml``.

The nearest file wins, looking from a folder upwards (as ruff and pytest look for theirs): a
``mtcheck.toml`` (keys at its top level, gate thresholds under ``[gate]``), or a ``pyproject.toml``
with a ``[tool.mtcheck]`` table (gate thresholds under ``[tool.mtcheck.gate]``). A
``pyproject.toml`` without that table is passed over. The command line overrides the file; every
setting remembers where it came from, so ``mtcheck config`` can say.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["CHECK_KEYS", "GATE_KEYS", "Setting", "find_config_file", "load_file", "effective", "tomllib"]

#: Keys of the check settings a config file may set, with their types and defaults.
CHECK_KEYS: dict[str, tuple[type, Any]] = {
    "model": (str, None),
    "flagger": (str, "auto"),
    "presplit": (bool, False),
    "glossary": (str, None),  # a path, relative to the config file's folder
    "metrics": (list, ("chrf", "bleu")),
    "runtime": (str, "onnx"),
}
#: Gate thresholds (mtcheck.gate.Thresholds), with their types and defaults.
GATE_KEYS: dict[str, tuple[type, Any]] = {
    "max_mqm_estimate": (float, None),
    "min_coverage_source": (float, None),
    "min_coverage_candidate": (float, None),
    "max_major": (int, None),
    "max_penalty_per_100_words": (float, None),
    "fail_kinds": (list, ()),
}


@dataclass(frozen=True)
class Setting:
    """One effective value and where it came from ("default", "command line", or a file path)."""

    value: Any
    origin: str


def find_config_file(start: Path) -> Path | None:
    """The nearest ``mtcheck.toml``, or ``pyproject.toml`` with ``[tool.mtcheck]``, from ``start`` up."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "mtcheck.toml"
        if own.is_file():
            return own
        project = candidate / "pyproject.toml"
        if project.is_file() and "mtcheck" in _read(project).get("tool", {}):
            return project
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _typed(path: Path, key: str, value: Any, kind: type) -> Any:
    """``value`` checked against ``kind`` (ints pass as floats; lists become tuples of strings)."""
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: {key} must be a list of strings")
        return tuple(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{path}: {key} must be {kind.__name__}, not {type(value).__name__}")
    return value


def load_file(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(check settings, gate thresholds) from one config file, unknown keys refused.

    Raises:
        ConfigError: the file is not TOML, or names an unknown key or a value of the wrong type.
    """
    data = _read(path)
    table = data.get("tool", {}).get("mtcheck", {}) if path.name == "pyproject.toml" else data
    prefix = "[tool.mtcheck]" if path.name == "pyproject.toml" else ""
    gate_table = table.get("gate", {})
    if not isinstance(gate_table, Mapping):
        raise ConfigError(f"{path}: {prefix}gate must be a table")
    check, gate = {}, {}
    for key, value in table.items():
        if key == "gate":
            continue
        if key not in CHECK_KEYS:
            raise ConfigError(f"{path}: unknown setting {prefix}{key}; known: {', '.join([*CHECK_KEYS, 'gate'])}")
        check[key] = _typed(path, key, value, CHECK_KEYS[key][0])
        if key == "glossary":  # a path in a config file means one beside it, wherever mtcheck runs
            check[key] = str(path.parent / check[key])
    for key, value in gate_table.items():
        if key not in GATE_KEYS:
            raise ConfigError(f"{path}: unknown gate setting {key}; known: {', '.join(GATE_KEYS)}")
        gate[key] = _typed(path, key, value, GATE_KEYS[key][0])
    return check, gate


def effective(
    command_line: Mapping[str, Any], config_file: Path | None
) -> tuple[dict[str, Setting], dict[str, Setting]]:
    """(check settings, gate thresholds) as they apply: the command line (values not None) over
    the file over the defaults, each with its origin."""
    file_check, file_gate = load_file(config_file) if config_file is not None else ({}, {})

    def merge(keys: dict[str, tuple[type, Any]], from_file: dict[str, Any]) -> dict[str, Setting]:
        out = {}
        for key, (_, default) in keys.items():
            given = command_line.get(key)
            if given is not None and given != ():
                out[key] = Setting(given, "command line")
            elif key in from_file:
                out[key] = Setting(from_file[key], str(config_file))
            else:
                out[key] = Setting(default, "default")
        return out

    return merge(CHECK_KEYS, file_check), merge(GATE_KEYS, file_gate)
