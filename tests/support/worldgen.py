"""A generated correspondence world with known truth, as importer records (no files), for conversation tests.

People write threads (replies to earlier messages, forwards to outsiders, unrelated threads sharing a subject);
each email then exists as some mix of: a native .eml (threading headers sometimes stripped, the parent quoted in
its body), Outlook prints inside release PDFs (names printed "Last, First", naive local times, redaction boxes,
OCR slips in scanned releases) with their quoted chains as separate quoted copies, and Gmail thread prints.
`Truth` says, for every stored copy, which email it is and which thread that email belongs to, and for every
printed correspondent which real person it is; the score functions measure the archive against it.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from foia_tui.archive import Archive
from foia_tui.archive.store import message_id_for, store_document
from foia_tui.domain.people import alias_key
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import Address, DocumentRecord, MessageRecord
from tests.support.sql import sql_rows

FIRST = (
    "Hoan",
    "Alice",
    "Brian",
    "Carla",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hector",
    "Ingrid",
    "Jamal",
    "Keiko",
    "Luis",
    "Maya",
    "Nikolai",
    "Olga",
    "Pavel",
    "Quinn",
    "Rosa",
    "Samir",
    "Tamara",
    "Ulrich",
    "Valeria",
    "Wendell",
    "Ximena",
    "Yusuf",
    "Zora",
    "Beatrice",
    "Cornelius",
    "Delphine",
)
LAST = (
    "Ton-That",
    "Moreno",
    "Okafor",
    "Nunez",
    "Volkov",
    "Castellano",
    "Haddad",
    "Whitfield",
    "Ramirez",
    "Lindqvist",
    "Bello",
    "Tanaka",
    "Ferreira",
    "Kowalski",
    "Abernathy",
    "Oyelaran",
    "Vasquez",
    "Brennan",
    "Achterberg",
    "Mbeki",
    "Fitzgerald",
    "Yamamoto",
    "Delacroix",
    "Sorensen",
    "Quintero",
    "Rasmussen",
    "Thibodeaux",
    "Valentino",
    "Zielinski",
)
DOMAINS = ("nypd.gov", "clearview.ai", "cityhall.example.gov", "gmail.com", "council.example.gov", "law.example.com")
SHARED_SUBJECTS = ("Meeting", "Question", "Follow up", "Update")
TOPICS = (
    "Clearview trial",
    "Budget for pilot",
    "Draft letter to the board",
    "Records request status",
    "Press inquiry",
    "Vendor invoice",
    "Training schedule",
    "Contract amendment",
)
PROSE = (
    "the pilot results arrived this morning and the deputy commissioner wants a summary before the hearing "
    "please send the invoice numbers from finance we still need approximate costs in spreadsheet format "
    "counsel reviewed the draft and asked for two changes to the data retention clause the vendor agreed "
    "to extend the trial accounts through the end of the quarter my team ran several searches with "
    "matches that need manual review let me know if you have questions about the numbers or the schedule"
)
WORDS = PROSE.split()
SHORT_REPLIES = ("Thanks.", "Agreed, go ahead.", "Will do.", "Got it, thank you.", "See you then.")
OCR_SLIPS = {"h": "b", "m": "rn", "l": "1", "o": "0", "e": "c", "d": "cl", "i": "l", "n": "ri"}
ZONES = (-8, -5, -5, -5, -4, 0, 1)


@dataclass(frozen=True)
class Person:
    id: int
    first: str
    last: str
    email: str
    zone: int


@dataclass
class Email:
    key: int
    thread: int
    parent: int | None
    sender: Person
    to: list[Person]
    cc: list[Person]
    subject: str
    sent: datetime  # aware, UTC
    text: str  # what the author wrote
    forward: bool = False

    @property
    def message_id(self) -> str:
        return f"w{self.key}.t{self.thread}@world.example.gov"


@dataclass
class Truth:
    """Ground truth of what was stored: copy -> email, email -> thread, printed correspondent -> person."""

    email_of: dict[str, int] = field(default_factory=dict)  # stored message id -> email key
    thread_of: dict[int, int] = field(default_factory=dict)  # email key -> thread number
    person_of: dict[tuple[str, str, int], int] = field(default_factory=dict)  # (message id, role, position)
    redacted: set[tuple[str, str, int]] = field(default_factory=set)


@dataclass
class World:
    people: list[Person]
    emails: list[Email]
    documents: list[DocumentRecord]
    truth: Truth


def make_people(rng: random.Random, count: int) -> list[Person]:
    people: list[Person] = []
    pairs = [(f, last) for f in FIRST for last in LAST]
    rng.shuffle(pairs)
    firsts, lasts = Counter(), Counter()
    emails: set[str] = set()
    reuse = max(2, count // len(FIRST) + 1)
    for first, last in pairs:
        if len(people) == count:
            break
        if firsts[first] >= reuse or lasts[last] >= reuse:
            continue  # a few shared first or last names, never a shared full name
        firsts[first] += 1
        lasts[last] += 1
        domain = rng.choice(DOMAINS)
        local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", first)).lower().replace("-", "")
        if f"{local}@{domain}" in emails:
            local = f"{first}.{last}".lower().replace("-", "")
        emails.add(f"{local}@{domain}")
        people.append(Person(len(people), first, last, f"{local}@{domain}", rng.choice(ZONES)))
    return people


def _sentences(rng: random.Random, count: int) -> str:
    return "\n".join(" ".join(rng.choices(WORDS, k=rng.randint(7, 16))).capitalize() + "." for _ in range(count))


def make_threads(
    rng: random.Random, people: list[Person], emails: int, span_days: int, shared_rate: float = 0.25
) -> list[Email]:
    """Threads of 1 to 10 messages in circles of people, until `emails` messages exist."""
    start = datetime(2019, 1, 7, tzinfo=UTC)
    out: list[Email] = []
    thread = 0
    circles = [people[i : i + 8] for i in range(0, len(people), 6)]
    while len(out) < emails:
        circle = rng.choice(circles)
        members = rng.sample(circle, k=min(len(circle), rng.randint(2, 4)))
        subject = rng.choice(SHARED_SUBJECTS) if rng.random() < shared_rate else f"{rng.choice(TOPICS)} #{thread}"
        when = start + timedelta(minutes=rng.randint(0, span_days * 1440))
        size = min(emails - len(out), rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 10)))
        mine: list[Email] = []
        for number in range(size):
            if number == 0:
                sender = members[0]
                to = members[1:]
                parent, forward, title = None, False, subject
            else:
                parent_email = mine[-1] if rng.random() < 0.7 else rng.choice(mine)
                parent = parent_email.key
                forward = rng.random() < 0.08
                if forward:
                    sender = rng.choice([parent_email.sender, *parent_email.to])
                    to = [rng.choice([p for p in people if p not in members and p != sender])]
                    title = f"FW: {subject}"
                else:
                    sender = rng.choice(
                        [p for p in [parent_email.sender, *parent_email.to] if p != parent_email.sender]
                    )
                    to = [parent_email.sender] + [p for p in parent_email.to if p not in (sender, parent_email.sender)]
                    title = f"RE: {subject}"
            text = rng.choice(SHORT_REPLIES) if number and rng.random() < 0.1 else _sentences(rng, rng.randint(1, 4))
            if forward:
                text = "FYI, see below. " + text
            cc = [rng.choice(members)] if rng.random() < 0.15 else []
            cc = [p for p in cc if p != sender and p not in to]
            email = Email(
                len(out), thread, parent, sender, to, cc, title, when.replace(second=rng.randint(0, 59)), text
            )
            email.forward = forward
            out.append(email)
            mine.append(email)
            when += timedelta(minutes=rng.randint(10, 2 * 1440))
        thread += 1
    return out


# Rendering ------------------------------------------------------------------------------------------------


def _garble(rng: random.Random, word: str) -> str:
    spots = [i for i, c in enumerate(word) if c in OCR_SLIPS]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + OCR_SLIPS[word[i]] + word[i + 1 :]


class _Printer:
    """Renders emails into records and records what each printed correspondent is."""

    def __init__(self, rng: random.Random, truth: Truth) -> None:
        self.rng = rng
        self.truth = truth

    def native_address(self, p: Person) -> Address:
        style = self.rng.random()
        if style < 0.1:
            return Address(None, p.email, p.email)
        name = f"{p.last}, {p.first}" if style < 0.3 else f"{p.first} {p.last}"
        return Address(name, p.email, f"{name} <{p.email}>")

    def printed_address(self, p: Person, scanned: bool) -> Address | None:
        """None for a redacted correspondent."""
        style = self.rng.random()
        if style < 0.04:
            return None
        if scanned and style < 0.12:
            word = self.rng.choice((0, 1))
            parts = [p.first, p.last]
            parts[word] = _garble(self.rng, parts[word])
            return Address(f"{parts[1]}, {parts[0]}", None, f"{parts[1]}, {parts[0]}")
        if style < 0.5:
            return Address(f"{p.last}, {p.first}", None, f"{p.last}, {p.first}")
        if style < 0.8:
            return Address(f"{p.first} {p.last}", p.email, f"{p.first} {p.last} <{p.email}>")
        if style < 0.9:
            return Address(f"{p.last}, {p.first}", p.email, f"{p.last}, {p.first} <{p.email}>")
        return Address(None, p.email, p.email)

    def note(self, stored_id: str, email: Email, roles: dict[str, list[tuple[Person, Address | None]]]) -> None:
        self.truth.email_of[stored_id] = email.key
        self.truth.thread_of[email.key] = email.thread
        for role, people in roles.items():
            for position, (person, printed) in enumerate(people):
                if printed is None:
                    self.truth.redacted.add((stored_id, role, position))
                else:
                    self.truth.person_of[(stored_id, role, position)] = person.id


def _quote_native(parent: Email, parent_body: str, rng: random.Random) -> str:
    if parent.forward or rng.random() < 0.5:
        header = "---------- Forwarded message ---------" if parent.forward else "-----Original Message-----"
        return (
            f"\n\n{header}\nFrom: {parent.sender.first} {parent.sender.last} <{parent.sender.email}>\n"
            f"Sent: {parent.sent:%A, %B %d, %Y %I:%M %p}\nTo: {', '.join(p.email for p in parent.to)}\n"
            f"Subject: {parent.subject}\n\n{parent_body}"
        )
    quoted = "\n".join(f"> {line}" for line in parent_body.splitlines())
    return (
        f"\n\nOn {parent.sent:%a, %b %d, %Y at %I:%M %p}, {parent.sender.first} {parent.sender.last} wrote:\n{quoted}"
    )


def _redact(rng: random.Random, text: str, scanned: bool) -> str:
    words = text.split(" ")
    if len(words) > 6 and rng.random() < 0.3:
        i = rng.randrange(1, len(words) - 1)
        words[i] = "█[REDACTED (b)(6)]█"
    if scanned:
        words = [_garble(rng, w) if rng.random() < 0.03 else w for w in words]
    return " ".join(words)


def _local(moment: datetime, zone: int) -> str:
    return moment.astimezone(timezone(timedelta(hours=zone))).replace(second=0, tzinfo=None).isoformat()


def build_world(
    seed: int = 0,
    emails: int = 1500,
    people: int = 60,
    span_days: int = 120,
    native_rate: float = 0.6,
    print_rate: float = 0.5,
    strip_rate: float = 0.15,
) -> World:
    """A reproducible world; every email is stored at least once (as a native file, a print or a quote)."""
    rng = random.Random(seed)
    folks = make_people(rng, people)
    mail = make_threads(rng, folks, emails, span_days)
    by_key = {e.key: e for e in mail}
    truth = Truth()
    printer = _Printer(rng, truth)
    documents: list[DocumentRecord] = []
    natives = {e.key for e in mail if rng.random() < native_rate}
    printed = [e for e in mail if rng.random() < print_rate]
    printed += [e for e in printed if rng.random() < 0.1]  # some printed in two releases
    gmail_threads = {e.thread for e in mail if rng.random() < 0.05}
    covered = natives | {e.key for e in printed}
    covered |= {e.key for e in mail if e.thread in gmail_threads}
    natives |= {e.key for e in mail if e.key not in covered}
    for e in mail:
        if e.key in natives:
            documents.append(_native_document(e, by_key, printer, rng, strip_rate))
    rng.shuffle(printed)
    releases = [printed[i : i + 40] for i in range(0, len(printed), 40)]
    for number, release in enumerate(releases):
        documents.append(_release_document(number, release, by_key, printer, rng, scanned=number % 4 == 3))
    for thread in sorted(gmail_threads):
        documents.append(_gmail_document(thread, [e for e in mail if e.thread == thread], printer))
    return World(folks, mail, documents, truth)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _native_document(e: Email, by_key: dict[int, Email], printer: _Printer, rng, strip_rate: float) -> DocumentRecord:
    sha = _sha(f"native:{e.key}")
    body = e.text
    parent = by_key.get(e.parent) if e.parent is not None else None
    chain: list[str] = []
    node = parent
    while node is not None:
        chain.insert(0, node.message_id)
        node = by_key.get(node.parent) if node.parent is not None else None
    if parent is not None:
        body += _quote_native(parent, parent.text, rng)
    stripped = parent is not None and (e.forward or rng.random() < strip_rate)
    roles = {"from": [e.sender], "to": e.to, "cc": e.cc}
    printed = {role: [printer.native_address(p) for p in people] for role, people in roles.items()}
    record = MessageRecord(
        ordinal=0,
        subject=e.subject,
        sender=printed["from"][0],
        to=printed["to"],
        cc=printed["cc"],
        sent=e.sent.astimezone(timezone(timedelta(hours=e.sender.zone))).isoformat(),
        body=body,
        message_id=e.message_id,
        in_reply_to=None if stripped or parent is None else parent.message_id,
        references=[] if stripped else chain,
        copy_kind="native",
    )
    printer.note(
        message_id_for(sha, 0), e, {role: list(zip(roles[role], printed[role], strict=True)) for role in roles}
    )
    return DocumentRecord(f"mail/{e.key:06d}.eml", sha, "eml", messages=[record])


def _printed_record(
    e: Email, ordinal: int, kind: str, quoted_in: int | None, zone: int, printer: _Printer, scanned: bool, sha: str
) -> MessageRecord:
    rng = printer.rng
    gmail_quote = kind == "quoted" and rng.random() < 0.4
    roles = {"from": [e.sender], "to": [] if gmail_quote else e.to, "cc": [] if gmail_quote else e.cc}
    printed = {role: [printer.printed_address(p, scanned) for p in people] for role, people in roles.items()}
    if gmail_quote and printed["from"][0] is not None:  # "On <date> Alice Moreno <alice@...> wrote:"
        p = e.sender
        printed["from"][0] = Address(f"{p.first} {p.last}", p.email if rng.random() < 0.5 else None, "")
    shown = {
        role: [a or Address("[REDACTED (b)(6)]", None, "[REDACTED (b)(6)]") for a in v] for role, v in printed.items()
    }
    printer.note(message_id_for(sha, ordinal), e, {r: list(zip(roles[r], printed[r], strict=True)) for r in roles})
    return MessageRecord(
        ordinal=ordinal,
        subject=None if gmail_quote else e.subject,
        sender=shown["from"][0],
        to=shown["to"],
        cc=shown["cc"],
        sent=_local(e.sent, zone),
        body=_redact(rng, e.text, scanned),
        copy_kind=kind,  # type: ignore[arg-type]
        quoted_in=quoted_in,
        page_start=ordinal // 3 + 1,
        page_end=ordinal // 3 + 1,
        bates_start=f"NYPD-{sha[:4]}-{ordinal:05d}",
    )


def _release_document(
    number: int, release: list[Email], by_key: dict[int, Email], printer: _Printer, rng, scanned: bool
) -> DocumentRecord:
    """Outlook prints, each followed by up to three earlier messages of its chain as quoted copies."""
    sha = _sha(f"release:{number}")
    zone = rng.choice(ZONES)
    records: list[MessageRecord] = []
    for e in release:
        top = len(records)
        records.append(_printed_record(e, top, "print", None, zone, printer, scanned, sha))
        node, above = (by_key[e.parent] if e.parent is not None else None), top
        for _ in range(rng.randint(0, 3)):
            if node is None:
                break
            records.append(_printed_record(node, len(records), "quoted", above, zone, printer, scanned, sha))
            above = len(records) - 1
            node = by_key[node.parent] if node.parent is not None else None
    return DocumentRecord(f"releases/NYPD-{number:03d}.pdf", sha, "pdf", messages=records, page_count=len(records))


def _gmail_document(thread: int, emails: list[Email], printer: _Printer) -> DocumentRecord:
    """A Gmail thread print: every message under the thread's first subject, in time order."""
    sha = _sha(f"gmail:{thread}")
    title = emails[0].subject
    records = []
    for ordinal, e in enumerate(sorted(emails, key=lambda e: e.sent)):
        record = _printed_record(e, ordinal, "print", None, -5, printer, False, sha)
        record.subject = title
        records.append(record)
    return DocumentRecord(f"gmail/thread-{thread}.pdf", sha, "pdf", messages=records, page_count=len(records))


