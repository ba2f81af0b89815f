"""Browsing without a seed: listing through filters, facets with counts, the taxonomy searched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recommender import browse
from recommender.cache import open_index
from recommender.errors import NotFoundError
from recommender.filters import Filters

from .conftest import write_catalog
from .test_cli import run

SHOWS = {
    "one": {"title": "Show One", "network": "Netflix", "genres": ["Romance", "Comedy"], "episodes": 8,
            "episode_minutes": 45, "synopsis": "A baker meets a boxer.", "tropes": {"alpha": 1.0}},
    "two": {"title": "Another Show", "network": "TVING, tvN", "genres": ["Romance"], "year": 2015,
            "tropes": {"alpha": 0.5, "beta": 1.0}},
    "three": {"title": "Show Three", "genres": ["Thriller"], "tropes": {"beta": 0.5, "gamma": 1.0}},
}  # fmt: skip


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "c", SHOWS)


def test_list_shows_filters_searches_and_sorts(root: Path) -> None:
    index = open_index(root, use_cache=False)
    every = browse.list_shows(index)
    assert [s.title for s in every.shows] == ["Another Show", "Show One", "Show Three"]  # by title
    assert [s.id for s in every.shows] == ["two", "one", "three"] and every.matched == 3
    romance = browse.list_shows(index, Filters(genres=("romance",), without=("beta",)))
    assert [s.title for s in romance.shows] == ["Show One"]
    assert romance.shows[0].hours == 6.0  # 8 x 45 minutes
    assert [s.title for s in browse.list_shows(index, search="BAKER boxer").shows] == ["Show One"]
    assert [s.title for s in browse.list_shows(index, search="baker nurse").shows] == []
    newest = browse.list_shows(index, sort="hours", top=1)
    assert newest.matched == 3 and len(newest.shows) == 1 and newest.notes[-1] == "3 of 3 shows, showing 1"


def test_facets_count_each_show_once_per_label(root: Path) -> None:
    index = open_index(root, use_cache=False)
    genres = browse.facets(index, "genre")
    assert [(f.name, f.shows) for f in genres.facets] == [("Romance", 2), ("Comedy", 1), ("Thriller", 1)]
    networks = {f.name: f.shows for f in browse.facets(index, "network").facets}
    assert networks == {"tvN": 2, "Netflix": 1, "TVING": 1}  # "TVING, tvN" counts on both


def test_tropes_search_and_one_trope_in_full(root: Path) -> None:
    index = open_index(root, use_cache=False)
    found = browse.search_tropes(index, "third")
    assert [t.id for t in found.tropes] == ["gamma"] and found.search == "third"
    assert [t.id for t in browse.search_tropes(index, "test trope").tropes] == ["alpha", "beta", "gamma"]
    details = browse.trope_details(index, "jeju island")  # by alias
    assert details.trope.id == "gamma" and [(s.id, s.weight) for s in details.shows] == [("three", 1.0)]
    beta = browse.trope_details(index, "beta")
    assert [(s.title, s.weight) for s in beta.shows] == [("Another Show", 1.0), ("Show Three", 0.5)]
    with pytest.raises(NotFoundError, match="no trope mentions"):
        browse.search_tropes(index, "zzzz")


def test_cli_browsing_commands(root: Path) -> None:
    code, out, _ = run("shows", "--genre", "Romance", "--not", "beta", "--format", "json", catalog=root)
    data = json.loads(out)
    assert code == 0 and data["command"] == "shows" and [r["id"] for r in data["results"]] == ["one"]
    assert data["query"] == {"genre": ["Romance"], "without": ["beta"], "sort": "title"}
    code, out, _ = run("networks", catalog=root)
    assert code == 0 and "Netflix" in out and "use one with --network" in out
    code, out, _ = run("genres", "--format", "csv", catalog=root)
    assert out.splitlines()[:2] == ["genre,shows", "Romance,2"]
    code, out, _ = run("tropes", "gamma", catalog=root)
    assert code == 0 and "The third test trope." in out and "Show Three" in out
    code, out, _ = run("tropes", "second", catalog=root)
    assert code == 0 and "beta" in out and "Tropes that mention" in out


def test_every_format_of_a_listing(root: Path) -> None:
    _, jsonl, _ = run("shows", "--format", "jsonl", catalog=root)
    assert [json.loads(line)["id"] for line in jsonl.splitlines()] == ["two", "one", "three"]
    _, tsv, _ = run("shows", "--format", "tsv", catalog=root)
    assert tsv.splitlines()[0].split("\t") == [
        "id",
        "title",
        "year",
        "network",
        "episodes",
        "hours",
        "genres",
    ]
    _, upper, _ = run("shows", "-f", "JSON", catalog=root)
    assert json.loads(upper)["command"] == "shows"
