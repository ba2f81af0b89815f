"""The command line: parse arguments, call one library function, print its result.

Exit codes: 0 success, 1 a data or lookup error, 2 a usage error, 130 interrupted. Data goes
to stdout, messages to stderr; every error, a domain error or a usage error alike, is one line
(`recommender: error: ...`), never a traceback: `Group.main` turns them into that line in one
place for every command. Text that reaches the terminal has its control characters escaped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import inspect
import os
import sys
import typing
from collections.abc import Callable, Iterator, MutableMapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
import typer.main
from typer.core import TyperGroup

from recommender import __version__
from recommender.choices import FORMATS, WEIGHTINGS
from recommender.errors import RecommenderError
from recommender.text import printable

if TYPE_CHECKING:
    from typer import _click as click
    from typer.models import CommandInfo

    from recommender.engine import RankOptions
    from recommender.filters import Filters, Seen
    from recommender.index import Index
    from recommender.profile import Profile


F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"recommender: error: {printable(message, newlines=False)}\n")
    return code


class Commands(MutableMapping[str, "click.Command"]):
    """The group's commands, each made from its typer signature only when it is looked up.

    Typer would build all of them (about 30 ms of annotation evaluation) for every run; a run
    needs one. Listing them all (--help, completion) still builds every one.
    """

    def __init__(self, pending: list[CommandInfo], built: dict[str, click.Command]) -> None:
        self.pending = {_command_name(info): info for info in pending}
        self.built = built

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.built:
            self.built[name] = typer.main.get_command_from_info(
                self.pending[name],
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
        return self.built[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self.pending.pop(name, None)
        self.built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self.pending
        yield from (name for name in self.built if name not in self.pending)

    def __len__(self) -> int:
        return len(self.pending.keys() | self.built.keys())

    def __contains__(self, name: object) -> bool:
        return name in self.pending or name in self.built


def _command_name(info: CommandInfo) -> str:
    assert info.callback is not None
    return info.name or typer.main.get_command_name(info.callback.__name__)


class Group(TyperGroup):
    """The command group; its `main` is the one place errors become a line and an exit code."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.commands = Commands(app.deferred, dict(self.commands))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from typer import _click

        kwargs["standalone_mode"] = False
        if os.environ.get("_RECOMMENDER_COMPLETE"):
            from recommender import completion

            completion.attach(self)
        try:
            code = super().main(*args, **kwargs)
        except _click.exceptions.NoArgsIsHelpError as exc:
            exc.show()
            code = 2
        except _click.exceptions.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "recommender"
            code = _fail(f"{exc.format_message()} (see `{command} --help`)", 2)
        except _click.exceptions.ClickException as exc:
            code = _fail(exc.format_message(), exc.exit_code)
        except RecommenderError as exc:
            code = _fail(str(exc), exc.exit_code)
        except (KeyboardInterrupt, typer.Abort):
            code = 130
        except OSError as exc:
            code = _output_failed(exc)
        if code == 130:
            _fail("interrupted", 130)
        sys.exit(code if isinstance(code, int) else 0)


def _output_failed(exc: OSError) -> int:
    """Output that could not be written (a closed pipe, a full disk): one line, exit 1."""
    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (nothing more may reach the broken stream)
    if exc.errno == errno.EPIPE:
        return 1
    return _fail(f"cannot write the output: {exc.strerror or exc}", 1)


class App(typer.Typer):
    """A typer app whose commands are kept aside, for `Commands` to build the one a run invokes."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.deferred: list[CommandInfo] = []

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        register = super().command(*args, **kwargs)

        def defer(function: F) -> F:
            register(function)
            self.deferred.append(self.registered_commands.pop())
            return function

        return defer


app = App(
    cls=Group,
    help='Recommend Korean dramas by the tropes they share.\n\nExample: recommender like "Run On"',
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Format = Enum("Format", {f: f for f in FORMATS}, type=str)  # type: ignore[misc]
Weighting = Enum("Weighting", {w: w for w in WEIGHTINGS}, type=str)  # type: ignore[misc]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"recommender {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Recommend Korean dramas by the tropes they share.

    Example: recommender like "Run On"
    """


CatalogOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--catalog",
        help="Catalog folder holding tropes.yaml and shows/ [default: $RECOMMENDER_CATALOG, else the bundled one]",
        show_default=False,
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")]
TopOpt = Annotated[int, typer.Option("--top", "-k", min=1, help="How many results.")]
WeightingOpt = Annotated[
    Weighting,
    typer.Option(
        "--weighting",
        case_sensitive=False,
        help="focus: central tropes and tone count most (default); idf: rare tropes count more; none: raw weights.",
    ),
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Read the catalog files directly, without the index cache.")
]


