"""The committed sample is what today's code builds from today's sources."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from foia_tui.archive import Archive
from foia_tui.archive.messages import stats
from foia_tui.archive.releases import list_releases
from foia_tui.archive.schema import SCHEMA_VERSION
from foia_tui.archive.tags import list_tags
from tests.support.sql import sql_rows, sql_value

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "archive.db.sample"


def summary(path: Path) -> dict:
    archive = Archive.open(path, readonly=True)
    try:
        return {
            "schema": archive.schema_version,
            "counts": stats(archive),
            "releases": sorted((r.name, r.status, r.messages) for r in list_releases(archive)),
            "tags": sorted(t.name for t in list_tags(archive)),
            "events": sql_value(archive, "SELECT count(*) FROM events"),
            "paths": sorted(r["path"] for r in sql_rows(archive, "SELECT path FROM documents")),
        }
    finally:
        archive.close()


@pytest.mark.skipif(not shutil.which("tesseract"), reason="the sample's scanned pages need tesseract-ocr")
def test_committed_sample_matches_a_fresh_build(tmp_path):
    out = tmp_path / "archive.db.sample"
    sources = tmp_path / "samples" / "nypd-clearview"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_sample.py"), "--out", str(out), "--sources", str(sources)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    fresh, committed = summary(out), summary(SAMPLE)
    assert committed["schema"] == SCHEMA_VERSION
    assert fresh == committed
    for generated in sources.rglob("*"):
        if generated.is_file():
            shipped = ROOT / "samples" / "nypd-clearview" / generated.relative_to(sources)
            assert shipped.read_bytes() == generated.read_bytes(), f"{shipped} is stale: run scripts/build_sample.py"


def test_sample_shows_every_feature():
    counts = summary(SAMPLE)["counts"]
    assert counts["threads"] >= 12
    assert counts["redactions"] > 0 and counts["leaks"] == 1
    assert counts["tags"] >= 3 and counts["duplicates"] > 0
    assert len(summary(SAMPLE)["releases"]) >= 3
