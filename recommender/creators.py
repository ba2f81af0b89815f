"""Creators in `like`: a small, fixed bonus for a show by the same screenwriter or director as a seed.

Fans follow writers and directors, and trope vectors cannot see them. A result that shares a
writer with any seed gains WEIGHTS["writer"] on top of its trope score, one that shares a
director WEIGHTS["director"] (once per role, however many names match). The bonus is its own
line of the explanation ("same writer: Park Ji Eun"), so the parts still add up to the score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recommender.index import Index
from recommender.text import normalise

WEIGHTS = {"writer": 0.05, "director": 0.03}


@dataclass(frozen=True)
class Credit:
    """A role a result shares with the seeds, the names it shares, and what that adds to its score."""

    role: str
    names: tuple[str, ...]
    bonus: float


@dataclass(frozen=True)
class Shared:
    """Per row: the bonus it gets, and its credits (only rows with a bonus are in `credits`)."""

    bonus: np.ndarray
    credits: dict[int, list[Credit]]


def shared(index: Index, seeds: Sequence[int]) -> Shared:
    """Which shows share a writer or a director with any of the seeds, and their bonus."""
    bonus = np.zeros(index.n_shows)
    credits: dict[int, list[Credit]] = {}
    for role, weight in WEIGHTS.items():
        field = f"show_{role}"
        wanted = {normalise(n): n for s in seeds for n in index.items(field, s)}
        if not wanted:
            continue
        owners, names = index.item_owners(field)
        hits = [pos for pos, key in enumerate(index.item_keys(field)) if key in wanted]
        rows: dict[int, list[str]] = {}
        for pos in hits:
            rows.setdefault(int(owners[pos]), []).append(names[pos])
        for row, matched in rows.items():
            bonus[row] += weight
            credits.setdefault(row, []).append(Credit(role, tuple(dict.fromkeys(matched)), weight))
    return Shared(bonus, credits)
