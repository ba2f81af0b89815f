"""The index cache: build a catalog's index once, memory-map it on later runs.

The cache lives in the user's cache folder (`$XDG_CACHE_HOME/recommender`, else
`~/.cache/recommender`), one file a catalog folder, never inside the catalog. It records the
size and modification time of `tropes.yaml`, of every folder under `shows/` and of every
show file; a run whose catalog differs in any of them rebuilds the index, parsing again only
the show files that changed (all of them when `tropes.yaml` changed).

What a read checks: tropes.yaml and every folder always (adding, removing or renaming a file
changes its folder, and so does saving it the way most editors, `sed -i` and git do, by
replacing the file); every show file too on catalogs of up to FILE_CHECK_LIMIT files, or on
any catalog when $RECOMMENDER_CHECK_EVERY_FILE=1. Above the limit, a file rewritten in place
is picked up by the next `recommender index` (which always compares every file). A file that is not a
whole index of this version (truncated, foreign, from another release) is rebuilt, never
trusted. Writes are atomic (see `recommender.store`), so concurrent runs and Ctrl-C are safe.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from recommender import __version__, store
from recommender.catalog import EMPTY_CATALOG, Problem, Show, parse_show, parse_taxonomy, raise_problems, scan
from recommender.index import FORMAT_VERSION, Index, concat, derive, describe_taxonomy, encode, name_problems, select, taxonomy_of

Progress = Callable[[Iterable[Any], int], Iterable[Any]]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "recommender"


def index_path(root: Path) -> Path:
    """Where the index of the catalog at `root` is kept."""
    key = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:20]
    return cache_dir() / f"{key}.index"


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_mtime_ns, st.st_size]


def _signature(root: Path, folders: list[str]) -> dict[str, Any]:
    """What must be unchanged for the index to stand: tropes.yaml and the folders, by time and size."""
    return {
        "root": str(root.resolve()),
        "tropes": _stat(root / "tropes.yaml"),
        "folders": {folder: _stat(root / folder) for folder in folders},
    }


def read_index(path: Path) -> Index | None:
    """The stored index, or None when it is missing, damaged or from another version."""
    try:
        arrays, meta = store.read(path)
    except (OSError, store.CorruptStore):
        return None
    if meta.get("version") != FORMAT_VERSION or meta.get("release") != __version__:
        return None
    return Index(arrays, meta)


FILE_CHECK_LIMIT = 20_000  # show files; stat costs ~2 us a file here, so 100,000 would cost 200 ms a run
FILE_CHECK_ENV = "RECOMMENDER_CHECK_EVERY_FILE"


def checks_every_file(n_files: int) -> bool:
    """Whether a read stats every show file, or only tropes.yaml and the folders (see the module docstring)."""
    return n_files <= FILE_CHECK_LIMIT or os.environ.get(FILE_CHECK_ENV, "") not in ("", "0")


def _stat_all(root: Path, paths: list[str]) -> list[os.stat_result]:
    if os.stat not in os.supports_dir_fd:
        return [os.stat(root / rel) for rel in paths]
    fd = os.open(root, os.O_RDONLY)
    try:
        return [os.stat(rel, dir_fd=fd) for rel in paths]
    finally:
        os.close(fd)


def is_fresh(index: Index, root: Path) -> bool:
    """True when tropes.yaml, the folders and (see `checks_every_file`) the show files are as indexed."""
    try:
        recorded = index.meta.get("signature", {})
        if recorded != _signature(root, list(recorded.get("folders", {}))):
            return False
        if not checks_every_file(index.n_shows):
            return True
        stats = _stat_all(root, index["show_path"].tolist())
        mtimes = np.fromiter((st.st_mtime_ns for st in stats), dtype=np.int64, count=len(stats))
        sizes = np.fromiter((st.st_size for st in stats), dtype=np.int64, count=len(stats))
        return bool(np.array_equal(mtimes, index["file_mtime"]) and np.array_equal(sizes, index["file_size"]))
    except OSError:
        return False


def build(root: Path, previous: Index | None = None, progress: Progress | None = None) -> Index:
    """The index of the catalog at `root`, reusing the rows of `previous` whose files did not change."""
    files, folders = scan(root)
    signature = _signature(root, folders)
    if previous is not None and previous.meta.get("signature", {}).get("tropes") == signature["tropes"]:
        taxonomy = taxonomy_of(previous)
    else:
        previous = None  # new columns: every row must be encoded again
        parsed, problems = parse_taxonomy(root / "tropes.yaml")
        if problems or parsed is None:
            raise_problems(problems)
        assert parsed is not None
        taxonomy = describe_taxonomy(parsed)
    columns = {tid: j for j, tid in enumerate(taxonomy[0]["trope_id"].tolist())}
    reuse, todo, reused = _unchanged(previous, files)
    stats = {rel: (mtime, size) for rel, mtime, size in todo}
    todo_paths = [root / rel for rel, _, _ in todo]
    shows: list[Show] = []
    problems: list[Problem] = []
    results = _parse_all(todo_paths, root, set(columns))
    for show, show_problems in progress(results, len(todo_paths)) if progress else results:
        problems += show_problems
        if show:
            shows.append(show)
    encoded = encode(columns, shows, stats)
    if previous is not None:
        order = np.empty(len(files), dtype=np.int64)  # back to file order: reused rows first in `concat`, then new ones
        order[reused] = np.arange(len(reuse))
        order[~reused] = len(reuse) + np.arange(len(files) - len(reuse))
        encoded = select(concat(select(previous.arrays, np.array(reuse, dtype=np.int64)), encoded), order)
    if not len(encoded["show_path"]) and not problems:
        raise_problems([EMPTY_CATALOG])
    problems += name_problems(encoded)
    if problems:
        raise_problems(problems)
    return derive(taxonomy, encoded, {"signature": signature, "release": __version__, "parsed": len(shows)})


def _unchanged(
    previous: Index | None, files: list[tuple[str, int, int]]
) -> tuple[list[int], list[tuple[str, int, int]], np.ndarray]:
    """Rows of `previous` whose files are unchanged, the files to parse, and which files (in order) are reused."""
    if previous is None:
        return [], files, np.zeros(len(files), dtype=bool)
    rows = {path: n for n, path in enumerate(previous["show_path"].tolist())}
    mtimes, sizes = previous["file_mtime"].tolist(), previous["file_size"].tolist()
    reuse: list[int] = []
    todo: list[tuple[str, int, int]] = []
    reused = np.zeros(len(files), dtype=bool)
    for n, (rel, mtime, size) in enumerate(files):
        row = rows.get(rel)
        if row is not None and mtimes[row] == mtime and sizes[row] == size:
            reuse.append(row)
            reused[n] = True
        else:
            todo.append((rel, mtime, size))
    return reuse, todo, reused


PARALLEL_FROM = 4000  # show files to parse before it pays to start worker processes
CHUNK = 1000


def _parse_chunk(job: tuple[list[Path], Path, set[str]]) -> list[tuple[Show | None, list[Problem]]]:
    paths, root, ids = job
    return [parse_show(p, root, ids) for p in paths]


def _parse_all(paths: list[Path], root: Path, ids: set[str]) -> Iterator[tuple[Show | None, list[Problem]]]:
    """Parsed show files in order, on every core when there are many."""
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        yield from (parse_show(p, root, ids) for p in paths)
        return
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_all_start_methods, get_context

    context = get_context("fork" if "fork" in get_all_start_methods() else None)
    jobs = [(paths[i : i + CHUNK], root, ids) for i in range(0, len(paths), CHUNK)]
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for chunk in pool.map(_parse_chunk, jobs):
            yield from chunk


def save(index: Index, path: Path) -> bool:
    """Write the index atomically; a cache folder that cannot be written is not an error."""
    try:
        store.write(path, index.arrays, index.meta)
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class IndexSummary:
    """What `recommender index` did."""

    shows: int
    tropes: int
    parsed: int
    reused: int
    seconds: float
    path: str
    saved: bool


def index_catalog(root: Path, progress: Progress | None = None) -> IndexSummary:
    """Bring the cached index of `root` up to date now, parsing only what changed."""
    start = time.perf_counter()
    path = index_path(root)
    index = build(root, read_index(path), progress)
    saved = save(index, path)
    parsed = int(index.meta["parsed"])
    return IndexSummary(index.n_shows, index.n_tropes, parsed, index.n_shows - parsed, time.perf_counter() - start, str(path), saved)


def open_index(root: Path, use_cache: bool = True, progress: Progress | None = None) -> Index:
    """The index of the catalog at `root`: from the cache when it is fresh, else built (and cached)."""
    if not use_cache:
        return build(root)
    path = index_path(root)
    cached = read_index(path)
    if cached is not None and is_fresh(cached, root):
        return cached
    index = build(root, cached, progress)
    save(index, path)
    return index
