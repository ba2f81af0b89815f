import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recommender.cli import app

from .conftest import write_catalog

runner = CliRunner()


def run(*args: str, catalog: Path | None = None) -> tuple[int, str, str]:
    extra = ["--catalog", str(catalog)] if catalog else []
    result = runner.invoke(app, [*args, *extra])
    return result.exit_code, result.stdout, result.stderr


# Worked by hand, unweighted, over (alpha, beta, gamma): S1 = (1, 1, 0)/sqrt 2, S2 = (1, 0, 0),
# S3 = (0, 0.5, 1)/sqrt 1.25. cos(S1, S2) = 1/sqrt 2 = 0.707107, cos(S1, S3) = 0.5/sqrt 2.5 = 0.316228;
# the query alpha + gamma is (1, 0, 1)/sqrt 2: S2 0.707107, S3 1/sqrt 2.5 = 0.632456, S1 0.5.
# Formula (alpha 1.0, gamma 0.5): S1 = S2 = 100 x 1/1.5 = 66.6667, S3 = 100 x 0.5/1.5 = 33.3333.
EXPECTED_CSV = {
    ("like", "Show One", "--weighting", "none"): [
        "rank,id,title,year,network,score,contributions",
        "1,two,Show Two,2020,tvN,0.707107,alpha:0.707107",
        "2,three,Show Three,2020,tvN,0.316228,beta:0.316228",
    ],
    ("query", "alpha", "Gamma trope", "--weighting", "none"): [
        "rank,id,title,year,network,score,contributions",
        "1,two,Show Two,2020,tvN,0.707107,alpha:0.707107",
        "2,three,Show Three,2020,tvN,0.632456,gamma:0.632456",
        "3,one,Show One,2020,tvN,0.5,alpha:0.500000",
    ],
    # formula alpha 1.0, gamma 0.5 in focus weighting: a = sqrt(idf alpha), g = 1.5 sqrt(idf gamma),
    # L = sqrt(a^2 + (g / 4)^2); Show Two 100 a / L = 91.8667, Show One that / sqrt 2 = 64.9596,
    # Show Three 100 (g / |(a / 4, g)|) (g / 4 / L) = 39.0925, all from gamma
    ("formula", "Show Three"): [
        "id,title,formula,score,rank,of,percentile,part,trope,name,formula_weight,show_weight,contribution",
        "three,Show Three,romance,39.0925,3,3,0,follows,gamma,Gamma trope,0.5,1,39.0925",
        "three,Show Three,romance,39.0925,3,3,0,skips,alpha,Alpha trope,1,0,0",
        "three,Show Three,romance,39.0925,3,3,0,stands out for,beta,Beta trope,,0.5,",
    ],
    ("formula", "--all"): [
        "rank,id,title,year,network,score,end",
        "1,two,Show Two,2020,tvN,91.8667,",
        "2,one,Show One,2020,tvN,64.9596,",
        "3,three,Show Three,2020,tvN,39.0925,",
    ],
    ("show", "the first", "--weighting", "none"): [
        "id,title,trope,name,category,weight,weighted",
        "one,Show One,alpha,Alpha trope,Leads,1,0.707107",
        "one,Show One,beta,Beta trope,Leads,1,0.707107",
    ],
    ("tropes",): [
        "id,name,category,shows,description,aliases",
        "alpha,Alpha trope,Leads,2,The first test trope.,first one",
        "beta,Beta trope,Leads,2,The second test trope.,",
        "gamma,Gamma trope,Tone,1,The third test trope.,jeju island",
    ],
    ("validate",): ["file,key,problem"],
}


@pytest.mark.parametrize("command", list(EXPECTED_CSV), ids=" ".join)
def test_every_command_gives_the_values_worked_by_hand(catalog: Path, command: tuple[str, ...]) -> None:
    code, out, err = run(*command, "--format", "csv", catalog=catalog)
    assert (code, err) == (0, "")
    assert out.splitlines() == EXPECTED_CSV[command]


