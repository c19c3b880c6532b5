"""Release-like PDFs with known ground truth, for the PDF importer's tests, benchmarks and samples.

`write_release` lays out Outlook and Gmail print-outs (banners, padded and wrapped header blocks, quoted
chains, page breaks under a running header and a Bates-stamped footer, black boxes with and without
exemption codes, a box over live text) and returns what a perfect importer would read back.
`make_scanned_copy` turns any PDF into an image-only one, as a scanner would.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import pypdfium2 as pdfium
from fpdf import FPDF
from PIL import Image

PAGE_W, PAGE_H = 612.0, 792.0
MARGIN = 54.0
TOP, BOTTOM = 66.0, 736.0  # body area between the running header and the footer
FONT_SIZE, LINE_H = 10.0, 13.0
VALUE_X = MARGIN + 78.0  # column where padded Outlook header values start
FIXED_CREATION_DATE = datetime(2021, 4, 1, tzinfo=UTC)
DateStyle = Literal["outlook", "numeric", "gmail", "zoned"]


@dataclass
class Person:
    """A correspondent; `printed` is how a header line shows them."""

    name: str
    email: str | None = None

    @property
    def printed(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name


@dataclass
class Redaction:
    """A black box in the text. `hidden` sets its width; with `leak` it is drawn over live text."""

    code: str | None = "(b)(6)"
    hidden: str = "xxxxxxxx"
    leak: bool = False
    style: Literal["inside", "beside", "image"] = "inside"
    page: int | None = None  # filled in by the writer
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in points

    @property
    def marker(self) -> str:
        return f"█[REDACTED {self.code}]█" if self.code else "█[REDACTED]█"

    @property
    def leaked_text(self) -> str | None:
        return self.hidden if self.leak else None


Run = str | Redaction


@dataclass
class Email:
    """One email to print; `quoted` is the earlier message its body quotes below it."""

    sender: Person | Redaction
    to: list[Person | Redaction]
    subject: str
    sent: datetime
    body: list[Run]
    cc: list[Person | Redaction] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    quoted: Email | None = None
    date_style: DateStyle = "outlook"


@dataclass
class TruthMessage:
    """What the importer should read back for one printed or quoted message."""

    ordinal: int
    copy_kind: str
    quoted_in: int | None
    subject: str | None
    sender: Person | Redaction
    to: list[Person | Redaction]
    cc: list[Person | Redaction]
    sent: str  # ISO, naive unless the print showed a zone
    date_text: str
    body: str  # as printed, with a marker where each box stands
    redactions: list[Redaction]
    attachments: list[str]
    page_start: int = 0
    page_end: int = 0
    bates_start: str | None = None
    bates_end: str | None = None


@dataclass
class TruthPage:
    number: int
    bates: str | None
    kind: str  # "cover", "email"


@dataclass
class ReleaseTruth:
    path: Path
    messages: list[TruthMessage]
    pages: list[TruthPage]

    @property
    def redactions(self) -> list[Redaction]:
        return [r for m in self.messages for r in m.redactions]


@dataclass
class Record:
    """One printed item of a release: an Outlook print, a Gmail thread print or a cover letter."""

    kind: Literal["outlook", "gmail", "cover"]
    emails: list[Email] = field(default_factory=list)  # outlook: one (with its chain); gmail: thread
    owner: Person | None = None  # mailbox owner printed in the banner
    letter: list[str] = field(default_factory=list)  # cover letter paragraphs


def format_date(value: datetime, style: DateStyle) -> str:
    hour = value.strftime("%I").lstrip("0") + value.strftime(":%M %p")
    if style == "numeric":
        return (
            f"{value.month}/{value.day}/{value.year} " + value.strftime("%I").lstrip("0") + value.strftime(":%M:%S %p")
        )
    if style == "gmail":
        return f"{value:%a}, {value:%b} {value.day}, {value.year} at {hour}"
    text = f"{value:%A}, {value:%B} {value.day}, {value.year} {hour}"
    return text + " EST" if style == "zoned" else text


def expected_iso(value: datetime, style: DateStyle) -> str:
    iso = value.isoformat()
    return iso + "-05:00" if style == "zoned" else iso


def _fpdf() -> FPDF:
    """A letter-size document with a fixed creation date, so the same input always gives the same bytes."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_creation_date(FIXED_CREATION_DATE)
    return pdf


