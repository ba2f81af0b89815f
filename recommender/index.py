"""The index: everything the query commands need, as flat numpy arrays.

It is built from a parsed Catalog (`build_index`) and can be saved and memory-mapped back by
`recommender.cache`, so a warm query reads only the pages it touches. Shows are rows in
catalog file order; tropes are columns in tropes.yaml order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from recommender import vectors
from recommender.catalog import Catalog, Show, Taxonomy
from recommender.errors import NotFoundError
from recommender.text import did_you_mean, normalise, suggest

FORMAT_VERSION = 1


@dataclass
class Index:
    """Flat arrays (see `build_index` for their names) plus small JSON-able metadata."""

    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    @property
    def n_shows(self) -> int:
        return int(self.meta["n_shows"])

    @property
    def n_tropes(self) -> int:
        return int(self.meta["n_tropes"])

    # --- rows and columns ------------------------------------------------------

    def row(self, show: int, weighting: str = "idf") -> tuple[np.ndarray, np.ndarray]:
        """A show's trope columns and their weighted, normalised values."""
        start, end = self["indptr"][show], self["indptr"][show + 1]
        return self["indices"][start:end], self[f"values_{weighting}"][start:end]

    def raw_row(self, show: int) -> dict[int, float]:
        """A show's trope columns and the weights written in its YAML file."""
        start, end = self["indptr"][show], self["indptr"][show + 1]
        return dict(zip(self["indices"][start:end].tolist(), self["raw"][start:end].tolist()))

    def column(self, trope: int, weighting: str = "idf") -> tuple[np.ndarray, np.ndarray]:
        """The shows that have a trope and their weighted, normalised values for it."""
        start, end = self["col_indptr"][trope], self["col_indptr"][trope + 1]
        return self["col_rows"][start:end], self[f"col_values_{weighting}"][start:end]

    def title(self, show: int) -> str:
        return str(self["show_title"][show])

    def trope_id(self, trope: int) -> str:
        return str(self["trope_id"][trope])

    def trope_name(self, trope: int) -> str:
        return str(self["trope_name"][trope])

    def idf(self, weighting: str = "idf") -> np.ndarray:
        return vectors.trope_weights(self["trope_df"], self.n_shows, weighting)

    # --- lookups ---------------------------------------------------------------

    def find_show(self, name: str) -> int:
        """Row of a show named by title, alias, Korean title or slug, in any case or punctuation."""
        found = _lookup(self["name_keys"], self["name_owner"], normalise(name))
        if found is None:
            titles = {str(k): self.title(int(o)) for k, o in zip(self["name_keys"], self["name_owner"])}
            hint = did_you_mean(suggest(name, titles)) or ": run `recommender formula --all` to list the titles"
            raise NotFoundError(f'no show called "{name}" in the catalog{hint}')
        return found

    def find_trope(self, name: str) -> int:
        """Column of a trope named by id, name or alias."""
        found = _lookup(self["trope_keys"], self["trope_key_owner"], normalise(name))
        if found is None:
            ids = {str(k): self.trope_id(int(o)) for k, o in zip(self["trope_keys"], self["trope_key_owner"])}
            hint = did_you_mean(suggest(name, ids)) or ": run `recommender tropes` to list them"
            raise NotFoundError(f'no trope called "{name}"{hint}')
        return found

    def formula(self, formula_id: str) -> dict[str, Any]:
        for formula in self.meta["formulas"]:
            if formula["id"] == formula_id:
                return formula
        known = ", ".join(f["id"] for f in self.meta["formulas"]) or "none declared in tropes.yaml"
        raise NotFoundError(f'no formula called "{formula_id}" (known: {known})')


def _lookup(keys: np.ndarray, owners: np.ndarray, key: str) -> int | None:
    pos = int(np.searchsorted(keys, key))
    if pos < len(keys) and keys[pos] == key:
        return int(owners[pos])
    return None


