"""Reading a scanned paper form: markers, perspective, QR code, and each box with a confidence.

Pure image work (OpenCV, zxing-cpp, numpy), no database: `read_page` takes a grey image and gives
what it read and what it could not be sure of. Nothing is guessed: a box is `ticked` or `empty`
only with a clear margin; anything in between, a box filled or scribbled over (a correction), two
ticks in a row, or an unreadable code makes the page go to a person (`PageReading.certain`).
The geometry is the printed one (paper/layout.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
import zxingcpp

from kaohe.ballots.paper.layout import PAGE_H, PAGE_W, Layout, Rect
from kaohe.core.codes import code_normalise

PX_PER_MM = 5.0  # the deskewed page: 1050 × 1485 px
INSET = 0.22  # the share of a box's side left out on each side (its printed border)
EMPTY_BELOW = 0.02  # dark share of a box's inside: at most this is empty
TICKED_FROM = 0.08  # at least this is a tick
FILLED_FROM = 0.65  # at least this is a box filled or scribbled over: a person decides
PAPER = 225.0  # grey level from which a pixel is paper, once the page is normalised


class Mark(enum.Enum):
    """What a box holds, as judged."""

    EMPTY = "empty"
    TICKED = "ticked"
    UNSURE = "unsure"  # between the two thresholds
    FILLED = "filled"  # filled in or scribbled over: perhaps a correction


class Problem(enum.Enum):
    """Why a page goes to a person."""

    NO_MARKERS = "no_markers"
    NO_CODE = "no_code"
    UNSURE_BOX = "unsure_box"
    CORRECTION = "correction"
    DOUBLE_MARK = "double_mark"


@dataclass(frozen=True)
class BoxReading:
    """One box: its grade, the share of ink inside it, and the judgement."""

    grade: str
    ink: float
    mark: Mark


@dataclass
class PageReading:
    """What was read on one page; `grades` only for rows read with certainty."""

    code: str | None = None
    rows: dict[str, list[BoxReading]] = field(default_factory=dict)
    grades: dict[str, str] = field(default_factory=dict)  # department → grade, certain rows only
    doubtful: list[str] = field(default_factory=list)  # departments whose row a person decides
    problems: list[Problem] = field(default_factory=list)
    page: Any = None  # the deskewed page (grey, numpy), to show to the person who decides

    @property
    def certain(self) -> bool:
        """Whether the page may become a ballot without a person."""
        return self.code is not None and not self.problems


def _marker_candidates(gray: Any) -> list[tuple[float, float, float]]:
    """Solid dark squares: (x, y, side) of each, in image pixels."""
    _t, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    contours, _h = cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    h, w = gray.shape
    expected = MARKER_SHARE * min(h, w)
    found = []
    for contour in contours:
        area = cv2.contourArea(contour)
        if not (0.25 * expected**2 < area < 4 * expected**2):
            continue
        (cx, cy), (rw, rh), _angle = cv2.minAreaRect(contour)
        if min(rw, rh) == 0 or max(rw, rh) / min(rw, rh) > 1.4:
            continue
        if area / (rw * rh) < 0.8:  # solid, not a ring or a letter
            continue
        found.append((float(cx), float(cy), float((rw + rh) / 2)))
    return found


MARKER_SHARE = 10.0 / PAGE_W  # a marker's side over the page's width


def _corners(gray: Any) -> list[tuple[float, float]] | None:
    """The four marker centres, clockwise from the top left, or None."""
    candidates = _marker_candidates(gray)
    if len(candidates) < 4:
        return None
    h, w = gray.shape
    picked = []
    for corner in ((0, 0), (w, 0), (w, h), (0, h)):
        best = min(candidates, key=lambda c: (c[0] - corner[0]) ** 2 + (c[1] - corner[1]) ** 2)
        if (best[0] - corner[0]) ** 2 + (best[1] - corner[1]) ** 2 > (0.3 * min(w, h)) ** 2:
            return None
        picked.append((best[0], best[1]))
    if len(set(picked)) < 4:
        return None
    return picked


def deskew(gray: Any, layout: Layout) -> Any | None:
    """The page brought back to the layout's geometry by its four markers, or None."""
    corners = _corners(gray)
    if corners is None:
        return None
    target = np.array(
        [[m.centre[0] * PX_PER_MM, m.centre[1] * PX_PER_MM] for m in layout.markers],
        dtype=np.float32,
    )
    matrix = cv2.getPerspectiveTransform(np.array(corners, dtype=np.float32), target)
    size = (int(PAGE_W * PX_PER_MM), int(PAGE_H * PX_PER_MM))
    page = cv2.warpPerspective(gray, matrix, size, borderValue=255)
    return _normalise(page)


