"""Threads for the whole archive: JWZ headers, quoted chains, header-less replies, forwards, shared subjects."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from foia_tui.archive import Archive
from foia_tui.archive.store import message_id_for, store_document
from foia_tui.archive.threads import get_thread, list_threads
from foia_tui.cli import main
from foia_tui.domain.conversations import reading_order
from foia_tui.services.rethreading import rebuild_conversations
from importers.mailparts import message_record, parse_bytes
from importers.records import Address, DocumentRecord, MessageRecord
from tests.support import mailgen, worldgen
from tests.support.sql import sql_rows

ALICE = Address("Alice Moreno", "alice@agency.example.gov", "Alice Moreno <alice@agency.example.gov>")
BOB = Address("Bob Okafor", "bob@agency.example.gov", "Bob Okafor <bob@agency.example.gov>")
CARLA = Address("Carla Nunez", "carla@council.example.gov", "Carla Nunez <carla@council.example.gov>")
DAN = Address("Dan Volkov", "dan@press.example.com", "Dan Volkov <dan@press.example.com>")


def native(key: str, **fields) -> DocumentRecord:
    """One .eml-like document holding one native message."""
    return DocumentRecord(
        f"mail/{key}.eml", hashlib.sha256(key.encode()).hexdigest(), "eml", [MessageRecord(0, **fields)]
    )


def stored_id(doc: DocumentRecord, ordinal: int = 0) -> str:
    return message_id_for(doc.sha256, ordinal)


def rows(archive: Archive) -> dict[str, dict]:
    return {r["id"]: r for r in sql_rows(archive, "SELECT id, thread_id, parent_id, duplicate_of FROM messages")}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    archive, data = worldgen.built_world(tmp_path_factory.mktemp("world") / "w.db", seed=11)
    yield archive, data
    archive.close()


def test_mixed_pdf_and_email_threads_meet_the_target(world):
    archive, data = world
    score = worldgen.score_threads(archive, data.truth)
    assert score.f1 >= 0.97, score
    assert score.precision >= 0.99, score


def test_rebuilding_again_changes_nothing(world):
    archive, _ = world
    before = sql_rows(archive, "SELECT id, thread_id, duplicate_of, parent_id FROM messages ORDER BY id")
    threads = sql_rows(archive, "SELECT * FROM threads ORDER BY id")
    rebuild_conversations(archive)
    assert sql_rows(archive, "SELECT id, thread_id, duplicate_of, parent_id FROM messages ORDER BY id") == before
    assert sql_rows(archive, "SELECT * FROM threads ORDER BY id") == threads


def _dense_shared_subject_mail(count: int, seed: int) -> list:
    """mailgen conversations all under the three shared subjects, started within 60 days, 30% stripped."""
    rng = random.Random(seed)
    mails, thread = [], 0
    while len(mails) < count:
        start = datetime(2018, 3, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 60 * 1440))
        size = min(count - len(mails), rng.choice((1, 2, 3, 4, 6, 8)))
        subject = rng.choice(mailgen.SHARED_SUBJECTS)
        mails.extend(mailgen.conversation(thread, subject, start, size, rng, strip_rate=0.3))
        thread += 1
    return mails


def test_stripped_replies_join_their_thread_and_shared_subjects_stay_apart(archive):
    truth = {}
    with archive.transaction():
        for number, (msg, fact) in enumerate(_dense_shared_subject_mail(1200, seed=5)):
            data = msg.as_bytes()
            sha = hashlib.sha256(data).hexdigest()
            store_document(
                archive, DocumentRecord(f"m/{number}", sha, "maildir", [message_record(parse_bytes(data), 0)])
            )
            truth[message_id_for(sha, 0)] = fact.thread
    rebuild_conversations(archive)
    score = worldgen.pairwise(truth, {k: r["thread_id"] for k, r in rows(archive).items()})
    assert score.precision >= 0.99 and score.recall >= 0.99, score


def test_headers_link_parents_and_a_missing_parent_still_joins_its_siblings(archive):
    root = native("root", subject="Budget", sender=ALICE, to=[BOB], sent="2019-03-01T09:00:00-05:00",
                  body="Numbers attached for the pilot budget.", message_id="root@x")  # fmt: skip
    reply = native("reply", subject="RE: Budget", sender=BOB, to=[ALICE], sent="2019-03-01T10:00:00-05:00",
                   body="Thanks, looks right.", message_id="reply@x", in_reply_to="root@x",
                   references=["root@x"])  # fmt: skip
    # Two answers to a message that is not in the archive: they share a thread through the phantom.
    a = native("a", subject="RE: Lost", sender=BOB, to=[CARLA], sent="2019-04-01T10:00:00-05:00",
               body="First answer to the lost message.", message_id="a@x", in_reply_to="lost@x",
               references=["lost@x"])  # fmt: skip
    b = native("b", subject="RE: Lost", sender=CARLA, to=[BOB], sent="2019-04-02T10:00:00-05:00",
               body="Second answer, also to the lost message.", message_id="b@x", references=["lost@x"])  # fmt: skip
    for doc in (root, reply, a, b):
        store_document(archive, doc)
    rebuild_conversations(archive)
    found = rows(archive)
    assert found[stored_id(reply)]["parent_id"] == stored_id(root)
    assert found[stored_id(reply)]["thread_id"] == found[stored_id(root)]["thread_id"]
    assert found[stored_id(a)]["thread_id"] == found[stored_id(b)]["thread_id"] != found[stored_id(root)]["thread_id"]


def test_a_reply_imported_before_its_parent_joins_it_later(archive):
    parent = native("p", subject="Records request", sender=ALICE, to=[BOB], sent="2019-05-01T09:00:00-04:00",
                    body="Please search the 2018 mailboxes for the contract.", message_id="p@x")  # fmt: skip
    reply = native("r", subject="Re: Records request", sender=BOB, to=[ALICE], sent="2019-05-02T09:00:00-04:00",
                   body="Search done.\n\nOn Wed, May 1, 2019 at 9:00 AM Alice Moreno wrote:\n"
                        "> Please search the 2018 mailboxes for the contract.")  # fmt: skip
    store_document(archive, reply)
    rebuild_conversations(archive)
    assert rows(archive)[stored_id(reply)]["parent_id"] is None
    store_document(archive, parent)
    rebuild_conversations(archive)
    found = rows(archive)
    assert found[stored_id(reply)]["parent_id"] == stored_id(parent)
    assert found[stored_id(reply)]["thread_id"] == found[stored_id(parent)]["thread_id"]


def test_unrelated_threads_sharing_a_subject_stay_apart(archive):
    first = native("m1", subject="Meeting", sender=ALICE, to=[BOB], sent="2019-06-03T09:00:00-04:00",
                   body="Can we meet Thursday about the vendor invoice?")  # fmt: skip
    other = native("m2", subject="Meeting", sender=CARLA, to=[DAN], sent="2019-06-03T11:00:00-04:00",
                   body="The press office wants a meeting on the hearing schedule.")  # fmt: skip
    reply = native("m3", subject="RE: Meeting", sender=DAN, to=[CARLA], sent="2019-06-03T12:00:00-04:00",
                   body="Friday works for me.")  # fmt: skip
    for doc in (first, other, reply):
        store_document(archive, doc)
    rebuild_conversations(archive)
    found = rows(archive)
    assert found[stored_id(reply)]["parent_id"] == stored_id(other)
    assert found[stored_id(first)]["thread_id"] != found[stored_id(reply)]["thread_id"]


def test_printed_quote_chain_gives_parents_and_a_forward_branches_the_thread(archive):
    """An Outlook print: a forward on top, then the two messages it carries as quoted copies."""
    release = DocumentRecord("releases/NYPD-1.pdf", "f" * 64, "pdf", page_count=2, messages=[
        MessageRecord(0, subject="FW: Clearview trial", sender=Address("Roe, Jane", None, "Roe, Jane"),
                      to=[Address("Volkov, Dan", None, "Volkov, Dan")], sent="2019-01-09T08:00:00",
                      body="FYI, see the vendor's note below.", copy_kind="print", page_start=1),
        MessageRecord(1, subject="RE: Clearview trial", sender=Address("Ton-That, Hoan", None, "Ton-That, Hoan"),
                      to=[Address("Roe, Jane", None, "Roe, Jane")], sent="2019-01-08T16:30:00",
                      body="We can extend the trial accounts through March.", copy_kind="quoted", quoted_in=0),
        MessageRecord(2, subject="Clearview trial", sender=Address("Roe, Jane", None, "Roe, Jane"),
                      to=[Address("Ton-That, Hoan", None, "Ton-That, Hoan")], sent="2019-01-08T10:02:00",
                      body="Could the trial be extended for the pilot team?", copy_kind="quoted", quoted_in=1),
    ])  # fmt: skip
    reply = native("reply", subject="RE: Clearview trial", sender=Address("Jane Roe", "jroe@nypd.gov", ""),
                   to=[Address("Hoan Ton-That", "hoan@clearview.ai", "")], sent="2019-01-08T17:00:00",
                   body="Thank you, that works.")  # fmt: skip
    store_document(archive, release)
    store_document(archive, reply)
    rebuild_conversations(archive)
    found = rows(archive)
    forward, vendor, question = (stored_id(release, n) for n in range(3))
    assert found[forward]["parent_id"] == vendor
    assert found[vendor]["parent_id"] == question
    assert found[stored_id(reply)]["parent_id"] == vendor  # a header-less reply, by people and time
    assert len({r["thread_id"] for r in found.values()}) == 1
    thread = get_thread(archive, found[forward]["thread_id"])
    order = [m["id"] for m in thread["messages"]]
    assert order.index(question) < order.index(vendor) < order.index(forward)


def test_hostile_headers_that_loop_do_not_break_threading(archive):
    a = native("la", subject="Loop", sender=ALICE, to=[BOB], sent="2019-07-01T09:00:00+00:00", body="one",
               message_id="la@x", in_reply_to="lb@x", references=["lb@x"])  # fmt: skip
    b = native("lb", subject="Re: Loop", sender=BOB, to=[ALICE], sent="2019-07-01T10:00:00+00:00", body="two",
               message_id="lb@x", in_reply_to="la@x", references=["la@x", "la@x", ""])  # fmt: skip
    self_ref = native("ls", subject="Self", sender=ALICE, to=[BOB], sent="2019-07-02T09:00:00+00:00", body="three",
                      message_id="ls@x", in_reply_to="ls@x")  # fmt: skip
    for doc in (a, b, self_ref):
        store_document(archive, doc)
    rebuild_conversations(archive)
    found = rows(archive)
    assert found[stored_id(a)]["thread_id"] == found[stored_id(b)]["thread_id"]
    assert [found[stored_id(d)]["parent_id"] for d in (a, b)].count(None) == 1
    assert found[stored_id(self_ref)]["parent_id"] is None


def test_reading_order_puts_each_reply_after_its_parent():
    order = reading_order([("late-reply", "root"), ("root", None), ("branch", "root"), ("orphan", "gone")])
    assert order == ["root", "late-reply", "branch", "orphan"]


def test_threads_and_show_commands(archive, tmp_path):
    root = native("s1", subject="Budget\x1b[31m", sender=ALICE, to=[BOB], sent="2019-03-01T09:00:00-05:00",
                  body="Numbers \x1b]0;owned\x07 attached.", message_id="s1@x")  # fmt: skip
    reply = native("s2", subject="RE: Budget", sender=BOB, to=[ALICE], sent="2019-03-01T10:00:00-05:00",
                   body="Looks right.", message_id="s2@x", in_reply_to="s1@x")  # fmt: skip
    store_document(archive, root)
    store_document(archive, reply)
    rebuild_conversations(archive)
    db = str(archive.path)
    runner = CliRunner()
    listed = runner.invoke(main, ["threads", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    (thread,) = [json.loads(line) for line in listed.output.splitlines()]
    assert set(thread) >= {"id", "subject", "participants", "first_sent", "last_sent", "message_count",
                           "has_redactions"}  # fmt: skip
    assert thread["message_count"] == 2 and thread["participants"] == ["Alice Moreno", "Bob Okafor"]
    assert thread == list_threads(archive)[0]
    shown = runner.invoke(main, ["show", "--db", db, thread["id"]])
    assert shown.exit_code == 0, shown.output
    assert "\x1b" not in shown.output and "␛" in shown.output  # escapes made visible, never executed
    assert shown.output.index("Numbers") < shown.output.index("Looks right.")
    assert "[2] reply to [1]" in shown.output
    missing = runner.invoke(main, ["show", "--db", db, "nope"])
    assert missing.exit_code == 1 and "no thread" in missing.output
