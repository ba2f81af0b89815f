"""Formula pictures: real PNG and SVG files of the numbers the tables print, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from recommender import formula, plots
from recommender.build import build
from recommender.cli import app
from recommender.errors import UsageError


def test_a_report_and_a_trend_are_drawn(catalog: Path, tmp_path: Path) -> None:
    index = build(catalog)
    png = plots.plot_report(formula.report(index, "Show One"), tmp_path / "beats.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = plots.plot_trend(formula.trend(index, "romance", "year"), tmp_path / "trend.svg")
    assert b"<svg" in svg.read_bytes()[:500]


def test_bad_targets_are_one_line_errors(catalog: Path, tmp_path: Path) -> None:
    report = formula.report(build(catalog), "Show One")
    with pytest.raises(UsageError, match=r"ending in \.png or \.svg"):
        plots.plot_report(report, tmp_path / "beats.pdf")
    with pytest.raises(UsageError, match="does not exist"):
        plots.plot_report(report, tmp_path / "missing" / "beats.png")


def test_the_cli_writes_the_picture_and_still_prints_the_table(catalog: Path, tmp_path: Path) -> None:
    target = tmp_path / "show.png"
    result = CliRunner().invoke(
        app, ["formula", "Show One", "--plot", str(target), "--catalog", str(catalog)]
    )
    assert result.exit_code == 0 and target.is_file() and "follows" in result.stdout
    refused = CliRunner().invoke(app, ["formula", "--all", "--plot", str(target), "--catalog", str(catalog)])
    assert refused.exit_code == 2
