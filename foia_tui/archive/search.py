"""Search: a query tree (foia_tui.domain.query) run as parameterised SQL, and the saved searches.

How a query runs, and why (a 100,000-message archive answers a page in tens of milliseconds):
- Words and phrases every match must contain become one FTS5 expression over messages_fts (porter stemming).
  When it matches at most RANK_LIMIT messages, it drives the query and orders it by bm25. Scoring costs
  ~5 µs a match, so words more common than that, and queries without such words, list newest first instead:
  the date index is read backwards and each entry checked against the other terms until the page is full.
- Every other term is a set of rowids or message ids read from an index (the trigram index for substrings,
  participants, redactions, dates, ...), so no message row is read until the page of results is known.
- Text only reaches FTS5 as quoted strings built here, so no query can produce an FTS5 syntax error.
- A free word or phrase with no whole-word hit anywhere is looked for as a substring (messages_trigram),
  so a word OCR ran into its neighbours is still found; `~text` asks for that directly.
- `from:` and friends match any printed form of a person: an address, or the name's words in any order (a
  word may be part of a name word, or one typo away when nobody has it), then every alias of the people found.
- Duplicate copies of an email are left out unless the query mentions is:duplicate.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from foia_tui.archive import Archive
from foia_tui.archive.messages import MESSAGE_COLUMNS, message_objects
from foia_tui.archive.store import now_iso
from foia_tui.archive.threads import THREAD_DAYS
from foia_tui.domain.clock import sort_window
from foia_tui.domain.matching import Term, highlight_terms
from foia_tui.domain.query import (
    MIN_SUBSTRING,
    And,
    DateRange,
    Filter,
    Leaf,
    Node,
    Not,
    Or,
    QueryError,
    Substring,
    Words,
    exemption_keys,
    leaves,
    parse,
)

MARK_OPEN, MARK_CLOSE, ELLIPSIS = "«", "»", "…"
HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE = "\x02", "\x03"  # FTS5's marks, so a « in the text is never taken for one
SNIPPET_CHARS = 160
SNIPPET_LEAD = 50  # characters shown before the first match
LAST_CHAR = "\U0010ffff"  # sorts after any text, so [prefix, prefix + LAST_CHAR) is every id with that prefix
RANK_LIMIT = 2_000
FUZZY_NAME_SCORE = 80  # rapidfuzz ratio for one typo in a name word ("jonson" finds "johnson")
FUZZY_NAME_MIN = 4
MAX_SAVED_NAME = 80

DUPLICATE_ROWIDS = "SELECT rowid FROM messages WHERE duplicate_of IS NOT NULL"
WORD_ROWIDS = "SELECT rowid FROM messages_fts WHERE messages_fts MATCH {}"
SUBSTRING_COLUMNS = ("subject", "body", "participants")  # what messages_trigram indexes
WORD_TOKENIZER = "tokenize='porter'"  # as schema.py makes messages_fts
PASSAGE_COLUMNS = ("body", "subject", "indexed_participants")  # where a snippet is looked for, in order
THREAD_COLUMNS = f"id AS thread_id, subject, message_count, first_sent, last_sent, participants, {THREAD_DAYS}"


@dataclass
class SearchResult:
    """One page of results: `rows` are message objects (or thread rows), in result order."""

    query: str
    rows: list[dict]
    offset: int
    has_more: bool
    notes: list[str] = field(default_factory=list)  # how the query was understood (fallbacks, order)


def search_messages(archive: Archive, query_text: str, *, limit: int = 50, offset: int = 0) -> SearchResult:
    """A page of matching messages: `foia list --json` objects plus snippet, rank, score and matched."""
    _check_page(limit, offset)
    plan = _plan(archive, query_text)
    source, where, order, params, ranked = plan.listing(archive)
    page = archive._query(
        f"""SELECT hit.rowid AS rowid, {"hit.rank" if ranked else "NULL"} AS score FROM {source}
            WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset""",
        {**params, "limit": limit + 1, "offset": offset},
    )
    scores = {hit["rowid"]: hit["score"] for hit in page[:limit]}
    found = archive._query(
        f"""SELECT {MESSAGE_COLUMNS}, m.rowid AS rowid, m.participants AS indexed_participants
            FROM messages m JOIN documents d ON d.id = m.document_id
            WHERE m.rowid IN (SELECT value FROM json_each(?))""",
        (json.dumps(list(scores)),),
    )
    by_rowid = {row["rowid"]: row for row in found}
    rows = [by_rowid[rowid] for rowid in scores if rowid in by_rowid]
    shown = _Page(rows, plan.tree)
    snippets = shown.passages([leaf for leaf, positive in _polarised(plan.tree) if positive])
    matched = _matched(archive, shown, plan.tree, [row["rowid"] for row in rows])
    shown.close()
    messages = message_objects(archive, rows)
    for position, (message, row) in enumerate(zip(messages, rows, strict=True), start=offset + 1):
        message["snippet"] = snippets[row["rowid"]]
        message["rank"] = position
        message["score"] = _score(scores[row["rowid"]])
        message["matched"] = matched[row["rowid"]]
    return SearchResult(query_text, messages, offset, len(page) > limit, plan.notes)


def search_threads(archive: Archive, query_text: str, *, limit: int = 50, offset: int = 0) -> SearchResult:
    """A page of threads holding matches, with how many of their messages match: by the best match's bm25,
    or by the newest match (as search_messages orders messages)."""
    _check_page(limit, offset)
    plan = _plan(archive, query_text)
    source, where, _, params, ranked = plan.listing(archive)
    if ranked:
        groups = archive._query(
            f"""SELECT x.thread_id, min(hit.rank) AS score FROM {source} JOIN messages x ON x.rowid = hit.rowid
                WHERE {where} AND x.thread_id IS NOT NULL GROUP BY x.thread_id ORDER BY score, x.thread_id
                LIMIT :limit OFFSET :offset""",
            {**params, "limit": limit + 1, "offset": offset},
        )
        scores = {g["thread_id"]: g["score"] for g in groups}
    else:
        scores = dict.fromkeys(_newest_threads(archive, where, params, limit + 1 + offset)[offset:])
    page = list(scores)[:limit]
    _, where, params = plan.sql(archive, by_words=False, per_row=True)
    hits = {
        r["thread_id"]: r["hits"]
        for r in archive._query(
            f"""SELECT hit.thread_id, count(*) AS hits FROM messages AS hit
                WHERE hit.thread_id IN (SELECT value FROM json_each(:threads)) AND {where} GROUP BY hit.thread_id""",
            {**params, "threads": json.dumps(page)},
        )
    }
    threads = {
        t["thread_id"]: t
        for t in archive._query(
            f"SELECT {THREAD_COLUMNS} FROM threads WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(page),)
        )
    }
    rows = []
    for position, thread_id in enumerate(page, start=offset + 1):
        row = threads.get(thread_id) or {"thread_id": thread_id}  # a thread table older than the messages
        rows.append({**row, "hits": hits.get(thread_id, 0), "rank": position, "score": _score(scores[thread_id])})
    return SearchResult(query_text, rows, offset, len(scores) > limit, plan.notes)


def matching_message_ids(archive: Archive, query_text: str) -> list[str]:
    """Every message a search matches, in search_messages' order: ids only (no rows read for pages or
    snippets), for tagging or overlaying everything a query finds. Raises QueryError for a malformed query."""
    source, where, order, params, _ = _plan(archive, query_text).listing(archive)
    rows = archive._query(
        f"SELECT x.id FROM {source} CROSS JOIN messages x ON x.rowid = hit.rowid WHERE {where} ORDER BY {order}",
        params,
    )
    return [row["id"] for row in rows]


@dataclass(frozen=True)
class ThreadMatches:
    """The emails of one thread a search matches (reading order is the thread view's) and what to highlight."""

    message_ids: frozenset[str]
    terms: tuple[Term, ...]


def thread_matches(archive: Archive, query_text: str, thread_id: str) -> ThreadMatches:
    """Which emails of a thread a search matches, copies of an email included (the view shows the best copy);
    raises QueryError for a malformed query."""
    plan = _plan(archive, query_text)
    source, where, params = plan.sql(archive, by_words=False, per_row=True, copies=True)
    rows = archive._query(
        f"""SELECT coalesce(hit.duplicate_of, hit.id) AS id FROM {source}
            WHERE hit.thread_id = :thread_of_match AND {where}""",
        {**params, "thread_of_match": thread_id},
    )
    return ThreadMatches(frozenset(row["id"] for row in rows), tuple(highlight_terms(plan.tree)))


def _newest_threads(archive: Archive, where: str, params: dict, count: int) -> list[str]:
    """The threads of the newest matches (hit = messages), newest first, until `count` threads are found."""
    threads: dict[str, None] = {}
    with archive._reading():
        cursor = archive._conn.execute(
            f"SELECT hit.thread_id FROM messages AS hit WHERE {where} ORDER BY hit.sent_sort DESC, hit.id DESC",
            params,
        )
        for (thread_id,) in cursor:
            if thread_id is not None:
                threads.setdefault(thread_id)
                if len(threads) >= count:
                    break
        cursor.close()
    return list(threads)


def count_matches(archive: Archive, query_text: str) -> int:
    """How many messages match (duplicate copies counted only when the query asks for them)."""
    source, where, params = _plan(archive, query_text).sql(archive, by_words=True)
    return archive._scalar(f"SELECT count(*) FROM {source} WHERE {where}", params) or 0


def matching_thread_ids(archive: Archive, query_text: str) -> set[str]:
    """Every thread holding a match, so a thread list can be filtered by a query."""
    source, where, params = _plan(archive, query_text).sql(archive, by_words=True)
    rows = archive._query(  # the thread index holds every rowid's thread: no message row is read
        f"""SELECT DISTINCT t.thread_id FROM messages AS t
            WHERE +t.rowid IN (SELECT hit.rowid FROM {source} WHERE {where}) AND t.thread_id IS NOT NULL""",
        params,
    )
    return {row["thread_id"] for row in rows}


def _score(bm25: float | None) -> float | None:
    """FTS5's bm25 turned round so that higher is better, to four significant digits."""
    return None if bm25 is None else float(f"{-bm25:.4g}")


def _check_page(limit: int, offset: int) -> None:
    if limit < 1 or offset < 0:
        raise ValueError("limit must be at least 1 and offset at least 0")


# -- saved searches --------------------------------------------------------------------------------------


def save_search(archive: Archive, name: str, query: str) -> None:
    """Keep a query under a name (replacing one of the same name); a malformed query raises QueryError."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_SAVED_NAME or not name.isprintable():
        raise ValueError(f"a saved search needs a printable name of 1 to {MAX_SAVED_NAME} characters")
    parse(query)
    with archive.transaction() as conn:
        conn.execute(
            """INSERT INTO saved_searches (name, query, created_at) VALUES (?, ?, ?)
               ON CONFLICT(name) DO UPDATE SET query = excluded.query""",
            (name, query, now_iso()),
        )


def keep_search_unless_named(archive: Archive, name: str, query: str) -> None:
    """Offer a saved search the archive does not hold yet under that name (a user's own keeps its query)."""
    with archive.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO saved_searches (name, query, created_at) VALUES (?, ?, ?)", (name, query, now_iso())
        )


def saved_searches(archive: Archive) -> list[dict]:
    """Every saved search as {name, query, created_at}, by name."""
    return archive._query("SELECT name, query, created_at FROM saved_searches ORDER BY name")


def delete_saved_search(archive: Archive, name: str) -> bool:
    """Forget a saved search; False when there was none of that name."""
    with archive.transaction() as conn:
        return conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,)).rowcount > 0


