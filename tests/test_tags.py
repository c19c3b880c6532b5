"""Tags and taggings: CRUD, message / thread / excerpt taggings, who and when, and survival across re-imports."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.messages import list_messages
from foia_tui.archive.store import message_id_for, store_document
from foia_tui.archive.tags import (
    create_tag,
    delete_tag,
    find_anchor,
    get_tag,
    list_tags,
    merge_tags,
    message_taggings,
    reanchor_taggings,
    rename_tag,
    set_color,
    set_description,
    tag_excerpt,
    tag_messages,
    tag_thread,
    thread_message_ids,
    untag_messages,
)
from foia_tui.services import importing
from foia_tui.services.importing import run_import
from importers.records import DocumentRecord, MessageRecord
from tests.support.mailgen import make_message
from tests.support.sql import sql_value

ALICE = ("Alice Moreno", "alice@agency.example.gov")
BRIAN = ("Brian Okafor", "brian@agency.example.gov")
BUDGET = "Brian,\n\nThe budget was cut by 40 percent after the hearing.\nPlease keep this quiet.\n\nAlice\n"


def write_thread(folder: Path) -> list[Path]:
    """Three .eml files: a message, its reply, and an unrelated message."""
    folder.mkdir(parents=True, exist_ok=True)
    mails = [
        ("budget.eml", "Budget", ALICE, BRIAN, 1, BUDGET, "m1@example.gov", None),
        ("reply.eml", "Re: Budget", BRIAN, ALICE, 2, "Who approved the cut?\n", "m2@example.gov", "m1@example.gov"),
        ("lunch.eml", "Lunch", ALICE, BRIAN, 9, "Lunch on Friday?\n", "m3@example.gov", None),
    ]
    paths = []
    for name, subject, sender, to, day, body, mid, parent in mails:
        msg = make_message(
            message_id=mid,
            subject=subject,
            sender=sender,
            to=[to],
            sent=datetime(2019, 3, day, 10, 15, tzinfo=UTC),
            body=body,
            in_reply_to=parent,
            references=[parent] if parent else None,
        )
        (folder / name).write_bytes(msg.as_bytes())
        paths.append(folder / name)
    return paths


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    write_thread(tmp_path / "mail")
    return tmp_path / "mail"


@pytest.fixture
def archive(tmp_path: Path, mail_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("USER", "investigator")
    archive = Archive.open(tmp_path / "archive.db")
    run_import(archive, [str(mail_dir)], workers=1)
    yield archive
    archive.close()


def ids_by_subject(archive: Archive) -> dict[str, str]:
    return {m["subject"]: m["id"] for m in list_messages(archive)}


def test_tag_message_records_who_and_when(archive: Archive) -> None:
    budget = ids_by_subject(archive)["Budget"]
    assert tag_messages(archive, "important", [budget], note="first look") == 1
    assert tag_messages(archive, "Important", [budget]) == 0  # same tag (case-insensitive), same message: no twin
    (tagging,) = message_taggings(archive, budget)
    assert (tagging.tag, tagging.kind, tagging.note, tagging.created_by) == (
        "important",
        "message",
        "first look",
        "investigator",
    )
    assert datetime.fromisoformat(tagging.created_at).year >= 2024
    assert [m["tags"] for m in list_messages(archive) if m["id"] == budget] == [["important"]]


def test_tag_thread_tags_every_message_and_remembers_the_thread(archive: Archive) -> None:
    ids = ids_by_subject(archive)
    thread_id = next(m["thread_id"] for m in list_messages(archive) if m["id"] == ids["Budget"])
    assert set(thread_message_ids(archive, thread_id)) == {ids["Budget"], ids["Re: Budget"]}
    assert tag_thread(archive, "budget", thread_id) == 2
    for subject in ("Budget", "Re: Budget"):
        (tagging,) = message_taggings(archive, ids[subject])
        assert (tagging.kind, tagging.via_thread) == ("thread", thread_id)
    assert message_taggings(archive, ids["Lunch"]) == []
    assert get_tag(archive, "budget").messages == 2
    with pytest.raises(ArchiveError, match="no thread"):
        tag_thread(archive, "budget", "nope")


def test_tag_excerpt_keeps_the_quoted_text(archive: Archive) -> None:
    budget = ids_by_subject(archive)["Budget"]
    body = next(m["body"] for m in list_messages(archive) if m["id"] == budget)
    start = body.index("budget was cut")
    tagging = tag_excerpt(archive, "smoking gun", budget, start, start + 30, note="key admission")
    assert tagging.kind == "excerpt"
    assert tagging.quoted_text == "budget was cut by 40 percent a"
    assert (tagging.start, tagging.end, tagging.anchor_status, tagging.note) == (
        start,
        start + 30,
        "ok",
        "key admission",
    )
    with pytest.raises(ArchiveError, match="outside the message body"):
        tag_excerpt(archive, "smoking gun", budget, 5, len(body) + 1)
    with pytest.raises(ArchiveError, match="no message"):
        tag_excerpt(archive, "smoking gun", "0000", 0, 1)


def test_tag_crud(archive: Archive) -> None:
    ids = ids_by_subject(archive)
    tag_messages(archive, "budgt", [ids["Budget"], ids["Lunch"]])
    tag_messages(archive, "budget", [ids["Budget"]])
    create_tag(archive, "empty", color="Red", description="nothing yet")
    assert [(t.name, t.messages, t.color) for t in list_tags(archive)] == [
        ("budget", 1, None),
        ("budgt", 2, None),
        ("empty", 0, "red"),
    ]
    with pytest.raises(ArchiveError, match="exists already"):
        rename_tag(archive, "budgt", "BUDGET")
    assert rename_tag(archive, "budgt", "Budget typo").name == "Budget typo"
    merged = merge_tags(archive, ["Budget typo"], "budget")
    assert (merged.messages, merged.taggings) == (2, 2)  # the doubly tagged message keeps one tagging
    assert [t.name for t in list_tags(archive)] == ["budget", "empty"]
    assert set_color(archive, "budget", "#ff8800").color == "#ff8800"
    with pytest.raises(ArchiveError, match="not a colour"):
        set_color(archive, "budget", "ultraviolet")
    assert set_color(archive, "budget", None).color is None
    assert set_description(archive, "budget", "  money  ").description == "money"
    assert [t.message_id for t in untag_messages(archive, "budget", [ids["Lunch"]])] == [ids["Lunch"]]
    assert delete_tag(archive, "budget") == 1
    assert [t.name for t in list_tags(archive)] == ["empty"]
    assert sql_value(archive, "SELECT count(*) FROM taggings") == 0
    for bad in ("", "   ", "a\x1b[31mb", "x" * 81):
        with pytest.raises(ArchiveError):
            create_tag(archive, bad)


def tag_everything(archive: Archive) -> dict[str, str]:
    ids = ids_by_subject(archive)
    thread_id = next(m["thread_id"] for m in list_messages(archive) if m["id"] == ids["Budget"])
    tag_messages(archive, "lunch", [ids["Lunch"]], note="not relevant?")
    tag_thread(archive, "budget", thread_id)
    start = BUDGET.index("budget was cut")
    tag_excerpt(archive, "smoking gun", ids["Budget"], start, start + len("budget was cut by 40 percent"))
    return ids


def snapshot(archive: Archive) -> list[tuple]:
    return sorted(
        (t.tag, t.message_id, t.kind, t.start, t.end, t.quoted_text, t.note, t.created_by, t.anchor_status)
        for m in list_messages(archive, include_duplicates=True)
        for t in message_taggings(archive, m["id"])
    )


@pytest.mark.parametrize("force", [False, True])
def test_reimport_of_the_same_files_keeps_every_tag(archive: Archive, mail_dir: Path, force: bool) -> None:
    tag_everything(archive)
    before = snapshot(archive)
    assert len(before) == 4
    summary = run_import(archive, [str(mail_dir)], workers=1, force=force)
    assert (summary.imported, summary.skipped) == ((3, 0) if force else (0, 3))
    assert snapshot(archive) == before
    assert {t.name: t.messages for t in list_tags(archive)} == {"budget": 2, "lunch": 1, "smoking gun": 1}


def reimport_with_body(archive: Archive, mail_dir: Path, monkeypatch: pytest.MonkeyPatch, change) -> None:
    """Force a re-import of the same files whose parser now reads the budget body differently (say, re-OCR)."""
    real = importing.parse_file

    def reread(path: Path, kind: str | None):
        doc = real(path, kind)
        if path.name == "budget.eml":
            doc.messages = [dataclasses.replace(m, body=change(m.body)) for m in doc.messages]
        return doc

    monkeypatch.setattr(importing, "parse_file", reread)
    run_import(archive, [str(mail_dir)], workers=1, force=True)


def excerpt_of(archive: Archive, message_id: str):
    (tagging,) = [t for t in message_taggings(archive, message_id) if t.kind == "excerpt"]
    body = next(m["body"] for m in list_messages(archive) if m["id"] == message_id)
    return tagging, body


def test_reimport_with_text_moved_reanchors_the_excerpt(archive, mail_dir, monkeypatch) -> None:
    ids = tag_everything(archive)
    reimport_with_body(archive, mail_dir, monkeypatch, lambda body: "[Page 1 of 2]\n" + body)
    tagging, body = excerpt_of(archive, ids["Budget"])
    assert tagging.anchor_status == "moved"
    assert body[tagging.start : tagging.end] == tagging.quoted_text == "budget was cut by 40 percent"
    assert len(snapshot(archive)) == 4  # the message and thread taggings are still there too


def test_reimport_with_ocr_changes_reanchors_by_fuzzy_match(archive, mail_dir, monkeypatch) -> None:
    ids = tag_everything(archive)
    reimport_with_body(archive, mail_dir, monkeypatch, lambda body: "Sent from a scanner\n" + body.replace("40", "4O"))
    tagging, body = excerpt_of(archive, ids["Budget"])
    assert tagging.anchor_status == "moved"
    assert body[tagging.start : tagging.end] == "budget was cut by 4O percent"
    assert tagging.quoted_text == "budget was cut by 40 percent"  # what the investigator tagged is kept


def test_reimport_without_the_text_flags_the_excerpt_lost(archive, mail_dir, monkeypatch) -> None:
    ids = tag_everything(archive)
    reimport_with_body(archive, mail_dir, monkeypatch, lambda body: "Brian,\n\nSee attached.\n\nAlice\n")
    tagging, _ = excerpt_of(archive, ids["Budget"])
    assert (tagging.anchor_status, tagging.quoted_text) == ("lost", "budget was cut by 40 percent")
    # The original text comes back (the bad OCR is undone): the anchor is found in place again.
    monkeypatch.undo()
    run_import(archive, [str(mail_dir)], workers=1, force=True)
    tagging, body = excerpt_of(archive, ids["Budget"])
    assert tagging.anchor_status == "ok"
    assert body[tagging.start : tagging.end] == tagging.quoted_text


def test_reanchor_leaves_matching_excerpts_alone(archive: Archive) -> None:
    tag_everything(archive)
    result = reanchor_taggings(archive)
    assert (result.checked, result.moved, result.lost, result.restored) == (1, 0, 0, 0)


def test_find_anchor() -> None:
    body = "cut. The cut was made. Later, the cut was undone."
    assert find_anchor(body, "the cut", 30) == (30, 37)  # the occurrence nearest the old place
    assert find_anchor(body, "The cut", 0) == (5, 12)
    assert find_anchor(body, "xyz", 0) is None
    assert find_anchor(body, "", 0) is None
    start, end = find_anchor("prefix The cut was rnade today.", "The cut was made", 0)
    assert (start, end) == (7, 23)
    assert find_anchor("tiny", "a much longer quote than the body", 0) is None


def test_store_document_force_then_reanchor_flags_a_collision(tmp_path: Path) -> None:
    """Two taggings of one quote at two places; the re-read body keeps one place: one moves, one is flagged."""
    archive = Archive.open(tmp_path / "archive.db")
    body = "The cut was made. Later the cut was undone."
    doc = DocumentRecord("scan.pdf", "ab" * 32, "pdf", [MessageRecord(0, subject="Cuts", body=body)])
    store_document(archive, doc)
    message_id = message_id_for(doc.sha256, 0)
    first, second = body.index("cut was"), body.rindex("cut was")
    tag_excerpt(archive, "cut", message_id, first, first + 7)
    tag_excerpt(archive, "cut", message_id, second, second + 7)
    reread = MessageRecord(0, subject="Cuts", body="So the cut was final.")
    store_document(archive, dataclasses.replace(doc, messages=[reread]), force=True)
    result = reanchor_taggings(archive)
    assert (result.moved, result.lost) == (1, 1)
    statuses = sorted((t.anchor_status, t.start) for t in message_taggings(archive, message_id))
    assert statuses == [("lost", second), ("moved", 7)]
    archive.close()
