"""Entities of one document: recognisers per language, then one entity per thing mentioned.

Each recogniser proposes :class:`Candidate` spans with a priority; :func:`select` keeps the best
non-overlapping ones (a country, place or organisation may nest inside an organisation name), and
:func:`group` turns the kept spans into :class:`~graph.model.Entity` objects, one per thing:
same gazetteer key, same acronym, same branch, same name, or a short form of a person's name.

Recognisers:

* all languages: gazetteers (countries from CLDR, cities, international organisations), acronym
  definitions "Full Name (ABBR)", hashtags, photo credits;
* en: the spaCy pipeline's NER mapped to our kinds and corrected by organisation heads;
* vi: capitalised syllable runs read with titles, surnames and organisation heads;
* th: titles and positions around space-separated name parts, organisation heads, Latin-script runs.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..model import Entity, Mention, Sentence
from .events import trigger_verbs
from .lexicon import first_words, fold, foreign_name, lookup, name_prefixes, terms
from .text import doc_text, token_bounds, token_table, word_indices, words_at
from .translit import family_names_first, name_form, same_person_form

#: Recogniser priorities: higher wins an overlap.
PRIORITY = {
    "hashtag": 90,
    "acronym-def": 85,
    "branch": 84,
    "gazetteer": 80,
    "org-head": 70,
    "title": 65,
    "name-form": 60,
    "latin": 55,
    "ner": 50,
    "propagated": 40,
    "run": 30,
}
NESTABLE = {"Country", "Place", "Organization"}
LEADING_DETERMINERS = frozenset({"The", "A", "An", "This", "These", "Those", "That"})
#: English honorifics: a capitalised run they open names a person.
HONORIFICS = frozenset({"Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr"})

THAI = r"\u0e00-\u0e7f"
_THAI_CHAR = re.compile(rf"[{THAI}]")
# "#" first, then the check of the character before it: a pattern that starts with a lookbehind is
# tried at every character (0.31 -> 0.01 ms over a Thai article)
HASHTAG = re.compile(r"#(?<![\w#]#)[^\W_]\w*")
#: ``(ABBR)``; Vietnamese abbreviations keep their Đ and Ư ("HĐND", "NSƯT").
ACRONYM = re.compile(r"\(\s*([A-ZĐƯ][A-Za-z0-9&ĐđƯư]*[A-ZĐƯ][A-Za-z0-9&ĐđƯư]*)\s*\)")
LATIN_WORD = re.compile(r"[^\W\d_][\w'’.&-]*")
# The matches of LATIN_WORD that do not start with a Thai letter (group 1), found without stopping at
# the others: a match begins at the first letter of a run of [\w'’.&-], so each run is matched whole.
_NON_THAI_WORDS = re.compile(rf"(?:^|(?<=[^\w'’.&-]))[\d_'’.&-]*([^\W\d_{THAI}][\w'’.&-]*)")
THAI_WORD = re.compile(rf"[{THAI}]+")
QUOTED = re.compile(r"[\"“«]([^\"”»\n]{3,120})[\"”»]")
SPACE_CHUNK = re.compile(rf"[{THAI}.]+")


@dataclass
class Candidate:
    start: int
    end: int
    kind: str
    rule: str
    key: str | None = None  # grouping key: ISO code, gazetteer id, ("acr", ABBR) ...
    label: str | None = None
    attrs: dict = field(default_factory=dict)

    @property
    def priority(self) -> int:
        return PRIORITY.get(self.rule.split(":")[0], 0)


def is_upper_word(word: str) -> bool:
    return word[:1].isupper()


def strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past spaces, punctuation and a leading English article."""
    while start < end and (text[start].isspace() or text[start] in "\"'“”‘’(),.;:–—-|"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\"'“”‘’(),;:–—-|"):
        end -= 1
    for article in ("the ", "The "):
        if text.startswith(article, start) and end - start > len(article) + 1:
            start += len(article)
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end


# ----------------------------------------------------------------------------- all languages


def gazetteer_candidates(doc: Doc, max_tokens: int = 6) -> list[Candidate]:
    """Countries, cities and international organisations, aligned to token boundaries."""
    text = doc_text(doc)
    out = []
    table = token_table(doc)
    words, starts, ends = table.words, table.starts, table.ends
    indices = word_indices(doc)
    is_punct, may_start = table.is_punct, _may_start_name
    # the few words that may start a name, picked in one pass (most words start none)
    firsts = [n for n, i in enumerate(indices) if may_start(words[i]) and not (is_punct[i] and words[i] not in "#")]
    for n in firsts:
        i = indices[n]
        for j in reversed(_possible_ends(text, starts, ends, indices, n, max_tokens)):
            start, end = starts[i], ends[j]
            surface = text[start:end]
            # a Thai name may end in a tone mark or a silent-letter mark ("แอฟริกาใต้", "แมสซาชูเซตส์")
            last_ok = surface[-1].isalnum() or surface[-1] in ".ฯ" or unicodedata.category(surface[-1]) == "Mn"
            if "\n" in surface or not surface[0].isalnum() or not last_ok:
                continue
            entry = lookup(surface)
            if entry is None and surface.endswith(".") and len(surface) > 2:
                # "... to the RoK." : the tokenizer keeps a sentence's full stop on an abbreviation
                surface, end = surface[:-1], end - 1
                entry = lookup(surface)
            if entry is None or (doc.lang_ == "en" and foreign_name(surface, "en")):
                continue
            if entry.kind == "Place" and doc.lang_ == "en" and not _dateline(text, start, end):
                continue  # English places come from NER, typed by the gazetteer
            if not _latin_boundaries(text, start, end):
                continue
            out.append(Candidate(start, end, entry.kind, "gazetteer", key=f"{entry.kind}:{entry.key}",
                                 label=entry.label, attrs={"gazetteer": entry.key, "in_country": entry.country}))
            break
    return out


#: Honorifics right before a name (the word and its space): that name is a person's, whatever place it is named like.
_HONORIFIC_BEFORE = re.compile(r"(?:(?<![\w.])(?:Mr|Mrs|Ms|Dr)\.?|(?<!\w)(?:[Ôô]ng|[Bb]à)|(?:นางสาว|นาย|นาง|ดร\.)) ?$")


def _after_honorific(text: str, start: int) -> bool:
    return _HONORIFIC_BEFORE.search(text, max(0, start - 8), start) is not None


def _dateline(text: str, start: int, end: int) -> bool:
    """A city opening a line, before the agency or the date ("HANOI (VNA) -", "Hue (VNA) –", "HO CHI
    MINH CITY, March 5 -"): the small English model finds no entity in capitals, nor some cities."""
    return (start == 0 or text[start - 1] == "\n") and text[end : end + 2] in (" (", ", ")


@functools.lru_cache(maxsize=1 << 17)
def _may_start_name(word: str) -> bool:
    """Some gazetteer name starts with the token ``word`` (its folded form, or that form without a
    final full stop, begins a name and its first word starts one; a Thai token only has to begin one)."""
    folded = fold(word)
    prefixes, first_of_names = name_prefixes(), first_words()
    if folded not in prefixes and not (word.endswith(".") and fold(word[:-1]) in prefixes):
        return False
    head = folded.split()
    return not head or head[0] in first_of_names or head[0].rstrip(".") in first_of_names \
        or _THAI_CHAR.match(word) is not None


def _possible_ends(text: str, starts: list[int], ends: list[int], indices: list[int], n: int,
                   max_tokens: int) -> list[int]:
    """The word tokens j (of the ``max_tokens`` words from ``indices[n]``) where a gazetteer name
    starting at that word could end: the folded text up to j, or that text without a final full
    stop, begins a folded gazetteer name. Folding keeps prefixes, so the scan stops at the first
    text that begins none."""
    prefixes = name_prefixes()
    start = starts[indices[n]]
    out = []
    for j in indices[n : n + max_tokens]:
        surface = text[start : ends[j]]
        if not (fold(surface) in prefixes or (surface.endswith(".") and fold(surface[:-1]) in prefixes)):
            break
        out.append(j)
    return out


def _is_latin_alnum(ch: str) -> bool:
    return ch.isalnum() and not ("\u0e00" <= ch <= "\u0e7f")


