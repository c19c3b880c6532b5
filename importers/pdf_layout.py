"""Printed lines of a PDF page, with positions, read fast from the text layer with pypdfium2.

Everything downstream (redactions, running headers, header blocks) works on `Line`s in points from the
top-left of the unrotated page, so text-layer pages and OCR'd pages look the same to the splitter.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from importers.records import RedactionRecord


class Area(Protocol):
    """Anything with a box in top-left page points (redaction boxes)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Unit:
    """The smallest piece of a line a box can cover: a character (text layer) or a word (OCR)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    light: bool = False  # light ink: visible on a black box, so it is a label, not hidden text
    confidence: float | None = None  # OCR'd words: Tesseract's confidence, 0 to 100


@dataclass
class Line:
    """One printed line. `marks` are the redaction markers in `text`, by character offset."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    bold: bool = False
    units: list[Unit] | None = None
    joiner: str = ""  # what goes between units when the line is rebuilt ("" chars, " " words)
    marks: list[tuple[int, RedactionRecord]] = field(default_factory=list)
    char_ranges: list[tuple[int, int]] = field(default_factory=list)  # text-layer character indices


def merge_same_baseline(lines: list[Line]) -> list[Line]:
    """Lines sorted top to bottom, pieces drawn separately on one baseline joined left to right (a piece
    a hair higher than the one left of it sorts first, so either side may come first)."""
    lines.sort(key=lambda ln: (round(ln.top), ln.x0))
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        height = min(line.bottom - line.top, prev.bottom - prev.top) if prev else 0
        overlap = min(line.bottom, prev.bottom) - max(line.top, prev.top) if prev else 0
        if prev is None or height <= 0 or overlap <= 0.6 * height:
            out.append(line)
        elif line.x0 >= prev.x1 - 1:
            _join(prev, line)
        elif line.x1 <= prev.x0 + 1:
            _join(line, prev)
            out[-1] = line
        else:
            out.append(line)
    return out


_COLUMN_WORDS = 2  # at most this many words on each line of a narrow column
_COLUMN_WIDTH = 160.0  # points: wider than this is an ordinary text block
_COLUMN_RUN = 5  # lines: fewer short lines are an address or a sign-off
_COLUMN_EDGE = 3.0  # points the left edges of a column's lines may differ


def _in_column(first: Line, prev: Line, line: Line) -> bool:
    height = max(4.0, prev.bottom - prev.top)
    return (
        line.page == prev.page
        and len(line.text.split()) <= _COLUMN_WORDS
        and abs(line.x0 - first.x0) <= _COLUMN_EDGE
        and line.x1 - first.x0 <= _COLUMN_WIDTH
        and 0 <= line.top - prev.bottom <= height
    )


def reflow_narrow_columns(lines: list[Line], starts_field: Callable[[Line], bool]) -> list[Line]:
    """Text wrapped into a very narrow column (a deep forward in a narrow print layout sets one or two
    words a line) joined back into lines: each header label starts a new one, so the header block reads
    as it was written, and the words between labels are one line of text."""
    out: list[Line] = []
    k = 0
    while k < len(lines):
        first = lines[k]
        end = k + 1
        short = len(first.text.split()) <= _COLUMN_WORDS and first.x1 - first.x0 <= _COLUMN_WIDTH
        while short and end < len(lines) and _in_column(first, lines[end - 1], lines[end]):
            end += 1
        if end - k < _COLUMN_RUN:
            out.append(first)
            k += 1
            continue
        out.append(first)
        for line in lines[k + 1 : end]:
            if starts_field(line):
                out.append(line)
            else:
                _join(out[-1], line)
        k = end
    return out


def _join(left: Line, right: Line) -> None:
    """`right` appended to `left`, which takes the span of both."""
    if left.units is not None and right.units is not None:
        left.units += [Unit(" ", left.x1, left.top, right.x0, left.bottom), *right.units]
    left.text = f"{left.text} {right.text}"
    left.x1 = max(left.x1, right.x1)
    left.top, left.bottom = min(left.top, right.top), max(left.bottom, right.bottom)
    left.bold = left.bold and right.bold
    left.char_ranges += right.char_ranges


