"""What an import could not read is a warning a person can find: in `foia import --json`, in `foia stats`,
through `has:warning`, and in the "Needs a look" saved search an import with warnings offers."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from fpdf import FPDF
from PIL import Image

from foia_tui.app.app import FoiaApp
from foia_tui.archive import Archive
from foia_tui.cli import main
from tests.conftest import settle
from tests.support.archive_factory import screen_text
from tests.support.pdfgen import Person, Record, make_vector_copy, write_release
from tests.test_pdf_ocr import EMAIL

HEADER = ["From: Lewin, Jonathan H.", "Sent: Friday, July 19, 2013 11:07 AM", "To: Ellis, Daniel J.", "Subject: OEMC"]


def _release(path: Path) -> Path:
    """Three pages with per-email page counters; page 3 says a new email starts there (counter 1) but its
    header is unreadable, so its text goes to the email before, with a warning."""
    pages = [
        [*HEADER, "", "The project lists are attached."],
        ["More of the same email."],
        ["Frm Lewi garbled", "Something that was an email of its own."],
    ]
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_font("helvetica", size=10)
    for lines, counter in zip(pages, ["1", "2", "1"], strict=True):
        pdf.add_page()
        for k, line in enumerate(lines):
            pdf.text(54, 120 + 14 * k, line)
        pdf.text(300, 760, counter)
    pdf.output(str(path))
    return path


def test_a_warning_is_listed_counted_and_searchable(tmp_path: Path) -> None:
    db = str(tmp_path / "archive.db")
    runner = CliRunner()
    done = runner.invoke(main, ["--db", db, "import", str(_release(tmp_path / "release.pdf")), "--json"])
    assert done.exit_code == 0, done.output
    [warning] = json.loads(done.stdout)["warnings"]
    assert warning["page"] == 3 and "no header could be read" in warning["reason"]
    assert "warning: " in done.stderr and "p. 3" in done.stderr
    stats = json.loads(runner.invoke(main, ["--db", db, "stats", "--json"]).output)
    assert (stats["warnings"], stats["unassigned_pages"]) == (1, 0)
    found = runner.invoke(main, ["--db", db, "search", "has:warning", "--json"]).output.splitlines()
    assert [json.loads(line)["subject"] for line in found] == ["OEMC"]
    listed = runner.invoke(main, ["--db", db, "search", "--saved", "--json"]).output.splitlines()
    saved = {row["name"]: row["query"] for row in map(json.loads, listed)}
    assert saved == {"Needs a look": "has:warning"}


async def test_the_thread_view_shows_a_pages_warning_beside_its_source(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    assert CliRunner().invoke(main, ["--db", str(db), "import", str(_release(tmp_path / "release.pdf"))]).exit_code == 0
    app = FoiaApp(Archive.open(db))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        text = "\n".join(strip.text for strip in screen.reading_view._lines)
        assert "Warning: p. 3: a printed email starts here (its page counter is 1) but no header" in text
        assert "Needs a look" in screen_text(pilot.app), "the saved search is in the sidebar"


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="scanned pages need tesseract-ocr")
def test_a_blank_scanned_page_and_a_vector_text_page_are_both_warnings(tmp_path: Path) -> None:
    """The release has a page of text drawn as shapes and a scanned page with nothing on it."""
    write_release(tmp_path / "text.pdf", [Record("outlook", [EMAIL], owner=Person("Doe, Jane"))])
    make_vector_copy(tmp_path / "text.pdf", tmp_path / "vector.pdf")
    blank = FPDF(unit="pt", format="letter")
    blank.add_page()
    white = io.BytesIO()
    Image.new("L", (850, 1100), 255).save(white, format="PNG")
    blank.image(white, 0, 0, 612, 792)
    blank.output(str(tmp_path / "blank.pdf"))
    release = pdfium.PdfDocument.new()
    for part in ("vector.pdf", "blank.pdf"):
        release.import_pages(pdfium.PdfDocument(tmp_path / part))
    release.save(tmp_path / "release.pdf")
    done = CliRunner().invoke(main, ["--db", str(tmp_path / "a.db"), "import", str(tmp_path / "release.pdf"), "--json"])
    assert done.exit_code == 0, done.output
    warnings = {(w["page"], w["reason"].split(":")[0]) for w in json.loads(done.stdout)["warnings"]}
    assert warnings == {(1, "text drawn as shapes, with no text layer"), (2, "no text layer and OCR found no text")}
