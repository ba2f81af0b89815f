"""The one place results become text: readable tables, JSON and CSV, chosen by the result's type.

Every command returns a frozen dataclass. `render(result, fmt)` looks up the layouts
registered for its type (`@layout("module.Type")`): JSON is the dataclass as it is; a table layout
turns it into a `Table` (headers and rows) printed aligned for people, and a CSV layout (the
table layout where none is registered) gives the rows for programs. Tables fit the width they
are given (`column_widths`): low-value columns go first, then text wraps; a title or a number
is never cut, and with no width (output to a pipe or a file) every row is printed whole.
Widths are display widths: Hangul and other wide characters take two columns. CSV cells that a spreadsheet
would run as a formula (starting with =, +, -, @, tab or carriage return) are written with a
leading apostrophe, as spreadsheet-safe exporters do; numbers are written as they are.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from recommender.choices import FORMATS
from recommender.errors import UsageError
from recommender.text import char_width, display_width, printable

if TYPE_CHECKING:  # layouts are registered by type name, so rendering imports no result module
    from recommender.atlas import Atlas
    from recommender.browse import FacetListing, ShowListing, TropeDetails
    from recommender.cache import IndexSummary
    from recommender.details import ShowDetails, TropeListing, ValidationReport
    from recommender.engine import Match, Ranking
    from recommender.explain import Explanation
    from recommender.formula import (
        FormulaInfo,
        FormulaList,
        FormulaRanking,
        FormulaReport,
        FormulaTrend,
        Prevalence,
    )
    from recommender.lint import Suggestions
    from recommender.profile import Profile
    from recommender.taste import TasteMatch, TasteRanking

R = TypeVar("R")
BECAUSE_TOP = 3  # shared tropes a table row names; JSON and CSV list them all


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]
    title: str = ""
    notes: list[str] = field(default_factory=list)
    optional: tuple[str, ...] = ()  # headers of columns to drop, in this order, when the table is too wide
    keep: tuple[str, ...] = ()  # headers of text columns to wrap only as a last resort (titles)
    detail: str = (
        ""  # header of a text column printed under its row instead, when it would be narrower than DETAIL_MIN
    )


Layout = Callable[[Any], Table]
_LAYOUTS: dict[str, tuple[Layout, Layout | None]] = {}
RESULTS = {  # the field holding a result type's list of results; the others are one result each
    "recommender.engine.Ranking": "matches",
    "recommender.browse.ShowListing": "shows",
    "recommender.browse.FacetListing": "facets",
    "recommender.browse.TropeDetails": "shows",
    "recommender.details.TropeListing": "tropes",
    "recommender.details.ValidationReport": "problems",
    "recommender.formula.FormulaRanking": "rows",
    "recommender.formula.FormulaList": "formulas",
    "recommender.formula.FormulaTrend": "periods",
    "recommender.lint.Suggestions": "suggestions",
    "recommender.atlas.Atlas": "points",
}


def type_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def layout(
    kind: str, csv_layout: Callable[[R], Table] | None = None
) -> Callable[[Callable[[R], Table]], Callable[[R], Table]]:
    """Register the table layout (the decorated function) and, optionally, a CSV layout for a result type.

    `kind` is the type's full name ("recommender.engine.Ranking"), so that rendering imports no
    result module; a subclass without layouts of its own is laid out as its nearest registered base.
    """

    def register(table_layout: Callable[[R], Table]) -> Callable[[R], Table]:
        _LAYOUTS[kind] = (table_layout, csv_layout)
        return table_layout

    return register


def plain(value: Any) -> Any:
    """Dataclasses, lists and dicts as JSON-able values (a field marked `omit_empty` is left out when empty)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (f.metadata.get("omit_empty") and getattr(value, f.name) in (None, "", [], ()))
        }
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 6)
    return value


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")  # json.dumps leaves these raw


