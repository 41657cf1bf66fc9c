"""The published data package: CSV + Parquet per table, datapackage.json (Data Package v2), docs.

A publication is built whole in a staging folder beside `published/`, validated there with the
real frictionless validator, and only then swapped in atomically: `published/` is always either
the previous release or the new one. Same inputs give the same bytes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipelines.common.locks import LockError, file_lock, say_on_stderr
from pipelines.publish import identity, scdl, scope
from pipelines.publish.citable import write_citable
from pipelines.publish.files import (
    file_hash,
    tree_checksums,
    write_csv,
    write_json,
    write_parquet,
)
from pipelines.publish.raw_copies import ship_raw_files
from pipelines.publish.removals import removals_message
from pipelines.publish.validation import validated_beside
from pipelines.publish.versioning import next_version
from schemas.fields import COG_SOURCE, COG_URL, COG_VINTAGE
from schemas.licences import LICENCES_BY_ID
from schemas.tables import TABLES
from schemas.to_frictionless import to_table_schema

PACKAGE_NAME = "mille-jours"
DP_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
# The package's own licence; each source's is in the `sources` table (schemas/licences.py).
LICENCE = LICENCES_BY_ID["etalab-2.0"].descriptor()
LOCK_NAME = "published.lock"


class PublishError(Exception):
    """The new package is invalid: `published/` was left as it was."""

    def __init__(self, message: str, errors: list[list[Any]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


@dataclass
class Release:
    version: str
    created: str
    changed: bool
    descriptor: dict[str, Any]
    path: Path


# --- descriptor -------------------------------------------------------------------------------

PARQUET_MEDIATYPE = "application/vnd.apache.parquet"


def parquet_name(name: str) -> str:
    return f"{name}_parquet"


def parquet_resource(name: str, title: str, schema: dict[str, Any], out: Path) -> dict[str, Any]:
    """The Parquet twin of a table: a resource of its own whose bytes and hash the validator checks.

    Declared as a file (frictionless reads Parquet without counting its bytes, so a table resource
    could not carry a checked hash); its schema says how it is typed, and the publication checks
    its rows against that schema before any swap (validate_package).
    """
    path = out / "data" / f"{name}.parquet"
    return {
        "name": parquet_name(name),
        "type": "file",
        "path": f"data/{name}.parquet",
        "scheme": "file",
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "title": f"{title} (Parquet)",
        "description": f"Les mêmes lignes que {name}.csv, typées (dates en dates, nombres entiers "
        "avec valeurs manquantes en entiers).",
        "bytes": path.stat().st_size,
        "hash": file_hash(path),
        "schema": {k: v for k, v in schema.items() if k != "foreignKeys"},
    }


def _resources(out: Path) -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = []
    for name, table in TABLES.items():
        csv_path = out / "data" / f"{name}.csv"
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": f"data/{name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": table.title,
                "description": table.description,
                "bytes": csv_path.stat().st_size,
                "hash": file_hash(csv_path),
                "schema": to_table_schema(table),
            }
        )
    # The SCDL exports: resources of their own, so that frictionless checks them against their schemas too.
    for partial in (False, True):
        descriptor = scdl.resource_descriptor(partial)
        export = out / descriptor["path"]
        resources.append({**descriptor, "bytes": export.stat().st_size, "hash": file_hash(export)})
    resources += [
        parquet_resource(r["name"], r["title"], r["schema"], out) for r in list(resources)
    ]
    return resources


def _sources(sources: pd.DataFrame) -> list[dict[str, Any]]:
    seen, out = {COG_URL}, [{"title": f"{COG_SOURCE} ({COG_VINTAGE})", "path": COG_URL}]
    for row in sources.itertuples():
        if not isinstance(row.url, str) or row.url in seen:
            continue
        seen.add(row.url)
        out.append({"title": row.publisher, "path": row.url})
    return out


def descriptor_for(
    out: Path,
    tables: dict[str, pd.DataFrame],
    previous: dict[str, Any] | None,
    documents_changed: bool = False,
) -> dict[str, Any]:
    resources = _resources(out)
    version, changed = next_version(previous, resources, documents_changed)
    sources = tables["sources"]
    dates = sources["retrieved"].dropna()
    # Derived from the inputs, so that an unchanged rebuild is byte-identical.
    created = f"{max(dates)}T00:00:00Z" if len(dates) else "2021-01-01T00:00:00Z"
    if not changed and previous:
        created = previous.get("created", created)
    descriptor = {
        "$schema": DP_PROFILE,
        "id": identity.PACKAGE_ID,
        "name": PACKAGE_NAME,
        "title": "Financements publics des « 1000 premiers jours » de l'enfant, par région et par année",
        "description": scope.description(tables["campaigns"]),
        "version": version,
        "versionId": identity.version_id(version),
        "created": created,
        "homepage": identity.homepage(),
        "keywords": [
            "1000 premiers jours",
            "petite enfance",
            "subvention",
            "ARS",
            "DREETS",
            "Enfance=Égalité",
            "appel à projets",
        ],
        "licenses": [LICENCE],
        "contributors": [{"title": identity.AUTHOR, "roles": ["publisher"]}],
        "sources": _sources(sources),
        "resources": resources,
    }
    if descriptor["homepage"] is None:
        del descriptor["homepage"]
    return descriptor


# --- publication ------------------------------------------------------------------------------


def read_previous(published: Path) -> dict[str, Any] | None:
    path = published / "datapackage.json"
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, OSError):
        return None


def stage_release(
    tables: dict[str, pd.DataFrame],
    published: Path,
    render_docs=None,
    project: Path | None = None,
    documents_changed: bool = False,
) -> tuple[Path, dict[str, Any], list[list[Any]]]:
    """Write the whole release into a fresh staging folder beside `published/`; validate it.

    `project` is the folder the `sources` table's paths start from (raw/…): published/'s parent
    unless told. Returns the folder, its descriptor and what frictionless found wrong in it ([]
    when valid); raises PublishError, the folder removed, when a raw file cannot be shipped.
    """
    staging = published.parent / f"published.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "data").mkdir(parents=True)
    problems = ship_raw_files(tables["sources"], project or published.parent, staging, published)
    if problems:
        shutil.rmtree(staging, ignore_errors=True)
        raise PublishError(
            f"{len(problems)} fichier(s) brut(s) ne peuvent être republiés sous sources/ : "
            + " ; ".join(problems[:5])
            + (" ; …" if len(problems) > 5 else "")
            + ". published/ est inchangé"
        )
    for name, table in TABLES.items():
        write_csv(tables[name], table, staging / "data" / f"{name}.csv")
        write_parquet(
            tables[name],
            staging / "data" / f"{name}.parquet",
            [(f.name, f.type) for f in table.fields],
        )
    export = scdl.build_export(tables)
    scdl.write_export(export, staging / "data")
    previous = read_previous(published)
    descriptor = descriptor_for(staging, tables, previous, documents_changed)
    write_json(staging / "datapackage.json", descriptor)
    write_citable(staging, descriptor, tables["sources"])
    # The package is complete: frictionless reads it while the README and the page are written.
    errors = validated_beside(
        staging,
        lambda: (
            render_docs(staging, descriptor, tables, previous, published, export)
            if render_docs is not None
            else None
        ),
    )
    return staging, descriptor, errors


def publish(
    tables: dict[str, pd.DataFrame],
    published: Path,
    render_docs=None,
    allow_removals: bool = False,
    project: Path | None = None,
    keep: Callable[[Path, dict[str, str]], None] | None = None,
    say: Callable[[str], None] = say_on_stderr,
) -> Release:
    """`keep(folder, checksums)`: given the built and validated release, and its files' SHA-256,
    before it replaces published/ (to keep a copy of it); when it raises, published/ is unchanged."""
    # One publication at a time (the automation and `make publish` may meet): the lock also makes
    # it safe for `recover` to clear every half-built folder it finds. It goes with its holder,
    # never kept by the validation's workers (pipelines/common/locks.py).
    try:
        published.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(published.parent / LOCK_NAME, f"{published.name}/", say):
            return _publish_locked(tables, published, render_docs, allow_removals, project, keep)
    except LockError as exc:
        raise PublishError(str(exc)) from None
    except OSError as exc:
        raise PublishError(
            f"impossible d'écrire la publication dans {published.parent} "
            f"({_OS_FRENCH.get(exc.errno, 'erreur système')}) : published/ est inchangé. "
            "À faire : donner les droits d'écriture sur ce dossier (et sur published/), "
            "ou libérer de la place, puis relancer"
        ) from None


# Keyed by OSError.errno, which is None for an error the system did not number.
_OS_FRENCH: dict[int | None, str] = {
    errno.EACCES: "droits d'écriture manquants",
    errno.EPERM: "opération non permise",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
}


def _sources_in_errors(errors: list[list], tables: dict[str, pd.DataFrame]) -> list[str]:
    """The sources of the rows the validator refused (row 1 of a CSV file is its header)."""
    named = set()
    for resource, row, *_ in errors:
        frame = tables.get(str(resource))
        if frame is None or "source_id" not in frame or not isinstance(row, int):
            continue
        if 2 <= row < len(frame) + 2:
            named.add(str(frame["source_id"].iloc[row - 2]))
    return sorted(named)


def _publish_locked(
    tables: dict[str, pd.DataFrame],
    published: Path,
    render_docs,
    allow_removals: bool,
    project: Path | None,
    keep: Callable[[Path, dict[str, str]], None] | None = None,
) -> Release:
    recover(published)
    message = None if allow_removals else removals_message(tables, published)
    if message:
        raise PublishError(message)
    staging, descriptor, errors = stage_release(tables, published, render_docs, project)
    _refuse_if_invalid(staging, errors, tables)
    before = tree_checksums(published) if published.exists() else None
    after = tree_checksums(staging)
    previous = read_previous(published)
    if (
        before not in (None, after)
        and previous
        and previous.get("version") == descriptor["version"]
    ):
        # Same data, same version, other bytes: the documents changed, which a patch version says.
        shutil.rmtree(staging)
        staging, descriptor, errors = stage_release(
            tables, published, render_docs, project, documents_changed=True
        )
        _refuse_if_invalid(staging, errors, tables)
        after = tree_checksums(staging)
    if keep is not None:
        try:
            keep(staging, after)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    changed = after != before
    if changed:
        swap_in(staging, published)
    else:
        shutil.rmtree(staging)
    return Release(descriptor["version"], descriptor["created"], changed, descriptor, published)


def _refuse_if_invalid(
    staging: Path, errors: list[list[Any]], tables: dict[str, pd.DataFrame]
) -> None:
    """PublishError, the staging folder removed, when frictionless found the built release invalid."""
    if not errors:
        return
    shutil.rmtree(staging, ignore_errors=True)
    named = _sources_in_errors(errors, tables)
    raise PublishError(
        f"le paquet construit est invalide ({len(errors)} erreurs"
        + (f", lignes des sources {', '.join(named[:5])}" if named else "")
        + ") : published/ est inchangé",
        errors,
    )


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    result = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(staging: Path, published: Path) -> None:
    if published.exists() and _exchange(staging, published):
        shutil.rmtree(staging)  # now holds the previous release
        return
    # Fallback: two renames; `recover` restores the previous release if we stop between them.
    previous = published.parent / f"published.prev-{os.getpid()}"
    if published.exists():
        os.rename(published, previous)
    os.rename(staging, published)
    shutil.rmtree(previous, ignore_errors=True)


def recover(published: Path) -> None:
    """After an interrupted publication: bring back the previous release, drop half-built ones."""
    parent = published.parent
    if not published.exists():
        for prev in sorted(parent.glob("published.prev-*")):
            os.rename(prev, published)
            break
    for leftover in list(parent.glob("published.tmp-*")) + list(parent.glob("published.prev-*")):
        shutil.rmtree(leftover, ignore_errors=True)
