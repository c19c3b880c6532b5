"""Releases without SQL or UI: two productions side by side, what one boxed and another showed, what is missing.

A release holds copies of emails; the archive's duplicate detection (blocked on the minute sent and on the
sender, see conversations.py) gives every copy of one email the same canonical id, so two releases pair by
that id. Exposures come from aligning the words around each redaction marker with another copy's words.
"""

from __future__ import annotations

import glob
import itertools
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from rapidfuzz.distance import Indel

from foia_tui.domain.conversations import COPY_PREFERENCE
from foia_tui.domain.display import one_line
from foia_tui.domain.escaping import md_inline
from foia_tui.domain.people import is_redacted, name_tokens
from foia_tui.domain.redactions import MARKER, MARKER_START, is_marker, marker_code

STATUSES = ("produced", "no_records", "no_response", "denied", "partial")
_TOKEN = re.compile(MARKER.pattern + r"|\w+|[^\w\s]")
_QUOTE_PREFIX = re.compile(r"(?m)^[ \t]*(?:>[ \t]?)+")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


# -- release metadata ------------------------------------------------------------------------------------


def normalise_date(text: str) -> str:
    """'2020-03-05', '2020-03' or '2020' (a release index often knows only the year); ValueError otherwise."""
    value = text.strip()
    if not _DATE.fullmatch(value):
        raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], *[*parts[1:], 1, 1][:2])
    except ValueError:
        raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)") from None
    return value


def default_release_name(path: Path) -> str:
    """An import without --release goes to a release named after the directory or file given (no extension)."""
    resolved = path.resolve()
    return resolved.name if resolved.is_dir() else resolved.stem or resolved.name


def run_release_name(paths: list[str]) -> str:
    """The one release an import without --release fills: named after the path given (a glob by the folder it
    searches), after the folder that holds every file given, else after each path given, joined by " + "."""
    given = [Path(_before_magic(p)) for p in paths] or [Path(".")]
    if len(given) == 1:
        return default_release_name(given[0])
    parents = {p.resolve().parent for p in given if not p.is_dir()}
    if len(parents) == 1 and not any(p.is_dir() for p in given):
        return parents.pop().name or "import"
    return " + ".join(dict.fromkeys(default_release_name(p) for p in given))


def _before_magic(pattern: str) -> str:
    """A glob's fixed part: 'release/*.pdf' searches 'release' (a path without wildcards is itself)."""
    parts = Path(pattern).parts
    fixed = list(itertools.takewhile(lambda part: not glob.has_magic(part), parts))
    if len(fixed) == len(parts):
        return pattern
    return str(Path(*fixed)) if fixed else "."


def release_query(name: str) -> str:
    """The search that lists a release's messages (a name with a double quote loses it: the query cannot hold one)."""
    return 'release:"' + name.replace('"', "") + '"'


# -- copies and pairing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Copy:
    """One stored copy of an email as comparison needs it; `canon` is the archive's id for the email."""

    id: str
    canon: str
    document_id: str
    ordinal: int
    copy_kind: str
    sent: str | None
    body: str


def preference(copy: Copy) -> tuple:
    """Sort key of copies, best first: the archive's own choice (native, then print, then quoted; longest)."""
    return (COPY_PREFERENCE.get(copy.copy_kind, 3), -len(copy.body), copy.document_id, copy.ordinal)


def by_email(copies: Iterable[Copy]) -> dict[str, list[Copy]]:
    """Copies grouped by the email they are copies of, each group best copy first."""
    groups: dict[str, list[Copy]] = defaultdict(list)
    for copy in copies:
        groups[copy.canon].append(copy)
    for group in groups.values():
        group.sort(key=preference)
    return dict(groups)


@dataclass
class Pairing:
    """Emails (canonical ids) two releases share and those only one of them holds, each in time order."""

    both: list[str] = field(default_factory=list)
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)


def _time_order(group: list[Copy]) -> tuple:
    return (group[0].sent is None, group[0].sent or "", group[0].canon)


def pair_releases(a: dict[str, list[Copy]], b: dict[str, list[Copy]]) -> Pairing:
    """Pair the emails of two releases (as `by_email` groups): an email is in both when both hold a copy."""
    return Pairing(
        both=sorted((c for c in a if c in b), key=lambda c: _time_order(a[c])),
        only_a=sorted((c for c in a if c not in b), key=lambda c: _time_order(a[c])),
        only_b=sorted((c for c in b if c not in a), key=lambda c: _time_order(b[c])),
    )


