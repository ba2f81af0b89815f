"""Keep the README's examples real: run every `$ command` of its console blocks and compare.

    python docs/readme_examples.py           # exit 1 and show the first difference if any example is stale
    python docs/readme_examples.py --update  # rewrite README.md with the current output

Commands run in bash, in a scratch folder that is also $HOME (no profile, no cache of the
user's), with COLUMNS=100 and stdout and stderr together.
`recommender` there is this working tree's code (a shim that runs `python -m recommender`
with the repository first on the path), never whatever happens to be installed.
`$ cat FILE` lines define FILE from the lines the README shows under them. A ```python block
followed by a ```text block is run with the working tree's package, and the text block is
what it prints. Examples whose
output depends on the machine (the cache path and timings of `index`, a catalog that exists
only in the example) are listed in SKIP and left as written.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
SKIP = ("recommender index", "--catalog ./my-catalog")
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
PYTHON = re.compile(r"```python\n(.*?)```\n\n```text\n(.*?)```", re.S)


REPO = README.parent


def _shim(folder: Path) -> Path:
    """A `recommender` command in `folder` that runs this working tree's code."""
    folder.mkdir(parents=True, exist_ok=True)
    shim = folder / "recommender"
    shim.write_text(
        f'#!/bin/sh\nPYTHONPATH="{REPO}" exec "{sys.executable}" -m recommender "$@"\n', encoding="utf-8"
    )
    shim.chmod(0o755)
    return folder


def _clean_env(home: Path) -> dict[str, str]:
    """This environment without the user's catalog, profile or caches: the scratch folder is home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECOMMENDER_", "XDG_"))}
    return {**env, "HOME": str(home)}


def _run(command: str, cwd: Path, last_code: int) -> tuple[str, int]:
    if command == "echo $?":
        return f"{last_code}\n", 0
    bin_dir = _shim(cwd / ".bin")
    env = {
        **_clean_env(cwd),
        "COLUMNS": "100",
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    done = subprocess.run(
        ["bash", "-c", command + " 2>&1"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    return done.stdout, done.returncode


def refresh(block: str, cwd: Path) -> str:
    """The block with each command's output as the tool prints it now."""
    steps = re.split(r"^(\$ .*)\n", block, flags=re.M)
    out, code, skip = [steps[0]], 0, False
    for command_line, shown in zip(steps[1::2], steps[2::2]):
        command = command_line[2:]
        out.append(command_line + "\n")
        if command.startswith("cat "):
            (cwd / command[4:].strip()).write_text(shown, encoding="utf-8")
            out.append(shown)
            continue
        skip = any(s in command for s in SKIP) or (command == "echo $?" and skip)
        if skip:
            out.append(shown)
            continue
        text, code = _run(command, cwd, code)
        out.append(text)
    return "".join(out)


def run_python(code: str, cwd: Path) -> str:
    """What a ```python block prints, run with this working tree's package first on the path."""
    env = {**_clean_env(cwd), "PYTHONPATH": str(REPO), "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    return done.stdout + done.stderr


def current(readme: str) -> str:
    with tempfile.TemporaryDirectory() as scratch:
        text = BLOCK.sub(lambda m: "```console\n" + refresh(m.group(1), Path(scratch)) + "```", readme)
        return PYTHON.sub(
            lambda m: f"```python\n{m.group(1)}```\n\n```text\n{run_python(m.group(1), Path(scratch))}```",
            text,
        )


def main() -> int:
    readme = README.read_text(encoding="utf-8")
    fresh = current(readme)
    if "--update" in sys.argv:
        README.write_text(fresh, encoding="utf-8")
        return 0
    if fresh == readme:
        return 0
    old, new = readme.splitlines(), fresh.splitlines()
    line = next((n for n, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    print(f"README.md:{line + 1}: the example is stale: run python docs/readme_examples.py --update")
    print(
        f"  README: {old[line] if line < len(old) else ''}\n  now:    {new[line] if line < len(new) else ''}"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
