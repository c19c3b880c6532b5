"""Native-mail importers (eml, mbox, maildir, msg): generated mail with known truth, hostile files, real corpora."""

from __future__ import annotations

import gzip
import hashlib
import random
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers import eml, maildir, mbox, msg
from importers.detect import sniff_kind
from importers.mailparts import (
    MAX_HTML_NESTING,
    decode_words,
    html_to_text,
    message_record,
    parse_bytes,
    split_addresses,
)
from importers.records import Address, UnreadableFile
from tests.support import hostile_files, mailgen

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

FULL_MESSAGE = (
    b"From: =?utf-8?q?Doe=2C_Jane_=28OAG=29?= <jane.doe@oag.example.gov>\n"
    b'To: Doe, John <jd@x.example.gov>, "Roe, Richard" <rr@x.example.gov>,\n'
    b"\tplain@x.example.gov\n"
    b"Cc: =?gb2312?B?1tC5+g==?= <china@x.example.cn>\n"
    b"Bcc: records@x.example.gov\n"
    b"Reply-To: Clerk <clerk@x.example.gov>\n"
    b"Date: Tue, 04 Dec 2018 15:14:00 -0500\n"
    b"Subject: =?utf-8?q?Re=3A_Caf=C3=A9_budget?= =?utf-8?b?IOKAkyBkcmFmdA==?=\n"
    b"Message-ID: <abc.123@oag.example.gov>\n"
    b"In-Reply-To: <parent.1@x.example.gov> (Jane's message of Monday)\n"
    b"References: <root.0@x.example.gov>,<parent.1@x.example.gov>\n"
    b"MIME-Version: 1.0\n"
    b'Content-Type: multipart/mixed; boundary="OUTER"\n\n'
    b"--OUTER\n"
    b'Content-Type: multipart/alternative; boundary="ALT"\n\n'
    b"--ALT\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
    b"Plain body: caf=C3=A9.\n"
    b"--ALT\nContent-Type: text/html; charset=utf-8\n\n<p>HTML body</p>\n"
    b"--ALT--\n"
    b'--OUTER\nContent-Type: application/pdf; name="letter.pdf"\nContent-Transfer-Encoding: base64\n'
    b'Content-Disposition: attachment; filename="letter.pdf"\n\n'
    + __import__("base64").encodebytes(PDF)
    + b"--OUTER\nContent-Type: application/msword\nContent-Transfer-Encoding: base64\n"
    b"Content-Disposition: attachment; filename*=utf-8''M%C3%A9mo%20final.doc\n\n"
    b"RE9DIGJ5dGVz\n"
    b'--OUTER\nContent-Type: text/plain\nContent-Disposition: attachment; filename="../../etc/passwd"\n\n'
    b"root:x:0:0\n"
    b"--OUTER--\n"
)


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return mailgen.write_bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="module")
def threads() -> list:
    return mailgen.corpus(300, seed=3)


def corpus_dir(name: str) -> Path:
    folder = CORPORA / name
    if not folder.is_dir():
        pytest.skip(f"corpus {name} not present at {folder}")
    return folder


# --- eml: every header, body choice, attachments -------------------------------------------------


def test_eml_reads_every_header(tmp_path: Path) -> None:
    path = tmp_path / "full.eml"
    path.write_bytes(FULL_MESSAGE)
    doc = eml.parse(path)
    assert (doc.kind, doc.path, doc.sha256) == ("eml", str(path), hashlib.sha256(FULL_MESSAGE).hexdigest())
    [m] = doc.messages
    assert (m.ordinal, m.copy_kind) == (0, "native")
    assert m.sender == Address(
        "Doe, Jane (OAG)", "jane.doe@oag.example.gov", "Doe, Jane (OAG) <jane.doe@oag.example.gov>"
    )
    assert [(a.name, a.email) for a in m.to] == [
        ("Doe, John", "jd@x.example.gov"),
        ("Roe, Richard", "rr@x.example.gov"),
        (None, "plain@x.example.gov"),
    ]
    assert [(a.name, a.email) for a in m.cc] == [("中国", "china@x.example.cn")]
    assert [a.email for a in m.bcc] == ["records@x.example.gov"]
    assert [(a.name, a.email) for a in m.reply_to] == [("Clerk", "clerk@x.example.gov")]
    assert m.sent == "2018-12-04T15:14:00-05:00"
    assert m.date_text == "Tue, 04 Dec 2018 15:14:00 -0500"
    assert m.subject == "Re: Café budget – draft"
    assert m.message_id == "abc.123@oag.example.gov"
    assert m.in_reply_to == "parent.1@x.example.gov"
    assert m.references == ["root.0@x.example.gov", "parent.1@x.example.gov"]
    assert m.body == "Plain body: café."  # text/plain chosen over the HTML alternative


