"""Scanned PDFs (pages that are images): the words found by Tesseract OCR, French model.

Tesseract is a system program (Debian: `tesseract-ocr tesseract-ocr-fra`), an optional
dependency: without it a scanned PDF is refused with a message that says what to install. Each
page is rendered by PDFium at 300 dpi, straightened and cleared of its rules (`scan.prepare`), and
Tesseract's TSV output gives every word with its box, which the PDF reader then lays out in
columns as it does for a table without rules.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import cv2

from pipelines.common.problems import SourceError
from pipelines.read.readers.scan import prepare

DPI = 300
LANGUAGE = "fra"
INSTALL = (
    "installer Tesseract et son modèle français (Debian/Ubuntu : « apt-get install tesseract-ocr "
    "tesseract-ocr-fra » ; macOS : « brew install tesseract tesseract-lang »), puis relancer ; "
    "ou demander à l'éditeur la liste au format tableur"
)


def tesseract(path: Path) -> str:
    """The tesseract program, checked to hold the French model; else a SourceError saying what to install."""
    program = shutil.which("tesseract")
    if program is None:
        raise SourceError(
            path,
            "PDF scanné (pages en images, sans texte) : sa lecture par OCR demande "
            "Tesseract, absent de cette machine",
            fix=INSTALL,
            status="unreadable",
        )
    languages = subprocess.run(
        [program, "--list-langs"], capture_output=True, text=True, check=False
    ).stdout
    if LANGUAGE not in languages.split():
        raise SourceError(
            path,
            "PDF scanné : Tesseract est installé sans son modèle français (fra)",
            fix=INSTALL,
            status="unreadable",
        )
    return program


def ocr_words(path: Path, page, program: str) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, x1, top, bottom) in PDF points from the top of the straightened page, for each
    word read."""
    scale = DPI / 72
    image, _ = prepare(page.render(scale=scale, grayscale=True).to_numpy(), DPI)
    with tempfile.TemporaryDirectory(prefix="mille-jours-ocr-") as tmp:
        png = Path(tmp) / "page.png"
        cv2.imwrite(str(png), image)
        done = subprocess.run(
            [
                program,
                str(png),
                "stdout",
                "-l",
                LANGUAGE,
                "--psm",
                "6",
                "--dpi",
                str(DPI),
                "-c",
                "preserve_interword_spaces=1",
                "tsv",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    if done.returncode != 0:
        raise SourceError(
            path,
            f"échec de l'OCR par Tesseract ({done.stderr.strip().splitlines()[-1:] or '?'})",
            fix="vérifier que le PDF s'ouvre, ou demander à l'éditeur la liste au format tableur",
        )
    words = []
    for row in csv.DictReader(io.StringIO(done.stdout), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if not text or row.get("level") != "5" or float(row.get("conf") or -1) < 0:
            continue
        left, top, width, height = (
            float(row[k]) / scale for k in ("left", "top", "width", "height")
        )
        words.append((text, left, left + width, top, top + height))
    return words
