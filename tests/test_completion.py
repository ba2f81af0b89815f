"""Shell completion: titles and trope ids from the index, as the shell asks for them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recommender import completion
from recommender.cli import app


def complete(catalog: Path, line: str, shell: str = "bash") -> list[str]:
    """What the shell would be offered for the last word of `line` (Typer's protocol, as its scripts call it)."""
    words = re.split(r"(?<!\\) ", line)  # an escaped space stays inside its word
    env = {"_RECOMMENDER_COMPLETE": f"complete_{shell}", "RECOMMENDER_CATALOG": str(catalog)}
    if shell == "bash":
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = CliRunner().invoke(app, [], env=env, prog_name="recommender")
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("recommender like show", [r"Show\ One", r"Show\ Two", r"Show\ Three"]),
        ("recommender like SHOW-T", [r"Show\ Two", r"Show\ Three"]),
        ("recommender show the-fi", [r"Show\ One"]),  # an alias completes to the title
        ("recommender explain Show\\ One 하", [r"Show\ One"]),  # and so does a Korean title
        ("recommender like Show\\ One --not gam", ["gamma"]),
        ("recommender query jeju", ["gamma"]),  # a trope's alias
        ("recommender query trope", ["alpha", "beta", "gamma"]),  # names containing it, when none starts so
        ("recommender profile never be", ["beta"]),
        ("recommender profile seen two", [r"Show\ Two"]),
        ("recommender profile show x", []),
    ],
)
def test_bash_completes_titles_and_tropes_in_any_case(catalog: Path, line: str, offered: list[str]) -> None:
    assert sorted(complete(catalog, line)) == sorted(offered)


def test_fish_gets_whole_titles_with_the_year(catalog: Path) -> None:
    assert complete(catalog, "recommender like show-o", "fish") == ["Show One\t2020"]


def test_a_catalog_that_cannot_be_read_completes_nothing(tmp_path: Path) -> None:
    assert complete(tmp_path / "missing", "recommender like show") == []


def test_matching_prefers_prefixes_and_lists_each_owner_once() -> None:
    keys, owners = ["runon", "run", "onrun", "startup"], [0, 0, 1, 2]
    assert completion.matching(keys, owners, "Run") == [0]
    assert completion.matching(keys, owners, "tup") == [2]
    assert completion.matching(keys, owners, "") == [0, 1, 2]


def test_install_completion_is_offered() -> None:
    result = CliRunner().invoke(app, ["--show-completion", "bash"], prog_name="recommender")
    assert "_RECOMMENDER_COMPLETE=complete_bash" in result.stdout
