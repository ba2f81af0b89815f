"""Read and check the files of a catalog folder: `tropes.yaml` plus one YAML file a show in `shows/`.

Checking collects every problem (file, key, what is wrong, the fix) instead of stopping at the
first, so `recommender validate` can list them all. Text fields are capped in length and may
hold no control characters; numbers are checked against sane ranges; a file over
MAX_FILE_BYTES is not read. Nothing here ever writes to the catalog. Turning parsed shows into
an index is `recommender.build`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from recommender.errors import DataError
from recommender.filestat import Stat, file_stat
from recommender.text import clip, control_character, did_you_mean, normalise, suggest

SHOW_SUFFIXES = (".yaml", ".yml")
MAX_SYNOPSIS_WORDS = 60
MAX_TEXT = 300  # characters in a title, name, alias, network, genre, person...
MAX_LONG_TEXT = 1000  # characters in a synopsis or a trope description
TAXONOMY_KEYS = ["categories", "tropes", "formulas", "phrases"]
MAX_ITEMS = 50  # entries in a list field (aliases, genres, cast...)
MAX_TROPES = 500  # trope weights in one show file
MAX_FILE_BYTES = 1_000_000  # a show file; tropes.yaml may be 20 times that
MAX_HINTS = 20  # "did you mean" hints computed for one file; later unknown ids get none (they are slow)
MAX_PROBLEMS_PER_FILE = 20
TROPE_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
RANGES = {"year": (1900, 2100), "episodes": (1, 10_000), "episode_minutes": (1, 600)}

TEXT_FIELDS = ("title", "native_title", "network", "mydramalist", "franchise", "synopsis")
LIST_FIELDS = ("aliases", "genres", "lead_cast", "writer", "director")
NUMBER_FIELDS = ("year", "episodes", "episode_minutes")
SHOW_FIELDS = (
    "title",
    "native_title",
    "aliases",
    "year",
    "network",
    "episodes",
    "episode_minutes",
    "genres",
    "lead_cast",
    "writer",
    "director",
    "franchise",
    "mydramalist",
    "synopsis",
    "tropes",
)
REQUIRED_SHOW_FIELDS = ("title", "year", "network", "episodes", "tropes")
TROPE_FIELDS = ("id", "name", "category", "description", "aliases")
FORMULA_FIELDS = ("name", "description", "applies", "tropes")
APPLIES_FIELDS = ("genres", "tropes", "unless")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the catalog, phrased so the user knows where and how to fix it."""

    file: str
    message: str
    key: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Trope:
    id: str
    name: str
    category: str
    description: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Formula:
    """A formula's beats (trope id -> weight) and the shows it is for: any of `genres`, or any of `tropes` at 0.5+."""

    id: str
    name: str
    description: str
    weights: dict[str, float]
    genres: tuple[str, ...] = ()
    tropes: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    categories: dict[str, str]
    tropes: list[Trope]
    formulas: dict[str, Formula]
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Show:
    slug: str
    path: str
    title: str
    year: int
    network: str
    episodes: int
    tropes: dict[str, float]
    native_title: str = ""
    aliases: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    lead_cast: tuple[str, ...] = ()
    writer: tuple[str, ...] = ()
    director: tuple[str, ...] = ()
    franchise: str = ""
    episode_minutes: int = 0
    mydramalist: str = ""
    synopsis: str = ""

    def names(self) -> list[str]:
        """Every name the show can be looked up by: title, Korean title, aliases and slug (unique in a catalog)."""
        return [n for n in (self.title, self.native_title, *self.aliases, self.slug) if n]

    def short_names(self) -> list[str]:
        """Short forms fans use: the part of a title after " - " ("도깨비" for "쓸쓸하고 찬란하神 - 도깨비").

        They name the show only where no other name in the catalog is the same.
        """
        return [n.rsplit(" - ", 1)[1].strip() for n in (self.title, self.native_title) if " - " in n]


ScannedFile = tuple[str, Stat]  # a show file's path relative to the catalog, and what its stat said


