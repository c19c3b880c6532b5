"""Every black box becomes a redaction record wherever it falls: over a header field (named by it), in
the page's top and bottom tenth, over a whole paragraph or page, on a page no email reaches, and drawn
over a scan (exact, one per rectangle, even where two touch). Pages are generated with known boxes."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF

from importers.pdf import parse
from importers.records import DocumentRecord, RedactionRecord
from tests.support.pdfgen import PAGE_H, PAGE_W, Email, Person, Record, Redaction, write_release

Rect = tuple[float, float, float, float]  # x0, top, x1, bottom in points
HEADER = [
    "From: Doe, Jane",
    "Sent: Tuesday, December 4, 2018 3:14 PM",
    "To: Roe, Rick",
    "Subject: Trial accounts",
]
BODY = "The vendor confirmed the trial accounts are active for the unit."


@dataclass
class Sheet:
    """One page to draw: text lines (x, baseline, text) and black boxes."""

    lines: list[tuple[float, float, str]] = field(default_factory=list)
    boxes: list[Rect] = field(default_factory=list)


def _text_pdf(sheets: list[Sheet], with_boxes: bool) -> FPDF:
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=10)
    pdf.set_fill_color(0)
    for sheet in sheets:
        pdf.add_page()
        for x, y, text in sheet.lines:
            pdf.text(x, y, text)
        for x0, top, x1, bottom in sheet.boxes if with_boxes else []:
            pdf.rect(x0, top, x1 - x0, bottom - top, style="F")
    return pdf


def _write(path: Path, sheets: list[Sheet], scanned: bool = False) -> Path:
    """The sheets as a text-layer PDF, or (`scanned`) as page scans with the boxes drawn over them, as
    agencies redact scanned prints."""
    if not scanned:
        _text_pdf(sheets, with_boxes=True).output(str(path))
        return path
    doc = pdfium.PdfDocument(bytes(_text_pdf(sheets, with_boxes=False).output()))
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_fill_color(0)
    for index, sheet in enumerate(sheets):
        buf = io.BytesIO()
        doc[index].render(scale=150 / 72, grayscale=True).to_pil().convert("L").save(buf, format="PNG")
        pdf.add_page()
        pdf.image(buf, x=0, y=0, w=PAGE_W, h=PAGE_H)
        for x0, top, x1, bottom in sheet.boxes:
            pdf.rect(x0, top, x1 - x0, bottom - top, style="F")
    doc.close()
    pdf.output(str(path))
    return path


def _text(lines: list[str], top: float = 120, x: float = 54) -> list[tuple[float, float, str]]:
    return [(x, top + 14 * k, line) for k, line in enumerate(lines)]


def _boxes(doc: DocumentRecord) -> list[RedactionRecord]:
    """Every redaction record of a document: its emails', its lead's and its own."""
    return [r for m in doc.messages for r in m.redactions] + (doc.lead.redactions if doc.lead else []) + doc.redactions


def _near(records: list[RedactionRecord], want: Rect, tolerance: float = 1.0) -> bool:
    return any(r.bbox and all(abs(a - b) <= tolerance for a, b in zip(r.bbox, want, strict=True)) for r in records)


def test_boxes_over_quoted_header_fields_name_the_field(tmp_path: Path) -> None:
    """A box over a quoted header's sender, To or Cc value is linked to that field; the header is still
    read (the boxed sender is a redacted one); body boxes name no field."""
    quoted = Email(
        Redaction(None, "Det. Kowalski"),
        [Person("Roe, Rick", "rick.roe@nypd.org"), Redaction("(b)(6)", "Witness, Jane")],
        "Interview",
        datetime(2018, 12, 3, 9, 0),
        ["Can we meet on Thursday?"],
        cc=[Redaction(None, "Analyst, Omar")],
    )
    reply = Email(
        Person("Roe, Rick", "rick.roe@nypd.org"),
        [Person("Doe, Jane", "jane.doe@nypd.org")],
        "RE: Interview",
        datetime(2018, 12, 4, 15, 14),
        ["Yes, call ", Redaction("(b)(6)", "555-0100"), " first."],
        quoted=quoted,
    )
    truth = write_release(tmp_path / "fields.pdf", [Record("outlook", [reply])])
    doc = parse(truth.path)
    first, second = doc.messages
    assert [r.field for r in first.redactions] == [None]
    assert second.copy_kind == "quoted" and second.sender is not None and second.sender.redacted
    assert sorted(str(r.field) for r in second.redactions) == ["cc", "from", "to"]
    assert all(r.offset is None for r in second.redactions)


def test_box_over_part_of_a_subject_names_the_subject(tmp_path: Path) -> None:
    header = [*HEADER[:3], "Subject: Budget for"]
    path = _write(tmp_path / "subject.pdf", [Sheet(_text([*header, "", BODY]), [(150, 152, 230, 163)])])
    [message] = parse(path).messages
    assert message.subject == "Budget for"
    assert [(r.field, r.offset) for r in message.redactions] == [("subject", None)]


def test_boxes_in_the_top_and_bottom_tenth_of_every_page(tmp_path: Path) -> None:
    """A box alone in a page's top or bottom band repeats from page to page like a running header, but
    it is redacted text, not furniture."""
    top, foot = (54, 30, 300, 44), (54, 748, 420, 762)
    sheets = [Sheet(_text([*HEADER, "", BODY]) if n == 0 else _text([BODY]), [top, foot]) for n in range(3)]
    doc = parse(_write(tmp_path / "bands.pdf", sheets))
    [message] = doc.messages
    assert doc.lead is not None and _near(doc.lead.redactions, top)  # above the first header
    assert [r.page for r in message.redactions] == [1, 2, 2, 3, 3]
    assert all(_near(message.redactions, box) for box in (top, foot))
    assert message.body.count("█[REDACTED]█") == 5


def test_wide_box_over_a_paragraph_near_the_page_foot(tmp_path: Path) -> None:
    wide = (50, 690, 562, 740)
    sheets = [Sheet(_text([*HEADER, "", BODY]), [wide]), Sheet(_text([BODY, "Regards,"]), [wide])]
    [message] = parse(_write(tmp_path / "wide.pdf", sheets)).messages
    assert [r.page for r in message.redactions] == [1, 2] and _near(message.redactions, wide)


def test_wholly_boxed_page_keeps_its_box(tmp_path: Path) -> None:
    """A withheld body blacks out two thirds of a page: one box, not a page background."""
    withheld = (40, 30, 590, 610)
    sheets = [Sheet(_text([*HEADER, "", BODY])), Sheet(_text(["Regards,"], top=640), [withheld])]
    [message] = parse(_write(tmp_path / "withheld.pdf", sheets)).messages
    assert (message.page_start, message.page_end) == (1, 2)
    assert [r.page for r in message.redactions] == [2] and _near(message.redactions, withheld)


def test_box_on_a_page_no_email_reaches_is_the_documents(tmp_path: Path) -> None:
    """A page holding only running furniture (here with a box in its running header) belongs to no
    email: its box is a document-level record."""
    running = "FOIL 2018-PL-1234 - Released Records"
    sheets = [
        Sheet([(54, 34, running), *_text([*HEADER, "", BODY]), (280, 760, "Page 1")]),
        Sheet([(54, 34, running), *_text([BODY]), (280, 760, "Page 2")]),
        Sheet([(54, 34, running), (280, 760, "Page 3")], [(260, 25, 330, 37)]),
    ]
    doc = parse(_write(tmp_path / "outside.pdf", sheets))
    [message] = doc.messages
    assert message.page_end == 2 and not message.redactions
    assert [r.page for r in doc.redactions] == [3] and _near(doc.redactions, (260, 25, 330, 37))


@pytest.mark.skipif(not shutil.which("tesseract"), reason="scanned pages need tesseract-ocr")
def test_scan_with_boxes_drawn_over_it(tmp_path: Path) -> None:
    """Boxes drawn over a scan are read from the page objects, exactly: two touching rectangles stay
    two, a box in the top band or over the foot paragraph stays, and a page OCR finds no text on (it
    is all box) keeps its box."""
    touching = [(150, 208, 230, 221), (230, 208, 300, 221)]
    first = Sheet(_text([*HEADER, "", BODY, "", "Call me on my cell."]), [(54, 30, 300, 46), *touching])
    first.boxes.append((50, 690, 562, 740))
    whole = Sheet([], [(30, 30, 582, 700)])
    doc = parse(_write(tmp_path / "scan.pdf", [first, whole], scanned=True))
    assert all(page.ocr for page in doc.pages)
    boxes = _boxes(doc)
    assert sorted(r.page for r in boxes) == [1, 1, 1, 1, 2]
    assert all(_near(boxes, box) for sheet in (first, whole) for box in sheet.boxes)
    [message] = doc.messages
    assert message.subject == "Trial accounts" and message.page_end == 2
