"""A realistic Gmail "print all" (print header and footer, masthead, account line, the thread subject once,
"N messages", dates at the right margin, "[Quoted text hidden]", an attachment list): every message takes
the thread's subject, none of Gmail's furniture reaches a body, the attachment list becomes attachment
records and the folded chain is a gap."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from foia_tui.cli import main
from importers.pdf import parse
from tests.support.gmailgen import GmailMessage, write_gmail_print
from tests.support.pdfgen import make_scanned_copy

SUBJECT = "Question about retention of dashcam failsafe video"
MESSAGES = [
    GmailMessage(
        "Tim Clemans <tim.clemans@seattlepublicrecords.org>",
        "records@sos.wa.gov",
        datetime(2016, 7, 18, 9, 5),
        ["How long are dashcam failsafe recordings kept?", "Thanks, Tim"],
    ),
    GmailMessage(
        "Sackett, Scott <scott.sackett@sos.wa.gov>",
        "Tim Clemans <tim.clemans@seattlepublicrecords.org>",
        datetime(2016, 7, 19, 16, 54),
        ["Hello, Tim--", "The retention schedule is attached."],
        quote_hidden=True,
        attachments=[("LE-schedule-v7.pdf", "312K"), ("noname.eml", "31K")],
    ),
]


def test_gmail_print_all_reads_as_gmail_shows_it(tmp_path: Path) -> None:
    doc = parse(
        write_gmail_print(tmp_path / "print.pdf", SUBJECT, "Tim Clemans <tim@seattlepublicrecords.org>", MESSAGES)
    )
    assert [m.subject for m in doc.messages] == [SUBJECT, SUBJECT]
    assert [m.sent for m in doc.messages] == ["2016-07-18T09:05:00", "2016-07-19T16:54:00"]
    assert [m.sender.email for m in doc.messages if m.sender] == [
        "tim.clemans@seattlepublicrecords.org",
        "scott.sackett@sos.wa.gov",
    ]
    first, reply = doc.messages
    assert first.body == "How long are dashcam failsafe recordings kept?\nThanks, Tim"
    assert reply.body == "Hello, Tim--\nThe retention schedule is attached."
    assert reply.quote_hidden and not first.quote_hidden
    assert [(a.name, a.size) for a in reply.attachments] == [
        ("LE-schedule-v7.pdf", 312 * 1024),
        ("noname.eml", 31 * 1024),
    ]
    for furniture in ("mail.google.com", "Gmail -", "2 messages", "Quoted text hidden", "attachments"):
        assert all(furniture not in m.body for m in doc.messages), furniture


def test_the_folded_chain_is_a_gap(tmp_path: Path) -> None:
    path = write_gmail_print(tmp_path / "print.pdf", SUBJECT, "Tim Clemans <tim@seattlepublicrecords.org>", MESSAGES)
    db = str(tmp_path / "archive.db")
    assert CliRunner().invoke(main, ["--db", db, "import", str(path)]).exit_code == 0
    gaps = [json.loads(line) for line in CliRunner().invoke(main, ["--db", db, "gaps", "--json"]).output.splitlines()]
    hidden = [g for g in gaps if g["kind"] == "quote_hidden"]
    assert len(hidden) == 1 and hidden[0]["message"]["sent"] == "2016-07-19T16:54:00"
    letter = CliRunner().invoke(main, ["--db", db, "gaps", "--format", "md"]).output
    assert "Replies printed without the messages they quote" in letter


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="a scanned print needs tesseract-ocr")
@pytest.mark.parametrize("dpi", [150, 200])
def test_a_scanned_gmail_print_reads_the_same(tmp_path: Path, dpi: int) -> None:
    """OCR sets "@" apart ("tim.clemans @ seattle…"), splits "https ://" and "schedule .pdf"."""
    printed = write_gmail_print(tmp_path / "print.pdf", SUBJECT, "Tim Clemans <tim@seattlepublicrecords.org>", MESSAGES)
    make_scanned_copy(printed, tmp_path / "scan.pdf", dpi=dpi)
    doc = parse(tmp_path / "scan.pdf")
    assert [m.sent for m in doc.messages] == ["2016-07-18T09:05:00", "2016-07-19T16:54:00"]
    assert [m.sender.email for m in doc.messages if m.sender] == [
        "tim.clemans@seattlepublicrecords.org",
        "scott.sackett@sos.wa.gov",
    ]
    assert [m.subject for m in doc.messages] == [SUBJECT, SUBJECT]
    reply = doc.messages[1]
    assert reply.quote_hidden and [a.name for a in reply.attachments] == ["LE-schedule-v7.pdf", "noname.eml"]
    assert all("mail.google" not in m.body.replace(" ", "") for m in doc.messages)
