"""Duplicates, people and threads at scale: how long rebuild_conversations takes, and how right it is.

Two corpora, each with ground truth:
  world    generated PDF prints (quoted chains, redactions, OCR slips, Gmail thread prints) and native emails
           (some threading headers stripped), the same emails in several forms (tests/support/worldgen.py); scores
           threads, duplicates and people (issue 5).
  mailgen  issue 3's maildir corpus (tests/support/mailgen.py): threaded replies, some with In-Reply-To/References
           stripped, unrelated conversations sharing a subject; each message parsed by the email importer's
           parser and stored; scores threads (pairwise precision and recall).

Timings: the first rebuild (every row written), a rebuild with nothing new, and the rebuild after importing one
more file, which is what the pipeline runs after every import.

    /work/venv/bin/python benchmarks/bench_threading.py world [--emails 50000]
    /work/venv/bin/python benchmarks/bench_threading.py mailgen [--count 20000]
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

from foia_tui.archive import Archive
from foia_tui.archive.store import message_id_for, store_document
from foia_tui.services.rethreading import rebuild_conversations
from importers.mailparts import message_record, parse_bytes
from importers.records import DocumentRecord
from tests.support import mailgen, worldgen
from tests.support.sql import sql_rows, sql_value


def timed(label: str, action) -> object:
    """Run `action`, printing its wall-clock and CPU time (CPU time is what a busy machine does not inflate)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{label:48} {wall:8.2f} s wall {cpu:8.2f} s CPU", flush=True)
    return result


def time_rebuilds(archive: Archive, extra: DocumentRecord) -> None:
    counts = timed("rebuild_conversations (first, all rows written)", lambda: rebuild_conversations(archive))
    print(f"  {counts}")
    timed("rebuild_conversations (nothing new)", lambda: rebuild_conversations(archive))
    store_document(archive, extra)
    timed("rebuild_conversations (after one more import)", lambda: rebuild_conversations(archive))


def world(emails: int, folder: Path) -> None:
    # About 45 emails a day among one person per 150 emails: the density of the tests' world kept at scale.
    data = timed(
        f"generate world ({emails:,} emails)",
        lambda: worldgen.build_world(
            seed=1, emails=emails, span_days=max(120, emails // 45), people=max(60, emails // 150)
        ),
    )
    extra = data.documents.pop()
    archive = Archive.open(folder / "world.db")
    timed(f"store {sum(len(d.messages) for d in data.documents):,} copies", lambda: worldgen.store_world(archive, data))
    time_rebuilds(archive, extra)
    print(f"messages stored: {sql_value(archive, 'SELECT count(*) FROM messages'):,}")
    print(f"threads    (pairwise): {worldgen.score_threads(archive, data.truth)}")
    print(f"duplicates (pairwise): {worldgen.score_duplicates(archive, data.truth)}")
    print(f"people     (aliases):  {worldgen.score_people(archive, data.truth)}")


def mail(count: int, folder: Path) -> None:
    corpus = timed(f"generate mailgen corpus ({count:,} messages)", lambda: mailgen.corpus(count, seed=0))
    truth: dict[str, int] = {}
    stripped = 0
    documents = []
    for number, (msg, fact) in enumerate(corpus):
        data = msg.as_bytes()
        sha = hashlib.sha256(data).hexdigest()
        documents.append(
            DocumentRecord(f"maildir/{number}", sha, "maildir", messages=[message_record(parse_bytes(data), 0)])
        )
        truth[message_id_for(sha, 0)] = fact.thread
        stripped += fact.stripped
    extra = documents.pop()
    archive = Archive.open(folder / "mailgen.db")

    def store() -> None:
        with archive.transaction():
            for doc in documents:
                store_document(archive, doc)

    timed(f"store {len(documents):,} parsed messages ({stripped:,} stripped)", store)
    time_rebuilds(archive, extra)
    stored = {r["id"]: r["thread_id"] for r in sql_rows(archive, "SELECT id, thread_id FROM messages")}
    print(f"threads (pairwise): {worldgen.pairwise(truth, stored)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", choices=("world", "mailgen"))
    parser.add_argument("--emails", type=int, default=50_000, help="world: emails (about two stored copies each)")
    parser.add_argument("--count", type=int, default=20_000, help="mailgen: messages")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.corpus == "world":
            world(args.emails, Path(folder))
        else:
            mail(args.count, Path(folder))


if __name__ == "__main__":
    main()
