"""Find date expressions in English, Vietnamese and Thai news text and normalise them to ISO dates.

``find_dates(text, lang, reference)`` returns every date expression, in order and without overlaps
(the longest wins), each with an ISO value only as precise as the text makes it: ``YYYY-MM-DD``,
``YYYY-MM`` or ``YYYY``.

Conventions:

* A missing year, a weekday or a relative day ("yesterday", "hôm qua", "เมื่อวาน") is resolved only
  from ``reference``, the document's own date, never from today's date. Without a reference such an
  expression is still found, with ``value=None``, ``precision=""`` and ``relative=True``.
* A missing year is the one that puts the date nearest to the reference (a weekday given with the
  date breaks ties: "วันจันทร์ที่ 10 พฤศจิกายน" picks a year where 10 November is a Monday).
* A weekday alone is the most recent such day on or before the reference ("last"/"next",
  "ที่แล้ว"/"หน้า" make it strictly before/after; "tuần trước"/"tuần tới" shift it by a week).
* Years above 2400 are Buddhist era (2568 -> 2025), as are two-digit Thai years after a month
  abbreviation or an era word ("19 ก.ย. 68"); "ค.ศ." marks the Common era.
* The span (``text``/``start``/``end``) covers the date and its nouns ("ngày 8/10", "năm 2021",
  "ปี 2568", "from November 10 to 14") but not a preposition that only licenses it ("in 2021" ->
  "2021", "sáng 8/10" -> "8/10", "เมื่อวันจันทร์" -> "วันจันทร์").
* A bare four-digit year counts only after a cue ("in", "năm", "ปี", "พ.ศ."); Vietnamese day/month
  without a year only after a cue ("ngày", "sáng", "hôm" ...). Numeric dates are D/M[/Y] in
  Vietnamese and Thai; English numeric dates other than ISO ``YYYY-MM-DD`` are not read (M/D or D/M?).

Month and weekday names, relative words and cue words live in ``graph/data/dates/*.tsv``; they are
loaded once and compiled into one list of regular expressions per language. English month names and
ISO dates are found in every language's text. Each expression is compiled behind a lookahead for the
first characters its matches can start with (``_guarded``), and searched by a scan for its possible
first characters (``_scanned``), so a search passes over most positions without trying the long
alternations of names. ``DateScan`` separates matching, the costly part, from
valuing the matches against a reference date.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from re import _constants as sre  # the parsed form of patterns, for _guard
from re import _parser as sre_parse

LANGS = ("en", "vi", "th")

_LETTER = r"[^\W\d_]"
_DAY = r"(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?!\d)"
_MNUM = r"(?<!\d)(?:0?[1-9]|1[0-2])(?!\d)"
_Y4 = r"(?<!\d)[12]\d{3}(?!\d)(?![.,]\d)(?!['’]s(?![^\W\d_]))(?![A-Za-z])"
_Y2 = r"(?<!\d)\d{2}(?!\d)(?![.,]\d)"
_ORD = rf"(?:st|nd|rd|th)?(?!{_LETTER})"
_DASH = r"\s*[-–—]\s*"
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_DIGITS = re.compile(r"\d+")
# Text around a match that shows it is part of a bigger number: "1.8/10", "+84", "8/10/20", "10.5%".
_BAD_LEFT = re.compile(r"(?:\d[.,:]|\+)$")
_BAD_RIGHT = re.compile(r"[.,:/]\d|\s?%")
_NUMBER_BEFORE = re.compile(r"\d\s*$")
_OTHER_DIGIT = re.compile(r"[^\D0-9]")  # a decimal digit other than 0-9: ๐-๙ ...


@dataclass(frozen=True)
class DateMatch:
    """A date expression found in a text."""

    text: str  # as written
    start: int  # char offsets into the text passed in
    end: int
    value: str | None  # ISO "YYYY-MM-DD" | "YYYY-MM" | "YYYY"; None when unresolvable (no reference)
    end_value: str | None = None  # last day/month/year of a range
    precision: str = ""  # "day" | "month" | "year" | "" (unresolved)
    relative: bool = False  # depends on the reference date (weekday, yesterday, missing year)


def normalise_digits(text: str) -> str:
    """Thai digits ๐-๙ and other Unicode decimal digits to ASCII; the length is unchanged."""
    if text.isascii():
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


# --------------------------------------------------------------------------------------------------
# Data


def _fold(word: str) -> str:
    """Lookup key: NFC, case-folded, single spaces, no final dot."""
    return " ".join(unicodedata.normalize("NFC", word).casefold().split()).rstrip(".")


def _read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of ``graph/data/dates/<name>``: a header line, tab-separated rows, ``#`` comment lines."""
    with resources.files("graph").joinpath("data", "dates", name).open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@dataclass(frozen=True)
class _Lexicon:
    months: dict[str, int]  # folded name -> 1..12
    month_names: tuple[str, ...]  # as written in the data
    full_months: tuple[str, ...]  # month names that are not abbreviations
    weekdays: dict[str, int]  # folded name -> ISO weekday 1..7
    free_weekdays: tuple[str, ...]  # weekday names that stand alone
    cue_weekdays: tuple[str, ...]  # weekday names that need a cue (they are ordinals too)
    relative: dict[str, tuple[str, int]]  # folded phrase -> (unit, offset)
    cues: dict[str, tuple[str, ...]]  # role -> words
    roles: dict[str, str]  # folded era / weekday-modifier word -> role
    ranges: frozenset[tuple[str, str]]  # allowed (opener, closer) pairs, folded; "" = no opener

    def words(self, role: str) -> tuple[str, ...]:
        return self.cues.get(role, ())

    @property
    def weekday_names(self) -> tuple[str, ...]:
        return self.free_weekdays + self.cue_weekdays


