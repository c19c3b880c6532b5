"""Where the import writer's time goes (issue 20): the rows of a maildir are prepared once (in two processes, as
the import's workers do), then written by the one writer into fresh archives, CPU-timed:

    row by row      the search indexes kept by the triggers, one row at a time (what schema 11 did)
    batched         the batch's new messages indexed in one statement per index as it ends (schema 12)
    no word index / no substring index / no search index
                    row by row with that index's insert trigger dropped: what each index costs

    python benchmarks/bench_writer.py [/tmp/foia-maildir-20000] [--batch 2000]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from contextlib import nullcontext
from multiprocessing import Pool
from pathlib import Path

from foia_tui.archive import Archive
from foia_tui.archive.indexing import indexed_at_the_end
from foia_tui.archive.store import DocumentRows, store_rows
from foia_tui.services.importing import parse_with_attachments

VARIANTS: dict[str, tuple[list[str], bool]] = {  # triggers dropped, batched
    "row by row": ([], False),
    "batched": ([], True),
    "no word index": (["messages_ai"], False),
    "no substring index": (["messages_trigram_ai"], False),
    "no search index": (["messages_ai", "messages_trigram_ai"], False),
}


def rows_of(path: Path) -> DocumentRows:
    return parse_with_attachments(path, None, hashlib.sha256(path.read_bytes()).hexdigest()).rows


def write(rows: list[DocumentRows], db: Path, dropped: list[str], batched: bool, batch: int) -> float:
    """CPU seconds the writer takes to store every row, `batch` documents a transaction."""
    archive = Archive.open(db)
    with archive.transaction() as conn:
        for trigger in dropped:
            conn.execute(f"DROP TRIGGER {trigger}")
    started = time.process_time()
    for first in range(0, len(rows), batch):
        with archive.transaction() as conn, indexed_at_the_end(conn) if batched else nullcontext():
            for row in rows[first : first + batch]:
                store_rows(archive, row)
    took = time.process_time() - started
    archive.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("maildir", nargs="?", type=Path, default=Path("/tmp/foia-maildir-20000"))
    parser.add_argument("--batch", type=int, default=2000, help="documents a transaction (the import: 2,000 messages)")
    args = parser.parse_args()
    folders = [args.maildir / folder for folder in ("cur", "new") if (args.maildir / folder).exists()]
    files = sorted(p for folder in folders for p in folder.iterdir())
    if not files:
        sys.exit(f"no maildir at {args.maildir}: see benchmarks/bench_import.py")
    started = time.perf_counter()
    with Pool(2) as pool:
        rows = pool.map(rows_of, files, chunksize=64)
    print(f"{len(rows):,} documents read into rows in {time.perf_counter() - started:.1f} s (2 processes)")
    with tempfile.TemporaryDirectory() as scratch:
        for name, (dropped, batched) in VARIANTS.items():
            took = write(rows, Path(scratch) / f"{name.replace(' ', '-')}.db", dropped, batched, args.batch)
            print(f"  {name:<20} writer CPU {took:6.2f} s = {took / len(rows) * 1e6:5.0f} µs a document")


if __name__ == "__main__":
    main()
