"""Relations between the entities of one document, each traced to the sentence that states it.

* ``holdsPosition`` person -> organisation/country, with the title as written: a title or position
  word next to the person's name whose phrase names the organisation ("Tran Hoang, Director of the
  Copyright Office", "Đại sứ Hàn Quốc tại Việt Nam Park Noh Wan", "NAME ประธาน ORG"); or an
  affiliation ("Professor X from the Y", "ศาสตราจารย์ X จาก Y").
* ``memberOf`` organisation -> organisation ("X, a unit under the Y", "X - Y", "X ของ Y"), a local
  branch -> its parent, person -> organisation ("a member of the Y").
* ``basedIn`` organisation -> country named in its own name or possessive ("the RoK's X"), a
  branch -> its country, organisations listed with their country ("A, B and other universities in
  the US", "leading Korean media such as A and B").
* ``locatedIn`` place -> country it lies in (gazetteer), when the document names that country.
* ``partnerOf`` organisations that cooperate, sign or organise together.

Cue phrases are data: ``graph/data/relations/cues.tsv``; titles come from the lexicons.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from ..model import DocExtraction, Entity, Relation
from .lexicon import fold, read_tsv, terms
from .text import token_bounds

ORG_KINDS = ("Organization",)
HOLDER_KINDS = ("Organization", "Country")
MAX_TITLE_CHARS = 90


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity: Entity
    sentence: int


@functools.cache
def cues(lang: str, relation: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(row["cue"], re.IGNORECASE) for row in read_tsv("relations", "cues.tsv")
                 if row["lang"] == lang and row["relation"] == relation)


@functools.cache
def title_pattern(lang: str) -> re.Pattern:
    words = sorted(set(terms(lang, "title") + terms(lang, "position")), key=len, reverse=True)
    if lang == "th":  # no spaces between Thai words: a match may lie inside one (see _positions)
        return re.compile("(?:" + "|".join(re.escape(w) for w in words) + ")")
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def find_relations(doc: Doc, result: DocExtraction) -> list[Relation]:
    text = result.doc.text
    lang = result.doc.lang
    spans = sorted(
        (Span(m.start, m.end, e, m.sentence) for e in result.entities for m in e.mentions),
        key=lambda s: (s.start, -s.end),
    )
    by_sentence: dict[int, list[Span]] = {}
    for s in spans:
        by_sentence.setdefault(s.sentence, []).append(s)
    # Thai titles are found in running text: only one that starts a word is one ("นาย", Mr., is in
    # "มิถุนายน", June)
    word_starts = token_bounds(doc)[0] if lang == "th" else None
    countries = {e.attrs["iso"]: e for e in result.entities if e.kind == "Country" and "iso" in e.attrs} \
        if lang == "en" else None
    ministries = {fold(a): e for e in result.entities if e.kind in ORG_KINDS for a in e.aliases
                  if a.startswith("Ministry of ")} if lang == "en" else None
    out: list[Relation] = []
    for sentence, items in by_sentence.items():
        top = [s for s in items if not any(o is not s and o.start <= s.start and s.end <= o.end
                                           and (o.start, o.end) != (s.start, s.end) for o in items)]
        out += _positions(text, lang, top, sentence, word_starts, countries, ministries)
        out += _pairs(text, lang, top, sentence, result)
        out += _nested(text, lang, items, sentence)
        out += _listed(text, lang, top, sentence, countries)
    out += _from_attributes(result)
    return _dedupe(out)


def _positions(text: str, lang: str, spans: list[Span], sentence: int,
               word_starts: frozenset[int] | None = None, countries: dict[str, Entity] | None = None,
               ministries: dict[str, Entity] | None = None) -> list[Relation]:
    """A title phrase next to a person that names an organisation or a country (``word_starts``:
    where the words of a language written without spaces start; a title starts at one of them).
    In English, a nationality before the title names the country (``countries``: the document's,
    by ISO code): "French Ambassador to Vietnam NAME" holds a post of France, which the document
    must name. An English minister's title names the ministry (``ministries``: the document's, by
    folded name): "Minister of Culture, Sports and Tourism NAME" holds a post in the "Ministry of
    Culture, Sports and Tourism" the document names."""
    out = []
    titles = title_pattern(lang)
    for i, p in enumerate(spans):
        if p.entity.kind != "Person":
            continue
        # after the name: "NAME, Director of the X" / "NAME ประธาน VFDA"
        after = [s for s in spans[i + 1 :] if s.start - p.end <= MAX_TITLE_CHARS]
        lead = text[p.end : after[0].start] if after else ""
        m = re.match(r"\s*(?:,|-|–|—)?\s*(?:the\s+)?", lead)  # "NAME, Director of", "NAME - Phó Cục trưởng"
        rest_start = p.end + (m.end() if m else 0)
        title_start, nationality = rest_start, None
        if countries and (d := _nationality_at(text, rest_start, countries)):  # "NAME, French Ambassador to X"
            rest_start, nationality = d
        if titles.match(text, rest_start):
            for s in after:
                if s.entity.kind == "Person":
                    break
                if s.entity.kind not in HOLDER_KINDS:
                    continue
                title = text[title_start : s.end].strip(" ,")
                if re.search(r"[.;|()\n]", title[: s.start - title_start]):
                    break
                if nationality is None and _posting(text, rest_start, s):
                    continue  # "Ambassador to Vietnam": where the post is, not whose it is
                holder = nationality.id if nationality is not None else s.entity.id
                out.append(Relation(p.entity.id, "holdsPosition", holder, sentence, title, "title-after"))
                break
        # before the name: "Đại sứ Hàn Quốc tại Việt Nam Park Noh Wan" / "Chairman Le Quoc Minh"
        window_start = max(0, p.start - MAX_TITLE_CHARS)
        window = text[window_start : p.start]
        found = None
        for t in titles.finditer(window):
            phrase_start = window_start + t.start()
            if word_starts is not None and phrase_start not in word_starts:
                continue
            if ministries and (ministry := _ministry_of(text[phrase_start : p.start], ministries)):
                found = (phrase_start, ministry)  # "Minister of Culture, Sports and Tourism NAME": its commas
                break
            inside = [s for s in spans if phrase_start <= s.start and s.end <= p.start]
            # punctuation, or "and" outside the names: the phrase is another person's ("... และนาย NAME")
            crossed = re.search(r"[,.;|()\n:]|\sและ|\band\b|\svà\s", _outside(text, phrase_start, p.start, inside))
            if any(s.entity.kind == "Person" for s in inside) or crossed:
                continue
            if any(s.entity.kind == "Person" and 0 <= phrase_start - s.end <= 3
                   and not re.search(r"[;.\n]", text[s.end : phrase_start]) for s in spans):
                break  # the phrase describes the person right before it ("NAME TITLE ... NAME2"), not after a ";"
            if countries and (d := _nationality_before(text, phrase_start, countries)):
                found = d  # "French Ambassador to Vietnam NAME": France's
                break
            holders = [s for s in inside if s.entity.kind in HOLDER_KINDS and not _posting(text, phrase_start, s)]
            if holders:
                found = (phrase_start, holders[0].entity)
                break
        if found:
            phrase_start, holder = found
            title = text[phrase_start : p.start].strip()
            out.append(Relation(p.entity.id, "holdsPosition", holder.id, sentence, title, "title-before"))
        elif lang != "th" and (owner := _owner_before_title(text, titles, spans, p)) is not None:
            holder, title = owner
            out.append(Relation(p.entity.id, "holdsPosition", holder.entity.id, sentence, title, "owner-title"))
        elif lang == "vi" and (led := _led_by(text, titles, spans, p)) is not None:
            holder, title = led
            out.append(Relation(p.entity.id, "holdsPosition", holder.entity.id, sentence, title, "title-led-by"))
        # "led by its Chairman NAME": the organisation before "its"
        its = re.search(r"\bits\s+(\w[\w-]*(?:\s\w[\w-]*)?)\s*$", text[max(0, p.start - 40) : p.start])
        if its and titles.match(its.group(1)):
            orgs = [s for s in spans if s.end <= p.start and s.entity.kind in ORG_KINDS]
            if orgs:
                out.append(Relation(p.entity.id, "holdsPosition", orgs[-1].entity.id, sentence,
                                    its.group(1), "title-its"))
    return out


