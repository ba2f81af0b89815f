"""Tiny catalogs built in tmp_path, whose answers can be worked out by hand."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

TROPES = [
    {
        "id": "alpha",
        "name": "Alpha trope",
        "category": "lead",
        "description": "The first test trope.",
        "aliases": ["first one"],
    },
    {
        "id": "beta",
        "name": "Beta trope",
        "category": "lead",
        "description": "The second test trope.",
        "aliases": [],
    },
    {
        "id": "gamma",
        "name": "Gamma trope",
        "category": "tone",
        "description": "The third test trope.",
        "aliases": ["jeju island"],
    },
]
FORMULA = {
    "romance": {
        "name": "Test formula",
        "description": "Alpha, and a bit of gamma.",
        "tropes": {"alpha": 1.0, "gamma": 0.5},
    }
}

# S1 = (1, 1, 0), S2 = (1, 0, 0), S3 = (0, 0.5, 1) over (alpha, beta, gamma)
SHOWS = {
    "one": {
        "title": "Show One",
        "aliases": ["The First"],
        "native_title": "하나",
        "tropes": {"alpha": 1.0, "beta": 1.0},
    },
    "two": {"title": "Show Two", "tropes": {"alpha": 1.0}},
    "three": {"title": "Show Three", "tropes": {"beta": 0.5, "gamma": 1.0}},
}


def show_doc(body: dict[str, Any], year: int = 2020) -> dict[str, Any]:
    doc = {"year": year, "network": "tvN", "episodes": 16, "genres": ["Romance"], "lead_cast": ["A", "B"]}
    doc.update(body)
    return doc


def write_catalog(
    root: Path,
    shows: dict[str, dict[str, Any]] | None = None,
    tropes: list[dict[str, Any]] | None = None,
    formulas: dict[str, Any] | None = None,
    phrases: dict[str, list[str]] | None = None,
) -> Path:
    (root / "shows").mkdir(parents=True, exist_ok=True)
    taxonomy: dict[str, Any] = {
        "categories": {"lead": "Leads", "tone": "Tone"},
        "tropes": tropes or TROPES,
        "formulas": formulas or FORMULA,
    }
    if phrases:
        taxonomy["phrases"] = phrases
    (root / "tropes.yaml").write_text(
        yaml.safe_dump(taxonomy, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for slug, body in (SHOWS if shows is None else shows).items():
        (root / "shows" / f"{slug}.yaml").write_text(
            yaml.safe_dump(show_doc(body), allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return age(root)


def age(root: Path, seconds: float = 60) -> Path:
    """Move the times of every file and folder of a catalog back, as if written a while ago.

    A file changed within `build.RACY_NS` of an index build is checked again on the next read
    (file times tick coarsely), so tests that count parses write their catalogs "in the past".
    """
    past = time.time_ns() - int(seconds * 1e9)
    for path in [*root.rglob("*"), root]:
        os.utime(path, ns=(past, past), follow_symlinks=False)
    return root


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "catalog")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("RECOMMENDER_PROFILE", str(tmp_path / "profile" / "profile.yaml"))  # never the user's
    monkeypatch.delenv("RECOMMENDER_CATALOG", raising=False)
