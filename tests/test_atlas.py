"""The map: a fixed layout for a fixed catalog, a cache that is used and never in the way, clusters named by
their tropes, highlights, filters, and pictures and an offline page that are really written."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from recommender import atlas, atlas_page, atlas_plot, engine, output
from recommender.build import build
from recommender.errors import NotFoundError, UsageError
from recommender.filters import Filters
from recommender.index import Index
from recommender.output import csv_text, text_table
from tests.conftest import write_catalog

GROUP_TROPES = [
    {
        "id": "sageuk",
        "name": "Sageuk",
        "category": "lead",
        "description": "A drama of the old kingdoms.",
        "aliases": [],
    },
    {
        "id": "palace-intrigue",
        "name": "Palace intrigue",
        "category": "lead",
        "description": "Plots at court.",
        "aliases": [],
    },
    {
        "id": "royal-guard",
        "name": "Royal guard",
        "category": "lead",
        "description": "A sworn guard.",
        "aliases": [],
    },
    {
        "id": "chaebol-heir",
        "name": "Chaebol heir",
        "category": "lead",
        "description": "A rich heir.",
        "aliases": [],
    },
    {
        "id": "contract-relationship",
        "name": "Contract relationship",
        "category": "lead",
        "description": "A fake couple on paper.",
        "aliases": [],
    },
    {
        "id": "jeju-trip",
        "name": "Jeju trip",
        "category": "lead",
        "description": "The couple travels to Jeju Island.",
        "aliases": [],
    },
]
GROUP_FORMULA = {"romance": {"name": "Test", "description": "Rich.", "tropes": {"chaebol-heir": 1.0}}}


def two_groups(size: int = 8) -> dict[str, dict[str, Any]]:
    """`size` palace shows and `size` chaebol shows (from 2015) with no trope in common, each a little different."""
    shows: dict[str, dict[str, Any]] = {}
    for i in range(size):
        second, third = (0.5, 0.75, 1.0)[i % 3], (0.0, 0.25, 0.5, 0.75)[i % 4]
        palace = {"sageuk": 1.0, "palace-intrigue": second}
        chaebol = {"chaebol-heir": 1.0, "contract-relationship": second}
        if third:
            palace["royal-guard"] = third
            chaebol["jeju-trip"] = third
        shows[f"palace-{i}"] = {"title": f"Palace {i}", "tropes": palace}
        shows[f"chaebol-{i}"] = {"title": f"Chaebol {i}", "year": 2015, "tropes": chaebol}
    return shows


@pytest.fixture
def groups(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "groups", two_groups(), GROUP_TROPES, GROUP_FORMULA)


def coordinates(result: atlas.Atlas) -> dict[str, tuple[float, float, int]]:
    return {p.id: (p.x, p.y, p.cluster) for p in result.points}


# --- layout and cache ----------------------------------------------------------------


def test_the_same_catalog_gives_the_same_map(groups: Path, tmp_path: Path) -> None:
    first = atlas.atlas(build(groups), use_cache=False)
    again = atlas.atlas(build(groups), use_cache=False)
    elsewhere = shutil.copytree(groups, tmp_path / "copy")
    moved = atlas.atlas(build(elsewhere), use_cache=False)
    assert first.method == "t-SNE"
    assert coordinates(first) == coordinates(again) == coordinates(moved)
    assert atlas.layout_key(build(groups), "focus") == atlas.layout_key(build(elsewhere), "focus")
    xy = np.array([[p.x, p.y] for p in first.points])
    assert np.abs(xy).max() == pytest.approx(1.0) and np.isfinite(xy).all()


def test_a_second_map_comes_from_the_cache(
    groups: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "layouts"
    first = atlas.atlas(build(groups), cache_dir=folder)
    assert not first.cached and list((folder / "maps").glob("*.npz"))

    def no_tsne(matrix: np.ndarray) -> np.ndarray:
        raise AssertionError("t-SNE ran although the layout was cached")

    monkeypatch.setattr(atlas, "tsne", no_tsne)
    second = atlas.atlas(build(groups), cache_dir=folder)
    assert second.cached and coordinates(second) == coordinates(first)
    assert [c.label for c in second.clusters] == [c.label for c in first.clusters]


def test_the_cached_path_imports_no_scikit_learn(groups: Path, tmp_path: Path) -> None:
    folder = tmp_path / "layouts"
    atlas.atlas(build(groups), cache_dir=folder)
    script = (
        "import sys; from pathlib import Path; from recommender import atlas; from recommender.build import build; "
        f"a = atlas.atlas(build(Path({str(groups)!r})), cache_dir=Path({str(folder)!r})); "
        "print(a.cached, 'sklearn' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.stdout.split() == ["True", "False"], run.stderr


def test_importing_the_map_modules_imports_nothing_heavy() -> None:
    script = (
        "import sys; import recommender.atlas, recommender.atlas_page, recommender.atlas_plot; "
        "print(sorted(m for m in ('sklearn', 'scipy', 'matplotlib') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "[]", run.stderr


def test_a_cache_that_cannot_be_written_or_read_is_no_error(groups: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    assert not atlas.atlas(build(groups), cache_dir=blocker).cached
    folder = tmp_path / "layouts"
    index = build(groups)
    path = atlas.layout_path(folder, atlas.layout_key(index, "focus"))
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a zip file")
    damaged = atlas.atlas(index, cache_dir=folder)
    assert not damaged.cached
    assert atlas.atlas(index, cache_dir=folder).cached  # the damaged file was replaced


def test_a_changed_catalog_gets_a_new_layout(groups: Path) -> None:
    before = atlas.layout_key(build(groups), "focus")
    shows = two_groups()
    shows["palace-0"]["tropes"]["royal-guard"] = 1.0
    changed = write_catalog(groups, shows, GROUP_TROPES, GROUP_FORMULA)
    assert atlas.layout_key(build(changed), "focus") != before
    assert atlas.layout_key(build(changed), "idf") != atlas.layout_key(build(changed), "focus")


# --- clusters and labels ---------------------------------------------------------------


def test_two_groups_with_disjoint_tropes_are_two_clusters_named_by_their_tropes(groups: Path) -> None:
    result = atlas.atlas(build(groups), use_cache=False)
    assert len(result.clusters) == 2
    by_label = {c.label: c for c in result.clusters}
    assert set(by_label) == {"sageuk / palace intrigue", "chaebol heir / contract relationship"}
    assert sorted(by_label["sageuk / palace intrigue"].members) == sorted(f"palace-{i}" for i in range(8))
    assert by_label["sageuk / palace intrigue"].tropes[:3] == ["Sageuk", "Palace intrigue", "Royal guard"]
    assert by_label["chaebol heir / contract relationship"].size == 8
    assert [c.id for c in result.clusters] == [0, 1]


def test_clusters_of_the_same_tropes_get_distinct_labels() -> None:
    names = [["a", "b", "c"], ["a", "b", "d"], ["e", "f"]]
    assert atlas.cluster_labels(names) == ["a / b / c", "a / b / d", "e / f"]
    assert atlas.cluster_labels([["a", "b"], ["a", "b"]]) == ["a / b", "a / b (2)"]
    assert atlas.cluster_labels([[]]) == ["mixed"]


def test_trope_names_read_as_fan_words() -> None:
    assert atlas.fan_name("Palace intrigue", "Plots at court.") == "palace intrigue"
    assert atlas.fan_name("Jeju trip", "The couple travels to Jeju Island.") == "Jeju trip"
    assert atlas.fan_name("Jeju trip", "Jeju is an island.") == "jeju trip"
    assert atlas.fan_name("Rich woman, poor man", "She is rich.") == "rich woman, poor man"


def test_the_number_of_clusters_grows_with_the_catalog() -> None:
    assert [atlas.cluster_count(n) for n in (2, 3, 4, 12, 600, 1000, 5000)] == [1, 1, 2, 2, 14, 18, 20]


def test_defining_tropes_are_those_a_group_has_more_of_than_the_catalog() -> None:
    matrix = np.array([[1.0, 0.0, 0.5], [1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 1.0, 0.5]])
    assert atlas.defining(matrix, np.array([0, 1])).tolist() == [0]
    assert atlas.defining(matrix, np.arange(4)).tolist() == [0, 1, 2]


# --- highlights and filters --------------------------------------------------------------


def test_named_shows_and_their_picks_are_highlighted(groups: Path) -> None:
    index = build(groups)
    result = atlas.atlas(index, ["Palace 1"], k=3, use_cache=False)
    marks = {p.id: p.highlight for p in result.points if p.highlight}
    picks = [m.id for m in engine.like(index, "Palace 1", engine.RankOptions(3)).matches]
    assert marks == {"palace-1": "named", **{pick: "pick" for pick in picks}}
    assert all(pick.startswith("palace-") for pick in picks)
    assert any(note.startswith("named: Palace 1 (in sageuk / palace intrigue)") for note in result.notes)
    assert not {p.highlight for p in atlas.atlas(index, ["Palace 1"], k=0, use_cache=False).points} - {
        "",
        "named",
    }
    with pytest.raises(NotFoundError, match="no show called"):
        atlas.atlas(index, ["Palace 99 and more"], use_cache=False)


def test_filters_limit_the_shows_drawn_but_not_where_they_stand(groups: Path) -> None:
    index = build(groups)
    everything = coordinates(atlas.atlas(index, use_cache=False))
    recent = atlas.atlas(index, filters=Filters(years=(2018, None)), use_cache=False)
    assert {p.id for p in recent.points} == {f"palace-{i}" for i in range(8)}
    assert [c.label for c in recent.clusters] == ["sageuk / palace intrigue"]
    assert all(everything[p.id] == (p.x, p.y, p.cluster) for p in recent.points)
    assert any("8 of 16 shows pass" in note for note in recent.notes)
    named = atlas.atlas(index, ["Chaebol 2"], filters=Filters(years=(2018, None)), use_cache=False)
    assert {p.id: p.highlight for p in named.points}["chaebol-2"] == "named"  # the show asked about is drawn
    assert all(p.id.startswith("palace-") for p in named.points if p.highlight == "pick")


# --- tiny catalogs ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 3, 5])
def test_tiny_catalogs_still_make_a_map(tmp_path: Path, size: int) -> None:
    shows = dict(list(two_groups(3).items())[:size])
    root = write_catalog(tmp_path / "tiny", shows, GROUP_TROPES, GROUP_FORMULA)
    result = atlas.atlas(build(root), ["Palace 0"], cache_dir=tmp_path / "layouts")
    assert len(result.points) == size and result.method == "classical MDS"
    assert sum(c.size for c in result.clusters) == size
    for suffix in (".png", ".html"):
        assert atlas.save(result, tmp_path / f"tiny{suffix}").stat().st_size > 0


def test_the_three_show_test_catalog_is_one_cluster(catalog: Path) -> None:
    result = atlas.atlas(build(catalog), use_cache=False)
    assert len(result.clusters) == 1 and result.clusters[0].size == 3


def test_classical_mds_keeps_cosine_distances() -> None:
    matrix = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.6, 0.8, 0.0]])
    xy = atlas.classical_mds(matrix)
    want = np.sqrt(np.clip(2 - 2 * matrix @ matrix.T, 0, None))
    got = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(axis=2))
    assert np.allclose(got, want, atol=1e-9)
    assert atlas.classical_mds(matrix[:1]).shape == (1, 2)


# --- outputs ---------------------------------------------------------------------------------


@pytest.fixture
def result(groups: Path) -> atlas.Atlas:
    return atlas.atlas(build(groups), ["Palace 1"], k=2, use_cache=False)


def test_png_and_svg_pictures_are_written(result: atlas.Atlas, tmp_path: Path) -> None:
    png = atlas.save(result, tmp_path / "map.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    svg = atlas.save(result, tmp_path / "map.SVG")
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text[:1000] and "sageuk / palace intrigue" in text


def test_bad_targets_are_one_line_usage_errors(result: atlas.Atlas, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"give a file ending in \.png, \.svg or \.html"):
        atlas.save(result, tmp_path / "map.pdf")
    with pytest.raises(UsageError, match="does not exist"):
        atlas.save(result, tmp_path / "missing" / "map.png")


def page_points(text: str) -> list[list[Any]]:
    found = re.search(r'<script id="atlas-data" type="application/json">(.*?)</script>', text, re.S)
    assert found
    return list(json.loads(found.group(1))["points"])


def test_the_page_is_offline_and_embeds_every_show(result: atlas.Atlas, tmp_path: Path) -> None:
    text = atlas.save(result, tmp_path / "map.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert "http://" not in text and "https://" not in text
    assert "<canvas" in text and 'id="search"' in text and 'id="found"' in text
    assert sorted(row[8] for row in page_points(text)) == sorted(p.id for p in result.points)
    assert text.count("<script") == 2 and "<link" not in text and "@import" not in text


def test_a_title_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    shows = two_groups(3)
    shows["palace-0"]["title"] = "Love </script><img src=x onerror=alert(1)> & War"
    root = write_catalog(tmp_path / "sly", shows, GROUP_TROPES, GROUP_FORMULA)
    text = atlas_page.page(atlas.atlas(build(root), use_cache=False))
    assert "<img" not in text and text.count("</script>") == 2
    assert "Love </script><img src=x onerror=alert(1)> & War" in [row[0] for row in page_points(text)]


def test_the_layouts_list_clusters_and_points(result: atlas.Atlas) -> None:
    table = text_table(output.atlas_table(result), 120)
    assert "sageuk / palace intrigue" in table and "Palace 1" in table
    assert "named: Palace 1" in table
    rows = csv_text(output.atlas_csv_table(result)).splitlines()
    assert rows[0] == "id,title,year,x,y,cluster,cluster_label,highlight"
    assert len(rows) == 1 + len(result.points)
    assert any(row.startswith("palace-1,Palace 1,2020,") and row.endswith(",named") for row in rows)


# --- label placement ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_placed_labels_never_overlap(seed: int) -> None:
    rng = np.random.default_rng(seed)
    starts = rng.uniform(300, 500, size=(25, 2))
    sizes = np.column_stack([rng.uniform(40, 200, 25), np.full(25, 18.0)])
    obstacles = np.column_stack([rng.uniform(300, 500, size=(6, 2)), np.full((6, 2), 12.0)])
    centres = atlas_plot.place(starts, sizes, (0, 0, 1200, 900), obstacles)
    boxes = np.vstack([np.column_stack([centres, sizes]), obstacles])
    for i in range(len(centres)):
        for j in range(i + 1, len(boxes)):
            apart = np.abs(boxes[i, :2] - boxes[j, :2]) >= (boxes[i, 2:] + boxes[j, 2:]) / 2
            assert apart.any(), (i, j)
    assert (centres - sizes / 2 >= 0).all() and (centres + sizes / 2 <= [1200, 900]).all()


def test_an_empty_map_is_still_written(groups: Path, tmp_path: Path) -> None:
    index: Index = build(groups)
    empty = atlas.atlas(index, filters=Filters(years=(1990, 1991)), use_cache=False)
    assert empty.points == [] and empty.clusters == [] and empty.warnings
    for suffix in (".png", ".svg", ".html"):
        assert atlas.save(empty, tmp_path / f"empty{suffix}").stat().st_size > 0


def test_map_command_lists_clusters_and_writes_every_picture(tmp_path: Path) -> None:
    from .test_cli import run

    root = write_catalog(tmp_path / "cli", two_groups(4), GROUP_TROPES, GROUP_FORMULA)
    code, out, _ = run("map", "Palace 1", "-k", "2", catalog=root)
    assert code == 0 and "sageuk / palace intrigue" in out and "named: Palace 1" in out
    code, out, _ = run("map", "--format", "json", catalog=root)
    data = json.loads(out)
    assert data["command"] == "map" and {p["id"] for p in data["results"]} >= {"palace-1"}
    for suffix in ("png", "svg", "html"):
        code, _, err = run("map", "--output", str(tmp_path / f"m.{suffix}"), catalog=root)
        assert code == 0 and (tmp_path / f"m.{suffix}").stat().st_size > 1000 and "wrote" in err
    code, _, err = run("map", "--output", str(tmp_path / "m.txt"), catalog=root)
    assert code == 2 and "give a file ending in .png, .svg or .html" in err
