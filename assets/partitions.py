"""One partition per raw source (its path under raw/ without extension: region/year/name), and what
tells a source must be read again: its version, a hash of its file, its manifest and the code that
reads it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg

from pipelines.read.discovery import RawSource

raw_sources = dg.DynamicPartitionsDefinition(name="raw_sources")

_PROJECT = Path(__file__).resolve().parents[1]
# What reading a source depends on: the reading code and the table definitions it checks against.
_READING_CODE = (
    "pipelines/read",
    "pipelines/stage",
    "pipelines/common",
    "schemas",
    "assets/sources.py",
    "assets/partitions.py",
    "assets/workers.py",
)
# What the tables and the package depend on, besides the readings.
_PUBLISHING_CODE = (
    "pipelines/consolidate",
    "pipelines/publish",
    "pipelines/common",
    "schemas",
    "assets/tables.py",
    "assets/package.py",
)


def _code_version(parts: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for part in parts:
        path = _PROJECT / part
        files = (
            [path]
            if path.is_file()
            else sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        )
        for file in files:
            h.update(file.relative_to(_PROJECT).as_posix().encode())
            h.update(file.read_bytes())
    return h.hexdigest()[:16]


READING_CODE_VERSION = _code_version(_READING_CODE)
PUBLISHING_CODE_VERSION = _code_version(_PUBLISHING_CODE)


def source_version(source: RawSource) -> str:
    """Changes when the file, its manifest or the reading code changes (and only then)."""
    return f"{source.fingerprint()[:32]}-{READING_CODE_VERSION}"


def file_version(version: str) -> str:
    """The file-and-manifest part of a source's version: what Dagster observes of raw_file."""
    return version.partition("-")[0]
