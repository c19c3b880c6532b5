"""Kill `foia import` at random moments and check the archive after each kill (shared by test and benchmark).

Consistent means: SQLite's integrity check passes, both FTS indexes agree with the messages table, every
imported document has all its messages, every message is in a thread, the tags made before the kill are all
there, and running the same import again completes it.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

FOIA = str(Path(sys.executable).with_name("foia"))


def write_mbox_and_emls(folder: Path, count: int, prefix: str = "") -> None:
    """`count` .eml files plus one mbox holding `count` more, so kills land inside multi-message documents too."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "bulk.mbox").open("wb") as mbox:
        for i in range(2 * count):
            message = EmailMessage()
            message["From"] = f"Sender {i % 7} <s{i % 7}@example.org>"
            message["To"] = "records@example.gov"
            message["Subject"] = f"Report {i // 3}" if i % 3 == 0 else f"Re: Report {i // 3}"
            message["Date"] = f"Mon, {1 + i % 28:02d} Apr 2019 {i % 24:02d}:{i % 60:02d}:00 -0400"
            message["Message-ID"] = f"<{prefix}m{i}@example.org>"
            message.set_content(f"{prefix}Body {i}: searchable words positive results arrests {'x' * (i % 50)}")
            if i < count:
                (folder / f"{i:04d}.eml").write_bytes(bytes(message))
            else:
                mbox.write(b"From s@example.org Mon Apr  1 00:00:00 2019\n" + bytes(message) + b"\n")


def run_foia(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([FOIA, *args], capture_output=True, text=True, timeout=300, check=check)


def consistency_problems(db: Path, tags_expected: int) -> list[str]:
    conn = sqlite3.connect(db)
    problems = []
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            problems.append("integrity_check failed")
        messages = {row[0] for row in conn.execute("SELECT rowid FROM messages")}
        for table in ("messages_fts", "messages_trigram"):
            try:
                conn.execute(f"INSERT INTO {table}({table}) VALUES('integrity-check')")
            except sqlite3.DatabaseError as error:
                problems.append(f"{table} out of sync: {error}")
            indexed = {row[0] for row in conn.execute(f"SELECT id FROM {table}_docsize")}
            if indexed != messages:
                missing, extra = len(messages - indexed), len(indexed - messages)
                problems.append(f"{table}: {missing} messages not indexed, {extra} indexed that are gone")
        if conn.execute("SELECT count(*) FROM deferred_index").fetchone()[0]:
            problems.append("a batch's deferred_index row outlived its transaction")
        partial = conn.execute(
            """SELECT d.path FROM documents d WHERE d.status = 'imported' AND d.kind = 'eml'
               AND (SELECT count(*) FROM messages m WHERE m.document_id = d.id) != 1"""
        ).fetchall()
        if partial:
            problems.append(f"half-imported documents: {partial[:3]}")
        for path, stored in conn.execute(
            """SELECT d.path, (SELECT count(*) FROM messages m WHERE m.document_id = d.id) FROM documents d
               WHERE d.status = 'imported' AND d.kind = 'mbox'"""
        ):
            if stored != Path(path).read_bytes().count(b"\nFrom ") + 1:
                problems.append(f"half-imported mbox {path}: {stored} messages")
        unthreaded = conn.execute("SELECT count(*) FROM messages WHERE thread_id IS NULL").fetchone()[0]
        if unthreaded:
            problems.append(f"{unthreaded} messages in no thread")
        if conn.execute("SELECT count(*) FROM taggings").fetchone()[0] != tags_expected:
            problems.append("taggings lost")
    finally:
        conn.close()
    return problems


def kill_loop(workdir: Path, rounds: int, count: int, seed: int = 7) -> list[str]:
    """Import, tag, then repeatedly start a second import and SIGKILL it; returns every problem found."""
    rng = random.Random(seed)
    first, second = workdir / "first", workdir / "second"
    write_mbox_and_emls(first, 20)
    db = workdir / "a.db"
    run_foia("import", str(first), "--db", str(db))
    ids = [json.loads(line)["id"] for line in run_foia("list", "--db", str(db), "--json").stdout.splitlines()]
    for message_id in ids[:5]:
        run_foia("tag", "add", "evidence", "--message", message_id, "--note", "kept", "--db", str(db))
    write_mbox_and_emls(second, count, prefix="second-")
    problems: list[str] = []
    for round_number in range(rounds):
        process = subprocess.Popen([FOIA, "import", str(second), "--db", str(db)], stderr=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.05, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        problems += [f"round {round_number}: {p}" for p in consistency_problems(db, 5)]
    run_foia("import", str(second), "--db", str(db))
    total = json.loads(run_foia("stats", "--db", str(db), "--json").stdout)["copies"]
    if total != 40 + 2 * count:
        problems.append(f"after re-import: {total} messages, expected {40 + 2 * count}")
    problems += consistency_problems(db, 5)
    return problems
