"""Generated mail with known ground truth, for importer, threading and benchmark tests.

Conversations are reply trees. Some replies lose In-Reply-To/References (as mail re-exported by an agency
often does) but keep "Re:" and a quoted parent; unrelated conversations can share a subject. Every
generated message comes with a MailTruth saying which conversation it belongs to and what it replies to.
Also here: hostile files (empty, junk, broken MIME, 8-bit headers, ...) and a streamed big attachment.
"""

from __future__ import annotations

import base64
import dataclasses
import gzip
import hashlib
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

DOMAIN = "mailgen.example.gov"
PEOPLE = (
    ("Alice Moreno", "alice.moreno@agency.example.gov", -5),
    ("Brian Okafor", "bokafor@agency.example.gov", -5),
    ("Carla Nuñez", "carla.nunez@council.example.gov", -4),
    ("Doe, John (OAG)", "john.doe@oag.example.gov", -5),
    ("Émile Durand", "emile.durand@partner.example.fr", 1),
    ("Fatima Rahman", "f.rahman@city.example.gov", 0),
    ("Gopal Iyer", "gopal.iyer@vendor.example.in", 5.5),
    ("Hannah Schmidt", "hschmidt@press.example.de", 1),
    ("Ivan Petrov", "ivan.petrov@example.org", 3),
    ("June Park", "june.park@agency.example.gov", -8),
)
TOPICS = (
    "Budget question",
    "Draft letter to the board",
    "Records request status",
    "Press inquiry about the contract",
    "Quorum legislation",
    "Año fiscal: presupuesto revisado",
    "Agenda for Thursday",
    "Vendor invoice",
)
# Subjects several unrelated conversations use, so threading by subject alone must fail on them.
SHARED_SUBJECTS = ("Meeting", "Question", "Follow up")
PHRASES = (
    "the board asked whether we can release the draft",
    "before the hearing",
    "who signed off on the contract amendment",
    "we still need the invoice numbers from finance",
    "please confirm the meeting time",
    "send the redacted copy to counsel",
    "the records officer said the request is overdue",
    "as discussed on the call",
)


@dataclass(frozen=True)
class MailTruth:
    """What a generated message is: the ground truth tests compare importer output with."""

    message_id: str  # without angle brackets, as the importers give it
    thread: int  # conversation number: equal for messages of one conversation, and only for them
    parent: str | None  # message_id of the message this one replies to
    subject: str
    sender: str
    to: tuple[str, ...]
    sent: str  # ISO 8601 with offset
    body: str  # what the author wrote, without the quoted parent
    stripped: bool  # In-Reply-To/References removed from the headers
    path: Path | None = None


