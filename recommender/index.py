"""The index, read side: everything the commands need, as flat numpy arrays with named accessors.

Shows are rows in catalog file order; tropes are columns in tropes.yaml order. The arrays are
built by `recommender.build` and may be memory-mapped from the cache (`recommender.cache`),
so a warm answer reads only the pages it touches. Text is stored compactly, as one UTF-8
blob and byte offsets a column (see `TextColumn`), never as fixed-width arrays: a single long
title costs its own length, not its length times the number of shows.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recommender import vectors
from recommender.errors import NotFoundError
from recommender.text import clip, did_you_mean, normalise, suggest
from recommender.vectors import Weighting

FORMAT_VERSION = 12
REQUIRED_ARRAYS = (  # a stored index without one of these was written by other code: it is rebuilt
    "indptr",
    "indices",
    "raw",
    "col_indptr",
    "franchise_group",
    "trope_words.off",
    "trope_phrases.off",
    "label_genres.off",
    "label_networks.off",
    "show_writer.ptr",
    "show_director_keys.ptr",
)
FACT_FIELDS = (
    "native_title",
    "mydramalist",
    "synopsis",
    "franchise",
    "aliases",
    "lead_cast",
    "writer",
    "director",
)
FACT_LISTS = {"aliases", "lead_cast", "writer", "director"}
FIELD_SEP, ITEM_SEP = (
    "\x1f",
    "\x1e",
)  # unit and record separators: control characters, so never in catalog text
MAX_NAME = 300  # characters: a longer title or trope name is never in the catalog (see catalog.MAX_TEXT)


class TextColumn(Sequence[str]):
    """Strings stored as one UTF-8 blob (`data`, uint8), each followed by a NUL, and n + 1 byte offsets.

    String i is `data[offsets[i] : offsets[i + 1] - 1]`. Catalog text holds no NUL (control
    characters are refused), so the whole column decodes at once with one `split`.
    """

    def __init__(self, offsets: np.ndarray, data: np.ndarray) -> None:
        self.offsets = offsets
        self.data = data

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        start, end = int(self.offsets[i]), int(self.offsets[i + 1]) - 1
        return self.data[start:end].tobytes().decode("utf-8")

    def tolist(self) -> list[str]:
        if len(self) == 0:
            return []
        return self.data[:-1].tobytes().decode("utf-8").split("\0")


def _find(keys: TextColumn, owners: np.ndarray, key: str) -> int | None:
    pos = bisect.bisect_left(keys, key)
    if pos < len(keys) and keys[pos] == key:
        return int(owners[pos])
    return None


@dataclass
class Index:
    """Flat arrays (named in `recommender.build`) plus small JSON-able metadata."""

    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def text(self, name: str) -> TextColumn:
        """A text column: `show_title`, `trope_id`, ... (or the items of a list such as `show_genres`)."""
        if name not in self._cache:
            self._cache[name] = TextColumn(self.arrays[f"{name}.off"], self.arrays[f"{name}.bytes"])
        return self._cache[name]

    def items(self, name: str, row: int) -> list[str]:
        """The items of a list field (`show_genres`, `show_aliases`, `trope_aliases`...) of one row."""
        pointer = self.arrays[f"{name}.ptr"]
        return self.text(name)[int(pointer[row]) : int(pointer[row + 1])]

    def item_owners(self, name: str) -> tuple[np.ndarray, list[str]]:
        """Every item of a list field with the row it belongs to."""
        return vectors.row_ids(self.arrays[f"{name}.ptr"]), self.text(name).tolist()

    def item_keys(self, name: str) -> list[str]:
        """The normalised keys of a list field's items (genres, cast, writer, director), one for one."""
        return self.text(f"{name}_keys").tolist()

    # --- sizes and per-show facts ----------------------------------------------

    @property
    def n_shows(self) -> int:
        return int(self.meta["n_shows"])

    @property
    def n_tropes(self) -> int:
        return int(self.meta["n_tropes"])

    @property
    def years(self) -> np.ndarray:
        return self.arrays["show_year"]

    @property
    def episodes(self) -> np.ndarray:
        return self.arrays["show_episodes"]

    @property
    def minutes(self) -> np.ndarray:
        """Typical minutes an episode (0 where the file does not say)."""
        return self.arrays["show_minutes"]

    @property
    def paths(self) -> TextColumn:
        return self.text("show_path")

    @property
    def skipped(self) -> list[str]:
        """Files and folders under shows/ that were not read (symlink loops, FIFOs...), as messages."""
        return list(self.meta.get("skipped", []))

    def show_id(self, show: int) -> str:
        """A show's stable id: its file's slug (the file name without .yaml)."""
        return self.paths[show].rsplit("/", 1)[-1].rsplit(".", 1)[0]

    def title(self, show: int) -> str:
        return self.text("show_title")[show]

    def network(self, show: int) -> str:
        return self.text("show_network")[show]

    def facts(self, show: int) -> dict[str, str | list[str]]:
        """The facts only `show` displays (Korean title, link, synopsis, franchise, aliases, cast, writer, director).

        They are one record a show, so that an incremental build moves one text column, not eight.
        """
        values = self.text("show_facts")[show].split(FIELD_SEP)
        return {
            name: ([v for v in value.split(ITEM_SEP) if v] if name in FACT_LISTS else value)
            for name, value in zip(FACT_FIELDS, values)
        }

    # --- tropes ----------------------------------------------------------------

    @property
    def trope_df(self) -> np.ndarray:
        """How many shows have each trope."""
        return self.arrays["trope_df"]

    def trope_id(self, trope: int) -> str:
        return self.text("trope_id")[trope]

    def trope_name(self, trope: int) -> str:
        return self.text("trope_name")[trope]

    def trope_category(self, trope: int) -> str:
        """The category's display name."""
        return str(self.meta["categories"].get(self.text("trope_category")[trope], ""))

    def trope_description(self, trope: int) -> str:
        return self.text("trope_description")[trope]

    def aliases(self, trope: int) -> list[str]:
        return self.items("trope_aliases", trope)

    @property
    def categories(self) -> dict[str, str]:
        return dict(self.meta["categories"])

    # --- vectors ---------------------------------------------------------------

    def idf(self, weighting: Weighting = "idf") -> np.ndarray:
        """The per-trope multiplier of a weighting (computed once an index)."""
        key = f"multiplier:{weighting}"
        if key not in self._cache:
            categories = self.text("trope_category").tolist()
            self._cache[key] = vectors.trope_weights(self.trope_df, self.n_shows, weighting, categories)
        return self._cache[key]

    def norms(self, weighting: Weighting) -> np.ndarray:
        """Each row's L2 norm under a weighting (stored at build; computed once here for one that is not)."""
        name = f"norm_{weighting}"
        if name not in self.arrays:
            a = self.arrays
            a[name] = vectors.row_norms(
                a["indptr"], a["indices"], vectors.powered(a["raw"], weighting), self.idf(weighting)
            )
        return self.arrays[name]

    def row(self, show: int, weighting: Weighting = "idf") -> tuple[np.ndarray, np.ndarray]:
        """A show's trope columns and their weighted, normalised values."""
        start, end = self.arrays["indptr"][show], self.arrays["indptr"][show + 1]
        cols = self.arrays["indices"][start:end]
        values = vectors.powered(self.arrays["raw"][start:end], weighting)
        return cols, values * self.idf(weighting)[cols] / self.norms(weighting)[show]

    def raw_row(self, show: int) -> dict[int, float]:
        """A show's trope columns and the weights written in its YAML file."""
        start, end = self.arrays["indptr"][show], self.arrays["indptr"][show + 1]
        return dict(zip(self.arrays["indices"][start:end].tolist(), self.arrays["raw"][start:end].tolist()))

    def column(self, trope: int, weighting: Weighting = "idf") -> tuple[np.ndarray, np.ndarray]:
        """The shows that have a trope and their weighted, normalised values for it."""
        start, end = self.arrays["col_indptr"][trope], self.arrays["col_indptr"][trope + 1]
        rows = self.arrays["col_rows"][start:end]
        values = vectors.powered(self.arrays["raw"][self.arrays["col_pos"][start:end]], weighting)
        return rows, values * self.idf(weighting)[trope] / self.norms(weighting)[rows]

    def shows_with(self, trope: int) -> np.ndarray:
        """Rows of the shows that have a trope, at any weight."""
        start, end = self.arrays["col_indptr"][trope], self.arrays["col_indptr"][trope + 1]
        return self.arrays["col_rows"][start:end]

    # --- formulas --------------------------------------------------------------

    @property
    def formulas(self) -> list[dict[str, Any]]:
        """Each formula's id, name and description, in tropes.yaml order."""
        return list(self.meta["formulas"])

    def formula(self, formula_id: str) -> dict[str, Any]:
        for formula in self.meta["formulas"]:
            if formula["id"] == formula_id:
                return dict(formula)
        known = ", ".join(f["id"] for f in self.meta["formulas"]) or "none declared in tropes.yaml"
        raise NotFoundError(f'no formula called "{clip(formula_id)}" (known: {known})')

    def formula_beats(self, formula_id: str) -> tuple[np.ndarray, np.ndarray]:
        """A formula's trope columns and its weights for them."""
        self.formula(formula_id)
        return self.arrays[f"formula.{formula_id}.tropes"], self.arrays[f"formula.{formula_id}.weights"]

    def formula_applies(self, formula_id: str) -> np.ndarray:
        """Which shows a formula is for (its `applies` rule in tropes.yaml)."""
        self.formula(formula_id)
        return self.arrays[f"formula.{formula_id}.applies"]

    def formula_scores(self, formula_id: str) -> np.ndarray:
        """Every show's score on a formula (see `recommender.formula`)."""
        self.formula(formula_id)
        return self.arrays[f"formula.{formula_id}.scores"]

    # --- lookups ---------------------------------------------------------------

    def _lookup(self, kind: str, name: str) -> int | None:
        if len(name) > MAX_NAME:
            return None
        return _find(self.text(f"{kind}_keys"), self.arrays[f"{kind}_owner"], normalise(name))

    def lookup_show(self, name: str) -> int | None:
        """Row of a show named by title, alias, Korean title or slug, or None."""
        return self._lookup("name", name)

    def tropes_with_words(self, key: str) -> list[int]:
        """Columns of the tropes with an id, name or alias whose word key (`phrases.key_text`) is `key`."""
        keys, owners = self.text("trope_words"), self.arrays["trope_words_owner"]
        pos = bisect.bisect_left(keys, key)
        found = []
        while pos < len(keys) and keys[pos] == key:
            found.append(int(owners[pos]))
            pos += 1
        return found

    def lookup_trope(self, name: str) -> int | None:
        """Column of a trope named by id, name or alias, or None."""
        return self._lookup("trope", name)

    def _close_names(self, kind: str, name: str, shown: Callable[[int], str]) -> str:
        """' (did you mean ...?)' from the keys of one lookup table, or ''."""
        if len(name) > MAX_NAME:
            return ""
        keys, owners = self.text(f"{kind}_keys").tolist(), self.arrays[f"{kind}_owner"].tolist()
        return did_you_mean(suggest(name, {k: shown(o) for k, o in zip(keys, owners)}))

    def find_show(self, name: str) -> int:
        """Row of a show named by title, alias, Korean title or slug, in any case or punctuation."""
        found = self.lookup_show(name)
        if found is None:
            hint = ""
            if len(name) <= MAX_NAME:
                from recommender import phrases

                reading = phrases.read_phrase(self, name)
                if isinstance(reading, list):
                    ids = ", ".join(map(self.trope_id, reading))
                    named = "is a trope" if len(reading) == 1 else f"names the tropes {ids}"
                    hint = f' ("{clip(name)}" {named}: try `recommender query "{clip(name)}"`)'
            hint = hint or self._close_names("name", name, self.title)
            raise NotFoundError(f'no show called "{clip(name)}" in the catalog{hint}')
        return found

    def find_trope(self, name: str) -> int:
        """Column of a trope named by id, name or alias, or by fans' words for one (see `recommender.phrases`)."""
        found = self.lookup_trope(name)
        if found is not None:
            return found
        from recommender import phrases

        found = phrases.resolve(self, name) if len(name) <= MAX_NAME else None
        if found is None:
            raise phrases.not_found(self, name)
        return found

    def close_tropes(self, name: str) -> str:
        """' (did you mean ...?)' for a close spelling of a trope's id, name or alias, or ''."""
        return self._close_names("trope", name, self.trope_id)
