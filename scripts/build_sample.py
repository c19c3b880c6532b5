"""Build the demonstration release under samples/ and `archive.db.sample` from it, with the real importers.

The release is a RECONSTRUCTION for demonstration, not the NYPD's records: its story and its quoted phrases
("reach 100 searches", "App is working great", "we continue to receive positive results", "gone on to make
arrests") follow public reporting on the NYPD–Clearview AI emails published by MuckRock and the Legal Aid
Society (MIT Technology Review, April 2021). Every other sentence, every date and every address is invented.
Individuals' names are boxed as the release itself boxed them; the vendor and the agency keep their names.

    python scripts/build_sample.py            # regenerate samples/nypd-clearview and archive.db.sample
    python scripts/build_sample.py --out X.db # build an archive elsewhere (tests use this)
    python scripts/build_sample.py --corpora ../shared/corpora --out corpora.db
                                              # a local archive of the real public releases there (never
                                              # committed: their terms differ), one release per folder
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from foia_tui.archive import Archive
from foia_tui.archive.releases import add_release
from foia_tui.archive.search import matching_message_ids, save_search
from foia_tui.archive.tags import create_tag, tag_excerpt, tag_messages
from foia_tui.archive.timeline import add_event
from foia_tui.services.importing import run_import
from tests.support.pdfgen import Email, Person, Record, Redaction, make_scanned_copy, write_release
from tests.support.sql import sql_value

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "nypd-clearview"
SAMPLE_DB = ROOT / "archive.db.sample"
NY = ZoneInfo("America/New_York")

HOAN = Person("Hoan Ton-That", "hoan@clearview.ai")
SUPPORT = Person("Clearview AI Support", "help@clearview.ai")
TEAM = Person("Clearview Team", "team@clearview.ai")
PRIVACY = "POL 87(2)(b)"  # New York FOIL: an unwarranted invasion of personal privacy
LAW_ENFORCEMENT = "POL 87(2)(e)"  # New York FOIL: law-enforcement records
MISCODED = "POL 87(2)(z)"  # § 87(2) ends at (q): a code the statute lacks, for `foia redactions` to flag


def boxed(hidden: str, code: str | None = PRIVACY, leak: bool = False) -> Redaction:
    return Redaction(code, hidden, leak)


def inspector() -> Redaction:
    return boxed("Deputy Inspector R. Marino")


def officer(n: int) -> Redaction:
    return boxed(["Det. A. Kowalski", "Sgt. L. Brennan", "Det. M. Osei", "P.O. T. Nguyen"][n % 4])


def at(*args: int) -> datetime:
    return datetime(*args)


def email(sender, to, subject, sent, body, cc=(), quoted=None, attachments=(), style="outlook") -> Email:
    return Email(sender, list(to), subject, sent, list(body), list(cc), list(attachments), quoted, style)


# The conversations ------------------------------------------------------------------------------------------
def introduction() -> Email:
    first = email(
        boxed("Investor adviser J. Caldwell", PRIVACY),
        [inspector()],
        "Introduction: Clearview AI",
        at(2018, 10, 17, 9, 42),
        [
            "Inspector, as promised I am introducing you to Hoan Ton-That, the CEO of Clearview AI. ",
            "Their facial search tool has been getting attention from several departments and I think ",
            "your unit would be a good fit for a trial. I will let the two of you take it from here.",
        ],
        cc=[HOAN],
    )
    reply = email(
        inspector(),
        [boxed("Investor adviser J. Caldwell", PRIVACY)],
        "RE: Introduction: Clearview AI",
        at(2018, 10, 17, 11, 5),
        [
            "Thank you for the introduction. Hoan, I would be glad to see a demonstration. ",
            "My office number is ",
            boxed("646-610-5555", PRIVACY),
            ".",
        ],
        cc=[HOAN],
        quoted=first,
    )
    return email(
        HOAN,
        [inspector()],
        "RE: Introduction: Clearview AI",
        at(2018, 10, 17, 14, 30),
        [
            "Great to meet you. I can come to One Police Plaza any day next week to show the app. ",
            "It takes a photo and finds matching public images in seconds.",
        ],
        quoted=reply,
    )


def demo() -> Email:
    ask = email(
        HOAN,
        [inspector()],
        "Clearview demo at One Police Plaza",
        at(2018, 11, 2, 10, 15),
        ["Would Thursday at 2 PM work for the demonstration? I will bring a laptop and two phones."],
    )
    yes = email(
        inspector(),
        [HOAN],
        "RE: Clearview demo at One Police Plaza",
        at(2018, 11, 2, 12, 48),
        [
            "Thursday works. Room ",
            boxed("1204", MISCODED),
            " on the 12th floor. ",
            "I will have two detectives from the Facial Identification Section join us.",
        ],
        cc=[officer(0), officer(1)],
        quoted=ask,
    )
    return email(
        HOAN,
        [inspector()],
        "RE: Clearview demo at One Police Plaza",
        at(2018, 11, 9, 16, 3),
        [
            "Thank you for your time yesterday. As discussed, we can set up free trial accounts for the ",
            "detectives so they can test the app on open cases.",
        ],
        cc=[officer(0), officer(1)],
        quoted=yes,
    )


def trial_accounts() -> Email:
    offer = email(
        HOAN,
        [inspector()],
        "Trial accounts for your team",
        at(2018, 12, 3, 9, 0),
        [
            "We have created trial accounts for your team. The trial runs from December through the end of ",
            "March. Each officer will get an invitation email with a link to set a password.",
        ],
        attachments=["Clearview_Trial_Terms.pdf"],
    )
    return email(
        inspector(),
        [HOAN],
        "RE: Trial accounts for your team",
        at(2018, 12, 4, 15, 14),
        [
            "Please add the following members: ",
            officer(0),
            ", ",
            officer(1),
            ", ",
            officer(2),
            ". ",
            "They will report back to me on results.",
        ],
        quoted=offer,
    )


def feedback() -> Email:
    ask = email(
        HOAN,
        [officer(2)],
        "Clearview feedback",
        at(2019, 1, 14, 10, 20),
        ["How is the app working for you so far? Any searches that did not return what you expected?"],
    )
    return email(
        officer(2),
        [HOAN],
        "RE: Clearview feedback",
        at(2019, 1, 14, 18, 51),
        [
            "App is working great. Ran it on a ",
            boxed("robbery pattern in the 4-0", LAW_ENFORCEMENT),
            " and got a lead the same day.",
        ],
        quoted=ask,
    )


def results() -> Email:
    ask = email(
        HOAN,
        [inspector()],
        "Trial results",
        at(2019, 2, 11, 9, 30),
        ["Could you share how the trial is going? It would help us a lot as we talk to other agencies."],
    )
    return email(
        inspector(),
        [HOAN],
        "RE: Trial results",
        at(2019, 2, 12, 8, 47),
        [
            "Hoan, we continue to receive positive results. Several identifications have gone on to make arrests, ",
            "including case ",
            boxed("2019-040-00123", LAW_ENFORCEMENT, leak=True),
            ". I cannot share details of open investigations.",
        ],
        cc=[officer(0)],
        quoted=ask,
    )


def homeland() -> tuple[Email, Email]:
    ask = email(
        HOAN,
        [inspector()],
        "Homeland Security contacts",
        at(2019, 2, 20, 13, 5),
        [
            "Do you know anyone at Homeland Security Investigations who would want to try the app? ",
            "We would be grateful for an introduction.",
        ],
    )
    forward = email(
        inspector(),
        [boxed("Special Agent D. Reyes, HSI", "(b)(6)")],
        "FW: Homeland Security contacts",
        at(2019, 2, 21, 9, 12),
        [
            "Forwarding the below. The vendor is asking for an HSI contact. Reach me at ",
            boxed("646-610-5555", PRIVACY),
            " if you want to talk first.",
        ],
        quoted=ask,
    )
    reply = email(
        HOAN,
        [inspector()],
        "RE: Homeland Security contacts",
        at(2019, 2, 21, 16, 40),
        ["Thank you for passing it along. I will wait to hear from them."],
        quoted=ask,
    )
    return forward, reply


def trial_end() -> Email:
    notice = email(
        HOAN,
        [inspector()],
        "Trial period ending",
        at(2019, 3, 25, 11, 0),
        [
            "The trial accounts are set to expire at the end of March. We are happy to extend them while the ",
            "department evaluates. Let me know.",
        ],
    )
    return email(
        inspector(),
        [HOAN],
        "RE: Trial period ending",
        at(2019, 3, 27, 10, 12),
        [
            "The evaluation is ongoing. Please keep the accounts active for now; any decision on a contract ",
            "will go through the Deputy Commissioner.",
        ],
        quoted=notice,
    )


def conference() -> Email:
    return email(
        HOAN,
        [inspector(), officer(0)],
        "Law enforcement technology summit",
        at(2019, 6, 4, 14, 22),
        [
            "We will be presenting at a law enforcement technology summit in Washington next month and would ",
            "welcome a short testimonial from your unit. No pressure at all.",
        ],
    )


def personal_devices() -> list[Email]:
    question = email(
        officer(3),
        [SUPPORT],
        "Using Clearview on my personal phone",
        at(2019, 1, 8, 21, 17),
        [
            "Can I install the app on my personal phone? My department phone is an older model and the ",
            "camera is not good enough for the photos we take in the field.",
        ],
        style="gmail",
    )
    answer = email(
        SUPPORT,
        [officer(3)],
        "Using Clearview on my personal phone",
        at(2019, 1, 9, 8, 2),
        [
            "Yes, the app works on any iPhone or Android phone. Use the link in your invitation email and log ",
            "in with your department address.",
        ],
        quoted=question,
        style="gmail",
    )
    return [question, answer]


def new_accounts_2020() -> list[Email]:
    request = email(
        officer(1),
        [SUPPORT],
        "New trial accounts",
        at(2020, 2, 3, 9, 44),
        ["Two more members of the squad would like trial accounts: ", officer(2), " and ", officer(3), "."],
        style="gmail",
    )
    done = email(
        SUPPORT,
        [officer(1)],
        "New trial accounts",
        at(2020, 2, 3, 13, 20),
        ["Done. Both accounts are active and the invitations have been sent."],
        quoted=request,
        style="gmail",
    )
    return [request, done]


def press_inquiry() -> Email:
    return email(
        boxed("DCPI Lt. S. Haddad", PRIVACY),
        [inspector()],
        "Press inquiry re: facial recognition",
        at(2020, 1, 21, 10, 5),
        [
            "We have received press inquiries following the weekend's reporting on Clearview AI. Please confirm ",
            "which units used the app and whether any accounts are still active.",
        ],
    )


def crime_center() -> Email:
    ask = email(
        boxed("Lt. P. Okafor, RTCC", PRIVACY),
        [inspector()],
        "Clearview for the Real Time Crime Center",
        at(2019, 1, 22, 8, 55),
        [
            "The Real Time Crime Center would like two accounts for the overnight tour. Is the vendor still ",
            "adding users during the trial?",
        ],
    )
    yes = email(
        inspector(),
        [boxed("Lt. P. Okafor, RTCC", PRIVACY)],
        "RE: Clearview for the Real Time Crime Center",
        at(2019, 1, 22, 10, 31),
        [
            "Yes. Send me the names and I will pass them to Hoan. Remind your people the trial is not an ",
            "approved tool: results are leads only and need independent confirmation.",
        ],
        cc=[HOAN],
        quoted=ask,
    )
    names = email(
        boxed("Lt. P. Okafor, RTCC", PRIVACY),
        [inspector()],
        "RE: Clearview for the Real Time Crime Center",
        at(2019, 1, 22, 14, 2),
        ["Names: ", officer(1), " and ", boxed("Det. K. Alvarez", PRIVACY), ". Thanks."],
        cc=[HOAN],
        quoted=yes,
    )
    return email(
        HOAN,
        [boxed("Lt. P. Okafor, RTCC", PRIVACY)],
        "RE: Clearview for the Real Time Crime Center",
        at(2019, 1, 23, 9, 15),
        ["Both accounts are set up. They should reach 100 searches to get a feel for the app."],
        cc=[inspector()],
        quoted=names,
    )


def pricing() -> Email:
    quote = email(
        HOAN,
        [inspector()],
        "Clearview pricing for the department",
        at(2019, 4, 10, 15, 45),
        [
            "Attached is a proposal for a department-wide license. The price per seat drops with volume. ",
            "We can also keep a limited number of trial accounts open during procurement.",
        ],
        attachments=["Clearview_NYPD_Proposal_2019.pdf"],
    )
    forward = email(
        inspector(),
        [boxed("Deputy Commissioner's office", PRIVACY)],
        "FW: Clearview pricing for the department",
        at(2019, 4, 11, 9, 3),
        [
            "For your review. The unit found the tool useful during the trial; I have no recommendation on ",
            "procurement.",
        ],
        quoted=quote,
    )
    return email(
        boxed("Deputy Commissioner's office", PRIVACY),
        [inspector()],
        "RE: FW: Clearview pricing for the department",
        at(2019, 4, 15, 17, 20),
        [
            "We will not be moving forward with a contract at this time. Please make sure all trial use ",
            "follows the facial recognition guidelines.",
        ],
        quoted=forward,
    )


def case_search() -> list[Email]:
    first = email(
        officer(0),
        [SUPPORT],
        "Search returned no results",
        at(2019, 1, 29, 23, 40),
        ["I ran a still from a surveillance video and got nothing back. Is there a minimum resolution?"],
        style="gmail",
    )
    second = email(
        SUPPORT,
        [officer(0)],
        "Search returned no results",
        at(2019, 1, 30, 9, 5),
        ["Try cropping to the face and using the highest quality frame you have. Side profiles rarely match."],
        quoted=first,
        style="gmail",
    )
    third = email(
        officer(0),
        [SUPPORT],
        "Search returned no results",
        at(2019, 1, 30, 12, 26),
        ["Cropped it and got two possible matches. Thanks."],
        quoted=second,
        style="gmail",
    )
    return [first, second, third]


def workload() -> Email:
    ask = email(
        officer(1),
        [inspector()],
        "FIS workload since the pilot",
        at(2019, 2, 26, 16, 10),
        [
            "The Facial Identification Section has seen more requests since the pilot started. Do you want weekly ",
            "numbers broken out by borough?",
        ],
    )
    yes = email(
        inspector(),
        [officer(1)],
        "RE: FIS workload since the pilot",
        at(2019, 2, 27, 8, 40),
        ["Yes, weekly, by borough, and note which requests used the vendor's app and which used our own system."],
        quoted=ask,
    )
    return email(
        officer(1),
        [inspector()],
        "RE: FIS workload since the pilot",
        at(2019, 3, 4, 9, 5),
        ["First weekly summary attached. Numbers for ", boxed("Staten Island", LAW_ENFORCEMENT), " are incomplete."],
        attachments=["FIS_weekly_2019-03-01.xlsx"],
        quoted=yes,
    )


def app_update() -> Email:
    notice = email(
        TEAM,
        [officer(0), officer(2)],
        "Clearview app update 2.1",
        at(2019, 5, 14, 11, 0),
        ["Version 2.1 is out: faster uploads and a new history screen. Update from the link in your account."],
    )
    return email(
        officer(0),
        [TEAM],
        "RE: Clearview app update 2.1",
        at(2019, 5, 14, 15, 32),
        ["The history screen shows every photo I searched. Can entries be deleted?"],
        quoted=notice,
    )


def audit() -> Email:
    ask = email(
        boxed("Legal Bureau Sgt. E. Pratt", PRIVACY),
        [inspector()],
        "Accounts audit: facial recognition vendors",
        at(2020, 2, 24, 10, 0),
        [
            "Legal is compiling every account members hold with outside facial recognition vendors. Please list ",
            "the accounts in your unit, who approved them and whether they are still active.",
        ],
    )
    answer = email(
        inspector(),
        [boxed("Legal Bureau Sgt. E. Pratt", PRIVACY)],
        "RE: Accounts audit: facial recognition vendors",
        at(2020, 2, 25, 13, 45),
        [
            "List attached. Some accounts were set up directly by the vendor for members outside my unit; I do ",
            "not have those names.",
        ],
        attachments=["Unit_accounts_2020-02-25.xlsx"],
        quoted=ask,
    )
    return email(
        boxed("Legal Bureau Sgt. E. Pratt", PRIVACY),
        [inspector()],
        "RE: Accounts audit: facial recognition vendors",
        at(2020, 2, 25, 16, 20),
        ["Thank you. We will ask the vendor directly for the rest."],
        quoted=answer,
    )


def login_problem() -> list[Email]:
    problem = email(
        officer(2),
        [SUPPORT],
        "Cannot log in",
        at(2019, 6, 18, 7, 50),
        ["The app says my account is disabled. Was it switched off when the pilot ended?"],
        style="gmail",
    )
    fixed = email(
        SUPPORT,
        [officer(2)],
        "Cannot log in",
        at(2019, 6, 18, 9, 12),
        ["Sorry about that. Your account is active again; log out and back in."],
        quoted=problem,
        style="gmail",
    )
    return [problem, fixed]


COVER_LETTER = [
    "NEW YORK CITY POLICE DEPARTMENT - LEGAL BUREAU, FOIL UNIT",
    "Re: FOIL Request No. 2020-PL-0312 (records concerning Clearview AI)",
    "This letter responds to your request under the New York Freedom of Information Law, Public Officers "
    "Law Article 6. Enclosed are responsive records. Portions have been redacted under Public Officers Law "
    "87(2)(b) (unwarranted invasion of personal privacy) and 87(2)(e) (law-enforcement purposes).",
    "You may appeal this determination within thirty days to the Records Access Appeals Officer.",
    "SAMPLE: a reconstruction for demonstration, not the NYPD's actual response.",
]


def onboarding_emails() -> list[EmailMessage]:
    """Native mail the vendor produced: onboarding and account notices."""
    to = "[REDACTED POL 87(2)(b)] <redacted@nypd.org>"
    texts = [
        (
            at(2018, 12, 5, 9, 30),
            "Welcome to Clearview",
            "Welcome to Clearview! Search as much as you can: the more you search, the more you will find. "
            "Try to reach 100 searches in your first weeks and tell your colleagues about it.\n\n"
            "Tip: photos of your friends or celebrities make good test searches.",
        ),
        (
            at(2018, 12, 12, 9, 30),
            "Clearview tips: getting the most out of your trial",
            "Officers who reach 100 searches find the tool most useful. Upload clear, front-facing photos "
            "where you can. Reply to this email with any questions.",
        ),
        (
            at(2019, 3, 29, 9, 0),
            "Your Clearview trial account",
            "Your trial account remains active. Your department is evaluating Clearview; keep searching and "
            "share your success stories with us.",
        ),
    ]
    messages = []
    for i, (sent, subject, body) in enumerate(texts):
        message = EmailMessage()
        message["From"] = "Clearview Team <team@clearview.ai>"
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = format_datetime(sent.replace(tzinfo=NY))
        message["Message-ID"] = f"<onboarding-{i}@clearview.ai>"
        message.set_content(body)
        messages.append(message)
    return messages


# Building -------------------------------------------------------------------------------------------------
def write_sources(folder: Path) -> dict[str, list[Path]]:
    """Write the release's files; returns them by production (release name)."""
    if folder.exists():
        shutil.rmtree(folder)
    round1, round2, hsi = folder / "round1", folder / "round2", folder / "hsi-referral"
    for part in (round1, round2, hsi):
        part.mkdir(parents=True)
    forward, hsi_reply = homeland()
    write_release(
        round1 / "NYPD-FOIL-2020-PL-0312-part1.pdf",
        [
            Record("cover", letter=COVER_LETTER),
            Record("outlook", [introduction()], owner=Person("Marino, R.")),
            Record("outlook", [demo()], owner=Person("Marino, R.")),
            Record("outlook", [trial_accounts()], owner=Person("Marino, R.")),
            Record("outlook", [feedback()], owner=Person("Marino, R.")),
            Record("outlook", [results()], owner=Person("Marino, R.")),
            Record("outlook", [forward], owner=Person("Marino, R.")),
            Record("outlook", [crime_center()], owner=Person("Marino, R.")),
            Record("outlook", [workload()], owner=Person("Marino, R.")),
            Record("outlook", [trial_end()], owner=Person("Marino, R.")),
            Record("outlook", [pricing()], owner=Person("Marino, R.")),
            Record("outlook", [app_update()], owner=Person("Marino, R.")),
            Record("outlook", [audit()], owner=Person("Marino, R.")),
        ],
        bates_prefix="NYPD-FOIL-",
        bates_start=1,
        running_header="FOIL 2020-PL-0312 - Released Records - Part 1",
    )
    write_release(
        round2 / "NYPD-FOIL-2020-PL-0312-part2-gmail.pdf",
        [
            Record("gmail", personal_devices(), owner=Person("Records Officer", "foil.records@gmail.com")),
            Record("gmail", case_search(), owner=Person("Records Officer", "foil.records@gmail.com")),
            Record("gmail", login_problem(), owner=Person("Records Officer", "foil.records@gmail.com")),
            Record("gmail", new_accounts_2020(), owner=Person("Records Officer", "foil.records@gmail.com")),
        ],
        bates_prefix="NYPD-FOIL-",
        bates_start=101,
        running_header=None,
    )
    with tempfile.TemporaryDirectory() as scratch:
        printed = Path(scratch) / "scan-source.pdf"
        write_release(
            printed,
            [
                Record("outlook", [conference()]),
                Record("outlook", [press_inquiry()]),
                Record("outlook", [results()]),  # the same chain again, as releases often repeat it
            ],
            bates_prefix="NYPD-FOIL-",
            bates_start=201,
            running_header="FOIL 2020-PL-0312 - Released Records - Part 2 (scanned)",
        )
        make_scanned_copy(printed, round2 / "NYPD-FOIL-2020-PL-0312-part2-scanned.pdf")
    for i, message in enumerate(onboarding_emails()):
        (round2 / f"vendor-email-{i + 1}.eml").write_bytes(bytes(message))
    # The HSI referral printed the same chain with the NYPD's privacy boxes left open and its own code applied.
    hsi_forward, _ = homeland()
    hsi_forward.to = [boxed("Special Agent D. Reyes, HSI", "(b)(6)")]
    hsi_forward.body = [
        "Forwarding the below. The vendor is asking for an HSI contact. Reach me at 646-610-5555 if you "
        "want to talk first."
    ]
    write_release(
        hsi / "ICE-2021-FOIA-04417.pdf",
        [Record("outlook", [hsi_forward], owner=Person("Reyes, D.")), Record("outlook", [hsi_reply])],
        bates_prefix="ICE-2021-FOIA-",
        bates_start=4417,
        running_header="ICE FOIA 2021-ICFO-04417 (referral from NYPD)",
    )
    return {"part 1": [round1], "part 2": [round2], "hsi": [hsi]}