def make_message(
    *,
    message_id: str,
    subject: str,
    sender: tuple[str, str],
    to: list[tuple[str, str]],
    sent: datetime,
    body: str,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
) -> EmailMessage:
    """An EmailMessage with the usual headers; ids given without angle brackets."""
    msg = EmailMessage()
    msg["From"] = Address(*sender)  # Address objects skip the slow header parser
    msg["To"] = [Address(*person) for person in to]
    msg["Subject"] = subject
    msg["Date"] = format_datetime(sent)
    msg["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        msg["References"] = " ".join(f"<{ref}>" for ref in references)
    msg.set_content(body)
    return msg


def _person(index: int) -> tuple[tuple[str, str], timezone]:
    name, email, hours = PEOPLE[index]
    return (name, email), timezone(timedelta(hours=hours))


def _sentences(rng: random.Random, count: int) -> str:
    lines = []
    for _ in range(count):
        lines.append(" ".join(rng.sample(PHRASES, k=rng.randint(1, 3))).capitalize() + ".")
    return "\n".join(lines)


def conversation(
    thread: int,
    subject: str,
    start: datetime,
    size: int,
    rng: random.Random,
    strip_rate: float = 0.0,
) -> list[tuple[EmailMessage, MailTruth]]:
    """One conversation of `size` messages: a root and replies to random earlier messages."""
    people = rng.sample(range(len(PEOPLE)), k=min(len(PEOPLE), rng.randint(2, 4)))
    mails: list[tuple[EmailMessage, MailTruth]] = []
    texts: dict[str, str] = {}  # full body of each message, for quoting
    when = start
    for number in range(size):
        sender, zone = _person(people[number % len(people)])
        recipients = [_person(p)[0] for p in people if _person(p)[0] != sender]
        message_id = f"t{thread}.m{number}@{DOMAIN}"
        written = _sentences(rng, rng.randint(1, 4))
        sent = when.astimezone(zone).replace(microsecond=0)
        if number == 0:
            parent = None
            body = written
            references: list[str] = []
            full_subject = subject
        else:
            parent_msg, parent_truth = mails[rng.randrange(len(mails))]
            parent = parent_truth.message_id
            quoted = "\n".join(f"> {line}" for line in texts[parent].splitlines()[:40])
            parent_name, parent_email = _address_parts(parent_msg)
            body = f"{written}\n\nOn {parent_msg['Date']}, {parent_name} <{parent_email}> wrote:\n{quoted}"
            references = [*re.findall(r"<([^>]+)>", str(parent_msg.get("References", ""))), parent]
            full_subject = f"Re: {subject}"
        stripped = number > 0 and rng.random() < strip_rate
        msg = make_message(
            message_id=message_id,
            subject=full_subject,
            sender=sender,
            to=recipients,
            sent=sent,
            body=body,
            in_reply_to=None if stripped or parent is None else parent,
            references=None if stripped else references,
        )
        texts[message_id] = body
        truth = MailTruth(
            message_id=message_id,
            thread=thread,
            parent=parent,
            subject=full_subject,
            sender=sender[1],
            to=tuple(email for _, email in recipients),
            sent=sent.isoformat(),
            body=written,
            stripped=stripped,
        )
        mails.append((msg, truth))
        when += timedelta(minutes=rng.randint(5, 3000))
    return mails


def _address_parts(msg: EmailMessage) -> tuple[str, str]:
    address = msg["From"].addresses[0]
    return address.display_name, address.addr_spec


def corpus(
    count: int, seed: int = 0, strip_rate: float = 0.15, shared_subject_rate: float = 0.2
) -> list[tuple[EmailMessage, MailTruth]]:
    """`count` messages in conversations of 1 to 12, in sending order per conversation."""
    rng = random.Random(seed)
    mails: list[tuple[EmailMessage, MailTruth]] = []
    thread = 0
    while len(mails) < count:
        if rng.random() < shared_subject_rate:
            subject = rng.choice(SHARED_SUBJECTS)
        else:
            subject = f"{rng.choice(TOPICS)} ({thread})"
        start = datetime(2017, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 3 * 525_600))
        size = min(count - len(mails), rng.choice((1, 1, 2, 3, 3, 4, 5, 6, 8, 12)))
        mails.extend(conversation(thread, subject, start, size, rng, strip_rate))
        thread += 1
    return mails


