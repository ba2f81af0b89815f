"""How closely a show follows its genre's formula, where it strays, and what the data says a formula is.

A formula (tropes.yaml) has beats (trope -> weight) and a rule for the shows it applies to. A
show's score on it is 100 x the cosine of the show's vector and the formula's, both weighted as
`focus` (w^2 * sqrt(idf), tone tropes x1.5) and normalised:

    score = 100 * sum_b x_show[b] * x_formula[b]

over the beats b, so each beat's part of the score (its `contribution`) adds up to the score.
The score is continuous (it depends on the whole show: a show that is the formula and little else
scores higher than one that is the formula plus much more). Rank and percentile are among the
shows the formula applies to; a formula that does not apply to a show is reported as such.

The empirical formula is what the catalog says: the tropes over-represented among a formula's
shows, with their prevalence there and elsewhere, the lift, and a one-sided hypergeometric p-value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from recommender import filters as filtering
from recommender.errors import NotFoundError, UsageError
from recommender.filters import Filters
from recommender.index import Index
from recommender.stats import hypergeometric_sf
from recommender.text import clip
from recommender.vectors import rounded

STANDS_OUT_TOP = 5
EMPIRICAL_TOP = 8
SIGNIFICANT = 0.01  # one-sided hypergeometric p-value below which a trope is over-represented
VERDICTS = (  # (lowest percentile among the formula's shows, phrase)
    (90.0, "a textbook case of {formula}"),
    (40.0, "pretty standard fare for {formula}"),
    (15.0, "a loose take on {formula}"),
    (0.0, "barely {formula}"),
)


@dataclass(frozen=True)
class Beat:
    """A beat: the formula's weight for it, the show's (0 when it skips it), and its part of the score."""

    trope: str
    name: str
    formula_weight: float
    show_weight: float
    contribution: float


@dataclass(frozen=True)
class Detail:
    """A trope the show has outside the formula, and how rare it is: in the catalog and among the formula's shows."""

    trope: str
    name: str
    weight: float
    shows: int
    catalog: int
    within: int
    of_formula: int


@dataclass(frozen=True)
class Fit:
    """Another formula that applies to the show, with the show's score and rank on it."""

    formula: str
    score: float
    rank: int
    of: int


@dataclass(frozen=True)
class FormulaReport:
    id: str
    title: str
    formula: str
    formula_name: str
    applies: bool
    score: float | None
    rank: int | None
    of: int
    percentile: float | None
    verdict: str
    follows: list[Beat] = field(default_factory=list)
    skips: list[Beat] = field(default_factory=list)
    stands_out_for: list[Detail] = field(default_factory=list)
    other_fits: list[Fit] = field(default_factory=list)


@dataclass(frozen=True)
class FormulaRow:
    rank: int
    id: str
    title: str
    year: int
    network: str
    score: float
    end: str = ""  # "most" or "least" when the list is cut to both ends


@dataclass(frozen=True)
class FormulaRanking:
    formula: str
    of: int
    rows: list[FormulaRow]
    notes: list[str] = field(default_factory=list)


def applies_to(index: Index, formula: str) -> str:
    """The formula's rule in words: 'shows of genre Romance, without slight-romance or no-romance'."""
    meta = index.formula(formula)
    parts = []
    if meta.get("genres"):
        parts.append("genre " + " or ".join(meta["genres"]))
    if meta.get("tropes"):
        parts.append("trope " + " or ".join(meta["tropes"]) + " at 0.5 or more")
    rule = "shows of " + ", or ".join(parts) if parts else "every show"
    return rule + (f", without {' or '.join(meta['unless'])}" if meta.get("unless") else "")


def _standing(scores: np.ndarray, applies: np.ndarray, show: int) -> tuple[int, int, float]:
    """Rank (1 + shows strictly higher), size and percentile (share strictly lower) among the applicable shows."""
    key, mine = rounded(scores[applies]), rounded(np.array(scores[show]))
    n = int(applies.sum())
    return 1 + int(np.count_nonzero(key > mine)), n, 100.0 * np.count_nonzero(key < mine) / n


def beat_parts(index: Index, formula: str, show: int) -> np.ndarray:
    """Each beat's part of the show's score (they add up to it)."""
    cols, weights = index.formula_beats(formula)
    multiplier = index.idf("focus")[cols]
    beat = weights**2 * multiplier
    beat = beat / (float(np.sqrt(beat @ beat)) or 1.0)
    raw = index.raw_row(show)
    mine = np.array([raw.get(int(c), 0.0) for c in cols]) ** 2 * multiplier / index.norms("focus")[show]
    return 100.0 * beat * mine


