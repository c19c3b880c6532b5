"""OCR for pages without a text layer: render with pypdfium2, read words with the Tesseract binary.

Tesseract runs as a subprocess (one thread each, so several pages can run side by side on a pool) and
returns TSV word boxes with confidences, which become the same `Line`s the text layer gives, in points.
A header block that came out incomplete (a label line dropped, a date cut short) has its band read
again, so what a person reads on the page is what the importer reads.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import os
import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageOps

from importers.ocr_cache import OcrCache
from importers.pdf_boxes import Box
from importers.pdf_columns import Glyph, lower_descenders, restack, stacked_glyphs
from importers.pdf_layout import Line, Unit, merge_same_baseline, reflow_narrow_columns
from importers.pdf_split import header_label, keeps_its_line

DPI = 300  # release scans are mostly 300 ppi: read at their own resolution, nothing resampled away
TESSERACT = shutil.which("tesseract")
_PAGE_PSM = 3  # automatic segmentation: columns, signatures, header grids
_BAND_PSM = 6  # one block of text: a header band read again as plain rows
_MIN_EXTRA_CONFIDENCE = 60  # a word a re-read adds must be at least this sure
_DATE_FIELDS = ("sent", "date", "received")
_TIME_RE = re.compile(r"\b(?P<hour>\d{1,2}):\d{2}(?::\d{2})?\s*(?P<half>[AaPp]\.?[Mm])?")


class OcrError(Exception):
    """A page that Tesseract could not read; the message goes into the document's warnings."""


def render(page: pdfium.PdfPage, dpi: int = DPI) -> Image.Image:
    """The page as grey pixels, rotated as a viewer would show it. Images are not smoothed: smoothing
    a bilevel scan leaves grey fringes that Tesseract's threshold fattens, fusing a dotted rule with the
    line under it, so whole header lines were lost."""
    return page.render(scale=dpi / 72, grayscale=True, no_smoothimage=True).to_pil().convert("L")


