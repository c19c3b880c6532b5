"""Releases as the CLI and the app use them: the index, removal, and what releases say next to each other
(`foia compare`, `foia gaps` and the app's "readable in …" notes).

The archive reads the copies (foia_tui.archive.releases); the pairing, the exposures and the gaps are worked out
by foia_tui.domain.releases; this module joins the two and shapes what the CLI prints and the app shows.
"""

from __future__ import annotations

from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.browse import CitedExposure, Exposure
from foia_tui.archive.releases import (
    Release,
    ReleaseUsageError,
    add_release,
    check_release,
    cited_sources,
    copies_of_email,
    delete_release,
    edit_release,
    gap_evidence,
    get_release,
    list_releases,
    message_objects_for,
    move_taggings,
    release_copies,
    release_names,
)
from foia_tui.domain.releases import (
    CitedSource,
    Comparison,
    Copy,
    ExposedPassage,
    Gap,
    NamedFile,
    attachment_references,
    by_email,
    exposures_in,
    hidden_quotes,
    missing_attachments,
    pair_releases,
    quoted_only,
    silences,
)
from foia_tui.services.rethreading import rebuild_conversations

__all__ = [
    "add_release",
    "check_release",
    "cited_sources",
    "compare_releases",
    "edit_release",
    "find_gaps",
    "list_releases",
    "message_exposures",
    "remove_release",
]


def remove_release(archive: Archive, name: str, *, force: bool = False) -> dict:
    """Remove a release: its record, and the documents (with their copies) no other release holds.

    Tags belong to the email, not the copy: a tagging on a copy that goes moves to the copy then shown for the
    same email (an excerpt re-found there by its quoted text, or flagged 'lost'). A tagging on an email that no
    other release holds would be lost, so removal refuses unless `force` (then those taggings go with it).
    """
    with archive.transaction():  # one transaction: the rows go, the rest is rethreaded, the taggings move
        removal = delete_release(archive, name, force=force)
        if removal.documents_removed:
            rebuild_conversations(archive)
        move_taggings(archive, removal.survivors)
    return removal.as_json()


def _emails_of(archive: Archive, release: Release) -> dict[str, list[Copy]]:
    copies = release_copies(archive, release.id)
    if not copies:
        raise ArchiveError(f"release {release.name!r} has no messages (status {release.status})")
    return by_email(copies)


def compare_releases(archive: Archive, name_a: str, name_b: str) -> Comparison:
    """What two releases share, what only one holds, and every box one drew over text the other shows.

    Each email is shown by its best copy in that release; an exposure names the box in that copy and the
    text any copy in the other release shows at its place.
    """
    if name_a == name_b:
        raise ReleaseUsageError(f"cannot compare release {name_a!r} with itself")
    releases = [get_release(archive, name_a), get_release(archive, name_b)]
    a, b = (_emails_of(archive, release) for release in releases)
    pairing = pair_releases(a, b)
    exposures = []
    for canon in pairing.both:
        for shown, other, names in ((a[canon], b[canon], (name_a, name_b)), (b[canon], a[canon], (name_b, name_a))):
            exposures += [(shown[0], exposure, names) for exposure, _ in exposures_in(shown[0], other)]
    objects = message_objects_for(
        archive,
        [
            group[canon][0].id
            for group, canons in ((a, pairing.both + pairing.only_a), (b, pairing.both + pairing.only_b))
            for canon in canons
        ],
    )
    return Comparison(
        name_a,
        name_b,
        both=[(objects[a[canon][0].id], objects[b[canon][0].id]) for canon in pairing.both],
        only_a=[objects[a[canon][0].id] for canon in pairing.only_a],
        only_b=[objects[b[canon][0].id] for canon in pairing.only_b],
        exposures=[ExposedPassage(objects[c.id], e.code, e.text, red, read) for c, e, (red, read) in exposures],
    )


def message_exposures(archive: Archive, message_id: str) -> list[CitedExposure]:
    """For the app: each box in this copy's body that another copy of the same email shows as text, with the
    best such copy. `readable_in` names the releases of the copies showing it (a copy in no release by its file).
    """
    sourced = {s.copy.id: s for s in copies_of_email(archive, message_id)}
    if message_id not in sourced:
        return []
    releases = release_names(archive, [s.copy.document_id for s in sourced.values()])
    found = []
    for exposure, showing in exposures_in(sourced[message_id].copy, [s.copy for s in sourced.values()]):
        best = sourced[showing[0].id]
        names = [n for c in showing for n in releases.get(c.document_id) or [sourced[c.id].path]]
        found.append(
            CitedExposure(
                Exposure(exposure.index, exposure.offset, exposure.code, exposure.text, tuple(dict.fromkeys(names))),
                best.copy.id,
                CitedSource(best.path, best.page_start, best.bates_start),
            )
        )
    return found


def find_gaps(archive: Archive) -> list[Gap]:
    """Everything the archive's releases point at but do not contain: quoted-only emails, chains Gmail folded
    away, missing attachments and silences, in that order."""
    evidence = gap_evidence(archive)
    copies = list(evidence.copies.values())
    named = evidence.named + [NamedFile(c, name) for c in copies for name in attachment_references(c)]
    return (
        quoted_only(copies)
        + hidden_quotes(copies)
        + missing_attachments(named, evidence.documents)
        + silences(evidence.canonical, evidence.recipients)
    )
