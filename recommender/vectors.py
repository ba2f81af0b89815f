"""Trope weighting as short pure numpy functions over CSR arrays (indptr, indices, data).

The default weighting is smoothed idf followed by L2 normalisation of each row, the same
numbers as scikit-learn's `TfidfTransformer(smooth_idf=True, norm="l2")` applied to the
show x trope weight matrix (the tests check this), computed without importing scikit-learn:

    idf(t) = ln((1 + n) / (1 + df(t))) + 1      n shows, df(t) shows that have trope t
    x[s, t] = w[s, t] * idf(t) / || w[s, :] * idf ||

With `weighting="none"`, idf(t) = 1: rows are only L2-normalised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from recommender.choices import WEIGHTINGS as WEIGHTINGS
from recommender.choices import Weighting as Weighting

SCORE_DECIMALS = 9  # scores equal to this many decimals are ties, broken by catalog order


def rounded(values: np.ndarray) -> np.ndarray:
    """Scores as compared for ranking: equal to SCORE_DECIMALS decimals means tied (the one tie rule)."""
    return np.round(values, SCORE_DECIMALS)


def document_frequency(indices: np.ndarray, n_tropes: int) -> np.ndarray:
    """How many shows have each trope (a show lists a trope at most once)."""
    return np.bincount(indices, minlength=n_tropes).astype(np.int64)


def idf(df: np.ndarray, n_shows: int) -> np.ndarray:
    """Smoothed inverse document frequency: rare tropes weigh more than common ones."""
    return np.log((1.0 + n_shows) / (1.0 + df)) + 1.0


@dataclass(frozen=True)
class Shape:
    """A weighting: x[s, t] = w[s, t] ** weight_power * idf(t) ** idf_power * boost[category(t)], L2-normalised."""

    weight_power: float = 1.0
    idf_power: float = 1.0
    boost: dict[str, float] = field(default_factory=dict)  # category id -> multiplier (1 when absent)


SHAPES: dict[str, Shape] = {
    "focus": Shape(2.0, 0.5, {"tone": 1.5}),
    "idf": Shape(1.0, 1.0),
    "none": Shape(1.0, 0.0),
}


def fingerprint() -> str:
    """The weightings' parameters as text: an index whose row norms were computed with others is stale."""
    return repr(
        sorted((name, s.weight_power, s.idf_power, sorted(s.boost.items())) for name, s in SHAPES.items())
    )


def trope_weights(
    df: np.ndarray, n_shows: int, weighting: str, categories: list[str] | None = None
) -> np.ndarray:
    """The per-trope multiplier of a weighting: idf(t) ** idf_power times its category's boost."""
    shape = SHAPES[weighting]
    out = np.ones(len(df)) if shape.idf_power == 0 else idf(df, n_shows) ** shape.idf_power
    if shape.boost and categories is not None:
        out = out * np.array([shape.boost.get(c, 1.0) for c in categories])
    return out


def powered(raw: np.ndarray, weighting: str) -> np.ndarray:
    """The file's weights as a weighting uses them: w ** weight_power (above 1, central tropes outweigh details)."""
    power = SHAPES[weighting].weight_power
    return raw if power == 1 else raw**power


def row_ids(indptr: np.ndarray) -> np.ndarray:
    """The row of every stored value of a CSR matrix."""
    return np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))


def row_norms(indptr: np.ndarray, indices: np.ndarray, raw: np.ndarray, multiplier: np.ndarray) -> np.ndarray:
    """L2 norm of each weighted CSR row (1 for an empty row, so dividing by it is safe)."""
    weighted = raw * multiplier[indices]
    norms = np.sqrt(np.bincount(row_ids(indptr), weights=weighted * weighted, minlength=len(indptr) - 1))
    norms[norms == 0] = 1.0
    return norms


def normalise_vector(values: np.ndarray) -> np.ndarray:
    """A query vector scaled to unit length (a zero vector stays zero)."""
    scale = float(np.max(np.abs(values), initial=0.0))
    if scale == 0.0:
        return values
    scaled = values / scale  # avoids underflow when squaring tiny values
    return scaled / float(np.sqrt(scaled @ scaled))


def to_columns(
    indptr: np.ndarray, indices: np.ndarray, n_cols: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inverted index (trope -> shows): column pointers, row of each entry, CSR position of each."""
    narrow = (
        indices.astype(np.uint16) if n_cols <= 1 << 16 else indices
    )  # numpy radix-sorts 16-bit keys: 4x faster
    order = np.argsort(narrow, kind="stable")
    col_indptr = np.zeros(n_cols + 1, dtype=np.int64)
    np.cumsum(np.bincount(indices, minlength=n_cols), out=col_indptr[1:])
    return (
        col_indptr,
        row_ids(indptr)[order].astype(np.int32),
        order.astype(np.int32 if len(order) < 2**31 else np.int64),
    )