#: Where a title's phrase names the post, not its holder: "Ambassador to Vietnam", "Đại sứ ... tại Việt Nam".
_POSTING = re.compile(r"(?:\b(?:to|in)|(?<!\w)(?:tại|ở)|ประจำ)\s*(?:the\s+)?$")


def _posting(text: str, phrase_start: int, holder: Span) -> bool:
    """The title's phrase (from ``phrase_start``) names ``holder`` as where the post is."""
    return _POSTING.search(text, phrase_start, holder.start) is not None


#: An English word that may be a nationality, and the space after it.
_NATIONALITY = re.compile(r"([A-Z][a-z]+(?: [A-Z][a-z]+)?|U\.?S\.?|UK) ")


def _nationality_at(text: str, start: int, countries: dict[str, Entity]) -> tuple[int, Entity] | None:
    """(where the title starts, the country) for a nationality at ``start`` of a country the document names."""
    m = _NATIONALITY.match(text, start)
    if m is None:
        return None
    for name in (m.group(1), m.group(1).split()[0]):
        iso = demonyms().get(name)
        if iso in countries:
            return start + m.group().index(name) + len(name) + 1, countries[iso]
    return None


def _nationality_before(text: str, start: int, countries: dict[str, Entity]) -> tuple[int, Entity] | None:
    """(where the nationality starts, the country) for "NATIONALITY " right before ``start``."""
    before = text[max(0, start - 20) : start]
    for name, iso in demonyms().items():
        if iso in countries and before.endswith(name + " ") and not before[: -len(name) - 1][-1:].isalnum():
            return start - len(name) - 1, countries[iso]
    return None


