"""MMR re-ranking: a hand-worked catalog of near-copies, and the fast path against the textbook loop."""

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import diversity, engine
from recommender.build import build
from recommender.engine import RankOptions
from recommender.errors import UsageError
from recommender.filters import Filters
from recommender.index import Index

from .brute import dense_vectors, mmr, order
from .conftest import write_catalog
from .strategies import TROPE_VECTORS, shows_of

# Over (alpha, beta, gamma), unweighted: the seed is (1, 1, 1)/sqrt 3; two identical twins (1, 1, 0)/sqrt 2
# score 2/sqrt 6 = 0.816; "Other" (0, 0, 1) scores 1/sqrt 3 = 0.577 and shares nothing with the twins.
TWINS = {
    "a-seed": {"title": "Seed", "tropes": {"alpha": 1.0, "beta": 1.0, "gamma": 1.0}},
    "b-twin": {"title": "Twin A", "tropes": {"alpha": 1.0, "beta": 1.0}},
    "c-twin": {"title": "Twin B", "tropes": {"alpha": 1.0, "beta": 1.0}},
    "d-other": {"title": "Other", "tropes": {"gamma": 1.0}},
}
TWIN = 2 / math.sqrt(6)
OTHER = 1 / math.sqrt(3)


@pytest.fixture
def twins(tmp_path: Path) -> Index:
    return build(write_catalog(tmp_path / "t", TWINS))


def titles(ranking: engine.Ranking) -> list[str]:
    return [m.title for m in ranking.matches]


def test_plain_ranking_puts_the_twins_first(twins: Index) -> None:
    assert titles(engine.like(twins, "Seed", RankOptions(weighting="none"))) == ["Twin A", "Twin B", "Other"]


def test_mmr_by_hand_skips_the_copy(twins: Index) -> None:
    ranking = engine.like(twins, "Seed", RankOptions(weighting="none", diversity=0.7))
    # 1: Twin A (0.7 * 0.816 = 0.572, ties Twin B, catalog order); 2: Other 0.7 * 0.577 = 0.404 beats
    # Twin B 0.7 * 0.816 - 0.3 * 1 = 0.272; 3: Twin B, still 0.272.
    assert titles(ranking) == ["Twin A", "Other", "Twin B"]
    first, other, copy = ranking.matches
    assert first.diversity == engine.Diversified(pytest.approx(0.7 * TWIN), 0.0, None)
    assert other.diversity == engine.Diversified(pytest.approx(0.7 * OTHER), 0.0, "Twin A")
    assert copy.diversity == engine.Diversified(pytest.approx(0.7 * TWIN - 0.3), pytest.approx(1.0), "Twin A")
    assert [m.score for m in ranking.matches] == pytest.approx(
        [TWIN, OTHER, TWIN]
    )  # the score stays the cosine
    assert "diverse: maximal marginal relevance, lambda 0.7" in ranking.notes


def test_lambda_one_is_the_plain_ranking_and_zero_is_pure_variety(twins: Index) -> None:
    assert titles(engine.like(twins, "Seed", RankOptions(weighting="none", diversity=1.0))) == [
        "Twin A",
        "Twin B",
        "Other",
    ]
    assert titles(engine.like(twins, "Seed", RankOptions(weighting="none", diversity=0.0))) == [
        "Twin A",
        "Other",
        "Twin B",
    ]


def test_mmr_respects_filters_and_top(twins: Index) -> None:
    plain = engine.query(twins, ["alpha", "gamma"], RankOptions(k=2, diversity=0.5))
    assert len(plain.matches) == 2 and "Seed" in titles(plain)
    no_seed = RankOptions(k=2, diversity=0.5, filters=Filters(exclude=("Seed",)))
    ranking = engine.query(twins, ["alpha", "gamma"], no_seed)
    assert len(ranking.matches) == 2 and "Seed" not in titles(ranking)
    assert "filters: excluding Seed (3 of 4 shows pass)" in ranking.notes


def test_lambda_outside_0_1_is_a_usage_error(twins: Index) -> None:
    with pytest.raises(UsageError, match="between 0 and 1"):
        engine.like(twins, "Seed", RankOptions(diversity=1.5))


def test_mmr_of_nothing_is_nothing() -> None:
    picks = diversity.mmr(np.array([0.5, 0.2]), np.zeros(2, dtype=bool), 3, 0.7, lambda row: np.zeros(2))
    assert picks.rows.tolist() == [] and picks.mmr.tolist() == []


@settings(max_examples=50, deadline=None)
@given(
    st.lists(TROPE_VECTORS, min_size=2, max_size=9),
    st.sampled_from(["focus", "idf", "none"]),
    st.sampled_from([0.0, 0.3, 0.5, 0.7, 1.0]),
    st.integers(1, 9),
)
def test_mmr_fast_path_equals_the_textbook_loop(
    tmp_path_factory: pytest.TempPathFactory, vecs: list[dict[str, float]], weighting: str, lam: float, k: int
) -> None:
    root = write_catalog(tmp_path_factory.mktemp("c"), shows_of(vecs))
    index = build(root)
    ranking = engine.like(index, "S0", RankOptions(k=k, weighting=weighting, diversity=lam))
    x = dense_vectors(root, weighting)
    relevance, similarity = x @ x[0], x @ x.T
    matching = [r for r in range(1, len(vecs)) if relevance[r] > 1e-9]  # a show sharing nothing is no match
    expected = mmr(relevance, similarity, matching, k, lam)
    assert titles(ranking) == [f"S{r}" for r in expected]
    for n, (match, row) in enumerate(zip(ranking.matches, expected)):
        redundancy = max((similarity[row, p] for p in expected[:n]), default=0.0)
        assert match.score == pytest.approx(relevance[row])
        assert match.diversity.redundancy == pytest.approx(redundancy)
        assert match.diversity.mmr == pytest.approx(lam * relevance[row] - (1 - lam) * redundancy)
        if n:
            assert similarity[row, index.find_show(match.diversity.closest)] == pytest.approx(redundancy)
    if lam == 1.0:
        assert expected == order(relevance, matching)[:k]