class _Writer:
    """Lays text out line by line so every box's page and position are known."""

    def __init__(self, bates_prefix: str | None, bates_start: int, running_header: str | None) -> None:
        self.pdf = _fpdf()
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(MARGIN, MARGIN)
        self.bates_prefix, self.bates_next = bates_prefix, bates_start
        self.running_header = running_header
        self.page_header: tuple[str, str] | None = None  # gmail browser header: left, centre
        self.pages: list[TruthPage] = []
        self.y = TOP
        self.kind = "email"

    # pages -----------------------------------------------------------------
    def new_page(self, kind: str) -> None:
        self.pdf.add_page()
        number = self.pdf.page_no()
        bates = None
        if self.bates_prefix:
            bates = f"{self.bates_prefix}{self.bates_next:06d}"
            self.bates_next += 1
        self.pages.append(TruthPage(number, bates, kind))
        self.kind = kind
        self.pdf.set_text_color(90)
        self.pdf.set_font("helvetica", size=8)
        if self.page_header:
            self.pdf.text(MARGIN, 30, self.page_header[0])
            self.pdf.text(PAGE_W / 2 - 60, 30, self.page_header[1])
            self.pdf.text(MARGIN, 772, "https://mail.google.com/mail/u/0/?ik=3f9a2c&view=pt&search=all")
            self.pdf.text(PAGE_W - MARGIN - 20, 772, f"{number}")
        elif self.running_header:
            self.pdf.text(MARGIN, 34, self.running_header)
        if bates:
            self.pdf.set_font("helvetica", "B", 9)
            self.pdf.set_text_color(0)
            self.pdf.text(PAGE_W - MARGIN - self.pdf.get_string_width(bates), 760, bates)
        if not self.page_header:
            self.pdf.set_font("helvetica", size=8)
            self.pdf.set_text_color(90)
            self.pdf.text(PAGE_W / 2 - 10, 760, f"Page {number}")
        self.pdf.set_text_color(0)
        self.y = TOP

    @property
    def page(self) -> int:
        return self.pdf.page_no()

    @property
    def bates(self) -> str | None:
        return self.pages[-1].bates if self.pages else None

    def need(self, height: float) -> None:
        if not self.pages or self.y + height > BOTTOM:
            self.new_page(self.kind)

    def gap(self, lines: float = 1.0) -> None:
        self.y += LINE_H * lines

    def rule(self, width: float = 1.0) -> None:
        self.need(LINE_H)
        self.pdf.set_fill_color(0)
        self.pdf.rect(MARGIN, self.y - 9, PAGE_W - 2 * MARGIN, width, style="F")
        self.y += 6

    # text ------------------------------------------------------------------
    def font(self, bold: bool = False, size: float = FONT_SIZE) -> None:
        self.pdf.set_font("helvetica", "B" if bold else "", size)

    def _width(self, run: Run) -> float:
        if isinstance(run, Redaction):
            self.font()
            width = self.pdf.get_string_width(run.hidden) + 4
            if run.code and run.style != "beside":
                self.pdf.set_font("helvetica", "B", 7)
                width = max(width, self.pdf.get_string_width(run.code) + 8)
                self.font()
            return width
        return self.pdf.get_string_width(run)

    def _words(self, runs: list[Run]) -> list[Run]:
        words: list[Run] = []
        for run in runs:
            if isinstance(run, Redaction):
                words.append(run)
                if run.code and run.style == "beside":
                    words.append(run.code)
            else:
                words.extend(w for w in run.split(" ") if w)
        return words

    def wrap(self, runs: list[Run], width: float) -> list[list[Run]]:
        space = self.pdf.get_string_width(" ")
        lines: list[list[Run]] = [[]]
        used = 0.0
        for word in self._words(runs):
            w = self._width(word)
            if lines[-1] and used + space + w > width:
                # punctuation never starts a line: the word (or box) it follows moves down with it
                clings = isinstance(word, str) and word[0] in ".,;:!?)" and len(lines[-1]) > 1
                lines.append([lines[-1].pop()] if clings else [])
                used = self._width(lines[-1][0]) if lines[-1] else 0.0
            used += (space if lines[-1] else 0) + w
            lines[-1].append(word)
        return lines

    def draw_line(self, words: list[Run], x: float, bold: bool = False) -> None:
        """Draw one laid-out line at the cursor; boxes record their page and bbox."""
        self.need(LINE_H)
        self.font(bold)
        space = self.pdf.get_string_width(" ")
        baseline = self.y
        text: list[str] = []
        start = x
        for word in words:
            if isinstance(word, Redaction):
                if text:
                    self.font(bold)
                    self.pdf.text(start, baseline, " ".join(text))
                    x = start + self.pdf.get_string_width(" ".join(text)) + space
                    text = []
                x = self._box(word, x, baseline) + space
                start = x
            else:
                text.append(word)
        if text:
            self.font(bold)
            self.pdf.text(start, baseline, " ".join(text))
        self.y += LINE_H

    def _box(self, red: Redaction, x: float, baseline: float) -> float:
        width = self._width(red)
        top, bottom = baseline - 10, baseline + 3
        if red.leak:
            self.font()
            self.pdf.text(x + 2, baseline, red.hidden)
        if red.style == "image":
            buf = io.BytesIO()
            Image.new("L", (max(4, int(width * 2)), 26), 0).save(buf, format="PNG")
            self.pdf.image(buf, x=x, y=top, w=width, h=bottom - top)
        else:
            self.pdf.set_fill_color(0)
            self.pdf.rect(x, top, width, bottom - top, style="F")
        if red.code and red.style != "beside":
            self.pdf.set_font("helvetica", "B", 7)
            self.pdf.set_text_color(255)
            self.pdf.text(x + (width - self.pdf.get_string_width(red.code)) / 2, baseline - 1, red.code)
            self.pdf.set_text_color(0)
            self.font()
        red.page, red.bbox = self.page, (x, top, x + width, bottom)
        return x + width

    def paragraphs(self, runs: list[Run], x: float = MARGIN) -> None:
        """Body text: runs split into paragraphs on blank lines, each wrapped to the page width."""
        para: list[Run] = []
        for run in [*runs, "\n\n"]:
            if isinstance(run, str) and "\n\n" in run:
                head, _, tail = run.partition("\n\n")
                para.append(head)
                for line in self.wrap(para, PAGE_W - MARGIN - x):
                    if line:
                        self.draw_line(line, x)
                self.gap(0.6)
                para = [tail] if tail else []
            else:
                para.append(run)

    def save(self, path: Path) -> None:
        self.pdf.output(str(path))