def verdict(title: str, formula_name: str, percentile: float, standouts: list[Detail]) -> str:
    """One sentence in the critic's manner, from the show's standing and its rarest strong tropes."""
    phrase = next(p for floor, p in VERDICTS if percentile >= floor).format(
        formula=formula_name[0].lower() + formula_name[1:]
    )
    names = [d.name[0].lower() + d.name[1:] for d in standouts[:3]]
    if not names:
        return f"{title}: {phrase}."
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{title}: {phrase}, standing out for {joined}."


def report(index: Index, title: str, formula: str | None = None) -> FormulaReport:
    """A show's score on a formula (by default the best fit among those that apply), with how it strays."""
    show = index.find_show(title)
    fits = [f["id"] for f in index.formulas if index.formula_applies(f["id"])[show]]
    if formula is None:
        if not fits:
            raise NotFoundError(f'no formula applies to "{index.title(show)}": name one with --formula')
        formula = max(fits, key=lambda f: float(index.formula_scores(f)[show]))
    meta = index.formula(formula)
    applies = index.formula_applies(formula)
    name = str(meta["name"])
    others = [
        Fit(
            f,
            float(index.formula_scores(f)[show]),
            *_standing(index.formula_scores(f), index.formula_applies(f), show)[:2],
        )
        for f in fits
        if f != formula
    ]
    if not applies[show]:
        return FormulaReport(
            index.show_id(show),
            index.title(show),
            formula,
            name,
            False,
            None,
            None,
            int(applies.sum()),
            None,
            f"{index.title(show)}: {name} does not apply (it is for {applies_to(index, formula)}).",
            other_fits=others,
        )
    scores = index.formula_scores(formula)
    rank, of, percentile = _standing(scores, applies, show)
    cols, weights = index.formula_beats(formula)
    raw = index.raw_row(show)
    parts = beat_parts(index, formula, show)
    beats = [
        Beat(index.trope_id(int(c)), index.trope_name(int(c)), float(w), raw.get(int(c), 0.0), float(p))
        for c, w, p in zip(cols, weights, parts)
    ]
    within = _counts(index, applies)
    extra = sorted(
        (c for c in raw if c not in set(cols.tolist())),
        key=lambda c: (-raw[c], int(within[c]), index.trope_id(c)),
    )
    standouts = [
        Detail(
            index.trope_id(c),
            index.trope_name(c),
            raw[c],
            int(index.trope_df[c]),
            index.n_shows,
            int(within[c]),
            of,
        )
        for c in extra[:STANDS_OUT_TOP]
    ]
    return FormulaReport(
        id=index.show_id(show),
        title=index.title(show),
        formula=formula,
        formula_name=name,
        applies=True,
        score=float(scores[show]),
        rank=rank,
        of=of,
        percentile=percentile,
        verdict=verdict(index.title(show), name, percentile, standouts),
        follows=sorted((b for b in beats if b.show_weight > 0), key=lambda b: -b.contribution),
        skips=[b for b in beats if b.show_weight == 0],
        stands_out_for=standouts,
        other_fits=others,
    )


def _counts(index: Index, mask: np.ndarray) -> np.ndarray:
    """How many of the given shows have each trope."""
    indptr, indices = index.arrays["indptr"], index.arrays["indices"]
    owners = np.repeat(np.arange(index.n_shows), np.diff(indptr))
    return np.bincount(indices[mask[owners]], minlength=index.n_tropes)


def ranking(
    index: Index, formula: str = "romance", filters: Filters | None = None, top: int | None = None
) -> FormulaRanking:
    """The shows a formula applies to (and that pass the filters), most formulaic first; `top` keeps both ends."""
    applies = index.formula_applies(formula)
    passing = filtering.apply(index, filters or Filters())
    allowed = applies & passing.allowed
    scores = index.formula_scores(formula)
    rows = np.flatnonzero(allowed)
    rows = rows[np.lexsort((rows, -rounded(scores[rows])))]
    ordered = rounded(scores[rows])  # descending: a show's rank is 1 + the number of shows strictly above it
    ranks = 1 + np.searchsorted(-ordered, -ordered, side="left")
    picked = np.arange(len(rows))
    ends = [""] * len(rows)
    if top is not None and 2 * top < len(rows):
        picked = np.r_[np.arange(top), np.arange(len(rows) - top, len(rows))]
        ends = ["most"] * top + ["least"] * top
    many = len(picked) > 1000  # decode the title and network columns once rather than row by row
    titles = index.text("show_title").tolist() if many else None
    ids = [p.rsplit("/", 1)[-1].rsplit(".", 1)[0] for p in index.paths.tolist()] if many else None
    networks = index.text("show_network").tolist() if many else None
    out = []
    for n, end in zip(picked.tolist(), ends):
        row = int(rows[n])
        title = titles[row] if titles else index.title(row)
        network = networks[row] if networks else index.network(row)
        show = ids[row] if ids else index.show_id(row)
        out.append(
            FormulaRow(int(ranks[n]), show, title, int(index.years[row]), network, float(scores[row]), end)
        )
    notes = [
        f"{formula}: {int(allowed.sum())} of the {int(applies.sum())} shows it applies to ({applies_to(index, formula)})"
    ]
    return FormulaRanking(formula, int(applies.sum()), out, notes + passing.notes + passing.warnings)


