"""Diversity: re-rank by maximal marginal relevance (MMR) so the top results are not near-copies.

Results are picked one at a time. With rel(c) a candidate's score for the query and sim(c, p)
the cosine of two shows' vectors, each step picks the candidate with the highest

    mmr(c) = LAMBDA * rel(c) - (1 - LAMBDA) * max(sim(c, p) for p already picked)

(the max is 0 before the first pick, so the first result is the best-scoring show). LAMBDA = 1
is the plain ranking; lower values trade relevance for variety. Equal values keep catalog order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from recommender.errors import UsageError
from recommender.vectors import rounded

DEFAULT_LAMBDA = 0.7


@dataclass(frozen=True)
class Picks:
    """The rows picked in order, with each one's MMR value, redundancy and most similar earlier pick (-1 for none)."""

    rows: np.ndarray
    mmr: np.ndarray
    redundancy: np.ndarray
    closest: np.ndarray


def mmr(
    relevance: np.ndarray, allowed: np.ndarray, k: int, lam: float, similarity: Callable[[int], np.ndarray]
) -> Picks:
    """Pick up to k allowed rows by MMR; `similarity(row)` is that show's cosine with every show."""
    if not 0.0 <= lam <= 1.0:
        raise UsageError(f"the MMR lambda must be between 0 and 1, not {lam:g}")
    candidates = np.flatnonzero(allowed)
    rel = relevance[candidates]
    redundancy = np.zeros(len(candidates))
    closest = np.full(len(candidates), -1)
    open_ = np.ones(len(candidates), dtype=bool)
    picked: list[tuple[int, float, float, int]] = []
    for _ in range(min(k, len(candidates))):
        value = lam * rel - (1.0 - lam) * redundancy
        best = int(np.argmax(np.where(open_, rounded(value), -np.inf)))
        open_[best] = False
        row = int(candidates[best])
        picked.append((row, float(value[best]), float(redundancy[best]), int(closest[best])))
        sim = similarity(row)[candidates]
        first_time = closest < 0
        closer = first_time | (rounded(sim) > rounded(redundancy))
        closest[closer] = row
        redundancy = np.where(first_time, sim, np.maximum(redundancy, sim))
    rows, values, redundancies, nearest = zip(*picked) if picked else ((), (), (), ())
    return Picks(
        np.array(rows, dtype=np.int64),
        np.array(values),
        np.array(redundancies),
        np.array(nearest, dtype=np.int64),
    )
