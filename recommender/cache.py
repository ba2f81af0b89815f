"""Opening a catalog's index (the on-disk cache comes in a later step)."""

from __future__ import annotations

from pathlib import Path

from recommender.catalog import load_catalog
from recommender.index import Index, build_index


def open_index(root: Path, use_cache: bool = True) -> Index:
    """The index of the catalog at `root`."""
    return build_index(load_catalog(root))
