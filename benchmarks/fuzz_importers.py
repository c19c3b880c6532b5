"""Bounded mutation fuzzing of every importer through the pipeline's own workers; prints outcomes per importer.

    python benchmarks/fuzz_importers.py [--eml 2000] [--maildir 300] [--mbox 300] [--msg 300]
        [--pdf 300] [--file-system 100] [--recipients 200000] [--seed 0] [--budget 30] [--memory-mb 3072] [--workers 2]

Each case is a hostile file from tests/support/hostile_files.py (case `i` of a kind is reproducible from
`random.Random(f"{kind}:{seed}:{i}")`), written by a worker of foia_tui.services.workers (the pool `foia import` uses:
a time budget per file, an address-space cap per worker) and read there by
foia_tui.services.importing.parse_with_attachments, i.e. `parse_file` plus the PDFs attached to emails. A maildir
case is a maildir folder found by the pipeline's own expand_paths. Outcomes:

    imported  a DocumentRecord came back
    failed    UnreadableFile with a one-line reason: what `foia import` records as a failed document
    crash     an importer raised something other than UnreadableFile (caught by parse_file's safety net),
              a reason that is not one bounded line, or a worker that died of a signal other than memory's
    hang      reading took longer than the time budget (the pool kills a worker at twice the budget plus a
              minute, which also covers writing the case: a 4 GiB bomb takes seconds to make)
    memory    MemoryError, or the worker aborted or was killed at the memory cap

The target is 0 crash and 0 hang; "memory" and "failed" cases are recorded failures, the batch goes on.

The file system's own cases (tests/support/hostile_trees.py: pipes, sockets, symlink loops, names that are not
UTF-8 or hold escape sequences, attachment names over 255 bytes) and one email to --recipients people go through
the real `foia import` in a process of its own, then `foia list`, `foia threads` and `foia show`. Outcomes:

    ok        exit 0 or 1, every good email imported, nothing raw on the terminal
    lost      a good email beside the hostile thing was not imported
    crash     a traceback, another exit status, or a control character reached the output as itself
    hang      a command still running after 4 × the time budget
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from foia_tui.services.importing import (
    FILE_MEMORY_LIMIT,
    MAX_REASON_CHARS,
    UNEXPECTED,
    expand_paths,
    parse_with_attachments,
)
from foia_tui.services.workers import TOO_LARGE, Stopped, run_bounded
from importers.records import UnreadableFile
from tests.support import hostile_files
from tests.support.hostile_trees import RAW, Tree, hostile_tree, many_recipients_email

OUTCOMES = ("imported", "failed", "crash", "hang", "memory")
MEMORY_SIGNALS = (signal.SIGKILL, signal.SIGABRT)


@dataclass(frozen=True)
class Case:
    kind: str
    seed: str
    folder: Path


def _judge(reason: str) -> str:
    if "\n" in reason or len(reason) > MAX_REASON_CHARS or reason.startswith(UNEXPECTED):
        return "crash"
    return "memory" if reason == TOO_LARGE else "failed"


def run_case(case: Case) -> tuple[str, str, str, float]:
    """In a worker: write the case, read it as `foia import` would; (outcome, label, reason, seconds)."""
    label, name, data = hostile_files.CASES[case.kind](random.Random(case.seed), True)
    folder = case.folder / case.seed.replace(":", "-")
    target = folder / "cur" / name if case.kind == "maildir" else folder / name
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    del data
    started = time.perf_counter()
    try:
        candidates, missing = expand_paths([str(folder)])
        reasons = [failure.reason for failure in missing] or ([] if candidates else ["no file found"])
        imported = False
        for candidate in candidates:
            try:
                parsed = parse_with_attachments(candidate.path, candidate.kind)
            except UnreadableFile as error:
                reasons.append(str(error))
                continue
            imported = True
            reasons += [child for child in parsed.attachments.values() if isinstance(child, str)]
        verdicts = [_judge(reason) for reason in reasons]
        took = time.perf_counter() - started
        if "crash" in verdicts:
            return "crash", label, reasons[verdicts.index("crash")], took
        if imported:  # failed attachments are recorded failures of their own
            return "imported", label, "", took
        return verdicts[0], label, reasons[0], took
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _stopped(stop: Stopped) -> str:
    if stop.timed_out:
        return "hang"
    return "memory" if stop.signal in MEMORY_SIGNALS else "crash"


def fuzz(kind: str, count: int, args: argparse.Namespace, scratch: Path) -> None:
    cases = [Case(kind, f"{kind}:{args.seed}:{i}", scratch) for i in range(count)]
    tally: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    seconds: list[float] = []
    started = time.perf_counter()
    for case, result in run_bounded(
        run_case, cases, workers=args.workers, time_budget=2 * args.budget + 60, memory_limit=args.memory_mb << 20
    ):
        if isinstance(result, Stopped):  # the worker is gone: make the case again to name it
            label = hostile_files.CASES[kind](random.Random(case.seed), True)[0]
            outcome, reason = _stopped(result), f"{result.reason} [{label}]"
        else:
            outcome, label, reason, took = result
            seconds.append(took)
            if took > args.budget:
                outcome, reason = "hang", f"took {took:.0f} s ({outcome}: {reason})"
        tally[outcome] += 1
        if outcome != "imported":
            reasons[reason if reason.endswith("]") else reason[:70]] += 1
        if outcome in ("crash", "hang"):
            print(f"  {outcome}: {case.seed} ({label}): {reason}", flush=True)
    elapsed = time.perf_counter() - started
    cells = " ".join(f"{tally[o]:>9}" for o in OUTCOMES)
    slowest = max(seconds, default=0.0)
    median = statistics.median(seconds) * 1000 if seconds else 0.0
    print(f"{kind:<8} {count:>6} {cells} {median:>8.1f} {slowest:>8.2f} {elapsed:>7.0f}", flush=True)
    for reason, times in reasons.most_common(args.reasons):
        print(f"{'':<16}{times:>5} × {reason}")


FOIA = str(Path(sys.executable).with_name("foia"))
TREE_OUTCOMES = ("ok", "lost", "crash", "hang")


def _foia(args: list[str], budget: float) -> subprocess.CompletedProcess | str:
    """The real command, or the outcome that ends the case ("hang", "crash") with what it printed."""
    try:
        done = subprocess.run([FOIA, *args], capture_output=True, timeout=budget, check=False)
    except subprocess.TimeoutExpired:
        return "hang"
    shown = (done.stdout + done.stderr).decode(errors="replace")
    if done.returncode not in (0, 1) or "Traceback" in shown or any(c in shown for c in RAW):
        print(f"  crash in foia {args[0]} (exit {done.returncode}): {shown[-300:]!a}", flush=True)
        return "crash"
    return done


def run_tree(tree: Tree, db: Path, budget: float) -> str:
    """Import a hostile folder, then list, thread and show what it holds; the case's outcome."""
    steps: list[list[str]] = [["import", "--db", str(db), str(tree.folder), "--json", *tree.args]]
    steps += [["list", "--db", str(db), "--all", "--json"], ["threads", "--db", str(db), "--json"]]
    listed = 0
    for step in steps:
        done = _foia(step, budget)
        if isinstance(done, str):
            return done
        if step[0] == "list":
            listed = len(done.stdout.splitlines())
        if step[0] == "threads":
            for thread in done.stdout.splitlines()[:3]:
                shown = _foia(["show", "--db", str(db), json.loads(thread)["id"]], budget)
                if isinstance(shown, str):
                    return shown
    return "ok" if listed >= tree.good else "lost"


