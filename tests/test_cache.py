"""The index cache: where it lives, when it is rebuilt, and that it never changes an answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from recommender import build, cache, catalog, engine, formula, store
from recommender.errors import DataError

from .conftest import write_catalog


def answers(index: object) -> list[object]:
    return [engine.like(index, t) for t in ("Show One", "Show Two", "Show Three")] + [
        engine.query(index, ["alpha", "gamma"]),
        formula.ranking(index),
    ]


def bump(path: Path, text: str) -> None:
    """Rewrite a file and move its time forward, as an editor would."""
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The show files parsed, in order."""
    seen: list[str] = []
    real = catalog.parse_show

    def counting(path: Path, root: Path, ids: set[str]) -> object:
        seen.append(path.name)
        return real(path, root, ids)

    monkeypatch.setattr(build, "parse_show", counting)
    return seen


def test_cache_lives_in_xdg_cache_home_not_in_the_catalog(catalog: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in catalog.rglob("*"))
    cache.open_index(catalog)
    assert cache.index_path(catalog).is_file()
    assert cache.index_path(catalog).is_relative_to(tmp_path / "cache" / "recommender")
    assert sorted(p.name for p in catalog.rglob("*")) == before


def test_warm_answers_equal_cold_and_uncached(catalog: Path, parses: list[str]) -> None:
    cold = answers(cache.open_index(catalog))
    assert len(parses) == 3
    warm_index = cache.open_index(catalog)
    assert len(parses) == 3  # nothing parsed again
    assert not warm_index.arrays["raw"].flags.writeable  # memory-mapped from the cache file, read-only
    assert answers(warm_index) == cold == answers(cache.open_index(catalog, use_cache=False))


def test_editing_one_show_parses_only_that_file(catalog: Path, parses: list[str]) -> None:
    cache.open_index(catalog)
    parses.clear()
    path = catalog / "shows" / "three.yaml"
    bump(path, path.read_text().replace("gamma: 1.0", "gamma: 0.25\n  alpha: 1.0"))
    index = cache.open_index(catalog)
    assert parses == ["three.yaml"]
    assert answers(index) == answers(cache.open_index(catalog, use_cache=False))
    assert index.raw_row(index.find_show("Show Three")) == {1: 0.5, 2: 0.25, 0: 1.0}


def test_adding_and_removing_shows_is_noticed(catalog: Path, parses: list[str]) -> None:
    cache.open_index(catalog)
    (catalog / "shows" / "four.yaml").write_text(
        "title: Four\nyear: 2021\nnetwork: MBC\nepisodes: 12\ntropes: {gamma: 1.0}\n"
    )
    (catalog / "shows" / "two.yaml").unlink()
    parses.clear()
    index = cache.open_index(catalog)
    assert parses == ["four.yaml"]
    assert sorted(index.text("show_title").tolist()) == ["Four", "Show One", "Show Three"]
    assert answers_without_two(index) == answers_without_two(cache.open_index(catalog, use_cache=False))


def answers_without_two(index: object) -> list[object]:
    return [engine.like(index, "Four"), engine.query(index, ["beta"]), formula.ranking(index)]


def test_editing_tropes_yaml_rebuilds_everything(catalog: Path, parses: list[str]) -> None:
    cache.open_index(catalog)
    parses.clear()
    path = catalog / "tropes.yaml"
    bump(path, path.read_text().replace("The third test trope.", "The third test trope, renamed."))
    cache.open_index(catalog)
    assert sorted(parses) == ["one.yaml", "three.yaml", "two.yaml"]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "foreign-version"])
def test_damaged_cache_is_rebuilt_not_trusted(catalog: Path, parses: list[str], damage: str) -> None:
    expected = answers(cache.open_index(catalog))
    path = cache.index_path(catalog)
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00garbage" * 100)
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        arrays, meta = store.read(path)
        store.write(path, {k: np.array(v) for k, v in arrays.items()}, {**meta, "version": -1})
    parses.clear()
    assert answers(cache.open_index(catalog)) == expected
    assert len(parses) == 3
    assert cache.read_index(path) is not None


