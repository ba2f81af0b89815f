"""The README's examples are the tool's real output (docs/readme_examples.py reruns them)."""

import importlib.util
import shutil
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "readme_examples.py"


@pytest.mark.skipif(shutil.which("bash") is None, reason="the examples are shell commands")
def test_readme_examples_are_current() -> None:
    spec = importlib.util.spec_from_file_location("readme_examples", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = module.README.read_text(encoding="utf-8")
    fresh = module.current(readme)
    assert fresh.splitlines() == readme.splitlines(), (
        "stale README example: run python docs/readme_examples.py --update"
    )