def scan(root: Path) -> tuple[list[ScannedFile], dict[str, Stat], list[Problem]]:
    """Every show file under `root/shows` (sorted), every folder with its stat, and what was skipped and why.

    Each folder is stat-ed before it is listed, so a file added while the scan runs changes the
    folder after the stat recorded here, and the next read notices. Symlinked folders are
    followed once (a loop is skipped); dangling links, FIFOs and other non-files, unreadable
    folders and `.YAML`-style suffixes are skipped with a Problem.
    """
    files: list[ScannedFile] = []
    folders: dict[str, Stat] = {}
    skipped: list[Problem] = []
    visited: set[tuple[int, int]] = set()
    pending = ["shows"]
    while pending:
        folder = pending.pop()
        try:
            st = os.stat(root / folder)
            if (st.st_dev, st.st_ino) in visited:
                skipped.append(
                    Problem(folder, "skipped: a symlink loop back to a folder already read; remove the link")
                )
                continue
            visited.add((st.st_dev, st.st_ino))
            with os.scandir(root / folder) as listing:
                entries = list(listing)
        except OSError as exc:
            skipped.append(
                Problem(folder, f"skipped: cannot be read ({exc.strerror}); fix its permissions or remove it")
            )
            continue
        folders[folder] = file_stat(st)
        prefix = folder + "/"
        for entry in entries:
            name = entry.name
            try:
                if name.endswith(SHOW_SUFFIXES) and entry.is_file():  # the common case: d_type, no extra call
                    st = entry.stat()
                    files.append((prefix + name, (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)))
                elif entry.is_dir():
                    pending.append(prefix + name)
                elif name.endswith(SHOW_SUFFIXES):
                    entry.stat()  # raises for a dangling link or a loop; else it is a FIFO, socket or device
                    skipped.append(
                        Problem(prefix + name, "skipped: not a regular file; replace it with a YAML file")
                    )
                elif name.lower().endswith(SHOW_SUFFIXES):
                    skipped.append(
                        Problem(
                            prefix + name,
                            "skipped: show files end in .yaml or .yml, in lower case; rename it",
                        )
                    )
            except OSError as exc:
                why = "a dangling symlink or a symlink loop" if entry.is_symlink() else exc.strerror
                skipped.append(Problem(prefix + name, f"skipped: cannot be read ({why}); fix or remove it"))
    files.sort(key=itemgetter(0))  # by path (a key sort: far cheaper than comparing tuples)
    return files, dict(sorted(folders.items())), skipped


# --- parsing ------------------------------------------------------------------


