"""The command line: parse arguments, call one library function, print its result.

Exit codes: 0 success, 1 a data or lookup error, 2 a usage error. Data goes to stdout,
messages to stderr, and a domain error is one line, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from recommender.errors import RecommenderError

app = typer.Typer(
    help='Recommend Korean dramas by the tropes they share.\n\nExample: recommender like "Run On"',
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Weighting(str, Enum):
    idf = "idf"
    none = "none"


CatalogOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--catalog",
        help="Catalog folder holding tropes.yaml and shows/ [default: $RECOMMENDER_CATALOG, else the bundled one]",
        show_default=False,
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
TopOpt = Annotated[int, typer.Option("--top", "-k", min=1, help="How many results.")]
WeightingOpt = Annotated[Weighting, typer.Option("--weighting", help="idf: shared rare tropes count more; none: raw weights.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Read the catalog files directly, without the index cache.")]

F = TypeVar("F", bound=Callable[..., Any])


def handles_errors(command: F) -> F:
    """Turn a domain error into one line on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RecommenderError as exc:
            typer.echo(f"recommender: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _root(catalog: Path | None) -> Path:
    from recommender.catalog import locate

    return locate(catalog)


def _index(catalog: Path | None, no_cache: bool) -> tuple[Path, Any]:
    from recommender.cache import open_index

    root = _root(catalog)
    return root, open_index(root, use_cache=not no_cache)


def _print(result: Any, fmt: Format, layout: Callable[[Any], Any], csv_layout: Callable[[Any], Any] | None = None) -> None:
    from recommender.output import render

    typer.echo(render(result, fmt.value, layout, csv_layout))


@app.command()
@handles_errors
def like(
    title: Annotated[str, typer.Argument(help="A show's title, alias or Korean title (any case or punctuation).")],
    top: TopOpt = 10,
    weighting: WeightingOpt = Weighting.idf,
    fmt: FormatOpt = Format.table,
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Shows like this one, ranked by cosine similarity of trope vectors, with why each matches.

    Example: recommender like "Run On" --top 5
    """
    from recommender import engine, output

    _, index = _index(catalog, no_cache)
    _print(engine.like(index, title, top, weighting.value), fmt, output.ranking_table, output.ranking_csv_table)


@app.command()
@handles_errors
def query(
    tropes: Annotated[list[str], typer.Argument(help='Tropes by id, name or alias, e.g. meet-cute "Jeju Island".')],
    top: TopOpt = 10,
    weighting: WeightingOpt = Weighting.idf,
    fmt: FormatOpt = Format.table,
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Shows that best match a list of tropes.

    Example: recommender query meet-cute jeju-trip "candy girl"
    """
    from recommender import engine, output

    _, index = _index(catalog, no_cache)
    _print(engine.query(index, tropes, top, weighting.value), fmt, output.ranking_table, output.ranking_csv_table)


@app.command()
@handles_errors
def formula(
    title: Annotated[Optional[str], typer.Argument(help="A show's title; leave out with --all.", show_default=False)] = None,
    all_shows: Annotated[bool, typer.Option("--all", help="Rank the whole catalog, most formulaic first.")] = False,
    name: Annotated[str, typer.Option("--formula", help="Which formula of tropes.yaml.")] = "romance",
    fmt: FormatOpt = Format.table,
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """How closely a show follows the romantic K-drama formula, and where it strays.

    Example: recommender formula "Run On"      (or: recommender formula --all)
    """
    from recommender import formula as formulas
    from recommender import output

    if (title is None) == (not all_shows):
        raise typer.BadParameter("give a TITLE or --all (not both)")
    _, index = _index(catalog, no_cache)
    if all_shows:
        _print(formulas.ranking(index, name), fmt, output.formula_ranking_table)
    else:
        assert title is not None
        _print(formulas.report(index, title, name), fmt, output.formula_report_table, output.formula_report_csv_table)


@app.command()
@handles_errors
def show(
    title: Annotated[str, typer.Argument(help="A show's title, alias or Korean title.")],
    weighting: WeightingOpt = Weighting.idf,
    fmt: FormatOpt = Format.table,
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """A show's facts and trope vector (written weights and weighted values).

    Example: recommender show "Crash Landing on You"
    """
    from recommender import details, output

    root, index = _index(catalog, no_cache)
    _print(details.show_details(index, root, title, weighting.value), fmt, output.show_table, output.show_csv_table)


@app.command()
@handles_errors
def tropes(fmt: FormatOpt = Format.table, catalog: CatalogOpt = None, no_cache: NoCacheOpt = False) -> None:
    """The trope taxonomy by category, with how many shows use each trope.

    Example: recommender tropes --format csv
    """
    from recommender import details, output

    root, index = _index(catalog, no_cache)
    _print(details.trope_listing(index, root), fmt, output.tropes_table, output.tropes_csv_table)


@app.command()
@handles_errors
def validate(fmt: FormatOpt = Format.table, catalog: CatalogOpt = None) -> None:
    """Check every file of the catalog and list every problem at once (exit 1 if any).

    Example: recommender validate --catalog ./my-catalog
    """
    from recommender import details, output

    report = details.validate(_root(catalog))
    _print(report, fmt, output.validation_table)
    if report.problems:
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="recommender")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
