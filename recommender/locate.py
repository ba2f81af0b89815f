"""Which catalog folder a command reads: the one named, else $RECOMMENDER_CATALOG, else the bundled one."""

from __future__ import annotations

import os
from pathlib import Path

from recommender.errors import DataError

ENV_VAR = "RECOMMENDER_CATALOG"


def bundled_catalog() -> Path:
    """The catalog shipped in the wheel, or the repository's own in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "catalog", here.parent):
        if (candidate / "tropes.yaml").is_file() and (candidate / "shows").is_dir():
            return candidate
    raise DataError(f"no bundled catalog next to {here}: reinstall recommender or name a catalog folder")


def locate(option: str | os.PathLike[str] | None = None) -> Path:
    """The catalog folder given, else $RECOMMENDER_CATALOG, else the bundled catalog."""
    chosen = option or os.environ.get(ENV_VAR)
    if not chosen:
        return bundled_catalog()
    root = Path(chosen).expanduser()
    source = "" if option else f" (${ENV_VAR})"
    if not root.is_dir():
        raise DataError(
            f"{root}: catalog folder not found{source}: give a folder holding tropes.yaml and shows/"
        )
    if not (root / "tropes.yaml").is_file():
        raise DataError(
            f"{root}: no tropes.yaml in the catalog folder{source}: add one (see README, Data formats)"
        )
    if not (root / "shows").is_dir():
        raise DataError(f"{root}: no shows/ folder in the catalog{source}: add one with a YAML file a show")
    return root
