"""Files the user hands a command (a seen list, a ratings file): read with limits and one-line errors.

A file is read up to MAX_BYTES (so `/dev/zero` or a huge file is refused, not read forever),
must be UTF-8, and its titles go to the library as values: `recommender.filters.Seen` and
`recommender.taste.Rating`. A ratings file (a watch list) is YAML (a mapping `title: rating`,
or a list of `{title: ..., rating: ...}`), read by the one strict YAML loader
(`recommender.safeyaml`), or CSV/TSV (`title,rating` rows, the header line optional; `#` starts
a comment line). A title with no rating (`Goblin:` in YAML, a row with the title alone in CSV)
is one you have seen: it is left out of results but does not shape your taste. A seen file is
either such a watch list or plain text, one title a line.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from recommender.errors import DataError
from recommender.filters import Seen
from recommender.taste import Rating
from recommender.text import clip

MAX_BYTES = 10_000_000
MAX_TITLE = 300


def read_text(path: Path, what: str) -> str:
    """The text of a user's file; a missing, unreadable, huge or non-UTF-8 file is a one-line DataError."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise DataError(f"{what} {path} not found") from None
    except IsADirectoryError:
        raise DataError(f"{what} {path} is a folder, not a file") from None
    except OSError as exc:
        raise DataError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise DataError(f"{what} {path} is larger than {MAX_BYTES:,} bytes: give a list of titles")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{what} {path} is not UTF-8 text") from None


def title_lines(text: str) -> list[tuple[int, str]]:
    """(line number, title) of every line that is not blank or a `#` comment."""
    lines = ((n, line.strip()) for n, line in enumerate(text.splitlines(), start=1))
    return [(n, line) for n, line in lines if line and not line.startswith("#")]


WATCH_LISTS = (".yaml", ".yml", ".csv", ".tsv")


def read_seen(path: Path) -> tuple[Seen, ...]:
    """The titles of a seen file (plain text, one a line; or a watch list, rated or not), with where each was written."""
    if path.suffix.lower() in WATCH_LISTS:
        ratings, seen = read_watchlist(path)
        return tuple(Seen(r.title, r.where) for r in ratings) + seen
    return tuple(Seen(title, f"{path}:{n}") for n, title in title_lines(read_text(path, "seen file")))


def _yaml_pairs(text: str, path: Path) -> list[tuple[Any, Any, str]]:
    from recommender import safeyaml

    try:
        data = safeyaml.load(text)
    except safeyaml.YamlError as exc:
        raise DataError(
            f"{path}{f':{exc.line}' if exc.line else ''}: not valid YAML ({exc.message})"
        ) from None
    if isinstance(data, dict):
        return [(title, rating, f'{path}: "{clip(str(title))}"') for title, rating in data.items()]
    if isinstance(data, list) and all(
        isinstance(e, str) or (isinstance(e, dict) and "title" in e and set(e) <= {"title", "rating"})
        for e in data
    ):
        return [
            (e, None, f"{path}: entry {n}")
            if isinstance(e, str)
            else (e["title"], e.get("rating"), f"{path}: entry {n}")
            for n, e in enumerate(data, start=1)
        ]
    raise DataError(f"{path}: expected a mapping of title: rating, or a list of {{title: ..., rating: ...}}")


def _csv_pairs(text: str, path: Path, delimiter: str = ",") -> list[tuple[Any, Any, str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    pairs: list[tuple[Any, Any, str]] = []
    try:
        for row in reader:
            cells = [c.strip() for c in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            where = f"{path}:{reader.line_num}"
            if len(cells) > 2:
                raise DataError(
                    f"{where}: expected two columns, title,rating (quote a title that has a comma)"
                )
            if not pairs and len(cells) == 2 and cells[1].lower() == "rating":
                continue
            pairs.append((cells[0], cells[1] if len(cells) == 2 and cells[1] else None, where))
    except csv.Error as exc:
        raise DataError(f"{path}:{reader.line_num}: not valid CSV ({exc})") from None
    return pairs


def _number(value: Any, where: str) -> float:
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise DataError(f'{where}: rating "{clip(str(value))}" is not a number from 1 to 10')


def read_watchlist(path: Path) -> tuple[list[Rating], tuple[Seen, ...]]:
    """The ratings and the titles seen without a rating in a YAML, CSV or TSV file (chosen by its extension)."""
    suffix = path.suffix.lower()
    if suffix not in WATCH_LISTS:
        raise DataError(f"ratings file {path}: use a .yaml, .yml, .csv or .tsv file")
    text = read_text(path, "ratings file")
    if suffix in (".csv", ".tsv"):
        pairs = _csv_pairs(text, path, "\t" if suffix == ".tsv" else ",")
    else:
        pairs = _yaml_pairs(text, path)
    ratings, seen = [], []
    for title, rating, where in pairs:
        if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
            raise DataError(f"{where}: the title must be text of at most {MAX_TITLE} characters")
        if rating is None or rating == "":
            seen.append(Seen(title, where))
        else:
            ratings.append(Rating(title, _number(rating, where), where))
    return ratings, tuple(seen)


def read_ratings(path: Path) -> list[Rating]:
    """The ratings in a YAML, CSV or TSV file; the library checks they are in 1..10."""
    ratings, _ = read_watchlist(path)
    if not ratings:
        raise DataError(f"ratings file {path} has no ratings")
    return ratings
