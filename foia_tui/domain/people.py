"""Correspondents as people: every printed sender/recipient string resolved to one person with its aliases.

Pure (no SQL). The same person is printed as "Ton-That, Hoan", "Hoan Ton-That <hoan@clearview.ai>",
"hoan@clearview.ai" or, after OCR, "Hoan Ton-Tbat". Aliases are joined by address equality, equal names in any
order, names spelled out in an address, the copies of one email (whose senders are one person) and OCR-confusable
spellings; a join that would put two different addresses or two manual groups into one person is refused, so two
real people are never merged on a guess. Redacted names never reach this module: each stays its own person.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from importers.records import Address

_EXEMPTION = re.compile(r"\(b\)\s*\(\d|\bpol\s*87|\bexempt", re.IGNORECASE)
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[^\W\d_]+")
_LAST_FIRST = re.compile(r"^\s*(?P<last>[^,()]+?)\s*,\s*(?P<first>[^,()]+?)\s*(?P<rest>\(.*\))?\s*$")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "hon", "jr", "sr", "esq", "ii", "iii"})
# Characters and pairs OCR confuses; folding both spellings the same way makes "Ton-Tbat" meet "Ton-That".
_OCR_PAIRS = (("ri", "n"), ("rn", "m"), ("cl", "d"), ("vv", "w"), ("ii", "u"))  # "ri" first: "rn" may follow
_OCR_CHARS = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "!": "l", "5": "s", "8": "b", "h": "b", "c": "e"})
CACHE_SIZE = 1 << 16  # distinct printed names seen in one rebuild, roughly
FUZZY_EDIT_MIN_LENGTH = 7  # a one-letter difference joins only long words ("Hansen"/"Jansen" stay apart)


def is_redacted(name: str | None, email: str | None, raw: str = "") -> bool:
    """A name or address hidden by a redaction box or replaced by an exemption code."""
    return Address(name, email, raw).redacted or bool(_EXEMPTION.search(f"{name or ''} {email or ''} {raw}"))


def _clean_name(name: str | None, email: str | None) -> str:
    text = " ".join((name or "").split()).strip("'\" ")
    return "" if not text or (email and text.casefold() == email.casefold()) else text


@lru_cache(maxsize=CACHE_SIZE)
def printed_name(name: str | None, email: str | None, raw: str) -> str | None:
    """The name a correspondent was printed under: the name, else the raw text when there is no address."""
    return name or (raw if not email else None) or None


def alias_key(name: str | None, email: str | None) -> str:
    """One key per printed form (case and spacing ignored): 'hoan ton-that <hoan@clearview.ai>'."""
    address = (email or "").strip().lower()
    printed = _clean_name(name, address).casefold()
    if printed and address:
        return f"{printed} <{address}>"
    return address or printed


def alias_text(name: str | None, email: str | None) -> str:
    """The alias as a person reads it: 'Hoan Ton-That <hoan@clearview.ai>', a bare name or a bare address."""
    address = (email or "").strip().lower()
    printed = _clean_name(name, address)
    if printed and address:
        return f"{printed} <{address}>"
    return address or printed


@lru_cache(maxsize=CACHE_SIZE)
def display_name(name: str) -> str:
    """'Ton-That, Hoan' -> 'Hoan Ton-That'; 'Doe, John (OAG)' -> 'John Doe (OAG)'; other names as printed."""
    match = _LAST_FIRST.match(name)
    if not match or "@" in name:
        return " ".join(name.split())
    return " ".join(part for part in (match["first"], match["last"], match["rest"]) if part)


@lru_cache(maxsize=CACHE_SIZE)
def name_tokens(name: str | None) -> tuple[str, ...]:
    """A name's words in reading order, lower case, accents, titles and affiliations removed."""
    if not name or "@" in name:
        return ()
    text = unicodedata.normalize("NFKD", display_name(_BRACKETED.sub(" ", name)))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    tokens = [t for t in _WORD.findall(text) if t not in _TITLES]
    long = [t for t in tokens if len(t) > 1]
    return tuple(long) if len(long) >= 2 else tuple(tokens)


