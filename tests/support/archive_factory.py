"""Real archives for UI tests and benchmarks, built through the same store + threading code as an import.

`build_small_archive` makes a release with known content: a printed thread with redaction boxes (one of them
over live text, i.e. leaked), a quoted chain, a second printed copy of one email, native email threads with
attachments, and tags. `build_bulk_archive` makes a large archive of generated mail for speed figures.
`screen_text` reads what is on screen in a Pilot test (tests.conftest.settle waits for its workers).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fpdf import FPDF

from foia_tui.archive import Archive
from foia_tui.archive.store import document_id_for, message_id_for, store_document
from foia_tui.archive.tags import tag_messages
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import (
    Address,
    AttachmentRecord,
    DocumentRecord,
    MessageRecord,
    PageRecord,
    RedactionRecord,
)
from tests.support.sql import sql_rows, sql_value

HOAN = Address("Ton-That, Hoan", "hoan@clearview.ai", "Ton-That, Hoan <hoan@clearview.ai>")
REDACTED = Address("[REDACTED]", None, "[REDACTED]")
TEAM = Address("Clearview Team", "team@clearview.ai", "Clearview Team <team@clearview.ai>")
OFFICER = Address("Officer Smith", "smith@nypd.example", "Officer Smith <smith@nypd.example>")
LEAKED_NAME = "John Doe"
B6 = "█[REDACTED (b)(6)]█"
POL = "█[REDACTED POL 87(2)(b)]█"


def marker_redaction(body: str, marker: str, code: str, page: int, leaked: str | None = None) -> RedactionRecord:
    return RedactionRecord(
        page=page, bbox=(100, 200, 180, 212), code=code, offset=body.index(marker), leaked_text=leaked
    )


def write_pdf(path: Path, pages: list[str], boxes: dict[int, list[tuple[float, float, float, float]]]) -> bytes:
    """A PDF with one text block per page and black boxes (x, y, w, h in mm) drawn on top; returns its bytes."""
    pdf = FPDF(format="letter")
    pdf.set_creation_date(datetime(2021, 4, 1, tzinfo=UTC))
    pdf.set_font("Helvetica", size=11)
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        pdf.multi_cell(0, 6, text.replace("█", "#").encode("latin-1", "replace").decode("latin-1"))
        pdf.set_fill_color(0, 0, 0)
        for x, y, w, h in boxes.get(number, []):
            pdf.rect(x, y, w, h, style="F")
    path.write_bytes(bytes(pdf.output()))
    return path.read_bytes()


def document(
    path: Path | str,
    kind: str,
    messages: list[MessageRecord],
    pages: list[PageRecord] | None = None,
    data: bytes | None = None,
) -> DocumentRecord:
    sha = hashlib.sha256(data if data is not None else f"{Path(path).name}:{kind}".encode()).hexdigest()
    return DocumentRecord(str(path), sha, kind, messages, pages or [], len(pages) if pages else None)


@dataclass
class SmallArchive:
    archive: Archive
    path: Path
    pdf: Path
    ids: dict[str, str] = field(default_factory=dict)  # name -> message id
    threads: dict[str, str] = field(default_factory=dict)  # name -> thread id


def trial_messages() -> list[MessageRecord]:
    """The printed Clearview trial thread: three emails, boxes with codes, one leak, a quoted chain."""
    first = f"Happy to set up the trial. Officers can reach 100 searches quickly.\nContact {B6} for accounts."
    second = (
        f"App is working great. Det. {B6} ran 40 searches.\n\n"
        "On Mon, Dec 3, 2018 at 9:15 AM Hoan Ton-That wrote:\n"
        "> Happy to set up the trial.\n> Officers can reach 100 searches quickly."
    )
    third = f"We continue to receive positive results. Budget line {POL} is approved."
    return [
        MessageRecord(
            0,
            "Clearview trial",
            HOAN,
            [REDACTED],
            sent="2018-12-03T09:15:00",
            date_text="Monday, December 3, 2018 9:15 AM",
            body=first,
            page_start=1,
            page_end=1,
            bates_start="NYPD-000001",
            bates_end="NYPD-000001",
            copy_kind="print",
            redactions=[marker_redaction(first, B6, "(b)(6)", 1)],
        ),
        MessageRecord(
            1,
            "RE: Clearview trial",
            REDACTED,
            [HOAN],
            sent="2018-12-04T11:00:00",
            body=second,
            page_start=2,
            page_end=2,
            bates_start="NYPD-000002",
            bates_end="NYPD-000002",
            copy_kind="print",
            redactions=[marker_redaction(second, B6, "(b)(6)", 2, LEAKED_NAME)],
        ),
        MessageRecord(
            2,
            "RE: Clearview trial",
            HOAN,
            [REDACTED],
            sent="2019-01-08T10:02:00",
            body=third,
            page_start=3,
            page_end=3,
            bates_start="NYPD-000003",
            bates_end="NYPD-000003",
            copy_kind="print",
            redactions=[marker_redaction(third, POL, "POL 87(2)(b)", 3)],
            attachments=[AttachmentRecord("results.xlsx", "application/vnd.ms-excel", 24_576)],
        ),
    ]


def build_small_archive(folder: Path) -> SmallArchive:
    """A small release with every feature the app shows (see the module docstring)."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = Archive.open(folder / "archive.db")
    trial = trial_messages()
    pdf = folder / "NYPD-release.pdf"
    page_texts = [
        f"From: {m.sender.raw if m.sender else ''}\nSent: {m.sent}\nSubject: {m.subject}\n\n{m.body}\n\n{m.bates_start}"
        for m in trial
    ]
    data = write_pdf(pdf, page_texts, {1: [(40, 40, 30, 6)], 2: [(40, 40, 30, 6)], 3: [(60, 40, 40, 6)]})
    pages = [PageRecord(n, text, f"NYPD-00000{n}") for n, text in enumerate(page_texts, start=1)]
    trial_doc = document(pdf, "pdf", trial, pages, data)
    store_document(archive, trial_doc)

    copy = MessageRecord(
        0,
        trial[0].subject,
        HOAN,
        [REDACTED],
        sent=trial[0].sent,
        body=trial[0].body.rstrip("."),  # a slightly worse reading, so the first print is the copy shown
        page_start=5,
        page_end=5,
        bates_start="NYPD-000105",
        copy_kind="print",
        redactions=[marker_redaction(trial[0].body, B6, "(b)(6)", 5)],
    )
    copy_doc = document(folder / "NYPD-release-part2.pdf", "pdf", [copy], [PageRecord(5, trial[0].body, "NYPD-000105")])
    store_document(archive, copy_doc)

    onboarding = [
        MessageRecord(
            0,
            "Onboarding",
            TEAM,
            [OFFICER],
            sent="2019-02-01T10:00:00-05:00",
            body="Welcome aboard! Try to reach 100 searches this week.",
            message_id="b1@clearview.ai",
        ),
        MessageRecord(
            0,
            "Re: Onboarding",
            OFFICER,
            [TEAM],
            cc=[HOAN],
            sent="2019-02-01T12:30:00-05:00",
            body="Can I use the app on my personal phone?\n\n> Welcome aboard! Try to reach 100 searches this week.",
            message_id="b2@nypd.example",
            in_reply_to="b1@clearview.ai",
            references=["b1@clearview.ai"],
            attachments=[AttachmentRecord("screenshot.png", "image/png", 1_024)],
        ),
    ]
    onboarding_docs = [document(folder / f"onboarding-{n}.eml", "eml", [m]) for n, m in enumerate(onboarding)]
    for doc in onboarding_docs:
        store_document(archive, doc)
    homeland = MessageRecord(
        0,
        "Homeland Security contacts",
        HOAN,
        [REDACTED],
        sent="2020-02-10T08:45:00-05:00",
        body="Referring you to our Homeland Security contacts; trial accounts are still being created.",
        message_id="c1@clearview.ai",
    )
    homeland_doc = document(folder / "homeland.eml", "eml", [homeland])
    store_document(archive, homeland_doc)
    rebuild_conversations(archive)

    ids = {f"trial{n}": message_id_for(trial_doc.sha256, n) for n in range(3)}
    ids["trial0_copy"] = message_id_for(copy_doc.sha256, 0)
    ids["onboarding0"] = message_id_for(onboarding_docs[0].sha256, 0)
    ids["onboarding1"] = message_id_for(onboarding_docs[1].sha256, 0)
    ids["homeland"] = message_id_for(homeland_doc.sha256, 0)
    tag_messages(archive, "key-quote", [ids["trial1"], ids["onboarding0"]])
    tag_messages(archive, "follow-up", [ids["homeland"]])
    thread_of = {row["id"]: row["thread_id"] for row in sql_rows(archive, "SELECT id, thread_id FROM messages")}
    threads = {
        "trial": thread_of[ids["trial0"]],
        "onboarding": thread_of[ids["onboarding0"]],
        "homeland": thread_of[ids["homeland"]],
    }
    return SmallArchive(archive, folder / "archive.db", pdf, ids, threads)