def test_eml_attachments_hash_size_and_pdf_bytes(tmp_path: Path) -> None:
    path = tmp_path / "full.eml"
    path.write_bytes(FULL_MESSAGE)
    pdf, doc_file, passwd = eml.parse(path).messages[0].attachments
    assert (pdf.name, pdf.content_type, pdf.size) == ("letter.pdf", "application/pdf", len(PDF))
    assert pdf.sha256 == hashlib.sha256(PDF).hexdigest() and pdf.data == PDF
    assert (doc_file.name, doc_file.size, doc_file.data) == ("Mémo final.doc", 9, None)
    assert doc_file.sha256 == hashlib.sha256(b"DOC bytes").hexdigest()
    assert passwd.name == "passwd"  # no directory parts survive in a name


def test_html_only_body_is_converted_to_text(tmp_path: Path) -> None:
    path = tmp_path / "html.eml"
    path.write_bytes(
        b"From: a@b.gov\nSubject: html\nContent-Type: text/html; charset=utf-8\n\n"
        b"<html><body><p>First <b>bold</b> paragraph.</p><p>Second&nbsp;one &amp; more</p></body></html>\n"
    )
    body = eml.parse(path).messages[0].body
    assert "First **bold** paragraph." in body and "Second one & more" in body and "<p>" not in body


def test_empty_plain_alternative_falls_back_to_html(tmp_path: Path) -> None:
    path = tmp_path / "alt.eml"
    path.write_bytes(
        b'From: a@b.gov\nSubject: alt\nContent-Type: multipart/alternative; boundary="A"\n\n'
        b"--A\nContent-Type: text/plain\n\n\n--A\nContent-Type: text/html\n\n<b>Only here</b>\n--A--\n"
    )
    assert eml.parse(path).messages[0].body == "**Only here**"


def test_generated_conversations_match_truth(tmp_path: Path, threads: list) -> None:
    truths = mailgen.write_eml(tmp_path, threads)
    for truth in truths:
        m = eml.parse(truth.path).messages[0]
        assert (m.message_id, m.subject, m.sent) == (truth.message_id, truth.subject, truth.sent)
        assert m.sender.email == truth.sender and tuple(a.email for a in m.to) == truth.to
        assert m.in_reply_to == (None if truth.stripped else truth.parent)
        assert (m.references == []) == (truth.stripped or truth.parent is None)
        assert m.body.startswith(truth.body)


def test_mailgen_corpus_has_the_hard_cases(threads: list) -> None:
    truths = [truth for _, truth in threads]
    assert len(truths) == 300
    assert any(t.stripped for t in truths) and all(t.parent for t in truths if t.stripped)
    shared = {}
    for t in truths:
        if t.parent is None:
            shared.setdefault(t.subject, set()).add(t.thread)
    assert any(len(thread_ids) > 1 for thread_ids in shared.values())  # unrelated threads, same subject


# --- hostile input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.eml", "empty file"),
        ("blank.eml", "empty file"),
        ("no_headers.eml", "not an email message (no headers)"),
        ("junk.eml", "not an email message (no headers)"),
    ],
)
def test_unreadable_single_messages(bad: dict[str, Path], name: str, reason: str) -> None:
    with pytest.raises(UnreadableFile, match=rf"^{re.escape(reason)}$"):
        eml.parse(bad[name])