def body_text(runs: list[Run]) -> str:
    """The expected body: runs joined, with each box's marker (and its beside-code folded in)."""
    return "".join(r.marker if isinstance(r, Redaction) else r for r in runs).strip()


def _value_runs(people: list[Person | Redaction], sep: str) -> list[Run]:
    runs: list[Run] = []
    for i, person in enumerate(people):
        last = i == len(people) - 1
        if isinstance(person, Redaction):
            runs += [person] if last else [person, sep.strip()]
        else:
            runs.append(person.printed + ("" if last else sep.strip()))
    return runs


class _Layout:
    """Turns records into pages while collecting the truth for every message."""

    def __init__(self, writer: _Writer) -> None:
        self.w = writer
        self.messages: list[TruthMessage] = []

    def _truth(
        self, email: Email, kind: str, quoted_in: int | None, subject: str | None, style: DateStyle | None = None
    ) -> TruthMessage:
        """Truth for `email` as laid out now; a `style` means a "wrote:" quote line (no To/Cc shown)."""
        to, cc = (email.to, email.cc) if style is None else ([], [])
        reds = [r for r in [email.sender, *to, *cc, *email.body] if isinstance(r, Redaction)]
        message = TruthMessage(
            ordinal=len(self.messages),
            copy_kind=kind,
            quoted_in=quoted_in,
            subject=subject,
            sender=email.sender,
            to=to,
            cc=cc,
            sent=expected_iso(email.sent, "outlook" if style else email.date_style),
            date_text=format_date(email.sent, style or email.date_style),
            body=body_text(email.body),
            redactions=reds,
            attachments=email.attachments,
            page_start=self.w.page,
            bates_start=self.w.bates,
        )
        self.messages.append(message)
        return message

    def _end(self, message: TruthMessage) -> None:
        message.page_end, message.bates_end = self.w.page, self.w.bates

    def _header(self, label: str, runs: list[Run], padded: bool) -> None:
        w = self.w
        w.font(bold=True)
        label_w = w.pdf.get_string_width(label + " ")
        x = VALUE_X if padded else MARGIN + label_w
        lines = w.wrap(runs, PAGE_W - MARGIN - x)
        w.need(LINE_H)
        w.font(bold=True)
        w.pdf.text(MARGIN, w.y, label)
        for line in lines:
            w.draw_line(line, x)

    def outlook(self, record: Record) -> None:
        w = self.w
        w.kind = "email"
        w.new_page("email")
        if record.owner:
            w.font(bold=True, size=12)
            w.pdf.text(MARGIN, w.y, record.owner.name)
            w.gap(1.0)
            w.rule(2.0)
            w.gap(0.6)
        email: Email | None = record.emails[0]
        quoted_in: int | None = None
        while email is not None:
            padded = quoted_in is None
            if quoted_in is not None:
                w.gap(0.5)
                w.rule(0.5)
                w.gap(0.3)
            w.need(LINE_H * 4)
            message = self._truth(email, "print" if padded else "quoted", quoted_in, email.subject)
            date_label = "Date:" if email.date_style == "numeric" else "Sent:"
            self._header(
                "From:", [email.sender if isinstance(email.sender, Redaction) else email.sender.printed], padded
            )
            self._header(date_label, [format_date(email.sent, email.date_style)], padded)
            self._header("To:", _value_runs(email.to, "; "), padded)
            if email.cc:
                self._header("Cc:", _value_runs(email.cc, "; "), padded)
            self._header("Subject:", [email.subject], padded)
            if email.attachments:
                self._header("Attachments:", ["; ".join(email.attachments)], padded)
            w.gap(0.6)
            w.paragraphs(email.body)
            self._end(message)
            quoted_in = message.ordinal
            email = email.quoted

    def gmail(self, record: Record) -> None:
        w = self.w
        subject = record.emails[0].subject
        first = record.emails[0].sent
        w.page_header = (f"{first.month}/{first.day}/{first.year}", f"Gmail - {subject}")
        w.kind = "email"
        w.new_page("email")
        w.font(bold=True, size=16)
        w.pdf.text(MARGIN, w.y, "Gmail")
        if record.owner:
            w.font(size=9)
            owner = record.owner.printed
            w.pdf.text(PAGE_W - MARGIN - w.pdf.get_string_width(owner), w.y, owner)
        w.gap(1.6)
        w.rule(0.5)
        w.font(bold=True, size=13)
        w.pdf.text(MARGIN, w.y, subject)
        w.gap(1.3)
        w.font(size=9)
        count = len(record.emails)
        w.pdf.text(MARGIN, w.y, f"{count} message" + ("s" if count > 1 else ""))
        w.gap(1.0)
        for email in record.emails:
            w.rule(0.5)
            w.gap(0.4)
            w.need(LINE_H * 3)
            message = self._truth(email, "print", None, subject)
            sender = email.sender
            w.draw_line([sender if isinstance(sender, Redaction) else sender.printed], MARGIN, bold=True)
            date = format_date(email.sent, "gmail")
            w.font()
            w.pdf.text(PAGE_W - MARGIN - w.pdf.get_string_width(date), w.y - LINE_H, date)
            for label, people in (("To:", email.to), ("Cc:", email.cc)):
                if people:
                    for line in w.wrap([f"{label} ", *_value_runs(people, ", ")], PAGE_W - 2 * MARGIN):
                        w.draw_line(line, MARGIN)
            w.gap(0.6)
            self._gmail_body(email, message, MARGIN)
        w.page_header = None

    def _gmail_body(self, email: Email, message: TruthMessage, x: float) -> None:
        w = self.w
        w.paragraphs(email.body, x)
        self._end(message)
        quoted = email.quoted
        if quoted is None:
            return
        sender: Run = quoted.sender.printed if isinstance(quoted.sender, Person) else quoted.sender
        line: list[Run] = [f"On {format_date(quoted.sent, 'gmail')}, ", sender, " wrote:"]
        for wrapped in w.wrap(line, PAGE_W - MARGIN - x):
            w.draw_line(wrapped, x)
        w.gap(0.3)
        inner = self._truth(quoted, "quoted", message.ordinal, None, style="gmail")
        self._gmail_body(quoted, inner, x + 14)

    def cover(self, record: Record) -> None:
        w = self.w
        w.new_page("cover")
        for para in record.letter:
            w.paragraphs([para])
        w.kind = "email"


