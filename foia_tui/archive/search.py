"""Search: a query tree (foia_tui.query) run as parameterised SQL, and the saved searches.

How a query runs, and why:
- Words and phrases that every match must contain become one FTS5 expression over messages_fts (porter
  stemming) that drives the query and orders it by bm25; queries without one come newest first.
- Every other term is a set of rowids read from an index (the trigram index for substrings, participants,
  redactions, dates, ...), so no message row is read until the page of results is known.
- Text only reaches FTS5 as quoted strings built here, so no query can produce an FTS5 syntax error.
- A free word or phrase with no whole-word hit anywhere is looked for as a substring (messages_trigram),
  so a word OCR ran into its neighbours is still found; `~text` asks for that directly.
- `from:` and friends match any printed form of a person: the address, the name's words in any order (a
  word may be the start of a name word or one typo away), and every alias people resolution joined to it.
- Duplicate copies of an email are left out unless the query mentions is:duplicate.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from foia_tui.archive import Archive
from foia_tui.archive.messages import MESSAGE_COLUMNS, message_objects
from foia_tui.archive.store import now_iso
from foia_tui.query import (
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
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"  # what FTS5 marks with; text itself never decides a match shows
SNIPPET_TOKENS = {"messages_fts": 16, "messages_trigram": 64}  # a trigram token is one character's worth
LAST_CHAR = "\U0010ffff"  # sorts after any text, so [prefix, prefix + LAST_CHAR) is every id with that prefix
PLAIN_SNIPPET_CHARS = 160
RANK_LIMIT = 4_000  # bm25 costs ~5 µs a match: more matches than this come newest first
FUZZY_NAME_SCORE = 80  # rapidfuzz ratio for one typo in a name word ("jonson" finds "johnson")
FUZZY_NAME_MIN = 4
MAX_SAVED_NAME = 80

DUPLICATE_ROWIDS = "SELECT rowid FROM messages WHERE duplicate_of IS NOT NULL"
WORD_ROWIDS = "SELECT rowid FROM messages_fts WHERE messages_fts MATCH {}"
SUBSTRING_ROWIDS = "SELECT rowid FROM messages_trigram WHERE messages_trigram MATCH {}"


@dataclass
class SearchResult:
    """One page of results: `rows` are message objects (or thread rows), in result order."""

    query: str
    rows: list[dict]
    offset: int
    has_more: bool
    notes: list[str] = field(default_factory=list)  # how the query was understood (substring fallbacks)


def search_messages(archive: Archive, query_text: str, *, limit: int = 50, offset: int = 0) -> SearchResult:
    """A page of matching messages: `foia list --json` objects plus snippet, rank, score and matched."""
    _check_page(limit, offset)
    plan = _plan(archive, query_text).for_listing(archive)
    order = "hit.rank, hit.rowid" if plan.ranked else "hit.sent_sort DESC, hit.rowid DESC"
    page = archive.query(
        f"""SELECT hit.rowid AS rowid, {plan.rank} AS score FROM {plan.source}
            WHERE {plan.where} ORDER BY {order} LIMIT :limit OFFSET :offset""",
        {**plan.params, "limit": limit + 1, "offset": offset},
    )
    has_more = len(page) > limit
    page = page[:limit]
    rowids = [row["rowid"] for row in page]
    rows = {
        row["rowid"]: row
        for row in archive.query(
            f"""SELECT {MESSAGE_COLUMNS}, m.rowid AS rowid FROM messages m JOIN documents d ON d.id = m.document_id
                WHERE m.rowid IN (SELECT value FROM json_each(?))""",
            (json.dumps(rowids),),
        )
    }
    ordered = [rows[rowid] for rowid in rowids if rowid in rows]
    scores = {hit["rowid"]: hit["score"] for hit in page}
    snippets = _snippets(archive, plan, ordered)
    matched = _matched(archive, plan, rowids)
    messages = message_objects(archive, ordered)
    for position, (message, row) in enumerate(zip(messages, ordered, strict=True), start=offset + 1):
        message["snippet"] = snippets[row["rowid"]]
        message["rank"] = position
        message["score"] = _score(scores[row["rowid"]])
        message["matched"] = matched[row["rowid"]]
    return SearchResult(query_text, messages, offset, has_more, plan.notes)


def search_threads(archive: Archive, query_text: str, *, limit: int = 50, offset: int = 0) -> SearchResult:
    """A page of threads holding matches, best (or latest) first, with how many messages in each matched."""
    _check_page(limit, offset)
    plan = _plan(archive, query_text).for_listing(archive)
    order = "g.best, t.last_sent DESC" if plan.ranked else "t.last_sent DESC, t.id"
    rows = archive.query(
        f"""SELECT t.id AS thread_id, t.subject, g.hits, t.message_count, t.first_sent, t.last_sent,
                   t.participants, g.best AS score
            FROM (SELECT x.thread_id, count(*) AS hits, min({plan.rank}) AS best FROM {plan.source}
                  JOIN messages x ON x.rowid = hit.rowid WHERE {plan.where} GROUP BY x.thread_id) g
            JOIN threads t ON t.id = g.thread_id
            ORDER BY {order} LIMIT :limit OFFSET :offset""",
        {**plan.params, "limit": limit + 1, "offset": offset},
    )
    for position, row in enumerate(rows, start=offset + 1):
        row["rank"] = position
        row["score"] = _score(row["score"])
    return SearchResult(query_text, rows[:limit], offset, len(rows) > limit, plan.notes)


def count_matches(archive: Archive, query_text: str) -> int:
    """How many messages match (duplicates counted only when the query asks for them)."""
    plan = _plan(archive, query_text)
    return archive.scalar(f"SELECT count(*) FROM {plan.source} WHERE {plan.where}", plan.params) or 0


def matching_thread_ids(archive: Archive, query_text: str) -> set[str]:
    """Every thread holding a match, so a thread list can be filtered by a query."""
    plan = _plan(archive, query_text)
    rows = archive.query(
        f"""SELECT DISTINCT x.thread_id FROM {plan.source} JOIN messages x ON x.rowid = hit.rowid
            WHERE {plan.where} AND x.thread_id IS NOT NULL""",
        plan.params,
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


def saved_searches(archive: Archive) -> list[dict]:
    """Every saved search as {name, query, created_at}, by name."""
    return archive.query("SELECT name, query, created_at FROM saved_searches ORDER BY name")


def delete_saved_search(archive: Archive, name: str) -> bool:
    """Forget a saved search; False when there was none of that name."""
    with archive.transaction() as conn:
        return conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,)).rowcount > 0


# -- planning: the tree as SQL ---------------------------------------------------------------------------


@dataclass
class _Plan:
    """A query as SQL: `SELECT ... FROM {source} WHERE {where}`, the matches' rowids being hit.rowid."""

    tree: Node
    driver: str | None  # parameter holding the FTS5 expression every match satisfies (it can rank them)
    filters: list[str]  # the other conditions
    params: dict
    notes: list[str]
    ranked: bool  # read through the word index (hit.rank is the bm25 score), else in date order

    @property
    def source(self) -> str:
        return "messages_fts AS hit" if self.ranked else "messages AS hit"

    @property
    def rank(self) -> str:
        return "hit.rank" if self.ranked else "NULL"

    @property
    def where(self) -> str:
        if self.driver is None:
            return " AND ".join(self.filters)
        if self.ranked:
            return " AND ".join([f"hit.messages_fts MATCH {self.driver}", *self.filters])
        return " AND ".join([f"+hit.rowid IN ({WORD_ROWIDS.format(self.driver)})", *self.filters])

    def for_listing(self, archive: Archive) -> _Plan:
        """The plan a page of results uses: by bm25, unless the words are so common that scoring every
        match would take longer than the page may (then newest first, read along the date index)."""
        if self.driver is None or archive.scalar(
            f"{WORD_ROWIDS.format(self.driver)} LIMIT 1 OFFSET {RANK_LIMIT}", self.params
        ) is None:
            return self
        note = f"over {RANK_LIMIT:,} messages have these words: newest first rather than by relevance"
        return dataclasses.replace(self, ranked=False, notes=[*self.notes, note])


