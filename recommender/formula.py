"""How closely a show follows a formula declared in tropes.yaml, and where it strays.

    score = 100 * sum_f (formula weight of f) * (show's weight for f) / sum_f (formula weight of f)

over the formula's tropes f, with the weights written in the YAML (a beat the show lacks
counts 0). The rank is 1 + the number of shows that score strictly higher; the percentile
is the share of the catalog that scores strictly lower.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from recommender.index import Index
from recommender.vectors import rounded

DEFAULT_FORMULA = "romance"
STANDS_OUT_TOP = 5


@dataclass(frozen=True)
class Beat:
    """A trope with the formula's weight for it and the show's (0 when the show skips it)."""

    trope: str
    name: str
    formula_weight: float
    show_weight: float


@dataclass(frozen=True)
class Detail:
    """A trope the show has outside the formula; `shows` is how many shows in the catalog have it."""

    trope: str
    name: str
    weight: float
    shows: int


@dataclass(frozen=True)
class FormulaReport:
    title: str
    formula: str
    score: float
    rank: int
    of: int
    percentile: float
    follows: list[Beat] = field(default_factory=list)
    skips: list[Beat] = field(default_factory=list)
    stands_out_for: list[Detail] = field(default_factory=list)


@dataclass(frozen=True)
class FormulaRow:
    rank: int
    title: str
    year: int
    network: str
    score: float


def report(index: Index, title: str, formula: str = DEFAULT_FORMULA) -> FormulaReport:
    """The formula score of one show, with the beats it follows and skips and what it adds."""
    show = index.find_show(title)
    all_scores = index.formula_scores(formula)
    score = float(all_scores[show])
    weights = index.raw_row(show)
    beat_cols, beat_weights = index.formula_beats(formula)
    cols = beat_cols.tolist()
    beats = [
        Beat(index.trope_id(c), index.trope_name(c), float(w), weights.get(c, 0.0))
        for c, w in zip(cols, beat_weights.tolist())
    ]
    df = index.trope_df
    extra = sorted(
        (c for c in weights if c not in set(cols)), key=lambda c: (-weights[c], int(df[c]), index.trope_id(c))
    )
    key = rounded(all_scores)
    mine = rounded(np.array(score))
    return FormulaReport(
        title=index.title(show),
        formula=formula,
        score=score,
        rank=1 + int(np.count_nonzero(key > mine)),
        of=index.n_shows,
        percentile=100.0 * np.count_nonzero(key < mine) / index.n_shows,
        follows=[b for b in beats if b.show_weight > 0],
        skips=[b for b in beats if b.show_weight == 0],
        stands_out_for=[
            Detail(index.trope_id(c), index.trope_name(c), weights[c], int(df[c]))
            for c in extra[:STANDS_OUT_TOP]
        ],
    )


@dataclass(frozen=True)
class FormulaRanking:
    formula: str
    rows: list[FormulaRow]


def ranking(index: Index, formula: str = DEFAULT_FORMULA) -> FormulaRanking:
    """The whole catalog from most to least formulaic; equal scores keep catalog order."""
    all_scores = index.formula_scores(formula)
    rows = np.lexsort((np.arange(index.n_shows), -rounded(all_scores)))
    ordered = rounded(all_scores[rows])
    out: list[FormulaRow] = []
    for n, row in enumerate(rows):
        position = n + 1 if n == 0 or ordered[n] != ordered[n - 1] else out[-1].rank
        out.append(
            FormulaRow(
                position,
                index.title(int(row)),
                int(index.years[row]),
                index.network(int(row)),
                float(all_scores[row]),
            )
        )
    return FormulaRanking(formula, out)
