"""The fans' phrase list (tests/data/fan_phrases.csv) is read as it says, on the bundled catalog."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from recommender.cache import open_index
from recommender.locate import bundled_catalog

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "fan_phrases.py"
spec = importlib.util.spec_from_file_location("fan_phrases", SCRIPT)
assert spec and spec.loader
fan_phrases = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fan_phrases)
index = open_index(bundled_catalog(), use_cache=False)


def test_the_list_is_large_and_covers_every_kind() -> None:
    rows = fan_phrases.rows()
    assert len({r["phrase"].casefold() for r in rows}) >= 300
    assert {r["kind"] for r in rows} == {"tag", "variant", "request", "genre", "format", "negation"}


def test_every_phrase_is_read_as_the_list_expects() -> None:
    wrong = {}
    for row in fan_phrases.rows():
        got = fan_phrases.reading(index, row["phrase"])
        if got != fan_phrases.expected(row):
            wrong[row["phrase"]] = sorted(got)
    assert wrong == {}


def test_every_trope_the_list_names_exists() -> None:
    items = {i.removeprefix("not:") for r in fan_phrases.rows() for i in r["expects"].split()}
    assert {i for i in items if ":" not in i and index.lookup_trope(i) is None} == set()
