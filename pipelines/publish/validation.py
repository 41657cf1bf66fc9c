"""The built release checked before it is swapped in: the real frictionless validator on the
package (its descriptor, then every resource, foreign keys included), and each Parquet file
against its schema.

frictionless's `Package.validate` checks the descriptor, then each resource in turn. Here the
descriptor is checked as the package is loaded, and the resources are checked one by one in the
same way, side by side in forked workers, the largest first, while the release's documents are
written: on a national release the validation is the longest step of a publication. Each worker is
in a process group of its own and is killed by the kernel when the publication dies.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pandas as pd

from pipelines.common.lifetime import die_with
from pipelines.publish import scdl
from schemas.tables import TABLES
from schemas.to_pandera import schema_for

WORKERS = min(os.cpu_count() or 1, 4)
ERROR_FIELDS = ["rowNumber", "fieldName", "type", "message"]
# The Arrow type each Table Schema type is written as (pipelines/publish/files.py).
_ARROW_TYPES = {
    "string": ("string", "large_string"),
    "number": ("double",),
    "integer": ("int64",),
    "boolean": ("bool",),
    "date": ("date32[day]",),
}

# The package being validated, in each process that checks it: loaded by `_load`, which checks its
# descriptor (a worker loads it on its own, beside the others and the documents being written).
_package: Any = None
_load_error: str | None = None


def validate_package(folder: Path) -> list[list[Any]]:
    """Every error of the package in `folder` as [resource, row, field, type, message]; [] when valid."""
    return validated_beside(folder, lambda: None)


def validated_beside(
    folder: Path, work: Callable[[], Any], workers: int = WORKERS
) -> list[list[Any]]:
    """`validate_package(folder)` in forked workers while `work()` runs here; in this process, after
    `work()`, where workers cannot be forked."""
    try:
        resources = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))[
            "resources"
        ]
        checks = [("descriptor", "")] + [("frictionless", r["name"]) for r in resources]
        checks += [("parquet", r["name"]) for r in resources if r.get("format") == "parquet"]
        size = {"": 0, **{r["name"]: r.get("bytes") or 0 for r in resources}}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        work()
        return [["datapackage.json", None, None, "package-error", f"{type(exc).__name__} : {exc}"]]
    if sys.platform != "linux" or multiprocessing.current_process().daemon or workers < 2:
        work()
        return _here(folder, checks)
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(os.getpid(), folder),
    ) as pool:
        # The largest resources first, so that no worker is left with a large one at the end.
        futures = {
            check: pool.submit(_check, *check)
            for check in sorted(checks, key=lambda c: -size[c[1]])
        }
        work()
        try:
            return [row for check in checks for row in futures[check].result()]
        except BrokenProcessPool:  # a worker was killed: validate here rather than not at all
            return _here(folder, checks)


def _here(folder: Path, checks: list[tuple[str, str]]) -> list[list[Any]]:
    global _package, _load_error
    _load(folder)
    try:
        return [row for check in checks for row in _check(*check)]
    finally:
        _package, _load_error = None, None


def _start_worker(owner: int, folder: Path) -> None:
    """A worker dies with the publication that forked it (it holds none of its locks: they are
    closed in every forked child, pipelines/common/locks.py)."""
    die_with(owner)
    _load(folder)


def _load(folder: Path) -> None:
    global _package, _load_error
    from frictionless import FrictionlessException, Package, system

    with system.use_context(trusted=True):
        try:
            _package, _load_error = Package(str(folder / "datapackage.json")), None
        except FrictionlessException as exc:
            _package, _load_error = None, str(exc)


def _check(kind: str, name: str) -> list[list[Any]]:
    """One check of the report: the descriptor, a resource through frictionless, a Parquet file."""
    from frictionless import system

    if kind == "descriptor":
        return (
            []
            if _load_error is None
            else [["datapackage.json", None, None, "package-error", _load_error]]
        )
    if _package is None:
        return []  # the descriptor's error says it all
    resource = _package.get_resource(name)
    if kind == "parquet":
        return _parquet_errors(Path(_package.basepath), resource)
    with system.use_context(trusted=True):
        report = resource.validate()
    rows = [[task.name, *err] for task in report.tasks for err in task.flatten(ERROR_FIELDS)]
    if not report.valid and not rows:
        rows = [[name, None, None, "invalid", str(e)] for e in report.errors]
    return rows


def _parquet_errors(folder: Path, resource: Any) -> list[list[Any]]:
    """A Parquet file against its schema: its columns and Arrow types, then its rows.

    A canonical table's rows go through its pandera schema (types, constraints, uniqueness) a
    column at a time: frictionless reads Parquet a row at a time through pandas, which cost more
    than the whole rest of a national publication. An SCDL export is held to its CSV twin.
    """
    import pyarrow.parquet as pq
    from pandera.errors import SchemaErrors

    path = folder / resource.path
    fields = {f.name: f.type for f in resource.schema.fields}
    arrow = pq.read_schema(path)
    if arrow.names != list(fields):
        return [
            [
                resource.name,
                None,
                None,
                "parquet-columns",
                f"colonnes {arrow.names} au lieu de {list(fields)}",
            ]
        ]
    mistyped = [
        [
            resource.name,
            None,
            name,
            "type-error",
            f"type {arrow.field(name).type} pour un champ {kind}",
        ]
        for name, kind in fields.items()
        if str(arrow.field(name).type) not in _ARROW_TYPES.get(kind, ())
    ]
    if mistyped:
        return mistyped  # its rows cannot be read as the schema says
    table = resource.name.removesuffix("_parquet")
    if table not in TABLES:
        return _twin_errors(
            resource.name,
            pq.read_table(path).to_pandas(),
            folder / resource.path.replace(".parquet", ".csv"),
        )
    try:
        schema_for(table).validate(pq.read_table(path).to_pandas(), lazy=True)
    except SchemaErrors as exc:
        return [
            [
                resource.name,
                None if pd.isna(c.index) else int(c.index) + 2,
                c.column,
                "constraint-error",
                str(c.check),
            ]
            for c in exc.failure_cases.itertuples(index=False)
        ]
    return []


def _twin_errors(name: str, frame: pd.DataFrame, csv_path: Path) -> list[list[Any]]:
    """An SCDL export's Parquet file holds the rows of its CSV twin, which frictionless validates
    too: written back as CSV cells, each of its cells must be the CSV's."""
    written = scdl.csv_frame(frame)
    csv = pd.read_csv(csv_path, dtype="str", keep_default_na=False)
    if list(csv.columns) != list(written.columns) or len(csv) != len(written):
        return [
            [
                name,
                None,
                None,
                "parquet-rows",
                f"{len(written)} lignes au lieu des {len(csv)} du CSV",
            ]
        ]
    differ = (written.to_numpy() != csv.to_numpy()).nonzero()
    return [
        [
            name,
            int(row) + 2,
            csv.columns[col],
            "parquet-rows",
            f"« {written.iat[row, col]} » au lieu de « {csv.iat[row, col]} » (CSV)",
        ]
        for row, col in zip(*differ)
    ][:100]