def test_junk_after_a_header_line_yields_what_can_be_read(bad: dict[str, Path]) -> None:
    m = eml.parse(bad["junk_with_header_line.eml"]).messages[0]
    assert m.subject == "x" and "\x00" not in m.body


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("broken_boundary.eml", "Text behind the wrong boundary."),
        ("unclosed_boundary.eml", "First part, never closed."),
    ],
)
def test_broken_mime_boundaries_keep_the_text(bad: dict[str, Path], name: str, text: str) -> None:
    doc = eml.parse(bad[name])
    assert doc.messages[0].body == text
    assert doc.warnings and all(w.startswith("broken MIME structure") for w in doc.warnings)


def test_eight_bit_headers(bad: dict[str, Path]) -> None:
    m = eml.parse(bad["eight_bit_headers.eml"]).messages[0]
    assert m.subject == "Résumé für das Café"
    assert m.sender.name == "Renée Dupré"
    assert m.to[0].name == "José"  # a latin-1 byte among UTF-8 headers
    assert m.sent == "2018-03-05T09:00:00+01:00"


@pytest.mark.parametrize(
    ("name", "body"),
    [("wrong_charset.eml", "Café crème"), ("unknown_charset.eml", "naïve"), ("codec_charset.eml", "plain text")],
)
def test_bodies_decode_whatever_the_declared_charset(bad: dict[str, Path], name: str, body: str) -> None:
    assert eml.parse(bad[name]).messages[0].body == body


def test_nul_bytes_are_stripped(bad: dict[str, Path]) -> None:
    m = eml.parse(bad["nul_bytes.eml"]).messages[0]
    assert (m.subject, m.body) == ("nulhere", "bodywithnuls")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("not_ole.msg", re.escape("not an Outlook .msg file (no OLE header)")),
        ("empty.msg", "empty file"),
        ("fake_ole.msg", r"unreadable Outlook \.msg file \(.+\)"),
    ],
)
def test_unreadable_msg_files(bad: dict[str, Path], name: str, reason: str) -> None:
    with pytest.raises(UnreadableFile, match=rf"^{reason}$"):
        msg.parse(bad[name])


def test_fifty_megabyte_attachment_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "big.eml"
    size = 50 * 1024 * 1024
    sha = mailgen.write_big_attachment(path, size)
    # Run in a child so its peak memory is its own: the file is ~70 MB of base64.
    script = (
        "import resource, sys; from importers import eml\n"
        f"[a] = eml.parse({str(path)!r}).messages[0].attachments\n"
        "print(a.name, a.size, a.sha256, a.data is None, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    name, got_size, got_sha, no_data, peak_kb = out.split()
    assert (name, int(got_size), got_sha, no_data) == ("scan.bin", size, sha, "True")
    # The stdlib parser keeps the base64 text (and briefly its lines); no decoded copy on top of that.
    assert int(peak_kb) * 1024 < 4 * path.stat().st_size


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_messages_parse_or_raise_unreadable(data: st.DataObject) -> None:
    raw = bytearray(FULL_MESSAGE)
    for _ in range(data.draw(st.integers(1, 12))):
        at = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(("flip", "cut", "insert")))
        if action == "flip":
            raw[at] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del raw[at : at + data.draw(st.integers(1, 200))]
        else:
            raw[at:at] = data.draw(st.binary(max_size=40))
        if not raw:
            return
    try:
        message_record(parse_bytes(bytes(raw)), 0)
    except UnreadableFile as exc:
        assert "\n" not in str(exc)


@given(st.text(max_size=200))
def test_header_decoders_never_fail(text: str) -> None:
    decode_words(text)
    for address in split_addresses(text):
        assert address.raw


# --- mbox ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("compress", [False, True])
def test_mbox_generated_threads(tmp_path: Path, threads: list, compress: bool) -> None:
    path = tmp_path / ("threads.mbox.gz" if compress else "threads.mbox")
    truths = mailgen.write_mbox(path, threads, compress=compress)
    doc = mbox.parse(path)
    assert (doc.kind, doc.warnings) == ("mbox", [])
    assert [m.ordinal for m in doc.messages] == list(range(len(truths)))
    assert [m.message_id for m in doc.messages] == [t.message_id for t in truths]
    assert [m.in_reply_to for m in doc.messages] == [None if t.stripped else t.parent for t in truths]
    assert sniff_kind(path) == "mbox"