def _root(catalog: Path | None) -> Path:
    from recommender.locate import locate

    return locate(catalog)


def _index(catalog: Path | None, no_cache: bool) -> Index:
    """The catalog's index; files under shows/ that could not be read are warned about on stderr."""
    from recommender.cache import open_index

    index = open_index(_root(catalog), use_cache=not no_cache)
    for message in index.skipped:
        _warn(message)
    return index


def _warn(message: str) -> None:
    sys.stderr.write(f"recommender: warning: {printable(message, newlines=False)}\n")


def terminal_width() -> int | None:
    """Columns to fit tables to: $COLUMNS if set, else the terminal's; None when stdout is a pipe or a file."""
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((100, 24)).columns
    return None


def _print(result: Any, fmt: Format, options: Filtered | None = None) -> None:
    """The result on stdout; its `warnings`, if it has any, on stderr; a note when a profile was applied."""
    from recommender.output import render

    found = options.profile() if options is not None else None
    if found is not None and hasattr(result, "notes"):
        from recommender import profile

        result = dataclasses.replace(result, notes=[profile.note(found), *result.notes])

    for warning in getattr(result, "warnings", None) or []:
        _warn(warning)
    command, query = _asked()
    text = render(result, fmt.value, terminal_width(), command, query)
    if text:  # jsonl of no results is no line at all
        sys.stdout.write((text if fmt.value in ("json", "jsonl") else printable(text)) + "\n")
    sys.stdout.flush()


UNASKED = {"fmt", "catalog", "no_cache"}  # options about where and how, not what was asked


def _asked() -> tuple[str, dict[str, Any]]:
    """The running command's name and the arguments the user gave it (defaults left out), for JSON."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if ctx is None:
        return "", {}

    def value(v: Any) -> Any:
        if isinstance(v, Enum):
            return v.value
        if isinstance(v, (list, tuple)):
            return [value(x) for x in v]
        return str(v) if isinstance(v, Path) else v

    given = {
        k: value(v) for k, v in ctx.params.items() if k not in UNASKED and v not in (None, False, [], ())
    }
    return ctx.info_name or "", given


FILTERS = "Filters and diversity"
Titles = Optional[list[str]]


def _filter(flag: str, help: str, **settings: Any) -> Any:
    """A typer option shown under the filters' heading of --help."""
    return typer.Option(flag, help=help, rich_help_panel=FILTERS, **settings)


YearOpt = Annotated[
    Optional[str], _filter("--year", "Years of first broadcast: 2015..2020, 2015.., ..2012 or 2016.")
]
NetworkOpt = Annotated[Titles, _filter("--network", "Only shows on this network (repeatable: any of them).")]
GenreOpt = Annotated[Titles, _filter("--genre", "Only shows of this genre (repeatable: all of them).")]
WriterOpt = Annotated[
    Titles, _filter("--writer", "Only shows by this screenwriter (repeatable: any of them).")
]
DirectorOpt = Annotated[
    Titles, _filter("--director", "Only shows by this director (repeatable: any of them).")
]
CastOpt = Annotated[
    Titles, _filter("--cast", "Only shows with this actor in the lead cast (repeatable: any).")
]
MaxEpisodesOpt = Annotated[
    Optional[int], _filter("--max-episodes", "Only shows with at most this many episodes.", min=1)
]
MaxMinutesOpt = Annotated[
    Optional[int], _filter("--max-minutes", "Only shows whose episodes run at most this many minutes.", min=1)
]
MaxHoursOpt = Annotated[
    Optional[float],
    _filter("--max-hours", "Only shows whose episodes add up to at most this many hours.", min=0.1),
]
ExcludeOpt = Annotated[Titles, _filter("--exclude", "Leave this show out (repeatable).")]
SeenOpt = Annotated[
    Optional[Path], _filter("--seen", "Leave out the shows in this text file, one title a line.")
]
NotOpt = Annotated[Titles, _filter("--not", "Leave out every show that has this trope (repeatable).")]
DiverseOpt = Annotated[
    bool, _filter("--diverse", "Re-rank by maximal marginal relevance: no near-copies at the top.")
]
LambdaOpt = Annotated[
    Optional[float],
    _filter(
        "--lambda", "MMR trade-off, 1 = plain ranking (implies --diverse) [default: 0.7]", min=0.0, max=1.0
    ),
]
NoProfileOpt = Annotated[
    bool, _filter("--no-profile", "Ignore your profile's dealbreakers, seen and rated shows (see `profile`).")
]
SeasonsOpt = Annotated[
    bool, _filter("--seasons", "List every season of a franchise (by default one row stands for them all).")
]
UnlikeOpt = Annotated[Titles, typer.Option("--unlike", help="Steer away from this show (repeatable).")]
MoreOpt = Annotated[Titles, typer.Option("--more", help="Steer towards this trope (repeatable).")]
LessOpt = Annotated[Titles, typer.Option("--less", help="Steer away from this trope (repeatable).")]


