"""One contract every ranking command keeps, checked against brute force on generated catalogs.

For `like`, `query` and `recommend`, with any k, weighting, filter and diversity setting:
results are distinct shows that pass the filters and were not named; there are min(k, allowed)
of them; each score is the cosine of the command's query vector (computed here by hand, in
dense numpy) with the show; contributions add up to the score; and without diversity the
results are the brute-force top k, best first, ties in catalog order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import engine, taste
from recommender.build import build
from recommender.engine import RankOptions
from recommender.filters import Filters

from .brute import dense_vectors, multiplier, order
from .conftest import write_catalog
from .strategies import NETWORKS, TROPE_IDS, catalogs


def brute_query(command: str, args: Any, dense: np.ndarray, idf: np.ndarray) -> np.ndarray:
    if command == "like":
        seeds, unlike = args
        q = dense[seeds].mean(axis=0) - (0.5 * dense[unlike].mean(axis=0) if unlike else 0)
    elif command == "query":
        q = np.zeros(dense.shape[1])
        q[[TROPE_IDS.index(t) for t in args]] = 1.0
        q = q * idf
    else:
        rows, ratings = zip(*args)
        r = np.array(ratings, dtype=float)
        q = (r - 5.5) @ dense[list(rows)]  # the scale's midpoint: the default centre
    return q / np.linalg.norm(q)


def passes(doc: dict[str, Any], filters: Filters) -> bool:
    lo, hi = filters.years or (None, None)
    return (
        (lo is None or doc["year"] >= lo)
        and (hi is None or doc["year"] <= hi)
        and (not filters.networks or doc["network"] in filters.networks)
        and (filters.max_episodes is None or doc["episodes"] <= filters.max_episodes)
        and not any(t in doc["tropes"] for t in filters.without)
    )


@settings(max_examples=60, deadline=None)
@given(catalogs(min_shows=3), st.sampled_from(["like", "query", "recommend"]), st.data())
def test_every_ranking_command_keeps_the_contract(
    tmp_path_factory: pytest.TempPathFactory,
    shows: dict[str, dict[str, Any]],
    command: str,
    data: st.DataObject,
) -> None:
    root = write_catalog(tmp_path_factory.mktemp("c"), shows)
    index = build(root)
    docs = list(shows.values())
    n = len(docs)
    weighting = data.draw(st.sampled_from(["focus", "idf", "none"]))
    dense = dense_vectors(root, weighting)
    idf = multiplier(root, weighting)
    filters = Filters(
        years=data.draw(st.sampled_from([None, (2000, None), (None, 2015)])),
        networks=tuple(data.draw(st.lists(st.sampled_from(NETWORKS), max_size=2, unique=True))),
        max_episodes=data.draw(st.sampled_from([None, 12, 16])),
        without=tuple(data.draw(st.lists(st.sampled_from(TROPE_IDS), max_size=1))),
    )
    filters = Filters(filters.years, tuple(x for x in filters.networks if any(d["network"] == x for d in docs)),
                      (), filters.max_episodes, without=filters.without)  # fmt: skip
    diversity = data.draw(st.sampled_from([None, None, 0.7]))
    options = RankOptions(data.draw(st.integers(1, n)), weighting, filters, diversity)
    if command == "like":
        seeds = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True))
        unlike = data.draw(st.lists(st.integers(0, n - 1).filter(lambda r: r not in seeds), max_size=1))
        args: Any = (seeds, unlike)
        named = seeds + unlike
        ranking = engine.like(index, [f"S{s}" for s in seeds], options, unlike=[f"S{u}" for u in unlike])
    elif command == "query":
        args = data.draw(st.lists(st.sampled_from(TROPE_IDS), min_size=1, max_size=3, unique=True))
        named = []
        ranking = engine.query(index, args, options)
    else:
        rated = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=min(n, 4), unique=True))
        ratings = data.draw(st.lists(st.integers(1, 10), min_size=len(rated), max_size=len(rated)))
        args = list(zip(rated, ratings))
        named = rated
        r = np.array(ratings, dtype=float)
        if np.linalg.norm((r - 5.5) @ dense[rated]) < 1e-12:
            return  # the ratings cancel out: a documented error, not a ranking
        ranking = taste.recommend(index, {f"S{s}": v for s, v in args}, options)
    q = brute_query(command, args, dense, idf)
    cosine = dense @ q
    allowed = [i for i, d in enumerate(docs) if passes(d, filters) and i not in named and cosine[i] > 1e-9]
    rows = [int(m.title[1:]) for m in ranking.matches]
    assert len(set(rows)) == len(rows) == min(options.k, len(allowed))
    assert set(rows) <= set(allowed)
    for m, row in zip(ranking.matches, rows):
        assert m.score == pytest.approx(cosine[row], abs=1e-9)
        assert sum(c.contribution for c in m.because) == pytest.approx(m.score, abs=1e-9)
    if diversity is None:
        assert rows == order(cosine, allowed)[: options.k]