# -- planning: the tree as SQL ---------------------------------------------------------------------------


@dataclass
class _Plan:
    """A parsed query split for SQL: the words every match has (FTS5 expression) and the other terms."""

    tree: Node
    driver: str | None  # FTS5 expression every match satisfies
    rest: list[Node]  # the other terms, all of which hold too
    notes: list[str]

    def rankable(self, archive: Archive) -> bool:
        """Whether there are words every match has, and few enough messages have them to score them all."""
        return (
            self.driver is not None
            and archive._scalar(f"{WORD_ROWIDS.format('?')} LIMIT 1 OFFSET {RANK_LIMIT}", (self.driver,)) is None
        )

    def listing_order(self, archive: Archive) -> bool:
        """Whether a listing is by bm25, else newest first (with a note when common words are the reason)."""
        if self.driver is None:
            return False
        if self.rankable(archive):
            return True
        self.notes.append(f"over {RANK_LIMIT:,} messages have these words: newest first rather than by relevance")
        return False

    def listing(self, archive: Archive) -> tuple[str, str, str, dict, bool]:
        """FROM, WHERE and ORDER BY clauses of the result listing, their parameters, and whether it is by bm25."""
        ranked = self.listing_order(archive)
        source, where, params = self.sql(archive, by_words=ranked, per_row=True)
        order = "hit.rank, hit.rowid" if ranked else "hit.sent_sort DESC, hit.id DESC"
        return source, where, order, params, ranked

    def sql(
        self, archive: Archive, *, by_words: bool, per_row: bool = False, copies: bool = False
    ) -> tuple[str, str, dict]:
        """FROM and WHERE clauses and their parameters, `hit` being either the word index (read along the
        words every match has) or messages (read along the date index). Along the word index, a term that
        is a set of message ids is checked by reading each row's id (`per_row`, for at most RANK_LIMIT
        rows), or by turning the set into rowids (for counting any number); so is a substring (see
        _Sql.substring). Copies of an email another copy stands for are left out unless `copies`."""
        sql = _Sql(archive, by_words=by_words and self.driver is not None, per_row=per_row)
        conditions = [sql.condition(node) for node in self.rest]
        if not copies and not any(isinstance(leaf, Filter) and leaf.field == "is" for leaf in leaves(self.tree)):
            conditions.append(f"NOT {sql.member('rowid', DUPLICATE_ROWIDS)}")
        if self.driver is not None:
            driver = sql.param(self.driver)
            words = sql.member("rowid", WORD_ROWIDS.format(driver))
            conditions.insert(0, f"hit.messages_fts MATCH {driver}" if sql.by_words else words)
        source = "messages_fts AS hit" if sql.by_words else "messages AS hit"
        return source, " AND ".join(conditions) or "1", sql.params


