"""Time `recommender` as a user meets it: whole processes, warm and cold, against the floor.

For the bundled catalog and for synthetic catalogs of N shows (see generate.py) it prints the
median wall time of `like`, `query` (by trope ids, and a request in free text), `formula` and
`formula --all --top 10`, each as a ratio to the floor `python -c "import numpy, yaml, typer"`
measured in the same run; the cold `recommender index` time; the time of `recommender index`
after one show file is edited; and the peak memory (max RSS) of the query processes and of the
index builds. Each catalog gets its own empty cache folder.

usage: python benchmarks/run.py [--sizes 1000,10000,100000] [--tropes 30000] [--repeat 7] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, show_title, trope_id

FLOOR = [sys.executable, "-c", "import numpy, yaml, typer"]


def recommender() -> list[str]:
    script = Path(sys.executable).with_name("recommender")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "recommender"]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and max RSS (KiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(
            f"failed ({proc.returncode}): {' '.join(command)}\n{proc.stderr.read().decode() if proc.stderr else ''}"
        )
    return seconds, usage.ru_maxrss


def median(command: list[str], env: dict[str, str], repeat: int) -> tuple[float, int]:
    runs = [timed(command, env) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


@dataclass
class Row:
    name: str
    shows: int
    tropes: int
    floor: float
    like: float
    query: float
    free_text: float
    formula: float
    formula_all: float
    cold: float
    rebuild: float
    query_kib: int
    build_kib: int


RACY_SECONDS = 2.1  # recommender.build.RACY_NS, and a little more


def bench(name: str, root: Path, title: str, tropes: list[str], request: str, repeat: int) -> Row:
    cache = Path(tempfile.mkdtemp(prefix="recommender-bench-cache-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "RECOMMENDER_CATALOG": str(root)}
    # a user's Python keeps compiled modules; without them a run costs 60 ms more
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    base = recommender()
    newest = max(p.stat().st_mtime for p in [root / "tropes.yaml", *(root / "shows").iterdir()])
    time.sleep(
        max(0.0, newest + RACY_SECONDS - time.time())
    )  # files changed just now are re-checked on the next read
    try:
        timed(FLOOR, env)  # warm the disk cache before anything is measured
        floor, _ = median(FLOOR, env, repeat)
        cold, build_peak = timed([*base, "index"], env)
        results = {}
        query_peak = 0
        cases = {
            "like": ["like", title],
            "query": ["query", *tropes],
            "free": ["query", request],
            "formula": ["formula", title],
            "formula_all": ["formula", "--all", "--top", "10"],
        }
        for case, args in cases.items():
            results[case], rss = median([*base, *args], env, repeat)
            query_peak = max(query_peak, rss)
        edited = sorted((root / "shows").glob("*.yaml"))[len(title) % 7]
        original = edited.read_text(encoding="utf-8")
        try:
            edited.write_text(original.replace("episodes: ", "episodes: 1", 1), encoding="utf-8")
            rebuild, rss = timed([*base, "index"], env)
            build_peak = max(build_peak, rss)
        finally:
            edited.write_text(original, encoding="utf-8")
        shows = len(list((root / "shows").glob("*.yaml")))
        n_tropes = sum(
            1
            for line in (root / "tropes.yaml").read_text(encoding="utf-8").splitlines()
            if line.startswith("  - id:")
        )
        return Row(
            name,
            shows,
            n_tropes,
            floor,
            results["like"],
            results["query"],
            results["free"],
            results["formula"],
            results["formula_all"],
            cold,
            rebuild,
            query_peak,
            build_peak,
        )
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def table(rows: list[Row]) -> str:
    head = (
        "| catalog | shows | tropes | floor | like | query | free-text query | formula | formula --all --top 10 "
        "| cold index | rebuild after 1 edit | peak memory: queries / index |"
    )
    lines = [head, "|" + "---|" * 12]
    for r in rows:

        def ratio(t: float, floor: float = r.floor) -> str:
            return f"{t * 1000:.0f} ms ({t / floor:.2f}x)"

        lines.append(
            f"| {r.name} | {r.shows:,} | {r.tropes:,} | {r.floor * 1000:.0f} ms | {ratio(r.like)} | {ratio(r.query)} | "
            f"{ratio(r.free_text)} | "
            f"{ratio(r.formula)} | {ratio(r.formula_all)} | {r.cold:.2f} s | {r.rebuild:.2f} s | "
            f"{r.query_kib / 1024:.0f} MB / {r.build_kib / 1024:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="synthetic catalog sizes, comma-separated ('' for none)"
    )
    parser.add_argument("--tropes", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--workdir", type=Path, help="where synthetic catalogs are written (kept for the next run)"
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.gettempdir()) / "recommender-bench"
    from recommender.locate import bundled_catalog

    bundled = workdir / "bundled"
    shutil.rmtree(bundled, ignore_errors=True)
    shutil.copytree(bundled_catalog(), bundled)  # the rebuild step edits a file: never the real one
    request = "rich guy falls for a poor girl, no sad ending, on Jeju"
    rows = [
        bench("bundled", bundled, "Run On", ["meet-cute", "jeju-trip", "candy-girl"], request, args.repeat)
    ]
    print(table(rows), flush=True)
    for size in [int(s) for s in args.sizes.split(",") if s]:
        root = workdir / f"synthetic-{size}-{args.tropes}"
        if not (root / "shows").is_dir() or len(os.listdir(root / "shows")) != size:
            shutil.rmtree(root, ignore_errors=True)
            generate(root, size, args.tropes)
        rows.append(
            bench(
                f"synthetic {size:,}",
                root,
                show_title(42),
                [trope_id(3), trope_id(100), trope_id(2000)],
                "synthetic trope 3 and synthetic trope 100, but no synthetic trope 2000, please",
                args.repeat,
            )
        )
        print(table(rows[-1:]).splitlines()[-1], flush=True)
    print()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; medians of {args.repeat} runs")


if __name__ == "__main__":
    main()
