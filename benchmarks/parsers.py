"""Does the fast show-file reader earn its keep? Parse the same files with and without it.

    python benchmarks/parsers.py [CATALOG ...]     # default: the bundled catalog

For each catalog, parses every show file (or the first 5,000) through `catalog.parse_show`
twice: as shipped (fastyaml first, PyYAML for anything outside its subset) and with fastyaml
switched off (every file through PyYAML's libyaml-backed safe loader). Prints microseconds a
file, the best of 3 rounds, and what that means for a cold index of 100,000 files.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from recommender import catalog, fastyaml
from recommender.locate import bundled_catalog

LIMIT = 5000


def per_file(root: Path, files: list[Path], ids: set[str]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for path in files:
            catalog.parse_show(path, root, ids)
        best = min(best, (time.perf_counter() - start) / len(files))
    return best * 1e6


def main() -> None:
    roots = [Path(a) for a in sys.argv[1:]] or [bundled_catalog()]
    for root in roots:
        taxonomy, _ = catalog.parse_taxonomy(root / "tropes.yaml")
        assert taxonomy is not None
        ids = {t.id for t in taxonomy.tropes}
        files = sorted((root / "shows").rglob("*.yaml"))[:LIMIT]
        fast_share = sum(fastyaml.load(p.read_text(encoding="utf-8")) is not None for p in files) / len(files)
        shipped = per_file(root, files, ids)
        real = fastyaml.load
        fastyaml.load = lambda text: None  # type: ignore[assignment]
        try:
            pyyaml = per_file(root, files, ids)
        finally:
            fastyaml.load = real
        print(
            f"{root.resolve().name}: {len(files)} files, {fast_share:.0%} on the fast path; "
            f"parse_show {shipped:.0f} us a file "
            f"with fastyaml, {pyyaml:.0f} us without ({pyyaml / shipped:.2f}x); for 100,000 files on 2 cores: "
            f"{shipped * 1e5 / 2e6:.1f} s vs {pyyaml * 1e5 / 2e6:.1f} s"
        )


if __name__ == "__main__":
    main()
