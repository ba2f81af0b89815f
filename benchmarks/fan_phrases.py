"""How many of the fans' phrases in tests/data/fan_phrases.csv `query` reads as the list expects.

    python benchmarks/fan_phrases.py [--catalog DIR] [--failures]

Each row names a phrase and what it should be read as: trope ids, `not:<trope>`, `genre:<name>`,
`network:<name>` and `format:short|web`. A row passes when the reading has exactly those items.
The test suite requires every row to pass (tests/test_fan_phrases.py); this prints the rate by kind.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from recommender import phrases
from recommender.errors import RecommenderError
from recommender.index import Index

PHRASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "fan_phrases.csv"


def expected(row: dict[str, str]) -> set[str]:
    return set(row["expects"].split())


def reading(index: Index, phrase: str) -> set[str]:
    """The items `query` reads a phrase as, in the list's notation (empty when it cannot read it)."""
    try:
        got = phrases.understand(index, phrase)
    except RecommenderError:
        return set()
    return {
        *got.tropes,
        *(f"not:{t}" for t in got.without),
        *(f"genre:{g}" for g in got.genres),
        *(f"network:{n}" for n in got.networks),
        *(f"format:{f}" for f in got.formats),
    }


def rows() -> list[dict[str, str]]:
    with PHRASES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    from recommender.cache import open_index
    from recommender.locate import locate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=None)
    parser.add_argument("--failures", action="store_true", help="list the rows read otherwise")
    args = parser.parse_args()
    index = open_index(locate(args.catalog))
    total: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for row in rows():
        got = reading(index, row["phrase"])
        total[row["kind"]] += 1
        if got == expected(row):
            passed[row["kind"]] += 1
        elif args.failures:
            print(
                f"{row['phrase']!r}: expected {' '.join(sorted(expected(row)))}; read {' '.join(sorted(got)) or '-'}"
            )
    for kind in sorted(total):
        print(f"{kind:10} {passed[kind]:4} / {total[kind]:4}  {passed[kind] / total[kind]:6.1%}")
    n, p = sum(total.values()), sum(passed.values())
    print(f"{'all':10} {p:4} / {n:4}  {p / n:6.1%}")


if __name__ == "__main__":
    main()
