"""How readings and tables are stored between runs.

Intermediate data (staged sources, canonical tables) lives under a root that is a UPath: a local
folder by default (beside the Dagster instance), any fsspec URL (`s3://…`, `gs://…`) when
MILLE_JOURS_STORAGE is set, so runs started on other hosts see the same staged sources. Every write
goes to a new place first and is swapped in by one small write: a reader sees the old reading or
the new one, never a half-written or missing one.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from upath import UPath

from pipelines.common.problems import Problem, SourceError
from pipelines.read.layout import SkippedRow
from pipelines.stage.staged import StagedSource, empty_rejects


def project_root() -> Path:
    """The folder holding raw/ and published/: MILLE_JOURS_ROOT, else the current folder."""
    return Path(os.environ.get("MILLE_JOURS_ROOT") or Path.cwd()).resolve()


def storage_root(base_dir: str = "") -> UPath:
    """Intermediate data between runs: base_dir, else MILLE_JOURS_STORAGE, else .dagster/storage."""
    configured = base_dir or os.environ.get("MILLE_JOURS_STORAGE")
    if configured:
        return UPath(configured)
    home = os.environ.get("DAGSTER_HOME")
    return UPath((Path(home) if home else project_root() / ".dagster") / "storage")


def is_local(path: UPath) -> bool:
    return path.protocol in ("", "file", "local")


def swap_in(tmp: UPath, target: UPath) -> None:
    """Replace target by tmp in one step (rename on a local disk; an object store's put is atomic)."""
    if is_local(tmp):
        os.replace(tmp.path, target.path)
    else:
        target.write_bytes(tmp.read_bytes())
        tmp.unlink()


def write_parquet(frame: pd.DataFrame, path: UPath) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        frame.to_parquet(f, index=False)


def _parquet_table(path: UPath) -> pa.Table:
    # The file read whole by pyarrow: pandas' reader goes through Arrow datasets, about half again
    # as long for small files (same frame, same dtypes).
    with path.open("rb") as f:
        return pq.ParquetFile(f).read()


def read_parquet(path: UPath) -> pd.DataFrame:
    return _parquet_table(path).to_pandas()


STAGED_ASSET = "staged_source"
# Sources written side by side on an object store: their files are small, and the waits on the
# network overlap; more threads than this only contend for the interpreter. Reading them back is
# mostly pandas building frames, which threads do not share.
IO_THREADS = 2
POINTER = "CURRENT"
# The last reading that could be published (status ok or rejected_rows): kept when a later version
# of the source is refused, so that a source of the previous release is held back, not dropped.
LAST_GOOD = "LAST_GOOD"
GOOD_STATUSES = ("ok", "rejected_rows")
LOAD_ATTEMPTS = 5
# A replaced reading stays this long, so a consolidation that is loading it finishes.
REPLACED_GRACE_SECONDS = 120


def _source_dir(base: UPath, partition_key: str) -> UPath:
    return base.joinpath(STAGED_ASSET, *partition_key.split("/"))


def _pointer(folder: UPath, name: str = POINTER) -> dict[str, str] | None:
    try:
        return json.loads((folder / name).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def stored_versions(keys: list[str], base_dir: str = "") -> dict[str, str | None]:
    """For each source, the version (file + manifest + reading code) of its stored reading, if any."""
    base = storage_root(base_dir)
    return {key: (_pointer(_source_dir(base, key)) or {}).get("version") for key in keys}


def _remove(path: UPath) -> None:
    path.rmtree() if hasattr(path, "rmtree") else path.fs.rm(path.path, recursive=True)


def forget_staged(partition_key: str, base_dir: str = "") -> None:
    """Drop the current reading of one source (its run failed: the old reading is no longer true);
    its last good reading stays, to be held back, never passed as current."""
    folder = _source_dir(storage_root(base_dir), partition_key)
    pointer = folder / POINTER
    if pointer.exists():
        pointer.unlink()
    if not folder.exists():
        return
    kept = (_pointer(folder, LAST_GOOD) or {}).get("folder")
    for child in folder.iterdir():
        if child.name not in (kept, LAST_GOOD):
            _remove(child) if child.is_dir() else child.unlink()
    if kept is None:
        _remove(folder)


def read_last_good(partition_key: str, base_dir: str = "") -> StagedSource | None:
    """The last reading of a source that could be published, or None when none is stored."""
    folder = _source_dir(storage_root(base_dir), partition_key)
    pointer = _pointer(folder, LAST_GOOD)
    if pointer is None:
        return None
    try:
        staged = _load(folder / pointer["folder"])
    except (FileNotFoundError, OSError, ValueError):
        return None
    staged.rows = staged.rows.to_pandas()
    return staged


def encoded_files(staged: StagedSource) -> dict[str, bytes]:
    """A reading's rows as `write_staged` stores them. Encoded in the reading worker, beside the
    reading: the run's process, which stores every source of a batch, then only writes them."""
    files = {"rows.arrow": _arrow_bytes(staged.rows)}
    if len(staged.rejects):  # most sources reject nothing: no file to write, nor to read back
        files["rejects.arrow"] = _arrow_bytes(staged.rejects)
    return files


def _arrow_bytes(frame: pd.DataFrame) -> bytes:
    """An Arrow IPC file, pandas' dtypes in its schema. Not Parquet: these files are written and read
    back whole, by this code only, and Parquet's encoding costs far more either way."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _stored_table(folder: UPath, name: str) -> pa.Table:
    """`name`'s rows in a stored reading: an Arrow IPC file, or Parquet (readings stored before)."""
    try:
        return pa.ipc.open_file(pa.py_buffer((folder / f"{name}.arrow").read_bytes())).read_all()
    except FileNotFoundError:
        return _parquet_table(folder / f"{name}.parquet")


def write_staged(base: UPath, partition_key: str, staged: StagedSource) -> None:
    """One source's reading in a new folder, then the pointer swapped to it; the replaced one removed.

    Two writers of one source each write their own folder: the last swap wins, both are complete.
    """
    folder = _source_dir(base, partition_key)
    name = uuid.uuid4().hex
    target = folder / name
    target.mkdir(parents=True, exist_ok=True)
    for file, data in (staged.encoded or encoded_files(staged)).items():
        (target / file).write_bytes(data)
    meta = {
        "source_id": staged.source_id,
        "source": staged.source,
        "campaign": staged.campaign,
        "campaigns": staged.campaigns,
        "table": staged.table,
        "partial": staged.partial,
        "confirmed": list(staged.confirmed),
        "version": staged.version,
        "skipped": [dataclasses.asdict(s) for s in staged.skipped],
        "warnings": [w.to_dict() for w in staged.warnings],
        "error": None
        if staged.error is None
        else {
            "path": staged.error.path,
            "message": staged.error.message,
            "place": staged.error.place,
            "fix": staged.error.fix,
            "status": staged.error.status,
        },
    }
    (target / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, default=str), encoding="utf-8"
    )
    good = staged.source.get("status") in GOOD_STATUSES
    pointers = [POINTER] + ([LAST_GOOD] if good else [])
    for pointer in pointers:
        tmp = folder / f".{pointer}.{name}"
        tmp.write_text(json.dumps({"folder": name, "version": staged.version}), encoding="utf-8")
        swap_in(tmp, folder / pointer)
    _remove_replaced(folder)


def _remove_replaced(folder: UPath) -> None:
    """Readings no longer current go once nobody can still be loading them (nor writing them)."""
    current = (_pointer(folder) or {}).get("folder")
    good = (_pointer(folder, LAST_GOOD) or {}).get("folder")
    now = time.time()
    for child in folder.iterdir():
        if child.name in (current, good, POINTER, LAST_GOOD) or child.name.startswith("."):
            continue
        try:
            if now - (child / "meta.json").stat().st_mtime > REPLACED_GRACE_SECONDS:
                _remove(child)
        except FileNotFoundError:  # being written (no meta.json yet), or removed by another writer
            continue


def read_staged(base: UPath, partition_key: str) -> StagedSource | None:
    """The current reading of one source, or None when it was never read (or was forgotten)."""
    return read_staged_many(base, [partition_key])[partition_key]


def read_staged_many(base: UPath, keys: list[str]) -> dict[str, StagedSource | None]:
    """`read_staged` of each source. Their rows become pandas frames together, one conversion per
    kind of table: converting each small file on its own cost more than reading it."""
    read = {key: _read_current(base, key) for key in keys}
    tables = [(key, staged.rows) for key, staged in read.items() if staged is not None]
    for key, frame in zip([k for k, _ in tables], _to_pandas([t for _, t in tables])):
        read[key].rows = frame
    return read


def _read_current(base: UPath, partition_key: str) -> StagedSource | None:
    """The current reading, its rows still an Arrow table."""
    folder = _source_dir(base, partition_key)
    for attempt in range(LOAD_ATTEMPTS):
        pointer = _pointer(folder)
        if pointer is None:
            return None
        try:
            return _load(folder / pointer["folder"])
        except (FileNotFoundError, OSError, ValueError):
            if attempt == LOAD_ATTEMPTS - 1:
                raise
            # Swapped and removed by a writer while being read: read the new current one.
    return None


def _to_pandas(tables: list[pa.Table]) -> list[pd.DataFrame]:
    """Each table as `to_pandas` makes it: those of one schema (pandas' metadata included)
    converted as one, then cut back into their own frames."""
    frames: list[pd.DataFrame | None] = [None] * len(tables)
    kinds: dict[bytes, list[int]] = {}
    for i, table in enumerate(tables):
        kinds.setdefault(table.schema.serialize().to_pybytes(), []).append(i)
    for members in kinds.values():
        if len(members) == 1:
            frames[members[0]] = tables[members[0]].to_pandas()
            continue
        whole = pa.concat_tables([tables[i] for i in members]).to_pandas()
        start = 0
        for i in members:
            frames[i] = whole.iloc[start : start + tables[i].num_rows].reset_index(drop=True)
            start += tables[i].num_rows
    return frames


def _load(folder: UPath) -> StagedSource:
    meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    error = meta["error"]
    return StagedSource(
        source_id=meta["source_id"],
        source=meta["source"],
        campaign=meta["campaign"],
        campaigns=meta.get("campaigns"),
        table=meta["table"],
        rows=_stored_table(folder, "rows"),
        rejects=_rejects(folder),
        skipped=[SkippedRow(**s) for s in meta["skipped"]],
        warnings=[Problem(**w) for w in meta["warnings"]],
        partial=meta.get("partial", False),
        confirmed=tuple(meta.get("confirmed", ())),
        version=meta.get("version", ""),
        error=None
        if error is None
        else SourceError(
            error["path"],
            error["message"],
            place=error["place"],
            fix=error["fix"],
            status=error["status"],
        ),
    )


def _rejects(folder: UPath) -> pd.DataFrame:
    try:
        return _stored_table(folder, "rejects").to_pandas()
    except FileNotFoundError:  # nothing rejected
        return empty_rejects()