def _wall_clock(sent: str | None) -> datetime | None:
    """The time as printed, to the minute (a zoned time keeps its own wall clock)."""
    try:
        return datetime.fromisoformat(sent[:16]) if sent else None
    except ValueError:
        return None


def correspondent_key(name: str | None, email: str | None) -> str:
    """One key per correspondent: the address when printed, else the name's words ('' when redacted)."""
    if is_redacted(name, email):
        return ""
    if email and "@" in email:
        return email.strip().casefold()
    return " ".join(sorted(name_tokens(name)))


# -- exposures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exposure:
    """A box in one copy's body whose place another copy shows as text."""

    index: int  # which marker of the redacted body (0-based, in body order)
    offset: int  # character offset of that marker in the redacted body
    code: str | None
    text: str  # what the other copy shows there


def _blank_quotes(body: str) -> str:
    """The body with quote prefixes ('> ') blanked, so every offset stays true."""
    return _QUOTE_PREFIX.sub(lambda m: " " * len(m.group()), body) if ">" in body else body


def find_exposures(redacted: str, readable: str) -> list[Exposure]:
    """Every marker of `redacted` whose place (found by the words matched on both sides) `readable` shows as text.

    Both bodies become word/punctuation/marker tokens; an LCS alignment (rapidfuzz Indel) pairs the tokens the
    copies share. A run of unmatched markers whose neighbours are matched reads the other copy's tokens between
    those neighbours; when a neighbour is unmatched too, the place is unsure and nothing is reported.
    """
    if MARKER_START not in redacted or not readable:
        return []
    blanked, shown = _blank_quotes(redacted), _blank_quotes(readable)
    red, other = _TOKEN.findall(blanked), _TOKEN.findall(shown)
    matched = [-1] * len(red)
    for op in Indel.opcodes(red, other):
        if op.tag == "equal":
            matched[op.src_start : op.src_end] = range(op.dest_start, op.dest_end)
    markers = [i for i, token in enumerate(red) if is_marker(token)]
    offsets = [m.start() for m in MARKER.finditer(blanked)]
    spans: list[tuple[int, int]] = []
    found: list[Exposure] = []
    done = -1
    for n, i in enumerate(markers):
        if i <= done or matched[i] >= 0:
            continue
        right = i
        while right < len(red) and matched[right] < 0 and is_marker(red[right]):
            right += 1
        done, left = right - 1, i - 1
        if (
            (left >= 0 and matched[left] < 0)
            or (right < len(red) and matched[right] < 0)
            or (left < 0 and right == len(red))
        ):
            continue  # the words around the box differ too: no safe place to read from
        gap = range(matched[left] + 1 if left >= 0 else 0, matched[right] if right < len(red) else len(other))
        if any(not is_marker(other[k]) for k in gap):
            spans = spans or [m.span() for m in _TOKEN.finditer(shown)]
            text = " ".join(shown[spans[gap[0]][0] : spans[gap[-1]][1]].split())
            found.append(Exposure(n, offsets[n], marker_code(red[i]), text))
    return found


def exposures_in(copy: Copy, others: Sequence[Copy]) -> list[tuple[Exposure, list[Copy]]]:
    """The boxes of `copy` that other copies show, each with the copies (best first) that show it."""
    found: dict[int, tuple[Exposure, list[Copy]]] = {}
    unboxed = " ".join(MARKER.sub(" ", copy.body).split())
    for other in sorted(others, key=preference):
        if other.id == copy.id or " ".join(MARKER.sub(" ", other.body).split()) == unboxed:
            continue  # the other copy shows no word this one does not: it boxed the same places
        for exposure in find_exposures(copy.body, other.body):
            if exposure.index in found:
                found[exposure.index][1].append(other)
            else:
                found[exposure.index] = (exposure, [other])
    return [found[index] for index in sorted(found)]


@dataclass(frozen=True)
class ExposedPassage:
    """A box one release drew over text the other shows, on the email (its `foia list --json` object) it is in."""

    message: dict
    code: str | None
    text: str
    redacted_in: str
    readable_in: str

    def as_json(self) -> dict:
        return {
            "message": self.message,
            "code": self.code,
            "text": self.text,
            "redacted_in": self.redacted_in,
            "readable_in": self.readable_in,
        }


@dataclass(frozen=True)
class Comparison:
    """Two releases side by side (`foia compare`): each email as its best copy's `foia list --json` object, those
    both hold as (A's, B's), then what one boxed that the other shows."""

    a: str
    b: str
    both: list[tuple[dict, dict]]
    only_a: list[dict]
    only_b: list[dict]
    exposures: list[ExposedPassage]

    def as_json(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "both": [{"a": a, "b": b} for a, b in self.both],
            "only_a": self.only_a,
            "only_b": self.only_b,
            "exposures": [e.as_json() for e in self.exposures],
        }


