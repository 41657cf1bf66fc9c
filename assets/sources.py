"""Per-source ingestion: one partition per raw file and its manifest."""


import dagster as dg
import pandas as pd

from assets.partitions import raw_sources
from pipelines.ingest import StagedSource, stage_source
from pipelines.resources import ProjectPaths

SAMPLE_ROWS = 20

ROWS_VALID = "rows_valid"
SOURCE_READABLE = "source_readable"
DECLARED_FIGURES = "declared_figures_match"


def markdown(frame: pd.DataFrame, limit: int = SAMPLE_ROWS) -> dg.MetadataValue:
    shown = frame.head(limit).astype("str").replace({"nan": "", "<NA>": "", "None": ""})
    return dg.MetadataValue.md(shown.to_markdown(index=False) if len(shown) else "_(aucune)_")


def source_metadata(staged: StagedSource) -> dict[str, dg.MetadataValue | int | str]:
    s = staged.source
    skipped = pd.DataFrame([vars(x) for x in staged.skipped], columns=["row", "place", "kind", "reason", "text"])
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
        "skipped_rows": markdown(skipped),
        "preview": markdown(staged.rows),
    }


def source_checks(staged: StagedSource) -> list[dg.AssetCheckResult]:
    s = staged.source
    readable = dg.AssetCheckResult(
        check_name=SOURCE_READABLE,
        passed=staged.error is None,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"message": dg.MetadataValue.text(s["message"] or "lisible")},
    )
    rejects = staged.rejects
    valid = dg.AssetCheckResult(
        check_name=ROWS_VALID,
        passed=staged.error is None and s["rows_rejected"] == 0,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "num_rows": dg.MetadataValue.int(len(staged.rows)),
            "num_failures": dg.MetadataValue.int(int(s["rows_rejected"])),
            "rows_read = accepted + rejected + skipped": dg.MetadataValue.text(
                f"{s['rows_read']} = {s['rows_accepted']} + {s['rows_rejected']} + {s['rows_skipped']}"),
            "failure_sample": markdown(rejects.drop(columns=["source_id"], errors="ignore")),
        },
    )
    entries = staged.reconciliation()
    declared = dg.AssetCheckResult(
        check_name=DECLARED_FIGURES,
        passed=all(e["matches"] for e in entries),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "reconciliation": markdown(pd.DataFrame(entries, columns=["figure", "declared", "computed", "matches"])),
            **{f"{e['figure']} declared": dg.MetadataValue.float(float(e["declared"])) for e in entries},
            **{f"{e['figure']} computed": dg.MetadataValue.float(float(e["computed"]))
               for e in entries if e["computed"] is not None},
        },
        description="Chiffres annoncés par l'éditeur (declared) comparés à la somme des lignes lues.",
    )
    return [readable, valid, declared]


@dg.asset(
    partitions_def=raw_sources,
    io_manager_key="staged_io_manager",
    group_name="ingest",
    kinds={"pandas", "pandera"},
    check_specs=[
        dg.AssetCheckSpec(SOURCE_READABLE, asset="staged_source",
                          description="Le fichier et son manifeste se lisent."),
        dg.AssetCheckSpec(ROWS_VALID, asset="staged_source",
                          description="Chaque ligne passe le schéma pandera ; les rejets sont gardés avec leur raison."),
        dg.AssetCheckSpec(DECLARED_FIGURES, asset="staged_source",
                          description="Les chiffres annoncés (declared) correspondent aux lignes."),
    ],
)
def staged_source(context: dg.AssetExecutionContext, paths: ProjectPaths):
    """One raw source read as its manifest says, normalized and validated; bad rows kept with their reasons."""
    manifest = paths.raw_dir.joinpath(*context.partition_key.split("/")).with_suffix(".yaml")
    staged = stage_source(manifest, paths.raw_dir)
    if staged.error is not None:
        context.log.error(staged.error.describe())
    yield dg.Output(staged, metadata=source_metadata(staged))
    yield from source_checks(staged)
