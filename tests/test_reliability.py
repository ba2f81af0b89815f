"""Every fault and bad input of the reliability issue, re-run as written: one line and exit 1 or 2, or the right answer.

The numbers in the test names are the issue's items. Each test failed before its fix.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from recommender import build, cache, engine, store
from recommender.cli import app

from .conftest import show_doc, write_catalog

runner = CliRunner()
CLI = [sys.executable, "-c", "from recommender.cli import main; main()"]  # the command, as a new process
BOMB = '[&a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], &d [*c,*c,*c,*c,*c,*c,*c,*c,*c], &e [*d,*d,*d,*d,*d,*d,*d,*d,*d], &f [*e,*e,*e,*e,*e,*e,*e,*e,*e], &g [*f,*f,*f,*f,*f,*f,*f,*f,*f], &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]]'  # noqa: E501


def run(*args: str, catalog: Path | None = None) -> tuple[int, str, str]:
    extra = ["--catalog", str(catalog)] if catalog else []
    result = runner.invoke(app, [*args, *extra])
    return result.exit_code, result.stdout, result.stderr


def one_line_error(code: int, err: str, *expected: str, exit_code: int = 1) -> None:
    assert code == exit_code, err
    assert err.count("\n") == 1 and err.startswith("recommender: error: "), err
    for text in expected:
        assert text in err, err


def fingerprint(root: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


def rewrite(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


# --- 1, 2: edits racing the cache -------------------------------------------------


@pytest.mark.parametrize("edit", ["unknown trope", "syntax error in a new file"])
def test_1_a_broken_edit_after_the_cache_is_built_is_a_one_line_error(catalog: Path, edit: str) -> None:
    assert run("like", "Show One", catalog=catalog)[0] == 0
    if edit == "unknown trope":
        rewrite(catalog / "shows" / "two.yaml", "alpha:", "alpah:")
        expected = ['shows/two.yaml: tropes.alpah: unknown trope (did you mean "alpha"?)']
    else:
        (catalog / "shows" / "new.yaml").write_text("title: [unclosed\n", encoding="utf-8")
        expected = ["shows/new.yaml: line 2: YAML error"]
    for command in (["like", "Show One"], ["index"]):
        one_line_error(*run(*command, catalog=catalog)[::2], *expected)


def test_1_readers_racing_an_editor_never_crash(catalog: Path, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    readers = [
        subprocess.Popen(
            [*CLI, "like", "Show One", "--catalog", str(catalog)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    path = catalog / "shows" / "two.yaml"
    good = path.read_text(encoding="utf-8")
    while any(r.poll() is None for r in readers):
        path.write_text(good.replace("alpha:", "alpah:"), encoding="utf-8")
        path.write_text(good, encoding="utf-8")
    for reader in readers:
        err = reader.stderr.read() if reader.stderr else ""
        assert "Traceback" not in err and reader.returncode in (0, 1), err


def test_2_a_show_added_while_the_index_is_built_is_seen_next_time(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_scan = build.scan

    def scan_then_add(root: Path) -> object:
        found = real_scan(root)
        (root / "shows" / "late.yaml").write_text(
            "title: Late\nyear: 2021\nnetwork: MBC\nepisodes: 12\ntropes: {gamma: 1.0}\n", encoding="utf-8"
        )
        return found

    monkeypatch.setattr(build, "scan", scan_then_add)
    assert cache.open_index(catalog).n_shows == 3
    monkeypatch.setattr(build, "scan", real_scan)
    assert cache.open_index(catalog).lookup_show("Late") is not None


# --- 3: alias bombs -----------------------------------------------------------------


@pytest.mark.parametrize("key", ["genres", "aliases", "title", "synopsis"])
def test_3_alias_bombs_in_show_files_are_refused_at_once(catalog: Path, key: str) -> None:
    doc = {k: v for k, v in show_doc({"title": "Show Two", "tropes": {"alpha": 1.0}}).items() if k != key}
    text = yaml.safe_dump(doc, sort_keys=False) + f"{key}: {BOMB}\n"
    (catalog / "shows" / "two.yaml").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    code, out, _err = run("validate", catalog=catalog)
    assert time.perf_counter() - start < 5
    assert code == 1 and "anchors and aliases" in out and "shows/two.yaml" in out
    one_line_error(*run("like", "Show One", catalog=catalog)[::2], "shows/two.yaml", "anchors and aliases")


def test_3_alias_bombs_in_tropes_yaml_and_ratings_are_refused(catalog: Path, tmp_path: Path) -> None:
    ratings = tmp_path / "r.yaml"
    ratings.write_text(f"Show One: 9\nShow Two: {BOMB}\n", encoding="utf-8")
    one_line_error(*run("recommend", "--ratings", str(ratings), catalog=catalog)[::2], "anchors and aliases")
    with (catalog / "tropes.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"bomb: {BOMB}\n")
    one_line_error(*run("like", "Show One", catalog=catalog)[::2], "tropes.yaml", "anchors and aliases")


# --- 4: terminal injection ----------------------------------------------------------


def test_4_control_characters_in_the_catalog_are_problems(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, {"x": {"title": "Evil\x1b]0;owned\x07", "tropes": {"alpha": 1.0}}})
    code, out, _ = run("validate", catalog=root)
    assert code == 1 and "\x1b" not in out and "control character (\\x1b)" in out and "shows/x.yaml" in out


def test_4_control_characters_in_user_input_are_escaped(catalog: Path) -> None:
    code, _out, err = run("like", "Show \x1b[2J One\x07", catalog=catalog)
    one_line_error(code, err, "\\x1b[2J", "\\x07")
    assert "\x1b" not in err and "\x07" not in err


# --- 5: long strings ----------------------------------------------------------------


def test_5_a_huge_title_is_a_problem_not_a_gigabyte_index(catalog: Path) -> None:
    rewrite(catalog / "shows" / "two.yaml", "title: Show Two", "title: " + "x" * 100_000)
    code, out, _ = run("validate", catalog=catalog)
    assert code == 1 and "is 100,000 characters long: keep it to 300" in out


def test_5_text_is_stored_compactly(catalog: Path) -> None:
    rewrite(catalog / "shows" / "two.yaml", "title: Show Two", "title: " + "y" * 300)
    cache.open_index(catalog)
    path = cache.index_path(catalog)
    assert (
        path is not None and path.stat().st_size < 64_000
    )  # fixed-width text would take 300 x 4 bytes a cell


def test_5_a_megabyte_seen_line_is_skipped_quickly(catalog: Path, tmp_path: Path) -> None:
    seen = tmp_path / "seen.txt"
    seen.write_text("Show Two\n" + "z" * 1_000_000 + "\n", encoding="utf-8")
    start = time.perf_counter()
    code, out, err = run("like", "Show One", "--seen", str(seen), catalog=catalog)
    assert time.perf_counter() - start < 5
    assert code == 0 and "Show Two" not in out and "(1,000,000 characters)" in err


# --- 6: file-system states and values -----------------------------------------------


def test_6_symlink_loops_are_skipped_with_a_warning(catalog: Path) -> None:
    os.symlink("loop.yaml", catalog / "shows" / "loop.yaml")
    os.symlink(".", catalog / "shows" / "self")
    code, out, err = run("like", "Show One", catalog=catalog)
    assert code == 0 and "Show Two" in out
    assert "shows/loop.yaml: skipped" in err and "shows/self: skipped: a symlink loop" in err
    code, out, _ = run("validate", catalog=catalog)
    assert code == 1 and "shows/loop.yaml" in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_6_unreadable_folders_are_skipped(catalog: Path) -> None:
    (catalog / "shows" / "locked").mkdir()
    (catalog / "shows" / "locked").chmod(0)
    try:
        code, _, err = run("like", "Show One", catalog=catalog)
        assert code == 0 and "shows/shows/locked" not in err and "locked: skipped: cannot be read" in err
    finally:
        (catalog / "shows" / "locked").chmod(0o755)


@pytest.mark.parametrize(
    "old, new, key",
    [("episodes: 16", "episodes: 3000000000", "episodes"), ("year: 2020", "year: 99999999999", "year")],
)
def test_6_numbers_out_of_range_are_problems(catalog: Path, old: str, new: str, key: str) -> None:
    rewrite(catalog / "shows" / "two.yaml", old, new)
    code, out, _ = run("validate", catalog=catalog)
    assert code == 1 and f"shows/two.yaml  {key}" in out and "is outside" in out
    one_line_error(*run("like", "Show One", catalog=catalog)[::2], f"shows/two.yaml: {key}:")


# --- 7, 8: a damaged or stale cache -------------------------------------------------


def test_7_same_size_corruption_of_the_index_is_rebuilt(catalog: Path) -> None:
    expected = engine.like(cache.open_index(catalog), "Show One")
    path = cache.index_path(catalog)
    assert path is not None
    raw = bytearray(path.read_bytes())
    arrays, _ = store.read(path)
    del arrays
    for offset in range(200, len(raw) - 16, 97):
        damaged = bytearray(raw)
        damaged[offset] ^= 0xFF
        path.write_bytes(bytes(damaged))
        assert engine.like(cache.open_index(catalog), "Show One") == expected


def test_8_an_in_place_edit_that_keeps_size_and_mtime_is_seen(catalog: Path) -> None:
    cache.open_index(catalog)
    path = catalog / "shows" / "two.yaml"
    before = path.stat()
    rewrite(path, "alpha: 1.0", "alpha: 0.5")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    index = cache.open_index(catalog)
    assert index.raw_row(index.find_show("Show Two")) == {0: 0.5}


def test_8_a_new_file_with_the_folder_mtime_restored_is_seen(catalog: Path) -> None:
    cache.open_index(catalog)
    folder = catalog / "shows"
    before = folder.stat()
    (folder / "four.yaml").write_text(
        "title: Four\nyear: 2021\nnetwork: MBC\nepisodes: 12\ntropes: {gamma: 1.0}\n"
    )
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert cache.open_index(catalog).lookup_show("Four") is not None


def test_8_index_force_parses_everything_again(catalog: Path) -> None:
    cache.index_catalog(catalog)
    assert cache.index_catalog(catalog).parsed == 0
    assert cache.index_catalog(catalog, force=True).parsed == 3
    code, out, _ = run("index", "--force", "--format", "csv", catalog=catalog)
    assert code == 0 and out.splitlines()[1].startswith("3,3,3,0,")


# --- 9: CSV formula injection ----------------------------------------------------------


def test_9_csv_cells_that_look_like_formulas_are_neutralised(tmp_path: Path) -> None:
    shows = {
        "one": {"title": "=HYPERLINK(1)", "network": "+tvN", "genres": ["@SUM"], "tropes": {"alpha": 1.0}},
        "two": {"title": "-Two", "tropes": {"alpha": 1.0, "beta": 0.5}},
    }
    root = write_catalog(tmp_path, shows)
    code, out, _ = run("like", "=HYPERLINK(1)", "--less", "beta", "--format", "csv", catalog=root)
    assert code == 0
    row = out.splitlines()[1]
    assert row.startswith("1,two,'-Two,2020,tvN,")
    code, out, _ = run("show", "--format", "csv", "--catalog", str(root), "--", "-Two")
    assert "\ntwo,'-Two," in out
    code, out, _ = run("formula", "--all", "--format", "csv", catalog=root)
    assert "'=HYPERLINK(1),2020,'+tvN" in out


# --- 10: user files ---------------------------------------------------------------------


def test_10_a_huge_csv_cell_is_a_one_line_error(catalog: Path, tmp_path: Path) -> None:
    ratings = tmp_path / "r.csv"
    ratings.write_text('"' + "x" * 200_000 + '",9\nShow One,3\n', encoding="utf-8")
    one_line_error(*run("recommend", "--ratings", str(ratings), catalog=catalog)[::2], "not valid CSV")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_10_endless_user_files_are_refused(catalog: Path, tmp_path: Path) -> None:
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    start = time.perf_counter()
    one_line_error(*run("like", "Show One", "--seen", "/dev/zero", catalog=catalog)[::2], "larger than")
    one_line_error(*run("recommend", "--ratings", str(link), catalog=catalog)[::2], "larger than")
    assert time.perf_counter() - start < 5


# --- 11: environment and signals ---------------------------------------------------------


def cli(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from recommender.cli import main; main()", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, **kwargs)  # type: ignore[call-overload]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_11_a_full_disk_is_a_one_line_error(catalog: Path, env: dict[str, str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*CLI, "like", "Show One", "--catalog", str(catalog)],
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    one_line_error(done.returncode, done.stderr, "cannot write the output: No space left on device")


def test_11_a_latin_1_terminal_gets_escapes_not_a_crash(catalog: Path, env: dict[str, str]) -> None:
    done = cli(["show", "Show One", "--catalog", str(catalog)], {**env, "PYTHONIOENCODING": "latin-1"})
    assert (done.returncode == 0 and "\\ud558" in done.stdout) or "\\ud558\\ub098" in done.stdout, done.stderr


def test_11_no_home_and_no_cache_folder_still_answers(catalog: Path) -> None:
    bare = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CACHE_HOME")}
    done = cli(["like", "Show One", "--catalog", str(catalog)], bare)
    assert done.returncode == 0 and "Show Two" in done.stdout, done.stderr
    assert cache.cache_dir() is not None  # with HOME set (this process), the cache is used as usual


def test_11_stdout_closed_is_an_error_not_a_silent_success(catalog: Path, env: dict[str, str]) -> None:
    command = [
        sys.executable,
        "-c",
        "from recommender.cli import main; main()",
        "like",
        "Show One",
        "--catalog",
        str(catalog),
    ]
    done = subprocess.run(" ".join(f"'{c}'" for c in command) + " >&-", shell=True, env=env, capture_output=False,
                          stderr=subprocess.PIPE, text=True, timeout=60)  # fmt: skip
    one_line_error(done.returncode, done.stderr, "standard output is closed")


def test_11_workers_leave_ctrl_c_to_the_main_process(tmp_path: Path, env: dict[str, str]) -> None:
    shows = {f"s{i:04d}": {"title": f"S{i}", "tropes": {"alpha": 1.0}} for i in range(8000)}
    root = write_catalog(tmp_path / "big", shows)  # big enough that the build is still running at the signal
    script = (
        "import sys; from recommender import build; build.PARALLEL_FROM = 1; build.CHUNK = 20; "
        "from recommender.cli import main; sys.argv[1:] = ['index', '--catalog', sys.argv[1]]; main()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(root)], env=env, stderr=subprocess.PIPE, text=True
    )
    time.sleep(1.0)
    proc.send_signal(2)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert proc.returncode in (0, 130)
    if proc.returncode == 130:
        one_line_error(proc.returncode, err, "interrupted", exit_code=130)


# --- 12: accepted silently ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "title: A\ntitle: B\nyear: 2020\nnetwork: x\nepisodes: 1\ntropes: {alpha: 1.0}\n",
            "duplicate key 'title'",
        ),
        (
            "title: A\nyear: 2020\nnetwork: x\nepisodes: 1\ntropes: {alpha: 1.0, alpha: 0.5}\n",
            "duplicate key 'alpha'",
        ),
        ('title: "   "\nyear: 2020\nnetwork: x\nepisodes: 1\ntropes: {alpha: 1.0}\n', "title,is blank"),
        (
            "title: A\naliases: [~, true]\nyear: 2020\nnetwork: x\nepisodes: 1\ntropes: {alpha: 1.0}\n",
            'aliases[0],"must be text, not None',
        ),
    ],
)
def test_12_show_files_that_were_accepted_silently(catalog: Path, text: str, expected: str) -> None:
    (catalog / "shows" / "bad.yaml").write_text(text, encoding="utf-8")
    code, out, _ = run("validate", "--format", "csv", catalog=catalog)
    assert code == 1 and expected in out


def taxonomy_with(root: Path, change: object) -> None:
    data = yaml.safe_load((root / "tropes.yaml").read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    (root / "tropes.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_12_taxonomy_problems_that_were_accepted_silently(catalog: Path) -> None:
    taxonomy_with(catalog, lambda d: d["tropes"][0].update(id="alpha\n"))
    out = run("validate", catalog=catalog)[1]
    assert "tropes[0] (alpha\\n).id" in out and "holds a control character (\\n)" in out
    taxonomy_with(
        catalog, lambda d: (d["tropes"][0].update(id="alpha"), d["formulas"]["romance"].update(tropse={}))
    )
    assert 'unknown key (did you mean "tropes"?)' in run("validate", catalog=catalog)[1]
    text = (
        (catalog / "tropes.yaml").read_text(encoding="utf-8").replace("  tone: Tone", "  1: One\n  '1': Two")
    )
    (catalog / "tropes.yaml").write_text(text, encoding="utf-8")
    assert "key '1' is not text: quote it" in run("validate", catalog=catalog)[1]


def test_12_dangling_links_fifos_and_upper_case_suffixes_are_reported(catalog: Path) -> None:
    os.symlink("nowhere.yaml", catalog / "shows" / "dangling.yaml")
    os.mkfifo(catalog / "shows" / "pipe.yaml")
    (catalog / "shows" / "loud.YAML").write_text("title: Loud\n", encoding="utf-8")
    code, out, _ = run("validate", "--format", "csv", catalog=catalog)
    assert code == 1
    assert "shows/dangling.yaml,,skipped: cannot be read (a dangling symlink" in out
    assert "shows/pipe.yaml,,skipped: not a regular file" in out
    assert 'shows/loud.YAML,,"skipped: show files end in .yaml or .yml, in lower case' in out


def test_12_ratings_yaml_with_a_duplicate_title_is_an_error(catalog: Path, tmp_path: Path) -> None:
    ratings = tmp_path / "r.yaml"
    ratings.write_text("Show One: 9\nShow One: 3\nShow Two: 4\n", encoding="utf-8")
    one_line_error(
        *run("recommend", "--ratings", str(ratings), catalog=catalog)[::2], "duplicate key 'Show One'"
    )


# --- 13: slow hints ------------------------------------------------------------------------------


def test_13_thirty_thousand_unknown_ids_answer_quickly(catalog: Path) -> None:
    body = "\n".join(f"  unknown-{i}: 1.0" for i in range(30_000))
    (catalog / "shows" / "many.yaml").write_text(
        f"title: Many\nyear: 2020\nnetwork: x\nepisodes: 1\ntropes:\n{body}\n", encoding="utf-8"
    )
    start = time.perf_counter()
    code, out, _ = run("validate", catalog=catalog)
    assert time.perf_counter() - start < 3
    assert code == 1 and "has 30,000 tropes" in out
    (catalog / "shows" / "many.yaml").write_text(
        "title: Many\nyear: 2020\nnetwork: x\nepisodes: 1\ntropes:\n"
        + "\n".join(f"  unknown-{i}: 1.0" for i in range(400))
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run("validate", "--format", "csv", catalog=catalog)
    assert out.count("shows/many.yaml") == 21 and "and 380 more problems in this file" in out


# --- 14: usage errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        (["like", "Show One", "--top", "0"], "--top"),
        (["like", "Show One", "--format", "xml"], "xml"),
        (["like"], "Missing argument"),
        (["lik", "Show One"], "No such command"),
        (["like", "Show One", "--year", "20\n15"], "--year: invalid year range"),
    ],
)
def test_14_usage_errors_are_one_line_too(catalog: Path, args: list[str], expected: str) -> None:
    code, _, err = run(*args, catalog=catalog)
    one_line_error(code, err, expected, exit_code=2)


def test_14_format_is_accepted_in_any_case(catalog: Path) -> None:
    code, out, _ = run("like", "Show One", "-f", "JSON", catalog=catalog)
    assert code == 0 and out.startswith("{")


# --- 15: a relative XDG_CACHE_HOME ------------------------------------------------------------------


def test_15_a_relative_xdg_cache_home_is_ignored(
    catalog: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(catalog)
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "recommender"
    monkeypatch.setenv("RECOMMENDER_CATALOG", ".")
    before = fingerprint(catalog)
    assert run("like", "Show One")[0] == 0
    assert fingerprint(catalog) == before and not (catalog / "relative").exists()
    assert (tmp_path / "home" / ".cache" / "recommender").is_dir()


# --- the catalog is never written -------------------------------------------------------------------


def test_no_command_changes_a_byte_of_the_catalog(catalog: Path, tmp_path: Path) -> None:
    ratings = tmp_path / "r.csv"
    ratings.write_text("Show One,9\nShow Two,3\n", encoding="utf-8")
    before = fingerprint(catalog)
    for command in (
        ["like", "Show One"],
        ["query", "alpha"],
        ["recommend", "--ratings", str(ratings)],
        ["explain", "Show One", "Show Two"],
        ["formula", "Show One"],
        ["formula", "--all"],
        ["show", "Show One"],
        ["tropes"],
        ["validate"],
        ["index", "--force"],
    ):
        for fmt in ("table", "json", "csv"):
            assert run(*command, "--format", fmt, catalog=catalog)[0] == 0
    assert fingerprint(catalog) == before


def test_index_reports_every_cached_array_by_name(catalog: Path) -> None:
    index = cache.open_index(catalog)
    assert {"show_title.off", "show_title.bytes", "name_keys.off", "indptr"} <= set(index.arrays)
    assert all(isinstance(a, np.ndarray) for a in index.arrays.values())