WORDS = [
    *("trial", "search", "officer", "account", "results", "arrest", "app", "photo", "match", "detective"),
    *("unit", "budget", "vendor", "contact", "request", "approve", "meeting", "phone", "device", "report"),
    *("review", "case", "suspect", "database", "image", "policy", "access"),
]


def build_bulk_archive(path: Path, messages: int = 100_000, *, per_document: int = 1_000, seed: int = 7) -> Archive:
    """`messages` generated emails in threads of 1–8 (plus one of 50), stored in mbox-like documents."""
    rng = random.Random(seed)
    archive = Archive.open(path)
    people = [
        Address(f"Person {n}", f"person{n}@agency.example", f"Person {n} <person{n}@agency.example>")
        for n in range(400)
    ]
    sizes = [50]
    while sum(sizes) < messages:
        sizes.append(min(rng.choice([1, 1, 2, 2, 3, 4, 5, 8]), messages - sum(sizes)))
    records: list[MessageRecord] = []
    moment = datetime(2015, 1, 1)
    for thread, size in enumerate(sizes):
        sender, recipient = rng.sample(people, 2)
        subject = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} #{thread}"
        for n in range(size):
            moment += timedelta(minutes=rng.randint(1, 9))
            sent = moment.isoformat(timespec="seconds")
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 90)))
            if rng.random() < 0.05:
                body += f" Contact {B6} today."
            records.append(
                MessageRecord(
                    0,
                    subject if n == 0 else f"Re: {subject}",
                    sender if n % 2 == 0 else recipient,
                    [recipient if n % 2 == 0 else sender],
                    sent=sent,
                    body=body,
                    message_id=f"m{thread}.{n}@bulk.example",
                    in_reply_to=f"m{thread}.{n - 1}@bulk.example" if n else None,
                    references=[f"m{thread}.{n - 1}@bulk.example"] if n else [],
                )
            )
    for start in range(0, len(records), per_document):
        chunk = records[start : start + per_document]
        for ordinal, record in enumerate(chunk):
            record.ordinal = ordinal
        store_document(archive, document(Path(path).parent / f"bulk-{start // per_document:04d}.mbox", "mbox", chunk))
    rebuild_conversations(archive)
    return archive


