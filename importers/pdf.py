"""FOIA/FOIL release PDFs: pages (text layer or OCR), redaction boxes, and the printed emails in them.

Pages are read one at a time with pypdfium2 (fast text, page objects for boxes) and closed at once, so a
2,000-page release stays small in memory; pages without a text layer are rendered and sent to Tesseract
on a small thread pool. Once every page has its lines, running headers/footers are dropped and the
content is split into messages (importers.pdf_split).
"""

from __future__ import annotations

import os
import re
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from importers.hashing import file_sha256
from importers.ocr_cache import OcrCache
from importers.pdf_annotations import annotation_boxes
from importers.pdf_audit import LeakAudit
from importers.pdf_boxes import Box, image_boxes, scan_boxes, vector_boxes
from importers.pdf_gmail import print_subject
from importers.pdf_layout import Line, TextLayer, reflow_narrow_columns
from importers.pdf_ocr import OcrError, Reader, mean_confidence, read_box_labels, read_page, render
from importers.pdf_redactions import apply_boxes
from importers.pdf_running import email_page_counters, find_bates, in_band, is_furniture, running_lines
from importers.pdf_scan_readable import read_through
from importers.pdf_split import THREAD_COUNT_RE, Split, header_label, header_lines, keeps_its_line, split_messages
from importers.records import DocumentRecord, MessageRecord, PageRecord, RedactionRecord, UnreadableFile

_MIN_TEXT_CHARS = 20  # fewer visible characters on a scanned page: a stamp, not a text layer
_LOW_CONFIDENCE = 60  # mean OCR word confidence (0 to 100) below which a page's text is likely misread


@dataclass
class _Page:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)
    ocr: bool = False


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


_BAD_CHARS_RE = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f]")


def _garbled(text: str, visible: int) -> bool:
    """Text layers from fonts without a Unicode map read as private-use or replacement characters."""
    return visible > 0 and len(_BAD_CHARS_RE.findall(text)) > 0.3 * visible


def _ocr_page(image: Image.Image, number: int, boxes: list[Box], reader: Reader) -> list[Line]:
    read_box_labels(image, boxes, reader)
    read_through(image, boxes, number, reader)
    return read_page(image, number, boxes, reader)


def _drawn_ink(pdf_page: pdfium.PdfPage) -> bool:
    """Whether a page with no text layer and no image shows anything: text drawn as vector shapes
    reads like a scan, so it must be OCR'd, not skipped as blank."""
    if not pdfium_c.FPDFPage_CountObjects(pdf_page.raw):
        return False
    low, _high = render(pdf_page, 36).getextrema()
    return low < 128


def _cores() -> int:
    """Cores this process may run on (its `taskset` or container share, not the machine's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class _Ocr:
    """Tesseract jobs for scanned pages, a few at a time, so rendering and OCR overlap."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.pool: ThreadPoolExecutor | None = None
        self.jobs: deque[tuple[_Page, Future[list[Line]], list[Box]]] = deque()
        self.workers = max(1, min(4, _cores()))
        self.warnings: list[str] = []

    def submit(self, pdf_page: pdfium.PdfPage, page: _Page, drawn: list[Box]) -> None:
        """Queue a page for OCR; `drawn` are the vector boxes drawn over its scan."""
        image = render(pdf_page, self.reader.dpi)
        page.height = image.height / self.reader.scale
        boxes = scan_boxes(drawn, image_boxes(image, self.reader.scale))
        if self.pool is None:
            self.pool = ThreadPoolExecutor(self.workers)
        self.jobs.append((page, self.pool.submit(_ocr_page, image, page.number, boxes, self.reader), boxes))
        while len(self.jobs) > 2 * self.workers:
            self._finish_one()

    def _finish_one(self) -> None:
        page, job, boxes = self.jobs.popleft()
        lines: list[Line] = []
        try:
            lines = job.result()
        except OcrError as exc:
            self.warnings.append(f"page {page.number}: no text layer and OCR failed ({exc})")
        else:
            confidence = mean_confidence(lines)
            if not lines and not boxes:
                self.warnings.append(f"page {page.number}: no text layer and OCR found no text")
            elif confidence is not None and confidence < _LOW_CONFIDENCE:
                self.warnings.append(
                    f"page {page.number}: OCR text of low confidence ({confidence:.0f} of 100), may be misread"
                )
        # the boxes are geometry, not OCR: a wholly boxed page (or one OCR failed on) keeps them
        page.lines = apply_boxes(lines, boxes, page.number, page.height, lambda line, _boxes: line.units or [])

    def finish(self) -> list[str]:
        """Wait for every job; the warnings of pages OCR could not read."""
        while self.jobs:
            self._finish_one()
        return self.warnings

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _read_page(doc: pdfium.PdfDocument, index: int, ocr: _Ocr | None, warnings: list[str], audit: LeakAudit) -> _Page:
    number = index + 1
    try:
        pdf_page = doc[index]
    except pdfium.PdfiumError:
        warnings.append(f"page {number}: cannot be loaded (damaged page)")
        return _Page(number, 792.0)
    try:
        _left, bottom, _right, top = pdf_page.get_cropbox()
        page = _Page(number, top - bottom)
        try:
            layer = TextLayer(pdf_page, number)
        except pdfium.PdfiumError:
            warnings.append(f"page {number}: its text layer cannot be read")
            return page
        try:
            lines = layer.lines()
            text = "".join(line.text for line in lines)
            visible = len(text) - text.count(" ")
            boxes, image_share = vector_boxes(pdf_page, warnings, number)
            boxes += annotation_boxes(pdf_page, number, warnings)
            scanned = (visible < _MIN_TEXT_CHARS and (image_share > 0.4 or visible == 0)) or _garbled(text, visible)
            if not scanned:
                lines = reflow_narrow_columns(lines, keeps_its_line)
                audit.audit(index, boxes, layer)
                page.lines = apply_boxes(lines, boxes, number, page.height, layer.units)
                return page
        finally:
            layer.close()
        if image_share == 0 and not boxes and visible == 0:
            if not _drawn_ink(pdf_page):
                return page  # a blank page: nothing to read, nothing lost
            warnings.append(f"page {number}: text drawn as shapes, with no text layer: read by OCR, may be misread")
        if ocr is None:
            warnings.append(f"page {number}: no text layer (OCR turned off)")
            return page
        try:
            ocr.submit(pdf_page, page, boxes)
        except pdfium.PdfiumError:
            warnings.append(f"page {number}: no text layer and it cannot be rendered for OCR")
            return page
        page.ocr = True
        return page
    finally:
        pdf_page.close()