_MINISTER_OF = re.compile(r"^(?:(?:Deputy|Vice|Acting|Former|former) )?Minister of ([^.;:()\n]+?)\s*$")


def _ministry_of(title: str, ministries: dict[str, Entity]) -> Entity | None:
    """The ministry a "(Deputy) Minister of FIELDS" title names, among the document's."""
    m = _MINISTER_OF.search(title)
    return ministries.get(fold("Ministry of " + m.group(1))) if m else None


#: " do TITLE " right before a name: "Đoàn ... của ORG do Thứ trưởng NAME dẫn đầu".
_LED_BY = re.compile(r" do (?P<title>[^,.;:()\n]{2,30}) $")


def _led_by(text: str, titles: re.Pattern, spans: list[Span], person: Span) -> tuple[Span, str] | None:
    """"Đoàn công tác của Bộ X do Thứ trưởng NAME dẫn đầu" (a delegation of X led by its deputy
    minister NAME): the organisation right before "do" and the title (Vietnamese)."""
    m = _LED_BY.search(text, max(0, person.start - 40), person.start)
    if m is None or not titles.fullmatch(m.group("title")):
        return None
    return next(((s, m.group("title")) for s in spans if s.end == m.start() and _is_org(s)), None)


def _owner_before_title(text: str, titles: re.Pattern, spans: list[Span], person: Span) -> tuple[Span, str] | None:
    """"KOFIC Chairman Park Ki-yong", "Vietnam's Ambassador Nguyen Van A": an organisation or country
    right before a title that is right before the name (the holder and the title)."""
    before = text[max(0, person.start - MAX_TITLE_CHARS) : person.start]
    title = None
    for t in titles.finditer(before):
        if before[t.end() :] == " ":
            title = t
    if title is None:
        return None
    title_start = person.start - len(before) + title.start()
    for s in spans:
        if s.end <= title_start and s.entity.kind in HOLDER_KINDS and _OWNER_GAP.fullmatch(text, s.end, title_start):
            return s, title.group()
    return None


#: Between an owner and its title: "KOFIC Chairman", "Vietnam's Ambassador", "Vietnam Television (VTV) Director".
_OWNER_GAP = re.compile(r"(?:['’]s)? |\) ")


def _outside(text: str, start: int, end: int, spans: list[Span]) -> str:
    """``text[start:end]`` without the mentions of ``spans`` in it: the commas of a name ("Bộ Văn hóa,
    Thể thao và Du lịch") do not end the phrase it is in."""
    pieces, at = [], start
    for s in spans:
        if s.start >= at:
            pieces.append(text[at : s.start])
            at = s.end
    pieces.append(text[at:end])
    return " ".join(pieces)