@functools.cache
def _lexicon(lang: str) -> _Lexicon:
    raw_months = [r for r in _read_tsv("months.tsv") if r["lang"] == lang]
    raw_days = [r for r in _read_tsv("weekdays.tsv") if r["lang"] == lang]
    cues: dict[str, list[str]] = {}
    roles: dict[str, str] = {}
    ranges: set[tuple[str, str]] = set()
    for row in _read_tsv("cues.tsv"):
        if row["lang"] != lang:
            continue
        role, word = row["role"], row["word"]
        if role == "range":
            opener, _, closer = (part.strip() for part in word.partition("…"))
            ranges.add((_fold(opener), _fold(closer)))
            if opener:
                cues.setdefault("range_open", []).append(opener)
            cues.setdefault("range_close", []).append(closer)
            continue
        cues.setdefault(role, []).append(word)
        if role.startswith(("era_", "weekday_")) and role not in ("weekday_cue", "weekday_join"):
            roles[_fold(word)] = role
    return _Lexicon(
        months={_fold(r["name"]): int(r["number"]) for r in raw_months},
        month_names=tuple(r["name"] for r in raw_months),
        full_months=tuple(r["name"] for r in raw_months if not r["name"].endswith(".")),
        weekdays={_fold(r["name"]): int(r["number"]) for r in raw_days},
        free_weekdays=tuple(r["name"] for r in raw_days if r["cue"] != "1"),
        cue_weekdays=tuple(r["name"] for r in raw_days if r["cue"] == "1"),
        relative={
            _fold(r["phrase"]): (r["unit"], int(r["offset"]))
            for r in _read_tsv("relative.tsv")
            if r["lang"] == lang
        },
        cues={role: tuple(dict.fromkeys(words)) for role, words in cues.items()},
        roles=roles,
        ranges=frozenset(ranges),
    )


# --------------------------------------------------------------------------------------------------
# Patterns


def _alt(words: Iterable[str], *, names: bool = False) -> str:
    """Alternation for data words, longest first, in NFC and NFD; spaces match any whitespace.

    ``names``: match as written, Capitalised or UPPER CASE; otherwise case-insensitively.
    A final "." is optional (then no letter may follow); Latin words do not match inside words.
    """
    variants: set[str] = set()
    for word in words:
        forms = {word, word[:1].upper() + word[1:], word.upper()} if names else {word}
        for form in forms:
            variants.update(unicodedata.normalize(nf, form) for nf in ("NFC", "NFD"))
    parts = []
    for word in sorted(variants, key=lambda w: (-len(w), w)):
        thai = bool(_THAI.search(word))
        abbreviation = word.endswith(".") and len(word) > 2
        core = word[:-1] if abbreviation else word
        body = r"\s+".join(re.escape(token) for token in core.split())
        if abbreviation:
            body += rf"(?:\.|(?!{_LETTER}))"
        elif not thai and word[-1].isalpha():
            body += rf"(?!{_LETTER})"
        if not thai and word[0].isalpha():
            body = rf"(?<!{_LETTER}){body}"
        parts.append(body)
    if not parts:
        return r"(?!x)x"
    alt = "|".join(parts)
    return f"(?:{alt})" if names else f"(?i:{alt})"


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    kind: str  # "date" | "weekday" | "relative"


