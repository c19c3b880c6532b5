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
from dataclasses import dataclass, field
from typing import NamedTuple

from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.store import now_iso
from foia_tui.conversations import MessagePeople
from foia_tui.people import AliasInfo, alias_key, alias_text, copy_pairs, is_redacted, person_name, resolve_people

_PARTICIPANT_COLUMNS = "rowid, message_id, role, position, name, email, raw, person_id"


class Participant(NamedTuple):
    """One sender/recipient row as stored."""

    rowid: int
    message_id: str
    role: str
    position: int
    name: str | None
    email: str | None
    raw: str
    person_id: int | None

    @property
    def printed_name(self) -> str | None:
        return self.name or (self.raw if not self.email else None) or None


@dataclass
class PeoplePlan:
    """Everything a rebuild writes about people, computed before the write transaction opens."""

    people: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> (name, redacted)
    aliases: dict[str, tuple[int, str | None, str | None]] = field(default_factory=dict)  # key -> (person, name, email)
    person_of_row: list[int | None] = field(default_factory=list)  # aligned with the participant rows
    of_message: dict[str, MessagePeople] = field(default_factory=dict)  # messages with someone not redacted


def load_participants(archive: Archive) -> list[Participant]:
    with archive.lock:
        rows = archive.conn.execute(f"SELECT {_PARTICIPANT_COLUMNS} FROM participants").fetchall()
    return list(map(Participant._make, rows))


def _alias_keys_of_rows(
    rows: list[Participant], canon: dict[str, str]
) -> tuple[list[str | None], dict[str, AliasInfo], dict[str, Participant]]:
    """Each row's alias key (None when nothing was printed); a redacted row gets a key of its own place in
    the email, so no two redactions are ever one person, while the copies of one email share theirs."""
    forms: dict[tuple, tuple[str | None, bool]] = {}
    keys: list[str | None] = []
    infos: dict[str, AliasInfo] = {}
    redacted_rows: dict[str, Participant] = {}
    for r in rows:
        form = (r.name, r.email, r.raw)
        known = forms.get(form)
        if known is None:
            known = forms[form] = (alias_key(r.printed_name, r.email) or None, is_redacted(*form))
        key, redacted = known
        if redacted:
            key = f"redacted:{canon.get(r.message_id, r.message_id)}:{r.role}:{r.position}"
            redacted_rows.setdefault(key, r)
        elif key and key not in infos:
            infos[key] = AliasInfo(key, r.printed_name, r.email)
        keys.append(key)
    counts = Counter(keys)
    infos = {k: AliasInfo(k, a.name, a.email, counts[k]) for k, a in infos.items()}
    return keys, infos, redacted_rows


def plan_people(archive: Archive, rows: list[Participant], canon: dict[str, str]) -> PeoplePlan:
    """Resolve every participant row to a person (ids kept from the last rebuild where the aliases agree)."""
    keys, infos, redacted_rows = _alias_keys_of_rows(rows, canon)
    clusters = resolve_people(
        infos.values(), pins=load_pins(archive), copy_pairs=copy_pairs(_copies(rows, keys, canon, infos))
    )
    clusters += [[key] for key in sorted(redacted_rows)]
    plan = PeoplePlan()
    for cluster, person_id in zip(clusters, _stable_ids(archive, clusters), strict=True):
        if cluster[0] in infos:
            members = [infos[k] for k in cluster]
            plan.people[person_id] = (person_name(members), 0)
            for a in members:
                plan.aliases[a.key] = (person_id, a.name, a.email)
        else:
            r = redacted_rows[cluster[0]]
            plan.people[person_id] = (alias_text(r.printed_name, r.email) or "[REDACTED]", 1)
            plan.aliases[cluster[0]] = (person_id, r.printed_name, r.email)
    plan.person_of_row = [plan.aliases[key][0] if key else None for key in keys]
    senders: dict[str, int] = {}
    participants: dict[str, set[int]] = defaultdict(set)
    for r, key, person_id in zip(rows, keys, plan.person_of_row, strict=True):
        if key in infos:
            participants[r.message_id].add(person_id)
            if r.role == "from":
                senders[r.message_id] = person_id
    plan.of_message = {m: MessagePeople(senders.get(m), frozenset(found)) for m, found in participants.items()}
    return plan


