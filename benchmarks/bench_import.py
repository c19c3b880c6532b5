"""Import speed against `notmuch new` on two corpora, and threading accuracy against each one's truth (issue 20).

    python benchmarks/gen_maildir.py --count 20000         # once: /tmp/foia-maildir-20000 (+ truth), generated
    python benchmarks/real_mail_corpus.py --count 20000    # once: /tmp/foia-realmail-20000 (+ truth), real list mail
    python benchmarks/bench_import.py [MAILDIR ...]        # default: both

Both tools index the same maildir from scratch; the ratio is foia's messages/second over notmuch's. CPU is
user + system time of each command and everything it waited for; peak RSS is its largest process's.
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
from dataclasses import dataclass
from math import comb
from pathlib import Path

FOIA = str(Path(sys.executable).with_name("foia"))


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float  # user + system seconds, children included
    peak_mb: float  # the largest process's peak resident set
    printed: str


def timed(command: list[str], env: dict | None = None, ok: tuple[int, ...] = (0,)) -> Run:
    """Run a command to the end: how long it took, its CPU and memory, what it printed (exit status in `ok`)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    printed = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in ok:
        raise subprocess.CalledProcessError(child.returncode, command)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(time.perf_counter() - started, cpu, usage.ru_maxrss / 1024, printed)


def notmuch_run(maildir: Path, scratch: Path) -> Run | None:
    if not shutil.which("notmuch"):
        return None
    copy = scratch / "notmuch-maildir"
    shutil.copytree(maildir, copy)
    config = scratch / "notmuch-config"
    config.write_text(f"[database]\npath={copy}\n[new]\ntags=\n[maildir]\nsynchronize_flags=false\n")
    return timed(["notmuch", "new", "--quiet"], env={**os.environ, "NOTMUCH_CONFIG": str(config)})


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


def bench(maildir: Path) -> None:
    truth_file = maildir.with_name(maildir.name + ".truth.jsonl")
    if not (maildir / "cur").exists() or not truth_file.exists():
        print(f"{maildir}: no maildir and truth there (see this file's docstring to make them)\n")
        return
    truth = {}
    for line in truth_file.read_text().splitlines():
        row = json.loads(line)
        truth[row["message_id"]] = row["thread"]
    count = sum(1 for folder in ("cur", "new") for _ in (maildir / folder).iterdir())
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "bench.db"
        foia = timed([FOIA, "import", str(maildir), "--db", str(db), "--json"], ok=(0, 1))  # 1: some files failed
        conn = sqlite3.connect(db)
        predicted = dict(conn.execute("SELECT message_id, thread_id FROM messages WHERE message_id IS NOT NULL"))
        stored = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        conn.close()
        again = timed([FOIA, "import", str(maildir), "--db", str(db), "--json"], ok=(0, 1))
        notmuch = notmuch_run(maildir, Path(scratch))
    precision, recall = pairwise(truth, predicted)
    failed = json.loads(foia.printed)["failures"]
    print(f"{maildir}: {count} files in the maildir, {stored} messages stored, {len(failed)} files failed")
    for failure in failed[:3]:
        print(f"    {failure['file']}: {failure['reason']}")
    print(f"  foia import:  {foia.seconds:5.1f} s = {count / foia.seconds:6,.0f} msg/s, {_use(foia)}")
    added_again = json.loads(again.printed)["messages_added"]
    print(f"  re-import of the same files: {again.seconds:.1f} s, {added_again} messages added")
    if notmuch:
        print(f"  notmuch new:  {notmuch.seconds:5.1f} s = {count / notmuch.seconds:6,.0f} msg/s, {_use(notmuch)}")
        print(f"  ratio foia/notmuch (messages per second): {notmuch.seconds / foia.seconds:.2f}")
    print(f"  threading: pairwise precision {precision:.4f}, recall {recall:.4f}\n")


def _use(run: Run) -> str:
    return f"CPU {run.cpu:.1f} s, peak RSS {run.peak_mb:.0f} MB"


def main() -> None:
    given = [Path(p) for p in sys.argv[1:]] or [Path("/tmp/foia-maildir-20000"), Path("/tmp/foia-realmail-20000")]
    for maildir in given:
        bench(maildir)


if __name__ == "__main__":
    main()
