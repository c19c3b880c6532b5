"""The leak audit on generated releases: every true leak found, no decoy flagged, hostile pages warned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from importers.pdf import parse
from importers.records import RedactionRecord
from tests.support.redaction_pdfs import WRITERS, LeakCase

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "xray-redaction-fixtures"
needs_tesseract = pytest.mark.skipif(not shutil.which("tesseract"), reason="scanned pages need tesseract-ocr")
SCANNED = [pytest.param(w, marks=needs_tesseract) if w.__name__.endswith("_scan") else w for w in WRITERS]


def _records(path: Path) -> tuple[list[RedactionRecord], list[str]]:
    doc = parse(path)
    lead = doc.lead.redactions if doc.lead else []
    return [*doc.redactions, *lead, *(r for m in doc.messages for r in m.redactions)], doc.warnings


@pytest.mark.parametrize("write", SCANNED, ids=lambda w: w.__name__)
def test_every_leak_found_and_no_decoy_flagged(write, tmp_path: Path) -> None:
    case: LeakCase = write(tmp_path / "case.pdf")
    records, warnings = _records(case.path)
    leaked = [r.leaked_text for r in records if r.leaked_text]
    readable = [r.readable_text for r in records if r.readable_text]
    assert len(leaked) == len(case.leaks)
    for truth in case.leaks:
        assert any(truth in text for text in leaked), (truth, leaked)
    assert len(readable) == len(case.readable)
    for truth in case.readable:
        assert any(truth in text for text in readable), (truth, readable)
    assert sum("cannot be judged" in w or "not judged" in w for w in warnings) == case.warnings


@needs_tesseract
def test_annotations_and_see_through_boxes_say_what_they_are(tmp_path: Path) -> None:
    from tests.support.redaction_pdfs import write_highlights, write_redact_annotations, write_translucent_scan

    kinds = {
        r.kind
        for write in (write_highlights, write_redact_annotations, write_translucent_scan)
        for r in _records(write(tmp_path / f"{write.__name__}.pdf").path)[0]
        if r.leaked_text or r.readable_text
    }
    assert kinds == {"highlight", "redact_annotation", "translucent", "scan"}


@needs_tesseract
def test_possibly_readable_boxes_keep_their_crop(tmp_path: Path) -> None:
    from tests.support.redaction_pdfs import write_translucent_scan

    records, _warnings = _records(write_translucent_scan(tmp_path / "scan.pdf").path)
    crops = [r.crop for r in records if r.readable_text]
    assert crops and all(c and c.startswith(b"\x89PNG") for c in crops)


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="x-ray fixtures not present")
@pytest.mark.parametrize(
    ("name", "leaks"),
    [("rectangles_yes.pdf", 3), ("rectangles_yes_2.pdf", 1), ("bad_cross_hatched_redactions.pdf", 16)]
    + [(n, 0) for n in ("multi_line_redaction_ok.pdf", "ok_words.pdf", "rectangles_no.pdf")]
    + [(n, 0) for n in ("whitespace_redactions.pdf", "no_bad_redactions.2.1.pdf", "hidden_text_on_visible_text.pdf")],
)
def test_xray_fixtures(name: str, leaks: int) -> None:
    records, _warnings = _records(FIXTURES / name)
    assert sum(bool(r.leaked_text) for r in records) == leaks