def _plan(archive: Archive, query_text: str) -> _Plan:
    notes: list[str] = []
    tree = _substring_fallback(archive, parse(query_text), notes)
    sql = _Sql(archive, by_words=False)
    driver, rest = None, [tree]
    if (expression := sql.words(tree)) is not None:
        driver, rest = expression, []
    elif isinstance(tree, And):
        driver, rest = sql.split_and(tree.children)
    return _Plan(tree, driver, rest, notes)


def _fts_string(text: str) -> str:
    """Text as one FTS5 string: the tokenizer splits it into a phrase; nothing in it is syntax."""
    return '"' + text.replace("\x00", "").replace('"', '""') + '"'  # FTS5 reads a NUL as the end of the text


def _fts_term(leaf: Words) -> str:
    expression = _fts_string(leaf.text)
    if leaf.prefix:
        expression += " *"
    return f"{{{leaf.column}}} : {expression}" if leaf.column else expression


def _like_pattern(value: str) -> str:
    """'%value%' for LIKE ... ESCAPE '\\', with the value's own wildcards taken literally."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", value) + "%"


def _substring_fallback(archive: Archive, node: Node, notes: list[str]) -> Node:
    """The tree with each word or phrase that has no whole-word hit replaced by a substring search."""
    if isinstance(node, Words):
        if node.prefix or len(node.text.strip()) < MIN_SUBSTRING:
            return node
        if archive._scalar(f"{WORD_ROWIDS.format('?')} LIMIT 1", (_fts_term(node),)) is not None:
            return node
        notes.append(f"no whole word matches {node.source}: searched inside words")
        return Substring(text=node.text.strip(), column=node.column, source=f"{node.source} (inside words)",
                         position=node.position)  # fmt: skip
    if isinstance(node, Not):
        return Not(_substring_fallback(archive, node.child, notes))
    if isinstance(node, And | Or):
        return type(node)(tuple(_substring_fallback(archive, child, notes) for child in node.children))
    return node


class _Sql:
    """Builds SQL conditions on `hit` with named parameters, so no value is ever spliced in.

    Each term is a set its index gives cheaply: rowids, or message ids (participants, redactions, taggings
    and attachments hold those). A set is only tested (`+hit.x IN`), never used to look rows up, so SQLite
    keeps reading along the word index or the date index. Along the word index only rowids exist, so a
    set of ids is checked by reading each row's id, or turned into rowids (see _Plan.sql). `per_row` says the
    query reaches only a page's worth of rows, so checks that read each row it reaches are cheap there.
    """

    def __init__(self, archive: Archive, *, by_words: bool, per_row: bool = False) -> None:
        self.archive = archive
        self.by_words = by_words
        self.per_row = per_row
        self.params: dict[str, object] = {}

    def param(self, value: object) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def member(self, key: str, select: str) -> str:
        if key == "id" and self.by_words and self.per_row:
            return f"(SELECT x.id FROM messages x WHERE x.rowid = hit.rowid) IN ({select})"
        if key == "id" and self.by_words:
            key, select = "rowid", f"SELECT x.rowid FROM messages x WHERE x.id IN ({select})"
        return f"+hit.{key} IN ({select})"

    def substring(self, node: Substring) -> str:
        """Messages holding the text in any indexed column (or the one named).

        The trigram index keeps neither positions nor columns (detail=none): it gives, from the index alone,
        the rows holding every trigram of the text somewhere, and each is then checked for the text itself.
        `per_row`, only the rows the query reaches are checked (a page: cheap however common the text);
        otherwise every candidate is, to give an exact set. LIKE checks, folding the case of ASCII letters
        only: other characters, and the text's own % and _, are wildcards there, and folded_contains
        (foia_tui.archive) has the last word.
        """
        trigrams = sorted({node.text[i : i + 3] for i in range(len(node.text) - 2)})
        expression = self.param(" AND ".join(_fts_string(trigram) for trigram in trigrams))
        candidates = f"SELECT rowid FROM messages_trigram WHERE messages_trigram MATCH {expression}"
        loose = "".join(c if c.isascii() else "_" for c in node.text)
        pattern = self.param(f"%{loose}%")
        folded = self.param(node.text) if loose != node.text or "%" in loose or "_" in loose else None
        row = "hit" if self.per_row else "m"
        holds = " OR ".join(
            f"({row}.{column} LIKE {pattern}" + (f" AND folded_contains({row}.{column}, {folded}))" if folded else ")")
            for column in SUBSTRING_COLUMNS
            if column == (node.column or column)
        )
        if self.per_row:
            return f"({self.member('rowid', candidates)} AND ({holds}))"
        return self.member("rowid", f"SELECT m.rowid FROM messages m WHERE m.rowid IN ({candidates}) AND ({holds})")

    def words(self, node: Node) -> str | None:
        """The FTS5 expression for a tree of words only (None when any part needs other tables)."""
        if isinstance(node, Words):
            return _fts_term(node)
        if isinstance(node, Or):
            parts = [self.words(child) for child in node.children]
            return None if None in parts else "(" + " OR ".join(parts) + ")"  # type: ignore[arg-type]
        if isinstance(node, And):
            expression, rest = self.split_and(node.children)
            return None if rest else expression
        return None

    def split_and(self, children: tuple[Node, ...]) -> tuple[str | None, list[Node]]:
        """Fold the word terms of an AND (and the NOTs of word terms) into one FTS5 expression."""
        positive, negative, rest = [], [], []
        for child in children:
            if (expression := self.words(child)) is not None:
                positive.append(expression)
            elif isinstance(child, Not) and (expression := self.words(child.child)) is not None:
                negative.append(expression)
            else:
                rest.append(child)
        if not positive:
            return None, list(children)
        expression = "(" + " AND ".join(positive) + ")" + "".join(f" NOT ({n})" for n in negative)
        return expression, rest

    def condition(self, node: Node) -> str:
        if (expression := self.words(node)) is not None:
            return self.member("rowid", WORD_ROWIDS.format(self.param(expression)))
        if isinstance(node, Not):
            return f"NOT {self.condition(node.child)}"
        if isinstance(node, And):
            expression, rest = self.split_and(node.children)
            parts = [self.member("rowid", WORD_ROWIDS.format(self.param(expression)))] if expression else []
            return "(" + " AND ".join(parts + [self.condition(child) for child in rest]) + ")"
        if isinstance(node, Or):
            texts = [e for child in node.children if (e := self.words(child)) is not None]
            parts = [self.condition(child) for child in node.children if self.words(child) is None]
            if texts:
                parts.insert(0, self.member("rowid", WORD_ROWIDS.format(self.param(" OR ".join(texts)))))
            return "(" + " OR ".join(parts) + ")"
        if isinstance(node, Substring):
            return self.substring(node)
        if isinstance(node, DateRange):  # the day each counts on, sought through the sort keys around it
            prefix = "" if self.by_words else "hit."
            low, high = sort_window(node.start, node.end)
            bounds = [f"{prefix}sent_sort >= {self.param(low)}"] if low else []
            bounds += [f"{prefix}sent_sort < {self.param(high)}"] if high else []
            bounds += [f"{prefix}sent_day >= {self.param(node.start)}"] if node.start else []
            bounds += [f"{prefix}sent_day < {self.param(node.end)}"] if node.end else []
            if self.by_words:
                return self.member("rowid", f"SELECT rowid FROM messages WHERE {' AND '.join(bounds)}")
            return "(" + " AND ".join(bounds) + ")"
        assert isinstance(node, Filter)
        return self.member(*FILTERS[node.field](self, node.value))

    def people(self, role: str, value: str) -> tuple[str, str]:
        persons, emails, names = _lookup(self.archive).people_matching(value)
        found = [f"person_id IN (SELECT value FROM json_each({self.param(json.dumps(persons))}))"]
        if emails:  # participants people resolution has not seen yet
            found.append(f"email IN (SELECT value FROM json_each({self.param(json.dumps(emails))}))")
        if names:
            found.append(f"name IN (SELECT value FROM json_each({self.param(json.dumps(names))}))")
        return "id", f"SELECT message_id FROM participants WHERE role = {self.param(role)} AND ({' OR '.join(found)})"

    def exemption(self, value: str) -> tuple[str, str]:
        codes = [c for c in _lookup(self.archive).codes() if any(k.startswith(value) for k in exemption_keys(c))]
        codes_json = self.param(json.dumps(codes))
        return "id", (
            "SELECT message_id FROM redactions WHERE message_id IS NOT NULL"
            f" AND code IN (SELECT value FROM json_each({codes_json}))"
        )

    def bates(self, value: str) -> tuple[str, str]:
        """Messages whose Bates range starts or ends with the value, or holds that number."""
        start, number = self.param(_like_pattern(value)[1:]), self.param(value)
        return (
            "rowid",
            f"""SELECT rowid FROM messages WHERE bates_start LIKE {start} ESCAPE '\\'
            OR bates_end LIKE {start} ESCAPE '\\'
            OR (bates_start <= {number} COLLATE NOCASE AND bates_end >= {number} COLLATE NOCASE
                AND length(bates_start) = length({number}))""",
        )

    def release(self, column: str, value: str) -> tuple[str, str]:
        return (
            "rowid",
            f"""SELECT x.rowid FROM releases r CROSS JOIN release_documents rd ON rd.release_id = r.id
            CROSS JOIN messages x ON x.document_id = rd.document_id
            WHERE r.{column} LIKE {self.param(_like_pattern(value))} ESCAPE '\\'""",
        )

    def tag(self, value: str) -> tuple[str, str]:
        return (
            "id",
            f"""SELECT tg.message_id FROM tags t JOIN taggings tg ON tg.tag_id = t.id
            WHERE t.name = {self.param(value)} COLLATE NOCASE""",
        )

    def thread(self, value: str) -> tuple[str, str]:
        first, last = self.param(value.lower()), self.param(value.lower() + LAST_CHAR)
        return "rowid", f"SELECT rowid FROM messages WHERE thread_id >= {first} AND thread_id < {last}"

    def document(self, value: str) -> tuple[str, str]:
        return (
            "rowid",
            f"""SELECT x.rowid FROM documents d CROSS JOIN messages x ON x.document_id = d.id
            WHERE d.path LIKE {self.param(_like_pattern(value))} ESCAPE '\\'""",
        )


# Boxes on pages outside any email have no message_id: left out, so that NOT IN never meets a NULL.
HAS = {
    "redaction": "SELECT message_id FROM redactions WHERE message_id IS NOT NULL",
    "leak": """SELECT message_id FROM redactions
        WHERE message_id IS NOT NULL AND leaked_text IS NOT NULL AND leaked_text != ''""",
    "attachment": "SELECT message_id FROM attachments",
    # a warning on one of the message's pages (or on its whole file): what an import could not read well
    "warning": """SELECT m.id FROM warnings w CROSS JOIN messages m ON m.document_id = w.document_id
        AND (w.page IS NULL OR w.page BETWEEN m.page_start AND coalesce(m.page_end, m.page_start))""",
}

FILTERS: dict[str, Callable[[_Sql, str], tuple[str, str]]] = {
    "from": lambda sql, value: sql.people("from", value),
    "to": lambda sql, value: sql.people("to", value),
    "cc": lambda sql, value: sql.people("cc", value),
    "bcc": lambda sql, value: sql.people("bcc", value),
    "tag": _Sql.tag,
    "thread": _Sql.thread,
    "doc": _Sql.document,
    "bates": _Sql.bates,
    "release": lambda sql, value: sql.release("name", value),
    "agency": lambda sql, value: sql.release("agency", value),
    "has": lambda sql, value: ("id", HAS[value]),
    "is": lambda sql, value: ("rowid", DUPLICATE_ROWIDS),
    "exemption": _Sql.exemption,
}


# -- what the page shows: snippets and reasons -----------------------------------------------------------


def _polarised(node: Node, positive: bool = True) -> list[tuple[Leaf, bool]]:
    if isinstance(node, Leaf):
        return [(node, positive)]
    if isinstance(node, Not):
        return _polarised(node.child, not positive)
    return [pair for child in node.children for pair in _polarised(child, positive)]


def _required(node: Node) -> list[Leaf]:
    """Terms every match satisfies (reached from the top through ANDs only)."""
    if isinstance(node, Leaf):
        return [node]
    if isinstance(node, And):
        return [leaf for child in node.children for leaf in _required(child)]
    return []


class _Page:
    """The rows of a page, for what it shows: which terms each holds, and a passage with the matches marked.

    Words are looked up in a private in-memory FTS5 index of just these rows, tokenized as schema.py tokenizes
    the archive's (asked about one row at a time, the archive's own index re-reads a prefix's whole doclist);
    substrings are found as the trigram index finds them, ignoring case.
    """

    def __init__(self, rows: list[dict], tree: Node) -> None:
        self.rows = {row["rowid"]: {c: _unmarked(row[c]) for c in (*PASSAGE_COLUMNS, "rowid")} for row in rows}
        self.conn = sqlite3.connect(":memory:", isolation_level=None)
        if any(isinstance(leaf, Words) for leaf in leaves(tree)):
            self.conn.execute(f"CREATE VIRTUAL TABLE words USING fts5(subject, body, participants, {WORD_TOKENIZER})")
            self.conn.execute("BEGIN")
            self.conn.executemany(
                "INSERT INTO words (rowid, subject, body, participants) VALUES (?, ?, ?, ?)",
                [(r["rowid"], r["subject"], r["body"], r["indexed_participants"]) for r in self.rows.values()],
            )
            self.conn.execute("COMMIT")

    def matching(self, leaf: Words | Substring) -> set[int]:
        if isinstance(leaf, Words):
            return {
                row[0] for row in self.conn.execute("SELECT rowid FROM words WHERE words MATCH ?", (_fts_term(leaf),))
            }
        pattern = _substring_pattern([leaf])
        columns = [leaf.column] if leaf.column else PASSAGE_COLUMNS
        return {rowid for rowid, row in self.rows.items() if any(pattern.search(row[c] or "") for c in columns)}

    def passages(self, wanted: list[Leaf]) -> dict[int, str]:
        """Each row's passage: from the body when it has a match (the subject is on screen anyway), else from
        the subject or participants that have one; the start of the body when nothing matched."""
        texts = {rowid: [row[c] or "" for c in PASSAGE_COLUMNS] for rowid, row in self.rows.items()}
        words = [_fts_term(leaf) for leaf in wanted if isinstance(leaf, Words)]
        if words:
            marked = ", ".join(f"highlight(words, {column}, :open, :close)" for column in (1, 0, 2))
            for rowid, *columns in self.conn.execute(
                f"SELECT rowid, {marked} FROM words WHERE words MATCH :expression",
                {"open": HIGHLIGHT_OPEN, "close": HIGHLIGHT_CLOSE, "expression": " OR ".join(words)},
            ):
                texts[rowid] = [text or "" for text in columns]
        substrings = [leaf for leaf in wanted if isinstance(leaf, Substring)]
        if substrings:
            pattern = _substring_pattern(substrings)
            for columns in texts.values():
                columns[:] = [pattern.sub(lambda m: HIGHLIGHT_OPEN + m[0] + HIGHLIGHT_CLOSE, text) for text in columns]
        return {
            rowid: _fragment(next((text for text in columns if HIGHLIGHT_OPEN in text), columns[0]))
            for rowid, columns in texts.items()
        }

    def close(self) -> None:
        self.conn.close()


def _unmarked(text: str | int | None) -> str | int | None:
    """Text without the characters FTS5 marks matches with, so a document cannot fake a highlight."""
    if isinstance(text, str) and (HIGHLIGHT_OPEN in text or HIGHLIGHT_CLOSE in text):
        return text.replace(HIGHLIGHT_OPEN, "\u2402").replace(HIGHLIGHT_CLOSE, "\u2403")  # shown as ␂ ␃
    return text


def _substring_pattern(terms: list[Substring]) -> re.Pattern:
    return re.compile("|".join(re.escape(term.text) for term in terms), re.IGNORECASE)


def _fragment(text: str) -> str:
    """A passage of highlighted text around its first match, the marks shown as « »."""
    text = " ".join(text.split())
    first = max(text.find(HIGHLIGHT_OPEN), 0)
    start = max(0, first - SNIPPET_LEAD)
    if start:
        start = text.find(" ", start, first) + 1 or start
    end = max(start + SNIPPET_CHARS, text.find(HIGHLIGHT_CLOSE, first) + 1)
    if end < len(text) and " " in text[end - 20 : end]:
        end = text.rfind(" ", end - 20, end)
    fragment = text[start:end]
    if fragment.count(HIGHLIGHT_OPEN) > fragment.count(HIGHLIGHT_CLOSE):
        fragment += HIGHLIGHT_CLOSE
    fragment = (ELLIPSIS if start else "") + fragment + (ELLIPSIS if end < len(text) else "")
    return fragment.replace(HIGHLIGHT_OPEN, MARK_OPEN).replace(HIGHLIGHT_CLOSE, MARK_CLOSE)


def _matched(archive: Archive, page: _Page, tree: Node, rowids: list[int]) -> dict[int, list[str]]:
    """For each row, the terms it satisfies (as typed): all required terms, and whichever others hold."""
    required = _required(tree)
    optional = [leaf for leaf, positive in _polarised(tree) if positive and leaf not in required]
    holds: dict[Leaf, set[int]] = {}
    for leaf in optional:
        if isinstance(leaf, Words | Substring):
            holds[leaf] = page.matching(leaf)
            continue
        sql = _Sql(archive, by_words=False)
        condition = sql.condition(leaf)
        hits = archive._query(
            f"""SELECT hit.rowid AS rowid FROM json_each(:page) AS page
                CROSS JOIN messages AS hit ON hit.rowid = page.value WHERE {condition}""",
            {**sql.params, "page": json.dumps(rowids)},
        )
        holds[leaf] = {hit["rowid"] for hit in hits}
    order = [leaf for leaf, positive in _polarised(tree) if positive]
    return {
        rowid: list(dict.fromkeys(leaf.source for leaf in order if leaf in required or rowid in holds[leaf]))
        for rowid in rowids
    }


# -- lookups: correspondents and exemption codes, cached until the archive changes -----------------------


@dataclass(frozen=True)
class _Correspondent:
    name: str | None
    email: str | None
    person_id: int | None
    words: tuple[str, ...]
    squashed: str  # the name's words run together, so "tonthat" finds "Ton-That"


def _words(text: str | None) -> tuple[str, ...]:
    """Lower-case words without accents (a name's words; order does not matter to `from:`)."""
    text = (text or "").casefold()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return tuple(re.findall(r"[^\W_]+", text))


def _correspondent(name: str | None, email: str | None, person_id: int | None) -> _Correspondent:
    words = _words(name)
    return _Correspondent(name, (email or "").casefold() or None, person_id, words, "".join(words))


class _Lookup:
    """What people and exemption filters compare with, read once per state of the archive."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._correspondents: list[_Correspondent] | None = None
        self._name_words: list[str] | None = None
        self._codes: list[str] | None = None

    def correspondents(self) -> list[_Correspondent]:
        """Every printed form of every person (aliases), the people's names, and unresolved participants."""
        if self._correspondents is None:
            rows = self.archive._query(
                """SELECT name, email, person_id FROM aliases UNION ALL SELECT name, NULL, id FROM people
                   UNION ALL SELECT DISTINCT name, email, NULL FROM participants WHERE person_id IS NULL"""
            )
            self._correspondents = [_correspondent(r["name"], r["email"], r["person_id"]) for r in rows]
        return self._correspondents

    def name_words(self) -> list[str]:
        if self._name_words is None:
            self._name_words = sorted({word for who in self.correspondents() for word in who.words})
        return self._name_words

    def codes(self) -> list[str]:
        if self._codes is None:
            self._codes = [r["code"] for r in self.archive._query("SELECT DISTINCT code FROM redactions")
                           if r["code"]]  # fmt: skip
        return self._codes

    def people_matching(self, value: str) -> tuple[list[int], list[str], list[str]]:
        """The person ids, and the addresses and bare names of unresolved participants,
        that `value` finds: an address part, or every word somewhere in a name or address; a word no one
        has may be one typo away from a name word."""
        found = self.correspondents()
        if "@" in value:
            found = [who for who in found if who.email and value.casefold().strip() in who.email]
        for word in () if "@" in value else _words(value):
            hits = [who for who in found if word in who.squashed or (who.email and word in who.email)]
            if not hits and len(word) >= FUZZY_NAME_MIN:
                near = process.extract(word, self.name_words(), scorer=fuzz.ratio, score_cutoff=FUZZY_NAME_SCORE,
                                       limit=None)  # fmt: skip
                similar = {match[0] for match in near}
                hits = [who for who in found if similar.intersection(who.words)]
            found = hits
        persons = sorted({who.person_id for who in found if who.person_id is not None})
        unresolved = [who for who in found if who.person_id is None]
        emails = sorted({who.email for who in unresolved if who.email})
        names = sorted({who.name for who in unresolved if who.name and not who.email})
        return persons, emails, names


_lookups: weakref.WeakKeyDictionary[Archive, tuple[tuple[int, int], _Lookup]] = weakref.WeakKeyDictionary()


def _lookup(archive: Archive) -> _Lookup:
    """The archive's lookup, rebuilt after any write (by this connection or another)."""
    version = (archive._scalar("PRAGMA data_version"), archive._conn.total_changes)
    cached = _lookups.get(archive)
    if cached is None or cached[0] != version:
        cached = _lookups[archive] = (version, _Lookup(archive))
    return cached[1]


__all__ = [
    "QueryError",
    "SearchResult",
    "count_matches",
    "delete_saved_search",
    "matching_message_ids",
    "matching_thread_ids",
    "save_search",
    "saved_searches",
    "search_messages",
    "search_threads",
]