def screen_text(app) -> str:
    """The characters on screen now, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


HSI = "HSI referral 2021-ICFO-04417"
NYPD = ("NYPD FOIL part 1", "NYPD FOIL part 2")
EXPOSED = "646-610-5555"


def add_releases(small: SmallArchive, exposed: str = EXPOSED, *, hsi_shown: bool = False) -> str:
    """Releases over the small archive: its two PDFs in two NYPD releases, and an HSI referral holding a print
    of the budget email (trial2) whose box hides nothing, `exposed` standing where the NYPD print has its box.
    Returns the HSI copy's id; the NYPD print stays the copy shown unless `hsi_shown`."""
    from foia_tui.archive.releases import attach_documents, ensure_release

    archive, trial = small.archive, trial_messages()[2]
    body = trial.body.replace(POL, exposed)
    copy = MessageRecord(
        0,
        trial.subject,
        HOAN,
        [REDACTED],
        sent=trial.sent,
        body=body,
        page_start=1,
        page_end=1,
        bates_start="ICE-000001",
        copy_kind="print",
    )
    pdf = small.path.parent / "ICE-referral.pdf"
    data = write_pdf(pdf, [f"From: {HOAN.raw}\nSubject: {trial.subject}\n\n{body}\n\nICE-000001"], {})
    # Between two prints the archive shows the one whose document id sorts first: the HSI file is given an id
    # that sorts after the NYPD file's, or before it (its recorded hash is the PDF's with a salt).
    nypd_id = sql_value(archive, "SELECT document_id FROM messages WHERE id = ?", (small.ids["trial2"],))
    salt = 0
    while (document_id_for(hashlib.sha256(data + bytes(salt)).hexdigest()) < nypd_id) != hsi_shown:
        salt += 1
    pages = [PageRecord(1, body, "ICE-000001")]
    hsi_doc = document(pdf.name, "pdf", [copy], pages, data + bytes(salt))  # stored relative to the archive
    store_document(archive, hsi_doc)
    rebuild_conversations(archive)
    paths = {row["path"]: row["id"] for row in sql_rows(archive, "SELECT id, path FROM documents")}
    for name, path in ((NYPD[0], small.pdf), (NYPD[1], small.pdf.parent / "NYPD-release-part2.pdf")):
        attach_documents(archive, ensure_release(archive, name, agency="NYPD"), [paths[str(path)]])
    attach_documents(archive, ensure_release(archive, HSI, agency="ICE (HSI)"), [paths[pdf.name]])
    copy_id = message_id_for(hsi_doc.sha256, 0)
    copies = {copy_id, small.ids["trial2"]}
    canonical = {
        row["id"]: row["canon"]
        for row in sql_rows(archive, "SELECT id, coalesce(duplicate_of, id) AS canon FROM messages")
    }
    assert {canonical[i] for i in copies} == {copy_id if hsi_shown else small.ids["trial2"]}
    return copy_id
