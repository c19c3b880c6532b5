"""The common message read without the email package: one text/plain part under plain ASCII headers.

Most mail in a maildir or a list archive is just that, and the stdlib's feed parser and Message lookups cost
more than everything else an import does with it. `split_plain` accepts a message only when it can give exactly
what compat32 parsing would (the same header items, payload and charset); anything else (8-bit or odd
headers, MIME structure, a filename, a content type other than text/plain, uuencode) returns None and the
caller parses it the full way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PARAM_HEADER = 8192  # as mailparts bounds Content-* headers; a longer one goes the full way
# A header as the feed parser reads one: a name of printable ASCII but ":", a ":", then its value with the lines
# that continue it (those starting with a blank).
_HEADER = re.compile(r"([\x21-\x39\x3b-\x7e]+):[ \t]*([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)\r?\n")
# text/plain with only the parameters plain text carries, each a bare token or a quoted one without escapes.
_PLAIN_TYPE = re.compile(
    r'\s*text/plain\s*(?:;\s*(?:charset|format|delsp)\s*=\s*(?:"[\w.:-]*"|[\w.:-]+)\s*)*;?\s*', re.IGNORECASE | re.ASCII
)
_CHARSET = re.compile(r'charset\s*=\s*"?([\w.:-]*)', re.IGNORECASE | re.ASCII)
_UUENCODE = {"x-uuencode", "uuencode", "uue", "x-uue"}


@dataclass(frozen=True)
class PlainMessage:
    """What compat32 parsing of a single-part text/plain message yields: its raw header items, its payload
    (the body as the parser keeps it, 8-bit bytes surrogate-escaped) and the two Content-* values that read it."""

    items: list[tuple[str, str]]
    payload: str
    charset: str | None  # as Message.get_content_charset() gives it
    transfer_encoding: str  # the raw Content-Transfer-Encoding ("" when absent)


def split_plain(data: bytes) -> PlainMessage | None:
    """`data` (a whole message) as a PlainMessage, or None when it needs the email package."""
    cut = _blank_line(data)
    if cut is None:
        return None
    head, body_start = data[:cut], cut + (2 if data.startswith(b"\r\n", cut) else 1)
    if not head.isascii() or b"\r" in head.replace(b"\r\n", b""):
        return None
    items = _header_items(head.decode("ascii"))
    if items is None:
        return None
    first: dict[str, str] = {}  # what Message.get gives: the first header of each name
    for name, value in items:
        first.setdefault(name.lower(), value)
    if "content-disposition" in first:
        return None
    content_type = first.get("content-type")
    if content_type is not None and (len(content_type) > MAX_PARAM_HEADER or not _PLAIN_TYPE.fullmatch(content_type)):
        return None
    encoding = first.get("content-transfer-encoding", "")
    if encoding.lower() in _UUENCODE:
        return None
    charset = _CHARSET.search(content_type) if content_type else None
    payload = data[body_start:].decode("ascii", "surrogateescape")
    return PlainMessage(items, payload, charset.group(1).lower() if charset else None, encoding)


def _blank_line(data: bytes) -> int | None:
    """Where the empty line that ends the headers starts (after the last header's line end), if there is one."""
    ends = [found + 1 for found in (data.find(b"\n\n"), data.find(b"\n\r\n")) if found >= 0]
    return min(ends) if ends else None


def _header_items(head: str) -> list[tuple[str, str]] | None:
    """The (name, value) pairs compat32 makes of a header block (continuation lines joined as they are, the value's
    leading blanks and final line end dropped); None when a line is one the feed parser would treat otherwise
    (a "From " line, a first line that continues nothing, a line that is not a header)."""
    items, end = [], 0
    while end < len(head):
        match = _HEADER.match(head, end)  # anchored: a search would rescan a long bad line from each position
        if match is None:
            return None
        items.append((match.group(1), match.group(2)))
        end = match.end()
    return items
