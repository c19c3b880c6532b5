"""`foia import --force` of scanned pages takes Tesseract's readings from the cache (kept by page image),
so a re-import does not OCR unchanged pages again."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from foia_tui.cli import main
from tests.support.pdfgen import Email, Person, Record, make_scanned_copy, write_release

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="scanned pages need tesseract-ocr")


def test_force_reimport_reads_scanned_pages_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "ocr-cache"
    monkeypatch.setenv("FOIA_OCR_CACHE", str(cache))
    email = Email(Person("Doe, Jane"), [Person("Ton-That, Hoan")], "Trial accounts", datetime(2019, 2, 4, 9, 12),
                  ["The unit ran forty searches this week."])  # fmt: skip
    text = tmp_path / "text.pdf"
    write_release(text, [Record("outlook", [email], owner=Person("Doe, Jane"))])
    scan = tmp_path / "scan.pdf"
    make_scanned_copy(text, scan)
    db = str(tmp_path / "archive.db")
    assert CliRunner().invoke(main, ["--db", db, "import", str(scan)]).exit_code == 0
    readings = sorted(p for p in cache.rglob("*") if p.is_file())
    assert readings, "the readings are kept"
    for reading in readings:  # a reading only the cache can know
        reading.write_text(reading.read_text(encoding="utf-8").replace("forty", "zzcachedzz"), encoding="utf-8")
    assert CliRunner().invoke(main, ["--db", db, "import", "--force", str(scan)]).exit_code == 0
    listed = [json.loads(line) for line in CliRunner().invoke(main, ["--db", db, "list", "--json"]).output.splitlines()]
    assert any("zzcachedzz" in m["body"] for m in listed)
    monkeypatch.setenv("FOIA_OCR_CACHE", "off")
    assert CliRunner().invoke(main, ["--db", db, "import", "--force", str(scan)]).exit_code == 0
    listed = [json.loads(line) for line in CliRunner().invoke(main, ["--db", db, "list", "--json"]).output.splitlines()]
    assert not any("zzcachedzz" in m["body"] for m in listed) and any("forty" in m["body"] for m in listed)
