"""Filling printed paper forms programmatically, and degrading them as scanners and phones do."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import pypdfium2

from kaohe.ballots.paper.layout import PAGE_W, Layout, Rect


def raster_pages(pdf: bytes, dpi: int = 110) -> list[Any]:
    """The PDF's pages as grey images (pypdfium2), as an office scanner gives them."""
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for page in document:
        image = page.render(scale=dpi / 72, grayscale=True).to_numpy()
        pages.append(image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    return pages


def _px(image: Any, mm: float) -> float:
    return mm * image.shape[1] / PAGE_W


def tick(
    image: Any, rect: Rect, *, darkness: int = 20, size: float = 1.0, width_mm: float = 0.5
) -> None:
    """A hand tick (✓) inside a box: `darkness` its grey level, `size` its share of the box."""
    cx, cy = rect.centre
    half = rect.w * size / 2
    points = [(cx - half, cy), (cx - half * 0.3, cy + half * 0.8), (cx + half, cy - half)]
    pts = [(round(_px(image, x)), round(_px(image, y))) for x, y in points]
    thickness = max(1, round(_px(image, width_mm)))
    cv2.line(image, pts[0], pts[1], darkness, thickness, cv2.LINE_AA)
    cv2.line(image, pts[1], pts[2], darkness, thickness, cv2.LINE_AA)


def cross(image: Any, rect: Rect, darkness: int = 30) -> None:
    """A cross (✗) from corner to corner of a box."""
    x0, y0 = round(_px(image, rect.x + 0.6)), round(_px(image, rect.y + 0.6))
    x1, y1 = round(_px(image, rect.x + rect.w - 0.6)), round(_px(image, rect.y + rect.h - 0.6))
    thickness = max(1, round(_px(image, 0.45)))
    cv2.line(image, (x0, y0), (x1, y1), darkness, thickness, cv2.LINE_AA)
    cv2.line(image, (x0, y1), (x1, y0), darkness, thickness, cv2.LINE_AA)


def scribble(image: Any, rect: Rect, darkness: int = 40) -> None:
    """A box blacked out, as a voter crosses out a mark to correct it."""
    x0, y0 = round(_px(image, rect.x + 0.4)), round(_px(image, rect.y + 0.4))
    x1, y1 = round(_px(image, rect.x + rect.w - 0.4)), round(_px(image, rect.y + rect.h - 0.4))
    cv2.rectangle(image, (x0, y0), (x1, y1), darkness, -1)


def faint_dot(image: Any, rect: Rect, darkness: int = 60) -> None:
    """A small doubtful mark: a touch of the pen, neither a tick nor nothing."""
    cx, cy = rect.centre
    cv2.circle(
        image,
        (round(_px(image, cx)), round(_px(image, cy))),
        max(1, round(_px(image, 0.45))),
        darkness,
        -1,
    )


def rotate(image: Any, degrees: float) -> Any:
    """The sheet turned on the scanner's glass (a little larger than A4), white around it."""
    pad = int(0.06 * image.shape[1])
    image = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    h, w = image.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), borderValue=255)


def blur(image: Any, k: int = 3) -> Any:
    return cv2.GaussianBlur(image, (k, k), 0)


def noise(image: Any, sigma: float, seed: int) -> Any:
    rng = np.random.default_rng(seed)
    noisy = image.astype(np.float32) + rng.normal(0, sigma, image.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def jpeg(image: Any, quality: int = 45) -> Any:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def photo(image: Any, seed: int) -> Any:
    """A phone photo: the sheet seen at an angle, on a grey desk, unevenly lit."""
    rng = np.random.default_rng(seed)
    h, w = image.shape
    pad = int(0.08 * w)
    canvas = np.full((h + 2 * pad, w + 2 * pad), 120, np.uint8)
    source = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = rng.uniform(-0.035, 0.035, (4, 2)) * np.float32([w, h])
    target = source + pad + jitter.astype(np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    warped = cv2.warpPerspective(image, matrix, canvas.shape[::-1], borderValue=120)
    light = np.linspace(0.85, 1.0, canvas.shape[1], dtype=np.float32)[None, :]
    return np.clip(warped.astype(np.float32) * light, 0, 255).astype(np.uint8)


def box(layout: Layout, department: str, grade: str) -> Rect:
    """Where a department's grade box is printed."""
    return next(b.rect for b in layout.boxes if b.department == department and b.grade == grade)
