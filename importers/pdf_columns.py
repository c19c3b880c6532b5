"""Text printed as a column one character wide: a deep forward in a narrow print layout stacks its text one
letter per row down the page, which OCR cannot read (it sees no lines). The glyphs are cut out and set
again side by side, a wider gap between rows becoming a space, so Tesseract reads them as text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from PIL import Image

_INK = 150  # grey level below which a pixel is ink
_MAX_COLUMN_SHARE = 0.08  # of the page width: wider than this is ordinary text
_MIN_GLYPHS = 12
_JOIN_GAP = 0.3  # of a glyph's height: the dot of an "i" and its stem are one glyph
_WORD_GAP = 1.6  # of the usual gap between glyphs: a space
_PER_LINE = 70  # glyphs set on one line of the sheet


@dataclass(frozen=True)
class Glyph:
    """One row of ink in the column, in page pixels."""

    x0: int
    top: int
    x1: int
    bottom: int


def _rows(ink: Image.Image, band: tuple[int, int]) -> list[tuple[int, int]]:
    """Runs of pixel rows between band[0] and band[1] of an ink mask (ink is 255) that hold ink."""
    profile = ink.crop((0, band[0], ink.width, band[1])).resize((1, band[1] - band[0]), Image.Resampling.BOX)
    runs, start = [], None
    for y, value in enumerate((*profile.tobytes(), 0)):
        if value and start is None:
            start = y
        elif not value and start is not None:
            runs.append((band[0] + start, band[0] + y))
            start = None
    return runs


def _column(ink: Image.Image) -> tuple[int, int] | None:
    """The x-range that holds nearly all the ink, when it is narrow (specks elsewhere are ignored)."""
    profile = ink.resize((ink.width, 1), Image.Resampling.BOX).tobytes()
    total = sum(profile)
    if not total:
        return None
    runs, start = [], None
    for x, value in enumerate((*profile, 0)):
        if value and start is None:
            start = x
        elif not value and start is not None:
            runs.append((start, x))
            start = None
    x0, x1 = max(runs, key=lambda r: sum(profile[r[0] : r[1]]))
    if x1 - x0 > _MAX_COLUMN_SHARE * ink.width or sum(profile[x0:x1]) < 0.9 * total:
        return None
    return x0, x1


def stacked_glyphs(image: Image.Image) -> list[Glyph] | None:
    """The glyphs, top to bottom, when the page's text (the top nine tenths: the foot holds the page
    number) is one column a character wide; None for any other page."""
    gray = image.convert("L")
    width, height = gray.size
    body = gray.crop((0, 0, width, int(height * 0.9)))
    ink = body.point(lambda v: 255 if v < _INK else 0)
    column = _column(ink)
    if column is None:
        return None
    strip = ink.crop((column[0], 0, column[1], body.height))
    box = strip.getbbox()
    if box is None:
        return None
    glyphs: list[Glyph] = []
    for top, bottom in _rows(strip, (box[1], box[3])):
        found = strip.crop((0, top, strip.width, bottom)).getbbox()
        if found is None:
            continue
        glyph = Glyph(column[0] + found[0], top, column[0] + found[2], bottom)
        if glyphs and top - glyphs[-1].bottom < _JOIN_GAP * (bottom - top):
            last = glyphs.pop()
            glyph = Glyph(min(last.x0, glyph.x0), last.top, max(last.x1, glyph.x1), bottom)
        glyphs.append(glyph)
    return _colons(glyphs) if len(glyphs) >= _MIN_GLYPHS else None


def _usual_gap(glyphs: list[Glyph]) -> int:
    """The median gap between successive glyphs: the spacing of letters within a word."""
    gaps = sorted(b.top - a.bottom for a, b in itertools.pairwise(glyphs)) or [0]
    return gaps[len(gaps) // 2]


def _colons(glyphs: list[Glyph]) -> list[Glyph]:
    """Two dots closer together than letters are: one colon (or semicolon), not two full stops."""
    usual, tall = _usual_gap(glyphs), max(g.bottom - g.top for g in glyphs)
    out: list[Glyph] = []
    for glyph in glyphs:
        last = out[-1] if out else None
        small = last is not None and max(last.bottom - last.top, glyph.bottom - glyph.top) < 0.4 * tall
        if last is not None and small and glyph.top - last.bottom < 0.8 * usual:
            out[-1] = Glyph(min(last.x0, glyph.x0), last.top, max(last.x1, glyph.x1), glyph.bottom)
        else:
            out.append(glyph)
    return out


def restack(image: Image.Image, glyphs: list[Glyph]) -> Image.Image:
    """The glyphs set side by side on lines of a white sheet, bottoms aligned, spaces where the column
    had word gaps."""
    gray = image.convert("L")
    usual = _usual_gap(glyphs)
    tall = max(g.bottom - g.top for g in glyphs)
    space = max(4, tall // 2)
    lines: list[list[Glyph | None]] = [[]]
    for k, glyph in enumerate(glyphs):
        if k and glyph.top - glyphs[k - 1].bottom > _WORD_GAP * max(1, usual):
            if len(lines[-1]) >= _PER_LINE:
                lines.append([])
            else:
                lines[-1].append(None)
        lines[-1].append(glyph)
    widths = [sum(space if g is None else g.x1 - g.x0 + 3 for g in line) for line in lines]
    sheet = Image.new("L", (max(widths) + 4 * tall, (len(lines) + 1) * 2 * tall), 255)
    for row, line in enumerate(lines):
        x, baseline = 2 * tall, (row + 1) * 2 * tall
        for glyph in line:
            if glyph is None:
                x += space
                continue
            crop = gray.crop((glyph.x0, glyph.top, glyph.x1, glyph.bottom))
            sheet.paste(crop, (x, baseline - crop.height))
            x += crop.width + 3
    return sheet


# Set on one baseline, a descender's tail rises above it and OCR reads "p" as "P", "y" as "Y", "g" as "8"
_RAISED = {"P": "p", "Y": "y", "J": "j", "Q": "q", "8": "g"}
_RAISED_RE = re.compile(r"(?<=[a-z])[PYJQ8](?=[a-z]|\b)")


def lower_descenders(text: str) -> str:
    """OCR text of a restacked column with the raised descenders inside lowercase words put back."""
    return _RAISED_RE.sub(lambda m: _RAISED[m.group(0)], text)
