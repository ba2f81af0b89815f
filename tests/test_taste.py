"""Taste profile: ratings files, a hand-worked taste, and the fast path against dense numpy."""

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import taste
from recommender.build import build
from recommender.engine import RankOptions
from recommender.errors import DataError
from recommender.filters import Filters
from recommender.index import Index
from recommender.userfiles import read_ratings

from .brute import dense_vectors, order, write_yaml
from .conftest import write_catalog

# Unweighted, over (alpha, beta, gamma): A = (1, 0, 0), B = (0, 1, 0), C = (1, 1, 0)/sqrt 2, D = (1, 0, 1)/sqrt 2,
# E = (0, 1, 1)/sqrt 2. Rating A 9 and B 3 (mean 6) gives t = 3 x_A - 3 x_B, |t| = 3 sqrt 2, so
# D scores 1/2, C 0 and E -1/2; C is pulled by A (+1/2) and pushed by B (-1/2) in equal parts.
SHOWS = {
    "a": {"title": "A", "tropes": {"alpha": 1.0}},
    "b": {"title": "B", "tropes": {"beta": 1.0}},
    "c": {"title": "C", "tropes": {"alpha": 1.0, "beta": 1.0}},
    "d": {"title": "D", "tropes": {"alpha": 1.0, "gamma": 1.0}},
    "e": {"title": "E", "tropes": {"beta": 1.0, "gamma": 1.0}},
}


@pytest.fixture
def index(tmp_path: Path) -> Index:
    return build(write_catalog(tmp_path / "t", SHOWS))


def csv_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_taste_by_hand(index: Index, tmp_path: Path) -> None:
    ranking = taste.recommend(
        index,
        read_ratings(csv_file(tmp_path / "r.csv", "title,rating\nA,9\nB,3\n")),
        RankOptions(weighting="none"),
        centre="mean",
    )
    assert [m.title for m in ranking.matches] == ["D"]  # C scores 0 and E -0.5: no match
    assert [m.score for m in ranking.matches] == pytest.approx([0.5], abs=1e-12)
    (d,) = ranking.matches
    assert [(x.title, x.rating, x.contribution) for x in d.drivers] == [
        ("A", 9.0, pytest.approx(0.5))
    ]  # B shares nothing with D
    rows, values = [index.find_show("A"), index.find_show("B")], np.array([9.0, 3.0])
    c, e = (
        taste.drivers(index, index.find_show(t), rows, values, 3 * math.sqrt(2), "none", 6.0) for t in "CE"
    )
    assert [(x.title, x.contribution) for x in c] == [
        ("A", pytest.approx(0.5)),
        ("B", pytest.approx(-0.5)),
    ]
    assert [(x.title, x.contribution) for x in e] == [("B", pytest.approx(-0.5))]
    assert ranking.mean_rating == 6.0 and ranking.taste_length == pytest.approx(3 * math.sqrt(2))
    assert [(r.title, r.rating, r.pull) for r in ranking.profile] == [("A", 9.0, 3.0), ("B", 3.0, -3.0)]
    assert ranking.query == "for your 2 ratings, centred on 6.00"


def test_the_default_centre_is_the_scale_midpoint(index: Index) -> None:
    # A = (1, 0, 0) rated 10 pulls with 4.5, B = (0, 1, 0) rated 8 with 2.5: t = (4.5, 2.5, 0), none weighting
    ranking = taste.recommend(index, {"A": 10, "B": 8}, RankOptions(weighting="none"))
    length = math.hypot(4.5, 2.5)
    assert ranking.centre == 5.5 and [r.pull for r in ranking.profile] == [4.5, 2.5]
    assert ranking.taste_length == pytest.approx(length)
    assert [(m.title, m.score) for m in ranking.matches] == [
        ("C", pytest.approx(7 / math.sqrt(2) / length)),
        ("D", pytest.approx(4.5 / math.sqrt(2) / length)),
        ("E", pytest.approx(2.5 / math.sqrt(2) / length)),
    ]  # with the mean (9) as centre, B would push E away instead
    with pytest.raises(DataError, match="all 2 ratings are 9"):
        taste.recommend(index, {"A": 9, "B": 9}, centre="mean")


def test_leanings_are_the_tropes_your_high_ratings_over_represent(tmp_path: Path) -> None:
    shows = {
        f"s{i}": {"title": f"S{i}", "tropes": {"beta": 1.0} if i >= 3 else {"alpha": 1.0, "beta": 1.0}}
        for i in range(20)
    }
    index = build(write_catalog(tmp_path / "l", shows))
    ranking = taste.recommend(index, {"S0": 10, "S1": 9, "S2": 8, "S3": 2}, RankOptions(weighting="none"))
    (lean,) = ranking.leanings  # alpha: on 3 of 20 shows, on all 3 liked ones; beta is on every show
    assert (lean.trope, lean.liked_with, lean.liked, lean.catalog_with) == ("alpha", 3, 3, 3)
    assert lean.p_value == pytest.approx(1 / math.comb(20, 3))
    assert ranking.notes[0].startswith("your high ratings lean to alpha trope (3 of your 3, 15% of all shows")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("r.yaml", {"A": 9, "b": "3"}),
        ("r.yml", [{"title": "A", "rating": 9}, {"title": "B", "rating": 3.0}]),
        ("r.csv", '# my ratings\nA,9\n\n"B", 3\n'),
    ],
)
def test_yaml_and_csv_give_the_same_taste(index: Index, tmp_path: Path, name: str, content: Any) -> None:
    path = (
        csv_file(tmp_path / name, content)
        if isinstance(content, str)
        else write_yaml(tmp_path / name, content)
    )
    assert [
        m.title
        for m in taste.recommend(index, read_ratings(path), RankOptions(weighting="none"), "mean").matches
    ] == ["D"]


