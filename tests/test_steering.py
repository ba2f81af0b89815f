"""Several seeds, --unlike and critiques: hand-worked answers, and the fast path against dense numpy."""

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import engine, steering
from recommender.build import build
from recommender.engine import RankOptions
from recommender.errors import NotFoundError, UsageError
from recommender.index import Index

from .brute import dense_vectors, order
from .conftest import write_catalog
from .strategies import TROPE_IDS, TROPE_VECTORS, shows_of

# Without weighting, over (alpha, beta, gamma): x1 = (1, 1, 0)/sqrt 2, x2 = (1, 0, 0), x3 = (0, 0.5, 1)/sqrt 1.25.
X1_X3 = 0.5 / (math.sqrt(2) * math.sqrt(1.25))  # cos(Show One, Show Three)
GAMMA_OF_3 = 1 / math.sqrt(1.25)  # Show Three's gamma value


def index_of(root: Path) -> Index:
    return build(root)


def scores_of(ranking: engine.Ranking) -> dict[str, float]:
    return {m.title: m.score for m in ranking.matches}


def test_one_seed_is_the_plain_like(catalog: Path) -> None:
    index = index_of(catalog)
    assert engine.like(index, ["Show One"], RankOptions(weighting="none")) == engine.like(
        index, "Show One", RankOptions(weighting="none")
    )
    q = engine.QueryVector.from_dense(steering.rocchio(index, steering.resolve(index, ["Show One"]), "idf"))
    assert engine.scores(index, q, "idf") == pytest.approx(
        engine.scores(index, engine.show_vector(index, 0, "idf"), "idf")
    )


def test_several_seeds_rank_against_their_mean(catalog: Path) -> None:
    ranking = engine.like(index_of(catalog), ["Show Two", "Show Three"], RankOptions(weighting="none"))
    # q = (x2 + x3)/2 = (1, 0.447, 0.894)/2, |x2 + x3| = sqrt 2; cos with x1 = (1 + 1/sqrt 5)/2
    assert [m.title for m in ranking.matches] == ["Show One"]
    assert ranking.matches[0].score == pytest.approx((1 + 1 / math.sqrt(5)) / 2)
    assert ranking.query == "like Show Two + Show Three"


def test_unlike_pushes_away_by_hand(catalog: Path) -> None:
    ranking = engine.like(index_of(catalog), "Show One", RankOptions(weighting="none"), unlike=["Show Three"])
    # q = x1 - 0.5 x3 = (0.7071, 0.7071 - 0.2236, -0.4472): Show Two scores 0.7071 / |q|
    q = np.array([1, 1, 0]) / math.sqrt(2) - 0.5 * np.array([0, 0.5, 1]) / math.sqrt(1.25)
    assert [m.title for m in ranking.matches] == ["Show Two"]
    assert ranking.matches[0].score == pytest.approx(q[0] / np.linalg.norm(q))
    assert ranking.query == "like Show One, unlike Show Three"


def test_more_gamma_puts_show_three_first_by_hand(catalog: Path) -> None:
    ranking = engine.like(index_of(catalog), "Show One", RankOptions(weighting="none"), more=["gamma"])
    # q = x1 + 0.5 e_gamma, |q| = sqrt(1.25): Two 0.7071/1.118 = 0.632, Three (0.316 + 0.447)/1.118 = 0.683
    assert [m.title for m in ranking.matches] == ["Show Three", "Show Two"]
    assert scores_of(ranking)["Show Three"] == pytest.approx((X1_X3 + 0.5 * GAMMA_OF_3) / math.sqrt(1.25))
    assert scores_of(ranking)["Show Two"] == pytest.approx(1 / math.sqrt(2) / math.sqrt(1.25))
    three, two = ranking.matches
    assert (three.before, two.before) == (
        engine.Moved(2, pytest.approx(X1_X3)),
        engine.Moved(1, pytest.approx(1 / math.sqrt(2))),
    )
    assert ranking.query == "like Show One, more gamma"


