"""A map of the catalog (`recommender map`): every show placed in 2-D by its trope vector, in labelled clusters.

How it is made: each show is its unit trope vector (focus weighting), so that two shows are
as far apart as their cosine says. PCA keeps the main directions, then t-SNE (fixed seed)
lays the shows out so that neighbours stay neighbours; k-means on the same vectors makes the
clusters, and each cluster is named after the tropes it has far more of than the catalog
(mean weight times lift). A catalog too small for t-SNE is placed by classical MDS.

scikit-learn is imported only inside the functions that compute a layout, and the layout
(coordinates and clusters) is cached on disk, keyed by the vectors themselves, so a second
map of the same catalog imports no scikit-learn at all. Labels, highlights and filters are
worked out again on every run: they are cheap and follow trope names, titles and options.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.metadata
import os
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from recommender import vectors
from recommender.errors import UsageError
from recommender.filters import Filters
from recommender.index import Index
from recommender.vectors import Weighting

ALGORITHM = "atlas-1"  # in the cache key with the settings below: change it when the method itself changes
SEED = 0
TSNE_MIN = 12  # shows: fewer are placed by classical MDS (t-SNE needs a perplexity well below n)
PCA_DIMS = 50
PERPLEXITY = 30.0
TSNE_ITERATIONS = 500
MAX_CLUSTERS = 20
LABEL_TROPES = 2  # trope names a cluster's label joins (one more when two clusters would read alike)
DEFINING = 5  # defining tropes listed for a cluster
TOP_TROPES = 3  # tropes a point's tooltip lists
SUFFIXES = (".png", ".svg", ".html")
OPTIONAL = {"omit_empty": True}
PALETTE = (  # distinct mid-tone colours, readable on white; clusters take them in order
    "#e6194b",
    "#3cb44b",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#1fb5c9",
    "#f032e6",
    "#7fa31a",
    "#c98a00",
    "#469990",
    "#9a6324",
    "#000075",
    "#808000",
    "#e377c2",
    "#800000",
    "#5b8c5a",
    "#8c564b",
    "#6f6f6f",
    "#b39ddb",
    "#ff9896",
)


@dataclass(frozen=True)
class Point:
    """One show on the map; `highlight` is "named" (the user named it), "pick" (one of its top picks) or ""."""

    id: str
    title: str
    year: int
    x: float
    y: float
    cluster: int
    top_tropes: list[str]
    highlight: str = ""
    aliases: list[str] = field(default_factory=list, metadata=OPTIONAL)  # the page's search finds them too


@dataclass(frozen=True)
class Cluster:
    """A group of neighbouring shows, named after its defining tropes; `members` are drawn ids, most typical first."""

    id: int
    label: str
    tropes: list[str]
    size: int
    members: list[str]


@dataclass(frozen=True)
class Atlas:
    """The map: its points, its clusters (those with a drawn member), and how it was made (`notes`)."""

    title: str
    points: list[Point]
    clusters: list[Cluster]
    notes: list[str] = field(default_factory=list, metadata=OPTIONAL)
    warnings: list[str] = field(default_factory=list, metadata=OPTIONAL)
    method: str = ""
    cached: bool = False


@dataclass(frozen=True)
class Layout:
    """Every show's 2-D position (rows of the index, in [-1, 1]) and cluster, and how they were found."""

    xy: np.ndarray
    cluster: np.ndarray
    method: str
    cached: bool = False


# --- vectors and the cache key ---------------------------------------------------


def unit_matrix(index: Index, weighting: Weighting) -> np.ndarray:
    """The shows' weighted, L2-normalised trope vectors as one dense (shows x tropes) matrix."""
    a = index.arrays
    rows = vectors.row_ids(a["indptr"])
    values = vectors.powered(a["raw"], weighting) * index.idf(weighting)[a["indices"]]
    norms = index.norms(weighting)[rows]
    matrix = np.zeros((index.n_shows, index.n_tropes))
    matrix[rows, a["indices"]] = np.divide(values, norms, out=np.zeros_like(values), where=norms > 0)
    return matrix


