from pathlib import Path

import pytest

from recommender import formula
from recommender.build import build
from recommender.errors import NotFoundError


def test_formula_report_by_hand(catalog: Path) -> None:
    # formula: alpha 1.0, gamma 0.5 (sum 1.5)
    index = build(catalog)
    one = formula.report(index, "Show One")
    assert one.score == pytest.approx(100 * 1.0 / 1.5)
    assert (one.rank, one.of) == (1, 3)
    assert one.percentile == pytest.approx(100 / 3)
    assert [b.trope for b in one.follows] == ["alpha"] and [b.trope for b in one.skips] == ["gamma"]
    assert [(d.trope, d.weight, d.shows) for d in one.stands_out_for] == [("beta", 1.0, 2)]
    three = formula.report(index, "Show Three")
    assert three.score == pytest.approx(100 * 0.5 * 1.0 / 1.5)
    assert (three.rank, three.percentile) == (3, 0.0)


def test_formula_ranking_shares_ranks_on_ties(catalog: Path) -> None:
    rows = formula.ranking(build(catalog)).rows
    assert [(r.rank, r.title) for r in rows] == [(1, "Show One"), (1, "Show Two"), (3, "Show Three")]


def test_unknown_formula_is_a_lookup_error(catalog: Path) -> None:
    with pytest.raises(NotFoundError, match="romance"):
        formula.ranking(build(catalog), "tragedy")
