"""The fast show-file reader returns exactly what PyYAML returns, or hands over to it."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import fastyaml
from recommender.catalog import bundled_catalog

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def agrees(text: str) -> bool:
    fast = fastyaml.load(text)
    if fast is None:
        return True
    slow = yaml.load(text, Loader=LOADER)
    return fast == slow and [type(v) for v in fast.values()] == [type(v) for v in slow.values()]


def test_every_bundled_show_reads_the_same_and_most_take_the_fast_path() -> None:
    files = sorted((bundled_catalog() / "shows").glob("*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    assert all(agrees(t) for t in texts)
    assert sum(fastyaml.load(t) is not None for t in texts) > 0.8 * len(texts)


TRICKY = [
    "yes",
    "No",
    "on",
    "null",
    "~",
    "true",
    "2020",
    "2020.5",
    "+.5",
    "-.5",
    ".5",
    "1.",
    "1e3",
    "1.0e+3",
    "0x1F",
    "010",
    "1_000",
    "12:30",
    "2002-12-14",
    "a: b",
    "a #b",
    "a#b",
    "#x",
    "'q'",
    "'a: b'",
    '"#x"',
    "'it''s'",
    '"a\\"b"',
    '"x, y"',
    "''",
    '"q"',
    "[x]",
    "{x}",
    "- x",
    "x:",
    "&a",
    "*a",
    "!t",
    "|",
    ">",
    "%",
    "@",
    "`",
    "Run On",
    "What's Wrong",
    "Start-Up",
    "런온",
    "tvN",
    "N",
    "Y",
    "=",
    "<<",
    "x,y",
    "1.0",
    "0.25",
    "-1",
    "+1",
    "0",
]
scalars = st.one_of(st.sampled_from(TRICKY), st.text(alphabet="ab :#-,.'\"[]{}1yn\t", min_size=0, max_size=8))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["title", "year", "yes", "network", "aliases", "k1", "2020"]), scalars), min_size=1, max_size=5),
    st.lists(st.tuples(st.sampled_from(["alpha", "b-c", "on", "12", "x_y"]), st.sampled_from(TRICKY)), max_size=4),
    st.lists(scalars, max_size=3),
    st.sampled_from(["", ">-", ">"]),
)
def test_generated_documents_agree_with_pyyaml(
    pairs: list[tuple[str, str]], tropes: list[tuple[str, str]], items: list[str], block: str
) -> None:
    lines = [f"{k}: {v}" for k, v in pairs]
    lines.append("genres: [" + ", ".join(items) + "]")
    if block:
        lines += [f"synopsis: {block}", "  first line of text", "  second: line #not a comment"]
    if tropes:
        lines.append("tropes:")
        lines += [f"  {k}: {v}" for k, v in tropes]
    text = "\n".join(lines) + "\n"
    try:
        yaml.load(text, Loader=LOADER)
    except yaml.YAMLError:
        assert fastyaml.load(text) is None  # so the caller reports PyYAML's error
        return
    assert agrees(text)
