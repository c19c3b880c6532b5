"""Annotations used as redactions: a dark highlight, a filled square, or a Redact annotation that was
marked but never applied. None of them removes anything: the text under them stays in the text layer,
so every one that covers text is a failed redaction (the leak audit reads what it covers).

An annotation without an appearance stream shows whatever the viewer decides, so it cannot be judged:
it gets a warning and no box.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import ImageStat

from importers.pdf_boxes import Box

_KINDS = {
    pdfium_c.FPDF_ANNOT_HIGHLIGHT: "highlight",
    pdfium_c.FPDF_ANNOT_SQUARE: "highlight",
    pdfium_c.FPDF_ANNOT_REDACT: "redact_annotation",
}
_NAMES = {
    pdfium_c.FPDF_ANNOT_HIGHLIGHT: "highlight",
    pdfium_c.FPDF_ANNOT_SQUARE: "square",
    pdfium_c.FPDF_ANNOT_REDACT: "Redact",
}


def _has_appearance(annot: ctypes.c_void_p) -> bool:
    mode = pdfium_c.FPDF_ANNOT_APPEARANCEMODE_NORMAL
    return pdfium_c.FPDFAnnot_GetAP(annot, mode, None, 0) > 2  # the length counts a two-byte terminator


def _rects(annot: ctypes.c_void_p) -> list[tuple[float, float, float, float]]:
    """The quads a highlight covers (one per line), else the annotation's rectangle; PDF space."""
    quads = []
    quad = pdfium_c.FS_QUADPOINTSF()
    for i in range(pdfium_c.FPDFAnnot_CountAttachmentPoints(annot)):
        if pdfium_c.FPDFAnnot_GetAttachmentPoints(annot, i, quad):
            xs, ys = (quad.x1, quad.x2, quad.x3, quad.x4), (quad.y1, quad.y2, quad.y3, quad.y4)
            quads.append((min(xs), min(ys), max(xs), max(ys)))
    if quads:
        return quads
    rect = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDFAnnot_GetRect(annot, rect):
        return []
    xs, ys = (rect.left, rect.right), (rect.bottom, rect.top)
    return [(min(xs), min(ys), max(xs), max(ys))]


def _dark_on_page(page: pdfium.PdfPage, box: Box) -> bool:
    """Whether the page, annotations drawn, is dark where the box is (pdfium gives no colour for an
    annotation that has an appearance stream: the stream decides)."""
    scale = 0.5
    image = page.render(scale=scale, grayscale=True, draw_annots=True).to_pil()
    crop = image.crop((int(box.x0 * scale), int(box.top * scale), int(box.x1 * scale) + 1, int(box.bottom * scale) + 1))
    return ImageStat.Stat(crop.convert("L")).mean[0] < 80


def annotation_boxes(page: pdfium.PdfPage, number: int, warnings: list[str]) -> list[Box]:
    """Boxes for the annotations on a page that hide text the way a redaction should, in top-left points."""
    count = pdfium_c.FPDFPage_GetAnnotCount(page.raw)
    if not count:
        return []
    left, bottom, right, top = page.get_cropbox()
    boxes: list[Box] = []
    for index in range(count):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        if not annot:
            continue
        try:
            subtype = pdfium_c.FPDFAnnot_GetSubtype(annot)
            if subtype not in _KINDS:
                continue
            if not _has_appearance(annot):
                warnings.append(
                    f"page {number}: a {_NAMES[subtype]} annotation has no appearance, so what it shows "
                    "cannot be judged"
                )
                continue
            for x0, y0, x1, y1 in _rects(annot):
                box = Box(max(0.0, x0 - left), max(0.0, top - y1), min(right, x1) - left, min(top - bottom, top - y0))
                box.kind = _KINDS[subtype]
                if box.x1 - box.x0 >= 2 and box.bottom - box.top >= 2:
                    boxes.append(box)
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    # a highlight or square hides only when dark (a yellow highlight marks text for reading); a Redact
    # annotation never applied leaves its text whatever it looks like
    return [box for box in boxes if box.kind == "redact_annotation" or _dark_on_page(page, box)]
