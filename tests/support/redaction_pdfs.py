"""Releases with redactions that fail in every way a leak audit must catch, and decoys it must not flag.

Each `write_*` writes one PDF and returns its `LeakCase`: the texts a reader can still get at (true
leaks, or possibly readable pixels on a scan) and how many decoys sit on it. Boxes carry exemption codes
printed in white, as FOIA offices print them. Annotations are added with pypdfium2 after fpdf2 lays out
the text: a dark highlight, and a Redact annotation (marked, never applied), written as a square and
renamed, since pdfium creates no Redact annotations.
"""

from __future__ import annotations

import ctypes
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from tests.support.pdfgen import FIXED_CREATION_DATE

_X, _SIZE = 72.0, 11.0


@dataclass
class LeakCase:
    """One generated file: what still shows under its boxes, and its decoys (boxes that hide properly,
    white boxes on white text, yellow highlights)."""

    path: Path
    leaks: list[str] = field(default_factory=list)
    readable: list[str] = field(default_factory=list)  # possibly readable through a scan's boxes
    decoys: int = 0
    warnings: int = 0  # pages or annotations that cannot be judged


def _page() -> FPDF:
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_creation_date(FIXED_CREATION_DATE)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("helvetica", size=_SIZE)
    return pdf


def _say(pdf: FPDF, y: float, text: str, x: float = _X) -> tuple[float, float]:
    """Write `text` at a line and return its x extent."""
    pdf.text(x, y, text)
    return x, x + pdf.get_string_width(text)


def _box(pdf: FPDF, x0: float, y: float, x1: float, code: str | None = None, opacity: float = 1.0) -> None:
    """A black box over the line whose baseline is `y`, its code printed inside in white."""
    pdf.set_fill_color(0, 0, 0)
    with pdf.local_context(fill_opacity=opacity):
        pdf.rect(x0 - 1, y - _SIZE, x1 - x0 + 2, _SIZE + 3, style="F")
    if code:
        pdf.set_text_color(255, 255, 255)
        pdf.set_font_size(7)
        pdf.text(x0 + 2, y - 2, code)
        pdf.set_font_size(_SIZE)
        pdf.set_text_color(0, 0, 0)


def _boxed_gap(pdf: FPDF, y: float, before: str, width: float, after: str, code: str) -> None:
    """A line with a properly applied redaction: text taken out, a coded box in its place."""
    _x, x = _say(pdf, y, before)
    _box(pdf, x + 3, y, x + 3 + width, code)
    _say(pdf, y, after, x + width + 8)


def write_coded_boxes(path: Path) -> LeakCase:
    """FOIA-style boxes with codes printed in white: three applied properly, one over live text."""
    pdf = _page()
    _boxed_gap(pdf, 100, "Please call", 60, "about the permit.", "(b)(6)")
    _boxed_gap(pdf, 130, "The informant", 70, "was interviewed twice.", "(b)(7)(C)")
    _boxed_gap(pdf, 160, "Deliberations", 90, "continue next week.", "(b)(5)")
    x0, x1 = _say(pdf, 190, "Jane Roe")
    _say(pdf, 190, "lives on Elm Street.", x1 + 6)
    _box(pdf, x0, 190, x1, "(b)(6)")
    pdf.output(str(path))
    return LeakCase(path, leaks=["Jane Roe"], decoys=3)


def write_text_leaks(path: Path) -> LeakCase:
    """Boxes over live text, black text drawn on a black box, and decoys: a white box on white text,
    filler under a box, a box with only its label in it."""
    pdf = _page()
    x0, x1 = _say(pdf, 100, "home phone 555-0142")
    _box(pdf, x0, 100, x1)
    _box(pdf, _X, 130, _X + 160)
    _say(pdf, 130, "Account 88-1207-44")  # black ink drawn after the black box: invisible, still there
    pdf.set_text_color(255, 255, 255)
    _say(pdf, 160, "white words on white")
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(_X - 1, 160 - _SIZE, 140, _SIZE + 3, style="F")
    pdf.set_text_color(0, 0, 0)
    x0, x1 = _say(pdf, 190, "XXXXXXXX")
    _box(pdf, x0, 190, x1)
    _box(pdf, _X, 220, _X + 70, "REDACTED")
    _say(pdf, 250, "Nothing under the boxes above is lost except where marked.")
    pdf.output(str(path))
    return LeakCase(path, leaks=["555-0142", "88-1207-44"], decoys=3)