def _latin_boundaries(text: str, start: int, end: int) -> bool:
    """A Latin-script name must not start or end inside a Latin word."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if _is_latin_alnum(text[start]) and _is_latin_alnum(before):
        return False
    return not (_is_latin_alnum(text[end - 1]) and _is_latin_alnum(after))


def hashtag_candidates(text: str) -> list[Candidate]:
    return [Candidate(m.start(), m.end(), "Initiative", "hashtag", key=f"tag:{m.group().casefold()}")
            for m in HASHTAG.finditer(text)]


def photo_credit_candidates(text: str, lang: str) -> list[Candidate]:
    """``(Photo: VNA)`` names an organisation, ``(ภาพ: Thanh Ha)`` a person."""
    cues = "|".join(re.escape(c) for c in terms(lang, "photo") + terms("en", "photo"))
    out = []
    for m in re.finditer(rf"\(\s*(?:{cues})\s*:\s*([^()\n:]{{2,40}})\)", text):
        start, end = strip_edges(text, m.start(1), m.end(1))
        name = text[start:end]
        if not name or any(ch.isdigit() for ch in name):
            continue
        if name.isupper() and " " not in name:
            out.append(Candidate(start, end, "Organization", "org-head:credit"))
        elif len(name.split()) in (2, 3, 4) or (lang == "th" and " " in name):
            out.append(Candidate(start, end, "Person", "title:credit"))
    return out


def acronym_candidates(text: str, lang: str) -> list[Candidate]:
    """``Full Name (ABBR)``: the full name and every later ``ABBR`` are one entity."""
    out = []
    stop = set(terms("en", "stop"))
    for m in ACRONYM.finditer(text):
        abbr = m.group(1)
        if abbr in stop or lookup(abbr) is not None and lookup(abbr).kind == "Country":
            continue
        full = _full_name_before(text, m.start(), abbr, lang)
        if full is None:
            continue
        start, end = full
        kind = _kind_of_name(text[start:end], lang)
        key = f"acr:{abbr}"
        out.append(Candidate(start, end, kind, "acronym-def", key=key, attrs={"acronym": abbr}))
        out.append(Candidate(m.start(1), m.end(1), kind, "acronym-def", key=key, attrs={"acronym": abbr}))
    return out


def _kind_of_name(name: str, lang: str) -> str:
    words = name.split()
    if lang == "en" or not any("\u0e00" <= ch <= "\u0e7f" for ch in name) and lang == "th":
        if words and words[-1] in terms("en", "initiative_suffix"):
            return "Initiative"
        return "Organization"
    heads = terms(lang, "initiative_prefix")
    if any(name.startswith(h) for h in heads):
        # "Festival X" is an initiative even when organisation heads follow
        return "Initiative"
    return "Organization"


def _full_name_before(text: str, paren: int, abbr: str, lang: str) -> tuple[int, int] | None:
    """The name right before ``(ABBR)``, bounded by an organisation head or a capitalised run."""
    line_start = text.rfind("\n", 0, paren) + 1
    window = text[max(line_start, paren - 160) : paren]
    offset = paren - len(window)
    latin_before = bool(re.search(r"[A-Za-z]\s*$", window))
    if lang == "th" and not latin_before:
        return _thai_name_before(text, offset, window)
    if lang == "vi":
        head = _last_head(window, terms(lang, "org_prefix") + terms(lang, "initiative_prefix"))
        if head is not None and not re.search(r"[,;:.!?]", window[head:]):
            return strip_edges(text, offset + head, paren)
    words = list(LATIN_WORD.finditer(window))
    connectors = set(terms("en", "connector")) | {"in", "for", "on"}
    first = None
    for w in reversed(words):
        gap = window[w.end() : (first.start() if first else len(window))]
        if first is not None and gap.strip() not in ("", "-", "–", ",") and not gap.isspace():
            break
        if is_upper_word(w.group()) or (w.group() in connectors and first is not None):
            first = w
        else:
            break
    if first is None:
        return None
    span_words = [w for w in words if w.start() >= first.start()]
    while span_words and span_words[0].group() in connectors:
        span_words.pop(0)
    last = _last_of_two_names(span_words, connectors)
    if last is not None:  # "the X Department and the National Centre for ... (CNC)": the second is defined
        return strip_edges(text, offset + last.start(), paren)
    initials = abbr[0].casefold()
    for k, w in enumerate(span_words):
        if w.group()[0].casefold() == initials:
            span_words = span_words[k:]
            break
    else:
        return None  # "Hanoi (VNA)" is a dateline, not a definition
    if not span_words:
        return None
    return strip_edges(text, offset + span_words[0].start(), paren)


def _last_of_two_names(words: list[re.Match], connectors: set[str]) -> re.Match | None:
    """The first word of the second of two organisation names joined by "and": the first ends with
    an organisation head ("Department and the ..."), the second holds one too; None if not so."""
    suffixes = set(terms("en", "org_suffix"))
    prefixes = set(terms("en", "org_prefix"))
    for k in range(len(words) - 1, 0, -1):
        if words[k].group() in ("and", "&") and words[k - 1].group() in suffixes:
            rest = words[k + 1 :]
            while rest and rest[0].group() in connectors | {"the"}:
                rest = rest[1:]
            if len(rest) >= 2 and any(w.group() in suffixes or w.group() + " of" in prefixes for w in rest):
                return rest[0]
            return None
    return None


def _last_head(window: str, heads: tuple[str, ...]) -> int | None:
    best = None
    for head in heads:
        if head not in window:
            continue
        for m in _head_pattern(head).finditer(window):
            if best is None or m.start() > best:
                best = m.start()
    return best


@functools.cache
def _head_pattern(head: str) -> re.Pattern[str]:
    """A head as a whole word (Thai heads: anywhere); compiled once, outside ``re``'s small cache."""
    whole_word = head[0].isascii() or head[0].isalpha() and not ("\u0e00" <= head[0] <= "\u0e7f")
    return re.compile(rf"(?<![\w]){re.escape(head)}(?![\w])" if whole_word else re.escape(head))


def _thai_name_before(text: str, offset: int, window: str) -> tuple[int, int] | None:
    """Thai name before ``(ABBR)``: back over space-separated chunks to one that starts with a head
    (a weak head too: the acronym says a name ends here, "สภาภาพยนตร์เกาหลี (KOFIC)")."""
    heads = terms("th", "org_prefix") + terms("th", "initiative_prefix") + terms("th", "org_prefix_weak")
    chunks = list(re.finditer(r"\S+", window))
    for k in range(len(chunks) - 1, max(-1, len(chunks) - 4), -1):
        chunk = chunks[k].group()
        for head in heads:
            pos = chunk.find(head)
            if pos >= 0 and (pos == 0 or k == len(chunks) - 1):
                return strip_edges(text, offset + chunks[k].start() + pos, offset + len(window))
    return None


# ----------------------------------------------------------------------------- English


NER_KINDS = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place", "FAC": "Place"}


def english_candidates(doc: Doc) -> list[Candidate]:
    text = doc_text(doc)
    out: list[Candidate] = []
    stop = set(terms("en", "stop"))
    suffixes = set(terms("en", "org_suffix"))
    designators = terms("en", "org_designator")
    for ent in doc.ents:
        kind = NER_KINDS.get(ent.label_)
        if kind is None:
            continue
        start, end = strip_edges(text, ent.start_char, ent.end_char)
        if ent.label_ == "PERSON" and start == ent.start_char and _given_name_before(doc, ent.start, stop):
            start = doc[ent.start - 1].idx  # "Ambassador Olivier Brochet": the model tags "Brochet"
        elif ent.label_ == "PERSON":
            start = _after_list_word(text, start, end)  # "Minister of Culture, Sports and Tourism Nguyen Van Hung"
        surface = text[start:end]
        if not surface or surface in stop or "\n" in surface or not any(ch.isupper() for ch in surface):
            continue
        if ")" in surface or "(" in surface:
            continue
        entry = lookup(surface)
        if entry is not None:
            kind = entry.kind
        elif kind == "Place" and ent.label_ == "GPE" and " " not in surface and not _is_placeish(surface):
            kind = "Organization"  # an unknown one-word "GPE" is usually a company or brand
        if kind == "Person" and (surface.split()[-1] in suffixes or _camel(surface) or surface.isupper()):
            kind = "Organization"
        following = text[end : end + 20].lstrip().casefold()
        if kind == "Person" and any(following.startswith(d + " ") or following.startswith(d + ".")
                                    or following == d for d in designators):
            kind = "Organization"
        if kind == "Person" and _place_word_after(text, end):
            kind = "Place"  # "Lam Dong province"
        if kind == "Organization" and entry is None and surface.split()[-1] in _venue_words():
            kind = "Place"  # "Hue Imperial Citadel", "Thien Mu Pagoda": a venue
        if kind == "Organization" and _demonym_phrase(surface, doc, start):
            continue
        if ent.label_ == "ORG" and entry is None and (
                held := _holder_after_title(text, start, end, suffixes)) is not None:
            start, kind = held, "Person"  # "Ambassador to Vietnam Rodrigo Valdes": the model's ORG
            surface = text[start:end]
        attrs = {"ner": ent.label_}
        if entry is not None and entry.kind == kind:
            attrs |= {"gazetteer": entry.key, "in_country": entry.country}
        out.append(Candidate(start, end, kind, "ner", key=f"{kind}:{entry.key}" if attrs.get("gazetteer") else None,
                             label=entry.label if attrs.get("gazetteer") else None, attrs=attrs))
    out += english_org_heads(text)
    out += romanised_names(doc)
    return out


#: A title and where the post is, right before a name: "Ambassador to Vietnam ", "Minister ".
_TITLE_BEFORE_NAME = re.compile(
    r"(?:^|\s)(?P<title>[A-Z][\w-]*)(?: (?:to|of|in) (?:the )?[A-Z][\w-]*(?: [A-Z][\w-]*)?)? $")
#: A title after a name and its comma, maybe after a nationality: ", Chilean Ambassador", ", Director".
_TITLE_AFTER_NAME = re.compile(r", (?:the )?(?:[A-Z][a-z]+ )?(?P<title>[A-Z][\w-]*)\b")


def _holder_after_title(text: str, start: int, end: int, suffixes: set[str]) -> int | None:
    """Where a person's name starts in what the model took for an organisation right after a title
    ("... Ambassador to Vietnam Rodrigo Valdes", the model's ORG "Vietnam Rodrigo Valdes": after a
    country or place it begins with) or right before one ("Rodrigo Valdes, Chilean Ambassador");
    None if it reads as an organisation's name."""
    words = list(re.finditer(r"\S+", text[start:end]))
    if not 2 <= len(words) <= 5 or any(w.group() in suffixes for w in words):
        return None
    first = 0
    for k in range(min(3, len(words) - 2), 0, -1):  # "Vietnam", "Viet Nam" at its start
        if lookup(text[start : start + words[k - 1].end()]) is not None:
            first = k
            break
    name_start = start + words[first].start()
    if not all(w.group().isalpha() and w.group().istitle() for w in words[first:]):
        return None
    m = _TITLE_BEFORE_NAME.search(text, max(0, name_start - 60), name_start)
    if m is not None and m.group("title") in _title_words():
        return name_start
    after = _TITLE_AFTER_NAME.match(text, end)  # "Rodrigo Valdes, Chilean Ambassador to Vietnam, said"
    if first == 0 and after is not None and after.group("title") in _title_words():
        return name_start
    return None


