"""The redaction log an appeal attaches: every box a release drew, where it is, what it cites and what can be
read under it, in Markdown a letter can quote, CSV a spreadsheet opens safely, and JSON Lines.

An appeal argues box by box, so each box is one numbered item naming its release, file, page and Bates, the
email it is in (or that its page is outside any email), the field it covers, its code read against the statute
(a code the statute lacks is flagged), whether its page is withheld in full, and any text readable under it or
shown by another release.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from foia_tui.domain.display import one_line
from foia_tui.domain.escaping import csv_cell, md_inline
from foia_tui.domain.exemptions import Exemption, read_codes
from foia_tui.domain.redactions import MARKER

OUTSIDE = "page outside any email"
_IN_FULL_WORDS = re.compile(r"\b(?:withheld|denied|exempt(?:ed)?)\s+in\s+(?:full|its\s+entirety)\b", re.IGNORECASE)
_PAGE_FURNITURE = re.compile(r"\bpage\s+\d+(?:\s+of\s+\d+)?\b", re.IGNORECASE)
_MIN_PAGE_LETTERS = 20  # a page with fewer letters than this beside its boxes shows nothing of its record


def withheld_in_full(page_text: str | None, bates: str | None) -> bool:
    """Whether a page shows nothing but its boxes (and its Bates stamp or page counter), or says it is withheld
    in full: a page an appeal contests as a whole, not a part of one."""
    text = page_text or ""
    if _IN_FULL_WORDS.search(text):
        return True
    if not MARKER.search(text):
        return False
    left = _PAGE_FURNITURE.sub(" ", MARKER.sub(" ", text.replace(bates, " ") if bates else text))
    return sum(c.isalpha() for c in left) < _MIN_PAGE_LETTERS


@dataclass(frozen=True)
class LoggedBox:
    """One box of the log (document text throughout: show it through foia_tui.domain.display)."""

    id: int
    document_id: str
    file: str
    page: int | None
    bates: str | None
    releases: tuple[str, ...]
    code: str | None  # as printed
    field: str | None  # the header field it covers; None in the body or off any email
    kind: str | None  # what hides the text (see importers.records.RedactionRecord.kind)
    leaked_text: str | None  # still in the text layer under the box
    readable_text: str | None  # read from the pixels under a box that is not uniform
    in_full: bool  # its page is withheld in full
    message_id: str | None = None  # None: a page outside any email
    thread_id: str | None = None
    offset: int | None = None  # the marker's place in the email's body
    sent: str | None = None
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    subject: str | None = None
    exposed_text: str | None = None  # what another release's copy of the email shows in its place
    exposed_in: tuple[str, ...] = ()

    @property
    def exemptions(self) -> list[Exemption]:
        return read_codes(self.code)

    @property
    def invalid(self) -> bool:
        return any(e.valid is False for e in self.exemptions)

    @property
    def where(self) -> str:
        return self.field or "body"

    @property
    def withheld(self) -> str:
        return "page withheld in full" if self.in_full else "withheld in part"

    def readable(self) -> list[tuple[str, str]]:
        """What can be read under the box, each with how: leaked, possibly readable, or shown by a release."""
        found = [("leaked", self.leaked_text), ("possibly readable", self.readable_text)]
        found.append((f"shown by {', '.join(self.exposed_in)}", self.exposed_text))
        return [(how, text) for how, text in found if text]

    def as_json(self) -> dict:
        """The JSON line `foia redactions --json` prints for the box."""
        return {
            "releases": list(self.releases),
            "file": self.file,
            "page": self.page,
            "bates": self.bates,
            "message_id": self.message_id,
            "sent": self.sent,
            "from": self.sender,
            "to": list(self.recipients),
            "subject": self.subject,
            "field": self.where,
            "code": self.code,
            "citations": [{"citation": e.citation, "valid": e.valid, "problem": e.problem} for e in self.exemptions],
            "withheld": "in full" if self.in_full else "in part",
            "kind": self.kind,
            "leaked_text": self.leaked_text,
            "readable_text": self.readable_text,
            "exposed": {"text": self.exposed_text, "releases": list(self.exposed_in)} if self.exposed_text else None,
        }


def code_counts(boxes: Sequence[LoggedBox]) -> list[tuple[Exemption | None, int]]:
    """Boxes per code as printed (None: boxes that print no code), most used first."""
    counts = Counter(e.printed for box in boxes for e in box.exemptions)
    read = {e.printed: e for box in boxes for e in box.exemptions}
    uncoded = sum(1 for box in boxes if not box.exemptions)
    found: list[tuple[Exemption | None, int]] = [(read[p], n) for p, n in counts.most_common()]
    return found + ([(None, uncoded)] if uncoded else [])


@dataclass(frozen=True)
class BoxTally:
    """A release's boxes in numbers, as its detail on the Releases screen shows them."""

    boxes: int
    codes: list[tuple[Exemption | None, int]]  # as code_counts gives them
    leaked: int  # text still in the text layer under the box
    possibly_readable: int  # read from the pixels under a box that is not uniform
    exposed: int  # shown as text by another release's copy of the email


