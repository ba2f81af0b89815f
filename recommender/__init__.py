"""Recommend Korean dramas by the tropes they share.

The library (see `recommender.api`):

    import recommender
    catalog = recommender.open_catalog()
    catalog.like("Run On", k=5)

Names are imported on first use, so `import recommender` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_EXPORTS = {
    "open_catalog": "recommender.api",
    "validate": "recommender.api",
    "Catalog": "recommender.api",
    "Filters": "recommender.filters",
    "Seen": "recommender.filters",
    "RankOptions": "recommender.engine",
    "Ranking": "recommender.engine",
    "Match": "recommender.engine",
    "Contribution": "recommender.engine",
    "Rating": "recommender.taste",
    "RecommenderError": "recommender.errors",
    "DataError": "recommender.errors",
    "NotFoundError": "recommender.errors",
    "UsageError": "recommender.errors",
}
__all__ = [
    "Catalog",
    "Contribution",
    "DataError",
    "Filters",
    "Match",
    "NotFoundError",
    "RankOptions",
    "Ranking",
    "Rating",
    "RecommenderError",
    "Seen",
    "UsageError",
    "__version__",
    "open_catalog",
    "validate",
]

if TYPE_CHECKING:
    from recommender.api import Catalog, open_catalog, validate
    from recommender.engine import Contribution, Match, Ranking, RankOptions
    from recommender.errors import DataError, NotFoundError, RecommenderError, UsageError
    from recommender.filters import Filters, Seen
    from recommender.taste import Rating


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'recommender' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_EXPORTS[name]), name)
