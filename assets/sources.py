"""Per-source ingestion: one partition per raw file and its manifest."""

import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

import dagster as dg
import pandas as pd

from assets.observation import RAW_FILE
from assets.partitions import READING_CODE_VERSION, raw_sources, source_version
from assets.recovery import note_run_process
from assets.resources import ProjectPaths
from assets.storage import encoded_files
from assets.workers import read_sources
from pipelines.read.discovery import discover
from pipelines.stage.publishable import hold_back
from pipelines.stage.quality import BLOCKING_CODES
from pipelines.stage.source import refused_source
from pipelines.stage.staged import StagedSource

SAMPLE_ROWS = 20
RECONCILIATION = ["figure", "declared", "computed", "matches"]

# Per-partition checks and single-run backfills are what this asset needs; Dagster still labels
# them preview and beta, which is said once here rather than at every command.
warnings.filterwarnings("ignore", message="Specifying a partitions_def on an AssetCheckSpec")
warnings.filterwarnings("ignore", message="Parameter `backfill_policy` of function `asset`")

SOURCE_CHECKED = "source_checked"
STAGED_ASSET = "staged_source"


def _cell(value) -> str:
    if (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    ):
        return ""  # blank cells stay blank: never « nan », « <NA> » or « None »
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def markdown(frame: pd.DataFrame, limit: int = SAMPLE_ROWS) -> dg.MetadataValue:
    """A sample of rows as a Markdown table. Written here, not by tabulate: its column widths and
    number parsing are not needed, the UI aligns the columns anyway."""
    if frame.empty:  # most sources reject nothing: no frame work to say so
        return markdown_rows([], [])
    head = frame.head(limit)
    return markdown_rows(list(head.columns), head.to_numpy(dtype=object).tolist(), limit)


def markdown_rows(
    columns: list[str], rows: Iterable[Sequence[Any]], limit: int = SAMPLE_ROWS
) -> dg.MetadataValue:
    """`markdown` of plain rows: a source's skipped lines and warnings need no frame to be shown."""
    lines = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in islice(rows, limit)]
    if not lines:
        return dg.MetadataValue.md("_(aucune)_")
    return dg.MetadataValue.md(
        "\n".join(
            [
                "| " + " | ".join(_cell(c) for c in columns) + " |",
                "|" + " --- |" * len(columns),
                *lines,
            ]
        )
    )


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


def _verdict(passed: bool, severity: dg.AssetCheckSeverity) -> str:
    return "ok" if passed else "erreur" if severity == dg.AssetCheckSeverity.ERROR else "à relire"


def source_check(staged: StagedSource) -> dict[str, Any]:
    """The one check of a source, its four verdicts in its metadata: readable, rows valid, declared
    figures met, no quality warning. It fails as an error when one of the blocking ones fails."""
    s = staged.source
    readable = staged.error is None
    valid = readable and s["rows_rejected"] == 0
    entries = staged.reconciliation()
    declared = all(e["matches"] for e in entries)
    warnings = staged.warnings
    blocking = [w for w in warnings if w.code in BLOCKING_CODES]
    quality_severity = dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN
    verdicts = {
        "source_readable": (readable, dg.AssetCheckSeverity.ERROR),
        "rows_valid": (valid, dg.AssetCheckSeverity.ERROR),
        "declared_figures_match": (declared, dg.AssetCheckSeverity.WARN),
        "quality_warnings": (not warnings, quality_severity),
    }
    failed = [severity for passed, severity in verdicts.values() if not passed]
    rejects = staged.rejects
    metadata = {
        **{name: dg.MetadataValue.text(_verdict(*v)) for name, v in verdicts.items()},
        "message": dg.MetadataValue.text(s["message"] or "lisible"),
        "num_rows": dg.MetadataValue.int(len(staged.rows)),
        "num_failures": dg.MetadataValue.int(int(s["rows_rejected"])),
        "rows_read = accepted + rejected + skipped": dg.MetadataValue.text(
            f"{s['rows_read']} = {s['rows_accepted']} + {s['rows_rejected']} + {s['rows_skipped']}"
        ),
        "failure_sample": markdown(
            rejects.drop(columns=["source_id"], errors="ignore") if len(rejects) else rejects
        ),
        "reconciliation": markdown_rows(
            RECONCILIATION, [[e[c] for c in RECONCILIATION] for e in entries]
        ),
        "num_warnings": dg.MetadataValue.int(len(warnings)),
        "num_blocking": dg.MetadataValue.int(len(blocking)),
        "by_code": dg.MetadataValue.json(
            dict(sorted(Counter(str(w.code) for w in warnings).items()))
        ),
        "warning_sample": markdown_rows(
            ["code", "place", "row", "column", "value", "message", "fix"],
            (
                (w.code, w.place, w.row, w.column, w.value, w.message, w.fix)
                for w in sorted(warnings, key=lambda w: w.code not in BLOCKING_CODES)
            ),
        ),
    }
    return {
        "passed": not failed,
        "metadata": metadata,
        "severity": dg.AssetCheckSeverity.ERROR
        if dg.AssetCheckSeverity.ERROR in failed
        else dg.AssetCheckSeverity.WARN,
    }


