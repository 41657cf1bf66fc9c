"""Staging a fictitious source in a throwaway project, as the pipeline does."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.stage.source import stage_source
from pipelines.stage.staged import StagedSource
from tests.conftest import add_source


@pytest.fixture
def stage(project: Path):
    """stage(name, data, manifest, ext) → StagedSource of raw/bretagne-fictive/2023/<name>.<ext>."""

    def _stage(name: str, data: str | bytes, manifest: str, ext: str = "csv") -> StagedSource:
        path = add_source(project, "bretagne-fictive", 2023, name, data, manifest, ext=ext)
        return stage_source(path.with_suffix(".yaml"), project / "raw")

    return _stage
