"""People: every printed correspondent resolved to one person; redactions never; corrections remembered."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from foia_tui.archive import Archive
from foia_tui.archive.people import Person, list_people
from foia_tui.archive.store import store_document
from foia_tui.cli import main
from foia_tui.domain.people import AliasInfo, alias_key, is_redacted, resolve_people
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import Address, DocumentRecord, MessageRecord
from tests.support import worldgen
from tests.support.sql import sql_rows


def alias(name: str | None, email: str | None = None, count: int = 1) -> AliasInfo:
    return AliasInfo(alias_key(name, email), name, email, count)


def groups_of(aliases: list[AliasInfo], **options) -> set[frozenset[str]]:
    return {frozenset(group) for group in resolve_people(aliases, **options)}


def test_the_printed_forms_of_one_person_are_one_person():
    forms = [
        alias("Ton-That, Hoan", None, 5),
        alias("Hoan Ton-That", "hoan@clearview.ai", 9),
        alias(None, "hoan@clearview.ai", 3),
        alias("Hoan Ton-Tbat", None, 1),  # OCR: h read as b
        alias("H0an Ton-That", None, 1),
    ]
    others = [alias("Jane Roe", "jroe@nypd.gov", 4), alias("Roe, Jane", None, 2)]
    assert groups_of(forms + others) == {frozenset(a.key for a in forms), frozenset(a.key for a in others)}


def test_real_people_with_close_names_stay_apart():
    people = [
        alias("Erik Hansen", "ehansen@nypd.gov", 5),
        alias("Erik Jansen", "ejansen@nypd.gov", 5),
        alias("Mark Jones", None, 3),
        alias("Mary Jones", None, 1),
        alias("Keiko Moreno", "keiko@nypd.gov", 4),
        alias("Keiko Yamamoto", "keiko@cityhall.example.gov", 4),
    ]
    copies = [(people[4].key, people[5].key)]  # even a misaligned copy of one email cannot join them
    assert groups_of(people, copy_pairs=copies) == {frozenset([a.key]) for a in people}


def test_a_shared_mailbox_keeps_its_people_apart():
    found = groups_of([alias("Jane Roe", "foil@agency.gov", 3), alias("John Doe", "foil@agency.gov", 2)])
    assert len(found) == 2


def test_redacted_names_are_recognised():
    for printed in ("[REDACTED]", "(b)(6)", "█████", "[REDACTED (b)(6)]", "Withheld POL 87(2)(b)"):
        assert is_redacted(printed, None), printed
    assert not is_redacted("Hoan Ton-That", "hoan@clearview.ai")


def test_manual_groups_win_over_the_machine():
    a, b, c = alias("Jane Roe", "jroe@nypd.gov"), alias("Roe, Jane"), alias("J. Roe", None)
    pins = {a.key: "manual:1", b.key: "manual:2"}
    found = groups_of([a, b, c], pins=pins)
    assert frozenset([a.key]) in found or frozenset([a.key, c.key]) in found
    assert not any(a.key in group and b.key in group for group in found)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    archive, data = worldgen.built_world(tmp_path_factory.mktemp("people") / "w.db", seed=7)
    yield archive, data
    archive.close()


def test_generated_aliases_are_merged_and_real_people_never(world):
    archive, data = world
    score = worldgen.score_people(archive, data.truth)
    assert score.recall >= 0.95, score
    assert score.false_pairs == 0, score


def test_each_redacted_place_is_a_person_of_its_own(world):
    archive, data = world
    rows = sql_rows(
        archive,
        """SELECT pa.message_id, pa.role, pa.position, pa.person_id, p.redacted FROM participants pa
           JOIN people p ON p.id = pa.person_id""",
    )
    redacted = [r for r in rows if (r["message_id"], r["role"], r["position"]) in data.truth.redacted]
    assert redacted and all(r["redacted"] for r in redacted)
    assert len({r["person_id"] for r in redacted}) > len(redacted) // 3  # copies of one email may share one
    assert not {r["person_id"] for r in redacted} & {r["person_id"] for r in rows if not r["redacted"]}


def _sample_docs() -> list[DocumentRecord]:
    hoan = Address("Hoan Ton-That", "hoan@clearview.ai", "")
    jane = Address("Jane Roe", "jroe@nypd.gov", "")
    docs = []
    for n, (sender, to) in enumerate([(hoan, jane), (jane, Address("Ton-That, Hoan", None, "")),
                                      (Address("Hoan Ton-Tbat", None, ""), Address("Roe, J.", None, "")),
                                      (Address("Jim Poe", "jpoe@nypd.gov", ""), jane)]):  # fmt: skip
        body = f"Message number {n} about the pilot accounts and the invoice."
        message = MessageRecord(0, subject=f"Pilot {n}", sender=sender, to=[to, Address("[REDACTED]", None, "")],
                                sent=f"2019-01-0{n + 1}T10:00:00", body=body, copy_kind="print")  # fmt: skip
        docs.append(DocumentRecord(f"releases/{n}.pdf", hashlib.sha256(body.encode()).hexdigest(), "pdf", [message]))
    return docs


def _people_json(db: str) -> list[dict]:
    result = CliRunner().invoke(main, ["people", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_people_command_merge_and_split_survive_re_imports(tmp_path):
    db = str(tmp_path / "a.db")
    archive = Archive.open(db)
    for doc in _sample_docs():
        store_document(archive, doc)
    rebuild_conversations(archive)
    archive.close()
    people = _people_json(db)
    assert [set(p) for p in people] == [{"id", "name", "aliases", "messages"}] * len(people)
    assert [p["messages"] for p in people] == sorted((p["messages"] for p in people), reverse=True)
    hoan = next(p for p in people if p["name"] == "Hoan Ton-That")
    assert set(hoan["aliases"]) == {"Hoan Ton-That <hoan@clearview.ai>", "Ton-That, Hoan", "Hoan Ton-Tbat"}
    assert not any("REDACTED" in p["name"] for p in people)
    assert sum("REDACTED" in p.name for p in _people_with_redacted(db)) == 4  # one per place

    runner = CliRunner()
    merged = runner.invoke(main, ["people", "--db", db, "merge", "Jane Roe", "Roe, J."])
    assert merged.exit_code == 0, merged.output
    split = runner.invoke(main, ["people", "--db", db, "split", "Hoan Ton-That", "Hoan Ton-Tbat"])
    assert split.exit_code == 0, split.output
    before = _people_json(db)
    jane = next(p for p in before if p["name"] == "Jane Roe")
    assert "Roe, J." in jane["aliases"]
    assert not any("Hoan Ton-Tbat" in p["aliases"] and "Ton-That, Hoan" in p["aliases"] for p in before)

    archive = Archive.open(db)  # a forced re-import of everything, then the rebuild the pipeline runs
    for doc in _sample_docs():
        store_document(archive, doc, force=True)
    rebuild_conversations(archive, full=True)
    archive.close()
    assert _people_json(db) == before  # same people, same ids, same aliases

    bad = runner.invoke(main, ["people", "--db", db, "merge", "Jane Roe", "Nobody Here"])
    assert bad.exit_code == 1 and "no person" in bad.output


def _people_with_redacted(db: str) -> list[Person]:
    archive = Archive.open(db)
    try:
        return list_people(archive, include_redacted=True)
    finally:
        archive.close()
