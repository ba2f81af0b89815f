"""The map's page in a real browser (Debian's headless Chromium): points are drawn, and a search highlights a title.

The page of the bundled catalog (or of the /tmp/cat603 snapshot when there is one) is made once
a session; Chromium takes screenshots of it and dumps its DOM after `#search=...` ran the search.
Skipped, with the reason, where /usr/bin/chromium is not installed (.ci/run installs it).
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from recommender import atlas
from recommender.cache import open_index
from recommender.locate import bundled_catalog

CHROMIUM = Path("/usr/bin/chromium")
SNAPSHOT = Path("/tmp/cat603")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1200,800",
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="no /usr/bin/chromium: install Debian's chromium (.ci/run does) to run the page",
)


def catalog_root() -> Path:
    return (
        SNAPSHOT
        if (SNAPSHOT / "tropes.yaml").is_file() and (SNAPSHOT / "shows").is_dir()
        else bundled_catalog()
    )


@pytest.fixture(scope="session")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[atlas.Atlas, Path]:
    folder = tmp_path_factory.mktemp("atlas-page")
    result = atlas.atlas(open_index(catalog_root(), use_cache=False), cache_dir=folder / "cache")
    return result, atlas.save(result, folder / "map.html")


@pytest.fixture(scope="session")
def plain(page: tuple[atlas.Atlas, Path], tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    return screenshot(tmp_path_factory.mktemp("plain"), page[1].as_uri(), "plain.png")


def chromium(tmp_path: Path, url: str, *action: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    run = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *action, url],
        capture_output=True,
        text=True,
        timeout=90,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run


def screenshot(tmp_path: Path, url: str, name: str) -> np.ndarray:
    """The page as Chromium draws it, as an (height, width, 3) array of 0-255 values."""
    import matplotlib.image

    target = tmp_path / name
    chromium(tmp_path, url, f"--screenshot={target}")
    pixels = matplotlib.image.imread(str(target))
    return np.round(pixels[..., :3] * 255).astype(np.int16)


def cluster_pixels(pixels: np.ndarray, colours: list[str]) -> dict[str, int]:
    """How many pixels are close to each colour as the page blends it (80% over white)."""
    counts = {}
    for colour in colours:
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        blended = 0.8 * rgb + 0.2 * 255
        counts[colour] = int((np.abs(pixels - blended).max(axis=2) <= 24).sum())
    return counts


def search_term(result: atlas.Atlas) -> tuple[str, str]:
    """What to type ("Goblin" when a show is known by it) and the title that must come first."""
    for p in result.points:
        if "goblin" in [a.lower() for a in p.aliases]:
            return "Goblin", p.title
    return result.points[0].title.upper(), result.points[0].title


def test_the_page_draws_the_points_in_their_cluster_colours(
    page: tuple[atlas.Atlas, Path], tmp_path: Path
) -> None:
    result, path = page
    pixels = screenshot(tmp_path, path.as_uri(), "map.png")
    assert pixels.shape[:2] == (800, 1200)
    counts = cluster_pixels(pixels[80:, :900], [atlas.colour(c.id) for c in result.clusters])
    drawn = {colour: n for colour, n in counts.items() if n >= 40}
    assert len(drawn) >= min(8, len(result.clusters)), counts
    assert sum(counts.values()) > 4 * len(result.points), counts


def test_searching_a_title_highlights_it(
    page: tuple[atlas.Atlas, Path], plain: np.ndarray, tmp_path: Path
) -> None:
    result, path = page
    term, title = search_term(result)
    url = f"{path.as_uri()}#search={term}"
    dom = chromium(tmp_path, url, "--dump-dom").stdout
    found = re.search(r'<div id="found"[^>]*>(.*?)</div>', dom, re.S)
    assert found, dom[:2000]
    first = re.search(r'<b class="hit">(.*?)</b>', found.group(1))
    assert first and first.group(1) == html.escape(title, quote=False), found.group(1)
    assert f'value="{term}"' in dom or term in dom
    searched = screenshot(tmp_path, url, "searched.png")
    assert (np.abs(plain - searched).max(axis=2) > 40).sum() > 2000  # centred and zoomed on it, ringed


HOVER = """<script>
(function () {  // a pointer resting on the middle of the map, where the search centred the title it found
  var map = document.getElementById("map"), box = map.getBoundingClientRect();
  var at = { clientX: box.left + box.width / 2, clientY: box.top + box.height / 2, bubbles: true };
  map.dispatchEvent(new PointerEvent("pointermove", at));
})();
</script>
</body>"""


def test_hovering_a_show_tells_its_title_year_and_tropes(
    page: tuple[atlas.Atlas, Path], tmp_path: Path
) -> None:
    result, path = page
    term, title = search_term(result)
    shown = next(p for p in result.points if p.title == title)
    probe = tmp_path / "hover.html"
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", HOVER), encoding="utf-8")
    run = chromium(
        tmp_path, f"{probe.as_uri()}#search={term}", "--dump-dom", "--enable-logging=stderr", "--v=0"
    )
    assert "Uncaught" not in run.stderr, run.stderr[-2000:]
    tip = re.search(r'<div id="tip"[^>]*>(.*?)</div>\s*</div>', run.stdout, re.S)
    assert tip, run.stdout[-3000:]
    text = html.unescape(re.sub(r"<[^>]+>", "|", tip.group(1)))
    assert f"{title} ({shown.year})" in text and ", ".join(shown.top_tropes) in text


def test_a_search_that_finds_nothing_says_so(page: tuple[atlas.Atlas, Path], tmp_path: Path) -> None:
    _, path = page
    dom = chromium(tmp_path, f"{path.as_uri()}#search=zzqxq", "--dump-dom").stdout
    found = re.search(r'<div id="found"[^>]*>(.*?)</div>', dom, re.S)
    assert found and "No title or alias contains" in found.group(1) and "<b" not in found.group(1)