@dataclass
class Reading:
    """One source as its partition records it: the reading, its metadata, its check's result."""

    staged: StagedSource
    metadata: dict[str, dg.MetadataValue]
    check: dict[str, Any]


def described(staged: StagedSource) -> Reading:
    """Run in the reading worker, beside the reading itself (see `read_sources`)."""
    staged = hold_back(staged)
    staged.encoded = encoded_files(staged)
    return Reading(staged, source_metadata(staged), source_check(staged))


def _with_figures(reading: Reading, version: str) -> dict[str, Any]:
    """The source's check carrying its figures too (path, counts, preview, version): one stored event
    per source, where a partition's own metadata costs Dagster a look-up of the run's partitions
    each (ARCHITECTURE.md, « Where Dagster is slow »)."""
    figures = {k: v for k, v in reading.metadata.items() if not k.startswith("dagster/")}
    # File, manifest and reading code: a source is read again only when its version changes.
    figures["version"] = dg.MetadataValue.text(version or "—")
    return {**reading.check, "metadata": {**figures, **reading.check["metadata"]}}


@dg.asset(
    partitions_def=raw_sources,
    # A changed file, once observed, shows its source stale until it is read again.
    deps=[RAW_FILE],
    io_manager_key="staged_io_manager",
    group_name="ingest",
    kinds={"pandas", "pandera"},
    # Dagster records it with each reading: a change of the reading code shows the sources as stale.
    code_version=READING_CODE_VERSION,
    # Many sources, one run: a backfill or a batch of new sources reads them all in a single run.
    backfill_policy=dg.BackfillPolicy.single_run(),
    check_specs=[
        dg.AssetCheckSpec(
            SOURCE_CHECKED,
            asset=STAGED_ASSET,
            partitions_def=raw_sources,
            description="Le fichier et son manifeste se lisent (source_readable), chaque ligne passe "
            "le schéma pandera (rows_valid), les chiffres annoncés correspondent aux "
            "lignes (declared_figures_match), sans données personnelles ni autre "
            "avertissement de qualité (quality_warnings) : chaque verdict est une "
            "métadonnée du résultat ; mille-jours validate les détaille.",
        ),
    ],
)
def staged_source(context: dg.AssetExecutionContext, paths: ProjectPaths):
    """Raw sources read as their manifests say, normalized and validated; bad rows kept with their reasons.

    One partition per source; a run reads every partition it was given (one, or a whole batch).
    """
    note_run_process(context)
    found = {s.key: s for s in discover(paths.raw_dir)}
    keys = list(context.partition_keys)
    # Misplaced or named like another (discovery): refused as `mille-jours validate` refuses them.
    refused = [key for key in keys if key in found and found[key].refusal]
    to_read = [key for key in keys if key not in refused]
    # Not `with_suffix`: the stem of `laureats.v2.yaml` is `laureats.v2`, and its key ends so.
    manifests = [paths.raw_dir.joinpath(*key.split("/")) for key in to_read]
    manifests = [m.with_name(m.name + ".yaml") for m in manifests]
    # Fingerprinted before reading: a file changed meanwhile is read again next time.
    versions = {key: source_version(found[key]) if key in found else "" for key in keys}
    refusals = ((key, described(refused_source(found[key], paths.raw_dir))) for key in refused)
    batch: dict[str, StagedSource] = {}
    checks: dict[str, dict[str, Any]] = {}
    # Read side by side in workers, each summarized there too; recorded here as each comes back.
    for key, reading in chain(
        refusals, zip(to_read, read_sources(manifests, paths.raw_dir, then=described))
    ):
        reading.staged.version = versions[key]
        if reading.staged.error is not None:
            context.log.error(reading.staged.error.describe())
        batch[key], checks[key] = reading.staged, _with_figures(reading, versions[key])
    batch = {key: batch[key] for key in keys}
    yield dg.Output(batch, metadata={"sources": dg.MetadataValue.int(len(batch))})
    # One result per source, each naming its own partition: a broken source keeps its failed check
    # when another one is read again.
    for key, outcome in checks.items():
        yield dg.AssetCheckEvaluation(
            asset_key=dg.AssetKey(STAGED_ASSET),
            check_name=SOURCE_CHECKED,
            partition=key,
            blocking=False,
            **outcome,
        )
    # The evaluations above carry the results; the check's own output still has to be emitted.
    for spec in context.assets_def.check_specs:
        yield dg.Output(None, output_name=spec.get_python_identifier())
