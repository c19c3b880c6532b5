"""How well `foia import` reads real releases: every labelled PDF under ../shared/corpora, scored by hand-made
labels (each corpus's truth.json) with the shared scorer, one row per file.

    python benchmarks/bench_real_releases.py [--corpora DIR] [--json]

Each corpus is imported the way a user would (`foia import` of the labelled files, then
`foia list --all --json`) into a fresh archive; the scorer (../shared/tools/score_real_release.py) compares
what was stored with what a person sees on the pages. The targets are issue 22's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "headers_recall": 0.98,
    "from_ok": 0.98,
    "to_ok": 0.95,
    "subject_ok": 0.98,
    "boxes_found": 1.0,
}


def _foia(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "foia_tui", *args], capture_output=True, text=True, check=False)


def _score(scorer: Path, truth: Path, listing: Path, name: str) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, str(scorer), str(truth), str(listing), "--file", name],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line and "=" not in line]
    return {key: value for key, value in rows}


def _files(corpus: Path, truth: dict) -> list[Path]:
    found = []
    for entry in truth["files"]:
        matches = sorted(corpus.rglob(entry["file"]))
        if matches:
            found.append(matches[0])
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--json", action="store_true", help="one JSON object per file")
    args = ap.parse_args()
    scorer = args.corpora.parent / "tools" / "score_real_release.py"
    truths = sorted(args.corpora.glob("*/truth.json"))
    if not truths or not scorer.exists():
        print(f"skipped: no labelled corpora under {args.corpora} (or no scorer at {scorer})")
        return
    rows = []
    for truth_path in truths:
        truth = json.loads(truth_path.read_text())
        files = _files(truth_path.parent, truth)
        with tempfile.TemporaryDirectory() as tmp:
            db, listing = Path(tmp) / "archive.db", Path(tmp) / "list.jsonl"
            started = time.perf_counter()
            imported = _foia("--db", str(db), "import", *map(str, files))
            seconds = time.perf_counter() - started
            if imported.returncode not in (0, 1):
                print(f"{truth_path.parent.name}: import failed: {imported.stderr.strip()}", file=sys.stderr)
                continue
            listing.write_text(_foia("--db", str(db), "list", "--all", "--json").stdout)
            pages = sum(e["pages"] for e in truth["files"])
            for path in files:
                row = {"corpus": truth_path.parent.name, "file": path.name}
                row.update(_score(scorer, truth_path, listing, path.name))
                row["import_s_per_page"] = f"{seconds / max(1, pages):.2f}"
                rows.append(row)
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return
    keys = ["headers_recall", "from_ok", "to_ok", "subject_ok", "boxes_found", "records_matching_no_label"]
    keys += ["pages_in_no_message", "import_s_per_page"]
    print("| file | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for row in rows:
        print(f"| {row['file']} | " + " | ".join(row.get(k, "") for k in keys) + " |")
    targets = ", ".join(f"{k} >= {v}" for k, v in TARGETS.items())
    print(f"targets: {targets}, no extra boxes, no page in no message")


if __name__ == "__main__":
    main()
