"""Import speed against `notmuch new`, and threading accuracy against the generator's truth (issue 3).

    python benchmarks/gen_maildir.py --count 20000            # once: writes /tmp/foia-maildir-20000 (+ truth)
    python benchmarks/bench_import.py [/tmp/foia-maildir-20000]

Both tools index the same maildir from scratch; the ratio is foia's messages/second over notmuch's.
Threading is scored pairwise: precision and recall over all pairs of messages put in one thread.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from math import comb
from pathlib import Path

FOIA = str(Path(sys.executable).with_name("foia"))


def timed(command: list[str], env: dict | None = None) -> tuple[float, str]:
    """Seconds the command took, and what it printed."""
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, env=env, text=True)
    return time.perf_counter() - started, done.stdout


def notmuch_seconds(maildir: Path, scratch: Path) -> float | None:
    if not shutil.which("notmuch"):
        return None
    copy = scratch / "notmuch-maildir"
    shutil.copytree(maildir, copy)
    config = scratch / "notmuch-config"
    config.write_text(f"[database]\npath={copy}\n[new]\ntags=\n[maildir]\nsynchronize_flags=false\n")
    return timed(["notmuch", "new", "--quiet"], env={**os.environ, "NOTMUCH_CONFIG": str(config)})[0]


def pairwise(truth: dict[str, int], predicted: dict[str, str]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering, from cell counts (no pair enumeration)."""
    shared = [m for m in truth if m in predicted]
    cells = Counter((truth[m], predicted[m]) for m in shared)
    true_sizes = Counter(truth[m] for m in shared)
    predicted_sizes = Counter(predicted[m] for m in shared)
    both = sum(comb(n, 2) for n in cells.values())
    precision = both / max(1, sum(comb(n, 2) for n in predicted_sizes.values()))
    recall = both / max(1, sum(comb(n, 2) for n in true_sizes.values()))
    return precision, recall


def main() -> None:
    maildir = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/foia-maildir-20000")
    truth_file = maildir.with_name(maildir.name + ".truth.jsonl")
    if not (maildir / "cur").exists():
        sys.exit(f"no maildir at {maildir}: run benchmarks/gen_maildir.py first")
    truth = {}
    for line in truth_file.read_text().splitlines():
        row = json.loads(line)
        truth[row["message_id"]] = row["thread"]
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "bench.db"
        foia_s, _ = timed([FOIA, "import", str(maildir), "--db", str(db)])
        conn = sqlite3.connect(db)
        predicted = dict(conn.execute("SELECT message_id, thread_id FROM messages WHERE message_id IS NOT NULL"))
        stored = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        conn.close()
        again_s, again = timed([FOIA, "import", str(maildir), "--db", str(db), "--json"])
        notmuch_s = notmuch_seconds(maildir, Path(scratch))
    count = len(truth)
    precision, recall = pairwise(truth, predicted)
    print(f"messages: {count} in the maildir, {stored} stored")
    added_again = json.loads(again)["messages_added"]
    print(f"foia import: {foia_s:.1f} s = {count / foia_s:,.0f} msg/s")
    print(f"re-import of the same files: {again_s:.1f} s, {added_again} messages added")
    if notmuch_s:
        print(f"notmuch new: {notmuch_s:.1f} s = {count / notmuch_s:,.0f} msg/s")
        print(f"ratio foia/notmuch (messages per second): {notmuch_s / foia_s:.2f}")
    print(f"threading: pairwise precision {precision:.4f}, recall {recall:.4f}")


if __name__ == "__main__":
    main()
