"""Printed emails cut out of a release's lines: Outlook header blocks, Gmail thread prints, Outlook Web
prints and "On <date>, <name> wrote:" quotes.

The top message of each printed record is copy_kind "print"; every header block or quote line below it
starts a "quoted" message, quoted in the message just above it (a reply quotes the chain below it),
unless it is dated later than that message: a reply never quotes a later email, so that is a new print
(releases often concatenate prints without any banner between them).
Lines are the content of all pages in order, running headers and footers already removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from importers.addresses import parse_address, parse_address_list
from importers.dates import search_date
from importers.pdf_gmail import is_attachment_entry, take_extras
from importers.pdf_layout import Line
from importers.pdf_redactions import MARKER_RE, find_codes
from importers.records import Address, AttachmentRecord, LeadRecord, MessageRecord, RedactionRecord

_LABELS = {
    "from": "from",
    "sent": "sent",
    "date": "date",
    "to": "to",
    "cc": "cc",
    "ce": "cc",  # OCR reads a printed "Cc:" as "Ce:"
    "bcc": "bcc",
    "subject": "subject",
    "attachments": "attachments",
    "attachment": "attachments",
    "importance": "importance",
    "reply-to": "reply_to",
    "received": "received",
}
_LABEL_RE = re.compile(
    r"^\s*(?P<label>from|sent|date|received|to|cc|ce|bcc|subject|attachments?|importance|reply-to)\s*[:;]\s*(?P<value>.*)$",
    re.IGNORECASE,
)
# a "Subject:" label that OCR read short where a box starts right after it ("Subj █[REDACTED]█")
_CUT_SUBJECT_RE = re.compile(r"^\s*subj\w{0,4}\s*[:;]?\s*(?P<value>█.*)$", re.IGNORECASE)
THREAD_COUNT_RE = re.compile(r"^\d+\s+messages?$", re.IGNORECASE)
_SEPARATOR_RE = re.compile(
    r"^(?:[-_=\s]*(?:original message|forwarded message|begin forwarded message:?)[-_=\s]*|[-_=]{8,}"
    r"|auto[- ]?forwarded by a rule)$",
    re.IGNORECASE,
)
# the same rule with OCR's reading of a scanner speck in front of it ("soos Original Message-----")
_RULED_SEPARATOR_RE = re.compile(r"(?:original|forwarded) message\s*-{3,}$", re.IGNORECASE)
# "wrote:" ends a quote line; OCR reads its colon as ";" or "." (or loses it on a line's edge)
_WROTE_RE = re.compile(r"\s*\bwrote\s?[:;.]?\s*$", re.IGNORECASE)
_AUTO_FORWARD_RE = re.compile(r"^auto[- ]?forwarded by a rule\s+", re.IGNORECASE)
# OCR misreads the colon of a reply or forward prefix ("RE;", "RE}", "Fw.")
_PREFIX_OCR_RE = re.compile(r"^(?P<prefix>re|fwd?|fw)\s*[;:}\].,!]\s*", re.IGNORECASE)
# OCR sets "@" apart from its neighbours ("<tim.clemans @ seattlepublicrecords.org>")
_ANGLE_ADDR_RE = re.compile(r"<[^<>\s]+\s?@\s?[^<>\s]+>|^[^\s<>@]+\s?@\s?[^\s<>@]+\.\w+")
_QUOTE_PREFIX_RE = re.compile(r"^(?:[>|]\s?)+")  # "> " marks, or OCR's reading of a Gmail quote bar
_EARLY_END = 0.75  # share of the page height above which a page's content stops when a page break ended it


@dataclass
class _Start:
    """Where a message begins: its header lines and the first line of its body."""

    index: int
    body: int
    kind: str  # "print" or "quoted"
    fields: dict[str, str] = field(default_factory=dict)
    header_lines: list[Line] = field(default_factory=list)
    unlabelled: tuple[str, ...] = ("from",)  # what the block's lines before its first label print


# OCR's misreadings of the longer labels ("Frorn:", "Sont:", "Subjcct:"): one edit away, two for "subject"
_OCR_LABEL_RE = re.compile(r"^\s*(?P<word>[A-Za-z]{4,11})\s*[:;]\s*(?P<value>.*)$")
_OCR_LABELS = {"from": 1, "sent": 1, "date": 1, "subject": 2, "attachments": 2, "received": 2}


def _misread_label(text: str) -> tuple[str, str] | None:
    match = _OCR_LABEL_RE.match(text)
    if not match:
        return None
    word = match.group("word").lower().replace("rn", "m")
    for label, edits in _OCR_LABELS.items():
        if abs(len(word) - len(label)) <= edits and Levenshtein.distance(word, label, score_cutoff=edits) <= edits:
            return _LABELS[label], match.group("value").strip()
    return None


def header_label(line: Line) -> tuple[str, str] | None:
    """(field, value) when the line starts with a mail header label such as "From:" or "Sent:"."""
    match = _LABEL_RE.match(line.text)
    if match:
        return _LABELS[match.group("label").lower()], match.group("value").strip()
    cut = _CUT_SUBJECT_RE.match(line.text)
    if cut:
        return "subject", cut.group("value").strip()
    return _misread_label(line.text) if line.joiner == " " else None  # OCR'd lines only


def keeps_its_line(line: Line) -> bool:
    """A line that reflowing a narrow column must not join to the one above: a header label, or an entry
    of a Gmail attachment list (short lines that are not a wrapped column)."""
    return header_label(line) is not None or is_attachment_entry(line.text)


def _gap(prev: Line, line: Line) -> float:
    if prev.page != line.page:
        return 0.0
    return line.top - prev.bottom


def _wrapped_value(lines: list[Line], j: int, fields: dict[str, str], last: str, start: int) -> bool:
    """Line j is the rest of a header value wrapped to the label's margin: another label follows it at
    once (perhaps across a page break; one the block has not had yet), or (a recipient list or subject)
    it keeps the block's line spacing and a wider gap follows."""
    after = lines[j + 1] if j + 1 < len(lines) else None
    if after is None:
        return False
    height = max(4.0, lines[j].bottom - lines[j].top)
    gap_after = _gap(lines[j], after)
    if gap_after < 0.8 * height:
        label = header_label(after)
        return label is not None and label[0] not in fields
    if last not in ("to", "cc", "bcc", "subject") or j - start < 2 or len(lines[j].text) >= 60:
        return False
    rhythm = _gap(lines[j - 2], lines[j - 1])  # spacing between the block's own lines
    return _gap(lines[j - 1], lines[j]) <= rhythm + 0.15 * height and gap_after > rhythm + 0.5 * height


