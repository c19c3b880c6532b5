"""`foia compare` on two 10,000-message releases that share half their emails, redacted differently.

Builds the archive from importer records (an Outlook-style print release and a Gmail-style one: senders
printed "Last, First" in one and "First Last" in the other, different exemption codes, passages boxed in one
and readable in the other), pairs the copies with the archive's duplicate detection (blocked on the minute
sent and on the sender, never all against all), then times `compare_releases` and the `foia compare --json`
command. Target: compare in <= 2 s.

    /work/venv/bin/python benchmarks/bench_compare.py [--count 10000] [--shared 5000]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from foia_tui.archive import Archive
from foia_tui.archive.releases import attach_documents, ensure_release
from foia_tui.archive.store import store_document
from foia_tui.services.releases import compare_releases
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import Address, DocumentRecord, MessageRecord, RedactionRecord

FIRST = ["Jane", "Rick", "Maria", "Jonathan", "Tameka", "Steven", "Carol", "Ayana", "Brian", "Sonia", "Omar"]
LAST = ["Doe", "Roe", "Martinez", "Lewin", "Collier", "Walker", "Schwartz", "Rockett", "Flowers", "Weil", "Haddad"]
WORDS = ["trial", "account", "search", "vendor", "pilot", "budget", "review", "draft", "unit", "match", "policy"]
PER_DOCUMENT = 100
CODES = {"A": "POL 87(2)(b)", "B": "(b)(6)"}


def emails(count: int, seed: int) -> list[dict]:
    """The story: distinct emails, each with two sensitive passages."""
    rng = random.Random(seed)
    when = datetime(2018, 1, 1, 8, 0)
    out = []
    for n in range(count):
        when += timedelta(minutes=rng.randint(3, 90))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 80)))
        out.append(
            {
                "n": n,
                "sender": (first, last, f"{first.lower()}.{last.lower()}{n % 7}@agency.example.gov"),
                "subject": f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {n}",
                "sent": when,
                "parts": [
                    f"Reference {n}. {words[: len(words) // 2]} call",
                    f"555-{n % 10000:04d}",
                    f"{words[len(words) // 2 :]} ask",
                    f"Det. {first[0]}. {last}",
                    "today.",
                ],
                "boxed": {"A": {1} if n % 3 else {1, 3}, "B": {3} if n % 3 else {1, 3}},
            }
        )
    return out


def record(email: dict, side: str, ordinal: int) -> MessageRecord:
    first, last, address = email["sender"]
    text, offsets = "", []
    for i, part in enumerate(email["parts"]):
        if i in email["boxed"][side]:
            offsets.append(len(text))
            part = f"█[REDACTED {CODES[side]}]█"
        text += part + ("" if i == len(email["parts"]) - 1 else " ")
    name = f"{last}, {first}" if side == "A" else f"{first} {last}"
    return MessageRecord(
        ordinal=ordinal,
        subject=email["subject"] if side == "B" else f"RE: {email['subject']}",
        sender=Address(name, address, f"{name} <{address}>"),
        to=[Address("Records Officer", "records@agency.example.gov")],
        sent=email["sent"].isoformat(),
        body=text,
        page_start=ordinal + 1,
        page_end=ordinal + 1,
        bates_start=f"{side}-{ordinal:06d}",
        redactions=[RedactionRecord(page=ordinal + 1, code=CODES[side], offset=o) for o in offsets],
        copy_kind="print",
    )


def build(path: Path, count: int, shared: int) -> None:
    story = emails(2 * count - shared, seed=7)
    sides = {"A": story[:count], "B": story[count - shared :]}
    archive = Archive.open(path)
    for side, chosen in sides.items():
        release_id = ensure_release(archive, f"release {side}", agency=side)
        for start in range(0, len(chosen), PER_DOCUMENT):
            batch = chosen[start : start + PER_DOCUMENT]
            sha = hashlib.sha256(f"{side}:{start}".encode()).hexdigest()
            doc = DocumentRecord(f"{side}-{start}.pdf", sha, "pdf", [record(e, side, i) for i, e in enumerate(batch)])
            doc.page_count = len(batch)
            attach_documents(archive, release_id, [store_document(archive, doc).document_id])
    archive.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="messages per release")
    parser.add_argument("--shared", type=int, default=5_000, help="emails both releases hold")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "compare.db"
        started = time.perf_counter()
        build(path, args.count, args.shared)
        print(f"stored 2 x {args.count:,} messages in {time.perf_counter() - started:.1f} s")
        archive = Archive.open(path)
        started = time.perf_counter()
        rebuild_conversations(archive)
        print(f"duplicate detection + threads (the pairing) over {2 * args.count:,} copies: "
              f"{time.perf_counter() - started:.2f} s")  # fmt: skip
        started, cpu = time.perf_counter(), time.process_time()
        result = compare_releases(archive, "release A", "release B")
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        wrong = sum(1 for p in result["both"] if p["a"]["subject"].split()[-1] != p["b"]["subject"].split()[-1])
        print(
            f"compare_releases: {took:.2f} s wall, {cpu:.2f} s CPU  (target <= 2 s; "
            f"{len(result['both']):,}/{args.shared:,} shared paired, "
            f"{wrong} wrongly; {len(result['only_a']):,} only A, {len(result['only_b']):,} only B; "
            f"{len(result['exposures']):,} exposures)"
        )
        archive.close()
        started = time.perf_counter()
        command = [sys.executable, "-m", "foia_tui", "compare", "release A", "release B", "--json", "--db", str(path)]
        out = subprocess.run(command, capture_output=True, check=True).stdout
        print(
            f"foia compare --json (whole command, {len(out) / 1e6:.1f} MB out): {time.perf_counter() - started:.2f} s"
        )


if __name__ == "__main__":
    main()
