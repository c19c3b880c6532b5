"""Releases: two overlapping productions (an Outlook print from the NYPD, a Gmail print from an HSI referral)
whose redactions differ, compared, counted, searched for gaps and removed again.

The productions are laid out by tests/support/pdfgen.py, which also returns what a perfect importer reads back; the
archive layer is tested on those records, and the whole path (PDF importer included) on the PDFs themselves.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable

from foia_tui.app.app import FoiaApp
from foia_tui.app.screens.releases import ReleasesScreen
from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.releases import (
    ReleaseUsageError,
    attach_documents,
    ensure_release,
    list_releases,
)
from foia_tui.archive.store import message_id_for, store_document
from foia_tui.archive.tags import tag_excerpt, tag_messages
from foia_tui.cli import main
from foia_tui.domain.redactions import MARKER
from foia_tui.domain.releases import Comparison, find_exposures, normalise_date
from foia_tui.services.importing import run_import
from foia_tui.services.releases import compare_releases, find_gaps, message_exposures, remove_release
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import (
    Address,
    AttachmentRecord,
    DocumentRecord,
    MessageRecord,
    PageRecord,
    RedactionRecord,
)
from tests.conftest import settle
from tests.support.pdfgen import Email, Person, Record, Redaction, ReleaseTruth, write_release
from tests.support.sql import sql_rows, sql_value

NYPD, HSI = "NYPD round 1", "HSI referral"
NYPD_CODE, HSI_CODE = "POL 87(2)(b)", "(b)(6)"
PEOPLE = [
    ("Jane", "Doe", "jane.doe@nypd.org"),
    ("Rick", "Roe", "rick.roe@ice.dhs.gov"),
    ("Maria", "Martinez", "maria.martinez@clearview.ai"),
    ("Omar", "Haddad", "omar.haddad@nypd.org"),
    ("Sonia", "Weil", "sonia.weil@ice.dhs.gov"),
]
SENTENCES = [
    "The vendor confirmed the trial accounts are active for the unit.",
    "Please review the attached draft and send comments by Friday.",
    "I spoke with the deputy commissioner about the pilot and he agrees.",
    "We still need approximate costs in spreadsheet format.",
    "The search returned several matches that need manual review.",
    "Can we move the call to Thursday afternoon instead?",
]
SECRETS = ["Det. A. Kowalski", "555-0143", "case 2019-0412", "Sgt. L. Brennan", "the Brooklyn North squad"]


@dataclass
class Secret:
    """A passage each release may box: `boxed` maps a release to the code it printed (None: a box without one)."""

    text: str
    boxed: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Spec:
    """One email of the story, and which release prints it as its own record."""

    n: int
    sender: tuple[str, str, str]
    to: tuple[str, str, str]
    subject: str
    sent: datetime
    parts: list[str | Secret]
    releases: tuple[str, ...]
    attachments: list[str] = field(default_factory=list)
    quotes: Spec | None = None  # the earlier email its print quotes below it


def person(who: tuple[str, str, str], layout: str) -> Person:
    first, last, email = who
    return Person(f"{last}, {first}" if layout == "outlook" else f"{first} {last}", email)


def render(spec: Spec, release: str, layout: str) -> Email:
    body: list[str | Redaction] = []
    for part in spec.parts:
        if isinstance(part, Secret) and release in part.boxed:
            body.append(Redaction(part.boxed[release], part.text))
        else:
            body.append(part if isinstance(part, str) else part.text)
    return Email(
        sender=person(spec.sender, layout),
        to=[person(spec.to, layout)],
        subject=spec.subject,
        sent=spec.sent,
        body=body,
        attachments=list(spec.attachments),
        quoted=render(spec.quotes, release, layout) if spec.quotes else None,
    )


def story() -> list[Spec]:
    """Emails 0-29 in the NYPD release, 10-39 in the HSI referral; two quoted-only emails; one silent pair."""
    specs: list[Spec] = []
    start = datetime(2019, 1, 7, 9, 0)
    for n in range(40):
        sender, to = PEOPLE[n % 5], PEOPLE[(n + 2) % 5]
        releases = tuple(r for r, held in ((NYPD, n < 30), (HSI, n >= 10)) if held)
        first, second = SECRETS[n % 5], SECRETS[(n + 3) % 5]
        if n % 4 == 0:  # NYPD boxes one passage, HSI the other: both exposed
            boxes = ({NYPD: NYPD_CODE}, {HSI: HSI_CODE})
        elif n % 4 == 1:  # both box the first (no exposure), HSI boxes the second without a code
            boxes = ({NYPD: NYPD_CODE, HSI: HSI_CODE}, {HSI: None})
        elif n % 4 == 2:  # NYPD boxes both
            boxes = ({NYPD: NYPD_CODE}, {NYPD: "POL 87(2)(e)"})
        else:  # neither boxes anything
            boxes = ({}, {})
        parts: list[str | Secret] = [
            f"Reference {1000 + n}. {SENTENCES[n % 6]} Ask ",
            Secret(first, boxes[0]),
            f" about it. {SENTENCES[(n + 1) % 6]} The number is ",
            Secret(second, boxes[1]),
            f". {SENTENCES[(n + 2) % 6]}",
        ]
        sent = start + timedelta(hours=7 * n, minutes=(13 * n) % 60)
        subject = f"{['Clearview trial', 'Facial recognition pilot', 'Budget numbers'][n % 3]} {n}"
        specs.append(Spec(n, sender, to, subject, sent, parts, releases))
    quoted_a = Spec(100, PEOPLE[3], PEOPLE[0], "Case request", datetime(2019, 1, 8, 6, 41),
                    ["Reference 5000. Could you run one more search for the squad? Thanks."], ())  # fmt: skip
    quoted_b = Spec(101, PEOPLE[1], PEOPLE[4], "Referral", datetime(2019, 1, 16, 4, 7),
                    ["Reference 5001. Forwarding the HSI referral package as discussed."], ())  # fmt: skip
    specs[5].quotes, specs[5].subject = quoted_a, "RE: Case request"
    specs[35].quotes, specs[35].subject = quoted_b, "RE: Referral"
    specs[12].quotes = specs[11]  # quoted, but printed by both releases too: not a gap
    specs[3].attachments = ["Draft_policy.docx"]
    specs[4].attachments = ["Cover_letter.pdf"]  # produced as its own document below
    when = datetime(2019, 3, 4, 10, 0)
    for k in range(8):  # every two days, then six weeks of nothing, then two more
        sent = when + timedelta(days=2 * k + (42 if k >= 6 else 0), minutes=7 * k)
        pair = (PEOPLE[2], PEOPLE[4]) if k % 2 == 0 else (PEOPLE[4], PEOPLE[2])
        body = [f"Reference {6000 + k}. Numbers for the week are attached to the portal."]
        specs.append(Spec(200 + k, *pair, f"Weekly numbers {k}", sent, body, (NYPD,)))
    return specs


@dataclass
class Productions:
    specs: list[Spec]
    truths: dict[str, ReleaseTruth]
    cover: Path

    def spec_of_minute(self) -> dict[str, int]:
        every = [s for s in self.specs] + [s.quotes for s in self.specs if s.quotes]
        return {s.sent.isoformat()[:16]: s.n for s in every}


def write_productions(folder: Path) -> Productions:
    specs = story()
    folder.mkdir(parents=True, exist_ok=True)
    owner = Person("Records Officer", "records.officer@gmail.com")
    nypd = [
        Record("outlook", [render(s, NYPD, "outlook")], owner=Person("Doe, Jane")) for s in specs if NYPD in s.releases
    ]
    hsi = [Record("gmail", [render(s, HSI, "gmail")], owner=owner) for s in specs if HSI in s.releases]
    truths = {
        NYPD: write_release(folder / "nypd_round1.pdf", nypd, "NYPD-FOIL-", 1, "FOIL 2019-PL-0001"),
        HSI: write_release(folder / "hsi_referral.pdf", hsi, "ICE-2019-", 101, None),
    }
    cover = folder / "Cover_letter.pdf"
    write_release(cover, [Record("cover", letter=["Please find the records enclosed."])], "NYPD-FOIL-", 900)
    return Productions(specs, truths, cover)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _address(who: Person | Redaction) -> Address:
    if isinstance(who, Redaction):
        return Address(raw=who.marker)
    return Address(who.name, who.email, who.printed)


def truth_record(truth: ReleaseTruth) -> DocumentRecord:
    """What a perfect importer reads from one generated release."""
    messages = []
    for t in truth.messages:
        header = sum(isinstance(x, Redaction) for x in [t.sender, *t.to, *t.cc])
        offsets = [m.start() for m in MARKER.finditer(t.body)]
        reds = [
            RedactionRecord(r.page, r.bbox, r.code, offsets[i - header] if i >= header else None, r.leaked_text)
            for i, r in enumerate(t.redactions)
        ]
        messages.append(
            MessageRecord(
                ordinal=t.ordinal,
                subject=t.subject,
                sender=_address(t.sender),
                to=[_address(x) for x in t.to],
                cc=[_address(x) for x in t.cc],
                sent=t.sent,
                date_text=t.date_text,
                body=t.body,
                page_start=t.page_start,
                page_end=t.page_end,
                bates_start=t.bates_start,
                bates_end=t.bates_end,
                redactions=reds,
                attachments=[AttachmentRecord(name) for name in t.attachments],
                copy_kind=t.copy_kind,
                quoted_in=t.quoted_in,
            )
        )
    pages = [PageRecord(p.number, "", p.bates) for p in truth.pages]
    return DocumentRecord(str(truth.path), sha256_of(truth.path), "pdf", messages, pages, len(pages))


def store_productions(archive: Archive, prod: Productions) -> None:
    """The productions as a perfect importer would leave them, each document linked to its release."""
    for name, agency in ((NYPD, "NYPD"), (HSI, "ICE/HSI")):
        release_id = ensure_release(archive, name, agency=agency, produced="2020-0" + ("3" if name == NYPD else "5"))
        stored = store_document(archive, truth_record(prod.truths[name]))
        attach_documents(archive, release_id, [stored.document_id])
    cover = DocumentRecord(
        str(prod.cover), sha256_of(prod.cover), "pdf", [], [PageRecord(1, "", "NYPD-FOIL-000900")], 1
    )
    attach_documents(archive, ensure_release(archive, NYPD), [store_document(archive, cover).document_id])
    rebuild_conversations(archive)


@pytest.fixture(scope="module")
def productions(tmp_path_factory) -> Productions:
    return write_productions(tmp_path_factory.mktemp("productions"))


@pytest.fixture
def archive(tmp_path, productions) -> Archive:
    archive = Archive.open(tmp_path / "archive.db")
    store_productions(archive, productions)
    yield archive
    archive.close()


def email_of(prod: Productions, message: dict) -> int:
    return prod.spec_of_minute()[message["sent"][:16]]


def expected_exposures(prod: Productions) -> set[tuple[int, str | None, str, str, str]]:
    found = set()
    for spec in prod.specs:
        if set(spec.releases) != {NYPD, HSI}:
            continue
        for part in spec.parts:
            if isinstance(part, Secret):
                for red, read in ((NYPD, HSI), (HSI, NYPD)):
                    if red in part.boxed and read not in part.boxed:
                        found.add((spec.n, part.boxed[red], part.text, red, read))
    return found


def pairing_figures(prod: Productions, result: Comparison) -> dict[str, int]:
    shared = {s.n for s in prod.specs if set(s.releases) == {NYPD, HSI}}
    paired = wrong = 0
    for message_a, message_b in result.both:
        a, b = email_of(prod, message_a), email_of(prod, message_b)
        if a != b:
            wrong += 1
        elif a in shared:
            paired += 1
    return {"shared": len(shared), "paired": paired, "wrong": wrong}


def check_compare(prod: Productions, result: Comparison, label: str) -> None:
    figures = pairing_figures(prod, result)
    exposures = {(email_of(prod, e.message), e.code, e.text, e.redacted_in, e.readable_in)
                 for e in result.exposures}  # fmt: skip
    expected = expected_exposures(prod)
    print(
        f"{label}: {figures['paired']}/{figures['shared']} shared emails paired, {figures['wrong']} wrongly; "
        f"{len(exposures & expected)}/{len(expected)} exposures found, {len(exposures - expected)} spurious"
    )
    assert figures["paired"] >= 0.95 * figures["shared"]
    assert figures["wrong"] == 0
    assert exposures == expected


# -- compare -------------------------------------------------------------------------------------------------


def test_compare_pairs_shared_emails_and_finds_every_exposure(archive, productions):
    result = compare_releases(archive, NYPD, HSI)
    check_compare(productions, result, "records")
    only_a = {email_of(productions, m) for m in result.only_a}
    only_b = {email_of(productions, m) for m in result.only_b}
    assert set(range(10)) <= only_a and 100 in only_a and set(range(200, 208)) <= only_a
    assert only_b == set(range(30, 40)) | {101}
    exposure = next(e for e in result.exposures if e.redacted_in == HSI and e.code is None)
    assert "█[REDACTED]█" in exposure.message["body"]
    assert {c["release"] for c in exposure.message["copies"]} == {NYPD, HSI}


def test_compare_cli_json_and_text(archive, productions, tmp_path):
    archive.close()
    db = str(tmp_path / "archive.db")
    result = CliRunner().invoke(main, ["compare", NYPD, HSI, "--json", "--db", db])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"both", "only_a", "only_b", "exposures"} <= set(data)
    assert set(data["exposures"][0]) == {"message", "code", "text", "redacted_in", "readable_in"}
    assert {"a", "b"} == set(data["both"][0]) and "copies" in data["both"][0]["a"]
    text = CliRunner().invoke(main, ["compare", HSI, NYPD, "--db", db])
    assert text.exit_code == 0 and "readable in NYPD round 1" in text.output


def test_compare_bad_input(archive, tmp_path):
    ensure_release(archive, "NYPD round 2", status="no_records")
    archive.close()
    db = str(tmp_path / "archive.db")
    cases = [
        ([NYPD, NYPD], 2, "with itself"),
        ([NYPD, "Nope"], 2, "no release named 'Nope'"),
        ([NYPD, "NYPD round 2"], 1, "has no messages"),
    ]
    for names, code, words in cases:
        result = CliRunner().invoke(main, ["compare", *names, "--db", db])
        assert result.exit_code == code, result.output
        assert words in result.output and len(result.output.strip().splitlines()) == 1


# -- the app's note on a box ---------------------------------------------------------------------------------


def test_message_exposures_name_the_release_that_shows_the_text(archive, productions):
    spec = productions.specs[12]  # n % 4 == 0: NYPD boxed the first passage
    sha = sha256_of(productions.truths[NYPD].path)
    ordinal = next(t.ordinal for t in productions.truths[NYPD].messages
                   if t.sent.startswith(spec.sent.isoformat()[:16]) and t.copy_kind == "print")  # fmt: skip
    found = message_exposures(archive, message_id_for(sha, ordinal))
    exposures = [f.exposure for f in found]
    assert [(e.code, e.text, e.readable_in) for e in exposures] == [(NYPD_CODE, SECRETS[12 % 5], (HSI,))]
    body = sql_value(archive, "SELECT body FROM messages WHERE id = ?", (message_id_for(sha, ordinal),))
    assert body[exposures[0].offset :].startswith("█[REDACTED POL 87(2)(b)]█")
    assert found[0].source.bates.startswith("ICE-2019-")


# -- counts and list ----------------------------------------------------------------------------------------


def test_releases_index_counts(archive, productions, tmp_path):
    archive.close()
    result = CliRunner().invoke(main, ["releases", "--json", "--db", str(tmp_path / "archive.db")])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["name"] for r in rows] == [HSI, NYPD]  # newest first
    expected_keys = {"name", "agency", "request_id", "filed", "produced", "status"}
    assert expected_keys | {"documents", "pages", "messages", "redactions"} <= set(rows[0])
    for row in rows:
        truth = productions.truths[row["name"]]
        emails = {t.sent[:16] for t in truth.messages}
        assert row["messages"] == len(emails)
        assert row["redactions"] == len(truth.redactions)
        extra = 1 if row["name"] == NYPD else 0  # the cover letter
        assert (row["documents"], row["pages"]) == (1 + extra, len(truth.pages) + extra)
    print("releases:", [(r["name"], r["documents"], r["pages"], r["messages"], r["redactions"]) for r in rows])


def test_list_json_carries_copies_per_release(archive, tmp_path):
    archive.close()
    result = CliRunner().invoke(main, ["list", "--json", "--db", str(tmp_path / "archive.db")])
    rows = [json.loads(line) for line in result.output.splitlines()]
    shared = [r for r in rows if {c["release"] for c in r["copies"]} == {NYPD, HSI}]
    assert len(shared) == 20
    for row in shared:
        assert all(set(c) == {"release", "file", "page_start", "bates"} for c in row["copies"])
        bates = {c["release"]: c["bates"] for c in row["copies"]}
        assert bates[NYPD].startswith("NYPD-FOIL-") and bates[HSI].startswith("ICE-2019-")


# -- the app ------------------------------------------------------------------------------------------------


async def test_releases_screen_lists_counts_and_enter_filters_the_threads(archive):
    app = FoiaApp(archive)
    async with app.run_test(size=(130, 36)) as pilot:
        await settle(pilot)
        main = app.screen
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, ReleasesScreen)
        table = app.screen.query_one(DataTable)
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == [HSI, NYPD]
        assert [cell.plain for cell in table.get_row_at(0)[5:]] == ["1", "30", "31", "21"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is main and main.query_text == 'release:"NYPD round 1"'
        await pilot.press("L", "escape")
        await settle(pilot)
        assert app.screen is main and main.query_text == 'release:"NYPD round 1"'


# -- gaps ---------------------------------------------------------------------------------------------------


def test_gaps_report_quoted_only_missing_attachments_and_silence(archive, productions, tmp_path):
    gaps = find_gaps(archive)
    quoted = [g for g in gaps if g.kind == "quoted_only"]
    assert sorted(g.message["subject"] for g in quoted) == ["Case request", "Referral"]
    for gap in quoted:
        evidence = sql_rows(archive, f"SELECT sent FROM messages WHERE id IN ({', '.join('?' * len(gap.evidence))})",
                                 tuple(gap.evidence))  # fmt: skip
        quoting = productions.specs[5 if gap.message["subject"] == "Case request" else 35]
        assert [e["sent"][:16] for e in evidence] == [quoting.sent.isoformat()[:16]]
    missing = [g for g in gaps if g.kind == "attachment_missing"]
    assert [g.detail for g in missing] == ["names 'Draft_policy.docx', which no release produced"]
    silence = [g for g in gaps if g.kind == "silence"]
    before, after = (productions.specs[n].sent.isoformat()[:16] for n in (45, 46))  # "Weekly numbers" 5 and 6
    sent = {r["id"]: r["sent"][:16] for r in sql_rows(archive, "SELECT id, sent FROM messages")}
    assert any([sent[e] for e in g.evidence] == [before, after] and "44 days" in g.detail for g in silence)
    archive.close()
    db = str(tmp_path / "archive.db")
    lines = CliRunner().invoke(main, ["gaps", "--json", "--db", db]).output.splitlines()
    assert {tuple(sorted(json.loads(line))) for line in lines} == {("detail", "evidence", "kind", "message")}
    md = CliRunner().invoke(main, ["gaps", "--format", "md", "--db", db]).output
    assert md.startswith("# Records the productions point to but do not contain")
    assert "## Emails quoted or answered but not produced (2)" in md
    assert "Quoted or answered in: nypd\\_round1.pdf, p. 6, Bates NYPD-FOIL-000006 (NYPD round 1)" in md
    assert "Named in: nypd\\_round1.pdf" in md and "Last record before: " in md
    print(f"gaps: {len(quoted)} quoted_only, {len(missing)} attachment_missing, {len(silence)} silence")


# -- removal ------------------------------------------------------------------------------------------------


def test_remove_release_keeps_what_another_holds_and_moves_tags(archive, productions):
    shared = productions.specs[16]
    hsi_only = productions.specs[33]
    rows = {r["sent"][:16]: r for r in sql_rows(archive,
        """SELECT m.id, m.sent, m.body FROM messages m JOIN release_documents rd ON rd.document_id = m.document_id
           JOIN releases r ON r.id = rd.release_id WHERE r.name = ? AND m.copy_kind = 'print'""", (HSI,))}  # fmt: skip
    shared_hsi = rows[shared.sent.isoformat()[:16]]
    tag_messages(archive, "follow-up", [shared_hsi["id"]])
    at = shared_hsi["body"].index("Reference")
    tag_excerpt(archive, "quote", shared_hsi["id"], at, at + 14)
    tag_messages(archive, "hsi-only", [rows[hsi_only.sent.isoformat()[:16]]["id"]])
    with pytest.raises(ArchiveError, match="1 tagging"):
        remove_release(archive, HSI)
    assert sql_value(archive, "SELECT count(*) FROM releases") == 2  # refused: nothing changed
    summary = remove_release(archive, HSI, force=True)
    assert summary["taggings_moved"] == 2 and summary["taggings_removed"] == 1
    assert [r.name for r in list_releases(archive)] == [NYPD]
    tagged = sql_rows(
        archive,
        """SELECT t.name, m.sent, g.start, g."end", g.quoted_text, substr(m.body, g.start + 1, g."end" - g.start) AS now
           FROM taggings g JOIN tags t ON t.id = g.tag_id JOIN messages m ON m.id = g.message_id ORDER BY t.name""",
    )
    minute = shared.sent.isoformat()[:16]
    assert [(t["name"], t["sent"][:16]) for t in tagged] == [("follow-up", minute), ("quote", minute)]
    assert tagged[1]["now"] == tagged[1]["quoted_text"]
    sents = {r["sent"][:16] for r in sql_rows(archive, "SELECT sent FROM messages")}
    assert shared.sent.isoformat()[:16] in sents and hsi_only.sent.isoformat()[:16] not in sents
    assert sql_value(archive, "SELECT count(*) FROM documents") == 2


# -- import into releases -----------------------------------------------------------------------------------


def write_eml(path: Path, n: int) -> Path:
    message = EmailMessage()
    message["From"] = "Hoan Ton-That <hoan@clearview.ai>"
    message["To"] = "di@nypd.example"
    message["Subject"] = f"Clearview trial {n}"
    message["Date"] = f"Tue, {n + 4:02d} Dec 2018 15:14:00 -0500"
    message["Message-ID"] = f"<release-test-{n}@example>"
    message.set_content(f"Note {n}: we continue to receive positive results.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(message))
    return path


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_import_names_releases_and_a_second_release_gets_a_copy(tmp_path):
    db = str(tmp_path / "a.db")
    folder = tmp_path / "nypd-2020"
    for n in range(3):
        write_eml(folder / f"{n}.eml", n)
    assert invoke("import", str(folder), "--db", db).exit_code == 0
    again = invoke("import", str(folder / "1.eml"), "--release", "HSI referral", "--agency", "ICE", "--db", db)
    assert again.exit_code == 0 and "1 already in the archive" in again.output
    archive = Archive.open(db)
    assert sql_value(archive, "SELECT count(*) FROM messages") == 3
    rows = {r.name: r for r in list_releases(archive)}
    assert (rows["nypd-2020"].documents, rows["nypd-2020"].messages) == (3, 3)
    assert (rows["HSI referral"].documents, rows["HSI referral"].messages, rows["HSI referral"].agency) == (1, 1, "ICE")
    archive.close()
    listed = [json.loads(line) for line in invoke("list", "--json", "--db", db).output.splitlines()]
    copies = next(m["copies"] for m in listed if m["subject"] == "Clearview trial 1")
    assert sorted(c["release"] for c in copies) == ["HSI referral", "nypd-2020"]
    single = invoke("import", str(write_eml(tmp_path / "x" / "round2.eml", 9)), "--db", db)
    assert single.exit_code == 0 and "release: round2" in single.output


def test_import_with_conflicting_metadata_is_a_usage_error(tmp_path):
    db = str(tmp_path / "a.db")
    first = write_eml(tmp_path / "in" / "0.eml", 0)
    created = invoke("import", str(first), "--release", "R", "--agency", "NYPD", "--filed", "2020-01", "--db", db)
    assert created.exit_code == 0
    second = write_eml(tmp_path / "in" / "1.eml", 1)
    result = CliRunner().invoke(main, ["import", str(second), "--release", "R", "--agency", "HSI", "--db", db])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "foia: release 'R' already has agency 'NYPD', not 'HSI' (change it with `foia release edit`)"
    )
    bad_date = CliRunner().invoke(main, ["import", str(second), "--release", "R", "--filed", "5/3/20", "--db", db])
    assert bad_date.exit_code == 2 and "--filed: '5/3/20' is not a date" in bad_date.output
    archive = Archive.open(db)
    assert sql_value(archive, "SELECT count(*) FROM messages") == 1  # nothing imported on either refusal
    archive.close()


def test_release_add_edit_rm_from_the_command_line(tmp_path):
    db = str(tmp_path / "a.db")
    added = invoke("release", "add", "Chicago PD", "--agency", "CPD", "--filed", "2020-02-01", "--status",
                   "no_records", "--db", db)  # fmt: skip
    assert added.exit_code == 0
    assert CliRunner().invoke(main, ["release", "add", "Chicago PD", "--db", db]).exit_code == 2
    edited = invoke("release", "edit", "Chicago PD", "--rename", "Chicago PD 2020", "--notes", "appealed", "--db", db)
    assert edited.exit_code == 0
    rows = [json.loads(line) for line in invoke("releases", "--json", "--db", db).output.splitlines()]
    assert rows == [
        {"name": "Chicago PD 2020", "agency": "CPD", "request_id": None, "filed": "2020-02-01", "produced": None,
         "requester": None, "status": "no_records", "notes": "appealed", "tz": None, "tz_given": False,
         "documents": 0, "pages": 0, "messages": 0, "redactions": 0}
    ]  # fmt: skip
    unknown = CliRunner().invoke(main, ["release", "rm", "Nope", "--db", db])
    assert unknown.exit_code == 2 and unknown.output.startswith("foia: no release named 'Nope'")
    assert invoke("release", "rm", "Chicago PD 2020", "--db", db).exit_code == 0
    assert invoke("releases", "--json", "--db", db).output == ""


def test_release_metadata_rules(tmp_path):
    archive = Archive.open(tmp_path / "a.db")
    first = ensure_release(archive, "R", agency="NYPD")
    assert ensure_release(archive, "R", agency="NYPD", request_id="2020-PL-1") == first  # blanks fill in
    with pytest.raises(ReleaseUsageError, match="request_id '2020-PL-1', not 'X'"):
        ensure_release(archive, "R", request_id="X")
    assert [normalise_date(d) for d in ("2020", "2020-03", "2020-03-05")] == ["2020", "2020-03", "2020-03-05"]
    for bad in ("2020-13", "2020-02-30", "March 2020"):
        with pytest.raises(ValueError):
            normalise_date(bad)
    archive.close()


# -- alignment ----------------------------------------------------------------------------------------------


def test_find_exposures_aligns_on_the_words_around_each_box():
    red = "Call █[REDACTED (b)(6)]█. Then ask █[REDACTED]█ █[REDACTED]█ for the file █[REDACTED (b)(5)]█ today."
    shown = "Call 555-0143. Then ask Det. A. Kowalski for the file █[REDACTED (b)(5)]█ today."
    found = find_exposures(red, shown)
    assert [(e.index, e.code, e.text) for e in found] == [(0, "(b)(6)", "555-0143"), (1, None, "Det. A. Kowalski")]
    assert red[found[1].offset :].startswith("█[REDACTED]█")
    quoted = "> Call 555-\n> 0143. Then ask Sgt.\n> Brennan for the file today."
    assert [e.text for e in find_exposures(red, quoted)][:1] == ["555- 0143"]
    assert find_exposures("Hello █[REDACTED]█ there", "Completely different words") == []
    assert find_exposures("Hello █[REDACTED]█ there", "Hello there") == []


# -- end to end through the PDF importer --------------------------------------------------------------------


def test_end_to_end_from_pdfs(productions, tmp_path):
    archive = Archive.open(tmp_path / "pdf.db")
    for name, files in (
        (NYPD, [productions.truths[NYPD].path, productions.cover]),
        (HSI, [productions.truths[HSI].path]),
    ):
        summary = run_import(archive, [str(f) for f in files], release=name, workers=1)
        assert not summary.failures, summary.failures
    check_compare(productions, compare_releases(archive, NYPD, HSI), "PDFs")
    gaps = find_gaps(archive)
    assert sorted(g.message["subject"] for g in gaps if g.kind == "quoted_only") == ["Case request", "Referral"]
    assert [g.detail for g in gaps if g.kind == "attachment_missing"] == [
        "names 'Draft_policy.docx', which no release produced"
    ]
    for row in list_releases(archive):
        truth = productions.truths[row.name]
        assert row.messages == len({t.sent[:16] for t in truth.messages})
        assert row.redactions == len(truth.redactions)
    archive.close()
