"""Files stay inside raw/: a source is only ever read from a regular file inside its own folder.

A symlink to a secret of the repository (a `.env`) or to `/dev/zero` is refused before a single
byte is read; so is a FIFO or a device, whose reading never ends.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pipelines.common.problems import SourceError

# Beyond this, a contributed list is not a list: refused before it is read (a bomb, a mistake).
MAX_FILE_BYTES = 512 * 1024 * 1024


def where(path: Path) -> Path:
    """The path with its folder resolved but not the file itself: a symlink is named as it is in raw/."""
    return Path(os.path.realpath(path.parent)) / path.name


def check_file(path: Path, what: str = "fichier", root: Path | None = None) -> None:
    """Refuse a path leaving its folder (symlink) or `root` (raw/, through a linked folder), anything
    but a regular file, and an absurd size."""
    folder = Path(os.path.realpath(path.parent))
    if root is not None and not folder.is_relative_to(os.path.realpath(root)):
        raise SourceError(
            path,
            f"le dossier du {what} est un lien qui sort de raw/ : il n'est pas lu",
            fix="remplacer le lien par un vrai dossier raw/<région>/<année>/ contenant les fichiers",
        )
    try:
        own = os.lstat(path)
    except FileNotFoundError:
        return  # the caller says what is missing
    if stat.S_ISLNK(own.st_mode):
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(folder):
            raise SourceError(
                path,
                f"le {what} est un lien symbolique qui sort du dossier de la source : "
                "il n'est pas lu",
                fix="remplacer le lien par une copie du fichier publié, dans ce dossier",
            )
    try:
        info = os.stat(path)
    except OSError:
        raise SourceError(
            path,
            f"le {what} est un lien symbolique cassé ou inaccessible",
            fix="remplacer le lien par le fichier publié lui-même",
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(
            path,
            f"le {what} n'est pas un fichier ordinaire (dossier, périphérique, tube) : "
            "il n'est pas lu",
            fix="déposer le fichier publié lui-même (CSV, XLSX, ODS, PDF, HTML, JSON, DOCX)",
        )
    if info.st_size > MAX_FILE_BYTES:
        raise SourceError(
            path,
            f"fichier de {info.st_size // (1024 * 1024)} Mo, au-delà de la limite de "
            f"{MAX_FILE_BYTES // (1024 * 1024)} Mo",
            fix="vérifier le fichier (une liste de lauréats tient en quelques Mo) ou le découper",
        )


def is_safe(path: Path, root: Path | None = None) -> bool:
    try:
        check_file(path, root=root)
    except SourceError:
        return False
    return path.exists()
