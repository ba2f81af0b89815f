"""Draw the README's map of the bundled catalog, with Run On and its top picks highlighted.

    python docs/make_map.py          # writes docs/map.png (the same catalog gives the same map)

It is `recommender map "Run On" --output docs/map.png`, run through the library so that it
draws with this working tree's code.
"""

from __future__ import annotations

from pathlib import Path

from recommender import atlas
from recommender.cache import open_index
from recommender.locate import locate

TARGET = Path(__file__).resolve().parent / "map.png"


def main() -> None:
    index = open_index(locate(None))
    print(f"wrote {atlas.save(atlas.atlas(index, ['Run On']), TARGET)}")


if __name__ == "__main__":
    main()
