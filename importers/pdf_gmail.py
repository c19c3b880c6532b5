"""What a Gmail "print all" adds around its messages: the browser's print header and footer, the thread
subject printed once, "[Quoted text hidden]" and attachment lists.

Gmail prints the subject once for the whole thread (under the masthead, and in the browser's print header
line "7/19/2016 Gmail - Subject" or "7/19/2016 Example Org Mail - Subject"), so every message of the print
takes it. "[Quoted text hidden]" stands where Gmail folded the chain below a reply: the release did not
print it, which `foia gaps` reports. An attachment list ("2 attachments", then "name.pdf 31K" lines) is the
message's attachments as printed, not body text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from importers.pdf_layout import Line
from importers.records import AttachmentRecord

PRINT_HEADER_RE = re.compile(
    r"^\d{1,2}/\d{1,2}/\d{2,4},?(?:\s+\d{1,2}:\d{2}\s*[AP]M)?\s+(?:.{0,80}?\s)?G?mail\s+-\s+(?P<subject>.*\S)\s*$",
    re.IGNORECASE,
)
FOOTER_URL_RE = re.compile(r"^https?\s?:\s?//\s?mail\.google\.com/.*$", re.IGNORECASE)  # OCR: "https ://"
QUOTE_HIDDEN_RE = re.compile(r"^[\[(|{]?\s*quoted\s+text\s+hidden\s*[\])|}]?$", re.IGNORECASE)
_COUNT_RE = re.compile(r"^(?P<count>\d{1,3})\s+attachments?$", re.IGNORECASE)
_SIZE = r"(?P<size>\d+(?:[.,]\d+)?)\s*(?P<unit>[KMG])B?"
_FILE_RE = re.compile(rf"^(?P<name>\S.*?\.[A-Za-z0-9]{{1,5}})(?:\s+{_SIZE})?$", re.IGNORECASE)
_SIZE_RE = re.compile(rf"^{_SIZE}$", re.IGNORECASE)
_UNITS = {"k": 1024, "m": 1024**2, "g": 1024**3}


def print_subject(lines: list[Line]) -> str | None:
    """The thread subject from the browser's print header line, completed from the subject line printed
    under the masthead when the browser cut it short ("Subject of the thr...")."""
    for line in lines:
        match = PRINT_HEADER_RE.match(line.text)
        if not match:
            continue
        subject = match.group("subject")
        stem = subject.rstrip(".…").rstrip()
        if stem != subject:
            full = next((ln.text for ln in lines if ln.text.startswith(stem) and ln is not line), None)
            subject = full or stem
        return subject
    return None


def is_attachment_entry(text: str) -> bool:
    """A line of an attachment list: "2 attachments", a file name, or a size on its own ("31K")."""
    text = text.strip()
    return bool(_COUNT_RE.match(text) or _FILE_RE.match(text) or _SIZE_RE.match(text))


def _size(number: str, unit: str) -> int:
    return round(float(number.replace(",", ".")) * _UNITS[unit.lower()])


@dataclass
class Extras:
    """A message's body lines with Gmail's additions taken out, and what they said."""

    lines: list[Line]
    attachments: list[AttachmentRecord]
    quote_hidden: bool


def take_extras(lines: list[Line]) -> Extras:
    """Body lines without "[Quoted text hidden]" and attachment lists, which become fields instead."""
    kept: list[Line] = []
    attachments: list[AttachmentRecord] = []
    hidden = False
    i = 0
    while i < len(lines):
        text = lines[i].text.strip()
        if QUOTE_HIDDEN_RE.match(text):
            hidden = True
            i += 1
            continue
        count = _COUNT_RE.match(text)
        found, end = _attachment_list(lines, i + 1, int(count.group("count"))) if count else ([], i)
        if found:
            attachments += found
            i = end
            continue
        kept.append(lines[i])
        i += 1
    return Extras(kept, attachments, hidden)


def _attachment_list(lines: list[Line], i: int, count: int) -> tuple[list[AttachmentRecord], int]:
    """Up to `count` "name.ext 31K" entries from line i (the size may sit on the next line)."""
    found: list[AttachmentRecord] = []
    while i < len(lines) and len(found) < count:
        entry = _FILE_RE.match(lines[i].text.strip())
        if not entry:
            break
        size = _size(entry.group("size"), entry.group("unit")) if entry.group("size") else None
        i += 1
        if size is None and i < len(lines):
            alone = _SIZE_RE.match(lines[i].text.strip())
            if alone:
                size = _size(alone.group("size"), alone.group("unit"))
                i += 1
        name = re.sub(r"\s+\.(?=\w{1,5}$)", ".", entry.group("name"))  # OCR: "schedule .pdf"
        found.append(AttachmentRecord(name=name, size=size))
    return found, i
