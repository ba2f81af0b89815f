"""Filters: each by hand, parse errors, and the mask against a show-by-show check of the files."""

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import engine, filters
from recommender.build import build
from recommender.engine import RankOptions
from recommender.errors import DataError, NotFoundError, UsageError
from recommender.filters import Filters
from recommender.index import Index
from recommender.userfiles import read_seen

from .conftest import write_catalog

# Four shows, rows in file-name order a..d.
SHOWS: dict[str, dict[str, Any]] = {
    "a": {
        "title": "Alpha Days",
        "year": 2012,
        "network": "KBS2",
        "episodes": 20,
        "genres": ["Romance", "Comedy"],
        "tropes": {"alpha": 1.0},
    },
    "b": {
        "title": "Beta Nights",
        "year": 2016,
        "network": "tvN",
        "episodes": 16,
        "genres": ["Thriller"],
        "tropes": {"beta": 1.0},
    },
    "c": {
        "title": "Gamma Years",
        "year": 2019,
        "network": "TVING, tvN",
        "episodes": 8,
        "genres": ["Romance"],
        "tropes": {"gamma": 0.25},
    },
    "d": {
        "title": "Delta Mornings",
        "year": 2023,
        "network": "Netflix",
        "episodes": 12,
        "genres": ["Comedy"],
        "tropes": {"alpha": 0.5},
    },
}


@pytest.fixture
def index(tmp_path: Path) -> Index:
    return build(write_catalog(tmp_path / "f", SHOWS))


def passing(index: Index, **kwargs: Any) -> list[str]:
    mask = filters.apply(index, Filters(**kwargs)).allowed
    return [index.title(int(r)) for r in np.flatnonzero(mask)]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2015..2020", (2015, 2020)),
        ("2015..", (2015, None)),
        ("..2012", (None, 2012)),
        ("2016", (2016, 2016)),
        (" 2015 .. 2020 ", (2015, 2020)),
    ],
)
def test_parse_years(text: str, years: tuple) -> None:
    assert filters.parse_years(text) == years


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("20x5", "give a year or a range"),
        ("..", "give a year"),
        ("", "give a year"),
        ("2020..2015", "2015..2020"),
    ],
)
def test_malformed_years_are_usage_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        filters.parse_years(text)


@pytest.mark.parametrize(
    ("kwargs", "titles"),
    [
        ({}, ["Alpha Days", "Beta Nights", "Gamma Years", "Delta Mornings"]),
        ({"years": (2015, 2020)}, ["Beta Nights", "Gamma Years"]),
        ({"years": (2019, None)}, ["Gamma Years", "Delta Mornings"]),
        ({"years": (None, 2016)}, ["Alpha Days", "Beta Nights"]),
        ({"networks": ("TVN",)}, ["Beta Nights", "Gamma Years"]),  # "TVING, tvN" is on tvN too
        ({"networks": ("tving", "Netflix")}, ["Gamma Years", "Delta Mornings"]),
        ({"genres": ("romance",)}, ["Alpha Days", "Gamma Years"]),
        ({"genres": ("Romance", "Comedy")}, ["Alpha Days"]),  # every genre named
        ({"max_episodes": 12}, ["Gamma Years", "Delta Mornings"]),
        ({"exclude": ("alpha days", "Beta-Nights")}, ["Gamma Years", "Delta Mornings"]),
        ({"without": ("alpha",)}, ["Beta Nights", "Gamma Years"]),  # at any weight
        ({"without": ("gamma", "beta")}, ["Alpha Days", "Delta Mornings"]),
        ({"years": (2012, 2019), "genres": ("Romance",), "max_episodes": 16}, ["Gamma Years"]),
    ],
)
def test_each_filter_by_hand(index: Index, kwargs: dict[str, Any], titles: list[str]) -> None:
    assert passing(index, **kwargs) == titles


