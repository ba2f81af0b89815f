"""Franchises: one row stands for every season, its first show's unless that one cannot appear."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender import engine
from recommender.build import build, collect
from recommender.engine import RankOptions
from recommender.filters import Filters

from .conftest import write_catalog

TROPES = [
    {"id": t, "name": t.title(), "category": "lead", "description": "d", "aliases": []}
    for t in ("alpha", "beta", "gamma")
]
FORMULA = {"romance": {"name": "F", "tropes": {"alpha": 1.0}}}


def catalog(tmp_path: Path, **franchise: str) -> Path:
    shows = {
        "game": {"title": "Game", "year": 2021, "tropes": {"alpha": 1.0, "beta": 0.5}},
        "game-2": {"title": "Game 2", "year": 2024, "tropes": {"alpha": 1.0, "beta": 1.0}},
        "game-3": {"title": "Game 3", "year": 2025, "tropes": {"alpha": 1.0, "beta": 0.75}},
        "other": {"title": "Other", "year": 2020, "tropes": {"alpha": 0.5, "gamma": 1.0}},
    }
    for slug, head in franchise.items():
        shows[slug.replace("_", "-")]["franchise"] = head
    return write_catalog(tmp_path / "c", shows, TROPES, FORMULA)


@pytest.fixture
def index(tmp_path: Path):  # type: ignore[no-untyped-def]
    return build(catalog(tmp_path, game_2="game", game_3="game"))


def test_a_franchise_takes_one_row_with_its_first_show_as_face(index) -> None:  # type: ignore[no-untyped-def]
    ranking = engine.query(index, ["beta"])
    assert [(m.title, m.seasons) for m in ranking.matches] == [("Game", 3)]  # Other lacks beta: no match
    assert ranking.matches[0].score == pytest.approx(
        engine.query(index, ["beta"], RankOptions(seasons=True)).matches[2].score
    )  # the face keeps its own score: Game is third of the three when every season is listed


def test_when_the_seed_is_in_the_franchise_the_earliest_other_season_stands_for_the_rest(index) -> None:  # type: ignore[no-untyped-def]
    ranking = engine.like(index, "Game")
    assert [(m.title, m.seasons) for m in ranking.matches] == [("Game 2", 2), ("Other", None)]


def test_seasons_lists_every_season_and_filters_pick_the_face(index) -> None:  # type: ignore[no-untyped-def]
    every = engine.like(index, "Other", RankOptions(seasons=True))
    assert sorted(m.title for m in every.matches) == ["Game", "Game 2", "Game 3"]
    assert all(m.seasons is None for m in every.matches)
    recent = engine.like(index, "Other", RankOptions(filters=Filters(years=(2024, None))))
    assert [(m.title, m.seasons) for m in recent.matches] == [("Game 2", 2)]


def test_a_bad_franchise_is_one_clear_problem(tmp_path: Path) -> None:
    typo = collect(catalog(tmp_path / "a", game_2="gmae"))
    assert [str(p) for p in typo.problems] == [
        "shows/game-2.yaml: franchise: no show has the slug 'gmae' "
        '(did you mean "game", "game-3" or "game-2"?): name the first show\'s file'
    ]
    chain = collect(catalog(tmp_path / "b", game_2="game", game_3="game-2"))
    assert [str(p) for p in chain.problems] == [
        "shows/game-3.yaml: franchise: 'game-2' is itself in franchise 'game': name the first show, game"
    ]