def _read_block(lines: list[Line], i: int) -> tuple[dict[str, str], int] | None:
    """A header block starting at line i: its fields and the index just past it, if it is one."""
    fields: dict[str, str] = {}
    last = None
    label_x = lines[i].x0
    j = i
    while j < len(lines):
        line = lines[j]
        found = header_label(line)
        if found and (found[0] not in fields or found[0] in ("to", "cc", "bcc")):
            name, value = found
            fields[name] = f"{fields[name]}; {value}" if name in fields else value
            last = name
            j += 1
            continue
        if last and not found and j > i:
            prev = lines[j - 1]
            height = max(4.0, line.bottom - line.top)
            close = _gap(prev, line) < 0.8 * height
            indented = line.x0 > label_x + 15
            continues_list = last in ("to", "cc", "bcc") and fields[last].rstrip().endswith((";", ","))
            if close and (indented or continues_list or _wrapped_value(lines, j, fields, last, i)):
                fields[last] = f"{fields[last]} {line.text}".strip()
                j += 1
                continue
        break
    has_date = "sent" in fields or "date" in fields or "received" in fields
    addressed = "subject" in fields and "to" in fields
    if "from" in fields and (has_date or addressed):
        return fields, j
    if "sent" in fields and ("to" in fields or "subject" in fields) and lines[i].text.lower().startswith("sent"):
        # the From line was lost under a box or to OCR: take the marker left on the line above
        above = lines[i - 1] if i else None
        if above is not None and above.page == lines[i].page and "█" in above.text and len(above.text) < 60:
            fields["from"] = " ".join(MARKER_RE.findall(above.text))
        return fields, j
    return None


def _gmail_sender(text: str) -> str | None:
    """How a Gmail header line shows who sent it: "Name <address>", a bare address, or a box where the
    name was redacted (perhaps beside a few visible words); whatever else is no sender."""
    who = _ANGLE_ADDR_RE.search(text)
    if who:
        return text if who.end() == len(text) else None
    words = MARKER_RE.sub(" ", text).split()
    if words == text.split() or len(words) > 4 or any(c.isdigit() or c in ":;?!" for c in "".join(words)):
        return None
    return text


