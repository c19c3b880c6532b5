"""The PDF importer against generated releases with known truth, bad input, and the real corpora."""

from __future__ import annotations

import io
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from PIL import Image

from importers.addresses import parse_address, parse_address_list
from importers.dates import parse_date
from importers.pdf import parse
from importers.records import Address, DocumentRecord, MessageRecord, UnreadableFile
from tests.support.pdfgen import (
    Email,
    Person,
    Record,
    Redaction,
    ReleaseTruth,
    TruthMessage,
    make_scanned_copy,
    random_body,
    random_release,
    write_release,
)

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
needs_tesseract = pytest.mark.skipif(not shutil.which("tesseract"), reason="scanned pages need tesseract-ocr")
COVER = Record(
    "cover",
    letter=[
        "December 10, 2018",
        "Re: FOIL Request 2018-PL-1234",
        "Dear Requester: This letter responds to your request under the Public Officers Law. "
        "Records are released with redactions under POL 87(2)(b) and the clearview agreement is enclosed.",
        "Sincerely, Records Access Officer",
    ],
)


# dates and addresses ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("Tuesday, December 4, 2018 3:14 PM", "2018-12-04T15:14:00"),
        ("Tue, Dec 4, 2018 at 3:14 PM", "2018-12-04T15:14:00"),
        ("12/4/2018 3:14:00 PM", "2018-12-04T15:14:00"),
        ("Fri 2/16/2018 9:59 PM", "2018-02-16T21:59:00"),
        ("Thursday, March 07, 2013 3:04 PM", "2013-03-07T15:04:00"),
        ("Tuesday, December 4, 2018 3:14 PM EST", "2018-12-04T15:14:00-05:00"),
        ("Tue, 4 Dec 2018 15:14:00 +0100", "2018-12-04T15:14:00+01:00"),
        ("Dec 4, 2018, at 12:05 AM (UTC-05:00)", "2018-12-04T00:05:00-05:00"),
        ("December 4, 2018", "2018-12-04"),
        ("no date here 13/45/2018", None),
    ],
)
def test_printed_dates_keep_their_zone_or_stay_naive(printed: str, iso: str | None) -> None:
    assert parse_date(printed) == iso


def test_address_lists_respect_last_first_commas_and_redactions() -> None:
    people = parse_address_list("Doe, Jane <jane@x.gov>, Roe, Rick <rick@x.gov>")
    assert [(a.name, a.email) for a in people] == [("Doe, Jane", "jane@x.gov"), ("Roe, Rick", "rick@x.gov")]
    assert [a.name for a in parse_address_list("Doe, Jane; Roe, Rick")] == ["Doe, Jane", "Roe, Rick"]
    assert [a.name for a in parse_address_list("Jane Doe, Rick Roe")] == ["Jane Doe", "Rick Roe"]
    assert [a.email for a in parse_address_list("a@b.com, c@d.org")] == ["a@b.com", "c@d.org"]
    mixed = parse_address_list("█[REDACTED (b)(6), (b)(7)(C)]█; Smith, John")
    assert [a.redacted for a in mixed] == [True, False]
    assert parse_address("(b)(6)").redacted
    assert parse_address("Jane Doe [mailto:jane@x.com]") == Address(
        "Jane Doe", "jane@x.com", "Jane Doe [mailto:jane@x.com]"
    )


# generated releases ---------------------------------------------------------------------------------------
def _person_matches(found: Address | None, expected: Person | Redaction) -> bool:
    if isinstance(expected, Redaction):
        return found is not None and found.redacted
    return found is not None and (found.name, found.email) == (expected.name, expected.email)


def _people_match(found: list[Address], expected: list[Person | Redaction]) -> bool:
    return len(found) == len(expected) and all(map(_person_matches, found, expected))


def _norm(text: str) -> str:
    return " ".join(text.split())


def _match(truth: ReleaseTruth, doc: DocumentRecord) -> dict[int, MessageRecord]:
    """Truth ordinal -> the record read at the same place with the same date."""
    pool = list(doc.messages)
    matched = {}
    for want in truth.messages:
        for got in pool:
            if got.page_start == want.page_start and got.sent == want.sent:
                matched[want.ordinal] = got
                pool.remove(got)
                break
    return matched


