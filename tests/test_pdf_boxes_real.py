"""Redaction boxes on real releases, counted against their hand-made labels (truth.json beside them):
Chicago's scanned prints carry vector boxes drawn over the scan, some touching, some blacking out most
of a page, some in the page's top or bottom band."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from importers.pdf import parse
from importers.pdf_boxes import image_boxes, scan_boxes, vector_boxes
from importers.pdf_ocr import DPI, render

CHICAGO = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "chicago-pd-foia-15-3569"
# wholly boxed pages, touching rectangles, boxes over a page's top or foot, a box over two thirds of a page
HARD_PAGES = {"FOIA 15-3569 FINAL PART 3.pdf": [13, 17, 24], "FOIA 15-3569 FINAL PART 4.pdf": [8, 17, 20, 22]}


def _labelled_boxes() -> dict[str, dict[int, int]]:
    if not (CHICAGO / "truth.json").is_file():
        pytest.skip(f"corpus chicago-pd-foia-15-3569 not present at {CHICAGO}")
    files = json.loads((CHICAGO / "truth.json").read_text())["files"]
    return {entry["file"]: {int(page): n for page, n in entry["boxes"].items()} for entry in files}


@pytest.mark.parametrize("name", sorted(HARD_PAGES))
def test_chicago_scans_show_every_labelled_box(name: str) -> None:
    """Geometry alone, every labelled page: one box per drawn rectangle, none extra."""
    labelled = _labelled_boxes()[name]
    doc = pdfium.PdfDocument(str(CHICAGO / name))
    try:
        found = {}
        for number in labelled:
            page = doc[number - 1]
            drawn, _share = vector_boxes(page)
            found[number] = len(scan_boxes(drawn, image_boxes(render(page), DPI / 72)))
            page.close()
    finally:
        doc.close()
    assert found == labelled


@pytest.mark.skipif(not shutil.which("tesseract"), reason="scanned pages need tesseract-ocr")
@pytest.mark.parametrize("name", sorted(HARD_PAGES))
def test_chicago_hard_pages_give_a_record_per_box(name: str, tmp_path: Path) -> None:
    """The hardest pages, imported with OCR: every box becomes a redaction record on its page."""
    labelled = _labelled_boxes()[name]
    pages = HARD_PAGES[name]
    source, part = pdfium.PdfDocument(str(CHICAGO / name)), pdfium.PdfDocument.new()
    part.import_pages(source, [n - 1 for n in pages])
    part.save(str(tmp_path / "part.pdf"))
    part.close()
    source.close()
    doc = parse(tmp_path / "part.pdf")
    records = [r for m in doc.messages for r in m.redactions] + doc.redactions
    records += doc.lead.redactions if doc.lead else []
    found = {number: sum(r.page == k for r in records) for k, number in enumerate(pages, start=1)}
    assert found == {number: labelled[number] for number in pages}
