"""Errors the library raises. Only the CLI turns them into messages and exit codes."""

from __future__ import annotations


class MtcheckError(Exception):
    """Base class for every error mtcheck raises on purpose.

    The message is written for a person: one line, saying what is wrong and what to do.
    """


class InputError(MtcheckError):
    """An input file or text cannot be used (missing, empty, binary, wrong encoding, too big)."""


class ModelError(MtcheckError):
    """An embedding model cannot be loaded or run."""


class ConfigError(MtcheckError):
    """A setting is out of range or contradicts another."""


class OutputError(MtcheckError):
    """A report cannot be written (disk full, no permission, or the file appeared meanwhile)."""
