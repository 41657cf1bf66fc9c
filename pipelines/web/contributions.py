"""Contributions in progress, kept on the server: a file as published, its drafted manifest, and
what the contributor said, under an unguessable id, outside raw/ until it is submitted.

A contribution's folder holds `raw/<région>/<année>/<nom>.<ext>` and its manifest beside it, the
layout of the repository, so that it is read exactly as `mille-jours validate` reads raw/.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipelines.common.geography import cog
from pipelines.common.problems import SourceError
from pipelines.common.text import slug
from pipelines.read.manifest import EXTENSIONS


def upload_mb() -> int:
    """The largest file accepted, in MB (MILLE_JOURS_UPLOAD_MB, 50 by default)."""
    return int(os.environ.get("MILLE_JOURS_UPLOAD_MB") or 50)


KEPT_HOURS = 24
_ID = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
# What each format's file starts with: a file whose bytes say otherwise is refused before reading.
_MAGIC = {"xlsx": b"PK\x03\x04", "ods": b"PK\x03\x04", "docx": b"PK\x03\x04", "pdf": b"%PDF"}


class ContributionError(Exception):
    """What the page says instead of going on (French, with what to do)."""


@dataclass
class Contribution:
    id: str
    region: str  # INSEE code
    year: int
    name: str  # the file's stem, as a folder name of raw/ would spell it
    ext: str
    created: float
    token: str  # the forms' anti-forgery token
    branch: str = ""
    headers: list[str] = field(default_factory=list)  # the file's headers, as the draft found them
    notes: list[str] = field(default_factory=list)  # what the draft says of the file
    upload: str = ""  # the file's name as uploaded
    place_confirmed: bool = False  # region and year kept although the file seems to say otherwise
    file_total: list[float] | None = None  # the file's own TOTAL line: [row, euros]

    @property
    def folder_parts(self) -> tuple[str, str]:
        return region_folder(self.region), str(self.year)


def region_folder(code: str) -> str:
    return slug(cog().regions[code])


def store_root(root: Path) -> Path:
    """Where contributions wait: MILLE_JOURS_CONTRIBUTIONS, else .contributions/ of the project."""
    configured = os.environ.get("MILLE_JOURS_CONTRIBUTIONS")
    return Path(configured).resolve() if configured else (root / ".contributions").resolve()


def folder(store: Path, contribution_id: str) -> Path:
    if not _ID.match(contribution_id):
        raise ContributionError("Contribution introuvable : l'adresse est incomplète ou expirée.")
    path = store / contribution_id
    if not (path / "contribution.json").is_file():
        raise ContributionError(
            "Contribution introuvable (expirée après 24 heures, ou déjà retirée). "
            "À faire : déposer le fichier à nouveau."
        )
    return path


def load(store: Path, contribution_id: str) -> Contribution:
    data = json.loads((folder(store, contribution_id) / "contribution.json").read_text("utf-8"))
    return Contribution(**data)


def save(store: Path, c: Contribution) -> None:
    path = store / c.id / "contribution.json"
    path.write_text(json.dumps(asdict(c), ensure_ascii=False), encoding="utf-8")


def raw_root(store: Path, c: Contribution) -> Path:
    return store / c.id / "raw"


def data_path(store: Path, c: Contribution) -> Path:
    region, year = c.folder_parts
    return raw_root(store, c) / region / year / f"{c.name}.{c.ext}"


def manifest_path(store: Path, c: Contribution) -> Path:
    return data_path(store, c).with_suffix(".yaml")


def file_name(name: str) -> tuple[str, str]:
    """The uploaded file's name as (stem, extension): its last part only, spelled as raw/ spells it."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1]).strip()
    stem, dot, ext = base.rpartition(".")
    ext = ext.lower()
    if not dot or ext not in EXTENSIONS:
        raise ContributionError(
            f"Type de fichier non lu : « {excerpt_name(base)} ». À faire : déposer la liste telle "
            "que publiée, en CSV, XLSX, ODS, PDF, HTML, JSON ou DOCX."
        )
    clean = slug(stem)[:80].strip("-")
    if not clean:
        raise ContributionError(
            f"Nom de fichier inutilisable : « {excerpt_name(base)} ». À faire : renommer le fichier "
            "avec des lettres ou des chiffres (ex. laureats-2024.pdf)."
        )
    return clean, ext


