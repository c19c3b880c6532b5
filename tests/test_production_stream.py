"""A production cut into parts by the agency is read as one stream: an email that runs off the last page of
one part goes on in the next (one message, provenance across both files), parts are read in natural
order, and a part missing from the middle is a warning, never a continuation invented across it."""

from __future__ import annotations

import itertools
import json
import random
from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
from click.testing import CliRunner

from foia_tui.cli import main
from tests.support.pdfgen import Email, Person, Record, random_body, write_release


def _long_email(subject: str, when: datetime, paragraphs: int) -> Record:
    body = random_body(random.Random(len(subject)), boxes=0.0, paragraphs=paragraphs)
    to = [Person("Ton-That, Hoan", "hoan@clearview.ai")]
    email = Email(Person("Doe, Jane", "jane.doe@nypd.org"), to, subject, when, body)
    return Record("outlook", [email], owner=Person("Doe, Jane"))


def _cut(source: Path, folder: Path, name: str, cuts: list[int]) -> list[Path]:
    """The pages of `source` cut into files at the given page indexes (as an agency cuts a production)."""
    pdf = pdfium.PdfDocument(source)
    bounds = [0, *cuts, len(pdf)]
    paths = []
    for part, (start, stop) in enumerate(itertools.pairwise(bounds), start=1):
        out = pdfium.PdfDocument.new()
        out.import_pages(pdf, list(range(start, stop)))
        path = folder / f"{name} PART {part}.pdf"
        out.save(path)
        paths.append(path)
    return paths


def _production(tmp_path: Path) -> tuple[list[Path], int]:
    """Three emails of which the second runs over several pages; the cut falls inside that second email.
    Returns the parts and the page (of the whole) the second email starts on."""
    records = [
        _long_email("Trial accounts", datetime(2019, 2, 4, 9, 12), 2),
        _long_email("Search limits report", datetime(2019, 2, 5, 10, 30), 40),
        _long_email("Invoice for March", datetime(2019, 2, 6, 11, 45), 2),
    ]
    whole = tmp_path / "whole.pdf"
    truth = write_release(whole, records)
    long_one = truth.messages[1]
    assert long_one.page_end - long_one.page_start >= 2
    folder = tmp_path / "production"
    folder.mkdir()
    return _cut(whole, folder, "NYPD FOIL 2020-PL-0312", [long_one.page_start]), long_one.page_start


def test_an_email_cut_by_a_file_boundary_is_one_message(tmp_path: Path) -> None:
    parts, start = _production(tmp_path)
    db = str(tmp_path / "archive.db")
    done = CliRunner().invoke(main, ["--db", db, "import", *map(str, reversed(parts)), "--json"])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert summary["releases"] == ["NYPD FOIL 2020-PL-0312"], "parts given one by one are one production"
    listed = [json.loads(line) for line in CliRunner().invoke(main, ["--db", db, "list", "--json"]).output.splitlines()]
    assert [m["subject"] for m in listed] == ["Trial accounts", "Search limits report", "Invoice for March"]
    long_one = listed[1]
    assert Path(long_one["source"]["file"]).name == "NYPD FOIL 2020-PL-0312 PART 1.pdf"
    assert long_one["source"]["page_start"] == start
    continued = long_one["source"]["continued_in"]
    assert continued is not None and Path(continued["file"]).name == "NYPD FOIL 2020-PL-0312 PART 2.pdf"
    assert continued["page_end"] >= 2
    stats = json.loads(CliRunner().invoke(main, ["--db", db, "stats", "--json"]).output)
    assert stats["unassigned_pages"] == 0, "every page belongs to an email"


def test_a_missing_part_is_a_warning_not_a_continuation(tmp_path: Path) -> None:
    parts, _start = _production(tmp_path)
    whole = pdfium.PdfDocument(parts[1])
    assert len(whole) >= 2
    three = _cut(parts[1], tmp_path, "NYPD FOIL 2020-PL-0312 X", [1])  # the second part cut again
    given = [parts[0], three[1].rename(tmp_path / "production" / "NYPD FOIL 2020-PL-0312 PART 3.pdf")]
    db = str(tmp_path / "archive.db")
    done = CliRunner().invoke(main, ["--db", db, "import", *map(str, given), "--json"])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    [warning] = summary["warnings"]
    assert Path(warning["file"]).name == "NYPD FOIL 2020-PL-0312 PART 3.pdf" and warning["page"] == 1
    assert "part 2, which is not in this release" in warning["reason"]
    listed = [json.loads(line) for line in CliRunner().invoke(main, ["--db", db, "list", "--json"]).output.splitlines()]
    assert all(m["source"]["continued_in"] is None for m in listed)
    shown = CliRunner().invoke(main, ["--db", db, "warnings", "--json"])
    found = json.loads(shown.output)
    assert found["warnings"] == summary["warnings"]
    assert found["pages_outside_emails"], "the pages that go on from part 2 belong to no email here"