def _gmail_header(lines: list[Line], i: int, gmail: bool) -> tuple[dict[str, str], int] | None:
    """ "Name <address>   date" (date at the right margin), then To:/Cc: lines."""
    text = lines[i].text
    if ("@" not in text and "█" not in text) or header_label(lines[i]):
        return None
    found = search_date(text)
    if not found or len(text) - found.end > 16:
        return None
    sender = _gmail_sender(text[: found.start].strip(" ,"))
    if not sender:
        return None
    fields = {"from": sender, "date": text[found.start : found.end].strip()}
    j = i + 1
    while j < len(lines):
        label = header_label(lines[j])
        if label and label[0] in ("to", "cc", "bcc", "reply_to"):
            fields[label[0]] = label[1]
            j += 1
            # a wrapped list goes on at the margin; the body starts after a gap
            while j < len(lines) and not header_label(lines[j]) and _gap(lines[j - 1], lines[j]) < 4:
                fields[label[0]] += " " + lines[j].text
                j += 1
            continue
        break
    # a boxed name is weaker evidence than an address: words beside it need the bold line or a To: line
    boxed_words = "<" not in sender and "@" not in sender and MARKER_RE.sub("", sender).strip()
    if j == i + 1 and (not gmail or (boxed_words and not lines[i].bold)):
        return None
    return fields, j


def _wrote(lines: list[Line], i: int) -> tuple[dict[str, str], int] | None:
    """ "On <date>, <name> wrote:" (possibly wrapped over up to three lines)."""
    first = _QUOTE_PREFIX_RE.sub("", lines[i].text)
    if not first.lower().startswith("on "):
        return None
    text = first
    for j in range(i, min(i + 3, len(lines))):
        if j > i:
            text += " " + _QUOTE_PREFIX_RE.sub("", lines[j].text)
        if _WROTE_RE.search(text):
            found = search_date(text[3:])
            if not found:
                return None
            who = text[3 + found.end :].strip(" ,")
            who = _WROTE_RE.sub("", who).strip(" ,")
            return {"from": who, "date": text[3 + found.start : 3 + found.end].strip()}, j + 1
    return None


def _owa(lines: list[Line], i: int) -> tuple[dict[str, str], int] | None:
    """Outlook Web print: subject, sender, "Tue 11/7/2017 4:02 PM", then To:/Cc: lines."""
    if i + 3 >= len(lines):
        return None
    subject, sender, date = lines[i], lines[i + 1], lines[i + 2]
    first_label = header_label(lines[i + 3])
    if any(header_label(ln) for ln in (subject, sender, date)) or not first_label or first_label[0] not in ("to", "cc"):
        return None
    if subject.page != date.page:  # a page's last line above a box and a date left unlabelled by OCR
        return None
    found = search_date(date.text)
    if not found or len(date.text) - (found.end - found.start) > 6 or len(sender.text) > 80:
        return None
    fields = {"subject": subject.text, "from": sender.text, "date": date.text}
    j = i + 3
    while j < len(lines):
        label = header_label(lines[j])
        if not label or label[0] not in ("to", "cc", "bcc"):
            break
        fields[label[0]] = label[1]
        j += 1
        # OWA wraps recipient lists to the margin and ends every entry with ";"
        while j < len(lines) and not header_label(lines[j]) and not fields[label[0]].rstrip().endswith(";"):
            fields[label[0]] += " " + lines[j].text
            j += 1
    return fields, j


def _is_banner(lines: list[Line], i: int, first_on_page: bool) -> bool:
    """The mailbox owner's name printed above an Outlook print (bold, or first line of an OCR'd page)."""
    line = lines[i]
    if not first_on_page or header_label(line) or len(line.text) > 60:
        return False
    if not (line.bold or line.joiner == " "):  # bold in a text layer; OCR cannot tell
        return False
    for j in range(i + 1, min(i + 3, len(lines))):
        if lines[j].page != line.page:
            return False
        found = header_label(lines[j])
        if found:
            return found[0] == "from" and _read_block(lines, j) is not None
    return False


