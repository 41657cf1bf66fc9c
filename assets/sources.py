"""Per-source ingestion: one partition per raw file and its manifest."""

import contextlib
import time
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationTargetMaterializationData,
)
from dagster._core.events import DagsterEventType

from assets.partitions import READING_CODE_VERSION, raw_sources, source_version
from pipelines.common.problems import SourceError
from pipelines.read.discovery import discover
from pipelines.resources import ProjectPaths, encoded_files
from pipelines.stage.quality import BLOCKING_CODES, PERSONAL_CODES, TODO, TODO_CODE
from pipelines.stage.source import stage_sources
from pipelines.stage.staged import StagedSource

SAMPLE_ROWS = 20
RECONCILIATION = ["figure", "declared", "computed", "matches"]

# Per-partition checks and single-run backfills are what this asset needs; Dagster still labels
# them preview and beta, which is said once here rather than at every command.
warnings.filterwarnings("ignore", message="Specifying a partitions_def on an AssetCheckSpec")
warnings.filterwarnings("ignore", message="Parameter `backfill_policy` of function `asset`")

ROWS_VALID = "rows_valid"
SOURCE_READABLE = "source_readable"
DECLARED_FIGURES = "declared_figures_match"
QUALITY_WARNINGS = "quality_warnings"
STAGED_ASSET = "staged_source"


def _cell(value) -> str:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""  # blank cells stay blank: never « nan », « <NA> » or « None »
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def markdown(frame: pd.DataFrame, limit: int = SAMPLE_ROWS) -> dg.MetadataValue:
    """A sample of rows as a Markdown table. Written here, not by tabulate: its column widths and
    number parsing cost more than reading a small source, and the UI aligns the columns anyway."""
    if frame.empty:  # most sources reject nothing: no frame work to say so
        return markdown_rows([], [])
    head = frame.head(limit)
    return markdown_rows(list(head.columns), head.to_numpy(dtype=object).tolist(), limit)


def markdown_rows(columns: list[str], rows: Iterable[Sequence[Any]], limit: int = SAMPLE_ROWS) -> dg.MetadataValue:
    """`markdown` of plain rows: a source's skipped lines and warnings need no frame to be shown."""
    lines = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in islice(rows, limit)]
    if not lines:
        return dg.MetadataValue.md("_(aucune)_")
    return dg.MetadataValue.md("\n".join(["| " + " | ".join(_cell(c) for c in columns) + " |",
                                          "|" + " --- |" * len(columns), *lines]))


def source_metadata(staged: StagedSource) -> dict[str, dg.MetadataValue | int | str]:
    s = staged.source
    skipped = ((x.row, x.place, x.kind, x.reason, x.text) for x in staged.skipped)
    return {
        "dagster/row_count": dg.MetadataValue.int(len(staged.rows)),
        "status": dg.MetadataValue.text(s["status"]),
        "table": dg.MetadataValue.text(str(staged.table)),
        "path": dg.MetadataValue.path(s["path"]),
        "url": dg.MetadataValue.url(s["url"]) if s.get("url") else dg.MetadataValue.text("—"),
        "sha256": dg.MetadataValue.text(str(s["sha256"])),
        "rows_read": dg.MetadataValue.int(s["rows_read"]),
        "rows_accepted": dg.MetadataValue.int(s["rows_accepted"]),
        "rows_rejected": dg.MetadataValue.int(s["rows_rejected"]),
        "rows_skipped": dg.MetadataValue.int(s["rows_skipped"]),
        "skipped_rows": markdown_rows(["row", "place", "kind", "reason", "text"], skipped),
        "preview": markdown(staged.rows),
    }


