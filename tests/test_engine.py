import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import engine
from recommender.build import build
from recommender.engine import RankOptions
from recommender.errors import NotFoundError

from .brute import dense_vectors, order
from .conftest import write_catalog
from .strategies import TROPE_VECTORS, shows_of

IDF_COMMON = math.log(4 / 3) + 1  # alpha and beta: 2 of 3 shows
IDF_RARE = math.log(4 / 2) + 1  # gamma: 1 of 3 shows


def test_like_scores_by_hand_without_weighting(catalog: Path) -> None:
    ranking = engine.like(build(catalog), "Show One", RankOptions(weighting="none"))
    scores = {m.title: m.score for m in ranking.matches}
    # S1 = (1, 1, 0)/sqrt 2; S2 = (1, 0, 0); S3 = (0, 0.5, 1)/sqrt 1.25
    assert scores["Show Two"] == pytest.approx(1 / math.sqrt(2))
    assert scores["Show Three"] == pytest.approx(0.5 / (math.sqrt(2) * math.sqrt(1.25)))
    assert [m.title for m in ranking.matches] == ["Show Two", "Show Three"]


def test_like_scores_by_hand_with_idf(catalog: Path) -> None:
    ranking = engine.like(build(catalog), "show one", RankOptions(weighting="idf"))
    scores = {m.title: m.score for m in ranking.matches}
    three = math.sqrt((0.5 * IDF_COMMON) ** 2 + IDF_RARE**2)
    assert scores["Show Two"] == pytest.approx(1 / math.sqrt(2))
    assert scores["Show Three"] == pytest.approx((0.5 * IDF_COMMON / three) / math.sqrt(2))


def test_like_scores_by_hand_with_focus(catalog: Path) -> None:
    # focus: x = w ** 2 * idf ** 0.5, and gamma (a tone trope) counts 1.5 times
    ranking = engine.like(build(catalog), "Show Three")
    scores = {m.title: m.score for m in ranking.matches}
    beta, gamma = 0.5**2 * IDF_COMMON**0.5, 1.0 * IDF_RARE**0.5 * 1.5
    three = math.sqrt(beta**2 + gamma**2)
    assert scores["Show One"] == pytest.approx((beta / three) / math.sqrt(2))  # S1 = (c, c, 0) / (c sqrt 2)
    assert "Show Two" not in scores and ranking.weighting == "focus"  # it shares nothing: no match


def test_contributions_sum_to_the_score_and_name_shared_tropes(catalog: Path) -> None:
    index = build(catalog)
    for match in engine.like(index, "Show Three").matches:
        assert sum(c.contribution for c in match.because) == pytest.approx(match.score)
        assert sum(c.share for c in match.because) == pytest.approx(1.0 if match.score else 0.0)
    best = engine.like(index, "Show Three").matches[0]
    assert best.title == "Show One" and [c.trope for c in best.because] == ["beta"]


def test_query_ranks_by_trope_names_and_aliases(catalog: Path) -> None:
    index = build(catalog)
    ranking = engine.query(index, ["Jeju Island"], RankOptions(weighting="none"))
    assert ranking.matches[0].title == "Show Three"
    assert ranking.matches[0].score == pytest.approx(1 / math.sqrt(1.25))
    assert len(ranking.matches) == 1  # the shows without the trope score 0 and are left out


def test_title_lookup_ignores_case_punctuation_and_uses_aliases(catalog: Path) -> None:
    index = build(catalog)
    assert index.find_show("SHOW-ONE!") == index.find_show("the first") == index.find_show("하나")


def test_unknown_title_and_trope_suggest_close_names(catalog: Path) -> None:
    index = build(catalog)
    with pytest.raises(NotFoundError, match='did you mean "Show One"'):
        index.find_show("Show Onee")
    with pytest.raises(NotFoundError, match='did you mean "alpha"'):
        index.find_trope("alpah")


def test_ties_keep_catalog_order(tmp_path: Path) -> None:
    shows = {f"s{i}": {"title": f"Twin {i}", "tropes": {"alpha": 1.0}} for i in range(5)}
    shows["seed"] = {"title": "Seed", "tropes": {"alpha": 1.0, "beta": 0.5}}
    index = build(write_catalog(tmp_path, shows))
    assert [m.title for m in engine.like(index, "Seed", RankOptions(k=3)).matches] == [
        "Twin 0",
        "Twin 1",
        "Twin 2",
    ]


@settings(max_examples=40, deadline=None)
@given(st.lists(TROPE_VECTORS, min_size=2, max_size=8), st.sampled_from(["focus", "idf", "none"]))
def test_laws_of_cosine_ranking(
    tmp_path_factory: pytest.TempPathFactory, vecs: list[dict[str, float]], weighting: str
) -> None:
    root = write_catalog(tmp_path_factory.mktemp("c"), shows_of(vecs))
    index = build(root)
    dense = dense_vectors(root, weighting)  # by hand, from the files: idf = ln((1 + n) / (1 + df)) + 1
    for seed in range(len(vecs)):
        q = engine.show_vector(index, seed, weighting)
        score = engine.scores(index, q, weighting)
        assert score == pytest.approx(dense @ dense[seed])  # fast path == brute force
        assert np.all(score <= 1 + 1e-9) and np.all(score >= -1e-9)
        assert score[seed] == pytest.approx(1.0)
        assert score[engine.top(score, 1)[0]] == pytest.approx(1.0)  # a show is its own nearest match
        assert engine.top(score, len(vecs)).tolist() == order(dense @ dense[seed], list(range(len(vecs))))
    ranking = engine.like(index, "S0", RankOptions(k=len(vecs), weighting=weighting))
    expected = [r for r in order(dense @ dense[0], list(range(1, len(vecs)))) if dense[r] @ dense[0] > 1e-9]
    assert [m.title for m in ranking.matches] == [f"S{r}" for r in expected]
    assert [m.score for m in ranking.matches] == pytest.approx([float(dense[r] @ dense[0]) for r in expected])