def header_lines(lines: list[Line], k: int) -> list[Line]:
    """The lines of the header block (or Gmail sender header) that starts at line k, if one does: they
    may repeat at the top of several pages like a running header, but they are content."""
    found = _read_block(lines, k) or _gmail_header(lines, k, False)
    return lines[k : found[1]] if found else []


def _after_page_break(lines: list[Line], i: int, heights: dict[int, float]) -> bool:
    """Line i opens a page and the page before it stops well short of its foot: the printer broke the
    page between two records. A quoted header block never follows such a break, it follows its reply."""
    if i == 0 or lines[i - 1].page == lines[i].page:
        return False
    prev = lines[i - 1]
    return prev.page != lines[i].page - 1 or prev.bottom < _EARLY_END * heights.get(prev.page, 792.0)


def _print_or_quoted(kind: str, page: int, at_top: bool, counters: dict[int, int]) -> str:
    """A page's per-email counter settles whether the first header on it starts a print: "1" does, and a
    header at the top of page "2" or later is quoted in the print running on from the page before."""
    counter = counters.get(page)
    if counter == 1:
        return "print"
    if counter and at_top:
        return "quoted"
    return kind


def find_starts(
    lines: list[Line],
    heights: dict[int, float],
    thread_subject: str | None = None,
    counters: dict[int, int] | None = None,
) -> tuple[list[_Start], set[int]]:
    """Every message start and the indexes of non-body lines (banners, titles, separators).
    `thread_subject` is a Gmail print's subject from its print header: the document is a Gmail print;
    `counters` are per-email page counters (see `importers.pdf_running.email_page_counters`)."""
    counters = counters or {}
    starts: list[_Start] = []
    skip: set[int] = set()
    gmail_subject = thread_subject
    gmail = thread_subject is not None
    i = 0
    while i < len(lines):
        line = lines[i]
        first_on_page = i == 0 or lines[i - 1].page != line.page
        if THREAD_COUNT_RE.match(line.text) and i >= 1:
            gmail, gmail_subject = True, lines[i - 1].text
            k = i
            while k > 0 and lines[k - 1].page == line.page and i - k < 4:
                k -= 1
            skip.update(range(k, i + 1))
            i += 1
            continue
        if _SEPARATOR_RE.match(line.text) or (len(line.text) < 60 and _RULED_SEPARATOR_RE.search(line.text)):
            skip.add(i)
            i += 1
            continue
        if _is_banner(lines, i, first_on_page):
            skip.add(i)
            j = i + 1
            while not header_label(lines[j]):
                skip.add(j)
                j += 1
            fields, end = _read_block(lines, j)  # type: ignore[misc]
            starts.append(_Start(j, end, "print", fields, lines[j:end]))
            i = end
            continue
        for reader in (_read_block, _owa, _wrote):
            found = reader(lines, i)
            if found:
                fields, end = found
                start_kind = "quoted" if starts or reader is _wrote else "print"
                first = i
                sent_first = (header_label(lines[i]) or ("",))[0] == "sent"
                if reader is _read_block and i > 0 and sent_first and fields.get("from"):
                    first = i - 1  # the redacted From line above belongs to this header
                    skip.add(first)
                if reader is not _wrote and _after_page_break(lines, first, heights):
                    start_kind = "print"
                if reader is not _wrote and (not starts or starts[-1].header_lines[0].page != lines[first].page):
                    at_top = first == 0 or lines[first - 1].page != lines[first].page
                    start_kind = _print_or_quoted(start_kind, lines[first].page, at_top, counters)
                unlabelled = ("subject", "from", "sent") if reader is _owa else ("from",)
                starts.append(_Start(first, end, start_kind, fields, lines[first:end], unlabelled))
                i = end
                break
        else:
            found = _gmail_header(lines, i, gmail)
            if found:
                fields, end = found
                if gmail_subject:
                    fields["subject"] = gmail_subject
                starts.append(_Start(i, end, "print", fields, lines[i:end]))
                i = end
            else:
                i += 1
    return starts, skip


def _sender(fields: dict[str, str]) -> Address | None:
    """The printed sender. A From: label whose value is empty or no words (a box OCR read as nothing,
    or as a few strokes) stands for a redacted sender, not a missing one."""
    if "from" not in fields:
        return None
    value = fields["from"]
    if "█" in value or "@" in value or re.search(r"[^\W\d_]{2}", value):
        return parse_address(value)
    code = find_codes(value)
    raw = f"[REDACTED {code}]" if code else "[REDACTED]"
    return Address(name=raw, raw=raw)


