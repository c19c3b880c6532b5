"""What an import could not read is a warning a person can find: in `foia import --json`, in `foia stats`,
through `has:warning`, and in the "Needs a look" saved search an import with warnings offers."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from fpdf import FPDF

from foia_tui.app.app import FoiaApp
from foia_tui.archive import Archive
from foia_tui.cli import main
from tests.conftest import settle
from tests.support.archive_factory import screen_text

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