def test_mbox_body_lines_starting_with_from(bad: dict[str, Path]) -> None:
    first, second = mbox.parse(bad["body_from.mbox"]).messages
    assert first.body == (
        "From here on, a body line starts with From.\nFrom the quoted line.\n>From a doubly quoted line."
    )
    assert (second.subject, second.body, second.ordinal) == ("second", "Second body.", 1)


def test_mbox_from_lines_written_by_mailgen_round_trip(tmp_path: Path) -> None:
    message = mailgen.make_message(
        message_id="x@y",
        subject="quoting",
        sender=("A", "a@b.gov"),
        to=[("B", "b@b.gov")],
        sent=datetime(2018, 1, 2, 3, 4, 5, tzinfo=UTC),
        body="From the start.\n>From quoted.\n",
    )
    path = tmp_path / "q.mbox"
    path.write_bytes(mailgen.mbox_bytes([message, message]))
    bodies = [m.body for m in mbox.parse(path).messages]
    assert bodies == ["From the start.\n>From quoted."] * 2


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("not_mbox.mbox", "not an mbox file \\(no 'From ' line at the start\\)"),
        ("empty.mbox", "empty file"),
        ("corrupt.mbox.gz", "cannot read mbox .*"),
    ],
)
def test_unreadable_mbox_files(bad: dict[str, Path], name: str, reason: str) -> None:
    with pytest.raises(UnreadableFile, match=rf"^{reason}$"):
        mbox.parse(bad[name])


