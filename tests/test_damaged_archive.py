"""Archives in a bad state: a damaged file, a full disk or a strange schema number is one clear line and exit
status 2 from every command, never a traceback.
"""

from __future__ import annotations

import random
import resource
import signal
import sqlite3
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from foia_tui.archive import Archive

COMMANDS = (["list"], ["stats"], ["threads"], ["search", "trial"], ["tag", "add", "x", "--query", "trial"])


def write_emails(folder: Path, count: int, body_words: int = 50) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        message = EmailMessage()
        message["From"] = f"Person {i % 7} <p{i % 7}@nypd.example>"
        message["Subject"] = f"Clearview trial {i}"
        message["Date"] = f"Tue, {i % 28 + 1:02d} Jan 2019 10:00:00 -0500"
        message.set_content(" ".join(f"word{(i * j) % 997}" for j in range(body_words)))
        (folder / f"{i:04d}.eml").write_bytes(bytes(message))


def foia(*args: str, **kwargs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "foia_tui", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, **kwargs)


def assert_one_clear_line(done: subprocess.CompletedProcess, *words: str) -> str:
    lines = [line for line in done.stderr.splitlines() if not line.startswith("Importing")]
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert len(lines) == 1 and lines[0].startswith("foia: "), done.stderr
    assert all(word in lines[0] for word in words), lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("damaged")
    write_emails(folder / "mail", 300)
    db = folder / "a.db"
    assert foia("import", "--db", str(db), str(folder / "mail")).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.mark.parametrize("seed", range(4))
def test_a_damaged_archive_is_one_line_suggesting_recover(archive, tmp_path, seed):
    data = bytearray(archive.read_bytes())
    rng = random.Random(seed)
    for _ in range(200):  # flipped bytes past the first page (the header stays: it is an SQLite file, damaged)
        data[rng.randrange(4096, len(data))] ^= 0xFF
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(bytes(data))
    for command in (*COMMANDS, ["import", str(tmp_path)]):
        done = foia(*command, "--db", str(damaged))
        if done.returncode != 2:  # the bytes flipped missed what this command reads
            assert done.returncode in (0, 1) and "Traceback" not in done.stderr, (command, done.stderr)
            continue
        assert_one_clear_line(done, "damaged", ".recover")


def test_a_negative_schema_version_is_refused_in_one_line(tmp_path):
    db = tmp_path / "odd.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = -3")
        conn.execute("CREATE TABLE t (x)")
    for command in COMMANDS:
        assert_one_clear_line(foia(*command, "--db", str(db)), "not a foia-tui archive", "-3")


def _small_disk(limit: int):
    """A disk that fills at `limit` bytes a file: the kernel refuses writes beyond it (EFBIG), as a full disk does."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_is_one_line_saying_what_was_stored_and_a_rerun_completes_it(tmp_path):
    write_emails(tmp_path / "mail", 600, body_words=400)
    db = tmp_path / "a.db"
    assert foia("import", "--db", str(db), str(tmp_path / "mail" / "0000.eml")).returncode == 0
    full = foia("import", "--db", str(db), str(tmp_path / "mail"), preexec_fn=_small_disk(3 << 20))
    line = assert_one_clear_line(full, "disk is full or failing", "files were stored", "run the same import again")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = foia("import", "--db", str(db), str(tmp_path / "mail"), "--json")
    assert again.returncode == 0, (line, again.stderr)
    assert foia("stats", "--db", str(db), "--json").stdout.count('"messages": 600') == 1


def test_the_upgrade_backup_holds_the_commits_still_in_the_write_ahead_log(tmp_path):
    path = tmp_path / "old.db"
    crash_after_commit = f"""
import os, sqlite3, sqlite_utils
from foia_tui.archive.schema import MIGRATIONS
conn = sqlite3.connect({str(path)!r}, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
MIGRATIONS[0](sqlite_utils.Database(conn))
conn.execute("PRAGMA user_version = 1")
conn.execute("INSERT INTO documents (id, path, sha256, kind, imported_at) VALUES ('d', 'old.pdf', 's', 'pdf', 'now')")
os._exit(0)  # a crash: the commits stay in old.db-wal
"""
    subprocess.run([sys.executable, "-c", crash_after_commit], check=True, timeout=60)
    assert (tmp_path / "old.db-wal").stat().st_size > 0
    Archive.open(path).close()
    with sqlite3.connect(tmp_path / "old.db.v1.bak") as backup:
        assert backup.execute("SELECT path FROM documents").fetchall() == [("old.pdf",)]
        assert backup.execute("PRAGMA user_version").fetchone() == (1,)
