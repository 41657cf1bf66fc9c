"""What one source yields once staged (`StagedSource`), and its bookkeeping: the `sources` row and the
campaign the manifest describes.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipelines.common.problems import Problem, SourceError
from pipelines.read.files import is_safe, where
from pipelines.read.layout import SkippedRow
from pipelines.read.manifest import Manifest
from schemas.tables import REJECTED_ROWS


@dataclass
class StagedSource:
    """What one raw source yields: its accepted rows, its rejected rows with reasons, its bilan."""

    source_id: str
    source: dict[str, Any]  # a row of the `sources` table
    campaign: dict[str, Any] | None  # what the manifest says of its campaign
    table: str | None
    rows: pd.DataFrame  # accepted rows, in the columns of `table` (consolidation columns excepted)
    rejects: pd.DataFrame  # rows of the `rejected_rows` table
    skipped: list[SkippedRow] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    error: SourceError | None = None
    partial: bool = False
    # Doubts its manifest settles (`confirmed:`): those found across sources are checked against it.
    confirmed: tuple[str, ...] = ()
    version: str = (
        ""  # what it was read from (file, manifest, reading code): unchanged means no re-read
    )
    # Its stored files, when encoded already where it was read (pipelines.resources.encoded_files).
    encoded: dict[str, bytes] = field(default_factory=dict, repr=False)
    # A list over several campaign years (columns.year): one campaign per year of its accepted lines
    # (pipelines/stage/years.py); None when its rows all go to the manifest's `campaign`.
    campaigns: list[dict[str, Any]] | None = None

    @property
    def status(self) -> str:
        return self.source["status"]

    @property
    def published_campaigns(self) -> list[dict[str, Any]]:
        """The campaigns its rows are published under: those of its years, or the manifest's."""
        if self.campaigns is not None:
            return self.campaigns
        return [self.campaign] if self.campaign else []

    @property
    def declared(self) -> dict[str, Any]:
        """What the manifest announces for the whole file (all its campaigns' lines together)."""
        return {
            k: (self.campaign or {}).get(k) for k in ("declared_awards_count", "declared_total_eur")
        }

    def lines_by_campaign(self) -> dict[str, int]:
        """Accepted lines of the file per campaign they go to (one per year with columns.year)."""
        counts: dict[str, int] = {c["campaign_id"]: 0 for c in self.published_campaigns}
        if self.table == "awards" and len(self.rows):
            lines = self.rows.groupby("campaign_id")["source_row"].nunique()
            counts.update({str(k): int(v) for k, v in lines.items()})
        return counts

    def computed(self) -> dict[str, Any]:
        """What the accepted rows add up to, for reconciliation with the declared figures."""
        if self.table != "awards" or self.rows.empty:
            return {"awards_count": None, "total_eur": None}
        amounts = self.rows["amount_eur"]
        return {
            "awards_count": int(self.rows["source_row"].nunique()),
            "total_eur": float(amounts.sum()) if amounts.notna().any() else None,
        }

    def reconciliation(self) -> list[dict[str, Any]]:
        """Declared against computed, one entry per figure the publisher announced."""
        computed = self.computed()
        out = []
        for key, declared_key in (
            ("awards_count", "declared_awards_count"),
            ("total_eur", "declared_total_eur"),
        ):
            declared = self.declared[declared_key]
            if declared is None or self.table != "awards":
                continue
            value = computed[key]
            out.append(
                {
                    "figure": key,
                    "declared": declared,
                    "computed": value,
                    "matches": value is not None and abs(float(value) - float(declared)) < 0.005,
                }
            )
        return out


def source_id_for(data_or_manifest: Path, raw_root: Path) -> str:
    # The file itself is not resolved: a symlink is named where it sits in raw/, not where it leads.
    return relative(data_or_manifest, raw_root).with_suffix("").as_posix()


