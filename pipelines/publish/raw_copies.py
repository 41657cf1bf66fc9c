"""The raw files of the published sources, shipped under `sources/` so that every SHA-256 of the
`sources` table can be checked against the very bytes that were read.

Only the sources whose rows were published are shipped: a source refused (personal data, a doubt
left open, a duplicate, a row held back), unreadable or with a bad manifest never reaches
published/. The bytes copied are those whose SHA-256 the table lists, or the publication stops.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pathlib import Path

SHIPPED_STATUSES = ("ok", "rejected_rows")
# A web page a browser would run where published/ is served (scripts, live links): shipped as
# text, the same bytes under `<source>.html.txt`.
INERT_SUFFIXES = (".html", ".htm", ".xhtml", ".svg")
FOLDER = "sources"
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class RawCopy:
    source_id: str
    raw_path: str  # raw/<source_id>.<ext>, from the project folder
    path: str  # sources/<source_id>.<ext>, from the package folder
    sha256: str
    # Held back on its last good reading: its bytes may be only in the previous release by now.
    held: bool = False


def raw_copies(sources: pd.DataFrame) -> list[RawCopy]:
    """The files a release ships, in the `sources` table's order."""
    copies = []
    for row in sources.itertuples(index=False):
        if row.status not in SHIPPED_STATUSES:
            continue
        suffix = PurePosixPath(str(row.path)).suffix
        if suffix.lower() in INERT_SUFFIXES:
            suffix += ".txt"
        sha = row.sha256 if isinstance(row.sha256, str) else ""
        held = getattr(row, "held_back", None)
        copies.append(
            RawCopy(
                row.source_id,
                row.path,
                f"{FOLDER}/{row.source_id}{suffix}",
                sha,
                isinstance(held, str) and bool(held),
            )
        )
    return copies


def _released_bytes(copy: RawCopy, released: Path | None) -> bytes | None:
    """A held-back source's file as the previous release shipped it, when it has the bytes read."""
    if not copy.held or released is None:
        return None
    try:
        data = (released / copy.path).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == copy.sha256 else None


def ship_raw_files(
    sources: pd.DataFrame, project: Path, package: Path, released: Path | None = None
) -> list[str]:
    """Copy each published source's raw file into `package` (a held-back source's from the
    `released` package when raw/ no longer has it); the problems, in French ([] when none)."""
    problems = []
    for copy in raw_copies(sources):
        parts = PurePosixPath(copy.raw_path).parts
        if parts[:1] != ("raw",) or ".." in parts or ".." in PurePosixPath(copy.path).parts:
            problems.append(
                f"{copy.raw_path} : chemin hors de raw/ pour la source {copy.source_id}. "
                "À faire : ranger le fichier sous raw/<région>/<année>/, puis relancer"
            )
            continue
        try:
            data = _released_bytes(copy, released) or (project / copy.raw_path).read_bytes()
        except OSError:
            problems.append(
                f"{copy.raw_path} : fichier introuvable, alors que sa lecture est publiée. "
                "À faire : remettre le fichier (ou retirer son manifeste), puis relancer "
                "`mille-jours publish`"
            )
            continue
        found = hashlib.sha256(data).hexdigest()
        if found != copy.sha256:
            read = f"SHA-256 lu {copy.sha256[:12]}…" if copy.sha256 else "aucune empreinte lue"
            problems.append(
                f"{copy.raw_path} : le fichier a changé depuis sa lecture ({read}, trouvé "
                f"{found[:12]}…). À faire : relancer `mille-jours publish`, qui relit les sources "
                "modifiées"
            )
            continue
        target = package / copy.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if not problems and (package / FOLDER).is_dir():
        # What `sha256sum -c SHA256SUMS` checks, run in sources/.
        (package / FOLDER / CHECKSUMS).write_text(
            "".join(
                f"{c.sha256}  {c.path.removeprefix(FOLDER + '/')}\n" for c in raw_copies(sources)
            ),
            encoding="utf-8",
        )
    return problems
