"""One clock: a release's time zone, and where a message's time falls in it.

A zoned time (a native email's Date header) is one instant wherever it is read; a printed time without a zone
("Monday, March 4, 2019 9:14 PM" on a PDF) is a wall-clock time, read in its release's zone. Messages are ordered by
instant (`sort`: UTC) and counted on their day in the release's zone (`day`), while the time shown stays as printed.
Without a zone, a time counts on the day it was printed and a printed time orders as if it were UTC.

A zone is an IANA name (America/New_York) or a fixed offset written "UTC-05:00" (what is known when a release's mail
only ever shows one offset): both sort and count the same way, and the name is what `foia releases` shows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

_OFFSET = re.compile(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d\d))?", re.IGNORECASE)
_REGIONS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/")
# Zones that share their offsets with others (America/Detroit keeps New York's clock) are named by the best known one.
PREFERRED = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
    "America/Anchorage", "Pacific/Honolulu", "America/Halifax", "America/St_Johns", "America/Mexico_City",
    "America/Sao_Paulo", "Europe/London", "Europe/Berlin", "Europe/Athens", "Europe/Moscow", "Asia/Jerusalem",
    "Australia/Sydney", "Australia/Adelaide", "Pacific/Auckland",
)  # fmt: skip
SAMPLE_LIMIT = 1_000  # distinct (hour, offset) pairs a detection weighs: enough to see both sides of DST


@dataclass(frozen=True)
class Moment:
    """Where a message's time falls: `sort` orders every message by instant, `day` is the day it counts on."""

    sort: str | None
    day: str | None


def zone_name(text: str) -> str:
    """The stored name of a zone given by a person: an IANA name (any case), or an offset as UTC±HH:MM;
    ValueError, worded for that person, if neither."""
    text = text.strip()
    if text.upper() in ("UTC", "Z", "GMT"):
        return "UTC"
    if match := _OFFSET.fullmatch(text.replace(" ", "")):
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours < 15 and minutes < 60:
            offset = timedelta(hours=hours, minutes=minutes)
            return fixed_name(-offset if sign == "-" else offset)
    name = _known_names().get(text.casefold())
    if name is None:
        raise ValueError(
            f"unknown time zone {text!r} (an IANA name such as America/New_York, or an offset such as UTC-05:00)"
        )
    return name


@cache
def _known_names() -> dict[str, str]:
    """Every IANA zone name by its case-folded spelling (a person types america/new_york as often as not)."""
    return {name.casefold(): name for name in available_timezones()}


def fixed_name(offset: timedelta) -> str:
    """'UTC-05:00' for five hours behind UTC; 'UTC' for none."""
    if not offset:
        return "UTC"
    minutes = int(abs(offset).total_seconds()) // 60
    return f"UTC{'-' if offset < timedelta(0) else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


@cache
def zone(name: str) -> tzinfo:
    """The zone a stored name stands for (zone_name made it, so it is known)."""
    if name == "UTC":
        return UTC
    if match := _OFFSET.fullmatch(name):
        offset = timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
        return timezone(-offset if match.group(1) == "-" else offset)
    return ZoneInfo(name)


def moment(sent: str | None, tz: tzinfo | None = None) -> Moment:
    """Where `sent` (ISO 8601, zoned or not) falls in zone `tz`: its UTC sort key and the day it counts on.

    Text that is not an ISO time sorts as itself and counts on no day (the timeline calls it undated).
    """
    if not sent:
        return Moment(None, None)
    try:
        when = datetime.fromisoformat(sent)
        if when.tzinfo is None:
            day = when.date()
            if tz is not None:
                when = when.replace(tzinfo=tz)
        else:
            day = when.astimezone(tz).date() if tz is not None else when.date()
        if when.tzinfo is not None:
            when = when.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):  # not ISO, or a year 1 or 9999 that no offset can move
        return Moment(sent, None)
    return Moment(when.isoformat(timespec="seconds"), day.isoformat())


def _offsets(sents: Iterable[str | None]) -> Counter[tuple[datetime, timedelta]]:
    """(UTC hour, aware, and printed offset) of every zoned time, counted."""
    found: Counter[tuple[datetime, timedelta]] = Counter()
    for sent in sents:
        try:
            when = datetime.fromisoformat(sent or "")
            offset = when.utcoffset()
            if offset is not None:
                found[when.astimezone(UTC).replace(minute=0, second=0, microsecond=0), offset] += 1
        except (ValueError, OverflowError):
            continue
    return found


@cache
def _candidates() -> tuple[str, ...]:
    names = sorted(n for n in available_timezones() if n.startswith(_REGIONS))
    return tuple(n for n in PREFERRED if n in names) + tuple(n for n in names if n not in PREFERRED)


def detect_zone(sents: Iterable[str | None]) -> str | None:
    """The zone a release's mail was sent from, judged by the offsets its zoned times print; None when none does.

    The most common offset is the answer (a fixed-offset zone), unless a real zone explains more of the times:
    mail at -05:00 in winter and -04:00 in summer is America/New_York's. Zones that keep the same clock are named
    by PREFERRED first, then alphabetically.
    """
    pairs = _offsets(sents)
    if not pairs:
        return None
    by_offset: Counter[timedelta] = Counter()
    for (_, offset), n in pairs.items():
        by_offset[offset] += n
    common = min(by_offset.items(), key=lambda item: (-item[1], item[0]))[0]
    if len(by_offset) == 1:
        return fixed_name(common)
    sample = sorted(pairs.items())
    sample = sample[:: -(-len(sample) // SAMPLE_LIMIT)]
    fixed_score = sum(n for (_, offset), n in sample if offset == common)
    probe = next(when for (when, offset), _ in sample if offset == common)
    best, best_score = None, fixed_score
    for name in _candidates():
        tz = ZoneInfo(name)
        if probe.astimezone(tz).utcoffset() != common:
            continue
        score = sum(n for (when, offset), n in sample if when.astimezone(tz).utcoffset() == offset)
        if score > best_score:
            best, best_score = name, score
    return best or fixed_name(common)


def sort_window(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """Sort keys bounding every message that counts on a day in [start, end) (ISO days, None = open): a day in any
    zone lies within a day of UTC, so search can seek the (sent_sort, id, sent_day) index, then check the day."""
    return _moved(start, -1), _moved(end, 1)


def _moved(day: str | None, days: int) -> str | None:
    try:
        return (date.fromisoformat(day) + timedelta(days=days)).isoformat() if day else None
    except OverflowError:  # before year 1 or after 9999: that side is open
        return None
