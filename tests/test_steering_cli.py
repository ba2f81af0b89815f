"""The steering options and the explain and recommend commands, through the CLI."""

import csv
import io
import json
import math
import typing
from pathlib import Path

import pytest

from recommender import diversity
from recommender.cli import Ranked

from .test_cli import run

X1_X3 = 0.5 / (math.sqrt(2) * math.sqrt(1.25))


@pytest.fixture
def ratings(tmp_path: Path) -> Path:
    path = tmp_path / "ratings.csv"
    path.write_text("title,rating\nShow One,9\nShow Two,4\n", encoding="utf-8")
    return path


def commands(ratings: Path) -> list[list[str]]:
    return [
        ["like", "Show Two", "the first"],
        ["like", "Show Two", "--unlike", "Show Three"],
        ["like", "Show One", "--more", "gamma", "--less", "beta", "--diverse"],
        [
            "query",
            "alpha",
            "--not",
            "gamma",
            "--year",
            "2015..",
            "--network",
            "tvn",
            "--genre",
            "romance",
            "--max-episodes",
            "16",
        ],
        ["query", "beta", "--lambda", "0.5", "--exclude", "Show Three"],
        ["recommend", "--ratings", str(ratings), "--diverse"],
        ["explain", "Show One", "Show Three"],
    ]


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_every_new_command_in_every_format(catalog: Path, ratings: Path, fmt: str) -> None:
    for command in commands(ratings):
        code, out, err = run(*command, "--format", fmt, catalog=catalog)
        assert code == 0, (command, err)
        if fmt == "json":
            assert json.loads(out)
        elif fmt == "csv":
            assert len(list(csv.reader(io.StringIO(out)))) >= 2, command
        else:
            assert out.strip()


def test_critique_changes_the_order_and_says_how(catalog: Path) -> None:
    _, out, _ = run(
        "like", "Show One", "--more", "gamma", "--weighting", "none", "--format", "json", catalog=catalog
    )
    data = json.loads(out)
    assert data["description"] == "like Show One, more gamma"
    assert [m["title"] for m in data["results"]] == ["Show Three", "Show Two"]
    assert [m["before"]["rank"] for m in data["results"]] == [2, 1]
    assert data["results"][0]["before"]["score"] == pytest.approx(X1_X3, abs=1e-6)
    _, out, _ = run("like", "Show One", "--more", "gamma", "--weighting", "none", catalog=catalog)
    assert "critique moved it" in out
    assert f"up 1 (was #2, {X1_X3:.3f})" in out and "down 1 (was #1, 0.707)" in out
    _, out, _ = run("like", "Show One", "--more", "gamma", "--format", "csv", catalog=catalog)
    assert out.splitlines()[0] == "rank,id,title,year,network,score,rank_before,score_before,contributions"


def test_plain_like_output_is_unchanged(catalog: Path) -> None:
    _, out, _ = run("like", "Show One", "--format", "json", catalog=catalog)
    data = json.loads(out)
    assert list(data) == ["command", "query", "results", "weighting", "notes", "matched", "description"]
    assert list(data["results"][0]) == ["rank", "id", "title", "year", "network", "score", "because"]
    _, out, _ = run("like", "Show One", "--format", "csv", catalog=catalog)
    assert out.splitlines()[0] == "rank,id,title,year,network,score,contributions"


def test_diverse_shows_mmr_columns(catalog: Path) -> None:
    _, out, _ = run("like", "Show One", "--diverse", catalog=catalog)
    assert "mmr" in out and "closest earlier" in out and f"lambda {diversity.DEFAULT_LAMBDA:g}" in out
    _, out, _ = run("like", "Show One", "--lambda", "0.25", "--format", "csv", catalog=catalog)
    assert out.splitlines()[0] == "rank,id,title,year,network,score,mmr,redundancy,closest,contributions"


def test_help_states_the_default_lambda() -> None:
    option = typing.get_type_hints(Ranked, include_extras=True)["lam"].__metadata__[0]
    assert f"[default: {diversity.DEFAULT_LAMBDA:g}]" in option.help


def test_filters_note_and_seen_warning(catalog: Path, tmp_path: Path) -> None:
    seen = tmp_path / "seen.txt"
    seen.write_text("Show Two\nShow Tooo\n", encoding="utf-8")
    code, out, err = run("like", "Show One", "--seen", str(seen), catalog=catalog)
    assert code == 0
    assert "Show Two" not in out and "Show Three" in out and "filters: 1 seen in" in out
    assert (
        err.count("\n") == 1
        and err.startswith("recommender: warning:")
        and 'no show called "Show Tooo"' in err
    )


