"""Every kind of bad input is caught, named (file, key or line, fix) and never modified."""

import hashlib
from pathlib import Path

import pytest

from recommender.build import build, collect
from recommender.errors import DataError
from recommender.locate import locate

from .conftest import SHOWS, TROPES, write_catalog


def problems(root: Path) -> list[str]:
    found = collect(root)
    return [str(p) for p in [*found.problems, *found.skipped]]


def test_valid_catalog_has_no_problems(catalog: Path) -> None:
    assert problems(catalog) == []
    assert build(catalog).text("show_title").tolist() == ["Show One", "Show Three", "Show Two"]


def test_yaml_syntax_error_names_file_and_line(catalog: Path) -> None:
    (catalog / "shows" / "two.yaml").write_text("title: Show Two\ntropes: {alpha: 1.0\nyear: 2020\n")
    [problem] = problems(catalog)
    assert problem.startswith("shows/two.yaml: line ") and "YAML error" in problem


def test_unknown_trope_gets_did_you_mean(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, {"x": {"title": "X", "tropes": {"alpah": 1.0}}})
    assert problems(root) == [
        'shows/x.yaml: tropes.alpah: unknown trope (did you mean "alpha"?): use an id from tropes.yaml'
    ]


@pytest.mark.parametrize("weight", [0, 1.5, -0.25, "high", True])
def test_weights_outside_zero_one_are_caught(tmp_path: Path, weight: object) -> None:
    root = write_catalog(tmp_path, {"x": {"title": "X", "tropes": {"alpha": weight}}})
    [problem] = problems(root)
    assert "shows/x.yaml: tropes.alpha: weight" in problem and "outside (0, 1]" in problem


def test_missing_required_field_and_unknown_key(tmp_path: Path) -> None:
    root = write_catalog(
        tmp_path, {"x": {"title": "X", "tropes": {"alpha": 1.0}, "network": "", "tropse": {}}}
    )
    found = problems(root)
    assert "shows/x.yaml: network: missing: every show needs `network`" in found
    assert any(p.startswith('shows/x.yaml: tropse: unknown key (did you mean "tropes"?)') for p in found)


def test_duplicate_titles_and_aliases_are_caught(tmp_path: Path) -> None:
    shows = dict(SHOWS)
    shows["copy"] = {"title": "show one!", "tropes": {"beta": 1.0}}
    shows["alias"] = {"title": "Other", "aliases": ["The First"], "tropes": {"beta": 1.0}}
    found = problems(write_catalog(tmp_path, shows))
    assert any("shows/one.yaml" in p and "'showone' also names shows/copy.yaml" in p for p in found)
    assert any("'thefirst' also names" in p for p in found)


def test_empty_catalog_is_a_problem(tmp_path: Path) -> None:
    assert problems(write_catalog(tmp_path, {})) == [
        "shows/: the catalog has no shows: add a YAML file a show (see README)"
    ]


def test_taxonomy_problems(tmp_path: Path) -> None:
    tropes = [*TROPES, {"id": "Bad Id", "name": "Alpha Trope", "category": "leed", "description": "x"}]
    found = problems(write_catalog(tmp_path, tropes=tropes))
    assert any("is not kebab-case" in p for p in found)
    assert any("unknown category 'leed' (did you mean \"lead\"?)" in p for p in found)
    assert any("already names trope 'alpha'" in p for p in found)


def test_long_synopsis_is_caught(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, {"x": {"title": "X", "synopsis": "word " * 61, "tropes": {"alpha": 1.0}}})
    assert problems(root) == ["shows/x.yaml: synopsis: has 61 words: keep it to 60"]


def test_load_raises_first_problem_with_count(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, {"x": {"title": "X", "tropes": {"zzz": 1.0, "yyy": 0.5}}})
    with pytest.raises(DataError, match=r"1 more problems: run `recommender validate`"):
        build(root)


def test_locate_errors_name_the_folder_and_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DataError, match="catalog folder not found"):
        locate(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("RECOMMENDER_CATALOG", str(tmp_path / "empty"))
    with pytest.raises(DataError, match=r"no tropes.yaml .*RECOMMENDER_CATALOG"):
        locate()


def test_nothing_in_the_catalog_is_modified(catalog: Path) -> None:
    (catalog / "shows" / "bad.yaml").write_text("title: [unclosed\n")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in catalog.rglob("*") if p.is_file()}
    collect(catalog)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in catalog.rglob("*") if p.is_file()}
    assert before == after