def store_world(archive: Archive, world: World) -> None:
    with archive.transaction():
        for doc in world.documents:
            store_document(archive, doc)


def built_world(path, seed: int, emails: int = 1500) -> tuple[Archive, World]:
    """A generated world stored in a new archive at `path` and threaded, as the pipeline leaves it."""
    world = build_world(seed=seed, emails=emails)
    archive = Archive.open(path)
    store_world(archive, world)
    rebuild_conversations(archive)
    return archive, world


# Scores ---------------------------------------------------------------------------------------------------


@dataclass
class Score:
    precision: float
    recall: float
    false_pairs: int  # pairs joined that the truth keeps apart

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __str__(self) -> str:
        return f"precision {self.precision:.4f} recall {self.recall:.4f} F1 {self.f1:.4f} ({self.false_pairs} false)"


def pairwise(truth: dict, predicted: dict) -> Score:
    """Pairwise precision/recall of a predicted clustering against the true one over the same items."""

    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    items = [i for i in truth if i in predicted]
    both = pairs(Counter((truth[i], predicted[i]) for i in items))
    true_pairs = pairs(Counter(truth[i] for i in items))
    predicted_pairs = pairs(Counter(predicted[i] for i in items))
    return Score(
        both / predicted_pairs if predicted_pairs else 1.0,
        both / true_pairs if true_pairs else 1.0,
        predicted_pairs - both,
    )


def score_threads(archive: Archive, truth: Truth) -> Score:
    stored = {r["id"]: r["thread_id"] for r in sql_rows(archive, "SELECT id, thread_id FROM messages")}
    return pairwise({m: truth.thread_of[e] for m, e in truth.email_of.items()}, stored)


def score_duplicates(archive: Archive, truth: Truth) -> Score:
    stored = {
        r["id"]: r["head"] for r in sql_rows(archive, "SELECT id, coalesce(duplicate_of, id) AS head FROM messages")
    }
    return pairwise(truth.email_of, stored)


def score_people(archive: Archive, truth: Truth) -> Score:
    """Over distinct printed aliases (redacted ones aside): are one real person's aliases one person, and only?"""
    true_alias: dict[str, int] = {}
    predicted: dict[str, int] = {}
    for r in sql_rows(archive, "SELECT message_id, role, position, name, email, raw, person_id FROM participants"):
        place = (r["message_id"], r["role"], r["position"])
        if place in truth.person_of:
            key = alias_key(r["name"] or r["raw"], r["email"])
            true_alias[key] = truth.person_of[place]
            predicted[key] = r["person_id"]
    return pairwise(true_alias, predicted)
