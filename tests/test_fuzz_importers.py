"""Hostile input for every importer and for `foia import`: each file ends imported or as a recorded failure.

Property: parsing any case of tests/support/hostile_files.py gives a DocumentRecord or raises UnreadableFile with one
bounded line of reason; never another exception, never past a time budget, never text out of proportion to
the input (the memory a hostile file can make us hold). Mail parsers run in this process under an alarm;
PDFs, whose parser is C, run in the pipeline's own worker processes (foia_tui.services.workers), which also cap
memory. The benchmark benchmarks/fuzz_importers.py runs thousands of the same cases.
"""

from __future__ import annotations

import contextlib
import faulthandler
import functools
import gzip
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foia_tui.archive import Archive
from foia_tui.services import importing
from foia_tui.services.importing import MAX_REASON_CHARS, UNEXPECTED, parse_file, run_import
from foia_tui.services.workers import TOO_LARGE, Stopped, run_bounded
from importers import eml, maildir, mbox, msg
from importers.hashing import file_sha256
from importers.records import DocumentRecord, UnreadableFile
from tests.support import hostile_files
from tests.support.crashcheck import FOIA, consistency_problems
from tests.support.pdfgen import random_release, write_release
from tests.support.sql import sql_rows

BUDGET_S = 20  # per case; the slowest legitimate case here takes about 2 s on a loaded 2-core machine
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
SEEDS = st.integers(0, 2**32 - 1)
# A hostile charset label "unicode_escape" makes Python's codec warn about the escapes it meets; the text
# still decodes, so the warning is noise here.
pytestmark = pytest.mark.filterwarnings("ignore:invalid escape sequence:DeprecationWarning")


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so importers' `except Exception` cannot swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(_signum: int, _frame: object) -> None:
        raise Hang(f"still parsing after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def record_chars(doc: DocumentRecord) -> int:
    """Characters a record holds: what a hostile file makes us keep in memory and write to the archive."""
    total = sum(len(page.text) for page in doc.pages)
    for message in doc.messages:
        total += len(message.body) + len(message.subject or "") + sum(len(r) for r in message.references)
        people = [message.sender] if message.sender else []
        for address in [*people, *message.to, *message.cc, *message.bcc, *message.reply_to]:
            total += len(address.raw) + len(address.name or "") + len(address.email or "")
    return total


def assert_one_line(reason: str) -> None:
    assert reason and "\n" not in reason and "\r" not in reason and len(reason) <= MAX_REASON_CHARS, repr(reason)


def check_parse(parse, path: Path, size: int, budget: float = BUDGET_S) -> DocumentRecord | None:
    """The property, for an importer called in this process."""
    with time_limit(budget):
        try:
            doc = parse(path)
        except UnreadableFile as error:
            assert_one_line(str(error))
            return None
    assert isinstance(doc, DocumentRecord)
    assert record_chars(doc) <= 8 * size + 65_536, "text out of proportion to the file"
    return doc


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


# --- every importer, property-tested --------------------------------------------------------------------


@FUZZ
@given(seed=SEEDS)
def test_eml_ends_in_a_record_or_a_one_line_reason(scratch: Path, seed: int) -> None:
    _label, name, data = hostile_files.email_case(random.Random(seed), big=False)
    path = scratch / name
    path.write_bytes(data)
    check_parse(eml.parse, path, len(data))


@FUZZ
@given(seed=SEEDS)
def test_mbox_ends_in_a_record_or_a_one_line_reason(scratch: Path, seed: int) -> None:
    _label, name, data = hostile_files.mbox_case(random.Random(seed), big=False)
    path = scratch / name
    path.write_bytes(data)
    check_parse(mbox.parse, path, inflated_size(data))


def inflated_size(data: bytes) -> int:
    """How many bytes the mbox reader sees: a gzip file (maybe cut short) inflated as far as it goes."""
    if not data.startswith(b"\x1f\x8b"):
        return len(data)
    total = 0
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as inflated, contextlib.suppress(OSError, EOFError, zlib.error):
        while chunk := inflated.read(1 << 16):
            total += len(chunk)
    return max(total, len(data))


@settings(FUZZ, max_examples=60)
@given(seeds=st.lists(SEEDS, min_size=1, max_size=4))
def test_maildir_folder_of_hostile_messages(tmp_path_factory: pytest.TempPathFactory, seeds: list[int]) -> None:
    folder = tmp_path_factory.mktemp("maildir")
    (folder / "cur").mkdir()
    (folder / "new").mkdir()
    for number, seed in enumerate(seeds):
        _label, _name, data = hostile_files.email_case(random.Random(seed), big=False)
        (folder / ("cur" if number % 2 else "new") / f"{number}.host:2,S").write_bytes(data)
    with time_limit(BUDGET_S):
        found = maildir.message_files(folder) if maildir.is_maildir(folder) else []
    for path in found:
        check_parse(maildir.parse, path, path.stat().st_size)


@FUZZ
@given(seed=SEEDS)
def test_msg_ends_in_a_record_or_a_one_line_reason(scratch: Path, seed: int) -> None:
    if not hostile_files.outlook_msg():
        pytest.skip(f"no Outlook .msg corpus at {hostile_files.OUTLOOK_MSG}")
    _label, name, data = hostile_files.msg_case(random.Random(seed), big=False)
    path = scratch / name
    path.write_bytes(data)
    check_parse(msg.parse, path, len(data))


def parse_in_worker(path: Path) -> tuple[str, str, int]:
    """In a worker: ("record", "", characters) or ("unreadable", reason, 0); anything else propagates."""
    try:
        doc = parse_file(path, "pdf")
    except UnreadableFile as error:
        return "unreadable", str(error), 0
    return "record", "", record_chars(doc)


@settings(FUZZ, max_examples=40)
@given(seeds=st.lists(SEEDS, min_size=4, max_size=4))
def test_pdf_ends_in_a_record_or_a_one_line_reason(scratch: Path, seeds: list[int]) -> None:
    """Four PDFs per example, read by two capped workers as `foia import` reads them."""
    paths = []
    for number, seed in enumerate(seeds):
        _label, name, data = hostile_files.pdf_case(random.Random(seed), big=False)
        paths.append(scratch / f"{number}-{name}")
        paths[-1].write_bytes(data)
    for path, result in run_bounded(parse_in_worker, paths, workers=2, time_budget=BUDGET_S, memory_limit=1 << 30):
        assert not isinstance(result, Stopped), f"{path.name}: {result.reason}"
        outcome, reason, chars = result
        if outcome == "unreadable":
            assert_one_line(reason)
            assert not reason.startswith(UNEXPECTED), reason  # the PDF importer raised something else
        else:
            assert chars <= 8 * path.stat().st_size + 65_536


# --- the named monsters of issue 11 --------------------------------------------------------------------


def test_encrypted_pdfs(tmp_path: Path) -> None:
    locked, open_ = tmp_path / "locked.pdf", tmp_path / "open.pdf"
    locked.write_bytes(hostile_files.encrypted_pdf("user-secret"))
    open_.write_bytes(hostile_files.encrypted_pdf(None))
    results = dict(run_bounded(parse_in_worker, [locked, open_], workers=2, time_budget=BUDGET_S))
    assert results[locked] == ("unreadable", "encrypted PDF: it needs a password to open", 0)
    assert results[open_][0] == "record"  # an owner password alone does not stop reading


def test_zero_pages_and_page_tree_cycle(tmp_path: Path) -> None:
    zero, cycle = tmp_path / "zero.pdf", tmp_path / "cycle.pdf"
    zero.write_bytes(hostile_files.zero_page_pdf())
    cycle.write_bytes(hostile_files.page_tree_cycle_pdf())
    results = dict(run_bounded(parse_in_worker, [zero, cycle], workers=2, time_budget=BUDGET_S))
    assert results[zero][0] == "unreadable"
    assert_one_line(results[zero][1])
    assert results[cycle][0] in ("record", "unreadable")


def test_ten_thousand_tiny_pages(tmp_path: Path) -> None:
    path = tmp_path / "tiny.pdf"
    path.write_bytes(hostile_files.tiny_pages_pdf(10_000))
    ((_, result),) = run_bounded(
        lambda p: parse_file(p, "pdf").page_count, [path], workers=1, time_budget=60, memory_limit=1 << 30
    )
    assert result == 10_000


@contextlib.contextmanager
def _no_fault_report():
    """Workers forked inside inherit pytest's faulthandler; an abort they are expected to die of stays quiet."""
    enabled = faulthandler.is_enabled()
    faulthandler.disable()
    try:
        yield
    finally:
        if enabled:
            faulthandler.enable(file=sys.__stderr__)


def test_decompression_bombs_fail_only_their_file(tmp_path: Path) -> None:
    """A 1 GiB flate stream in a PDF and a 1 GiB gzip mbox, against a 256 MB cap: each fails with a reason,
    the good file between them is read."""
    bomb_pdf, good, bomb_mbox = tmp_path / "bomb.pdf", tmp_path / "good.eml", tmp_path / "bomb.mbox.gz"
    bomb_pdf.write_bytes(hostile_files.flate_bomb_pdf(1 << 30))
    good.write_bytes(b"From: a@b.gov\nSubject: fine\n\nA good message.\n")
    bomb_mbox.write_bytes(hostile_files.gzip_bomb_mbox(1 << 30))
    candidates = [importing.Candidate(path, None) for path in (bomb_pdf, good, bomb_mbox)]
    read = functools.partial(importing._read, known=set())
    with _no_fault_report():  # the PDF's worker aborts on purpose: no "Fatal Python error" in the log
        results = run_bounded(read, candidates, workers=2, time_budget=60, memory_limit=256 << 20)
        pdf_result, good_result, mbox_result = (result for _candidate, result in results)
    assert isinstance(pdf_result, Stopped) and pdf_result.signal == signal.SIGABRT  # pdfium aborts at the cap
    assert isinstance(good_result, importing.Parsed) and "fine" in good_result.rows.messages[0]
    assert mbox_result == importing.Unread(TOO_LARGE, file_sha256(bomb_mbox))


def test_nested_rfc822_fifty_deep_imports_the_top_message(tmp_path: Path) -> None:
    path = tmp_path / "nested.eml"
    path.write_bytes(hostile_files.nested_rfc822(50))
    doc = check_parse(eml.parse, path, path.stat().st_size)
    assert doc is not None and doc.messages[0].subject == "level 49"
    assert doc.messages[0].attachments[0].name == "level 48.eml"


@pytest.mark.parametrize("depth", [1000, 5000])
def test_deep_nesting_ends_in_a_reason_not_a_recursion_error(tmp_path: Path, depth: int) -> None:
    for name, data in (
        ("rfc822", hostile_files.nested_rfc822(depth)),
        ("multi", hostile_files.nested_multipart(depth)),
    ):
        path = tmp_path / f"{name}.eml"
        path.write_bytes(data)
        check_parse(eml.parse, path, len(data))


@pytest.mark.parametrize("shape", sorted(hostile_files.HUGE_HEADERS))
def test_two_megabyte_headers_parse_in_linear_time(tmp_path: Path, shape: str) -> None:
    """Several of these once took minutes to hours (quadratic address splitting, parameter parsing, boundary
    regexes); each now takes a few seconds even on a loaded machine, so a 60 s guard catches a return to
    quadratic without failing when other work shares the cores (their speed is measured in benchmarks/)."""
    data = hostile_files.HUGE_HEADERS[shape](2 << 20)
    path = tmp_path / "huge.eml"
    path.write_bytes(data)
    check_parse(eml.parse, path, len(data), budget=60)


@pytest.mark.parametrize("tag", ["<ul><li>", "<ol><li>", "<blockquote>", "<dl><dd>"])
def test_deeply_nested_html_stays_linear(tmp_path: Path, tag: str) -> None:
    """html2text indents each level: 100,000 nested lists once meant gigabytes of spaces."""
    path = tmp_path / "deep.eml"
    data = b"From: a@b.gov\nSubject: html\nContent-Type: text/html\n\n" + tag.encode() * 100_000 + b"text"
    path.write_bytes(data)
    doc = check_parse(eml.parse, path, len(data))
    assert doc is not None and "text" in doc.messages[0].body


# --- the worker pool: time budget and memory cap --------------------------------------------------------


def misbehave(item: str) -> str:
    if item == "hang":
        time.sleep(3600)
    elif item.startswith("hang in a child:"):  # as a parser waiting on Tesseract would
        child = subprocess.Popen(["sleep", "3600"])
        Path(item.split(":", 1)[1]).write_text(str(child.pid))
        child.wait()
    elif item == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif item == "hog":
        return str(len(bytearray(8 << 30)))
    elif item == "raise":
        raise ValueError("a\nmulti-line message")
    return item.upper()


def running(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def test_pool_stops_hangs_and_deaths_and_keeps_order(tmp_path: Path) -> None:
    spawn = f"hang in a child:{tmp_path / 'pid'}"
    items = ["a", "hang", "b", "kill", "hog", "raise", spawn, *(f"x{n}" for n in range(40))]
    started = time.monotonic()
    results = list(run_bounded(misbehave, items, workers=2, time_budget=2, memory_limit=512 << 20))
    assert time.monotonic() - started < 30
    assert [item for item, _ in results] == items
    outcome = dict(results)
    assert outcome["hang"].timed_out and outcome["hang"].reason == "took longer than 2 s to read (stopped)"
    assert outcome["kill"].signal == signal.SIGKILL
    assert outcome["hog"] == Stopped(TOO_LARGE)
    assert outcome["raise"] == Stopped("could not be read (ValueError)")
    assert outcome[spawn].timed_out
    assert not running(int((tmp_path / "pid").read_text()))  # the worker's own children were stopped too
    assert all(outcome[item] == item.upper() for item in items[7:])


WORKER_SCRIPT = """
import os, sys, time
from foia_tui.services.workers import run_bounded

def work(item):
    with open(sys.argv[1], "a") as out:
        out.write(f"{os.getpid()}\\n")
    time.sleep(3600)

for _ in run_bounded(work, [1, 2], workers=2, time_budget=7200):
    pass
"""


def test_workers_end_with_a_killed_import(tmp_path: Path) -> None:
    """An import killed by SIGKILL (as the crash-safety loop does) leaves no worker reading on."""
    pids = tmp_path / "pids"
    pids.touch()
    process = subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT, str(pids)])
    deadline = time.monotonic() + 30
    while len(pids.read_text().split()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.kill()
    process.wait()
    workers = [int(pid) for pid in pids.read_text().split()]
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) == 2 and not any(running(pid) for pid in workers)