def _field_score(want: TruthMessage, got: MessageRecord, matched: dict[int, MessageRecord]) -> dict[str, bool]:
    parent = matched.get(want.quoted_in) if want.quoted_in is not None else None
    return {
        "subject": got.subject == want.subject,
        "sender": _person_matches(got.sender, want.sender),
        "to": _people_match(got.to, want.to),
        "cc": _people_match(got.cc, want.cc),
        "sent": got.sent == want.sent,
        "body": _norm(got.body) == _norm(want.body),
        "kind": got.copy_kind == want.copy_kind and (parent.ordinal if parent else None) == got.quoted_in,
        "pages": (got.page_start, got.page_end) == (want.page_start, want.page_end),
        "bates": (got.bates_start, got.bates_end) == (want.bates_start, want.bates_end),
    }


def _assert_release_read(truth: ReleaseTruth, doc: DocumentRecord) -> None:
    matched = _match(truth, doc)
    assert len(matched) >= 0.95 * len(truth.messages), "messages recovered"
    assert len(doc.messages) == len(matched), "no spurious messages"
    scores = [_field_score(want, matched[want.ordinal], matched) for want in truth.messages if want.ordinal in matched]
    for name in scores[0]:
        right = sum(score[name] for score in scores)
        assert right >= 0.95 * len(scores), f"{name}: {right}/{len(scores)} right"
    found = [r for m in doc.messages for r in m.redactions]
    for want in truth.redactions:
        near = [r for r in found if r.page == want.page and _iou(r.bbox, want.bbox) > 0.6]
        assert len(near) == 1, f"box on page {want.page} at {want.bbox}"
        assert near[0].code == want.code
        assert near[0].leaked_text == want.leaked_text
    assert len(found) == len(truth.redactions)
    for message in doc.messages:
        for red in message.redactions:
            if red.offset is not None:
                assert message.body[red.offset :].startswith("█[REDACTED")
            if red.leaked_text:
                assert red.leaked_text not in message.body


def _iou(a: tuple[float, ...] | None, b: tuple[float, ...] | None) -> float:
    if a is None or b is None:
        return 0.0
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(0.0, w) * max(0.0, h)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def _long_outlook() -> Record:
    """One message running over three pages, an image box, a code printed beside its box, a wrapped To."""
    body = random_body(__import__("random").Random(3), boxes=0.0, paragraphs=14)
    body[3:3] = [
        Redaction("(b)(7)(C)", "Jane Q. Witness", style="image"),
        " and ",
        Redaction("(b)(6)", "212-555-0199", style="beside"),
    ]
    to = [Person(f"Officer, Number{i}", f"officer{i}@nypd.org") for i in range(6)]
    email = Email(Person("Doe, Jane", "jane.doe@nypd.org"), to, "Long report", datetime(2019, 1, 2, 9, 5), body)
    email.attachments = ["report.pdf", "photo 1.jpg"]
    return Record("outlook", [email], owner=Person("Doe, Jane"))


def _gmail_with_nested_quotes() -> Record:
    a, b = Person("Hoan Ton-That", "hoan@clearview.ai"), Person("Jane Doe", "jane.doe@nypd.org")
    oldest = Email(
        Redaction("POL 87(2)(b)", "Hoan Ton-That"),
        [],
        "Trial",
        datetime(2019, 2, 1, 8, 0),
        ["Here are your trial credentials."],
    )
    middle = Email(
        b,
        [],
        "Trial",
        datetime(2019, 2, 1, 9, 30),
        ["Thanks, it works. Call me at ", Redaction("(b)(6)", "917-555-0142", leak=True), " today."],
    )
    middle.quoted = oldest
    team = [Person(f"Detective {n}", f"detective.{n}@nypd.org") for n in ("Ames", "Baker", "Cruz", "Diaz", "Evans")]
    top = Email(
        a,
        [b, *team],
        "Trial",
        datetime(2019, 2, 2, 10, 0),
        ["Glad to hear it."],
        cc=[Person("Sales", "sales@clearview.ai")],
    )
    top.quoted = middle
    first = Email(b, [a], "Trial", datetime(2019, 2, 1, 7, 0), ["Can we get a trial for the unit?"])
    return Record("gmail", [first, top], owner=Person("Jane Doe", "jane.doe@nypd.org"))


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReleaseTruth, DocumentRecord]:
    path = tmp_path_factory.mktemp("pdf") / "release.pdf"
    records = [COVER, *random_release(7, 24, boxes=0.35, leak=0.1), _long_outlook(), _gmail_with_nested_quotes()]
    truth = write_release(path, records)
    return truth, parse(path)