#: The end of a list of fields in a title, before a name: "... of Culture, Sports and ", "... of Science & ".
_FIELD_LIST_BEFORE = re.compile(r"(?:\bof|,|\band|&) $")


def _after_list_word(text: str, start: int, end: int) -> int:
    """Where a person's name starts in a name the model ran on from the last field of a title
    ("Minister of Culture, Sports and Tourism Nguyen Van Hung"): at a Vietnamese or Korean family
    name after the first word, when a list of fields comes before; else ``start``."""
    if not _FIELD_LIST_BEFORE.search(text, max(0, start - 5), start):
        return start
    m = _romanised_surnames().search(text, start, end)
    if m is None or m.start() == start or text[start : m.start()].count(" ") != 1:
        return start
    return m.start()


def _given_name_before(doc: Doc, i: int, stop: set[str]) -> bool:
    """The token before token ``i`` (where a person's name starts) is a given name the model left
    out: a proper noun right before it, in no entity, that is no title, honorific or known name."""
    if i == 0:
        return False
    token = doc[i - 1]
    return (token.whitespace_ == " " and token.tag_ == "NNP" and token.is_title and token.is_alpha
            and not token.ent_type_ and token.text not in stop and token.text not in HONORIFICS
            and token.text not in _title_words() and lookup(token.text) is None)


@functools.cache
def _title_words() -> frozenset[str]:
    """Every word of the English titles and positions ("Deputy", "Minister", "Ambassador" ...)."""
    return frozenset(w for t in terms("en", "title") + terms("en", "position") for w in t.split())


#: A capitalised word of English text, hyphenated parts included ("Min-soo").
_CAPITALISED = re.compile(r"[^\W\d_a-z][^\W\d_]*(?:-[^\W\d_]+)*")
#: Tags a word of a romanised name may get from the English tagger (a hyphen and the part after it: any).
_NAME_TAGS = frozenset({"NNP", "NNPS", "HYPH"})
#: Letters in a syllable of a romanised Vietnamese or Korean given name, at most ("Nguyen", "Khuong").
_MAX_SYLLABLE = 7


@functools.cache
def _romanised_surnames() -> re.Pattern[str]:
    """A Vietnamese or Korean family name as English copy writes it, with or without diacritics
    ("Nguyen", "Nguyễn", "Park"), followed by a space."""
    forms = set()
    for name in terms("vi", "surname"):
        forms.add(name)
        forms.add(fold(name).capitalize())
    alternatives = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives}) (?=[^\W\d_])")


@functools.cache
def _name_blockers() -> frozenset[str]:
    """Words that end no romanised name: organisation and initiative heads, stop words."""
    return frozenset(terms("en", "org_suffix") + terms("en", "initiative_suffix") + terms("en", "stop"))


@functools.cache
def _english_titles() -> frozenset[str]:
    return frozenset(terms("en", "title"))


def romanised_names(doc: Doc) -> list[Candidate]:
    """Vietnamese and Korean names in English copy, which a tagger trained on other names cuts or
    joins to what precedes them ("Tran Van", "the US Nguyen Quoc Binh", "Park Min"): a family name
    and one to three short capitalised syllables, ending a capitalised run, all tagged as proper
    nouns, and neither a known name ("Ha Long", "Hong Kong"), nor followed by a place word ("Lam
    Dong province"), nor ending with an organisation head ("Ho Chi Minh Museum").
    A syllable alone may be a place elsewhere ("Van", a Turkish city)."""
    text = doc_text(doc)
    out: list[Candidate] = []
    blocked, titles = _name_blockers(), _english_titles()
    # a person the tagger found starting before the family name: a given name comes first there
    # ("Anna Nguyen Bui"), unless what comes first is a title the tagger took in
    earlier = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON" and e[0].text not in titles]
    for hit in _romanised_surnames().finditer(text):
        start, end = hit.start(), hit.end() - 1
        if any(s < start < e for s, e in earlier):
            continue
        words = 1
        while words < 5 and text[end : end + 1] == " " and (m := _CAPITALISED.match(text, end + 1)):
            end = m.end()
            words += 1
        if not 2 <= words <= 4:
            continue
        parts = text[start:end].split()
        if any(w in blocked for w in parts[1:]) or any(len(p) > _MAX_SYLLABLE for w in parts[1:] for p in w.split("-")):
            continue
        if _place_word_after(text, end):
            continue
        if any(lookup(" ".join(parts[:n])) for n in range(2, words + 1)):
            continue
        span = doc.char_span(start, end)
        # the family name may be tagged as a verb or particle ("Do", "To") only inside a capitalised run
        after_name = start >= 2 and text[start - 1] == " " and text[start - 2].isalpha() and _is_capitalised_before(
            text, start - 1)
        if span is None or any(t.tag_ not in _NAME_TAGS and t.text != "-" and not (t.i and doc[t.i - 1].text == "-")
                               and not (t.i == span.start and after_name) for t in span):
            continue
        if any((entry := lookup(w)) is not None and entry.kind == "Country" for w in parts[1:]):
            continue
        out.append(Candidate(start, end, "Person", "name-form"))
    return out


def _is_capitalised_before(text: str, end: int) -> bool:
    """The word that ends at ``end`` starts with a capital letter."""
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-'’."):
        start -= 1
    return start < end and text[start].isupper()


def _place_word_after(text: str, end: int) -> bool:
    """The word after ``end`` makes what ends there a place ("... province", "... Street")."""
    following = text[end : end + 20].split(" ", 2)
    return len(following) > 1 and following[0] == "" and following[1].strip(",.;:") in _place_words()


@functools.cache
def _place_words() -> frozenset[str]:
    return frozenset(terms("en", "place_word"))


def _is_placeish(word: str) -> bool:
    entry = lookup(word)
    return entry is not None and entry.kind in ("Place", "Country")


def _camel(word: str) -> bool:
    return " " not in word and any(ch.isupper() for ch in word[1:]) and not word.isupper()


def _demonym_phrase(surface: str, doc: Doc, start: int) -> bool:
    """``Vietnamese Identity``: a demonym and a common noun, not an organisation."""
    first = surface.split()[0]
    if first[-3:] not in ("ese", "ean", "ian", "can", "ish"):
        return False
    last = surface.split()[-1]
    return last not in set(terms("en", "org_suffix"))


def english_org_heads(text: str) -> list[Candidate]:
    """Capitalised runs ending with an organisation head ("... Association [of Korea]") or
    starting with one ("Ministry of Culture, Sports and Tourism")."""
    out = []
    suffixes = set(terms("en", "org_suffix"))
    initiative = set(terms("en", "initiative_suffix"))
    prefixes = terms("en", "org_prefix")
    for run in capitalised_runs(text, allow_lists_after=prefixes):
        words = run["words"]
        start, end = run["start"], run["end"]
        if words[0][0] in HONORIFICS:
            continue  # "Mr. Park": a person, whatever the name's last word means
        surface = text[start:end]
        kind = None
        if surface.startswith(prefixes):
            kind = "Organization"
        else:
            for k in range(len(words) - 1, -1, -1):
                word = words[k][0]
                if word in suffixes or word in initiative:
                    tail = [w for w, _, _ in words[k + 1 :]]
                    if word in suffixes and tail and _romanised_surnames().match(text, words[k + 1][1]) \
                            and len(tail) <= 4:
                        # "the Film Association Do Le Hung": its president's name, not its own
                        tail, end = [], words[k][2]
                    if not tail or tail[0] in ("of", "for"):
                        kind = "Initiative" if word in initiative and not tail else "Organization"
                        if k == 0 and not tail:
                            kind = None  # a bare head word ("Office") is not a name
                    break
        if kind == "Organization" and any(w in _english_mission_words() for w, _, _ in words):
            end = _posted_in(text, end)  # "Embassy of Vietnam in Thailand": where it is is in its name
        if kind:
            out.append(Candidate(start, end, kind, "org-head"))
    return out


#: " in (the) Country", " to the United Nations" after a diplomatic mission's name.
_POSTED_IN = re.compile(r" (?:in|to) (?:the )?([A-Z][\w.'-]*(?: (?:of |the )?[A-Z][\w.'-]*){0,3})")


def _posted_in(text: str, end: int) -> int:
    """The end of " in COUNTRY" (or a city, or " to" an international organisation) after a
    mission's name, if a known one follows; else ``end``."""
    m = _POSTED_IN.match(text, end)
    if m is None:
        return end
    words = m.group(1).split()
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n])
        if lookup(name) is not None:
            return m.start(1) + len(name)
    return end


@functools.cache
def _venue_words() -> frozenset[str]:
    """Capitalised place words that end a venue's name ("Citadel", "Pagoda", "Square")."""
    return frozenset(w for w in terms("en", "place_word") if w[:1].isupper())


@functools.cache
def _english_mission_words() -> frozenset[str]:
    """The words that name a diplomatic mission ("Embassy", "Consulate", "Mission")."""
    return frozenset(terms("en", "mission_word"))


@functools.cache
def _possessives_in_names() -> frozenset[str]:
    """Words whose possessive stays inside a name ("People's Committee", "Women's Union")."""
    return frozenset(terms("en", "possessive_in_name"))


def _holds_prefix(text: str, words: list[tuple[str, int, int]], prefixes: tuple[str, ...]) -> bool:
    """A run opens with one of ``prefixes``, or one starts inside it ("Ho Chi Minh City Department of
    Culture and Sports"): a list of fields may follow ("Ministry of Culture, Sports and Tourism")."""
    return bool(prefixes) and any(text.startswith(prefixes, start) for _, start, _ in words)