def test_notes_say_what_was_applied_and_how_many_pass(index: Index) -> None:
    result = filters.apply(index, Filters(years=(2015, None), networks=("tvn",), without=("gamma",)))
    assert result.notes == ["filters: year 2015..; network tvN; not gamma (1 of 4 shows pass)"]
    assert filters.apply(index, Filters()).notes == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"networks": ("Netflx",)}, 'no network called "Netflx" in the catalog (did you mean "Netflix"?)'),
        ({"genres": ("Thriler",)}, 'no genre called "Thriler" in the catalog (did you mean "Thriller"?)'),
        ({"genres": ("Zzz",)}, "(known: Comedy, Romance, Thriller)"),
        ({"exclude": ("Beta Nite",)}, 'no show called "Beta Nite"'),
        ({"without": ("gama",)}, 'did you mean "gamma"'),
    ],
)
def test_unknown_names_are_not_found_errors(index: Index, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        filters.apply(index, Filters(**kwargs))
    assert message in str(caught.value)


def test_seen_file_drops_known_titles_and_reports_unknown_ones(index: Index, tmp_path: Path) -> None:
    seen = tmp_path / "seen.txt"
    seen.write_text("# watched in 2024\nalpha days\n\nNot a Show\n  Delta Mornings  \n", encoding="utf-8")
    result = filters.apply(index, Filters(seen=read_seen(seen), seen_from=str(seen)))
    assert [index.title(int(r)) for r in np.flatnonzero(result.allowed)] == ["Beta Nights", "Gamma Years"]
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(f'{seen}:4: no show called "Not a Show"') and result.warnings[
        0
    ].endswith("not excluded")
    assert result.notes == [f"filters: 2 seen in {seen} (2 of 4 shows pass)"]


@pytest.mark.parametrize("name", ["missing.txt", "folder"])
def test_unreadable_seen_file_is_a_data_error(index: Index, tmp_path: Path, name: str) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(DataError, match="seen file"):
        read_seen(tmp_path / name)


def test_filters_that_pass_nothing_warn(index: Index) -> None:
    ranking = engine.query(index, ["alpha"], RankOptions(filters=Filters(years=(1990, 1995))))
    assert ranking.matches == [] and ranking.warnings == ["no show passes the filters"]


def test_ranking_commands_apply_filters(index: Index) -> None:
    ranking = engine.like(index, "Alpha Days", RankOptions(filters=Filters(networks=("Netflix", "KBS2"))))
    assert [m.title for m in ranking.matches] == ["Delta Mornings"]
    assert ranking.notes == [
        "1 show match, all shown",
        "filters: network Netflix or KBS2 (2 of 4 shows pass)",
    ]
    assert [
        m.title
        for m in engine.query(index, ["alpha"], RankOptions(filters=Filters(without=("alpha",)))).matches
    ] == []  # the shows left after the filter share nothing with the query: no match


NETWORKS = ["tvN", "KBS2", "TVING, tvN", "Netflix"]
GENRES = ["Romance", "Comedy", "Thriller"]
show_st = st.fixed_dictionaries(
    {
        "year": st.integers(2010, 2014),
        "network": st.sampled_from(NETWORKS),
        "episodes": st.sampled_from([8, 12, 16]),
        "episode_minutes": st.sampled_from([20, 35, 60]),
        "genres": st.lists(st.sampled_from(GENRES), unique=True),
        "tropes": st.dictionaries(
            st.sampled_from(["alpha", "beta", "gamma"]), st.sampled_from([0.25, 1.0]), min_size=1
        ),
    }
)
filters_st = st.builds(
    Filters,
    years=st.none() | st.tuples(st.none() | st.integers(2010, 2012), st.none() | st.integers(2012, 2014)),
    networks=st.lists(st.sampled_from(["tvN", "KBS2", "TVING", "Netflix"]), max_size=2).map(tuple),
    genres=st.lists(st.sampled_from(GENRES), max_size=2).map(tuple),
    max_episodes=st.none() | st.sampled_from([8, 12, 16]),
    max_minutes=st.none() | st.sampled_from([20, 35, 60]),
    max_hours=st.none() | st.sampled_from([4.0, 9.5, 16.0]),
    without=st.lists(st.sampled_from(["alpha", "beta", "gamma"]), max_size=2).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(show_st, min_size=1, max_size=6), filters_st, st.data())
def test_mask_equals_a_show_by_show_check(
    tmp_path_factory: pytest.TempPathFactory, docs: list[dict[str, Any]], spec: Filters, data: st.DataObject
) -> None:
    index = build(
        write_catalog(
            tmp_path_factory.mktemp("f"), {f"s{i}": {"title": f"S{i}", **d} for i, d in enumerate(docs)}
        )
    )
    present = {g for d in docs for g in d["genres"]}
    networks = {p.strip() for d in docs for p in d["network"].split(",")}
    spec = replace(
        spec,
        networks=tuple(n for n in spec.networks if n in networks),
        genres=tuple(g for g in spec.genres if g in present),
        exclude=tuple(f"S{i}" for i in data.draw(st.lists(st.integers(0, len(docs) - 1), max_size=2))),
    )

    def keeps(i: int, d: dict[str, Any]) -> bool:
        lo, hi = spec.years or (None, None)
        return (
            (lo is None or d["year"] >= lo)
            and (hi is None or d["year"] <= hi)
            and (
                not spec.networks
                or any(n in [p.strip() for p in d["network"].split(",")] for n in spec.networks)
            )
            and all(g in d["genres"] for g in spec.genres)
            and (spec.max_episodes is None or d["episodes"] <= spec.max_episodes)
            and (spec.max_minutes is None or d["episode_minutes"] <= spec.max_minutes)
            and (spec.max_hours is None or d["episodes"] * d["episode_minutes"] / 60 <= spec.max_hours)
            and f"S{i}" not in spec.exclude
            and not any(t in d["tropes"] for t in spec.without)
        )

    assert filters.apply(index, spec).allowed.tolist() == [keeps(i, d) for i, d in enumerate(docs)]


def test_an_unknown_name_among_many_says_how_many_instead_of_listing_them(tmp_path: Path) -> None:
    writers = [f"Writer {chr(ord('A') + i)}{chr(ord('a') + i)}" for i in range(filters.MAX_KNOWN + 1)]
    shows = {
        f"s{i}": {"title": f"Show {i}", "writer": [w], "genres": ["Drama"], "tropes": {"alpha": 1.0}}
        for i, w in enumerate(writers)
    }
    index = build(write_catalog(tmp_path / "c", shows))
    with pytest.raises(NotFoundError) as caught:
        filters.apply(index, Filters(writers=("Zzzzzz Qqqq",)))
    message = str(caught.value)
    assert message.endswith(f"(nothing close among the catalog's {len(writers)} writers)")
    assert "Writer Aa" not in message
    with pytest.raises(NotFoundError) as caught:
        filters.apply(index, Filters(genres=("Zzzzzz",)))
    assert str(caught.value).endswith("(known: Drama)")  # few: all of them
