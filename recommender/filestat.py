"""What a file's stat must show for what was read from it to stand: mtime, size, inode and ctime, as git compares.

Kept apart from the parsing and building modules so that a warm read, which only compares
stats, imports neither YAML nor the builder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

Stat = tuple[int, int, int, int]  # mtime_ns, size, inode, ctime_ns
RACY_NS = 2_000_000_000  # a stat this close to a build is not trusted: the clock may not have ticked since


def file_stat(st: os.stat_result) -> Stat:
    """The parts of a stat that change when a file is written, replaced or touched."""
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def signed(stat: tuple[int, ...]) -> tuple[int, ...]:
    """A stat tuple that fits int64 (an inode above 2**63 wraps; only equality matters)."""
    return tuple(v - (1 << 64) if v >= 1 << 63 else v for v in stat)


def stat_array(stats: Sequence[tuple[int, ...]]) -> np.ndarray:
    """Stats as an (n, 4) int64 array, for comparing many at once (see `signed`)."""
    try:
        return np.array(stats, dtype=np.int64).reshape(len(stats), 4)
    except OverflowError:
        return np.array([signed(s) for s in stats], dtype=np.int64).reshape(len(stats), 4)


def racy(mtime_ns: int | np.ndarray, built_ns: int) -> bool | np.ndarray:
    """Whether a file or folder changed so close to a build that a later change could leave its mtime as it was.

    File times tick coarsely (a few ms on Linux, 2 s on FAT), so a file written in the same
    tick as the build's stat would look unchanged; such entries are checked again next time,
    as git does with "racily clean" files.
    """
    return mtime_ns >= built_ns - RACY_NS  # elementwise for an array of mtimes
