"""Fans' words for tropes: the matching stages, their refusals, and the hints, on a tiny taxonomy."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.build import build
from recommender.errors import NotFoundError
from recommender.index import Index
from recommender.phrases import key, negated, singular, variants, within, words

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
            '"no sad ending" only says what to leave out: name what you want as well '
            '("jeju trip, no sad ending"), or add --not tragic-ending to a query or to `like`',
        ),
        ("jeju iland", 'no trope called "jeju iland" (did you mean "jeju-trip"?)'),
        (
            "Show One",
            'no trope called "Show One" ("Show One" is a show: try `recommender like "Show One"`)',
        ),
        ("zzzz qqqq", 'no trope called "zzzz qqqq": `recommender tropes WORD` searches them'),
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
    ranking = engine.query(index, ["a trip to jeju and living together, kindly, but no sad ending"])
    assert ranking.understood is not None
    assert ranking.understood.tropes == ["jeju-trip", "forced-cohabitation"]
    assert ranking.understood.without == ["tragic-ending"]
    assert ranking.understood.ignored == ["kindly"]
    assert "Show Two" not in [m.title for m in ranking.matches]  # it has the sad ending
    assert ranking.matches[0].title == "Show One"
    assert (
        ranking.notes[0]
        == "understood: jeju-trip, forced-cohabitation; not: tragic-ending; ignored: 'kindly'"
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
    assert data["understood"] == {
        "tropes": ["jeju-trip"],
        "without": ["tragic-ending"],
        "genres": [],
        "networks": [],
        "formats": [],
        "ignored": ["zzz"],
    }


def test_explicit_ids_are_read_exactly_as_before(catalog_root: Path) -> None:
    from recommender import engine

    ranking = engine.query(build(catalog_root), ["jeju-trip", "rich-heir"])
    assert ranking.understood is None and ranking.query == "tropes jeju-trip, rich-heir"


def test_a_request_that_only_excludes_is_explained(catalog_root: Path) -> None:
    from recommender import engine

    with pytest.raises(NotFoundError, match=r"only says what to leave out.*--not tragic-ending"):
        engine.query(build(catalog_root), ["no sad ending"])


def test_word_order_matters_only_where_a_phrase_names_a_man_and_a_woman() -> None:
    assert key("rich man, poor woman") == ("rich", "man", "poor", "woman")
    assert key("rich man, poor woman") != key("rich woman, poor man")
    assert key("trips to jeju") == key("jeju trip") == frozenset({"jeju", "trip"})
    assert within(key("rich man"), key("aloof rich man, poor woman"))
    assert not within(key("poor man, rich woman"), key("aloof rich man, poor woman"))
    assert variants("ML falls first") == ["male lead falls first", "lead falls first"]
    assert variants("genius male lead") == ["genius lead"] and variants("jeju trip") == []


def _trope(tid: str, name: str, *aliases: str) -> dict[str, object]:
    return {"id": tid, "name": name, "category": "lead", "description": "d", "aliases": list(aliases)}


TASTES = [
    *TROPES,
    _trope("rich-man", "Rich man", "rich guy"),
    _trope("poor-girl", "Poor girl", "poor woman"),
    _trope("reverse", "Rich woman, poor man", "rich girl poor boy"),
    _trope("genius-lead", "Genius lead"),
]


@pytest.fixture
def fan_catalog(tmp_path: Path) -> Path:
    def show(
        title: str, genres: list[str], network: str, episodes: int, minutes: int, **tropes: float
    ) -> dict:
        return {
            "title": title,
            "genres": genres,
            "network": network,
            "episodes": episodes,
            "episode_minutes": minutes,
            "tropes": {t.replace("_", "-"): w for t, w in tropes.items()},
        }

    shows = {
        "one": show(
            "Show One", ["Romance", "Fantasy"], "Netflix", 8, 30, jeju_trip=1.0, rich_man=1.0, poor_girl=0.5
        ),
        "two": show("Show Two", ["Romance"], "KBS2", 16, 70, jeju_trip=1.0, tragic_ending=1.0, reverse=1.0),
        "three": show(
            "Show Three",
            ["Fantasy", "Thriller"],
            "tvN",
            12,
            60,
            chaebol_war=1.0,
            genius_lead=0.5,
            jeju_trip=0.25,
        ),
    }
    formulas = {"romance": {"name": "F", "tropes": {"jeju-trip": 1.0}}}
    return write_catalog(
        tmp_path / "f", shows, TASTES, formulas, phrases={"cinderella story": ["rich-man", "poor-girl"]}
    )


@pytest.mark.parametrize(
    "phrase, reading",
    [
        ("rich man/poor woman", {"tropes": ["rich-man", "poor-girl"]}),  # slash, then free text
        ("rich woman, poor man", {"tropes": ["reverse"]}),  # one trope's name: never its opposite
        ("Cinderella story", {"tropes": ["rich-man", "poor-girl"]}),  # a compound phrase
        ("genius male lead", {"tropes": ["genius-lead"]}),  # a gendered lead as any lead
        ("fantasy", {"genres": ["Fantasy"]}),  # a genre no trope names
        ("netflix jeju trip", {"tropes": ["jeju-trip"], "networks": ["Netflix"]}),
        ("kbs", {"networks": ["KBS2"]}),
        ("short web drama", {"formats": ["short", "web"]}),
        ("anything but a sad ending, jeju trip", {"tropes": ["jeju-trip"], "without": ["tragic-ending"]}),
        ("jeju trip romance", {"tropes": ["jeju-trip"], "genres": ["Romance"]}),
        ("jeju trip drama", {"tropes": ["jeju-trip"]}),  # a head noun that says nothing more
    ],
)
def test_fans_words_are_read_as_tropes_and_filters(
    fan_catalog: Path, phrase: str, reading: dict[str, list[str]]
) -> None:
    from dataclasses import asdict

    from recommender.phrases import understand

    got = {k: v for k, v in asdict(understand(build(fan_catalog), phrase)).items() if v}
    assert got == reading


def test_filters_named_in_words_narrow_the_ranking(fan_catalog: Path) -> None:
    from recommender import engine

    index = build(fan_catalog)
    ranking = engine.query(index, ["jeju trip, short"])
    assert [m.title for m in ranking.matches] == ["Show One", "Show Three"]  # Show Two has 16 episodes
    assert ranking.notes[0] == "understood: jeju-trip; format: short (at most 12 episodes)"
    assert ranking.notes[1:3] == [
        "2 shows match, all shown",
        "filters: at most 12 episodes (2 of 3 shows pass)",
    ]
    web = engine.query(index, ["web series"])
    assert [m.title for m in web.matches] == ["Show One"]  # the only one with episodes of 35 minutes or less


def test_a_genre_alone_ranks_its_shows_by_the_sum_of_their_rows(fan_catalog: Path) -> None:
    import numpy as np

    from recommender import engine

    index = build(fan_catalog)
    ranking = engine.query(index, ["fantasy"])
    fantasy = [index.find_show("Show One"), index.find_show("Show Three")]
    dense = np.zeros((3, index.n_tropes))
    for row in range(3):
        cols, vals = index.row(row, "focus")
        dense[row, cols] = vals
    centre = dense[fantasy].sum(axis=0)
    expected = {index.title(r): float(dense[r] @ centre / np.linalg.norm(centre)) for r in fantasy}
    assert {m.title: m.score for m in ranking.matches} == pytest.approx(expected)
    assert [m.title for m in ranking.matches] == sorted(
        expected, key=lambda t: (-round(expected[t], 9), index.find_show(t))
    )  # equal scores keep catalog order
    for m in ranking.matches:
        assert sum(c.contribution for c in m.because) == pytest.approx(m.score)


def test_compound_phrases_are_checked(tmp_path: Path) -> None:
    from recommender.build import collect

    phrases = {
        "cinderella story": ["rich-man", "poor-gurl"],
        "jeju island": ["jeju-trip", "rich-man"],
        "solo": ["rich-man"],
    }
    root = write_catalog(
        tmp_path / "bad",
        {"one": {"title": "Show One", "tropes": {"jeju-trip": 1.0}}},
        TASTES,
        phrases=phrases,
    )
    messages = [str(p) for p in collect(root).problems]
    assert any(
        "phrases.cinderella story.poor-gurl" in m and 'did you mean "poor-girl"' in m for m in messages
    )
    assert any("phrases.jeju island" in m and "already names trope 'jeju-trip'" in m for m in messages)
    assert any("phrases.solo" in m and "fewer than two tropes" in m for m in messages)


def test_like_with_fans_words_for_tropes_points_to_query(fan_catalog: Path) -> None:
    from recommender import engine

    index = build(fan_catalog)
    with pytest.raises(NotFoundError, match=r"names the tropes rich-man, poor-girl: try `recommender query"):
        engine.like(index, "cinderella story")
    with pytest.raises(NotFoundError, match='"jeju trip" is a trope: try `recommender query'):
        engine.like(index, "jeju trip")