@lru_cache(maxsize=CACHE_SIZE)
def ocr_fold(text: str, pairs: bool = True) -> str:
    """Text with OCR-confusable letters made equal ('Ton-Tbat' and 'Ton-That' fold alike). Letter pairs are
    folded too unless `pairs` is False: 'cl' may be a misread 'd' or a misread 'el', so callers try both."""
    text = text.casefold()
    if pairs:
        for pair, single in _OCR_PAIRS:
            text = text.replace(pair, single)
    return text.translate(_OCR_CHARS)


@lru_cache(maxsize=CACHE_SIZE)
def _garbled_tokens(name: str | None, pairs: bool = True) -> tuple[str, ...]:
    """Like name_tokens, but folded, with digits OCR put in place of letters kept so 'Moren0' stays a word."""
    if not name or "@" in name:
        return ()
    text = ocr_fold(display_name(_BRACKETED.sub(" ", name)), pairs)
    return tuple(t for t in re.findall(r"[^\W_]+", text) if len(t) > 1)


@lru_cache(maxsize=CACHE_SIZE)
def _spellings(name: str | None) -> frozenset[tuple[str, ...]]:
    """The folded word sequences a printed name may stand for."""
    return frozenset(t for t in (_garbled_tokens(name), _garbled_tokens(name, False)) if len(t) >= 2)


@lru_cache(maxsize=CACHE_SIZE)
def identity_keys(name: str | None, email: str | None) -> frozenset[str]:
    """Folded keys two printings of one correspondent share: 'Ton-That, H0an', 'hoan.tonthat@x' and 'Hoan
    Ton-That' all give 'boantontbat' (OCR-confusable letters folded, words joined in reading order)."""
    keys = set()
    if email:
        keys.add(ocr_fold(email))
        keys.add(ocr_fold(re.sub(r"[._\-+]", "", email.split("@", 1)[0])))
    for words in _spellings(name):
        keys.add("".join(words))
        keys.add(" ".join(sorted(words)))
    keys.discard("")
    return frozenset(keys)


def _tokens_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same words, allowing OCR confusions and one wrong letter in a long word, in at most one word."""
    if len(a) != len(b) or len(a) < 2 or a == b:
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    return min(len(x), len(y)) >= FUZZY_EDIT_MIN_LENGTH and Levenshtein.distance(x, y) <= 1


def local_part_tokens(email: str | None) -> tuple[str, ...]:
    """'alice.moreno@x' -> ('alice', 'moreno'): an address that spells its owner's name."""
    if not email or "@" not in email:
        return ()
    parts = [p for p in re.split(r"[._\-+]", email.split("@", 1)[0].casefold()) if p.isalpha()]
    return tuple(parts) if len(parts) >= 2 and all(len(p) > 1 for p in parts) else ()


