"""The geometry of a paper ballot form, in millimetres from the page's top-left corner.

Defined once, here, and used both to print the form (`paper/printing.py` places every element at
these positions) and to read a scan (the four corner markers give the perspective transform back to
this page, then every box is judged at the position given here). Pure Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_W = 210.0  # A4 portrait
PAGE_H = 297.0
MARKER = 10.0  # side of each solid black corner square
MARKER_INSET = 8.0  # from the page's edges to the marker's outer side
QR_X, QR_Y, QR_SIZE = 156.0, 26.0, 32.0
CODE_Y = QR_Y + QR_SIZE + 1.5  # the typed code under the QR code
TEXT_X = 24.0  # left edge of the title, the instructions and the department names
GRADES_LEFT, GRADES_RIGHT = 112.0, 186.0  # the band of grade columns
HEADER_Y = 88.0  # the row of grade names above the boxes
ROWS_TOP, ROWS_BOTTOM = 96.0, 268.0  # the band of department rows
MAX_PITCH = 9.0
MIN_PITCH = 5.0
BOX_RATIO = 0.62  # a box's side as a share of the row pitch
MAX_BOX = 5.5
MAX_GRADES = 6


@dataclass(frozen=True)
class Rect:
    """A rectangle on the page, in mm."""

    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> tuple[float, float]:
        """The rectangle's centre, in mm."""
        return (self.x + self.w / 2, self.y + self.h / 2)


@dataclass(frozen=True)
class Box:
    """One box to tick: a department's grade."""

    department: str
    grade: str
    rect: Rect


@dataclass(frozen=True)
class Row:
    """One department's row: its name's place and its boxes, in the order of the grade scale."""

    department: str
    name: Rect
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class Layout:
    """Everything placed on a form: markers, QR code, grade columns and department rows."""

    markers: tuple[Rect, Rect, Rect, Rect]  # top-left, top-right, bottom-right, bottom-left
    qr: Rect
    columns: tuple[tuple[str, Rect], ...]  # (grade, where its name is printed)
    rows: tuple[Row, ...]
    pitch: float

    @property
    def boxes(self) -> tuple[Box, ...]:
        """Every box of the form, row by row."""
        return tuple(b for r in self.rows for b in r.boxes)


def markers() -> tuple[Rect, Rect, Rect, Rect]:
    """The four corner markers, clockwise from the top left."""
    near, far_x, far_y = (
        MARKER_INSET,
        PAGE_W - MARKER_INSET - MARKER,
        PAGE_H - MARKER_INSET - MARKER,
    )
    return (
        Rect(near, near, MARKER, MARKER),
        Rect(far_x, near, MARKER, MARKER),
        Rect(far_x, far_y, MARKER, MARKER),
        Rect(near, far_y, MARKER, MARKER),
    )


def max_departments() -> int:
    """How many department rows fit on one page at the smallest pitch."""
    return int((ROWS_BOTTOM - ROWS_TOP) / MIN_PITCH)


def form_layout(departments: list[str], grades: list[str]) -> Layout:
    """The layout of a form rating `departments` (codes) with `grades` (codes, scale order).

    Raises ValueError when they cannot fit one page: the caller words it for the office.
    """
    if not departments or len(departments) > max_departments():
        raise ValueError("departments")
    if not grades or len(grades) > MAX_GRADES:
        raise ValueError("grades")
    pitch = min(MAX_PITCH, (ROWS_BOTTOM - ROWS_TOP) / len(departments))
    side = min(MAX_BOX, pitch * BOX_RATIO)
    step = (GRADES_RIGHT - GRADES_LEFT) / len(grades)
    centres = [GRADES_LEFT + step * (i + 0.5) for i in range(len(grades))]
    columns = tuple(
        (g, Rect(c - step / 2, HEADER_Y, step, 6.0)) for g, c in zip(grades, centres, strict=True)
    )
    rows = []
    for i, department in enumerate(departments):
        top = ROWS_TOP + i * pitch
        mid = top + pitch / 2
        boxes = tuple(
            Box(department, g, Rect(c - side / 2, mid - side / 2, side, side))
            for g, c in zip(grades, centres, strict=True)
        )
        rows.append(Row(department, Rect(TEXT_X, top, GRADES_LEFT - TEXT_X - 2, pitch), boxes))
    return Layout(markers(), Rect(QR_X, QR_Y, QR_SIZE, QR_SIZE), columns, tuple(rows), pitch)