def capitalised_runs(text: str, allow_lists_after: tuple[str, ...] = ()) -> list[dict]:
    """Runs of capitalised Latin words joined by single spaces or name connectors."""
    connectors = {"of", "for", "and", "&", "de", "du"}
    runs = []
    current: list[tuple[str, int, int]] = []

    def flush():
        while current and not is_upper_word(current[-1][0]):
            current.pop()
        # a capitalised determiner opens a sentence, not a name ("The Ministry of ...")
        while len(current) > 1 and current[0][0] in LEADING_DETERMINERS:
            current.pop(0)
        if current:
            runs.append({"words": list(current), "start": current[0][1], "end": current[-1][2]})
        current.clear()

    # Thai words are skipped: one ends any run, as the gap before the next Latin word is not a space
    for m in _NON_THAI_WORDS.finditer(text):
        word = m.group(1)
        if not current and not word[0].isupper():
            continue  # only a capitalised word starts a run
        if not word.endswith(("Dr.", "Mr.", "Ms.", "St.")):
            word = word.rstrip(".")
        start = m.start(1)
        end = start + len(word)
        if current and current[-1][0].isupper() and word.isupper() and len(word) > 1 and len(current[-1][0]) > 1:
            flush()
        if current:
            gap = text[current[-1][2] : start]
            ok_gap = gap == " " or (gap == ", " and _holds_prefix(text, current, allow_lists_after))
            if not ok_gap:
                flush()
        one_and = word != "and" or (bool(current) and _holds_prefix(text, current, allow_lists_after)
                                    and "and" not in [w for w, _, _ in current])
        possessive = word.endswith(("'s", "’s")) and len(word) > 2 and word[:-2] not in _possessives_in_names()
        if possessive:  # "South Korea's Ministry of ...": the owner ends its run, the name starts after it
            word, end = word[:-2], end - 2
            if current and current[-1][0] in connectors:
                flush()  # "Ministry of Culture and Vietnam's Ministry ...": the owner opens a run of its own
        if is_upper_word(word) or (word in connectors and current and one_and):
            current.append((word, start, end))
            if possessive:
                flush()
        else:
            flush()
    flush()
    return runs


# ----------------------------------------------------------------------------- Vietnamese


def vietnamese_candidates(doc: Doc) -> list[Candidate]:
    text = doc_text(doc)
    out: list[Candidate] = []
    titles = terms("vi", "title")
    dotted_titles = {t for t in titles if t.endswith(".")}
    surnames = set(terms("vi", "surname"))
    org_heads = terms("vi", "org_prefix")
    initiative_heads = terms("vi", "initiative_prefix")
    all_heads = tuple(sorted(org_heads + initiative_heads, key=len, reverse=True))  # the longest head wins
    place_prefixes = terms("vi", "place_prefix")
    name_phrases = terms("vi", "name_phrase")
    initiative_words = {h.split()[0] for h in initiative_heads}
    mission_heads = set(terms("vi", "mission_prefix"))
    org_stop = set(terms("vi", "org_stop"))
    sentence_words = set(terms("vi", "sentence_word"))
    stop = set(terms("en", "stop"))
    sentence_starts = {s.start_char for s in doc.sents}
    syllables = list(re.finditer(r"[^\W\d_][\w'’-]*", text))
    head_words = _phrases_by_first_syllable(all_heads)  # the first syllables of the heads
    n = len(syllables)
    i = 0
    while i < n:
        word = syllables[i].group()
        # organisation / initiative heads: head + capitalised first word + lowercase descriptor
        head_hit = _match_phrase(text, syllables, i, all_heads) if word in head_words else None
        place_at = None  # "UBND tỉnh Quảng Nam", "Bảo tàng thành phố Hà Nội": a head, then a province or city
        if head_hit and head_hit < n and not is_upper_word(syllables[head_hit].group()):
            place_at = _place_name_at(text, syllables, head_hit, place_prefixes)
            if place_at is None and word in initiative_words:
                place_at = _place_after_descriptor(text, syllables, head_hit, org_stop)
            if place_at is None:
                head_hit = None  # a head is followed by a capitalised name or a place
        if head_hit and head_hit < n and _same_phrase(text, syllables[head_hit - 1], syllables[head_hit]):
            j = head_hit
            titled = _after_title(text, syllables[i].start(), titles)
            named_from = head_hit  # where the name proper starts, after any further heads ("Trường Đại học")
            while named_from < n and (hit := _match_phrase(text, syllables, named_from, all_heads)):
                named_from = hit
            while j + 1 < n and j - i < 16:
                if place_at is not None and j >= place_at and not is_upper_word(syllables[j + 1].group()):
                    break  # the name ends with the place's
                if titled and j >= named_from and _holder_name_at(text, syllables, j + 1, surnames):
                    break  # "Bộ trưởng Bộ Ngoại giao Trần Văn An": the title's holder, not the name
                if _same_phrase(text, syllables[j], syllables[j + 1]) and syllables[j + 1].group() not in org_stop:
                    j += 1
                elif _same_phrase(text, syllables[j], syllables[j + 1]) and (
                        k := _match_phrase(text, syllables, j + 1, name_phrases)):
                    j = k - 1  # "Hiệp hội Xúc tiến phát triển điện ảnh": "phát" ends a name, "phát triển" not
                elif _dash_in_name(text, syllables, j, all_heads, surnames):
                    j += 1  # "Trường Đại học Sân khấu - Điện ảnh Hà Nội"
                elif (k := _vi_list_in_name(text, syllables, j, org_heads)) is not None:
                    j = k
                elif j >= named_from and _vi_and_in_name(text, syllables, j, org_heads + titles, surnames):
                    j += 2
                else:
                    break
            head = text[syllables[i].start() : syllables[head_hit - 1].end()]
            kind = "Initiative" if head in initiative_heads else "Organization"
            if head in mission_heads:  # "Đại sứ quán Việt Nam tại Hàn Quốc": the mission's host is in its name
                j = _posted_at(text, syllables, j, place_prefixes)
            out.append(Candidate(syllables[i].start(), syllables[j].end(), kind, "org-head"))
            i = j + 1
            continue
        if not is_upper_word(word):
            i += 1
            continue
        # a capitalised run
        j = i
        while j + 1 < n and _same_phrase(text, syllables[j], syllables[j + 1]) and is_upper_word(
                syllables[j + 1].group()):
            if j == i and word in sentence_words and syllables[j + 1].group() in head_words:
                break  # "Theo Bộ Ngoại giao, ...": the organisation starts after the sentence's first word
            j += 1
        run = syllables[i : j + 1]
        if j == i and text.startswith(".", syllables[i].end()) and word + "." in dotted_titles:
            i = j + 1  # "PGS.TS Nguyễn ...": an abbreviated title before another, not an acronym
            continue
        out += _classify_vi_run(text, run, titles, surnames, sentence_words, stop,
                                at_sentence_start=syllables[i].start() in sentence_starts,
                                titled=_after_title(text, syllables[i].start(), _lowercase_titles(titles))
                                or _after_posted_title(text, syllables[i].start(), titles))
        i = j + 1
    return out


def _dash_in_name(text: str, syllables: list[re.Match], j: int, heads: tuple[str, ...], surnames: set[str]) -> bool:
    """A dash between two capitalised fields of one name ("Sân khấu - Điện ảnh"), not before another
    organisation ("Trung tâm X - Bộ Y") or a person."""
    if j + 1 >= len(syllables) or text[syllables[j].end() : syllables[j + 1].start()] not in (" - ", " – "):
        return False
    word = syllables[j + 1].group()
    return is_upper_word(word) and word not in surnames and _match_phrase(text, syllables, j + 1, heads) is None


def _posted_at(text: str, syllables: list[re.Match], j: int, place_prefixes: tuple[str, ...]) -> int:
    """The last syllable of "tại"/"ở" and the country or city that follow syllable ``j`` (a diplomatic
    mission's name goes on with where it is), or ``j``."""
    n = len(syllables)
    if j + 2 >= n or syllables[j + 1].group() not in ("tại", "ở") or not all(
            _same_phrase(text, syllables[m], syllables[m + 1]) for m in (j, j + 1)):
        return j
    k = _place_name_at(text, syllables, j + 2, place_prefixes) or j + 2
    for m in range(min(n, k + 4), k, -1):  # the longest gazetteer name there ("Hàn Quốc", "Thành phố Hồ Chí Minh")
        if lookup(text[syllables[k].start() : syllables[m - 1].end()]) is not None:
            return m - 1
    return j


def _place_after_descriptor(text: str, syllables: list[re.Match], k: int, stop: set[str]) -> int | None:
    """Where a place or country's name starts after a few lowercase words from syllable ``k`` ("Hội
    chợ sách quốc tế Hà Nội", "Lễ hội áo dài Thành phố Hồ Chí Minh"): an initiative named by its
    kind and its place."""
    n = len(syllables)
    m = k
    while m < n and m - k < 5 and not is_upper_word(syllables[m].group()):
        if syllables[m].group() in stop or not _same_phrase(text, syllables[m - 1], syllables[m]):
            return None
        m += 1
    if m == k or m >= n or not _same_phrase(text, syllables[m - 1], syllables[m]):
        return None
    for end in range(min(n, m + 5), m, -1):
        entry = lookup(text[syllables[m].start() : syllables[end - 1].end()])
        if entry is not None and entry.kind in ("Place", "Country"):
            return m
    return None


def _place_name_at(text: str, syllables: list[re.Match], k: int, place_prefixes: tuple[str, ...]) -> int | None:
    """Where the name starts, if a place prefix and a capitalised name start at syllable ``k``
    ("tỉnh Quảng Nam", "thành phố Hà Nội")."""
    place = _match_phrase(text, syllables, k, place_prefixes)
    if place and place < len(syllables) and is_upper_word(syllables[place].group()) and _same_phrase(
            text, syllables[place - 1], syllables[place]):
        return place
    return None


