"""Failed redactions found by foia-tui and by Free Law Project's x-ray, side by side.

Runs both on x-ray's own test fixtures (../shared/corpora/xray-redaction-fixtures, expected results from
its test suite: 3, 1 and 16 bad boxes in the three bad files, none in the others) and on generated
releases (tests/support/redaction_pdfs.py: coded boxes, text under boxes and images, translucent boxes,
dark highlights, unapplied Redact annotations, a scan with a grey marker and a translucent box, decoys
and hostile pages). Prints per file: true leaks, found by each, false alarms by each. A generated leak
counts as found when a reported text contains it; on the fixtures only counts are known.

    .venv/bin/python benchmarks/bench_redactions.py [--fixtures DIR]

x-ray is an optional benchmark extra (`pip install x-ray`); without it its columns read "-".
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import dataclass
from pathlib import Path

from importers.pdf import parse
from importers.records import DocumentRecord, RedactionRecord
from tests.support.redaction_pdfs import write_all

try:
    import xray
except ImportError:  # the benchmark extra is not installed
    xray = None

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "xray-redaction-fixtures"
FIXTURE_LEAKS = {"rectangles_yes.pdf": 3, "rectangles_yes_2.pdf": 1, "bad_cross_hatched_redactions.pdf": 16}


@dataclass
class Row:
    name: str
    truth: int
    ours: int
    ours_false: int
    theirs: int | None
    theirs_false: int | None


def _records(doc: DocumentRecord) -> list[RedactionRecord]:
    lead = doc.lead.redactions if doc.lead else []
    return [*doc.redactions, *lead, *(r for m in doc.messages for r in m.redactions)]


def ours(path: Path) -> list[str]:
    """What foia-tui reports readable under a box: leaked text, or possibly readable pixels."""
    return [r.leaked_text or r.readable_text or "" for r in _records(parse(path)) if r.leaked_text or r.readable_text]


def theirs(path: Path) -> list[str] | None:
    if xray is None:
        return None
    found = asyncio.run(xray.inspect(path))
    return [item["text"] for page in found.values() for item in page]


def _norm(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _score(truth: list[str], found: list[str]) -> tuple[int, int]:
    """(true leaks found, reports matching no true leak)."""
    hits = sum(any(_norm(t) in _norm(f) for f in found) for t in truth)
    false = sum(not any(_norm(t) in _norm(f) for t in truth) for f in found)
    return hits, false


def _counted(truth: int, found: list[str] | None) -> tuple[int | None, int | None]:
    if found is None:
        return None, None
    return min(truth, len(found)), max(0, len(found) - truth)


def run(fixtures: Path) -> list[Row]:
    rows = []
    for path in sorted(fixtures.glob("*.pdf")):
        truth = FIXTURE_LEAKS.get(path.name, 0)
        a, a_false = _counted(truth, ours(path))
        b, b_false = _counted(truth, theirs(path))
        rows.append(Row(path.name, truth, a or 0, a_false or 0, b, b_false))
    with tempfile.TemporaryDirectory() as scratch:
        for case in write_all(Path(scratch)):
            truth = case.leaks + case.readable
            a, a_false = _score(truth, ours(case.path))
            found = theirs(case.path)
            b, b_false = _score(truth, found) if found is not None else (None, None)
            rows.append(Row(f"generated/{case.path.name}", len(truth), a, a_false, b, b_false))
    return rows


def table(rows: list[Row]) -> str:
    def cell(value: int | None) -> str:
        return "-" if value is None else str(value)

    lines = [
        "| file | true leaks | foia-tui found | foia-tui false alarms | x-ray found | x-ray false alarms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        cells = [r.name, r.truth, r.ours, r.ours_false, cell(r.theirs), cell(r.theirs_false)]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    total = [sum(getattr(r, k) or 0 for r in rows) for k in ("truth", "ours", "ours_false", "theirs", "theirs_false")]
    lines.append("| **total** | " + " | ".join(str(t) for t in total) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    args = parser.parse_args()
    if xray is None:
        print("x-ray is not installed (pip install x-ray): its columns are left empty")
    print(table(run(args.fixtures)))


if __name__ == "__main__":
    main()
