"""Domain errors: each one becomes a one-line message and an exit code at the CLI edge."""

from __future__ import annotations


class RecommenderError(Exception):
    """Base class; `exit_code` is what the CLI exits with."""

    exit_code = 1


class DataError(RecommenderError):
    """The catalog on disk is broken (bad YAML, unknown trope, missing field...)."""


class NotFoundError(RecommenderError):
    """A title or trope the user named is not in the catalog."""


class UsageError(RecommenderError):
    """An option's value is malformed (a bad range, an unknown format...)."""

    exit_code = 2
