"""Names, paths and the file system are hostile input too: what a file, folder, tag or release is called reaches
the terminal only through the display door, and odd files, odd bytes and loops never stop an import.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

from click.testing import CliRunner

from foia_tui.cli import main

OSC_TITLE = "\x1b]0;PWNED\x07"
FAKE_LINE = "\nfoia: all 3 files imported OK"
RAW = ("\x1b", "\x07", "\x9b", "\r")


def write_email(path: Path, subject: str = "Clearview trial", sender: str = "Hoan <hoan@clearview.ai>") -> None:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "di@nypd.example"
    message["Subject"] = subject
    message["Date"] = "Tue, 04 Dec 2018 15:14:00 -0500"
    message.set_content("We continue to receive positive results.")
    path.write_bytes(bytes(message))


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def foia(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command in its own process, its output bytes as a pipe gives them."""
    return subprocess.run(
        [sys.executable, "-m", "foia_tui", *args], capture_output=True, cwd=cwd, timeout=timeout, check=False
    )


def assert_no_raw_controls(text: str) -> None:
    assert not any(c in text for c in RAW), repr(text)


def test_file_and_folder_names_reach_the_terminal_visible_and_on_their_own_line(tmp_path):
    folder = tmp_path / f"rel{OSC_TITLE}x"
    folder.mkdir()
    write_email(folder / "good.eml")
    (folder / f"bad{FAKE_LINE}").write_bytes(b"not an email")
    done = foia("import", "--db", str(tmp_path / "a.db"), str(folder))
    err, out = done.stderr.decode(), done.stdout.decode()
    assert done.returncode == 1
    assert_no_raw_controls(out + err)
    failures = [line for line in err.splitlines() if line.startswith("foia: ")]
    assert failures == [f"foia: {tmp_path}/rel␛]0;PWNED␇x/bad␊foia: all 3 files imported OK: unknown file type "
                        "(not a PDF, email, mbox, maildir or Outlook .msg)"]  # fmt: skip
    assert "release: rel␛]0;PWNED␇x" in out


def test_paths_given_on_the_command_line_are_shown_not_obeyed(tmp_path):
    bad = f"x{OSC_TITLE}{FAKE_LINE}"
    missing_db = foia("list", "--db", str(tmp_path / bad / "a.db"))
    missing_path = foia("import", "--db", str(tmp_path / "a.db"), str(tmp_path / bad))
    write_email(tmp_path / "one.eml")
    run("import", "--db", str(tmp_path / "a.db"), str(tmp_path / "one.eml"))
    run("tag", "add", "quote", "--db", str(tmp_path / "a.db"), "--query", "trial")
    written = foia("export", "--db", str(tmp_path / "a.db"), "-o", str(tmp_path / f"brief{OSC_TITLE}.md"))
    unwritable = foia("export", "--db", str(tmp_path / "a.db"), "-o", str(tmp_path / bad / "brief.md"))
    for done in (missing_db, missing_path, written, unwritable):
        err = done.stderr.decode()
        assert_no_raw_controls(err)
        assert all(line.startswith(("foia: ", "Importing", "Exported")) for line in err.splitlines()), err
    assert "x␛]0;PWNED␇␊foia: all 3" in missing_db.stderr.decode()
    assert "brief␛]0;PWNED␇.md" in written.stderr.decode()


def read_pty(args: list[str], timeout: float = 60) -> str:
    """What a command writes to a real terminal (its stdout a pty)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, stdout=follower, stderr=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], timeout)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout)
    os.close(leader)
    return b"".join(chunks).decode()


def test_csv_export_shows_controls_on_a_terminal_and_keeps_them_in_a_file(tmp_path):
    db = str(tmp_path / "a.db")
    write_email(tmp_path / "one.eml", subject=f"trial {OSC_TITLE} =HYPERLINK(1)")
    run("import", "--db", db, str(tmp_path / "one.eml"))
    run("tag", "add", "quote", "--db", db, "--query", "trial")
    shown = read_pty([sys.executable, "-m", "foia_tui", "export", "--db", db, "--format", "csv"])
    assert "trial ␛]0;PWNED␇ =HYPERLINK(1)" in shown
    assert "\x1b" not in shown and "\x07" not in shown
    run("export", "--db", db, "-o", str(tmp_path / "out.csv"))
    assert f"trial {OSC_TITLE} =HYPERLINK(1)" in (tmp_path / "out.csv").read_text(encoding="utf-8")


def test_json_output_escapes_c1_bidi_and_zero_width_characters(tmp_path):
    db = str(tmp_path / "a.db")
    write_email(tmp_path / "one.eml", subject="csi\u009b2J bidi\u202etxt zero\u200bwidth")
    run("import", "--db", db, str(tmp_path / "one.eml"))
    listed = json.loads(run("list", "--json", "--db", db).output)
    assert listed["subject"] == "csi\u009b2J bidi\u202etxt zero\u200bwidth"  # escaped, not changed
    for command in (["list", "--json"], ["threads", "--json"], ["search", "csi", "--json"]):
        out = run(*command, "--db", db).output
        assert not any(c in out for c in "\u009b\u202e\u200b"), command
        assert "\\u009b" in out and "\\u202e" in out and "\\u200b" in out, command
