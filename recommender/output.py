"""The one place results become text: readable tables, JSON and CSV.

Every command's result is a dataclass (or a list of them). `render` turns it into JSON
as it is, or into a `Table` (headers and rows) that is printed aligned for people or as CSV
for programs. Tables fit the terminal by shortening their last column.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from recommender.errors import UsageError

FORMATS = ("table", "json", "csv")


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]
    title: str = ""
    notes: list[str] = field(default_factory=list)


def plain(value: Any) -> Any:
    """Dataclasses, lists and dicts as JSON-able values; a field with metadata `omit_empty` is left out when None or empty."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (f.metadata.get("omit_empty") and getattr(value, f.name) in (None, [], ()))
        }
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 6)
    return value


def render(result: Any, fmt: str, layout: Callable[[Any], Table], csv_layout: Callable[[Any], Table] | None = None) -> str:
    """`result` in the chosen format; `layout` lays it out for people, `csv_layout` (or `layout`) for CSV."""
    if fmt == "json":
        return json.dumps(plain(result), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return csv_text((csv_layout or layout)(result))
    if fmt == "table":
        return text_table(layout(result))
    raise UsageError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")


def csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.headers)
    writer.writerows([[_cell(v, exact=True) for v in row] for row in table.rows])
    return buffer.getvalue().rstrip("\n")


def text_table(table: Table, width: int | None = None) -> str:
    width = width or shutil.get_terminal_size((100, 24)).columns
    cells = [[_cell(v) for v in row] for row in table.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(table.headers)]
    excess = sum(widths) + 2 * (len(widths) - 1) - width
    text = [i for i in range(len(widths)) if not any(isinstance(row[i], (int, float)) for row in table.rows)]
    last = [len(widths) - 1] if len(widths) - 1 in text else []
    for i in last + sorted((i for i in text if 0 < i < len(widths) - 1), key=lambda i: -widths[i]):
        if excess <= 0:
            break  # shorten text, the last column first, never a number nor the first column
        cut = min(excess, widths[i] - len(table.headers[i]))
        widths[i] -= max(cut, 0)
        excess -= max(cut, 0)
    lines = [table.title] if table.title else []
    if cells or not table.title:
        lines.append(_line(table.headers, widths))
        lines.append(_line(["-" * w for w in widths], widths))
        lines += [_line(row, widths) for row in cells]
    lines += table.notes
    return "\n".join(lines)


def _line(values: list[str], widths: list[int]) -> str:
    parts = []
    for value, w in zip(values, widths):
        shown = value if len(value) <= w else value[: max(w - 1, 0)] + "…"
        parts.append(shown.ljust(w))
    return "  ".join(parts).rstrip()


def _cell(value: Any, exact: bool = False) -> str:
    if isinstance(value, float):
        return f"{value:.6g}" if exact else f"{value:.3f}"
    return "" if value is None else str(value)


def percent(share: float) -> str:
    return f"{100 * share:.0f}%"


# --- layouts: one per kind of result -----------------------------------------


Column = tuple[str, Callable[[Any], Any]]


def _match_head(m: Any) -> list[Any]:
    return [m.rank, m.title, m.year, m.network, m.score]


def _moved(m: Any) -> str:
    """How a critique moved a result: 'up 2 (was #3, 0.412)'."""
    change = m.before.rank - m.rank
    direction = "same rank" if change == 0 else f"up {change}" if change > 0 else f"down {-change}"
    return f"{direction} (was #{m.before.rank}, {m.before.score:.3f})"


def _closest(m: Any) -> str:
    return f"{m.diversity.closest} {m.diversity.redundancy:.3f}" if m.diversity.closest else "-"


def _steering_columns(matches: list[Any], exact: bool) -> list[Column]:
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
            [("redundancy", lambda m: m.diversity.redundancy), ("closest", lambda m: m.diversity.closest or "")]
            if exact
            else [("closest earlier (cosine)", _closest)]
        )
    return columns


def _because(m: Any) -> str:
    return ", ".join(f"{c.name} {percent(c.share)}" for c in m.because[:3])


