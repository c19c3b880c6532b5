"""Rethreading: duplicates, people, parents and threads worked out again for the whole archive.

It runs after every import (a reply imported later joins its thread; a copy imported later points at the best
copy), after a release is removed and after people are merged or split. The archive reads the message keys and
participants and writes what changed (foia_tui.archive.threads, foia_tui.archive.people); the decisions are
foia_tui.domain.conversations' and foia_tui.domain.people's.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from foia_tui.archive import Archive
from foia_tui.archive.people import (
    Participants,
    PeopleOfMessages,
    PeoplePlan,
    alias_person_ids,
    load_pins,
    read_participants,
    write_people,
)
from foia_tui.archive.threads import body_loader, is_placed, message_keys, write_conversations
from foia_tui.domain.conversations import assign_threads, find_duplicates, inherit_subjects
from foia_tui.domain.people import alias_text, copy_pairs, person_name, printed_name, resolve_people


def rebuild_conversations(archive: Archive, *, full: bool = False) -> dict[str, int]:
    """Recompute duplicates, people, parents and threads for the whole archive; returns the counts.

    Copies already compared by an earlier rebuild keep their duplicate decision unless `full` (after a forced
    re-read, whose bodies may have changed); everything else is recomputed every time.
    """
    # Read and write in one write transaction, so a second importer's rows cannot slip in between.
    with archive.transaction() as conn:
        participants = read_participants(archive)
        keys, current = message_keys(archive, participants)
        keys = inherit_subjects(keys)
        bodies = body_loader(archive)
        seen = {} if full else {key: dup for key, (thread_id, dup, _) in current.items() if is_placed(thread_id)}
        duplicates = find_duplicates(keys, bodies, seen)
        canon = {key: head or key for key, head in duplicates.items()}
        people = plan_people(archive, participants, canon)
        threading = assign_threads(keys, duplicates, people.of_message, bodies)
        write_people(conn, people, participants.rows)
        write_conversations(conn, keys, current, duplicates, threading, people)
    return {
        "threads": len({threading.thread_of[k] for k in duplicates}),
        "duplicates": sum(1 for head in duplicates.values() if head),
        "people": sum(1 for _, redacted in people.people.values() if not redacted),
    }


def plan_people(archive: Archive, participants: Participants, canon: dict[str, str]) -> PeoplePlan:
    """Resolve every participant row to a person (ids kept from the last rebuild where the aliases agree).

    The copies of one email print the same people in the same places, which joins their aliases. A redacted
    row gets a key of its own place in the email, so no two redactions are ever one person, while the copies
    of one email share theirs.
    """
    infos = participants.aliases
    redacted: dict[str, tuple] = {}
    for index in participants.redacted:
        _, message_id, role, position, name, email, raw, _ = participants.rows[index]
        redacted.setdefault(f"redacted:{canon.get(message_id, message_id)}:{role}:{position}", (name, email, raw))
    copies = _copies(participants, canon)
    clusters = resolve_people(infos.values(), pins=load_pins(archive), copy_pairs=copy_pairs(copies))
    clusters += [[key] for key in sorted(redacted)]
    plan = PeoplePlan()
    for cluster, person_id in zip(clusters, _stable_ids(alias_person_ids(archive), clusters), strict=True):
        if cluster[0] in infos:
            members = [infos[k] for k in cluster]
            plan.people[person_id] = (person_name(members), 0)
            for a in members:
                plan.aliases[a.key] = (person_id, a.name, a.email)
        else:
            name, email, raw = redacted[cluster[0]]
            printed = printed_name(name, email, raw)
            plan.people[person_id] = (alias_text(printed, email) or "[REDACTED]", 1)
            plan.aliases[cluster[0]] = (person_id, printed, email)
    person_of = {key: value[0] for key, value in plan.aliases.items()}
    plan.person_of_row = [person_of.get(key) for key in participants.keys]  # type: ignore[arg-type]
    for index in participants.redacted:
        _, message_id, role, position, *_ = participants.rows[index]
        plan.person_of_row[index] = person_of[f"redacted:{canon.get(message_id, message_id)}:{role}:{position}"]
    senders: dict[str, int] = {}
    addressees: dict[str, tuple[int, int]] = {}  # message -> (position, person) of its first readable To
    together: dict[str, set[int]] = defaultdict(set)
    for row, key, person_id in zip(participants.rows, participants.keys, plan.person_of_row, strict=True):
        if key is not None:
            message_id, role, position = row[1], row[2], row[3]
            together[message_id].add(person_id)  # type: ignore[arg-type]
            if role == "from":
                senders[message_id] = person_id  # type: ignore[assignment]
            elif role == "to" and position < addressees.get(message_id, (position + 1,))[0]:
                addressees[message_id] = (position, person_id)  # type: ignore[assignment]
    plan.of_message = PeopleOfMessages(senders, dict(together), {m: p for m, (_, p) in addressees.items()})
    return plan


def _copies(participants: Participants, canon: dict[str, str]) -> list[list[tuple[str, list[str]]]]:
    """Per email stored more than once: each copy's (sender alias key, To and Cc alias keys)."""
    by_email: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    key_of = participants.key_of
    for message_id, head in canon.items():
        if head != message_id:
            for copy in (message_id, head) if head not in by_email else (message_id,):
                sender, recipients = participants.correspondents.get(copy, (None, []))
                by_email[head].append((key_of[sender] if sender else "", [key_of[r] for r in recipients]))
    return list(by_email.values())


def _stable_ids(previous: dict[str, int], clusters: list[list[str]]) -> list[int]:
    """Each cluster keeps the person id most of its aliases had (`previous`), when no larger cluster claimed it
    first."""
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
