"""Plain records every importer produces: no SQL, no UI, just what was read.

The archive turns these into rows; tests compare them with generated ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CopyKind = Literal["native", "print", "quoted"]


class UnreadableFile(Exception):
    """A file that cannot be imported; the message is the one-line reason shown to the user."""


@dataclass(frozen=True)
class Address:
    """A correspondent as the source printed it: either part may be missing or redacted."""

    name: str | None = None
    email: str | None = None
    raw: str = ""

    @property
    def redacted(self) -> bool:
        text = f"{self.name or ''} {self.email or ''} {self.raw}".lower()
        return "redact" in text or "█" in text or "withheld" in text


@dataclass
class RedactionRecord:
    """A box over text: where it stands on the page and in the body, and what it hides (or fails to)."""

    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    code: str | None = None  # exemption code as printed, e.g. "(b)(6)" or "POL 87(2)(b)"
    offset: int | None = None  # character position of the marker in the message body
    leaked_text: str | None = None  # text still present in the text layer under the box
    # what hides the text: "box" (a drawn rectangle), "image" (a black picture), "translucent" (a box that
    # lets the page show through), "highlight" (a dark highlight annotation), "redact_annotation" (marked
    # for redaction, never applied) or "scan" (dark pixels of a scanned page)
    kind: str = "box"
    readable_text: str | None = None  # OCR of the pixels under a box that is not uniform: possibly readable
    crop: bytes | None = field(default=None, repr=False)  # PNG of those pixels, contrast stretched
    # the header field a box on a header line cuts into: from, to, cc, bcc, reply_to, sent, subject,
    # attachments or importance; None in the body (and off any message)
    field: str | None = None


@dataclass
class AttachmentRecord:
    """A file attached to (or named by) a message; `data` is kept only for PDFs we import too."""

    name: str
    content_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    data: bytes | None = field(default=None, repr=False)


@dataclass
class MessageRecord:
    """One email as one source shows it: a native file, a printed copy, or a copy quoted in a reply."""

    ordinal: int  # position within its document; with the document hash it gives a stable id
    subject: str | None = None
    sender: Address | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    bcc: list[Address] = field(default_factory=list)
    reply_to: list[Address] = field(default_factory=list)
    sent: str | None = None  # ISO 8601; with offset only when the source gave one
    date_text: str | None = None  # the date exactly as printed or sent
    body: str = ""
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    page_start: int | None = None
    page_end: int | None = None
    bates_start: str | None = None
    bates_end: str | None = None
    redactions: list[RedactionRecord] = field(default_factory=list)
    attachments: list[AttachmentRecord] = field(default_factory=list)
    copy_kind: CopyKind = "native"
    quoted_in: int | None = None  # ordinal of the message whose body quotes this one (its reply)
    quote_hidden: bool = False  # printed "[Quoted text hidden]": the chain below was not printed


@dataclass
class LeadRecord:
    """What a file prints before its first email header: a cover letter, or the end of an email that
    began in the previous file of a production (agencies cut productions into ~40-page parts). The
    import decides which, knowing the order of the files; until then it belongs to no message."""

    text: str
    page_start: int
    page_end: int
    to: list[Address] = field(default_factory=list)  # header lines cut off by the file boundary
    cc: list[Address] = field(default_factory=list)
    subject: str | None = None
    redactions: list[RedactionRecord] = field(default_factory=list)


@dataclass
class PageRecord:
    """The text of one page, so documents without emails (cover letters) stay searchable by page."""

    number: int
    text: str
    bates: str | None = None
    ocr: bool = False


@dataclass
class DocumentRecord:
    """Everything read from one file."""

    path: str
    sha256: str
    kind: str  # eml, mbox, maildir, msg, pdf
    messages: list[MessageRecord] = field(default_factory=list)
    pages: list[PageRecord] = field(default_factory=list)
    page_count: int | None = None
    warnings: list[str] = field(default_factory=list)
    lead: LeadRecord | None = None  # content before the first header (PDF prints)
    redactions: list[RedactionRecord] = field(default_factory=list)  # boxes on pages no email reaches
