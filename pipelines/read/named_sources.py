"""The sources a command line names: a manifest, a data file, a folder of them, found under raw/
as `publish` finds them, and raw/ itself as the path names it (`mille-jours validate`, `new-source`)."""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.read.discovery import RawSource, discover
from pipelines.read.manifest import EXTENSIONS, data_path_for


def sources_named(paths: tuple[Path, ...]) -> list[RawSource]:
    """The sources to check, found under raw/ as `publish` finds them (`discover`, which refuses a
    misplaced manifest): those named, those in the folders, and the manifests data files lack."""
    found: list[RawSource] = []
    for path in paths:
        root = raw_folder_of(path)
        listed = {os.path.abspath(s.manifest): s for s in discover(root)} if root else {}
        if path.is_dir():
            within = os.path.abspath(path)
            found += [s for name, s in listed.items() if Path(name).is_relative_to(within)]
        found += [listed.get(os.path.abspath(m)) or _unlisted(m) for m in manifests_named(path)]
    return list({os.path.abspath(s.manifest): s for s in found}.values())


def manifests_named(path: Path) -> list[Path]:
    """Manifests named by a path: itself, those in a folder, and the ones its data files lack."""
    if not path.is_dir():
        return [path if path.suffix in (".yaml", ".yml") else path.with_suffix(".yaml")]
    # A data file without its manifest is reported, not silently ignored.
    return sorted(path.rglob("*.yaml")) + sorted(
        p.with_suffix(".yaml")
        for p in path.rglob("*")
        if p.is_file()
        and p.suffix.lower().lstrip(".") in EXTENSIONS
        and not p.with_suffix(".yaml").exists()
    )


def _unlisted(manifest: Path) -> RawSource:
    """A manifest discovery does not list (missing, .yml, outside raw/): read, to say what is wrong."""
    return RawSource(manifest.with_suffix("").name, manifest, data_path_for(manifest))


def raw_folder_of(path: Path) -> Path | None:
    """raw/ as the path names it (a relative path stays relative: the report quotes it so)."""
    for folder in (path, *path.parents, *Path(os.path.abspath(path)).parents):
        if folder.name == "raw":
            return folder
    return None


def raw_root_of(manifest: Path) -> Path:
    """raw/ when the file sits at raw/<region>/<year>/, else the folder three levels up."""
    for parent in Path(
        os.path.abspath(manifest)
    ).parents:  # as written: a linked folder stays under raw/
        if parent.name == "raw":
            return parent
    resolved = manifest.resolve()
    for parent in resolved.parents:
        if parent.name == "raw":
            return parent
    return resolved.parents[2] if len(resolved.parents) > 2 else resolved.parent