def source_checks(staged: StagedSource) -> list[dict[str, Any]]:
    """The four checks of one source: what `evaluation` makes a result of its partition."""
    s = staged.source

    def result(name: str, passed: bool, severity: dg.AssetCheckSeverity, metadata: dict,
               description: str | None = None) -> dict[str, Any]:
        return {"check_name": name, "passed": passed, "severity": severity, "metadata": metadata,
                "description": description}

    readable = result(SOURCE_READABLE, staged.error is None, dg.AssetCheckSeverity.ERROR,
                      {"message": dg.MetadataValue.text(s["message"] or "lisible")})
    rejects = staged.rejects
    valid = result(ROWS_VALID, staged.error is None and s["rows_rejected"] == 0, dg.AssetCheckSeverity.ERROR, {
        "num_rows": dg.MetadataValue.int(len(staged.rows)),
        "num_failures": dg.MetadataValue.int(int(s["rows_rejected"])),
        "rows_read = accepted + rejected + skipped": dg.MetadataValue.text(
            f"{s['rows_read']} = {s['rows_accepted']} + {s['rows_rejected']} + {s['rows_skipped']}"),
        "failure_sample": markdown(rejects.drop(columns=["source_id"], errors="ignore") if len(rejects) else rejects),
    })
    entries = staged.reconciliation()
    declared = result(
        DECLARED_FIGURES, all(e["matches"] for e in entries), dg.AssetCheckSeverity.WARN, {
            "reconciliation": markdown_rows(RECONCILIATION, [[e[c] for c in RECONCILIATION] for e in entries]),
            **{f"{e['figure']} declared": dg.MetadataValue.float(float(e["declared"])) for e in entries},
            **{f"{e['figure']} computed": dg.MetadataValue.float(float(e["computed"]))
               for e in entries if e["computed"] is not None},
        }, "Chiffres annoncés par l'éditeur (declared) comparés à la somme des lignes lues.")
    warnings = staged.warnings
    blocking = [w for w in warnings if w.code in BLOCKING_CODES]
    quality = result(
        QUALITY_WARNINGS, not warnings,
        # Personal data and unfinished manifests must be fixed; the other warnings are to be read.
        dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN, {
            "num_warnings": dg.MetadataValue.int(len(warnings)),
            "num_blocking": dg.MetadataValue.int(len(blocking)),
            "by_code": dg.MetadataValue.json(dict(sorted(Counter(str(w.code) for w in warnings).items()))),
            "warning_sample": markdown_rows(
                ["code", "place", "row", "column", "value", "message", "fix"],
                ((w.code, w.place, w.row, w.column, w.value, w.message, w.fix)
                 for w in sorted(warnings, key=lambda w: w.code not in BLOCKING_CODES))),
        }, "Avertissements de qualité (montant nul, doublon, données personnelles…) : "
           "mille-jours validate les détaille.")
    return [readable, valid, declared, quality]


def hold_back(staged: StagedSource, manifest: Path) -> StagedSource:
    """What `mille-jours validate` blocks is not published: a manifest still holding `new-source`
    placeholders (refused like a bad manifest), a file holding personal data (refused whole: raw/ is
    public and its rows must not reach published/). `validate` still shows the whole report."""
    if staged.error is not None:
        return staged
    keys = [w.place.removeprefix("manifeste, clé ") for w in staged.warnings if w.code == TODO_CODE and w.place]
    personal = [w for w in staged.warnings if w.code in PERSONAL_CODES]
    if keys:
        staged.error = SourceError(manifest, f"manifeste pas encore complété ({', '.join(keys)})",
                                   place=f"clé {keys[0]}", status="bad_manifest",
                                   fix=f"remplacer chaque « {TODO} » puis vérifier avec `mille-jours validate`")
    elif personal:
        where = sorted({f"colonne « {w.column} »" if w.column else (w.place or f"ligne {w.row}") for w in personal})
        staged.error = SourceError(staged.source["path"], "données personnelles dans le fichier "
                                   f"({', '.join(where[:3])}{', …' if len(where) > 3 else ''}) : source non publiée",
                                   place=personal[0].place or (f"ligne {personal[0].row}" if personal[0].row else None),
                                   status="refused",
                                   fix="retirer ces données du fichier (raw/ est public), puis vérifier avec "
                                       "`mille-jours validate`")
    else:
        return staged
    staged.source.update(status=staged.error.status, message=staged.error.describe(),
                         **{k: None for k in ("publisher", "url") if TODO in str(staged.source.get(k))})
    return staged


@dataclass
class Reading:
    """One source as its partition records it: the reading, its metadata, its checks' results."""

    staged: StagedSource
    metadata: dict[str, dg.MetadataValue]
    checks: list[dict[str, Any]]


def evaluation(outcome: dict[str, Any], partition_key: str,
               target: AssetCheckEvaluationTargetMaterializationData | None) -> dg.AssetCheckEvaluation:
    """A check's result for one source's partition, pointing at the reading it checked.

    An evaluation (not an AssetCheckResult) because one run reads many sources: each result names
    its own partition, so a broken source keeps its failed checks when another one re-runs.
    """
    return dg.AssetCheckEvaluation(asset_key=dg.AssetKey(STAGED_ASSET), partition=partition_key, blocking=False,
                                   target_materialization_data=target, **outcome)


