"""A single-file container of named numpy arrays that is memory-mapped, not read.

Layout: 8-byte magic, 8-byte header length, a JSON header (metadata, and each array's dtype,
shape and offset), then the arrays at 64-byte aligned offsets, then an 8-byte end marker.
A reader checks the magic, the version, the file size recorded in the header and the end
marker, so a truncated, foreign or half-written file is rejected rather than trusted.
Writes go to a temporary file in the same folder, then `os.replace` it into place: a reader
sees either the old file or the new one, never a mix. (There is no fsync: a file cut short
by a power failure fails the checks above and is rebuilt.)
"""

from __future__ import annotations

import json
import mmap
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

MAGIC = b"KDRAMAIX"
END = b"KDRAMEND"
ALIGN = 64


class CorruptStore(Exception):
    """The file is not a complete container of this version."""


def _aligned(n: int) -> int:
    return -(-n // ALIGN) * ALIGN


def write(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Atomically write `arrays` and `meta` to `path`."""
    layout: dict[str, dict[str, Any]] = {}
    offset = 0
    for name, array in arrays.items():
        layout[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        offset = _aligned(offset + array.nbytes)
    header: dict[str, Any] = {"meta": meta, "arrays": layout, "total": 0}
    start = _aligned(16 + len(json.dumps(header, ensure_ascii=False).encode("utf-8")) + 32)
    header["total"] = start + offset + len(END)
    raw = json.dumps(header, ensure_ascii=False).encode("utf-8").ljust(start - 16)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + len(raw).to_bytes(8, "little") + raw)
            for name, array in arrays.items():
                out.seek(start + layout[name]["offset"])
                out.write(np.ascontiguousarray(array).tobytes())
            out.seek(start + offset)
            out.write(END)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Memory-map `path`; raise CorruptStore unless it is whole."""
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < 16 + len(END):
            raise CorruptStore("too short")
        view = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        if view[:8] != MAGIC:
            raise CorruptStore("not an index file")
        length = int.from_bytes(view[8:16], "little")
        header = json.loads(bytes(view[16 : 16 + length]))
        start = 16 + length
        if header.get("total") != size or view[size - len(END) :] != END:
            raise CorruptStore("incomplete")
        arrays = {}
        for name, spec in header["arrays"].items():
            dtype = np.dtype(spec["dtype"])
            count = int(np.prod(spec["shape"], dtype=np.int64))
            arrays[name] = np.frombuffer(view, dtype=dtype, count=count, offset=start + spec["offset"]).reshape(spec["shape"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise CorruptStore(str(exc)) from exc
    return arrays, header["meta"]
