"""Parse speed of the native-mail importers on a generated maildir (default 20,000 messages).

Parses every file with importers.maildir.parse in a 2-process pool (records pickled back, as the import
pipeline needs them) and prints messages/second; optionally times `notmuch new` on the same maildir.

    /work/venv/bin/python benchmarks/bench_email_parse.py [MAILDIR] [--processes 2] [--notmuch]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

from gen_maildir import generate

from importers import maildir
from importers.records import DocumentRecord, UnreadableFile


def parse_one(path: Path) -> DocumentRecord | None:
    try:
        return maildir.parse(path)
    except UnreadableFile:
        return None


def time_parse(files: list[Path], processes: int) -> tuple[float, int]:
    started = time.perf_counter()
    with Pool(processes) as pool:
        parsed = sum(1 for doc in pool.imap_unordered(parse_one, files, chunksize=256) if doc is not None)
    return time.perf_counter() - started, parsed


def time_notmuch(directory: Path) -> float:
    """`notmuch new` from scratch, its database kept outside the maildir (mail_root)."""
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "config"
        (Path(scratch) / "db").mkdir()
        config.write_text(
            f"[database]\npath={scratch}/db\nmail_root={directory}\n[new]\ntags=unread;inbox\n"
            "[user]\nname=bench\nprimary_email=bench@example.org\n"
        )
        env = {**os.environ, "NOTMUCH_CONFIG": str(config)}
        started = time.perf_counter()
        subprocess.run(["notmuch", "new", "--quiet"], env=env, check=True)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("maildir", nargs="?", type=Path, default=Path("/tmp/foia-maildir-20000"))
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--notmuch", action="store_true", help="also time `notmuch new` on the maildir")
    args = parser.parse_args()
    if not maildir.is_maildir(args.maildir):
        print(f"generating 20000 messages in {args.maildir} ...")
        generate(args.maildir, 20_000)
    files = maildir.message_files(args.maildir)
    for path in files:  # warm the page cache so both timings read from memory
        path.read_bytes()
    elapsed, parsed = time_parse(files, args.processes)
    print(
        f"parsed {parsed}/{len(files)} messages with {args.processes} processes in {elapsed:.2f} s: "
        f"{parsed / elapsed:,.0f} messages/s ({elapsed / len(files) * 1e6 * args.processes:.0f} µs/message/process)",
        flush=True,
    )
    if args.notmuch:
        if shutil.which("notmuch") is None:
            sys.exit("notmuch is not installed")
        notmuch = time_notmuch(args.maildir)
        print(f"notmuch new: {notmuch:.2f} s, {len(files) / notmuch:,.0f} messages/s")


if __name__ == "__main__":
    main()
