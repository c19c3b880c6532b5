"""Where the black boxes are: dark filled paths and solid black images in a page's objects (with
the matrices of the forms they sit in), or solid dark patches in a scanned page's pixels.

Only geometry here; what a box hides and how it shows in the text is importers.pdf_redactions.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageStat

# a box may black out most of a page (a withheld body); one that covers all of it is a page background
_MIN_SIDE, _MIN_AREA, _MAX_PAGE_SHARE = 5.0, 40.0, 0.9
# more dark shapes than this on one page are a drawing (table cells, text set as shapes), not redactions
_MAX_BOXES = 150
_OPAQUE, _FAINT = 200, 40  # fill alpha (0-255): opaque from 200, below 40 no box at all


@dataclass
class Box:
    """A dark rectangle in top-left page points."""

    x0: float
    top: float
    x1: float
    bottom: float
    label: list[str] = field(default_factory=list)  # light ink read inside: its printed code
    hidden: list[str] = field(default_factory=list)  # dark ink under it: text it fails to hide
    code: str | None = None
    scanned: bool = False  # on a page OCR reads: whatever OCR reads inside it is its label
    burned_in: bool = False  # found in the scan's pixels, not drawn: it may be letterhead art
    kind: str = "box"  # box, image, translucent, highlight, redact_annotation or scan (RedactionRecord.kind)
    audited: list[str] | None = None  # the text the leak audit found hidden under it, when it ran
    readable: str | None = None  # what OCR reads in its contrast-stretched pixels (scanned pages)
    crop: bytes | None = None  # those pixels as PNG

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


def _dark(r: float, g: float, b: float) -> bool:
    """Black or near-black grey: redaction tools do not use dark reds or blues."""
    return 0.299 * r + 0.587 * g + 0.114 * b < 64 and max(r, g, b) - min(r, g, b) < 40


def _plausible(box: Box, page_area: float) -> bool:
    w, h = box.x1 - box.x0, box.bottom - box.top
    return w >= _MIN_SIDE and h >= _MIN_SIDE and w * h >= _MIN_AREA and w * h <= _MAX_PAGE_SHARE * page_area


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _matrix(obj: ctypes.c_void_p) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """inner then outer, as PDF matrices multiply."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for x, y in ((rect[0], rect[1]), (rect[2], rect[3]), (rect[0], rect[3]), (rect[2], rect[1])):
        xs.append(m[0] * x + m[2] * y + m[4])
        ys.append(m[1] * x + m[3] * y + m[5])
    return min(xs), min(ys), max(xs), max(ys)


def _walk(page: pdfium.PdfPage) -> Iterator[tuple[ctypes.c_void_p, int, Matrix]]:
    """Every object on the page with the matrix of the forms it sits in (form space to page space)."""
    stack: list[tuple[ctypes.c_void_p | None, Matrix, int]] = [(None, _IDENTITY, 0)]
    while stack:
        form, outer, depth = stack.pop()
        count = pdfium_c.FPDFFormObj_CountObjects(form) if form else pdfium_c.FPDFPage_CountObjects(page.raw)
        for i in range(count):
            obj = pdfium_c.FPDFFormObj_GetObject(form, i) if form else pdfium_c.FPDFPage_GetObject(page.raw, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4:
                stack.append((obj, _compose(_matrix(obj), outer), depth + 1))
            elif kind in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE):
                yield obj, kind, outer


def _bounds(obj: ctypes.c_void_p) -> tuple[float, float, float, float]:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
    return left.value, bottom.value, right.value, top.value


def _subpath_boxes(obj: ctypes.c_void_p) -> list[tuple[float, float, float, float]]:
    """Bounds of each subpath, so one path holding a bar per line gives a box per line."""
    count = pdfium_c.FPDFPath_CountSegments(obj)
    m = _matrix(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    boxes, points = [], []
    for i in range(count + 1):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i) if i < count else None
        if seg is None or pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO:
            if len(points) >= 3:
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                boxes.append((min(xs), min(ys), max(xs), max(ys)))
            points = []
        if seg is not None:
            pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
            points.append((m[0] * x.value + m[2] * y.value + m[4], m[1] * x.value + m[3] * y.value + m[5]))
    return boxes


def _is_black_image(page: pdfium.PdfPage, obj: ctypes.c_void_p) -> bool:
    """An image that renders as an opaque, uniformly black block (masks applied, so a dark logo
    shaped by transparency is not a box)."""
    raw = pdfium_c.FPDFImageObj_GetRenderedBitmap(page.pdf.raw, page.raw, obj)
    if not raw:
        return False  # undecodable image data: not something we can call a box
    image = pdfium.PdfBitmap.from_raw(raw).to_pil()  # the wrapper frees the bitmap
    if image.mode == "RGBA" and image.getchannel("A").getextrema()[0] < 200:
        return False
    gray = image.convert("L")
    gray.thumbnail((64, 64))
    stat = ImageStat.Stat(gray)
    return stat.mean[0] < 50 and stat.stddev[0] < 40


