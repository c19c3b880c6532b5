"""Names, paths and the file system are hostile input too: what a file, folder, tag or release is called reaches
the terminal only through the display door, and odd files, odd bytes and loops never stop an import.
"""

from __future__ import annotations

import ast
import json
import os
import pty
import select
import socket
import sqlite3
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from fpdf import FPDF
from textual.app import App
from textual.widgets._toast import Toast

from foia_tui.app.app import FoiaApp
from foia_tui.app.widgets.sidebar import Sidebar
from foia_tui.archive import Archive
from foia_tui.archive.store import store_document
from foia_tui.archive.tags import tag_messages
from foia_tui.cli import main
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import Address, MessageRecord
from tests.conftest import settle
from tests.support.archive_factory import document, screen_text
from tests.support.sql import sql_rows

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


BAD_TAG = "[reverse]REV[/reverse] [/bogus"
BAD_SENDER = "[/x] Mallory"
BAD_EXCERPT = "App [/y] is working great"


def toasts(app) -> str:
    """The text of every toast on screen, as its widget renders it."""
    return "\n".join(str(toast.render()) for toast in app.screen.query(Toast))


@pytest.fixture
def marked_up(tmp_path: Path) -> Archive:
    """An archive whose sender, body and tag are Rich markup, balanced and not."""
    archive = Archive.open(tmp_path / "archive.db")
    message = MessageRecord(
        0,
        "Trial",
        Address(BAD_SENDER, "mallory@evil.example", f"{BAD_SENDER} <mallory@evil.example>"),
        [Address("Inspector", "di@nypd.example", "Inspector <di@nypd.example>")],
        sent="2019-01-01T10:00:00",
        body=f"{BAD_EXCERPT}.\nSecond line.\n",
        message_id="m1@evil.example",
        copy_kind="native",
    )
    store_document(archive, document(tmp_path / "one.eml", "eml", [message]))
    rebuild_conversations(archive)
    ids = [row["id"] for row in sql_rows(archive, "SELECT id FROM messages")]
    tag_messages(archive, BAD_TAG, ids)
    yield archive
    archive.close()


async def test_markup_in_names_tags_and_excerpts_is_shown_literally_in_toasts_and_labels(marked_up):
    app = FoiaApp(marked_up)
    async with app.run_test(size=(140, 44), notifications=True) as pilot:
        await settle(pilot)
        assert "#[reverse]REV[/reverse] " in screen_text(app)  # in the sidebar and the thread list, as written
        await pilot.press("enter")  # open the thread
        await settle(pilot)
        await pilot.press("t", *f"{BAD_TAG}2", "enter")  # tag the message: a new tag, from the picker
        await settle(pilot)
        assert f"Tagged the message with {BAD_TAG}2." in toasts(app)
        await pilot.press("v", "w")  # select the word "[/y]" and tag it
        await pilot.press("t", *"quote", "enter")
        await settle(pilot)
        assert "Tagged the excerpt “[/y]” with quote." in toasts(app)
        sidebar = app.screen.query_one(Sidebar)
        sidebar.focus()
        people = next(s for s in sidebar.root.children if str(s.label).startswith("People"))
        sidebar.select_node(next(p for p in people.children if BAD_SENDER in str(p.label)))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert "Only the search: from:" in screen_text(app) and "[/x]" in screen_text(app)
        app.screen.notify(f"{BAD_TAG} {BAD_SENDER} \x1b]0;t\x07", title=BAD_SENDER)
        await settle(pilot)
        assert f"{BAD_SENDER}\n{BAD_TAG} {BAD_SENDER} ␛]0;t␇" in toasts(app)


MARKUP_WIDGETS = {"Label", "Static", "Checkbox", "RadioButton", "Button", "Option", "Switch", "Collapsible", "Link"}
TEXT_BUILDERS = {"Text", "assemble", "safe_rich"}  # a rich Text is drawn as the characters it holds