def write_release(
    path: Path,
    records: list[Record],
    bates_prefix: str | None = "NYPD-FOIL-",
    bates_start: int = 123,
    running_header: str | None = "FOIL 2018-PL-1234 - Released Records",
) -> ReleaseTruth:
    """Write `records` into one PDF at `path` and return what the importer should find in it."""
    writer = _Writer(bates_prefix, bates_start, running_header)
    layout = _Layout(writer)
    for record in records:
        getattr(layout, record.kind)(record)
    writer.save(path)
    return ReleaseTruth(path, layout.messages, writer.pages)


def make_scanned_copy(source: Path, target: Path, dpi: int = 150) -> None:
    """An image-only copy of `source`: each page rendered to grey pixels, as a scanner would."""
    doc = pdfium.PdfDocument(str(source))
    pdf = _fpdf()
    try:
        for index in range(len(doc)):
            page = doc[index]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            page.close()
            buf = io.BytesIO()
            image.convert("L").save(buf, format="PNG")
            pdf.add_page()
            pdf.image(buf, x=0, y=0, w=PAGE_W, h=PAGE_H)
    finally:
        doc.close()
    pdf.output(str(target))


# random releases (benchmarks, the sample builder) ---------------------------------------------------
FIRST = ["Jane", "Rick", "Maria", "Jonathan", "Tameka", "Steven", "Carol", "Ayana", "Brian", "Sonia", "Omar"]
LAST = ["Doe", "Roe", "Martinez", "Lewin", "Collier", "Walker", "Schwartz", "Rockett", "Flowers", "Weil", "Haddad"]
DOMAINS = ["nypd.org", "clearview.ai", "dc.gov", "cityofchicago.org"]
SUBJECTS = [
    "Clearview trial accounts",
    "Facial recognition pilot",
    "Meeting on Thursday",
    "Asset forfeiture purchase",
    "ALPR questions",
    "Draft policy for review",
    "Follow up on the demo",
    "Budget numbers",
]
SENTENCES = [
    "Thanks for sending this over so quickly.",
    "Can we move the call to Thursday afternoon instead?",
    "The vendor confirmed the trial accounts are active for the unit.",
    "Please review the attached draft and send comments by Friday.",
    "I spoke with the deputy commissioner about the pilot and he agrees.",
    "We still need approximate costs in spreadsheet format.",
    "Let me know if you have any questions about the numbers.",
    "The search returned several matches that need manual review.",
]
CODES = ["(b)(6)", "(b)(7)(C)", "POL 87(2)(b)", None, "(b)(5)", "POL 87(2)(e)"]