def _pairs(text: str, lang: str, spans: list[Span], sentence: int, result: DocExtraction) -> list[Relation]:
    """memberOf / partnerOf from the words between two neighbouring mentions."""
    out = []
    lists: list[set[str]] = []  # organisations listed after a partner cue
    sentence_text = result.sentence_text(sentence)
    cooperative = any(c.search(sentence_text) for c in cues(lang, "cooperation"))
    parent_of: dict[int, Span] = {}  # a parent named in brackets -> the organisation before it
    # "X signed an agreement with Vietnam's Y": Y is based in its owner, and X and Y are neighbours
    owned_from: dict[int, int] = {}  # id of an organisation's span -> where its owner's name starts
    for owner, owned in zip(spans, spans[1:], strict=False):
        if owner.entity.kind == "Country" and _is_org(owned) and _POSSESSIVE.fullmatch(text, owner.end, owned.start):
            out.append(Relation(owned.entity.id, "basedIn", owner.entity.id, sentence, rule="possessive"))
            owned_from[id(owned)] = owner.start
    if owned_from:
        owners = {id(spans[k]) for k in range(len(spans) - 1) if id(spans[k + 1]) in owned_from}
        spans = [s for s in spans if id(s) not in owners]
    for i, (a, b) in enumerate(zip(spans, spans[1:], strict=False)):
        if text.startswith(" (", a.end) and _parent_in_brackets(text, a, b):
            out.append(Relation(a.entity.id, "memberOf", b.entity.id, sentence, rule="parent-in-brackets"))
            parent_of[i + 1] = a
            continue
        gap = _without_parenthesis(text, a, text[a.end : owned_from.get(id(b), b.start)])
        if len(gap) > 60:
            continue
        a = parent_of.get(i, a)  # "X (its parent) và Y": X and Y are the partners
        ka, kb = a.entity.kind, b.entity.kind
        if ka in ORG_KINDS and kb in ORG_KINDS and a.entity.id != b.entity.id:
            if any(c.fullmatch(gap) for c in cues(lang, "member")):
                out.append(Relation(a.entity.id, "memberOf", b.entity.id, sentence, rule="member-cue"))
            elif cooperative and any(c.fullmatch(gap) for c in cues(lang, "partner")):
                # "X phối hợp với A, B và C": X partners every organisation of the list (not they each other)
                listed = _list_around(text, lang, spans, i + 1, 1)
                out += [Relation(a.entity.id, "partnerOf", s.entity.id, sentence, rule="partner-cue") for s in listed]
                if len(listed) > 1:
                    lists.append({s.entity.id for s in listed})
            elif re.fullmatch(r"\s+(?:and|và|และ)\s*(?:the\s+)?", gap) and any(
                    c.search(text[max(0, a.start - 60) : a.start]) for c in cues(lang, "partner_before")):
                out.append(Relation(a.entity.id, "partnerOf", b.entity.id, sentence, rule="partner-between"))
        if ka == "Person" and kb in ORG_KINDS and any(c.fullmatch(gap) for c in cues(lang, "member_person")):
            out.append(Relation(a.entity.id, "memberOf", b.entity.id, sentence, rule="member-person"))
        elif ka == "Person" and kb in ORG_KINDS and any(c.fullmatch(gap) for c in cues(lang, "affiliation")):
            out.append(Relation(a.entity.id, "holdsPosition", b.entity.id, sentence,
                                _title_before(text, lang, a.start), rule="affiliation"))
    # "X ร่วมมือกับ A, B และ C": the first organisation partners every organisation listed after the cue
    if lang == "th":
        orgs = [s for s in spans if s.entity.kind in ORG_KINDS]
        for i, a in enumerate(orgs):
            rest = text[a.end : a.end + 40]
            if re.match(r"\s*(?:\([\w&]+\)\s*)?ร่วมมือกับ", rest):
                for b in orgs[i + 1 : i + 5]:
                    if b.start - a.end < 200:
                        out.append(Relation(a.entity.id, "partnerOf", b.entity.id, sentence, rule="partner-list"))
    if lists:
        out = [r for r in out if r.relation != "partnerOf" or not any({r.head, r.tail} <= ids for ids in lists)]
    return out


