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


@pytest.fixture
def catalog_root(tmp_path: Path) -> Path:
    shows = {
        "one": {"title": "Show One", "tropes": {"jeju-trip": 1.0, "forced-cohabitation": 0.5}},
        "two": {"title": "Show Two", "tropes": {"jeju-trip": 1.0, "tragic-ending": 1.0}},
        "three": {"title": "Show Three", "tropes": {"rich-heir": 1.0}},
    }
    return write_catalog(
        tmp_path / "c", shows, TROPES, {"romance": {"name": "F", "tropes": {"jeju-trip": 1.0}}}
    )


def test_a_request_in_free_text_is_read_into_tropes_filters_and_ignored_words(catalog_root: Path) -> None:
    from recommender import engine

    index = build(catalog_root)
    ranking = engine.query(index, ["a trip to jeju and living together, please, but no sad ending"])
    assert ranking.understood is not None
    assert ranking.understood.tropes == ["jeju-trip", "forced-cohabitation"]
    assert ranking.understood.without == ["tragic-ending"]
    assert ranking.understood.ignored == ["please"]
    assert "Show Two" not in [m.title for m in ranking.matches]  # it has the sad ending
    assert ranking.matches[0].title == "Show One"
    assert (
        ranking.notes[0]
        == "understood: jeju-trip, forced-cohabitation; not: tragic-ending; ignored: 'please'"
    )


def test_free_text_shows_its_reading_in_the_cli_and_json(catalog_root: Path) -> None:
    import json

    from typer.testing import CliRunner

    from recommender.cli import app

    args = ["query", "jeju trip, no sad ending, zzz", "--catalog", str(catalog_root)]
    table = CliRunner().invoke(app, args)
    assert (
        table.exit_code == 0 and "understood: jeju-trip; not: tragic-ending; ignored: 'zzz'" in table.stdout
    )
    data = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).stdout)
    assert data["understood"] == {"tropes": ["jeju-trip"], "without": ["tragic-ending"], "ignored": ["zzz"]}


def test_explicit_ids_are_read_exactly_as_before(catalog_root: Path) -> None:
    from recommender import engine

    ranking = engine.query(build(catalog_root), ["jeju-trip", "rich-heir"])
    assert ranking.understood is None and ranking.query == "tropes jeju-trip, rich-heir"


def test_a_request_that_only_excludes_is_explained(catalog_root: Path) -> None:
    from recommender import engine

    with pytest.raises(NotFoundError, match="asks to leave a trope out"):
        engine.query(build(catalog_root), ["no sad ending"])
