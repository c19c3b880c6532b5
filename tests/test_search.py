"""Search: every operator, combinations, malformed and hostile queries, saved searches, `foia search`.

One small archive with known content is built once (store_document from records, then threading), and
every query is checked against the subjects it must return.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foia_tui.archive import Archive, ArchiveError, search
from foia_tui.archive.people import find_person, merge_people
from foia_tui.archive.releases import add_release, attach_documents
from foia_tui.archive.search import (
    count_matches,
    delete_saved_search,
    matching_message_ids,
    matching_thread_ids,
    save_search,
    saved_searches,
    search_messages,
    search_threads,
)
from foia_tui.archive.store import store_document
from foia_tui.archive.tags import tag_messages
from foia_tui.cli import main
from foia_tui.domain.query import MAX_DEPTH, MAX_QUERY_CHARS, QueryError, exemption_keys, parse
from foia_tui.services.rethreading import rebuild_conversations
from importers.records import Address, AttachmentRecord, DocumentRecord, MessageRecord, RedactionRecord
from tests.support.sql import sql_value

HOAN = Address("Ton-That, Hoan", "hoan@clearview.ai", "Ton-That, Hoan <hoan@clearview.ai>")
BOB = Address("Bob Jones", "bob@nypd.example.gov", "Bob Jones <bob@nypd.example.gov>")
CARLA = Address("Carla Nuñez", "carla@council.example.gov", "Carla Nuñez <carla@council.example.gov>")
ALICE = Address("Alice Moreno", "alice.moreno@agency.example.gov", "Alice Moreno <alice.moreno@agency.example.gov>")

# subject -> (document path, message fields); every subject is unique so results are compared by subject.
MESSAGES = {
    "Budget meeting": (
        "release-a/NYPD-0001.pdf",
        dict(
            sender=HOAN, to=[BOB], cc=[CARLA], sent="2019-01-05T10:00:00", message_id="m1@x",
            body="We discussed the budgets and the board approved the draft letter.",
            bates_start="NYPD-000100", bates_end="NYPD-000102", copy_kind="native",
            redactions=[RedactionRecord(page=1, code="(b)(6)")],
        ),
    ),
    "Re: Budget meeting": (
        "release-a/reply.eml",
        dict(
            sender=Address("Hoan Ton-That", "hoan@clearview.ai"), to=[BOB], sent="2019-01-06T09:30:00",
            message_id="m2@x", in_reply_to="m1@x", references=["m1@x"],
            body="Reply about budget numbers, see the attached spreadsheet.",
            attachments=[AttachmentRecord(name="numbers.xlsx", size=10)],
        ),
    ),
    "Lunch plans": (
        "release-a/scan-0003.pdf",
        dict(
            sender=ALICE, to=[HOAN], sent="2019-03-05T12:00:00",
            body="The OCR read thebudgetary figures for the Clearvlew trial at lunch.",
            redactions=[RedactionRecord(page=1, code="(b)(7)(C)", leaked_text="John Smith")],
        ),
    ),
    "Quorum legislation": (
        "release-b/foil-2.pdf",
        dict(
            sender=Address("Doe, John (OAG)", None, "Doe, John (OAG)"), to=[CARLA], sent="2018-12-31T23:00:00",
            body="The council discussed quorum rules in the legislation.",
            redactions=[RedactionRecord(page=2, code="POL 87(2)(b)")],
        ),
    ),
    "Undated note": (
        "release-b/note.eml",
        dict(
            sender=Address("Ivan Petrov", "ivan.petrov@example.org"), to=[BOB],
            body="Hostile text: NEAR(a b) * ^ subject:foo \x1b[31mred\x1b[0m, a \x02fake\x03 mark, a plain % sign.",
        ),
    ),
    "Café résumé": (
        "release-b/cafe.eml",
        dict(
            sender=Address("Émile Durand", "emile.durand@partner.example.fr"), to=[ALICE],
            sent="2019-02-10T08:00:00", body="Un café naïve et un résumé, 東京 too.",
        ),
    ),
    "Private account": (
        "release-b/private.eml",
        dict(sender=Address("H.", "htt@protonmail.example"), to=[BOB], sent="2019-02-01T07:00:00",
             body="Sent from the private address."),
    ),
}  # fmt: skip
DUPLICATE_PATH = "release-c/NYPD-0001-copy.pdf"  # a printed copy of "Budget meeting"


def make_document(path: str, subject: str, fields: dict) -> DocumentRecord:
    return DocumentRecord(
        path=path,
        sha256=hashlib.sha256(path.encode()).hexdigest(),
        kind=path.rsplit(".", 1)[1],
        messages=[MessageRecord(ordinal=0, subject=subject, **fields)],
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Archive, Path, dict[str, str]]:
    """The archive (open), its path and the message id of each subject."""
    path = tmp_path_factory.mktemp("search") / "archive.db"
    archive = Archive.open(path)
    ids, documents = {}, []
    for subject, (doc_path, fields) in MESSAGES.items():
        documents.append(store_document(archive, make_document(doc_path, subject, fields)).document_id)
        ids[subject] = sql_value(archive, "SELECT id FROM messages WHERE subject = ?", (subject,))
    _, original = MESSAGES["Budget meeting"]
    copy = dict(original, copy_kind="print", message_id=None)
    store_document(archive, make_document(DUPLICATE_PATH, "Budget meeting", copy))
    rebuild_conversations(archive)
    tag_messages(archive, "Leads", [ids["Budget meeting"], ids["Lunch plans"]])
    nypd = add_release(archive, "NYPD 2019-123", agency="NYPD").id
    oag = add_release(archive, "OAG FOIL", agency="Office of the Attorney General").id
    attach_documents(archive, nypd, documents[:3])
    attach_documents(archive, oag, documents[3:4])
    # An investigator tells people resolution that "H. <htt@protonmail.example>" is Hoan Ton-That.
    merge_people(archive, find_person(archive, "hoan@clearview.ai"), find_person(archive, "htt@protonmail.example"))
    rebuild_conversations(archive)
    yield archive, path, ids
    archive.close()


def subjects(archive: Archive, query: str, **kwargs) -> list[str]:
    return [m["subject"] for m in search_messages(archive, query, **kwargs).rows]


def found(archive: Archive, query: str) -> set[str]:
    return set(subjects(archive, query, limit=100))


CASES = {
    # free words (porter stemming), phrases, prefixes, subject
    "budget": {"Budget meeting", "Re: Budget meeting"},
    "budgets": {"Budget meeting", "Re: Budget meeting"},
    '"draft letter"': {"Budget meeting"},
    '"letter draft"': set(),
    "quor*": {"Quorum legislation"},
    "subject:budget": {"Budget meeting", "Re: Budget meeting"},
    'subject:"budget meeting"': {"Budget meeting", "Re: Budget meeting"},
    "subject:lunch": {"Lunch plans"},
    "subject:budg*": {"Budget meeting", "Re: Budget meeting"},
    "cafe": {"Café résumé"},
    "東京": {"Café résumé"},
    # people: address, name words in any order, accents, typos, aliases
    "from:hoan": {"Budget meeting", "Re: Budget meeting", "Private account"},
    'from:"Ton-That, Hoan"': {"Budget meeting", "Re: Budget meeting", "Private account"},
    "from:tonthat": {"Budget meeting", "Re: Budget meeting", "Private account"},
    "from:hoan@clearview.ai": {"Budget meeting", "Re: Budget meeting", "Private account"},
    "from:htt@protonmail.example": {"Budget meeting", "Re: Budget meeting", "Private account"},
    "from:morenno": {"Lunch plans"},
    'from:"john doe"': {"Quorum legislation"},
    "from:nobody": set(),
    "to:bob": {"Budget meeting", "Re: Budget meeting", "Undated note", "Private account"},
    "to:hoan": {"Lunch plans"},
    "cc:nunez": {"Budget meeting"},
    "cc:bob": set(),
    "bcc:bob": set(),
    # dates: ranges, single day/month/year, open ends, before/after (strict)
    "date:2019-01": {"Budget meeting", "Re: Budget meeting"},
    "date:2019-01-05": {"Budget meeting"},
    "date:2019-01..2019-02": {"Budget meeting", "Re: Budget meeting", "Café résumé", "Private account"},
    "date:..2018": {"Quorum legislation"},
    "date:2019-03..": {"Lunch plans"},
    "date:2019/02/10": {"Café résumé"},
    "before:2019-01-06": {"Budget meeting", "Quorum legislation"},
    "after:2019-02": {"Lunch plans"},
    "after:2019-01-05 before:2019-02": {"Re: Budget meeting"},
    # tags, documents, Bates numbers, releases
    "tag:leads": {"Budget meeting", "Lunch plans"},
    "tag:nothing": set(),
    "doc:release-b": {"Quorum legislation", "Undated note", "Café résumé", "Private account"},
    'doc:"NYPD-0001"': {"Budget meeting"},
    "doc:%": set(),
    "bates:NYPD-000101": {"Budget meeting"},
    "bates:nypd-0001": {"Budget meeting"},
    "bates:NYPD-000103": set(),
    'release:"NYPD 2019"': {"Budget meeting", "Re: Budget meeting", "Lunch plans"},
    "agency:attorney": {"Quorum legislation"},
    "agency:_": set(),
    # redactions, leaks, attachments, exemption codes
    "has:redaction": {"Budget meeting", "Lunch plans", "Quorum legislation"},
    "has:leak": {"Lunch plans"},
    "has:attachment": {"Re: Budget meeting"},
    "exemption:b6": {"Budget meeting"},
    "exemption:(b)(6)": {"Budget meeting"},
    "exemption:B6": {"Budget meeting"},
    "exemption:b7c": {"Lunch plans"},
    "exemption:b7": {"Lunch plans"},
    "exemption:87(2)(b)": {"Quorum legislation"},
    "exemption:pol87-2b": {"Quorum legislation"},
    'exemption:"POL 87(2)(b)"': {"Quorum legislation"},
    "exemption:b5": set(),
    # substrings: explicit, and the automatic fallback for words with no whole-word hit
    "~udgeta": {"Lunch plans"},
    "~UDGETA": {"Lunch plans"},
    # beyond ASCII, case is folded too (LIKE alone would not), and % and _ are characters, not wildcards
    "~RÉSUM": {"Café résumé"},
    "~AÏV": {"Café résumé"},
    '~"東京 t"': {"Café résumé"},
    '~"n % s"': {"Undated note"},
    '~"a_b"': set(),
    '~"a%b"': set(),
    "sub:clearvlew": {"Lunch plans"},
    "thebudget": {"Lunch plans"},
    '"the budgetary"': set(),
    "budgetary": {"Lunch plans"},
    # boolean structure
    "budget -numbers": {"Budget meeting"},
    "budget NOT numbers": {"Budget meeting"},
    "budget AND numbers": {"Re: Budget meeting"},
    "quorum OR lunch": {"Quorum legislation", "Lunch plans"},
    "(quorum OR lunch) has:leak": {"Lunch plans"},
    "from:alice OR from:doe": {"Lunch plans", "Quorum legislation"},
    "budget OR from:alice": {"Budget meeting", "Re: Budget meeting", "Lunch plans"},
    "-has:redaction -budget": {"Undated note", "Café résumé", "Private account"},
    "NOT (budget OR quorum) date:2019": {"Lunch plans", "Café résumé", "Private account"},
    "tag:leads -(has:leak OR subject:re)": {"Budget meeting"},
    "budget (from:alice OR has:attachment)": {"Re: Budget meeting"},
    "NOT NOT budget": {"Budget meeting", "Re: Budget meeting"},
    "-~udgeta has:redaction": {"Budget meeting", "Quorum legislation"},
    # duplicates only when asked for
    "is:duplicate": {"Budget meeting"},
    "is:duplicate budget": {"Budget meeting"},
    "is:duplicate quorum": set(),
}


@pytest.mark.parametrize("query", CASES)
def test_operator(built, query):
    archive, _, _ = built
    assert found(archive, query) == CASES[query]
    assert count_matches(archive, query) == len(CASES[query])
    listed = [m["id"] for m in search_messages(archive, query, limit=100).rows]
    assert matching_message_ids(archive, query) == listed


def test_duplicate_copies_are_left_out_unless_asked(built):
    archive, _, ids = built
    plain = search_messages(archive, '"draft letter"').rows
    copies = search_messages(archive, '"draft letter" is:duplicate').rows
    assert [m["id"] for m in plain] == [ids["Budget meeting"]]
    assert [m["duplicate_of"] for m in copies] == [ids["Budget meeting"]]
    assert copies[0]["source"]["file"] == DUPLICATE_PATH


def test_results_have_the_list_keys_plus_snippet_rank_and_reason(built):
    archive, path, _ = built
    listed = json.loads(CliRunner().invoke(main, ["list", "--db", str(path), "--json", "--limit", "1"]).stdout)
    result = search_messages(archive, "budget OR from:alice")
    for message in result.rows:
        assert set(message) == set(listed) | {"snippet", "rank", "score", "matched"}
    by_subject = {m["subject"]: m for m in result.rows}
    assert by_subject["Lunch plans"]["matched"] == ["from:alice"]
    assert by_subject["Budget meeting"]["matched"] == ["budget"]
    assert "«budgets»" in by_subject["Budget meeting"]["snippet"]
    assert [m["rank"] for m in result.rows] == [1, 2, 3]


def test_word_queries_rank_by_relevance_and_others_come_newest_first(built):
    archive, _, _ = built
    ranked = search_messages(archive, "budget").rows
    assert all(m["score"] is not None for m in ranked)
    assert [m["score"] for m in ranked] == sorted((m["score"] for m in ranked), reverse=True)
    dated = search_messages(archive, "to:bob").rows
    assert [m["subject"] for m in dated] == ["Private account", "Re: Budget meeting", "Budget meeting", "Undated note"]
    assert all(m["score"] is None for m in dated)


def test_snippets_highlight_the_match_and_fall_back_to_the_body(built):
    archive, _, _ = built
    (lunch,) = search_messages(archive, "~udgeta").rows
    assert "«udgeta»" in lunch["snippet"]
    (by_date,) = search_messages(archive, "has:attachment").rows
    assert by_date["snippet"].startswith("Reply about budget numbers")
    (subject_only,) = search_messages(archive, "subject:lunch").rows
    assert "«Lunch»" in subject_only["snippet"]


def test_substring_fallback_is_reported(built):
    archive, _, _ = built
    result = search_messages(archive, "thebudget")
    assert result.notes == ["no whole word matches thebudget: searched inside words"]
    assert result.rows[0]["matched"] == ["thebudget (inside words)"]
    assert search_messages(archive, "budget").notes == []


def test_paging(built):
    archive, _, _ = built
    everything = subjects(archive, "to:bob")
    first = search_messages(archive, "to:bob", limit=3)
    rest = search_messages(archive, "to:bob", limit=3, offset=3)
    assert first.has_more and not rest.has_more
    assert [m["subject"] for m in first.rows + rest.rows] == everything
    assert [m["rank"] for m in rest.rows] == [4]
    with pytest.raises(ValueError):
        search_messages(archive, "budget", limit=0)


def test_threads_group_hits(built):
    archive, _, ids = built
    (thread,) = search_threads(archive, "budget").rows
    assert thread["thread_id"] == sql_value(
        archive, "SELECT thread_id FROM messages WHERE id = ?", (ids["Budget meeting"],)
    )
    assert (thread["hits"], thread["message_count"], thread["subject"]) == (2, 2, "Budget meeting")
    assert (thread["first_sent"], thread["last_sent"]) == ("2019-01-05T10:00:00", "2019-01-06T09:30:00")
    assert matching_thread_ids(archive, "budget") == {thread["thread_id"]}
    assert found(archive, f"thread:{thread['thread_id'][:6]}") == {"Budget meeting", "Re: Budget meeting"}
    dated = search_threads(archive, "to:bob").rows
    latest = [t["last_sent"] or "" for t in dated]
    assert latest == sorted(latest, reverse=True)


def test_people_filters_follow_the_people_tables_when_present(built):
    archive, _, _ = built
    assert found(archive, "from:H.") >= {"Private account"}
    assert "Private account" not in found(archive, "from:bob")


# -- malformed queries ------------------------------------------------------------------------------------

MALFORMED = {
    '"draft letter': ("unbalanced quote", 0),
    'from:"Ton-That': ("unbalanced quote", 5),
    "(budget OR lunch": ("'(' is never closed", 0),
    "budget)": ("')' without a matching '('", 6),
    "()": ("empty parentheses", 0),
    "form:alice": ("unknown field 'form:'", 0),
    "http://example.org": ("unknown field 'http:'", 0),
    "from:": ("from: needs a value", 0),
    "date:2019-13": ("bad date '2019-13'", 0),
    "date:2019-02-30": ("bad date '2019-02-30'", 0),
    "date:yesterday": ("bad date 'yesterday'", 0),
    "date:..": ("needs at least one end", 0),
    "date:2019-05..2019-01": ("ends before it starts", 0),
    "before:19": ("bad date '19'", 0),
    "budget NOT": ("NOT needs a term after it", 7),
    "budget -": ("'-' needs a term right after it", 7),
    "NOT )": ("NOT needs a term after it", 0),
    "budget OR": ("OR needs a term on both sides", 7),
    "OR budget": ("OR needs a term on both sides", 0),
    "budget AND AND lunch": ("AND needs a term on both sides", 7),
    "has:nothing": ("has: takes redaction or leak or attachment", 0),
    "is:original": ("is: takes duplicate", 0),
    "exemption:!!": ("exemption: takes one code", 0),
    "~ab": ("at least 3 characters", 0),
    "*": ("nothing to search for", 0),
    "": ("nothing to search for", 0),
    "x" * (MAX_QUERY_CHARS + 1): ("query too long", 0),
    "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1): ("nested too deep", MAX_DEPTH),
    " ".join(["a"] * 201): ("too many terms", 0),
}


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_query_points_at_the_problem(query):
    message, position = MALFORMED[query]
    with pytest.raises(QueryError) as raised:
        parse(query)
    assert message in str(raised.value)
    assert raised.value.position == position
    assert f"(column {position + 1}: " in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("query", [q for q in MALFORMED if q])
def test_malformed_query_in_the_cli_is_one_line_and_exit_2(built, query):
    _, path, _ = built
    result = CliRunner().invoke(main, ["search", "--db", str(path), query], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("foia: ")
    assert len(result.stderr.splitlines()) == 1
    assert MALFORMED[query][0] in result.stderr
    assert "Traceback" not in result.stderr


# -- hostile queries --------------------------------------------------------------------------------------

HOSTILE = [
    "NEAR(budget meeting)",
    "budget NEAR meeting",
    "budget*",
    "^budget",
    "budget^",
    "* budget",
    '"subject: budget"',
    '"{subject} : budget"',
    '"budget" OR "',
    "subject:(budget)",
    "'; DROP TABLE messages; --",
    "budget; DELETE FROM messages",
    "%_%",
    "doc:_ doc:%",
    '"""',
    "\x00budget\x1b[31m",
    "\u202ebudget",
    "🙂 budget",
    "日本語",
    "ÉMILE",
    "a" * MAX_QUERY_CHARS,
    " ".join(["budget"] * 150),
    " OR ".join(["x"] * 100),
    "(" * MAX_DEPTH + "budget" + ")" * MAX_DEPTH,
    "-" * 500 + "budget",
    "~" + '"' * 10,
    "~NEAR(",
    "from:* to:^ subject:NEAR",
    "thread:%",
    "bates:%",
    "tag:'",
    "exemption:b6 OR exemption:87-2-b",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_query_runs_or_is_refused_cleanly(built, query):
    archive, _, _ = built
    try:
        result = search_messages(archive, query)
    except QueryError as error:
        assert "\n" not in str(error)
        return
    assert all(isinstance(m["snippet"], str) and m["rank"] for m in result.rows)
    count_matches(archive, query)
    search_threads(archive, query)