@lru_cache(maxsize=CACHE_SIZE)
def names_compatible(a: str | None, b: str | None) -> bool:
    """Could these two printed names be one person? ('Hoan' and 'Ton-That, Hoan' can; 'Jane Roe'/'John Doe' not)."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return True
    if set(ta) & set(tb) or sorted(ta) == sorted(tb):
        return True
    return fuzz.ratio(ocr_fold(" ".join(ta)), ocr_fold(" ".join(tb))) >= 80


@lru_cache(maxsize=CACHE_SIZE)
def names_agree(a: str | None, b: str | None) -> bool:
    """Stricter than names_compatible: the same words (OCR slips folded), one name's words within the other's,
    or nearly the same spelling; a side without a full name cannot disagree."""
    spellings_a, spellings_b = _spellings(a), _spellings(b)
    if not spellings_a or not spellings_b:
        return True
    for x in spellings_a:
        for y in spellings_b:
            if set(x) <= set(y) or set(y) <= set(x) or fuzz.ratio(" ".join(sorted(x)), " ".join(sorted(y))) >= 85:
                return True
    return False


@dataclass(frozen=True)
class AliasInfo:
    """One printed form of a correspondent and how many participant rows print it."""

    key: str
    name: str | None
    email: str | None
    count: int = 1


@dataclass
class _Cluster:
    emails: set[str] = field(default_factory=set)
    group: str | None = None  # manual group pinned by `foia people merge/split`
    count: int = 0


class _People:
    """Union-find over alias keys that refuses joins across different addresses or manual groups."""

    def __init__(self, aliases: dict[str, AliasInfo], pins: dict[str, str]) -> None:
        self.parent = {key: key for key in aliases}
        self.cluster = {
            key: _Cluster({a.email} if a.email else set(), pins.get(key), a.count) for key, a in aliases.items()
        }

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def conflict(self, a: str, b: str, *, check_emails: bool = True) -> bool:
        ca, cb = self.cluster[self.find(a)], self.cluster[self.find(b)]
        if ca.group and cb.group and ca.group != cb.group:
            return True
        return check_emails and _emails_conflict(ca.emails, cb.emails)

    def union(self, a: str, b: str, *, check_emails: bool = True) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.conflict(ra, rb, check_emails=check_emails):
            return False
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        ck, cg = self.cluster[keep], self.cluster.pop(gone)
        ck.emails |= cg.emails
        ck.group = ck.group or cg.group
        ck.count += cg.count
        return True


def _emails_conflict(a: set[str], b: set[str]) -> bool:
    """Two different addresses mean two people, unless one is the other misread by OCR."""
    if not a or not b or a & b:
        return False
    return not {ocr_fold(e) for e in a} & {ocr_fold(e) for e in b}


def resolve_people(
    aliases: Iterable[AliasInfo],
    *,
    pins: dict[str, str] | None = None,
    copy_pairs: Iterable[tuple[str, str]] = (),
) -> list[list[str]]:
    """Group alias keys into people; each list holds one person's alias keys (the most printed first).

    `pins` maps alias keys to manual groups (merges/splits a person made; they always win); `copy_pairs` are
    alias keys printed in the same place of two copies of one email, hence the same person.
    """
    by_key = {a.key: a for a in aliases}
    people = _People(by_key, pins or {})
    for members in _grouped(by_key.values(), lambda a: (pins or {}).get(a.key)).values():
        for other in members[1:]:
            people.union(members[0].key, other.key, check_emails=False)
    _join_by_address(by_key, people)
    _join_by_name(by_key, people)
    for a, b in copy_pairs:
        if a in by_key and b in by_key and names_agree(by_key[a].name, by_key[b].name):
            people.union(a, b)
    _join_ocr_variants(by_key, people)
    groups: dict[str, list[str]] = defaultdict(list)
    for key in sorted(by_key, key=lambda k: (-by_key[k].count, k)):
        groups[people.find(key)].append(key)
    return list(groups.values())


def _grouped(aliases: Iterable[AliasInfo], key_of) -> dict:
    groups: dict = defaultdict(list)
    for alias in aliases:
        key = key_of(alias)
        if key:
            groups[key].append(alias)
    return groups


def _join_by_address(by_key: dict[str, AliasInfo], people: _People) -> None:
    """Aliases printing one address are one person, unless the address is a shared mailbox used under
    incompatible names: then each name keeps its own person and the bare address joins the most printed."""
    for members in _grouped(by_key.values(), lambda a: a.email).values():
        named = sorted((a for a in members if name_tokens(a.name)), key=lambda a: (-a.count, a.key))
        heads: list[AliasInfo] = []
        for alias in named:
            head = next((h for h in heads if names_compatible(h.name, alias.name)), None)
            if head is None:
                heads.append(alias)
            else:
                people.union(head.key, alias.key)
        if len(heads) > 1:
            for alias in members:
                if not name_tokens(alias.name):
                    people.union(heads[0].key, alias.key)
            continue
        for alias in members[1:]:
            people.union(members[0].key, alias.key)


def _join_by_name(by_key: dict[str, AliasInfo], people: _People) -> None:
    """The same words in any order ('Ton-That, Hoan' = 'Hoan Ton-That'), or an address spelling the name,
    are one person; a name printed without an address joins the most printed person of that name."""
    by_name: dict[tuple[str, ...], list[AliasInfo]] = defaultdict(list)
    for alias in by_key.values():
        tokens = name_tokens(alias.name) or local_part_tokens(alias.email)
        if len(tokens) >= 2:
            by_name[tuple(sorted(tokens))].append(alias)
    for members in by_name.values():
        members.sort(key=lambda a: (not a.email, -people.cluster[people.find(a.key)].count, a.key))
        for alias in members[1:]:
            for head in members:
                # A printed full name joins even across two addresses (a work and a private one); a name
                # spelled out by an address alone does not.
                named = bool(name_tokens(head.name)) and bool(name_tokens(alias.name))
                if head is alias or people.union(head.key, alias.key, check_emails=not named):
                    break


def _near_keys(tokens: tuple[str, ...]) -> Iterator[tuple]:
    """Keys any two spellings that _tokens_match (or are equal) share: per word, the other words in place and
    that word, or a long word less one letter (words one edit apart share such a form).

    An index on these finds the few likely matches of a name; one on a single word (every "Person N" shares
    "person") made joining the names of one email's 200,000 recipients quadratic.
    """
    for i, word in enumerate(tokens):
        rest = (tokens[:i], tokens[i + 1 :])
        yield rest, word
        if len(word) >= FUZZY_EDIT_MIN_LENGTH:
            for j in range(len(word)):
                yield rest, word[:j] + word[j + 1 :]


def _join_ocr_variants(by_key: dict[str, AliasInfo], people: _People) -> None:
    """Join names that differ only by OCR-confusable letters (or one letter of a long word), unless the name
    matches two people that do not match each other: then it is ambiguous and stays alone."""
    variants: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for alias in by_key.values():
        variants[people.find(alias.key)] |= _spellings(alias.name)
    index: dict[tuple, set[str]] = defaultdict(set)  # a near key -> the roots with a spelling giving it
    for root, names in variants.items():
        for tokens in names:
            for key in _near_keys(tokens):
                index[key].add(root)

    def alike(a: str, b: str) -> bool:
        return any(t == u or _tokens_match(t, u) for t in variants[a] for u in variants[b])

    for root in sorted(variants, key=lambda r: (people.cluster[people.find(r)].count, r)):
        current = people.find(root)
        matches = {
            other
            for tokens in variants[root]
            for key in _near_keys(tokens)
            for other in index[key]
            if people.find(other) != current and alike(root, other)
        }
        if all(alike(a, b) for a in matches for b in matches if a < b):
            for other in sorted(matches):
                people.union(current, other)
                current = people.find(current)


def copy_pairs(copies: list[list[tuple[str, list[str]]]]) -> list[tuple[str, str]]:
    """Alias keys that must be one person because they sit in the same place of copies of one email.

    `copies` holds, per email, each copy's (sender key, recipient keys); senders always pair, recipient
    lists pair position by position when both copies list the same number of people.
    """
    pairs: list[tuple[str, str]] = []
    for group in copies:
        first_sender, first_to = group[0]
        for sender, to in group[1:]:
            if first_sender and sender and first_sender != sender:
                pairs.append((first_sender, sender))
            if len(to) == len(first_to):
                pairs.extend((a, b) for a, b in zip(first_to, to, strict=True) if a != b)
    return pairs


def person_name(aliases: list[AliasInfo]) -> str:
    """The name a person is listed under: the most printed name (an addressed one before a bare one)."""
    named = [a for a in aliases if name_tokens(a.name)]
    if not named:
        return next((a.email for a in aliases if a.email), aliases[0].name or "?")
    best = max(named, key=lambda a: (a.count + (2 * a.count if a.email else 0), -len(a.key)))
    return display_name(_clean_name(best.name, best.email))
