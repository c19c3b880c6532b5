"""Where a search's words fall in a message's text, so a reader sees why it matched and `n` can step to it.

The archive decides which messages match (FTS5 with the porter stemmer, trigram substrings); this finds the
spans to highlight in the text shown. A word matches the words sharing its stem as porter would roughly see
it ("results" finds "result" and "resulting"), a prefix (`budg*`) any word it starts, a substring (`~view`)
anywhere; words under NOT and metadata filters (from:, tag:) highlight nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from foia_tui.domain.query import And, Node, Not, Or, Substring, Words

_WORD = re.compile(r"\w+")
_SUFFIXES = ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s", "e", "y")
STEM_SLACK = 4  # letters a matched word may have beyond the stem ("result" → "resulting")
MAX_SPANS = 2_000  # spans kept per text: enough to step through, bounded for a 5 MB body


@dataclass(frozen=True)
class Term:
    """One thing to highlight: a word's stem, a prefix, or a substring; `column` limits it (subject:)."""

    text: str
    kind: str  # "word", "prefix" or "substring"
    column: str | None = None


def stem(word: str) -> str:
    """A rough porter stem: the word folded, less one common suffix (never shorter than three letters)."""
    word = word.casefold()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def highlight_terms(node: Node) -> list[Term]:
    """The terms of a parsed query that a match shows in its text (not those under NOT), in query order."""
    if isinstance(node, Not):
        return []
    if isinstance(node, And | Or):
        return [term for child in node.children for term in highlight_terms(child)]
    if isinstance(node, Substring):
        return [Term(node.text, "substring", node.column)] if node.text else []
    if isinstance(node, Words):
        words = _WORD.findall(node.text)
        kind = "prefix" if node.prefix else "word"
        return [Term(w.casefold() if node.prefix else stem(w), kind, node.column) for w in words]
    return []


def match_spans(text: str, terms: list[Term], column: str = "body") -> list[tuple[int, int]]:
    """The [start, end) spans of `text` the terms match, sorted and merged (a column's own terms, and those
    for no column)."""
    terms = [t for t in terms if t.column in (None, column)]
    if not terms or not text:
        return []
    spans: list[tuple[int, int]] = []
    words = [t for t in terms if t.kind != "substring"]
    if words:
        for found in _WORD.finditer(text):
            token = found.group().casefold()
            if any(_word_matches(token, t) for t in words):
                spans.append(found.span())
                if len(spans) >= MAX_SPANS:
                    break
    for term in terms:
        if term.kind == "substring":
            pattern = re.compile(re.escape(term.text), re.IGNORECASE)
            spans += [m.span() for _, m in zip(range(MAX_SPANS), pattern.finditer(text), strict=False)]
    return _merged(sorted(spans))


def _word_matches(token: str, term: Term) -> bool:
    if term.kind == "prefix":
        return token.startswith(term.text)
    return token.startswith(term.text) and len(token) - len(term.text) <= STEM_SLACK


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged[:MAX_SPANS]
