"""Dates as mail clients print them, turned into ISO 8601 without inventing a time zone.

A printed "3:14 PM" with no zone stays naive ("2018-12-04T15:14:00"): the reader's zone is unknown,
so shifting it would be a guess. A printed zone or offset is kept as an offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_ZONES = {
    "UT": 0,
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
}

_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?"
_DATE_RE = re.compile(
    rf"""
    (?:\b{_WDAY}\.?,?\s*)?
    (?:
        (?P<mon_a>{_MON})\.?\s+(?P<day_a>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year_a>\d{{4}})
      | (?P<day_b>\d{{1,2}})\s+(?P<mon_b>{_MON})\.?,?\s+(?P<year_b>\d{{4}})
      | (?P<mon_c>\d{{1,2}})/(?P<day_c>\d{{1,2}})/(?P<year_c>\d{{4}}|\d{{2}})
      | (?P<year_d>\d{{4}})-(?P<mon_d>\d{{2}})-(?P<day_d>\d{{2}})
    )
    (?:
        (?:,?\s*(?:at\s+)?|T)
        (?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?::(?P<second>\d{{2}})(?:\.\d+)?)?
        (?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?
        (?:\s*(?P<zone>
            [+-]\d{{2}}:?\d{{2}}\b
          | \(?(?:UTC|GMT)\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?\)?
          | (?:Eastern|Central|Mountain|Pacific)\s+(?:Standard|Daylight)\s+Time
          | (?<![A-Za-z])(?:UTC|GMT|UT|Z|[ECMP][SD]T|AK[SD]T|HST|BST|CEST|CET)\b
        ))?
    )?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_OFFSET_RE = re.compile(r"([+-])\s*(\d{1,2}):?(\d{2})?")


@dataclass(frozen=True)
class FoundDate:
    """A date found inside a longer printed line: where it stands and what it means."""

    start: int
    end: int
    iso: str


def _zone(text: str) -> timezone | None:
    upper = text.strip("() ").upper()
    words = upper.split()
    if len(words) == 3:  # "Central Standard Time" -> CST
        upper = words[0][0] + words[1][0] + "T"
    if upper in _ZONES:
        return timezone(timedelta(hours=_ZONES[upper]))
    match = _OFFSET_RE.search(upper)
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    if minutes > 14 * 60:
        return None
    return timezone(sign * timedelta(minutes=minutes))


def _to_iso(match: re.Match[str]) -> str | None:
    g = match.groupdict()
    if g["mon_a"]:
        month, day, year = _MONTHS[g["mon_a"][:3].lower()], int(g["day_a"]), int(g["year_a"])
    elif g["mon_b"]:
        month, day, year = _MONTHS[g["mon_b"][:3].lower()], int(g["day_b"]), int(g["year_b"])
    elif g["mon_c"]:
        month, day, year = int(g["mon_c"]), int(g["day_c"]), int(g["year_c"])
        year += 2000 if year < 70 else 1900 if year < 100 else 0
    else:
        month, day, year = int(g["mon_d"]), int(g["day_d"]), int(g["year_d"])
    try:
        if g["hour"] is None:
            return datetime(year, month, day).date().isoformat()
        hour = int(g["hour"])
        if g["ampm"]:
            if hour > 12:
                return None
            hour = hour % 12 + (12 if g["ampm"].lower() == "p" else 0)
        value = datetime(year, month, day, hour, int(g["minute"]), int(g["second"] or 0))
    except ValueError:
        return None
    zone = _zone(g["zone"]) if g["zone"] else None
    if zone is not None:
        value = value.replace(tzinfo=zone)
    return value.isoformat()


_NAMES = (
    "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z01]{3,8}")
_TIME_RE = re.compile(r"\d:\d\d")


def _one_letter_off(word: str) -> str | None:
    """The month or day name `word` is one misread letter away from ("Auqust", "Thursdav", "Apri1"), or None."""
    lower = word.lower().replace("1", "l").replace("0", "o")  # OCR's digits for letters ("Apri1")
    for name in _NAMES:
        if (
            len(name) == len(lower)
            and word != name.capitalize()
            and sum(a != b for a, b in zip(lower, name, strict=True)) <= 1
        ):
            return name.capitalize()
    return None


def _first_date(text: str) -> FoundDate | None:
    for match in _DATE_RE.finditer(text):
        iso = _to_iso(match)
        if iso:
            return FoundDate(match.start(), match.end(), iso)
    return None


def search_date(text: str) -> FoundDate | None:
    """The first parseable date in `text`, with its span (used to cut dates out of header lines). A line
    that shows a time but no date OCR could read is tried again with month and day names one misread
    letter away put right (same length, so the span still fits the printed text)."""
    found = _first_date(text)
    if (found is None or "T" not in found.iso) and _TIME_RE.search(text):
        fixed = _WORD_RE.sub(lambda m: _one_letter_off(m.group(0)) or m.group(0), text)
        if fixed != text:
            return _first_date(fixed) or found
    return found


def parse_date(text: str | None) -> str | None:
    """ISO 8601 for a printed date, or None when nothing in it reads as a date."""
    if not text:
        return None
    found = search_date(text)
    return found.iso if found else None