def _banners(page: _Page) -> set[int]:
    """Lines in the top band that repeat like furniture but mark where a print starts: the bold
    (or OCR'd) banner above a "From:" line, a Gmail thread's subject above "N messages", and the
    header block itself (records printed one to a page put their From: lines at the same place)."""
    protected = set()
    for k, line in enumerate(page.lines[:-1]):
        if not in_band(line, page.height) or is_furniture(line.text):
            continue
        protected.update(id(n) for n in header_lines(page.lines, k))
        starts_thread = THREAD_COUNT_RE.match(page.lines[k + 1].text) is not None
        above_from = any((header_label(n) or ("",))[0] == "from" for n in page.lines[k + 1 : k + 3])
        if starts_thread or ((line.bold or page.ocr) and above_from):
            protected.add(id(line))
    return protected


def _take_empty_pages(
    pages: list[_Page], messages: list[MessageRecord], running: set[int], bates: dict[int, str | None]
) -> None:
    """A page with nothing on it but furniture (a page counter, a Bates stamp; no box) right after an email's
    last page is the end of that email's print, not a page outside any email."""
    last_of = {m.page_end: m for m in messages if m.page_end is not None}  # the email printed last on each page
    for page in pages:
        empty = all(id(line) in running and not line.marks for line in page.lines)
        owner = last_of.get(page.number - 1)
        starts_here = any(m.page_start == page.number for m in messages)
        if empty and owner is not None and not starts_here:
            owner.page_end, owner.bates_end = page.number, bates.get(page.number)
            last_of[page.number] = owner


def _loose_boxes(pages: list[_Page], split: Split) -> list[RedactionRecord]:
    """Boxes no email or lead took (on running headers and footers, or on pages between emails): each
    goes to an email printed on its page (the first there for a box in the page's upper half, else the
    last), or to the lead there; those on pages no email or lead reaches are the document's."""
    lead = split.lead
    owned = {id(r) for m in split.messages for r in m.redactions} | {id(r) for r in (lead.redactions if lead else [])}
    stray: list[RedactionRecord] = []
    for page in pages:
        on_page = [m for m in split.messages if (m.page_start or 0) <= page.number <= (m.page_end or 0)]
        for line in page.lines:
            for _offset, record in line.marks:
                if id(record) in owned:
                    continue
                if on_page:
                    on_page[0 if line.top < page.height / 2 else -1].redactions.append(record)
                elif lead is not None and lead.page_start <= page.number <= lead.page_end:
                    lead.redactions.append(record)
                else:
                    stray.append(record)
    return stray


def parse(path: Path, ocr: bool = True, ocr_cache: OcrCache | None = None) -> DocumentRecord:
    """Read a release PDF into pages and messages; `ocr=False` reports scanned pages instead of
    reading them (for quick surveys); `ocr_cache` keeps Tesseract's readings between imports."""
    path = Path(path)
    doc = _open(path)
    warnings: list[str] = []
    pages: list[_Page] = []
    jobs = _Ocr(Reader(cache=ocr_cache)) if ocr else None
    audit = LeakAudit(path)
    try:
        count = len(doc)
        if count == 0:
            raise UnreadableFile("PDF has no pages")
        for index in range(count):
            pages.append(_read_page(doc, index, jobs, warnings, audit))
        if jobs is not None:
            warnings += jobs.finish()
    finally:
        if jobs is not None:
            jobs.close()
        audit.close()
        doc.close()
    if warnings and all(w.endswith("(damaged page)") for w in warnings) and len(warnings) == count:
        raise UnreadableFile("damaged PDF: none of its pages can be loaded")
    warnings.sort(key=lambda w: int(w.split(":")[0].split()[1]))
    bates = {page.number: find_bates(page.lines, page.height) for page in pages}
    protected = set().union(*(_banners(page) for page in pages))
    running = running_lines([p.lines for p in pages], [p.height for p in pages], protected)
    content = [line for page in pages for line in page.lines if id(line) not in running]
    heights = {page.number: page.height for page in pages}
    counters = email_page_counters([p.lines for p in pages], [p.height for p in pages])
    subject = print_subject([ln for p in pages[:1] for ln in p.lines])
    split = split_messages(content, bates, heights, subject, counters)
    messages = split.messages
    _take_empty_pages(pages, messages, running, bates)
    stray = _loose_boxes(pages, split)
    warnings += split.warnings
    return DocumentRecord(
        path=str(path),
        sha256=file_sha256(path),
        kind="pdf",
        messages=messages,
        pages=[
            PageRecord(page.number, "\n".join(line.text for line in page.lines), bates[page.number], page.ocr)
            for page in pages
        ],
        page_count=count,
        warnings=warnings,
        lead=split.lead,
        redactions=stray,
    )