def read_yaml(
    path: Path, label: str, fast: bool = False, limit: int = MAX_FILE_BYTES
) -> tuple[Any, list[Problem]]:
    """Parse one YAML file (`fast`: try the show-file subset reader first); any problem names the file and line."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        return None, [Problem(label, f"cannot be read ({exc.strerror}): fix its permissions or remove it")]
    if len(raw) > limit:
        return None, [
            Problem(label, f"is larger than {limit:,} bytes: a catalog file is far smaller; cut it down")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(label, "is not UTF-8 text: save it as UTF-8")]
    from recommender import fastyaml, safeyaml  # only when a file is parsed: a warm answer needs no YAML

    data = fastyaml.load(text) if fast else None
    if data is not None:
        return data, []
    try:
        return safeyaml.load(text), []
    except safeyaml.YamlError as exc:
        where = f"line {exc.line}" if exc.line else None
        return None, [Problem(label, f"YAML error: {exc.message}: fix the YAML there", where)]


def _unknown_key(label: str, key: object, allowed: Iterable[str], where: str | None = None) -> Problem:
    allowed = list(allowed)
    hint = did_you_mean(suggest(str(key), {normalise(a): a for a in allowed}))
    return Problem(label, f"unknown key{hint}: use one of {', '.join(allowed)}", where or clip(str(key)))


def check_text(
    value: object, label: str, key: str, limit: int = MAX_TEXT, required: bool = False
) -> list[Problem]:
    """Problems of a text value: not text, blank when required, too long, or holding a control character."""
    if not isinstance(value, str):
        return [Problem(label, f"must be text, not {clip(repr(value))}", key)]
    if required and not value.strip():
        return [Problem(label, "is blank: give a name", key)]
    if len(value) > limit:
        return [Problem(label, f"is {len(value):,} characters long: keep it to {limit}", key)]
    control = control_character(value.replace("\n", " ") if limit == MAX_LONG_TEXT else value)
    if control:
        return [Problem(label, f"holds a control character ({control}): remove it", key)]
    return []


def check_list(value: object, label: str, key: str) -> list[Problem]:
    """Problems of a list of names: not a list, too long, or an entry that is not good text."""
    if not isinstance(value, list):
        return [Problem(label, f"must be a list of names, not {clip(repr(value))}", key)]
    if len(value) > MAX_ITEMS:
        return [Problem(label, f"has {len(value)} entries: keep it to {MAX_ITEMS}", key)]
    return [p for n, item in enumerate(value) for p in check_text(item, label, f"{key}[{n}]", required=True)]


def _capped(problems: list[Problem], label: str) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS_PER_FILE:
        return problems
    more = len(problems) - MAX_PROBLEMS_PER_FILE
    return [*problems[:MAX_PROBLEMS_PER_FILE], Problem(label, f"and {more:,} more problems in this file")]


def parse_taxonomy(path: Path, label: str = "tropes.yaml") -> tuple[Taxonomy | None, list[Problem]]:
    data, problems = read_yaml(path, label, limit=20 * MAX_FILE_BYTES)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(label, "must be a mapping with `categories`, `tropes` and `formulas`")]
    problems += [_unknown_key(label, k, TAXONOMY_KEYS) for k in data if k not in TAXONOMY_KEYS]
    categories = data.get("categories") or {}
    if not isinstance(categories, dict) or not categories:
        problems.append(
            Problem(label, "missing or empty: add `categories: {id: Display name}`", "categories")
        )
        categories = {}
    for key, name in categories.items():
        problems += check_text(name, label, f"categories.{clip(key)}", required=True)
    categories = {k: v for k, v in categories.items() if isinstance(v, str)}
    raw_tropes = data.get("tropes")
    if not isinstance(raw_tropes, list) or not raw_tropes:
        problems.append(Problem(label, "missing or empty: add a list of tropes", "tropes"))
        raw_tropes = []
    tropes: list[Trope] = []
    seen_names: dict[str, str] = {}
    for n, raw in enumerate(raw_tropes):
        trope, trope_problems = _parse_trope(raw, n, label, categories, seen_names)
        problems += trope_problems
        if trope:
            tropes.append(trope)
    ids = {t.id for t in tropes}
    formulas, formula_problems = _parse_formulas(data.get("formulas") or {}, ids, label)
    phrases, phrase_problems = _parse_phrases(data.get("phrases") or {}, ids, seen_names, label)
    return Taxonomy(categories, tropes, formulas, phrases), problems + formula_problems + phrase_problems


def _parse_phrases(
    raw: object, ids: set[str], seen_names: dict[str, str], label: str
) -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    """`phrases`: fans' phrases that name several tropes at once ("cinderella story": rich man and poor girl)."""
    if not isinstance(raw, dict):
        return {}, [Problem(label, "must map a fan phrase to a list of trope ids", "phrases")]
    if len(raw) > MAX_TROPES:
        return {}, [Problem(label, f"has {len(raw):,} phrases: keep it to {MAX_TROPES}", "phrases")]
    phrases: dict[str, tuple[str, ...]] = {}
    problems: list[Problem] = []
    for phrase, tropes in raw.items():
        where = f"phrases.{clip(str(phrase))}"
        found = check_text(phrase, label, where, 100, required=True) + check_list(tropes, label, where)
        if not found and len(tropes) < 2:
            found.append(Problem(label, "names fewer than two tropes: make it an alias of the trope", where))
        if not found and normalise(phrase) in seen_names:
            found.append(
                Problem(label, f"already names trope '{seen_names[normalise(phrase)]}': remove one", where)
            )
        for tid in tropes if not found else ():
            if tid not in ids:
                hint = did_you_mean(suggest(tid, {normalise(i): i for i in ids}))
                found.append(
                    Problem(label, f"unknown trope{hint}: use an id from tropes.yaml", f"{where}.{clip(tid)}")
                )
        problems += found
        if not found:
            phrases[phrase] = tuple(dict.fromkeys(tropes))
    return phrases, problems


