"""Black boxes on a page: where they are, what code they carry, and what text they fail to hide.

A box is a filled dark rectangle (vector path or solid black image) over the text area. Light text
inside it is its printed label (an exemption code); dark text under it is still in the text layer: a
failed redaction, reported as `leaked_text` and never put back into the body. Each box becomes a marker
such as "█[REDACTED (b)(6)]█" at its place in the line it stands on.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageStat

from importers.pdf_layout import Line, Unit
from importers.records import RedactionRecord

CODE_RE = re.compile(
    r"""
    \(b\)\s*\(\s*[1-9]\s*\)(?:\s*\(\s*[A-Fa-f]\s*\))*
  | \bb\s*\(\s*[1-9]\s*\)(?:\s*\(\s*[A-Fa-f]\s*\))*
  | (?:\bPOL|Public\s+Officers\s+Law|§)\s*§?\s*87\s*\(\s*2\s*\)\s*\(\s*[a-qA-Q]\s*\)(?:\s*\(\s*[ivx]+\s*\))?
  | \bB[1-9](?:\s*\(\s*[A-F]\s*\))?\b
  | \bEx(?:emption|\.)?\s*[1-9]\b
  | \bRedacted\b | \bWithheld\b
    """,
    re.VERBOSE | re.IGNORECASE,
)
_LABEL_WORDS_RE = re.compile(r"\b(?:redact|withheld|exempt|privilege|confidential|sensitive)\w*", re.IGNORECASE)
_MIN_SIDE, _MIN_AREA, _MAX_PAGE_SHARE = 5.0, 40.0, 0.6


@dataclass
class Box:
    """A dark rectangle in top-left page points."""

    x0: float
    top: float
    x1: float
    bottom: float
    label: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    code: str | None = None
    scanned: bool = False  # found in page pixels: whatever OCR reads inside it is its label

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


def marker(code: str | None) -> str:
    """The text a box leaves in the body."""
    return f"█[REDACTED {code}]█" if code and code.lower() != "redacted" else "█[REDACTED]█"


def find_codes(text: str) -> str | None:
    """Exemption codes printed in `text`, joined as printed ("(b)(6), (b)(7)(C)"), or None."""
    codes = [re.sub(r"\s+", " ", m.group(0)).strip() for m in CODE_RE.finditer(text)]
    return ", ".join(dict.fromkeys(codes)) or None


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


def vector_boxes(page: pdfium.PdfPage) -> tuple[list[Box], float]:
    """Dark filled paths and solid black images on a page (what pdf tools draw as redactions), and
    the largest share of the page one image covers (a scan behind the page)."""
    left, bottom, right, top = page.get_cropbox()
    page_area = max(1.0, (right - left) * (top - bottom))
    image_share = 0.0
    boxes: list[Box] = []
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for obj, kind, outer in _walk(page):
        rects: list[tuple[float, float, float, float]] = []
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not fill.value:
                continue
            if not pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a) or a.value < 200:
                continue
            if not _dark(r.value, g.value, b.value):
                continue
            segments = pdfium_c.FPDFPath_CountSegments(obj)
            if segments > 40:  # glyph outlines and drawings, not boxes
                continue
            rects = _subpath_boxes(obj) if segments > 5 else [_bounds(obj)]
        else:
            x0, y0, x1, y1 = _apply(outer, _bounds(obj))
            image_share = max(image_share, (x1 - x0) * (y1 - y0) / page_area)
            if (x1 - x0) * (y1 - y0) > 0.4 * page_area or not _is_black_image(page, obj):
                continue
            rects = [_bounds(obj)]
        for rect in rects:
            x0, y0, x1, y1 = _apply(outer, rect)
            box = Box(x0 - left, top - y1, x1 - left, top - y0)
            if _plausible(box, page_area):
                boxes.append(box)
    return _dedupe(boxes), image_share


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
        box = Box(px[0] / scale, px[1] / scale, px[2] / scale, px[3] / scale, scanned=True)
        if _plausible(box, gray.width * gray.height / scale / scale):
            boxes.append(box)
    return boxes


def _covers(box: Box, unit: Unit) -> bool:
    cx, cy = (unit.x0 + unit.x1) / 2, (unit.top + unit.bottom) / 2
    return box.x0 - 0.5 <= cx <= box.x1 + 0.5 and box.top - 1 <= cy <= box.bottom + 1


def _touches(box: Box, line: Line) -> bool:
    height = max(1.0, line.bottom - line.top)
    return min(box.bottom, line.bottom) - max(box.top, line.top) >= 0.45 * min(height, box.bottom - box.top)


def _leak(hidden: list[str]) -> str | None:
    """Readable text under a box, unless it is only filler ("XXXX", a dot) or the box's own label
    printed in dark ink ("Privileged", "(b)(6)")."""
    text = re.sub(r"\s+", " ", "".join(hidden)).strip()
    alnum = [c for c in text if c.isalnum()]
    if len(alnum) < 2 or len(set(c.lower() for c in alnum)) < 2:
        return None
    rest = _LABEL_WORDS_RE.sub("", CODE_RE.sub("", text))
    if not any(c.isalnum() for c in rest):
        return None
    return text


class _Builder:
    """Rebuilds a line from visible units and markers, spacing markers like words."""

    def __init__(self, joiner: str) -> None:
        self.joiner, self.out, self.after_marker = joiner, "", False

    def add(self, text: str) -> None:
        if text.isspace():
            if self.out and not self.out.endswith(" "):
                self.out += " "
            return
        if self.after_marker and not self.out.endswith(" ") and text[0] not in ".,;:)!?'\"":
            self.out += " "
        elif self.joiner and self.out and not self.out.endswith(" "):
            self.out += self.joiner
        self.out += text
        self.after_marker = False

    def mark(self, text: str) -> int:
        if self.out and not self.out.endswith(" ") and self.out[-1] not in "-(/$@#":
            self.out += " "
        offset = len(self.out)
        self.out += text
        self.after_marker = True
        return offset


def apply_boxes(lines: list[Line], boxes: list[Box], page: int, units_for: Callable[[Line], list[Unit]]) -> list[Line]:
    """Lines with each box turned into a marker (with its code) and hidden text taken out."""
    if not boxes:
        return lines
    touched = {i: [b for b in boxes if _touches(b, line)] for i, line in enumerate(lines)}
    touched = {i: bs for i, bs in touched.items() if bs}
    units = {i: units_for(lines[i]) for i in touched}
    for i, line_boxes in touched.items():
        for unit in units[i]:
            for box in line_boxes:
                if not _covers(box, unit):
                    continue
                if unit.text.isspace():
                    box.label.append(" ")
                    box.hidden.append(" ")
                else:
                    (box.label if unit.light else box.hidden).append(unit.text + lines[i].joiner)
                break
        for box in line_boxes:
            box.hidden.append(" ")
    real = []
    for box in boxes:
        label = "".join(box.label)
        box.code = find_codes(label) or (find_codes("".join(box.hidden)) if _leak(box.hidden) is None else None)
        heading = sum(c.isalnum() for c in label) >= 3 and not _LABEL_WORDS_RE.search(label)
        if box.code is None and heading and not box.scanned:
            continue  # light text on a dark band: a styled heading, not a redaction
        real.append(box)
    emitted: set[int] = set()
    records = {id(b): RedactionRecord(page=page, bbox=(b.x0, b.top, b.x1, b.bottom)) for b in real}
    out: list[Line] = []
    for i, line in enumerate(lines):
        line_boxes = [b for b in touched.get(i, []) if id(b) in records]
        if not line_boxes:
            out.append(line)
            continue
        out.append(_rebuild(line, units[i], line_boxes, records, emitted))
    for box in real:
        if id(box) not in emitted:  # a box over a blank stretch: its own line, in page order
            record = records[id(box)]
            record.code, record.leaked_text = box.code, _leak(box.hidden)
            out.append(Line(page, box.top, box.bottom, box.x0, box.x1, marker(box.code), marks=[(0, record)]))
    out.sort(key=lambda ln: (round(ln.top), ln.x0))
    return [ln for ln in out if ln.text.strip()]


def _beside_code(box: Box, units: list[Unit], covered: set[int], joiner: str) -> tuple[str | None, set[int]]:
    """A code printed just right of a box, and the units it occupies (they join the marker)."""
    after = [(k, u) for k, u in enumerate(units) if k not in covered and box.x1 - 1 <= u.x0 <= box.x1 + 60]
    text, spans = "", []
    for k, unit in after:
        if text and joiner:
            text += joiner
        spans.append((len(text), k))
        text += unit.text
    stripped = text.lstrip()
    match = CODE_RE.match(stripped)
    if not match or box.code is not None:
        return None, set()
    end = len(text) - len(stripped) + match.end()
    return re.sub(r"\s+", " ", match.group(0)), {k for pos, k in spans if pos < end}


def _rebuild(
    line: Line,
    units: list[Unit],
    boxes: list[Box],
    records: dict[int, RedactionRecord],
    emitted: set[int],
) -> Line:
    covered = {k for k, u in enumerate(units) if any(_covers(b, u) for b in boxes)}
    consumed: set[int] = set()
    pending = sorted((b for b in boxes if id(b) not in emitted), key=lambda b: b.x0)
    for box in pending:
        code, used = _beside_code(box, units, covered, line.joiner)
        if code:
            box.code, consumed = code, consumed | used
    builder = _Builder(line.joiner)
    marks: list[tuple[int, RedactionRecord]] = []

    def emit(box: Box) -> None:
        record = records[id(box)]
        record.code, record.leaked_text = box.code, _leak(box.hidden)
        marks.append((builder.mark(marker(box.code)), record))
        emitted.add(id(box))
        pending.remove(box)

    for k, unit in enumerate(units):
        cx = (unit.x0 + unit.x1) / 2
        for box in list(pending):
            if (k in covered and _covers(box, unit)) or (cx > box.cx and not unit.text.isspace()):
                emit(box)
        if k not in covered and k not in consumed:
            builder.add(unit.text)
    for box in list(pending):
        emit(box)
    line.text, line.marks, line.units = builder.out.strip(), marks, None
    return line