def relative(path: Path, folder: Path) -> Path:
    """`path` below `folder`, as it sits there: a linked file or folder is named where it is, not
    where it leads (such a source is refused; it must still be named)."""
    try:
        return where(path).relative_to(folder.resolve())
    except ValueError:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def empty_rejects() -> pd.DataFrame:
    return _empty_rejects().copy()


@functools.cache
def _empty_rejects() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype=f.pandas_dtype) for c, f in ((f.name, f) for f in REJECTED_ROWS.fields)}
    )


def source_record(
    source_id: str, path: Path | None, raw_root: Path, manifest: Manifest | None, fmt: str | None
) -> dict[str, Any]:
    rel = relative(path, raw_root.parent).as_posix() if path else f"raw/{source_id}.yaml"
    m = manifest
    return {
        "source_id": source_id,
        "path": rel,
        "sha256": sha256_of(path)
        if path and is_safe(path, raw_root)
        else None,  # never a link out, a device
        "format": fmt,
        "method": None,  # set once the file is read
        "publisher": m.source.publisher if m else None,
        "url": m.source.url if m else None,
        "retrieved": m.source.retrieved.isoformat() if m else None,
        "licence": m.source.licence if m else None,
        "region_code": m.region_code if m else None,
        "year": m.year if m else None,
        "year_qualifier": m.campaign.year_qualifier if m else None,
        # A list over several campaign years is no one campaign's: its campaigns name it (source_id).
        # A national line (table national_lines) is no campaign: its manifest's is not published.
        "campaign_id": m.campaign.id if m and _has_campaign(m) else None,
        "table": m.table if m else None,
        "status": "ok",
        "rows_read": 0,
        "rows_accepted": 0,
        "rows_rejected": 0,
        "rows_skipped": 0,
        "message": None,
        "note": m.source.note if m else None,
    }


def _has_campaign(m: Manifest) -> bool:
    """A list over several years is no one campaign's (its campaigns name it); a national line none's."""
    return "year" not in m.mapped_columns and m.table != "national_lines"


def campaign_record(m: Manifest, source_id: str) -> dict[str, Any]:
    return {
        "campaign_id": m.campaign.id,
        "scope": m.scope,
        "region_code": m.region_code,
        "year": m.year,
        "year_qualifier": m.campaign.year_qualifier,
        "title": m.campaign.title,
        "kind": m.campaign.kind,
        "envelope_eur": m.campaign.envelope_eur,
        "envelope_qualifier": m.campaign.envelope_qualifier
        if m.campaign.envelope_eur is not None
        else None,
        "declared_awards_count": m.declared.awards_count,
        "declared_awards_qualifier": m.declared.awards_count_qualifier
        if m.declared.awards_count is not None
        else None,
        "declared_total_eur": m.declared.total_amount_eur,
        "declared_total_qualifier": (
            m.declared.total_amount_qualifier if m.declared.total_amount_eur is not None else None
        ),
        "declared_funder": m.declared.funder
        if m.declared.awards_count is not None or m.declared.total_amount_eur is not None
        else None,
        "application_deadline": (
            m.campaign.application_deadline.isoformat() if m.campaign.application_deadline else None
        ),
        # Only a campaigns file gives these (as columns): kept here so that its row fills them.
        "award_cap_eur": None,
        "regional_envelope_min_eur": None,
        "source_id": source_id,
    }


def failed_source(
    source_id: str,
    data_path: Path | None,
    raw_root: Path,
    manifest: Manifest | None,
    fmt: str | None,
    exc: SourceError,
) -> StagedSource:
    row = source_record(source_id, data_path, raw_root, manifest, fmt)
    # Published: the path from the project folder (raw/…), never where this machine keeps it.
    project = str(raw_root.resolve().parent) + "/"
    row.update(
        status=exc.status,
        message=exc.describe().replace(project, "").replace(str(raw_root) + "/", "raw/"),
    )
    return StagedSource(
        source_id,
        row,
        campaign_record(manifest, source_id)
        if manifest and manifest.table != "national_lines"
        else None,
        manifest.table if manifest else None,
        pd.DataFrame(),
        empty_rejects(),
        error=exc,
    )
