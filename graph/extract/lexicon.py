"""Word lists and gazetteers, loaded once from the data files in ``graph/data``.

* ``lexicon/<lang>.tsv``: categories of words (organisation heads, titles, stop words ...).
* ``countries.tsv`` plus the CLDR territory names of babel in en, vi and th.
* ``places.tsv``: cities and US states with English, Vietnamese and Thai names (GeoNames).
* ``organizations.tsv``: international organisations known to every newsroom.
"""

from __future__ import annotations

import csv
import functools
import unicodedata
from dataclasses import dataclass
from importlib import resources

from babel import Locale

LANGS = ("en", "vi", "th")
#: Prefixes that Thai and Vietnamese put before a city name ("นครนิวยอร์ก", "Thành phố Huế").
CITY_PREFIXES = ("นคร", "กรุง", "เมือง", "Thành phố ", "Thủ đô ")
#: CLDR territory codes that are not countries (groupings, pseudo-regions).
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


def data_path(*parts: str):
    return resources.files("graph").joinpath("data", *parts)


def read_tsv(*parts: str) -> list[dict[str, str]]:
    """Rows of a TSV data file with a header line; ``#`` lines are comments."""
    with data_path(*parts).open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@functools.cache
def lexicon(lang: str) -> dict[str, tuple[str, ...]]:
    """Category -> terms for ``lang``, longest first (so that longest matches win)."""
    out: dict[str, list[str]] = {}
    for row in read_tsv("lexicon", f"{lang}.tsv"):
        out.setdefault(row["category"], []).append(row["term"])
    return {k: tuple(sorted(set(v), key=lambda t: (-len(t), t))) for k, v in out.items()}


def terms(lang: str, category: str) -> tuple[str, ...]:
    return lexicon(lang).get(category, ())


@functools.lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Case-, diacritic- and spacing-insensitive key (Thai marks are kept: they change the word)."""
    text = unicodedata.normalize("NFC", text).casefold().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    kept = [
        ch
        for ch in decomposed
        if not (unicodedata.combining(ch) and not ("\u0e00" <= ch <= "\u0e7f"))
    ]
    return " ".join("".join(kept).replace("-", " ").split())


@dataclass(frozen=True)
class GazetteerEntry:
    kind: str  # Country | Place | Organization
    key: str  # ISO code, place id or organisation id
    label: str  # canonical English name
    country: str = ""  # ISO code of the country a place is in


@functools.cache
def country_names() -> dict[str, str]:
    """ISO alpha-2 code -> English CLDR name, for every country."""
    en = Locale.parse("en").territories
    return {
        code: name
        for code, name in en.items()
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in NOT_COUNTRIES
    }


@functools.cache
def gazetteer() -> dict[str, GazetteerEntry]:
    """Surface form -> entry, for countries, places and international organisations in all languages.

    Exact surface forms are keys; ``lookup`` also tries a case-folded key for longer names.
    """
    entries: dict[str, GazetteerEntry] = {}
    countries = country_names()
    languages = _NAME_LANGUAGES

    def add(name: str, entry: GazetteerEntry, override: bool = False, lang: str = "") -> None:
        name = unicodedata.normalize("NFC", name.strip())
        if name and (override or name not in entries):
            entries[name] = entry
        if name and lang:
            languages.setdefault(name, set()).add(lang)

    # Places first, so that a country name always wins over a city of the same name.
    labels: dict[str, str] = {}
    for row in read_tsv("places.tsv"):
        if row["lang"] == "en":
            labels.setdefault(row["id"], row["name"])
    for row in read_tsv("places.tsv"):
        entry = GazetteerEntry("Place", row["id"], labels.get(row["id"], row["name"]), row["country"])
        name = unicodedata.normalize("NFC", row["name"].strip())
        # a name shared with a city abroad is Vietnam's place here ("Mai Châu", Meizhou's Vietnamese name)
        vietnamese = row["country"] == "VN" and name in entries and entries[name].country != "VN"
        add(row["name"], entry, override=vietnamese, lang=row["lang"])
        for prefix in CITY_PREFIXES:
            if row["name"].startswith(prefix) and len(row["name"]) > len(prefix) + 2:
                add(row["name"][len(prefix) :], entry)
    for row in read_tsv("organizations.tsv"):
        labels.setdefault(row["id"], row["name"])
        add(row["name"], GazetteerEntry("Organization", row["id"], labels[row["id"]]), override=True, lang=row["lang"])
    for lang in LANGS:
        for code, name in Locale.parse(lang).territories.items():
            if code in countries:
                add(name, GazetteerEntry("Country", code, countries[code]), override=True, lang=lang)
    for row in read_tsv("countries.tsv"):
        entry = GazetteerEntry("Country", row["iso"], countries[row["iso"]])
        add(row["name"], entry, override=True, lang=row["lang"])
    return entries


#: Gazetteer name -> the languages it is a name in (filled by :func:`gazetteer`).
_NAME_LANGUAGES: dict[str, set[str]] = {}


def foreign_name(surface: str, lang: str) -> bool:
    """A Latin-script name known only in another language: "Anh" (United Kingdom in Vietnamese) is
    a given name in English text ("Lan Anh Nguyen"), not a country."""
    gazetteer()
    langs = _NAME_LANGUAGES.get(unicodedata.normalize("NFC", surface.strip()))
    return bool(langs) and lang not in langs and "en" not in langs and surface.isascii()


@functools.cache
def _folded_gazetteer() -> dict[str, GazetteerEntry]:
    return {fold(name): entry for name, entry in gazetteer().items() if len(name) >= 5}


@functools.cache
def first_words() -> frozenset[str]:
    """The folded first word of every gazetteer name: a Latin n-gram starting otherwise is no name."""
    return frozenset(key.split()[0] for key in (fold(name) for name in gazetteer()) if key)


@functools.cache
def name_prefixes() -> frozenset[str]:
    """Every prefix of every folded gazetteer name: text whose fold begins no name is no name."""
    return frozenset(key[:n] for key in (fold(name) for name in gazetteer()) for n in range(1, len(key) + 1))


def lookup(surface: str) -> GazetteerEntry | None:
    """The gazetteer entry of a surface form, exact first, then case/diacritic-insensitively."""
    surface = surface.strip()
    entry = gazetteer().get(surface)
    if entry is None and len(surface) >= 5:
        entry = _folded_gazetteer().get(fold(surface))
    return entry


def country_of(surface: str) -> str | None:
    entry = lookup(surface)
    return entry.key if entry and entry.kind == "Country" else None
