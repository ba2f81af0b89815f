"""explain A B: per-trope contributions that sum to the cosine, and what each show has alone."""

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import engine
from recommender.build import build
from recommender.engine import RankOptions
from recommender.errors import NotFoundError
from recommender.explain import OwnTrope, explain

from .brute import dense_vectors
from .conftest import write_catalog
from .strategies import TROPE_VECTORS, shows_of


def test_explain_by_hand(catalog: Path) -> None:
    # Unweighted: x1 = (1, 1, 0)/sqrt 2, x3 = (0, 0.5, 1)/sqrt 1.25; they share beta only.
    e = explain(build(catalog), "the first", "Show Three", weighting="none")
    assert (e.first, e.second, e.weighting) == ("Show One", "Show Three", "none")
    assert e.score == pytest.approx(0.5 / (math.sqrt(2) * math.sqrt(1.25)))
    [beta] = e.shared
    assert (beta.trope, beta.first, beta.second, beta.share) == (
        "beta",
        pytest.approx(1 / math.sqrt(2)),
        pytest.approx(0.5 / math.sqrt(1.25)),
        1.0,
    )
    assert beta.contribution == pytest.approx(e.score)
    assert e.only_first == [OwnTrope("alpha", "Alpha trope", 1.0, pytest.approx(1 / math.sqrt(2)))]
    assert e.only_second == [OwnTrope("gamma", "Gamma trope", 1.0, pytest.approx(1 / math.sqrt(1.25)))]


def test_strongest_own_tropes_first_and_top_limits_them(tmp_path: Path) -> None:
    shows = {
        "a": {"title": "A", "tropes": {"alpha": 0.25, "beta": 1.0}},
        "b": {"title": "B", "tropes": {"gamma": 0.5}},
    }
    index = build(write_catalog(tmp_path, shows))
    e = explain(index, "A", "B", weighting="none")
    assert e.score == 0 and e.shared == []
    assert [t.trope for t in e.only_first] == ["beta", "alpha"]
    assert [t.trope for t in explain(index, "A", "B", top=1).only_first] == ["beta"]


def test_a_show_with_itself_is_one(catalog: Path) -> None:
    e = explain(build(catalog), "Show One", "Show One")
    assert e.score == pytest.approx(1.0) and e.only_first == e.only_second == []


def test_unknown_show(catalog: Path) -> None:
    with pytest.raises(NotFoundError, match='did you mean "Show Two"'):
        explain(build(catalog), "Show One", "Show Twoo")


@settings(max_examples=40, deadline=None)
@given(st.lists(TROPE_VECTORS, min_size=2, max_size=6), st.sampled_from(["focus", "idf", "none"]))
def test_contributions_sum_to_the_dense_cosine(
    tmp_path_factory: pytest.TempPathFactory, vecs: list[dict[str, float]], weighting: str
) -> None:
    root = write_catalog(tmp_path_factory.mktemp("c"), shows_of(vecs))
    index = build(root)
    x = dense_vectors(root, weighting)
    ids = ["alpha", "beta", "gamma"]
    for a in range(len(vecs)):
        b = (a + 1) % len(vecs)
        e = explain(index, f"S{a}", f"S{b}", weighting)
        assert e.score == pytest.approx(x[a] @ x[b])
        assert sum(t.contribution for t in e.shared) == pytest.approx(e.score)
        like_scores = {
            m.title: m.score
            for m in engine.like(index, f"S{a}", RankOptions(k=len(vecs), weighting=weighting)).matches
        }
        assert like_scores.get(f"S{b}", 0.0) == pytest.approx(e.score)  # the same number `like` ranks by
        assert {t.trope: (t.first, t.second) for t in e.shared} == {
            ids[j]: (pytest.approx(x[a, j]), pytest.approx(x[b, j])) for j in range(3) if x[a, j] and x[b, j]
        }
        assert {t.trope for t in e.only_first} == {ids[j] for j in range(3) if x[a, j] and not x[b, j]}