def _ranked_table(ranking: Any, last: Column, title: str, notes: list[str]) -> Table:
    """A row per match: rank, title, year, network, score, any steering columns, then `last`."""
    columns = [*_steering_columns(ranking.matches, exact=False), last]
    rows = [[*_match_head(m), *(cell(m) for _, cell in columns)] for m in ranking.matches]
    return Table(["#", "title", "year", "network", "score", *(h for h, _ in columns)], rows, title, notes)


def ranking_table(ranking: Any) -> Table:
    """engine.Ranking: a row per match, with its top shared tropes and their shares of the score."""
    title = f"Shows {ranking.query} (cosine, {ranking.weighting} weighting)"
    return _ranked_table(ranking, ("because (share of score)", _because), title, ranking.notes)


def ranking_csv_table(ranking: Any) -> Table:
    columns = [
        *_steering_columns(ranking.matches, exact=True),
        ("contributions", lambda m: ";".join(f"{c.trope}:{c.contribution:.6f}" for c in m.because)),
    ]
    rows = [[*_match_head(m), *(cell(m) for _, cell in columns)] for m in ranking.matches]
    return Table(["rank", "title", "year", "network", "score", *(h for h, _ in columns)], rows)


def _drivers(m: Any) -> str:
    """The two rated shows that pulled a result most, then the one that pushed it most."""
    pulls = [d for d in m.drivers if d.contribution > 0][:2]
    pushes = [d for d in m.drivers if d.contribution < 0][-1:]
    return ", ".join(f"{d.title} {d.contribution:+.3f}" for d in pulls + pushes)


def taste_table(ranking: Any) -> Table:
    """taste.TasteRanking: a row per match with the rated shows that drove it; the profile as a note."""
    pulls = [f"{r.title} {r.rating:g} ({r.pull:+.2f})" for r in sorted(ranking.profile, key=lambda r: -r.pull)]
    profile = f"your mean rating {ranking.mean_rating:.2f}; rating - mean: {', '.join(pulls)}; |t| = {ranking.taste_length:.3f}"
    title = f"Shows {ranking.query} (cosine with your taste, {ranking.weighting} weighting)"
    return _ranked_table(ranking, ("driven by (part of score)", _drivers), title, [profile, *ranking.notes])


def taste_csv_table(ranking: Any) -> Table:
    """One row per (match, rated show that drove it) and per (match, shared trope)."""
    columns = _steering_columns(ranking.matches, exact=True)
    rows = []
    for m in ranking.matches:
        head = [*_match_head(m), *(cell(m) for _, cell in columns)]
        rows += [[*head, "driver", d.title, d.rating, d.contribution] for d in m.drivers]
        rows += [[*head, "trope", c.trope, "", c.contribution] for c in m.because]
    return Table(["rank", "title", "year", "network", "score", *(h for h, _ in columns), "kind", "item", "rating", "contribution"], rows)


def explain_table(explanation: Any) -> Table:
    """explain.Explanation: shared tropes with both values and their product, then each show's own tropes (ids in JSON and CSV)."""
    e = explanation
    rows: list[list[Any]] = [["shared", t.name, t.first, t.second, t.contribution, percent(t.share)] for t in e.shared]
    rows += [[f"only in {e.first}", t.name, t.value, "", "", ""] for t in e.only_first]
    rows += [[f"only in {e.second}", t.name, "", t.value, "", ""] for t in e.only_second]
    title = f"{e.first} and {e.second}: cosine {e.score:.3f} ({e.weighting} weighting)"
    note = f"the {len(e.shared)} shared tropes' contributions ({e.first} x {e.second}) add up to the cosine; tropes only one show has add 0"
    return Table(["", "trope", e.first, e.second, "contribution", "share"], rows, title, [note])


def explain_csv_table(explanation: Any) -> Table:
    e = explanation
    head = [e.first, e.second, e.score]
    rows = [[*head, "shared", t.trope, t.name, t.first, t.second, t.contribution, t.share] for t in e.shared]
    rows += [[*head, "only_first", t.trope, t.name, t.value, "", "", ""] for t in e.only_first]
    rows += [[*head, "only_second", t.trope, t.name, "", t.value, "", ""] for t in e.only_second]
    return Table(["first", "second", "score", "kind", "trope", "name", "first_value", "second_value", "contribution", "share"], rows)


