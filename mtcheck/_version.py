"""The version, in one place: the package, the reports and pyproject.toml all read it here."""

__version__ = "0.1.0"