def write_eml(directory: Path, mails: list[tuple[EmailMessage, MailTruth]]) -> list[MailTruth]:
    """One .eml per message; the truths come back with their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    truths = []
    for number, (msg, truth) in enumerate(mails):
        path = directory / f"{number:06d}.eml"
        path.write_bytes(msg.as_bytes())
        truths.append(dataclasses.replace(truth, path=path))
    return truths


def write_maildir(directory: Path, mails: list[tuple[EmailMessage, MailTruth]], new_every: int = 7) -> list[MailTruth]:
    """A maildir (cur/, new/, tmp/); every `new_every`-th message is left unread in new/."""
    for sub in ("cur", "new", "tmp"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    truths = []
    for number, (msg, truth) in enumerate(mails):
        unread = number % new_every == new_every - 1
        name = f"{1500000000 + number}.M{number}P1.mailgen"
        path = directory / "new" / name if unread else directory / "cur" / f"{name}:2,S"
        path.write_bytes(msg.as_bytes())
        truths.append(dataclasses.replace(truth, path=path))
    return truths


def mbox_bytes(mails: list[EmailMessage]) -> bytes:
    """An mboxrd file: "From " separators, body lines matching ^>*From quoted with one more ">"."""
    out = []
    for msg in mails:
        sender = msg["From"].addresses[0].addr_spec if msg["From"] else "MAILER-DAEMON"
        date = msg["Date"].datetime if msg["Date"] else datetime(2000, 1, 1)
        out.append(f"From {sender} {date.strftime('%a %b %d %H:%M:%S %Y')}\n".encode())
        raw = re.sub(rb"(?m)^(>*From )", rb">\1", msg.as_bytes())
        out.append(raw if raw.endswith(b"\n") else raw + b"\n")
        out.append(b"\n")
    return b"".join(out)


def write_mbox(path: Path, mails: list[tuple[EmailMessage, MailTruth]], compress: bool = False) -> list[MailTruth]:
    """All messages in one mbox (gzip-compressed when asked); truths carry the mbox path."""
    data = mbox_bytes([msg for msg, _ in mails])
    path.write_bytes(gzip.compress(data) if compress else data)
    return [dataclasses.replace(truth, path=path) for _, truth in mails]


def write_big_attachment(path: Path, size: int, filename: str = "scan.bin") -> str:
    """An .eml carrying a `size`-byte base64 attachment, written a slice at a time; returns its sha256."""
    digest = hashlib.sha256()
    rng = random.Random(size)
    slice_size = 57 * 20_000  # whole 76-character base64 lines per slice
    with path.open("wb") as out:
        out.write(
            b"From: Scanner <scanner@agency.example.gov>\nTo: records@agency.example.gov\n"
            b"Subject: Big scan\nDate: Tue, 04 Dec 2018 15:14:00 -0500\nMessage-ID: <big@agency.example.gov>\n"
            b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="BIG"\n\n--BIG\n'
            b"Content-Type: text/plain\n\nThe scan is attached.\n\n--BIG\nContent-Type: application/octet-stream\n"
            b'Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="'
            + filename.encode()
            + b'"\n\n'
        )
        remaining = size
        while remaining:
            chunk = rng.randbytes(min(slice_size, remaining))
            remaining -= len(chunk)
            digest.update(chunk)
            out.write(base64.encodebytes(chunk))
        out.write(b"\n--BIG--\n")
    return digest.hexdigest()


def write_bad_inputs(directory: Path) -> dict[str, Path]:
    """Hostile files, by name: each must parse to what can be read or raise UnreadableFile."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    header = (
        b"From: Alice <alice@agency.example.gov>\nTo: bob@agency.example.gov\nDate: Mon, 5 Mar 2018 09:00:00 -0500\n"
    )
    files = {
        "empty.eml": b"",
        "blank.eml": b"\n\n  \n",
        "no_headers.eml": b"Just a note that was saved as mail.\nNo headers at all.\n",
        "junk.eml": rng.randbytes(4000),
        "junk_with_header_line.eml": b"Subject: x\n" + bytes(range(256)) * 4,
        "broken_boundary.eml": header
        + b'Subject: broken\nContent-Type: multipart/mixed; boundary="DECLARED"\n\n--ACTUAL\n'
        b"Content-Type: text/plain\n\nText behind the wrong boundary.\n--ACTUAL--\n",
        "unclosed_boundary.eml": header
        + b'Subject: unclosed\nContent-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\n'
        b"First part, never closed.\n",
        "eight_bit_headers.eml": b"From: Ren\xc3\xa9e Dupr\xc3\xa9 <renee@example.fr>\nTo: Jos\xe9 <jose@example.es>\n"
        b"Subject: R\xc3\xa9sum\xc3\xa9 f\xc3\xbcr das Caf\xc3\xa9\nDate: Mon, 5 Mar 2018 09:00:00 +0100\n\nBody.\n",
        "wrong_charset.eml": header
        + b"Subject: charset\nContent-Type: text/plain; charset=utf-8\n\nCaf\xe9 cr\xe8me\n",
        "unknown_charset.eml": header
        + b"Subject: charset\nContent-Type: text/plain; charset=x-no-such-charset\n\nna\xc3\xafve\n",
        "codec_charset.eml": header + b"Subject: codec\nContent-Type: text/plain; charset=zlib\n\nplain text\n",
        "nul_bytes.eml": header + b"Subject: nul\x00here\n\nbody\x00with\x00nuls\n",
        "not_ole.msg": b"This is a text file renamed to .msg\n",
        "empty.msg": b"",
        "fake_ole.msg": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(2000),
        "not_mbox.mbox": b"Subject: no separator line\n\nbody\n",
        "empty.mbox": b"",
        "corrupt.mbox.gz": b"\x1f\x8b\x08\x00" + rng.randbytes(500),
        "body_from.mbox": b"From alice@agency.example.gov Mon Mar  5 09:00:00 2018\n"
        + header
        + b"Subject: first\nMessage-ID: <first@x>\n\nFrom here on, a body line starts with From.\n"
        b">From the quoted line.\n>>From a doubly quoted line.\n\n"
        b"From bob@agency.example.gov Mon Mar  5 10:00:00 2018\n"
        b"From: Bob <bob@agency.example.gov>\nSubject: second\nMessage-ID: <second@x>\n\nSecond body.\n",
    }
    paths = {}
    for name, data in files.items():
        paths[name] = directory / name
        paths[name].write_bytes(data)
    return paths
