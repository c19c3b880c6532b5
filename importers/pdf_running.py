"""Running headers, footers and Bates stamps: found per page, kept in page text, taken out of bodies.

A line counts as running when it sits in the top or bottom band of the page and either looks like a
page furniture pattern (Bates number, "Page 3 of 9", the browser's Gmail print header/footer) or, with
digits ignored, repeats on several pages. A bold banner right above a header block is the start of a
printed email, not furniture, even though it repeats.
"""

from __future__ import annotations

import re
from collections import defaultdict

from importers.pdf_gmail import FOOTER_URL_RE, PRINT_HEADER_RE
from importers.pdf_layout import Line
from importers.pdf_redactions import MARKER_RE

BATES_RE = re.compile(
    r"(?<![\w-])(?!(?:PAGE|FAX|TEL|PHONE|SUITE|ROOM|BOX|NO|ZIP|CASE|FOIA|FOIL|FILE|REF)\b)(?![A-Z]{2} \d{5}\b)"
    r"([A-Z][A-Z0-9]*(?:[-_.](?:[A-Z][A-Z0-9]*|\d{2,4}(?=[-_.][A-Z])))*(?:[-_ ]|(?<=[A-Z]))\d{4,10})(?![\w-])"
)
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s*)?\d{1,5}(?:\s*(?:of|/)\s*\d{1,5})?$", re.IGNORECASE)
_FURNITURE_RES = (_PAGE_NUMBER_RE, FOOTER_URL_RE, PRINT_HEADER_RE)
_BAND = 0.1


def _joined_digits(text: str) -> str:
    """OCR splits long numbers ("NYPD-FOIL-0001 23"); stamps never have a space between digits."""
    return re.sub(r"(?<=\d) (?=\d)", "", text)


def in_band(line: Line, height: float) -> bool:
    return line.top < _BAND * height or line.bottom > (1 - _BAND) * height


def find_bates(lines: list[Line], height: float) -> str | None:
    """The Bates number stamped on a page: bottom band first, then top band."""
    bands = sorted((ln for ln in lines if in_band(ln, height)), key=lambda ln: -ln.top)
    for line in bands:
        text = _joined_digits(line.text)
        for match in BATES_RE.finditer(text):
            digits = sum(c.isdigit() for c in match.group(1))
            # a short number inside running prose ("LEADS 2000, ACCURINT") is not a stamp
            if digits >= 6 or is_furniture(text):
                return match.group(1)
    return None


_COUNTER_RE = re.compile(r"^(?:page\s*)?(\d{1,3})(?:\s*(?:of|/)\s*\d{1,3})?$", re.IGNORECASE)


def email_page_counters(pages: list[list[Line]], heights: list[float]) -> dict[int, int]:
    """Page numbers printed per email ("1", "2", … restarting at each printed email), by page number;
    empty when the numbers only count the document's pages (then they say nothing of where emails
    start)."""
    found: dict[int, int] = {}
    for lines, height in zip(pages, heights, strict=True):
        for line in sorted(lines, key=lambda ln: -ln.bottom):
            match = _COUNTER_RE.match(line.text.strip())
            if line.top > (1 - _BAND) * height and match:
                found[line.page] = int(match.group(1))
                break
    restarts = any(n == 1 and page > min(found) for page, n in found.items())
    return found if restarts else {}


def _key(text: str) -> str:
    """What repeats from page to page: digits ignored, and boxes too (one box looks like another)."""
    return re.sub(r"\d+", "#", MARKER_RE.sub("", text).lower()).strip()


def is_furniture(text: str) -> bool:
    rest = BATES_RE.sub("", _joined_digits(text)).strip()
    return not rest or any(pattern.match(rest) for pattern in _FURNITURE_RES)


def running_lines(pages: list[list[Line]], heights: list[float], protected: set[int]) -> set[int]:
    """ids of lines that are page furniture; `protected` ids (banners) are never furniture."""
    seen: dict[str, set[int]] = defaultdict(set)
    for number, lines in enumerate(pages):
        for line in lines:
            if in_band(line, heights[number]):
                seen[_key(line.text)].add(number)
    threshold = max(2, min(3, len(pages) // 3))
    running: set[int] = set()
    for number, lines in enumerate(pages):
        for line in lines:
            if id(line) in protected or not in_band(line, heights[number]):
                continue
            if not _key(line.text):
                continue  # only boxes: redacted content at the top or foot of a page
            if is_furniture(line.text) or (len(pages) > 1 and len(seen[_key(line.text)]) >= threshold):
                running.add(id(line))
    return running
