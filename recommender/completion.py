"""Shell completion of show titles and trope ids, read from the catalog's index.

`recommender --install-completion` sets it up (Typer's); while the shell asks for completions
(`_RECOMMENDER_COMPLETE` is set) `attach` gives each TITLE and TROPE parameter its completer.
They match in any case and punctuation, which Typer's own `autocompletion` filter would not
allow, and they never fail: a catalog that cannot be read completes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recommender.text import normalise

MAX_ITEMS = 200  # enough to browse; more is noise a shell prints screens of


def matching(keys: list[str], owners: list[int], incomplete: str) -> list[int]:
    """Owners of the keys that start with what was typed, in any case or punctuation; else that contain it.

    `keys` are normalised names (a title, its aliases, its Korean title...) and `owners` the row
    each names; every owner comes once, in the order of its first matching key.
    """
    typed = normalise(incomplete)
    found = [o for k, o in zip(keys, owners) if k.startswith(typed)]
    if not found:
        found = [o for k, o in zip(keys, owners) if typed in k]
    return list(dict.fromkeys(found))[:MAX_ITEMS]


def shell_words(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Bash inserts a completion as typed: escape its spaces and quotes so a title stays one word."""
    if os.environ.get("_RECOMMENDER_COMPLETE") != "complete_bash":
        return items
    special = " '\"\\()&;!$`*?<>|#"
    return [("".join("\\" + c if c in special else c for c in value), help) for value, help in items]


def _index(ctx: Any) -> Any:
    from recommender.cache import open_index
    from recommender.locate import locate

    catalog = ctx.params.get("catalog") if ctx is not None else None
    return open_index(locate(Path(catalog) if catalog else None))


def _complete(
    ctx: Any, incomplete: str, kind: str, label: Callable[[Any, int], tuple[str, str]]
) -> list[tuple[str, str]]:
    try:
        index = _index(ctx)
        keys, owners = index.text(f"{kind}_keys").tolist(), index.arrays[f"{kind}_owner"].tolist()
        found = [label(index, owner) for owner in matching(keys, owners, incomplete)]
    except Exception:  # completion must never break the shell
        return []
    return shell_words(found)


def titles(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Titles of the shows whose title, alias or Korean title starts with what was typed; the year as help."""
    return _complete(ctx, incomplete, "name", lambda index, s: (index.title(s), str(index.years[s])))


def tropes(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Ids of the tropes whose id, name or alias starts with what was typed; the name as help."""
    return _complete(ctx, incomplete, "trope", lambda index, t: (index.trope_id(t), index.trope_name(t)))


def profile_values(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """After `profile never/allow`, trope ids; after `seen/unseen/rate/unrate`, titles."""
    action = ctx.params.get("action") if ctx is not None else None
    if action in ("never", "allow"):
        return tropes(ctx, incomplete)
    if action in ("seen", "unseen", "rate", "unrate"):
        return titles(ctx, incomplete)
    return []


COMPLETERS: dict[str, Callable[[Any, str], list[tuple[str, str]]]] = {
    "titles": titles,
    "title": titles,
    "first": titles,
    "second": titles,
    "exclude": titles,
    "unlike": titles,
    "tropes": tropes,
    "words": tropes,
    "without": tropes,
    "more": tropes,
    "less": tropes,
    "values": profile_values,
}


def attach(group: Any) -> None:
    """Give every command's TITLE and TROPE parameters (by name, see COMPLETERS) their completer."""
    from typer._click.shell_completion import CompletionItem

    def completer(
        complete: Callable[[Any, str], list[tuple[str, str]]],
    ) -> Callable[..., list[CompletionItem]]:
        return lambda ctx, param, incomplete: [
            CompletionItem(v, help=h) for v, h in complete(ctx, incomplete)
        ]

    for command in group.commands.values():
        for param in command.params:
            if param.name in COMPLETERS:
                param._custom_shell_complete = completer(COMPLETERS[param.name])
