"""Generated mail for the search benchmark: the same messages as archive records and as a maildir.

Bodies draw from a Zipf vocabulary (common English words, a few hundred records-request words, a long tail of
made-up words) so word frequencies look like real mail; people have several printed forms; conversations
thread; printed PDF copies carry Bates numbers and redaction boxes with FOIA/FOIL exemption codes; some words
are OCR-mangled; some emails are printed twice (duplicates).
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from importers.records import Address, AttachmentRecord, DocumentRecord, MessageRecord, RedactionRecord


def _words(text: str) -> list[str]:
    return text.split()


STOP = _words("""the of and to a in is that for it as was with be by on not he this are or his from at which but have an
they you were her she there been one all we their has would when if so no will can more out up about who what said
our us please thanks let know need also any time just should could get see other new some may these than
then""")
TOPIC = _words("""budget meeting contract vendor invoice police sheriff facial recognition clearview records request
public draft letter board council hearing legislation quorum funding grant policy training software license pilot
program surveillance camera data privacy attorney counsel agenda minutes review approval deadline report analysis
procurement purchase order payment account detective precinct arrest investigation suspect image database search
accuracy trial demo login credentials officer lieutenant captain commissioner mayor press inquiry reporter story
statement comment response deadline extension appeal denial exemption redaction release production batch index
schedule calendar conference call zoom phone memo attachment spreadsheet document file folder server cloud storage
security breach incident complaint lawsuit subpoena warrant evidence testimony witness court judge motion filing
settlement insurance claim budgetary fiscal quarter annual audit compliance oversight committee chair member
vote resolution ordinance amendment bill statute regulation rule guidance manual protocol procedure standard""")
FIRST = _words("""Alice Brian Carla Daniel Elena Frank Grace Hoan Irene James Karen Luis Maria Nadia Omar Priya Quinn
Rosa Samuel Tara Umar Vera Walter Xena Yusuf Zoe Aaron Beth Caleb Dana Ethan Fiona Gavin Hana Ivan Julia Kevin Lena
Marco Nora Oscar Paula Raj Sofia Tomas Uma Victor Wendy""")
LAST = _words("""Moreno Okafor Nunez Doe Durand Rahman Iyer Schmidt Petrov Park Smith Johnson Lee Garcia Chen Patel Kim
Nguyen Brown Davis Miller Wilson Taylor Thomas Moore Martin Jackson White Harris Clark Lewis Walker Hall Young Allen
King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Torres Parker
Collins Edwards Stewart Flores Morris Murphy Rivera Cook Rogers Morgan Peterson Cooper Reed Bailey Bell Gomez Kelly
Howard Ward Cox Diaz Richardson Wood Watson Brooks Bennett Gray James Reyes Cruz Hughes Price Myers Long Foster""")
DOMAINS = _words("""nypd.example.gov agency.example.gov council.example.gov clearview.example.com oag.example.gov
city.example.gov press.example.org vendor.example.com county.example.gov state.example.gov""")
CODES = ("(b)(6)", "(b)(6)", "(b)(7)(C)", "(b)(5)", "(b)(7)(E)", "POL 87(2)(b)", "POL 87(2)(b)", "B6")
PHRASES = (("facial recognition", 0.05), ("public records", 0.08), ("draft letter", 0.03), ("clearview", 0.015))
OCR_CONFUSIONS = (("l", "1"), ("i", "l"), ("rn", "m"), ("e", "c"), ("o", "0"))
TAGS = (("leads", 0.01), ("hot", 0.005), ("follow up", 0.003))
START = datetime(2015, 1, 1)
SPAN_MINUTES = 9 * 365 * 24 * 60


@dataclass
class Mail:
    """One distinct email, with where its copies go."""

    number: int
    message_id: str
    subject: str
    sender: Address
    to: list[Address]
    cc: list[Address]
    sent: datetime
    body: str
    in_reply_to: str | None
    printed: bool  # in a PDF print-out (else a native .eml)
    duplicate: bool  # printed a second time in another release
    redactions: list[RedactionRecord] = field(default_factory=list)
    attachments: list[AttachmentRecord] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _made_up_words(rng: random.Random, count: int) -> list[str]:
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choices(syllables, k=rng.choice((2, 2, 3, 3, 4)))))
    return sorted(words)


@dataclass
class _Vocabulary:
    words: list[str]
    cumulative: list[float]

    @classmethod
    def build(cls, rng: random.Random, tail: int = 20_000) -> _Vocabulary:
        words = STOP + TOPIC + _made_up_words(rng, tail)
        ranks = list(range(len(words)))
        # Stop words lead; the topic words sit where a records-request word does (in 0.5-15 % of messages).
        weights = [1 / (rank + 2.7) ** 1.07 for rank in ranks]
        return cls(words, list(itertools.accumulate(weights)))

    def sentence(self, rng: random.Random) -> str:
        words = rng.choices(self.words, cum_weights=self.cumulative, k=rng.randint(7, 16))
        return " ".join(words).capitalize() + "."


def _people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    people = []
    for first, last in rng.sample(list(itertools.product(FIRST, LAST)), count):
        domain = rng.choice(DOMAINS)
        local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}{last[0]}")).lower()
        people.append((f"{first} {last}", f"{local}@{domain}"))
    return people


def _printed(rng: random.Random, person: tuple[str, str], printed: bool) -> Address:
    """How a header shows a person: native mail names the address; print-outs often 'Last, First' alone."""
    name, email = person
    if printed and rng.random() < 0.4:
        first, last = name.split(" ", 1)
        return Address(f"{last}, {first}", None, f"{last}, {first}")
    return Address(name, email, f"{name} <{email}>")


def _ocr_mangle(rng: random.Random, body: str) -> str:
    """What a bad scan does: a few letters confused, two words run together."""
    words = body.split(" ")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(words))
        wrong, right = rng.choice(OCR_CONFUSIONS)
        words[i] = words[i].replace(wrong, right, 1)
    i = rng.randrange(len(words) - 1)
    words[i : i + 2] = [words[i] + words[i + 1]]
    return " ".join(words)


def generate(count: int, seed: int = 0) -> list[Mail]:
    """`count` distinct emails in conversations, deterministic for a seed."""
    rng = random.Random(seed)
    vocabulary = _Vocabulary.build(rng)
    people = _people(rng, 1500)
    activity = list(itertools.accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(people))))
    mails: list[Mail] = []
    thread = 0
    while len(mails) < count:
        cast = list({p: None for p in rng.choices(people, cum_weights=activity, k=rng.randint(2, 5))})
        if len(cast) < 2:
            continue
        subject = " ".join(rng.sample(TOPIC, rng.randint(1, 3))).capitalize() + f" {rng.choice(vocabulary.words)}"
        when = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
        printed = rng.random() < 0.4
        parent: Mail | None = None
        for number in range(min(count - len(mails), rng.choice((1, 1, 2, 2, 3, 4, 6, 8)))):
            sender = cast[number % len(cast)]
            others = [p for p in cast if p != sender]
            written = "\n".join(vocabulary.sentence(rng) for _ in range(rng.randint(3, 9)))
            for phrase, rate in PHRASES:
                if rng.random() < rate:
                    written += f" About the {phrase}."
            body = written
            if parent is not None:
                quoted = "\n".join(f"> {line}" for line in parent.body.splitlines()[:4])
                body = f"{written}\n\nOn {parent.sent:%a, %b %d, %Y at %H:%M}, {parent.sender.name} wrote:\n{quoted}"
            mail = Mail(
                number=len(mails),
                message_id=f"t{thread}.m{number}.{seed}@search.example",
                subject=subject if number == 0 else f"Re: {subject}",
                sender=_printed(rng, sender, printed),
                to=[_printed(rng, p, printed) for p in others[:2]],
                cc=[_printed(rng, p, printed) for p in others[2:]],
                sent=when,
                body=body,
                in_reply_to=parent.message_id if parent else None,
                printed=printed,
                duplicate=rng.random() < 0.05,
            )
            if printed and rng.random() < 0.25:
                for _ in range(rng.randint(1, 3)):
                    code = rng.choice(CODES)
                    leak = " ".join(rng.sample(people, 1)[0][0].split()) if rng.random() < 0.08 else None
                    mail.redactions.append(RedactionRecord(page=1, code=code, leaked_text=leak))
                    mail.body += f"\n[REDACTED {code}]"
                if rng.random() < 0.3:
                    mail.body = _ocr_mangle(rng, mail.body)
            if rng.random() < 0.1:
                mail.attachments.append(AttachmentRecord(name=f"{rng.choice(TOPIC)}.pdf", size=rng.randint(1, 9) << 16))
            mail.tags = [tag for tag, rate in TAGS if rng.random() < rate]
            mails.append(mail)
            parent = mail
            when += timedelta(minutes=rng.randint(3, 4000))
        thread += 1
    return mails


def _record(mail: Mail, ordinal: int, copy_kind: str, bates: int | None) -> MessageRecord:
    return MessageRecord(
        ordinal=ordinal,
        subject=mail.subject,
        sender=mail.sender,
        to=mail.to,
        cc=mail.cc,
        sent=mail.sent.isoformat(),
        date_text=f"{mail.sent:%A, %B %d, %Y %I:%M %p}",
        body=mail.body,
        message_id=None if copy_kind == "print" else mail.message_id,
        in_reply_to=None if copy_kind == "print" else mail.in_reply_to,
        references=[mail.in_reply_to] if mail.in_reply_to and copy_kind != "print" else [],
        page_start=ordinal + 1 if bates else None,
        page_end=ordinal + 1 if bates else None,
        bates_start=f"FOIL-{bates:07d}" if bates else None,
        bates_end=f"FOIL-{bates:07d}" if bates else None,
        redactions=mail.redactions if copy_kind == "print" else [],
        attachments=mail.attachments,
        copy_kind=copy_kind,  # type: ignore[arg-type]
    )


def documents(mails: list[Mail]) -> Iterator[tuple[DocumentRecord, list[Mail]]]:
    """Native mail one file each; print-outs bundled ten to a PDF with Bates numbers; duplicates re-printed."""
    bates = itertools.count(1)
    printed = [m for m in mails if m.printed]
    for mail in mails:
        if not mail.printed:
            path = f"release-{mail.number % 5}/mail/{mail.number:06d}.eml"
            yield _document(path, "eml", [_record(mail, 0, "native", None)]), [mail]
    for start in range(0, len(printed), 10):
        chunk = printed[start : start + 10]
        path = f"release-{start % 5}/print/FOIL-{start // 10:05d}.pdf"
        yield _document(path, "pdf", [_record(m, i, "print", next(bates)) for i, m in enumerate(chunk)]), chunk
    copies = [m for m in mails if m.duplicate]
    for start in range(0, len(copies), 10):
        chunk = copies[start : start + 10]
        path = f"release-dup/print/COPY-{start // 10:05d}.pdf"
        yield _document(path, "pdf", [_record(m, i, "print", next(bates)) for i, m in enumerate(chunk)]), []


def _document(path: str, kind: str, messages: list[MessageRecord]) -> DocumentRecord:
    sha = hashlib.sha256(path.encode()).hexdigest()
    return DocumentRecord(path=path, sha256=sha, kind=kind, messages=messages, page_count=len(messages))


def _header_address(address: Address) -> str:
    return f'"{address.name}" <{address.email}>' if address.email else f'"{address.name}" <unknown@print.example>'


def write_maildir(mails: list[Mail], folder: Path) -> None:
    """Each distinct email once, as a maildir file notmuch can index."""
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for mail in mails:
        headers = [
            f"From: {_header_address(mail.sender)}",
            f"To: {', '.join(_header_address(a) for a in mail.to)}",
            *([f"Cc: {', '.join(_header_address(a) for a in mail.cc)}"] if mail.cc else []),
            f"Subject: {mail.subject}",
            f"Date: {mail.sent:%a, %d %b %Y %H:%M:%S} +0000",
            f"Message-ID: <{mail.message_id}>",
            *([f"In-Reply-To: <{mail.in_reply_to}>", f"References: <{mail.in_reply_to}>"] if mail.in_reply_to else []),
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        text = "\n".join(headers) + "\n\n" + mail.body + "\n"
        (folder / "cur" / f"{mail.number:06d}.search:2,S").write_bytes(text.encode())
