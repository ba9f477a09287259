"""JSON renderer: the versioned document described by mtcheck/schemas/report-1.schema.json."""

from __future__ import annotations

import json

from ..types import Report


def render_json(report: Report, **_options) -> str:
    """The report as JSON text; byte-identical for the same input and settings."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
