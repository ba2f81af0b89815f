"""The fast show-file reader returns exactly what PyYAML returns, or hands over to it."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from recommender import fastyaml
from recommender.locate import bundled_catalog

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def agrees(text: str) -> bool:
    fast = fastyaml.load(text)
    if fast is None:
        return True
    slow = yaml.load(text, Loader=LOADER)
    return fast == slow and repr(fast) == repr(slow)  # repr: the same types in lists and tropes (1 vs 1.0)


def check(text: str) -> None:
    """fastyaml returns None, or what PyYAML returns; where PyYAML raises anything, it returns None."""
    fast = fastyaml.load(text)  # must never raise
    try:
        slow = yaml.load(text, Loader=LOADER)
    except Exception:  # YAMLError, but also ValueError (huge ints) and UnicodeEncodeError (surrogates)
        assert fast is None, f"PyYAML rejects {text!r}, fastyaml read {fast!r}"
        return
    if fast is not None:
        assert fast == slow and repr(fast) == repr(slow), f"{text!r}: fastyaml {fast!r}, PyYAML {slow!r}"


def test_every_bundled_show_reads_the_same_and_most_take_the_fast_path() -> None:
    files = sorted((bundled_catalog() / "shows").glob("*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    assert all(agrees(t) for t in texts)
    assert sum(fastyaml.load(t) is not None for t in texts) > 0.8 * len(texts)


TRICKY = [
    "network: Web  # blank in the list",
    "aliases: [A, B]  # two names",
    "year: 2026  # a comment after a number",
    "title: 'quoted'  # comment",
    'title: "it\'s"',
    "title: 'say \"hi\"'",
    "a: b #c",
    "a: # only a comment",
    "a: [x, y #, z]",
    "a: >-  # folded\n  text",
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
    st.lists(
        st.tuples(st.sampled_from(["title", "year", "yes", "network", "aliases", "k1", "2020"]), scalars),
        min_size=1,
        max_size=5,
    ),
    st.lists(
        st.tuples(st.sampled_from(["alpha", "b-c", "on", "12", "x_y"]), st.sampled_from(TRICKY)), max_size=4
    ),
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


# Characters PyYAML rejects ("special characters are not allowed"), reads as a line break or a byte
# order mark, or that are whitespace to Python's str.strip() but content to YAML; and a few harmless ones.
TRICKY_CHARS = [
    "\r",  # a stray CR (a line break to YAML)
    "\r\n",
    "\u2028",  # LINE SEPARATOR
    "\u2029",  # PARAGRAPH SEPARATOR
    "\x85",  # NEL
    "\u3000",  # IDEOGRAPHIC SPACE
    "\xa0",
    "\u2000",
    "\u200a",
    "\u200b",  # ZERO WIDTH SPACE
    "\u202f",
    "\u1680",
    "\ufeff",  # BOM
    "\xad",  # SOFT HYPHEN
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x80",
    "\x9f",
    "\t",
    "\ue000",  # private use
    "\ufffe",  # a noncharacter
    "\ud800",  # a lone surrogate: not even UTF-8
    "\U0001f600",  # non-BMP but printable: fine
    "\U000e0001",  # non-BMP format character
    "런",
    "~",
    "%",
    "@",
    "`",
    " ",
    "\n",
]
SHOW_WORDS = ["Run On", "런온", "JTBC", "2020", "16", "0.5", "What's Wrong", "'Run On'", '"Start-Up"', "a#b"]
SHOW_WORDS += ["y", "n", "Kang Tae Oh", "\U0001f600"]
SCALAR_PARTS = ["a", "b", " ", ":", "#", "-", ",", ".", "'", '"', "1", "y", "n", "~", "런", "\U0001f600"]
show_scalars = st.one_of(  # mostly plain show values, so that many documents take the fast path
    st.sampled_from(SHOW_WORDS),
    st.sampled_from(SHOW_WORDS),
    st.sampled_from(SHOW_WORDS),
    st.sampled_from(TRICKY),
    st.lists(st.sampled_from(SCALAR_PARTS), max_size=6).map("".join),
)
BLOCK_LINES = ["A sprinter quits.", "second: line #not a comment", "런온", "'quoted'", "- dash", "a  b", "x"]
KEYS = ["title", "year", "aliases", "synopsis", "network", "y", "n", "Y", "a-b", "_x"]
TROPE_IDS = ["alpha", "b-c", "y", "n", "x_y", "slow-burn", "meet-cute", "on", "12"]
NUMBERS = ["1", "1.0", "0.5", "0.25", "0", "-1", "+1", "1.", ".5", "01", "1e3", "~"]


@st.composite
def show_lines(draw: st.DrawFn) -> list[str]:
    """The lines of a show-like document: keys with plain and quoted scalars, flow lists, folded
    blocks (and blank lines of spaces after them) and tropes blocks."""
    lines = []
    names = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=5, unique=True))
    if draw(st.integers(0, 9)) == 9:
        names.append(draw(st.sampled_from([*names, "on", "~"])))  # a duplicate key or a non-string one
    for key in names:
        kind = draw(st.sampled_from(["scalar", "list", "folded", "tropes"]))
        if kind == "scalar":
            lines.append(f"{key}: {draw(show_scalars)}{draw(st.sampled_from(['', ' ', '  ']))}")
        elif kind == "list":
            items = draw(st.lists(show_scalars, max_size=3))
            sep = draw(st.sampled_from([", ", ",", " , "]))
            lines.append(f"{key}: [{sep.join(items)}{draw(st.sampled_from(['', '', '', ' ', ', ']))}]")
        elif kind == "folded":
            lines.append(f"{key}: {draw(st.sampled_from(['>', '>-', '>', '>-', '> ', '>-  ', '>+', '|']))}")
            block_line = st.one_of(st.sampled_from(BLOCK_LINES), show_scalars)
            lines += ["  " + draw(block_line) for _ in range(draw(st.sampled_from([1, 1, 2, 3, 1, 2, 0])))]
            lines += draw(st.lists(st.sampled_from(["", "", " ", "  ", "   ", "    "]), max_size=2))
        else:
            lines.append(f"{key}:")
            tropes = st.lists(st.tuples(st.sampled_from(TROPE_IDS), st.sampled_from(NUMBERS)), max_size=3)
            lines += [f"  {trope}: {value}" for trope, value in dict(draw(tropes)).items()]
        if draw(st.integers(0, 9)) == 9:
            lines.append(draw(st.sampled_from(["", " ", "   ", "# a comment", " # indented comment", "---"])))
    return lines


@st.composite
def show_documents(draw: st.DrawFn) -> str:
    """A show-like document with LF, CRLF or CR line ends, a final line break or not, now and then a
    BOM, and tricky characters inserted anywhere."""
    end = draw(st.sampled_from(["\n", "\n", "\n", "\n", "\n", "\r\n", "\r"]))
    text = end.join(draw(show_lines())) + draw(st.sampled_from([end, end, "", end * 2, end + "  " + end]))
    insertion = st.tuples(st.integers(0, 10**6), st.sampled_from(TRICKY_CHARS))
    for position, char in [draw(insertion) for _ in range(draw(st.sampled_from([0, 1, 1, 2])))]:
        position %= len(text) + 1
        text = text[:position] + char + text[position:]
    return draw(st.sampled_from(["", "", "", "\ufeff"])) + text


# Each of these was read by the old fastyaml and differs from PyYAML (which mostly rejects it).
FAILED_BEFORE = [
    "title: Run\rOn\n",  # a stray CR
    "title: Run On\r\nyear: 2020\r\n",  # CRLF: "Run On\r" and "2020\r" instead of 2020
    "title: Run\u2028On\n",
    "title: Run\u2029On\n",
    "title: yes\u2028\n",  # PyYAML: True
    "title: OFF\x85\n",  # NEL, a line break to PyYAML: False
    "year: 1.5\x85\n",
    "genres: [a\u3000, b]\n",  # str.strip() took U+3000 off: PyYAML keeps it
    "genres: [a\xa0 , b]\n",
    "title: Ru\x00n\n",  # NUL
    "title: \x1b[31mRed\n",
    "title: Bell\x07\n",
    "title: Del\x7f\n",
    "title: c1\x9f\n",
    "title: vt\x0b\n",
    "genres: [Nul\x9fl\x0c, x]\n",
    "title: 'q\x1b:'\n",
    "synopsis: >\n  \x7fx@\n",
    "title: '\ud800'\n",  # UnicodeEncodeError in PyYAML
    "synopsis: >\n  No final newline",  # ">" clips to the line break there is: none
    "synopsis: >\n  a\n    \ntitle: x\n",  # a more indented blank line is content: "a\n  \n"
    "synopsis: >-\n  a\n\n   \n",
    "x" * 1030 + ": 1\n",  # libyaml's 1024-character limit on a simple key
    "tropes:\n  " + "a" * 1030 + ": 1\n",
    "year: " + "1" * 4400 + "\n",  # int() raises ValueError: fastyaml raised it too
    "tropes:\n  a: " + "1" * 4400 + "\n",
]
# Fine for PyYAML (the old fastyaml agreed, or handed them over): fastyaml may read them, but the same.
ALSO_CHECKED = [
    "\ufefftitle: Run On\n",  # a BOM at the start
    "title: a\ufeffb\n",  # a BOM inside: libyaml keeps it
    "title: Run\u3000On\n",
    "title: \u3000\n",
    "title: Run\xa0On\n",
    "title: ~\n",
    "y: n\nn: Y\n",
    "title: '%x'\nnetwork: '@x'\n",
    "genres: [a , b ]  \n",
    "title: a\ntitle: b\n",  # a duplicate key: PyYAML keeps the last
    "title: \U0001f600 \U00010000\n",
    "title: Run On",  # no final newline
    "synopsis: >\n  a\n\n\n",
    "synopsis: >-\n  a\n  \n",
    "synopsis: >\n  a\n  b\n",
    "synopsis: >\n  a\n  \n  ",
    "title: x\n   \n  \nyear: 1\n",
    "x" * 1024 + ": 1\n",
]


@pytest.mark.parametrize("text", FAILED_BEFORE + ALSO_CHECKED)
def test_tricky_inputs_agree_with_pyyaml(text: str) -> None:
    check(text)


def test_the_tricky_characters_are_refused_and_a_real_show_still_takes_the_fast_path() -> None:
    show = (bundled_catalog() / "shows" / "run-on.yaml").read_text(encoding="utf-8")
    assert fastyaml.load(show) is not None
    assert fastyaml.load(show.replace("\n", "\r\n")) is None
    for char in TRICKY_CHARS:
        if not char.isprintable() and char != "\n":
            assert fastyaml.load(show.replace("Run On", f"Run{char}On")) is None, repr(char)


@settings(max_examples=200, deadline=None)
@given(show_documents())
@example("title: Run\rOn\n")
@example("title: Run\u2028On\n")
@example("title: OFF\x85\n")
@example("genres: [a\u3000, b]\n")
@example("title: Ru\x00n\n")
@example("title: \x1b[31mRed\n")
@example("title: Bell\x07\n")
@example("title: a\ufeffb\n")
@example("\ufefftitle: Run On\n")
@example("synopsis: >\n  No final newline")
def test_generated_show_documents_with_tricky_characters_agree_with_pyyaml(text: str) -> None:
    check(text)
