"""Import speed against `notmuch new` on two corpora, and threading accuracy against each one's truth (issue 20).

    python benchmarks/gen_maildir.py --count 20000         # once: /tmp/foia-maildir-20000 (+ truth), generated
    python benchmarks/real_mail_corpus.py --count 20000    # once: /tmp/foia-realmail-20000 (+ truth), real list mail
    python benchmarks/bench_import.py [MAILDIR ...] [--rounds 3]   # default: both, 3 rounds each

Both tools index the same maildir from scratch, one after the other, in each round; the ratio is foia's
messages/second over notmuch's, and the median of the rounds' ratios is the figure (a shared machine's speed
drifts by 10-20% within minutes). CPU is user + system time of each command and everything it waited for;
peak RSS is its largest process's.
Threading is scored pairwise: precision and recall over all pairs of messages put in one thread.
"""

from __future__ import annotations

import argparse
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
from statistics import median

FOIA = str(Path(sys.executable).with_name("foia"))
REAL_MAIL = Path("/tmp/foia-realmail-20000")
THREAD_OF_MESSAGE = "SELECT message_id, thread_id FROM messages WHERE message_id IS NOT NULL"


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


def bench(maildir: Path, rounds_wanted: int) -> None:
    truth_file = maildir.with_name(maildir.name + ".truth.jsonl")
    if not (maildir / "cur").exists() or not truth_file.exists():
        print(f"{maildir}: no maildir and truth there (see this file's docstring to make them)\n")
        return
    truth = {}
    for line in truth_file.read_text().splitlines():
        row = json.loads(line)
        truth[row["message_id"]] = row["thread"]
    count = sum(1 for folder in ("cur", "new") for _ in (maildir / folder).iterdir())
    rounds = []  # (foia, notmuch) of each round: the machine's speed drifts, so each pair runs back to back
    with tempfile.TemporaryDirectory() as scratch:
        for round_number in range(rounds_wanted):
            db = Path(scratch) / f"bench-{round_number}.db"
            foia = timed([FOIA, "import", str(maildir), "--db", str(db), "--json"], ok=(0, 1))  # 1: some failed
            if round_number == 0:
                conn = sqlite3.connect(db)
                predicted = dict(conn.execute(THREAD_OF_MESSAGE))
                stored = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
                conn.close()
                again = timed([FOIA, "import", str(maildir), "--db", str(db), "--json"], ok=(0, 1))
            db.unlink()
            notmuch_scratch = Path(scratch) / f"notmuch-{round_number}"
            notmuch_scratch.mkdir()
            rounds.append((foia, notmuch_run(maildir, notmuch_scratch)))
            shutil.rmtree(notmuch_scratch)
    precision, recall = pairwise(truth, predicted)
    failed = json.loads(rounds[0][0].printed)["failures"]
    print(f"{maildir}: {count} files in the maildir, {stored} messages stored, {len(failed)} files failed")
    for failure in failed[:3]:
        print(f"    {failure['file']}: {failure['reason']}")
    for number, (foia, notmuch) in enumerate(rounds, 1):
        print(f"  round {number}: foia import  {_use(foia, count)}")
        if notmuch:
            print(f"           notmuch new  {_use(notmuch, count)}")
            print(f"           ratio foia/notmuch (messages per second): {notmuch.seconds / foia.seconds:.2f}")
    ratios = [notmuch.seconds / foia.seconds for foia, notmuch in rounds if notmuch]
    if ratios:
        print(f"  ratio, median of {len(ratios)}: {median(ratios):.2f} (range {min(ratios):.2f}-{max(ratios):.2f})")
    added_again = json.loads(again.printed)["messages_added"]
    print(f"  re-import of the same files: {again.seconds:.1f} s, {added_again} messages added")
    print(f"  threading: pairwise precision {precision:.4f}, recall {recall:.4f}\n")


def _use(run: Run, count: int) -> str:
    speed = f"{run.seconds:5.1f} s = {count / run.seconds:6,.0f} msg/s"
    return f"{speed}, CPU {run.cpu:.1f} s, peak RSS {run.peak_mb:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("maildirs", nargs="*", type=Path, default=[Path("/tmp/foia-maildir-20000"), REAL_MAIL])
    parser.add_argument("--rounds", type=int, default=3, help="foia then notmuch, this many times (default 3)")
    args = parser.parse_args()
    for maildir in args.maildirs:
        bench(maildir, max(1, args.rounds))


if __name__ == "__main__":
    main()
