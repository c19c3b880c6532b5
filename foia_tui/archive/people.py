"""Reads and writes of people: aliases resolved to persons, participant rows pointed at them, manual corrections.

Columns the rest of the app relies on: `aliases(person_id, key, name, email)` holds every printed form of a
correspondent; `participants.person_id` says which person each sender/recipient row was resolved to (so a
`from:` search may match any alias); `people(id, name, redacted)`; `person_overrides(alias_key, group_key)`
pins aliases to groups a person made with `foia people merge/split`, which every rebuild honours. Person ids
stay the same across rebuilds while their aliases do.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.store import now_iso
from foia_tui.domain.conversations import Correspondent, MessagePeople
from foia_tui.domain.people import (
    AliasInfo,
    alias_key,
    alias_text,
    is_redacted,
    printed_name,
)

_PARTICIPANT_COLUMNS = "rowid, message_id, role, position, name, email, raw, person_id"


@dataclass
class Participants:
    """One pass over the participant rows: what duplicate detection, people and threading need of them."""

    rows: list[tuple]  # (rowid, message_id, role, position, name, email, raw, person_id) as stored
    keys: list[str | None] = field(default_factory=list)  # alias key per row; None when redacted or blank
    redacted: list[int] = field(default_factory=list)  # indexes of rows whose correspondent is redacted
    aliases: dict[str, AliasInfo] = field(default_factory=dict)
    correspondents: dict[str, tuple[Correspondent | None, list[Correspondent]]] = field(default_factory=dict)
    key_of: dict[Correspondent, str] = field(default_factory=dict)  # printed correspondent -> alias key


class PeopleOfMessages(Mapping[str, MessagePeople]):
    """Each message's resolved people (redacted ones left out), built when asked for: most are never asked."""

    def __init__(self, senders: dict[str, int], together: dict[str, set[int]], addressees: dict[str, int]) -> None:
        self.senders, self.together, self.addressees = senders, together, addressees

    def __getitem__(self, message_id: str) -> MessagePeople:
        return MessagePeople(self.senders.get(message_id), self.together[message_id], self.addressees.get(message_id))

    def __iter__(self) -> Iterator[str]:
        return iter(self.together)

    def __len__(self) -> int:
        return len(self.together)


@dataclass
class PeoplePlan:
    """Everything a rebuild writes about people, computed before the write transaction opens."""

    people: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> (name, redacted)
    aliases: dict[str, tuple[int, str | None, str | None]] = field(default_factory=dict)  # key -> (person, name, email)
    person_of_row: list[int | None] = field(default_factory=list)  # aligned with Participants.rows
    of_message: PeopleOfMessages = field(default_factory=lambda: PeopleOfMessages({}, {}, {}))


def read_participants(archive: Archive) -> Participants:
    """Every participant row, with its alias key and each message's correspondents (sender, To and Cc)."""
    with archive._reading():
        found = Participants(archive._conn.execute(f"SELECT {_PARTICIPANT_COLUMNS} FROM participants").fetchall())
    forms: dict[tuple, tuple[str | None, Correspondent | None, bool]] = {}
    counts: Counter[str] = Counter()
    correspondents = found.correspondents
    for index, (_, message_id, role, _, name, email, raw, _) in enumerate(found.rows):
        form = (name, email, raw)
        known = forms.get(form)
        if known is None:
            printed = printed_name(name, email, raw)
            redacted = is_redacted(name, email, raw)
            key = None if redacted else alias_key(printed, email) or None
            known = forms[form] = (key, (printed, email) if key else None, redacted)
            if key and key not in found.aliases:
                found.aliases[key] = AliasInfo(key, printed, email)
            if key:
                found.key_of[(printed, email)] = key
        key, who, redacted = known
        found.keys.append(key)
        if key is None:
            if redacted:
                found.redacted.append(index)
            continue
        counts[key] += 1
        if role == "bcc":
            continue
        entry = correspondents.get(message_id)
        if entry is None:
            entry = correspondents[message_id] = (None, [])
        if role == "from":
            correspondents[message_id] = (who, entry[1])
        else:
            entry[1].append(who)
    found.aliases = {k: AliasInfo(k, a.name, a.email, counts[k]) for k, a in found.aliases.items()}
    return found


def load_pins(archive: Archive) -> dict[str, str]:
    return {r["alias_key"]: r["group_key"] for r in archive._query("SELECT alias_key, group_key FROM person_overrides")}


def alias_person_ids(archive: Archive) -> dict[str, int]:
    """The person id each alias key had after the last rebuild."""
    return {r["key"]: r["person_id"] for r in archive._query("SELECT key, person_id FROM aliases")}


def write_people(conn: sqlite3.Connection, plan: PeoplePlan, rows: list[tuple]) -> None:
    """Apply a plan inside the caller's transaction, touching only what changed."""
    current = {row[0]: (row[1], row[2]) for row in conn.execute("SELECT id, name, redacted FROM people")}
    stale = [(pid,) for pid in current if pid not in plan.people]
    conn.executemany("DELETE FROM aliases WHERE person_id = ?", stale)
    conn.executemany("DELETE FROM people WHERE id = ?", stale)
    conn.executemany(
        "INSERT INTO people (id, name, redacted) VALUES (?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET name = excluded.name, redacted = excluded.redacted",
        [(pid, *value) for pid, value in plan.people.items() if current.get(pid) != value],
    )
    aliases = {row[0]: tuple(row[1:]) for row in conn.execute("SELECT key, person_id, name, email FROM aliases")}
    conn.executemany("DELETE FROM aliases WHERE key = ?", [(key,) for key in aliases if key not in plan.aliases])
    conn.executemany(
        "INSERT INTO aliases (key, person_id, name, email) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
        "person_id = excluded.person_id, name = excluded.name, email = excluded.email",
        [(key, *value) for key, value in plan.aliases.items() if aliases.get(key) != value],
    )
    conn.executemany(
        "UPDATE participants SET person_id = ? WHERE rowid = ?",
        [(pid, row[0]) for row, pid in zip(rows, plan.person_of_row, strict=True) if pid != row[7]],
    )


