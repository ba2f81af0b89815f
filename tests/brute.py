"""Brute-force references for the steering tests: dense numpy straight from the catalog files."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import yaml


def raw_matrix(root: Path) -> tuple[list[str], list[str], np.ndarray]:
    """Titles (file-name order), trope ids (tropes.yaml order) and the written weights, read with plain PyYAML."""
    ids = [t["id"] for t in yaml.safe_load((root / "tropes.yaml").read_text(encoding="utf-8"))["tropes"]]
    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "shows").rglob("*.yaml"))]
    return (
        [d["title"] for d in docs],
        ids,
        np.array([[float(d["tropes"].get(t, 0.0)) for t in ids] for d in docs]),
    )


def dense_vectors(root: Path, weighting: str) -> np.ndarray:
    """Every show's weighted unit vector (rows in file-name order, columns in tropes.yaml order).

    idf: w * idf; none: w; focus: w ** 2 * idf ** 0.5, times 1.5 for a trope of category `tone`
    (the README's formulas, written out again here).
    """
    _, _, raw = raw_matrix(root)
    weighted = (raw**2 if weighting == "focus" else raw) * multiplier(root, weighting)
    return weighted / np.linalg.norm(weighted, axis=1, keepdims=True)


def multiplier(root: Path, weighting: str) -> np.ndarray:
    """What each trope's weight is multiplied by (after the power): idf, idf ** 0.5 * 1.5 for tone, or 1."""
    _, _, raw = raw_matrix(root)
    tropes = yaml.safe_load((root / "tropes.yaml").read_text(encoding="utf-8"))["tropes"]
    n = len(raw)
    idf = np.array([math.log((1 + n) / (1 + d)) + 1 for d in (raw > 0).sum(axis=0)])
    if weighting == "idf":
        return idf
    if weighting == "focus":
        return idf**0.5 * np.array([1.5 if t["category"] == "tone" else 1.0 for t in tropes])
    return np.ones(len(tropes))


def order(values: np.ndarray, allowed: list[int]) -> list[int]:
    """Allowed rows by value (to 9 decimals) descending, ties in row order."""
    return sorted(allowed, key=lambda r: (-round(float(values[r]), 9), r))


def mmr(relevance: np.ndarray, similarity: np.ndarray, allowed: list[int], k: int, lam: float) -> list[int]:
    """Maximal marginal relevance by the textbook loop."""
    picked: list[int] = []
    left = list(allowed)
    while left and len(picked) < k:
        value = {
            c: lam * relevance[c] - (1 - lam) * max((similarity[c, p] for p in picked), default=0.0)
            for c in left
        }
        best = min(left, key=lambda c: (-round(float(value[c]), 9), c))
        picked.append(best)
        left.remove(best)
    return picked


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
