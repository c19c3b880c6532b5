"""The leak audit of pages that carry boxes: which characters each box really hides, read with
pdfplumber's character geometry (pypdfium2 stays the fast reader of every page's text).

A character counts as hidden under a box when the box covers most of it and either it was drawn before
the box (the box is painted over it) or it has the box's colour (black ink on a black box drawn after
it). Light ink drawn after the box is the box's printed label. Whatever an annotation or a translucent
box covers is hidden text still readable, since neither paints anything opaque over the page; so is
text in an invisible rendering mode (an OCR layer), whatever its colour. Only the pages that carry boxes
are opened with pdfplumber: it takes tens of milliseconds a page, too slow for every page.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdfium2.raw as pdfium_c

from importers.pdf_boxes import Box
from importers.pdf_layout import TextLayer

if TYPE_CHECKING:
    import pdfplumber

_COVERED = 0.6  # share of a character's box a redaction must cover for the character to count as hidden
_SAME_COLOUR = 0.15  # luminance difference (0 to 1) below which ink and box look alike
_INVISIBLE_MODES = {3, 7}  # PDF text rendering modes that paint nothing (neither fill nor stroke)
_SEE_THROUGH = {"translucent", "highlight", "redact_annotation"}
_DRAWINGS = {"rect", "curve", "image"}


def _luminance(colour: Any) -> float | None:
    """0 (black) to 1 (white) for a gray, RGB or CMYK colour; None for patterns and unknowns."""
    if isinstance(colour, int | float):
        colour = (colour,)
    if not isinstance(colour, tuple | list) or not all(isinstance(c, int | float) for c in colour):
        return None
    if len(colour) == 1:
        return float(colour[0])
    if len(colour) == 3:
        return 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
    if len(colour) == 4:
        c, m, y, k = colour
        return 0.299 * (1 - c) * (1 - k) + 0.587 * (1 - m) * (1 - k) + 0.114 * (1 - y) * (1 - k)
    return None


def _overlap(obj: dict[str, Any], box: Box) -> float:
    w = min(obj["x1"], box.x1) - max(obj["x0"], box.x0)
    h = min(obj["bottom"], box.bottom) - max(obj["top"], box.top)
    return w * h if w > 0 and h > 0 else 0.0


def _area(obj: dict[str, Any] | Box) -> float:
    if isinstance(obj, Box):
        return max(0.0, obj.x1 - obj.x0) * max(0.0, obj.bottom - obj.top)
    return max(0.0, obj["x1"] - obj["x0"]) * max(0.0, obj["bottom"] - obj["top"])


def _drawn_as(box: Box, drawings: list[tuple[int, dict[str, Any]]]) -> tuple[int, float | None] | None:
    """When the box was painted (its place in the page's drawing order) and its colour's luminance: the
    first drawing that is the box (covers most of it and is not much bigger)."""
    area = _area(box)
    for seq, obj in drawings:
        shared = _overlap(obj, box)
        if area and shared >= 0.8 * area and shared >= 0.5 * _area(obj):
            return seq, 0.0 if obj["object_type"] == "image" else _luminance(obj.get("non_stroking_color"))
    return None


def _text(chars: list[dict[str, Any]]) -> list[str]:
    """Characters in reading order, a space where a gap or a line break falls between two."""
    chars.sort(key=lambda c: (round(c["top"] / 3), c["x0"]))
    out: list[str] = []
    for prev, char in zip([None, *chars], chars, strict=False):
        if prev is not None:
            new_line = abs(char["top"] - prev["top"]) > 0.5 * max(1.0, prev["bottom"] - prev["top"])
            if new_line or char["x0"] - prev["x1"] > 0.12 * max(1.0, char["size"]):
                out.append(" ")
        out.append(char["text"])
    return out


class _RenderModes:
    """The text rendering mode of a character, asked of pdfium at the character's place (pdfplumber does
    not keep it)."""

    def __init__(self, layer: TextLayer) -> None:
        self.layer = layer

    def at(self, char: dict[str, Any]) -> int | None:
        x = (char["x0"] + char["x1"]) / 2 + self.layer.left
        y = self.layer.top - (char["top"] + char["bottom"]) / 2
        raw = self.layer.textpage.raw
        index = pdfium_c.FPDFText_GetCharIndexAtPos(raw, ctypes.c_double(x), ctypes.c_double(y), 1.0, 1.0)
        if index < 0:
            return None
        obj = pdfium_c.FPDFText_GetTextObject(raw, index)
        return pdfium_c.FPDFTextObj_GetTextRenderMode(obj) if obj else None


def audit_page(page: pdfplumber.page.Page, boxes: Sequence[Box], layer: TextLayer | None = None) -> None:
    """Set each box's `audited` to the characters it hides, in reading order."""
    objects = list(enumerate(page.iter_layout_objects(list(page.layout))))
    chars = [(seq, obj) for seq, obj in objects if obj["object_type"] == "char" and obj["text"].strip()]
    drawings = [(seq, obj) for seq, obj in objects if obj["object_type"] in _DRAWINGS]
    modes = _RenderModes(layer) if layer is not None else None
    for box in boxes:
        painted = None if box.kind in _SEE_THROUGH else _drawn_as(box, drawings)
        hidden = []
        for seq, char in chars:
            if _area(char) == 0 or _overlap(char, box) < _COVERED * _area(char):
                continue
            ink = _luminance(char.get("non_stroking_color"))
            if box.kind in _SEE_THROUGH:
                hidden.append(char)
                continue
            if painted is None:  # drawn in a way we cannot place: judge by colour alone
                if ink is None or ink < 0.6:
                    hidden.append(char)
                continue
            order, colour = painted
            same = ink is not None and colour is not None and abs(ink - colour) < _SAME_COLOUR
            invisible = modes is not None and modes.at(char) in _INVISIBLE_MODES
            if seq < order or same or invisible:
                hidden.append(char)
        box.audited = _text(hidden)


class LeakAudit:
    """The release opened with pdfplumber only when a page with boxes asks for it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pdf: pdfplumber.PDF | None = None

    def audit(self, index: int, boxes: Sequence[Box], layer: TextLayer) -> None:
        """Audit page `index` (0-based); a page pdfplumber cannot parse keeps pypdfium2's reading."""
        if not boxes:
            return
        import pdfplumber  # here, not at the top: its ~70 ms would slow every start of the CLI, even for mail

        try:
            if self.pdf is None:
                self.pdf = pdfplumber.open(self.path)
            page = self.pdf.pages[index]
            try:
                audit_page(page, boxes, layer)
            finally:
                page.close()
        except Exception:  # pdfminer raises many kinds on damaged content streams
            for box in boxes:
                box.audited = None

    def close(self) -> None:
        """Close the file; pdfplumber's close builds every page, which a damaged page tree fails."""
        if self.pdf is not None:
            try:
                self.pdf.close()
            except Exception:
                self.pdf.stream.close()
