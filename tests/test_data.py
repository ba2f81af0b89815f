"""Checks of the bundled catalog itself: coverage, consistency and the annotation scale."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml

from recommender.build import collect
from recommender.errors import NotFoundError
from recommender.locate import bundled_catalog
from recommender.text import slugify

ROOT = bundled_catalog()
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SCALE = {0.25, 0.5, 0.75, 1.0}
MICRO_MINUTES = 20  # a web short with episodes this long may have 7 tropes where the sources support no more
FACTS = (
    "title",
    "native_title",
    "aliases",
    "year",
    "network",
    "episodes",
    "episode_minutes",
    "genres",
    "lead_cast",
    "mydramalist",
    "synopsis",
)

found = collect(ROOT)
problems, index = [*found.problems, *found.skipped], found.index
raw_shows = {
    p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "shows").glob("*.yaml"))
}
taxonomy = yaml.safe_load((ROOT / "tropes.yaml").read_text(encoding="utf-8"))
usage = Counter(t for show in raw_shows.values() for t in show["tropes"])


def test_bundled_catalog_is_valid() -> None:
    assert [str(p) for p in problems] == []


def test_size_of_catalog_and_taxonomy() -> None:
    assert len(raw_shows) >= 997
    assert len(taxonomy["tropes"]) >= 100


def test_every_category_is_populated_and_every_trope_has_aliases() -> None:
    assert {t["category"] for t in taxonomy["tropes"]} == set(taxonomy["categories"])
    assert [t["id"] for t in taxonomy["tropes"] if not t.get("aliases")] == []


@pytest.mark.parametrize("name", sorted(raw_shows))
def test_show_has_its_facts_and_ten_tropes_on_the_scale(name: str) -> None:
    show = raw_shows[name]
    assert [f for f in FACTS if f not in show or (not show[f] and f != "aliases")] == []
    assert len(show["lead_cast"]) >= 2
    assert "mydramalist.com/" in show["mydramalist"]
    short = show["episode_minutes"] <= MICRO_MINUTES
    assert len(show["tropes"]) >= (7 if short else 10)  # see docs/annotating.md, section 3
    assert {w for w in show["tropes"].values()} <= SCALE
    assert name == slugify(show["title"]) + ".yaml"


def test_formulas_cover_the_catalog_and_scores_do_not_tie() -> None:
    assert index is not None
    covered = np.zeros(index.n_shows, dtype=bool)
    for f in index.formulas:
        applies = index.formula_applies(f["id"])
        covered |= applies
        _, counts = np.unique(np.round(index.formula_scores(f["id"])[applies], 6), return_counts=True)
        assert counts.max() <= 0.05 * applies.sum(), f["id"]
    assert covered.mean() >= 0.95


def test_every_trope_is_used_by_at_least_three_shows() -> None:
    assert {t["id"]: usage[t["id"]] for t in taxonomy["tropes"] if usage[t["id"]] < 3} == {}


EXCLUSIVE = [
    ("he-falls-first", "she-falls-first"),
    ("cold-man-warm-woman", "warm-man-cold-woman"),
    ("slight-romance", "no-romance"),
    ("smart-lead", "genius-lead"),
]


def test_no_show_has_both_of_an_exclusive_pair_or_a_happy_tragic_ending() -> None:
    both = [
        (name, a, b)
        for name, s in raw_shows.items()
        for a, b in EXCLUSIVE
        if a in s["tropes"] and b in s["tropes"]
    ]
    assert both == []
    tropes = {name: s["tropes"] for name, s in raw_shows.items()}
    assert [n for n, t in tropes.items() if "happy-ending" in t and t.get("tragic-ending", 0) > 0.25] == []


FACTS_FANS_FILTER_ON = {
    "happy-ending"
}  # most romances end happily; fans ask for it to be sure, not to compare


def test_no_trope_is_so_vague_that_most_shows_have_it() -> None:
    vague = {t: n for t, n in usage.items() if n > len(raw_shows) / 2 and t not in FACTS_FANS_FILTER_ON}
    assert vague == {}
    assert all(usage[t] < 0.7 * len(raw_shows) for t in FACTS_FANS_FILTER_ON)


def test_formula_covers_every_beat_of_the_critic() -> None:
    beats = {t for t, w in taxonomy["formulas"]["romance"]["tropes"].items() if w >= 0.5}  # 0.25s are echoes
    assert beats == {
        "aloof-rich-male-lead",
        "candy-girl",
        "meet-cute",
        "worlds-collide",
        "treacherous-family",
        "second-lead-rivals",
        "jeju-trip",
    }


@pytest.mark.skipif(
    not (SHARED / "catalog-targets.csv").is_file(),
    reason="the targets list is only in the developers' checkout",
)
def test_target_ranks_1_to_1000_are_in_the_catalog() -> None:
    linked = {re.search(r"mydramalist\.com/(\d+)", s["mydramalist"]).group(1) for s in raw_shows.values()}  # type: ignore[union-attr]
    rows = list(csv.DictReader((SHARED / "catalog-targets.csv").open(encoding="utf-8")))
    missing = [
        r["title"]
        for r in rows
        if int(r["popularity_rank"]) <= 1000
        and r["year"]
        and r["episodes"] not in ("", "0")  # not yet broadcast: no year or episodes
        and re.search(r"/(\d+)", r["mydramalist_url"]).group(1) not in linked
    ]  # type: ignore[union-attr]
    assert missing == []


def test_franchise_links_point_at_real_first_shows() -> None:
    slugs = {name.removesuffix(".yaml") for name in raw_shows}
    links = {name: show["franchise"] for name, show in raw_shows.items() if show.get("franchise")}
    assert len(links) >= 40
    assert {n: f for n, f in links.items() if f not in slugs or raw_shows[f + ".yaml"].get("franchise")} == {}


@pytest.mark.skipif(
    not (SHARED / "fan-vocabulary.md").is_file(),
    reason="the fan vocabulary is only in the developers' checkout",
)
def test_taxonomy_understands_the_fan_vocabulary() -> None:
    assert index is not None
    unknown = []
    for line in (SHARED / "fan-vocabulary.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("- "):
            for phrase in line[2:].split(";"):
                phrase = re.sub(r"\(.*?\)", "", phrase).strip().strip('"')
                try:
                    if phrase:
                        index.find_trope(phrase)
                except NotFoundError:
                    unknown.append(phrase)
    assert unknown == []


def test_shows_named_by_the_critic_are_in_the_catalog() -> None:
    assert index is not None
    for title in (
        "Run On",
        "Crash Landing on You",
        "Start-Up",
        "The Uncanny Counter",
        "Mr. Queen",
        "Sweet Home",
        "The Ghost Detective",
        "Boys over Flowers",
        "The Heirs",
        "Secret Garden",
        "Full House",
        "What's Wrong with Secretary Kim",
        "Kingdom",
        "Signal",
        "Squid Game",
    ):
        index.find_show(title)