RELEASES = {
    "part 1": {
        "name": "NYPD FOIL 2020-PL-0312 part 1",
        "agency": "New York City Police Department",
        "request_id": "2020-PL-0312",
        "filed": "2020-01-24",
        "produced": "2020-09-15",
    },
    "part 2": {
        "name": "NYPD FOIL 2020-PL-0312 part 2",
        "agency": "New York City Police Department",
        "request_id": "2020-PL-0312",
        "filed": "2020-01-24",
        "produced": "2021-03-30",
    },
    "hsi": {
        "name": "HSI referral 2021-ICFO-04417",
        "agency": "U.S. Immigration and Customs Enforcement (HSI)",
        "request_id": "2021-ICFO-04417",
        "filed": "2020-11-02",
        "produced": "2021-04-02",
    },
}
EVENTS = [
    ("2018-10-17", "First contact: vendor CEO introduced to the Deputy Inspector"),
    ("2018-12-03", "Trial period begins"),
    ("2019-03-31", "Trial period ends"),
    ("2020-01-18", "News reporting on Clearview AI"),
]
# (tag, colour, query, excerpt phrase or None for whole messages, note)
TAGS = [
    ("trial", "yellow", 'subject:"trial accounts"', None, "Accounts created for the trial"),
    ("quote-for-brief", "magenta", '"working great"', "App is working great", "Officer's own assessment"),
    ("quote-for-brief", "magenta", '"positive results"', "we continue to receive positive results", None),
    ("arrests", "red", '"make arrests"', "gone on to make arrests", "Arrests attributed to the app"),
    ("personal-devices", "cyan", '"personal phone"', None, "Use on personal phones"),
    ("after-trial", "#ff8800", "after:2019-04-01", None, "Activity after the trial 'ended'"),
]
SAVED_SEARCHES = [
    ("Leaked redactions", "has:leak"),
    ("Homeland Security", "homeland OR hsi"),
    ("100 searches", '"100 searches"'),
]


