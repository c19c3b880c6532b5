"""Threads and duplicates for the whole archive, from plain message keys (no SQL here).

Threading follows JWZ where headers exist (Message-ID, References, In-Reply-To), the quoted chain inside a
printed reply where they don't, and falls back to normalised subject + shared participants + time order for
replies whose headers were stripped, so unrelated threads that share a subject stay apart.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz

from foia_tui.subjects import is_reply_or_forward

COPY_PREFERENCE = {"native": 0, "print": 1, "quoted": 2}
FALLBACK_WINDOW = timedelta(days=45)
BODY_MATCH = 88


@dataclass(frozen=True)
class MessageKey:
    """What threading and duplicate detection need of one stored message."""

    id: str
    document_id: str
    ordinal: int
    subject: str | None
    subject_norm: str
    sender: str  # participant key of the sender ('' when unknown)
    participants: frozenset[str]
    sent: str | None  # as stored (ISO, zoned or naive)
    sent_sort: str | None
    body: str
    copy_kind: str
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    quoted_in: str | None = None


def participant_key(name: str | None, email: str | None) -> str:
    """One key per correspondent: the address when printed, else the name's words in order-free form."""
    if email and "@" in email:
        return email.strip().lower()
    words = sorted(re.findall(r"[^\W\d_]+", (name or "").casefold()))
    return " ".join(words)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        if parent != item:
            parent = self.parent[item] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _moment(sent_sort: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(sent_sort) if sent_sort else None
    except ValueError:
        return None


def _comparable_body(body: str) -> str:
    text = re.sub(r"█[^█]*█", " ", body)
    text = re.sub(r"(?m)^[ \t]*>+[ \t]?", "", text)
    return " ".join(text.split())[:3000].casefold()


def find_duplicates(messages: list[MessageKey]) -> dict[str, str | None]:
    """Map every message id to the id of the copy shown in its place (None when it is that copy).

    The same email appears as a native file, printed in several PDFs and quoted in replies; copies are
    blocked by the wall-clock minute they were sent (or subject when undated) and compared by sender and body.
    """
    blocks: dict[str, list[MessageKey]] = defaultdict(list)
    by_message_id: dict[str, list[MessageKey]] = defaultdict(list)
    for m in messages:
        if m.message_id:
            by_message_id[m.message_id].append(m)
        blocks[m.sent[:16] if m.sent else f"subject:{m.subject_norm}"].append(m)
    groups = _UnionFind()
    for copies in by_message_id.values():
        for other in copies[1:]:
            groups.union(copies[0].id, other.id)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if a.document_id == b.document_id and a.copy_kind == b.copy_kind == "native":
                    continue
                if _same_email(a, b):
                    groups.union(a.id, b.id)
    members: dict[str, list[MessageKey]] = defaultdict(list)
    for m in messages:
        members[groups.find(m.id)].append(m)
    result: dict[str, str | None] = {}
    for copies in members.values():
        best = min(
            copies,
            key=lambda m: (COPY_PREFERENCE.get(m.copy_kind, 3), -len(m.body), m.document_id, m.ordinal),
        )
        for m in copies:
            result[m.id] = None if m is best else best.id
    return result


def _same_email(a: MessageKey, b: MessageKey) -> bool:
    if a.message_id and b.message_id and a.message_id != b.message_id:
        return False
    if a.sender and b.sender and a.sender != b.sender and fuzz.ratio(a.sender, b.sender) < 85:
        return False
    body_a, body_b = _comparable_body(a.body), _comparable_body(b.body)
    if not body_a and not body_b:
        return a.subject_norm == b.subject_norm
    return fuzz.ratio(body_a, body_b) >= BODY_MATCH


def assign_threads(messages: list[MessageKey], duplicates: dict[str, str | None]) -> dict[str, str]:
    """Map every message id to a thread id (a hash of the thread's earliest message)."""
    groups = _UnionFind()
    for m in messages:
        groups.find(m.id)
        if m.message_id:
            groups.union(m.id, f"<{m.message_id}>")
        parents = [*m.references, m.in_reply_to] if m.in_reply_to else list(m.references)
        for ref in parents[-1:]:
            groups.union(m.id, f"<{ref}>")
        if m.quoted_in:
            groups.union(m.id, m.quoted_in)
        if duplicates.get(m.id):
            groups.union(m.id, duplicates[m.id])
    _join_headerless_replies(messages, groups)
    members: dict[str, list[MessageKey]] = defaultdict(list)
    for m in messages:
        members[groups.find(m.id)].append(m)
    thread_of: dict[str, str] = {}
    for component in members.values():
        root = min(component, key=lambda m: (m.sent_sort is None, m.sent_sort or "", m.id))
        thread_id = hashlib.sha256(f"thread:{root.id}".encode()).hexdigest()[:12]
        for m in component:
            thread_of[m.id] = thread_id
    return thread_of


def _join_headerless_replies(messages: list[MessageKey], groups: _UnionFind) -> None:
    """Attach a reply without threading headers to the latest earlier message it plausibly answers."""
    by_subject: dict[str, list[MessageKey]] = defaultdict(list)
    for m in messages:
        if m.subject_norm:
            by_subject[m.subject_norm].append(m)
    for candidates in by_subject.values():
        if len(candidates) < 2:
            continue
        candidates.sort(key=lambda m: (m.sent_sort or "", m.id))
        for index, m in enumerate(candidates):
            if m.in_reply_to or m.references or not is_reply_or_forward(m.subject):
                continue
            when = _moment(m.sent_sort)
            for earlier in reversed(candidates[:index]):
                then = _moment(earlier.sent_sort)
                if when and then and when - then > FALLBACK_WINDOW:
                    break
                if m.participants & earlier.participants and (m.sender in earlier.participants or not m.sender):
                    groups.union(m.id, earlier.id)
                    break