def test_hostile_text_never_reaches_fts_as_syntax(built):
    archive, _, _ = built
    assert found(archive, '"subject: budget"') == set()  # a phrase of the two words, not a column filter
    assert found(archive, "NEAR") == {"Undated note"}
    assert found(archive, "budget*") == {"Budget meeting", "Re: Budget meeting"}
    assert sql_value(archive, "SELECT count(*) FROM messages") == len(MESSAGES) + 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('ab "()-~*:^{}ORANDNOTfromdate.0129 \x00é')), max_size=40))
def test_any_text_either_runs_or_is_a_query_error(built, query):
    archive, _, _ = built
    try:
        search_messages(archive, query, limit=5)
    except QueryError as error:
        assert 0 <= error.position <= len(query)
    except ArchiveError as error:  # pragma: no cover - the point of the test
        pytest.fail(f"{query!r} reached SQLite as syntax: {error}")


# -- exemption codes --------------------------------------------------------------------------------------


def test_exemption_keys():
    assert exemption_keys("(b)(6)") == exemption_keys("B6") == exemption_keys("Ex. 6") == ["b6"]
    assert exemption_keys("(b)(7)(C)") == ["b7c"]
    assert exemption_keys("POL 87(2)(b)") == exemption_keys("pol87-2b") == exemption_keys("87(2)(b)") == ["872b"]
    assert exemption_keys("(b)(6), (b)(7)(C)") == exemption_keys("(b)(6) (b)(7)(C)") == ["b6", "b7c"]


