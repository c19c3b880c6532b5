"""A Gmail "print all" as a browser prints it, with what real ones carry around the messages: the browser's
print header (date, "Gmail - subject") and footer (the page's URL, "1/2"), the Gmail masthead with the
account line, the thread subject printed once, "N messages", each sender line with its date at the right
margin, "[Quoted text hidden]" and attachment lists ("2 attachments", then name and size)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fpdf import FPDF

PAGE_W, PAGE_H, MARGIN, LINE = 612.0, 792.0, 40.0, 13.0


@dataclass
class GmailMessage:
    sender: str  # "Name <address>"
    to: str
    sent: datetime
    body: list[str]
    quote_hidden: bool = False
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (name, size as printed: "31K")


def gmail_date(value: datetime) -> str:
    """ "Tue, Jul 19, 2016 at 4:54 PM", as Gmail prints a message's date."""
    hour = value.hour % 12 or 12
    return f"{value:%a, %b} {value.day}, {value.year} at {hour}:{value:%M} {'AM' if value.hour < 12 else 'PM'}"


class _Printer:
    def __init__(self, subject: str, account: str, printed: datetime) -> None:
        self.pdf = FPDF(unit="pt", format="letter")
        self.pdf.set_auto_page_break(False)
        self.subject, self.account, self.printed = subject, account, printed
        self.pages: list[int] = []
        self.y = 0.0

    def page(self) -> None:
        self.pdf.add_page()
        self.pdf.set_font("helvetica", size=8)
        self.pdf.text(MARGIN - 10, 20, f"{self.printed.month}/{self.printed.day}/{self.printed.year}")
        self.pdf.text(250, 20, f"Gmail - {self.subject}")
        self.y = 60.0

    def line(self, text: str, size: float = 10, bold: bool = False, x: float = MARGIN) -> None:
        if self.y > PAGE_H - 70:
            self.page()
        self.pdf.set_font("helvetica", "B" if bold else "", size)
        self.pdf.text(x, self.y, text)
        self.y += LINE * size / 10

    def footers(self, url: str) -> None:
        total = self.pdf.page_no()
        for number in range(1, total + 1):
            self.pdf.page = number
            self.pdf.set_font("helvetica", size=8)
            self.pdf.text(MARGIN - 10, PAGE_H - 20, url)
            self.pdf.text(PAGE_W - 60, PAGE_H - 20, f"{number}/{total}")


def write_gmail_print(path: Path, subject: str, account: str, messages: list[GmailMessage]) -> Path:
    """The thread printed as Gmail's "print all" does, to `path`."""
    printer = _Printer(subject, account, messages[-1].sent)
    printer.page()
    printer.line("Gmail", size=16, bold=True)
    printer.y -= 2 * LINE
    printer.line(account, size=9, x=PAGE_W - MARGIN - 200)
    printer.y += LINE
    printer.line(subject, size=13, bold=True)
    printer.line(f"{len(messages)} message" + ("s" if len(messages) > 1 else ""), size=9)
    for message in messages:
        printer.y += LINE
        printer.line(message.sender, bold=True)
        printer.y -= LINE
        printer.line(gmail_date(message.sent), x=PAGE_W - MARGIN - 150)
        printer.line(f"To: {message.to}", size=9)
        printer.y += LINE / 2
        for text in message.body:
            printer.line(text)
        if message.quote_hidden:
            printer.line("[Quoted text hidden]", size=9)
        if message.attachments:
            printer.y += LINE / 2
            printer.line(f"{len(message.attachments)} attachments", size=9, bold=True)
            for name, size in message.attachments:
                printer.line(name, size=9)
                printer.line(size, size=9)
    printer.footers("https://mail.google.com/mail/u/0/?ik=7ac4f94b898&view=pt&search=all&permthid=thread-f%3A1560595")
    printer.pdf.output(str(path))
    return path