class _English:
    """Pattern builders for English; also used for English month names inside vi/th text."""

    def __init__(self) -> None:
        lex = _lexicon("en")
        self.lex = lex
        self.month = _alt(lex.month_names, names=True)
        self.full_month = _alt(lex.full_months, names=True)
        self.conn = rf"(?P<conn>{_DASH}|\s+{_alt(lex.words('range_close'))}\s+)"
        self.open = _alt(lex.words("range_open"))

    def md(self, s: str, year: bool = True) -> str:
        out = rf"(?P<m{s}>{self.month})(?:\s+|(?<=\.))(?P<d{s}>{_DAY}){_ORD}"
        return out + (rf"(?:,?\s+(?P<y{s}>{_Y4}))?" if year else "")

    def dm(self, s: str) -> str:
        return rf"(?P<d{s}>{_DAY}){_ORD}\s+(?:of\s+)?(?P<m{s}>{self.month})(?:,?\s+(?P<y{s}>{_Y4}))?"

    def d(self, s: str, year: bool = False) -> str:
        return rf"(?P<d{s}>{_DAY}){_ORD}" + (rf"(?:,?\s+(?P<y{s}>{_Y4}))?" if year else "")

    def my(self, s: str, year_required: bool = True) -> str:
        if year_required:
            return rf"(?P<m{s}>{self.month}),?\s+(?:of\s+)?(?P<y{s}>{_Y4})"
        return rf"(?P<m{s}>{self.full_month})(?:,?\s+(?P<y{s}>{_Y4}))?"

    def month_rules(self) -> list[str]:
        """Dates with an English month name or ISO form: valid in any language's text."""
        opt_open = rf"(?:(?P<open>{self.open})\s+)?"
        conn = self.conn
        return [
            r"(?<![\d-])(?P<y1>[12]\d{3})-(?P<m1>\d\d)-(?P<d1>\d\d)(?!\d)",
            opt_open + self.md("1", year=False) + conn + self.d("2", year=True),
            opt_open + self.md("1") + conn + self.md("2"),
            opt_open + self.d("1") + conn + self.dm("2"),
            opt_open + self.dm("1") + conn + self.dm("2"),
            self.my("1") + conn + self.my("2"),
            self.md("1"),
            self.dm("1"),
            self.my("1"),
        ]

    def rules(self) -> list[tuple[str, str]]:
        lex = self.lex
        weekday = _alt(lex.weekday_names, names=True)
        mods = _weekday_mods(lex)
        year_prep = _alt(lex.words("year_prep"))
        month_prep = _alt(lex.words("month_prep"))
        join = r"(?:(?<=-)\s*|\s+)"
        out = [("date", r) for r in self.month_rules()]
        out += [
            ("date", rf"(?P<open>{self.open})\s+" + self.my("1", False) + self.conn + self.my("2", False)),
            ("date", rf"(?P<open>{self.open})\s+(?P<y1>{_Y4}){self.conn}(?P<y2>{_Y4})"),
            ("date", rf"{year_prep}{join}(?P<body>(?P<y1>{_Y4}){_DASH}(?P<y2>{_Y4}))"),
            ("date", rf"{year_prep}{join}(?P<body>(?P<y1>{_Y4}))"),
            ("date", rf"{month_prep}{join}(?P<body>(?P<m1>{self.full_month}))"),
            ("date", rf"(?P<wd>{weekday})\s*,?\s+{self.md('1')}"),
            ("date", rf"(?P<wd>{weekday})\s*,?\s+{self.dm('1')}"),
            ("date", rf"(?P<wd>{weekday})\s*\(\s*{self.md('1')}\s*\)"),
            ("date", rf"(?P<wd>{weekday})\s*\(\s*{self.dm('1')}\s*\)"),
            ("weekday", rf"(?:(?P<wdm>{mods})\s+)?(?P<wd>{weekday})"),
            ("relative", rf"(?P<rel>{_alt(lex.relative)})"),
        ]
        return out


def _weekday_mods(lex: _Lexicon) -> str:
    return _alt(
        [
            w
            for role, ws in lex.cues.items()
            if role.startswith("weekday_") and role not in ("weekday_cue", "weekday_join")
            for w in ws
        ]
    )


def _vietnamese() -> list[tuple[str, str]]:
    lex = _lexicon("vi")
    dn = _alt(lex.words("day_noun"))
    yn = _alt(lex.words("year_noun"))
    mn = _alt(lex.words("month_noun"))
    word_months = _alt(lex.month_names, names=True)
    month = rf"(?:{mn}\s+{_MNUM}|{word_months})"
    free_weekday = _alt(lex.free_weekdays, names=True)
    cue_weekday = _alt(lex.cue_weekdays, names=True)
    any_weekday = _alt(lex.weekday_names, names=True)
    mods = _weekday_mods(lex)
    conn = rf"(?P<conn>{_DASH}|\s+{_alt(lex.words('range_close'))}\s+)"
    opt_open = rf"(?:(?P<open>{_alt(lex.words('range_open'))})\s+)?"
    opt_dn = rf"(?:{dn}\s+)?"
    weekday_cue = _alt(lex.words("weekday_cue"))
    not_duration = r"(?<!\d)(?<!\d\s)"  # "3 tháng 5 ngày" is a duration

    def num(s: str, year: str = "opt") -> str:
        out = rf"(?P<d{s}>{_DAY})(?:[/-]|\.(?=\d\d?\.\d{{4}}))(?P<m{s}>{_MNUM})"
        y = rf"[/.-](?P<y{s}>{_Y4})"
        return out + (y if year == "req" else f"(?:{y})?")

    def words(s: str, year: str = "opt") -> str:
        out = rf"(?P<d{s}>{_DAY})\s+(?P<m{s}>{month})"
        y = rf"(?:\s*,\s*|\s+(?:{yn}\s+)?)(?P<y{s}>{_Y4})"
        return out + (y if year == "req" else f"(?:{y})?")

    def day(s: str) -> str:
        return rf"(?P<d{s}>{_DAY})"

    month_year_sep = rf"(?:\s*[/.-]\s*|\s*,\s*|\s+(?:{yn}\s+)?)"
    day_prep = _alt(lex.words("day_prep"))
    year_prep = _alt(lex.words("year_prep"))
    rules = [
        opt_open + opt_dn + day("1") + conn + opt_dn + num("2"),
        opt_open + opt_dn + num("1") + conn + opt_dn + num("2"),
        opt_open + opt_dn + day("1") + conn + opt_dn + words("2"),
        opt_open + opt_dn + words("1") + conn + opt_dn + words("2"),
        opt_open
        + not_duration
        + rf"(?P<m1>{month})(?:\s*[/-]\s*(?P<y1>{_Y4}))?"
        + conn
        + rf"(?P<m2>(?:{mn}\s+)?{_MNUM}|{word_months})(?:{month_year_sep}(?P<y2>{_Y4}))?",
        opt_open + rf"{yn}\s+(?P<y1>{_Y4}){conn}(?:{yn}\s+)?(?P<y2>{_Y4})",
        rf"{year_prep}\s+(?P<body>(?P<y1>{_Y4}){_DASH}(?P<y2>{_Y4}))",
        rf"{dn}\s+{num('1')}",
        rf"{dn}\s+{words('1')}",
        rf"{day_prep}\s+(?P<body>{num('1')})",
        rf"{day_prep}\s+(?P<body>{words('1')})",
        num("1", "req"),
        words("1", "req"),
        rf"{not_duration}(?P<m1>{month}){month_year_sep}(?P<y1>{_Y4})",
        rf"{not_duration}(?P<m1>{month})",
        rf"{yn}\s+(?P<y1>{_Y4})",
        rf"{year_prep}\s+(?P<body>(?P<y1>{_Y4}))",
        rf"(?P<wd>{any_weekday})(?:\s*,\s*|\s+)(?:{dn}\s+)?{num('1')}",
        rf"(?P<wd>{any_weekday})(?:\s*,\s*|\s+)(?:{dn}\s+)?{words('1')}",
        rf"(?P<wd>{any_weekday})\s*\(\s*(?:{dn}\s+)?{num('1')}\s*\)",
    ]
    out = [("date", r) for r in rules]
    out += [
        ("weekday", rf"(?P<wd>{free_weekday})(?:\s+(?P<wdm>{mods}))?"),
        ("weekday", rf"{weekday_cue}\s+(?P<body>(?P<wd>{cue_weekday})(?:\s+(?P<wdm>{mods}))?)"),
        ("relative", rf"(?P<rel>{_alt(lex.relative)})"),
    ]
    return out


