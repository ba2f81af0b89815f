"""`validate --suggest`: tropes the catalog itself suggests a show may lack, or may carry by mistake.

Two rules, both from a show's NEIGHBOURS nearest shows (cosine, `focus` weighting):

- missing: a trope that at least MISSING_SHARE of the neighbours have and the show does not;
- doubtful: a trope the show has at DOUBT_WEIGHT or more that none of its neighbours has and
  that few shows have at all (at most RARE_SHOWS), so it stands apart from its usual company.

These are places for an annotator to look, not errors: `validate` still passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from recommender import engine
from recommender.engine import RankOptions
from recommender.index import Index

NEIGHBOURS = 10
MISSING_SHARE = 0.8
DOUBT_WEIGHT = 0.75
RARE_SHOWS = 10


@dataclass(frozen=True)
class Suggestion:
    """One place to look: a show, a trope, which rule flagged it and why."""

    title: str
    path: str
    trope: str
    kind: str  # "missing" or "doubtful"
    reason: str


@dataclass(frozen=True)
class Suggestions:
    shows: int
    suggestions: list[Suggestion] = field(default_factory=list)


def suggest(index: Index) -> Suggestions:
    """Every suggestion for every show, in catalog order."""
    out: list[Suggestion] = []
    options = RankOptions(k=NEIGHBOURS, creators=False, seasons=True)
    for row in range(index.n_shows):
        near = [index.find_show(m.title) for m in engine.like(index, index.title(row), options).matches]
        if not near:
            continue
        have = index.raw_row(row)
        counts: dict[int, int] = {}
        for other in near:
            for col in index.raw_row(other):
                counts[col] = counts.get(col, 0) + 1
        title, path = index.title(row), index.text("show_path")[row]
        for col, n in sorted(counts.items(), key=lambda kv: (-kv[1], index.trope_id(kv[0]))):
            if col not in have and n >= MISSING_SHARE * len(near):
                reason = f"{n} of its {len(near)} nearest shows have it"
                out.append(Suggestion(title, path, index.trope_id(col), "missing", reason))
        for col, weight in have.items():
            if weight >= DOUBT_WEIGHT and col not in counts and int(index.trope_df[col]) <= RARE_SHOWS:
                shows = int(index.trope_df[col])
                reason = f"at {weight:g}, but none of its {len(near)} nearest shows has it ({shows} shows do)"
                out.append(Suggestion(title, path, index.trope_id(col), "doubtful", reason))
    return Suggestions(index.n_shows, out)