def _parse_trope(
    raw: object, n: int, label: str, categories: dict[str, str], seen_names: dict[str, str]
) -> tuple[Trope | None, list[Problem]]:
    where = f"tropes[{n}]"
    if not isinstance(raw, dict):
        return None, [Problem(label, "must be a mapping with id, name, category, description", where)]
    tid = raw.get("id")
    where = f"tropes[{n}] ({clip(str(tid))})" if tid else where
    problems = [
        _unknown_key(label, k, TROPE_FIELDS, f"{where}.{clip(k)}") for k in raw if k not in TROPE_FIELDS
    ]
    for key in ("id", "name", "category", "description"):
        if key not in raw:
            problems.append(
                Problem(label, "missing: every trope needs a non-empty text here", f"{where}.{key}")
            )
        else:
            problems += check_text(
                raw[key],
                label,
                f"{where}.{key}",
                MAX_LONG_TEXT if key == "description" else 100,
                required=True,
            )
    aliases = raw.get("aliases") or []
    problems += check_list(aliases, label, f"{where}.aliases")
    if problems:
        return None, problems
    tid = str(raw["id"])
    if not TROPE_ID.fullmatch(tid):
        problems.append(
            Problem(
                label, f"'{tid}' is not kebab-case: use lower-case words joined by hyphens", f"{where}.id"
            )
        )
    if raw["category"] not in categories:
        hint = did_you_mean(suggest(raw["category"], {normalise(c): c for c in categories}))
        problems.append(
            Problem(
                label,
                f"unknown category '{raw['category']}'{hint}: use a key of `categories`",
                f"{where}.category",
            )
        )
    for name in dict.fromkeys(normalise(x) for x in (tid, raw["name"], *aliases)):
        if name in seen_names:
            problems.append(
                Problem(
                    label,
                    f"'{name}' already names trope '{seen_names[name]}': make ids, names and aliases unique",
                    where,
                )
            )
        seen_names[name] = tid
    return Trope(
        tid, raw["name"].strip(), raw["category"], raw["description"].strip(), tuple(aliases)
    ), problems


def _parse_formulas(raw: object, ids: set[str], label: str) -> tuple[dict[str, Formula], list[Problem]]:
    if not isinstance(raw, dict):
        return {}, [Problem(label, "must map a formula id to its name, description and tropes", "formulas")]
    formulas: dict[str, Formula] = {}
    problems: list[Problem] = []
    for fid, body in raw.items():
        where = f"formulas.{clip(fid)}"
        if not TROPE_ID.fullmatch(fid):
            problems.append(
                Problem(
                    label, f"'{clip(fid)}' is not kebab-case: use lower-case words joined by hyphens", where
                )
            )
        if not isinstance(body, dict) or not isinstance(body.get("tropes"), dict) or not body["tropes"]:
            problems.append(Problem(label, "needs `tropes: {trope-id: weight}`", where))
            continue
        problems += [
            _unknown_key(label, k, FORMULA_FIELDS, f"{where}.{clip(k)}")
            for k in body
            if k not in FORMULA_FIELDS
        ]
        for key in ("name", "description"):
            if key in body:
                problems += check_text(body[key], label, f"{where}.{key}", MAX_LONG_TEXT)
        weights, weight_problems = check_weights(body["tropes"], ids, label, f"{where}.tropes")
        problems += weight_problems
        genres, tropes, unless, applies_problems = _parse_applies(
            body.get("applies"), ids, label, f"{where}.applies"
        )
        problems += applies_problems
        name, description = str(body.get("name", fid)), str(body.get("description", ""))
        formulas[fid] = Formula(fid, name, description, weights, genres, tropes, unless)
    return formulas, problems


def _parse_applies(
    raw: object, ids: set[str], label: str, where: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], list[Problem]]:
    """A formula's `applies: {genres: [...], tropes: [...], unless: [...]}`; absent, it applies to every show."""
    if raw is None:
        return (), (), (), []
    if not isinstance(raw, dict) or not raw:
        return (
            (),
            (),
            (),
            [Problem(label, "must be a mapping with `genres`, `tropes` and `unless` lists", where)],
        )
    problems = [
        _unknown_key(label, k, APPLIES_FIELDS, f"{where}.{clip(str(k))}")
        for k in raw
        if k not in APPLIES_FIELDS
    ]
    lists = {}
    for key in APPLIES_FIELDS:
        value = raw.get(key, [])
        found = check_list(value, label, f"{where}.{key}")
        problems += found
        lists[key] = tuple(value) if not found else ()
    for key in ("tropes", "unless"):
        for n, tid in enumerate(lists[key]):
            if tid not in ids:
                hint = did_you_mean(suggest(tid, {normalise(i): i for i in ids}))
                problems.append(
                    Problem(label, f"unknown trope{hint}: use an id from tropes.yaml", f"{where}.{key}[{n}]")
                )
    known = {key: tuple(t for t in lists[key] if t in ids) for key in ("tropes", "unless")}
    return lists["genres"], known["tropes"], known["unless"], problems


