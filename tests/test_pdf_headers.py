"""Header forms as real releases print them (each case a failure class seen on real scanned pages),
tested on the lines the splitter reads, so no PDF or OCR is involved."""

from __future__ import annotations

import pytest

from importers.addresses import parse_address, parse_address_list
from importers.dates import search_date
from importers.pdf_gmail import print_subject, take_extras
from importers.pdf_layout import Line, merge_same_baseline
from importers.pdf_running import email_page_counters, is_furniture
from importers.pdf_split import split_messages


def _lines(text: str, page: int = 1, top: float = 72.0) -> list[Line]:
    """One Line per text line, 12 points apart (a blank line is a paragraph gap)."""
    out, y = [], top
    for row in text.strip("\n").splitlines():
        if row.strip():
            out.append(Line(page, y, y + 10, 72.0 + (len(row) - len(row.lstrip())) * 5, 500.0, row.strip()))
        y += 12
    return out


def _split(text: str, subject: str | None = None):
    lines = _lines(text)
    return split_messages(lines, {}, {1: 792.0}, subject)


@pytest.mark.parametrize(
    ("printed", "people"),
    [
        ("Buckley Jr, Robert C.", [("Buckley Jr, Robert C.", None)]),
        ("Buckley Jr, Robert C.; Doe, Jane", [("Buckley Jr, Robert C.", None), ("Doe, Jane", None)]),
        ("van Dyke, Ann, Jane Doe", [("van Dyke, Ann", None), ("Jane Doe", None)]),
        ("Bob Smith, Jane Doe", [("Bob Smith", None), ("Jane Doe", None)]),
        ("Last, First M. (ORG)", [("Last, First M. (ORG)", None)]),
        ("Lewin, Jonathan H.; Willner, John E.:", [("Lewin, Jonathan H.", None), ("Willner, John E.", None)]),
        (
            "Lewin, Jonathan H. [mailto:J.Lewin@cpd.org], Doe, Jane",
            [("Lewin, Jonathan H.", "J.Lewin@cpd.org"), ("Doe, Jane", None)],
        ),
    ],
)
def test_printed_names_stay_one_person(printed: str, people: list[tuple[str, str | None]]) -> None:
    assert [(a.name, a.email) for a in parse_address_list(printed)] == people


def test_on_behalf_of_and_partly_boxed_addresses() -> None:
    behalf = parse_address("records@x.gov On Behalf Of Doe, Jane")
    assert (behalf.name, behalf.email) == ("Doe, Jane", "records@x.gov")
    boxed = parse_address("Willner, John E. [█[REDACTED]█]")
    assert (boxed.name, boxed.email, boxed.redacted) == ("Willner, John E.", None, True)
    assert parse_address("█[REDACTED (b)(6)]█").redacted


def test_received_label_dates_a_header() -> None:
    [message] = _split(
        """
From: Lewin, Jonathan H. [mailto:J.Lewin@cpd.org]
Received: Wednesday, 16 Apr 2014, 11:14am
To: Willner, John E.
Subject: Demo

Thanks for helping us with the demo.
"""
    ).messages
    assert message.sent == "2014-04-16T11:14:00"
    assert message.sender is not None and message.sender.email == "J.Lewin@cpd.org"


def test_subject_keeps_its_visible_part_and_ocr_prefix_is_put_right() -> None:
    split = _split(
        """
From: Konow, Karen M.
Sent: Friday, August 16, 2013 8:16 AM
To: Lewin, Jonathan H.
Subject: Re: █[REDACTED]█

Fine.

From: Lewin, Jonathan H.
Sent: Wednesday, August 14, 2013 6:41 PM
To: Konow, Karen M.
Subject: RE! Budget

Yes.

From: Lewin, Jonathan H.
Sent: Wednesday, August 14, 2013 9:00 AM
To: Konow, Karen M.
Subject: █[REDACTED]█

Boxed.
"""
    )
    assert [m.subject for m in split.messages] == ["Re:", "RE: Budget", "█[REDACTED]█"]


