"""One email, many copies: native files, prints in several PDFs and quotes in replies are one message."""

from __future__ import annotations

import hashlib

from foia_tui.archive.messages import list_messages
from foia_tui.archive.store import message_id_for, store_document
from foia_tui.archive.threads import copies_of
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import Address, DocumentRecord, MessageRecord
from tests.support import worldgen
from tests.support.sql import sql_value

HOAN = Address("Hoan Ton-That", "hoan@clearview.ai", "Hoan Ton-That <hoan@clearview.ai>")
JANE = Address("Jane Roe", "jroe@nypd.gov", "Jane Roe <jroe@nypd.gov>")
TEXT = "We continue to receive positive results from the pilot and would like to extend the trial accounts."


def sha(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def test_generated_copies_are_found_and_distinct_emails_never_merged(tmp_path):
    archive, data = worldgen.built_world(tmp_path / "w.db", seed=21)
    score = worldgen.score_duplicates(archive, data.truth)
    assert score.recall >= 0.97, score
    assert score.false_pairs == 0, score
    archive.close()


def test_one_email_as_file_prints_and_quotes_is_one_message_with_its_copies(archive):
    """The same email: an .eml, printed at the top of two records (one in another time zone, redacted), and
    quoted (Outlook and Gmail style) below five replies in a third PDF."""
    native = DocumentRecord("mail/trial.eml", sha("eml"), "eml", [
        MessageRecord(0, subject="Clearview trial", sender=HOAN, to=[JANE], sent="2019-01-08T10:02:37-05:00",
                      body=TEXT + "\n\nHoan", message_id="trial@clearview.ai")])  # fmt: skip
    prints = [
        DocumentRecord("releases/A.pdf", sha("a"), "pdf", page_count=3, messages=[
            MessageRecord(0, subject="Clearview trial", sender=Address("Ton-That, Hoan", None, "Ton-That, Hoan"),
                          to=[Address("Roe, Jane", None, "Roe, Jane")], sent="2019-01-08T10:02:00", body=TEXT,
                          copy_kind="print", page_start=2, page_end=3, bates_start="NYPD-000102")]),
        DocumentRecord("releases/B.pdf", sha("b"), "pdf", page_count=1, messages=[
            MessageRecord(0, subject="Clearview trial", sender=Address("[REDACTED (b)(6)]", None, "(b)(6)"),
                          to=[JANE], sent="2019-01-08T07:02:00",
                          body=TEXT.replace("positive", "█[REDACTED (b)(6)]█"), copy_kind="print", page_start=1)]),
    ]  # fmt: skip
    chains = []
    for n in range(5):
        reply = MessageRecord(2 * n, subject=f"RE: Clearview trial ({n})", sender=JANE, to=[HOAN],
                              sent=f"2019-01-0{n + 1}T12:00:00", body=f"Reply number {n} about something else.",
                              copy_kind="print", page_start=n + 1)  # fmt: skip
        gmail = n % 2 == 0
        quote = MessageRecord(2 * n + 1, subject=None if gmail else "Clearview trial",
                              sender=Address("Hoan Ton-That" if gmail else "Ton-Tbat, Hoan", None, ""),
                              to=[] if gmail else [Address("Roe, Jane", None, "")], sent="2019-01-08T10:02:00",
                              body=TEXT, copy_kind="quoted", quoted_in=2 * n, page_start=n + 1)  # fmt: skip
        chains += [reply, quote]
    replies = DocumentRecord("releases/C.pdf", sha("c"), "pdf", messages=chains, page_count=5)
    for doc in (*prints, replies, native):  # the native file arrives last and becomes the copy shown
        store_document(archive, doc)
        rebuild_conversations(archive)
    head = message_id_for(native.sha256, 0)
    copies = copies_of(archive, message_id_for(replies.sha256, 1))
    assert copies[0]["id"] == head and copies[0]["shown"] and copies[0]["copy_kind"] == "native"
    assert len(copies) == 1 + 2 + 5
    assert {c["copy_kind"] for c in copies[1:]} == {"print", "quoted"}
    assert all(not c["shown"] for c in copies[1:])
    printed = next(c for c in copies if c["file"] == "releases/A.pdf")
    assert (printed["page_start"], printed["page_end"], printed["bates_start"]) == (2, 3, "NYPD-000102")
    shown = [m for m in list_messages(archive) if m["subject"] == "Clearview trial"]
    assert len(shown) == 1 and shown[0]["id"] == head
    assert copies_of(archive, "no-such-id") == []


def test_without_a_native_file_the_top_of_record_print_is_shown(archive):
    doc = DocumentRecord("releases/D.pdf", sha("d"), "pdf", page_count=2, messages=[
        MessageRecord(0, subject="RE: Budget", sender=JANE, to=[HOAN], sent="2019-02-01T09:00:00",
                      body="Approved for the next quarter.", copy_kind="print"),
        MessageRecord(1, subject="Budget", sender=HOAN, to=[JANE], sent="2019-01-31T16:45:00", body=TEXT,
                      copy_kind="quoted", quoted_in=0),
        MessageRecord(2, subject="Budget", sender=HOAN, to=[JANE], sent="2019-01-31T16:45:00", body=TEXT,
                      copy_kind="print"),
    ])  # fmt: skip
    store_document(archive, doc)
    rebuild_conversations(archive)
    quoted, printed = (message_id_for(doc.sha256, n) for n in (1, 2))
    assert sql_value(archive, "SELECT duplicate_of FROM messages WHERE id = ?", (quoted,)) == printed
    assert sql_value(archive, "SELECT duplicate_of FROM messages WHERE id = ?", (printed,)) is None


def test_lookalike_emails_stay_distinct(archive):
    """Same text sent separately to two people; two short thank-yous in different threads; a resend later."""
    doc = DocumentRecord("releases/E.pdf", sha("e"), "pdf", page_count=4, messages=[
        MessageRecord(0, subject="Notice", sender=HOAN, to=[Address("Roe, Jane", "jroe@nypd.gov", "")],
                      sent="2019-03-01T09:00:00", body=TEXT, copy_kind="print"),
        MessageRecord(1, subject="Notice", sender=HOAN, to=[Address("Smith, Ann", "asmith@nypd.gov", "")],
                      sent="2019-03-01T09:00:00", body=TEXT, copy_kind="print"),
        MessageRecord(2, subject="Meeting", sender=JANE, to=[HOAN], sent="2019-03-02T10:15:00", body="Thanks.",
                      copy_kind="print"),
        MessageRecord(3, subject="Invoice", sender=JANE, to=[HOAN], sent="2019-03-02T13:15:00", body="Thanks.",
                      copy_kind="print"),
        MessageRecord(4, subject="Notice", sender=HOAN, to=[Address("Roe, Jane", "jroe@nypd.gov", "")],
                      sent="2019-03-04T09:00:00", body=TEXT, copy_kind="print"),
    ])  # fmt: skip
    native_pair = [
        DocumentRecord(f"mail/{n}.eml", sha(f"n{n}"), "eml", [
            MessageRecord(0, subject="Same", sender=HOAN, to=[JANE], sent="2019-03-05T09:00:00-05:00", body=TEXT,
                          message_id=f"distinct-{n}@x")])
        for n in range(2)
    ]  # fmt: skip
    for d in (doc, *native_pair):
        store_document(archive, d)
    rebuild_conversations(archive)
    assert sql_value(archive, "SELECT count(*) FROM messages WHERE duplicate_of IS NOT NULL") == 0


def test_a_forced_re_read_recompares_copies(archive):
    doc = DocumentRecord("releases/F.pdf", sha("f"), "pdf", page_count=1, messages=[
        MessageRecord(0, subject="Plan", sender=HOAN, to=[JANE], sent="2019-04-01T09:00:00", body=TEXT,
                      copy_kind="print"),
        MessageRecord(1, subject="Plan", sender=HOAN, to=[JANE], sent="2019-04-01T09:00:00",
                      body="An OCR pass that read nothing like the other copy at all, words everywhere.",
                      copy_kind="print"),
    ])  # fmt: skip
    store_document(archive, doc)
    rebuild_conversations(archive)
    assert sql_value(archive, "SELECT count(*) FROM messages WHERE duplicate_of IS NOT NULL") == 0
    doc.messages[1].body = TEXT  # re-OCR'd: now the same email
    store_document(archive, doc, force=True)
    rebuild_conversations(archive)
    assert sql_value(archive, "SELECT count(*) FROM messages WHERE duplicate_of IS NOT NULL") == 0  # decision kept
    rebuild_conversations(archive, full=True)
    assert sql_value(archive, "SELECT count(*) FROM messages WHERE duplicate_of IS NOT NULL") == 1
