"""Formula pictures (`formula --plot FILE.png|FILE.svg`): a show's beats, or a formula's trend.

matplotlib is imported here only, and only when a picture is asked for, so that answering in
the terminal stays as fast as before. The pictures draw exactly the numbers the tables print.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from recommender.errors import UsageError
from recommender.formula import FormulaReport, FormulaTrend

SUFFIXES = (".png", ".svg")
FOLLOWED, SKIPPED, TREND = "#c0392b", "#bdc3c7", "#2c3e50"


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("--plot needs matplotlib: pip install 'recommender[plot]'") from None
    return plt


def _check(path: Path) -> None:
    if path.suffix.lower() not in SUFFIXES:
        raise UsageError(f"--plot {path}: give a file ending in .png or .svg")
    if not path.parent.is_dir():
        raise UsageError(f"--plot {path}: folder {path.parent} does not exist")


def plot_report(report: FormulaReport, path: Path) -> Path:
    """Horizontal bars: each beat's part of the score (followed in colour, skipped beats as grey stubs)."""
    _check(path)
    if not report.applies or report.score is None:
        raise UsageError(
            f"--plot: {report.formula} does not apply to {report.title}, so there is nothing to draw"
        )
    plt = _pyplot()
    beats = [*report.follows, *(b for b in report.skips if b.formula_weight >= 0.5)]
    labels = [b.name for b in beats]
    parts = [b.contribution for b in beats]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(beats) + 1.6))
    bars = ax.barh(labels, parts, color=[FOLLOWED if b.show_weight > 0 else SKIPPED for b in beats])
    for b, rect in zip(beats, bars):
        text = f"{b.contribution:.1f}" if b.show_weight > 0 else "skipped"
        ax.text(rect.get_width() + 0.2, rect.get_y() + rect.get_height() / 2, text, va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("part of the score (points out of 100)")
    ax.set_xlim(0, max(parts + [1.0]) * 1.25)
    ax.set_title(
        f"{report.title}: {report.score:.1f}/100 on {report.formula_name}\n"
        f"rank {report.rank} of {report.of}, more formulaic than {report.percentile:.0f}% of them",
        fontsize=11,
    )
    return _save(plt, fig, [ax], path)


def _save(plt: Any, fig: Any, axes: list[Any], path: Path) -> Path:
    """Plain axes (no top or right frame), tight layout, written at 120 dpi, figure closed."""
    for ax in axes:
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_trend(trend: FormulaTrend, path: Path) -> Path:
    """The mean score per period (bars), and each main beat's share of the period's shows (lines)."""
    _check(path)
    plt = _pyplot()
    labels = [p.label for p in trend.periods]
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(9, 7), sharex=True, gridspec_kw={"height_ratios": [1, 1.4]}
    )
    top.bar(labels, [p.mean_score for p in trend.periods], color=TREND)
    crowded = len(trend.periods) > 8  # many periods: the counts go under the axis, not over the bars
    for x, p in enumerate(trend.periods):
        label = f"{p.mean_score:.1f}" if crowded else f"{p.mean_score:.1f}\n({p.shows} shows)"
        top.text(x, p.mean_score, label, ha="center", va="bottom", fontsize=8)
    if crowded:
        bottom.set_xticks(range(len(labels)), [f"{p.label}\n{p.shows}" for p in trend.periods], fontsize=8)
    top.set_ylabel("mean score")
    top.set_ylim(0, max([p.mean_score for p in trend.periods] + [1.0]) * 1.35)
    top.set_title(f"The {trend.formula} formula by {trend.by}", fontsize=12)
    for beat in trend.main_beats:
        bottom.plot(labels, [100 * p.beats[beat] for p in trend.periods], marker="o", label=beat)
    bottom.set_ylabel("shows with the beat (%)")
    bottom.set_ylim(0, 105)
    bottom.legend(fontsize=8, ncol=2, frameon=False)
    return _save(plt, fig, [top, bottom], path)
