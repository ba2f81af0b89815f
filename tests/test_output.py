"""The output layer: the width policy from a table of cases, dispatch by result type, CSV safety."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender import output
from recommender.output import Table, csv_cell, fit_widths, render, text_table, wrap
from recommender.text import display_width

# widths, minimums (header widths), shrinkable columns, terminal width -> widths
WIDTH_CASES = [
    ([5, 10, 20], [1, 5, 5], [1, 2], 100, [5, 10, 20]),  # fits: unchanged
    ([5, 10, 20], [1, 5, 5], [1, 2], 35, [5, 10, 16]),  # 39 + 4 spaces: the last column gives 4
    ([5, 10, 20], [1, 5, 5], [1, 2], 25, [5, 10, 6]),  # the last column gives all it has first
    ([5, 10, 20], [1, 5, 5], [1, 2], 20, [5, 6, 5]),  # then the widest other text column
    ([5, 10, 20], [1, 5, 5], [1, 2], 5, [5, 5, 5]),  # never below a header: what does not fit stays
    ([5, 10, 20], [1, 5, 5], [], 10, [5, 10, 20]),  # numbers only: nothing shrinks
    (
        [5, 30, 30, 8],
        [1, 5, 5, 5],
        [1, 2],
        50,
        [5, 5, 26, 8],
    ),  # a number last: the widest text column first (ties: leftmost)
    ([], [], [], 80, []),
]


@pytest.mark.parametrize("widths, minimums, shrinkable, total, expected", WIDTH_CASES)
def test_fit_widths(
    widths: list[int], minimums: list[int], shrinkable: list[int], total: int, expected: list[int]
) -> None:
    assert fit_widths(widths, minimums, shrinkable, total) == expected


LONG = "The Lonely and Great God: A Very Long Title Indeed"


def ranking_like(rows: list[list[object]]) -> Table:
    return Table(
        ["#", "title", "year", "network", "score", "because"],
        rows,
        optional=("network", "year"),
        keep=("title",),
        detail="because",
    )


ROWS = [
    [1, LONG, 2016, "Amazon Prime Video", 0.745, "Creatures of folklore 36%, Reincarnation 35%"],
    [2, "도깨비", 2016, "tvN", 0.5, "Grim reapers and the afterlife 21%"],
]


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_titles_and_numbers_are_never_cut(width: int) -> None:
    text = text_table(ranking_like(ROWS), width)
    assert "…" not in text
    assert LONG in text or width < display_width(LONG) + 12  # whole on one line where it can be
    words = " ".join(text.split())
    for word in LONG.split() + ["0.745", "0.500", "36%", "35%", "21%"]:
        assert word in words
    if width >= 60:
        assert all(display_width(line) <= width for line in text.splitlines())


def test_low_value_columns_go_first_then_the_detail_goes_under_its_row() -> None:
    wide = text_table(ranking_like(ROWS), 200).splitlines()
    assert wide[0].split() == ["#", "title", "year", "network", "score", "because"]
    narrow = text_table(ranking_like(ROWS), 80).splitlines()
    assert "network" not in narrow[0] and "year" in narrow[0]
    tight = text_table(ranking_like(ROWS), 60).splitlines()
    assert tight[0].split() == ["#", "title", "score"]
    assert tight[3].startswith("   because: Creatures of folklore 36%")


def test_a_column_without_a_header_is_not_taken_for_the_detail() -> None:
    table = Table(["", "trope", "part"], [["stands out for", "Aloof rich male lead", 4.7]])
    lines = text_table(table, 25).splitlines()
    assert lines[2].startswith("stands") and not any(line.startswith("   :") for line in lines)


def test_piped_output_is_whole() -> None:
    lines = text_table(ranking_like(ROWS), None).splitlines()
    assert (
        lines[2]
        == f"1  {LONG}  2016  Amazon Prime Video  0.745  Creatures of folklore 36%, Reincarnation 35%"
    )


def test_wide_characters_count_two_columns() -> None:
    assert display_width("도깨비") == 6 and display_width("e\u0301") == 1 and display_width("abc") == 3
    lines = text_table(Table(["title", "score"], [["도깨비", 0.5], ["Goblin", 0.25]]), None).splitlines()
    assert [display_width(line.split("  ")[0].rstrip()) for line in lines[2:]] == [6, 6]
    assert lines[2].index("0.500") + 3 == lines[3].index("0.250")  # 3 Hangul = 6 columns, in 3 characters


@given(st.text(alphabet="ab 도,%1", max_size=60), st.integers(min_value=1, max_value=30))
def test_wrap_keeps_every_character_and_fits(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(display_width(line) <= max(width, 2) for line in lines)


@dataclass(frozen=True)
class Unregistered:
    x: int


def test_render_dispatches_on_the_result_type() -> None:
    assert render(Unregistered(1), "json") == render(Unregistered(1), "json", command="")
    assert json_loads(render(Unregistered(1), "json")) == {"command": "", "query": {}, "results": [{"x": 1}]}
    with pytest.raises(TypeError, match="no layout registered for Unregistered"):
        render(Unregistered(1), "table")
    every_result = {
        "Ranking", "TasteRanking", "Explanation", "FormulaReport", "FormulaRanking",
        "FormulaInfo", "FormulaList", "FormulaTrend", "Suggestions",
        "ShowDetails", "TropeListing", "ValidationReport", "IndexSummary",
        "ShowListing", "FacetListing", "TropeDetails", "Profile", "Atlas",
    }  # fmt: skip
    assert {name.rsplit(".", 1)[1] for name in output._LAYOUTS} == every_result
    for name in output._LAYOUTS:  # every registered name is a real type
        module, kind = name.rsplit(".", 1)
        assert isinstance(getattr(importlib.import_module(module), kind), type)


@pytest.mark.parametrize(
    "value, expected",
    [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-x", "'-x"), ("@x", "'@x"), ("\tx", "\\tx"), ("ok", "ok"),
     (-0.5, "-0.5"), (3, "3")],
)  # fmt: skip
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(value: object, expected: str) -> None:
    assert csv_cell(value) == expected


@dataclass(frozen=True)
class Text:
    t: str


def test_json_escapes_what_a_terminal_would_run() -> None:
    text = render(Text("a\x9bb\x7fc\x1b"), "jsonl")
    assert text == '{"t": "a\\u009bb\\u007fc\\u001b"}'
    assert json_loads(text) == {"t": "a\x9bb\x7fc\x1b"}  # still the same string to a program


def json_loads(text: str) -> object:
    import json

    return json.loads(text)
