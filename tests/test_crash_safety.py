"""An import killed at any moment leaves a consistent archive, and two writers never corrupt it."""

from __future__ import annotations

import json
import subprocess

from tests.support.crashcheck import FOIA, kill_loop, run_foia, write_mbox_and_emls


def test_sigkill_during_import_loses_nothing(tmp_path):
    assert kill_loop(tmp_path, rounds=4, count=150) == []


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
