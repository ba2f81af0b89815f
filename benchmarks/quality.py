"""Judge `like` as a fan would, on a shipped panel: the quality harness.

    python benchmarks/quality.py [--weighting idf focus ...] [--try NAME=A,B ...] [--k 10]

benchmarks/quality_panel.yaml holds seed shows, each with picks a fan would expect, picks a
fan would reject, and the seed's tone, written before the catalog grew from 303 to 997 shows;
then, as in TREC pooling, every pick the three weightings put in a seed's top 10 at 997 shows
was judged good, fair or bad (the lists good, fair, bad). benchmarks/quality_tones.yaml gives
every catalog show a tone (light, warm, bittersweet, dark, tense, tragic). Both were written by the team from
knowledge of the shows. For each weighting it prints, over the panel's seeds (top k of `like`):

- hit: expected picks found in the top k, over all expected picks;
- rejected: rejected picks found in the top k, over all rejected picks;
- good / bad: share of top-k picks a fan judged good (expect or good) / bad (reject or bad);
- unjudged: share of top-k picks in none of the seed's lists (the judgments are going stale);
- one-trope: share of top-k picks that draw more than half their score from one trope the seed
  has at 0.5 or less (a detail carrying a pick); `top-3 one-trope` counts such picks in the top 3;
- tone: share of top-k picks sharing a tone with the seed;
- crowding: share of seeds whose top k holds two shows of one franchise;
- coverage: distinct shows in the top k of every catalog show as seed, over the catalog size;
- diversity: mean 1 - cosine (idf) between the picks of one list, averaged over seeds.

`--try NAME=A,B[,CATEGORY:BOOST...]` adds a weighting x = w ** A * idf ** B * boost for the run
(see `recommender.vectors.Shape`), to try a variant before it becomes a mode.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import yaml

from recommender import engine, vectors
from recommender.cache import open_index
from recommender.engine import RankOptions
from recommender.index import Index
from recommender.locate import locate

HERE = Path(__file__).resolve().parent
PANEL = HERE / "quality_panel.yaml"
TONES = HERE / "quality_tones.yaml"
DETAIL = 0.5  # a trope the seed has at this weight or less is a detail, not what the show is about


@dataclass(frozen=True)
class Scores:
    hit: float
    rejected: float
    good: float
    bad: float
    unjudged: float
    one_trope: float
    top3_one_trope: int
    tone: float
    crowding: float
    coverage: float
    diversity: float


def load() -> tuple[list[dict], dict[str, list[str]]]:
    return yaml.safe_load(PANEL.read_text(encoding="utf-8")), yaml.safe_load(
        TONES.read_text(encoding="utf-8")
    )


def carried_by_detail(index: Index, seed: int, match: engine.Match) -> bool:
    """Whether more than half of a pick's score comes from one trope the seed has at DETAIL or less."""
    seed_weights = {index.trope_id(c): w for c, w in index.raw_row(seed).items()}
    return any(c.share > 0.5 and seed_weights.get(c.trope, 0.0) <= DETAIL for c in match.because)


def cosine(index: Index, a: int, b: int) -> float:
    ca, va = index.row(a)
    cb, vb = index.row(b)
    _, ia, ib = np.intersect1d(ca, cb, return_indices=True)
    return float(va[ia] @ vb[ib])


def judge(
    index: Index,
    panel: list[dict],
    tones: dict[str, list[str]],
    weighting: str,
    k: int,
    creators: bool = True,
) -> Scores:
    extra = {"creators": creators} if "creators" in {f.name for f in fields(RankOptions)} else {}
    options = RankOptions(k=k, weighting=weighting, **extra)  # type: ignore[arg-type]
    group = index.arrays.get("franchise_group", np.arange(index.n_shows))  # older indexes: no franchises
    found = expected = rejected_found = rejected = picks = detail = top3 = toned = crowded = 0
    good = bad = unjudged = 0
    spread: list[float] = []
    for entry in panel:
        seed = index.find_show(entry["seed"])
        ranking = engine.like(index, entry["seed"], options)
        titles = [m.title for m in ranking.matches]
        rows = [index.find_show(t) for t in titles]
        picked = set(titles)
        found += len(picked & set(entry["expect"]))
        expected += len(entry["expect"])
        rejected_found += len(picked & set(entry.get("reject", [])))
        rejected += len(entry.get("reject", []))
        liked = {*entry["expect"], *entry.get("good", [])}
        disliked = {*entry.get("reject", []), *entry.get("bad", [])}
        good += len(liked & picked)
        bad += len(disliked & picked)
        unjudged += len(picked - liked - disliked - set(entry.get("fair", [])))
        for n, m in enumerate(ranking.matches):
            picks += 1
            if carried_by_detail(index, seed, m):
                detail += 1
                top3 += n < 3
            toned += bool(set(tones.get(m.title, [])) & set(entry["tone"]))
        crowded += len({int(group[r]) for r in rows}) < len(rows)
        pairs = list(itertools.combinations(rows, 2))
        if pairs:
            spread.append(float(np.mean([1 - cosine(index, a, b) for a, b in pairs])))
    seen: set[int] = set()
    for row in range(index.n_shows):
        seen.update(index.find_show(m.title) for m in engine.like(index, index.title(row), options).matches)
    return Scores(
        hit=found / expected,
        rejected=rejected_found / max(rejected, 1),
        good=good / max(picks, 1),
        bad=bad / max(picks, 1),
        unjudged=unjudged / max(picks, 1),
        one_trope=detail / max(picks, 1),
        top3_one_trope=top3,
        tone=toned / max(picks, 1),
        crowding=crowded / len(panel),
        coverage=len(seen) / index.n_shows,
        diversity=float(np.mean(spread)),
    )


def table(results: dict[str, Scores]) -> str:
    lines = [
        "| weighting | hit | rejected | good | bad | unjudged | one-trope picks | top-3 one-trope | tone "
        "| crowding | coverage | diversity |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in results.items():
        lines.append(
            f"| {name} | {s.hit:.1%} | {s.rejected:.1%} | {s.good:.1%} | {s.bad:.1%} | {s.unjudged:.1%} "
            f"| {s.one_trope:.1%} | {s.top3_one_trope} | {s.tone:.1%} "
            f"| {s.crowding:.1%} | {s.coverage:.1%} | {s.diversity:.3f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--weighting", nargs="*", default=list(getattr(vectors, "SHAPES", vectors.WEIGHTINGS))
    )
    parser.add_argument("--try", dest="tries", nargs="*", default=[], metavar="NAME=A,B[,CAT:BOOST]")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--catalog", type=Path, default=None)
    parser.add_argument("--no-creators", action="store_true", help="leave out the shared-creator bonus")
    args = parser.parse_args()
    for spec in args.tries:
        name, shape = spec.split("=")
        a, b, *boosts = shape.split(",")
        boost = {c: float(m) for c, m in (x.split(":") for x in boosts)}
        vectors.SHAPES[name] = vectors.Shape(float(a), float(b), boost)
    index = open_index(locate(args.catalog))
    panel, tones = load()
    names = [*args.weighting, *(s.split("=")[0] for s in args.tries)]
    results = {name: judge(index, panel, tones, name, args.k, not args.no_creators) for name in names}
    print(f"{len(panel)} seeds, top {args.k}, {index.n_shows} shows")
    print(table(results))


if __name__ == "__main__":
    main()