def fuzz_file_system(count: int, recipients: int, args: argparse.Namespace, scratch: Path) -> None:
    budget = 4 * args.budget
    trees = []
    for i in range(count):
        rng = random.Random(f"file-system:{args.seed}:{i}")
        trees.append((f"file-system:{args.seed}:{i}", hostile_tree(rng, scratch / f"tree{i}" / "release")))
    if recipients:
        folder = scratch / "everyone" / "release"
        folder.mkdir(parents=True)
        (folder / "everyone.eml").write_bytes(many_recipients_email(recipients))
        trees.append(("recipients", Tree(f"one email to {recipients:,} people", folder, 1)))
    tally: dict[str, Counter[str]] = {}
    started = time.perf_counter()
    for seed, tree in trees:
        case_started = time.perf_counter()
        outcome = run_tree(tree, Path(os.fsdecode(os.fsencode(tree.folder.parent) + b"/a.db")), budget)
        tally.setdefault(tree.label, Counter())[outcome] += 1
        if outcome != "ok":
            print(f"  {outcome}: {seed} ({tree.label}) after {time.perf_counter() - case_started:.0f} s", flush=True)
    print(f"\n{'file-system case':<34} {'cases':>6} " + " ".join(f"{o:>7}" for o in TREE_OUTCOMES))
    for label, counts in sorted(tally.items()):
        cells = " ".join(f"{counts[o]:>7}" for o in TREE_OUTCOMES)
        print(f"{label:<34} {sum(counts.values()):>6} {cells}")
    print(f"file-system cases took {time.perf_counter() - started:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    defaults = {"eml": 2000, "maildir": 300, "mbox": 300, "msg": 300, "pdf": 300}
    for kind, count in defaults.items():
        parser.add_argument(f"--{kind}", type=int, default=count, help=f"{kind} cases (default {count})")
    parser.add_argument("--file-system", type=int, default=100, help="hostile folders imported by the real foia")
    parser.add_argument("--recipients", type=int, default=200_000, help="people one email is sent to (0: none)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per file before its worker is killed")
    parser.add_argument("--memory-mb", type=int, default=FILE_MEMORY_LIMIT >> 20, help="address space per worker")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reasons", type=int, default=4, help="most common failure reasons shown per importer")
    args = parser.parse_args()
    if not hostile_files.outlook_msg():
        print(f"no .msg corpus at {hostile_files.OUTLOOK_MSG}: .msg cases skipped")
        args.msg = 0
    print(f"budget {args.budget:g} s per file, memory cap {args.memory_mb} MB per worker, {args.workers} workers")
    print(f"{'importer':<8} {'cases':>6} " + " ".join(f"{o:>9}" for o in OUTCOMES) + "   p50 ms    max s  wall s")
    with tempfile.TemporaryDirectory(prefix="foia-fuzz-") as scratch:
        for kind in defaults:
            if getattr(args, kind):
                fuzz(kind, getattr(args, kind), args, Path(scratch))
        if args.file_system or args.recipients:
            fuzz_file_system(args.file_system, args.recipients, args, Path(scratch))


if __name__ == "__main__":
    main()