class TextLayer:
    """The text layer of one pdfium page: lines with boxes, and characters on demand."""

    def __init__(self, page: pdfium.PdfPage, number: int) -> None:
        self.page = page
        self.number = number
        self.textpage = page.get_textpage()
        left, _bottom, _right, top = page.get_cropbox()
        self.left, self.top = left, top
        self.text = ""
        self._rect = pdfium_c.FS_RECTF()
        self._rgba = [ctypes.c_uint() for _ in range(4)]

    def close(self) -> None:
        self.textpage.close()

    @property
    def char_count(self) -> int:
        return self.textpage.count_chars()

    def char_box(self, index: int) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) of one character in top-left page points (advance box, not ink)."""
        rect = self._rect
        pdfium_c.FPDFText_GetLooseCharBox(self.textpage.raw, index, rect)
        return (rect.left - self.left, self.top - rect.top, rect.right - self.left, self.top - rect.bottom)

    def is_light(self, index: int) -> bool:
        r, g, b, a = self._rgba
        if not pdfium_c.FPDFText_GetFillColor(self.textpage.raw, index, r, g, b, a):
            return False
        return 0.299 * r.value + 0.587 * g.value + 0.114 * b.value > 160

    def is_bold(self, index: int) -> bool:
        if pdfium_c.FPDFText_GetFontWeight(self.textpage.raw, index) >= 600:
            return True
        buf = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        pdfium_c.FPDFText_GetFontInfo(self.textpage.raw, index, buf, 128, flags)
        return b"bold" in buf.value.lower() or b"black" in buf.value.lower()

    def lines(self) -> list[Line]:
        """The page's lines in reading order (top to bottom, pieces on one baseline joined)."""
        text = self.textpage.get_text_range()
        if len(text) != self.char_count:
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(self.textpage.raw, i)) for i in range(self.char_count))
        self.text = text
        lines: list[Line] = []
        pos = 0
        for piece in re.split(r"(\r\n|\n|\r)", text):
            start, pos = pos, pos + len(piece)
            if not piece.strip() or piece in ("\r\n", "\n", "\r"):
                continue
            first = start + len(piece) - len(piece.lstrip())
            last = start + len(piece.rstrip()) - 1
            x0, top0, _x1, bottom0 = self.char_box(first)
            _x0, top1, x1, bottom1 = self.char_box(last)
            lines.append(
                Line(
                    page=self.number,
                    top=min(top0, top1),
                    bottom=max(bottom0, bottom1),
                    x0=x0,
                    x1=x1,
                    text=re.sub(r"[ \t\u00a0]+", " ", piece.strip()),
                    bold=self.is_bold(first),
                    char_ranges=[(first, last + 1)],
                )
            )
        return merge_same_baseline(lines)

    def units(self, line: Line, boxes: Sequence[Area]) -> list[Unit]:
        """Characters of `line` with their boxes; ink colour is read only for those under `boxes`."""
        units: list[Unit] = []
        areas = [(b.x0, b.top, b.x1, b.bottom) for b in boxes]
        rect, raw, left, top = self._rect, self.textpage.raw, self.left, self.top
        loose_box = pdfium_c.FPDFText_GetLooseCharBox
        for char_range in line.char_ranges:
            if units:
                units.append(Unit(" ", units[-1].x1, units[-1].top, units[-1].x1, units[-1].bottom))
            for index in range(*char_range):
                char = self.text[index]
                if char.isspace():
                    x = units[-1].x1 if units else line.x0
                    units.append(Unit(" ", x, line.top, x, line.bottom))
                    continue
                loose_box(raw, index, rect)
                x0, x1, y0, y1 = rect.left - left, rect.right - left, top - rect.top, top - rect.bottom
                cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                under = any(a <= cx <= c and b <= cy <= d for a, b, c, d in areas)
                units.append(Unit(char, x0, y0, x1, y1, under and self.is_light(index)))
        return units
