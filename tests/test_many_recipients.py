"""An email to a great many people imports, lists and shows in time linear in its recipients."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FOIA = str(Path(sys.executable).with_name("foia"))
RECIPIENTS = 100_000  # before, 2,000 took 7 s to import and 4,000 took 31 s: this size would take hours


def write_eml(path: Path, recipients: int) -> None:
    """Written by hand: the standard library's header folding is itself quadratic in a header this long."""
    to = ",\r\n ".join(f"Person {i} <p{i}@example.org>" for i in range(recipients))
    path.write_text(
        "From: Records Officer <records@example.gov>\r\n"
        f"To: {to}\r\n"
        "Subject: To everyone\r\n"
        "Date: Mon, 01 Apr 2019 10:00:00 -0400\r\n"
        "Message-ID: <everyone@example.gov>\r\n"
        "\r\n"
        "A notice to the whole list.\r\n",
        encoding="ascii",
        newline="",
    )


def foia(*args: str) -> str:
    result = subprocess.run([FOIA, *args], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, (args, result.stderr)
    return result.stdout


def test_an_email_to_100000_people_imports_and_shows(tmp_path):
    write_eml(tmp_path / "everyone.eml", RECIPIENTS)
    db = str(tmp_path / "a.db")
    foia("import", "--db", db, str(tmp_path / "everyone.eml"))
    thread = json.loads(foia("threads", "--db", db, "--json"))
    assert len(thread["participants"]) == RECIPIENTS + 1
    shown = foia("show", "--db", db, thread["id"])
    assert "Person 0" in shown and "A notice to the whole list." in shown
    assert len(foia("people", "--db", db).splitlines()) == RECIPIENTS + 1
