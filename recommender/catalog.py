"""Load and validate a catalog folder: `tropes.yaml` plus one YAML file a show in `shows/`.

Validation collects every problem (file, key, what is wrong, the fix) instead of stopping at
the first, so `recommender validate` can list them all; loading refuses a catalog with any.
Nothing here ever writes to the catalog.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from recommender import fastyaml
from recommender.errors import DataError
from recommender.text import did_you_mean, normalise, suggest

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ENV_VAR = "RECOMMENDER_CATALOG"
SHOW_SUFFIXES = (".yaml", ".yml")
MAX_SYNOPSIS_WORDS = 60
TROPE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

SHOW_FIELDS: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "native_title": (str,),
    "aliases": (list,),
    "year": (int,),
    "network": (str,),
    "episodes": (int,),
    "genres": (list,),
    "lead_cast": (list,),
    "writer": (list,),
    "director": (list,),
    "franchise": (str,),
    "episode_minutes": (int,),
    "mydramalist": (str,),
    "synopsis": (str,),
    "tropes": (dict,),
}
REQUIRED_SHOW_FIELDS = ("title", "year", "network", "episodes", "tropes")
TROPE_FIELDS = ("id", "name", "category", "description", "aliases")


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
    id: str
    name: str
    description: str
    weights: dict[str, float]


@dataclass(frozen=True)
class Taxonomy:
    categories: dict[str, str]
    tropes: list[Trope]
    formulas: dict[str, Formula]

    def names_by_key(self) -> dict[str, str]:
        """Every normalised id, name and alias -> trope id."""
        keys: dict[str, str] = {}
        for trope in self.tropes:
            for name in (trope.id, trope.name, *trope.aliases):
                keys.setdefault(normalise(name), trope.id)
        return keys


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
        """Every name the show can be looked up by."""
        return [n for n in (self.title, self.native_title, *self.aliases, self.slug) if n]


@dataclass
class Catalog:
    root: Path
    taxonomy: Taxonomy
    shows: list[Show] = field(default_factory=list)


# --- locating -----------------------------------------------------------------


def bundled_catalog() -> Path:
    """The catalog shipped in the wheel, or the repository's own in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "catalog", here.parent):
        if (candidate / "tropes.yaml").is_file() and (candidate / "shows").is_dir():
            return candidate
    raise DataError(f"no bundled catalog next to {here}: reinstall recommender or pass --catalog DIR")


def locate(option: str | os.PathLike[str] | None = None) -> Path:
    """`--catalog DIR`, else $RECOMMENDER_CATALOG, else the bundled catalog."""
    chosen = option or os.environ.get(ENV_VAR)
    if not chosen:
        return bundled_catalog()
    root = Path(chosen).expanduser()
    source = "--catalog" if option else ENV_VAR
    if not root.is_dir():
        raise DataError(f"{root}: catalog folder not found ({source}): give a folder holding tropes.yaml and shows/")
    if not (root / "tropes.yaml").is_file():
        raise DataError(f"{root}: no tropes.yaml in the catalog folder ({source}): add one (see README, Data formats)")
    if not (root / "shows").is_dir():
        raise DataError(f"{root}: no shows/ folder in the catalog ({source}): add one with a YAML file a show")
    return root