# -- saved searches and the command line ------------------------------------------------------------------


def test_saved_searches(tmp_path):
    archive = Archive.open(tmp_path / "a.db")
    save_search(archive, "Leads", "tag:leads has:leak")
    save_search(archive, "Budget", "budget")
    save_search(archive, "Budget", "budget -numbers")
    assert [(s["name"], s["query"]) for s in saved_searches(archive)] == [
        ("Budget", "budget -numbers"),
        ("Leads", "tag:leads has:leak"),
    ]
    with pytest.raises(QueryError):
        save_search(archive, "Broken", "(budget")
    with pytest.raises(ValueError):
        save_search(archive, "  ", "budget")
    assert delete_saved_search(archive, "Leads") and not delete_saved_search(archive, "Leads")
    assert [s["name"] for s in saved_searches(archive)] == ["Budget"]


def cli(path: Path, *args: str):
    return CliRunner().invoke(main, ["search", "--db", str(path), *args], catch_exceptions=False)


def test_cli_json_lines_and_words_as_separate_arguments(built):
    _, path, _ = built
    result = cli(path, "--json", "--limit", "1", "budget", "-numbers")
    assert result.exit_code == 0
    (line,) = result.stdout.splitlines()
    message = json.loads(line)
    assert (message["subject"], message["rank"], message["matched"]) == ("Budget meeting", 1, ["budget"])