def _listed(text: str, lang: str, spans: list[Span], sentence: int,
            countries: dict[str, Entity] | None) -> list[Relation]:
    """basedIn for a list of organisations given with their country: "A, B and other leading
    universities in the US" (cue ``list_in``), "báo chí Hàn Quốc như A, B" (``list_of``), and in
    English with a nationality (``countries``: the document's, by ISO code): "leading Korean media
    institutions, including A and B"."""
    out: list[Relation] = []
    for i, c in enumerate(spans):
        if c.entity.kind != "Country":
            continue
        if i and _is_org(spans[i - 1]) and _gap_matches(text, lang, "list_in", spans[i - 1], c):
            for s in _list_around(text, lang, spans, i - 1, -1):
                out.append(Relation(s.entity.id, "basedIn", c.entity.id, sentence, rule="list-in-country"))
        if i + 1 < len(spans) and _is_org(spans[i + 1]) and _gap_matches(text, lang, "list_of", c, spans[i + 1]):
            for s in _list_around(text, lang, spans, i + 1, 1):
                out.append(Relation(s.entity.id, "basedIn", c.entity.id, sentence, rule="country-list"))
    if countries:
        for i, s in enumerate(spans):
            if not _is_org(s) or (i and _is_org(spans[i - 1]) and _separated(text, lang, spans[i - 1], s)):
                continue  # not the first of a list
            start = max(spans[i - 1].end if i else 0, s.start - 100)
            if not _LIST_OF_WORD.search(text, max(start, s.start - 14), s.start):
                continue  # no "including", "such as" ... right before it
            m = nationality_list_pattern().search(text[start : s.start])
            country = countries.get(demonyms().get(m.group(1))) if m else None
            if country is not None:
                for t in _list_around(text, lang, spans, i, 1):
                    out.append(Relation(t.entity.id, "basedIn", country.id, sentence, rule="nationality-list"))
    return out


def _parent_in_brackets(text: str, a: Span, b: Span) -> bool:
    """"Cục Xuất bản (Bộ Thông tin và Truyền thông)", "the Copyright Office (Ministry of Culture)": the
    organisation in brackets right after another is its parent; not an acronym, even one that does not
    spell the name ("X (CNC)"), nor a photo credit."""
    inner = text[b.start : b.end]
    return (_is_org(a) and _is_org(b) and a.entity.id != b.entity.id and text[a.end : b.start] == " ("
            and text[b.end : b.end + 1] == ")" and " " in inner and ":" not in inner
            and not text[a.start : a.end].endswith(inner))


def _is_org(span: Span) -> bool:
    return span.entity.kind in ORG_KINDS


def _gap_matches(text: str, lang: str, relation: str, a: Span, b: Span) -> bool:
    gap = _without_parenthesis(text, a, text[a.end : b.start])
    return len(gap) <= 80 and any(c.fullmatch(gap) for c in cues(lang, relation))


def _separated(text: str, lang: str, a: Span, b: Span) -> bool:
    """Two items of one list: only a list separator (and an acronym in brackets) between them."""
    return _gap_matches(text, lang, "list_separator", a, b)


def _list_around(text: str, lang: str, spans: list[Span], at: int, step: int, most: int = 8) -> list[Span]:
    """The organisations of the list that ``spans[at]`` ends (``step`` -1) or starts (``step`` 1)."""
    items = [spans[at]]
    i = at
    while len(items) < most and 0 <= i + step < len(spans) and _is_org(spans[i + step]):
        a, b = (spans[i + step], spans[i]) if step < 0 else (spans[i], spans[i + step])
        if not _separated(text, lang, a, b):
            break
        i += step
        items.append(spans[i])
    return items


#: A word that may end the English ``list_of`` cues, for a quick check before the whole pattern.
_LIST_OF_WORD = re.compile(r"\b(?:including|such as|like|namely)\b")


