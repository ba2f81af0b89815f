"""The output layer: the width policy from a table of cases, dispatch by result type, CSV safety."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import pytest

from recommender import output
from recommender.output import Table, csv_cell, fit_widths, render, text_table

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


def test_text_table_never_cuts_a_number_or_the_first_column() -> None:
    table = Table(["#", "title", "score"], [[1, "A very long title indeed", 0.123456]])
    lines = text_table(table, width=20).splitlines()
    assert lines[2].startswith("1  A") and lines[2].endswith("0.123") and "…" in lines[2]


@dataclass(frozen=True)
class Unregistered:
    x: int


def test_render_dispatches_on_the_result_type() -> None:
    assert render(Unregistered(1), "json") == '{\n  "x": 1\n}'
    with pytest.raises(TypeError, match="no layout registered for Unregistered"):
        render(Unregistered(1), "table")
    every_result = {
        "Ranking", "TasteRanking", "Explanation", "FormulaReport", "FormulaRanking",
        "FormulaInfo", "FormulaList", "FormulaTrend", "Suggestions",
        "ShowDetails", "TropeListing", "ValidationReport", "IndexSummary",
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
    text = render(Text("a\x9bb\x7fc\x1b"), "json")
    assert text == '{\n  "t": "a\\u009bb\\u007fc\\u001b"\n}'
    assert json_loads(text) == {"t": "a\x9bb\x7fc\x1b"}  # still the same string to a program


def json_loads(text: str) -> object:
    import json

    return json.loads(text)