def _message_line(m: dict) -> str:
    sender = m["from"]["name"] or m["from"]["email"] or "?"
    return f"{(m['sent'] or '-')[:16]:16}  {one_line(sender, 24):24}  {one_line(m['subject'] or '', 50)}"


def comparison_lines(result: Comparison) -> list[str]:
    """What `foia compare` prints, line by line (the app's comparison shows the same): the counts, each passage
    one release boxed and the other shows, then the emails only one release holds. Safe lines (display door)."""
    name_a, name_b = one_line(result.a, 40), one_line(result.b, 40)
    lines = [
        f"{name_a} and {name_b}: {len(result.both)} emails in both, {len(result.only_a)} only in {name_a}, "
        f"{len(result.only_b)} only in {name_b}; {len(result.exposures)} passages boxed in one and readable "
        "in the other"
    ]
    lines += [
        f"  {_message_line(e.message)}  {one_line(e.code or 'box')} in {one_line(e.redacted_in, 30)}, "
        f"readable in {one_line(e.readable_in, 30)}: {one_line(e.text, 80)!r}"
        for e in result.exposures
    ]
    for only, name in ((result.only_a, name_a), (result.only_b, name_b)):
        if only:
            lines.append(f"only in {name}:")
            lines += [f"  {_message_line(m)}" for m in only]
    return lines


# -- gaps ------------------------------------------------------------------------------------------------

SILENCE_FACTOR = 8  # a silence is at least this many usual intervals long …
SILENCE_MIN = timedelta(days=14)  # … and at least this long
SILENCE_MIN_MESSAGES = 5  # below this there is no cadence to speak of
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|aw|sv|antw)\s*(?:\[\d+\])?\s*:)+", re.IGNORECASE)
_ATTACHMENT_REF = re.compile(
    r"[\w][\w.()&'-]*\.(?:pdf|docx?|xlsx?|pptx?|csv|txt|rtf|jpe?g|png|gif|tiff?|zip|msg|eml)\b", re.IGNORECASE
)


@dataclass
class Gap:
    """Something the productions point at but do not contain."""

    kind: str  # quoted_only, quote_hidden, attachment_missing, silence
    message: dict
    evidence: list[str]
    detail: str

    def as_json(self) -> dict:
        return {"kind": self.kind, "message": self.message, "evidence": self.evidence, "detail": self.detail}


@dataclass(frozen=True)
class GapCopy:
    """What gap detection needs of one stored copy."""

    id: str
    canon: str
    copy_kind: str
    quoted_in: str | None
    sent: str | None
    sender_name: str | None
    sender_email: str | None
    subject: str | None
    thread_id: str | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    body: str = ""
    quote_hidden: bool = False  # printed "[Quoted text hidden]" where the chain below it would be


def _summary(copy: GapCopy) -> dict:
    return {"sent": copy.sent, "from": {"name": copy.sender_name, "email": copy.sender_email}, "subject": copy.subject}


def _who(name: str | None, email: str | None) -> str:
    return one_line(name or email or "(unknown sender)", 60)


def parent_subject(subject: str | None) -> str | None:
    """The subject of the email a reply answers: its own without the reply prefixes ('RE: RE: X' -> 'X')."""
    return _REPLY_PREFIX.sub("", subject or "").strip() or None


def _by_email(copies: Sequence[GapCopy]) -> dict[str, list[GapCopy]]:
    """The stored copies of each email, by the id of the copy shown."""
    groups: dict[str, list[GapCopy]] = defaultdict(list)
    for c in copies:
        groups[c.canon].append(c)
    return groups


def quoted_only(copies: Sequence[GapCopy]) -> list[Gap]:
    """Emails known only as quotes inside later ones, or only as the parent a native reply names."""
    canon_of = {c.id: c.canon for c in copies}
    by_id = {c.id: c for c in copies}
    gaps: list[Gap] = []
    for group in _by_email(copies).values():
        if any(c.copy_kind != "quoted" for c in group):
            continue
        evidence = sorted({canon_of.get(c.quoted_in, c.quoted_in) for c in group if c.quoted_in})
        shown = max(group, key=lambda c: (bool(c.sent), bool(c.sender_name or c.sender_email), len(c.body)))
        summary = _summary(shown)
        if not summary["subject"] and shown.quoted_in in by_id:  # a quote printed without its subject line
            summary["subject"] = parent_subject(by_id[shown.quoted_in].subject)
        detail = f"quoted in {len(evidence)} message(s) but never produced as its own record"
        gaps.append(Gap("quoted_only", summary, evidence, detail))
    gaps += _replied_to_only(copies, canon_of)
    return sorted(gaps, key=lambda g: (g.message["sent"] or "", g.evidence))