def vector_boxes(page: pdfium.PdfPage, warnings: list[str] | None = None, number: int = 0) -> tuple[list[Box], float]:
    """Dark filled paths and solid black images on a page (what pdf tools draw as redactions), and
    the largest share of the page one image covers (a scan behind the page). Translucent dark boxes
    are kept (kind "translucent": what they cover shows through). A page that cannot be judged (a dark
    fill over all of it, thousands of small shapes) gets a warning in `warnings` and no boxes."""
    left, bottom, right, top = page.get_cropbox()
    page_area = max(1.0, (right - left) * (top - bottom))
    image_share = 0.0
    boxes: list[Box] = []
    whole_page = False
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for obj, kind, outer in _walk(page):
        rects: list[tuple[float, float, float, float]] = []
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not fill.value:
                continue
            if not pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a) or a.value < _FAINT:
                continue
            if not _dark(r.value, g.value, b.value):
                continue
            segments = pdfium_c.FPDFPath_CountSegments(obj)
            if segments > 40:  # glyph outlines and drawings, not boxes
                continue
            rects = _subpath_boxes(obj) if segments > 5 else [_bounds(obj)]
            box_kind = "translucent" if a.value < _OPAQUE else "box"
        else:
            x0, y0, x1, y1 = _apply(outer, _bounds(obj))
            image_share = max(image_share, (x1 - x0) * (y1 - y0) / page_area)
            if (x1 - x0) * (y1 - y0) > 0.4 * page_area or not _is_black_image(page, obj):
                continue
            rects, box_kind = [_bounds(obj)], "image"
        for rect in rects:
            x0, y0, x1, y1 = _apply(outer, rect)
            box = _clip(Box(x0 - left, top - y1, x1 - left, top - y0, kind=box_kind), right - left, top - bottom)
            whole_page = whole_page or (box.x1 - box.x0) * (box.bottom - box.top) > _MAX_PAGE_SHARE * page_area
            if _plausible(box, page_area):
                boxes.append(box)
    boxes = _dedupe(boxes)
    if len(boxes) > _MAX_BOXES:
        _warn(warnings, f"page {number}: {len(boxes)} small dark shapes (a drawing or table), not judged as redactions")
        return [], image_share
    if whole_page:
        _warn(warnings, f"page {number}: a dark fill covers the whole page; what it covers cannot be judged")
    return boxes, image_share


def _warn(warnings: list[str] | None, text: str) -> None:
    if warnings is not None:
        warnings.append(text)


def _clip(box: Box, width: float, height: float) -> Box:
    """The part of a box on the page (a box may be drawn partly off it)."""
    box.x0, box.x1 = max(0.0, box.x0), min(width, box.x1)
    box.top, box.bottom = max(0.0, box.top), min(height, box.bottom)
    return box


def _dedupe(boxes: list[Box]) -> list[Box]:
    """Drop boxes lying (almost) inside a bigger one: shadows and doubled strokes of one redaction."""
    boxes.sort(key=lambda bx: (bx.x1 - bx.x0) * (bx.bottom - bx.top), reverse=True)
    kept: list[Box] = []
    for box in boxes:
        area = (box.x1 - box.x0) * (box.bottom - box.top)
        if not any(_overlap_area(box, k) > 0.8 * area for k in kept):
            kept.append(box)
    return kept


def _overlap_area(a: Box, b: Box) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.bottom, b.bottom) - max(a.top, b.top)
    return w * h if w > 0 and h > 0 else 0.0


def image_boxes(image: Image.Image, scale: float) -> list[Box]:
    """Solid dark rectangles in a scanned page image; `scale` is pixels per point.

    The page is cut into cells of about 2 points; a box is a patch of cells that are nearly all dark
    (grown through cells at least half dark, so a white code printed inside does not split it) whose
    shape fills its bounding rectangle. Text strokes never make such patches."""
    gray = image.convert("L")
    cell = max(1, round(2 * scale))
    cols, rows = max(1, gray.width // cell), max(1, gray.height // cell)
    dark = gray.point(lambda v: 255 if v < 100 else 0).resize((cols, rows), Image.Resampling.BOX).tobytes()
    weak = {i for i, v in enumerate(dark) if v > 128}
    boxes: list[Box] = []
    seen: set[int] = set()
    for start in (i for i in weak if dark[i] > 230):
        if start in seen:
            continue
        stack, comp = [start], []
        seen.add(start)
        while stack:
            i = stack.pop()
            comp.append(i)
            x = i % cols
            for j in (i - 1 if x else -1, i + 1 if x + 1 < cols else -1, i - cols, i + cols):
                if j in weak and j not in seen:
                    seen.add(j)
                    stack.append(j)
        xs, ys = [i % cols for i in comp], [i // cols for i in comp]
        x0, x1, y0, y1 = min(xs), max(xs) + 1, min(ys), max(ys) + 1
        if x1 - x0 < 4 or y1 - y0 < 3 or len(comp) < 0.85 * (x1 - x0) * (y1 - y0):
            continue
        if x0 == 0 or y0 == 0 or x1 >= cols or y1 >= rows:  # scanner edge, not a box
            continue
        px = (x0 * cell, y0 * cell, x1 * cell, y1 * cell)
        if ImageStat.Stat(gray.crop(px)).mean[0] > 100:
            continue
        box = Box(px[0] / scale, px[1] / scale, px[2] / scale, px[3] / scale, scanned=True, burned_in=True, kind="scan")
        if _plausible(box, gray.width * gray.height / scale / scale):
            boxes.append(box)
    return boxes


def scan_boxes(drawn: list[Box], burned_in: list[Box]) -> list[Box]:
    """The boxes of a scanned page: those drawn over the scan, exact and one per rectangle even where
    they touch, and the boxes in its pixels that no drawn box accounts for (burned in before scanning).
    A drawn box renders into the pixels too, so a pixel box mostly under drawn ones is one of them, or
    several touching ones merged."""
    for box in drawn:
        box.scanned = True
    extra = [
        box
        for box in burned_in
        if sum(_overlap_area(box, d) for d in drawn) < 0.5 * (box.x1 - box.x0) * (box.bottom - box.top)
    ]
    return drawn + extra