@dataclasses.dataclass(frozen=True)
class Filtered:
    """The filters every command that lists shows shares."""

    year: YearOpt = None
    network: NetworkOpt = None
    genre: GenreOpt = None
    writer: WriterOpt = None
    director: DirectorOpt = None
    cast: CastOpt = None
    max_episodes: MaxEpisodesOpt = None
    max_minutes: MaxMinutesOpt = None
    max_hours: MaxHoursOpt = None
    exclude: ExcludeOpt = None
    seen: SeenOpt = None
    without: NotOpt = None
    no_profile: NoProfileOpt = False

    def profile(self) -> Profile | None:
        """The user's profile, unless --no-profile (None when there is none or it is empty)."""
        return None if self.no_profile else _profile()

    def filters(self) -> Filters:
        from recommender.errors import UsageError
        from recommender.filters import Filters, parse_years

        try:
            years = None if self.year is None else parse_years(self.year)
        except UsageError as exc:
            raise UsageError(f"--year: {exc}") from None
        given = Filters(
            years=years,
            networks=tuple(self.network or ()),
            genres=tuple(self.genre or ()),
            writers=tuple(self.writer or ()),
            directors=tuple(self.director or ()),
            cast=tuple(self.cast or ()),
            max_episodes=self.max_episodes,
            max_minutes=self.max_minutes,
            max_hours=self.max_hours,
            exclude=tuple(self.exclude or ()),
            seen=_read_seen(self.seen) if self.seen else (),
            seen_from=str(self.seen or ""),
            without=tuple(self.without or ()),
        )
        found = self.profile()
        if found is None:
            return given
        from recommender import profile

        return profile.apply(given, found)


def _profile() -> Profile | None:
    from recommender import profile

    found = profile.load()
    return None if found.empty else found


@dataclasses.dataclass(frozen=True)
class Ranked(Filtered):
    """The options every ranking command shares: the filters, how many, the weighting, and diversity."""

    top: TopOpt = 10
    weighting: WeightingOpt = Weighting.focus  # type: ignore[attr-defined]
    diverse: DiverseOpt = False
    lam: LambdaOpt = None
    seasons: SeasonsOpt = False

    def options(self) -> RankOptions:
        from recommender.diversity import DEFAULT_LAMBDA
        from recommender.engine import RankOptions

        diversity = self.lam if self.lam is not None else DEFAULT_LAMBDA if self.diverse else None
        return RankOptions(self.top, self.weighting.value, self.filters(), diversity, self.seasons)


def _read_seen(path: Path) -> tuple[Seen, ...]:
    from recommender.userfiles import read_seen

    return read_seen(path)


@functools.cache
def _option_parameters(kind: type) -> tuple[inspect.Parameter, ...]:
    """The fields of an options dataclass as keyword-only command parameters, with their typer options."""
    hints = typing.get_type_hints(kind, include_extras=True)
    return tuple(
        inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, annotation=hints[f.name], default=f.default)
        for f in dataclasses.fields(kind)
    )


def with_options(kind: type, name: str) -> Callable[[F], F]:
    """Give a command the options of the dataclass `kind`; it receives them as one argument called `name`."""

    def decorate(command: F) -> F:
        shared = _option_parameters(kind)
        own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != name]

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return command(*args, **{name: kind(**{p.name: kwargs.pop(p.name) for p in shared}), **kwargs})

        wrapper.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


ranked = with_options(Ranked, "ranked")
filtered = with_options(Filtered, "filtered")