def png_bytes(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


@functools.cache
def _version() -> str:
    if TESSERACT is None:
        return ""
    done = subprocess.run([TESSERACT, "--version"], capture_output=True, check=False)
    return done.stdout.decode("utf-8", "replace").split("\n", 1)[0]


def reading_key(png: bytes, psm: int, dpi: int) -> str:
    """The cache key of one Tesseract reading: the image and everything that changes what is read."""
    digest = hashlib.sha256(png)
    digest.update(f"|psm={psm}|dpi={dpi}|lang=eng|{_version()}".encode())
    return digest.hexdigest()


def _tesseract(png: bytes, psm: int, dpi: int, timeout: float) -> str:
    if TESSERACT is None:
        raise OcrError("tesseract is not installed")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = [TESSERACT, "stdin", "stdout", "--psm", str(psm), "--dpi", str(dpi), "-l", "eng", "tsv"]
    try:
        done = subprocess.run(command, input=png, capture_output=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"tesseract timed out after {timeout:.0f}s") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract failed: {reason[-1] if reason else done.returncode}")
    return done.stdout.decode("utf-8", "replace")


@dataclass(frozen=True)
class Reader:
    """How scanned pages are read: the render resolution (also told to Tesseract, which otherwise
    guesses it), the time one reading may take, and where readings are kept between imports."""

    dpi: int = DPI
    timeout: float = 120
    cache: OcrCache | None = None

    @property
    def scale(self) -> float:
        """Pixels per point."""
        return self.dpi / 72

    def tsv(self, image: Image.Image, psm: int) -> str:
        png = png_bytes(image)
        key = reading_key(png, psm, self.dpi) if self.cache is not None else ""
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is not None:
            return cached
        text = _tesseract(png, psm, self.dpi, self.timeout)
        if self.cache is not None:
            self.cache.put(key, text)
        return text


def _words(tsv: str, scale: float, dx: float = 0, dy: float = 0) -> list[tuple[tuple[str, str, str], Unit]]:
    """Word units in points (offset by dx, dy pixels for a crop), keyed by Tesseract's block, paragraph
    and line."""
    words = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        x0, y0 = (left + dx) / scale, (top + dy) / scale
        # light=True: ink OCR can read is visible ink, so inside a box it is the box's label
        unit = Unit(cols[11].strip(), x0, y0, x0 + width / scale, y0 + height / scale, True, float(cols[10]))
        words.append(((cols[2], cols[3], cols[4]), unit))
    return words


def _lines(words: list[tuple[tuple[str, str, str], Unit]], number: int) -> list[Line]:
    grouped: dict[tuple[str, str, str], list[Unit]] = defaultdict(list)
    for key, word in words:
        grouped[key].append(word)
    lines = []
    for found in grouped.values():
        units = sorted(found, key=lambda u: u.x0)
        for word, after in itertools.pairwise(units):
            if word.text == "|" and after.text[:1].islower():
                word.text = "I"  # Tesseract reads a capital I in a serif-less font as a bar: "| cannot"
        lines.append(_line(number, units))
    return lines


def _line(number: int, units: list[Unit]) -> Line:
    return Line(
        page=number,
        top=min(u.top for u in units),
        bottom=max(u.bottom for u in units),
        x0=units[0].x0,
        x1=units[-1].x1,
        text=" ".join(u.text for u in units),
        units=units,
        joiner=" ",
    )


def read_box_labels(image: Image.Image, boxes: list[Box], reader: Reader) -> None:
    """Codes printed white on black inside scanned boxes: the crops, inverted and stacked, in one
    Tesseract call (page OCR does not read inverted text)."""
    scale = reader.scale
    small = [b for b in boxes if b.bottom - b.top <= 30 and b.x1 - b.x0 <= 300]
    if not small:
        return
    crops = [
        ImageOps.invert(image.crop((int(b.x0 * scale), int(b.top * scale), int(b.x1 * scale), int(b.bottom * scale))))
        for b in small
    ]
    gap = 20
    sheet = Image.new("L", (max(c.width for c in crops) + 2 * gap, sum(c.height + gap for c in crops) + gap), 255)
    spans = []
    y = gap
    for crop in crops:
        sheet.paste(crop, (gap, y))
        spans.append((y, y + crop.height))
        y += crop.height + gap
    for _key, word in _words(reader.tsv(sheet, _BAND_PSM), 1.0):
        middle = (word.top + word.bottom) / 2
        for box, (top, bottom) in zip(small, spans, strict=True):
            if top <= middle <= bottom:
                box.label.append(word.text + " ")


def _whole_time(value: str) -> bool:
    """A printed time a reader can take as it is: with AM/PM, or on a 24-hour clock past noon."""
    match = _TIME_RE.search(value)
    return match is not None and (match.group("half") is not None or not 0 < int(match.group("hour")) <= 12)


def _incomplete_blocks(lines: list[Line]) -> list[tuple[float, float]]:
    """(top, bottom) of each run of header label lines that lacks a From, a date with a whole time, or
    a To/Subject: a sign that OCR dropped a line or cut a value short."""
    runs: list[list[tuple[Line, tuple[str, str]]]] = []
    for line in lines:
        label = header_label(line)
        if label is None:
            continue
        last = runs[-1][-1][0] if runs else None
        height = max(4.0, line.bottom - line.top)
        if last is None or line.top - last.bottom > 2.5 * height:
            runs.append([])
        runs[-1].append((line, label))
    bands = []
    for run in runs:
        fields = {field: value for _line, (field, value) in run}
        dated = any(_whole_time(fields.get(f, "")) for f in _DATE_FIELDS)
        if "from" in fields and dated and ("subject" in fields or "to" in fields):
            continue
        bands.append((run[0][0].top, run[-1][0].bottom))
    return bands


def _overlaps(a: Unit, b: Unit) -> bool:
    height = min(a.bottom - a.top, b.bottom - b.top)
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.bottom, b.bottom) - max(a.top, b.top) > 0.5 * height


