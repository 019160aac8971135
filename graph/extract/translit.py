"""Sound keys for names written in Latin or Thai script, to tell when two spellings are one name.

Thai news writes foreign names by sound ("ดาง ฮวง เกียง" for "Dang Hoang Giang") and not always
the same way twice ("โง เฟือง ลาน", "โง ฟอง ลาน"). A name part's key is its consonant skeleton in a
coarse sound alphabet shared by both scripts; vowels, tone marks and silent letters are dropped.
The consonant table is data (``graph/data/translit.tsv``).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from .lexicon import fold, read_tsv, terms

THAI_CHAR = re.compile(r"[\u0e00-\u0e7f]")
#: Thai letters that only carry a tone or a vowel before a sonorant: dropped.
THAI_SILENT_BEFORE_SONORANT = "หอ"
THAI_SONORANTS = "งญนมยรลว"


@functools.cache
def _tables() -> tuple[dict[str, str], list[tuple[str, str]]]:
    thai: dict[str, str] = {}
    latin: list[tuple[str, str]] = []
    for row in read_tsv("translit.tsv"):
        if row["script"] == "th":
            thai[row["grapheme"]] = row["sound"]
        elif row["script"] == "la":
            latin.append((row["grapheme"], row["sound"]))
    latin.sort(key=lambda pair: -len(pair[0]))
    return thai, latin


@functools.cache
def _initial_alternatives() -> tuple[tuple[str, str], ...]:
    return tuple((row["grapheme"], row["sound"]) for row in read_tsv("translit.tsv") if row["script"] == "la_alt")


@functools.lru_cache(maxsize=1 << 16)
def part_key(part: str) -> str:
    """Consonant skeleton of one name part, in either script."""
    thai, latin = _tables()
    if THAI_CHAR.search(part):
        out = []
        chars = [ch for ch in part if "\u0e01" <= ch <= "\u0e2e" or ch == "\u0e4c"]
        for i, ch in enumerate(chars):
            nxt = chars[i + 1] if i + 1 < len(chars) else ""
            if nxt == "\u0e4c":  # thanthakhat silences the letter before it
                continue
            if ch == "\u0e4c":
                continue
            if ch in THAI_SILENT_BEFORE_SONORANT and nxt in THAI_SONORANTS and i == 0:
                continue
            if ch in "ยวอ" and i > 0:
                continue  # vowel letters inside a syllable
            out.append(thai.get(ch, ""))
        return _squeeze("".join(out))
    word = fold(part)
    out = []
    i = 0
    while i < len(word):
        for grapheme, sound in latin:
            if word.startswith(grapheme, i):
                out.append(sound)
                i += len(grapheme)
                break
        else:
            i += 1
    return _squeeze("".join(out))


@functools.lru_cache(maxsize=1 << 16)
def part_keys(part: str) -> frozenset[str]:
    """Every key a name part may have: a Latin part's initial may sound otherwise ("Gi" as in ซ)."""
    keys = {part_key(part)}
    if not is_thai(part):
        word = fold(part)
        for grapheme, sound in _initial_alternatives():
            if word.startswith(grapheme):
                keys.add(_squeeze(sound + part_key(word[len(grapheme) :])))
        # Thai marks an "r" after a vowel silent ("Park" is ปาร์ค, "Carter" คาร์เตอร์)
        unrhotic = _SILENT_R.sub("", word)
        if unrhotic != word:
            keys.add(part_key(unrhotic))
    return frozenset(k for k in keys if k)


_SILENT_R = re.compile(r"(?<=[aeiouy])r(?=[^aeiouy]|$)")


def name_keys(name: str) -> list[tuple[str, ...]]:
    """Every sound key of a whole name (a few: only initials have alternatives)."""
    parts = [sorted(part_keys(p)) for p in name.split()]
    return [combo for combo in itertools.islice(itertools.product(*[p for p in parts if p]), 16)]


def _squeeze(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key)


def name_key(name: str) -> tuple[str, ...]:
    return tuple(part_key(p) for p in name.split() if part_key(p))


def is_thai(text: str) -> bool:
    return bool(THAI_CHAR.search(text))


@dataclass(frozen=True, slots=True)
class NameForm:
    """What :func:`same_person` compares of a name, worked out once per name."""

    folded: str
    thai: bool
    parts: tuple[str, ...]
    folded_parts: tuple[str, ...]


@functools.lru_cache(maxsize=1 << 16)
@functools.cache
def family_names_first() -> frozenset[str]:
    """Folded family names of the names written family name first (Vietnamese and Korean: "le",
    "nguyen", "park")."""
    return frozenset(fold(name) for name in terms("vi", "surname"))


def name_form(name: str) -> NameForm:
    parts = tuple(name.split())
    return NameForm(fold(name), is_thai(name), parts, tuple(fold(x) for x in parts))


@functools.lru_cache(maxsize=1 << 16)
def same_person(short: str, full: str, lang: str = "") -> bool:
    """Whether ``short`` names the same person as ``full`` (within one document).

    Same name up to case and diacritics; the last name part(s) of a fuller Latin name; or, across
    scripts or Thai spellings, every part with the same sound key.
    """
    return same_person_form(name_form(short), name_form(full))


def same_person_form(short: NameForm, full: NameForm) -> bool:
    """:func:`same_person` of two :func:`name_form` results (comparing all pairs of a document's
    names, each name is folded and split once, not once per pair)."""
    if short.folded == full.folded:
        return True
    if not short.thai and not full.thai:
        fa, fb = short.folded_parts, full.folded_parts
        if len(fa) != 1 or len(fa) >= len(fb):
            return False
        # the last name part ("Whitmore"), or the family name a Korean or Vietnamese name opens with ("Cho")
        return fb[-1] == fa[0] or (fb[0] == fa[0] and fa[0] in family_names_first())
    a, b = short.parts, full.parts
    if len(a) != len(b) or len(a) < 2:
        return False
    return all(ka and kb and ka & kb for ka, kb in zip(map(part_keys, a), map(part_keys, b), strict=True))
