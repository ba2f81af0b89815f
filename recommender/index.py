"""The index: everything the query commands need, as flat numpy arrays.

It is built from a parsed Catalog (`build_index`) and can be saved and memory-mapped back by
`recommender.cache`, so a warm query reads only the pages it touches. Shows are rows in
catalog file order; tropes are columns in tropes.yaml order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recommender import vectors
from recommender.catalog import Catalog, Problem, Show, Taxonomy, name_collisions
from recommender.errors import NotFoundError
from recommender.text import did_you_mean, normalise, suggest

FORMAT_VERSION = 3


@dataclass
class Index:
    """Flat arrays (see `build_index` for their names) plus small JSON-able metadata."""

    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]
    _multipliers: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

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
        cols = self["indices"][start:end]
        return cols, self["raw"][start:end] * self.idf(weighting)[cols] / self[f"norm_{weighting}"][show]

    def raw_row(self, show: int) -> dict[int, float]:
        """A show's trope columns and the weights written in its YAML file."""
        start, end = self["indptr"][show], self["indptr"][show + 1]
        return dict(zip(self["indices"][start:end].tolist(), self["raw"][start:end].tolist()))

    def column(self, trope: int, weighting: str = "idf") -> tuple[np.ndarray, np.ndarray]:
        """The shows that have a trope and their weighted, normalised values for it."""
        start, end = self["col_indptr"][trope], self["col_indptr"][trope + 1]
        rows = self["col_rows"][start:end]
        return rows, self["raw"][self["col_pos"][start:end]] * self.idf(weighting)[trope] / self[f"norm_{weighting}"][rows]

    def title(self, show: int) -> str:
        return str(self["show_title"][show])

    def trope_id(self, trope: int) -> str:
        return str(self["trope_id"][trope])

    def trope_name(self, trope: int) -> str:
        return str(self["trope_name"][trope])

    def idf(self, weighting: str = "idf") -> np.ndarray:
        """The per-trope multiplier of a weighting (computed once an index)."""
        if weighting not in self._multipliers:
            self._multipliers[weighting] = vectors.trope_weights(self["trope_df"], self.n_shows, weighting)
        return self._multipliers[weighting]

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

    def aliases(self, trope: int) -> list[str]:
        start, end = self["alias_indptr"][trope], self["alias_indptr"][trope + 1]
        return self["alias_text"][start:end].tolist()

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


def _text(values: list[str]) -> np.ndarray:
    return np.array(values, dtype=str) if values else np.array([], dtype="U1")


# Per-show arrays: one value a show, or a CSR group (pointer array -> value arrays).
ROW_FIELDS = ("show_title", "show_path", "show_network", "show_year", "show_episodes", "file_mtime", "file_size")
CSR_GROUPS = {"indptr": ("indices", "raw"), "genre_indptr": ("genre_text",), "name_indptr": ("name_text",)}


def _pointer(lengths: list[int] | np.ndarray) -> np.ndarray:
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return indptr


def encode(column: dict[str, int], shows: list[Show], stats: dict[str, tuple[int, int]] | None = None) -> dict[str, np.ndarray]:
    """The per-show arrays of parsed shows; `column` maps trope ids to columns, `stats` a file to its (mtime_ns, size)."""
    stats = stats or {}
    names = [list(dict.fromkeys(k for k in map(normalise, s.names()) if k)) for s in shows]
    return {
        "show_title": _text([s.title for s in shows]),
        "show_path": _text([s.path for s in shows]),
        "show_network": _text([s.network for s in shows]),
        "show_year": np.array([s.year for s in shows], dtype=np.int32),
        "show_episodes": np.array([s.episodes for s in shows], dtype=np.int32),
        "file_mtime": np.array([stats.get(s.path, (0, 0))[0] for s in shows], dtype=np.int64),
        "file_size": np.array([stats.get(s.path, (0, 0))[1] for s in shows], dtype=np.int64),
        "indptr": _pointer([len(s.tropes) for s in shows]),
        "indices": np.array([column[t] for s in shows for t in s.tropes], dtype=np.int32),
        "raw": np.array([w for s in shows for w in s.tropes.values()], dtype=np.float64),
        "genre_indptr": _pointer([len(s.genres) for s in shows]),
        "genre_text": _text([g for s in shows for g in s.genres]),
        "name_indptr": _pointer([len(n) for n in names]),
        "name_text": _text([k for n in names for k in n]),
    }


