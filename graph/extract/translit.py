"""Sound keys for names written in Latin or Thai script, to tell when two spellings are one name.

Thai news writes foreign names by sound ("ดาง ฮวง เกียง" for "Dang Hoang Giang") and not always
the same way twice ("โง เฟือง ลาน", "โง ฟอง ลาน"). A name part's key is its consonant skeleton in a
coarse sound alphabet shared by both scripts; vowels, tone marks and silent letters are dropped.
The consonant table is data (``graph/data/translit.tsv``).
"""

from __future__ import annotations

import functools
import re

from .lexicon import fold, read_tsv

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
        else:
            latin.append((row["grapheme"], row["sound"]))
    latin.sort(key=lambda pair: -len(pair[0]))
    return thai, latin


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


def _squeeze(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key)


def name_key(name: str) -> tuple[str, ...]:
    return tuple(part_key(p) for p in name.split() if part_key(p))


def is_thai(text: str) -> bool:
    return bool(THAI_CHAR.search(text))


def same_person(short: str, full: str, lang: str = "") -> bool:
    """Whether ``short`` names the same person as ``full`` (within one document).

    Same name up to case and diacritics; the last name part(s) of a fuller Latin name; or, across
    scripts or Thai spellings, every part with the same sound key.
    """
    if fold(short) == fold(full):
        return True
    a, b = short.split(), full.split()
    if not is_thai(short) and not is_thai(full):
        fa, fb = [fold(x) for x in a], [fold(x) for x in b]
        return len(fa) < len(fb) and len(fa) == 1 and fb[-1] == fa[0]
    if len(a) != len(b) or len(a) < 2:
        return False
    ka, kb = name_key(short), name_key(full)
    return len(ka) == len(a) and ka == kb