def test_less_alpha_also_flips_the_order_by_hand(catalog: Path) -> None:
    ranking = engine.like(index_of(catalog), "Show One", RankOptions(weighting="none"), less=["Alpha trope"])
    # q = (0.7071 - 0.5, 0.7071, 0): Two 0.2071/|q| = 0.281, Three 0.7071 * 0.4472/|q| = 0.429
    q = np.array([1 / math.sqrt(2) - 0.5, 1 / math.sqrt(2), 0])
    assert [m.title for m in ranking.matches] == ["Show Three", "Show Two"]
    assert scores_of(ranking)["Show Two"] == pytest.approx(q[0] / np.linalg.norm(q))
    assert scores_of(ranking)["Show Three"] == pytest.approx(q[1] * 0.5 / math.sqrt(1.25) / np.linalg.norm(q))


def test_contributions_still_sum_to_the_score_under_steering(catalog: Path) -> None:
    index = index_of(catalog)
    for match in engine.like(
        index, ["Show Two"], unlike=["Show Three"], less=["beta"], more=["gamma"]
    ).matches:
        assert sum(c.contribution for c in match.because) == pytest.approx(match.score)


def test_no_critique_no_before(catalog: Path) -> None:
    assert all(
        m.before is None for m in engine.like(index_of(catalog), "Show One", unlike=["Show Three"]).matches
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"titles": ["Show One"], "unlike": ["the first"]},
            UsageError,
            "both a show to start from and a show to steer away from",
        ),
        (
            {"titles": ["Show One"], "more": ["alpha"], "less": ["first one"]},
            UsageError,
            "asked for both more and less",
        ),
        ({"titles": ["Show One"], "more": ["alpah"]}, NotFoundError, 'did you mean "alpha"'),
        ({"titles": ["Show One"], "unlike": ["Show Onee"]}, NotFoundError, 'did you mean "Show One"'),
        ({"titles": []}, UsageError, "at least one show"),
    ],
)
def test_bad_steering_is_an_error(catalog: Path, kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        engine.like(index_of(catalog), **kwargs)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(TROPE_VECTORS, min_size=3, max_size=8),
    st.sampled_from(["focus", "idf", "none"]),
    st.data(),
)
def test_rocchio_fast_path_equals_dense_numpy(
    tmp_path_factory: pytest.TempPathFactory,
    vecs: list[dict[str, float]],
    weighting: str,
    data: st.DataObject,
) -> None:
    root = write_catalog(tmp_path_factory.mktemp("c"), shows_of(vecs))
    index = index_of(root)
    n = len(vecs)
    seeds = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True))
    unlike = data.draw(
        st.lists(st.integers(0, n - 1).filter(lambda r: r not in seeds), max_size=2, unique=True)
    )
    more = data.draw(st.lists(st.integers(0, 2), max_size=2))
    less = data.draw(st.lists(st.integers(0, 2).filter(lambda t: t not in more), max_size=2))
    ranking = engine.like(
        index,
        [f"S{r}" for r in seeds],
        RankOptions(k=n, weighting=weighting),
        unlike=[f"S{r}" for r in unlike],
        more=[TROPE_IDS[t] for t in more],
        less=[TROPE_IDS[t] for t in less],
    )
    x = dense_vectors(root, weighting)
    q = x[seeds].mean(axis=0) - (0.5 * x[unlike].mean(axis=0) if unlike else 0)
    for t in more:
        q[t] += 0.5
    for t in less:
        q[t] -= 0.5
    expected = x @ q / np.linalg.norm(q) if np.linalg.norm(q) else np.zeros(n)
    allowed = [r for r in range(n) if r not in seeds + unlike and round(float(expected[r]), 9) > 0]
    assert [m.title for m in ranking.matches] == [f"S{r}" for r in order(expected, allowed)]
    assert [m.score for m in ranking.matches] == pytest.approx(
        [expected[r] for r in order(expected, allowed)]
    )
    if more or less:
        base = x[seeds].mean(axis=0) - (0.5 * x[unlike].mean(axis=0) if unlike else 0)
        old = x @ base / np.linalg.norm(base)
        old_rank = {r: i + 1 for i, r in enumerate(order(old, allowed))}
        rows = [int(m.title[1:]) for m in ranking.matches]
        assert [m.before for m in ranking.matches] == [
            engine.Moved(old_rank[r], pytest.approx(old[r])) for r in rows
        ]