def _sklearn_version() -> str:
    try:
        return importlib.metadata.version("scikit-learn")
    except importlib.metadata.PackageNotFoundError:
        return ""


def layout_key(index: Index, weighting: Weighting) -> str:
    """A digest of everything a layout depends on: the vectors' arrays, the weighting, the settings and scikit-learn."""
    settings = (ALGORITHM, SEED, TSNE_MIN, PCA_DIMS, PERPLEXITY, TSNE_ITERATIONS, MAX_CLUSTERS)
    digest = hashlib.sha256(f"{settings}|{weighting}|{vectors.fingerprint()}|{_sklearn_version()}".encode())
    for name in ("indptr", "indices", "raw", "trope_category.off", "trope_category.bytes"):
        array = np.ascontiguousarray(index.arrays[name])
        digest.update(f"|{name}:{array.dtype.str}:{array.shape}|".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()[:32]


def layout_path(folder: Path, key: str) -> Path:
    return folder / "maps" / f"{key}.npz"


def read_layout(path: Path, key: str, n_shows: int) -> Layout | None:
    """The cached layout, or None when it is missing, damaged or not the one for `key`."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            xy, cluster = np.asarray(stored["xy"], dtype=np.float64), np.asarray(stored["cluster"])
            found_key, method = str(stored["key"]), str(stored["method"])
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if (
        found_key != key
        or xy.shape != (n_shows, 2)
        or cluster.shape != (n_shows,)
        or not np.isfinite(xy).all()
        or cluster.dtype.kind not in "iu"
        or (n_shows and (cluster.min() < 0 or cluster.max() >= n_shows))
    ):
        return None
    return Layout(xy, cluster.astype(np.int64), method, cached=True)


def write_layout(path: Path, key: str, layout: Layout) -> bool:
    """Write the layout atomically; a cache folder that cannot be written is not an error."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
            tmp = handle.name
            np.savez(handle, xy=layout.xy, cluster=layout.cluster, key=key, method=layout.method)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
    return True


# --- layout and clusters -----------------------------------------------------------


def fit_box(xy: np.ndarray) -> np.ndarray:
    """Coordinates centred and scaled so that the longer side runs from -1 to 1 (the map's scale means nothing)."""
    if len(xy) == 0:
        return np.zeros((0, 2))
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = float((high - low).max())
    centred = xy - (low + high) / 2
    return np.round(centred / (span / 2) if span > 0 else centred, 6)


def classical_mds(matrix: np.ndarray) -> np.ndarray:
    """2-D classical (Torgerson) MDS of unit rows by their cosine distances: exact, seedless, for tiny catalogs."""
    n = len(matrix)
    squared = np.clip(2.0 - 2.0 * matrix @ matrix.T, 0.0, None)
    centring = np.eye(n) - 1.0 / n
    b = -0.5 * centring @ squared @ centring
    values, vecs = np.linalg.eigh(b)
    order = np.argsort(-values)[:2]
    coords = vecs[:, order] * np.sqrt(np.clip(values[order], 0.0, None))
    if coords.shape[1] < 2:
        coords = np.hstack([coords, np.zeros((n, 2 - coords.shape[1]))])
    signs = np.sign(coords[np.abs(coords).argmax(axis=0), [0, 1]])
    return coords * np.where(signs == 0, 1.0, signs)


def tsne(matrix: np.ndarray) -> np.ndarray:
    """PCA to at most PCA_DIMS dimensions, then t-SNE with a fixed seed (euclidean on unit rows orders as cosine)."""
    from sklearn.decomposition import PCA  # type: ignore[import-untyped]
    from sklearn.manifold import TSNE  # type: ignore[import-untyped]

    n = len(matrix)
    dims = min(PCA_DIMS, n - 1, matrix.shape[1])
    reduced = PCA(n_components=dims, svd_solver="full", random_state=SEED).fit_transform(matrix)
    perplexity = min(PERPLEXITY, (n - 1) / 3)
    model = TSNE(
        n_components=2,
        perplexity=perplexity,
        init="pca",
        learning_rate="auto",
        max_iter=TSNE_ITERATIONS,
        random_state=SEED,
    )
    return np.asarray(model.fit_transform(reduced), dtype=np.float64)


def cluster_count(n_shows: int) -> int:
    """The number of clusters a catalog is cut into around: sqrt(n / 3), from 2 to MAX_CLUSTERS (1 for 3 shows or fewer)."""
    if n_shows <= 3:
        return 1
    return int(min(MAX_CLUSTERS, max(2, round(np.sqrt(n_shows / 3)))))


def kmeans(matrix: np.ndarray) -> np.ndarray:
    """Cluster of each row: k-means (fixed seed), k picked by cosine silhouette within 2 of `cluster_count`."""
    from sklearn.cluster import KMeans  # type: ignore[import-untyped]
    from sklearn.metrics import silhouette_score  # type: ignore[import-untyped]

    n = len(matrix)
    distinct = len(np.unique(np.round(matrix, 9), axis=0))
    around = cluster_count(n)
    candidates = [k for k in range(max(2, around - 2), around + 3) if k < min(n, distinct + 1)]
    if around == 1 or not candidates:
        return np.zeros(n, dtype=np.int64)
    best: tuple[float, np.ndarray] | None = None
    for k in candidates:
        labels = KMeans(n_clusters=k, n_init=4, random_state=SEED).fit_predict(matrix)
        score = float(silhouette_score(matrix, labels, metric="cosine")) if len(set(labels)) > 1 else -1.0
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    assert best is not None
    return by_size(best[1])


def by_size(labels: np.ndarray) -> np.ndarray:
    """Cluster numbers renamed so that 0 is the largest (ties: the one whose first row comes first)."""
    ids, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    rename = np.empty(int(ids.max()) + 1, dtype=np.int64)
    rename[ids[order]] = np.arange(len(ids))
    return rename[labels]


def compute_layout(matrix: np.ndarray) -> Layout:
    """Positions and clusters of every row, on one thread (OpenMP threads spin and crawl on a busy machine)."""
    n = len(matrix)
    if n == 0:
        return Layout(np.zeros((0, 2)), np.zeros(0, dtype=np.int64), "empty")
    for module in ("sklearn.cluster", "sklearn.decomposition", "sklearn.manifold", "sklearn.metrics"):
        importlib.import_module(module)  # before the limit: threadpoolctl limits only the libraries loaded
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    with threadpool_limits(limits=1):
        if n < TSNE_MIN:
            xy, method = classical_mds(matrix), "classical MDS"
        else:
            xy, method = tsne(matrix), "t-SNE"
        cluster = kmeans(matrix)
    return Layout(fit_box(xy), cluster, method)


def layout(index: Index, matrix: np.ndarray, weighting: Weighting, folder: Path | None) -> Layout:
    """The layout from the cache in `folder` when it is there, else computed (and cached when it can be)."""
    if folder is None:
        return compute_layout(matrix)
    key = layout_key(index, weighting)
    path = layout_path(folder, key)
    found = read_layout(path, key, index.n_shows)
    if found is not None:
        return found
    computed = compute_layout(matrix)
    write_layout(path, key, computed)
    return computed


# --- labels ------------------------------------------------------------------------


def defining(matrix: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Trope columns that define a group of rows, best first: mean weight in the group times its lift over the catalog."""
    inside = matrix[members].mean(axis=0)
    overall = matrix.mean(axis=0)
    lift = np.divide(inside, overall, out=np.zeros_like(inside), where=overall > 0)
    score = inside * lift
    keep = np.flatnonzero((lift > 1.0) | (len(members) == len(matrix)))
    keep = keep[score[keep] > 0]
    return keep[np.lexsort((keep, -score[keep]))]


def fan_name(name: str, description: str) -> str:
    """A trope name as it reads mid-phrase: "Palace intrigue" is "palace intrigue", "Joseon court" keeps its capital.

    The first word keeps its capital only when the description also writes it so mid-sentence (a proper noun).
    """
    if not name:
        return name
    first = name.split()[0]
    for found in re.finditer(rf"\b{re.escape(first)}\b", description) if first[:1].isupper() else ():
        before = description[: found.start()].rstrip()
        if before and before[-1] not in ".!?:":
            return name
    return name[:1].lower() + name[1:]


def cluster_labels(names: list[list[str]]) -> list[str]:
    """Each cluster's label: its first LABEL_TROPES defining names, one more while two labels read alike."""
    width = [LABEL_TROPES] * len(names)
    for _ in range(DEFINING):
        labels = [" / ".join(n[:w]) or "mixed" for n, w in zip(names, width)]
        clashing = {label for label in labels if labels.count(label) > 1}
        if not clashing:
            break
        width = [w + 1 if label in clashing else w for label, w in zip(labels, width)]
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def typical_first(matrix: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Members ordered by cosine with their cluster's mean vector, most typical first (ties in catalog order)."""
    if len(members) == 0:
        return members
    centre = matrix[members].mean(axis=0)
    closeness = matrix[members] @ centre
    return members[np.lexsort((members, -np.round(closeness, 9)))]


# --- the map -----------------------------------------------------------------------


def _highlights(
    index: Index, titles: Sequence[str], filters: Filters, weighting: Weighting, k: int
) -> tuple[dict[int, str], str, list[str]]:
    """Rows to highlight ("named" or "pick"), and the description and warnings of the `like` ranking of the picks."""
    if not titles:
        return {}, "", []
    from recommender import engine

    marks = {index.find_show(title): "named" for title in titles}
    if k < 1:
        return marks, "", []
    ranking = engine.like(index, list(titles), engine.RankOptions(k, weighting, filters))
    by_id = {index.show_id(row): row for row in range(index.n_shows)}
    for m in ranking.matches:
        marks.setdefault(by_id[m.id], "pick")
    return marks, ranking.query, list(ranking.warnings)


def highlight_notes(
    index: Index, marks: dict[int, str], query: str, label: dict[int, str], cluster: np.ndarray
) -> list[str]:
    """'named: X (in <cluster>)' and 'top picks (like X): A (in <cluster>); B ...': where the highlighted shows fall."""

    def where(rows: list[int]) -> str:
        places = {label[int(cluster[r])] for r in rows}
        if len(places) == 1 and len(rows) > 1:
            return "; ".join(index.title(r) for r in rows) + f" (all in {places.pop()})"
        return "; ".join(f"{index.title(r)} (in {label[int(cluster[r])]})" for r in rows)

    named = [r for r, kind in marks.items() if kind == "named"]
    picks = [r for r, kind in marks.items() if kind == "pick"]
    notes = [f"named: {where(named)}"] if named else []
    if query:
        notes.append(f"top picks ({query}): {where(picks) if picks else 'none'}")
    return notes


def atlas(
    index: Index,
    titles: Sequence[str] = (),
    filters: Filters | None = None,
    weighting: Weighting = "focus",
    k: int = 5,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> Atlas:
    """The map of the catalog: every show that passes the filters (and every show named), placed and clustered.

    The layout is of the whole catalog, so a show stands in the same place whatever the filters;
    `cache_dir` defaults to the index cache's folder (`recommender.cache.cache_dir`).
    """
    from recommender import cache
    from recommender import filters as filtering

    if weighting not in vectors.SHAPES:
        raise UsageError(f"unknown weighting '{weighting}': use one of {', '.join(vectors.WEIGHTINGS)}")
    if k < 0:
        raise UsageError(f"the number of picks must be 0 or more, not {k}")
    filters = filters or Filters()
    marks, asked, pick_warnings = _highlights(index, titles, filters, weighting, k)
    passing = filtering.apply(index, filters)
    drawn = passing.allowed | filtering.rows_mask(index.n_shows, list(marks))
    matrix = unit_matrix(index, weighting)
    folder = (cache_dir or cache.cache_dir()) if use_cache else None
    placed = layout(index, matrix, weighting, folder)
    n_clusters = int(placed.cluster.max()) + 1 if index.n_shows else 0
    defining_cols = [defining(matrix, np.flatnonzero(placed.cluster == c)) for c in range(n_clusters)]
    names = [
        [fan_name(index.trope_name(int(t)), index.trope_description(int(t))) for t in cols[:DEFINING]]
        for cols in defining_cols
    ]
    labels = cluster_labels(names)
    points = [
        _point(index, placed, int(row), marks.get(int(row), ""), weighting) for row in np.flatnonzero(drawn)
    ]
    clusters = [
        Cluster(
            c,
            labels[c],
            [index.trope_name(int(t)) for t in defining_cols[c][:DEFINING]],
            len(shown),
            [index.show_id(int(r)) for r in typical_first(matrix, shown)],
        )
        for c in range(n_clusters)
        if len(shown := np.flatnonzero(drawn & (placed.cluster == c)))
    ]
    notes = [
        f"layout: {placed.method} of the {index.n_shows} shows' trope vectors ({weighting} weighting);"
        f" {n_clusters} clusters by k-means, named by the tropes they have most over the catalog",
        *passing.notes,
        *highlight_notes(index, marks, asked, dict(enumerate(labels)), placed.cluster),
    ]
    if len(points) < index.n_shows:
        notes.append(f"drawn: {len(points)} of {index.n_shows} shows")
    shows, groups = (
        ("show" if len(points) == 1 else "shows"),
        ("cluster" if len(clusters) == 1 else "clusters"),
    )
    title = f"The K-drama universe: {len(points)} {shows} in {len(clusters)} {groups}"
    return Atlas(
        title,
        points,
        clusters,
        notes,
        [*pick_warnings, *passing.warnings],
        placed.method,
        placed.cached,
    )


def _point(index: Index, placed: Layout, row: int, highlight: str, weighting: Weighting) -> Point:
    cols, values = index.row(row, weighting)
    top = cols[np.lexsort((cols, -np.round(values, 9)))][:TOP_TROPES]
    aliases = index.facts(row).get("aliases", [])
    return Point(
        index.show_id(row),
        index.title(row),
        int(index.years[row]),
        float(placed.xy[row, 0]),
        float(placed.xy[row, 1]),
        int(placed.cluster[row]),
        [index.trope_name(int(t)) for t in top],
        highlight,
        list(aliases) if isinstance(aliases, list) else [],
    )


def medoid(xy: np.ndarray) -> int:
    """Position of the point with the least total distance to the others: a cluster's middle that is on the map."""
    if len(xy) <= 2:
        return 0
    distance = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)).sum(axis=1)
    return int(np.argmin(distance))


def colour(cluster: int) -> str:
    """A cluster's colour (the palette repeats past its length)."""
    return PALETTE[cluster % len(PALETTE)]


def check_target(path: Path) -> Path:
    """`path` if a map can be written there (a known suffix, an existing folder), else a one-line UsageError."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise UsageError(f"--output {path}: give a file ending in .png, .svg or .html")
    if not path.parent.is_dir():
        raise UsageError(f"--output {path}: folder {path.parent} does not exist")
    return path


def save(atlas: Atlas, path: Path) -> Path:
    """Write the map to `path`: a picture (.png, .svg) or one self-contained, offline web page (.html)."""
    path = check_target(path)
    if path.suffix.lower() == ".html":
        from recommender import atlas_page

        path.write_text(atlas_page.page(atlas), encoding="utf-8")
        return path
    from recommender import atlas_plot

    return atlas_plot.draw(atlas, path)
