"""Steering: one query vector from seed shows, shows to steer away from and trope critiques.

It is a Rocchio query. With x_s the weighted, unit-length vector of show s (see
`recommender.vectors`) and e_t the vector with 1 for trope t and 0 elsewhere:

    q = SEED_WEIGHT * mean(x_s, s in seeds) - UNLIKE_WEIGHT * mean(x_u, u in unlike)
        + CRITIQUE_WEIGHT * (sum of e_t, t in more) - CRITIQUE_WEIGHT * (sum of e_t, t in less)

(a mean over no shows is 0; a trope named twice counts twice), then q is divided by its
length, so a show's score q . x_c is still the cosine of q and x_c. The same query without
the critique terms is what a critique is measured against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from recommender.errors import UsageError
from recommender.index import Index
from recommender.vectors import Weighting

SEED_WEIGHT = 1.0
UNLIKE_WEIGHT = 0.5
CRITIQUE_WEIGHT = 0.5


@dataclass(frozen=True)
class Steer:
    """What a ranking is steered by: index rows of shows, columns of tropes."""

    seeds: tuple[int, ...]
    unlike: tuple[int, ...] = ()
    more: tuple[int, ...] = ()
    less: tuple[int, ...] = ()

    @property
    def critiqued(self) -> bool:
        return bool(self.more or self.less)

    def without_critiques(self) -> Steer:
        return replace(self, more=(), less=())

    def named(self) -> list[int]:
        """The shows the user named, which never appear among the results."""
        return [*self.seeds, *self.unlike]


def resolve(
    index: Index,
    seeds: Sequence[str],
    unlike: Sequence[str] = (),
    more: Sequence[str] = (),
    less: Sequence[str] = (),
) -> Steer:
    """Look up every title and trope; a show both liked and unliked, or a trope both more and less, is a UsageError."""
    steer = Steer(
        tuple(dict.fromkeys(index.find_show(t) for t in seeds)),
        tuple(dict.fromkeys(index.find_show(t) for t in unlike)),
        tuple(index.find_trope(t) for t in more),
        tuple(index.find_trope(t) for t in less),
    )
    if not steer.seeds:
        raise UsageError("name at least one show to start from")
    for row in set(steer.seeds) & set(steer.unlike):
        raise UsageError(f'"{index.title(row)}" is both a show to start from and a show to steer away from')
    for col in set(steer.more) & set(steer.less):
        raise UsageError(f'trope "{index.trope_id(col)}" is asked for both more and less')
    return steer


def dense_rows(index: Index, rows: Sequence[int], weighting: Weighting) -> np.ndarray:
    """The weighted unit vectors of some shows, one dense row each."""
    dense = np.zeros((len(rows), index.n_tropes))
    for i, row in enumerate(rows):
        cols, vals = index.row(row, weighting)
        dense[i, cols] = vals
    return dense


def rocchio(index: Index, steer: Steer, weighting: Weighting) -> np.ndarray:
    """The dense query vector q of the module docstring, before it is scaled to unit length."""
    q = SEED_WEIGHT * dense_rows(index, steer.seeds, weighting).mean(axis=0)
    if steer.unlike:
        q -= UNLIKE_WEIGHT * dense_rows(index, steer.unlike, weighting).mean(axis=0)
    np.add.at(q, list(steer.more), CRITIQUE_WEIGHT)
    np.add.at(q, list(steer.less), -CRITIQUE_WEIGHT)
    return q


def describe(index: Index, steer: Steer) -> str:
    """'like A + B, unlike C, more t1, less t2' for titles and notes."""
    parts = ["like " + " + ".join(index.title(r) for r in steer.seeds)]
    parts += [f"unlike {' + '.join(index.title(r) for r in steer.unlike)}"] if steer.unlike else []
    parts += [f"more {index.trope_id(t)}" for t in dict.fromkeys(steer.more)]
    parts += [f"less {index.trope_id(t)}" for t in dict.fromkeys(steer.less)]
    return ", ".join(parts)