def test_truncated_gzip_mbox_keeps_what_was_read(tmp_path: Path, threads: list) -> None:
    data = gzip.compress(mailgen.mbox_bytes([m for m, _ in threads]))
    path = tmp_path / "cut.mbox.gz"
    path.write_bytes(data[: len(data) // 2])
    doc = mbox.parse(path)
    assert 0 < len(doc.messages) < len(threads) and doc.warnings[-1].startswith("file ends early")


def test_mbox_message_without_headers_is_skipped_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "mixed.mbox"
    path.write_bytes(
        b"From a@b Mon Mar  5 09:00:00 2018\nSubject: one\n\nbody one\n\n"
        b"From a@b Mon Mar  5 09:01:00 2018\njust text, no headers\n\n"
        b"From a@b Mon Mar  5 09:02:00 2018\nSubject: three\n\nbody three\n"
    )
    doc = mbox.parse(path)
    assert [(m.ordinal, m.subject) for m in doc.messages] == [(0, "one"), (2, "three")]
    assert doc.warnings == ["message 2: no email headers found"]


# --- maildir -------------------------------------------------------------------------------------


def test_maildir_files_and_truth(tmp_path: Path, threads: list) -> None:
    root = tmp_path / "Mail"
    truths = mailgen.write_maildir(root, threads)
    (root / "tmp" / "partial").write_bytes(b"From: half-delivered")
    (root / "cur" / ".hidden").write_bytes(b"x")
    files = maildir.message_files(root)
    assert files == sorted(t.path for t in truths if t.path.parent.name == "cur") + sorted(
        t.path for t in truths if t.path.parent.name == "new"
    )
    assert maildir.is_maildir(root)
    by_path = {t.path: t for t in truths}
    for path in files[:50]:
        doc = maildir.parse(path)
        assert doc.kind == "maildir" and doc.messages[0].message_id == by_path[path].message_id


def test_folder_with_new_subfolder_of_pdfs_is_not_a_maildir(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "scan.pdf").write_bytes(PDF)
    assert not maildir.is_maildir(tmp_path)
    assert not maildir.is_maildir(tmp_path / "new")


# --- real corpora --------------------------------------------------------------------------------


def test_fedora_mbox_has_292_messages() -> None:
    [path] = corpus_dir("fedora-devel-mbox").glob("2010-January.txt.gz")
    assert sniff_kind(path) == "mbox"
    doc = mbox.parse(path)
    assert len(doc.messages) == 292 and doc.warnings == []
    assert all(m.message_id and m.sender and m.sent and m.body for m in doc.messages)
    assert doc.messages[0].sent == "2010-01-01T09:20:34+05:30"
    assert sum(1 for m in doc.messages if m.in_reply_to) > 200


def test_notmuch_corpus_every_file_reads() -> None:
    root = corpus_dir("notmuch")
    maildirs = [d for d in [root, *root.rglob("*")] if d.is_dir() and maildir.is_maildir(d)]
    in_maildirs = {f for d in maildirs for f in maildir.message_files(d)}
    assert len(maildir.message_files(root / "lkml")) == 210
    loose = [
        p for p in root.rglob("*") if p.is_file() and p not in in_maildirs and p.name not in ("README", "SOURCE.txt")
    ]
    unreadable = []
    for path in sorted(in_maildirs) + loose:
        try:
            doc = maildir.parse(path) if path in in_maildirs else eml.parse(path)
        except UnreadableFile as exc:
            unreadable.append((path.name, str(exc)))
            continue
        assert doc.messages[0].message_id or doc.messages[0].sender
    assert unreadable == []


def test_mail_parser_corpus_every_file_reads() -> None:
    root = corpus_dir("mail-parser")
    files = sorted(p for p in root.iterdir() if p.name.startswith("mail_"))
    assert len(files) == 16
    docs = {p.name: (msg.parse(p) if p.name == "mail_outlook_1" else eml.parse(p)) for p in files}
    assert docs["mail_test_12"].messages[0].subject == "代开各地增值税发票"
    assert docs["mail_test_18"].messages[0].sender.name == "LastßlName, FirstName"
    assert docs["mail_test_19"].messages[0].sender == Address(
        "alice@example.com", "bob@example.com", "alice@example.com <bob@example.com>"
    )
    outlook = docs["mail_outlook_1"]
    assert outlook.kind == "msg"
    [m] = outlook.messages
    assert m.subject == "Newsletter Prüfung Personalwesen / Prüfung Eröffnungsbilanz"
    assert m.sent == "2017-09-18T12:00:18+02:00" and m.message_id == "20170918100018.6AE0948009C@www.w-vwa.de"
    assert "Sehr geehrte Frau Gaiser-Schönenborn" in m.body and len(m.attachments) == 5
    with pytest.raises(UnreadableFile, match="no OLE header"):
        msg.parse(root / "mail_test_2")


def test_dc_bega_release_every_eml_reads() -> None:
    root = corpus_dir("dc-bega-foia")
    messages = [eml.parse(p).messages[0] for p in sorted(root.rglob("*.eml"))]
    assert len(messages) == 345
    # Ground truth from the corpus notes: header counts, and 86 In-Reply-To inside the release.
    assert sum(1 for m in messages if m.message_id) == 321
    assert sum(1 for m in messages if m.in_reply_to) == 200
    assert sum(1 for m in messages if m.references) == 235
    ids = {m.message_id for m in messages}
    assert sum(1 for m in messages if m.in_reply_to and m.in_reply_to in ids) == 86
    pdfs = [a for m in messages for a in m.attachments if a.data is not None]
    assert len(pdfs) == 50  # including ones whose headers the converter broke or padded per line
    assert all(a.data.startswith(b"%PDF-") and a.data.rstrip().endswith(b"%%EOF") for a in pdfs)
    assert all(a.sha256 == hashlib.sha256(a.data).hexdigest() for a in pdfs)


def test_html_quoted_as_deep_as_allowed_stays_in_proportion(tmp_path):
    """Found by the fuzz test (seed 2909): quotes nested to the limit, then 22 KB of bytes with many line breaks;
    html2text indented every line by every level, 310 KB of text. Such output falls back to the text without tags."""
    _label, _name, data = hostile_files.mbox_case(random.Random(2909), big=False)
    assert data.count(b"<blockquote>") == MAX_HTML_NESTING
    path = tmp_path / "deep.mbox"
    path.write_bytes(data)
    (message,) = mbox.parse(path).messages
    assert len(message.body) <= 4 * len(data) + 65_536
    assert html_to_text("<blockquote><p>Hi <b>there</b></p></blockquote>").strip() == "> Hi **there**"