def _fill_in(lines: list[Line], extra: list[tuple[tuple[str, str, str], Unit]], number: int) -> list[Line]:
    """What a re-read adds to the first reading: words where the first found none, and the rest of a
    word the first cut short ("10:" read again as "10:57"). A word the first read is never changed
    otherwise, so a re-read cannot make a line worse."""
    known = [(line, unit) for line in lines for unit in line.units or [] if not unit.text.isspace()]
    added = []
    for key, word in extra:
        if (word.confidence or 0) < _MIN_EXTRA_CONFIDENCE or not any(c.isalnum() for c in word.text):
            continue
        under = [(line, unit) for line, unit in known if _overlaps(unit, word)]
        if not under:
            added.append((key, word))
        elif len(under) == 1 and len(word.text) > len(under[0][1].text) and word.text.startswith(under[0][1].text):
            line, unit = under[0]
            unit.text, unit.x1 = word.text, max(unit.x1, word.x1)
            line.text = " ".join(u.text for u in line.units or [] if not u.text.isspace())
            line.x1 = max(line.x1, unit.x1)
    return merge_same_baseline(lines + _lines(added, number)) if added else lines


def _band_image(image: Image.Image, boxes: list[Box], top: float, bottom: float, scale: float) -> Image.Image:
    """The band with the boxes in it painted white: a box whose edge touches a line's ink makes
    Tesseract drop the words it touches."""
    band = image.crop((0, int(top * scale), image.width, int(bottom * scale)))
    draw = ImageDraw.Draw(band)
    for box in boxes:
        if box.bottom > top and box.top < bottom:
            draw.rectangle(
                (box.x0 * scale, (box.top - top) * scale, box.x1 * scale, (box.bottom - top) * scale), fill=255
            )
    return band


def _column_lines(image: Image.Image, glyphs: list[Glyph], number: int, reader: Reader) -> list[Line]:
    """A page whose text is stacked one character wide, read from its glyphs set side by side. Each word
    takes the boxes of as many glyphs as it has characters, so it keeps its place down the column, and
    a header label starts a new line."""
    words = [word for _key, word in _words(reader.tsv(restack(image, glyphs), _BAND_PSM), 1.0)]
    texts = lower_descenders(" ".join(w.text for w in words)).split(" ")
    lines: list[Line] = []
    first = 0
    for word, text in zip(words, texts, strict=True):
        taken = glyphs[min(first, len(glyphs) - 1) : max(first + 1, min(first + len(text), len(glyphs)))]
        first += len(text)
        x0, top = min(g.x0 for g in taken) / reader.scale, taken[0].top / reader.scale
        x1, bottom = max(g.x1 for g in taken) / reader.scale, taken[-1].bottom / reader.scale
        unit = Unit(text, x0, top, x1, bottom, True, word.confidence)
        if lines and header_label(_line(number, [unit])) is None:
            line = lines[-1]
            line.units = [*(line.units or []), unit]
            lines[-1] = _line(number, line.units)
        else:
            lines.append(_line(number, [unit]))
    return lines


def read_page(image: Image.Image, number: int, boxes: list[Box], reader: Reader) -> list[Line]:
    """Words of one rendered page as lines (units are words, joined by spaces), narrow columns reflowed,
    and the bands of incomplete header blocks read again."""
    glyphs = stacked_glyphs(image)
    if glyphs is not None:
        return _column_lines(image, glyphs, number, reader)
    lines = merge_same_baseline(_lines(_words(reader.tsv(image, _PAGE_PSM), reader.scale), number))
    lines = reflow_narrow_columns(lines, keeps_its_line)
    for top, bottom in _incomplete_blocks(lines):
        height = max(6.0, min(ln.bottom - ln.top for ln in lines if top <= ln.top <= bottom))
        top, bottom = max(0.0, top - 2.5 * height), bottom + 1.5 * height
        band = _band_image(image, boxes, top, bottom, reader.scale)
        extra = _words(reader.tsv(band, _BAND_PSM), reader.scale, dy=int(top * reader.scale))
        lines = _fill_in(lines, extra, number)
    return lines


def mean_confidence(lines: list[Line]) -> float | None:
    """Tesseract's mean word confidence (0 to 100) over OCR'd lines; None when they hold no words."""
    scores = [u.confidence for line in lines for u in line.units or [] if u.confidence is not None]
    return sum(scores) / len(scores) if scores else None
