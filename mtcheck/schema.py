"""The JSON report schema: its id and where the JSON Schema file lives."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

SCHEMA_ID = "mtcheck.report/1"


@lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every ``--format json`` report validates against."""
    text = resources.files("mtcheck").joinpath("schemas/report-1.schema.json").read_text("utf-8")
    return json.loads(text)