def _holder_name_at(text: str, syllables: list[re.Match], k: int, surnames: set[str]) -> bool:
    """A person's name starts at syllable ``k``, after an organisation named behind a title: a family
    name and one to three more capitalised syllables, then no more ("Bộ trưởng Bộ Ngoại giao Trần
    Văn An đã ..."), that no gazetteer knows ("Sở Du lịch Hà Nội")."""
    n = len(syllables)
    if k >= n or syllables[k].group() not in surnames or not _same_phrase(text, syllables[k - 1], syllables[k]):
        return False
    end = k
    while end + 1 < n and _same_phrase(text, syllables[end], syllables[end + 1]) and is_upper_word(
            syllables[end + 1].group()):
        end += 1
    if not 1 <= end - k <= 3:
        return False
    return not any(lookup(text[syllables[k].start() : syllables[m].end()]) for m in range(k, end + 1))


def _vi_and_in_name(text: str, syllables: list[re.Match], j: int, starts: tuple[str, ...],
                    surnames: set[str]) -> bool:
    """"và" joins two fields inside one name ("Bộ Khoa học và Công nghệ", "Sở Văn hóa và Thể thao"):
    it is followed by a capitalised syllable that starts no organisation, title, person or known name
    ("Bộ Ngoại giao và Bộ Công an", "Hội Nhà văn và Hàn Quốc" are two)."""
    n = len(syllables)
    if j + 2 >= n or syllables[j + 1].group() != "và":
        return False
    word = syllables[j + 2].group()
    if not is_upper_word(word) or word in surnames:
        return False
    if not all(_same_phrase(text, syllables[m], syllables[m + 1]) for m in (j, j + 1)):
        return False
    if _match_phrase(text, syllables, j + 2, starts) is not None:
        return False
    last = min(n, j + 5)
    return not any(lookup(text[syllables[j + 2].start() : syllables[m].end()]) for m in range(j + 2, last))


def _vi_list_in_name(text: str, syllables: list[re.Match], j: int, heads: tuple[str, ...]) -> int | None:
    """A list inside a name: "Bộ Văn hóa, Thể thao và Du lịch" (one ministry). After a comma come
    capitalised items up to "và" and a last capitalised item; returns the index of that item's first
    syllable. An item that starts with an organisation head ("..., Hội Điện ảnh và ...") is a list of
    organisations, not one name."""
    n = len(syllables)
    if j + 1 >= n or text[syllables[j].end() : syllables[j + 1].start()] != ", ":
        return None
    k = j + 1
    while k < n and k - j < 10:
        if not is_upper_word(syllables[k].group()) or _match_phrase(text, syllables, k, heads):
            return None
        while k + 1 < n and _same_phrase(text, syllables[k], syllables[k + 1]) and syllables[k + 1].group() != "và" \
                and not is_upper_word(syllables[k + 1].group()):
            k += 1
        gap = text[syllables[k].end() : syllables[k + 1].start()] if k + 1 < n else ""
        if k + 2 < n and gap == " " and syllables[k + 1].group() == "và":
            last = k + 2
            if _same_phrase(text, syllables[k + 1], syllables[last]) and is_upper_word(syllables[last].group()) \
                    and not _match_phrase(text, syllables, last, heads):
                return last
            return None
        if gap == ", ":
            k += 1
            continue
        return None
    return None


def _same_phrase(text: str, a: re.Match, b: re.Match) -> bool:
    return text[a.end() : b.start()] == " "


def _org_like_run(surface: str, words: list[str], at_sentence_start: bool) -> bool:
    """An acronym or brand (``KOCCA``, ``TikTok``), or several undiacritised capitalised words."""
    if len(words) == 1:
        return (surface.isupper() and len(surface) >= 2) or _camel(surface)
    return all(w.isascii() for w in words) and not at_sentence_start


@functools.cache
def _phrases_by_first_syllable(phrases: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """Each phrase's syllables, grouped by the first one, in the order of ``phrases``."""
    index: dict[str, list[list[str]]] = defaultdict(list)
    for phrase in phrases:
        parts = phrase.split()
        if parts:
            index[parts[0]].append(parts)
    return dict(index)


def _match_phrase(text: str, syllables: list[re.Match], i: int, phrases: tuple[str, ...]) -> int | None:
    """If a phrase (one or more syllables) starts at syllable i, the index after it (the first
    phrase of ``phrases`` that matches)."""
    for parts in _phrases_by_first_syllable(phrases).get(syllables[i].group(), ()):
        if i + len(parts) > len(syllables):
            continue
        if all(syllables[i + k].group() == p for k, p in enumerate(parts)) and all(
                _same_phrase(text, syllables[i + k], syllables[i + k + 1]) for k in range(len(parts) - 1)):
            return i + len(parts)
    return None


def _after_title(text: str, start: int, titles: tuple[str, ...]) -> bool:
    """One of ``titles`` ends, as a whole word, right before the space before ``start`` ("ông",
    "Đại sứ", "Bộ trưởng")."""
    before = text[max(0, start - 30) : start]
    if not before.endswith(" "):
        return False
    before = before.rstrip()
    return before.endswith(titles) and any(
        before.endswith(t) and (len(before) == len(t) or not before[-len(t) - 1].isalnum()) for t in titles)


def _after_posted_title(text: str, start: int, titles: tuple[str, ...]) -> bool:
    """A title, its country and "tại"/"ở" end right before ``start``: the run there is where the post
    is, then the holder ("Đại sứ Chile tại Việt Nam Rodrigo Valdes")."""
    if not text.endswith(("tại ", "ở "), max(0, start - 4), start):
        return False
    return _posted_title_pattern(titles).search(text, max(0, start - 60), start) is not None


@functools.cache
def _posted_title_pattern(titles: tuple[str, ...]) -> re.Pattern:
    words = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})(?: [^\W\d_][\w-]*){{1,4}} (?:tại|ở) $")


@functools.cache
def _lowercase_titles(titles: tuple[str, ...]) -> tuple[str, ...]:
    """The titles whose last syllable is lowercase ("ông", "Đại sứ")."""
    return tuple(t for t in titles if not t.split()[-1][0].isupper())


def _classify_vi_run(text, run, titles, surnames, sentence_words, stop, at_sentence_start,
                     titled: bool = False) -> list[Candidate]:
    """Split a capitalised run into titles, gazetteer names and the rest, then type the rest."""
    out = []
    k = 0
    pending: list[re.Match] = []
    after_title = titled

    def flush_pending():
        nonlocal after_title
        if not pending:
            return
        start, end = pending[0].start(), pending[-1].end()
        words = [p.group() for p in pending]
        surface = text[start:end]
        if surface in stop:
            pass
        elif after_title or (words[0] in surnames and 2 <= len(words) <= 4):
            out.append(Candidate(start, end, "Person", "title" if after_title else "run"))
        elif _org_like_run(surface, words, at_sentence_start):
            out.append(Candidate(start, end, "Organization", "run"))
        pending.clear()
        after_title = False

    while k < len(run):
        if k == 0 and at_sentence_start and run[0].group() in sentence_words:
            k += 1
            continue
        title_end = _match_phrase(text, run, k, titles)
        if title_end is not None and title_end < len(run) + 1:
            flush_pending()
            after_title = True
            k = title_end
            continue
        if pending and pending[0].group() in surnames and len(pending) < 4 and lookup(run[k].group()) and (
                k + 1 == len(run) or lookup(text[run[k].start() : run[k + 1].end()]) is None):
            # a given name that is also a country ("Nguyễn Tuấn Anh", "Trần Minh Đức")
            pending.append(run[k])
            k += 1
            continue
        gaz = None
        for m in range(min(len(run), k + 5), k, -1):
            entry = lookup(text[run[k].start() : run[m - 1].end()])
            if entry is not None:
                gaz = (m, entry)
                break
        if gaz is not None and gaz[0] == len(run) and gaz[1].kind == "Place" and pending \
                and pending[0].group() in surnames and len(pending) + gaz[0] - k <= 4:
            # given names that are also a commune or a district ("Nguyễn Quang Minh"), ending the run
            pending.extend(run[k:])
            break
        if gaz is not None:
            keep_title = after_title
            flush_pending()
            m, entry = gaz
            out.append(Candidate(run[k].start(), run[m - 1].end(), entry.kind, "gazetteer",
                                 key=f"{entry.kind}:{entry.key}", label=entry.label,
                                 attrs={"gazetteer": entry.key, "in_country": entry.country}))
            after_title = keep_title  # "Đại sứ Hàn Quốc tại Việt Nam Park Noh Wan"
            k = m
            continue
        pending.append(run[k])
        k += 1
    flush_pending()
    return out


def branches(text: str, kept: list[Candidate], lang: str) -> list[Candidate]:
    """A local branch of an organisation: ``TikTok Vietnam``, ``KOCCA Việt Nam``,
    ``Văn phòng <organisation> (ABBR) tại Việt Nam``."""
    out = []
    countries = {c.start: c for c in kept if c.kind == "Country"}
    branch_heads = terms(lang, "branch_prefix")
    suffixes = set(terms("en", "org_suffix"))
    for c in kept:
        if c.kind != "Organization":
            continue
        parent = {"parent_key": c.key} if c.key else {"parent_span": (c.start, c.end)}
        country = countries.get(c.end + 1)
        if country is not None and text[c.end] == " " and text[c.start : c.end].split()[-1] not in suffixes:
            out.append(Candidate(c.start, country.end, "Organization", "branch",
                                 attrs={**parent, "country": country.key}))
        m = re.compile(r"\s*\(\s*[\w&]+\s*\)\s+(?:tại|ở)\s+").match(text, c.end)
        if m and m.end() in countries:
            before = text[max(0, c.start - 30) : c.start]
            head = next((h for h in branch_heads if before.endswith(h + " ")), None)
            if head:
                country = countries[m.end()]
                out.append(Candidate(c.start - len(head) - 1, country.end, "Organization", "branch",
                                     attrs={**parent, "country": country.key}))
    return out


# ----------------------------------------------------------------------------- Thai