def _sorted_keys(names: list[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Unique normalised names, sorted for binary search, with the row or column they name."""
    unique = dict(sorted((normalise(n), o) for n, o in reversed(names) if normalise(n)))
    keys = np.array(list(unique) or [""], dtype=str)
    order = np.argsort(keys, kind="stable")
    owners = np.array(list(unique.values()) or [0], dtype=np.int32)
    return keys[order], owners[order]


def _text(values: list[str]) -> np.ndarray:
    return np.array(values, dtype=str) if values else np.array([], dtype="U1")


def build_index(catalog: Catalog) -> Index:
    """Every array the commands need, from a validated catalog."""
    return build_from_shows(catalog.taxonomy, catalog.shows)


def build_from_shows(taxonomy: Taxonomy, shows: list[Show]) -> Index:
    column = {t.id: j for j, t in enumerate(taxonomy.tropes)}
    n, t = len(shows), len(taxonomy.tropes)
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(s.tropes) for s in shows])
    indices = np.fromiter((column[tid] for s in shows for tid in s.tropes), dtype=np.int32, count=int(indptr[-1]))
    raw = np.fromiter((w for s in shows for w in s.tropes.values()), dtype=np.float64, count=int(indptr[-1]))
    df = vectors.document_frequency(indices, t)
    col_indptr, col_rows, order = vectors.to_columns(indptr, indices, t)
    genres = sorted({g for s in shows for g in s.genres})
    genre_col = {g: j for j, g in enumerate(genres)}
    arrays: dict[str, np.ndarray] = {
        "show_title": _text([s.title for s in shows]),
        "show_path": _text([s.path for s in shows]),
        "show_network": _text([s.network for s in shows]),
        "show_year": np.array([s.year for s in shows], dtype=np.int32),
        "show_episodes": np.array([s.episodes for s in shows], dtype=np.int32),
        "genre_indptr": np.concatenate([[0], np.cumsum([len(s.genres) for s in shows])]).astype(np.int64),
        "genre_ids": np.array([genre_col[g] for s in shows for g in s.genres], dtype=np.int32),
        "trope_id": _text([tr.id for tr in taxonomy.tropes]),
        "trope_name": _text([tr.name for tr in taxonomy.tropes]),
        "trope_category": _text([tr.category for tr in taxonomy.tropes]),
        "trope_df": df,
        "indptr": indptr,
        "indices": indices,
        "raw": raw,
        "col_indptr": col_indptr,
        "col_rows": col_rows,
    }
    arrays["name_keys"], arrays["name_owner"] = _sorted_keys([(name, i) for i, s in enumerate(shows) for name in s.names()])
    arrays["trope_keys"], arrays["trope_key_owner"] = _sorted_keys(
        [(name, j) for j, tr in enumerate(taxonomy.tropes) for name in (tr.id, tr.name, *tr.aliases)]
    )
    for weighting in vectors.WEIGHTINGS:
        values = vectors.weigh(indptr, indices, raw, vectors.trope_weights(df, n, weighting))
        arrays[f"values_{weighting}"] = values
        arrays[f"col_values_{weighting}"] = values[order]
    formulas = []
    for formula in taxonomy.formulas.values():
        cols = np.array([column[tid] for tid in formula.weights], dtype=np.int32)
        weights = np.array(list(formula.weights.values()), dtype=np.float64)
        arrays[f"formula_{formula.id}_tropes"] = cols
        arrays[f"formula_{formula.id}_weights"] = weights
        arrays[f"formula_{formula.id}_scores"] = formula_scores(indptr, indices, raw, cols, weights, t)
        formulas.append({"id": formula.id, "name": formula.name, "description": formula.description})
    meta = {
        "version": FORMAT_VERSION,
        "n_shows": n,
        "n_tropes": t,
        "categories": taxonomy.categories,
        "genres": genres,
        "formulas": formulas,
    }
    return Index(arrays, meta)


def formula_scores(
    indptr: np.ndarray, indices: np.ndarray, raw: np.ndarray, cols: np.ndarray, weights: np.ndarray, n_tropes: int
) -> np.ndarray:
    """100 x sum(formula weight x show weight) / sum(formula weights), for every show."""
    per_trope = np.zeros(n_tropes)
    per_trope[cols] = weights
    rows = vectors.row_ids(indptr)
    return 100.0 * np.bincount(rows, weights=per_trope[indices] * raw, minlength=len(indptr) - 1) / weights.sum()