def _body(lines: list[Line]) -> tuple[str, list[tuple[int, RedactionRecord]]]:
    """Body text (quote prefixes off, a blank line at paragraph gaps) and marker offsets in it."""
    parts: list[str] = []
    marks: list[tuple[int, RedactionRecord]] = []
    length = 0
    prev: Line | None = None
    for line in lines:
        if prev is not None:
            sep = "\n\n" if _gap(prev, line) > 0.5 * max(4.0, line.bottom - line.top) else "\n"
            parts.append(sep)
            length += len(sep)
        prefix = _QUOTE_PREFIX_RE.match(line.text)
        cut = prefix.end() if prefix else 0
        parts.append(line.text[cut:])
        marks += [(length + offset - cut, record) for offset, record in line.marks if offset >= cut]
        length += len(line.text) - cut
        prev = line
    text = "".join(parts)
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    return stripped.rstrip(), [(offset - lead, record) for offset, record in marks]


def _subject(value: str | None) -> str | None:
    """The subject as printed, OCR's misread prefix colon put right ("RE;" is "RE:"). A box over part
    of it leaves the visible part (the redaction record names the field); a wholly boxed one keeps
    its marker, so the reader sees that a subject was there."""
    if not value:
        return None
    visible = re.sub(r"\s+", " ", MARKER_RE.sub(" ", value)).strip()
    text = visible if any(c.isalnum() for c in visible) else value.strip()
    return _PREFIX_OCR_RE.sub(lambda m: f"{m.group('prefix')}: ", text).strip() or None


_RECORD_FIELDS = {"date": "sent", "received": "sent"}  # the message field a printed date label fills


def _header_redactions(lines: list[Line], unlabelled: tuple[str, ...] = ("from",)) -> list[RedactionRecord]:
    """The boxes over header lines, each named by the field it cuts into: its line's label, the label
    above a wrapped value, or for lines before any label what they print in order (a boxed sender
    above "Sent:", a Gmail or quote line's sender, an Outlook Web print's subject, sender and date)."""
    records: list[RedactionRecord] = []
    pending, current = list(unlabelled), unlabelled[0]
    for line in lines:
        label = header_label(line)
        if label:
            pending, current = [], _RECORD_FIELDS.get(label[0], label[0])
        elif pending:
            current = pending.pop(0)
        for _offset, record in line.marks:
            record.field, record.offset = current, None
            records.append(record)
    return records


def _introduced(lines: list[Line], starts: list[_Start], skip: set[int]) -> dict[int, list[RedactionRecord]]:
    """Boxes on skipped lines (banners, separators, a Gmail thread's title), by the message each line
    introduces: the first to start below it, or the last message for lines below every start."""
    found: dict[int, list[RedactionRecord]] = {}
    for k in sorted(skip):
        if not starts or not lines[k].marks or any(s.index <= k < s.body for s in starts):
            continue  # a header line (the boxed From above "Sent:"): its block names it
        n = next((n for n, start in enumerate(starts) if start.index > k), len(starts) - 1)
        found.setdefault(n, []).extend(record for _offset, record in lines[k].marks)
    return found


_CONTINUED_LABELS = ("to", "cc", "bcc", "subject", "attachments", "importance")


def _lead(lines: list[Line]) -> LeadRecord | None:
    """The lines before the first header: header lines that a file boundary cut from their block
    (To:, Subject: at the top of the file), then text."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(lines):
        found = header_label(lines[i])
        if found and found[0] in _CONTINUED_LABELS:
            fields[found[0]] = f"{fields[found[0]]}; {found[1]}" if found[0] in fields else found[1]
            i += 1
        elif fields and i and _gap(lines[i - 1], lines[i]) < 0.8 * max(4.0, lines[i].bottom - lines[i].top):
            last = next(reversed(fields))
            if last not in ("to", "cc", "bcc") or not fields[last].rstrip().endswith((";", ",")):
                break
            fields[last] += " " + lines[i].text
            i += 1
        else:
            break
    text, marks = _body(lines[i:])
    if not text and not fields:
        return None
    for offset, record in marks:
        record.offset = offset
    return LeadRecord(
        text=text,
        page_start=lines[0].page,
        page_end=lines[-1].page,
        to=parse_address_list(fields.get("to")),
        cc=parse_address_list(fields.get("cc")),
        subject=_subject(fields.get("subject")),
        redactions=_header_redactions(lines[:i]) + [r for _o, r in marks],
    )


@dataclass
class Split:
    """A document's printed emails, what comes before the first of them, and what could not be read."""

    messages: list[MessageRecord]
    lead: LeadRecord | None
    warnings: list[str] = field(default_factory=list)