def write_under_image(path: Path) -> LeakCase:
    """A black picture placed over a line of text."""
    pdf = _page()
    x0, x1 = _say(pdf, 100, "Witness: Maria Okafor")
    _say(pdf, 130, "The rest of the page is ordinary text.")
    pdf.image(Image.new("RGB", (40, 8), (0, 0, 0)), x=x0 - 1, y=100 - _SIZE, w=x1 - x0 + 2, h=_SIZE + 3)
    pdf.output(str(path))
    return LeakCase(path, leaks=["Maria Okafor"])


def write_translucent(path: Path) -> LeakCase:
    """A box at 40% opacity over live text (the text shows through), beside an opaque coded one."""
    pdf = _page()
    x0, x1 = _say(pdf, 100, "Badge 4471 Sgt. Alvarez")
    _box(pdf, x0, 100, x1, opacity=0.4)
    _boxed_gap(pdf, 130, "Approved by", 80, "on Monday.", "(b)(6)")
    pdf.output(str(path))
    return LeakCase(path, leaks=["Badge 4471 Sgt. Alvarez"], decoys=1)


def _annotate(source: Path, target: Path, add: Callable[[pdfium.PdfPage], None], rename: bytes = b"") -> None:
    doc = pdfium.PdfDocument(str(source))
    add(doc[0])
    buffer = io.BytesIO()
    doc.save(buffer)
    doc.close()
    data = buffer.getvalue()
    if rename:  # same length, so the cross-reference offsets stay right
        data = data.replace(b"/Subtype /Square", b"/Subtype /" + rename).replace(
            b"/Subtype/Square", b"/Subtype/" + rename
        )
    target.write_bytes(data)


def _annotation(
    page: pdfium.PdfPage,
    subtype: int,
    rect: tuple[float, float, float, float],
    rgb: tuple[int, int, int],
    appearance: bool = True,
) -> None:
    """An annotation over `rect` (x0, top, x1, bottom in top-left points), filled with `rgb`."""
    height = page.get_height()
    annot = pdfium_c.FPDFPage_CreateAnnot(page.raw, subtype)
    x0, top, x1, bottom = rect
    area = pdfium_c.FS_RECTF(x0, height - top, x1, height - bottom)
    pdfium_c.FPDFAnnot_SetRect(annot, ctypes.byref(area))
    pdfium_c.FPDFAnnot_SetColor(annot, pdfium_c.FPDFANNOT_COLORTYPE_Color, *rgb, 255)
    if subtype == pdfium_c.FPDF_ANNOT_SQUARE:
        pdfium_c.FPDFAnnot_SetColor(annot, pdfium_c.FPDFANNOT_COLORTYPE_InteriorColor, *rgb, 255)
    if subtype == pdfium_c.FPDF_ANNOT_HIGHLIGHT:
        quad = pdfium_c.FS_QUADPOINTSF(x0, height - top, x1, height - top, x0, height - bottom, x1, height - bottom)
        pdfium_c.FPDFAnnot_AppendAttachmentPoints(annot, ctypes.byref(quad))
    if appearance:
        r, g, b = (c / 255 for c in rgb)
        stream = f"{r:.2f} {g:.2f} {b:.2f} rg {x0:.2f} {height - bottom:.2f} {x1 - x0:.2f} {bottom - top:.2f} re f"
        wide = ctypes.create_string_buffer((stream + "\0").encode("utf-16-le"))
        pdfium_c.FPDFAnnot_SetAP(
            annot, pdfium_c.FPDF_ANNOT_APPEARANCEMODE_NORMAL, ctypes.cast(wide, pdfium_c.FPDF_WIDESTRING)
        )
    pdfium_c.FPDFPage_CloseAnnot(annot)


