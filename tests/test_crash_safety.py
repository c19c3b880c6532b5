"""An import killed at any moment leaves a consistent archive, and two writers never corrupt it."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time

from tests.support.crashcheck import FOIA, kill_loop, run_foia, write_mbox_and_emls


def test_sigkill_during_import_loses_nothing(tmp_path):
    assert kill_loop(tmp_path, rounds=4, count=150) == []


def test_messages_stored_before_a_kill_are_listed_in_threads(tmp_path):
    """Killed after its first batch landed and before the rethreading: every stored message is in some thread and
    the read-only listing shows them; the next import, even with nothing left to add, places them for real."""
    write_mbox_and_emls(tmp_path / "mail", 1000)
    db = tmp_path / "a.db"
    process = subprocess.Popen([FOIA, "import", str(tmp_path / "mail"), "--db", str(db)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    stored, deadline = 0, time.monotonic() + 120
    while not stored and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
                stored = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        except sqlite3.OperationalError:
            continue  # not created yet, or locked for a moment
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert stored, "the import stored nothing before it finished or the deadline passed"
    with sqlite3.connect(db) as conn:
        copies = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM messages WHERE thread_id IS NULL").fetchone()[0] == 0
    listed = [json.loads(line) for line in run_foia("threads", "--db", str(db), "--json").stdout.splitlines()]
    assert sum(t["message_count"] for t in listed) >= copies > 0
    run_foia("import", str(tmp_path / "mail"), "--db", str(db))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 2000
        pending = conn.execute("SELECT count(*) FROM messages WHERE thread_id LIKE 'pending-%'").fetchone()[0]
        assert pending == 0
    listed = [json.loads(line) for line in run_foia("threads", "--db", str(db), "--json").stdout.splitlines()]
    assert sum(t["message_count"] for t in listed) == 2000
    assert not [t for t in listed if t["id"].startswith("pending-")]


def test_two_imports_at_once_both_succeed(tmp_path):
    write_mbox_and_emls(tmp_path / "a", 60)
    write_mbox_and_emls(tmp_path / "b", 60)
    db = str(tmp_path / "x.db")
    processes = [
        subprocess.Popen(
            [FOIA, "import", str(tmp_path / name), "--db", db, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert all("locked" not in err and "Traceback" not in err for _, err in outputs)
    # Both folders hold the same generated mail: whichever writer stores a file first adds it, the other skips it.
    summaries = [json.loads(out) for out, _ in outputs]
    assert sum(s["messages_added"] for s in summaries) == 120
    counts = json.loads(run_foia("stats", "--db", db, "--json").stdout)
    assert (counts["documents"], counts["copies"]) == (61, 120)