@pytest.mark.parametrize("command", list(EXPECTED_CSV), ids=" ".join)
def test_json_and_table_carry_the_same_rows(catalog: Path, command: tuple[str, ...]) -> None:
    _, out, _ = run(*command, "--format", "json", catalog=catalog)
    data = json.loads(out)
    assert isinstance(data, dict)
    _, table, _ = run(*command, catalog=catalog)
    titles = {row.split(",")[2] for row in EXPECTED_CSV[command][1:] if command[0] in ("like", "query")}
    assert all(t in table and t in out for t in titles)


def test_like_table_explains_each_match(catalog: Path) -> None:
    code, out, _ = run("like", "Show Three", "--weighting", "none", catalog=catalog)
    assert code == 0
    assert "Show One" in out and "Beta trope 100%" in out


def test_like_json_carries_scores_and_contributions(catalog: Path) -> None:
    _, out, _ = run("like", "Show One", "--format", "json", "--weighting", "none", catalog=catalog)
    data = json.loads(out)
    assert data["command"] == "like" and data["query"] == {
        "titles": ["Show One"],
        "top": 10,
        "weighting": "none",
    }
    assert data["description"] == "like Show One" and data["weighting"] == "none"
    first = data["results"][0]
    assert first["id"] == "two"
    assert first["title"] == "Show Two" and first["score"] == pytest.approx(0.707107, abs=1e-6)
    assert first["because"][0]["trope"] == "alpha"


def test_formula_table_names_skipped_beats_and_stand_out_tropes(catalog: Path) -> None:
    _, out, _ = run("formula", "Show One", catalog=catalog)
    assert "65.0/100 on Test formula (romance)" in out and "rank 2 of 3 shows" in out
    assert "skips" in out and "Gamma trope" in out and "stands out for" in out and "Beta trope" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["like", "Show Onne"], 'no show called "Show Onne" in the catalog (did you mean "Show One"'),
        (["query", "alpah"], 'no trope called "alpah" (did you mean "alpha"?)'),
        (["formula", "Nope Nope Nope"], 'no show called "Nope Nope Nope"'),
        (["formula", "Show One", "--formula", "tragedy"], 'no formula called "tragedy"'),
    ],
)
def test_lookup_errors_are_one_line_exit_1(catalog: Path, args: list[str], message: str) -> None:
    code, out, err = run(*args, catalog=catalog)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [["like"], ["like", "Show One", "--top", "0"], ["like", "Show One", "--format", "xml"], ["formula"]],
)
def test_usage_errors_exit_2(catalog: Path, args: list[str]) -> None:
    code, _, _ = run(*args, catalog=catalog)
    assert code == 2


def test_broken_yaml_is_one_line_error_and_validate_lists_everything(catalog: Path) -> None:
    (catalog / "shows" / "two.yaml").write_text("title: [broken\n")
    (catalog / "shows" / "four.yaml").write_text(
        "title: Four\nyear: 2020\nnetwork: KBS2\nepisodes: 2\ntropes: {alphaa: 1.0}\n"
    )
    code, out, err = run("like", "Show One", catalog=catalog)
    assert code == 1 and "Traceback" not in err and err.count("\n") == 1
    assert "shows/four.yaml: tropes.alphaa: unknown trope" in err
    code, out, _ = run("validate", catalog=catalog)
    assert code == 1
    assert "shows/two.yaml" in out and "shows/four.yaml" in out and "2 problems" in out


def test_catalog_from_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_catalog(
        tmp_path / "env",
        {
            "a": {"title": "Env Show", "tropes": {"alpha": 1.0}},
            "b": {"title": "Other", "tropes": {"alpha": 0.5}},
        },
    )
    monkeypatch.setenv("RECOMMENDER_CATALOG", str(root))
    code, out, _ = run("like", "Env Show")
    assert code == 0 and "Other" in out


def test_missing_catalog_folder(tmp_path: Path) -> None:
    code, _, err = run("like", "x", catalog=tmp_path / "missing")
    assert code == 1 and "catalog folder not found" in err


def test_bundled_catalog_answers_run_on() -> None:
    code, out, err = run("formula", "Run On")
    assert code == 0, err
    assert "Unusual job" in out and "stands out for" in out


