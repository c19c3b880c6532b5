"""The fast path for plain messages (importers.plain_mail) reads exactly what the email package reads.

Every message it accepts must give the same record as the full compat32 parse; messages it cannot vouch for
must go the full way. Messages are built from the pieces that decide between the two: header names and
values, folding, line ends, Content-* variants, 8-bit bytes, quoted-printable and base64 bodies.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.mailparts import _plain_record, message_record, parse_bytes, parse_message_file
from importers.plain_mail import split_plain
from importers.records import MessageRecord, UnreadableFile

NAMES = ["From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "X-Note", "from", "TO"]
CONTENT = [
    ("Content-Type", "text/plain"),
    ("Content-Type", 'text/plain; charset="utf-8"'),
    ("Content-Type", "text/plain; charset=iso-8859-1; format=flowed"),
    ("Content-Type", "TEXT/PLAIN;\n\tcharset=us-ascii"),
    ("Content-Type", 'text/plain; charset=""'),
    ("Content-Type", "text/plain; name=notes.txt"),
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Type", "multipart/mixed; boundary=xyz"),
    ("Content-Type", "text"),
    ("Content-Transfer-Encoding", "quoted-printable"),
    ("Content-Transfer-Encoding", "Quoted-Printable "),
    ("Content-Transfer-Encoding", "base64"),
    ("Content-Transfer-Encoding", " BASE64"),
    ("Content-Transfer-Encoding", "8bit"),
    ("Content-Transfer-Encoding", "x-uuencode"),
    ("Content-Disposition", "inline"),
]
VALUE_PIECES = [
    "Jane Roe <jane@example.gov>",
    '"Doe, John" <"jd@x.gov">',
    "=?utf-8?q?=C3=89mile?= <e@x.fr>",
    "a@b.gov (Name)",
    "<id1@host>",
    "group: a@b, c@d;",
    "Re: budget",
    "Tue, 4 Dec 2018 15:14:00 -0500",
    "",
    " ",
    "\\",
    ":",
    ",",
    "(",
]
BODY_PIECES = [b"Hello", b"caf\xc3\xa9", b"\xe9t\xe9", b"=C3=A9", b"soft=\n", b"=", b"\x00", b"\r", b"From me", b"  "]


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    end = draw(st.sampled_from([b"\n", b"\r\n"]))
    headers = draw(
        st.lists(
            st.one_of(
                st.tuples(st.sampled_from(NAMES), st.lists(st.sampled_from(VALUE_PIECES), max_size=3).map(" ".join)),
                st.sampled_from(CONTENT),
            ),
            min_size=1,
            max_size=8,
        )
    )
    lines = []
    for name, value in headers:
        folded = value.replace("\n", end.decode()) if draw(st.booleans()) else value.replace("\n", " ")
        lines.append(f"{name}: {folded}".encode() + end)
        if draw(st.integers(0, 5)) == 0:  # a continuation line, sometimes only blanks
            lines.append(draw(st.sampled_from([b" more", b"\t", b" "])) + end)
    if draw(st.integers(0, 20)) == 0:
        lines.insert(
            draw(st.integers(0, len(lines))), draw(st.sampled_from([b"From me", b":x", b" lead", b"Bad line"])) + end
        )
    body = end.join(draw(st.lists(st.sampled_from(BODY_PIECES), max_size=6)))
    if any(value.strip().lower() == "base64" for name, value in headers if name == "Content-Transfer-Encoding"):
        body = base64.encodebytes(body) + draw(st.sampled_from([b"", b"!!", b"=="]))
    return b"".join(lines) + end + body


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages())
def test_a_message_taken_the_fast_way_reads_as_the_email_package_reads_it(data: bytes) -> None:
    plain = split_plain(data)
    if plain is None:
        return
    assert _outcome(lambda: _plain_record(plain)) == _outcome(lambda: message_record(parse_bytes(data), 0))


def _outcome(read: Callable[[], MessageRecord]) -> MessageRecord | str:
    try:
        return read()
    except UnreadableFile as error:
        return f"unreadable: {error}"


def test_the_fast_way_takes_plain_text_and_leaves_the_rest() -> None:
    plain = b"From: a@b.gov\nSubject: hi\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9\n"
    assert split_plain(plain) is not None
    for other in (
        b"From: a@b.gov\nContent-Type: text/html\n\n<p>x</p>\n",  # not plain text
        b"From: a@b.gov\nContent-Disposition: attachment; filename=a.txt\n\nx\n",  # a file
        b"From: a@b.gov\nSubject: caf\xc3\xa9\n\nx\n",  # 8-bit header
        b"From: a@b.gov\nSubject: x\n",  # no blank line ends the headers
        b"From someone Tue Dec 4\nFrom: a@b.gov\n\nx\n",  # an mbox envelope line
        b"From: a@b.gov\nContent-Transfer-Encoding: uuencode\n\nbegin 644 a\n",
    ):
        assert split_plain(other) is None


def test_a_long_line_that_is_no_header_is_turned_down_in_linear_time(tmp_path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(b"From: a@b.gov\n" + b"A" * 900_000 + b"\n\nbody\n")
    assert split_plain(path.read_bytes()) is None
    record = parse_message_file(path, "eml").messages[0]  # the full parser reads it as it always did
    assert record.sender is not None and record.sender.email == "a@b.gov"
