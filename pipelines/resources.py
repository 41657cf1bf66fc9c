"""Resources: where the project's folders are, and how assets are stored between runs."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from pipelines.common.problems import Problem, SourceError
from pipelines.read.layout import SkippedRow
from pipelines.stage.staged import StagedSource


def project_root() -> Path:
    """The folder holding raw/ and published/: MILLE_JOURS_ROOT, else the current folder."""
    return Path(os.environ.get("MILLE_JOURS_ROOT") or Path.cwd()).resolve()


def storage_root() -> Path:
    """Intermediate Parquet between runs: beside the Dagster instance (.dagster/storage)."""
    home = os.environ.get("DAGSTER_HOME")
    return (Path(home) if home else project_root() / ".dagster") / "storage"


class ProjectPaths(dg.ConfigurableResource):
    """The contributed raw files and the published package."""

    root: str = ""

    @property
    def base(self) -> Path:
        return Path(self.root).resolve() if self.root else project_root()

    @property
    def raw_dir(self) -> Path:
        return self.base / "raw"

    @property
    def published_dir(self) -> Path:
        return self.base / "published"


def _frame_to_parquet(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)


class TableIOManager(dg.ConfigurableIOManager):
    """Canonical tables as Parquet files, one per asset, typed as their pandera schema made them."""

    base_dir: str = ""

    def _path(self, context: dg.OutputContext | dg.InputContext) -> Path:
        base = Path(self.base_dir) if self.base_dir else storage_root()
        return base.joinpath(*context.asset_key.path).with_suffix(".parquet")

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame) -> None:
        _frame_to_parquet(obj, self._path(context))

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        return pd.read_parquet(self._path(context))


STAGED_ASSET = "staged_source"


def forget_staged(partition_key: str, base_dir: str = "") -> None:
    """Drop the stored reading of one source (its run failed: the old reading is no longer true)."""
    base = Path(base_dir) if base_dir else storage_root()
    shutil.rmtree(base.joinpath(STAGED_ASSET, *partition_key.split("/")), ignore_errors=True)


class StagedSourceIOManager(dg.ConfigurableIOManager):
    """A staged source as a folder: accepted rows and rejected rows as Parquet, the rest as JSON.

    Loading every partition for the consolidation skips sources not staged yet, so one source
    registered but never materialized does not stop the others.
    """

    base_dir: str = ""

    def _folder(self, context: dg.OutputContext | dg.InputContext, partition_key: str) -> Path:
        base = Path(self.base_dir) if self.base_dir else storage_root()
        return base.joinpath(*context.asset_key.path, *partition_key.split("/"))

    def handle_output(self, context: dg.OutputContext, obj: StagedSource) -> None:
        folder = self._folder(context, context.partition_key)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        _frame_to_parquet(obj.rows, folder / "rows.parquet")
        _frame_to_parquet(obj.rejects, folder / "rejects.parquet")
        meta = {
            "source_id": obj.source_id, "source": obj.source, "campaign": obj.campaign, "table": obj.table,
            "partial": obj.partial,
            "skipped": [dataclasses.asdict(s) for s in obj.skipped],
            "warnings": [w.to_dict() for w in obj.warnings],
            "error": None if obj.error is None else {"path": obj.error.path, "message": obj.error.message,
                                                     "place": obj.error.place, "fix": obj.error.fix,
                                                     "status": obj.error.status},
        }
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, default=str), encoding="utf-8")

    def _load(self, folder: Path) -> StagedSource:
        meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        error = meta["error"]
        return StagedSource(
            source_id=meta["source_id"], source=meta["source"], campaign=meta["campaign"], table=meta["table"],
            rows=pd.read_parquet(folder / "rows.parquet"), rejects=pd.read_parquet(folder / "rejects.parquet"),
            skipped=[SkippedRow(**s) for s in meta["skipped"]],
            warnings=[Problem(**w) for w in meta["warnings"]], partial=meta.get("partial", False),
            error=None if error is None else SourceError(error["path"], error["message"], place=error["place"],
                                                         fix=error["fix"], status=error["status"]),
        )

    def load_input(self, context: dg.InputContext) -> dict[str, StagedSource]:
        loaded: dict[str, StagedSource] = {}
        for key in sorted(context.asset_partition_keys if context.has_asset_partitions else []):
            folder = self._folder(context, key)
            if (folder / "meta.json").exists():
                loaded[key] = self._load(folder)
            else:
                context.log.warning(f"source {key} pas encore lue : elle sera publiée à son prochain passage")
        return loaded
