"""Your profile: the dealbreaker tropes, seen titles and ratings every ranking command applies.

It lives in `$RECOMMENDER_PROFILE`, else `$XDG_CONFIG_HOME/recommender/profile.yaml` (by
default `~/.config/recommender/profile.yaml`), as plain YAML a person can edit:

    never: [love-triangle, tragic-ending]   # shows with these tropes never appear
    seen: [Goblin, Signal]                  # left out of every result
    ratings: {Run On: 9, The Heirs: 3}      # left out too, and `recommend` uses them

Edits change only the keys they touch and keep everything else the user wrote, comments
included (ruamel.yaml's round trip); they rewrite the file atomically (a temporary file, then a
rename) and keep the previous version beside it as profile.yaml.bak.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recommender.errors import DataError, UsageError
from recommender.filters import Filters, Seen
from recommender.index import Index

if TYPE_CHECKING:
    from recommender.taste import Rating


@dataclass(frozen=True)
class Profile:
    path: str
    never: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    ratings: dict[str, float] = field(default_factory=dict)
    exists: bool = False

    @property
    def empty(self) -> bool:
        return not (self.never or self.seen or self.ratings)


def profile_path() -> Path:
    """Where the profile lives: $RECOMMENDER_PROFILE, else the XDG config folder."""
    explicit = os.environ.get("RECOMMENDER_PROFILE")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "recommender" / "profile.yaml"


def _raw(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    from recommender import safeyaml
    from recommender.userfiles import read_text

    try:
        data = safeyaml.load(read_text(path, "profile"))
    except safeyaml.YamlError as exc:
        raise DataError(
            f"{path}{f':{exc.line}' if exc.line else ''}: not valid YAML ({exc.message})"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a mapping with never, seen and ratings")
    return data


def _checked(ratings: list[tuple[str, Any, str]]) -> list[Rating]:
    """The ratings (title, rating, where), each checked to be a number in 1..10 (see `taste.as_ratings`)."""
    from recommender.taste import Rating, as_ratings

    return as_ratings([Rating(*rating) for rating in ratings])


def _strings(data: dict[str, Any], key: str, path: Path) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(f"{path}: {key}: expected a list of names, e.g. {key}: [Goblin]")
    return value


def load(path: Path | None = None) -> Profile:
    """The profile at `path` (default `profile_path()`); a missing file is an empty profile."""
    path = path or profile_path()
    data = _raw(path)
    ratings = data.get("ratings") or {}
    if not isinstance(ratings, dict):
        raise DataError(f"{path}: ratings: expected a mapping of title: rating, e.g. ratings: {{Run On: 9}}")
    checked = _checked([(str(t), r, f"{path}: ratings: {t}") for t, r in ratings.items()]) if ratings else []
    return Profile(
        str(path),
        _strings(data, "never", path),
        _strings(data, "seen", path),
        {r.title: float(r.rating) for r in checked},
        path.exists(),
    )


def apply(filters: Filters, profile: Profile) -> Filters:
    """The filters with the profile's dealbreakers left out and its seen and rated titles excluded."""
    seen = tuple(Seen(t, f"{profile.path}: seen") for t in profile.seen)
    seen += tuple(Seen(t, f"{profile.path}: ratings") for t in profile.ratings)
    return replace(filters, without=(*filters.without, *profile.never), seen=(*filters.seen, *seen))


def shown_path(path: str) -> str:
    """The path as people write it, the home folder as ~ (JSON keeps it whole)."""
    home = str(Path.home())
    return "~" + path[len(home) :] if path == home or path.startswith(home + os.sep) else path


def note(profile: Profile) -> str:
    """What the profile did, for a ranking's notes."""
    parts = [f"never {', '.join(profile.never)}"] if profile.never else []
    if profile.seen or profile.ratings:
        parts.append(f"{len(profile.seen) + len(profile.ratings)} seen or rated")
    return f"profile: {'; '.join(parts)} ({shown_path(profile.path)}; --no-profile to ignore it)"


ACTIONS = ("show", "never", "allow", "seen", "unseen", "rate", "unrate")


def edit(index: Index, action: str, values: list[str], path: Path | None = None) -> Profile:
    """Change the profile: `never`/`allow` a trope, `seen`/`unseen` a title, `rate` a title N, `unrate` it.

    Names are checked against the catalog and stored as the catalog writes them.
    """
    path = path or profile_path()
    if action not in ACTIONS:
        raise UsageError(f"unknown profile action '{action}': use one of {', '.join(ACTIONS)}")
    if action == "show":
        return load(path)
    current = load(path)  # checks the file before anything changes
    data: dict[str, Any] = {}
    if action == "rate":
        if len(values) != 2:
            raise UsageError('rate takes a title and a rating: recommender profile rate "Run On" 9')
        title = index.title(index.find_show(values[0]))
        try:
            rating = float(values[1])
        except ValueError:
            raise UsageError(f"rate: '{values[1]}' is not a number from 1 to 10") from None
        _checked([(title, rating, f"rate {title}")])
        ratings = {**current.ratings, title: rating}
        data["ratings"] = {t: (int(r) if r == int(r) else r) for t, r in ratings.items()}
    else:
        if not values:
            raise UsageError(f"{action} takes at least one name")
        if action in ("never", "allow"):
            names = [index.trope_id(index.find_trope(v)) for v in values]
            key, now = "never", current.never
        else:
            names = [index.title(index.find_show(v)) for v in values]
            key, now = ("ratings", list(current.ratings)) if action == "unrate" else ("seen", current.seen)
        if action in ("never", "seen"):
            data[key] = list(dict.fromkeys([*now, *names]))
        elif key == "ratings":
            data[key] = {t: r for t, r in (_raw(path).get("ratings") or {}).items() if t not in names}
        else:
            data[key] = [n for n in now if n not in names]
    save(path, data)
    return load(path)


def updated(text: str, changes: dict[str, Any]) -> str:
    """`text` (a profile's YAML) with the `changes` keys set, every other line and comment as it was."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    doc = yaml.load(text) if text.strip() else None
    kept = text if doc is None and text.strip() else ""  # a file of comments only: keep them above
    doc = doc if isinstance(doc, CommentedMap) else CommentedMap()
    for key, value in changes.items():
        old = doc.get(key)
        if isinstance(old, list) and isinstance(value, list):
            old[:] = value
        elif isinstance(old, dict) and isinstance(value, dict):
            for gone in [k for k in old if k not in value]:
                del old[gone]
            old.update(value)
        elif isinstance(value, (list, dict)):
            doc[key] = fresh = CommentedSeq(value) if isinstance(value, list) else CommentedMap(value)
            fresh.fa.set_flow_style()
        else:
            doc[key] = value
    out = io.StringIO()
    yaml.dump(doc, out)
    return (kept.rstrip("\n") + "\n" if kept else "") + out.getvalue()


def save(path: Path, changes: dict[str, Any]) -> None:
    """Set `changes` in the profile, atomically, keeping the previous file as .bak."""
    import tempfile

    from recommender.userfiles import read_text

    path.parent.mkdir(parents=True, exist_ok=True)
    text = updated(read_text(path, "profile") if path.exists() else "", changes)
    handle, temporary = tempfile.mkstemp(prefix=".profile-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            backup = path.with_suffix(path.suffix + ".bak")
            backup.write_bytes(path.read_bytes())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise DataError(f"cannot write the profile {path}: {exc.strerror or exc}") from None
