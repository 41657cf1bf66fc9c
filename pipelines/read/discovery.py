"""The raw sources present under raw/: what the sensor watches and the publish command runs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipelines.read.files import is_safe
from pipelines.read.manifest import data_path_for


@dataclass(frozen=True)
class RawSource:
    key: str  # region/year/name: the partition key and the source_id
    manifest: Path
    data: Path | None
    root: Path | None = None  # raw/: a file whose folder is linked out of it is never read

    def fingerprint(self) -> str:
        """Changes when the file or its manifest changes."""
        h = hashlib.sha256(self.manifest.read_bytes() if is_safe(self.manifest, self.root) else b"")
        if self.data is not None and is_safe(
            self.data, self.root
        ):  # a symlink out of raw/ is never read
            h.update(self.data.read_bytes())
        return h.hexdigest()


def discover(raw_dir: Path) -> list[RawSource]:
    """Every manifest at raw/<region>/<year>/<name>.yaml (other YAML files are not sources)."""
    found = []
    for manifest in sorted(raw_dir.glob("*/*/*.yaml")):
        region, year = manifest.parent.parent.name, manifest.parent.name
        if region.startswith((".", "_")) or not year.isdigit():
            continue
        key = f"{region}/{year}/{manifest.stem}"
        found.append(RawSource(key, manifest, data_path_for(manifest), raw_dir))
    return found
