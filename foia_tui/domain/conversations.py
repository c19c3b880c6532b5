"""Duplicates and threads for the whole archive, from plain message keys (no SQL here).

One email may be stored many times: a native file, prints in several PDFs, quotes in replies. `find_duplicates`
groups those copies (blocked by the minute sent and by sender, so it never compares everything with everything)
and picks the copy shown. `assign_threads` then links every shown message to its parent: by headers where they
exist (JWZ: References, then In-Reply-To), by the quoted chain of a printed reply, by the text a header-less reply
quotes, and last by normalised subject + shared people + time order, so unrelated threads that share a subject
stay apart. A forward is linked to the message it forwards, so it opens a branch of that thread.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Set
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz

from foia_tui.domain.people import identity_keys, names_compatible, ocr_fold
from foia_tui.domain.quoting import MIN_FINGERPRINT, Quote, fingerprint, first_quote, fold, own_text
from foia_tui.domain.subjects import is_reply_or_forward

COPY_PREFERENCE = {"native": 0, "print": 1, "quoted": 2}
FALLBACK_WINDOW = timedelta(days=45)
FOLLOW_WINDOW = timedelta(days=7)  # a follow-up or forward printed in a thread run comes soon after
ZONE_SPREAD = timedelta(hours=26)  # one email printed in two time zones: at most this far apart
BODY_MATCH = 85  # rapidfuzz ratio of what the authors wrote, for two copies of one email
SUBJECT_MATCH = 80
QUOTE_MATCH = 90
COMPARED_CHARS = 2000
COMMON_SUBJECT = 20  # messages sharing a subject ("Meeting") before it tells nothing about identity
SHORT_TEXT = 60  # folded characters under which a body alone cannot tell two emails apart
SHORT_SHIFT = timedelta(hours=14)  # a "Thanks." printed further apart than this is another "Thanks."
NEIGHBOURS = 40  # copies compared per message within a block, nearest in time first
FALLBACK_CANDIDATES = 60
RUN_LOOKBACK = 20  # prints looked back at within one document's same-subject run

Correspondent = tuple[str | None, str | None]  # (name, email) as printed
BodyLoader = Callable[[Collection[str]], dict[str, str]]


@dataclass(slots=True)
class MessageKey:
    """What duplicate detection and threading need of one stored message (its body is loaded on demand)."""

    id: str
    document_id: str
    ordinal: int
    subject: str | None
    subject_norm: str
    sent: str | None  # as stored (ISO, zoned or naive)
    sent_sort: str | None
    copy_kind: str
    sender: Correspondent | None = None  # None when unknown or redacted
    recipients: tuple[Correspondent, ...] = ()  # To and Cc, redacted ones left out
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    quoted_in: str | None = None  # id of the message whose body quotes this one
    subject_guessed: bool = False  # subject_norm taken from the quoting message (see inherit_subjects)
    ocr: bool = False  # read from a scanned page: a text-layer copy of the same email is the better one to show


class MessagePeople(NamedTuple):
    """A message's correspondents as resolved people."""

    sender: int | None
    participants: Set[int]
    addressee: int | None = None  # the first person in To: a reply is addressed to the sender it answers


NOBODY = MessagePeople(None, frozenset())


@dataclass
class Threading:
    thread_of: dict[str, str]  # every message id -> thread id
    parent_of: dict[str, str | None]  # every message id -> the shown copy of the message it answers


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


