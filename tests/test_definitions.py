"""The code location loads as `make dev` loads it, with the whole asset graph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg

from assets.definitions import defs
from schemas.tables import TABLES
from tests.conftest import REPO


def test_definitions_are_loadable_and_complete():
    dg.Definitions.validate_loadable(defs)
    keys = {k.to_user_string() for k in defs.resolve_all_asset_keys()}
    assert keys == {"raw_file", "staged_source", "data_package", *TABLES}
    checks = {
        (k.asset_key.to_user_string(), k.name) for k in defs.resolve_asset_graph().asset_check_keys
    }
    assert {
        ("staged_source", "source_checked"),
        ("campaigns", "declared_figures_reconcile"),
        ("data_package", "frictionless_valid"),
        ("awards", "pandera_schema"),
        ("data_package", "freshness_check"),
    } <= checks
    assert {s.name for s in defs.sensors} >= {"raw_sources_sensor", "package_freshness_sensor"}
    # A changed raw file shows its source stale: the source depends on the observed file.
    graph = defs.resolve_asset_graph()
    assert graph.get(dg.AssetKey("staged_source")).parent_keys == {dg.AssetKey("raw_file")}
    # One check per source, its verdicts in its metadata: one result stored per source read.
    assert sum(1 for asset, _ in checks if asset == "staged_source") == 1
    assert [s.cron_schedule for s in defs.schedules] == ["0 6 * * 1"]


def test_workspace_yaml_loads_the_code_location(tmp_path: Path):
    env = {"DAGSTER_HOME": str(tmp_path), "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "dagster"),
            "definitions",
            "validate",
            "-w",
            "workspace.yaml",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Validation successful for code location mille-jours" in result.stdout + result.stderr


def test_metadata_tables_show_blank_cells_blank():
    import numpy as np
    import pandas as pd

    from assets.sources import markdown

    table = markdown(
        pd.DataFrame(
            {
                "nom": ["Crèche fictive", None],
                "montant": [1500.5, np.nan],
                "ligne": pd.array([3, None], dtype="Int64"),
            }
        )
    ).value
    assert "nan" not in table and "<NA>" not in table and "None" not in table
    assert table.splitlines()[0] == "| nom | montant | ligne |"
    assert "| Crèche fictive | 1500.5 | 3 |" in table and "|  |  |  |" in table
    piped = markdown(pd.DataFrame({"intitulé": ["Éveil | lecture\nfictif"]})).value
    assert piped.splitlines()[-1] == "| Éveil \\| lecture fictif |"  # one cell, one line
