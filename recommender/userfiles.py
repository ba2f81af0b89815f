"""Files the user hands a command (a seen list, a ratings file): read with one-line errors."""

from __future__ import annotations

from pathlib import Path

from recommender.errors import DataError


def read_text(path: Path, what: str) -> str:
    """The text of a user's file; a missing, unreadable or non-UTF-8 file is a one-line DataError."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{what} {path} not found") from None
    except IsADirectoryError:
        raise DataError(f"{what} {path} is a folder, not a file") from None
    except UnicodeDecodeError:
        raise DataError(f"{what} {path} is not UTF-8 text") from None
    except OSError as exc:
        raise DataError(f"cannot read {what} {path}: {exc.strerror or exc}") from None


def title_lines(text: str) -> list[tuple[int, str]]:
    """(line number, title) of every line that is not blank or a `#` comment."""
    lines = ((n, line.strip()) for n, line in enumerate(text.splitlines(), start=1))
    return [(n, line) for n, line in lines if line and not line.startswith("#")]