@lru_cache(maxsize=1 << 18)
def _moment(sent_sort: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(sent_sort) if sent_sort else None
    except ValueError:
        return None


# Duplicates ------------------------------------------------------------------------------------------------


def _sender_keys(sender: Correspondent | None) -> frozenset[str]:
    return identity_keys(*sender) if sender else frozenset()


def _block_keys(m: MessageKey) -> list[tuple]:
    """The blocks a message belongs to. The minute sent as printed catches copies whose sender was garbled; the
    sender or the subject with the minute of the hour catch copies printed in another time zone; undated
    copies are grouped by subject and sender."""
    senders = [key for key in _sender_keys(m.sender) if " " not in key]
    sent = m.sent
    if not sent or len(sent) < 16:
        return [("undated", key, m.subject_norm) for key in senders or ("",)]
    minute = sent[14:16]
    keys: list[tuple] = [("minute", sent[:16]), *(("sender", key, minute) for key in senders)]
    if m.subject_norm:
        keys.append(("subject", m.subject_norm, minute))
    return keys


def _blocks(messages: list[MessageKey], new: list[bool]) -> Iterable[list[int]]:
    """Groups of message indexes (ascending, so in time order) within which copies of one email are looked
    for; only groups holding a new message, and only messages that may share one (the same minute of the hour
    or no date) are looked at."""
    fresh = [m for m, is_new in zip(messages, new, strict=True) if is_new]
    minutes = None if all(new) else {m.sent[14:16] if m.sent else "" for m in fresh}
    wanted = None if minutes is None else {key for m in fresh for key in _block_keys(m)}
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for index, m in enumerate(messages):
        if minutes is not None and (m.sent[14:16] if m.sent else "") not in minutes:
            continue
        for key in _block_keys(m):
            if wanted is None or key in wanted:
                blocks[key].append(index)
    for block in blocks.values():
        if len(block) > 1:
            yield block


@lru_cache(maxsize=1 << 18)
def _definitely_different(a: Correspondent, b: Correspondent) -> bool:
    if a[1] and b[1]:
        return a[1] != b[1] and ocr_fold(a[1]) != ocr_fold(b[1])
    if a[0] and b[0]:
        return not names_compatible(a[0], b[0])
    return False


def _may_be_copies(a: MessageKey, b: MessageKey) -> bool:
    """Cheap checks before bodies are compared: headers, times, subjects, senders and recipients agree."""
    if a.message_id and b.message_id:
        return False  # decided by the headers alone
    if a.document_id == b.document_id and a.copy_kind == b.copy_kind == "native":
        return False
    if a.quoted_in == b.id or b.quoted_in == a.id:
        return False  # a reply and the message it quotes
    ta, tb = _moment(a.sent_sort), _moment(b.sent_sort)
    if ta and tb and abs(ta - tb) > ZONE_SPREAD:
        return False
    if (
        a.subject_norm
        and b.subject_norm
        and not (a.subject_guessed or b.subject_guessed)
        and a.subject_norm != b.subject_norm
        and fuzz.ratio(a.subject_norm, b.subject_norm) < SUBJECT_MATCH
    ):
        return False
    if a.sender and b.sender and _definitely_different(a.sender, b.sender):
        return False
    return not (
        a.recipients and b.recipients and all(_definitely_different(x, y) for x in a.recipients for y in b.recipients)
    )


def _short_text_trusted(a: MessageKey, b: MessageKey, common: set[str]) -> bool:
    """May two copies of a short body ("Thanks.") be one email? Only when printed in the same minute, or under
    one subject that is either rare or sent by one sender, in zones not too far apart."""
    if a.sent and b.sent and a.sent[:16] == b.sent[:16]:
        return True
    ta, tb = _moment(a.sent_sort), _moment(b.sent_sort)
    if not a.subject_norm or a.subject_norm != b.subject_norm or (ta and tb and abs(ta - tb) > SHORT_SHIFT):
        return False
    return a.subject_norm not in common or bool(_sender_keys(a.sender) & _sender_keys(b.sender))


def _candidate_pairs(messages: list[MessageKey], new: list[bool]) -> set[tuple[int, int]]:
    """Index pairs (i < j; messages in time order) worth comparing by body: at least one of them new."""
    pairs: set[tuple[int, int]] = set()
    moments = [_moment(m.sent_sort) for m in messages]
    for block in _blocks(messages, new):
        if not any(new[i] for i in block) or all(messages[i].message_id for i in block):
            continue
        for position, i in enumerate(block):
            for j in block[position + 1 : position + 1 + NEIGHBOURS]:
                if moments[i] and moments[j] and moments[j] - moments[i] > ZONE_SPREAD:
                    break
                if (new[i] or new[j]) and (i, j) not in pairs and _may_be_copies(messages[i], messages[j]):
                    pairs.add((i, j))
    # A quote without a subject (Gmail prints "On <date>, <name> wrote:") is compared with every message sent
    # at the same minute of the hour within a time-zone spread.
    weak = [
        i
        for i, m in enumerate(messages)
        if (not m.subject_norm or m.subject_guessed) and moments[i] and m.sent and len(m.sent) >= 16
    ]
    minutes = {messages[i].sent[14:16] for i in weak}  # type: ignore[index]
    by_minute: dict[str, list[int]] = defaultdict(list)
    for index, m in enumerate(messages):
        if moments[index] and m.sent and len(m.sent) >= 16 and m.sent[14:16] in minutes:
            by_minute[m.sent[14:16]].append(index)
    for i in weak:
        m, when = messages[i], moments[i]
        block = by_minute[m.sent[14:16]]
        low = bisect.bisect_left(block, when - ZONE_SPREAD, key=lambda k: moments[k])
        high = bisect.bisect_right(block, when + ZONE_SPREAD, key=lambda k: moments[k])
        for j in block[low:high][: 4 * NEIGHBOURS]:
            pair = (min(i, j), max(i, j))
            if i != j and (new[i] or new[j]) and pair not in pairs and _may_be_copies(m, messages[j]):
                pairs.add(pair)
    return pairs


def inherit_subjects(messages: list[MessageKey]) -> list[MessageKey]:
    """Quoted copies printed without a subject ("On <date>, <name> wrote:") take the subject of the message
    quoting them: a reply or forward mostly keeps its parent's subject. Only a guess, so it groups and supports
    matches but never vetoes one."""
    by_id = {m.id: m for m in messages}
    found = []
    for m in messages:
        quoting, hops = by_id.get(m.quoted_in or ""), 0
        while not m.subject_norm and quoting is not None and hops < len(by_id):
            if quoting.subject_norm:
                m = replace(m, subject_norm=quoting.subject_norm, subject_guessed=True)
                break
            quoting, hops = by_id.get(quoting.quoted_in or ""), hops + 1
        found.append(m)
    return found


def _comparable(body: str) -> str:
    return fold(own_text(body))[:COMPARED_CHARS]


def find_duplicates(
    messages: list[MessageKey], bodies: BodyLoader, settled: dict[str, str | None] | None = None
) -> dict[str, str | None]:
    """Map every message id to the id of the copy shown in its place (None when it is that copy).

    Copies are the same email: same Message-ID, or (without one) compatible headers and what the author
    wrote nearly the same. The copy shown is the best: native file, else top-of-record print, else a quote.
    `settled` holds the decisions of an earlier run (message id -> duplicate_of) for messages it saw: only
    pairs involving a message it did not see are compared again, so a rebuild after an import stays quick.
    """
    settled = settled or {}
    messages = sorted(messages, key=lambda m: (m.sent_sort or "", m.id))
    new = [m.id not in settled for m in messages]
    groups = _UnionFind()
    by_header: dict[str, str] = {}
    for m in messages:
        if m.message_id:
            first = by_header.setdefault(m.message_id, m.id)
            if first != m.id:
                groups.union(first, m.id)
        if settled.get(m.id):
            groups.union(m.id, settled[m.id])
    pairs = _candidate_pairs(messages, new)
    subjects = Counter(m.subject_norm for m in messages if m.subject_norm)
    common = {subject for subject, n in subjects.items() if n >= max(COMMON_SUBJECT, len(messages) // 200)}
    needed = {messages[k].id for pair in pairs for k in pair}
    texts = {key: _comparable(body) for key, body in bodies(needed).items()} if needed else {}
    matched = []
    for i, j in pairs:
        a, b = messages[i], messages[j]
        text_a, text_b = texts.get(a.id, ""), texts.get(b.id, "")
        if min(len(text_a), len(text_b)) < SHORT_TEXT and not _short_text_trusted(a, b, common):
            continue  # "Thanks." printed hours apart by an unknown sender: too little to call it one email
        if bool(text_a) != bool(text_b):
            continue
        similarity = fuzz.ratio(text_a, text_b) if text_a else 100 * (a.subject_norm == b.subject_norm)
        if similarity >= BODY_MATCH:
            same_minute = bool(a.sent and b.sent and a.sent[:16] == b.sent[:16])
            ta, tb = _moment(a.sent_sort), _moment(b.sent_sort)
            apart = abs(ta - tb) if ta and tb else ZONE_SPREAD
            matched.append((same_minute, similarity, -apart.total_seconds(), i, j))
    # Strongest evidence first (same minute, same text, nearest time); never join two emails whose files carry
    # different Message-IDs.
    headers: dict[str, set[str]] = defaultdict(set)  # group -> the Message-IDs its native copies carry
    if matched:
        for m in messages:
            if m.message_id:
                headers[groups.find(m.id)].add(m.message_id)
    for *_, i, j in sorted(matched, reverse=True):
        root_a, root_b = groups.find(messages[i].id), groups.find(messages[j].id)
        ids_a, ids_b = headers.get(root_a, set()), headers.get(root_b, set())
        if root_a != root_b and not (ids_a and ids_b and not ids_a & ids_b):
            groups.union(root_a, root_b)
            headers[groups.find(root_a)] = ids_a | ids_b
    members: dict[str, list[MessageKey]] = defaultdict(list)
    for m in messages:
        if m.id in groups.parent:
            members[groups.find(m.id)].append(m)
    result: dict[str, str | None] = dict.fromkeys((m.id for m in messages), None)
    for copies in members.values():
        best = min(copies, key=lambda m: (COPY_PREFERENCE.get(m.copy_kind, 3), m.ocr, m.document_id, m.ordinal))
        for m in copies:
            result[m.id] = None if m is best else best.id
    return result


# Threads ---------------------------------------------------------------------------------------------------


def _header_chain(m: MessageKey) -> list[str]:
    """References, then In-Reply-To when it is not already their last entry (JWZ)."""
    chain = [ref for ref in m.references if ref]
    if m.in_reply_to and (not chain or chain[-1] != m.in_reply_to):
        chain.append(m.in_reply_to)
    return chain


class _Linker:
    """Finds the parent of a shown message that neither headers nor a printed quote chain explain."""

    def __init__(
        self, messages: list[MessageKey], canon: dict[str, str], people: dict[str, MessagePeople], bodies: BodyLoader
    ) -> None:
        self.messages = messages
        self.copy_people = people
        self.load = bodies
        self.canon = canon
        self.by_id = {m.id: m for m in messages}
        self.copies: dict[str, list[str]] = defaultdict(list)  # shown message -> its other copies
        self.prints: dict[str, list[MessageKey]] = defaultdict(list)  # document -> its prints, in order
        self.printed_as: dict[str, list[MessageKey]] = defaultdict(list)  # shown message -> its print copies
        for m in messages:
            if canon[m.id] != m.id:
                self.copies[canon[m.id]].append(m.id)
            if m.copy_kind == "print":
                self.prints[m.document_id].append(m)
                self.printed_as[canon[m.id]].append(m)
        for prints in self.prints.values():
            prints.sort(key=lambda m: m.ordinal)
        self.buckets: dict[str, list[MessageKey]] = {}  # subject -> shown messages, in time order
        self.positions: dict[str, int] = {}
        self.grouped: dict[str, MessagePeople] = {}
        self.body_cache: dict[str, str] = {}
        self.fingerprints: dict[str, str] = {}
        self.quotes: dict[str, Quote | None] = {}
        self.earlier_found: dict[str, list[MessageKey]] = {}

    def people(self, head: str) -> MessagePeople:
        """The people of a shown message, completed from its other copies (a quote lists fewer people)."""
        found = self.grouped.get(head)
        if found is None:
            found = self.copy_people.get(head, NOBODY)
            for copy in self.copies.get(head, ()):
                other = self.copy_people.get(copy)
                if other is not None:
                    found = MessagePeople(
                        found.sender if found.sender is not None else other.sender,
                        found.participants | other.participants,
                        found.addressee if found.addressee is not None else other.addressee,
                    )
            self.grouped[head] = found
        return found

    def bodies(self, ids: Iterable[str]) -> dict[str, str]:
        missing = [i for i in ids if i not in self.body_cache]
        if missing:
            loaded = self.load(missing)
            self.body_cache.update((i, loaded.get(i, "")) for i in missing)
        return self.body_cache

    def own_fingerprint(self, m: MessageKey) -> str:
        found = self.fingerprints.get(m.id)
        if found is None:
            found = self.fingerprints[m.id] = fingerprint(own_text(self.bodies([m.id])[m.id]))
        return found

    def quote(self, m: MessageKey) -> Quote | None:
        """What `m` quotes first, read from its body once (prefetch and parent both ask)."""
        if m.id not in self.quotes:
            self.quotes[m.id] = first_quote(self.bodies([m.id])[m.id])
        return self.quotes[m.id]

    def prefetch(self, messages: list[MessageKey]) -> None:
        """Sort the shown messages of the subjects these messages need by time, then load in two goes their
        bodies and those of the earlier messages the ones quoting something may answer."""
        subjects = {m.subject_norm for m in messages if m.subject_norm}
        for m in self.messages:
            if m.subject_norm in subjects and self.canon[m.id] == m.id:
                self.buckets.setdefault(m.subject_norm, []).append(m)
        for bucket in self.buckets.values():
            bucket.sort(key=lambda m: (m.sent_sort or "", m.id))
            self.positions.update((m.id, i) for i, m in enumerate(bucket))
        self.bodies(m.id for m in messages)
        quoting = [m for m in messages if self.quote(m)]
        self.bodies({c.id for m in quoting for c in self.earlier(m)})

    def earlier(self, m: MessageKey) -> list[MessageKey]:
        """Messages of the same normalised subject sent within the window before `m`, nearest first. A time
        printed without a zone may be hours off the UTC of a zoned one, so with such a time in play messages up
        to a zone spread after `m` count as well."""
        found = self.earlier_found.get(m.id)
        if found is not None:
            return found
        bucket, position = self.buckets.get(m.subject_norm), self.positions.get(m.id)
        when = _moment(m.sent_sort)
        if bucket is None or position is None:
            found = []
        elif when is None:
            found = [c for c in reversed(bucket) if c.id != m.id][:FALLBACK_CANDIDATES]
        else:  # the bucket is in time order, undated messages first
            low = bisect.bisect_left(bucket, (when - FALLBACK_WINDOW).isoformat(), key=lambda c: c.sent_sort or "")
            high = bisect.bisect_right(bucket, (when + ZONE_SPREAD).isoformat(), key=lambda c: c.sent_sort or "")
            near = bucket[max(low, position - FALLBACK_CANDIDATES) : min(high, position + FALLBACK_CANDIDATES)]
            found = [
                c
                for index, c in enumerate(near, max(low, position - FALLBACK_CANDIDATES))
                if index < position or (index > position and (_naive(m.sent) or _naive(c.sent)))
            ]
            found.sort(key=lambda c: abs(_moment(c.sent_sort) - when))  # type: ignore[operator]
        self.earlier_found[m.id] = found
        return found

    def previous_print(self, head: MessageKey) -> MessageKey | None:
        """An earlier message printed in the same document under the very same subject, in an unbroken run,
        that this one answers or follows up: a Gmail thread print lists a conversation's messages under its
        first subject. A native file saying it is no reply (no prefix, no header) is not linked this way."""
        if head.copy_kind == "native" and not is_reply_or_forward(head.subject):
            return None
        mine, followed = self.people(head.id), None
        for copy in self.printed_as.get(head.id, ()):
            prints = self.prints[copy.document_id]
            index = bisect.bisect_left(prints, copy.ordinal, key=lambda p: p.ordinal)
            for previous in prints[max(0, index - RUN_LOOKBACK) : index][::-1]:
                if not copy.subject_norm or previous.subject != copy.subject:
                    break
                found = self.by_id[self.canon[previous.id]]
                ta, tb = _moment(copy.sent_sort), _moment(previous.sent_sort)
                if found.id == head.id or (ta and tb and not timedelta(0) <= ta - tb <= FALLBACK_WINDOW):
                    continue
                theirs = self.people(found.id)
                if _answers(mine, theirs):
                    return found
                soon = ta and tb and ta - tb <= FOLLOW_WINDOW
                if followed is None and soon and mine.sender is not None and mine.sender in theirs.participants:
                    followed = found
        return followed

    def parent(self, m: MessageKey, *, headerless_only: bool = False) -> MessageKey | None:
        """The earlier message `m` answers: the one whose text (and date) it quotes, else the nearest one it
        shares people with (its sender among their correspondents, and their sender among its own)."""
        candidates = [c for c in self.earlier(m) if not (headerless_only and c.message_id)]
        if not candidates:
            return None
        quote = self.quote(m)
        if quote is not None:
            found = self.quoted(quote, candidates)
            if found is not None:
                return found
        mine = self.people(m.id)
        if mine.sender is None:
            return next((c for c in candidates if len(mine.participants & self.people(c.id).participants) >= 2), None)
        answered = followed = None  # nearest reply-like match; nearest message its sender took part in
        for c in candidates:
            theirs = self.people(c.id)
            if _answers(mine, theirs):
                if mine.addressee == theirs.sender:
                    return c  # addressed first to that message's sender: how a reply is addressed
                answered = answered or c
            elif mine.sender in theirs.participants:
                followed = followed or c
        return answered or (None if quote else followed)

    def quoted(self, quote: Quote, candidates: list[MessageKey]) -> MessageKey | None:
        """The candidate a quote reproduces: same text and date, else same (long enough) text, else the same
        date with similar text, else nearly the same long text."""
        text = fingerprint(quote.text)
        scored = []
        for c in candidates:
            own = self.own_fingerprint(c)
            same_time = quote.sent is not None and _same_moment(c.sent, quote.sent)
            similarity = fuzz.ratio(text, own) if text and own else 0
            if text and own == text and same_time:
                return c
            scored.append((own == text and len(text) >= MIN_FINGERPRINT, same_time and similarity >= 80, similarity, c))
        for rule in (lambda s: s[0], lambda s: s[1], lambda s: s[2] >= QUOTE_MATCH and len(text) >= MIN_FINGERPRINT):
            found = next((s[3] for s in scored if rule(s)), None)
            if found is not None:
                return found
        return None


def _answers(mine: MessagePeople, theirs: MessagePeople) -> bool:
    """Written to the sender of a message that reached this sender: how a reply looks."""
    return (
        mine.sender is not None
        and mine.sender in theirs.participants
        and theirs.sender not in (None, mine.sender)
        and theirs.sender in mine.participants
    )


def _naive(sent: str | None) -> bool:
    moment = _moment(sent)
    return moment is not None and moment.tzinfo is None


def _same_moment(sent: str | None, quoted: str) -> bool:
    """Does a quote's banner date name this sending time? Both zoned: the same minute. Otherwise the wall clock
    printed may be in another zone: the same minute of the hour, at most a zone spread apart."""
    try:
        a, b = datetime.fromisoformat(sent or ""), datetime.fromisoformat(quoted)
    except ValueError:
        return False
    if a.tzinfo is not None and b.tzinfo is not None:
        return abs(a - b) < timedelta(minutes=1)
    a, b = a.replace(tzinfo=None, second=0), b.replace(tzinfo=None, second=0)
    return a.minute == b.minute and abs(a - b) <= ZONE_SPREAD


def assign_threads(
    messages: list[MessageKey],
    duplicates: dict[str, str | None],
    people: dict[str, MessagePeople],
    bodies: BodyLoader,
) -> Threading:
    """Link every message to its parent and group the links into threads (ids: hash of the earliest message)."""
    canon = {m.id: duplicates.get(m.id) or m.id for m in messages}
    heads = [m for m in messages if canon[m.id] == m.id]
    by_header = {}
    for m in messages:
        if m.message_id:
            by_header.setdefault(m.message_id, canon[m.id])
    groups = _UnionFind()  # over shown messages and, for referenced ids not stored, "<id>" placeholders
    header_parent: dict[str, str] = {}
    ancestor: dict[str, str] = {}  # the nearest stored ancestor when the direct parent is not in the archive
    quoted_parent: dict[str, str] = {}
    for m in messages:
        own = canon[m.id]
        chain = _header_chain(m)
        if chain:
            for ref in chain:
                groups.union(own, by_header.get(ref) or f"<{ref}>")
            stored = [by_header[ref] for ref in reversed(chain) if by_header.get(ref, own) != own]
            if chain[-1] in by_header and stored:
                header_parent.setdefault(own, stored[0])
            elif stored:
                ancestor.setdefault(own, stored[0])
        if m.quoted_in and m.quoted_in in canon and canon[m.quoted_in] != own:
            quoted_parent.setdefault(canon[m.quoted_in], own)
    linker = _Linker(messages, canon, people, bodies)
    is_reply = {subject: is_reply_or_forward(subject) for subject in {m.subject for m in messages}}
    replies = {canon[m.id] for m in messages if is_reply[m.subject]}
    parent: dict[str, str | None] = {}
    answering = []  # replies no header or quote explains: found by what they quote, their people and time
    for m in heads:
        found = header_parent.get(m.id) or quoted_parent.get(m.id)
        if not found:
            previous = linker.previous_print(m)
            found = previous.id if previous else None
            if found is None and (m.id in ancestor or m.id in replies):
                answering.append(m)
        parent[m.id] = found
    linker.prefetch(answering)
    for m in answering:
        guess = linker.parent(m, headerless_only=m.id in ancestor)
        parent[m.id] = guess.id if guess else ancestor.get(m.id)
    _break_cycles(parent)
    for child, found in parent.items():
        if found:
            groups.union(child, found)
    return _threads(messages, heads, canon, parent, groups)


def _break_cycles(parent: dict[str, str | None]) -> None:
    """Drop the link that closes a loop (headers from hostile or broken mail can describe one)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in parent:
        path = []
        node: str | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1:
            parent[path[-1]] = None
        for visited in path:
            state[visited] = 2


def _threads(
    messages: list[MessageKey],
    heads: list[MessageKey],
    canon: dict[str, str],
    parent: dict[str, str | None],
    groups: _UnionFind,
) -> Threading:
    members: dict[str, list[MessageKey]] = defaultdict(list)
    for m in heads:
        members[groups.find(m.id)].append(m)
    thread_of_head: dict[str, str] = {}
    for component in members.values():
        root = min(component, key=lambda m: (m.sent_sort is None, m.sent_sort or "", m.id))
        thread_id = hashlib.sha256(f"thread:{root.id}".encode()).hexdigest()[:12]
        for m in component:
            thread_of_head[m.id] = thread_id
    return Threading(
        thread_of={m.id: thread_of_head[canon[m.id]] for m in messages},
        parent_of={m.id: parent.get(canon[m.id]) for m in messages},
    )


def reading_order(messages: list[tuple[str, str | None]]) -> list[str]:
    """Ids of (id, parent id) pairs given in time order, rearranged so each reply follows the message it answers
    (depth first); roots and the replies to one message keep their time order."""
    ids = {key for key, _ in messages}
    children: dict[str | None, list[str]] = defaultdict(list)
    for key, parent in messages:
        children[parent if parent in ids and parent != key else None].append(key)
    order: list[str] = []
    seen: set[str] = set()
    stack = list(reversed(children[None]))
    while stack:
        key = stack.pop()
        if key not in seen:
            seen.add(key)
            order.append(key)
            stack.extend(reversed(children[key]))
    return order + [key for key, _ in messages if key not in seen]  # a loop the links could not resolve