def test_sent_block_under_a_boxed_from_and_a_cut_subject_label() -> None:
    """OCR loses the From: label beside a box, and reads "Subject:" short where a box starts."""
    split = _split(
        """
From: Lewin
Sent: Thursday, August 08, 2013 1:44 PM
Subject: Pilot

Fun

█[REDACTED]█
Sent: Thursday, August 08, 2013 1:23 PM
To: Lewin, Jonathan H.; Willner, John E.
Subj █[REDACTED]█

Commander Lewin,
"""
    )
    assert len(split.messages) == 2
    quoted = split.messages[1]
    assert quoted.sender is not None and quoted.sender.redacted
    assert quoted.sent == "2013-08-08T13:23:00" and quoted.body == "Commander Lewin,"
    assert [a.name for a in quoted.to] == ["Lewin, Jonathan H.", "Willner, John E."]


def test_auto_forwarded_by_a_rule_is_not_body() -> None:
    split = _split(
        """
From: Sperry, Heidi
Sent: Friday, July 26, 2013 1:48:56 PM
To: Schenkel, Gary
Subject: Re: OEMC Project Lists

Auto forwarded by a Rule Yes, PODs are cameras.
"""
    )
    assert split.messages[0].body == "Yes, PODs are cameras."
    assert split.messages[0].sent == "2013-07-26T13:48:56"


def test_gmail_print_header_footer_subject_hidden_quotes_and_attachments() -> None:
    header = "7/19/2016 Seattle Public Records Mail - Question about retention of dashcam failsafe video"
    footer = "https://mail.google.com/mail/?ui=2&ik=7ac4f94b898&view=pt&search=inbox&msg= 15605953 1/2"
    assert is_furniture(header) and is_furniture(footer)
    first_page = _lines(f"{header}\nQuestion about retention of dashcam failsafe video")
    subject = print_subject(first_page)
    assert subject == "Question about retention of dashcam failsafe video"
    cut = print_subject(_lines("7/19/2016 Gmail - Question about rete...\nQuestion about retention of video"))
    assert cut == "Question about retention of video"
    split = _split(
        """
Sackett, Scott <scott.sackett@sos.wa.gov> Tue, Jul 19, 2016 at 4:54 PM
To: Tim Clemans <tim.clemans@seattlepublicrecords.org>

Hello, Tim--
The schedule is attached.
2 attachments
LE-schedule.pdf
312K
noname.eml 31K
[Quoted text hidden]
""",
        subject,
    )
    [message] = split.messages
    assert message.subject == subject
    assert message.quote_hidden
    assert [(a.name, a.size) for a in message.attachments] == [
        ("LE-schedule.pdf", 312 * 1024),
        ("noname.eml", 31 * 1024),
    ]
    assert message.body == "Hello, Tim--\nThe schedule is attached."


def test_attachment_count_without_a_list_stays_text() -> None:
    extras = take_extras(_lines("We sent 2 attachments\n2 attachments\nsee you"))
    assert [line.text for line in extras.lines] == ["We sent 2 attachments", "2 attachments", "see you"]
    assert extras.attachments == []


def test_lines_before_the_first_header_are_the_lead() -> None:
    """A file of a production that opens mid-email: header lines the file boundary cut off, then text."""
    split = _split(
        """
To: Lewin, Jonathan H.; Willner, John E.
Subject: RE: Shotspotter

the rest of the email that began in the previous file.

From: Lewin
Sent: Friday, July 19, 2013 11:07 AM
To: Ellis, Daniel J.
Subject: OEMC

Body.
"""
    )
    lead = split.lead
    assert lead is not None and lead.subject == "RE: Shotspotter"
    assert [a.name for a in lead.to] == ["Lewin, Jonathan H.", "Willner, John E."]
    assert lead.text == "the rest of the email that began in the previous file."
    assert len(split.messages) == 1 and split.messages[0].subject == "OEMC"


