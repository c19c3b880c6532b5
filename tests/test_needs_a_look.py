"""What an import could not read is a warning a person can find: in `foia import --json`, in `foia stats`,
through `has:warning`, and in the "Needs a look" saved search an import with warnings offers."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from fpdf import FPDF

from foia_tui.cli import main

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
