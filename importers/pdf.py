"""FOIA/FOIL release PDFs: pages (text layer or OCR), redaction boxes, and the printed emails in them.

Pages are read one at a time with pypdfium2 (fast text, page objects for boxes) and closed at once, so a
2,000-page release stays small in memory; pages without a text layer are rendered and sent to Tesseract
on a small thread pool. Once every page has its lines, running headers/footers are dropped and the
content is split into messages (importers.pdf_split).
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from importers.pdf_layout import Line, TextLayer, merge_same_baseline
from importers.pdf_ocr import DPI, OcrError, ocr_lines, png_bytes, read_box_labels, render
from importers.pdf_redactions import Box, apply_boxes, image_boxes, vector_boxes
from importers.pdf_running import find_bates, in_band, is_furniture, running_lines
from importers.pdf_split import header_label, split_messages
from importers.records import DocumentRecord, PageRecord, UnreadableFile

_MIN_TEXT_CHARS = 20  # fewer visible characters on a scanned page: a stamp, not a text layer


@dataclass
class _Page:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)
    ocr: bool = False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or exc}") from exc
    if b"%PDF" not in head:
        raise UnreadableFile("not a PDF (no %PDF header)")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise UnreadableFile("encrypted PDF: it needs a password to open") from exc
        if "security" in text:
            raise UnreadableFile("encrypted PDF with an unsupported security handler") from exc
        raise UnreadableFile("damaged PDF: it cannot be parsed (truncated or corrupt)") from exc


def _garbled(text: str) -> bool:
    """Text layers from fonts without a Unicode map read as private-use or replacement characters."""
    visible = [c for c in text if not c.isspace()]
    bad = sum(1 for c in visible if c == "\ufffd" or "\ue000" <= c <= "\uf8ff" or ord(c) < 32)
    return bool(visible) and bad > 0.3 * len(visible)


def _ocr_page(image: Image.Image, number: int, boxes: list[Box]) -> list[Line]:
    read_box_labels(image, boxes)
    return ocr_lines(png_bytes(image), number)


class _Ocr:
    """Tesseract jobs for scanned pages, a few at a time, so rendering and OCR overlap."""

    def __init__(self) -> None:
        self.pool: ThreadPoolExecutor | None = None
        self.jobs: deque[tuple[_Page, Future[list[Line]], list[Box]]] = deque()
        self.workers = max(1, min(4, os.cpu_count() or 1))

    def submit(self, pdf_page: pdfium.PdfPage, page: _Page) -> None:
        image = render(pdf_page)
        page.height = image.height * 72 / DPI
        boxes = image_boxes(image, DPI / 72)
        if self.pool is None:
            self.pool = ThreadPoolExecutor(self.workers)
        self.jobs.append((page, self.pool.submit(_ocr_page, image, page.number, boxes), boxes))
        while len(self.jobs) > 2 * self.workers:
            self.finish_one()

    def finish_one(self) -> str | None:
        page, job, boxes = self.jobs.popleft()
        try:
            lines = merge_same_baseline(job.result())
        except OcrError as exc:
            return f"page {page.number}: no text layer and OCR failed ({exc})"
        if not lines:
            page.lines = []
            return f"page {page.number}: no text layer and OCR found no text"
        page.lines = apply_boxes(lines, boxes, page.number, lambda line: line.units or [])
        return None

    def finish(self) -> list[str]:
        warnings = [w for w in (self.finish_one() for _ in range(len(self.jobs))) if w]
        if self.pool is not None:
            self.pool.shutdown()
        return warnings


def _read_page(doc: pdfium.PdfDocument, index: int, ocr: _Ocr | None, warnings: list[str]) -> _Page:
    number = index + 1
    try:
        pdf_page = doc[index]
    except pdfium.PdfiumError:
        warnings.append(f"page {number}: cannot be loaded (damaged page)")
        return _Page(number, 792.0)
    try:
        _left, bottom, _right, top = pdf_page.get_cropbox()
        page = _Page(number, top - bottom)
        layer = TextLayer(pdf_page, number)
        try:
            lines = layer.lines()
            text = "".join(line.text for line in lines)
            visible = sum(1 for c in text if not c.isspace())
            boxes, image_share = vector_boxes(pdf_page)
            scanned = (visible < _MIN_TEXT_CHARS and (image_share > 0.4 or visible == 0)) or _garbled(text)
            if not scanned:
                page.lines = apply_boxes(lines, boxes, number, layer.units)
                return page
        finally:
            layer.close()
        if image_share == 0 and not boxes and visible == 0:
            return page  # a blank page: nothing to read, nothing lost
        if ocr is None:
            warnings.append(f"page {number}: no text layer (OCR turned off)")
            return page
        try:
            ocr.submit(pdf_page, page)
        except pdfium.PdfiumError:
            warnings.append(f"page {number}: no text layer and it cannot be rendered for OCR")
            return page
        page.ocr = True
        return page
    finally:
        pdf_page.close()


def _banners(page: _Page) -> set[int]:
    """Bold (or OCR'd) lines just above a "From:" line in the top band: the banner of a printed
    email, which repeats like furniture but marks where a print starts."""
    protected = set()
    for k, line in enumerate(page.lines[:-1]):
        if not in_band(line, page.height) or not (line.bold or page.ocr) or is_furniture(line.text):
            continue
        if any((header_label(n) or ("",))[0] == "from" for n in page.lines[k + 1 : k + 3]):
            protected.add(id(line))
    return protected


def parse(path: Path, ocr: bool = True) -> DocumentRecord:
    """Read a release PDF into pages and messages; `ocr=False` reports scanned pages instead of
    reading them (for quick surveys)."""
    path = Path(path)
    doc = _open(path)
    warnings: list[str] = []
    pages: list[_Page] = []
    jobs = _Ocr() if ocr else None
    try:
        count = len(doc)
        if count == 0:
            raise UnreadableFile("PDF has no pages")
        for index in range(count):
            pages.append(_read_page(doc, index, jobs, warnings))
        if jobs is not None:
            warnings += jobs.finish()
    finally:
        doc.close()
    if warnings and all(w.endswith("(damaged page)") for w in warnings) and len(warnings) == count:
        raise UnreadableFile("damaged PDF: none of its pages can be loaded")
    warnings.sort(key=lambda w: int(w.split(":")[0].split()[1]))
    bates = {page.number: find_bates(page.lines, page.height) for page in pages}
    protected = set().union(*(_banners(page) for page in pages))
    running = running_lines([p.lines for p in pages], [p.height for p in pages], protected)
    content = [line for page in pages for line in page.lines if id(line) not in running]
    return DocumentRecord(
        path=str(path),
        sha256=_sha256(path),
        kind="pdf",
        messages=split_messages(content, bates),
        pages=[
            PageRecord(page.number, "\n".join(line.text for line in page.lines), bates[page.number], page.ocr)
            for page in pages
        ],
        page_count=count,
        warnings=warnings,
    )
