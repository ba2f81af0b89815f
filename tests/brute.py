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
    """Every show's weighted unit vector (rows in file-name order, columns in tropes.yaml order)."""
    _, ids, raw = raw_matrix(root)
    n = len(raw)
    df = (raw > 0).sum(axis=0)
    idf = np.array([math.log((1 + n) / (1 + d)) + 1 for d in df]) if weighting == "idf" else np.ones(len(ids))
    weighted = raw * idf
    return weighted / np.linalg.norm(weighted, axis=1, keepdims=True)


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
