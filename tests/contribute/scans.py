"""FICTITIOUS scanned lists: a table drawn into an image, turned a little, with dust, in a PDF.

What a scanner gives: no text layer, the page slightly askew (0.5–2°), light grain and specks of
dust, the header row often inside a drawn box or a full grid. Every name and amount is invented
(« fictif », « fictive »). Pages are A5 landscape at 200 dpi: small enough to keep OCR quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.contribute.shapes import Line

_FONTS = Path(__import__("reportlab").__file__).parent / "fonts"
_PAGE = (1654, 1165)  # A5 landscape at 200 dpi
DPI = 200


@dataclass(frozen=True)
class ScanShape:
    name: str
    rules: str  # "header": a box round the header row; "grid": every cell ruled; "none"
    skew: float  # degrees, counter-clockwise
    header: list[str]
    rows: list[list[str]]  # the laureates as printed, then the TOTAL line
    lines: list[Line]  # what the package must hold
    columns: dict[str, str]  # what new-source must map
    left: int = 100
    top: int = 260
    size: int = 30  # font size in pixels at 200 dpi: about 11 points
    pitch: int = 70
    widths: tuple[int, ...] = (460, 420, 250, 270)
    bold_header: bool = False


BOXED = ScanShape(
    "entete-encadre",
    "header",
    1.0,
    ["Porteur du projet", "Intitulé du projet", "Département", "Montant accordé"],
    [
        ["Association fictive Arc", "Atelier parents fictif", "25", "12 500 €"],
        ["Crèche fictive du Jura", "Éveil fictif", "39", "8 000 €"],
        ["Maison fictive des Familles", "Soutien fictif", "89", "4 250 €"],
        ["TOTAL", "", "", "24 750 €"],
    ],
    [
        ("Association fictive Arc", "Atelier parents fictif", "25", "NC", 12500.0),
        ("Crèche fictive du Jura", "Éveil fictif", "39", "NC", 8000.0),
        ("Maison fictive des Familles", "Soutien fictif", "89", "NC", 4250.0),
    ],
    {
        "beneficiary_name": "Porteur du projet",
        "project_title": "Intitulé du projet",
        "department": "Département",
        "amount_eur": "Montant accordé",
    },
    bold_header=True,
)
GRID = ScanShape(
    "grille",
    "grid",
    -1.5,
    ["Structure porteuse", "Action financée", "Département", "Subvention attribuée"],
    [
        ["Centre social fictif du Lac", "Café des parents fictif", "71", "15 000 €"],
        ["Association fictive Petits Pas", "Passerelle fictive", "70", "6 300 €"],
        ["Relais fictif des Monts", "Ateliers fictifs", "21", "9 700 €"],
        ["TOTAL", "", "", "31 000 €"],
    ],
    [
        ("Centre social fictif du Lac", "Café des parents fictif", "71", "NC", 15000.0),
        ("Association fictive Petits Pas", "Passerelle fictive", "70", "NC", 6300.0),
        ("Relais fictif des Monts", "Ateliers fictifs", "21", "NC", 9700.0),
    ],
    {
        "beneficiary_name": "Structure porteuse",
        "project_title": "Action financée",
        "department": "Département",
        "amount_eur": "Subvention attribuée",
    },
    left=70,
    top=300,
    size=28,
    pitch=64,
    widths=(480, 400, 230, 330),
)
BARE = ScanShape(
    "sans-filets",
    "none",
    0.7,
    ["Bénéficiaire", "Projet", "Département", "Montant attribué"],
    [
        ["Association fictive Brin d'Éveil", "Lecture fictive", "Nièvre", "3 200 €"],
        ["Crèche fictive des Saules", "Jardin fictif", "Yonne", "11 800 €"],
        ["TOTAL", "", "", "15 000 €"],
    ],
    [
        ("Association fictive Brin d'Éveil", "Lecture fictive", "58", "NC", 3200.0),
        ("Crèche fictive des Saules", "Jardin fictif", "89", "NC", 11800.0),
    ],
    {
        "beneficiary_name": "Bénéficiaire",
        "project_title": "Projet",
        "department": "Département",
        "amount_eur": "Montant attribué",
    },
    left=140,
    top=220,
    size=32,
    pitch=80,
    widths=(540, 340, 250, 280),
)
SHAPES = [BOXED, GRID, BARE]


def total_of(shape: ScanShape) -> float:
    return sum(line[4] or 0.0 for line in shape.lines)


def scanned_table(path: Path, shape: ScanShape, *, seed: int = 1, header: bool = True) -> Path:
    """The shape drawn, turned by its skew, grained and specked, saved as an image-only PDF.
    `header=False`: the list printed without its header row (the box stays, empty)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(_FONTS / "Vera.ttf"), shape.size)
    bold = ImageFont.truetype(str(_FONTS / "VeraBd.ttf"), shape.size)
    page = Image.new("L", _PAGE, 255)
    draw = ImageDraw.Draw(page)
    draw.text(
        (shape.left, shape.top - 140), "Lauréats fictifs (document scanné)", font=font, fill=0
    )
    xs = [shape.left]
    for width in shape.widths:
        xs.append(xs[-1] + width)
    lines = [shape.header if header else [""] * len(shape.header), *shape.rows]
    pad = (shape.pitch - shape.size) // 2
    for k, row in enumerate(lines):
        y = shape.top + k * shape.pitch
        for x, cell in zip(xs, row):
            face = bold if k == 0 and shape.bold_header else font
            draw.text((x + 14, y + pad), cell, font=face, fill=0)
    _rules(draw, shape, xs, len(lines))
    page = page.rotate(shape.skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    rng = np.random.default_rng(seed)
    pixels = np.asarray(page, dtype=np.int16) + rng.normal(0, 10, page.size[::-1]).astype(np.int16)
    pixels[rng.random(pixels.shape) < 0.0003] = 0  # dust
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(path, "PDF", resolution=DPI)
    return path


def _rules(draw, shape: ScanShape, xs: list[int], count: int) -> None:
    top, bottom = shape.top, shape.top + count * shape.pitch
    if shape.rules == "header":
        draw.rectangle((xs[0], top, xs[-1], top + shape.pitch), outline=0, width=3)
        for x in xs[1:-1]:
            draw.line((x, top, x, top + shape.pitch), fill=0, width=3)
    elif shape.rules == "grid":
        for k in range(count + 1):
            y = top + k * shape.pitch
            draw.line((xs[0], y, xs[-1], y), fill=0, width=3)
        for x in xs:
            draw.line((x, top, x, bottom), fill=0, width=3)
