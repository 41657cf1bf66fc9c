"""The canonical tables, consolidated across every staged source, each checked by its pandera schema."""

import dagster as dg
import pandas as pd
import pandera.errors as pa_errors

from assets.consolidation import bounded_consolidation
from assets.partitions import raw_sources
from assets.recovery import note_run_process
from assets.resources import ProjectPaths
from assets.sources import markdown
from assets.storage import read_last_good
from pipelines.consolidate.frames import project_counts, rows_by
from pipelines.consolidate.held_back import consolidate_holding_back
from pipelines.consolidate.tables import consolidate
from pipelines.publish.removals import previous_lines
from pipelines.stage.staged import StagedSource
from schemas.tables import TABLES
from schemas.to_pandera import schema_for

LOGGED_WARNINGS = 20
UNREAD_REGISTERED = (
    "sa version actuelle n'a pas pu être lue (échec de son run : voir l'interface Dagster)"
)
UNREAD_REMOVED = (
    "son fichier ou son manifeste a été retiré de raw/ ; pour la retirer aussi de la "
    "publication, relancer avec `mille-jours publish --allow-removals`"
)


class WithdrawConfig(dg.Config):
    """`allow_removals`: a source of the previous release that breaks or is gone is withdrawn
    rather than held back on its last good reading (asked for)."""

    allow_removals: bool = False


# New or changed sources flow to the tables by themselves. Not `eager()`: eager waits until no
# partition of staged_source is missing, so one source whose run crashed (or was never run) would
# block every publication. Here the tables wait only for sources being read right now, and need
# at least one staged source, so a fresh instance never publishes an empty package.
AC = dg.AutomationCondition
TABLES_AUTOMATION = (
    (AC.newly_missing() | AC.any_deps_updated()).since_last_handled()
    & AC.any_deps_match(~AC.missing()).with_label("au moins une source lue")
    & ~AC.any_deps_in_progress()
    & ~AC.in_progress()
).with_label("sources lues, aucune en cours")
# The package follows its tables, requested on the same tick.
PACKAGE_AUTOMATION = AC.eager()


@dg.multi_asset(
    outs={
        name: dg.AssetOut(
            io_manager_key="table_io_manager",
            description=table.description,
            group_name="tables",
            kinds={"pandas", "parquet"},
            automation_condition=TABLES_AUTOMATION,
            is_required=True,
        )
        for name, table in TABLES.items()
    },
    ins={"staged_source": dg.AssetIn(input_manager_key="staged_io_manager")},
)
def canonical_tables(
    context: dg.AssetExecutionContext,
    config: WithdrawConfig,
    paths: ProjectPaths,
    staged_source: dict[str, StagedSource],
):
    """Every staged source merged into the canonical tables (typed, sorted, validated), in a
    worker under a memory ceiling and a time limit; a source of the previous release that can no
    longer be published held back on its last good reading."""
    note_run_process(context)
    if config.allow_removals:
        result = bounded_consolidation(consolidate, list(staged_source.values()))
    else:
        registered = set(context.instance.get_dynamic_partitions(raw_sources.name))
        result, held = bounded_consolidation(
            consolidate_holding_back,
            list(staged_source.values()),
            previous_lines(paths.published_dir),
            read_last_good,
            lambda key: UNREAD_REGISTERED if key in registered else UNREAD_REMOVED,
        )
        for key in held:
            context.log.error(f"source {key} retenue sur sa dernière lecture valide")
    # Each log line is an event written to the instance: the first ones, then how many more.
    shown = result.warnings[:LOGGED_WARNINGS]
    for warning in shown:
        context.log.warning(warning)
    if len(result.warnings) > len(shown):
        context.log.warning(
            f"… et {len(result.warnings) - len(shown)} autre(s) avertissement(s) : "
            "voir beneficiary_review et les métadonnées de campaigns"
        )
    for name, frame in result.tables.items():
        yield dg.Output(
            frame,
            output_name=name,
            metadata={
                "dagster/row_count": dg.MetadataValue.int(len(frame)),
                "preview": markdown(frame, 10),
                **(
                    {
                        "warnings": dg.MetadataValue.md(
                            "\n".join(f"- {w}" for w in result.warnings[:200])
                            + (
                                f"\n- … et {len(result.warnings) - 200} autres"
                                if len(result.warnings) > 200
                                else ""
                            )
                        )
                    }
                    if name == "campaigns" and result.warnings
                    else {}
                ),
            },
        )


def pandera_check(name: str) -> dg.AssetChecksDefinition:
    """A blocking check: the stored table passes its pandera schema (derived from schemas.tables)."""

    @dg.asset_check(
        asset=name,
        name="pandera_schema",
        blocking=True,
        description=f"La table {name} passe son schéma pandera.",
    )
    def _check(context: dg.AssetCheckExecutionContext, table: pd.DataFrame) -> dg.AssetCheckResult:
        try:
            schema_for(name).validate(table, lazy=True)
        except pa_errors.SchemaErrors as exc:
            cases = exc.failure_cases
            return dg.AssetCheckResult(
                passed=False,
                metadata={
                    "num_failures": dg.MetadataValue.int(len(cases)),
                    "error_counts": dg.MetadataValue.json(
                        {str(k): v for k, v in exc.error_counts.items()}
                    ),
                    "failure_sample": markdown(cases),
                },
            )
        return dg.AssetCheckResult(
            passed=True, metadata={"dagster/row_count": dg.MetadataValue.int(len(table))}
        )

    return _check


table_checks = [pandera_check(name) for name in TABLES]


@dg.asset_check(
    asset="campaigns",
    name="declared_figures_reconcile",
    additional_ins={"awards": dg.AssetIn()},
    description="Lauréats et montant annoncés par campagne, comparés aux lignes publiées.",
)
def declared_figures_reconcile(
    campaigns: pd.DataFrame, awards: pd.DataFrame
) -> dg.AssetCheckResult:
    rows = reconciliation(campaigns, awards)
    mismatches = rows[~rows["matches"]]
    return dg.AssetCheckResult(
        passed=mismatches.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "campaigns_checked": dg.MetadataValue.int(len(rows)),
            "mismatches": dg.MetadataValue.int(len(mismatches)),
            "reconciliation": markdown(rows, 50),
        },
    )


def reconciliation(campaigns: pd.DataFrame, awards: pd.DataFrame) -> pd.DataFrame:
    """Per campaign with award lines: declared against computed count of projects and total."""
    out = []
    awards_of, projects_of = rows_by(awards), project_counts(awards)
    for c in campaigns.itertuples():
        lines = awards_of(c.campaign_id)
        if lines.empty:
            continue
        projects = projects_of[c.campaign_id]
        total = lines["amount_eur"].sum(min_count=1)
        for figure, declared, computed in (
            ("awards_count", c.declared_awards_count, projects),
            ("total_eur", c.declared_total_eur, total),
        ):
            if pd.isna(declared):
                continue
            computed = None if pd.isna(computed) else float(computed)
            out.append(
                {
                    "campaign_id": c.campaign_id,
                    "figure": figure,
                    "declared": float(declared),
                    "computed": computed,
                    "matches": computed is not None and abs(computed - float(declared)) < 0.005,
                }
            )
    return pd.DataFrame(
        out, columns=["campaign_id", "figure", "declared", "computed", "matches"]
    ).astype({"matches": "bool"})