def thai_candidates(doc: Doc, known: list[Candidate]) -> list[Candidate]:
    text = doc_text(doc)
    out: list[Candidate] = []
    out += _thai_titles(doc)
    strong = _thai_headed(doc, terms("th", "org_prefix"), "Organization", known, need_name=False)
    places = _thai_headed(doc, terms("th", "place_prefix"), "Place", known, need_name=False)
    out += strong + places
    weak_heads = terms("th", "org_prefix_weak")
    out += _thai_headed(doc, weak_heads, "Organization", known + strong + places, need_name=True)
    out += _thai_headed(doc, terms("th", "initiative_prefix"), "Initiative", known + strong + places,
                        need_name=True)
    out += _latin_runs_in_thai(text)
    out += _thai_public_organisations(doc)
    return out


@functools.cache
def _thai_dictionary() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


def _is_common_thai(word: str) -> bool:
    return word in _thai_dictionary()


@functools.cache
def _thai_name_stops() -> re.Pattern[str]:
    """Matches a word that starts with a stop word, an event verb, a position or a title: no part of a name."""
    words = terms("th", "name_stop") + trigger_verbs("th") + terms("th", "position") + terms("th", "title")
    return re.compile("|".join(re.escape(w) for w in words) or "(?!)")


#: A part of a name in Thai script; transliterated Korean given names keep their hyphen ("มิน-ซู").
_THAI_NAME_PART = re.compile(rf"[{THAI}]+(?:-[{THAI}]+)*")


def _thai_name_parts(text: str, pos: int, max_parts: int = 3) -> tuple[int, int] | None:
    """Space-separated Thai name parts starting at ``pos``; stops at stop words and positions. A
    Vietnamese name (its family name first) may have four ("เหงียน ถิ แทง เฮือง")."""
    stops = _thai_name_stops()
    parts = []
    i = pos
    while len(parts) < max_parts:
        m = _THAI_NAME_PART.match(text, i)
        if not m:
            break
        part = m.group()
        if stops.match(part) or any(len(piece) > 14 for piece in part.split("-")):
            break
        if not parts and part in _thai_surnames():
            max_parts = max(max_parts, 4)
        nxt = text[m.end() : m.end() + 1]
        parts.append((m.start(), m.end()))
        if nxt != " ":
            break
        i = m.end() + 1
    return _name_span(text, parts)


@functools.cache
def _thai_surnames() -> frozenset[str]:
    return frozenset(terms("th", "surname"))