def excerpt_name(name: str) -> str:
    shown = "".join(ch if ch.isprintable() else "?" for ch in name)
    return shown[:60] + ("…" if len(shown) > 60 else "")


def check_content(data: bytes, ext: str) -> None:
    limit_mb = upload_mb()
    if not data:
        raise ContributionError(
            "Le fichier est vide. À faire : déposer le fichier publié lui-même."
        )
    if len(data) > limit_mb * 1024 * 1024:
        raise ContributionError(
            f"Fichier trop gros ({len(data) / 1024 / 1024:.0f} Mo, au plus {limit_mb} Mo). "
            "À faire : déposer la liste seule, ou l'exporter en CSV."
        )
    magic = _MAGIC.get(ext)
    if magic and not data.startswith(magic):
        raise ContributionError(
            f"Ce fichier n'est pas un vrai {ext.upper()} (son contenu ne correspond pas à son "
            "extension). À faire : le réenregistrer depuis le logiciel qui l'a produit."
        )


def create(store: Path, upload_name: str, data: bytes, region: str, year: int) -> Contribution:
    """A new contribution holding the uploaded file (nothing is read yet)."""
    if region not in cog().regions:
        raise ContributionError("Région inconnue. À faire : choisir la région dans la liste.")
    if not 2020 <= year <= 2035:
        raise ContributionError("Année hors de 2020 à 2035. À faire : choisir l'année de l'appel.")
    name, ext = file_name(upload_name)
    check_content(data, ext)
    expire(store)
    c = Contribution(
        secrets.token_urlsafe(18), region, year, name, ext, time.time(), secrets.token_urlsafe(24)
    )
    c.upload = excerpt_name(upload_name)
    path = data_path(store, c)
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    save(store, c)
    return c


def remove(store: Path, c: Contribution) -> None:
    """A contribution that could not be read: its file is not kept."""
    shutil.rmtree(store / c.id, ignore_errors=True)


def expire(store: Path, hours: float = KEPT_HOURS) -> None:
    """Contributions older than `hours` are deleted with their files."""
    if not store.is_dir():
        return
    limit = time.time() - hours * 3600
    for path in store.iterdir():
        marker = path / "contribution.json"
        if marker.is_file() and marker.stat().st_mtime < limit:
            shutil.rmtree(path, ignore_errors=True)


def as_error(exc: SourceError) -> ContributionError:
    return ContributionError(f"{exc.message}. À faire : {exc.fix}.")


@dataclass
class Drafted:
    """`mille-jours new-source`'s draft of an uploaded file, as the page keeps it."""

    headers: list[str]  # the file's headers, as the draft found them
    text: str  # the manifest
    notes: list[str]
    copy: tuple[str, bytes] | None = None  # a publishable copy to keep instead of the upload
    file_total: tuple[int, float] | None = None  # the file's own TOTAL line: (row, euros)


def drafted(data: Path, region: str, year: int) -> Drafted:
    """The draft of the file; for a démarches-simplifiées export, of its copy without the
    applicants' personal columns, which replaces the export (never kept, never committed)."""
    from pipelines.contribute.new_source import draft

    d = draft(data, region, year)
    headers = [*d.columns.values(), *d.by_funder.values(), *d.unmapped]
    copy = (d.copy[0].name, d.copy[1]) if d.copy else None
    notes = list(d.notes)
    if copy:  # the export is not kept: say so instead of asking to keep it private
        notes[0] = (
            notes[0].split(" ; seuls")[0].replace("écrite dans", "gardée sous le nom")
            + " ; le fichier déposé est effacé du serveur, seule cette copie sera proposée"
        )
    headers = list(dict.fromkeys(h for h in headers if isinstance(h, str)))
    return Drafted(headers, d.text, notes, copy, d.file_total)


def keep_copy(store: Path, c: Contribution, name: str, data: bytes) -> None:
    """The publishable copy in place of the upload: the upload is deleted from the server."""
    original = data_path(store, c)
    c.name, c.ext = file_name(name)
    data_path(store, c).write_bytes(data)
    original.unlink()