def write_highlights(path: Path) -> LeakCase:
    """A black highlight over a name (the text is untouched) and a yellow one over a heading (a decoy)."""
    pdf = _page()
    a0, a1 = _say(pdf, 100, "Project Nightingale")
    b0, b1 = _say(pdf, 130, "Summary of findings")
    pdf.output(str(path))

    def add(page: pdfium.PdfPage) -> None:
        _annotation(page, pdfium_c.FPDF_ANNOT_HIGHLIGHT, (a0 - 1, 100 - _SIZE, a1 + 1, 103), (0, 0, 0))
        _annotation(page, pdfium_c.FPDF_ANNOT_HIGHLIGHT, (b0 - 1, 130 - _SIZE, b1 + 1, 133), (255, 255, 0))

    _annotate(path, path, add)
    return LeakCase(path, leaks=["Project Nightingale"], decoys=1)


def write_redact_annotations(path: Path) -> LeakCase:
    """A Redact annotation marked over a case number and never applied, and one without an appearance
    (it cannot be judged: a warning, not a leak)."""
    pdf = _page()
    a0, a1 = _say(pdf, 100, "Case 2021-CR-0098")
    b0, b1 = _say(pdf, 130, "Plain sentence here")
    pdf.output(str(path))

    def add(page: pdfium.PdfPage) -> None:
        _annotation(page, pdfium_c.FPDF_ANNOT_SQUARE, (a0 - 1, 100 - _SIZE, a1 + 1, 103), (0, 0, 0))
        _annotation(page, pdfium_c.FPDF_ANNOT_SQUARE, (b0 - 1, 130 - _SIZE, b1 + 1, 133), (0, 0, 0), appearance=False)

    _annotate(path, path, add, rename=b"Redact")
    return LeakCase(path, leaks=["2021-CR-0098"], warnings=1)


def _scan(lines: list[tuple[float, str]], dpi: int = 150) -> Image.Image:
    scale = dpi / 72
    image = Image.new("L", (int(612 * scale), int(792 * scale)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=int(_SIZE * 1.4 * scale))
    for y, text in lines:
        draw.text((_X * scale, (y - _SIZE) * scale), text, fill=0, font=font)
    return image


def write_translucent_scan(path: Path) -> LeakCase:
    """A scanned page (no text layer): a grey marker burned into the scan over a name, a translucent box
    drawn over another, and a solid box that hides its line."""
    image = _scan([(100, "Officer Daniel Reyes"), (140, "Plate 7XKD-219 seen"), (180, "Solid box hides this")])
    scale = 150 / 72
    draw = ImageDraw.Draw(image)
    marker = image.crop((int(70 * scale), int(86 * scale), int(300 * scale), int(106 * scale))).point(
        lambda v: 90 if v > 128 else 10
    )
    image.paste(marker, (int(70 * scale), int(86 * scale)))
    draw.rectangle((int(70 * scale), int(166 * scale), int(300 * scale), int(186 * scale)), fill=0)
    pdf = _page()
    pdf.image(image, x=0, y=0, w=612, h=792)
    pdf.set_fill_color(0, 0, 0)
    with pdf.local_context(fill_opacity=0.45):
        pdf.rect(70, 126, 230, 20, style="F")
    pdf.output(str(path))
    return LeakCase(path, readable=["Daniel Reyes", "7XKD-219"], decoys=1)


def write_hostile(path: Path) -> LeakCase:
    """What must not crash or raise false leaks: two thousand tiny filled squares (a drawn table), a box
    hanging off the page edge over nothing, and a second page blacked out entirely."""
    pdf = _page()
    _say(pdf, 60, "A grid of drawn cells follows.")
    pdf.set_fill_color(0, 0, 0)
    for i in range(2000):
        pdf.rect(72 + (i % 50) * 9, 80 + (i // 50) * 9, 7, 7, style="F")
    pdf.rect(560, 700, 120, 30, style="F")
    pdf.add_page()
    _say(pdf, 100, "Under a full page of black.")
    pdf.rect(0, 0, 612, 792, style="F")
    pdf.output(str(path))
    return LeakCase(path, warnings=2)


WRITERS = (
    write_coded_boxes,
    write_text_leaks,
    write_under_image,
    write_translucent,
    write_highlights,
    write_redact_annotations,
    write_translucent_scan,
    write_hostile,
)


def write_all(directory: Path) -> list[LeakCase]:
    """Every generated case, one PDF each, named after its writer."""
    directory.mkdir(parents=True, exist_ok=True)
    return [write(directory / f"{write.__name__.removeprefix('write_')}.pdf") for write in WRITERS]