def _copies(
    rows: list[Participant], keys: list[str | None], canon: dict[str, str], infos: dict[str, AliasInfo]
) -> list[list[tuple[str, list[str]]]]:
    """Per email stored more than once: each copy's (sender key, recipient keys), for people.copy_pairs."""
    with_copies = {head for message_id, head in canon.items() if head != message_id}
    shape: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for r, key in zip(rows, keys, strict=True):
        if key in infos and canon.get(r.message_id, r.message_id) in with_copies:
            sender, to = shape[r.message_id]
            if r.role == "from":
                sender.append(key)
            elif r.role == "to":
                to.append((r.position, key))
    by_email: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for message_id, (sender, to) in shape.items():
        by_email[canon.get(message_id, message_id)].append((sender[0] if sender else "", [k for _, k in sorted(to)]))
    return [copies for copies in by_email.values() if len(copies) > 1]


def load_pins(archive: Archive) -> dict[str, str]:
    return {r["alias_key"]: r["group_key"] for r in archive.query("SELECT alias_key, group_key FROM person_overrides")}


def _stable_ids(archive: Archive, clusters: list[list[str]]) -> list[int]:
    """Each cluster keeps the person id most of its aliases had, when no larger cluster claimed it first."""
    previous = {r["key"]: r["person_id"] for r in archive.query("SELECT key, person_id FROM aliases")}
    next_id = max([0, *previous.values()]) + 1
    order = sorted(range(len(clusters)), key=lambda i: -len(clusters[i]))
    taken: set[int] = set()
    ids = [0] * len(clusters)
    for index in order:
        votes = Counter(previous[k] for k in clusters[index] if k in previous)
        choice = next((pid for pid, _ in sorted(votes.items(), key=lambda v: (-v[1], v[0])) if pid not in taken), None)
        if choice is None:
            choice, next_id = next_id, next_id + 1
        taken.add(choice)
        ids[index] = choice
    return ids


def write_people(conn: sqlite3.Connection, plan: PeoplePlan, rows: list[Participant]) -> None:
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
        [(pid, r.rowid) for r, pid in zip(rows, plan.person_of_row, strict=True) if pid != r.person_id],
    )


# Reads and corrections -------------------------------------------------------------------------------------


def list_people(archive: Archive, *, include_redacted: bool = False) -> list[dict]:
    """`foia people --json` objects: {id, name, aliases, messages}, most messages first."""
    where = "" if include_redacted else "WHERE p.redacted = 0"
    people = archive.query(
        f"""SELECT p.id, p.name, p.redacted,
                   (SELECT count(DISTINCT coalesce(m.duplicate_of, m.id)) FROM participants pa
                    JOIN messages m ON m.id = pa.message_id WHERE pa.person_id = p.id) AS messages
            FROM people p {where} ORDER BY messages DESC, p.name, p.id"""
    )
    aliases: dict[int, list[str]] = defaultdict(list)
    for a in archive.query("SELECT person_id, name, email FROM aliases ORDER BY person_id, key"):
        aliases[a["person_id"]].append(alias_text(a["name"], a["email"]))
    return [
        {"id": p["id"], "name": p["name"], "aliases": aliases[p["id"]], "messages": p["messages"]} for p in people
    ]


def find_person(archive: Archive, text: str) -> int:
    """A person named on the command line: an id, an exact alias, or a unique listed name."""
    if text.isdigit() and archive.scalar("SELECT 1 FROM people WHERE id = ?", (int(text),)):
        return int(text)
    found = {
        r["person_id"]
        for r in archive.query(
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
    return [r["key"] for r in archive.query("SELECT key FROM aliases WHERE person_id = ? ORDER BY key", (person_id,))]


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
    groups = {r["group_key"] for r in archive.query("SELECT DISTINCT group_key FROM person_overrides")}
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
    groups = {r["group_key"] for r in archive.query("SELECT DISTINCT group_key FROM person_overrides")}
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
