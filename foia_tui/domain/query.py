"""The search language: the one parser the CLI and the app share, text in, syntax tree out (no SQL here).

In the spirit of notmuch and Gmail: free words and "quoted phrases" (word index, stemmed), `word*` for a
prefix, `field:value` filters (values may be quoted), `AND` / `OR` / `NOT` (upper case), `-term`,
parentheses, and an implicit AND between terms; NOT binds tightest, then AND, then OR. `~text` or
`sub:text` looks for text anywhere, even inside words (for OCR that ran words together or split them).
Dates are YYYY, YYYY-MM or YYYY-MM-DD, or a range A..B with either end open; before:X and after:X leave X
itself out. A free word with no letter or digit in it (`*`, `^`) is ignored, as Gmail does.
A typo or stray character becomes a `QueryError` naming the column, so no half-understood query runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MAX_QUERY_CHARS = 2_000
MAX_TERMS = 200
MAX_DEPTH = 32
MIN_SUBSTRING = 3  # the trigram index cannot look for less

PEOPLE_FIELDS = ("from", "to", "cc", "bcc")
LOOKUP_FIELDS = ("tag", "thread", "doc", "bates", "release", "agency")
FIELDS = (*PEOPLE_FIELDS, "subject", "sub", "date", "before", "after", *LOOKUP_FIELDS, "has", "is", "exemption")
HAS_VALUES = ("redaction", "leak", "attachment", "warning")
IS_VALUES = ("duplicate",)
OPERATORS = {"AND": "and", "OR": "or", "NOT": "not"}
DATE_FORMAT = "use YYYY, YYYY-MM or YYYY-MM-DD"

_FIELD_START = re.compile(r"([A-Za-z]+):")
_DATE = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_SEARCHABLE = re.compile(r"[^\W_]")  # a letter or digit: what the word index keeps of a token


QUERY_LANGUAGE = """Query language (terms are ANDed; AND, OR, NOT in capitals; -term; parentheses):
  budget  "draft letter"  budg*       words (stemmed), phrases, prefixes
  ~udget  sub:udget                   text inside words, e.g. OCR that ran words together
                                      (a word with no whole-word match is searched this way too)
  from:  to:  cc:  bcc:               any alias of a person: address, name words in any order
  subject:budget  subject:"a phrase"
  date:2019-01..2019-03  date:2019  date:..2019-03  before:2019-02  after:2019-01-15
  tag:NAME  thread:ID  doc:PATH-PART  bates:NYPD-000123  release:NAME  agency:NAME
  has:redaction  has:leak  has:attachment  has:warning  exemption:b6  exemption:b7c  exemption:87(2)(b)
  is:duplicate                        duplicate copies (left out unless asked for)"""  # foia search --help, app help


class QueryError(ValueError):
    """A query that cannot be run; one line saying what is wrong and where (`position` counts from 0)."""

    def __init__(self, message: str, query: str, position: int) -> None:
        self.message = message
        self.query = query
        self.position = max(0, min(position, len(query)))
        super().__init__(message)

    def __str__(self) -> str:
        before = self.query[max(0, self.position - 30) : self.position]
        after = self.query[self.position : self.position + 30]
        excerpt = " ".join(f"{before}▶{after}".split())
        return f"{self.message} (column {self.position + 1}: {excerpt})"


@dataclass(frozen=True, kw_only=True)
class Leaf:
    """A term of the query; `source` is how it was typed (shown as the reason a message matched)."""

    source: str
    position: int


@dataclass(frozen=True, kw_only=True)
class Words(Leaf):
    """Words looked up in the word index: one word, a phrase, or a prefix (`budg*`)."""

    text: str
    column: str | None = None  # "subject" for subject:
    prefix: bool = False


@dataclass(frozen=True, kw_only=True)
class Substring(Leaf):
    """Text looked for anywhere in subject, body or participants, inside words too."""

    text: str
    column: str | None = None


@dataclass(frozen=True, kw_only=True)
class Filter(Leaf):
    """A `field:value` filter on a message's metadata (people, tags, documents, redactions, ...)."""

    field: str
    value: str


@dataclass(frozen=True, kw_only=True)
class DateRange(Leaf):
    """Sent on or after `start` and before `end` (ISO dates; None leaves that side open)."""

    start: str | None
    end: str | None


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Leaf | And | Or | Not