def test_recommend_names_the_rated_shows_behind_each_result(catalog: Path, ratings: Path) -> None:
    code, out, _ = run("recommend", "--ratings", str(ratings), "--weighting", "none", catalog=catalog)
    assert code == 0
    assert (
        "Show Three" in out and "driven by" in out and "Show One +" in out and "your mean rating 6.50" in out
    )
    _, out, _ = run("recommend", "--ratings", str(ratings), "--format", "csv", catalog=catalog)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["drivers"].startswith("Show One:") and rows[0]["contributions"]  # one row per result


def test_explain_table(catalog: Path) -> None:
    _, out, _ = run("explain", "Show One", "Show Three", "--weighting", "none", catalog=catalog)
    assert (
        f"cosine {X1_X3:.3f}" in out
        and "A = Show One" in out
        and "only A" in out
        and "only B" in out
        and "100%" in out
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["like", "Show One", "--year", "20x5"], 2, '--year: invalid year range "20x5"'),
        (["like", "Show One", "--year", "2020..2015"], 2, "runs backwards"),
        (
            ["like", "Show One", "--unlike", "Show One"],
            2,
            "both a show to start from and a show to steer away from",
        ),
        (["like", "Show One", "--more", "alpha", "--less", "alpha"], 2, "asked for both more and less"),
        (["like", "Show One", "--network", "KBS"], 1, 'no network called "KBS"'),
        (["like", "Show One", "--genre", "Romanse"], 1, 'did you mean "Romance"'),
        (["like", "Show One", "--exclude", "Show Onne"], 1, 'no show called "Show Onne"'),
        (
            ["like", "Show One", "--seen", "/nonexistent/seen.txt"],
            1,
            "seen file /nonexistent/seen.txt not found",
        ),
        (["like", "Show One", "--more", "gama"], 1, 'no trope called "gama"'),
        (["query", "alpha", "--not", "bta"], 1, 'no trope called "bta"'),
        (["recommend", "--ratings", "/nonexistent/r.csv"], 1, "ratings file /nonexistent/r.csv not found"),
        (["explain", "Show One", "Nope"], 1, 'no show called "Nope"'),
    ],
)
def test_bad_options_are_one_line_errors(catalog: Path, args: list[str], code: int, message: str) -> None:
    got, out, err = run(*args, catalog=catalog)
    assert (got, out) == (code, "")
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_bad_rating_is_one_line_error(catalog: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Show One,11\n", encoding="utf-8")
    code, _, err = run("recommend", "--ratings", str(path), catalog=catalog)
    assert code == 1 and err.count("\n") == 1 and 'rating "11" is not a number from 1 to 10' in err


@pytest.mark.parametrize(
    "args",
    [
        ["like", "Show One", "--lambda", "2"],
        ["like", "Show One", "--max-episodes", "0"],
        ["recommend"],
        ["explain", "Show One"],
    ],
)
def test_malformed_options_exit_2(catalog: Path, args: list[str]) -> None:
    assert run(*args, catalog=catalog)[0] == 2


def test_bundled_catalog_steers(tmp_path: Path) -> None:
    ratings = tmp_path / "ratings.yaml"
    ratings.write_text("Run On: 9\nCrash Landing on You: 10\nThe Heirs: 3\n", encoding="utf-8")
    for command in [
        ["like", "Run On", "Crash Landing on You", "--less", "sports", "--diverse", "--year", "2015.."],
        ["query", "meet-cute", "jeju-trip", "--not", "time-slip", "--max-episodes", "16"],
        ["recommend", "--ratings", str(ratings), "--top", "3"],
        ["explain", "Run On", "Crash Landing on You"],
    ]:
        code, out, err = run(*command)
        assert code == 0, (command, err)
        assert out.strip()


def test_unlike_score_worked_by_hand(catalog: Path) -> None:
    # Unweighted: q = x2 - 0.5 x3 = (1, 0, 0) - 0.5 (0, 0.5, 1)/sqrt 1.25, |q| = sqrt 1.25;
    # the only show left, Show One = (1, 1, 0)/sqrt 2, scores (1 - 0.25/sqrt 1.25)/(sqrt 2 sqrt 1.25).
    code, out, _ = run(
        "like",
        "Show Two",
        "--unlike",
        "Show Three",
        "--weighting",
        "none",
        "--format",
        "csv",
        catalog=catalog,
    )
    expected = (1 - 0.25 / math.sqrt(1.25)) / (math.sqrt(2) * math.sqrt(1.25))
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and [r[2] for r in rows[1:]] == ["Show One"]
    assert float(rows[1][5]) == pytest.approx(expected, abs=1e-6)
    contributions = dict(part.split(":") for part in rows[1][6].split(";"))
    assert sum(float(v) for v in contributions.values()) == pytest.approx(expected, abs=1e-5)
    assert float(contributions["beta"]) < 0  # beta is what Show Three has: it counts against