def _thai() -> list[tuple[str, str]]:
    lex = _lexicon("th")
    dn = _alt(lex.words("day_noun"))
    yn = _alt(lex.words("year_noun"))
    mn = _alt(lex.words("month_noun"))
    era = _alt(lex.words("era_be") + lex.words("era_ce"))
    month = _alt(lex.month_names)
    full_month = _alt(lex.full_months)
    weekday = _alt(lex.weekday_names)
    weekday_join = _alt(lex.words("weekday_join"))
    mods = _weekday_mods(lex)
    conn = rf"(?P<conn>{_DASH}|\s*{_alt(lex.words('range_close'))}\s*)"
    opt_open = rf"(?:(?P<open>{_alt(lex.words('range_open'))})\s*)?"

    def year_after_month(s: str) -> str:
        # a two-digit year only right after an abbreviation's dot or an era word: "19 ก.ย. 68"
        return (
            rf"(?:\s*(?:(?P<e{s}>{era})\s*)?(?P<y{s}>{_Y4})"
            rf"|(?<=\.)\s*(?P<y{s}b>{_Y2})|\s*(?P<e{s}b>{era})\s*(?P<y{s}c>{_Y2}))"
        )

    def dm(s: str) -> str:
        return rf"(?:{dn}\s*)?(?P<d{s}>{_DAY})\s*(?P<m{s}>{month})(?:{year_after_month(s)})?"

    def day(s: str) -> str:
        return rf"(?:{dn}\s*)?(?P<d{s}>{_DAY})"

    def year(s: str) -> str:
        cue = rf"(?:{yn}\s*(?:(?P<e{s}>{era})\s*)?|(?P<e{s}b>{era})\s*)"
        return rf"{cue}(?:(?P<y{s}>{_Y4})|(?P<y{s}b>{_Y2}))"

    def month_year(s: str, year_required: bool) -> str:
        y = year_after_month(s)
        return rf"(?:{mn}\s*)?(?P<m{s}>{month})" + (y if year_required else f"(?:{y})?")

    rules = [
        opt_open + day("1") + conn + dm("2"),
        opt_open + dm("1") + conn + dm("2"),
        opt_open + month_year("1", False) + conn + month_year("2", False),
        opt_open + year("1") + conn + rf"(?:{yn}\s*)?(?:(?P<e2>{era})\s*)?(?:(?P<y2>{_Y4})|(?P<y2b>{_Y2}))",
        dm("1"),
        rf"(?:{dn}\s*)?(?P<d1>{_DAY})/(?P<m1>{_MNUM})/(?:(?P<y1>{_Y4})|(?P<y1b>{_Y2}))",
        month_year("1", True),
        rf"(?:{mn}\s*(?P<m1>{month})|(?P<m1b>{full_month}))",
        year("1"),
        rf"(?P<wd>{weekday})\s*(?:{weekday_join}\s*)?{dm('1')}",
    ]
    out = [("date", r) for r in rules]
    out += [
        ("weekday", rf"(?P<wd>{weekday})(?:\s*(?P<wdm>{mods}))?"),
        ("relative", rf"(?P<rel>{_alt(lex.relative)})"),
    ]
    return out


@functools.cache
def _rules(lang: str) -> tuple[_Rule, ...]:
    """Compiled patterns for ``lang``, most specific first (the order breaks ties of equal length)."""
    english = _English()
    if lang == "en":
        raw = english.rules()
    else:
        raw = (_vietnamese() if lang == "vi" else _thai()) + [("date", r) for r in english.month_rules()]
    return tuple(_Rule(re.compile(_scanned(pattern)), kind) for kind, pattern in raw)


