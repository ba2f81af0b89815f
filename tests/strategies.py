"""One hypothesis strategy for catalogs: tiny ones whose every answer brute force can check."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

TROPE_IDS = ("alpha", "beta", "gamma")
WEIGHTS = st.sampled_from([0.25, 0.5, 0.75, 1.0])
NETWORKS = ("tvN", "KBS2", "Netflix")


@st.composite
def show_bodies(draw: st.DrawFn, n: int) -> dict[str, Any]:
    return {
        "title": f"S{n}",
        "year": draw(st.integers(1995, 2025)),
        "network": draw(st.sampled_from(NETWORKS)),
        "episodes": draw(st.sampled_from([8, 12, 16, 20])),
        "genres": draw(
            st.lists(st.sampled_from(["Romance", "Comedy", "Thriller"]), min_size=1, max_size=2, unique=True)
        ),
        "tropes": draw(st.dictionaries(st.sampled_from(TROPE_IDS), WEIGHTS, min_size=1)),
    }


@st.composite
def catalogs(draw: st.DrawFn, min_shows: int = 2, max_shows: int = 8) -> dict[str, dict[str, Any]]:
    """Show files by slug (`s0`, `s1`...; file order is slug order), for `conftest.write_catalog`."""
    n = draw(st.integers(min_shows, max_shows))
    return {f"s{i}": draw(show_bodies(i)) for i in range(n)}


TROPE_VECTORS = st.dictionaries(st.sampled_from(TROPE_IDS), WEIGHTS, min_size=1)  # one show's trope weights


def shows_of(vectors: list[dict[str, float]]) -> dict[str, dict[str, Any]]:
    """Show files `s0`, `s1`... titled `S0`, `S1`... with the given trope weights (facts from `conftest.show_doc`)."""
    return {f"s{i}": {"title": f"S{i}", "tropes": v} for i, v in enumerate(vectors)}
