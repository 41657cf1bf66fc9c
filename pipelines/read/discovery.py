"""The raw sources present under raw/: what `mille-jours validate`, the sensor and `publish` read.

One rule for all three: a manifest is a source at raw/<région>/<année>/<fichier>.yaml. A manifest
anywhere else under raw/ (a deeper folder, a year folder that is not a year, a folder starting
with « _ » or « . ») is a source refused with where it must go, never one skipped without a word;
so are names of one folder that macOS and Windows would take for the same file.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipelines.read.files import is_safe
from pipelines.read.manifest import data_path_for
from schemas.limits import SOURCE_NAME_MAX

PLACE = "raw/<région>/<année>/<fichier>.yaml"
_YEAR = re.compile(r"\d{4}")
# Deep enough for any misplaced manifest, bounded against a folder linked into itself.
_MAX_DEPTH = 8


@dataclass(frozen=True)
class RawSource:
    key: str  # region/year/name: the partition key and the source_id
    manifest: Path
    data: Path | None
    root: Path | None = None  # raw/: a file whose folder is linked out of it is never read
    # Why the source is refused before being read, and what to do (French), when it is.
    refusal: tuple[str, str] | None = None

    def fingerprint(self) -> str:
        """Changes when the file or its manifest changes."""
        h = hashlib.sha256(self.manifest.read_bytes() if is_safe(self.manifest, self.root) else b"")
        if self.data is not None and is_safe(
            self.data, self.root
        ):  # a symlink out of raw/ is never read
            h.update(self.data.read_bytes())
        return h.hexdigest()


def discover(raw_dir: Path) -> list[RawSource]:
    """Every manifest under raw/, in path order: the well placed ones, and the others refused."""
    manifests = sorted(_manifests(raw_dir))
    same_name = _same_names([m.relative_to(raw_dir) for m in manifests])
    found = []
    for manifest in manifests:
        rel = manifest.relative_to(raw_dir)
        key = rel.with_suffix("").as_posix()
        refusal = misplaced(rel) or same_name.get(rel)
        found.append(RawSource(key, manifest, data_path_for(manifest), raw_dir, refusal))
    return found


def _manifests(raw_dir: Path) -> list[Path]:
    """The .yaml files under raw/, through linked folders too (reading them is refused later, and
    loudly), each real folder visited once."""
    found: list[Path] = []
    seen: set[str] = set()
    for folder, dirs, files in os.walk(raw_dir, followlinks=True):
        depth = len(Path(folder).relative_to(raw_dir).parts)
        real = os.path.realpath(folder)
        if real in seen or depth > _MAX_DEPTH:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        # « ._x.yaml »: what macOS leaves beside a file copied to a foreign disk, not a source.
        found += [Path(folder) / f for f in files if f.endswith(".yaml") and not f.startswith("._")]
    return found


def misplaced(rel: Path) -> tuple[str, str] | None:
    """Why a manifest at raw/`rel` is not where sources are read, and where it must go."""
    where = f"raw/{rel.as_posix()}"
    parts = rel.parts
    fix = (
        f"ranger le fichier et son manifeste à {PLACE} (par exemple raw/normandie/2024/"
        "laureats.yaml), en renommant le fichier au besoin ; un essai se garde hors de raw/"
    )
    if len(parts) != 3:
        return (
            f"manifeste rangé à {where} : seuls les manifestes rangés à {PLACE} sont lus, "
            "ni plus haut ni dans un sous-dossier",
            fix,
        )
    region, year = parts[0], parts[1]
    if region.startswith(("_", ".")):
        return (
            f"manifeste rangé à {where} : un dossier dont le nom commence par « {region[0]} » "
            "n'est pas une région, il n'est pas publié",
            fix,
        )
    if not _YEAR.fullmatch(year):
        return (
            f"manifeste rangé à {where} : le dossier « {year} » n'est pas une année (quatre "
            "chiffres, 2024)",
            fix,
        )
    name = rel.stem
    if len(name) > SOURCE_NAME_MAX:
        return (
            f"manifeste raw/{region}/{year}/{name[:40]}… : nom de fichier de {len(name)} "
            f"caractères, {SOURCE_NAME_MAX} au plus (il devient l'identifiant de la source)",
            "renommer le fichier et son manifeste d'un nom court (par exemple laureats-2024)",
        )
    return None


def folded(name: str) -> str:
    """A name as macOS and Windows compare it: case and Unicode normalization (é or e + ◌́) aside."""
    return unicodedata.normalize("NFC", name).casefold()


def _same_names(rels: list[Path]) -> dict[Path, tuple[str, str]]:
    """Manifests whose paths differ only by case or Unicode normalization: each refused, naming the
    others (on macOS and Windows they are one file, and which one is read depends on the machine)."""
    groups: dict[str, list[Path]] = defaultdict(list)
    for rel in rels:
        groups[folded(rel.with_suffix("").as_posix())].append(rel)
    refused = {}
    for group in (g for g in groups.values() if len(g) > 1):
        for rel in group:
            others = " et ".join(f"« raw/{o.as_posix()} »" for o in group if o != rel)
            refused[rel] = (
                f"« raw/{rel.as_posix()} » et {others} ne diffèrent que par les majuscules ou par "
                "la forme Unicode des accents (é composé, ou e suivi de l'accent) : sous macOS et "
                "Windows c'est un seul fichier, aucun d'eux n'est lu",
                "garder un seul de ces fichiers (et son manifeste), ou renommer les autres d'un nom "
                "vraiment différent",
            )
    return refused
