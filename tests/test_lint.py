"""`validate --suggest`: tropes a show's nearest shows all have, and central rare tropes none of them has."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from recommender import lint
from recommender.build import build
from recommender.cli import app

from .conftest import write_catalog

TROPES = [
    {"id": t, "name": t.title(), "category": "lead", "description": "d", "aliases": []}
    for t in ("alpha", "beta", "gamma", "delta")
]
FORMULA = {"romance": {"name": "F", "tropes": {"alpha": 1.0}}}


def catalog(tmp_path: Path) -> Path:
    shows = {f"s{i}": {"title": f"S{i}", "tropes": {"alpha": 1.0, "beta": 0.5}} for i in range(10)}
    shows["odd"] = {
        "title": "Odd",
        "tropes": {"alpha": 1.0, "delta": 1.0},
    }  # lacks beta, carries a rare delta
    return write_catalog(tmp_path / "c", shows, TROPES, FORMULA)


def test_a_trope_all_neighbours_share_is_missing_and_a_lone_central_one_is_doubtful(tmp_path: Path) -> None:
    found = lint.suggest(build(catalog(tmp_path)))
    odd = [(s.trope, s.kind) for s in found.suggestions if s.title == "Odd"]
    assert odd == [("beta", "missing"), ("delta", "doubtful")]
    assert all(s.title == "Odd" for s in found.suggestions)  # the other shows agree with their neighbours


def test_validate_suggest_lists_them_and_still_passes(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", "--suggest", "--catalog", str(catalog(tmp_path))])
    assert result.exit_code == 0
    assert "shows/odd.yaml" in result.stdout and "missing" in result.stdout and "doubtful" in result.stdout
