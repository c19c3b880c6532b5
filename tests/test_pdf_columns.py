"""A deep forward printed one character wide (real Chicago PD pages print whole emails this way): the
stacked glyphs are found, set side by side, and read."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from PIL import Image, ImageDraw, ImageFont

from importers.pdf_columns import lower_descenders, restack, stacked_glyphs

TEXT = "Sent: Friday To: Lewin"


def _stacked_page(text: str) -> Image.Image:
    """A letter-size page at 150 dpi with `text` one character per row down a narrow column."""
    page = Image.new("L", (1275, 1650), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=28)
    y = 60
    for char in text:
        if char == " ":
            y += 40
            continue
        draw.text((620, y), char, fill=0, font=font)
        y += 44
    draw.text((630, 1560), "7", fill=0, font=font)  # the page counter at the foot is not the column
    draw.point((1100, 700), fill=0)  # a scanner speck
    return page


def test_stacked_column_is_found_and_set_as_a_line() -> None:
    page = _stacked_page(TEXT)
    glyphs = stacked_glyphs(page)
    assert glyphs is not None
    assert len(glyphs) == len(TEXT.replace(" ", ""))  # the colons are one glyph each, not two dots
    sheet = restack(page, glyphs)
    assert sheet.width > 4 * sheet.height


def test_ordinary_text_is_not_a_column() -> None:
    page = Image.new("L", (1275, 1650), 255)
    ImageDraw.Draw(page).text((100, 100), "From: Lewin, Jonathan H.", fill=0, font=ImageFont.load_default(size=28))
    assert stacked_glyphs(page) is None
    assert stacked_glyphs(Image.new("L", (1275, 1650), 255)) is None


def test_raised_descenders_are_put_back() -> None:
    assert lower_descenders("anY reciPient SubJect Be8in NYPD 2018") == "any recipient Subject Begin NYPD 2018"


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_restacked_column_reads_as_text() -> None:
    page = _stacked_page(TEXT)
    sheet = restack(page, stacked_glyphs(page) or [])
    buf = io.BytesIO()
    sheet.save(buf, format="PNG")
    read = subprocess.run(["tesseract", "stdin", "stdout", "--psm", "6"], input=buf.getvalue(), capture_output=True)
    assert lower_descenders(read.stdout.decode()).split() == TEXT.split()