def test_cli_text_output_is_safe_for_a_terminal(built):
    _, path, _ = built
    result = cli(path, "hostile")
    assert result.exit_code == 0
    assert "Undated note" in result.stdout and "«Hostile»" in result.stdout
    assert "\x1b" not in result.stdout and "«fake»" not in result.stdout


def test_cli_threads_and_notes(built):
    _, path, _ = built
    rows = [json.loads(line) for line in cli(path, "--threads", "--json", "budget").stdout.splitlines()]
    assert [(r["subject"], r["hits"]) for r in rows] == [("Budget meeting", 2)]
    text = cli(path, "--threads", "budget")
    assert "2/2" in text.stdout and "Budget meeting" in text.stdout
    noted = cli(path, "thebudget")
    assert "searched inside words" in noted.stderr and "Lunch plans" in noted.stdout
    paged = cli(path, "--limit", "1", "budget")
    assert "--offset 1" in paged.stderr


def test_cli_saved_searches(tmp_path, built):
    _, source, _ = built
    path = tmp_path / "copy.db"
    with sqlite3.connect(source) as original, sqlite3.connect(path) as copy:
        original.backup(copy)
    assert cli(path, "--save", "Leaks", "has:leak", "tag:leads").exit_code == 0
    bad = cli(path, "--save", "Bad", "date:2019-13")
    assert bad.exit_code == 2 and "bad date" in bad.stderr and len(bad.stderr.splitlines()) == 1
    listed = [json.loads(line) for line in cli(path, "--saved", "--json").stdout.splitlines()]
    assert [(s["name"], s["query"]) for s in listed] == [("Leaks", "has:leak tag:leads")]
    assert "Leaks  has:leak tag:leads" in cli(path, "--saved").stdout
    assert cli(path, "--delete", "Leaks").exit_code == 0
    assert cli(path, "--delete", "Leaks").exit_code == 1
    assert cli(path, "--saved", "budget").exit_code == 2
    assert cli(path).exit_code == 2