def annotate(archive: Archive) -> None:
    """An investigator's first hour: a request that produced nothing, tags, excerpts, events, saved searches."""
    os.environ["USER"] = "sample-investigator"  # taggings record who made them; not whoever built the sample
    add_release(
        archive,
        "NYPD FOIL 2020-PL-0388 (contracts)",
        agency="New York City Police Department",
        request_id="2020-PL-0388",
        filed="2020-02-10",
        status="no_records",
        notes="No contract or purchase records located.",
    )
    for name, colour, query, phrase, note in TAGS:
        create_tag(archive, name, color=colour)
        ids = matching_message_ids(archive, query)
        if phrase is None:
            tag_messages(archive, name, ids, note=note)
            continue
        for message_id in ids:
            body = sql_value(archive, "SELECT body FROM messages WHERE id = ?", (message_id,))
            start = body.find(phrase)
            if start >= 0:
                tag_excerpt(archive, name, message_id, start, start + len(phrase), note=note)
    for day, label in EVENTS:
        add_event(archive, day, label)
    for name, query in SAVED_SEARCHES:
        save_search(archive, name, query)


def build_archive(sources: dict[str, list[Path]], target: Path) -> Archive:
    """Import every production with the real pipeline into a new archive at `target`."""
    for stale in target.parent.glob(target.name + "*"):
        stale.unlink()
    os.chdir(target.resolve().parent)
    archive = Archive.open(target)
    for key, paths in sources.items():
        fields = dict(RELEASES[key])
        # Paths are stored relative to the archive's folder, so the sample's originals open on any machine.
        relative = [os.path.relpath(p, target.resolve().parent) for p in paths]
        summary = run_import(archive, relative, workers=1, release=fields.pop("name"), release_fields=fields)
        if summary.failures:
            raise SystemExit(f"sample import failed: {summary.failures}")
    annotate(archive)
    return archive


