"""Fans' words for tropes: the matching stages, their refusals, and the hints, on a tiny taxonomy."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.build import build
from recommender.errors import NotFoundError
from recommender.index import Index
from recommender.phrases import negated, singular, words

from .conftest import write_catalog

TROPES = [
    {
        "id": "forced-cohabitation",
        "name": "Forced cohabitation",
        "category": "lead",
        "description": "d",
        "aliases": ["living together"],
    },
    {
        "id": "jeju-trip",
        "name": "Jeju trip",
        "category": "lead",
        "description": "d",
        "aliases": ["jeju island"],
    },
    {
        "id": "tragic-ending",
        "name": "Tragic ending",
        "category": "tone",
        "description": "d",
        "aliases": ["sad ending"],
    },
    {
        "id": "rich-heir",
        "name": "Rich heir",
        "category": "lead",
        "description": "d",
        "aliases": ["chaebol heir"],
    },
    {
        "id": "chaebol-war",
        "name": "Chaebol succession war",
        "category": "lead",
        "description": "d",
        "aliases": [],
    },
]


@pytest.fixture
def index(tmp_path: Path) -> Index:
    shows = {"one": {"title": "Show One", "tropes": {"jeju-trip": 1.0}}}
    formulas = {"romance": {"name": "F", "tropes": {"jeju-trip": 1.0}}}
    return build(write_catalog(tmp_path, shows, TROPES, formulas))


@pytest.mark.parametrize(
    "phrase, trope",
    [
        ("Jeju Trip", "jeju-trip"),  # stage 1: exact, any case
        ("trips to jeju", "jeju-trip"),  # stage 2: same words, any order, plurals, filler
        ("the jeju islands", "jeju-trip"),
        ("cohabitation", "forced-cohabitation"),  # stage 3: every word inside one trope's name
        ("living", "forced-cohabitation"),
        ("succession", "chaebol-war"),
    ],
)
def test_phrases_that_name_one_trope(index: Index, phrase: str, trope: str) -> None:
    assert index.trope_id(index.find_trope(phrase)) == trope


@pytest.mark.parametrize(
    "phrase, message",
    [
        (
            "chaebol",
            '"chaebol" could be any of several tropes (did you mean "rich-heir" or "chaebol-war"?): name one',
        ),
        (
            "no sad ending",
            '"no sad ending" asks to leave a trope out: filter out tragic-ending instead of asking for it',
        ),
        ("jeju iland", 'no trope called "jeju iland" (did you mean "jeju-trip"?)'),
        (
            "Show One",
            'no trope called "Show One" ("Show One" is a show: `recommender like` finds shows like it)',
        ),
        ("zzzz qqqq", 'no trope called "zzzz qqqq": `recommender tropes` lists them'),
    ],
)
def test_phrases_that_do_not_are_explained(index: Index, phrase: str, message: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        index.find_trope(phrase)
    assert str(caught.value) == message


def test_word_rules() -> None:
    assert [singular(w) for w in ["trips", "ladies", "boxes", "boss", "bus", "crisis", "is"]] == [
        "trip", "lady", "box", "boss", "bus", "crisis", "is",
    ]  # fmt: skip
    assert words("The Jeju-Islands, a show!") == {"jeju", "island"}
    assert negated("No sad ending") == "sad ending" and negated("anything but makjang") == "makjang"
    assert negated("nothing") is None and negated("no") is None
