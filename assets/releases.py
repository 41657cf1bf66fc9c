"""Every published version kept as it was published, under the storage root: releases/<version>/
(a copy of published/, written once, never rewritten) and releases/latest (the latest version's
number). published/ stays the working copy of the latest version. A release is kept before it
replaces published/ (`keep_built_release`, handed to the publication): published/ never carries a
version that is not kept, nor other data under a number already kept.

A version's folder is complete once its list of checksums, releases/<version>.sha256 (in the form
`sha256sum -c` reads, from inside the folder), is written: it is written last, so a copy cut short
is finished by the next publication, never taken for a release.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from upath import UPath

from assets.storage import storage_root, swap_in
from pipelines.publish.files import tree_checksums

RELEASES = "releases"
LATEST = "latest"


@dataclass
class Kept:
    """The version kept; whether its copy was written now."""

    version: str
    folder: UPath
    written: bool


class ReleaseConflict(Exception):  # noqa: N818 — a state of the published versions, said in French
    """published/ carries a version already kept with other bytes: a published version never
    changes (a change of the documents alone is a version too: pipelines/publish/versioning.py)."""

    def __init__(self, version: str, folder: UPath, differing: list[str], latest: str) -> None:
        shown = ", ".join(differing[:5]) + (
            f" et {len(differing) - 5} autre(s)" if len(differing) > 5 else ""
        )
        super().__init__(
            f"La version {version} est déjà gardée dans {folder} avec un contenu différent ({shown}) : "
            "une version publiée ne change jamais : rien n'y est réécrit, releases/latest n'est "
            f"pas déplacé et published/ est inchangé. À faire : vérifier que ce stockage (MILLE_JOURS_STORAGE) n'est pas partagé par un "
            "autre projet, et que published/ n'a pas été perdu ou remplacé (la numérotation "
            f"repart alors de 1.0.0) ; remettre dans published/ la dernière version gardée ({latest}"
            f", dossier {folder.parent / latest}) si ce n'est déjà elle, puis relancer la "
            "publication : les données nouvelles y prendront le numéro suivant."
        )


class ReleaseNotKept(Exception):  # noqa: N818 — the storage failed, said in French
    """The storage root could not be written or reached while keeping a release."""


def keep_built_release(folder: Path, files: dict[str, str] | None = None) -> Kept:
    """`keep_release` of a release built in folder (its files' SHA-256 when already computed),
    before it replaces published/; a failure of the storage is said in French (`ReleaseNotKept`),
    not taken for one of published/'s folder."""
    try:
        return keep_release(folder, files=files)
    except OSError as error:
        from assets.infrastructure import infrastructure_message

        raise ReleaseNotKept(
            infrastructure_message(error)
            or f"La version construite n'a pas pu être gardée sous {storage_root() / RELEASES} "
            f"({type(error).__name__} : {error}) : published/ est inchangé. À faire : vérifier que "
            "ce dossier (ou MILLE_JOURS_STORAGE) peut être écrit, qu'il reste de la place, puis "
            "relancer."
        ) from error


def keep_release(
    published: Path, root: UPath | None = None, files: dict[str, str] | None = None
) -> Kept:
    """Keep published/'s version under root/releases/ (the storage root by default), unless it is
    already kept; point releases/latest at it. `ReleaseConflict` when that version is kept with
    other data. `files`: published/'s checksums (`tree_checksums`), when the caller has them."""
    releases = (root or storage_root()) / RELEASES
    version = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))["version"]
    folder = releases / version
    files = tree_checksums(published) if files is None else files
    kept = _kept_checksums(releases / f"{version}.sha256")
    if kept is None:
        _copy(published, folder, sorted(files))
        _write(releases / f"{version}.sha256", _listing(files))
        _point_latest(releases, version)
        return Kept(version, folder, written=True)
    differing = sorted(p for p in files.keys() | kept.keys() if files.get(p) != kept.get(p))
    if differing:
        raise ReleaseConflict(version, folder, differing, _latest(releases) or "aucune")
    _point_latest(releases, version)
    return Kept(version, folder, written=False)


def _listing(files: dict[str, str]) -> str:
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(files.items()))


def _kept_checksums(listing: UPath) -> dict[str, str] | None:
    try:
        text = listing.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    pairs = (line.split("  ", 1) for line in text.splitlines() if line)
    return {name: digest for digest, name in pairs}


def _copy(published: Path, folder: UPath, names: list[str]) -> None:
    for name in names:
        target = folder.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((published / name).read_bytes())


def _latest(releases: UPath) -> str | None:
    try:
        return (releases / LATEST).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def _point_latest(releases: UPath, version: str) -> None:
    """releases/latest names version; left as it is when it already does."""
    if _latest(releases) != version:
        _write(releases / LATEST, version + "\n")


def _write(target: UPath, text: str) -> None:
    """target's text replaced in one step (a reader sees the old text or the new)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    aside.write_text(text, encoding="utf-8")
    swap_in(aside, target)
