"""OCR for pages without a text layer: render with pypdfium2, read words with the Tesseract binary.

Tesseract runs as a subprocess (one thread each, so several pages can run side by side on a pool) and
returns TSV word boxes, which become the same `Line`s the text layer gives, in points.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import subprocess
from collections import defaultdict

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from importers.pdf_boxes import Box
from importers.pdf_layout import Line, Unit

DPI = 200
TESSERACT = shutil.which("tesseract")


class OcrError(Exception):
    """A page that Tesseract could not read; the message goes into the document's warnings."""


def render(page: pdfium.PdfPage, dpi: int = DPI) -> Image.Image:
    """The page as grey pixels, rotated as a viewer would show it."""
    return page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")


def png_bytes(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _tesseract(png: bytes, psm: int, timeout: float) -> str:
    if TESSERACT is None:
        raise OcrError("tesseract is not installed")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            [TESSERACT, "stdin", "stdout", "--psm", str(psm), "-l", "eng", "tsv"],
            input=png,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"tesseract timed out after {timeout:.0f}s") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract failed: {reason[-1] if reason else done.returncode}")
    return done.stdout.decode("utf-8", "replace")


def _words(tsv: str, scale: float) -> list[tuple[tuple[str, str, str], Unit]]:
    words = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(c) / scale for c in cols[6:10])
        # light=True: ink OCR can read is visible ink, so inside a box it is the box's label
        words.append(((cols[2], cols[3], cols[4]), Unit(cols[11].strip(), left, top, left + width, top + height, True)))
    return words


def read_box_labels(image: Image.Image, boxes: list[Box], dpi: int = DPI, timeout: float = 60) -> None:
    """Codes printed white on black inside scanned boxes: the crops, inverted and stacked, in one
    Tesseract call (page OCR does not read inverted text)."""
    scale = dpi / 72
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
    for _key, word in _words(_tesseract(png_bytes(sheet), 6, timeout), 1.0):
        middle = (word.top + word.bottom) / 2
        for box, (top, bottom) in zip(small, spans, strict=True):
            if top <= middle <= bottom:
                box.label.append(word.text + " ")


def ocr_lines(png: bytes, number: int, dpi: int = DPI, timeout: float = 120) -> list[Line]:
    """Words of one rendered page grouped into lines (units are words, joined by spaces)."""
    grouped: dict[tuple[str, str, str], list[Unit]] = defaultdict(list)
    for key, word in _words(_tesseract(png, 3, timeout), dpi / 72):
        grouped[key].append(word)
    lines = []
    for found in grouped.values():
        words = sorted(found, key=lambda u: u.x0)
        for word, after in itertools.pairwise(words):
            if word.text == "|" and after.text[:1].islower():
                word.text = "I"  # Tesseract reads a capital I in a serif-less font as a bar: "| cannot"
        lines.append(
            Line(
                page=number,
                top=min(w.top for w in words),
                bottom=max(w.bottom for w in words),
                x0=words[0].x0,
                x1=words[-1].x1,
                text=" ".join(w.text for w in words),
                units=words,
                joiner=" ",
            )
        )
    lines.sort(key=lambda ln: (round(ln.top), ln.x0))
    return lines