# Reads and corrections -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A person as `foia people` lists them: every printed form of them, and how many distinct emails name them."""

    id: int
    name: str
    aliases: list[str]
    messages: int

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "aliases": self.aliases, "messages": self.messages}


def list_people(archive: Archive, *, include_redacted: bool = False) -> list[Person]:
    """Every person (with `include_redacted`, each redacted name too), most messages first."""
    where = "" if include_redacted else "WHERE p.redacted = 0"
    people = archive._query(
        f"""SELECT p.id, p.name, p.redacted,
                   (SELECT count(DISTINCT coalesce(m.duplicate_of, m.id)) FROM participants pa
                    JOIN messages m ON m.id = pa.message_id WHERE pa.person_id = p.id) AS messages
            FROM people p {where} ORDER BY messages DESC, p.name, p.id"""
    )
    aliases: dict[int, list[str]] = defaultdict(list)
    for a in archive._query("SELECT person_id, name, email FROM aliases ORDER BY person_id, key"):
        aliases[a["person_id"]].append(alias_text(a["name"], a["email"]))
    return [Person(p["id"], p["name"], aliases[p["id"]], p["messages"]) for p in people]


def find_person(archive: Archive, text: str) -> int:
    """A person named on the command line: an id, an exact alias, or a unique listed name."""
    if text.isdigit() and archive._scalar("SELECT 1 FROM people WHERE id = ?", (int(text),)):
        return int(text)
    found = {
        r["person_id"]
        for r in archive._query(
            "SELECT person_id FROM aliases WHERE key = ? OR lower(email) = lower(?) "
            "UNION SELECT id FROM people WHERE name = ? COLLATE NOCASE",
            (alias_key(text, None) or text.casefold(), text.strip(), text.strip()),
        )
    }
    if not found:
        raise ArchiveError(f"no person or alias {text!r} (see `foia people`)")
    if len(found) > 1:
        raise ArchiveError(f"{text!r} names {len(found)} people ({', '.join(map(str, sorted(found)))}); use an id")
    return found.pop()


def _alias_keys(archive: Archive, person_id: int) -> list[str]:
    return [r["key"] for r in archive._query("SELECT key FROM aliases WHERE person_id = ? ORDER BY key", (person_id,))]


def _pin(conn: sqlite3.Connection, keys: list[str], group: str) -> None:
    conn.executemany(
        "INSERT INTO person_overrides (alias_key, group_key, created_at) VALUES (?, ?, ?) "
        "ON CONFLICT(alias_key) DO UPDATE SET group_key = excluded.group_key, created_at = excluded.created_at",
        [(key, group, now_iso()) for key in keys],
    )


def merge_people(archive: Archive, keep: int, other: int) -> None:
    """Record that two persons are one (the first keeps its id); applied by the next rebuild."""
    if keep == other:
        raise ArchiveError("that is the same person")
    keys = _alias_keys(archive, keep) + _alias_keys(archive, other)
    if any(k.startswith("redacted:") for k in keys):
        raise ArchiveError("a redacted name cannot be merged: nothing says who is behind the box")
    groups = {r["group_key"] for r in archive._query("SELECT DISTINCT group_key FROM person_overrides")}
    with archive.transaction() as conn:
        old = [
            row[0]
            for row in conn.execute(
                f"SELECT DISTINCT group_key FROM person_overrides WHERE alias_key IN ({', '.join('?' * len(keys))})",
                keys,
            )
        ]
        group = old[0] if old else _new_group(groups)
        conn.executemany("UPDATE person_overrides SET group_key = ? WHERE group_key = ?", [(group, g) for g in old])
        _pin(conn, keys, group)
        conn.execute("UPDATE aliases SET person_id = ? WHERE person_id = ?", (keep, other))


def split_person(archive: Archive, person_id: int, alias_names: list[str]) -> list[str]:
    """Record that some aliases of a person are someone else; returns the alias keys moved."""
    keys = _alias_keys(archive, person_id)
    chosen = []
    for name in alias_names:
        matches = [k for k in keys if k == alias_key(name, None)]
        if not matches:
            raise ArchiveError(f"{name!r} is not an alias of person {person_id} (see `foia people --json`)")
        chosen += matches
    rest = [k for k in keys if k not in chosen]
    if not rest:
        raise ArchiveError("name fewer aliases than the person has: the rest must stay with them")
    groups = {r["group_key"] for r in archive._query("SELECT DISTINCT group_key FROM person_overrides")}
    moved, stay = _new_group(groups), _new_group(groups)
    with archive.transaction() as conn:
        _pin(conn, chosen, moved)
        _pin(conn, rest, stay)
    return chosen


def _new_group(existing: set[str]) -> str:
    while True:
        group = f"manual:{uuid.uuid4().hex[:12]}"
        if group not in existing:
            return group
