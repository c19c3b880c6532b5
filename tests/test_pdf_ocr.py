"""OCR as a person reads: text drawn as vector shapes is read like a scan, readings are cached by the
page image, an incomplete header block has its band read again, and a narrow column is reflowed."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

import importers.pdf_ocr as pdf_ocr
from importers.ocr_cache import DirectoryCache
from importers.pdf import parse
from importers.pdf_layout import Line, reflow_narrow_columns
from importers.pdf_ocr import Reader, read_page
from importers.pdf_split import header_label
from tests.support.pdfgen import Email, Person, Record, make_scanned_copy, make_vector_copy, write_release
from tests.test_pdf_columns import TEXT, _stacked_page

needs_tesseract = pytest.mark.skipif(not shutil.which("tesseract"), reason="scanned pages need tesseract-ocr")

EMAIL = Email(
    Person("Doe, Jane", "jane.doe@nypd.org"),
    [Person("Roe, Rick", "rick.roe@nypd.org")],
    "Interview schedule",
    datetime(2018, 12, 4, 15, 14),
    ["Please call the detective about the interview tomorrow morning."],
)


@needs_tesseract
def test_text_drawn_as_shapes_is_read_like_a_scan(tmp_path: Path) -> None:
    write_release(tmp_path / "text.pdf", [Record("outlook", [EMAIL], owner=Person("Doe, Jane"))])
    make_vector_copy(tmp_path / "text.pdf", tmp_path / "vector.pdf")
    doc = parse(tmp_path / "vector.pdf")
    assert doc.pages[0].ocr
    [message] = doc.messages
    assert message.subject == "Interview schedule" and message.sent == "2018-12-04T15:14:00"
    assert message.sender is not None and message.sender.email == "jane.doe@nypd.org"
    assert "interview tomorrow" in message.body
    assert doc.warnings == ["page 1: text drawn as shapes, with no text layer: read by OCR, may be misread"]


def test_a_page_with_nothing_drawn_is_blank_without_a_warning(tmp_path: Path) -> None:
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.output(str(tmp_path / "empty.pdf"))
    doc = parse(tmp_path / "empty.pdf")
    assert not doc.pages[0].ocr and doc.warnings == []


@needs_tesseract
def test_readings_are_cached_by_page_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_release(tmp_path / "text.pdf", [Record("outlook", [EMAIL], owner=Person("Doe, Jane"))])
    make_scanned_copy(tmp_path / "text.pdf", tmp_path / "scan.pdf")
    cache = DirectoryCache(tmp_path / "cache")
    first = parse(tmp_path / "scan.pdf", ocr_cache=cache)

    def no_tesseract(*_args: object) -> str:
        raise AssertionError("an unchanged page was read again")

    monkeypatch.setattr(pdf_ocr, "_tesseract", no_tesseract)
    again = parse(tmp_path / "scan.pdf", ocr_cache=cache)
    assert [p.text for p in again.pages] == [p.text for p in first.pages]
    assert [m.subject for m in again.messages] == ["Interview schedule"]
    assert not list((tmp_path / "cache").rglob("*.tmp"))


PAGE = Image.new("L", (2550, 3300), 255)


def _tsv(rows: list[tuple[int, str, int, int, float]]) -> str:
    """Tesseract TSV of words: (line number, text, left, top, confidence), each 40 px tall, 100 px wide."""
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    body = [f"5\t1\t1\t1\t{n}\t{k}\t{x}\t{y}\t100\t40\t{conf}\t{text}" for k, (n, text, x, y, conf) in enumerate(rows)]
    return "\n".join([head, *body])


def test_an_incomplete_header_block_is_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page reading lost the From line and cut the Sent time short; the band's second reading
    fills in the dropped line and the cut word, and changes nothing else."""
    page = _tsv(
        [
            (1, "Sent:", 100, 400, 96),
            (1, "Tuesday,", 300, 400, 96),
            (1, "August", 400, 400, 96),
            (1, "13,", 500, 400, 96),
            (1, "2013", 600, 400, 96),
            (1, "10:", 700, 400, 96),
            (2, "Subject:", 100, 450, 96),
            (2, "Budget", 300, 450, 96),
        ]
    )
    band = [
        (1, "From:", 100, 350, 95),
        (1, "Lewin", 300, 350, 95),
        (2, "Sent:", 100, 400, 95),
        (2, "Auaust", 400, 400, 70),
        (2, "10:57", 700, 400, 90),
        (2, "AM", 810, 400, 90),
        (3, "~~", 300, 450, 20),
    ]
    readings = []

    def tsv(_reader: Reader, image: object, psm: int) -> str:
        readings.append(psm)
        if len(readings) == 1:
            return page
        crop = 400 - 100  # the band starts two and a half line heights (40 px) above the block
        return _tsv([(n, text, x, y - crop, conf) for n, text, x, y, conf in band])

    monkeypatch.setattr(Reader, "tsv", tsv)
    lines = read_page(PAGE, 1, [], Reader())
    assert [line.text for line in lines] == [
        "From: Lewin",
        "Sent: Tuesday, August 13, 2013 10:57 AM",
        "Subject: Budget",
    ]
    assert readings == [3, 6]


