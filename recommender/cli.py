"""The command line: parse arguments, call one library function, print its result.

Exit codes: 0 success, 1 a data or lookup error, 2 a usage error. Data goes to stdout,
messages to stderr, and a domain error is one line, never a traceback.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import sys
import typing
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer

from recommender.errors import RecommenderError

if TYPE_CHECKING:
    from recommender.filters import Filters

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
    """The result on stdout; its `warnings`, if it has any, on stderr."""
    from recommender.output import render

    for warning in getattr(result, "warnings", None) or []:
        typer.echo(f"recommender: warning: {warning}", err=True)
    typer.echo(render(result, fmt.value, layout, csv_layout))


FILTERS = "Filters and diversity"
Titles = Optional[list[str]]
YearOpt = Annotated[
    Optional[str], typer.Option("--year", help="Years of first broadcast: 2015..2020, 2015.., ..2012 or 2016.", rich_help_panel=FILTERS)
]
NetworkOpt = Annotated[
    Titles, typer.Option("--network", help="Only shows on this network (repeatable: any of them).", rich_help_panel=FILTERS)
]
GenreOpt = Annotated[Titles, typer.Option("--genre", help="Only shows of this genre (repeatable: all of them).", rich_help_panel=FILTERS)]
MaxEpisodesOpt = Annotated[
    Optional[int], typer.Option("--max-episodes", min=1, help="Only shows with at most this many episodes.", rich_help_panel=FILTERS)
]
ExcludeOpt = Annotated[Titles, typer.Option("--exclude", help="Leave this show out (repeatable).", rich_help_panel=FILTERS)]
SeenOpt = Annotated[
    Optional[Path], typer.Option("--seen", help="Leave out the shows in this text file, one title a line.", rich_help_panel=FILTERS)
]
NotOpt = Annotated[Titles, typer.Option("--not", help="Leave out every show that has this trope (repeatable).", rich_help_panel=FILTERS)]
DiverseOpt = Annotated[
    bool, typer.Option("--diverse", help="Re-rank by maximal marginal relevance: no near-copies at the top.", rich_help_panel=FILTERS)
]
LambdaOpt = Annotated[
    Optional[float],
    typer.Option(
        "--lambda", min=0.0, max=1.0, help="MMR trade-off, 1 = plain ranking (implies --diverse) [default: 0.7]", rich_help_panel=FILTERS
    ),
]
UnlikeOpt = Annotated[Titles, typer.Option("--unlike", help="Steer away from this show (repeatable).")]
MoreOpt = Annotated[Titles, typer.Option("--more", help="Steer towards this trope (repeatable).")]
LessOpt = Annotated[Titles, typer.Option("--less", help="Steer away from this trope (repeatable).")]


@dataclasses.dataclass(frozen=True)
class Narrowing:
    """The options every ranking command shares: which shows may appear, and how diverse the top is."""

    year: YearOpt = None
    network: NetworkOpt = None
    genre: GenreOpt = None
    max_episodes: MaxEpisodesOpt = None
    exclude: ExcludeOpt = None
    seen: SeenOpt = None
    without: NotOpt = None
    diverse: DiverseOpt = False
    lam: LambdaOpt = None

    def filters(self) -> Filters:
        from recommender.filters import Filters, parse_years

        return Filters(
            years=None if self.year is None else parse_years(self.year),
            networks=tuple(self.network or ()),
            genres=tuple(self.genre or ()),
            max_episodes=self.max_episodes,
            exclude=tuple(self.exclude or ()),
            seen=self.seen,
            without=tuple(self.without or ()),
        )

    def diversity(self) -> float | None:
        """The MMR lambda, or None for the plain cosine order."""
        from recommender.diversity import DEFAULT_LAMBDA

        return self.lam if self.lam is not None else DEFAULT_LAMBDA if self.diverse else None


@functools.cache
def _narrowing_parameters() -> tuple[inspect.Parameter, ...]:
    """The fields of `Narrowing` as keyword-only command parameters, with their typer options."""
    hints = typing.get_type_hints(Narrowing, include_extras=True)
    return tuple(
        inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, annotation=hints[f.name], default=f.default)
        for f in dataclasses.fields(Narrowing)
    )


def narrowed(command: F) -> F:
    """Give a ranking command the options of `Narrowing`; it receives them as one `narrowing` argument."""
    shared = _narrowing_parameters()
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "narrowing"]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        narrowing = Narrowing(**{p.name: kwargs.pop(p.name) for p in shared})
        return command(*args, narrowing=narrowing, **kwargs)

    wrapper.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


@app.command()
@handles_errors
@narrowed
def like(
    titles: Annotated[
        list[str], typer.Argument(help="One or more shows to start from: title, alias or Korean title (any case or punctuation).")
    ],
    unlike: UnlikeOpt = None,
    more: MoreOpt = None,
    less: LessOpt = None,
    top: TopOpt = 10,
    weighting: WeightingOpt = Weighting.idf,
    fmt: FormatOpt = Format.table,
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    narrowing: Narrowing,
) -> None:
    """Shows like these, ranked by cosine similarity of trope vectors, with why each matches.

    Example: recommender like "Run On" "Oh My Venus" --less sports --year 2015..
    """
    from recommender import engine, output

    _, index = _index(catalog, no_cache)
    result = engine.like(
        index,
        titles,
        top,
        weighting.value,
        unlike=unlike or (),
        more=more or (),
        less=less or (),
        filters=narrowing.filters(),
        diversity=narrowing.diversity(),
    )
    _print(result, fmt, output.ranking_table, output.ranking_csv_table)


@app.command()
@handles_errors
@narrowed
def query(
    tropes: Annotated[list[str], typer.Argument(help='Tropes by id, name or alias, e.g. meet-cute "Jeju Island".')],
    top: TopOpt = 10,
    weighting: WeightingOpt = Weighting.idf,
    fmt: FormatOpt = Format.table,
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    narrowing: Narrowing,
) -> None:
    """Shows that best match a list of tropes.

    Example: recommender query meet-cute jeju-trip "candy girl" --not time-slip
    """
    from recommender import engine, output

    _, index = _index(catalog, no_cache)
    result = engine.query(index, tropes, top, weighting.value, filters=narrowing.filters(), diversity=narrowing.diversity())
    _print(result, fmt, output.ranking_table, output.ranking_csv_table)


@app.command()
@handles_errors
@narrowed
def recommend(
    ratings: Annotated[Path, typer.Option("--ratings", help="YAML or CSV of titles and your ratings from 1 to 10.", show_default=False)],
    top: TopOpt = 10,
    weighting: WeightingOpt = Weighting.idf,
    fmt: FormatOpt = Format.table,
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    narrowing: Narrowing,
) -> None:
    """Shows you have not rated, from the taste your ratings imply, with the rated shows behind each.

    Example: recommender recommend --ratings my-ratings.csv --year 2018..
    """
    from recommender import output, taste

    _, index = _index(catalog, no_cache)
    result = taste.recommend(index, ratings, top, weighting.value, filters=narrowing.filters(), diversity=narrowing.diversity())
    _print(result, fmt, output.taste_table, output.taste_csv_table)


@app.command()
@handles_errors
def explain(
    first: Annotated[str, typer.Argument(help="A show's title, alias or Korean title.")],
    second: Annotated[str, typer.Argument(help="Another show.")],
    top: Annotated[int, typer.Option("--top", "-k", min=0, help="How many tropes to list that each has and the other lacks.")] = 5,
    weighting: WeightingOpt = Weighting.idf,
    fmt: FormatOpt = Format.table,
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """How much each shared trope adds to the cosine of two shows, and what each has that the other lacks.

    Example: recommender explain "Run On" "Oh My Venus"
    """
    from recommender import explain as explaining
    from recommender import output

    _, index = _index(catalog, no_cache)
    _print(explaining.explain(index, first, second, weighting.value, top), fmt, output.explain_table, output.explain_csv_table)


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

    _, index = _index(catalog, no_cache)
    _print(details.trope_listing(index), fmt, output.tropes_table, output.tropes_csv_table)


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


@app.command("index")
@handles_errors
def build_index(fmt: FormatOpt = Format.table, catalog: CatalogOpt = None) -> None:
    """Build or refresh the index cache now (later commands then answer in milliseconds).

    Example: recommender index --catalog ./big-catalog
    """
    from recommender import cache, output

    result = cache.index_catalog(_root(catalog), _progress_bar)
    _print(result, fmt, output.index_summary_table)


def _progress_bar(files: Any, total: int) -> Any:
    """A progress bar on stderr, only on a terminal and only when there is enough to wait for."""
    if total < 2000 or not sys.stderr.isatty():
        yield from files
        return
    with typer.progressbar(files, length=total, label="parsing", file=sys.stderr) as bar:
        yield from bar


def main() -> None:
    """Console-script entry point."""
    app(prog_name="recommender")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