def test_generated_release_messages_fields_and_boxes_match_truth(release: tuple[ReleaseTruth, DocumentRecord]) -> None:
    truth, doc = release
    assert len(truth.messages) > 40 and len(truth.redactions) > 40
    _assert_release_read(truth, doc)
    assert doc.page_count == len(truth.pages) == len(doc.pages)
    assert [p.bates for p in doc.pages] == [p.bates for p in truth.pages]
    assert not doc.warnings


def test_running_header_footer_and_bates_stay_out_of_bodies(release: tuple[ReleaseTruth, DocumentRecord]) -> None:
    _truth, doc = release
    long = next(m for m in doc.messages if m.subject == "Long report")
    assert long.page_end - long.page_start >= 1 and long.bates_start != long.bates_end
    assert [a.name for a in long.attachments] == ["report.pdf", "photo 1.jpg"]
    assert len(long.to) == 6
    for message in doc.messages:
        assert "NYPD-FOIL-" not in message.body and "Released Records" not in message.body
        assert "mail.google.com" not in message.body and "Page " not in message.body


def test_cover_letter_gives_a_page_but_no_message(release: tuple[ReleaseTruth, DocumentRecord]) -> None:
    truth, doc = release
    assert truth.pages[0].kind == "cover"
    assert "Records Access Officer" in doc.pages[0].text and doc.pages[0].bates == truth.pages[0].bates
    assert all(m.page_start > 1 for m in doc.messages)


def test_gmail_quotes_become_their_own_records(release: tuple[ReleaseTruth, DocumentRecord]) -> None:
    _truth, doc = release
    top = next(m for m in doc.messages if m.body.startswith("Glad to hear it"))
    middle = doc.messages[top.ordinal + 1]
    oldest = doc.messages[top.ordinal + 2]
    assert (middle.copy_kind, middle.quoted_in, oldest.quoted_in) == ("quoted", top.ordinal, middle.ordinal)
    assert middle.sender == Address("Jane Doe", "jane.doe@nypd.org", "Jane Doe <jane.doe@nypd.org>")
    assert top.body == "Glad to hear it." and "wrote:" not in middle.body
    assert len(top.to) == 6 and top.to[-1].email == "detective.Evans@nypd.org"
    leak = middle.redactions[0]
    assert leak.leaked_text == "917-555-0142" and "917-555" not in middle.body
    assert "█[REDACTED (b)(6)]█" in middle.body


def test_outlook_header_variants(tmp_path: Path) -> None:
    """Unpadded labels, a Date: label with a numeric date, a header at the bottom of a page."""
    rng = __import__("random").Random(5)
    first = Email(
        Person("Roe, Rick", "rick@dc.gov"),
        [Person("Doe, Jane")],
        "Numbers",
        datetime(2018, 12, 4, 15, 14),
        random_body(rng, 0.0, paragraphs=10),
        date_style="numeric",
    )
    first.quoted = Email(
        Person("Doe, Jane", "jane@dc.gov"),
        [Person("Roe, Rick")],
        "Numbers",
        datetime(2018, 12, 3, 9, 0),
        random_body(rng, 0.0, paragraphs=9),
    )
    truth = write_release(
        tmp_path / "v.pdf",
        [
            Record("outlook", [first]),
            Record(
                "outlook",
                [Email(Person("Roe, Rick"), [], "Second", datetime(2018, 12, 5, 8, 0), ["Short."])],
                owner=Person("Roe, Rick"),
            ),
        ],
        bates_prefix="CLEARVIEW_",
        running_header=None,
    )
    doc = parse(tmp_path / "v.pdf")
    _assert_release_read(truth, doc)
    assert doc.messages[0].date_text == "12/4/2018 3:14:00 PM"
    assert doc.messages[0].bates_start == "CLEARVIEW_000123"


