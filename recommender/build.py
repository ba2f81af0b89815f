"""The index, build side: the one path from a catalog folder to an `Index`, used by the cache and the tests.

`build(root, previous)` scans the folder, parses tropes.yaml (or reuses `previous`'s taxonomy
when the file is unchanged) and every show file whose stat differs from what `previous`
recorded, checks that no two shows share a name, and derives the arrays the commands read.
`collect` does the same but returns every problem instead of raising the first, for
`recommender validate`.

Array names (all flat numpy arrays; a text column `x` is `x.off` byte offsets + `x.bytes`,
a list field `x` adds `x.ptr`, each row's first item):
- per show: `show_year`, `show_episodes`, `show_minutes`, `show_stat` (mtime_ns, size,
  inode, ctime_ns of its file), texts `show_title`, `show_path`, `show_network`, lists
  `show_genres`, `show_names` (its normalised lookup keys), `show_short_names`,
  `show_lead_cast`, `show_writer` and `show_director` (genres, cast, writer and director each
  with `<name>_keys`: its items normalised, one for one), the display-only facts as one
  record a show (`show_facts`, see `Index.facts`), trope weights as CSR `indptr`, `indices`,
  `raw`;
- per trope: texts `trope_id`, `trope_name`, `trope_category`, `trope_description`, list
  `trope_aliases`, `trope_df`, the inverted lists `col_indptr`, `col_rows`, `col_pos`;
- lookups: sorted texts `name_keys`, `trope_keys` with `name_owner`, `trope_owner`;
- `norm_<weighting>` row norms, `formula.<id>.tropes|weights|scores`.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from recommender import phrases, vectors
from recommender.catalog import (
    EMPTY_CATALOG,
    Problem,
    ScannedFile,
    Show,
    Taxonomy,
    parse_show,
    parse_taxonomy,
    raise_problems,
    scan,
)
from recommender.filestat import file_stat, racy, stat_array
from recommender.index import FACT_FIELDS, FIELD_SEP, FORMAT_VERSION, ITEM_SEP, Index, TextColumn
from recommender.text import did_you_mean, normalise, suggest

Progress = Callable[[Iterable[Any], int], Iterable[Any]]
Arrays = dict[str, np.ndarray]

SHOW_TEXTS = ("title", "path", "network", "franchise")
SHOW_LISTS = ("genres", "names", "short_names", "lead_cast", "writer", "director")
KEYED_LISTS = ("genres", "lead_cast", "writer", "director")  # also stored normalised: `<name>_keys`
SHOW_NUMBERS = {
    "show_year": np.int32,
    "show_episodes": np.int32,
    "show_minutes": np.int32,
    "show_stat": np.int64,
}
TAXONOMY_TEXTS = (
    "trope_id",
    "trope_name",
    "trope_category",
    "trope_description",
    "trope_aliases",
    "trope_keys",
    "trope_phrases",
    "trope_phrase_tropes",
    "trope_words",
)


# --- text and CSR helpers -------------------------------------------------------


def _pointer(lengths: Iterable[int] | np.ndarray) -> np.ndarray:
    lengths = np.fromiter(lengths, dtype=np.int64) if not isinstance(lengths, np.ndarray) else lengths
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return indptr


def encode_text(name: str, values: list[str]) -> Arrays:
    """A text column as one UTF-8 blob, each value followed by a NUL, and byte offsets (see `TextColumn`)."""
    blob = "".join(f"{v}\0" for v in values).encode("utf-8")
    lengths = np.fromiter((len(v.encode("utf-8")) + 1 for v in values), dtype=np.int64, count=len(values))
    return {f"{name}.off": _pointer(lengths), f"{name}.bytes": np.frombuffer(blob, dtype=np.uint8).copy()}


def encode_list(name: str, lists: list[list[str]] | list[tuple[str, ...]]) -> Arrays:
    """A list field: each row's first item (`.ptr`) and the items as a text column."""
    return {
        f"{name}.ptr": _pointer(len(items) for items in lists),
        **encode_text(name, [i for items in lists for i in items]),
    }


def per_show(arrays: Arrays) -> Arrays:
    """The per-show arrays of an index (what `encode` makes), without the taxonomy and derived arrays."""
    return {k: v for k, v in arrays.items() if k.startswith("show_") or k in ("indptr", "indices", "raw")}