def test_interrupted_write_leaves_the_old_cache_and_no_debris(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.open_index(catalog)
    path = cache.index_path(catalog)
    before = path.read_bytes()

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    index = cache.read_index(path)
    assert index is not None
    with pytest.raises(KeyboardInterrupt):
        store.write(path, index.arrays, index.meta)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_invalid_catalog_is_an_error_and_writes_no_cache(catalog: Path) -> None:
    (catalog / "shows" / "bad.yaml").write_text(
        "title: Bad\nyear: 2020\nnetwork: x\nepisodes: 1\ntropes: {nope: 1}\n"
    )
    with pytest.raises(DataError, match=r"shows/bad\.yaml: tropes\.nope: unknown trope"):
        cache.open_index(catalog)
    assert not cache.index_path(catalog).exists()


def test_unwritable_cache_folder_still_answers(
    catalog: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert engine.like(cache.open_index(catalog), "Show One").matches


# Modules a warm `like` with no profile has no use for: the build (a cold index only), fans' words
# (query), taste (ratings), writing files
UNNEEDED = (
    "recommender.build",
    "recommender.catalog",
    "recommender.phrases",
    "recommender.taste",
    "tempfile",
)
RUN = f"""
import sys
UNNEEDED = {UNNEEDED!r}
from recommender.cli import main
sys.argv = ["recommender", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("HEAVY:", sorted(m for m in ("sklearn", "scipy", "pandas", "matplotlib") if m in sys.modules), file=sys.stderr)
print("UNNEEDED:", sorted(m for m in UNNEEDED if m in sys.modules), file=sys.stderr)
"""


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_two_runs_at_once_and_a_lean_warm_path(catalog: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "RECOMMENDER_CATALOG": str(catalog),
        "RECOMMENDER_PROFILE": str(tmp_path / "no-profile.yaml"),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RUN, "like", "Show One", "--format", "csv"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len({out for out, _ in outputs}) == 1
    warm = run_cli("like", "Show One", "--format", "csv", env=env)
    assert warm.stdout == outputs[0][0]
    assert "HEAVY: []" in warm.stderr
    assert "UNNEEDED: []" in warm.stderr
    assert sorted(p.name for p in (tmp_path / "cache" / "recommender").iterdir()) == [
        cache.index_path(catalog).name
    ]


def test_large_catalogs_check_folders_on_reads_and_every_file_on_index(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "FILE_CHECK_LIMIT", 2)
    cache.open_index(catalog)
    path = catalog / "shows" / "two.yaml"
    bump(path, path.read_text().replace("alpha: 1.0", "alpha: 0.5"))
    assert two_weights(cache.open_index(catalog)) == {0: 1.0}  # in-place edit not looked for on a read
    monkeypatch.setenv(cache.FILE_CHECK_ENV, "1")
    assert two_weights(cache.open_index(catalog)) == {0: 0.5}
    monkeypatch.delenv(cache.FILE_CHECK_ENV)
    bump(path, path.read_text().replace("alpha: 0.5", "alpha: 0.25"))
    assert cache.index_catalog(catalog).parsed == 1
    assert two_weights(cache.open_index(catalog)) == {0: 0.25}
    (catalog / "shows" / "one.yaml").unlink()  # folders are always checked
    assert cache.open_index(catalog).n_shows == 2


def two_weights(index: object) -> dict[int, float]:
    return index.raw_row(index.find_show("Show Two"))  # type: ignore[attr-defined]


def test_index_build_reports_name_clashes_like_validate(tmp_path: Path) -> None:
    root = write_catalog(
        tmp_path / "c",
        {"a": {"title": "Same", "tropes": {"alpha": 1.0}}, "b": {"title": "SAME!", "tropes": {"beta": 1.0}}},
    )
    with pytest.raises(DataError) as caught:
        cache.open_index(root)
    assert str(caught.value) == str(build.collect(root).problems[0])


def test_show_reads_one_source_after_an_in_place_edit_above_the_check_limit(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recommender import details

    monkeypatch.setattr(cache, "FILE_CHECK_LIMIT", 2)
    cache.open_index(catalog)
    path = catalog / "shows" / "two.yaml"
    bump(path, path.read_text().replace("alpha: 1.0", "gamma: 0.5\n  alpha: 1.0"))
    shown = details.show_details(cache.open_index(catalog), "Show Two")  # the stale index, consistently
    assert [(t.trope, t.weight) for t in shown.tropes] == [("alpha", 1.0)]
    cache.index_catalog(catalog)
    shown = details.show_details(cache.open_index(catalog), "Show Two")
    assert [(t.trope, t.weight) for t in shown.tropes] == [("alpha", 1.0), ("gamma", 0.5)]