def scan(root: Path) -> tuple[list[tuple[str, int, int]], list[str]]:
    """Every show file under `root/shows` as (path relative to root, mtime_ns, size), sorted, and every folder."""
    files: list[tuple[str, int, int]] = []
    folders: list[str] = []
    pending = ["shows"]
    while pending:
        folder = pending.pop()
        folders.append(folder)
        with os.scandir(root / folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    pending.append(f"{folder}/{entry.name}")
                elif entry.name.endswith(SHOW_SUFFIXES) and entry.is_file():
                    st = entry.stat()
                    files.append((f"{folder}/{entry.name}", st.st_mtime_ns, st.st_size))
    return sorted(files), sorted(folders)


def show_files(root: Path) -> list[Path]:
    """Every show file under `root/shows`, in a stable order."""
    return [root / rel for rel, _, _ in scan(root)[0]]


# --- parsing ------------------------------------------------------------------


def read_yaml(path: Path, label: str, fast: bool = False) -> tuple[Any, list[Problem]]:
    """Parse one YAML file (`fast`: try the show-file subset reader first); a syntax error becomes a Problem naming the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(label, "is not UTF-8 text: save it as UTF-8")]
    except OSError as exc:
        return None, [Problem(label, f"cannot be read ({exc.strerror})")]
    data = fastyaml.load(text) if fast else None
    if data is not None:
        return data, []
    try:
        return yaml.load(text, Loader=LOADER), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Problem(label, f"YAML syntax error: {what}: fix the YAML there", where)]


def _unknown_key(label: str, key: object, allowed: list[str], where: str | None = None) -> Problem:
    hint = did_you_mean(suggest(str(key), {normalise(a): a for a in allowed}))
    return Problem(label, f"unknown key{hint}: use one of {', '.join(allowed)}", where or str(key))


def parse_taxonomy(path: Path, label: str = "tropes.yaml") -> tuple[Taxonomy | None, list[Problem]]:
    data, problems = read_yaml(path, label)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(label, "must be a mapping with `categories`, `tropes` and `formulas`")]
    for key in data:
        if key not in ("categories", "tropes", "formulas"):
            problems.append(_unknown_key(label, key, ["categories", "tropes", "formulas"]))
    categories = data.get("categories") or {}
    if not isinstance(categories, dict) or not categories:
        problems.append(Problem(label, "missing or empty: add `categories: {id: Display name}`", "categories"))
        categories = {}
    categories = {str(k): str(v) for k, v in categories.items()}
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
    problems += formula_problems
    return Taxonomy(categories, tropes, formulas), problems


def _parse_trope(
    raw: object, n: int, label: str, categories: dict[str, str], seen_names: dict[str, str]
) -> tuple[Trope | None, list[Problem]]:
    where = f"tropes[{n}]"
    if not isinstance(raw, dict):
        return None, [Problem(label, "must be a mapping with id, name, category, description", where)]
    tid = raw.get("id")
    where = f"tropes[{n}] ({tid})" if tid else where
    problems = [_unknown_key(label, k, list(TROPE_FIELDS), f"{where}.{k}") for k in raw if k not in TROPE_FIELDS]
    for key in ("id", "name", "category", "description"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problems.append(Problem(label, "missing: every trope needs a non-empty text here", f"{where}.{key}"))
    if problems:
        return None, problems
    if not TROPE_ID.match(tid):
        problems.append(Problem(label, f"'{tid}' is not kebab-case: use lower-case words joined by hyphens", f"{where}.id"))
    if raw["category"] not in categories:
        hint = did_you_mean(suggest(raw["category"], {normalise(c): c for c in categories}))
        problems.append(Problem(label, f"unknown category '{raw['category']}'{hint}: use a key of `categories`", f"{where}.category"))
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list):
        problems.append(Problem(label, "must be a list of names", f"{where}.aliases"))
        aliases = []
    aliases = [str(a) for a in aliases]
    for name in {normalise(x) for x in (tid, raw["name"], *aliases)}:
        if name in seen_names:
            problems.append(Problem(label, f"'{name}' already names trope '{seen_names[name]}': make ids, names and aliases unique", where))
        seen_names[name] = tid
    trope = Trope(tid, raw["name"].strip(), raw["category"], raw["description"].strip(), tuple(aliases))
    return trope, problems


def _parse_formulas(raw: object, ids: set[str], label: str) -> tuple[dict[str, Formula], list[Problem]]:
    if not isinstance(raw, dict):
        return {}, [Problem(label, "must map a formula id to its name, description and tropes", "formulas")]
    formulas: dict[str, Formula] = {}
    problems: list[Problem] = []
    for fid, body in raw.items():
        where = f"formulas.{fid}"
        if not isinstance(body, dict) or not isinstance(body.get("tropes"), dict) or not body["tropes"]:
            problems.append(Problem(label, "needs `tropes: {trope-id: weight}`", where))
            continue
        weights, weight_problems = check_weights(body["tropes"], ids, label, f"{where}.tropes")
        problems += weight_problems
        formulas[str(fid)] = Formula(str(fid), str(body.get("name", fid)), str(body.get("description", "")), weights)
    return formulas, problems


def check_weights(raw: dict[Any, Any], ids: set[str], label: str, where: str) -> tuple[dict[str, float], list[Problem]]:
    """Trope-id -> weight in (0, 1]; unknown ids get a "did you mean"."""
    weights: dict[str, float] = {}
    problems: list[Problem] = []
    for tid, weight in raw.items():
        key = f"{where}.{tid}"
        if tid not in ids:
            hint = did_you_mean(suggest(str(tid), {normalise(i): i for i in ids}))
            problems.append(Problem(label, f"unknown trope{hint}: use an id from tropes.yaml", key))
            continue
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 1:
            problems.append(Problem(label, f"weight {weight!r} is outside (0, 1]: use 1.0 central, 0.5 clearly present, 0.25 minor", key))
            continue
        weights[str(tid)] = float(weight)
    return weights, problems


def parse_show(path: Path, root: Path, trope_ids: set[str]) -> tuple[Show | None, list[Problem]]:
    """One show file -> Show, or the problems that stop it from being one."""
    label = path.relative_to(root).as_posix()
    data, problems = read_yaml(path, label, fast=True)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(label, "must be a mapping of fields (title, year, network, episodes, tropes...)")]
    for key, value in data.items():
        if key not in SHOW_FIELDS:
            problems.append(_unknown_key(label, key, list(SHOW_FIELDS)))
        elif value is not None and (isinstance(value, bool) or not isinstance(value, SHOW_FIELDS[key])):
            kind = SHOW_FIELDS[key][0].__name__
            problems.append(Problem(label, f"must be {_KIND_NAMES.get(kind, kind)}, not {value!r}", str(key)))
    for key in REQUIRED_SHOW_FIELDS:
        if data.get(key) in (None, "", [], {}):
            problems.append(Problem(label, f"missing: every show needs `{key}`", key))
    if problems:
        return None, problems
    weights, problems = check_weights(data["tropes"], trope_ids, label, "tropes")
    if not 1900 <= data["year"] <= 2100:
        problems.append(Problem(label, f"{data['year']} is not a year of broadcast: give the four-digit year", "year"))
    if data["episodes"] < 1:
        problems.append(Problem(label, "must be a positive whole number", "episodes"))
    words = len(str(data.get("synopsis") or "").split())
    if words > MAX_SYNOPSIS_WORDS:
        problems.append(Problem(label, f"has {words} words: keep it to {MAX_SYNOPSIS_WORDS}", "synopsis"))
    if problems:
        return None, problems
    return Show(
        slug=path.stem,
        path=label,
        title=data["title"].strip(),
        year=data["year"],
        network=data["network"].strip(),
        episodes=data["episodes"],
        tropes=weights,
        native_title=str(data.get("native_title") or ""),
        aliases=tuple(str(a) for a in data.get("aliases") or ()),
        genres=tuple(str(g) for g in data.get("genres") or ()),
        lead_cast=tuple(str(c) for c in data.get("lead_cast") or ()),
        writer=tuple(str(c) for c in data.get("writer") or ()),
        director=tuple(str(c) for c in data.get("director") or ()),
        franchise=str(data.get("franchise") or ""),
        episode_minutes=int(data.get("episode_minutes") or 0),
        mydramalist=str(data.get("mydramalist") or ""),
        synopsis=" ".join(str(data.get("synopsis") or "").split()),
    ), []


_KIND_NAMES = {"str": "text", "int": "a whole number", "list": "a list", "dict": "a mapping"}


def name_collisions(names: Iterable[tuple[str, str]]) -> list[Problem]:
    """Problems for normalised names (key, file) that two files share: titles, aliases and slugs must be unique."""
    owner: dict[str, str] = {}
    problems: list[Problem] = []
    for key, path in names:
        other = owner.setdefault(key, path)
        if other != path:
            problems.append(Problem(path, f"'{key}' also names {other}: make titles, aliases and slugs unique", "title"))
    return problems


def show_names(shows: list[Show]) -> Iterable[tuple[str, str]]:
    """(normalised name, file) for every name of every show, each name once a show."""
    for show in shows:
        for key in dict.fromkeys(normalise(n) for n in show.names()):
            yield key, show.path


# --- the whole catalog --------------------------------------------------------

EMPTY_CATALOG = Problem("shows/", "the catalog has no shows: add a YAML file a show (see README)")


def check_catalog(root: Path) -> tuple[Catalog | None, list[Problem]]:
    """Parse everything and return the catalog with every problem found."""
    taxonomy, problems = parse_taxonomy(root / "tropes.yaml")
    if taxonomy is None:
        return None, problems
    ids = {t.id for t in taxonomy.tropes}
    shows: list[Show] = []
    for path in show_files(root):
        show, show_problems = parse_show(path, root, ids)
        problems += show_problems
        if show:
            shows.append(show)
    if not shows and not problems:
        problems.append(EMPTY_CATALOG)
    problems += name_collisions(show_names(shows))
    return Catalog(root, taxonomy, shows), problems


def load_catalog(root: Path) -> Catalog:
    """The catalog, or a DataError naming its first problem."""
    catalog, problems = check_catalog(root)
    if problems:
        raise_problems(problems)
    assert catalog is not None
    return catalog


def raise_problems(problems: list[Problem]) -> None:
    more = f" ({len(problems) - 1} more problems: run `recommender validate`)" if len(problems) > 1 else ""
    raise DataError(f"{problems[0]}{more}")