@functools.cache
def demonyms() -> dict[str, str]:
    """English adjective of nationality -> ISO code (``graph/data/demonyms.tsv``)."""
    return {row["demonym"]: row["iso"] for row in read_tsv("demonyms.tsv") if row["lang"] == "en"}


@functools.cache
def nationality_list_pattern() -> re.Pattern:
    """A nationality, a few lower-case words and a ``list_of`` cue, at the end of the text before a
    list: "several leading Korean media institutions, including "."""
    names = "|".join(re.escape(d) for d in sorted(demonyms(), key=len, reverse=True))
    cue = "|".join(f"(?:{row['cue']})" for row in read_tsv("relations", "cues.tsv")
                   if row["lang"] == "en" and row["relation"] == "list_of")
    return re.compile(rf"(?<![\w.])({names})\s+(?:[a-z][\w-]*\s+){{0,4}}?[a-z][\w-]*(?:{cue})$")


_POSSESSIVE = re.compile(r"['’]s\s+")
_PARENTHESIS = re.compile(r"\s*\([^()\n]{1,30}\)")


def _without_parenthesis(text: str, a: Span, gap: str) -> str:
    """The words between two mentions without what stands in brackets after the first: its acronym
    ("X (VCPMC) và Y", where the acronym may itself be a mention of X: "(VCPMC) và Y")."""
    if gap.startswith(")") and text[a.start - 1 : a.start] == "(":
        return gap[1:]
    return _PARENTHESIS.sub("", gap, count=1) if gap.lstrip().startswith("(") else gap


def _title_before(text: str, lang: str, start: int) -> str | None:
    """The title written right before a name ("Professor", "ศาสตราจารย์"), if any."""
    before = text[max(0, start - 40) : start]
    titles = [m for m in title_pattern(lang).finditer(before) if not before[m.end() :].strip()]
    return titles[-1].group() if titles else None


def _nested(text: str, lang: str, spans: list[Span], sentence: int) -> list[Relation]:
    """An organisation whose name holds a country at its edge is based there ("Viet Nam Journalists
    Association", "Journalists Association of Korea"); "X ของ ORG" inside a name is memberOf."""
    out = []
    for outer in spans:
        if outer.entity.kind not in ORG_KINDS or outer.entity.attrs.get("parent"):
            continue
        for inner in spans:
            if inner is outer or not (outer.start <= inner.start and inner.end <= outer.end):
                continue
            if (inner.start, inner.end) == (outer.start, outer.end):
                continue
            if inner.entity.kind == "Country":
                at_start = inner.start == outer.start
                at_end = inner.end == outer.end
                if at_start or at_end:
                    out.append(Relation(outer.entity.id, "basedIn", inner.entity.id, sentence, rule="name-country"))
            elif inner.entity.kind in ORG_KINDS and inner.end == outer.end and re.search(
                    r"(?:ของ|của|\bof(?: the)?)\s*$", text[outer.start : inner.start]):
                out.append(Relation(outer.entity.id, "memberOf", inner.entity.id, sentence, rule="name-of"))
    return out


def _from_attributes(result: DocExtraction) -> list[Relation]:
    """Branches belong to their parent and are based in their country; places lie in countries."""
    out = []
    countries = {e.attrs.get("iso"): e for e in result.entities if e.kind == "Country"}
    for e in result.entities:
        sentence = e.mentions[0].sentence
        if e.attrs.get("parent"):
            out.append(Relation(e.id, "memberOf", e.attrs["parent"], sentence, rule="branch"))
            country = countries.get(e.attrs.get("country", "").split(":")[-1])
            if country:
                out.append(Relation(e.id, "basedIn", country.id, sentence, rule="branch"))
        if e.kind == "Place" and e.attrs.get("in_country") in countries:
            out.append(Relation(e.id, "locatedIn", countries[e.attrs["in_country"]].id, sentence,
                                rule="gazetteer"))
    return out


def _dedupe(relations: list[Relation]) -> list[Relation]:
    seen = set()
    out = []
    for r in relations:
        key = (r.head, r.relation, r.tail) if r.relation != "partnerOf" else (
            *sorted((r.head, r.tail)), r.relation)
        if key in seen or r.head == r.tail:
            continue
        seen.add(key)
        out.append(r)
    return out