CORPUS_FOLDERS = [
    "dc-bega-foia",
    "chicago-pd-foia-15-3569",
    "xray-redaction-fixtures",
    "fedora-devel-mbox",
    "notmuch",
    "mail-parser",
]


def build_corpora_archive(corpora: Path, target: Path) -> None:
    """Import each real release or mail corpus present under `corpora` as its own release."""
    for stale in target.parent.glob(target.name + "*"):
        stale.unlink()
    archive = Archive.open(target)
    for name in CORPUS_FOLDERS:
        folder = corpora / name
        if not folder.is_dir():
            print(f"skipped {name}: not under {corpora}")
            continue
        summary = run_import(archive, [str(folder)], release=name)
        print(f"{name}: {summary.imported} files, {summary.messages_added} messages, {len(summary.failures)} failed")
    archive.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_DB, help="archive to write")
    parser.add_argument("--sources", type=Path, default=SAMPLES, help="folder for the generated release files")
    parser.add_argument("--corpora", type=Path, help="build from the real corpora in this folder instead")
    args = parser.parse_args()
    if args.corpora:
        if args.out == SAMPLE_DB:
            parser.error("--corpora needs --out: the committed sample is only ever the reconstruction")
        build_corpora_archive(args.corpora.resolve(), args.out.resolve())
        return
    sources = write_sources(args.sources.resolve())
    archive = build_archive(sources, args.out.resolve())
    archive.make_single_file()
    archive.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