def _groups(arrays: Arrays) -> dict[str, list[str]]:
    """Each pointer array of a per-show encoding and the arrays it points into."""
    groups: dict[str, list[str]] = {"indptr": ["indices", "raw"]}
    for name in arrays:
        if name.endswith(".ptr"):
            groups[name] = [name[:-4] + ".off"]
        elif name.endswith(".off"):
            groups[name] = [name[:-4] + ".bytes"]
    return groups


def _take(pointer: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pointer of the given rows of a CSR group, and the positions of their values."""
    lengths = np.diff(pointer)[rows]
    new = _pointer(lengths)
    return new, np.repeat(pointer[:-1][rows] - new[:-1], lengths) + np.arange(new[-1])


Runs = list[tuple[int, int]]  # half-open ranges of rows (or of values)
MAX_RUNS = 64  # fewer contiguous runs than this: copy slices instead of gathering positions


def runs_of(rows: np.ndarray) -> Runs:
    """`rows` as half-open ranges of consecutive values ([3, 4, 5, 9] -> [(3, 6), (9, 10)])."""
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    starts, ends = np.r_[0, breaks], np.r_[breaks, len(rows)]
    return [(int(rows[s]), int(rows[e - 1]) + 1) for s, e in zip(starts, ends)]


def select(encoded: Arrays, rows: np.ndarray) -> Arrays:
    """The per-show arrays of the given rows, in that order.

    When the rows are a few long runs (an incremental build: old rows in order, a few new ones),
    every array is copied as slices, run by run; otherwise values are gathered by position.
    """
    groups = _groups(encoded)
    inner = {v for values in groups.values() for v in values}
    out = {name: encoded[name][rows] for name in SHOW_NUMBERS}
    runs = runs_of(rows) if len(rows) else []

    def take(pointer: str, wanted: np.ndarray) -> None:
        out[pointer], positions = _take(encoded[pointer], wanted)
        for value in groups[pointer]:
            if value in groups:
                take(value, positions)
            else:
                out[value] = encoded[value][positions]

    def take_runs(pointer: str, wanted: Runs) -> None:
        ptr = encoded[pointer]
        out[pointer] = _pointer(np.concatenate([np.diff(ptr[s : e + 1]) for s, e in wanted]))
        values = [(int(ptr[s]), int(ptr[e])) for s, e in wanted]
        for value in groups[pointer]:
            if value in groups:
                take_runs(value, values)
            else:
                out[value] = np.concatenate([encoded[value][s:e] for s, e in values])

    for pointer in groups:
        if pointer not in inner:
            if 0 < len(runs) <= MAX_RUNS:
                take_runs(pointer, runs)
            else:
                take(pointer, rows)
    return out


def concat(first: Arrays, second: Arrays) -> Arrays:
    """Per-show arrays of two sets of shows, one after the other."""
    groups = _groups(first)
    return {
        name: np.concatenate(
            [first[name], second[name][1:] + first[name][-1]]
            if name in groups
            else [first[name], second[name]]
        )
        for name in first
    }


def encode(
    columns: dict[str, int], shows: list[Show], stats: dict[str, tuple[int, int, int, int]] | None = None
) -> Arrays:
    """The per-show arrays of parsed shows; `columns` maps trope ids to columns, `stats` a file to its stat."""
    stats = stats or {}
    arrays: Arrays = {
        "show_year": np.array([s.year for s in shows], dtype=np.int32),
        "show_episodes": np.array([s.episodes for s in shows], dtype=np.int32),
        "show_minutes": np.array([s.episode_minutes for s in shows], dtype=np.int32),
        "show_stat": stat_array([stats.get(s.path, (0, 0, 0, 0)) for s in shows]),
        "indptr": _pointer(len(s.tropes) for s in shows),
        "indices": np.array([columns[t] for s in shows for t in s.tropes], dtype=np.int32),
        "raw": np.array([w for s in shows for w in s.tropes.values()], dtype=np.float64),
    }
    for name in SHOW_TEXTS:
        arrays.update(encode_text(f"show_{name}", [getattr(s, name) for s in shows]))
    arrays.update(encode_text("show_facts", [encode_facts(s) for s in shows]))
    for name in SHOW_LISTS:
        if name in ("names", "short_names"):
            lists = [list(dict.fromkeys(k for k in map(normalise, getattr(s, name)()) if k)) for s in shows]
        else:
            lists = [getattr(s, name) for s in shows]
        arrays.update(encode_list(f"show_{name}", lists))
        if name in KEYED_LISTS:
            keys = [[normalise(item) for item in items] for items in lists]
            arrays.update(encode_list(f"show_{name}_keys", keys))
    return arrays


def encode_facts(show: Show) -> str:
    """The facts only `show` displays, as one record (fields split by US, list items by RS: see `Index.facts`)."""
    return FIELD_SEP.join(
        ITEM_SEP.join(value) if isinstance(value, tuple) else str(value)
        for value in (getattr(show, name) for name in FACT_FIELDS)
    )


# --- the taxonomy ---------------------------------------------------------------

TaxonomyArrays = tuple[Arrays, dict[str, Any]]


NUMPY_SORT_MAX_CHARS = (
    40  # keys this short sort as a numpy array (4 bytes a character); longer ones in Python
)


def _sort_order(keys: list[str]) -> np.ndarray:
    """The stable sorting order of `keys` (code point order, as Python compares strings)."""
    if not keys:
        return np.zeros(0, dtype=np.int64)
    if max(map(len, keys)) <= NUMPY_SORT_MAX_CHARS:
        return np.argsort(np.array(keys), kind="stable")
    return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)


def _sorted_keys(
    keys: list[str], owners: list[int], order: np.ndarray | None = None
) -> tuple[list[str], np.ndarray]:
    """Keys sorted for binary search (the first owner wins a key), with the row or column each names.

    `order` is `_sort_order(keys)` when the caller has it already.
    """
    order_list = (_sort_order(keys) if order is None else order).tolist()
    kept: list[str] = []
    owner: list[int] = []
    for i in order_list:
        if not kept or kept[-1] != keys[i]:
            kept.append(keys[i])
            owner.append(owners[i])
    return kept, np.array(owner, dtype=np.int32)


def describe_taxonomy(taxonomy: Taxonomy) -> TaxonomyArrays:
    """The taxonomy as index arrays and metadata (kept in the index, so an unchanged tropes.yaml is not parsed again)."""
    tropes = taxonomy.tropes
    arrays: Arrays = {}
    for name, values in (
        ("trope_id", [t.id for t in tropes]),
        ("trope_name", [t.name for t in tropes]),
        ("trope_category", [t.category for t in tropes]),
        ("trope_description", [t.description for t in tropes]),
    ):
        arrays.update(encode_text(name, values))
    arrays.update(encode_list("trope_aliases", [t.aliases for t in tropes]))
    pairs = [(normalise(name), j) for j, t in enumerate(tropes) for name in (t.id, t.name, *t.aliases)]
    keys, owners = _sorted_keys([k for k, _ in pairs], [j for _, j in pairs])
    arrays.update(encode_text("trope_keys", keys))
    arrays["trope_owner"] = owners
    spelled = [
        (phrases.key_text(name), j)
        for j, t in enumerate(tropes)
        for name in (t.id.replace("-", " "), t.name, *t.aliases)
    ]
    by_words = sorted({(k, j) for k, j in spelled if k})
    arrays.update(encode_text("trope_words", [k for k, _ in by_words]))
    arrays["trope_words_owner"] = np.array([j for _, j in by_words], dtype=np.int32)
    arrays.update(encode_text("trope_phrases", list(taxonomy.phrases)))
    arrays.update(encode_list("trope_phrase_tropes", list(taxonomy.phrases.values())))
    column = {t.id: j for j, t in enumerate(tropes)}
    formulas = []
    for formula in taxonomy.formulas.values():
        arrays[f"formula.{formula.id}.tropes"] = np.array(
            [column[tid] for tid in formula.weights], dtype=np.int32
        )
        arrays[f"formula.{formula.id}.weights"] = np.array(list(formula.weights.values()), dtype=np.float64)
        formulas.append(
            {
                "id": formula.id,
                "name": formula.name,
                "description": formula.description,
                "genres": list(formula.genres),
                "tropes": list(formula.tropes),
                "unless": list(formula.unless),
            }
        )
    return arrays, {"categories": taxonomy.categories, "formulas": formulas}


def taxonomy_of(index: Index) -> TaxonomyArrays:
    """The taxonomy arrays and metadata an index was built with."""
    names = [
        n for n in index.arrays if n.startswith(TAXONOMY_TEXTS) or n in ("trope_owner", "trope_words_owner")
    ]
    formulas = [
        n for n in index.arrays if n.startswith("formula.") and not n.endswith((".scores", ".applies"))
    ]
    return {k: index.arrays[k] for k in (*names, *formulas)}, {
        "categories": index.meta["categories"],
        "formulas": index.meta["formulas"],
    }


# --- deriving the index -----------------------------------------------------------


NAME_ARRAYS = tuple(f"show_{f}.{p}" for f in ("names", "short_names") for p in ("ptr", "off", "bytes"))
LOOKUP_ARRAYS = ("name_keys.off", "name_keys.bytes", "name_owner")
Names = tuple[list[str], list[int]]  # normalised lookup keys and the row each belongs to


def show_names(encoded: Arrays, field: str = "show_names") -> Names:
    return _texts(encoded, field), vectors.row_ids(encoded[f"{field}.ptr"]).tolist()


def name_problems(names: Names, order: np.ndarray, paths: list[str]) -> list[Problem]:
    """Two shows that one title, alias, Korean title or slug would name, reported in file order.

    `order` is `_sort_order` of the keys: a clash shows as equal neighbours with different owners.
    """
    keys, owners = names
    sorted_keys, sorted_owners = [keys[i] for i in order.tolist()], np.array(owners, dtype=np.int64)[order]
    same = np.array([a == b for a, b in itertools.pairwise(sorted_keys)], dtype=bool)
    if not (same & (sorted_owners[1:] != sorted_owners[:-1])).any():
        return []  # the common case, found with one sort; the rest only runs to report clashes
    first: dict[str, int] = {}
    clashes: list[tuple[int, str, int]] = []
    for key, owner in zip(*names):
        other = first.setdefault(key, owner)
        if other != owner:
            clashes.append((owner, key, other))
    return [
        Problem(
            paths[owner], f"'{key}' also names {paths[other]}: make titles, aliases and slugs unique", "title"
        )
        for owner, key, other in sorted(clashes)
    ]


def franchise_groups(encoded: Arrays) -> tuple[np.ndarray, list[Problem]]:
    """Each show's franchise as the row of its first show (its own row when it has none), and bad `franchise:` values."""
    franchise = _texts(encoded, "show_franchise")
    group = np.arange(len(franchise), dtype=np.int32)
    if not any(franchise):
        return group, []
    paths = _texts(encoded, "show_path")
    slugs = {Path(path).stem: row for row, path in enumerate(paths)}
    problems = []
    for row, head in enumerate(franchise):
        target = slugs.get(head) if head else row
        if target is None:
            hint = did_you_mean(suggest(head, {s: s for s in slugs}))
            problems.append(
                Problem(
                    paths[row],
                    f"no show has the slug '{head}'{hint}: name the first show's file",
                    "franchise",
                )
            )
        elif target != row and franchise[target]:
            problems.append(
                Problem(
                    paths[row],
                    f"'{head}' is itself in franchise '{franchise[target]}': name the first show, {franchise[target]}",
                    "franchise",
                )
            )
        else:
            group[row] = target
    return group, problems


def _texts(arrays: Arrays, name: str) -> list[str]:
    return TextColumn(arrays[f"{name}.off"], arrays[f"{name}.bytes"]).tolist()


def lookup_keys(names: Names, short: Names) -> Names:
    """Every show's names, then the short forms that no other name in the catalog has (each of them unique)."""
    keys, owners = names
    taken = set(keys)
    counts: dict[str, set[int]] = {}
    for key, owner in zip(*short):
        counts.setdefault(key, set()).add(owner)
    extra = [(k, o) for k, o in zip(*short) if k not in taken and len(counts[k]) == 1]
    return keys + [k for k, _ in extra], owners + [o for _, o in extra]


def derive(
    taxonomy: TaxonomyArrays,
    encoded: Arrays,
    extra_meta: dict[str, Any] | None = None,
    names: tuple[Names, np.ndarray] | None = None,
    lookup: Arrays | None = None,
) -> Index:
    """Every array the commands need, from the taxonomy and the per-show arrays (in catalog order).

    `names` is `show_names(encoded)` and its `_sort_order` when the caller has them already;
    `lookup` is a previous index's name lookup arrays, when no name changed since.
    """
    trope_arrays, trope_meta = taxonomy
    n, t = len(encoded["show_year"]), len(trope_arrays["trope_id.off"]) - 1
    indptr, indices, raw = encoded["indptr"], encoded["indices"], encoded["raw"]
    df = vectors.document_frequency(indices, t)
    col_indptr, col_rows, order = vectors.to_columns(indptr, indices, t)
    arrays = {
        **encoded,
        **trope_arrays,
        "trope_df": df,
        "col_indptr": col_indptr,
        "col_rows": col_rows,
        "col_pos": order,
        "franchise_group": franchise_groups(encoded)[0],
    }
    genres = dict.fromkeys(_texts(encoded, "show_genres"))
    networks = dict.fromkeys(
        p.strip() for text in dict.fromkeys(_texts(encoded, "show_network")) for p in text.split(",")
    )
    for name, values in (("label_genres", genres), ("label_networks", networks)):
        first: dict[str, str] = {}
        for value in values:  # distinct spellings only: a few hundred, not one a show
            first.setdefault(normalise(value), value)
        arrays.update(encode_text(name, list(first.values())))
    if lookup is not None:
        arrays.update(lookup)
    else:
        explicit, order_of_names = names or (show_names(encoded), None)
        keys_and_owners = lookup_keys(explicit, show_names(encoded, "show_short_names"))
        no_extra = len(keys_and_owners[0]) == len(explicit[0])
        keys, owners = _sorted_keys(*keys_and_owners, order_of_names if no_extra else None)
        arrays.update(encode_text("name_keys", keys))
        arrays["name_owner"] = owners
    categories = _texts(trope_arrays, "trope_category")
    for weighting in vectors.WEIGHTINGS:
        multiplier = vectors.trope_weights(df, n, weighting, categories)
        arrays[f"norm_{weighting}"] = vectors.row_norms(
            indptr, indices, vectors.powered(raw, weighting), multiplier
        )
    genre_owner, genre_items = vectors.row_ids(encoded["show_genres.ptr"]), _texts(encoded, "show_genres")
    spelled = {v: normalise(v) for v in dict.fromkeys(genre_items)}  # distinct spellings only
    column = {tid: j for j, tid in enumerate(_texts(trope_arrays, "trope_id"))}
    for formula in trope_meta["formulas"]:
        prefix = f"formula.{formula['id']}"
        arrays[f"{prefix}.applies"] = formula_applies(
            formula, genre_owner, genre_items, spelled, arrays, n, column
        )
        arrays[f"{prefix}.scores"] = formula_scores(
            indptr,
            indices,
            raw,
            arrays[f"{prefix}.tropes"],
            arrays[f"{prefix}.weights"],
            t,
            vectors.trope_weights(df, n, FORMULA_WEIGHTING, categories),
            arrays[f"norm_{FORMULA_WEIGHTING}"],
        )
    meta = {
        "version": FORMAT_VERSION,
        "weightings": vectors.fingerprint(),
        "n_shows": n,
        "n_tropes": t,
        **trope_meta,
        **(extra_meta or {}),
    }
    return Index(arrays, meta)


FORMULA_WEIGHTING = "focus"
APPLIES_WEIGHT = 0.5  # a formula's `tropes` rule needs the trope at this weight or more


def formula_scores(
    indptr: np.ndarray,
    indices: np.ndarray,
    raw: np.ndarray,
    cols: np.ndarray,
    weights: np.ndarray,
    n_tropes: int,
    multiplier: np.ndarray,
    norms: np.ndarray,
) -> np.ndarray:
    """100 x the cosine of each show's vector with the formula's, both weighted as `focus` (see `recommender.formula`)."""
    beat = np.zeros(n_tropes)
    beat[cols] = vectors.powered(weights, FORMULA_WEIGHTING) * multiplier[cols]
    length = float(np.sqrt(beat @ beat)) or 1.0
    rows = vectors.row_ids(indptr)
    values = vectors.powered(raw, FORMULA_WEIGHTING) * multiplier[indices] / norms[rows]
    return 100.0 * np.bincount(rows, weights=beat[indices] * values, minlength=len(indptr) - 1) / length


def formula_applies(
    formula: dict[str, Any],
    genre_owner: np.ndarray,
    genre_items: list[str],
    spelled: dict[str, str],
    arrays: Arrays,
    n_shows: int,
    column: dict[str, int],
) -> np.ndarray:
    """Which shows a formula is for: any of its genres, or any of its tropes at APPLIES_WEIGHT or more,
    and none of its `unless` tropes (at any weight)."""
    applies = (
        np.zeros(n_shows, dtype=bool)
        if formula["genres"] or formula["tropes"]
        else np.ones(n_shows, dtype=bool)
    )
    wanted = {normalise(g) for g in formula["genres"]}
    names = [v for v, key in spelled.items() if key in wanted]
    if names:
        applies[genre_owner[np.isin(np.array(genre_items, dtype=str), names)]] = True
    for tid in formula["tropes"]:
        col = column[tid]
        start, end = arrays["col_indptr"][col], arrays["col_indptr"][col + 1]
        rows = arrays["col_rows"][start:end]
        applies[rows[arrays["raw"][arrays["col_pos"][start:end]] >= APPLIES_WEIGHT]] = True
    for tid in formula.get("unless", []):
        col = column[tid]
        applies[arrays["col_rows"][arrays["col_indptr"][col] : arrays["col_indptr"][col + 1]]] = False
    return applies


# --- building ---------------------------------------------------------------------


@dataclass(frozen=True)
class Collected:
    """What a build found: the index (None when there are problems), every problem, and the files skipped."""

    index: Index | None
    problems: list[Problem]
    skipped: list[Problem] = field(default_factory=list)
    shows: int = 0
    tropes: int = 0


def signature_of(
    root: Path, folders: dict[str, tuple[int, int, int, int]], tropes: tuple[int, int, int, int]
) -> dict[str, Any]:
    """What must be unchanged for the index to stand: tropes.yaml and the folders, by stat."""
    return {
        "root": str(root.resolve()),
        "tropes": list(tropes),
        "folders": {k: list(v) for k, v in folders.items()},
    }


def collect(root: Path, previous: Index | None = None, progress: Progress | None = None) -> Collected:
    """Build the index of `root`, reusing the rows of `previous` whose files did not change; every problem is kept."""
    built_ns = time.time_ns()
    try:
        tropes_stat = file_stat(os.stat(root / "tropes.yaml"))
    except OSError as exc:
        return Collected(None, [Problem("tropes.yaml", f"cannot be read ({exc.strerror})")])
    files, folders, skipped = scan(root)
    signature = signature_of(root, folders, tropes_stat)
    if previous is not None and previous.meta.get("signature", {}).get("tropes") == signature["tropes"]:
        taxonomy = taxonomy_of(previous)
    else:
        previous = None  # new columns: every row must be encoded again
        parsed, problems = parse_taxonomy(root / "tropes.yaml")
        if problems or parsed is None:
            return Collected(None, problems, skipped)
        taxonomy = describe_taxonomy(parsed)
    ids = _texts(taxonomy[0], "trope_id")
    reuse, todo, reused = _unchanged(previous, files)
    if (
        previous is not None
        and not todo
        and len(reuse) == previous.n_shows
        and _same_folders(previous, signature)
    ):
        return Collected(
            previous, [], skipped, previous.n_shows, len(ids)
        )  # nothing changed: the index stands
    shows: list[Show] = []
    problems = []
    results = _parse_all([root / path for path, _ in todo], root, set(ids))
    for show, show_problems in progress(results, len(todo)) if progress else results:
        problems += show_problems
        if show:
            shows.append(show)
    if problems:
        return Collected(None, problems, skipped, len(reuse) + len(shows), len(ids))
    encoded = encode({tid: j for j, tid in enumerate(ids)}, shows, dict(todo))
    if previous is not None:  # one pass back to file order: reused rows from `previous`, new ones after them
        rows = np.empty(len(files), dtype=np.int64)
        rows[reused] = reuse
        rows[~reused] = previous.n_shows + np.arange(len(files) - len(reuse))
        encoded = select(concat(per_show(previous.arrays), encoded), rows)
    if not len(files):
        return Collected(None, [EMPTY_CATALOG], skipped, 0, len(ids))
    lookup: Arrays | None = None
    names: tuple[Names, np.ndarray] | None = None
    if previous is not None and all(np.array_equal(encoded[k], previous.arrays[k]) for k in NAME_ARRAYS):
        lookup = {k: previous.arrays[k] for k in LOOKUP_ARRAYS}  # every name as before: no clash, same table
    else:
        explicit = show_names(encoded)
        order = _sort_order(explicit[0])
        clashes = name_problems(explicit, order, _texts(encoded, "show_path"))
        if clashes:
            return Collected(None, clashes, skipped, len(files), len(ids))
        names = (explicit, order)
    franchise_errors = franchise_groups(encoded)[1]
    if franchise_errors:
        return Collected(None, franchise_errors, skipped, len(files), len(ids))
    meta = {
        "signature": signature,
        "built_ns": built_ns,
        "parsed": len(shows),
        "skipped": [str(p) for p in skipped],
    }
    return Collected(derive(taxonomy, encoded, meta, names, lookup), [], skipped, len(files), len(ids))


def _same_folders(previous: Index, signature: dict[str, Any]) -> bool:
    """Whether the folders and tropes.yaml are as `previous` recorded them, and none of them is racy."""
    built = int(previous.meta.get("built_ns", 0))
    stats = [signature["tropes"], *signature["folders"].values()]
    return previous.meta.get("signature") == signature and not any(racy(stat[0], built) for stat in stats)


def build(root: Path, previous: Index | None = None, progress: Progress | None = None) -> Index:
    """The index of the catalog at `root` (reusing unchanged rows of `previous`), or a DataError naming its first problem."""
    found = collect(root, previous, progress)
    if found.index is None:
        raise_problems(found.problems)
    assert found.index is not None
    return found.index


def _unchanged(
    previous: Index | None, files: list[ScannedFile]
) -> tuple[list[int], list[ScannedFile], np.ndarray]:
    """Rows of `previous` whose files are unchanged (and not racy), the files to parse, and which files are reused."""
    if previous is None or not files:
        return [], files, np.zeros(len(files), dtype=bool)
    rows = {path: n for n, path in enumerate(previous.paths.tolist())}
    row = np.array([rows.get(path, -1) for path, _ in files], dtype=np.int64)
    known = row >= 0
    now = stat_array([stat for _, stat in files])
    recorded = previous.arrays["show_stat"][np.where(known, row, 0)]
    built = int(previous.meta.get("built_ns", 0))
    reused = known & (now == recorded).all(axis=1) & np.logical_not(racy(recorded[:, 0], built))
    todo = [f for f, keep in zip(files, reused.tolist()) if not keep]
    return row[reused].tolist(), todo, reused


PARALLEL_FROM = 4000  # show files to parse before it pays to start worker processes
CHUNK = 1000


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process, which stops them and exits with one line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _parse_chunk(job: tuple[list[Path], Path, set[str]]) -> list[tuple[Show | None, list[Problem]]]:
    paths, root, ids = job
    return [parse_show(p, root, ids) for p in paths]


def _parse_all(
    paths: list[Path], root: Path, ids: set[str], parallel_from: int | None = None
) -> Iterator[tuple[Show | None, list[Problem]]]:
    """Parsed show files in order, on every core when there are many."""
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < (PARALLEL_FROM if parallel_from is None else parallel_from) or workers < 2:
        yield from (parse_show(p, root, ids) for p in paths)
        return
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_all_start_methods, get_context

    context = get_context("fork" if "fork" in get_all_start_methods() else None)
    jobs = [(paths[i : i + CHUNK], root, ids) for i in range(0, len(paths), CHUNK)]
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts) as pool:
        for chunk in pool.map(_parse_chunk, jobs):
            yield from chunk