def make_vector_copy(source: Path, target: Path, dpi: int = 200) -> None:
    """A copy of `source` whose text is drawn as filled shapes: no text layer, no image (each page
    rendered, and every run of dark pixels on a pixel row drawn as a thin rectangle of one path)."""
    doc = pdfium.PdfDocument(str(source))
    pdf = FPDF(unit="pt", format="letter")
    scale = dpi / 72
    for index in range(len(doc)):
        image = doc[index].render(scale=scale, grayscale=True).to_pil().convert("L")
        pdf.add_page()
        with pdf.new_path() as path:
            path.style.fill_color = "#000000"
            path.style.stroke_color = None
            pixels = image.load()
            for y in range(image.height):
                x = 0
                while x < image.width:
                    if pixels[x, y] >= 128:
                        x += 1
                        continue
                    start = x
                    while x < image.width and pixels[x, y] < 128:
                        x += 1
                    path.rectangle(start / scale, y / scale, (x - start) / scale, 1 / scale)
    doc.close()
    pdf.output(str(target))


def random_person(rng: random.Random, with_email: bool = True) -> Person:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first.lower()}.{last.lower()}@{rng.choice(DOMAINS)}" if with_email else None
    return Person(f"{last}, {first}", email)


def random_body(rng: random.Random, boxes: float = 0.3, leak: float = 0.0, paragraphs: int = 2) -> list[Run]:
    runs: list[Run] = []
    for p in range(paragraphs):
        if p:
            runs.append("\n\n")
        for _ in range(rng.randint(2, 5)):
            sentence = rng.choice(SENTENCES)
            if rng.random() < boxes:
                words = sentence.split(" ")
                cut = rng.randint(1, len(words) - 1)
                red = Redaction(rng.choice(CODES), "555-01" + str(rng.randint(10, 99)), rng.random() < leak)
                runs += [" ".join(words[:cut]) + " ", red, " " + " ".join(words[cut:]) + " "]
            else:
                runs.append(sentence + " ")
    return runs


