"""The array container: round trips, and every damaged, hand-edited or stale file is caught."""

from __future__ import annotations

import json
import os
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from recommender import store

META = {"version": 3, "release": "0.1.0", "name": "라이브"}
ROOMY = {**META, "pad": "x" * 3000}  # room in the header region to craft big headers


def sample() -> dict[str, np.ndarray]:
    return {
        "f64": np.linspace(0.0, 1.0, 12).reshape(3, 4),
        "i32": np.arange(-5, 6, dtype=np.int32),
        "i64": np.array([2**40, -1, 0], dtype=np.int64),
        "names": np.array(["Run On", "사랑의 불시착", ""]),
        "empty": np.zeros((0, 3)),
        "big_endian": np.arange(6, dtype=">i4").reshape(2, 3),
        "strided": np.arange(20, dtype=np.int16)[::3],
        "scalar": np.array(7.5),
        "flags": np.array([True, False, True]),
        "tail": np.arange(5, dtype=np.uint8),  # the last array ends inside its 64-byte slot: padding follows
    }


def assert_same(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> None:
    assert list(got) == list(want)
    for name, array in want.items():
        assert got[name].dtype == array.dtype, name
        assert got[name].shape == array.shape, name
        assert np.array_equal(got[name], array), name


def layout(data: bytes) -> tuple[int, dict[str, Any]]:
    """Where the payload starts and the header (magic 8, header length 8, then the JSON header)."""
    length = int.from_bytes(data[8:16], "little")
    return 16 + length, json.loads(data[16 : 16 + length])


def craft(path: Path, header: Any) -> None:
    """Put `header` (an object, or raw bytes) in place of the file's JSON header, checksums made right.

    The header CRC-32 sits just before the end marker; refreshing it makes the reader judge the
    header itself rather than stop at the checksum.
    """
    data = bytearray(path.read_bytes())
    start, _ = layout(data)
    raw = header if isinstance(header, bytes) else json.dumps(header).encode("utf-8")
    assert len(raw) <= start - 16, "the crafted header must fit the header region"
    data[16:start] = raw.ljust(start - 16)
    data[-16:-8] = zlib.crc32(bytes(data[:start])).to_bytes(8, "little")
    path.write_bytes(bytes(data))


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "cat.index"
    store.write(path, sample(), META)
    return path


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cat.index"
    store.write(path, sample(), META)
    arrays, meta = store.read(path)
    assert_same(arrays, sample())
    assert meta == META
    assert not any(a.flags.writeable for a in arrays.values())
    store.write(path, {"only": np.arange(3)}, {})  # rewriting replaces the file and leaves nothing behind
    arrays, meta = store.read(path)
    assert_same(arrays, {"only": np.arange(3)})
    assert meta == {}
    assert sorted(p.name for p in path.parent.iterdir()) == ["cat.index"]


def test_empty_arrays_and_no_arrays(tmp_path: Path) -> None:
    path = tmp_path / "cat.index"
    arrays = {"u": np.empty(0, dtype="U"), "none": np.empty((2, 0), np.int32), "zero": np.empty((0, 0, 5))}
    store.write(path, arrays, {})
    assert_same(store.read(path)[0], arrays)
    store.write(path, {}, {"k": 1})
    assert store.read(path) == ({}, {"k": 1})


def test_every_flipped_byte_is_caught(written: Path) -> None:
    data = written.read_bytes()
    start, header = layout(data)
    owner = ["header"] * start + ["padding"] * (len(data) - start - 16) + ["header crc"] * 8 + ["end"] * 8
    for name, spec in header["arrays"].items():
        begin = start + spec["offset"]
        nbytes = np.dtype(spec["dtype"]).itemsize * int(np.prod(spec["shape"], dtype=np.int64))
        owner[begin : begin + nbytes] = [name] * nbytes
    caught: set[str] = set()
    for offset in range(len(data)):
        for mask in (0xFF, 0x01):
            damaged = bytearray(data)
            damaged[offset] ^= mask
            written.write_bytes(bytes(damaged))
            try:
                arrays, meta = store.read(written)
            except store.CorruptStore:
                caught.add(owner[offset])
                continue
            assert owner[offset] == "padding", f"flipped byte {offset} ({owner[offset]}) was trusted"
            assert_same(arrays, sample())
            assert meta == META
    assert caught >= set(owner) - {"padding"}  # each class: header, every non-empty array, checksum, end


def test_zero_filled_block_is_caught(written: Path) -> None:
    """What a power failure without fsync can leave: the right size, a block of zeros inside."""
    data = bytearray(written.read_bytes())
    start, _ = layout(data)
    data[start : start + 64] = bytes(64)
    written.write_bytes(bytes(data))
    with pytest.raises(store.CorruptStore):
        store.read(written)


def test_truncated_files(written: Path) -> None:
    data = written.read_bytes()
    start, _ = layout(data)
    size = len(data)
    edges = [start - 1, start, start + 1, size - 17, size - 16, size - 9, size - 8, size - 1]
    for cut in sorted({0, 1, 8, 15, 16, 23, 24, 79, 80, *edges}):
        written.write_bytes(data[:cut])
        with pytest.raises(store.CorruptStore):
            store.read(written)
        written.write_bytes(data[:cut].ljust(size, b"\0"))  # cut short, then zero-filled to the size
        with pytest.raises(store.CorruptStore):
            store.read(written)
    written.write_bytes(data + b"\0")
    with pytest.raises(store.CorruptStore):
        store.read(written)


def test_old_layout_is_rejected(tmp_path: Path) -> None:
    """A file of format 1 (magic KDRAMAIX, no checksums) is not trusted."""
    array = np.arange(4, dtype=np.int64)
    header = {"meta": {}, "arrays": {"a": {"dtype": "<i8", "shape": [4], "offset": 0}}, "total": 0}
    start = 128
    header["total"] = start + 64 + 8
    raw = json.dumps(header).encode().ljust(start - 16)
    path = tmp_path / "old.index"
    payload = array.tobytes().ljust(64, b"\0")
    path.write_bytes(b"KDRAMAIX" + len(raw).to_bytes(8, "little") + raw + payload + b"KDRAMEND")
    with pytest.raises(store.CorruptStore):
        store.read(path)


def _variants() -> dict[str, Any]:
    """Ways to mangle a valid header (given as a dict) into one the reader must refuse."""

    def spec(array: str = "f64", **change: Any) -> Any:
        def mangle(h: dict[str, Any]) -> dict[str, Any]:
            h["arrays"][array].update(change)
            for key, value in change.items():
                if value is DROP:
                    del h["arrays"][array][key]
            return h

        return mangle

    def top(**change: Any) -> Any:
        def mangle(h: dict[str, Any]) -> dict[str, Any]:
            h.update(change)
            for key, value in change.items():
                if value is DROP:
                    del h[key]
            return h

        return mangle

    return {
        "list": lambda h: [h],
        "string": lambda h: "header",
        "null": lambda h: None,
        "not json": lambda h: b"{not json",
        "not utf-8": lambda h: b'{"a": "\xff"}',
        "deeply nested": lambda h: b"[" * 3000,
        "no arrays": top(arrays=DROP),
        "arrays a list": top(arrays=[]),
        "arrays a string": top(arrays="f64"),
        "no meta": top(meta=DROP),
        "meta a list": top(meta=[1]),
        "no format": top(format=DROP),
        "format 1": top(format=1),
        "total wrong": lambda h: {**h, "total": h["total"] + 64},
        "total a string": lambda h: {**h, "total": str(h["total"])},
        "no payload checksum": top(payload_crc32=DROP),
        "payload checksum a string": lambda h: {**h, "payload_crc32": str(h["payload_crc32"])},
        "payload checksum wrong": lambda h: {**h, "payload_crc32": h["payload_crc32"] ^ 1},
        "spec a list": lambda h: {**h, "arrays": {**h["arrays"], "f64": [1, 2]}},
        "spec without dtype": spec(dtype=DROP),
        "spec without shape": spec(shape=DROP),
        "spec without offset": spec(offset=DROP),
        "object dtype |O": spec(dtype="|O", shape=[2]),
        "object dtype O": spec(dtype="O", shape=[2]),
        "dtype with objects": spec(dtype="[('a', 'O')]", shape=[1]),
        "dtype a number": spec(dtype=8),
        "dtype unknown": spec(dtype="<q9"),
        "dtype huge": spec(dtype="<U999999999999", shape=[1]),
        "shape negative": spec(shape=[-1]),
        "shape negative pair": spec(shape=[-3, -4]),
        "shape huge": spec(shape=[10**12]),
        "shape beyond int64": spec(shape=[2**40, 2**40]),
        "shape a number": spec(shape=12),
        "shape of floats": spec(shape=[3.0, 4.0]),
        "shape of bools": spec(shape=[True]),
        "shape of strings": spec(shape=["3", "4"]),
        "shape runs past the end": spec(shape=[3, 4000]),
        "offset past the end": spec(offset=10**6),
        "last array one byte too long": spec("tail", shape=[65]),  # into what follows its 64-byte slot
        "offset negative": spec(offset=-64),
        "offset a string": spec(offset="0"),
        "offset a float": spec(offset=0.0),
    }


DROP = object()
VARIANTS = _variants()


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_malformed_header(tmp_path: Path, variant: str) -> None:
    written = tmp_path / "cat.index"
    store.write(written, sample(), ROOMY)
    _, header = layout(written.read_bytes())
    craft(written, header)
    assert_same(store.read(written)[0], sample())  # crafting alone keeps the file good
    craft(written, VARIANTS[variant](header))
    with pytest.raises(store.CorruptStore):
        store.read(written)


def test_write_refuses_what_it_cannot_store(tmp_path: Path) -> None:
    path = tmp_path / "cat.index"
    for bad in (np.array([object(), None]), np.zeros(2, dtype=[("a", "<i4"), ("b", "<f8")])):
        with pytest.raises(ValueError):
            store.write(path, {"ok": np.arange(3), "bad": bad}, {})
    assert list(tmp_path.iterdir()) == []


def test_stale_temp_files_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "cat.index"
    hour_ago = time.time() - 3600
    stale = tmp_path / "cat.index.k3j_9xq2.tmp"  # left by a writer killed before its rename
    fresh = tmp_path / "cat.index.a8f0b1zz.tmp"  # a concurrent writer's, still being written
    names = ("dog.index.k3j_9xq2.tmp", "cat.index.sub.k3j_9xq2.tmp", "cat.index.bak")  # not cat.index's temps
    others = [tmp_path / name for name in names]
    for file in [stale, fresh, *others]:
        file.write_bytes(b"partial")
    for file in [stale, *others]:
        os.utime(file, (hour_ago, hour_ago))
    stale_dir = tmp_path / "cat.index.dirdirdi.tmp"
    stale_dir.mkdir()
    os.utime(stale_dir, (hour_ago, hour_ago))
    store.write(path, sample(), META)
    assert not stale.exists()
    assert fresh.exists() and stale_dir.exists() and all(file.exists() for file in others)
    assert_same(store.read(path)[0], sample())


def test_failing_cleanup_never_breaks_a_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cat.index"
    stale = tmp_path / "cat.index.k3j_9xq2.tmp"
    stale.write_bytes(b"partial")
    os.utime(stale, (time.time() - 3600,) * 2)
    tried: list[str] = []

    def refuse(target: Any, *args: Any, **kwargs: Any) -> None:
        tried.append(os.fspath(target))
        raise PermissionError(target)

    monkeypatch.setattr(os, "unlink", refuse)
    store.write(path, sample(), META)
    monkeypatch.undo()
    assert tried == [str(stale)]
    assert_same(store.read(path)[0], sample())