def test_values_wrapped_to_the_label_margin_and_a_header_cut_by_a_page_break() -> None:
    page_one = _lines(
        """
From: Hughes, Traci (BEGA)
Sent: Wednesday, July 5, 2017 2:48 PM
To: Adams, Eugene (OAH); Natale, Vanessa
(OAH)
Cc: Barton, Johnnie (BEGA)
Subject: OOG-0003_7.03.17 Notice of
Complaint_COST

Dear Chief Judge Adams,

soos Original Message-----
Begin forwarded message:
From: "Lewin, Jonathan H."
<Jonathan.Lewin@chicagopolice.org>
"""
    )
    page_two = _lines(
        """
Date: March 7, 2013, 11:15:47 AM CST
To: "Martinez, Maria P."
<Maria.Martinez@chicagopolice.org>
Subject: Asset Forfeiture

Don't forget need a summary.
""",
        page=2,
    )
    split = split_messages(page_one + page_two, {}, {1: 792.0, 2: 792.0})
    first, forwarded = split.messages
    assert [a.name for a in first.to] == ["Adams, Eugene (OAH)", "Natale, Vanessa (OAH)"]
    assert [a.name for a in first.cc] == ["Barton, Johnnie (BEGA)"]
    assert first.subject == "OOG-0003_7.03.17 Notice of Complaint_COST"
    assert first.body == "Dear Chief Judge Adams,"
    assert forwarded.sender is not None and forwarded.sender.email == "Jonathan.Lewin@chicagopolice.org"
    assert forwarded.sent == "2013-03-07T11:15:47-06:00" and (forwarded.page_start, forwarded.page_end) == (1, 2)
    assert forwarded.subject == "Asset Forfeiture" and forwarded.body == "Don't forget need a summary."


def test_a_date_at_the_right_margin_a_hair_higher_joins_its_sender_line() -> None:
    """OCR reads a Gmail sender line's right-margin date as its own line, sometimes a point higher."""
    sender = Line(1, 100.4, 110.0, 72.0, 200.0, "Sackett, Scott <scott.sackett@sos.wa.gov>")
    date = Line(1, 99.4, 109.5, 400.0, 500.0, "Tue, Jul 19, 2016 at 4:54 PM")
    to = Line(1, 114.0, 124.0, 72.0, 300.0, "To: Tim Clemans <tim@seattlepublicrecords.org>")
    body = Line(1, 140.0, 150.0, 72.0, 300.0, "Hello, Tim--")
    lines = merge_same_baseline([sender, date, to, body])
    assert lines[0].text == "Sackett, Scott <scott.sackett@sos.wa.gov> Tue, Jul 19, 2016 at 4:54 PM"
    [message] = split_messages(lines, {}, {1: 792.0}, "Question").messages
    assert message.sent == "2016-07-19T16:54:00" and message.body == "Hello, Tim--"


def test_ocr_misread_labels_still_start_a_header() -> None:
    lines = [
        Line(1, 72 + 12 * k, 82 + 12 * k, 72, 400, t, joiner=" ")
        for k, t in enumerate(
            [
                "Frorn: Ellis, Daniel J.",
                "Sont: Friday, July 19, 2013 11:19 AM",
                "To: Lewin, Jonathan H.",
                "Subjcct: RE: OEMC",
            ]
        )
    ]
    lines.append(Line(1, 130, 140, 72, 400, "Got it.", joiner=" "))
    [message] = split_messages(lines, {}, {1: 792.0}).messages
    assert message.sender is not None and message.sender.name == "Ellis, Daniel J."
    assert (message.sent, message.subject, message.body) == ("2013-07-19T11:19:00", "RE: OEMC", "Got it.")
    # a text layer's labels are exact: no guessing there
    assert split_messages([Line(1, 72, 82, 72, 400, "Frorn: Ellis"), lines[1]], {}, {1: 792.0}).messages == []