def _unread_starts(starts: list[_Start], counters: dict[int, int]) -> list[str]:
    """Pages whose counter says a printed email starts there, where no header was read: their text
    went to the email before, and a person should look."""
    started = {start.header_lines[0].page for start in starts}
    return [
        f"page {page}: a printed email starts here (its page counter is 1) but no header could be read"
        for page, counter in sorted(counters.items())
        if counter == 1 and page not in started
    ]


def split_messages(
    lines: list[Line],
    bates: dict[int, str | None],
    heights: dict[int, float],
    thread_subject: str | None = None,
    counters: dict[int, int] | None = None,
) -> Split:
    """All messages in order of appearance, with provenance and redactions (`heights`: page heights
    in points, by page number; `thread_subject`: a Gmail print's subject, see `importers.pdf_gmail`;
    `counters`: per-email page counters)."""
    counters = counters or {}
    starts, skip = find_starts(lines, heights, thread_subject, counters)
    first = starts[0].index if starts else len(lines)
    lead = _lead([lines[k] for k in range(first) if k not in skip])
    introduced = _introduced(lines, starts, skip)
    messages: list[MessageRecord] = []
    unread: list[str] = []  # header dates that could not be read
    for n, start in enumerate(starts):
        stop = starts[n + 1].index if n + 1 < len(starts) else len(lines)
        extras = take_extras([lines[k] for k in range(start.body, stop) if k not in skip])
        body_lines = extras.lines
        kept = {id(line) for line in body_lines}
        # a box on a line the body left out (an attachment list) is still this message's
        taken = [
            r for k in range(start.body, stop) if k not in skip and id(lines[k]) not in kept for _o, r in lines[k].marks
        ]
        if body_lines and _AUTO_FORWARD_RE.match(body_lines[0].text):
            body_lines[0].text = _AUTO_FORWARD_RE.sub("", body_lines[0].text)  # "Auto forwarded by a Rule" + body
        body, marks = _body(body_lines)
        f = start.fields
        date_text = f.get("sent") or f.get("date") or f.get("received")
        found = search_date(date_text) if date_text else None
        if date_text is not None and (found is None or "T" not in found.iso):
            what = "no date" if found is None else "no time"
            page = start.header_lines[0].page
            printed = " ".join(date_text.split())[:80]
            unread.append(f"page {page}: a header's date reads as {what} ({printed!r}): cut by a box?")
        kind = start.kind
        if kind == "quoted" and messages and found and messages[-1].sent and found.iso[:19] > messages[-1].sent[:19]:
            kind = "print"  # newer than the message above: a reply never quotes a later email
        quoted_in = messages[-1].ordinal if kind == "quoted" and messages else None
        header_reds = _header_redactions(start.header_lines, start.unlabelled)
        for offset, record in marks:
            record.offset = offset
        last_page = (body_lines or start.header_lines)[-1].page
        first_page = start.header_lines[0].page
        messages.append(
            MessageRecord(
                ordinal=len(messages),
                subject=_subject(f.get("subject")),
                sender=_sender(f),
                to=parse_address_list(f.get("to")),
                cc=parse_address_list(f.get("cc")),
                bcc=parse_address_list(f.get("bcc")),
                reply_to=parse_address_list(f.get("reply_to")),
                sent=found.iso if found else None,
                date_text=date_text,
                body=body,
                page_start=first_page,
                page_end=last_page,
                bates_start=bates.get(first_page),
                bates_end=bates.get(last_page),
                redactions=header_reds + [record for _offset, record in marks] + taken + introduced.get(n, []),
                attachments=[
                    AttachmentRecord(name=name.strip())
                    for name in re.split(r";\s*", f.get("attachments", ""))
                    if name.strip()
                ]
                + extras.attachments,
                copy_kind="quoted" if kind == "quoted" else "print",
                quoted_in=quoted_in,
                quote_hidden=extras.quote_hidden,
            )
        )
    return Split(messages, lead, _unread_starts(starts, counters) + unread)