def test_a_complete_header_block_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    page = _tsv(
        [
            (1, "From:", 100, 350, 96),
            (1, "Lewin", 300, 350, 96),
            (2, "Sent:", 100, 400, 96),
            (2, "Tuesday,", 300, 400, 96),
            (2, "10:57", 400, 400, 96),
            (2, "AM", 500, 400, 96),
            (3, "Subject:", 100, 450, 96),
        ]
    )
    readings = []
    monkeypatch.setattr(Reader, "tsv", lambda _self, _image, psm: readings.append(psm) or page)
    lines = read_page(PAGE, 1, [], Reader())
    assert len(lines) == 3 and readings == [3]


def _narrow_forward(path: Path) -> None:
    """A text-layer page whose deep forward is set one or two words a line in a narrow column."""
    words = [
        "From:", "Jane", "Doe", "Sent:", "Tuesday,", "December 4,", "2018 3:14", "PM", "To:", "Rick", "Roe",
        "Subject:", "Interview", "schedule",
    ]  # fmt: skip
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    y = 72.0
    for word in words:
        pdf.text(400, y, word)
        y += 12
    y += 12
    for word in ["Please", "call", "the", "detective", "about", "the", "interview", "tomorrow."]:
        pdf.text(400, y, word)
        y += 12
    pdf.output(str(path))


def test_a_narrow_column_is_reflowed_before_headers_are_read(tmp_path: Path) -> None:
    _narrow_forward(tmp_path / "narrow.pdf")
    doc = parse(tmp_path / "narrow.pdf")
    [message] = doc.messages
    assert message.sender is not None and message.sender.name == "Jane Doe"
    assert message.subject == "Interview schedule" and message.sent == "2018-12-04T15:14:00"
    assert message.body.strip() == "Please call the detective about the interview tomorrow."


def test_short_lines_that_are_not_a_column_stay_apart() -> None:
    lines = [Line(1, 100 + 14 * k, 110 + 14 * k, 72, 120, text) for k, text in enumerate(["Thanks,", "Jane", "Doe"])]
    assert reflow_narrow_columns(lines, lambda line: header_label(line) is not None) == lines


@needs_tesseract
def test_text_stacked_one_character_wide_is_read_as_lines_down_the_column() -> None:
    page = _stacked_page(TEXT)  # 150 dpi
    lines = read_page(page, 1, [], Reader(dpi=150))
    assert [line.text for line in lines] == ["Sent: Friday", "To: Lewin"]
    assert lines[0].bottom < lines[1].top and all(290 < line.x0 < 310 for line in lines)