def tally(boxes: Sequence[LoggedBox]) -> BoxTally:
    """How many boxes, per code, and how many of them fail: leak, may be read, or another release shows."""
    return BoxTally(
        len(boxes),
        code_counts(boxes),
        sum(1 for box in boxes if box.leaked_text),
        sum(1 for box in boxes if box.readable_text),
        sum(1 for box in boxes if box.exposed_text),
    )


def release_counts(boxes: Sequence[LoggedBox]) -> list[tuple[str | None, int]]:
    """Boxes per release (None: files in no release), in the log's order."""
    counts = Counter(box.releases[0] if box.releases else None for box in boxes)
    return list(counts.items())


def _email(box: LoggedBox) -> str:
    if box.message_id is None:
        return OUTSIDE
    what = f"email of {(box.sent or 'unknown date')[:16].replace('T', ' ')}"
    if box.sender:
        what += f" from {one_line(box.sender, 60)}"
    if box.recipients:
        what += f" to {one_line(', '.join(box.recipients), 120)}"
    if box.subject:
        what += f", subject “{one_line(box.subject, 120)}”"
    return what


def _source(box: LoggedBox) -> str:
    parts = [box.file.rsplit("/", 1)[-1]]
    parts += [f"p. {box.page}"] if box.page else []
    parts += [f"Bates {box.bates}"] if box.bates else []
    text = ", ".join(parts)
    return f"{text} ({', '.join(box.releases)})" if box.releases else text


def _cited(exemption: Exemption) -> str:
    if exemption.statute is None:
        return f"{exemption.printed} (a code of no statute checked here)"
    return f"{exemption.printed} ({exemption.citation})"


def _code_line(exemption: Exemption | None, count: int) -> str:
    if exemption is None:
        return f"- no code printed: {count}"
    line = f"- {md_inline(_cited(exemption))}: {count}"
    return line + (
        f" — **not an exemption of its statute**: {md_inline(exemption.problem)}" if exemption.problem else ""
    )


def log_markdown(boxes: Sequence[LoggedBox]) -> str:
    """The log as an appeal attaches it: a summary per code and per release, then every box as a numbered item."""
    invalid = sum(box.invalid for box in boxes)
    lines = ["# Redaction log", "", f"{len(boxes)} redaction{'s' if len(boxes) != 1 else ''}"]
    lines[-1] += f"; {invalid} cite{'s' if invalid == 1 else ''} a code its statute lacks." if invalid else "."
    lines += ["", "## Boxes per exemption", ""]
    lines += [_code_line(e, n) for e, n in code_counts(boxes)] or ["No boxes."]
    lines += ["", "## Boxes per release", ""]
    lines += [f"- {md_inline(name or 'in no release')}: {n}" for name, n in release_counts(boxes)] or ["No boxes."]
    lines += ["", "## Every box", ""]
    for n, box in enumerate(boxes, 1):
        codes = "; ".join(_cited(e) for e in box.exemptions) or "no code printed"
        lines.append(f"{n}. {md_inline(f'{_source(box)}: {_email(box)}; {box.where}; {codes}; {box.withheld}')}")
        lines += [f"   - **Invalid code**: {md_inline(e.problem)}" for e in box.exemptions if e.problem]
        lines += [f"   - Readable ({how}): “{md_inline(text)}”" for how, text in box.readable()]
    return "\n".join(lines).rstrip() + "\n"


CSV_COLUMNS = ("item", "releases", "file", "page", "bates", "sent", "from", "to", "subject", "field", "code",
               "citation", "valid", "problem", "withheld", "kind", "leaked_text", "readable_text", "exposed_text",
               "exposed_in")  # fmt: skip


def log_csv(boxes: Sequence[LoggedBox]) -> str:
    """The log as CSV, one row per box; every cell a spreadsheet shows as text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for n, box in enumerate(boxes, 1):
        codes = box.exemptions
        row = [n, list(box.releases), box.file, box.page, box.bates, box.sent, box.sender, list(box.recipients),
               box.subject, box.where, box.code, [e.citation for e in codes],
               ["no" if e.valid is False else "yes" if e.valid else "unchecked" for e in codes],
               [e.problem for e in codes if e.problem], "in full" if box.in_full else "in part", box.kind,
               box.leaked_text, box.readable_text, box.exposed_text, list(box.exposed_in)]  # fmt: skip
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def log_line(box: LoggedBox) -> str:
    """One box on one terminal line (`foia redactions`)."""
    codes = ", ".join(e.printed + (" (INVALID)" if e.problem else "") for e in box.exemptions) or "-"
    readable = "; ".join(f"{how}: {text}" for how, text in box.readable())
    line = f"{one_line(_source(box), 70)}  {one_line(codes, 24)}  {box.where:7}  {box.withheld}  "
    line += one_line(_email(box), 90)
    return line + (f"  READABLE {one_line(readable, 80)}" if readable else "")


READABLE_FILTERS = {
    "leaked": lambda box: bool(box.leaked_text),
    "exposed": lambda box: bool(box.exposed_text),
    "possibly readable": lambda box: bool(box.readable_text),
}


def cites(box: LoggedBox, code: str) -> bool:
    """Whether the box cites `code`, however either prints it ("b6" finds "(b)(6)", "87(2)(b)" "POL 87(2)(b)")."""
    wanted = {e.citation.casefold() for e in read_codes(code)}
    return any(e.citation.casefold() in wanted for e in box.exemptions)
