"""The fixed choices options take, in one place, so that the library and the CLI cannot drift apart."""

from __future__ import annotations

from typing import Literal, get_args

Weighting = Literal["focus", "idf", "none"]
WEIGHTINGS: tuple[Weighting, ...] = get_args(Weighting)
Format = Literal["table", "json", "jsonl", "csv", "tsv"]
FORMATS: tuple[Format, ...] = get_args(Format)
DEFAULT_WEIGHTING: Weighting = "focus"
