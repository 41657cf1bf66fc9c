"""A scanned page made ready for OCR (OpenCV): straightened, its rules and specks taken out.

Tesseract reads lines of text, not tables. On a scan, a box drawn round the header makes it read
that row as noise (the header is lost, and the first laureate would be taken for it), a full grid
makes it read almost nothing, and a page scanned 1° askew drifts by half a row across an A4
page, so that the words of one row no longer share a line. So, before Tesseract:

- the skew is measured on the ink and undone: the angle at which the page's horizontal
  projection is sharpest (rows of text and rules each fall on as few pixel rows as possible);
- long horizontal and vertical strokes (rules, boxes, a grid) are found by a morphological
  opening, the usual OpenCV way, and left out of the black-and-white page Tesseract is given,
  as are isolated specks of dust;

the page then holds text in rows and columns, which the PDF reader lays out as it does a table
without rules.
"""

from __future__ import annotations

import cv2
import numpy as np

MAX_SKEW = 5.0  # degrees: a page turned further is not a skewed scan
_STEP = 0.25  # degrees between the angles tried first, then refined to a twentieth of a degree
_NEGLIGIBLE = 0.05  # degrees: below this, the page is left as it is (no resampling blur)


def prepare(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, float]:
    """The page (8-bit grey, black text on white) straightened, without rules or specks; and
    the angle it was turned by, in degrees (counter-clockwise)."""
    ink = _ink(gray)
    angle = skew(ink, dpi)
    if abs(angle) >= _NEGLIGIBLE:
        # The black-and-white page turned, not the grey one thresholded again: on the fixtures
        # the latter broke bold letters (« accordé » read « accorclé »).
        ink = _rotate(ink, angle, 0, cv2.INTER_NEAREST)
    kept = (ink > 0) & (cv2.bitwise_or(_rules(ink, dpi), _specks(ink, dpi)) == 0)
    return np.where(kept, 0, 255).astype(np.uint8), angle


def _ink(gray: np.ndarray) -> np.ndarray:
    """255 where there is ink: Otsu's threshold (Tesseract's own) on the page smoothed of its
    grain, which a threshold local to each part of the page would read as ink."""
    smooth = cv2.medianBlur(gray, 3)
    return cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]


def skew(ink: np.ndarray, dpi: int) -> float:
    """The angle (degrees, within ±MAX_SKEW) that makes the page's rows horizontal: tried every
    quarter degree on the page at 50 dpi, then every twentieth around the best at 100 dpi."""

    def sharpness(image: np.ndarray, angle: float) -> float:
        profile = _rotate(image, angle, 0, cv2.INTER_LINEAR).sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(profile) ** 2))

    coarse_page, fine_page = (
        cv2.resize(ink, None, fx=r / dpi, fy=r / dpi, interpolation=cv2.INTER_AREA)
        for r in (50, 100)
    )
    coarse = max(
        np.arange(-MAX_SKEW, MAX_SKEW + _STEP / 2, _STEP), key=lambda a: sharpness(coarse_page, a)
    )
    fine = max(
        np.arange(coarse - _STEP, coarse + _STEP + 0.01, 0.05),
        key=lambda a: sharpness(fine_page, a),
    )
    return round(float(fine), 2)


def _rotate(image: np.ndarray, angle: float, background: int, interpolation: int) -> np.ndarray:
    h, w = image.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=interpolation, borderValue=background)


def _rules(ink: np.ndarray, dpi: int) -> np.ndarray:
    """Horizontal strokes longer than half an inch, vertical ones taller than 16 points: no
    letter of a table's text is that long, the side of a header's box is that tall."""
    horizontal = cv2.getStructuringElement(cv2.MORPH_RECT, (dpi // 2, 1))
    vertical = cv2.getStructuringElement(cv2.MORPH_RECT, (1, dpi * 16 // 72))
    lines = cv2.bitwise_or(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, horizontal),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, vertical),
    )
    # The rule's grey edges go with it, not left as a thin line for Tesseract to read as « | ».
    return cv2.dilate(lines, np.ones((5, 5), np.uint8))


def _specks(ink: np.ndarray, dpi: int) -> np.ndarray:
    """Dots smaller than 1.5 points with no other ink near them: dust, not a full stop, comma or
    accent (those sit beside a letter or a digit)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] < (1.5 * dpi / 72) ** 2
    small[0] = False  # the background
    text = np.where(small[labels], 0, ink).astype(np.uint8)
    near = cv2.dilate(text, np.ones((dpi // 20, dpi // 20), np.uint8)) > 0
    touching = np.bincount(labels[near], minlength=count) > 0
    return np.where((small & ~touching)[labels], 255, 0).astype(np.uint8)
