"""Exemption codes as printed on boxes, checked against the statutes they cite.

An appeal argues code by code, so each printed code is read into the statute and subsection it names,
with a citation a court can follow, and a code that names a subsection its statute does not have is
flagged: 5 U.S.C. § 552(b) has exemptions (1) to (9), with sub-letters only under (3) ((A), (B)) and (7)
((A) to (F)); New York's Public Officers Law § 87(2) has (a) to (q). Codes of other states are kept as
printed, unchecked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FEDERAL = "5 U.S.C. § 552"
NEW_YORK = "N.Y. Pub. Off. Law § 87"
_FEDERAL_SUBPARTS = {"3": "AB", "7": "ABCDEF"}
_NY_LETTERS = "abcdefghijklmnopq"

_FEDERAL_RE = re.compile(
    r"^(?:\(b\)\s*\(\s*(?P<n>\d{1,2})\s*\)|b\s*\(\s*(?P<n2>\d{1,2})\s*\)|b(?P<n3>\d{1,2})|ex(?:emption|\.)?\s*(?P<n4>\d{1,2}))"
    r"(?P<subs>(?:\s*\(\s*[A-Za-z]{1,4}\s*\))*)$",
    re.IGNORECASE,
)
_NY_RE = re.compile(
    r"^(?:POL|Public\s+Officers\s+Law)?\s*§?\s*87\s*\(\s*2\s*\)\s*\(\s*(?P<letter>[A-Za-z])\s*\)"
    r"(?P<subs>(?:\s*\(\s*[ivxIVX]+\s*\))*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Exemption:
    """One printed code read against its statute; `valid` is None for statutes we do not check."""

    printed: str
    statute: str | None
    citation: str
    valid: bool | None
    problem: str | None = None


def _subparts(text: str) -> list[str]:
    return re.findall(r"\(\s*([A-Za-z]{1,4})\s*\)", text)


def _federal(printed: str, match: re.Match[str]) -> Exemption:
    number = next(g for g in (match["n"], match["n2"], match["n3"], match["n4"]) if g)
    subs = [s.upper() for s in _subparts(match["subs"] or "")]
    citation = f"{FEDERAL}(b)({number})" + "".join(f"({s})" for s in subs)
    if not 1 <= int(number) <= 9:
        return Exemption(printed, FEDERAL, citation, False, f"§ 552(b) has exemptions (1) to (9), not ({number})")
    allowed = _FEDERAL_SUBPARTS.get(number, "")
    if subs and (len(subs[0]) != 1 or subs[0] not in allowed):
        where = f"(A) to ({allowed[-1]})" if len(allowed) > 2 else "(A) and (B)" if allowed else "no subparagraphs"
        return Exemption(printed, FEDERAL, citation, False, f"§ 552(b)({number}) has {where}, not ({subs[0]})")
    return Exemption(printed, FEDERAL, citation, True)


def _new_york(printed: str, match: re.Match[str]) -> Exemption:
    letter = match["letter"].lower()
    subs = [s.lower() for s in _subparts(match["subs"] or "")]
    citation = f"{NEW_YORK}(2)({letter})" + "".join(f"({s})" for s in subs)
    if letter not in _NY_LETTERS:
        return Exemption(printed, NEW_YORK, citation, False, f"§ 87(2) has paragraphs (a) to (q), not ({letter})")
    return Exemption(printed, NEW_YORK, citation, True)


def read_code(printed: str) -> Exemption:
    """One code as printed ("(b)(7)(C)", "b6", "Ex. 5", "POL 87(2)(b)") read against its statute."""
    text = re.sub(r"\s+", " ", printed).strip()
    if match := _FEDERAL_RE.match(text):
        return _federal(text, match)
    if match := _NY_RE.match(text):
        return _new_york(text, match)
    return Exemption(text, None, text, None)


def read_codes(printed: str | None) -> list[Exemption]:
    """Every code of a box ("(b)(6), (b)(7)(C)" holds two); a box with no code holds none."""
    if not printed:
        return []
    return [read_code(part) for part in re.split(r"\s*[,;]\s*|\s+and\s+", printed) if part.strip()]