def record_metadata(context: dg.AssetExecutionContext, partition_key: str, metadata: dict[str, Any]) -> None:
    """`context.add_asset_metadata(metadata, partition_key=…)` for a key of the run's own partitions.

    Dagster's method checks the key by reading every registered partition from the instance, at
    each call: a batch of n sources cost n² reads. The keys here come from `context.partition_keys`.
    """
    step = context.op_execution_context._step_execution_context
    step._metadata_accumulator = step._metadata_accumulator.with_additional_asset_metadata(
        asset_key=context.assets_def.key, partition_key=partition_key, metadata=metadata)


def stored_together(instance: dg.DagsterInstance) -> contextlib.AbstractContextManager:
    """The instance's one transaction for the events stored meanwhile, when its event log has one."""
    storage = instance.event_log_storage
    return storage.stored_together() if hasattr(storage, "stored_together") else contextlib.nullcontext()


def described(staged: StagedSource, manifest: Path) -> Reading:
    """Run in the reading worker, beside the reading itself (see `stage_sources`)."""
    staged = hold_back(staged, manifest)
    staged.encoded = encoded_files(staged)
    return Reading(staged, source_metadata(staged), source_checks(staged))


@dg.asset(
    partitions_def=raw_sources,
    io_manager_key="staged_io_manager",
    group_name="ingest",
    kinds={"pandas", "pandera"},
    # Dagster records it with each reading: a change of the reading code shows the sources as stale.
    code_version=READING_CODE_VERSION,
    # Many sources, one run: a backfill or a batch of new sources reads them all in a single run.
    backfill_policy=dg.BackfillPolicy.single_run(),
    check_specs=[
        dg.AssetCheckSpec(SOURCE_READABLE, asset=STAGED_ASSET, partitions_def=raw_sources,
                          description="Le fichier et son manifeste se lisent."),
        dg.AssetCheckSpec(ROWS_VALID, asset=STAGED_ASSET, partitions_def=raw_sources,
                          description="Chaque ligne passe le schéma pandera ; les rejets sont gardés avec leur raison."),
        dg.AssetCheckSpec(DECLARED_FIGURES, asset=STAGED_ASSET, partitions_def=raw_sources,
                          description="Les chiffres annoncés (declared) correspondent aux lignes."),
        dg.AssetCheckSpec(QUALITY_WARNINGS, asset=STAGED_ASSET, partitions_def=raw_sources,
                          description="Pas de données personnelles ni d'avertissement de qualité."),
    ],
)
def staged_source(context: dg.AssetExecutionContext, paths: ProjectPaths):
    """Raw sources read as their manifests say, normalized and validated; bad rows kept with their reasons.

    One partition per source; a run reads every partition it was given (one, or a whole batch).
    """
    found = {s.key: s for s in discover(paths.raw_dir)}
    keys = list(context.partition_keys)
    # Not `with_suffix`: the stem of `laureats.v2.yaml` is `laureats.v2`, and its key ends so.
    manifests = [paths.raw_dir.joinpath(*key.split("/")) for key in keys]
    manifests = [m.with_name(m.name + ".yaml") for m in manifests]
    # Fingerprinted before reading: a file changed meanwhile is read again next time.
    versions = [source_version(found[key]) if key in found else "" for key in keys]
    batch: dict[str, StagedSource] = {}
    checks: dict[str, list[dict[str, Any]]] = {}
    # Read side by side in workers, each summarized there too; recorded here as each comes back.
    for key, version, reading in zip(keys, versions, stage_sources(manifests, paths.raw_dir, then=described)):
        reading.staged.version = version
        if reading.staged.error is not None:
            context.log.error(reading.staged.error.describe())
        # File, manifest and reading code: a source is read again only when its version changes.
        record_metadata(context, key, {**reading.metadata, "version": dg.MetadataValue.text(version or "—")})
        batch[key], checks[key] = reading.staged, reading.checks
    yield dg.Output(batch, metadata={"sources": dg.MetadataValue.int(len(batch))})
    # Each check result points at the reading it checked (the UI then shows it as current).
    stored = context.instance.get_latest_storage_id_by_partition(
        dg.AssetKey(STAGED_ASSET), DagsterEventType.ASSET_MATERIALIZATION, set(batch))
    now = time.time()
    with stored_together(context.instance):
        for key, outcomes in checks.items():
            target = (AssetCheckEvaluationTargetMaterializationData(storage_id=stored[key], run_id=context.run_id,
                                                                    timestamp=now) if key in stored else None)
            for outcome in outcomes:
                yield evaluation(outcome, key, target)
    # The evaluations above carry the results; the checks' own outputs still have to be emitted.
    for spec in context.assets_def.check_specs:
        yield dg.Output(None, output_name=spec.get_python_identifier())