def test_filters_and_diversity_apply(index: Index, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "r.csv", "A,9\nB,3\n")
    assert [
        m.title
        for m in taste.recommend(
            index, read_ratings(path), RankOptions(filters=Filters(exclude=("D",))), "mean"
        ).matches
    ] == []  # without D, nothing scores above 0
    assert (
        taste.recommend(index, read_ratings(path), RankOptions(diversity=0.7)).matches[0].diversity
        is not None
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("r.csv", "A,9\nB,11\n", 'r.csv:2: rating "11" is not a number from 1 to 10'),
        ("r.csv", "A,nine\nB,3\n", 'rating "nine" is not a number'),
        ("r.csv", "A,9,extra\n", "r.csv:1: expected two columns"),
        ("r.csv", "A,9\nZzz,3\nB,3\nA,4\n", 'r.csv:2: no show called "Zzz"'),
        ("r.csv", "A,9\nB,3\na,4\n", 'r.csv:3: "A" is rated twice'),
        ("r.csv", "A,5.5\nB,5.5\n", "the ratings cancel out"),
        ("r.csv", "title,rating\n", "has no ratings"),
        ("r.yaml", "A: [9\n", "r.yaml:2: not valid YAML"),
        ("r.yaml", "- A\n- B\n", "has no ratings"),
        ("r.yaml", "- [A]\n", "expected a mapping of title: rating"),
        ("r.yaml", "A: true\nB: 3\n", 'rating "True" is not a number'),
        ("r.txt", "A,9\n", "use a .yaml, .yml, .csv or .tsv file"),
    ],
)
def test_bad_ratings_files_are_one_line_data_errors(
    index: Index, tmp_path: Path, name: str, text: str, message: str
) -> None:
    with pytest.raises(DataError) as caught:
        taste.recommend(index, read_ratings(csv_file(tmp_path / name, text)))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_missing_ratings_file(index: Index, tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        taste.recommend(index, read_ratings(tmp_path / "none.csv"))


weights = st.sampled_from([0.25, 0.5, 0.75, 1.0])
vectors_st = st.dictionaries(st.sampled_from(["alpha", "beta", "gamma"]), weights, min_size=1)


@settings(max_examples=40, deadline=None)
@given(st.lists(vectors_st, min_size=3, max_size=8), st.sampled_from(["focus", "idf", "none"]), st.data())
def test_taste_fast_path_equals_dense_numpy(
    tmp_path_factory: pytest.TempPathFactory,
    vecs: list[dict[str, float]],
    weighting: str,
    data: st.DataObject,
) -> None:
    root = write_catalog(
        tmp_path_factory.mktemp("c"), {f"s{i}": {"title": f"S{i}", "tropes": v} for i, v in enumerate(vecs)}
    )
    n = len(vecs)
    rated = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=n - 1, unique=True))
    ratings = np.array(
        data.draw(st.lists(st.integers(1, 10), min_size=len(rated), max_size=len(rated))), dtype=float
    )
    x = dense_vectors(root, weighting)
    centre = data.draw(st.sampled_from([5.5, "mean"]))
    middle = float(ratings.mean()) if centre == "mean" else 5.5
    t = (ratings - middle) @ x[rated]
    if np.all(ratings == ratings[0]) or np.linalg.norm(t) < 1e-9:
        return  # no taste to speak of (an error, tested above)
    path = write_yaml(root / "ratings.yaml", {f"S{r}": int(v) for r, v in zip(rated, ratings)})
    ranking = taste.recommend(build(root), read_ratings(path), RankOptions(k=n, weighting=weighting), centre)
    expected = x @ t / np.linalg.norm(t)
    unrated = [r for r in range(n) if r not in rated and round(float(expected[r]), 9) > 0]
    assert [m.title for m in ranking.matches] == [f"S{r}" for r in order(expected, unrated)]
    for m in ranking.matches:
        c = int(m.title[1:])
        assert m.score == pytest.approx(expected[c])
        assert sum(d.contribution for d in m.drivers) == pytest.approx(m.score)
        parts = {
            f"S{s}": (v - middle) * (x[s] @ x[c]) / np.linalg.norm(t)
            for s, v in zip(rated, ratings)
            if x[s] @ x[c]
        }
        assert {d.title: d.contribution for d in m.drivers} == pytest.approx(parts)
    assert math.isclose(ranking.mean_rating, float(ratings.mean()))


def test_one_watch_list_holds_ratings_and_seen_titles(index: Index, tmp_path: Path) -> None:
    from recommender.userfiles import read_seen, read_watchlist

    for name, text in (
        ("w.csv", "title,rating\nA,9\nB,3\nC\n"),
        ("w.tsv", "A\t9\nB\t3\nC\t\n"),
        ("w.yaml", "A: 9\nB: 3\nC:\n"),
    ):
        path = csv_file(tmp_path / name, text)
        ratings, seen = read_watchlist(path)
        assert [(r.title, r.rating) for r in ratings] == [("A", 9.0), ("B", 3.0)], name
        assert [s.title for s in seen] == ["C"], name
        assert [s.title for s in read_seen(path)] == ["A", "B", "C"], name  # --seen takes it too
