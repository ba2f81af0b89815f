"""The profile: dealbreakers, seen and rated shows that every ranking command applies, edited safely."""

from __future__ import annotations

import json
import os
from pathlib import Path

from recommender import profile

from .test_cli import run


def profile_file() -> Path:
    return Path(os.environ["RECOMMENDER_PROFILE"])


def test_edits_are_checked_against_the_catalog_and_kept(catalog: Path) -> None:
    assert run("profile", catalog=catalog)[0] == 0 and not profile_file().exists()
    assert run("profile", "never", "Gamma trope", catalog=catalog)[0] == 0  # a name: stored as its id
    assert run("profile", "seen", "the first", catalog=catalog)[0] == 0  # an alias: stored as the title
    assert run("profile", "rate", "Show Two", "9", catalog=catalog)[0] == 0
    found = profile.load()
    assert (found.never, found.seen, found.ratings) == (["gamma"], ["Show One"], {"Show Two": 9.0})
    code, _, err = run("profile", "never", "zzzz", catalog=catalog)
    assert code == 1 and "no trope called" in err
    code, _, err = run("profile", "rate", "Show Two", "11", catalog=catalog)
    assert code == 1 and "not a number from 1 to 10" in err
    assert profile.load() == found  # a refused edit changes nothing
    run("profile", "allow", "gamma", catalog=catalog)
    run("profile", "unrate", "Show Two", catalog=catalog)
    assert (profile.load().never, profile.load().ratings) == ([], {})


def test_an_edit_keeps_what_the_user_wrote(catalog: Path) -> None:
    profile_file().parent.mkdir(parents=True)
    profile_file().write_text("seen: [Show Three]\nmy_notes: keep me\n", encoding="utf-8")
    run("profile", "never", "beta", catalog=catalog)
    text = profile_file().read_text(encoding="utf-8")
    assert "my_notes: keep me" in text and "Show Three" in text and "beta" in text
    assert "my_notes: keep me" in profile_file().with_suffix(".yaml.bak").read_text(encoding="utf-8")
    assert [p.name for p in profile_file().parent.iterdir() if p.name.startswith(".profile-")] == []


def test_an_edit_keeps_the_comments_and_layout(catalog: Path) -> None:
    profile_file().parent.mkdir(parents=True)
    written = "# my dealbreakers\nnever: [alpha]  # hate it\nratings:\n  Show Two: 9   # loved it\n  Show Three: 3\n"
    profile_file().write_text(written, encoding="utf-8")
    run("profile", "never", "beta", catalog=catalog)
    run("profile", "unrate", "Show Three", catalog=catalog)
    assert profile_file().read_text(encoding="utf-8") == (
        "# my dealbreakers\nnever: [alpha, beta] # hate it\nratings:\n  Show Two: 9   # loved it\n"
    )


def test_every_ranking_command_applies_the_profile_and_says_so(catalog: Path) -> None:
    run("profile", "never", "gamma", catalog=catalog)
    run("profile", "seen", "Show Two", catalog=catalog)
    code, out, _ = run("query", "alpha", "--format", "json", catalog=catalog)
    data = json.loads(out)
    assert code == 0 and [r["id"] for r in data["results"]] == ["one"]  # Two seen; Three has gamma
    assert data["notes"][0].startswith("profile: never gamma; 1 seen or rated")
    _, out, _ = run("query", "alpha", "--no-profile", "--format", "json", catalog=catalog)
    assert [r["id"] for r in json.loads(out)["results"]] == ["two", "one"]
    _, out, _ = run("shows", "--format", "json", catalog=catalog)
    assert [r["id"] for r in json.loads(out)["results"]] == ["one"]


def test_recommend_uses_the_profile_ratings_without_a_file(catalog: Path) -> None:
    code, _, err = run("recommend", catalog=catalog)
    assert code == 2 and "profile rate" in err
    run("profile", "rate", "Show One", "9", catalog=catalog)
    run("profile", "rate", "Show Three", "2", catalog=catalog)
    code, out, _ = run("recommend", "--format", "json", catalog=catalog)
    assert code == 0 and [r["id"] for r in json.loads(out)["results"]] == ["two"]


def test_a_broken_profile_is_one_line(catalog: Path) -> None:
    profile_file().parent.mkdir(parents=True)
    profile_file().write_text("never: love-triangle\n", encoding="utf-8")
    code, _, err = run("like", "Show One", catalog=catalog)
    assert code == 1 and "never: expected a list of names" in err and str(profile_file()) in err