def _boxed(hidden: str) -> Redaction:
    return Redaction("POL 87(2)(b)", hidden)


def _records_one_to_a_page() -> list[Record]:
    """Outlook prints without banners, one to a page: the last is a reply chain dated before the record
    above it, and two pages running start with the same boxed "From:" line at the same place."""
    hoan = Person("Hoan Ton-That", "hoan@clearview.ai")
    summit = Email(
        hoan,
        [_boxed("Deputy Inspector R. Marino"), _boxed("Det. A. Kowalski")],
        "Technology summit",
        datetime(2019, 6, 4, 14, 22),
        ["We will be presenting at a technology summit next month and would welcome a short testimonial."],
    )
    press = Email(
        _boxed("Lt. S. Haddad"),
        [_boxed("Deputy Inspector R. Marino")],
        "Press inquiry",
        datetime(2020, 1, 21, 10, 5),
        ["Please confirm which units used the app and whether any accounts are still active."],
    )
    ask = Email(
        hoan,
        [_boxed("Deputy Inspector R. Marino")],
        "Trial results",
        datetime(2019, 2, 11, 9, 30),
        ["Could you share how the trial is going?"],
    )
    reply = Email(
        _boxed("Deputy Inspector R. Marino"),
        [hoan],
        "RE: Trial results",
        datetime(2019, 2, 12, 8, 47),
        ["We continue to receive positive results."],
        cc=[_boxed("Det. A. Kowalski")],
        quoted=ask,
    )
    return [Record("outlook", [summit]), Record("outlook", [press]), Record("outlook", [reply])]


def _gmail_threads_with_boxed_senders() -> list[Record]:
    """Gmail threads whose first (and third) sender line is only a box with the date at the right margin,
    and replies quoting them as "On <date>, <box> wrote:"."""
    support = Person("Clearview AI Support", "help@clearview.ai")
    owner = Person("Records Officer", "foil.records@gmail.com")
    ask = Email(
        _boxed("Det. A. Kowalski"),
        [support],
        "Personal phone",
        datetime(2019, 1, 8, 21, 17),
        ["Can I install the app on my personal phone?"],
        date_style="gmail",
    )
    answer = Email(
        support,
        [_boxed("Det. A. Kowalski")],
        "Personal phone",
        ask.sent + timedelta(hours=11),
        ["Yes, the app works on any phone."],
        quoted=ask,
        date_style="gmail",
    )
    first = Email(
        _boxed("Det. M. Osei"),
        [support],
        "Search returned no results",
        datetime(2019, 1, 29, 23, 40),
        ["I ran a still from a video and got nothing back. Is there a minimum resolution?"],
        date_style="gmail",
    )
    second = Email(
        support,
        [_boxed("Det. M. Osei")],
        first.subject,
        first.sent + timedelta(hours=9),
        ["Try cropping to the face."],
        quoted=first,
        date_style="gmail",
    )
    third = Email(
        _boxed("Det. M. Osei"),
        [support],
        first.subject,
        second.sent + timedelta(hours=3),
        ["Cropped it and got two possible matches. Thanks."],
        quoted=second,
        date_style="gmail",
    )
    return [Record("gmail", [ask, answer], owner=owner), Record("gmail", [first, second, third], owner=owner)]


