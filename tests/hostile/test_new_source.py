"""`mille-jours new-source` looks at a contributor's file under the limits of a reading (in a worker,
assets/workers.py in_sandbox): a file that aborts its reader, fills the memory or never ends gets a
French message naming it, never an abort or a traceback; a hostile manifest beside it is passed over."""

from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from assets.cli import main
from tests.fictif import EN_TETE_FICTIF, LAUREATS_FICTIFS, csv_fictif
from tests.hostile.cases import nested_brackets, ods_bomb
from tests.hostile.slow import fake_tesseract, kill_left, left_running, scanned_pdf, started

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers fork: Linux")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "raw" / "normandie" / "2024"
    path.mkdir(parents=True)
    return path


def far_corner_xlsx(folder: Path, name: str) -> Path:
    """A sheet with one cell at XFD1048576 and no <dimension>: the reader must size it itself."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(EN_TETE_FICTIF)
    sheet.append(LAUREATS_FICTIFS[0])
    sheet["XFD1048576"] = "fictif"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = folder / f"{name}.xlsx"
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data, found = re.subn(rb"<dimension[^>]*/>", b"", data)
                assert found == 1
            target.writestr(item, data, zipfile.ZIP_DEFLATED)
    return path


def ods_space_bomb(folder: Path, name: str) -> Path:
    ods_bomb(folder, name)
    (folder / f"{name}.yaml").unlink()  # new-source drafts it
    return folder / f"{name}.ods"


def new_source(path: Path):
    result = CliRunner().invoke(
        main, ["new-source", str(path), "--region", "Normandie", "--year", "2024"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "erreur inattendue" not in result.output.lower()
    return result


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (far_corner_xlsx, "lecture arrêtée : le fichier demande plus de"),
        (ods_space_bomb, "plus de 1048576 lignes"),
    ],
)
def test_a_file_that_breaks_its_reader_gets_a_french_message(folder: Path, build, message):
    path = build(folder, "creuse-fictif")
    result = new_source(path)
    assert result.exit_code == 2, result.output
    assert f"{path} : " in result.output and message in result.output, result.output
    assert "À faire :" in result.output
    assert not path.with_suffix(".yaml").exists()


def test_a_never_ending_reading_is_stopped_and_leaves_nothing(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    bin_dir, log = fake_tesseract(tmp_path)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("MILLE_JOURS_FAKE_LOG", str(log))
    monkeypatch.setenv("MILLE_JOURS_SOURCE_TIMEOUT_S", "4")
    path = scanned_pdf(folder, "scan-lent-fictif").with_suffix(".pdf")
    path.with_suffix(".yaml").unlink()
    result = new_source(path)
    fakes = {pid for pid, _ in started(log, timeout=1)}
    try:
        assert result.exit_code == 2, result.output
        assert f"{path} : lecture arrêtée au bout de 4 s" in result.output, result.output
        assert not left_running(fakes)
    finally:
        kill_left(fakes)


def test_a_nested_manifest_beside_the_file_is_passed_over(folder: Path):
    (folder / "voisin-fictif.yaml").write_text("year: 2024\n" + nested_brackets("{a: "))
    (folder / "autre-fictif.yaml").write_text("year: 2024\n" + nested_brackets())
    path = folder / "liste-fictif.csv"
    path.write_bytes(csv_fictif())
    result = new_source(path)
    assert result.exit_code == 0, result.output
    assert "Manifeste écrit" in result.output and "essai de lecture" in result.output
    assert path.with_suffix(".yaml").exists()
    # validate, which looks at the neighbours' campaigns, names the nested ones instead
    out = CliRunner().invoke(main, ["validate", str(folder / "autre-fictif.yaml")]).output
    assert "manifeste trop imbriqué" in out and "Mo de mémoire" not in out, out
