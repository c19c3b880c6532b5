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

from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.store import now_iso
from foia_tui.conversations import MessagePeople
from foia_tui.people import AliasInfo, alias_key, alias_text, copy_pairs, is_redacted, person_name, resolve_people

_PARTICIPANT_COLUMNS = "rowid, message_id, role, position, name, email, raw, person_id"


@dataclass(frozen=True)
class Participant:
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
    person_of_row: dict[int, int] = field(default_factory=dict)  # participants.rowid -> person id
    of_message: dict[str, MessagePeople] = field(default_factory=dict)


def load_participants(archive: Archive) -> list[Participant]:
    with archive.lock:
        rows = archive.conn.execute(f"SELECT {_PARTICIPANT_COLUMNS} FROM participants").fetchall()
    return [Participant(*row) for row in rows]


def _redacted(rows: list[Participant]) -> set[tuple]:
    forms = {(r.name, r.email, r.raw) for r in rows}
    return {form for form in forms if is_redacted(*form)}


def plan_people(archive: Archive, rows: list[Participant], canon: dict[str, str]) -> PeoplePlan:
    """Resolve every participant row to a person (ids kept from the last rebuild where the aliases agree)."""
    redacted = _redacted(rows)
    infos: dict[str, AliasInfo] = {}
    counts: Counter[str] = Counter()
    key_of_row: dict[int, str] = {}
    redacted_names: dict[str, Participant] = {}
    for r in rows:
        if (r.name, r.email, r.raw) in redacted:
            key = f"redacted:{canon.get(r.message_id, r.message_id)}:{r.role}:{r.position}"
            redacted_names.setdefault(key, r)
        else:
            key = alias_key(r.printed_name, r.email)
            if not key:
                continue
            if key not in infos:
                infos[key] = AliasInfo(key, r.printed_name, r.email)
        counts[key] += 1
        key_of_row[r.rowid] = key
    infos = {k: AliasInfo(k, a.name, a.email, counts[k]) for k, a in infos.items()}
    clusters = resolve_people(
        infos.values(), pins=load_pins(archive), copy_pairs=copy_pairs(_copies(rows, canon, key_of_row, infos))
    )
    clusters += [[key] for key in sorted(redacted_names)]
    ids = _stable_ids(archive, clusters)
    plan = PeoplePlan()
    for cluster, person_id in zip(clusters, ids, strict=True):
        if cluster[0] in infos:
            members = [infos[k] for k in cluster]
            plan.people[person_id] = (person_name(members), 0)
            for a in members:
                plan.aliases[a.key] = (person_id, a.name, a.email)
        else:
            r = redacted_names[cluster[0]]
            printed = alias_text(r.printed_name, r.email) or "[REDACTED]"
            plan.people[person_id] = (printed, 1)
            plan.aliases[cluster[0]] = (person_id, r.printed_name, r.email)
    senders: dict[str, int] = {}
    participants: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        key = key_of_row.get(r.rowid)
        if key is None:
            continue
        person_id = plan.aliases[key][0]
        plan.person_of_row[r.rowid] = person_id
        if not key.startswith("redacted:"):
            participants[r.message_id].add(person_id)
            if r.role == "from":
                senders[r.message_id] = person_id
    plan.of_message = {
        m: MessagePeople(senders.get(m), frozenset(participants.get(m, ()))) for m in {r.message_id for r in rows}
    }
    return plan


def _copies(
    rows: list[Participant], canon: dict[str, str], key_of_row: dict[int, str], infos: dict[str, AliasInfo]
) -> list[list[tuple[str, list[str]]]]:
    """Per email stored more than once: each copy's (sender key, recipient keys), for people.copy_pairs."""
    with_copies = {head for message_id, head in canon.items() if head != message_id}
    copies = [r for r in rows if canon.get(r.message_id, r.message_id) in with_copies]
    shape: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for r in sorted(copies, key=lambda r: (r.message_id, r.role, r.position)):
        key = key_of_row.get(r.rowid)
        if key not in infos:
            continue
        sender, to = shape[r.message_id]
        (sender if r.role == "from" else to if r.role == "to" else []).append(key)
    by_email: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for message_id, (sender, to) in shape.items():
        by_email[canon.get(message_id, message_id)].append((sender[0] if sender else "", to))
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
        [(plan.person_of_row.get(r.rowid), r.rowid) for r in rows if plan.person_of_row.get(r.rowid) != r.person_id],
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