def test_piped_tables_print_whole_rows(tmp_path: Path) -> None:
    long = "A Title Far Longer Than Any Terminal Would Show In One Column Of A Table, Really"
    shows = {
        "one": {"title": long, "tropes": {"alpha": 1.0}},
        "two": {"title": "Two", "tropes": {"alpha": 1.0}},
    }
    root = write_catalog(tmp_path / "c", shows)
    result = runner.invoke(app, ["like", "Two", "--catalog", str(root)], env={"COLUMNS": ""})
    assert long in result.stdout and "…" not in result.stdout  # not a terminal: no width limit
    narrow = runner.invoke(app, ["like", "Two", "--catalog", str(root)], env={"COLUMNS": "60"})
    assert "…" not in narrow.stdout and all(len(line) <= 60 for line in narrow.stdout.splitlines()[1:])


def test_a_trope_given_to_like_and_a_show_given_to_query_point_to_the_other(catalog: Path) -> None:
    code, _, err = run("like", "Gamma trope", catalog=catalog)
    assert code == 1 and 'is a trope: try `recommender query "Gamma trope"`' in err
    code, _, err = run("query", "Show Two", catalog=catalog)
    assert code == 1 and 'is a show: try `recommender like "Show Two"`' in err


def test_every_result_row_has_its_id_and_says_how_many_matched(catalog: Path) -> None:
    _, out, _ = run("query", "gamma", "--top", "40", "--format", "json", catalog=catalog)
    data = json.loads(out)
    assert [r["id"] for r in data["results"]] == ["three"] and data["matched"] == 1  # no padding with zeros
    _, table, _ = run("query", "gamma", catalog=catalog)
    assert "1 show match, all shown" in table


SCHEMA_COMMANDS = [
    ("like", "Show One"),
    ("query", "alpha"),
    ("show", "Show One"),
    ("explain", "Show One", "Show Two"),
    ("formula", "Show One"),
    ("formula", "--all"),
    ("formula", "--by", "era"),
    ("formulas",),
    ("tropes",),
    ("tropes", "alpha"),
    ("shows",),
    ("genres",),
    ("networks",),
    ("validate",),
]


@pytest.mark.parametrize("command", SCHEMA_COMMANDS, ids=" ".join)
def test_every_command_prints_the_documented_envelope(catalog: Path, command: tuple[str, ...]) -> None:
    code, out, _ = run(*command, "--format", "json", catalog=catalog)
    data = json.loads(out)
    assert code == 0 and list(data)[:3] == ["command", "query", "results"]
    assert data["command"] == command[0] and isinstance(data["results"], list)
    for row in data["results"]:
        assert "title" not in row or row["id"] in {"one", "two", "three"}  # every show row has its id
    doc = (Path(__file__).parent.parent / "docs" / "output.md").read_text(encoding="utf-8")
    assert f"`{command[0]}" in doc  # the command's shape is documented
    code, lines, _ = run(*command, "--format", "jsonl", catalog=catalog)
    assert [json.loads(line) for line in lines.splitlines()] == data["results"]


def test_a_run_builds_only_the_command_it_invokes() -> None:
    import typer.main

    group = typer.main.get_command(app)
    assert isinstance(group, typer.main.TyperGroup)
    assert group.commands.built == {}  # type: ignore[attr-defined]
    assert group.get_command(None, "like") is group.get_command(None, "like")  # type: ignore[arg-type]
    assert list(group.commands.built) == ["like"]  # type: ignore[attr-defined]
    assert group.get_command(None, "no-such-command") is None  # type: ignore[arg-type]
    names = group.list_commands(None)  # type: ignore[arg-type]
    assert names[:2] == ["like", "query"] and len(names) == len(set(names)) == 15
    assert "like" in group.commands and "nope" not in group.commands


def test_help_lists_every_command_and_each_command_its_own_options() -> None:
    import typer.main

    from recommender import cli

    registered = [cli._command_name(info) for info in app.deferred]
    code, out, _ = run("--help")
    assert code == 0
    assert all(name in out for name in registered)
    code, out, _ = run("like", "--help")
    assert code == 0 and "--max-hours" in out and "--unlike" in out
    group = typer.main.get_command(app)
    assert sorted(dict(group.commands.items())) == sorted(registered)  # type: ignore[attr-defined]