def select(encoded: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    """The per-show arrays of the given rows, in that order."""
    out = {name: encoded[name][rows] for name in ROW_FIELDS}
    for pointer, fields in CSR_GROUPS.items():
        indptr = encoded[pointer]
        lengths = np.diff(indptr)[rows]
        out[pointer] = _pointer(lengths)
        positions = np.repeat(indptr[:-1][rows] - out[pointer][:-1], lengths) + np.arange(out[pointer][-1])
        out.update({f: encoded[f][positions] for f in fields})
    return out


def concat(first: dict[str, np.ndarray], second: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per-show arrays of two sets of shows, one after the other."""
    out = {name: np.concatenate([first[name], second[name]]) for name in ROW_FIELDS}
    for pointer, fields in CSR_GROUPS.items():
        out[pointer] = np.concatenate([first[pointer], second[pointer][1:] + first[pointer][-1]])
        out.update({f: np.concatenate([first[f], second[f]]) for f in fields})
    return out


def name_problems(encoded: dict[str, np.ndarray]) -> list[Problem]:
    """Two shows that one title, alias, Korean title or slug would name (found with a sort, reported like validate does)."""
    keys, owners = encoded["name_text"], vectors.row_ids(encoded["name_indptr"])
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order]
    clash = np.flatnonzero((keys[1:] == keys[:-1]) & (owners[1:] != owners[:-1]))
    if not len(clash):
        return []
    rows = np.unique(np.concatenate([owners[clash], owners[clash + 1]]))
    paths = encoded["show_path"]
    mine = np.isin(owners, rows)
    pairs = sorted((str(paths[o]), str(k)) for k, o in zip(keys[mine], owners[mine]))  # in file order, as validate reports
    return name_collisions((k, p) for p, k in pairs)


def _sorted_keys(keys: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keys sorted for binary search (first owner wins), with the row or column each names."""
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return keys[first], owners[first].astype(np.int32)


def build_index(catalog: Catalog) -> Index:
    """The index of a validated catalog."""
    columns = {t.id: j for j, t in enumerate(catalog.taxonomy.tropes)}
    return derive(describe_taxonomy(catalog.taxonomy), encode(columns, catalog.shows))


TaxonomyArrays = tuple[dict[str, np.ndarray], dict[str, Any]]


def describe_taxonomy(taxonomy: Taxonomy) -> TaxonomyArrays:
    """The taxonomy as index arrays and metadata (kept in the index, so an unchanged tropes.yaml is not parsed again)."""
    arrays = {
        "trope_id": _text([tr.id for tr in taxonomy.tropes]),
        "trope_name": _text([tr.name for tr in taxonomy.tropes]),
        "trope_category": _text([tr.category for tr in taxonomy.tropes]),
        "trope_description": _text([tr.description for tr in taxonomy.tropes]),
        "alias_indptr": _pointer([len(tr.aliases) for tr in taxonomy.tropes]),
        "alias_text": _text([a for tr in taxonomy.tropes for a in tr.aliases]),
    }
    trope_names = [(normalise(name), j) for j, tr in enumerate(taxonomy.tropes) for name in (tr.id, tr.name, *tr.aliases)]
    arrays["trope_keys"], arrays["trope_key_owner"] = _sorted_keys(
        _text([k for k, _ in trope_names]), np.array([j for _, j in trope_names], dtype=np.int32)
    )
    column = {tr.id: j for j, tr in enumerate(taxonomy.tropes)}
    formulas = []
    for formula in taxonomy.formulas.values():
        arrays[f"formula_{formula.id}_tropes"] = np.array([column[tid] for tid in formula.weights], dtype=np.int32)
        arrays[f"formula_{formula.id}_weights"] = np.array(list(formula.weights.values()), dtype=np.float64)
        formulas.append({"id": formula.id, "name": formula.name, "description": formula.description})
    return arrays, {"categories": taxonomy.categories, "formulas": formulas}


def taxonomy_of(index: Index) -> TaxonomyArrays:
    """The taxonomy arrays and metadata an index was built with."""
    names = ("trope_id", "trope_name", "trope_category", "trope_description", "alias_indptr", "alias_text", "trope_keys", "trope_key_owner")
    formulas = [f"formula_{f['id']}_{part}" for f in index.meta["formulas"] for part in ("tropes", "weights")]
    return {k: index[k] for k in (*names, *formulas)}, {"categories": index.meta["categories"], "formulas": index.meta["formulas"]}


def derive(taxonomy: TaxonomyArrays, encoded: dict[str, np.ndarray], extra_meta: dict[str, Any] | None = None) -> Index:
    """Every array the commands need, from the taxonomy and the per-show arrays (in catalog order)."""
    trope_arrays, trope_meta = taxonomy
    n, t = len(encoded["show_path"]), len(trope_arrays["trope_id"])
    indptr, indices, raw = encoded["indptr"], encoded["indices"], encoded["raw"]
    df = vectors.document_frequency(indices, t)
    col_indptr, col_rows, order = vectors.to_columns(indptr, indices, t)
    arrays = {**encoded, **trope_arrays, "trope_df": df, "col_indptr": col_indptr, "col_rows": col_rows, "col_pos": order}
    arrays["name_keys"], arrays["name_owner"] = _sorted_keys(encoded["name_text"], vectors.row_ids(encoded["name_indptr"]))
    for weighting in vectors.WEIGHTINGS:
        arrays[f"norm_{weighting}"] = vectors.row_norms(indptr, indices, raw, vectors.trope_weights(df, n, weighting))
    for formula in trope_meta["formulas"]:
        cols, weights = arrays[f"formula_{formula['id']}_tropes"], arrays[f"formula_{formula['id']}_weights"]
        arrays[f"formula_{formula['id']}_scores"] = formula_scores(indptr, indices, raw, cols, weights, t)
    meta = {"version": FORMAT_VERSION, "n_shows": n, "n_tropes": t, **trope_meta, **(extra_meta or {})}
    return Index(arrays, meta)


def formula_scores(
    indptr: np.ndarray, indices: np.ndarray, raw: np.ndarray, cols: np.ndarray, weights: np.ndarray, n_tropes: int
) -> np.ndarray:
    """100 x sum(formula weight x show weight) / sum(formula weights), for every show."""
    per_trope = np.zeros(n_tropes)
    per_trope[cols] = weights
    rows = vectors.row_ids(indptr)
    return 100.0 * np.bincount(rows, weights=per_trope[indices] * raw, minlength=len(indptr) - 1) / weights.sum()
