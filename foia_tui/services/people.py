"""People as `foia people` lists and corrects them: a correction is recorded, then the archive is rethreaded.

Threads and duplicate decisions follow from who is who, so a merge or split is only done once they are rebuilt.
"""

from __future__ import annotations

from foia_tui.archive import Archive, people
from foia_tui.archive.people import find_person, list_people
from foia_tui.services.rethreading import rebuild_conversations

__all__ = ["find_person", "list_people", "merge_people", "split_person"]


def merge_people(archive: Archive, keep: int, other: int) -> None:
    """Make `other` the same person as `keep` (which keeps its id), remembered across re-imports."""
    people.merge_people(archive, keep, other)
    rebuild_conversations(archive)


def split_person(archive: Archive, person_id: int, alias_names: list[str]) -> list[str]:
    """Give some aliases of a person a person of their own, remembered; returns the alias keys moved."""
    moved = people.split_person(archive, person_id, alias_names)
    rebuild_conversations(archive)
    return moved
