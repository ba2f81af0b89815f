"""The one builder: serial and parallel parsing agree, incremental builds equal fresh ones, `index` reports it."""

from __future__ import annotations

from concurrent import futures
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from recommender import build, cache, cli

from .conftest import write_catalog


def many_shows(n: int) -> dict[str, dict[str, object]]:
    tropes = ["alpha", "beta", "gamma"]
    return {
        f"s{i:04d}": {
            "title": f"Show {i}",
            "tropes": {tropes[i % 3]: 1.0, tropes[(i + 1) % 3]: 0.25 * (1 + i % 4)},
        }
        for i in range(n)
    }


def same(a: build.Index, b: build.Index) -> None:
    assert set(a.arrays) == set(b.arrays)
    for name in a.arrays:
        if name != "show_stat":
            assert np.array_equal(a.arrays[name], b.arrays[name]), name


def test_parallel_parsing_gives_the_serial_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_catalog(tmp_path, many_shows(60))
    serial = build.build(root)
    monkeypatch.setattr(build, "PARALLEL_FROM", 1)
    monkeypatch.setattr(build, "CHUNK", 7)
    pools: list[object] = []

    class CountedPool(futures.ProcessPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            pools.append(self)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(futures, "ProcessPoolExecutor", CountedPool)
    parallel = build.build(root)
    assert len(pools) == 1  # the worker path ran
    same(serial, parallel)
    assert parallel.n_shows == 60


def test_parallel_parsing_runs_in_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_catalog(tmp_path, many_shows(30))
    monkeypatch.setattr(build, "CHUNK", 4)
    results = list(
        build._parse_all(sorted((root / "shows").glob("*.yaml")), root, {"alpha", "beta", "gamma"}, 1)
    )
    assert [show.title for show, _ in results if show] == [f"Show {i}" for i in range(30)]


def test_incremental_build_equals_a_fresh_one(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, many_shows(20))
    first = build.build(root)
    (root / "shows" / "s0003.yaml").unlink()
    (root / "shows" / "s0007.yaml").write_text(
        "title: Seven\nyear: 2001\nnetwork: MBC\nepisodes: 4\naliases: [Siete]\ntropes: {gamma: 0.5}\n",
        encoding="utf-8",
    )
    (root / "shows" / "a-new.yaml").write_text(
        "title: New\nyear: 2002\nnetwork: SBS\nepisodes: 8\ngenres: [Drama]\ntropes: {beta: 1.0}\n",
        encoding="utf-8",
    )
    incremental = build.build(root, first)
    assert incremental.meta["parsed"] == 2
    same(incremental, build.build(root))
    assert incremental.title(incremental.find_show("siete")) == "Seven"


def test_index_command_reports_what_it_did(catalog: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli.app, ["index", "--catalog", str(catalog), "--format", "csv"])
    assert result.exit_code == 0
    head, row = result.stdout.splitlines()
    assert head == "shows,tropes,parsed,reused,seconds,index"
    assert row.startswith("3,3,3,0,") and row.endswith(f",{cache.index_path(catalog)}")
    again = runner.invoke(
        cli.app, ["index", "--catalog", str(catalog), "--format", "csv"]
    ).stdout.splitlines()[1]
    assert again.startswith("3,3,0,3,")


def test_progress_bar_only_on_a_terminal_and_for_big_jobs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert list(cli.progress_bar(iter(range(5)), 5)) == list(range(5))
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert list(cli.progress_bar(iter(range(2500)), 2500)) == list(range(2500))
    assert "parsing" in capsys.readouterr().err


def test_an_edit_that_keeps_every_name_reuses_the_lookup_table(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, many_shows(12))
    first = build.build(root)
    path = root / "shows" / "s0004.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("episodes: 16", "episodes: 8"), encoding="utf-8")
    again = build.build(root, first)
    assert again.arrays["name_owner"] is first.arrays["name_owner"]  # taken over, not sorted again
    same(again, build.build(root))


def test_an_edit_that_makes_two_shows_share_a_name_is_caught_incrementally(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, many_shows(12))
    first = build.build(root)
    path = root / "shows" / "s0004.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: Show 4", "title: Show 5"), encoding="utf-8"
    )
    found = build.collect(root, first)
    assert found.index is None
    assert [str(p) for p in found.problems] == [
        "shows/s0005.yaml: title: 'show5' also names shows/s0004.yaml: make titles, aliases and slugs unique"
    ]


@pytest.mark.parametrize(
    "rows",
    [[0, 1, 2, 3, 4, 5], [1, 2, 3, 0, 5, 4], [5, 4, 3, 2, 1, 0], [2, 3, 4], [4, 0, 0, 1], []],
)
def test_selecting_rows_by_runs_equals_gathering_them(
    tmp_path: Path, rows: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    shows = {
        f"s{i}": {"title": f"Show {i}", "aliases": [f"A{i}"] * (i % 3), "tropes": {"alpha": 1.0, "beta": 0.5}}
        for i in range(6)
    }
    encoded = build.per_show(build.build(write_catalog(tmp_path, shows)).arrays)
    picked = np.array(rows, dtype=np.int64)
    by_runs = build.select(encoded, picked)
    monkeypatch.setattr(build, "MAX_RUNS", 0)
    gathered = build.select(encoded, picked)
    assert by_runs.keys() == gathered.keys()
    assert all(np.array_equal(by_runs[k], gathered[k]) for k in by_runs)