def test_words_too_common_to_score_come_newest_first(built, monkeypatch):
    archive, _, _ = built
    monkeypatch.setattr(search, "RANK_LIMIT", 1)
    result = search_messages(archive, "budget")
    assert [m["subject"] for m in result.rows] == ["Re: Budget meeting", "Budget meeting"]
    assert all(m["score"] is None for m in result.rows)
    assert result.notes == ["over 1 messages have these words: newest first rather than by relevance"]
    (thread,) = search_threads(archive, "budget").rows
    assert (thread["subject"], thread["hits"], thread["score"]) == ("Budget meeting", 2, None)
    assert count_matches(archive, "budget") == 2
    assert found(archive, "budget has:attachment") == {"Re: Budget meeting"}


def test_each_branch_of_an_or_says_why_it_matched(built):
    archive, _, _ = built
    by_subject = {m["subject"]: m for m in search_messages(archive, "~udgeta OR quor* OR tag:leads").rows}
    assert set(by_subject) == {"Lunch plans", "Quorum legislation", "Budget meeting"}
    assert by_subject["Lunch plans"]["matched"] == ["~udgeta", "tag:leads"]
    assert by_subject["Quorum legislation"]["matched"] == ["quor*"]
    assert by_subject["Budget meeting"]["matched"] == ["tag:leads"]
    assert "theb«udgeta»ry" in by_subject["Lunch plans"]["snippet"]
    assert "«quorum»" in by_subject["Quorum legislation"]["snippet"]
