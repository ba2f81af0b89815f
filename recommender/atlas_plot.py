"""The map as a picture (`map --output FILE.png|FILE.svg`): points coloured by cluster, labels that do not pile up.

Only the clusters (at a member near their middle) and the highlighted shows are labelled, and
each label takes the nearest free spot (`place`), so that none overlaps another or a highlighted
point; a show's label keeps a thin line to its point. matplotlib is imported here only, when a picture is asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from recommender.errors import UsageError

if TYPE_CHECKING:
    from recommender.atlas import Atlas

BACKGROUND = "#ffffff"
INK = "#222222"
PAD = 3.0  # pixels kept between two labels
MARKER_BOX = 12.0  # pixels: a highlighted point's marker, which labels keep clear of
CHUNK = 256  # candidate spots tried at once


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("drawing the map needs matplotlib: pip install matplotlib") from None
    return plt


def offsets(step: float, reach: float) -> np.ndarray:
    """Candidate moves of a label on a grid of `step` pixels up to `reach`, nearest first (ties: fixed grid order)."""
    ticks = np.arange(-reach, reach + step / 2, step)
    grid = np.stack(np.meshgrid(ticks, ticks), axis=-1).reshape(-1, 2)
    grid = grid[(grid**2).sum(axis=1) <= reach**2]
    distance = np.round((grid**2).sum(axis=1), 6)
    return grid[np.lexsort((grid[:, 0], -grid[:, 1], distance))]


def _free_spot(
    start: np.ndarray, half: np.ndarray, moves: np.ndarray, taken: np.ndarray, bounds: tuple[float, ...]
) -> np.ndarray:
    """The first spot (start + a move, kept in bounds) whose box overlaps nothing taken, else the least overlapping.

    The moves are tried a chunk at a time, nearest first: most labels are free near where they start.
    """
    left, bottom, right, top = bounds
    best, least = start, np.inf
    for chunk in range(0, len(moves), CHUNK):
        spots = start + moves[chunk : chunk + CHUNK]
        spots[:, 0] = np.clip(spots[:, 0], left + half[0], max(right - half[0], left + half[0]))
        spots[:, 1] = np.clip(spots[:, 1], bottom + half[1], max(top - half[1], bottom + half[1]))
        if not len(taken):
            return spots[0]
        depth = half + taken[None, :, 2:] / 2 + PAD / 2 - np.abs(spots[:, None, :] - taken[None, :, :2])
        area = (np.clip(depth[..., 0], 0, None) * np.clip(depth[..., 1], 0, None)).sum(axis=1)
        if (area == 0).any():
            return spots[int(np.argmax(area == 0))]
        if area.min() < least:
            best, least = spots[int(np.argmin(area))], float(area.min())
    return best


def place(
    starts: np.ndarray,
    sizes: np.ndarray,
    bounds: tuple[float, float, float, float],
    obstacles: np.ndarray | None = None,
    step: float = 4.0,
    reach: float = 360.0,
) -> np.ndarray:
    """Label centres near their `starts` where no two label boxes (width, height) overlap, inside `bounds`.

    Greedy, in list order: each label takes the nearest free spot on a grid around its start,
    clear of the labels already placed and of `obstacles` (boxes as rows of x, y, width, height,
    such as the highlighted markers); with no free spot within `reach`, the one overlapping least.
    """
    moves = offsets(step, reach)
    left, bottom, right, top = bounds
    taken = np.zeros((0, 4)) if obstacles is None else np.asarray(obstacles, dtype=np.float64).reshape(-1, 4)
    out = np.zeros((len(starts), 2))
    for i, (start, size) in enumerate(
        zip(np.asarray(starts, dtype=np.float64), np.asarray(sizes, dtype=np.float64))
    ):
        out[i] = _free_spot(start, size / 2 + PAD / 2, moves, taken, (left, bottom, right, top))
        taken = np.vstack([taken, [*out[i], *size]])
    return out


def draw(atlas: Atlas, path: Path) -> Path:
    """Draw the map to a .png or .svg file: a scatter of every show, cluster labels, highlights and a legend."""
    from recommender.atlas import colour

    plt = _pyplot()
    from matplotlib.lines import Line2D

    fig = plt.figure(figsize=(15, 10), facecolor=BACKGROUND)
    ax = fig.add_axes((0.01, 0.05, 0.68, 0.87))
    ax.set_axis_off()
    xy = np.array([[p.x, p.y] for p in atlas.points]).reshape(-1, 2)
    cluster = np.array([p.cluster for p in atlas.points], dtype=np.int64)
    mark = np.array([p.highlight for p in atlas.points], dtype=object)
    ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=float(np.clip(8000 / max(len(xy), 1), 16, 60)),
        c=[colour(int(c)) for c in cluster],
        alpha=0.75,
        linewidths=0,
        zorder=2,
    )
    for kind, size, shape in (("pick", 70, "o"), ("named", 190, "*")):
        chosen = mark == kind
        if chosen.any():
            ax.scatter(
                xy[chosen, 0],
                xy[chosen, 1],
                s=size,
                marker=shape,
                c=[colour(int(c)) for c in cluster[chosen]],
                edgecolors=INK,
                linewidths=1.2,
                zorder=4,
            )
    low, high = (xy.min(axis=0), xy.max(axis=0)) if len(xy) else (np.full(2, -1.0), np.full(2, 1.0))
    margin = 0.04 * max(float((high - low).max()), 1e-9)
    ax.set_xlim(low[0] - margin, high[0] + margin)
    ax.set_ylim(low[1] - margin, high[1] + margin)
    ax.set_aspect("equal", adjustable="box")
    fig.suptitle(atlas.title, x=0.02, ha="left", fontsize=16, fontweight="bold", color=INK)
    about = (
        f"Each dot is a show, placed by {atlas.method} so that shows with similar tropes sit close together;"
        " colours are clusters, named after the tropes they have most."
    )
    if (mark != "").any():
        about += " ★ named show, ● its top picks."
    fig.text(0.02, 0.015, about, fontsize=9, color="#555555")
    _labels(fig, ax, atlas, xy, cluster, mark)
    handles = [
        Line2D(
            [], [], marker="o", linestyle="", markersize=8, color=colour(c.id), label=f"{c.label} ({c.size})"
        )
        for c in atlas.clusters
    ]
    if handles:
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.70, 0.92),
            frameon=False,
            fontsize=9.5,
            title="clusters (shows)",
            title_fontsize=10,
            alignment="left",
            labelspacing=0.7,
        )
    with plt.rc_context({"svg.fonttype": "none"}):  # SVG text stays text: selectable, searchable, smaller
        fig.savefig(path, dpi=110, facecolor=BACKGROUND)
    plt.close(fig)
    return path


def _labels(fig: Any, ax: Any, atlas: Atlas, xy: np.ndarray, cluster: np.ndarray, mark: np.ndarray) -> None:
    """Labels for the named shows, their picks, then the clusters (at their medoids), placed so that none overlap.

    A show's label starts just above its point and keeps a thin line to it wherever it ends up.
    """
    from recommender.atlas import colour, medoid

    texts: list[Any] = []
    anchors: list[np.ndarray] = []
    for kind, face in (("named", "#fff3b0"), ("pick", "white")):
        for row in np.flatnonzero(mark == kind):
            box = {"boxstyle": "round,pad=0.2", "facecolor": face, "alpha": 0.92, "edgecolor": "#999999"}
            line = {"arrowstyle": "-", "color": "#666666", "linewidth": 0.7, "shrinkA": 0, "shrinkB": 5}
            texts.append(
                ax.annotate(
                    atlas.points[int(row)].title,
                    xy[row],
                    xytext=xy[row],
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color=INK,
                    bbox=box,
                    arrowprops=line,
                    zorder=7,
                )
            )
            anchors.append(xy[row])
    for c in atlas.clusters:
        rows = np.flatnonzero(cluster == c.id)
        at = xy[rows[medoid(xy[rows])]]
        box = {"boxstyle": "round,pad=0.25", "facecolor": "white", "alpha": 0.85, "edgecolor": colour(c.id)}
        texts.append(
            ax.annotate(
                c.label,
                at,
                xytext=at,
                ha="center",
                va="center",
                fontsize=9,
                fontweight="bold",
                color=INK,
                bbox=box,
                zorder=6,
            )
        )
        anchors.append(at)
    if not texts:
        return
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    to_screen, to_data = ax.transData, ax.transData.inverted()
    extents = [t.get_bbox_patch().get_window_extent(renderer) for t in texts]
    sizes = np.array([[e.width, e.height] for e in extents])
    starts = to_screen.transform(np.array(anchors))
    starts[:, 1] += sizes[:, 1] / 2 + MARKER_BOX / 2  # just above the point, which stays in sight
    marked = to_screen.transform(xy[mark != ""]).reshape(-1, 2)
    obstacles = np.hstack([marked, np.full((len(marked), 2), MARKER_BOX)])
    frame = ax.get_window_extent(renderer)
    centres = place(starts, sizes, (frame.x0, frame.y0, frame.x1, frame.y1), obstacles)
    for text, centre in zip(texts, centres):
        text.xyann = tuple(to_data.transform(centre))