class _Unknown(Exception):
    """A part of a parsed pattern that ``_guard`` does not analyse."""


_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _char_class(items: list[tuple[object, object]]) -> tuple[bool, str]:
    """A parsed character class (``IN``) written back: (negated, the body between the brackets)."""
    negated, body = False, []
    for op, av in items:
        if op is sre.NEGATE:
            negated = True
        elif op is sre.LITERAL:
            body.append(re.escape(chr(av)))  # type: ignore[arg-type]
        elif op is sre.RANGE:
            low, high = av  # type: ignore[misc]
            body.append(f"{re.escape(chr(low))}-{re.escape(chr(high))}")
        elif op is sre.CATEGORY and av in _CATEGORIES:
            body.append(_CATEGORIES[av])
        else:
            raise _Unknown(op)
    return negated, "".join(body)


#: How many characters of a match the lookahead of ``_guarded`` checks.
GUARD = 3


class _Rest:
    """What is left of a parsed pattern to match: an item, with its case-insensitivity, then the rest.

    ``key`` identifies it for the closure in ``_consuming`` (the items hold lists, and a repeat's
    remaining count is part of what is left)."""

    __slots__ = ("item", "case", "rest", "key")

    def __init__(self, item: tuple[object, object], case: bool, rest: _Rest | None) -> None:
        op, av = item
        self.item, self.case, self.rest = item, case, rest
        ident = (op, av[0], av[1], id(av[2])) if op in _REPEATS else id(item)  # type: ignore[index]
        self.key: tuple[object, ...] = (ident, case, rest.key if rest else None)


def _chain(items: Iterable[tuple[object, object]], case: bool, rest: _Rest | None) -> _Rest | None:
    """``items``, then ``rest``."""
    for item in reversed(list(items)):
        rest = _Rest(item, case, rest)
    return rest


