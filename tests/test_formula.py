"""Formulas: the score worked by hand, the rules of who a formula is for, and what the data says."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recommender import formula
from recommender.build import build, collect
from recommender.cli import app
from recommender.errors import NotFoundError

from .conftest import SHOWS, TROPES, write_catalog

IDF_COMMON = math.log(4 / 3) + 1  # alpha and beta: 2 of 3 shows
IDF_RARE = math.log(4 / 2) + 1  # gamma: 1 of 3 shows


def test_formula_score_by_hand(catalog: Path) -> None:
    # formula alpha 1.0, gamma 0.5; focus: x = w^2 * sqrt(idf), gamma (tone) x1.5
    index = build(catalog)
    a, g = math.sqrt(IDF_COMMON), math.sqrt(IDF_RARE) * 1.5
    length = math.sqrt(a**2 + (0.25 * g) ** 2)
    two = formula.report(index, "Show Two")
    assert two.score == pytest.approx(100 * a / length)
    one = formula.report(index, "Show One")
    assert one.score == pytest.approx(100 * a / length / math.sqrt(2))  # S1 = (1, 1, 0) / sqrt 2
    three = formula.report(index, "Show Three")
    s3 = math.sqrt((0.25 * a) ** 2 + g**2)  # S3 = (0, 0.25 a, g) before normalising
    assert three.score == pytest.approx(100 * (g / s3) * (0.25 * g / length))
    assert sum(b.contribution for b in one.follows) == pytest.approx(one.score)
    assert [(r.rank, r.of) for r in (two, one)] == [(1, 3), (2, 3)]
    assert one.percentile == pytest.approx(100 / 3)
    assert [b.trope for b in one.follows] == ["alpha"] and [b.trope for b in one.skips] == ["gamma"]
    assert [(d.trope, d.weight, d.shows, d.within) for d in one.stands_out_for] == [("beta", 1.0, 2, 2)]


FORMULAS = {
    "alpha-shows": {
        "name": "Alpha formula",
        "applies": {"tropes": ["alpha"], "unless": ["gamma"]},
        "tropes": {"alpha": 1.0},
    },
    "thrillers": {
        "name": "Thriller formula",
        "applies": {"genres": ["thriller"]},
        "tropes": {"gamma": 1.0, "beta": 0.5},
    },
}


@pytest.fixture
def ruled(tmp_path: Path) -> Path:
    shows = {
        **SHOWS,
        "four": {"title": "Show Four", "genres": ["Thriller"], "tropes": {"alpha": 1.0, "gamma": 0.25}},
        "five": {"title": "Show Five", "tropes": {"alpha": 0.25, "beta": 1.0}},
    }
    return write_catalog(tmp_path / "r", shows, TROPES, FORMULAS)


def test_a_formula_applies_by_its_rule_and_otherwise_says_so(ruled: Path) -> None:
    index = build(ruled)
    applies = {
        f: [index.title(r) for r in range(index.n_shows) if index.formula_applies(f)[r]] for f in FORMULAS
    }
    assert sorted(applies["alpha-shows"]) == ["Show One", "Show Two"]  # alpha at 0.5+, and no gamma at all
    assert applies["thrillers"] == ["Show Four"]  # genres match in any case
    five = formula.report(index, "Show Five", "alpha-shows")
    assert not five.applies and five.score is None and "does not apply" in five.verdict
    with pytest.raises(NotFoundError, match="no formula applies"):
        formula.report(index, "Show Five")
    assert formula.report(index, "Show Four").formula == "thrillers"  # the only one that applies
    ranked = formula.ranking(index, "alpha-shows")
    assert [r.title for r in ranked.rows] == ["Show Two", "Show One"] and ranked.of == 2


def test_ranking_keeps_both_ends_with_top(catalog: Path) -> None:
    rows = formula.ranking(build(catalog), "romance", top=1).rows
    assert [(r.title, r.end) for r in rows] == [("Show Two", "most"), ("Show Three", "least")]


def test_the_empirical_formula_uses_a_hypergeometric_test(ruled: Path) -> None:
    index = build(ruled)
    info = formula.describe(index, "alpha-shows")
    beta = next(p for p in formula.prevalence(index, "alpha-shows") if p.trope == "beta")
    assert (beta.within, beta.of_formula, beta.elsewhere, beta.of_rest) == (1, 2, 2, 3)
    assert beta.lift == pytest.approx((1 / 2) / (3 / 5))
    brute = sum(math.comb(3, i) * math.comb(2, 2 - i) for i in range(1, 3)) / math.comb(5, 2)  # N=5, K=3, n=2
    assert beta.p_value == pytest.approx(brute)
    assert [p.trope for p in info.beats] == ["alpha"]
    assert formula.hypergeometric_sf(0, 10, 3, 4) == pytest.approx(1.0)


def test_trend_by_year_means_and_shares(ruled: Path) -> None:
    index = build(ruled)
    trend = formula.trend(index, "alpha-shows", "year")
    assert [(p.label, p.shows) for p in trend.periods] == [("2020", 2)]
    scores = index.formula_scores("alpha-shows")
    rows = [r for r in range(index.n_shows) if index.formula_applies("alpha-shows")[r]]
    assert trend.periods[0].mean_score == pytest.approx(sum(scores[r] for r in rows) / 2)
    assert trend.periods[0].beats == {"alpha": 1.0}


def test_bad_applies_rules_are_one_line_problems(tmp_path: Path) -> None:
    bad = {"f": {"name": "F", "applies": {"tropes": ["alpa"], "when": ["x"]}, "tropes": {"alpha": 1.0}}}
    problems = [str(p) for p in collect(write_catalog(tmp_path / "b", SHOWS, TROPES, bad)).problems]
    assert any("formulas.f.applies.tropes[0]" in p and 'did you mean "alpha"' in p for p in problems)
    assert any("formulas.f.applies.when" in p for p in problems)


def test_unknown_formula_is_a_lookup_error(catalog: Path) -> None:
    with pytest.raises(NotFoundError, match="romance"):
        formula.ranking(build(catalog), "tragedy")


def test_the_cli_shows_formulas_trends_and_reports(ruled: Path) -> None:
    run = CliRunner()
    listing = run.invoke(app, ["formulas", "--catalog", str(ruled)])
    assert listing.exit_code == 0 and "alpha-shows" in listing.stdout and "thrillers" in listing.stdout
    assert run.invoke(app, ["formulas", "thrillers", "--catalog", str(ruled), "-f", "csv"]).exit_code == 0
    trend = run.invoke(app, ["formula", "--by", "era", "--formula", "alpha-shows", "--catalog", str(ruled)])
    assert trend.exit_code == 0 and "2020-2024" in trend.stdout
    both = run.invoke(app, ["formula", "Show One", "--all", "--catalog", str(ruled)])
    assert both.exit_code == 2