def _plan(archive: Archive, query_text: str) -> _Plan:
    notes: list[str] = []
    tree = _substring_fallback(archive, parse(query_text), notes)
    sql = _Sql(archive)
    driver, rest = (None, [tree])
    if sql.words(tree) is not None:
        driver, rest = sql.words(tree), []
    elif isinstance(tree, And):
        driver, rest = sql.split_and(tree.children)
    if driver is not None:
        sql.rowid = "+hit.rowid"  # a filter only: SQLite must not try to read the table by these rowids
    filters = [sql.condition(node) for node in rest]
    if not any(isinstance(leaf, Filter) and leaf.field == "is" for leaf in leaves(tree)):
        filters.append(f"{sql.rowid} NOT IN ({DUPLICATE_ROWIDS})")
    return _Plan(tree, None if driver is None else sql.param(driver), filters, sql.params, notes, driver is not None)


def _fts_string(text: str) -> str:
    """Text as one FTS5 string: the tokenizer splits it into a phrase; nothing in it is syntax."""
    return '"' + text.replace("\x00", "").replace('"', '""') + '"'  # FTS5 reads a NUL as the end of the text


def _fts_term(leaf: Words | Substring) -> str:
    expression = _fts_string(leaf.text)
    if isinstance(leaf, Words) and leaf.prefix:
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
        if archive.scalar(f"{WORD_ROWIDS.format('?')} LIMIT 1", (_fts_term(node),)) is not None:
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
    """Builds SQL conditions on `hit.rowid` with named parameters, so no value is ever spliced in."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.params: dict[str, object] = {}
        self.rowid = "hit.rowid"

    def param(self, value: object) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

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
            return f"{self.rowid} IN ({WORD_ROWIDS.format(self.param(expression))})"
        if isinstance(node, Not):
            return f"NOT {self.condition(node.child)}"
        if isinstance(node, And):
            expression, rest = self.split_and(node.children)
            parts = [f"{self.rowid} IN ({WORD_ROWIDS.format(self.param(expression))})"] if expression else []
            return "(" + " AND ".join(parts + [self.condition(child) for child in rest]) + ")"
        if isinstance(node, Or):
            texts = [e for child in node.children if (e := self.words(child)) is not None]
            parts = [self.condition(child) for child in node.children if self.words(child) is None]
            if texts:
                parts.insert(0, f"{self.rowid} IN ({WORD_ROWIDS.format(self.param(' OR '.join(texts)))})")
            return "(" + " OR ".join(parts) + ")"
        return f"{self.rowid} IN ({self.rowids(node)})"

    def rowids(self, leaf: Leaf) -> str:
        """A SELECT of the rowids of the messages a single term matches."""
        if isinstance(leaf, Substring):
            return SUBSTRING_ROWIDS.format(self.param(_fts_term(leaf)))
        if isinstance(leaf, DateRange):
            bounds = []
            if leaf.start:
                bounds.append(f"sent_sort >= {self.param(leaf.start)}")
            if leaf.end:
                bounds.append(f"sent_sort < {self.param(leaf.end)}")
            return f"SELECT rowid FROM messages WHERE {' AND '.join(bounds)}"
        assert isinstance(leaf, Filter)
        return FILTERS[leaf.field](self, leaf.value)

    def people(self, role: str, value: str) -> str:
        persons, emails, names = _lookup(self.archive).people_matching(value)
        return f"""SELECT x.rowid FROM participants p JOIN messages x ON x.id = p.message_id
            WHERE p.role = {self.param(role)} AND (p.person_id IN (SELECT value FROM json_each({self.param(persons)}))
                OR p.email IN (SELECT value FROM json_each({self.param(emails)}))
                OR p.name IN (SELECT value FROM json_each({self.param(names)})))"""

    def exemption(self, value: str) -> str:
        codes = [c for c in _lookup(self.archive).codes() if any(k.startswith(value) for k in exemption_keys(c))]
        return f"""SELECT x.rowid FROM redactions r JOIN messages x ON x.id = r.message_id
            WHERE r.code IN (SELECT value FROM json_each({self.param(json.dumps(codes))}))"""

    def bates(self, value: str) -> str:
        """Messages whose Bates range starts or ends with the value, or holds that number."""
        start, number = self.param(_like_pattern(value)[1:]), self.param(value)
        return f"""SELECT rowid FROM messages WHERE bates_start LIKE {start} ESCAPE '\\'
            OR bates_end LIKE {start} ESCAPE '\\'
            OR (bates_start <= {number} COLLATE NOCASE AND bates_end >= {number} COLLATE NOCASE
                AND length(bates_start) = length({number}))"""

    def release(self, column: str, value: str) -> str:
        return f"""SELECT x.rowid FROM releases r JOIN release_documents rd ON rd.release_id = r.id
            JOIN messages x ON x.document_id = rd.document_id WHERE r.{column} LIKE {self.param(_like_pattern(value))}
            ESCAPE '\\'"""


HAS = {
    "redaction": "SELECT x.rowid FROM redactions r JOIN messages x ON x.id = r.message_id",
    "leak": """SELECT x.rowid FROM redactions r JOIN messages x ON x.id = r.message_id
               WHERE r.leaked_text IS NOT NULL AND r.leaked_text != ''""",
    "attachment": "SELECT x.rowid FROM attachments a JOIN messages x ON x.id = a.message_id",
}

FILTERS: dict[str, Callable[[_Sql, str], str]] = {
    "from": lambda sql, value: sql.people("from", value),
    "to": lambda sql, value: sql.people("to", value),
    "cc": lambda sql, value: sql.people("cc", value),
    "bcc": lambda sql, value: sql.people("bcc", value),
    "tag": lambda sql, value: f"""SELECT x.rowid FROM tags t JOIN taggings tg ON tg.tag_id = t.id
        JOIN messages x ON x.id = tg.message_id WHERE t.name = {sql.param(value)} COLLATE NOCASE""",
    "thread": lambda sql, value: f"""SELECT rowid FROM messages
        WHERE thread_id >= {sql.param(value.lower())} AND thread_id < {sql.param(value.lower() + LAST_CHAR)}""",
    "doc": lambda sql, value: f"""SELECT x.rowid FROM documents d JOIN messages x ON x.document_id = d.id
        WHERE d.path LIKE {sql.param(_like_pattern(value))} ESCAPE '\\'""",
    "bates": _Sql.bates,
    "release": lambda sql, value: sql.release("name", value),
    "agency": lambda sql, value: sql.release("agency", value),
    "has": lambda sql, value: HAS[value],
    "is": lambda sql, value: DUPLICATE_ROWIDS,
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


def _snippets(archive: Archive, plan: _Plan, rows: list[dict]) -> dict[int, str]:
    """Each row's passage with the matched words in «»: from the body when it has a match (the subject is on
    screen anyway), else from the column that has one; the start of the body when no words matched."""
    found: dict[int, str] = {}
    wanted = [leaf for leaf, positive in _polarised(plan.tree) if positive]
    for table, kind in (("messages_fts", Words), ("messages_trigram", Substring)):
        terms = [_fts_term(leaf) for leaf in wanted if isinstance(leaf, kind)]
        for column in (1, -1) if terms else ():
            rowids = [row["rowid"] for row in rows if row["rowid"] not in found]
            for row in archive.query(
                f"""SELECT rowid, snippet({table}, :column, :open, :close, :gap, :tokens) AS snippet FROM {table}
                    WHERE {table} MATCH :terms AND rowid IN (SELECT value FROM json_each(:rowids))""",
                {"column": column, "open": SNIPPET_OPEN, "close": SNIPPET_CLOSE, "gap": ELLIPSIS,
                 "tokens": SNIPPET_TOKENS[table], "terms": " OR ".join(terms), "rowids": json.dumps(rowids)},
            ):  # fmt: skip
                if SNIPPET_OPEN in row["snippet"] or column == -1:
                    marked = row["snippet"].replace(SNIPPET_OPEN, MARK_OPEN).replace(SNIPPET_CLOSE, MARK_CLOSE)
                    found[row["rowid"]] = " ".join(marked.split())
    for row in rows:
        if row["rowid"] not in found:
            body = " ".join((row["body"] or "").split())
            found[row["rowid"]] = body[:PLAIN_SNIPPET_CHARS] + (ELLIPSIS if len(body) > PLAIN_SNIPPET_CHARS else "")
    return found


def _matched(archive: Archive, plan: _Plan, rowids: list[int]) -> dict[int, list[str]]:
    """For each row, the terms it satisfies (as typed): all required terms, and whichever others hold."""
    required = _required(plan.tree)
    optional = [leaf for leaf, positive in _polarised(plan.tree) if positive and leaf not in required]
    holds: dict[Leaf, set[int]] = {}
    page = json.dumps(rowids)
    for leaf in optional:
        sql = _Sql(archive)
        if isinstance(leaf, Words | Substring):  # looked up row by row in the index, not as a whole set
            table = "messages_fts" if isinstance(leaf, Words) else "messages_trigram"
            query = f"""SELECT rowid FROM {table} WHERE {table} MATCH {sql.param(_fts_term(leaf))}
                        AND rowid IN (SELECT value FROM json_each({sql.param(page)}))"""
        else:
            query = f"""SELECT hit.rowid AS rowid FROM messages AS hit
                        WHERE hit.rowid IN (SELECT value FROM json_each({sql.param(page)})) AND {sql.condition(leaf)}"""
        holds[leaf] = {row["rowid"] for row in archive.query(query, sql.params)}
    order = [leaf for leaf, positive in _polarised(plan.tree) if positive]
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
            rows = self.archive.query(
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
            self._codes = [r["code"] for r in self.archive.query("SELECT DISTINCT code FROM redactions")
                           if r["code"]]  # fmt: skip
        return self._codes

    def people_matching(self, value: str) -> tuple[str, str, str]:
        """JSON lists of the person ids, and of the addresses and bare names of unresolved participants,
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
        return json.dumps(persons), json.dumps(emails), json.dumps(names)


_lookups: weakref.WeakKeyDictionary[Archive, tuple[tuple[int, int], _Lookup]] = weakref.WeakKeyDictionary()


def _lookup(archive: Archive) -> _Lookup:
    """The archive's lookup, rebuilt after any write (by this connection or another)."""
    version = (archive.scalar("PRAGMA data_version"), archive.conn.total_changes)
    cached = _lookups.get(archive)
    if cached is None or cached[0] != version:
        cached = _lookups[archive] = (version, _Lookup(archive))
    return cached[1]


__all__ = [
    "QueryError",
    "SearchResult",
    "count_matches",
    "delete_saved_search",
    "matching_thread_ids",
    "save_search",
    "saved_searches",
    "search_messages",
    "search_threads",
]