def random_email(rng: random.Random, sent: datetime, style: DateStyle = "outlook", **body_kw: float) -> Email:
    return Email(
        sender=random_person(rng),
        to=[random_person(rng, rng.random() < 0.7) for _ in range(rng.randint(1, 3))],
        cc=[random_person(rng) for _ in range(rng.randint(0, 2))],
        subject=rng.choice(SUBJECTS),
        sent=sent,
        body=random_body(rng, **body_kw),
        date_style=style,
    )


def random_release(seed: int, records: int, boxes: float = 0.3, leak: float = 0.0) -> list[Record]:
    """A mix of Outlook prints with quoted chains and Gmail threads, reproducible from `seed`."""
    rng = random.Random(seed)
    when = datetime(2018, 12, 4, 15, 14)
    out: list[Record] = []
    for i in range(records):
        when += timedelta(hours=rng.randint(1, 40), minutes=rng.randint(0, 59))
        if i % 4 == 3:
            thread = [random_email(rng, when + timedelta(hours=k), "gmail", boxes=boxes, leak=leak) for k in range(2)]
            for e in thread:
                e.sender = Person(e.sender.name.split(", ")[1] + " " + e.sender.name.split(", ")[0], e.sender.email)
            if rng.random() < 0.6:
                first = thread[0]
                thread[1].quoted = Email(first.sender, [], first.subject, first.sent, random_body(rng, 0.0))
            out.append(Record("gmail", thread, owner=Person("Records Officer", "records.officer@gmail.com")))
            continue
        chain = None
        for k in range(rng.randint(0, 2)):
            earlier = random_email(rng, when - timedelta(hours=3 * (k + 1)), boxes=boxes, leak=leak)
            earlier.subject = "Meeting on Thursday"
            if chain is None:
                chain = earlier
            else:
                tail = chain
                while tail.quoted:
                    tail = tail.quoted
                tail.quoted = earlier
        top = random_email(rng, when, rng.choice(["outlook", "numeric", "zoned"]), boxes=boxes, leak=leak)
        top.quoted = chain
        if chain:
            top.subject = "RE: Meeting on Thursday"
        out.append(Record("outlook", [top], owner=random_person(rng, False)))
    return out
