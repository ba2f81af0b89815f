"""Write a synthetic catalog of N shows over T tropes with a realistic skew.

Trope popularity follows a Zipf-like law (a few tropes in a large share of shows, a long
tail of rare ones); every show has 10 to 40 distinct tropes with weights on the README's
scale. Titles are "Synthetic Show 000042", so they are easy to name in a benchmark.

usage: python benchmarks/generate.py OUT_DIR --shows 100000 --tropes 30000 [--seed 1]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

SCALE = np.array([0.25, 0.5, 0.75, 1.0])
CATEGORIES = {"lead": "Leads", "relationship": "Relationships", "device": "Plot devices", "tone": "Tone"}


def trope_id(j: int) -> str:
    return f"trope-{j:05d}"


def show_title(i: int) -> str:
    return f"Synthetic Show {i:06d}"


def generate(out: Path, n_shows: int, n_tropes: int, seed: int = 1) -> Path:
    rng = np.random.default_rng(seed)
    (out / "shows").mkdir(parents=True, exist_ok=True)
    categories = list(CATEGORIES)
    lines = ["categories:"] + [f"  {k}: {v}" for k, v in CATEGORIES.items()] + ["tropes:"]
    for j in range(n_tropes):
        lines += [
            f"  - id: {trope_id(j)}",
            f"    name: Synthetic trope {j}",
            f"    category: {categories[j % len(categories)]}",
            f"    description: Synthetic trope number {j} for benchmarks.",
            f"    aliases: [st{j}]",
        ]
    lines += [
        "formulas:",
        "  romance:",
        "    name: Synthetic formula",
        "    description: The seven most common tropes.",
        "    tropes:",
    ]
    lines += [f"      {trope_id(j)}: {w}" for j, w in zip(range(7), [1.0] * 6 + [0.5])]
    (out / "tropes.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    popularity = 1.0 / np.arange(1, n_tropes + 1) ** 1.1
    cdf = np.cumsum(popularity / popularity.sum())
    counts = rng.integers(10, 41, size=n_shows)
    draws = np.minimum(np.searchsorted(cdf, rng.random((n_shows, 120))), n_tropes - 1)
    for i in range(n_shows):
        tropes = list(dict.fromkeys(draws[i].tolist()))[: counts[i]]
        while len(tropes) < 10:
            extra = int(rng.integers(n_tropes))
            if extra not in tropes:
                tropes.append(extra)
        weights = SCALE[rng.integers(0, 4, size=len(tropes))]
        body = "\n".join(f"  {trope_id(t)}: {w}" for t, w in zip(tropes, weights))
        text = (
            f"title: {show_title(i)}\nnative_title: 합성 {i}\naliases: [Synth {i}]\nyear: {1995 + i % 30}\n"
            f"network: Net{i % 12}\nepisodes: {8 + i % 24}\ngenres: [Genre{i % 9}, Genre{(i + 4) % 9}]\n"
            f"lead_cast: [Actor {i}, Actress {i}]\nsynopsis: A synthetic show for benchmarks.\ntropes:\n{body}\n"
        )
        (out / "shows" / f"synthetic-show-{i:06d}.yaml").write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--shows", type=int, default=1000)
    parser.add_argument("--tropes", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.shows, args.tropes, args.seed)


if __name__ == "__main__":
    main()