def envelope(result: Any, command: str = "", query: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON every command prints: {"command", "query", "results": [...], then the result's other fields}.

    `results` is the result's list (matches, shows, tropes...), or the result itself as the one item;
    a ranking's own description of its query is `description`.
    """
    data = plain(result)
    kind = next((type_name(k) for k in type(result).__mro__ if type_name(k) in RESULTS), None)
    results = data.pop(RESULTS[kind]) if kind else [data]
    rest = data if kind else {}
    if "query" in rest:
        rest["description"] = rest.pop("query")
    return {"command": command, "query": query or {}, "results": results, **rest}


def _json(value: Any, indent: int | None) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render(
    result: Any, fmt: str, width: int | None = None, command: str = "", query: dict[str, Any] | None = None
) -> str:
    """`result` in the chosen format, laid out by the layouts registered for its type.

    json is the `envelope`; jsonl its results, one a line; csv and tsv the rows for programs;
    table the rows for people, fitted to `width` columns (None: rows whole).
    """
    if fmt == "json":
        return _json(envelope(result, command, query), 2)
    if fmt == "jsonl":
        return "\n".join(_json(item, None) for item in envelope(result)["results"])
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    kind = next((type_name(k) for k in type(result).__mro__ if type_name(k) in _LAYOUTS), None)
    if kind is None:
        raise TypeError(f"no layout registered for {type(result).__name__}")
    table_layout, csv_layout = _LAYOUTS[kind]
    if fmt in ("csv", "tsv"):
        return csv_text((csv_layout or table_layout)(result), "\t" if fmt == "tsv" else ",")
    return text_table(table_layout(result), width)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A CSV cell: numbers exact, text that a spreadsheet would take for a formula prefixed with an apostrophe."""
    text = _cell(value, exact=True)
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_START) else text


def csv_text(table: Table, delimiter: str = ",") -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", delimiter=delimiter)
    writer.writerow([csv_cell(h) for h in table.headers])
    writer.writerows([[csv_cell(v) for v in row] for row in table.rows])
    return buffer.getvalue().rstrip("\n")


def fit_widths(widths: list[int], minimums: list[int], shrinkable: list[int], total: int) -> list[int]:
    """Column widths that fit `total` characters (with two spaces between columns), shrinking only `shrinkable`.

    The last column shrinks first, then the others widest first, each down to its minimum;
    what still does not fit is left as it is.
    """
    widths = list(widths)
    excess = sum(widths) + 2 * (len(widths) - 1) - total
    last = [len(widths) - 1] if len(widths) - 1 in shrinkable else []
    for i in last + sorted((i for i in shrinkable if i != len(widths) - 1), key=lambda i: (-widths[i], i)):
        if excess <= 0:
            break
        cut = max(min(excess, widths[i] - minimums[i]), 0)
        widths[i] -= cut
        excess -= cut
    return widths


MIN_WRAP = 12  # a wrapped column keeps at least this many columns (or its longest word, if shorter)
DETAIL_MIN = 30  # narrower than this, a table's `detail` column goes under its row
DETAIL_INDENT = "   "


def wrap(text: str, width: int, items: bool = True) -> list[str]:
    """`text` in lines of at most `width` columns: whole ", "-separated `items` where they fit, else whole words.

    Only a word wider than the column itself is split; nothing is dropped.
    """
    if display_width(text) <= width:
        return [text]
    pieces = text.split(", ") if items else [text]
    lines: list[str] = []
    line: str | None = None  # None: nothing on the current line yet
    for item in [p + "," for p in pieces[:-1]] + pieces[-1:]:
        if (joined := _joined(line, item, width)) is not None:
            line = joined
            continue
        lines += [line] if line is not None else []
        line = None
        for word in _words(item):
            if (joined := _joined(line, word, width)) is not None:
                line = joined
                continue
            lines += [line] if line is not None else []
            line = word
            while display_width(line) > width:
                cut = _fitting(line, width)
                lines.append(line[:cut])
                line = line[cut:]
    return lines + ([line] if line else [])


def _joined(line: str | None, piece: str, width: int) -> str | None:
    """`piece` added to the current `line` (None: nothing on it yet), or None if that does not fit."""
    joined = piece if line is None else f"{line} {piece}"
    return joined if display_width(joined) <= width else None


_NUMBER = re.compile(r"[-+]?[\d.,]+%?\)?,?")


def _words(text: str) -> list[str]:
    """The words of `text`, a number kept with the word before it ("afterlife 21%")."""
    words: list[str] = []
    for word in text.split(" "):
        if words and _NUMBER.fullmatch(word):
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def _fitting(text: str, width: int) -> int:
    """How many characters of `text` fit in `width` columns (at least one)."""
    used = 0
    for n, char in enumerate(text):
        used += char_width(char)
        if used > width:
            return max(n, 1)
    return len(text)


def _min_width(values: list[str]) -> int:
    longest_word = max((display_width(w) for v in values for w in _words(v)), default=1)
    return max(min(longest_word, MIN_WRAP), 1)


def column_widths(
    table: Table, cells: list[list[str]], width: int | None
) -> tuple[list[int], list[int], int | None]:
    """Which columns to print and how wide, to fit `width` columns (None: no limit, every column whole).

    First the table's `optional` columns are dropped, in their order; then text columns wrap
    (the last one first, then the widest), the table's `keep` columns (titles) only after the
    others. The `detail` column, were it to become narrower than DETAIL_MIN, is printed under
    its row instead (the third value: its position, or None). A number never wraps and nothing
    is cut: what still does not fit is left as it is.
    """
    shown = list(range(len(table.headers)))
    natural = [max([display_width(table.headers[i])] + [display_width(r[i]) for r in cells]) for i in shown]
    if width is None:
        return shown, natural, None
    for header in table.optional:
        if _total([natural[i] for i in shown]) <= width:
            break
        shown = [i for i in shown if table.headers[i] != header]
    widths = _fit(table, cells, shown, natural, width)
    detail = next((i for i in shown if table.detail and table.headers[i] == table.detail), None)
    if detail is None or widths[shown.index(detail)] >= min(DETAIL_MIN, natural[detail]):
        return shown, widths, None
    shown.remove(detail)
    for header in reversed(table.optional):  # with the detail under its row, a dropped column may fit again
        back = sorted(shown + [i for i, h in enumerate(table.headers) if h == header and i not in shown])
        if _total([natural[i] for i in back]) <= width:
            shown = back
    return shown, _fit(table, cells, shown, natural, width), detail


def _total(widths: list[int]) -> int:
    return sum(widths) + 2 * (len(widths) - 1)


def _fit(table: Table, cells: list[list[str]], shown: list[int], natural: list[int], width: int) -> list[int]:
    """Widths of the `shown` columns: text columns wrap (`keep` ones last) until the table fits."""
    text = [n for n, i in enumerate(shown) if not any(isinstance(row[i], (int, float)) for row in table.rows)]
    minimums = [_min_width([table.headers[i], *(r[i] for r in cells)]) for i in shown]
    keep = [n for n in text if table.headers[shown[n]] in table.keep]
    widths = fit_widths([natural[i] for i in shown], minimums, [n for n in text if n not in keep], width)
    return fit_widths(widths, minimums, keep, width)


def text_table(table: Table, width: int | None = None) -> str:
    """The table aligned for people, fitted to `width` columns (None: every row whole, as for a pipe)."""
    cells = [[_cell(v) for v in row] for row in table.rows]
    shown, widths, detail = column_widths(table, cells, width)
    lines = _prose(table.title, width) if table.title else []
    if cells or not table.title:
        lines += _lines([table.headers[i] for i in shown], widths)
        lines.append(_line(["-" * w for w in widths], widths))
        for row in cells:
            lines += _lines([row[i] for i in shown], widths)
            if detail is not None and row[detail]:
                text = f"{table.headers[detail]}: {row[detail]}"
                lines += [
                    DETAIL_INDENT + line for line in wrap(text, max((width or 0) - len(DETAIL_INDENT), 1))
                ]
    lines += [line for note in table.notes for line in _prose(note, width)]
    return "\n".join(lines)


def _prose(text: str, width: int | None) -> list[str]:
    """Lines of a title or note, each wrapped at spaces to `width` (None: as they are)."""
    if width is None:
        return text.split("\n")
    return [line for part in text.split("\n") for line in wrap(part, width, items=False) or [""]]


def _lines(values: list[str], widths: list[int]) -> list[str]:
    """One row, as many lines as its most wrapped cell needs."""
    wrapped = [wrap(v, w) for v, w in zip(values, widths)]
    height = max((len(w) for w in wrapped), default=1)
    return [_line([w[n] if n < len(w) else "" for w in wrapped], widths) for n in range(height)]


def _line(values: list[str], widths: list[int]) -> str:
    return "  ".join(v + " " * max(w - display_width(v), 0) for v, w in zip(values, widths)).rstrip()


def _cell(value: Any, exact: bool = False) -> str:
    if isinstance(value, float):
        return f"{value:.6g}" if exact else f"{value:.3f}"
    return "" if value is None else printable(str(value), newlines=False)


def percent(share: float) -> str:
    return f"{100 * share:.0f}%"


# --- layouts: one per kind of result -----------------------------------------


Column = tuple[str, Callable[[Any], Any]]


def _match_head(m: Match, exact: bool = False) -> list[Any]:
    """Rank, title, year, network and score; for people, a franchise's row says how many shows it stands for."""
    title = f"{m.title} ({m.seasons} seasons)" if m.seasons and not exact else m.title
    return [m.rank, title, m.year, m.network, m.score]


def _moved(m: Match) -> str:
    """How a critique moved a result: 'up 2 (was #3, 0.412)'."""
    assert m.before is not None
    change = m.before.rank - m.rank
    direction = "same rank" if change == 0 else f"up {change}" if change > 0 else f"down {-change}"
    return f"{direction} (was #{m.before.rank}, {m.before.score:.3f})"


def _closest(m: Match) -> str:
    return (
        f"{m.diversity.closest} {m.diversity.redundancy:.3f}" if m.diversity and m.diversity.closest else "-"
    )


def _steering_columns(matches: list[Match], exact: bool) -> list[Column]:
    """The columns a critique (`before`) or MMR (`diversity`) adds, for people or for CSV."""
    columns: list[Column] = []
    if any(m.before for m in matches):
        columns += (
            [("rank_before", lambda m: m.before.rank), ("score_before", lambda m: m.before.score)]
            if exact
            else [("critique moved it", _moved)]
        )
    if any(m.diversity for m in matches):
        columns.append(("mmr", lambda m: m.diversity.mmr))
        columns += (
            [
                ("redundancy", lambda m: m.diversity.redundancy),
                ("closest", lambda m: m.diversity.closest or ""),
            ]
            if exact
            else [("closest earlier", _closest)]
        )
    return columns


def _because(m: Match) -> str:
    return ", ".join(f"{c.name} {percent(c.share)}" for c in m.because[:BECAUSE_TOP])


RANKING_OPTIONAL = ("network", "year", "closest earlier")  # dropped in this order on a narrow terminal


def _ranked_table(ranking: Ranking, last: Column, title: str, notes: list[str]) -> Table:
    """A row per match: rank, title, year, network, score, any steering columns, then `last`."""
    columns = [*_steering_columns(ranking.matches, exact=False), last]
    rows = [[*_match_head(m), *(cell(m) for _, cell in columns)] for m in ranking.matches]
    return Table(
        ["#", "title", "year", "network", "score", *(h for h, _ in columns)],
        rows,
        title,
        notes,
        optional=RANKING_OPTIONAL,
        keep=("title",),
        detail=last[0],
    )


def ranking_csv_table(ranking: Ranking) -> Table:
    columns = [
        *_steering_columns(ranking.matches, exact=True),
        *([("seasons", lambda m: m.seasons or 1)] if any(m.seasons for m in ranking.matches) else []),
        ("contributions", lambda m: ";".join(f"{c.trope}:{c.contribution:.6f}" for c in m.because)),
    ]
    rows = [
        [m.rank, m.id, *_match_head(m, exact=True)[1:], *(cell(m) for _, cell in columns)]
        for m in ranking.matches
    ]
    return Table(["rank", "id", "title", "year", "network", "score", *(h for h, _ in columns)], rows)


@layout("recommender.engine.Ranking", ranking_csv_table)
def ranking_table(ranking: Ranking) -> Table:
    """engine.Ranking: a row per match, with its top shared tropes and their shares of the score."""
    title = f"Shows {ranking.query} (cosine, {ranking.weighting} weighting)"
    return _ranked_table(ranking, ("because (share of score)", _because), title, ranking.notes)


def _drivers(m: TasteMatch) -> str:
    """The two rated shows that pulled a result most, then the one that pushed it most."""
    pulls = [d for d in m.drivers if d.contribution > 0][:2]
    pushes = [d for d in m.drivers if d.contribution < 0][-1:]
    return ", ".join(f"{d.title} {d.contribution:+.3f}" for d in pulls + pushes)


def taste_csv_table(ranking: TasteRanking) -> Table:
    """A ranking's CSV, with the rated shows that drove each result packed like the contributions."""
    table = ranking_csv_table(ranking)
    drivers = [
        ";".join(f"{d.title}:{d.contribution:.6f}" for d in getattr(m, "drivers", []))
        for m in ranking.matches
    ]
    return Table([*table.headers, "drivers"], [[*row, d] for row, d in zip(table.rows, drivers)])


@layout("recommender.taste.TasteRanking", taste_csv_table)
def taste_table(ranking: TasteRanking) -> Table:
    """taste.TasteRanking: a row per match with the rated shows that drove it; the profile as a note."""
    pulls = [
        f"{r.title} {r.rating:g} ({r.pull:+.2f})" for r in sorted(ranking.profile, key=lambda r: -r.pull)
    ]
    profile = (
        f"your mean rating {ranking.mean_rating:.2f}; rating - {ranking.centre:g}: {', '.join(pulls)}; "
        f"|t| = {ranking.taste_length:.3f}"
    )
    title = f"Shows {ranking.query} (cosine with your taste, {ranking.weighting} weighting)"
    return _ranked_table(ranking, ("driven by (part of score)", _drivers), title, [profile, *ranking.notes])


def explain_csv_table(explanation: Explanation) -> Table:
    e = explanation
    head = [e.first_id, e.second_id, e.score]
    rows = [[*head, "shared", t.trope, t.name, t.first, t.second, t.contribution, t.share] for t in e.shared]
    rows += [[*head, "only_first", t.trope, t.name, t.value, "", "", ""] for t in e.only_first]
    rows += [[*head, "only_second", t.trope, t.name, "", t.value, "", ""] for t in e.only_second]
    return Table(
        [
            "first_id",
            "second_id",
            "score",
            "kind",
            "trope",
            "name",
            "first_value",
            "second_value",
            "contribution",
            "share",
        ],
        rows,
    )


@layout("recommender.explain.Explanation", explain_csv_table)
def explain_table(explanation: Explanation) -> Table:
    """Shared tropes with both values and their product, then each show's own tropes; A and B stand for the shows."""
    e = explanation
    rows: list[list[Any]] = [
        ["shared", t.name, t.first, t.second, t.contribution, percent(t.share)] for t in e.shared
    ]
    rows += [["only A", t.name, t.value, "", "", ""] for t in e.only_first]
    rows += [["only B", t.name, "", t.value, "", ""] for t in e.only_second]
    title = f"{e.first} and {e.second}: cosine {e.score:.3f} ({e.weighting} weighting)\nA = {e.first}\nB = {e.second}"
    note = (
        f"the {len(e.shared)} shared tropes' contributions (A x B) add up to the cosine; "
        "tropes only one show has add 0"
    )
    return Table(["", "trope", "A", "B", "A x B", "share"], rows, title, [note])


def bar(value: float, top: float, width: int = 20) -> str:
    """A terminal bar: `value` as a share of `top`, in eighths of a block."""
    if top <= 0 or value <= 0:
        return ""
    eighths = round(8 * width * min(value / top, 1.0))
    return (
        "\u2588" * (eighths // 8)
        + ("", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589")[eighths % 8]
    )


def formula_report_csv_table(report: FormulaReport) -> Table:
    head = [report.id, report.title, report.formula, report.score, report.rank, report.of, report.percentile]
    rows = [
        head + ["follows", b.trope, b.name, b.formula_weight, b.show_weight, b.contribution]
        for b in report.follows
    ]
    rows += [head + ["skips", b.trope, b.name, b.formula_weight, 0.0, 0.0] for b in report.skips]
    rows += [head + ["stands out for", d.trope, d.name, "", d.weight, ""] for d in report.stands_out_for]
    return Table(
        [
            "id",
            "title",
            "formula",
            "score",
            "rank",
            "of",
            "percentile",
            "part",
            "trope",
            "name",
            "formula_weight",
            "show_weight",
            "contribution",
        ],
        rows,
    )


@layout("recommender.formula.FormulaReport", formula_report_csv_table)
def formula_report_table(report: FormulaReport) -> Table:
    """formula.FormulaReport: the beats it follows (with a bar of each one's part) and skips, then what it stands out for."""
    notes = [report.verdict]
    notes += [f"also applies: {f.formula} {f.score:.1f} (rank {f.rank} of {f.of})" for f in report.other_fits]
    if not report.applies:
        return Table([], [], f"{report.title}: {report.formula} does not apply", notes)
    top = max((b.contribution for b in report.follows), default=0.0)
    rows: list[list[Any]] = [
        [
            "follows",
            b.name,
            b.show_weight,
            b.formula_weight,
            f"{b.contribution:.1f}",
            bar(b.contribution, top),
            "",
        ]
        for b in report.follows
    ]
    rows += [
        ["skips", b.name, 0.0, b.formula_weight, "0.0", "", ""]
        for b in report.skips
        if b.formula_weight >= 0.5
    ]
    rows += [
        [
            "stands out for",
            d.name,
            d.weight,
            "",
            "",
            "",
            f"{d.shows}/{d.catalog} shows, {d.within}/{d.of_formula} {report.formula}",
        ]
        for d in report.stands_out_for
    ]
    title = (
        f"{report.title}: {report.score:.1f}/100 on {report.formula_name} ({report.formula}), rank {report.rank} of "
        f"{report.of} shows it applies to, more formulaic than {report.percentile:.0f}% of them"
    )
    return Table(
        ["beat", "trope", "show", "formula", "part of score", "", "shows with it"],
        rows,
        title,
        notes,
        optional=("",),  # the bars, first to go on a narrow terminal
        keep=("trope",),
        detail="shows with it",
    )


def formula_ranking_csv_table(ranking: FormulaRanking) -> Table:
    rows = [[r.rank, r.id, r.title, r.year, r.network, r.score, r.end] for r in ranking.rows]
    return Table(["rank", "id", "title", "year", "network", "score", "end"], rows)


@layout("recommender.formula.FormulaRanking", formula_ranking_csv_table)
def formula_ranking_table(ranking: FormulaRanking) -> Table:
    ends = any(r.end for r in ranking.rows)
    head = ["rank", "title", "year", "network", "score", *(["end"] if ends else [])]
    rows = [[r.rank, r.title, r.year, r.network, r.score, *([r.end] if ends else [])] for r in ranking.rows]
    return Table(
        head,
        rows,
        f"Shows by {ranking.formula} formula score",
        ranking.notes,
        optional=RANKING_OPTIONAL,
        keep=("title",),
    )


def _prevalence_row(p: Prevalence) -> list[Any]:
    return [
        p.name,
        p.trope,
        p.declared or "",
        f"{p.within}/{p.of_formula}",
        f"{p.elsewhere}/{p.of_rest}",
        f"{p.lift:.2f}",
        f"{p.p_value:.1g}",
    ]


PREVALENCE_HEADERS = ["trope", "id", "declared", "its shows", "the rest", "lift", "p"]


def formula_info_csv_table(info: FormulaInfo) -> Table:
    rows = [[info.formula, "declared", *_prevalence_row(p)] for p in info.beats]
    rows += [[info.formula, "empirical", *_prevalence_row(p)] for p in info.empirical]
    return Table(["formula", "kind", *PREVALENCE_HEADERS], rows)


@layout("recommender.formula.FormulaInfo", formula_info_csv_table)
def formula_info_table(info: FormulaInfo) -> Table:
    """formula.FormulaInfo: the declared beats, then the tropes the data finds over-represented."""
    rows = [["declared", *_prevalence_row(p)] for p in info.beats]
    rows += [["empirical", *_prevalence_row(p)] for p in info.empirical]
    declared = {p.trope for p in info.beats}
    agree = [p.trope for p in info.empirical if p.trope in declared]
    notes = [
        info.description,
        f"applies to {info.shows} shows: {info.applies_to}",
        "the data agrees on: "
        + (", ".join(agree) or "none of the declared beats")
        + f"; and adds: {', '.join(p.trope for p in info.empirical if p.trope not in declared) or 'nothing'}",
    ]
    return Table(["", *PREVALENCE_HEADERS], rows, f"{info.name} ({info.formula})", notes)


def formula_list_csv_table(listing: FormulaList) -> Table:
    rows = [r for info in listing.formulas for r in formula_info_csv_table(info).rows]
    return Table(["formula", "kind", *PREVALENCE_HEADERS], rows)


@layout("recommender.formula.FormulaList", formula_list_csv_table)
def formula_list_table(listing: FormulaList) -> Table:
    """formula.FormulaList: a row per formula, its declared beats beside the data's top tropes."""
    rows = [
        [
            info.formula,
            info.shows,
            ", ".join(p.trope for p in info.beats[:5]) + (", ..." if len(info.beats) > 5 else ""),
            ", ".join(p.trope for p in info.empirical[:5]),
        ]
        for info in listing.formulas
    ]
    return Table(["formula", "shows", "declared beats", "over-represented in the data"], rows, "Formulas")


def formula_trend_csv_table(trend: FormulaTrend) -> Table:
    beats = list(trend.periods[0].beats) if trend.periods else []
    rows = [
        [trend.formula, p.label, p.shows, p.mean_score, *(p.beats[b] for b in beats)] for p in trend.periods
    ]
    return Table(["formula", trend.by, "shows", "mean_score", *beats], rows)


@layout("recommender.formula.FormulaTrend", formula_trend_csv_table)
def formula_trend_table(trend: FormulaTrend) -> Table:
    """formula.FormulaTrend: a column per period (shows, mean score, main beats' shares), and a bar chart of the means."""
    periods = trend.periods
    rows: list[list[Any]] = [
        ["shows", *(p.shows for p in periods)],
        ["mean score", *(f"{p.mean_score:.1f}" for p in periods)],
    ]
    rows += [[b, *(f"{100 * p.beats[b]:.0f}%" for p in periods)] for b in trend.main_beats]
    top = max((p.mean_score for p in periods), default=0.0)
    chart = [f"{p.label:>9}  {bar(p.mean_score, top, 30)} {p.mean_score:.1f}" for p in periods]
    return Table(
        ["", *(p.label for p in periods)],
        rows,
        f"{trend.formula} formula by {trend.by}",
        ["mean score:", *chart],
    )


@layout("recommender.lint.Suggestions")
def suggestions_table(found: Suggestions) -> Table:
    """lint.Suggestions: a row per place to look."""
    rows = [[s.path, s.trope, s.kind, s.reason] for s in found.suggestions]
    missing = sum(s.kind == "missing" for s in found.suggestions)
    note = f"{missing} possibly missing and {len(rows) - missing} doubtful tropes in {found.shows} shows: look, then decide"
    return Table(["file", "trope", "kind", "why"], rows, "Suggestions (not errors)", [note])


def _length(show: ShowDetails) -> str:
    """'16 episodes of 70 minutes (18.7 hours)', or just the episodes when the minutes are not known."""
    if show.hours is None:
        return f"{show.episodes} episodes"
    return f"{show.episodes} episodes of {show.episode_minutes} minutes ({show.hours:g} hours)"


def show_csv_table(show: ShowDetails) -> Table:
    rows = [[show.id, show.title, t.trope, t.name, t.category, t.weight, t.weighted] for t in show.tropes]
    return Table(["id", "title", "trope", "name", "category", "weight", "weighted"], rows)


@layout("recommender.details.ShowDetails", show_csv_table)
def show_table(show: ShowDetails) -> Table:
    """details.ShowDetails: facts as notes above the trope vector."""
    facts = [
        f"{show.title}{f' ({show.native_title})' if show.native_title else ''} {show.year}, {show.network}, {_length(show)}",
        f"aliases: {', '.join(show.aliases) or '-'}",
        f"genres: {', '.join(show.genres) or '-'}",
        f"lead cast: {', '.join(show.lead_cast) or '-'}",
        f"writer: {', '.join(show.writer) or '-'}",
        f"director: {', '.join(show.director) or '-'}",
        f"link: {show.mydramalist or '-'}",
        f"file: {show.file}",
        show.synopsis,
        "",
    ]
    rows = [[t.trope, t.name, t.category, t.weight, t.weighted] for t in show.tropes]
    return Table(
        ["trope", "name", "category", "weight", "weighted"],
        rows,
        "\n".join(facts),
        optional=("category",),
        keep=("trope",),
    )


def tropes_csv_table(listing: TropeListing) -> Table:
    rows = [[t.id, t.name, t.category, t.shows, t.description, "|".join(t.aliases)] for t in listing.tropes]
    return Table(["id", "name", "category", "shows", "description", "aliases"], rows)


@layout("recommender.details.TropeListing", tropes_csv_table)
def tropes_table(listing: TropeListing) -> Table:
    rows: list[list[Any]] = [
        [t.category, t.id, t.name, t.shows, ", ".join(t.aliases)] for t in listing.tropes
    ]
    if listing.search:
        rows = [[t.id, t.name, t.shows, t.description] for t in listing.tropes]
        title = f'Tropes that mention "{listing.search}"'
        return Table(
            ["id", "name", "shows", "description"], rows, title, ["`recommender tropes ID` shows one in full"]
        )
    return Table(
        ["category", "id", "name", "shows", "aliases"], rows, optional=("aliases", "category"), keep=("id",)
    )


def trope_details_csv_table(details: TropeDetails) -> Table:
    t = details.trope
    return Table(
        ["trope", "id", "title", "year", "weight"],
        [[t.id, s.id, s.title, s.year, s.weight] for s in details.shows],
    )


@layout("recommender.browse.TropeDetails", trope_details_csv_table)
def trope_details_table(details: TropeDetails) -> Table:
    """browse.TropeDetails: the trope's description and aliases, then every show that has it."""
    t = details.trope
    head = [
        f"{t.name} ({t.id}), {t.category}: {t.shows} shows",
        t.description,
        f"aliases: {', '.join(t.aliases) or '-'}",
        "",
    ]
    rows = [[s.title, s.year, s.weight] for s in details.shows]
    return Table(["title", "year", "weight"], rows, "\n".join(head), keep=("title",))


def show_listing_csv_table(listing: ShowListing) -> Table:
    rows = [
        [s.id, s.title, s.year, s.network, s.episodes, s.hours, "|".join(s.genres)] for s in listing.shows
    ]
    return Table(["id", "title", "year", "network", "episodes", "hours", "genres"], rows)


@layout("recommender.browse.ShowListing", show_listing_csv_table)
def show_listing_table(listing: ShowListing) -> Table:
    """browse.ShowListing: a row per show."""
    rows = [
        [
            s.title,
            s.year,
            s.network,
            s.episodes,
            "" if s.hours is None else f"{s.hours:g}",
            ", ".join(s.genres),
        ]
        for s in listing.shows
    ]
    return Table(
        ["title", "year", "network", "episodes", "hours", "genres"],
        rows,
        notes=listing.notes,
        optional=("genres", "network"),
        keep=("title",),
    )


@layout("recommender.browse.FacetListing")
def facet_table(listing: FacetListing) -> Table:
    """browse.FacetListing: each genre or network with its count."""
    rows = [[f.name, f.shows] for f in listing.facets]
    note = f"{len(rows)} {listing.kind}s in {listing.catalog} shows; use one with --{listing.kind}"
    return Table([listing.kind, "shows"], rows, notes=[note])


@layout("recommender.profile.Profile")
def profile_table(found: Profile) -> Table:
    """profile.Profile: what it holds, and where."""
    rows: list[list[Any]] = [["never", t, ""] for t in found.never]
    rows += [["seen", t, ""] for t in found.seen]
    rows += [["rated", t, f"{r:g}"] for t, r in found.ratings.items()]
    from recommender.profile import shown_path

    title = f"Your profile ({shown_path(found.path)})" + ("" if found.exists else ": none yet")
    note = "every ranking command applies it; --no-profile ignores it"
    return Table(["", "title or trope", "rating"], rows, title, [note], keep=("title or trope",))


@layout("recommender.details.ValidationReport")
def validation_table(report: ValidationReport) -> Table:
    rows = [[p.file, p.key or "", p.message] for p in report.problems]
    verdict = f"{len(report.problems)} problems" if report.problems else "no problems"
    return Table(
        ["file", "key", "problem"],
        rows,
        f"{report.shows} shows, {report.tropes} tropes: {verdict}",
        keep=("file",),
    )


@layout("recommender.cache.IndexSummary")
def index_summary_table(summary: IndexSummary) -> Table:
    """cache.IndexSummary: one row."""
    where = summary.path if summary.saved else f"{summary.path} (not writable: nothing cached)"
    row = [summary.shows, summary.tropes, summary.parsed, summary.reused, round(summary.seconds, 3), where]
    return Table(["shows", "tropes", "parsed", "reused", "seconds", "index"], [row])


ATLAS_TROPES, ATLAS_MEMBERS = 4, 3  # a map cluster's row names its first defining tropes and members


def atlas_csv_table(atlas: Atlas) -> Table:
    """atlas.Atlas for scripts: a row per drawn show, with its coordinates and cluster."""
    label = {c.id: c.label for c in atlas.clusters}
    rows = [[p.id, p.title, p.year, p.x, p.y, p.cluster, label[p.cluster], p.highlight] for p in atlas.points]
    return Table(["id", "title", "year", "x", "y", "cluster", "cluster_label", "highlight"], rows)


@layout("recommender.atlas.Atlas", atlas_csv_table)
def atlas_table(atlas: Atlas) -> Table:
    """atlas.Atlas: a row per cluster, with its defining tropes and its most typical members."""
    titles = {p.id: p.title for p in atlas.points}
    rows = [
        [
            c.id,
            c.label,
            c.size,
            ", ".join(c.tropes[:ATLAS_TROPES]),
            "; ".join(titles[m] for m in c.members[:ATLAS_MEMBERS])
            + ("; ..." if c.size > ATLAS_MEMBERS else ""),
        ]
        for c in atlas.clusters
    ]
    return Table(
        ["#", "cluster", "shows", "defining tropes", "typical members"],
        rows,
        atlas.title,
        atlas.notes,
        optional=("typical members",),
        keep=("cluster",),
    )
