"""`foia redactions`: every box of the archive, cited so an appeal can argue it, in Markdown, CSV and JSON Lines."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner
from fpdf import FPDF
from PIL import Image
from textual.widgets import DataTable, Static

from foia_tui.app.app import FoiaApp
from foia_tui.app.bindings import binding_catalogue
from foia_tui.app.screens.crop import CropScreen
from foia_tui.app.screens.original import DocumentPage, OriginalPageScreen
from foia_tui.app.screens.redactions import RedactionsScreen
from foia_tui.archive import Archive
from foia_tui.archive.releases import add_release, attach_documents
from foia_tui.archive.store import store_document
from foia_tui.cli import main
from foia_tui.domain.redaction_log import withheld_in_full
from importers.records import Address, DocumentRecord, MessageRecord, PageRecord, RedactionRecord
from tests.conftest import settle

SAMPLE = Path(__file__).resolve().parents[1] / "archive.db.sample"
CITATION = re.compile(r"\((?:5 U\.S\.C\. § 552\(b\)\(\d\)|N\.Y\. Pub\. Off\. Law § 87\(2\)\([a-z]\))")


def _run(*args: str) -> str:
    done = CliRunner().invoke(main, list(args))
    assert done.exit_code == 0, done.output
    return done.stdout


def test_the_sample_log_lists_every_box_with_its_citation_and_flags_the_planted_code() -> None:
    before = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    log = _run("--db", str(SAMPLE), "redactions", "--format", "md")
    boxes = json.loads(_run("--db", str(SAMPLE), "stats", "--json"))["redactions"]
    items = re.findall(r"^\d+\. (.*)$", log, re.MULTILINE)
    assert boxes > 0 and len(items) == boxes
    assert all(CITATION.search(item) for item in items)
    [planted] = [n for n, item in enumerate(items, 1) if "POL 87(2)(z)" in item]
    lines = log.splitlines()
    after = lines[lines.index(f"{planted}. {items[planted - 1]}") + 1]
    assert after == "   - **Invalid code**: § 87(2) has paragraphs (a) to (q), not (z)"
    assert "1 cites a code its statute lacks" in log
    assert "Readable (leaked): “2019-040-00123”" in log
    assert "Readable (shown by HSI referral 2021-ICFO-04417)" in log
    assert hashlib.sha256(SAMPLE.read_bytes()).hexdigest() == before, "a read-only command left the sample as it was"


def _archive(path: Path) -> str:
    archive = Archive.open(path)
    sender = Address('=HYPERLINK("x")', None, '=HYPERLINK("x")')
    email = MessageRecord(ordinal=0, sender=sender, subject="Trial", body="Call █[REDACTED (b)(6)]█ now.",
                          page_start=1, page_end=1, sent="2019-02-04T09:12:00",
                          redactions=[RedactionRecord(page=1, code="(b)(6)", offset=5),
                                      RedactionRecord(page=1, code="(b)(10)", field="to")])  # fmt: skip
    doc = DocumentRecord(
        path="release/part1.pdf",
        sha256="a" * 64,
        kind="pdf",
        messages=[email],
        pages=[
            PageRecord(1, "From: Inspector\nSubject: Trial\nCall █[REDACTED (b)(6)]█ now.", "NYPD-1"),
            PageRecord(2, "█[REDACTED]█", "NYPD-2"),
        ],
        page_count=2,
        redactions=[RedactionRecord(page=2, leaked_text="-2+3")],
    )
    stored = store_document(archive, doc)
    release = add_release(archive, "NYPD round 1")
    attach_documents(archive, release.id, [stored.document_id])
    archive.close()
    return str(path)


def test_every_box_in_json_lines_and_csv_with_formulas_neutralised(tmp_path: Path) -> None:
    db = _archive(tmp_path / "a.db")
    rows = [json.loads(line) for line in _run("--db", db, "redactions", "--json").splitlines()]
    assert [(r["page"], r["field"], r["code"], r["withheld"]) for r in rows] == [
        (1, "body", "(b)(6)", "in part"),
        (1, "to", "(b)(10)", "in part"),
        (2, "body", None, "in full"),
    ]
    assert rows[1]["citations"] == [
        {"citation": "5 U.S.C. § 552(b)(10)", "valid": False, "problem": "§ 552(b) has exemptions (1) to (9), not (10)"}
    ]
    assert (
        rows[2]["message_id"] is None and rows[2]["leaked_text"] == "-2+3" and rows[2]["releases"] == ["NYPD round 1"]
    )
    table = list(csv.DictReader(io.StringIO(_run("--db", db, "redactions", "--format", "csv"))))
    assert [t["from"] for t in table] == ['\'=HYPERLINK("x")', '\'=HYPERLINK("x")', ""]
    assert table[2]["leaked_text"] == "'-2+3" and table[2]["withheld"] == "in full"
    text = _run("--db", db, "redactions")
    assert (
        "page outside any email" in text
        and "(b)(10) (INVALID)" in text
        and text.endswith("3 boxes: (b)(6) 1, (b)(10) 1, no code 1\n")
    )


def test_filters_by_release_and_by_code_however_it_is_printed(tmp_path: Path) -> None:
    db = _archive(tmp_path / "a.db")
    assert [
        json.loads(line)["code"] for line in _run("--db", db, "redactions", "--code", "b6", "--json").splitlines()
    ] == ["(b)(6)"]
    assert _run("--db", db, "redactions", "--release", "NYPD round 2", "--json") == ""
    assert len(_run("--db", db, "redactions", "--release", "NYPD round 1", "--json").splitlines()) == 3


def test_a_page_of_nothing_but_boxes_is_withheld_in_full() -> None:
    assert withheld_in_full("█[REDACTED (b)(5)]█\nPage 3 of 9\nNYPD-000123", "NYPD-000123")
    assert withheld_in_full("This page is withheld in full under (b)(5).", None)
    assert not withheld_in_full("Dear Ms. Doe, the meeting is at █[REDACTED (b)(6)]█ tomorrow.", None)


async def test_the_redactions_screen_filters_the_log_and_opens_a_box(tmp_path: Path) -> None:
    copy = tmp_path / "archive.db"
    shutil.copyfile(SAMPLE, copy)
    app = FoiaApp(Archive.open(copy))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        await pilot.press("X")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RedactionsScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == len(screen.boxes) == 94
        await pilot.press("f")  # leaked
        assert [row.readable() for row in screen.shown] == [[("leaked", "2019-040-00123")]]
        assert "leaked: 2019-040-00123" in table.get_row_at(0)[-1].plain
        await pilot.press("f")  # exposed
        assert screen.shown and all(
            b.exposed_text and "HSI referral 2021-ICFO-04417" in b.exposed_in for b in screen.shown
        )
        await pilot.press("f", "f")  # possibly readable (none in the sample), then every box again
        assert table.row_count == 94
        while screen.code != "POL 87(2)(z)":
            await pilot.press("c")
        assert table.row_count == 1 and "POL 87(2)(z) INVALID" in table.get_row_at(0)[4].plain
        await pilot.press("l")
        assert screen.release == "HSI referral 2021-ICFO-04417" and table.row_count == 0
        await pilot.press("c", "l")
        assert screen.code is None and screen.release == "NYPD FOIL 2020-PL-0312 part 1"
        [thread] = {b.thread_id for b in screen.shown if "POL 87(2)(z)" in b.code}
        while screen.shown[table.cursor_row].code != "POL 87(2)(z)":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is main and main.query_text == f"thread:{thread}"


def _scanned_archive(tmp_path: Path) -> tuple[Archive, str]:
    """A two-page PDF: an email with a box on page 1, a scanned page 2 outside any email whose box OCR could
    read through (its crop stored), as the importer records them."""
    pdf = FPDF(unit="pt", format="letter")
    for text in ("From: Inspector", "Cover letter"):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.text(72, 72, text)
    path = tmp_path / "part1.pdf"
    pdf.output(str(path))
    crop = io.BytesIO()
    Image.new("L", (120, 24), 200).save(crop, format="PNG")
    email = MessageRecord(ordinal=0, subject="Trial", body="Call █[REDACTED (b)(6)]█ now.", page_start=1, page_end=1,
                          redactions=[RedactionRecord(page=1, code="(b)(6)", offset=5)])  # fmt: skip
    doc = DocumentRecord(
        path=str(path),
        sha256="b" * 64,
        kind="pdf",
        messages=[email],
        pages=[
            PageRecord(1, "From: Inspector\nCall █[REDACTED (b)(6)]█ now.", "NYPD-1"),
            PageRecord(2, "Cover letter to █[REDACTED (b)(7)(C)]█", "NYPD-2", ocr=True),
        ],
        page_count=2,
        redactions=[
            RedactionRecord(page=2, code="(b)(7)(C)", kind="scan", readable_text="Jane Doe", crop=crop.getvalue())
        ],
    )
    archive = Archive.open(tmp_path / "a.db")
    return archive, store_document(archive, doc).document_id


async def test_a_possibly_readable_box_shows_its_crop_and_a_box_off_any_email_its_page(tmp_path: Path) -> None:
    archive, document_id = _scanned_archive(tmp_path)
    app = FoiaApp(archive)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("X")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RedactionsScreen) and len(screen.shown) == 2
        assert ("v", "Possibly readable crop") in {(e.keys, e.description) for e in binding_catalogue(screen)}
        await pilot.press("v")  # the email's box: nothing was read under it, so no crop
        assert isinstance(app.screen, RedactionsScreen)
        await pilot.press("f", "f", "f")
        assert screen.readable == "possibly readable" and [b.readable_text for b in screen.shown] == ["Jane Doe"]
        await pilot.press("v")
        await settle(pilot)
        crop = app.screen
        assert isinstance(crop, CropScreen) and crop.query(".crop-image")  # drawn by textual-image
        assert "Jane Doe" in str(crop.query_one("#crop-text", Static).render())
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("enter")  # a box outside any email: its page, not a notice
        await settle(pilot)
        page = app.screen
        assert isinstance(page, OriginalPageScreen) and page.message_id == DocumentPage(document_id, 2)
        assert page.query(".page-image") and page.numbers == [2]
        assert "Cover letter" in str(page.query_one("#page-text", Static).render())
        assert "Bates NYPD-2" in str(page.query_one("#page-title", Static).render())
        await pilot.press("escape", "o")
        await settle(pilot)
        assert isinstance(app.screen, OriginalPageScreen) and app.screen.message_id == DocumentPage(document_id, 2)