def check_weights(
    raw: dict[str, Any], ids: set[str], label: str, where: str
) -> tuple[dict[str, float], list[Problem]]:
    """Trope-id -> weight in (0, 1]; unknown ids get a "did you mean" (the first MAX_HINTS of them)."""
    weights: dict[str, float] = {}
    problems: list[Problem] = []
    hints = 0
    known: dict[str, str] | None = None
    for tid, weight in raw.items():
        key = f"{where}.{clip(tid)}"
        if tid not in ids:
            hint = ""
            if hints < MAX_HINTS:
                known = known or {normalise(i): i for i in ids}
                hint, hints = did_you_mean(suggest(tid, known)), hints + 1
            problems.append(Problem(label, f"unknown trope{hint}: use an id from tropes.yaml", key))
            continue
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 1:
            problems.append(
                Problem(
                    label,
                    f"weight {clip(repr(weight))} is outside (0, 1]: use 1.0 central, 0.5 clearly present, 0.25 minor",
                    key,
                )
            )
            continue
        weights[tid] = float(weight)
    return weights, problems


def parse_show(path: Path, root: Path, trope_ids: set[str]) -> tuple[Show | None, list[Problem]]:
    """One show file -> Show, or the problems that stop it from being one."""
    label = path.relative_to(root).as_posix()
    data, problems = read_yaml(path, label, fast=True)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [
            Problem(label, "must be a mapping of fields (title, year, network, episodes, tropes...)")
        ]
    problems = _capped(_show_problems(data, label), label)
    if problems:
        return None, problems
    weights, problems = check_weights(data["tropes"], trope_ids, label, "tropes")
    if problems:
        return None, _capped(problems, label)
    return Show(
        slug=path.stem,
        path=label,
        title=data["title"].strip(),
        year=data["year"],
        network=data["network"].strip(),
        episodes=data["episodes"],
        tropes=weights,
        native_title=(data.get("native_title") or "").strip(),
        aliases=tuple(data.get("aliases") or ()),
        genres=tuple(data.get("genres") or ()),
        lead_cast=tuple(data.get("lead_cast") or ()),
        writer=tuple(data.get("writer") or ()),
        director=tuple(data.get("director") or ()),
        franchise=(data.get("franchise") or "").strip(),
        episode_minutes=data.get("episode_minutes") or 0,
        mydramalist=(data.get("mydramalist") or "").strip(),
        synopsis=" ".join((data.get("synopsis") or "").split()),
    ), []


def _show_problems(data: dict[str, Any], label: str) -> list[Problem]:
    """Every problem of a show file's fields except its trope weights."""
    problems = [_unknown_key(label, key, SHOW_FIELDS) for key in data if key not in SHOW_FIELDS]
    for key in REQUIRED_SHOW_FIELDS:
        if data.get(key) in (None, "", [], {}):
            problems.append(Problem(label, f"missing: every show needs `{key}`", key))
    for key, value in data.items():
        if value is None or key not in SHOW_FIELDS:
            continue
        if key in TEXT_FIELDS:
            problems += check_text(
                value, label, key, MAX_LONG_TEXT if key == "synopsis" else MAX_TEXT, required=key == "title"
            )
        elif key in LIST_FIELDS:
            problems += check_list(value, label, key)
        elif key in NUMBER_FIELDS:
            lo, hi = RANGES[key]
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(Problem(label, f"must be a whole number, not {clip(repr(value))}", key))
            elif not lo <= value <= hi:
                problems.append(Problem(label, f"{value} is outside {lo}..{hi}: {_RANGE_FIX[key]}", key))
        elif key == "tropes":
            if not isinstance(value, dict):
                problems.append(
                    Problem(label, f"must be a mapping of trope id: weight, not {clip(repr(value))}", key)
                )
            elif len(value) > MAX_TROPES:
                problems.append(
                    Problem(label, f"has {len(value):,} tropes: keep it to the few dozen that matter", key)
                )
    words = len(str(data.get("synopsis") or "").split())
    if words > MAX_SYNOPSIS_WORDS:
        problems.append(Problem(label, f"has {words} words: keep it to {MAX_SYNOPSIS_WORDS}", "synopsis"))
    return problems


_RANGE_FIX = {
    "year": "give the four-digit year of first broadcast",
    "episodes": "give the number of episodes",
    "episode_minutes": "give the typical length of one episode in minutes",
}

EMPTY_CATALOG = Problem("shows/", "the catalog has no shows: add a YAML file a show (see README)")


def raise_problems(problems: list[Problem]) -> None:
    more = f" ({len(problems) - 1} more problems: run `recommender validate`)" if len(problems) > 1 else ""
    raise DataError(f"{problems[0]}{more}")