def test_per_email_page_counters_settle_print_or_quoted_and_flag_an_unread_start() -> None:
    def page(number: int, body: str, counter: str) -> list[Line]:
        return [*_lines(body, page=number), Line(number, 760, 770, 300, 310, counter)]

    pages = [
        page(1, "From: Lewin\nSent: Friday, July 19, 2013 11:07 AM\nTo: Ellis\nSubject: OEMC\n\nBody one.", "1"),
        # a quoted header opening page 2 of the same print, after a page that ends early
        page(2, "From: Ellis\nSent: Friday, July 19, 2013 10:00 AM\nTo: Lewin\nSubject: OEMC\n\nEarlier.", "2"),
        page(3, "Frm Lewi garbled by OCR\nSomething else entirely.", "1"),
    ]
    counters = email_page_counters(pages, [792.0] * 3)
    assert counters == {1: 1, 2: 2, 3: 1}
    lines = [line for p in pages for line in p if line.top < 700]
    split = split_messages(lines, {}, {1: 792.0, 2: 792.0, 3: 792.0}, None, counters)
    assert [m.copy_kind for m in split.messages] == ["print", "quoted"]
    assert split.warnings == ["page 3: a printed email starts here (its page counter is 1) but no header could be read"]
    # numbers that only count the document's pages say nothing about where emails start
    assert email_page_counters([page(1, "a", "1"), page(2, "b", "2")], [792.0] * 2) == {}


def test_ocr_misreads_of_underlined_addresses_are_put_right() -> None:
    """At 300 dpi an underlined link loses the tails of its letters: ".org" reads ".ors", "@" gains a bracket."""
    assert parse_address('"Martinez, Maria P." <Maria.Martinez@chicagopolice.ors>').email == (
        "Maria.Martinez@chicagopolice.org"
    )
    assert parse_address("Lewin <Jonathan.Lewin(@chicagopolice.ore>").email == "Jonathan.Lewin@chicagopolice.org"
    assert parse_address("Hoan <hoan@clearview.corn>").email == "hoan@clearview.com"
    assert parse_address("Records <records@nyc.gov>").email == "records@nyc.gov"


def test_a_header_date_cut_by_a_box_is_a_warning() -> None:
    split = _split(
        """
From: █[REDACTED]█
Sent: Thursday, August 08, : M
To: Lewin, Jonathan H.; Willner, John E.
Subject: █[REDACTED]█

Commander Lewin,
"""
    )
    [message] = split.messages
    assert message.sent is None and message.sender is not None and message.sender.redacted
    assert split.warnings == ["page 1: a header's date reads as no date ('Thursday, August 08, : M'): cut by a box?"]


def test_quote_lines_as_ocr_reads_them() -> None:
    """A Gmail quote bar read as "|", and "wrote;" for "wrote:"."""
    split = _split(
        """
Sackett, Scott <scott.sackett@sos.wa.gov> Tue, Jul 19, 2016 at 4:54 PM
To: Tim Clemans <tim.clemans@seattlepublicrecords.org>

See the schedule.

On Mon, Jul 18, 2016 at 9:05 AM, Tim Clemans <tim.clemans@seattlepublicrecords.org> wrote;
| How long are dashcam recordings kept?
""",
        "Retention",
    )
    reply, quoted = split.messages
    assert quoted.copy_kind == "quoted" and quoted.sent == "2016-07-18T09:05:00"
    assert quoted.sender is not None and quoted.sender.email == "tim.clemans@seattlepublicrecords.org"
    assert quoted.body == "How long are dashcam recordings kept?" and reply.body == "See the schedule."


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("Thursday, Auqust 08, 2013 1:23 PM", "2013-08-08T13:23:00"),
        ("Fridav, Julv 26, 2013 1:05 PM", "2013-07-26T13:05:00"),
        ("Wednesday, Apri1 16, 2014 4:20 PM", "2014-04-16T16:20:00"),
        ("Meeting 26, 2013 at 1:05 PM", None),
    ],
)
def test_month_and_day_names_one_misread_letter_away(printed: str, iso: str | None) -> None:
    found = search_date(printed)
    assert (found.iso if found and "T" in found.iso else None) == iso