def _consuming(states: Iterable[_Rest | None]) -> list[_Rest | None]:
    """The states reachable from ``states`` without a character whose first item takes one; None if
    the match can end. Assertions are skipped (they take nothing): too wide, never too narrow."""
    out: list[_Rest | None] = []
    todo, seen = list(states), set()
    while todo:
        state = todo.pop()
        if state is None:
            out.append(state)
            continue
        if state.key in seen:
            continue
        seen.add(state.key)
        (op, av), case, rest = state.item, state.case, state.rest
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
            out.append(state)
        elif op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            todo.append(rest)
        elif op is sre.BRANCH:
            todo.extend(_chain(branch, case, rest) for branch in av[1])  # type: ignore[index]
        elif op is sre.SUBPATTERN:
            _, add, remove, sub = av  # type: ignore[misc]
            inner = (case or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            todo.append(_chain(sub, inner, rest))
        elif op is sre.ATOMIC_GROUP:
            todo.append(_chain(av, case, rest))  # type: ignore[arg-type]
        elif op in _REPEATS:
            low, high, sub = av  # type: ignore[misc]
            if low == 0:
                todo.append(rest)
            if high != 0:
                again = (op, (max(low - 1, 0), high if high is sre.MAXREPEAT else high - 1, sub))
                todo.append(_chain(sub, case, _Rest(again, case, rest)))
        else:
            raise _Unknown(op)
    return out


def _char(item: tuple[object, object], case: bool) -> tuple[bool, bool, str] | None:
    """The one character a parsed item takes as (case-insensitive, negated, class body); None: any."""
    op, av = item
    if op is sre.ANY:
        return None
    if op is sre.IN:
        return (case, *_char_class(av))  # type: ignore[arg-type]
    return case, op is sre.NOT_LITERAL, re.escape(chr(av))  # type: ignore[arg-type]


def _char_pattern(chars: set[tuple[bool, bool, str]]) -> str:
    """One character of any of ``chars``: their plain classes merged, per case setting."""
    classes = {(case, f"[^{body}]") for case, negated, body in chars if negated}
    for ignore_case in (False, True):
        body = "".join(sorted({b for case, negated, b in chars if case == ignore_case and not negated}))
        if body:
            classes.add((ignore_case, f"[{body}]"))
    alternatives = [f"(?i:{c})" if case else f"(?-i:{c})" for case, c in sorted(classes)]
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"


def _guard_offsets(parsed: sre_parse.SubPattern, ignore_case: bool) -> list[str]:
    """One character pattern for each of the first ``GUARD`` characters every match of a parsed
    pattern starts with: at each offset, the characters the pattern can take there, over all its
    paths; fewer (none) where a match may end or take any character."""
    states = _consuming([_chain(parsed, ignore_case, None)])
    offsets = []
    for _ in range(GUARD):
        if None in states:  # a match may end here
            break
        chars = {_char(state.item, state.case) for state in states if state is not None}
        if None in chars:
            break
        offsets.append(_char_pattern(chars))  # type: ignore[arg-type]
        states = _consuming(state.rest for state in states if state is not None)
    return offsets


def _guard(parsed: sre_parse.SubPattern, ignore_case: bool) -> str:
    """A lookahead for the first ``GUARD`` characters every match of a parsed pattern starts with
    (:func:`_guard_offsets`); "" if none."""
    offsets = _guard_offsets(parsed, ignore_case)
    return f"(?={''.join(offsets)})" if offsets else ""


@functools.cache  # the English month rules serve every language
def _guarded(pattern: str, flags: int = 0) -> str:
    """``pattern`` behind a lookahead for the first characters of its matches.

    A search tries a pattern at every position, and the long alternations of names make each try
    costly; the lookahead turns most positions away after a few character tests. The matches are the
    same: a pattern the analysis does not understand, or that can match nothing, is left as it is.
    """
    parsed = sre_parse.parse(pattern, flags)
    try:
        guard = _guard(parsed, bool(parsed.state.flags & re.IGNORECASE))
    except _Unknown:
        guard = ""
    return f"{guard}(?:{pattern})" if guard else pattern


#: The group of a pattern made by :func:`_scanned` that holds the whole match.
WHOLE = "whole"
#: A first-character class larger than this is not worth a scan (a negated class, say).
_MAX_FIRST_CHARS = 2000


@functools.cache
def _plane_zero() -> str:
    """Every character of the Basic Multilingual Plane, once each."""
    return "".join(map(chr, range(0x10000)))


#: A class of characters (``\d``, ``\w``, ``\s`` or their negations) that reaches beyond plane 0.
_CATEGORY = re.compile(r"\\[dDwWsS]")


@functools.cache
def _first_characters(piece: str) -> str | None:
    """The body of a plain class of exactly the characters the one-character pattern ``piece``
    matches, found by trying every character (case-insensitive matching has equivalents nobody
    would list: ``ſ`` for ``s``, the Kelvin sign for ``k``); None when there are too many.

    The planes above the first are tried only for a class of characters or a piece that lists one
    of theirs: case-insensitive matching never crosses between plane 0 and the others.
    """
    chars = re.findall(piece, _plane_zero())
    if _CATEGORY.search(piece) or any(ord(ch) > 0xFFFF for ch in piece):
        chars += re.findall(piece, "".join(map(chr, range(0x10000, sys.maxunicode + 1))))
    if not chars or len(chars) > _MAX_FIRST_CHARS:
        return None
    return "".join(map(re.escape, chars))


@functools.cache
def _scanned(pattern: str, flags: int = 0) -> str:
    """``pattern`` (compiled with ``flags``) rewritten so that a search skips, in C, every position
    where no match can start; compile it without flags. Its matches are one character long: the
    first character of a match, with the match itself, guarded (:func:`_guarded`), in group
    :data:`WHOLE`, looked for from there.

    A search tries a pattern at every position, and even the lookahead of ``_guarded`` costs a
    call of the matcher at each; a pattern that starts with a plain class is searched by a scan
    for the characters of the class instead (the rules' searches in a Vietnamese article's date
    windows 1.13 -> 0.83 ms). ``search(text, pos, endpos)`` finds the same matches as the pattern itself, whole
    in ``WHOLE``: the first starting at or after ``pos``, the same alternative at that start.
    A pattern whose matches may start with any character is only wrapped in the group.
    """
    inner = f"(?i:{pattern})" if flags & re.IGNORECASE else pattern
    flags &= ~re.IGNORECASE
    try:
        parsed = sre_parse.parse(inner, flags)
        offsets = _guard_offsets(parsed, False)
    except _Unknown:
        offsets = []
    first = _first_characters(offsets[0]) if offsets else None
    if first is None:
        return f"(?P<{WHOLE}>{inner})"
    guarded = f"(?={''.join(offsets)})(?:{inner})"
    return f"[{first}](?<=(?=(?P<{WHOLE}>{guarded})).)"


# --------------------------------------------------------------------------------------------------
# Interpretation


def _group(gd: dict[str, str | None], key: str) -> str | None:
    """A group that may be spelt in alternatives: ``y1``, ``y1b``, ``y1c``."""
    for name in (key, key + "b", key + "c"):
        if gd.get(name) is not None:
            return gd[name]
    return None


def _month(text: str | None, lex: _Lexicon, en: _Lexicon) -> int | None:
    if text is None:
        return None
    if digits := _DIGITS.search(text):
        number = int(digits.group())
        return number if 1 <= number <= 12 else None
    key = _fold(text)
    return lex.months.get(key) or en.months.get(key)


def _year(text: str | None, era: str | None, lex: _Lexicon) -> int | None:
    if text is None:
        return None
    year = int(text)
    role = lex.roles.get(_fold(era)) if era else None
    if len(text) == 2:  # Thai two-digit year: Buddhist era 25xx unless marked ค.ศ.
        year = 2000 + year if role == "era_ce" else 2500 + year - 543
    elif role == "era_be" or (role != "era_ce" and year > 2400):
        year -= 543
    return year if 1000 <= year <= 2400 else None


def _day_ok(year: int, month: int, day: int | None) -> bool:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return False
    return True


def _nearest_year(month: int, day: int | None, ref: dt.date, weekday: int | None) -> int | None:
    """The year that puts month/day nearest to ``ref`` (ties: the earlier one)."""
    for span in (1, 4):  # 29 February may need a wider search
        candidates = []
        for year in range(ref.year - span, ref.year + span + 1):
            if not _day_ok(year, month, day):
                continue
            if day is None:
                distance = abs((year * 12 + month) - (ref.year * 12 + ref.month))
                candidates.append((distance, year, True))
            else:
                date = dt.date(year, month, day)
                candidates.append((abs((date - ref).days), year, date.isoweekday() == weekday))
        if candidates:
            if weekday is not None and any(c[2] for c in candidates):
                candidates = [c for c in candidates if c[2]]
            return min(candidates)[1]
    return None


def _iso(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


_Value = tuple[str | None, str | None, str, bool]


class _Impossible(ValueError):
    """The text has the shape of a date that does not exist (31 February, month 13): no match inside it."""


def _calendar(gd: dict[str, str | None], lex: _Lexicon, en: _Lexicon, ref: dt.date | None) -> _Value | None:
    """Value of a calendar date or range, or None; raises ``_Impossible`` for 31 February, month 13 ..."""
    y1 = _year(_group(gd, "y1"), _group(gd, "e1"), lex)
    y2 = _year(_group(gd, "y2"), _group(gd, "e2"), lex)
    m1, m2 = _month(_group(gd, "m1"), lex, en), _month(_group(gd, "m2"), lex, en)
    d1, d2 = (int(v) if (v := _group(gd, k)) else None for k in ("d1", "d2"))
    if any(
        _group(gd, k) is not None and v is None for k, v in (("y1", y1), ("y2", y2), ("m1", m1), ("m2", m2))
    ):
        raise _Impossible
    is_range = any(v is not None for v in (d2, m2, y2))
    if is_range:
        if m1 is None and d1 is not None:  # "10-14 November"
            m1 = m2
        if m2 is None and d2 is not None:  # "November 10-14"
            m2 = m1
        if (m1 is None) != (m2 is None) or (d1 is None) != (d2 is None):
            return None
    if m1 is None and y1 is None:
        return None
    for month, day in ((m1, d1), (m2, d2)):
        if month is not None and not _day_ok(2000, month, day):  # 2000 is a leap year
            raise _Impossible
    key1, key2 = (m1 or 0, d1 or 0), (m2 or 0, d2 or 0)
    if is_range and y1 is None and y2 is not None:
        y1 = y2 - 1 if key1 > key2 else y2
    relative = y1 is None
    if y1 is None:
        if ref is None:
            return None, None, "", True
        assert m1 is not None  # a date without a year has a month
        y1 = _nearest_year(m1, d1, ref, _weekday_number(gd, lex, en))
        if y1 is None:
            return None
    if is_range and y2 is None:
        y2 = y1 + 1 if key2 < key1 else y1
    if m1 is not None and not _day_ok(y1, m1, d1):
        raise _Impossible
    precision = "day" if d1 is not None else "month" if m1 is not None else "year"
    end_value = None
    if is_range:
        assert y2 is not None
        if m2 is not None and not _day_ok(y2, m2, d2):
            raise _Impossible
        if (y2, *key2) < (y1, *key1):
            return None
        end_value = _iso(y2, m2, d2)
    return _iso(y1, m1, d1), end_value, precision, relative


def _weekday_number(gd: dict[str, str | None], lex: _Lexicon, en: _Lexicon) -> int | None:
    name = gd.get("wd")
    if name is None:
        return None
    key = _fold(name)
    return lex.weekdays.get(key) or en.weekdays.get(key)


def _weekday(gd: dict[str, str | None], lex: _Lexicon, en: _Lexicon, ref: dt.date | None) -> _Value | None:
    weekday = _weekday_number(gd, lex, en)
    if weekday is None:
        return None
    if ref is None:
        return None, None, "", True
    mod = _group(gd, "wdm")
    role = (lex.roles.get(_fold(mod)) or en.roles.get(_fold(mod))) if mod else None
    today = ref.isoweekday()
    if role == "weekday_before":
        delta = -(((today - weekday - 1) % 7) + 1)
    elif role == "weekday_after":
        delta = ((weekday - today - 1) % 7) + 1
    elif role in ("weekday_prev_week", "weekday_this_week", "weekday_next_week"):
        week = {"weekday_prev_week": -1, "weekday_this_week": 0, "weekday_next_week": 1}[role]
        delta = 7 * week + weekday - today
    else:
        delta = -((today - weekday) % 7)
    return (ref + dt.timedelta(days=delta)).isoformat(), None, "day", True


def _relative(gd: dict[str, str | None], lex: _Lexicon, ref: dt.date | None) -> _Value | None:
    unit, offset = lex.relative[_fold(gd["rel"] or "")]
    if ref is None:
        return None, None, "", True
    if unit == "day":
        return (ref + dt.timedelta(days=offset)).isoformat(), None, "day", True
    if unit == "month":
        index = ref.year * 12 + ref.month - 1 + offset
        return _iso(index // 12, index % 12 + 1, None), None, "month", True
    return _iso(ref.year + offset, None, None), None, "year", True


def _range_ok(gd: dict[str, str | None], lex: _Lexicon, en: _Lexicon) -> bool:
    """A word closing a range needs its own opener ("from … to", "between … and"); a dash does not."""
    conn = gd.get("conn")
    if conn is None or re.fullmatch(_DASH, conn):
        return True
    pair = (_fold(gd.get("open") or ""), _fold(conn))
    return pair in lex.ranges or pair in en.ranges


# --------------------------------------------------------------------------------------------------
# API


#: Characters searched around each anchor: enough for the longest date expression and its cues.
WINDOW = 120


@functools.cache
def _anchors(lang: str) -> re.Pattern[str]:
    """What every date expression holds: a digit, a month or weekday name, or a relative phrase."""
    lex, en = _lexicon(lang), _lexicon("en")
    relative = [r["phrase"] for r in _read_tsv("relative.tsv") if r["lang"] in (lang, "en")]
    words = lex.month_names + en.month_names + lex.weekday_names + en.weekday_names + tuple(relative)
    # a plain alternation (no word boundaries): anchors may over-reach, windows are only where to look
    variants = {unicodedata.normalize(nf, w.rstrip(".")) for w in words for nf in ("NFC", "NFD") if w.strip(".")}
    alternatives = "|".join(re.escape(w) for w in sorted(variants, key=len, reverse=True))
    return re.compile(rf"\d|{_guarded(alternatives, re.IGNORECASE)}", re.IGNORECASE)


def _windows(norm: str, lang: str) -> list[tuple[int, int]]:
    """The stretches of text around anchors (merged): the only places a date can be."""
    out: list[tuple[int, int]] = []
    for m in _anchors(lang).finditer(norm):
        start, end = max(0, m.start() - WINDOW), min(len(norm), m.end() + WINDOW)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


@functools.cache
def _decade(lang: str) -> re.Pattern[str] | None:
    """A decade word ending the text before a year ("những năm 1990"), or None."""
    words = _lexicon(lang).words("decade")
    return re.compile(rf"{_alt(words)}\s*$") if words else None


@dataclass(frozen=True)
class _Hit:
    """A rule's match that passed every check not depending on the reference date."""

    order: int  # the rule's index: breaks ties between equal spans
    kind: str
    start: int
    end: int
    groups: dict[str, str | None]


class DateScan:
    """The date expressions of one text before their values are worked out.

    Matching is the costly part and does not depend on the reference date, so one scan serves
    several references: ``DateScan(text, lang).resolve(reference)`` is ``find_dates``.
    """

    def __init__(self, text: str, lang: str) -> None:
        if lang not in LANGS:
            raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")
        self.text, self.lang = text, lang
        self.hits = _scan(text, lang)

    def resolve(self, reference: str | None = None) -> list[DateMatch]:
        """All date expressions, in order, non-overlapping (the longest wins), valued against ``reference``."""
        ref = dt.date.fromisoformat(reference[:10]) if reference else None
        lex, en = _lexicon(self.lang), _lexicon("en")
        found: dict[tuple[int, int], tuple[int, DateMatch]] = {}
        impossible: list[tuple[int, int]] = []
        for hit in self.hits:
            start, end = hit.start, hit.end
            if (start, end) in found:
                continue
            if hit.kind == "relative":
                value = _relative(hit.groups, lex, ref)
            elif hit.kind == "weekday":
                value = _weekday(hit.groups, lex, en, ref)
            else:
                try:
                    value = _calendar(hit.groups, lex, en, ref)
                except _Impossible:
                    impossible.append((start, end))
                    continue
            if value is not None:
                found[(start, end)] = (hit.order, DateMatch(self.text[start:end], start, end, *value))
        chosen: list[DateMatch] = []
        taken: list[tuple[int, int]] = []
        for (start, end), (_, match) in sorted(
            found.items(), key=lambda kv: (kv[0][0] - kv[0][1], kv[0][0], kv[1][0])
        ):
            inside_impossible = any(s <= start and end <= e and (s, e) != (start, end) for s, e in impossible)
            if not inside_impossible and all(end <= s or start >= e for s, e in taken):
                chosen.append(match)
                taken.append((start, end))
        return sorted(chosen, key=lambda match: match.start)


def _scan(text: str, lang: str) -> list[_Hit]:
    """Every rule's matches in the windows, in rule order, without those that are part of a number,
    a range closed by a word without its opener, or a decade."""
    lex, en = _lexicon(lang), _lexicon("en")
    norm = normalise_digits(text)
    decade = _decade(lang)
    hits: list[_Hit] = []
    windows = _windows(norm, lang)
    for order, rule in enumerate(_rules(lang)):
        for window_start, window_end in windows:
            pos = window_start
            while (m := rule.pattern.search(norm, pos, window_end)) is not None:
                pos = m.start() + 1
                gd = m.groupdict()
                del gd[WHOLE]
                start, end = m.span("body") if gd.get("body") is not None else m.span(WHOLE)
                if norm[start].isdigit() and _BAD_LEFT.search(norm, max(0, start - 2), start):
                    continue
                if _BAD_RIGHT.match(norm, end):
                    continue
                if rule.kind == "relative":
                    if _NUMBER_BEFORE.search(norm, max(0, start - 20), start):
                        continue
                elif rule.kind == "date":
                    if not _range_ok(gd, lex, en):
                        continue
                    if decade and _group(gd, "m1") is None and decade.search(norm, max(0, start - 40), start):
                        continue
                hits.append(_Hit(order, rule.kind, start, end, gd))
    return hits


def find_dates(text: str, lang: str, reference: str | None = None) -> list[DateMatch]:
    """All date expressions in ``text``, in order, non-overlapping (the longest wins).

    ``lang`` is "en", "vi" or "th"; ``reference`` is the document's date (ISO ``YYYY-MM-DD``) used to
    resolve missing years, weekdays and relative days, or None.
    """
    return DateScan(text, lang).resolve(reference)
