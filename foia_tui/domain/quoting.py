"""What an email's author wrote versus what it quotes, in comparable form.

Duplicate detection compares what authors wrote (a native body carries the quoted chain, a printed copy split
by the PDF importer does not); header-less threading matches the text (and date) a reply quotes with the text
(and date) of its parent. Both work on folded text: lower case, letters and digits only, redaction boxes removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from foia_tui.domain.redactions import PRINTED_BOX
from importers.dates import search_date

# Where the quoted part of a body starts: "On ... wrote:", an Outlook "-----Original Message-----" or
# "From: ... Sent:" block, a forwarded-message banner, or the first line quoted with ">".
_QUOTE_START = re.compile(
    r"(?im)^[ \t]*(?:"
    r"-{2,}[ \t]*(?:original message|forwarded message)[ \t]*-{2,}"
    r"|begin forwarded message:"
    r"|on\b[^\n]{0,300}(?:\n[^\n]{0,300})?\bwrote:[ \t]*$"
    r"|from:[^\n]*\n(?:[^\n]*\n){0,3}?[ \t]*(?:sent|date):"
    r"|>"
    r")"
)
_HEADER_LINE = re.compile(r"^[ \t]*[A-Za-z][\w -]{0,24}:[ \t]")
_NON_WORD = re.compile(r"[\W_]+")
FINGERPRINT_CHARS = 160
MIN_FINGERPRINT = 24  # folded characters a quote needs to name its message by text alone


def fold(text: str) -> str:
    """Lower case, redaction boxes dropped, everything but letters and digits turned into single spaces."""
    return _NON_WORD.sub(" ", PRINTED_BOX.sub(" ", text).casefold()).strip()


def own_text(body: str) -> str:
    """The part of a body its author wrote, before any quoted or forwarded message."""
    match = _QUOTE_START.search(body)
    return body[: match.start()] if match else body


@dataclass(frozen=True)
class Quote:
    """The first message a body quotes or forwards: what its author wrote, and when (as the banner says)."""

    text: str
    sent: str | None  # ISO 8601, with an offset only when the banner printed one


def first_quote(body: str) -> Quote | None:
    """The first quoted or forwarded message of a body (None when nothing is quoted)."""
    match = _QUOTE_START.search(body)
    if not match:
        return None
    if body[match.start() :].lstrip().startswith(">"):
        banner, lines = "", body[match.start() :].splitlines()
    else:  # the banner line, then the quoted message's header block
        lines = body[match.end() :].splitlines()
        banner = body[match.start() : match.end()] + (lines[0] if lines else "")
        lines = lines[1:]
        while lines and _HEADER_LINE.match(lines[0]):
            banner += "\n" + lines[0]
            lines = lines[1:]
    found = search_date(banner)
    quoted = []
    for line in lines:
        stripped = line.lstrip()
        quoted.append(stripped[1:] if stripped.startswith(">") else line)
    return Quote(own_text("\n".join(quoted).strip()), found.iso if found else None)


def fingerprint(text: str) -> str:
    """The first words of folded text: equal for two copies of what one author wrote."""
    return fold(text)[:FINGERPRINT_CHARS]