def _name_span(text: str, parts: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A name from its parts; a one-part name must not be an ordinary word."""
    if not parts:
        return None
    parts = sorted(parts)
    if len(parts) == 1 and _is_common_thai(text[parts[0][0] : parts[0][1]]):
        return None
    return parts[0][0], parts[-1][1]


def _thai_name_parts_before(text: str, pos: int, max_parts: int = 3) -> tuple[int, int] | None:
    """Space-separated Thai name parts ending right before ``pos`` (which follows a space)."""
    stops = _thai_name_stops()
    parts = []
    i = pos
    while len(parts) < max_parts and i > 0 and text[i - 1] == " ":
        m = re.search(rf"[{THAI}]+$", text[max(0, i - 1 - 20) : i - 1])
        if not m:
            break
        start = i - 1 - len(m.group())
        part = m.group()
        if start > 0 and not (text[start - 1].isspace() or text[start - 1] in ",.(|:"):
            break
        if stops.match(part) or len(part) > 14 or lookup(part):
            break
        parts.append((start, i - 1))
        i = start
    return _name_span(text, parts)


#: A Thai title this long is one even when word segmentation glues its end to the name after it.
_THAI_GLUED_TITLE = 5


def _thai_titles(doc: Doc) -> list[Candidate]:
    """``ศาสตราจารย์โทมัส แพตเตอร์สัน`` / ``ดร. โง เฟือง ลาน`` / ``NAME ประธาน VFDA``."""
    text = doc_text(doc)
    starts, ends = token_bounds(doc)
    out = []
    titles = terms("th", "title")
    positions = terms("th", "position")
    # longest first: "นางสาว" (Miss), not "นาง" (Mrs.) and a name "สาว..."
    title_re = re.compile("|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True)))
    for m in title_re.finditer(text):
        if m.start() not in starts or (m.end() not in ends and text[m.end() : m.end() + 1] != " "
                                       and len(m.group()) < _THAI_GLUED_TITLE):
            continue  # "คุณ" inside "คุณภาพ" is not a title (but "นางสาว" in "นาง|สาวศรี|สุดา" is)
        pos = m.end()
        if text[pos : pos + 1] == " ":
            pos += 1
        if re.match(r"[A-Za-z]", text[pos : pos + 1]):
            continue  # Latin names after a title are handled by the Latin-run recogniser
        span = _thai_name_parts(text, pos)
        if span and lookup(text[span[0] : span[1]]) is None and not _starts_with_any(text, span[0], titles):
            out.append(Candidate(span[0], span[1], "Person", "title:th", attrs={"title": m.group()}))
    pos_re = re.compile(r"(?<= )(?:" + "|".join(re.escape(p) for p in positions) + ")")
    for m in pos_re.finditer(text):
        if m.start() not in starts:
            continue
        span = _thai_name_parts_before(text, m.start())
        if span and lookup(text[span[0] : span[1]]) is None:
            out.append(Candidate(span[0], span[1], "Person", "title:th-position"))
    return out


def _starts_with_any(text: str, pos: int, words: tuple[str, ...]) -> bool:
    return bool(words) and _prefix_pattern(words).match(text, pos) is not None


@functools.cache
def _prefix_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Matches where any of ``words`` starts (one C-level scan instead of a ``startswith`` per word)."""
    return re.compile("|".join(map(re.escape, words)))


@functools.cache
def _thai_heads_by_first_char() -> dict[str, list[str]]:
    """Every Thai organisation, initiative and place head, by first character, longest first."""
    all_heads = sorted(set(terms("th", "org_prefix") + terms("th", "org_prefix_weak")
                           + terms("th", "initiative_prefix") + terms("th", "place_prefix")),
                       key=len, reverse=True)
    by_first_char: dict[str, list[str]] = defaultdict(list)
    for h in all_heads:
        by_first_char[h[0]].append(h)
    return dict(by_first_char)


@functools.cache
def _thai_head_starts() -> re.Pattern[str]:
    """Finds every offset where some Thai head starts: each match is the head's first character
    (so heads may overlap), taken only where the lookbehind sees a head start. Starting with a
    character class lets the scan skip every other character in C (0.76 -> 0.45 ms per Thai
    article, against a lookahead tried at every character)."""
    heads = [h for options in _thai_heads_by_first_char().values() for h in options]
    if not heads:
        return re.compile(r"(?!)")
    first = "".join(sorted({h[0] for h in heads}))
    return re.compile(f"[{re.escape(first)}](?<=(?=(?:{'|'.join(map(re.escape, heads))})).)")


def _thai_heads_at(doc: Doc) -> list[tuple[int, str]]:
    """(token index, head) for every token that starts the longest head made of whole tokens."""
    cached = doc.user_data.get("newsgraph.thai_heads")
    if cached is not None:
        return cached
    text = doc_text(doc)
    token_starts, ends = token_bounds(doc)
    starts = token_table(doc).starts
    by_first_char = _thai_heads_by_first_char()
    out = []
    # one C-level scan for where heads start, then the few tokens there (not a loop over every token)
    for match in _thai_head_starts().finditer(text):
        start = match.start()
        if start not in token_starts:
            continue
        heads = [h for h in by_first_char[text[start]] if text.startswith(h, start)]
        head = next((h for h in heads if start + len(h) in ends), None)
        if head is None and heads:
            # a dictionary word that starts with a head and goes on ("มหาวิทยาลัยศิลปากร", one token)
            head = next((h for h in heads if h in _THAI_COMPOUND_HEADS and start + len(h) not in token_starts), None)
        if head is not None:
            out.append((bisect.bisect_left(starts, start), head))
    doc.user_data["newsgraph.thai_heads"] = out
    return out


_THAI_MINISTRY = "กระทรวง"
#: Heads that open dictionary words naming one organisation ("มหาวิทยาลัยศิลปากร", one token); others
#: open common words ("สภาพ", condition; "กรมธรรม์", a policy).
_THAI_COMPOUND_HEADS = frozenset({"มหาวิทยาลัย", "กระทรวง", "สมาคม", "สถาบัน", "โรงเรียน", "พิพิธภัณฑ์",
                                  "วิทยาลัย", "ธนาคาร"})
#: Heads that make any dictionary word they open a proper name ("กระทรวงการต่างประเทศ").
_THAI_PROPER_HEADS = frozenset({"กระทรวง", "มหาวิทยาลัย"})
#: How the rest of a dictionary word opened by another head makes it a common noun: an activity
#: ("สถาบันการศึกษา", "สมาคมการค้า") or a kind ("บริษัทมหาชน", "โรงเรียนนานาชาติ").
_THAI_GENERIC_REST = ("การ", "ความ", "มหาชน", "นานาชาติ", "เอกชน")
#: The rest of a ministry's name that lists its fields, written with a space: " กีฬาและการท่องเที่ยว".
_THAI_LIST_TAIL = re.compile(rf" [{THAI}]{{2,12}} ?และ ?[{THAI}]{{2,30}}")


def _thai_list_tail(text: str, table, k: int, end: int, stops: set[str], verbs: tuple[str, ...]) -> int:
    """Where a ministry's name ends when the fields it lists go on after a space (" กีฬาและการ
    ท่องเที่ยว"), from token ``k`` on; ``end`` when what follows is no such list (a stop word or an
    event verb in it: "กระทรวงวัฒนธรรม ประชาชนและเยาวชนจะ...")."""
    tail = _THAI_LIST_TAIL.match(text, end)
    if tail is None:
        return end
    for t in range(k, min(k + 12, len(table.starts))):
        at = table.starts[t]
        if end < at < tail.end() and (table.words[t] in stops - {"และ"} or _starts_with_any(text, at, verbs)):
            previous = lookup(table.words[t - 1])
            if previous is not None and previous.kind == "Country" and text.find("และ", end, at) >= 0:
                return at  # "... และการท่องเที่ยวเวียดนามที่ให้...": the name ends with its country
            return end
    return tail.end()


def _thai_headed(doc: Doc, heads: tuple[str, ...], kind: str, known: list[Candidate],
                 need_name: bool) -> list[Candidate]:
    """Head word + the name after it, up to a space, a stop word or punctuation.

    The head must be whole tokens (``สภา`` inside ``สภาพ`` is not a head). With ``need_name`` the
    name must contain a foreign word, a Latin word, or a known place/organisation, and ends there.
    """
    text = doc_text(doc)
    generic = terms("th", "generic")
    stops = set(terms("th", "name_stop")) - {"ของ"}
    verbs = trigger_verbs("th")  # "สมาคม...ลงนาม...": a name ends where an event is reported
    inside_known = {at for c in known if c.kind != "Country" for at in range(c.start, c.end)}
    # a country right after the head or one word names an initiative ("สัปดาห์ภาพยนตร์เวียดนาม", Vietnam
    # Film Week; "เทศกาลภาพยนตร์ชิลี"), not an organisation
    country_ends = {c.start: c.end for c in known if c.kind == "Country"} if kind == "Initiative" else {}
    table = token_table(doc)
    starts, ends, words = table.starts, table.ends, table.words
    token_starts = token_bounds(doc)[0]
    out = []
    for i, head in _thai_heads_at(doc):
        if head not in heads:
            continue
        head_start = starts[i]
        head_end = head_start + len(head)
        compound = head_end not in token_starts  # the head opens a dictionary word ("กระทรวงการต่างประเทศ")
        if head_end >= len(text) or text[head_end] in " \n" or (
                not compound and _starts_with_any(text, head_end, generic)):
            continue
        k = i
        while k < len(starts) and starts[k] < head_end:
            k += 1
        end = last_evidence = None
        if compound:  # the head opens a longer word: its rest is a name ("ศิลปากร")
            rest = text[head_end : ends[k - 1]]
            if _starts_with_any(text, ends[k - 1], generic) or (
                    head not in _THAI_PROPER_HEADS and rest.startswith(_THAI_GENERIC_REST)):
                continue  # "สมาคมการค้าหลายแห่ง", several trade associations; "สถาบันการศึกษา", a school
            end = ends[k - 1]
            if not _is_common_thai(text[head_end:end]):
                last_evidence = end
        n = 0
        while k < len(starts) and n < 8:
            word, at = words[k], starts[k]
            if table.is_space[k] or table.is_punct[k] or word in stops or "\n" in word \
                    or _starts_with_any(text, at, verbs):
                break
            end = ends[k]
            if (not _is_common_thai(word) and len(word) > 1) or word.isascii() or at in inside_known:
                last_evidence = end
            elif at in country_ends and n <= 1:
                last_evidence = end = country_ends[at]
                break
            n += 1
            k += 1
        stop_at = last_evidence if need_name else end
        if stop_at is None:
            continue
        if head == _THAI_MINISTRY:  # "กระทรวงวัฒนธรรม กีฬาและการท่องเที่ยว": the list is the name
            stop_at = _thai_list_tail(text, table, k, stop_at, stops, verbs)
        # the name ends at a known name when one is inside ("คณะผู้แทน...ประจำสหประชาชาติ")
        out.append(Candidate(head_start, stop_at, kind, f"org-head:th-{kind.lower()}"))
    return _cut_at_known_names(doc, out)


#: What a Thai public organisation's name is followed by: "(องค์การมหาชน)".
_THAI_PUBLIC = re.compile(r" ?\(องค์การมหาชน\)")


def _thai_public_organisations(doc: Doc) -> list[Candidate]:
    """"หอภาพยนตร์ (องค์การมหาชน)": a public organisation, from the head its name starts with (in the
    words right before the mark) to the mark; a head alone is its whole name here."""
    text = doc_text(doc)
    if "องค์การมหาชน" not in text:
        return []
    heads = terms("th", "org_prefix") + terms("th", "org_prefix_weak")
    out = []
    for m in _THAI_PUBLIC.finditer(text):
        chunk_start = max(text.rfind(" ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        chunk = text[chunk_start : m.start()]
        found = [(chunk.find(h), h) for h in heads if h in chunk]
        if found:
            at = min(found)[0]
            out.append(Candidate(chunk_start + at, m.start(), "Organization", "org-head:th-public"))
    return out


def _cut_at_known_names(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """Thai writes no space after a name: "มหาวิทยาลัยฮาร์วาร์ดถือเป็น..." is the name seen elsewhere
    in the article ("มหาวิทยาลัยฮาร์วาร์ด จัด...") run into common words, so it ends there (but
    "...โคลัมเบียบริติช", a longer name, stays whole)."""
    text = doc_text(doc)
    names = {text[c.start : c.end] for c in cands}
    word_at = words_at(doc)
    out = []
    for c in cands:
        surface = text[c.start : c.end]
        prefix = max((n for n in names if n != surface and surface.startswith(n)), key=len, default=None)
        rest = word_at.get(c.start + len(prefix)) if prefix else None
        if rest is not None and _is_common_thai(rest):
            c = Candidate(c.start, c.start + len(prefix), c.kind, c.rule)
        out.append(c)
    return out


def _latin_runs_in_thai(text: str) -> list[Candidate]:
    """Latin-script names inside Thai text, typed by their words and their Thai context."""
    out = []
    stop = set(terms("en", "stop"))
    suffixes = set(terms("en", "org_suffix"))
    init_suffixes = set(terms("en", "initiative_suffix"))
    titles = terms("th", "title")
    init_heads = terms("th", "initiative_prefix")
    surnames = family_names_first()  # "Le", "Tran", "Nguyen" written without marks
    for run in capitalised_runs(text):
        start, end = run["start"], run["end"]
        words = [w for w, _, _ in run["words"]]
        surface = text[start:end]
        if surface in stop or lookup(surface):
            continue
        before = text[max(0, start - 25) : start].rstrip()
        quoted_before = text[max(0, start - 1) : start] in "\"“"
        if any(before.endswith(h) for h in init_heads) or (quoted_before and any(
                text[max(0, start - 25) : start - 1].rstrip().endswith(h) for h in init_heads)):
            kind = "Initiative"
        elif words[-1] in suffixes:
            kind = "Organization"
        elif words[-1] in init_suffixes and len(words) > 1:
            kind = "Initiative"
        elif any(before.endswith(t) for t in titles) or (
                len(words) >= 2 and (fold(words[0]) in surnames or fold(words[-1]) in surnames)):
            kind = "Person"
        elif len(words) == 1 and (surface.isupper() or _camel(surface)) or len(words) >= 2:
            kind = "Organization"
        else:
            continue
        out.append(Candidate(start, end, kind, "latin"))
    # quoted programme names after an initiative head: โครงการ "Friends of ..."
    for m in QUOTED.finditer(text):
        before = text[max(0, m.start() - 25) : m.start()].rstrip()
        if any(before.endswith(h) for h in init_heads) and re.match(r"[A-Z]", m.group(1)):
            start, end = strip_edges(text, m.start(1), m.end(1))
            out.append(Candidate(start, end, "Initiative", "acronym-def:quoted"))
    return out


def thai_coordination(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """Names listed with known places are places: "เช่น บอสตัน นิวยอร์ก ... และลอนดอน",
    "ฮอลลีวูดหรือโตรอนโต". Only single words standing alone between separators."""
    text = doc_text(doc)
    starts, ends = token_bounds(doc)
    stops = terms("th", "name_stop") + terms("th", "title") + terms("th", "generic") + terms("th", "position")
    covered = [(c.start, c.end) for c in cands]
    places = {(c.start, c.end) for c in cands if c.kind == "Place"}
    sorted_ends = sorted(ends) if places else []
    out = []
    for start, end in sorted(places):
        listed = text[max(0, start - 5) : start].rstrip().endswith("เช่น") or any(
            e == start - 1 for _, e in places)
        pos = end
        while True:
            m = re.compile(rf"( |และ| และ|หรือ| หรือ)([{THAI}]{{2,14}})").match(text, pos)
            if not m or (m.group(1) == " " and not listed):
                break
            s = m.start(2)
            hit = next(((a, b) for a, b in covered if a <= s < b), None)
            if hit is not None:
                pos, listed = hit[1], True
                continue
            after = bisect.bisect_right(sorted_ends, s)
            word_end = sorted_ends[after] if after < len(sorted_ends) else None
            if word_end is None or s not in starts or _starts_with_any(text, s, stops):
                break
            follows = text[word_end : word_end + 4]
            if not (word_end >= len(text) or text[word_end] in " \n,|)" or follows.startswith(("และ", "หรือ"))
                    or any(text.startswith(w, word_end) for w in terms("th", "name_stop"))):
                break
            out.append(Candidate(s, word_end, "Place", "propagated"))
            covered.append((s, word_end))
            places.add((s, word_end))
            pos, listed = word_end, True
    return out


# ----------------------------------------------------------------------------- selection and grouping


def select(cands: list[Candidate]) -> list[Candidate]:
    """Keep the best candidates: no partial overlaps; nesting only of countries/places/orgs."""
    kept: list[Candidate] = []
    cover = [0] * max((c.end for c in cands), default=0)  # how many kept candidates cover each character

    def mark(c: Candidate, step: int) -> None:
        cover[c.start : c.end] = [n + step for n in cover[c.start : c.end]]

    for c in sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if c.end <= c.start:
            continue
        if not any(cover[c.start : c.end]):  # overlaps nothing kept (the common case)
            kept.append(c)
            mark(c, 1)
            continue
        ok = True
        displaced = []
        # the verdict depends only on which kept candidates overlap c, not on their order
        for k in [k for k in kept if k.start < c.end and c.start < k.end]:
            if _holds_city(c, k) or _name_holds_country(c, k):
                displaced.append(k)
                continue
            if (c.start, c.end) == (k.start, k.end):
                ok = False
                break
            inside = k.start <= c.start and c.end <= k.end
            outside = c.start <= k.start and k.end <= c.end
            if inside and _may_nest(c, k):
                continue
            if outside and _may_nest(k, c):
                continue
            ok = False
            break
        if ok:
            if displaced:
                gone = set(map(id, displaced))
                kept = [k for k in kept if id(k) not in gone]
                for k in displaced:
                    mark(k, -1)
            kept.append(c)
            mark(c, 1)
    return sorted(kept, key=lambda c: (c.start, -c.end))


def _name_holds_country(outer: Candidate, inner: Candidate) -> bool:
    """A person's name whose given name is also a country or city ("Nguyễn Tuấn Anh"): the name wins."""
    return (
        outer.kind == "Person"
        and inner.kind in ("Country", "Place")
        and outer.rule in ("run", "title", "latin")
        and outer.start < inner.start
        and inner.end <= outer.end
    )


def _holds_city(outer: Candidate, inner: Candidate) -> bool:
    """An organisation or a headed initiative whose name holds a city ("Boston Global Forum", "Đại học
    Quốc gia Hà Nội", "Hội chợ sách quốc tế Hà Nội"): the name wins and the city inside it is no
    mention of the city."""
    return (
        (outer.kind == "Organization" or outer.kind == "Initiative" and outer.rule.startswith("org-head"))
        and inner.kind == "Place"
        and outer.rule.split(":")[0] not in ("run", "propagated")
        and outer.start <= inner.start
        and inner.end <= outer.end
        and (outer.start, outer.end) != (inner.start, inner.end)
    )


def _may_nest(inner: Candidate, outer: Candidate) -> bool:
    """A country, a known organisation or a headed organisation may sit inside an organisation's name
    ("Journalists Association of Korea"); a truncation of the outer name (same start) may not."""
    if outer.kind not in ("Organization", "Initiative") or inner.kind not in NESTABLE:
        return False
    if inner.kind == "Place":
        return False
    if inner.kind == "Country" or inner.rule.startswith("gazetteer"):
        return True
    return inner.rule.startswith(("org-head", "acronym")) and inner.start > outer.start


def propagate(text: str, kept: list[Candidate], lang: str) -> list[Candidate]:
    """Every other occurrence of a recognised name in the document is a mention too."""
    occupied = bytearray(len(text))  # 1 where a mention already is
    for c in kept:
        occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
    out = []
    seen = set()
    for c in kept:
        surface = text[c.start : c.end]
        if surface in seen or len(surface) < 2 or (c.kind == "Person" and len(surface) < 4):
            continue
        seen.add(surface)
        # every occurrence, left to right, not overlapping (str.find: no regular expression per name)
        s = text.find(surface)
        while s != -1:
            e = s + len(surface)
            if not (occupied[s] or occupied[e - 1]) and _latin_boundaries(text, s, e):  # not inside a mention
                out.append(Candidate(s, e, c.kind, "propagated", key=c.key, label=c.label, attrs=dict(c.attrs)))
                occupied[s:e] = b"\x01" * (e - s)
            s = text.find(surface, e)
    return out


def _name_key(name: str, kind: str) -> str:
    """Folded name; Thai organisation names may drop a linking word (``name_link``: "ของ", "of")."""
    key = fold(name)
    if kind == "Organization":
        for link in terms("th", "name_link"):
            key = key.replace(link, "")
    return key


def group(text: str, kept: list[Candidate], sentences: list[Sentence]) -> list[Entity]:
    """One entity per thing: same key, acronym, branch, name, or a short form of a person's name."""
    sentence_starts = [s.start for s in sentences]

    def sentence_of(pos: int) -> int:  # the last sentence starting at or before pos (else the first)
        return sentences[max(bisect.bisect_right(sentence_starts, pos) - 1, 0)].index if sentences else 0

    # keys
    span_key: dict[tuple[int, int], str] = {}
    name_key: dict[str, str] = {}
    # keyed candidates first: a name used before its acronym definition takes the acronym's key
    for c in sorted(kept, key=lambda c: c.key is None):
        key = c.key or f"{c.kind}:{_name_key(text[c.start:c.end], c.kind)}"
        span_key[(c.start, c.end)] = key
        name_key.setdefault(fold(text[c.start : c.end]), key)
    # acronym full names and their acronyms share the acronym key; names seen with it too
    for c in kept:
        k = span_key[(c.start, c.end)]
        if not c.key:
            span_key[(c.start, c.end)] = name_key.get(fold(text[c.start : c.end]), k)
    # branches: parent key + country
    for c in kept:
        if c.rule == "branch":
            parent = c.attrs.get("parent_key")
            if parent is None and "parent_span" in c.attrs:
                parent = span_key.get(tuple(c.attrs["parent_span"]))
                if parent is None:
                    ps, pe = c.attrs["parent_span"]
                    parent = name_key.get(fold(text[ps:pe]), f"Organization:{fold(text[ps:pe])}")
            c.attrs["parent_key"] = parent
            span_key[(c.start, c.end)] = f"branch:{parent}@{c.attrs.get('country')}"
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in kept:
        groups[span_key[(c.start, c.end)]].append(c)
    # a branch's parent is also an organisation of its own
    # people: short forms and transliterations of a fuller name in the same document
    people = [k for k, cs in groups.items() if cs[0].kind == "Person"]
    merged: dict[str, str] = {}
    names = {k: text[groups[k][0].start : groups[k][0].end] for k in people}
    forms = {k: name_form(name) for k, name in names.items()}
    for a in people:
        for b in people:
            if a == b or a in merged or b in merged:
                continue
            if len(names[a]) <= len(names[b]) and same_person_form(forms[a], forms[b]):
                merged[a] = b
    evidence: dict[str, list[dict]] = defaultdict(list)
    for a, b in merged.items():
        while b in merged:
            b = merged[b]
        name_a = text[groups[a][0].start : groups[a][0].end]
        name_b = text[groups[b][0].start : groups[b][0].end]
        evidence[b].append({"rule": "same-person", "key": f"{name_a} ~ {name_b}", "left": name_a, "right": name_b})
        evidence[b].extend(evidence.pop(a, []))
        groups[b].extend(groups.pop(a))
    entities = []
    key_to_id: dict[str, str] = {}
    for n, (key, cs) in enumerate(sorted(groups.items(), key=lambda kv: min(c.start for c in kv[1]))):
        cs.sort(key=lambda c: c.start)
        kind = _vote_kind(cs)
        mentions = [Mention(text[c.start : c.end], c.start, c.end, sentence_of(c.start), c.rule) for c in cs]
        label = next((c.label for c in cs if c.label), None) or _best_label(mentions, kind)
        attrs: dict = {}
        for c in cs:
            for k, v in c.attrs.items():
                if k in ("gazetteer", "acronym", "country", "parent_key", "title", "in_country"):
                    attrs.setdefault(k, v)
        if kind == "Country" and "gazetteer" in attrs:
            attrs["iso"] = attrs["gazetteer"]
        # why different names in this document are one entity (explain / merges.csv)
        forms = list(dict.fromkeys(m.text for m in mentions))
        grouped = [{"rule": "same-key", "key": key, "left": forms[0], "right": f} for f in forms[1:]]
        grouped = [g for g in grouped if not any(f"{g['right']}" in (e["left"], e["right"]) for e in evidence[key])]
        if grouped or evidence[key]:
            attrs["grouped"] = evidence[key] + grouped
        entity_id = f"e{n}"
        key_to_id[key] = entity_id
        entities.append(Entity(entity_id, kind, label, mentions, attrs))
    for e in entities:
        if "parent_key" in e.attrs:
            e.attrs["parent"] = key_to_id.get(e.attrs.pop("parent_key"))
    return entities


def _vote_kind(cs: list[Candidate]) -> str:
    best = max(cs, key=lambda c: c.priority)
    return best.kind


def _best_label(mentions: list[Mention], kind: str) -> str:
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        counts[m.text] += 1
    latin = [t for t in counts if _THAI_CHAR.search(t) is None]
    pool = latin or list(counts)
    if kind in ("Organization", "Initiative"):
        return max(pool, key=lambda t: (len(t.split()) > 1, len(t), counts[t]))
    return max(pool, key=lambda t: (counts[t], len(t)))


# ----------------------------------------------------------------------------- entry point


def find_entities(doc: Doc, lang: str, sentences: list[Sentence]) -> list[Entity]:
    """All entities of a parsed document."""
    text = doc_text(doc)
    cands = gazetteer_candidates(doc) + hashtag_candidates(text) + acronym_candidates(text, lang)
    cands += photo_credit_candidates(text, lang)
    if lang == "en":
        cands += english_candidates(doc)
    elif lang == "vi":
        cands += vietnamese_candidates(doc)
    elif lang == "th":
        cands += thai_candidates(doc, cands)
        cands += thai_coordination(doc, cands)
    kept = select(cands)
    kept = select(kept + propagate(text, kept, lang))
    if lang in ("en", "vi"):
        kept = select(kept + branches(text, kept, lang))
    return group(text, _honoured_people(text, kept), sentences)


def _honoured_people(text: str, kept: list[Candidate]) -> list[Candidate]:
    """A place right after an honorific is a person named like it: "Ông Hà Giang", "Mr. Ha Nam"."""
    return [Candidate(c.start, c.end, "Person", "honorific") if c.kind == "Place" and _after_honorific(text, c.start)
            else c for c in kept]