def test_pipeline_budget_kills_a_hung_parser_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parser that never returns, and one whose process dies, fail their own files only."""
    folder = tmp_path / "mail"
    write_good_mail(folder, "ok", 6)
    for name in ("hang.eml", "die.eml"):
        (folder / name).write_bytes(b"From: a@b.gov\nSubject: trap\n\n" + name.encode() + b"\n")
    real = importing.parse_file

    def trapped(path: Path, kind: str | None) -> DocumentRecord:
        if path.name == "hang.eml":
            time.sleep(3600)
        if path.name == "die.eml":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, kind)

    monkeypatch.setattr(importing, "parse_file", trapped)  # workers are forked: they see the patch
    monkeypatch.setattr(importing, "FILE_TIME_BUDGET_S", 2)
    archive = Archive.open(tmp_path / "a.db", create=True)
    summary = run_import(archive, [str(folder)], workers=2)
    reasons = {Path(f.file).name: f.reason for f in summary.failures}
    assert reasons == {
        "hang.eml": "took longer than 2 s to read (stopped)",
        "die.eml": "the reader process stopped (SIGKILL: killed, usually for using too much memory)",
    }
    assert summary.imported == 6
    failed = sql_rows(archive, "SELECT path, error FROM documents WHERE status = 'failed' ORDER BY path")
    assert [(Path(row["path"]).name, row["error"]) for row in failed] == sorted(reasons.items())


def test_a_hung_maildir_message_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Maildir messages are read many to a task; one that hangs its task is found, and fails alone."""
    box = tmp_path / "box"
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True)
    for n in range(40):
        (box / "cur" / f"{n:03d}:2,S").write_bytes(b"From: a@b.gov\nSubject: m%d\n\nbody %d\n" % (n, n))
    real = importing.parse_file

    def trapped(path: Path, kind: str | None) -> DocumentRecord:
        if path.name.startswith("007"):
            time.sleep(3600)
        return real(path, kind)

    monkeypatch.setattr(importing, "parse_file", trapped)
    monkeypatch.setattr(importing, "FILE_TIME_BUDGET_S", 2)
    archive = Archive.open(tmp_path / "a.db", create=True)
    summary = run_import(archive, [str(box)], workers=2)
    assert [(Path(f.file).name, f.reason) for f in summary.failures] == [
        ("007:2,S", "took longer than 2 s to read (stopped)")
    ]
    assert summary.imported == 39 and summary.messages_added == 39


