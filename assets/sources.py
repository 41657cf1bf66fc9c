"""Per-source ingestion: one partition per raw file and its manifest."""

from collections import Counter
from pathlib import Path

import dagster as dg
import pandas as pd

from assets.partitions import raw_sources
from pipelines.common.problems import SourceError
from pipelines.resources import ProjectPaths
from pipelines.stage.quality import BLOCKING_CODES, PERSONAL_CODES, TODO, TODO_CODE
from pipelines.stage.source import stage_source
from pipelines.stage.staged import StagedSource

SAMPLE_ROWS = 20

ROWS_VALID = "rows_valid"
SOURCE_READABLE = "source_readable"
DECLARED_FIGURES = "declared_figures_match"
QUALITY_WARNINGS = "quality_warnings"


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
    warnings = staged.warnings
    blocking = [w for w in warnings if w.code in BLOCKING_CODES]
    quality = dg.AssetCheckResult(
        check_name=QUALITY_WARNINGS,
        passed=not warnings,
        # Personal data and unfinished manifests must be fixed; the other warnings are to be read.
        severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
        metadata={
            "num_warnings": dg.MetadataValue.int(len(warnings)),
            "num_blocking": dg.MetadataValue.int(len(blocking)),
            "by_code": dg.MetadataValue.json(dict(sorted(Counter(str(w.code) for w in warnings).items()))),
            "warning_sample": markdown(pd.DataFrame(
                [w.to_dict() for w in sorted(warnings, key=lambda w: w.code not in BLOCKING_CODES)],
                columns=["code", "place", "row", "column", "value", "message", "fix"])),
        },
        description="Avertissements de qualité (montant nul, doublon, données personnelles…) : "
                    "mille-jours validate les détaille.",
    )
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
        dg.AssetCheckSpec(QUALITY_WARNINGS, asset="staged_source",
                          description="Pas de données personnelles ni d'avertissement de qualité."),
    ],
)
def staged_source(context: dg.AssetExecutionContext, paths: ProjectPaths):
    """One raw source read as its manifest says, normalized and validated; bad rows kept with their reasons."""
    # Not `with_suffix`: the stem of `laureats.v2.yaml` is `laureats.v2`, and its key ends so.
    manifest = paths.raw_dir.joinpath(*context.partition_key.split("/"))
    manifest = manifest.with_name(manifest.name + ".yaml")
    staged = hold_back(stage_source(manifest, paths.raw_dir), manifest)
    if staged.error is not None:
        context.log.error(staged.error.describe())
    yield dg.Output(staged, metadata=source_metadata(staged))
    yield from source_checks(staged)
