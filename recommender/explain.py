"""Why two shows match: their cosine trope by trope, and what each has that the other lacks.

    cos(A, B) = sum over tropes t of x_A[t] * x_B[t]

with x the shows' weighted unit vectors (see `recommender.vectors`). Each shared trope's
product is its contribution, and the contributions add up to the score; a trope only one of
them has adds nothing, and the strongest of those (largest x value) are what sets them apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from recommender.engine import largest_first, shared
from recommender.index import Index
from recommender.vectors import Weighting

UNSHARED_TOP = 5


@dataclass(frozen=True)
class SharedTrope:
    """A trope both shows have: its value in each vector, their product and its share of the cosine."""

    trope: str
    name: str
    first: float
    second: float
    contribution: float
    share: float


@dataclass(frozen=True)
class OwnTrope:
    """A trope only one show has: the weight written in its file and its value in the vector."""

    trope: str
    name: str
    weight: float
    value: float


@dataclass(frozen=True)
class Explanation:
    first: str
    second: str
    first_id: str
    second_id: str
    weighting: Weighting
    score: float
    shared: list[SharedTrope] = field(default_factory=list)
    only_first: list[OwnTrope] = field(default_factory=list)
    only_second: list[OwnTrope] = field(default_factory=list)


def _own(index: Index, show: int, other: int, weighting: Weighting, top: int) -> list[OwnTrope]:
    """The strongest tropes `show` has and `other` lacks."""
    cols, vals = index.row(show, weighting)
    lacking = ~np.isin(cols, index.row(other, weighting)[0])
    cols, vals = cols[lacking], vals[lacking]
    raw = index.raw_row(show)
    return [
        OwnTrope(
            index.trope_id(int(cols[i])), index.trope_name(int(cols[i])), raw[int(cols[i])], float(vals[i])
        )
        for i in largest_first(vals, cols)[:top]
    ]


def explain(
    index: Index, first: str, second: str, weighting: Weighting = "idf", top: int = UNSHARED_TOP
) -> Explanation:
    """The cosine of two shows, every shared trope's contribution to it, and up to `top` tropes each has alone."""
    a, b = index.find_show(first), index.find_show(second)
    cols, x, y = shared(*index.row(a, weighting), *index.row(b, weighting))
    terms = x * y
    score = float(terms.sum())
    rows = [
        SharedTrope(
            index.trope_id(int(c)),
            index.trope_name(int(c)),
            float(va),
            float(vb),
            float(t),
            float(t) / score if score else 0.0,
        )
        for c, va, vb, t in zip(cols, x, y, terms)
    ]
    return Explanation(
        index.title(a),
        index.title(b),
        index.show_id(a),
        index.show_id(b),
        weighting,
        score,
        rows,
        _own(index, a, b, weighting, top),
        _own(index, b, a, weighting, top),
    )