# --- `foia import` of a mixed batch into an archive that already holds work ------------------------------


def write_good_mail(folder: Path, prefix: str, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        message = EmailMessage()
        message["From"] = f"Clerk {prefix} <{prefix}{n % 3}@agency.example.gov>"
        message["To"] = f"records-{prefix}@agency.example.gov"
        message["Subject"] = f"{prefix} report {n}"
        message["Date"] = f"Tue, {n + 1:02d} Jan 2019 10:00:00 -0500"
        message["Message-ID"] = f"<{prefix}.{n}@agency.example.gov>"
        message.set_content(f"{prefix} body number {n}: inspection results attached.")
        paths.append(folder / f"{prefix}-{n}.eml")
        paths[-1].write_bytes(bytes(message))
    return paths


def write_bad_files(folder: Path) -> list[Path]:
    """One of each kind of hostile file that cannot be imported."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(11)
    base = hostile_files.release_pdf(1)
    files = {
        "locked.pdf": hostile_files.encrypted_pdf("user-secret"),
        "truncated.pdf": base[: len(base) // 3],
        "zero-pages.pdf": hostile_files.zero_page_pdf(),
        "no-xref.pdf": b"%PDF-1.4\n" + rng.randbytes(3000),
        "deep.eml": hostile_files.nested_multipart(2000),
        "empty.eml": b"",
        "headerless.eml": b"just some text\nthat was saved as mail\n",
        "cut.mbox.gz": gzip.compress(b"From a@b Mon Apr  1 00:00:00 2019\nFrom: a@b\n\nx\n" * 50)[:40],
        "junk.mbox": b"From \n" + rng.randbytes(2000).replace(b"\n", b" "),
        "junk.bin": rng.randbytes(5000),
    }
    if hostile_files.outlook_msg():
        files["cut.msg"] = hostile_files.outlook_msg()[:3000]
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files]


def table_rows(db: Path) -> dict[str, set[tuple]]:
    """Every row of every table but SQLite's own and the FTS indexes' shadow tables."""
    conn = sqlite3.connect(db)
    try:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if not name.startswith(("sqlite_", "messages_fts", "messages_trigram"))
        ]
        return {table: set(conn.execute(f'SELECT * FROM "{table}"')) for table in tables}
    finally:
        conn.close()


def foia(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([FOIA, *args], capture_output=True, text=True, timeout=300, check=False)


def test_mixed_batch_imports_the_good_records_the_bad_and_changes_nothing_else(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    write_good_mail(tmp_path / "earlier", "earlier", 5)
    assert foia("import", str(tmp_path / "earlier"), "--db", str(db)).returncode == 0
    first = json.loads(foia("list", "--db", str(db), "--json").stdout.splitlines()[0])["id"]
    assert foia("tag", "add", "evidence", "--message", first, "--note", "kept", "--db", str(db)).returncode == 0
    before = table_rows(db)

    batch = tmp_path / "batch"
    good = write_good_mail(batch, "fresh", 8)
    release = batch / "release.pdf"
    write_release(release, random_release(5, 2))
    good.append(release)
    bad = write_bad_files(batch)
    done = foia("import", str(batch), "--db", str(db), "--json")

    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    assert {Path(f["file"]).name for f in summary["failures"]} == {path.name for path in bad}
    for failure in summary["failures"]:
        assert_one_line(failure["reason"])
        assert not failure["reason"].startswith(UNEXPECTED), failure
    after = table_rows(db)
    for table, rows in before.items():
        assert rows <= after[table], f"{table}: rows changed or lost"
    conn = sqlite3.connect(db)
    status = dict(conn.execute("SELECT path, status FROM documents"))
    errors = dict(conn.execute("SELECT path, error FROM documents WHERE status = 'failed'"))
    stored = conn.execute("SELECT count(*) FROM messages m JOIN documents d ON d.id = m.document_id "
                          "WHERE d.path = ?", (str(release),)).fetchone()[0]  # fmt: skip
    conn.close()
    assert all(status[str(path)] == "imported" for path in good)
    assert all(status[str(path)] == "failed" and errors[str(path)] for path in bad)
    assert stored > 0  # how well it is split is tests/test_pdf_importer.py's business
    assert summary["messages_added"] == 8 + stored
    assert consistency_problems(db, tags_expected=1) == []
