"""Creators: the bonus for a shared writer or director, its explanation, and the --writer/--director/--cast filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from recommender import creators, engine
from recommender.build import build
from recommender.cli import app
from recommender.engine import RankOptions
from recommender.errors import NotFoundError
from recommender.filters import Filters

from .conftest import write_catalog

SHOWS = {
    "seed": {
        "title": "Seed",
        "writer": ["Park Ji Eun"],
        "director": ["Lee Jung Hyo"],
        "tropes": {"alpha": 1.0},
    },
    "same-writer": {"title": "Same Writer", "writer": ["park ji-eun"], "tropes": {"alpha": 0.5, "beta": 1.0}},
    "both": {
        "title": "Both",
        "writer": ["Park Ji Eun", "Kim Eun Sook"],
        "director": ["Lee Jung Hyo"],
        "lead_cast": ["Hyun Bin", "Son Ye Jin"],
        "tropes": {"alpha": 0.5, "beta": 1.0},
    },
    "stranger": {"title": "Stranger", "writer": ["Kim Eun Sook"], "tropes": {"alpha": 0.5, "beta": 1.0}},
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "c", SHOWS)


def test_a_shared_writer_or_director_adds_its_bonus_and_explains_it(root: Path) -> None:
    index = build(root)
    plain = {m.title: m.score for m in engine.like(index, "Seed", RankOptions(creators=False)).matches}
    ranking = engine.like(index, "Seed")
    got = {m.title: m for m in ranking.matches}
    assert plain["Same Writer"] == plain["Both"] == plain["Stranger"]  # the same trope vectors
    w, d = creators.WEIGHTS["writer"], creators.WEIGHTS["director"]
    assert got["Same Writer"].score == pytest.approx(plain["Same Writer"] + w)  # names match in any case
    assert got["Both"].score == pytest.approx(plain["Both"] + w + d)
    assert got["Stranger"].score == pytest.approx(plain["Stranger"])
    assert [m.title for m in ranking.matches] == ["Both", "Same Writer", "Stranger"]
    lines = {c.name: c.contribution for c in got["Both"].because}
    assert lines["same writer: Park Ji Eun"] == pytest.approx(w)
    assert lines["same director: Lee Jung Hyo"] == pytest.approx(d)
    for m in ranking.matches:
        assert sum(c.contribution for c in m.because) == pytest.approx(m.score)
        assert sum(c.share for c in m.because) == pytest.approx(1.0)


def test_people_filters_keep_shows_with_any_of_the_names(root: Path) -> None:
    index = build(root)

    def titles(**people: tuple[str, ...]) -> list[str]:
        return sorted(
            m.title for m in engine.query(index, ["alpha"], RankOptions(filters=Filters(**people))).matches
        )

    assert titles(writers=("kim eun sook",)) == ["Both", "Stranger"]
    assert titles(directors=("Lee Jung Hyo",)) == ["Both", "Seed"]
    assert titles(cast=("Hyun Bin",)) == ["Both"]
    with pytest.raises(NotFoundError, match=r'no writer called "Kim Eun Suk".*did you mean "Kim Eun Sook"'):
        titles(writers=("Kim Eun Suk",))


def test_the_cli_takes_the_people_filters(root: Path) -> None:
    result = CliRunner().invoke(app, ["like", "Seed", "--writer", "Kim Eun Sook", "--catalog", str(root)])
    assert result.exit_code == 0, result.output
    assert "same writer: Park Ji Eun" in result.stdout and "Stranger" in result.stdout
    assert "filters: writer Kim Eun Sook (2 of 4 shows pass)" in result.stdout


def test_the_index_stores_each_credit_and_cast_name_with_its_key(root: Path) -> None:
    index = build(root)
    for field in ("show_writer", "show_director", "show_lead_cast", "show_genres"):
        assert len(index.item_keys(field)) == len(index.item_owners(field)[1])
    _, names = index.item_owners("show_writer")
    by_hand = {"Park Ji Eun": "parkjieun", "park ji-eun": "parkjieun", "Kim Eun Sook": "kimeunsook"}
    assert index.item_keys("show_writer") == [by_hand[n] for n in names]
    cast_owners, _ = index.item_owners("show_lead_cast")
    both = index.find_show("Both")
    keys = [k for k, row in zip(index.item_keys("show_lead_cast"), cast_owners.tolist()) if row == both]
    assert keys == ["hyunbin", "sonyejin"]