def _normalise(page: Any) -> Any:
    """Stretch the grey levels so that paper is white and the markers' ink black."""
    low, high = np.percentile(page, 1), np.percentile(page, 99)
    if high - low < 40:
        return page
    stretched = (page.astype(np.float32) - low) * (255.0 / (high - low))
    return np.clip(stretched, 0, 255).astype(np.uint8)


def _crop(page: Any, rect: Rect, margin: float = 0.0) -> Any:
    x0 = int((rect.x - margin) * PX_PER_MM)
    y0 = int((rect.y - margin) * PX_PER_MM)
    x1 = int((rect.x + rect.w + margin) * PX_PER_MM)
    y1 = int((rect.y + rect.h + margin) * PX_PER_MM)
    return page[max(y0, 0) : y1, max(x0, 0) : x1]


def read_code(page: Any, layout: Layout) -> str | None:
    """The code in the QR code: its canonical form, or None when it cannot be read for sure."""
    # Only where the layout prints it: a page upside down has no QR code there.
    region = _crop(page, layout.qr, 4.0)
    for barcode in zxingcpp.read_barcodes(region):
        if barcode.format != zxingcpp.BarcodeFormat.QRCode:
            continue
        code = code_normalise(barcode.text.rsplit("#", 1)[-1])
        if code is not None:
            return code
    return None


def judge(ink: float) -> Mark:
    """A box's mark from the share of ink inside it; between the thresholds it is unsure."""
    if ink >= FILLED_FROM:
        return Mark.FILLED
    if ink >= TICKED_FROM:
        return Mark.TICKED
    if ink <= EMPTY_BELOW:
        return Mark.EMPTY
    return Mark.UNSURE


def _ink(page: Any, rect: Rect) -> float:
    """How much ink is inside a box, 0 to 1: the mean darkness below paper white.

    A mean, not a count of dark pixels, so that blur, which spreads a thin line into grey,
    keeps a faint mark from vanishing below a threshold.
    """
    inset = rect.w * INSET
    inner = Rect(rect.x + inset, rect.y + inset, rect.w - 2 * inset, rect.h - 2 * inset)
    region = _crop(page, inner).astype(np.float32)
    darkness = np.clip(PAPER - region, 0, None) / PAPER
    return float(darkness.mean()) if darkness.size else 0.0


def read_marks(page: Any, layout: Layout, reading: PageReading) -> None:
    """Judge every box; a row is certain with no tick (abstain) or exactly one, nothing unsure."""
    for row in layout.rows:
        boxes = [
            BoxReading(b.grade, _ink(page, b.rect), judge(_ink(page, b.rect))) for b in row.boxes
        ]
        reading.rows[row.department] = boxes
        marks = [b.mark for b in boxes]
        ticked = [b.grade for b in boxes if b.mark is Mark.TICKED]
        problem = None
        if Mark.FILLED in marks:
            problem = Problem.CORRECTION
        elif Mark.UNSURE in marks:
            problem = Problem.UNSURE_BOX
        elif len(ticked) > 1:
            problem = Problem.DOUBLE_MARK
        if problem is not None:
            reading.doubtful.append(row.department)
            if problem not in reading.problems:
                reading.problems.append(problem)
        elif ticked:
            reading.grades[row.department] = ticked[0]


def read_page(gray: Any, layout: Layout) -> PageReading:
    """Read one scanned page (a grey image of any size and slight rotation or perspective)."""
    reading = PageReading()
    page = deskew(gray, layout)
    if page is None:
        reading.problems.append(Problem.NO_MARKERS)
        return reading
    reading.code = read_code(page, layout)
    if reading.code is None:
        # Upside down? The markers are symmetric; the QR code tells.
        turned = cv2.rotate(page, cv2.ROTATE_180)
        if read_code(turned, layout) is not None:
            page = turned
            reading.code = read_code(page, layout)
    reading.page = page
    if reading.code is None:
        reading.problems.append(Problem.NO_CODE)
    read_marks(page, layout, reading)
    return reading