def hidden_quotes(copies: Sequence[GapCopy]) -> list[Gap]:
    """Replies whose chain Gmail folded away ("[Quoted text hidden]") and no copy of them prints: what they
    quoted was not produced with them."""
    quoting = {c.quoted_in for c in copies if c.quoted_in}
    gaps = []
    for canon, group in _by_email(copies).items():
        if any(c.quote_hidden for c in group) and not any(c.id in quoting for c in group):
            shown = next(c for c in group if c.quote_hidden)
            detail = 'printed with "[Quoted text hidden]": the messages it quotes were not printed with it'
            gaps.append(Gap("quote_hidden", _summary(shown), [canon], detail))
    return sorted(gaps, key=lambda g: (g.message["sent"] or "", g.evidence))


def _replied_to_only(copies: Sequence[GapCopy], canon_of: dict[str, str]) -> list[Gap]:
    known = {c.message_id for c in copies if c.message_id}
    quoting = {c.quoted_in for c in copies if c.quoted_in}
    replies: dict[str, list[GapCopy]] = defaultdict(list)
    for c in copies:
        if c.in_reply_to and c.in_reply_to not in known and c.id not in quoting:
            replies[c.in_reply_to].append(c)
    gaps = []
    for parent, children in replies.items():
        first = min(children, key=lambda c: c.sent or "")
        subject = parent_subject(first.subject)
        evidence = sorted({canon_of[c.id] for c in children})
        message = {"sent": None, "from": None, "subject": subject, "message_id": parent}
        gaps.append(Gap("quoted_only", message, evidence, f"replied to (Message-ID <{parent}>) but never produced"))
    return gaps


@dataclass(frozen=True)
class NamedFile:
    """A file an email names: in its Attachments: line (`produced` when its bytes are in the archive) or its text."""

    message: GapCopy
    name: str
    produced: bool = False


def attachment_references(copy: GapCopy) -> list[str]:
    """File names mentioned in lines of a body that speak of an attachment ('see attached Budget.xlsx')."""
    names: list[str] = []
    for line in copy.body.splitlines():
        if "attach" in line.casefold():
            names += [m.group() for m in _ATTACHMENT_REF.finditer(line)]
    return names


def missing_attachments(named: Sequence[NamedFile], documents: Iterable[str]) -> list[Gap]:
    """Named files whose bytes no release produced: not attached to any copy, not imported as a document."""
    produced = {Path(d).name.casefold() for d in documents}
    produced |= {n.name.strip().casefold() for n in named if n.produced}
    by_name: dict[str, list[NamedFile]] = defaultdict(list)
    for n in named:
        key = n.name.strip().casefold()
        if key and key not in produced:
            by_name[key].append(n)
    gaps = []
    for refs in by_name.values():
        first = min(refs, key=lambda n: (n.message.sent or "", n.message.canon))
        evidence = sorted({n.message.canon for n in refs})
        detail = f"names {one_line(first.name, 120)!r}, which no release produced"
        gaps.append(Gap("attachment_missing", _summary(first.message), evidence, detail))
    return sorted(gaps, key=lambda g: (g.message["sent"] or "", g.detail))


def _silent_spans(series: list[tuple[datetime, GapCopy]]) -> list[tuple[int, timedelta, timedelta]]:
    """(index before the gap, gap, usual interval) for every gap far beyond the series' own cadence."""
    if len(series) < SILENCE_MIN_MESSAGES:
        return []
    gaps = [series[i + 1][0] - series[i][0] for i in range(len(series) - 1)]
    usual = max(statistics.median(gaps), timedelta(hours=1))
    return [(i, g, usual) for i, g in enumerate(gaps) if g >= SILENCE_MIN and g >= SILENCE_FACTOR * usual]


def _days(span: timedelta) -> str:
    return f"{span.days} days" if span >= timedelta(days=2) else f"{span.total_seconds() / 3600:.0f} hours"