# --- what the data says ------------------------------------------------------------


@dataclass(frozen=True)
class Prevalence:
    """A trope among a formula's shows against the rest: counts, lift and one-sided hypergeometric p-value."""

    trope: str
    name: str
    declared: float  # the formula's weight for it (0 when it is not a beat)
    within: int
    of_formula: int
    elsewhere: int
    of_rest: int
    lift: float
    p_value: float


@dataclass(frozen=True)
class FormulaInfo:
    formula: str
    name: str
    description: str
    applies_to: str
    shows: int
    beats: list[Prevalence]
    empirical: list[Prevalence]


@dataclass(frozen=True)
class FormulaList:
    formulas: list[FormulaInfo]


def prevalence(index: Index, formula: str) -> list[Prevalence]:
    """Every trope's prevalence among the formula's shows and the rest."""
    applies = index.formula_applies(formula)
    n, m = index.n_shows, int(applies.sum())
    within = _counts(index, applies)
    total = index.trope_df
    cols, weights = index.formula_beats(formula)
    declared = dict(zip(cols.tolist(), weights.tolist()))
    out = []
    for c in range(index.n_tropes):
        k, K = int(within[c]), int(total[c])
        share_in, share_all = k / m if m else 0.0, K / n if n else 0.0
        out.append(
            Prevalence(
                index.trope_id(c),
                index.trope_name(c),
                float(declared.get(c, 0.0)),
                k,
                m,
                K - k,
                n - m,
                share_in / share_all if share_all else 0.0,
                hypergeometric_sf(k, n, K, m),
            )
        )
    return out


def describe(index: Index, formula: str) -> FormulaInfo:
    """A formula's declared beats beside the tropes the data says its shows share."""
    meta = index.formula(formula)
    table = prevalence(index, formula)
    beats = sorted((p for p in table if p.declared > 0), key=lambda p: -p.declared)
    over = [p for p in table if p.p_value < SIGNIFICANT and p.lift > 1 and p.within >= 3]
    empirical = sorted(over, key=lambda p: (-p.within / max(p.of_formula, 1) * math.log(p.lift), p.trope))
    return FormulaInfo(
        formula,
        str(meta["name"]),
        str(meta["description"]),
        applies_to(index, formula),
        int(index.formula_applies(formula).sum()),
        beats,
        empirical[:EMPIRICAL_TOP],
    )


def formula_list(index: Index) -> FormulaList:
    return FormulaList([describe(index, f["id"]) for f in index.formulas])


# --- trends -----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    label: str
    shows: int
    mean_score: float
    beats: dict[str, float]  # beat -> share of the period's shows that have it


@dataclass(frozen=True)
class FormulaTrend:
    formula: str
    by: str
    periods: list[Period]
    main_beats: list[str] = field(default_factory=list)  # the beats at 0.5 or more (the 0.25 echoes aside)


def trend(index: Index, formula: str, by: str = "era") -> FormulaTrend:
    """Per year (or five-year era), the mean score of the formula's shows and how many have each beat."""
    if by not in ("year", "era"):
        raise UsageError(f'--by {clip(by)}: group by "year" or "era" (five years)')
    applies = index.formula_applies(formula)
    scores = index.formula_scores(formula)
    years = index.years
    label = years if by == "year" else years - years % 5
    cols, _ = index.formula_beats(formula)
    periods = []
    for value in np.unique(label[applies]):
        rows = np.flatnonzero(applies & (label == value))
        has = {
            index.trope_id(int(c)): float(np.mean([int(c) in index.raw_row(int(r)) for r in rows]))
            for c in cols
        }
        name = str(value) if by == "year" else f"{value}-{value + 4}"
        periods.append(Period(name, len(rows), float(scores[rows].mean()), has))
    main = [index.trope_id(int(c)) for c, w in zip(*index.formula_beats(formula)) if w >= 0.5]
    return FormulaTrend(formula, by, periods, main)