@app.command()
@ranked
def like(
    titles: Annotated[
        list[str],
        typer.Argument(
            help="One or more shows to start from: title, alias or Korean title (any case or punctuation)."
        ),
    ],
    unlike: UnlikeOpt = None,
    more: MoreOpt = None,
    less: LessOpt = None,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    ranked: Ranked,
) -> None:
    """Shows like these, ranked by cosine similarity of trope vectors, with why each matches.

    The score runs from 0 to 1: 1 = the same tropes in the same proportions,
    0 = no trope in common. "because" names the shared tropes that give most
    of it, with their share; `explain` and --format json list every part.

    Example: recommender like "Run On" "Oh My Venus" --less sports --year 2015..
    """
    from recommender import engine

    options = ranked.options()
    _print(
        engine.like(
            _index(catalog, no_cache), titles, options, unlike=unlike or (), more=more or (), less=less or ()
        ),
        fmt,
        ranked,
    )


@app.command()
@ranked
def query(
    tropes: Annotated[
        list[str], typer.Argument(help='Tropes by id, name or alias, e.g. meet-cute "Jeju Island".')
    ],
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    ranked: Ranked,
) -> None:
    """Shows that best match a list of tropes, or fans' words for them.

    The score runs from 0 to 1: 1 = a show made of just these tropes, 0 =
    none of them; a show with more of its weight on the tropes asked for
    scores higher. Only shows with at least one of them are listed.

    Example: recommender query meet-cute jeju-trip "candy girl" --not time-slip
    """
    from recommender import engine

    options = ranked.options()
    _print(engine.query(_index(catalog, no_cache), tropes, options), fmt, ranked)


@app.command()
@ranked
def recommend(
    file: Annotated[
        Optional[Path],
        typer.Argument(help="Your watch list: YAML, CSV or TSV of titles and ratings.", show_default=False),
    ] = None,
    ratings: Annotated[
        Optional[Path],
        typer.Option("--ratings", help="The watch list, as an option (same as FILE).", show_default=False),
    ] = None,
    centre: Annotated[
        str,
        typer.Option(
            "--centre",
            help="What ratings are measured from: 5.5 (the scale's midpoint) or 'mean' (your own).",
        ),
    ] = "5.5",
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    ranked: Ranked,
) -> None:
    """Shows you have not seen, from the taste your ratings imply, with the rated shows behind each.

    A show rated above 5.5 pulls the results towards its tropes, one rated
    below pushes them away. The score is the cosine of a show with that
    taste (1 = exactly your taste, 0 = nothing of it). The notes say which
    tropes your high ratings lean to.

    The file, one show a line: CSV `title,rating` (or TSV), or YAML
    `title: rating`. A title with no rating (`Goblin,` or `Goblin:`) is one
    you have seen: it is left out of the results.

    Example: recommender recommend my-list.csv --year 2018..
    """
    from recommender import taste
    from recommender.errors import UsageError
    from recommender.taste import Rating
    from recommender.userfiles import read_watchlist

    path = file or ratings
    if file and ratings:
        raise UsageError("give one watch list: recommender recommend FILE (or --ratings FILE)")
    try:
        middle: float | str = "mean" if centre.lower() == "mean" else float(centre)
    except ValueError:
        raise UsageError(f"--centre: '{centre}' is not a number or 'mean'") from None
    mine = ranked.profile()
    if path is None and not (mine and mine.ratings):
        raise UsageError(
            'give your watch list: recommender recommend FILE (or rate shows: recommender profile rate "Run On" 9)'
        )
    if path is not None:
        rated, seen = read_watchlist(path)
    else:
        assert mine is not None
        rated, seen = [Rating(t, r, f"{mine.path}: ratings") for t, r in mine.ratings.items()], ()
    options = ranked.options()
    if seen:
        filters = dataclasses.replace(options.filters, seen=(*options.filters.seen, *seen))
        options = dataclasses.replace(options, filters=filters)
    _print(taste.recommend(_index(catalog, no_cache), rated, options, middle), fmt, ranked)


