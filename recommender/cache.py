"""The index cache: keep a catalog's index in the user's cache folder and memory-map it on later runs.

The cache lives in `$XDG_CACHE_HOME/recommender`, else `~/.cache/recommender` (a relative
XDG_CACHE_HOME is ignored, as the XDG spec says; with no usable home there is no cache), one
file a catalog folder, never inside the catalog. It records the stat (mtime, size, inode,
ctime, as git does) of `tropes.yaml`, of every folder under `shows/` and of every show file;
a run whose catalog differs in any of them rebuilds the index through `recommender.build`,
which parses again only the show files that changed.

What a read checks: tropes.yaml and every folder always (adding, removing or renaming a file
changes its folder, and so does saving it the way most editors, `sed -i` and git do); every
show file too on catalogs of up to FILE_CHECK_LIMIT files, or on any catalog when
$RECOMMENDER_CHECK_EVERY_FILE=1. `recommender index` always compares every file, and
`recommender index --force` parses everything again. A cache file that is not a whole,
checksummed index of this version is rebuilt, never trusted (see `recommender.store`).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from recommender import __version__, store, vectors
from recommender.filestat import file_stat, racy, stat_array
from recommender.index import FORMAT_VERSION, REQUIRED_ARRAYS, Index

if TYPE_CHECKING:
    from recommender.build import Progress

FILE_CHECK_LIMIT = 20_000  # show files; stat costs ~2 us a file here, so 100,000 would cost 200 ms a run
FILE_CHECK_ENV = "RECOMMENDER_CHECK_EVERY_FILE"


def cache_dir() -> Path | None:
    """Where indexes are kept, or None when there is nowhere to keep them."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(base):
        return Path(base) / "recommender"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        return None
    return home / ".cache" / "recommender" if home.is_absolute() else None


def index_path(root: Path) -> Path | None:
    """Where the index of the catalog at `root` is kept (None: no cache folder)."""
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:20]
    return folder / f"{key}.index"


def read_index(path: Path | None) -> Index | None:
    """The stored index, or None when it is missing, damaged or from another version."""
    if path is None:
        return None
    try:
        arrays, meta = store.read(path)
    except (OSError, store.CorruptStore):
        return None
    if (
        not isinstance(meta, dict)
        or meta.get("version") != FORMAT_VERSION
        or meta.get("release") != __version__
        or meta.get("weightings") != vectors.fingerprint()
        or any(name not in arrays for name in REQUIRED_ARRAYS)
    ):
        return None
    return Index(arrays, meta)


def checks_every_file(n_files: int) -> bool:
    """Whether a read stats every show file, or only tropes.yaml and the folders (see the module docstring)."""
    return n_files <= FILE_CHECK_LIMIT or os.environ.get(FILE_CHECK_ENV, "") not in ("", "0")


def _stat_all(root: Path, paths: list[str]) -> list[tuple[int, int, int, int]]:
    if os.stat not in os.supports_dir_fd:
        return [file_stat(os.stat(root / rel)) for rel in paths]
    fd = os.open(root, os.O_RDONLY)
    try:
        return [file_stat(os.stat(rel, dir_fd=fd)) for rel in paths]
    finally:
        os.close(fd)


def is_fresh(index: Index, root: Path, every_file: bool = False) -> bool:
    """True when tropes.yaml, the folders and (see `checks_every_file`) the show files are as indexed.

    An entry changed within RACY_NS of the build is never fresh (see `recommender.filestat.racy`).
    """
    try:
        recorded, built = index.meta["signature"], int(index.meta["built_ns"])
        if recorded["root"] != str(root.resolve()):
            return False
        for name, stat in [("tropes.yaml", recorded["tropes"]), *recorded["folders"].items()]:
            if list(file_stat(os.stat(root / name))) != stat or racy(stat[0], built):
                return False
        if not (every_file or checks_every_file(index.n_shows)):
            return True
        stats, recorded_stats = stat_array(_stat_all(root, index.paths.tolist())), index.arrays["show_stat"]
        return bool(np.array_equal(stats, recorded_stats)) and not bool(
            np.any(racy(recorded_stats[:, 0], built))
        )
    except (OSError, KeyError, TypeError, ValueError, AttributeError):
        return False


def save(index: Index, path: Path | None) -> bool:
    """Write the index atomically; a cache folder that cannot be written is not an error."""
    if path is None:
        return False
    try:
        store.write(path, index.arrays, {**index.meta, "release": __version__})
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


def index_catalog(root: Path, progress: Progress | None = None, force: bool = False) -> IndexSummary:
    """Bring the cached index of `root` up to date now, comparing every file (`force`: parse every file again)."""
    start = time.perf_counter()
    path = index_path(root)
    cached = None if force else read_index(path)
    index = _build(root, cached, progress)  # every file compared; an unchanged catalog gives `cached` back
    parsed = int(index.meta["parsed"]) if index is not cached else 0
    saved = save(index, path) if index is not cached else True
    where = str(path) if path else "(no cache folder: set XDG_CACHE_HOME or HOME)"
    return IndexSummary(
        index.n_shows,
        index.n_tropes,
        parsed,
        index.n_shows - parsed,
        time.perf_counter() - start,
        where,
        saved,
    )


def open_index(root: Path, use_cache: bool = True) -> Index:
    """The index of the catalog at `root`: from the cache when it is fresh, else built (and cached)."""
    if not use_cache:
        return _build(root)
    path = index_path(root)
    cached = read_index(path)
    if cached is not None and is_fresh(cached, root):
        return cached
    index = _build(root, cached)
    if index is not cached:
        save(index, path)
    return index


def _build(root: Path, previous: Index | None = None, progress: Progress | None = None) -> Index:
    from recommender import build  # imported only when something must be built: a warm read needs no YAML

    return build.build(root, previous, progress)
