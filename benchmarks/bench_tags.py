"""Speed of tagging, re-anchoring after a changed re-import, and export, on a generated archive.

    /work/venv/bin/python benchmarks/bench_tags.py [--messages 20000] [--excerpts 2000]

Prints: tagging every message of the archive with one tag, tagging N excerpts, re-anchoring them after the
bodies changed (a third shifted, a third re-OCR'd, a third rewritten), and exporting every passage as Markdown,
JSON and CSV.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from foia_tui.archive.tags import reanchor_taggings, tag_excerpt, tag_messages
from foia_tui.services.export import build_export, render
from tests.support.archive_factory import build_bulk_archive
from tests.support.sql import sql_rows


def timed(label: str, work):
    started = time.perf_counter()
    result = work()
    print(f"{label:58} {time.perf_counter() - started:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--excerpts", type=int, default=2_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-tags-"))
    archive = timed(
        f"build a {args.messages:,}-message archive", lambda: build_bulk_archive(folder / "a.db", args.messages)
    )
    rows = sql_rows(archive, "SELECT id, body FROM messages WHERE length(body) > 80 ORDER BY id")
    ids = [r["id"] for r in sql_rows(archive, "SELECT id FROM messages")]
    timed(f"tag all {len(ids):,} messages with one tag", lambda: tag_messages(archive, "everything", ids))
    rng = random.Random(1)
    chosen = rng.sample(rows, min(args.excerpts, len(rows)))

    def tag_all() -> None:
        for row in chosen:
            start = rng.randrange(0, len(row["body"]) - 60)
            tag_excerpt(archive, "excerpt", row["id"], start, start + 40)

    timed(f"tag {len(chosen):,} excerpts (one transaction each)", tag_all)
    with archive.transaction() as conn:
        for n, row in enumerate(chosen):
            body = row["body"]
            changed = ("[page 1]\n" + body, body.replace("e", "c"), "rewritten entirely " * 5)[n % 3]
            conn.execute("UPDATE messages SET body = ? WHERE id = ?", (changed, row["id"]))
    result = timed(f"re-anchor {len(chosen):,} excerpts after the bodies changed", lambda: reanchor_taggings(archive))
    print(f"  moved {result.moved:,}, lost {result.lost:,} of {result.checked:,}")
    export = timed("gather every passage for export", lambda: build_export(archive))
    for fmt in ("md", "json", "csv"):
        text = timed(f"render {len(export.passages):,} passages as {fmt}", lambda fmt=fmt: render(export, fmt))
        print(f"  {len(text) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
