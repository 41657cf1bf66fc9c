"""A scanned page made ready for OCR (pipelines/read/readers/scan.py): straightened to the tenth of
a degree, its rules and dust gone, its text and punctuation kept. No Tesseract needed here.

The pages are fictitious, drawn with Pillow.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipelines.read.readers.scan import prepare

DPI = 150
_FONT = Path(__import__("reportlab").__file__).parent / "fonts" / "Vera.ttf"


def _page(skew: float, ruled: bool, dots: list[tuple[int, int]] = ()) -> np.ndarray:
    font = ImageFont.truetype(str(_FONT), 22)
    page = Image.new("L", (1200, 700), 255)
    draw = ImageDraw.Draw(page)
    rows = [
        ("Porteur du projet", "Département", "Montant accordé"),
        ("Association fictive Arc", "25", "12 500,50 €"),
        ("Crèche fictive du Jura", "39", "8 000,00 €"),
    ]
    for k, row in enumerate(rows):
        for x, cell in zip((80, 560, 820), row):
            draw.text((x + 10, 200 + k * 50 + 12), cell, font=font, fill=0)
    if ruled:
        draw.rectangle((80, 200, 1120, 250), outline=0, width=2)
        for x in (560, 820):
            draw.line((x, 200, x, 250), fill=0, width=2)
    for x, y in dots:
        draw.rectangle((x, y, x + 1, y + 1), fill=0)
    return np.asarray(page.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255))


@pytest.mark.parametrize("skew", [-2.0, -0.7, 0.0, 1.2, 1.5])
@pytest.mark.parametrize("ruled", [True, False], ids=["entete-encadre", "sans-filets"])
def test_the_page_is_straightened(skew: float, ruled: bool):
    _, angle = prepare(_page(skew, ruled), DPI)
    assert angle == pytest.approx(-skew, abs=0.1)


def test_rules_go_and_text_stays():
    ruled, _ = prepare(_page(1.0, ruled=True), DPI)
    bare, _ = prepare(_page(1.0, ruled=False), DPI)
    ink = ruled < 128
    # No stroke half an inch long is left, and the text is all there (as much ink as unruled).
    runs = np.lib.stride_tricks.sliding_window_view(ink, DPI // 2, axis=1).all(axis=2)
    assert not runs.any()
    assert abs(int(ink.sum()) - int((bare < 128).sum())) < 0.03 * (bare < 128).sum()


def test_dust_goes_and_punctuation_stays():
    clean, _ = prepare(_page(0.0, ruled=False, dots=[(300, 500), (900, 100)]), DPI)
    assert (clean[480:520, 280:320] == 255).all() and (clean[80:120, 880:920] == 255).all()
    # The comma of « 12 500,50 € » is still there: as much ink as on the page drawn without dust.
    plain, _ = prepare(_page(0.0, ruled=False), DPI)
    assert int((clean < 128).sum()) == int((plain < 128).sum())