def silences(canonical: Sequence[GapCopy], recipients: dict[str, list[tuple[str | None, str | None]]]) -> list[Gap]:
    """Threads and pairs of correspondents that fall silent far beyond their usual cadence.

    `recipients` maps a message id to its (name, email) To/Cc entries; a pair's silence that is also its
    thread's silence (the same two messages) is reported once, as the thread's.
    """
    threads: dict[str, list[tuple[datetime, GapCopy]]] = defaultdict(list)
    pairs: dict[tuple[str, str], list[tuple[datetime, GapCopy]]] = defaultdict(list)
    names: dict[str, str] = {}
    for c in canonical:
        when = _wall_clock(c.sent)
        if when is None:
            continue
        if c.thread_id:
            threads[c.thread_id].append((when, c))
        sender = correspondent_key(c.sender_name, c.sender_email)
        names.setdefault(sender, _who(c.sender_name, c.sender_email))
        for name, email in recipients.get(c.id, []):
            other = correspondent_key(name, email)
            names.setdefault(other, _who(name, email))
            if sender and other and other != sender:
                pairs[(min(sender, other), max(sender, other))].append((when, c))
    gaps: list[Gap] = []
    seen: set[tuple[str, str]] = set()
    for label, series in [*(("thread", s) for s in threads.values()), *((p, s) for p, s in pairs.items())]:
        series.sort(key=lambda item: (item[0], item[1].id))
        deduped = [item for k, item in enumerate(series) if k == 0 or item[1].id != series[k - 1][1].id]
        for i, span, usual in _silent_spans(deduped):
            before, after = deduped[i][1], deduped[i + 1][1]
            if (before.id, after.id) in seen:
                continue
            seen.add((before.id, after.id))
            who = (
                f"thread {one_line(before.subject or '(no subject)', 80)!r}"
                if label == "thread"
                else f"{names[label[0]]} and {names[label[1]]}"
            )
            detail = (
                f"{who}: nothing for {_days(span)} ({deduped[i][0]:%Y-%m-%d} to {deduped[i + 1][0]:%Y-%m-%d}), "
                f"usually every {_days(usual)}"
            )
            gaps.append(Gap("silence", _summary(before), [before.canon, after.canon], detail))
    return sorted(gaps, key=lambda g: (g.message["sent"] or "", g.detail))


# -- Markdown for the attorney -------------------------------------------------------------------------

GAP_HEADINGS = {
    "quoted_only": ("Emails quoted or answered but not produced", ["Quoted or answered in"]),
    "quote_hidden": ("Replies printed without the messages they quote (Quoted text hidden)", ["Printed in"]),
    "attachment_missing": ("Attachments named but not produced", ["Named in"]),
    "silence": ("Periods with no records where correspondence was regular", ["Last record before", "First after"]),
}


@dataclass(frozen=True)
class CitedSource:
    """Where a copy of an email stands, to cite it by: its file, first page and Bates, and a release holding it."""

    file: str
    page_start: int | None
    bates: str | None
    release: str | None = None


def cite(source: CitedSource) -> str:
    """'release.pdf, p. 3, Bates NYPD-000123 (NYPD round 1)' from a copy's source."""
    parts = [Path(source.file or "?").name]
    if source.page_start:
        parts.append(f"p. {source.page_start}")
    if source.bates:
        parts.append(f"Bates {source.bates}")
    text = ", ".join(parts)
    return f"{text} ({source.release})" if source.release else text


def _gap_title(gap: Gap) -> str:
    m = gap.message or {}
    if gap.kind == "silence":
        return gap.detail
    sender = m.get("from") or {}
    what = f"Email of {(m.get('sent') or 'unknown date')[:16].replace('T', ' ')}"
    if sender.get("name") or sender.get("email"):
        what += f" from {_who(sender.get('name'), sender.get('email'))}"
    if m.get("subject"):
        what += f", subject “{one_line(m['subject'], 120)}”"
    return f"{what}: {gap.detail}"


def gaps_markdown(gaps: Sequence[Gap], sources: dict[str, list[CitedSource]]) -> str:
    """A request list to send back to the agency: each item with what shows it exists, cited by file, page, Bates."""
    lines = ["# Records the productions point to but do not contain", ""]
    if not gaps:
        lines.append("No gaps found.")
    for kind, (heading, labels) in GAP_HEADINGS.items():
        items = [g for g in gaps if g.kind == kind]
        if not items:
            continue
        lines += [f"## {heading} ({len(items)})", ""]
        for n, gap in enumerate(items, 1):
            lines.append(f"{n}. {md_inline(_gap_title(gap))}")
            for k, evidence in enumerate(gap.evidence):
                cited = "; ".join(cite(s) for s in sources.get(evidence, [])) or evidence
                lines.append(f"   - {labels[min(k, len(labels) - 1)]}: {md_inline(cited)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