def formula_report_table(report: Any) -> Table:
    """formula.FormulaReport: the beats it follows and skips, then what it stands out for."""
    rows: list[list[Any]] = [["follows", b.name, b.trope, b.show_weight, b.formula_weight, ""] for b in report.follows]
    rows += [["skips", b.name, b.trope, 0.0, b.formula_weight, ""] for b in report.skips]
    rows += [["stands out for", d.name, d.trope, d.weight, "", f"{d.shows}/{report.of}"] for d in report.stands_out_for]
    title = (
        f"{report.title}: formula score {report.score:.1f}/100 ({report.formula}), rank {report.rank} of {report.of}, "
        f"more formulaic than {report.percentile:.0f}% of the catalog"
    )
    return Table(["", "trope", "id", "show", "formula", "shows with it"], rows, title)


def formula_report_csv_table(report: Any) -> Table:
    head = [report.title, report.formula, report.score, report.rank, report.of, report.percentile]
    rows = [head + ["follows", b.trope, b.name, b.formula_weight, b.show_weight, ""] for b in report.follows]
    rows += [head + ["skips", b.trope, b.name, b.formula_weight, 0.0, ""] for b in report.skips]
    rows += [head + ["stands_out_for", d.trope, d.name, "", d.weight, d.shows] for d in report.stands_out_for]
    return Table(
        [
            "title",
            "formula",
            "score",
            "rank",
            "of",
            "percentile",
            "kind",
            "trope",
            "name",
            "formula_weight",
            "show_weight",
            "catalog_shows",
        ],
        rows,
    )


def formula_ranking_table(rows: Any) -> Table:
    return Table(["rank", "title", "year", "network", "score"], [[r.rank, r.title, r.year, r.network, r.score] for r in rows])


def show_table(show: Any) -> Table:
    """details.ShowDetails: facts as notes above the trope vector."""
    facts = [
        f"{show.title} ({show.native_title}) {show.year}, {show.network}, {show.episodes} episodes",
        f"aliases: {', '.join(show.aliases) or '-'}",
        f"genres: {', '.join(show.genres) or '-'}",
        f"lead cast: {', '.join(show.lead_cast) or '-'}",
        f"link: {show.mydramalist or '-'}",
        f"file: {show.file}",
        show.synopsis,
        "",
    ]
    rows = [[t.trope, t.name, t.category, t.weight, t.weighted] for t in show.tropes]
    return Table(["trope", "name", "category", "weight", "weighted"], rows, "\n".join(facts))


def show_csv_table(show: Any) -> Table:
    rows = [[show.title, t.trope, t.name, t.category, t.weight, t.weighted] for t in show.tropes]
    return Table(["title", "trope", "name", "category", "weight", "weighted"], rows)


def tropes_table(tropes: Any) -> Table:
    return Table(
        ["category", "id", "name", "shows", "aliases"], [[t.category, t.id, t.name, t.shows, ", ".join(t.aliases)] for t in tropes]
    )


def tropes_csv_table(tropes: Any) -> Table:
    rows = [[t.id, t.name, t.category, t.shows, t.description, "|".join(t.aliases)] for t in tropes]
    return Table(["id", "name", "category", "shows", "description", "aliases"], rows)


def validation_table(report: Any) -> Table:
    rows = [[p.file, p.key or "", p.message] for p in report.problems]
    verdict = f"{len(report.problems)} problems" if report.problems else "no problems"
    return Table(["file", "key", "problem"], rows, f"{report.shows} shows, {report.tropes} tropes: {verdict}")


def index_summary_table(summary: Any) -> Table:
    """cache.IndexSummary: one row."""
    where = summary.path if summary.saved else f"{summary.path} (not writable: nothing cached)"
    row = [summary.shows, summary.tropes, summary.parsed, summary.reused, round(summary.seconds, 3), where]
    return Table(["shows", "tropes", "parsed", "reused", "seconds", "index"], [row])