def exemption_keys(code: str) -> list[str]:
    """Comparable keys of the exemption codes in one printed code: "(b)(7)(C)" -> b7c, "POL 87(2)(b)" -> 872b.

    A printed code may hold several ("(b)(6), (b)(7)(C)"); "Exemption 6" and "Ex. 6" mean FOIA's (b)(6).
    """
    keys = []
    for part in re.split(r"[,;/&]|\band\b|\s+(?=\()", code, flags=re.IGNORECASE):
        key = re.sub(r"[^0-9a-z]", "", part.casefold())
        key = re.sub(r"^(pol|foil)", "", key)
        key = re.sub(r"^(exemption|ex)(?=\d)", "b", key)
        if key:
            keys.append(key)
    return keys


def leaves(node: Node) -> list[Leaf]:
    """Every term of the tree, in query order."""
    if isinstance(node, Leaf):
        return [node]
    if isinstance(node, Not):
        return leaves(node.child)
    return [leaf for child in node.children for leaf in leaves(child)]


@dataclass(frozen=True)
class _Token:
    kind: str  # word, phrase, field, sub, neg, lparen, rparen, and, or, not
    text: str  # the word, phrase or field value
    position: int
    source: str
    field: str = ""


def parse(query: str) -> Node:
    """The syntax tree of `query`; raises QueryError for anything malformed."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(query):,} characters; at most {MAX_QUERY_CHARS:,})", query, 0)
    tokens = _tokenize(query)
    if not tokens:
        raise QueryError("nothing to search for", query, 0)
    parser = _Parser(query, tokens)
    node = parser.expression()
    if parser.peek() is not None:  # only a stray ')' stops an expression early
        raise QueryError("unbalanced parenthesis: ')' without a matching '('", query, parser.peek().position)
    if len(leaves(node)) > MAX_TERMS:
        raise QueryError(f"too many terms (at most {MAX_TERMS})", query, 0)
    return node


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(query):
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token("lparen" if char == "(" else "rparen", char, i, char))
            i += 1
        elif char == "-":
            if i + 1 == len(query) or query[i + 1].isspace() or query[i + 1] == ")":
                raise QueryError("'-' needs a term right after it", query, i)
            tokens.append(_Token("neg", "-", i, "-"))
            i += 1
        elif char == "~":
            text, end = _value(query, i + 1)
            tokens.append(_Token("sub", text, i, query[i:end]))
            i = end
        elif char == '"':
            text, end = _quoted(query, i)
            if _SEARCHABLE.search(text):
                tokens.append(_Token("phrase", text, i, query[i:end]))
            i = end
        elif match := _FIELD_START.match(query, i):
            name = match.group(1).lower()
            if name not in FIELDS:
                raise QueryError(
                    f"unknown field '{match.group(1)}:' (fields: {', '.join(FIELDS)}; quote text that has a colon)",
                    query,
                    i,
                )
            text, end = _value(query, match.end())
            if not text.strip():
                raise QueryError(f"{name}: needs a value", query, i)
            tokens.append(_Token("field", text, i, query[i:end], name))
            i = end
        else:
            end = i
            while end < len(query) and not query[end].isspace() and query[end] not in '()"':
                end += 1
            word = query[i:end]
            if word in OPERATORS:
                tokens.append(_Token(OPERATORS[word], word, i, word))
            elif _SEARCHABLE.search(word):
                tokens.append(_Token("word", word, i, word))
            i = end
    return tokens


def _quoted(query: str, start: int) -> tuple[str, int]:
    """The text between the quote at `start` and the next one, and where it ends."""
    close = query.find('"', start + 1)
    if close < 0:
        raise QueryError("unbalanced quote: '\"' is never closed", query, start)
    return query[start + 1 : close], close + 1


def _value(query: str, start: int) -> tuple[str, int]:
    """A field value: quoted, or up to the next space (keeping balanced parentheses, as in "(b)(6)")."""
    if start < len(query) and query[start] == '"':
        return _quoted(query, start)
    depth, end = 0, start
    while end < len(query) and not query[end].isspace() and query[end] != '"':
        if query[end] == "(":
            depth += 1
        elif query[end] == ")":
            if depth == 0:
                break
            depth -= 1
        end += 1
    return query[start:end], end


class _Parser:
    """Recursive descent: expression = and-group (OR and-group)*; and-group = unary+; unary = NOT* primary."""

    def __init__(self, query: str, tokens: list[_Token]) -> None:
        self.query = query
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def error(self, message: str, position: int) -> QueryError:
        return QueryError(message, self.query, position)

    def _needs_term_after(self, token: _Token, message: str) -> None:
        following = self.peek()
        if following is None or following.kind in ("and", "or", "rparen"):
            raise self.error(message, token.position)

    def expression(self) -> Node:
        parts = [self.and_group()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            self._needs_term_after(token, "OR needs a term on both sides")
            parts.append(self.and_group())
        return _join(Or, parts)

    def and_group(self) -> Node:
        parts = [self.unary()]
        while (token := self.peek()) is not None and token.kind not in ("or", "rparen"):
            if token.kind == "and":
                self.take()
                self._needs_term_after(token, "AND needs a term on both sides")
            parts.append(self.unary())
        return _join(And, parts)

    def unary(self) -> Node:
        negations = 0
        while (token := self.peek()) is not None and token.kind in ("not", "neg"):
            self.take()
            self._needs_term_after(token, f"{token.text} needs a term after it")
            negations += 1
        node = self.primary()
        return Not(node) if negations % 2 else node

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "lparen":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"parentheses nested too deep (at most {MAX_DEPTH})", token.position)
            following = self.peek()
            if following is None:
                raise self.error("unbalanced parenthesis: '(' is never closed", token.position)
            if following.kind == "rparen":
                raise self.error("empty parentheses", token.position)
            node = self.expression()
            if self.peek() is None:
                raise self.error("unbalanced parenthesis: '(' is never closed", token.position)
            self.take()
            self.depth -= 1
            return node
        if token.kind == "rparen":
            raise self.error("unbalanced parenthesis: ')' without a matching '('", token.position)
        if token.kind in ("and", "or"):
            raise self.error(f"{token.text} needs a term on both sides", token.position)
        return self.leaf(token)

    def leaf(self, token: _Token) -> Leaf:
        at = {"source": token.source, "position": token.position}
        if token.kind == "word":
            prefix = token.text.endswith("*")
            return Words(text=token.text.rstrip("*") if prefix else token.text, prefix=prefix, **at)
        if token.kind == "phrase":
            return Words(text=token.text, **at)
        if token.kind == "sub" or token.field == "sub":
            return self.substring(token)
        field, value = token.field, token.text.strip()
        if field == "subject":
            if not _SEARCHABLE.search(value):
                raise self.error("subject: needs a word", token.position)
            prefix = token.source.endswith("*")  # a quoted value is a phrase, never a prefix
            return Words(text=value.rstrip("*") if prefix else value, column="subject", prefix=prefix, **at)
        if field in ("date", "before", "after"):
            start, end = self.dates(field, value, token.position)
            return DateRange(start=start, end=end, **at)
        if field in PEOPLE_FIELDS and not _SEARCHABLE.search(value):
            raise self.error(f"{field}: needs a name or an address", token.position)
        if field in ("has", "is"):
            value = value.lower().removesuffix("s")
            allowed = HAS_VALUES if field == "has" else IS_VALUES
            if value not in allowed:
                raise self.error(f"{field}: takes {' or '.join(allowed)}", token.position)
        if field == "exemption":
            keys = exemption_keys(value)
            if len(keys) != 1:
                raise self.error("exemption: takes one code, e.g. b6, b7c or 87(2)(b)", token.position)
            value = keys[0]
        return Filter(field=field, value=value, **at)

    def substring(self, token: _Token) -> Substring:
        if len(token.text.strip()) < MIN_SUBSTRING:
            raise self.error(f"substring search needs at least {MIN_SUBSTRING} characters", token.position)
        return Substring(text=token.text.strip(), source=token.source, position=token.position)

    def dates(self, field: str, value: str, position: int) -> tuple[str | None, str | None]:
        if field == "before":
            return None, self.day_bounds(value, position)[0]
        if field == "after":
            return self.day_bounds(value, position)[1], None
        if ".." not in value:
            return self.day_bounds(value, position)
        first, _, last = value.partition("..")
        if not first and not last:
            raise self.error("date range needs at least one end, e.g. date:2019-01..2019-03", position)
        start = self.day_bounds(first, position)[0] if first else None
        end = self.day_bounds(last, position)[1] if last else None
        if start and end and start >= end:
            raise self.error(f"date range {value} ends before it starts", position)
        return start, end

    def day_bounds(self, text: str, position: int) -> tuple[str, str]:
        """The first day of a year, month or day and the first day after it, as ISO dates."""
        match = _DATE.fullmatch(text)
        try:
            if not match:
                raise ValueError
            year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
            first = date(year, month, day)
            if match.group(3):
                after = date.fromordinal(first.toordinal() + 1)
            elif match.group(2):
                after = date(year + month // 12, month % 12 + 1, 1)
            else:
                after = date(year + 1, 1, 1)
        except (ValueError, OverflowError):
            raise self.error(f"bad date '{text}' ({DATE_FORMAT})", position) from None
        return first.isoformat(), after.isoformat()


def _join(kind: type[And] | type[Or], parts: list[Node]) -> Node:
    """One node for a run of terms, with nested groups of the same operator flattened."""
    flat: list[Node] = []
    for part in parts:
        flat.extend(part.children if isinstance(part, kind) else (part,))
    return flat[0] if len(flat) == 1 else kind(tuple(flat))
