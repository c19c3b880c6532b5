"""Imports of the labelled real releases under ../shared/corpora, scored by their hand-made labels with the
shared scorer (../shared/tools/score_real_release.py): one row per labelled PDF, for the benchmark and the
tests that hold the figures.

Each corpus is imported as a user would (`foia import` of its labelled files, then
`foia list --all --json`) into a fresh archive."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


@dataclass
class Scored:
    """The scorer's figures for one labelled PDF (as it prints them), and two of ours beside them."""

    corpus: str
    file: str
    figures: dict[str, str]
    boxed_senders: int  # labels the scorer cannot match: their printed sender is wholly boxed
    seconds_per_page: float

    def found(self, name: str) -> tuple[int, int]:
        """(found, wanted) of a figure printed as "0.848 (39/46)"."""
        inside = self.figures[name].split("(")[1].split(",")[0].rstrip(")")
        found, wanted = (int(n) for n in inside.split("/"))
        return found, wanted

    def value(self, name: str) -> float:
        return float(self.figures[name].split()[0])

    @property
    def printed_sender_recall(self) -> str:
        """Header recall over the labels the scorer can match at all."""
        found, total = self.found("headers_recall")
        matchable = total - self.boxed_senders
        return f"{found / matchable if matchable else 1:.3f} ({found}/{matchable})"


def labelled(corpora: Path = CORPORA) -> list[Path]:
    """Every truth.json under the corpora folder."""
    return sorted(corpora.glob("*/truth.json"))


def _foia(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "foia_tui", *args], capture_output=True, text=True, check=False, env=env
    )


def _boxed_senders(entry: dict) -> int:
    """The scorer matches a record by its printed sender, so it never matches a label whose From is wholly
    boxed, and it counts our record of each such header as matching no label."""
    return sum(1 for h in entry["headers"] if not h.get("from") and not h.get("from_email"))


def score_corpus(truth_path: Path, env: dict[str, str] | None = None) -> list[Scored]:
    """Import one corpus's labelled files into a fresh archive and score each file."""
    truth = json.loads(truth_path.read_text())
    scorer = truth_path.parents[1].parent / "tools" / "score_real_release.py"
    entries = [(e, sorted(truth_path.parent.rglob(e["file"]))) for e in truth["files"]]
    entries = [(e, found[0]) for e, found in entries if found]
    pages = sum(e["pages"] for e, _ in entries)
    with tempfile.TemporaryDirectory() as tmp:
        db, listing = Path(tmp) / "archive.db", Path(tmp) / "list.jsonl"
        started = time.perf_counter()
        imported = _foia("--db", str(db), "import", *(str(path) for _, path in entries), env=env)
        seconds = time.perf_counter() - started
        if imported.returncode not in (0, 1):
            raise RuntimeError(f"{truth_path.parent.name}: import failed: {imported.stderr.strip()}")
        listing.write_text(_foia("--db", str(db), "list", "--all", "--json", env=env).stdout)
        rows = []
        for entry, path in entries:
            done = subprocess.run(
                [sys.executable, str(scorer), str(truth_path), str(listing), "--file", path.name],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line and "=" not in line)
            rows.append(Scored(truth_path.parent.name, path.name, figures, _boxed_senders(entry), seconds / pages))
    return rows