@app.command()
def explain(
    first: Annotated[str, typer.Argument(help="A show's title, alias or Korean title.")],
    second: Annotated[str, typer.Argument(help="Another show.")],
    top: Annotated[
        int,
        typer.Option("--top", "-k", min=0, help="How many tropes to list that each has and the other lacks."),
    ] = 5,
    weighting: WeightingOpt = Weighting.focus,  # type: ignore[attr-defined]
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """How much each shared trope adds to the cosine of two shows, and what each has that the other lacks.

    Example: recommender explain "Run On" "Oh My Venus"
    """
    from recommender import explain as explaining

    _print(explaining.explain(_index(catalog, no_cache), first, second, weighting.value, top), fmt)


@app.command()
def formula(
    title: Annotated[
        Optional[str],
        typer.Argument(help="A show's title; leave out with --all or --by.", show_default=False),
    ] = None,
    all_shows: Annotated[
        bool, typer.Option("--all", help="Rank the shows the formula applies to, most formulaic first.")
    ] = False,
    by: Annotated[
        Optional[str],
        typer.Option("--by", help="Trend per 'year' or five-year 'era': mean score, beats' share."),
    ] = None,
    name: Annotated[
        Optional[str],
        typer.Option(
            "--formula", help="Which formula of tropes.yaml [default: the show's best fit; romance]"
        ),
    ] = None,
    top: Annotated[
        Optional[int],
        typer.Option("--top", "-k", help="With --all: the N most and the N least formulaic.", min=1),
    ] = None,
    year: YearOpt = None,
    network: NetworkOpt = None,
    genre: GenreOpt = None,
    plot: Annotated[
        Optional[Path],
        typer.Option("--plot", help="Also draw the beats (TITLE) or the trend (--by) to FILE.png|.svg."),
    ] = None,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """How closely a show follows its genre's formula, and where it strays.

    Example: recommender formula "Run On"   (or: formula --all --formula romance --top 5; formula --by era)
    """
    from recommender import formula as formulas

    if sum((title is not None, all_shows, by is not None)) != 1:
        raise typer.BadParameter("give one of a TITLE, --all or --by")
    if plot is not None and all_shows:
        raise typer.BadParameter("--plot draws a show's beats (TITLE) or a trend (--by), not --all")
    index = _index(catalog, no_cache)
    if title is not None:
        report = formulas.report(index, title, name)
        if plot is not None:
            from recommender import plots

            typer.echo(f"recommender: wrote {plots.plot_report(report, plot)}", err=True)
        _print(report, fmt)
    elif by is not None:
        trend = formulas.trend(index, name or "romance", by)
        if plot is not None:
            from recommender import plots

            typer.echo(f"recommender: wrote {plots.plot_trend(trend, plot)}", err=True)
        _print(trend, fmt)
    else:
        filters = Filtered(year=year, network=network, genre=genre, no_profile=True).filters()
        _print(formulas.ranking(index, name or "romance", filters, top), fmt)


@app.command("formulas")
def formulas_command(
    name: Annotated[
        Optional[str], typer.Argument(help="One formula's id, in full.", show_default=False)
    ] = None,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Every formula with its declared beats beside the tropes the data finds over-represented.

    Example: recommender formulas     (or: recommender formulas romance)
    """
    from recommender import formula as formulas

    index = _index(catalog, no_cache)
    _print(formulas.formula_list(index) if name is None else formulas.describe(index, name), fmt)


@app.command()
def show(
    title: Annotated[str, typer.Argument(help="A show's title, alias or Korean title.")],
    weighting: WeightingOpt = Weighting.focus,  # type: ignore[attr-defined]
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """A show's facts and trope vector (written weights and weighted values).

    Example: recommender show "Crash Landing on You"
    """
    from recommender import details

    _print(details.show_details(_index(catalog, no_cache), title, weighting.value), fmt)


@app.command()
def tropes(
    words: Annotated[
        Optional[list[str]],
        typer.Argument(
            help="A trope's id or name for it in full, or words to search for.", show_default=False
        ),
    ] = None,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """The trope taxonomy with how many shows use each trope; one trope in full; or the tropes that mention a word.

    Example: recommender tropes     (or: recommender tropes love-triangle; recommender tropes revenge)
    """
    from recommender import browse, details

    index = _index(catalog, no_cache)
    if not words:
        _print(details.trope_listing(index), fmt)
        return
    text = " ".join(words)
    found = index.lookup_trope(text)
    _print(browse.trope_details(index, text) if found is not None else browse.search_tropes(index, text), fmt)


@app.command()
@filtered
def shows(
    search: Annotated[
        Optional[str],
        typer.Option("--search", "-s", help="Only shows whose titles, synopsis or credits hold these words."),
    ] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="title, year (newest first) or hours (shortest first).")
    ] = "title",
    top: Annotated[Optional[int], typer.Option("--top", "-k", min=1, help="At most this many shows.")] = None,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    filtered: Filtered,
) -> None:
    """List the catalog's shows, with every filter of the ranking commands: browse without a seed.

    Example: recommender shows --network Netflix --genre Romance --genre Comedy --max-episodes 12 --not tragic-ending
    """
    from recommender import browse

    _print(
        browse.list_shows(_index(catalog, no_cache), filtered.filters(), search or "", sort, top),
        fmt,
        filtered,
    )


@app.command()
def genres(fmt: FormatOpt = Format.table, catalog: CatalogOpt = None, no_cache: NoCacheOpt = False) -> None:  # type: ignore[attr-defined]
    """Every genre --genre accepts, with how many shows have it.

    Example: recommender genres
    """
    from recommender import browse

    _print(browse.facets(_index(catalog, no_cache), "genre"), fmt)


@app.command()
def networks(fmt: FormatOpt = Format.table, catalog: CatalogOpt = None, no_cache: NoCacheOpt = False) -> None:  # type: ignore[attr-defined]
    """Every network --network accepts, with how many shows it broadcast.

    Example: recommender networks
    """
    from recommender import browse

    _print(browse.facets(_index(catalog, no_cache), "network"), fmt)


@app.command("map")
@filtered
def map_command(
    titles: Annotated[
        Optional[list[str]],
        typer.Argument(
            help="Shows to highlight, with their top picks: title, alias or Korean title.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            help="Write the map to FILE.png, FILE.svg or FILE.html (one offline page: pan, zoom, hover, search).",
            show_default=False,
        ),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", "-k", min=0, help="How many top picks of the named shows to highlight.")
    ] = 5,
    weighting: WeightingOpt = Weighting.focus,  # type: ignore[attr-defined]
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    filtered: Filtered,
) -> None:
    """A map of the catalog: every show placed by its tropes, in clusters named after the tropes that define them.

    Example: recommender map "Goblin" --output map.html     (or: recommender map --output map.png --network Netflix)
    """
    from recommender import atlas

    target = atlas.check_target(output) if output is not None else None  # a bad name fails before the work
    result = atlas.atlas(
        _index(catalog, no_cache),
        titles or (),
        filtered.filters(),
        weighting.value,
        top,
        use_cache=not no_cache,
    )
    if target is not None:
        typer.echo(f"recommender: wrote {atlas.save(result, target)}", err=True)
    _print(result, fmt)


@app.command("profile")
def profile_command(
    action: Annotated[
        str, typer.Argument(help="show, never/allow TROPE, seen/unseen TITLE, rate TITLE N, unrate TITLE.")
    ] = "show",
    values: Annotated[
        Optional[list[str]], typer.Argument(help="Tropes or titles; for rate, a title and 1-10.")
    ] = None,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Your profile: dealbreaker tropes, seen shows and ratings that every ranking command applies.

    Example: recommender profile never love-triangle   (or: profile seen "Goblin"; profile rate "Run On" 9)
    """
    from recommender import profile

    index = None if action == "show" else _index(catalog, no_cache)
    _print(profile.load() if index is None else profile.edit(index, action, values or []), fmt)


@app.command()
def validate(
    suggest: Annotated[
        bool, typer.Option("--suggest", help="Also list tropes the catalog suggests a show lacks or doubts.")
    ] = False,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
) -> None:
    """Check every file of the catalog and list every problem at once (exit 1 if any).

    Example: recommender validate --catalog ./my-catalog     (or: recommender validate --suggest)
    """
    from recommender import details

    report = details.validate(_root(catalog))
    if report.problems or not suggest or fmt is Format.table:  # type: ignore[attr-defined]
        _print(report, fmt)  # for scripts, --suggest on a clean catalog prints one document: the suggestions
    if report.problems:
        raise typer.Exit(1)
    if suggest:
        from recommender import lint

        _print(lint.suggest(_index(catalog, False)), fmt)


@app.command("index")
def build_index(
    force: Annotated[
        bool, typer.Option("--force", help="Parse every file again, trusting nothing cached.")
    ] = False,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    catalog: CatalogOpt = None,
) -> None:
    """Build or refresh the index cache now, comparing every file (later commands then answer in milliseconds).

    Example: recommender index --catalog ./big-catalog
    """
    from recommender import cache

    _print(cache.index_catalog(_root(catalog), progress_bar, force=force), fmt)


def progress_bar(files: Any, total: int) -> Any:
    """A progress bar on stderr, only on a terminal and only when there is enough to wait for."""
    if total < 2000 or not sys.stderr.isatty():
        yield from files
        return
    with typer.progressbar(files, length=total, label="parsing", file=sys.stderr) as bar:
        yield from bar


def main() -> None:
    """Console-script entry point."""
    if sys.stdout is None:
        if sys.stderr is not None:
            _fail("standard output is closed: nothing could be printed", 1)
        raise SystemExit(1)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    app(prog_name="recommender")