def test_boxed_senders_and_records_one_to_a_page(tmp_path: Path) -> None:
    """Gmail sender lines that are only a box start messages; a record printed on a fresh page after a
    short one is a print of its own even when dated earlier; repeated header lines are not furniture."""
    truth = write_release(
        tmp_path / "boxed.pdf",
        [*_gmail_threads_with_boxed_senders(), *_records_one_to_a_page()],
        bates_prefix="ICE-2021-FOIA-",
        bates_start=4417,
        running_header=None,
    )
    doc = parse(truth.path)
    _assert_release_read(truth, doc)
    matched = _match(truth, doc)
    assert len(matched) == len(truth.messages) == 13
    assert all(all(_field_score(want, matched[want.ordinal], matched).values()) for want in truth.messages)
    assert [m.copy_kind for m in doc.messages[-4:]] == ["print", "print", "print", "quoted"]
    assert doc.messages[-2].subject == "RE: Trial results" and doc.messages[-1].quoted_in == doc.messages[-2].ordinal
    assert [m.sender.redacted for m in doc.messages[:2]] == [True, False]  # type: ignore[union-attr]
    assert doc.pages[0].bates == "ICE-2021-FOIA-004417"


def test_from_line_left_empty_is_a_redacted_sender(tmp_path: Path) -> None:
    """A sender taken out of the text layer (or a box OCR reads as a stroke) is redacted, not unknown."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_font("helvetica", size=10)
    for value in ("", "|", "(b)(6)"):
        pdf.add_page()
        lines = [f"From: {value}", "Sent: Tuesday, December 4, 2018 3:14 PM", "To: Doe, Jane", "Subject: Boxed"]
        for k, line in enumerate([*lines, "", "Body."]):
            pdf.text(54, 80 + 13 * k, line)
    pdf.output(str(tmp_path / "empty-from.pdf"))
    senders = [m.sender for m in parse(tmp_path / "empty-from.pdf").messages]
    assert [(a.name, a.redacted) for a in senders if a] == [
        ("[REDACTED]", True),
        ("[REDACTED]", True),
        ("[REDACTED (b)(6)]", True),
    ]


# scans and bad input -----------------------------------------------------------------------------------------
@needs_tesseract
def test_scanned_copy_is_read_by_ocr(tmp_path: Path) -> None:
    """A banner print, then records one to a page whose senders are boxes, read back by OCR."""
    body = ["Please call the detective about the ", Redaction("(b)(6)", "Jane Witness"), " interview tomorrow morning."]
    email = Email(
        Person("Doe, Jane", "jane.doe@nypd.org"),
        [Person("Roe, Rick", "rick.roe@nypd.org")],
        "Interview schedule",
        datetime(2018, 12, 4, 15, 14),
        body,
    )
    records = [Record("outlook", [email], owner=Person("Doe, Jane")), *_records_one_to_a_page()[1:]]
    truth = write_release(tmp_path / "text.pdf", records)
    make_scanned_copy(tmp_path / "text.pdf", tmp_path / "scan.pdf")
    doc = parse(tmp_path / "scan.pdf")
    assert [p.ocr for p in doc.pages] == [True, True, True]
    assert [p.bates for p in doc.pages] == [p.bates for p in truth.pages]
    message = doc.messages[0]
    assert message.subject == "Interview schedule" and message.sent == "2018-12-04T15:14:00"
    assert message.sender is not None and message.sender.email == "jane.doe@nypd.org"
    assert "interview tomorrow" in message.body
    [red] = message.redactions
    assert red.page == 1 and _iou(red.bbox, truth.redactions[0].bbox) > 0.5 and red.leaked_text is None
    got = [(m.copy_kind, m.quoted_in, m.subject, m.sent, m.page_start, m.page_end) for m in doc.messages]
    want = [(t.copy_kind, t.quoted_in, t.subject, t.sent, t.page_start, t.page_end) for t in truth.messages]
    assert got == want
    assert [m.sender.redacted for m in doc.messages] == [False, True, True, False]  # type: ignore[union-attr]
    assert len(doc.messages[2].cc) == 1 and doc.messages[2].cc[0].redacted


def test_ocr_off_reports_scanned_pages(tmp_path: Path) -> None:
    truth = write_release(tmp_path / "t.pdf", [COVER])
    make_scanned_copy(truth.path, tmp_path / "s.pdf", dpi=50)
    doc = parse(tmp_path / "s.pdf", ocr=False)
    assert doc.page_count == 1 and doc.warnings == ["page 1: no text layer (OCR turned off)"]


@needs_tesseract
def test_blank_scan_is_reported_not_dropped(tmp_path: Path) -> None:
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    buf = io.BytesIO()
    Image.new("L", (850, 1100), 255).save(buf, format="PNG")
    pdf.image(buf, x=0, y=0, w=612, h=792)
    pdf.output(str(tmp_path / "blank.pdf"))
    doc = parse(tmp_path / "blank.pdf")
    assert doc.page_count == 1 and doc.pages[0].ocr and doc.pages[0].text == ""
    assert doc.warnings == ["page 1: no text layer and OCR found no text"]


def test_header_block_split_over_a_page_break(tmp_path: Path) -> None:
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=10)
    pages = [
        [
            "From: Roe, Rick <rick@dc.gov>",
            "Sent: Tuesday, December 4, 2018 3:14 PM",
            "To: Doe, Jane",
            "Subject: RE: Split",
        ]
        + ["Reply body line."] * 46
        + ["From: Doe, Jane <jane@dc.gov>", "Sent: Monday, December 3, 2018 9:00 AM"],
        ["To: Roe, Rick <rick@dc.gov>; Ames, Al", "<al@dc.gov>", "Subject: Split", "", "Earlier body."],
    ]
    for number, lines in enumerate(pages, 1):
        pdf.add_page()
        pdf.text(54, 30, "Released under FOIL 2018-0042")
        for k, line in enumerate(lines):
            pdf.text(54 if not line.startswith("<") else 90, 60 + 13 * k, line)
        pdf.text(500, 770, f"DOC 000{number}")
    pdf.output(str(tmp_path / "split.pdf"))
    reply, quoted = parse(tmp_path / "split.pdf").messages
    assert reply.body.count("Reply body line.") == 46 and "Released" not in reply.body
    assert (quoted.copy_kind, quoted.quoted_in, quoted.page_start, quoted.page_end) == ("quoted", 0, 1, 2)
    assert [a.email for a in quoted.to] == ["rick@dc.gov", "al@dc.gov"] and quoted.subject == "Split"
    assert (quoted.bates_start, quoted.bates_end, quoted.body) == ("DOC 0001", "DOC 0002", "Earlier body.")


def _one_page(path: Path, **encryption: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(20, 30, "From: Doe, Jane <jane@x.gov>")
    pdf.text(20, 36, "Sent: Tuesday, December 4, 2018 3:14 PM")
    pdf.text(20, 42, "Subject: Rotated")
    pdf.text(20, 54, "The body of a page that was rotated.")
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.output(str(path))


def test_bad_input_raises_unreadable(tmp_path: Path) -> None:
    _one_page(tmp_path / "locked.pdf", owner_password="owner", user_password="secret")
    with pytest.raises(UnreadableFile, match="password"):
        parse(tmp_path / "locked.pdf")
    _one_page(tmp_path / "ok.pdf")
    data = (tmp_path / "ok.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 3])
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    (tmp_path / "text.pdf").write_text("just text")
    (tmp_path / "empty.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    for name in ("cut.pdf", "junk.pdf", "text.pdf", "empty.pdf", "missing.pdf"):
        with pytest.raises(UnreadableFile) as err:
            parse(tmp_path / name)
        assert "\n" not in str(err.value) and str(err.value)


def test_owner_password_only_and_rotated_pages_import(tmp_path: Path) -> None:
    _one_page(tmp_path / "owner.pdf", owner_password="owner")
    assert parse(tmp_path / "owner.pdf").messages[0].subject == "Rotated"
    _one_page(tmp_path / "plain.pdf")
    doc = pdfium.PdfDocument(str(tmp_path / "plain.pdf"))
    doc[0].set_rotation(90)
    doc.save(str(tmp_path / "rotated.pdf"))
    doc.close()
    [message] = parse(tmp_path / "rotated.pdf").messages
    assert message.subject == "Rotated" and message.body == "The body of a page that was rotated."


# real corpora --------------------------------------------------------------------------------------------------
def _corpus(name: str) -> Path:
    folder = CORPORA / name
    if not folder.is_dir():
        pytest.skip(f"corpus {name} not present at {folder}")
    return folder


XRAY_BAD = {"rectangles_yes.pdf": 3, "rectangles_yes_2.pdf": 1, "bad_cross_hatched_redactions.pdf": 10}
XRAY_BOXES = {"multi_line_redaction_ok.pdf": 17, "ok_words.pdf": 4, "whitespace_redactions.pdf": 1}
XRAY_GOOD = [
    "rectangles_no.pdf",
    "multi_line_redaction_ok.pdf",
    "ok_words.pdf",
    "whitespace_redactions.pdf",
    "no_bad_redactions.2.1.pdf",
    "hidden_text_on_visible_text.pdf",
]


@pytest.mark.parametrize("name", sorted(XRAY_BAD) + XRAY_GOOD)
def test_xray_fixtures_leaks_only_in_bad_ones(name: str) -> None:
    doc = parse(_corpus("xray-redaction-fixtures") / name)
    boxes = sum(page.text.count("█[REDACTED") for page in doc.pages)
    lead = doc.lead.redactions if doc.lead else []
    leaks = [r for r in [*doc.redactions, *lead, *(r for m in doc.messages for r in m.redactions)] if r.leaked_text]
    assert boxes >= (XRAY_BAD.get(name, 0) or XRAY_BOXES.get(name, 0))
    if name in XRAY_BAD:
        assert len(leaks) >= XRAY_BAD[name]
    else:
        assert not leaks


def test_dc_bega_text_layer_prints() -> None:
    folder = _corpus("dc-bega-foia")
    docs = {p.name: parse(p, ocr=False) for p in sorted(folder.rglob("*")) if p.suffix.lower() == ".pdf"}
    assert len(docs) == 17
    call = docs["Re_ Call this morning_Redacted.pdf"]
    assert [m.copy_kind for m in call.messages] == ["print", "quoted", "quoted"]
    assert [m.quoted_in for m in call.messages] == [None, 0, 1]
    assert call.messages[2].sender == Address(
        "Weil, Sonia (Council)", "sweil@DCCOUNCIL.US", "Weil, Sonia (Council) <sweil@DCCOUNCIL.US>"
    )
    assert call.messages[0].sent == "2018-02-05T10:37:42" and len(call.messages[0].redactions) == 1
    natale = docs["Natale Email.pdf"].messages[0]
    assert natale.subject == "Complaint regarding OOG" and len(natale.to) == 4 and len(natale.cc) == 2
    phone = docs["Chairs Phone no. Email_Redacted.pdf"].messages
    assert [m.copy_kind for m in phone] == ["print", "quoted"] and phone[0].redactions
    delay = docs["Re_ possible to delay mtg a day or so_ _Redacted.pdf"]
    assert len(delay.messages) >= 4 and delay.messages[-1].page_end == 4
    letter = docs["2018-2-22 Letter to NFPHC re OMA.PDF"]
    assert not letter.messages and "Chairperson May" in letter.pages[0].text
    scans = [d for d in docs.values() if d.warnings]
    assert len(scans) == 5 and all("no text layer" in w for d in scans for w in d.warnings)
    assert not any(r.leaked_text for d in docs.values() for m in d.messages for r in m.redactions)


@needs_tesseract
def test_dc_bega_scanned_letter_by_ocr() -> None:
    path = _corpus("dc-bega-foia") / "20180227-COST-OOG" / "OOG and OAH Letters" / "Letter to EAdams.111317.pdf"
    doc = parse(path)
    assert doc.pages[0].ocr and "Office of Administrative Hearings" in doc.pages[0].text
    assert not doc.messages and not doc.warnings


def test_chicago_scans_are_reported_without_ocr_and_boxes_seen() -> None:
    folder = _corpus("chicago-pd-foia-15-3569")
    doc = parse(folder / "FOIA 15-3569 FINAL PART 4.pdf", ocr=False)
    assert doc.page_count == 40 and len(doc.warnings) == 40
