"""The library: open a catalog, ask it what the CLI asks, get back the dataclasses the CLI prints.

    import recommender
    catalog = recommender.open_catalog()            # the bundled catalog (or a folder path)
    ranking = catalog.like("Run On", k=5)
    for match in ranking.matches:
        print(match.rank, match.title, round(match.score, 3))

Every method raises a `recommender.RecommenderError` subclass with a one-line message for a
bad title, trope or value; nothing here reads a user's files or prints.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from recommender import details, engine, taste
from recommender import explain as explaining
from recommender import formula as formulas
from recommender.cache import open_index
from recommender.choices import DEFAULT_WEIGHTING
from recommender.engine import Ranking, RankOptions
from recommender.filters import Filters
from recommender.index import Index
from recommender.locate import locate
from recommender.vectors import Weighting


@dataclass(frozen=True)
class Catalog:
    """An opened catalog: its folder and its index."""

    root: Path
    index: Index

    def _options(
        self, k: int, weighting: Weighting, filters: Filters | None, diversity: float | None
    ) -> RankOptions:
        return RankOptions(k, weighting, filters or Filters(), diversity)

    def like(
        self,
        titles: str | Sequence[str],
        k: int = engine.DEFAULT_TOP,
        *,
        unlike: Sequence[str] = (),
        more: Sequence[str] = (),
        less: Sequence[str] = (),
        weighting: Weighting = DEFAULT_WEIGHTING,
        filters: Filters | None = None,
        diversity: float | None = None,
    ) -> Ranking:
        """Shows like one or more shows, steered away from `unlike` and towards `more` / away from `less` tropes."""
        options = self._options(k, weighting, filters, diversity)
        return engine.like(self.index, titles, options, unlike=unlike, more=more, less=less)

    def query(
        self,
        tropes: Sequence[str],
        k: int = engine.DEFAULT_TOP,
        *,
        weighting: Weighting = DEFAULT_WEIGHTING,
        filters: Filters | None = None,
        diversity: float | None = None,
    ) -> Ranking:
        """Shows that best match tropes named by id, name or alias."""
        return engine.query(self.index, tropes, self._options(k, weighting, filters, diversity))

    def recommend(
        self,
        ratings: Mapping[str, float] | Sequence[taste.Rating],
        k: int = engine.DEFAULT_TOP,
        *,
        weighting: Weighting = DEFAULT_WEIGHTING,
        filters: Filters | None = None,
        diversity: float | None = None,
    ) -> taste.TasteRanking:
        """Shows for a taste: `ratings` maps titles to ratings from 1 to 10."""
        return taste.recommend(self.index, ratings, self._options(k, weighting, filters, diversity))

    def explain(
        self,
        first: str,
        second: str,
        *,
        weighting: Weighting = DEFAULT_WEIGHTING,
        top: int = explaining.UNSHARED_TOP,
    ) -> explaining.Explanation:
        """The cosine of two shows trope by trope."""
        return explaining.explain(self.index, first, second, weighting, top)

    def formula(self, title: str, formula_id: str | None = None) -> formulas.FormulaReport:
        """How closely a show follows a formula of tropes.yaml (by default its best fit), and where it strays."""
        return formulas.report(self.index, title, formula_id)

    def formula_ranking(
        self, formula_id: str = "romance", filters: Filters | None = None, top: int | None = None
    ) -> formulas.FormulaRanking:
        """The shows a formula applies to, most formulaic first (with `top`, the top and bottom `top`)."""
        return formulas.ranking(self.index, formula_id, filters, top)

    def formula_list(self, formula_id: str | None = None) -> formulas.FormulaList | formulas.FormulaInfo:
        """Every formula (or one) with its declared beats beside the tropes the data finds over-represented."""
        return (
            formulas.formula_list(self.index)
            if formula_id is None
            else formulas.describe(self.index, formula_id)
        )

    def formula_trend(self, formula_id: str = "romance", by: str = "era") -> formulas.FormulaTrend:
        """A formula's mean score and beat prevalence per year or five-year era."""
        return formulas.trend(self.index, formula_id, by)

    def show(self, title: str, *, weighting: Weighting = DEFAULT_WEIGHTING) -> details.ShowDetails:
        """A show's facts and trope vector."""
        return details.show_details(self.index, title, weighting)

    def tropes(self) -> details.TropeListing:
        """The taxonomy with how many shows use each trope."""
        return details.trope_listing(self.index)


def open_catalog(path: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> Catalog:
    """The catalog in folder `path` (default: $RECOMMENDER_CATALOG, else the bundled one), indexed and ready."""
    root = locate(path)
    return Catalog(root, open_index(root, use_cache=use_cache))


def validate(path: str | os.PathLike[str] | None = None) -> details.ValidationReport:
    """Every problem of the catalog in folder `path` at once (an empty list: it is fine)."""
    return details.validate(locate(path))