def _text_built(node: ast.expr, bound: dict[str, list[ast.expr | None]]) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.IfExp):
        return _text_built(node.body, bound) and _text_built(node.orelse, bound)
    if isinstance(node, ast.Call):
        return (node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")) in TEXT_BUILDERS
    if isinstance(node, ast.Name):
        values = bound.get(node.id, [])
        return bool(values) and all(value is not None and _text_built(value, bound) for value in values)
    return False


def _bindings(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, list[ast.expr | None]]:
    """What each name in a function is bound to: its assignments, and a `Text` parameter as a Text."""
    bound: dict[str, list[ast.expr | None]] = {}
    for arg in function.args.args + function.args.kwonlyargs:
        is_text = arg.annotation is not None and ast.unparse(arg.annotation) == "Text"
        bound.setdefault(arg.arg, []).append(ast.Call(ast.Name("Text"), [], []) if is_text else None)
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bound.setdefault(target.id, []).append(node.value)
    return bound


def test_every_label_and_notification_of_the_app_passes_the_display_door():
    """Source walk: a widget label or Static update built from data is a rich Text (never markup), and every
    toast goes through FoiaApp.notify, which shows its message and title literally."""
    built_from_markup, notices = [], []
    for path in sorted((Path(__file__).parents[1] / "foia_tui" / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            bound = _bindings(function)
            for call in ast.walk(function):
                if not isinstance(call, ast.Call) or not call.args:
                    continue
                name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
                is_label = name in MARKUP_WIDGETS or (name == "update" and isinstance(call.func, ast.Attribute))
                if is_label and not _text_built(call.args[0], bound):
                    built_from_markup.append(f"{path.name}:{call.lineno}: {ast.unparse(call)}")
                if name == "notify" and function.name != "notify":
                    notices.append(ast.unparse(call.func))
    assert built_from_markup == []
    assert notices and all(n in ("self.notify", "self.app.notify", "self.screen.notify") for n in notices), notices
    assert FoiaApp.notify is not App.notify  # Screen and Widget.notify call the app's


def test_names_that_are_not_utf8_are_stored_escaped_and_the_rest_imports(tmp_path):
    root = os.fsencode(tmp_path)
    for name in (b"rel/good.eml", b"rel/bad\xff.eml", b"dir\xff/x.eml"):
        path = Path(os.fsdecode(root + b"/" + name))
        path.parent.mkdir(exist_ok=True)
        write_email(path, subject=f"from {name!r}")
    db = str(tmp_path / "a.db")
    first = foia("import", "--db", db, str(tmp_path / "rel"))
    second = subprocess.run(
        [sys.executable.encode(), b"-m", b"foia_tui", b"import", b"--db", db.encode(), b"--agency", b"NYPD\x9b",
         root + b"/dir\xff"], capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert (first.returncode, second.returncode) == (0, 0), (first.stderr, second.stderr)
    assert b"Traceback" not in first.stderr + second.stderr
    files = sorted(json.loads(line)["source"]["file"] for line in run("list", "--db", db, "--json").output.splitlines())
    assert files == sorted([f"{tmp_path}/dir\\xff/x.eml", f"{tmp_path}/rel/bad\\xff.eml", f"{tmp_path}/rel/good.eml"])
    releases = {
        r["name"]: r["agency"] for r in map(json.loads, run("releases", "--db", db, "--json").output.split("\n")[:-1])
    }
    assert releases == {"rel": None, "dir\\xff": "NYPD\\x9b"}
    assert "release: dir\\xff" in second.stdout.decode()


def failure_lines(done: subprocess.CompletedProcess) -> list[str]:
    return [line for line in done.stderr.decode().splitlines() if line.startswith("foia: ")]


def test_pipes_and_sockets_are_skipped_in_one_line_and_the_import_never_blocks(tmp_path):
    folder = tmp_path / "rel"
    folder.mkdir()
    write_email(folder / "good.eml")
    os.mkfifo(folder / "pipe.eml")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(folder / "socket.eml"))
    try:
        done = foia("import", "--db", str(tmp_path / "a.db"), str(folder), "--json", timeout=60)
    finally:
        listener.close()
    summary = json.loads(done.stdout)
    assert (done.returncode, summary["imported"]) == (1, 1)
    assert failure_lines(done) == [
        f"foia: {folder}/pipe.eml: skipped: a named pipe, not a regular file",
        f"foia: {folder}/socket.eml: skipped: a socket, not a regular file",
    ]


def test_symlinks_inside_a_folder_are_followed_only_when_asked_and_loops_cost_one_line(tmp_path):
    folder, outside = tmp_path / "rel", tmp_path / "elsewhere"
    (folder / "sub").mkdir(parents=True)
    outside.mkdir()
    for i, where in enumerate((folder, folder, folder / "sub")):
        write_email(where / f"{i}.eml", subject=f"email {i}")
    write_email(outside / "secret.eml", subject="secret")
    (folder / "loop").symlink_to(".")
    (folder / "sub" / "up").symlink_to("..")
    (folder / "secret.eml").symlink_to(outside / "secret.eml")

    default = foia("import", "--db", str(tmp_path / "a.db"), str(folder), "--json", timeout=60)
    assert json.loads(default.stdout)["imported"] == 3  # the secret outside is not read
    assert failure_lines(default) == [
        f"foia: {folder}/{name}: a symbolic link, not followed (--follow-symlinks follows it)"
        for name in ("loop", "secret.eml", "sub/up")
    ]
    followed = foia("import", "--db", str(tmp_path / "b.db"), str(folder), "--follow-symlinks", "--json", timeout=60)
    assert json.loads(followed.stdout)["imported"] == 4
    assert failure_lines(followed) == [
        f"foia: {folder}/{name}: a folder already read, through a symbolic link ({folder}): skipped"
        for name in ("loop", "sub/up")
    ]


def test_an_attachment_name_longer_than_a_file_name_can_be_is_kept_as_data(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="From: A <a@example.gov>")
    name = "Mémo " + "très long nom " * 25 + ".pdf"  # over 255 bytes: no file system takes it as a name
    message = EmailMessage()
    message["From"], message["Subject"] = "Hoan <hoan@clearview.ai>", "The memo"
    message.set_content("Attached.")
    message.add_attachment(bytes(pdf.output()), maintype="application", subtype="pdf", filename=name)
    (tmp_path / "memo.eml").write_bytes(bytes(message))
    db = tmp_path / "a.db"
    done = foia("import", "--db", str(db), str(tmp_path / "memo.eml"), "--json")
    assert (done.returncode, json.loads(done.stdout)["failures"]) == (0, [])
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        stored = conn.execute("SELECT a.name, d.path FROM attachments a JOIN documents d ON d.id = a.document_id")
        ((kept, path),) = stored.fetchall()
    assert kept == name[:255] and path == f"{tmp_path}/memo.eml › {kept}"  # the importer keeps 255 characters
