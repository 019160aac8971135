"""Resolution: one node per real-world entity across documents and languages.

Entities of different documents are merged when they share a *blocking key* strong enough for
their kind (so resolution is linear in the number of entities, never all pairs):

=============  ==============================================================================
Country        ISO 3166-1 code (CLDR names in every language, plus variants)
Place          gazetteer id, else the case/diacritic-insensitive name
Organization   gazetteer id; acronym; case/diacritic-insensitive full name; the name without
               the country it begins or ends with, and that country ("กระทรวงวัฒนธรรมของไทย" and
               "กระทรวงวัฒนธรรมแห่งราชอาณาจักรไทย"); a diplomatic mission's kind, sending
               country and host (``graph/data/missions.tsv``: "Embassy of Vietnam in Thailand",
               "Đại sứ quán Việt Nam tại Thái Lan"); branch of a resolved parent in a country
Person         diacritic-insensitive full name (titles are never part of a name); the sound key
               of a Thai-script name equal to that of a Latin name with the same number of parts
Initiative     hashtag or case/diacritic-insensitive name
=============  ==============================================================================

Against over-merging: each key joins an entity to the first holder of that key only, people need a
full name (two parts or more) or a sound key of as many parts, and an acronym defined with two different
full names in one language ("HFA" of a film academy and of a fashion association) joins neither
to the other. Every merge is recorded as a :class:`Merge` with its rule and evidence. An alias file can force
(``same``) or forbid (``different``) merges.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from .extract.lexicon import fold, read_tsv
from .extract.relations import demonyms
from .extract.translit import is_thai, name_key, name_keys
from .model import DocExtraction, Entity, Event


@dataclass
class Member:
    """One document-level entity inside a resolved entity."""

    doc: str
    lang: str
    entity: Entity


@dataclass
class ResolvedEntity:
    id: str
    kind: str
    label: str
    members: list[Member] = field(default_factory=list)
    attrs: dict = field(default_factory=dict)

    @property
    def documents(self) -> list[str]:
        return sorted({m.doc for m in self.members})

    @property
    def aliases(self) -> list[str]:
        return list(dict.fromkeys(alias for m in self.members for alias in m.entity.aliases))


@dataclass
class Merge:
    """Two document-level entities judged to be one thing, and why."""

    resolved: str
    rule: str
    key: str
    left: str  # "doc:label"
    right: str
    documents: tuple[str, str]


@dataclass
class AliasRules:
    """User decisions from an alias file: names that are the same thing, or must stay apart."""

    same: list[tuple[str, str]] = field(default_factory=list)
    different: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path) -> AliasRules:
        """CSV with columns ``name,other,decision`` (decision ``same`` or ``different``), or YAML
        with ``same:`` and ``different:`` lists of ``[name, other]`` pairs."""
        path = Path(path)
        rules = cls()
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text) or {}
            rules.same = [tuple(p) for p in data.get("same", [])]
            rules.different = [tuple(p) for p in data.get("different", [])]
            return rules
        for row in csv.DictReader(text.splitlines()):
            pair = (row["name"].strip(), row["other"].strip())
            decision = row.get("decision", "same").strip().casefold()
            (rules.same if decision == "same" else rules.different).append(pair)
        return rules


def slug(text: str) -> str:
    """A readable, stable id fragment: ASCII when the name is Latin, a hash otherwise."""
    folded = fold(text)
    ascii_part = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if ascii_part and len(ascii_part) >= len(folded.replace(" ", "")) * 0.6:
        return ascii_part[:80]
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"{ascii_part[:40]}-{digest}".strip("-")


class _UnionFind:
    """Union-find that also keeps each cluster's organisations' defined full names and, when asked
    (``track_members``: only alias rules that forbid merges look at them), each cluster's members."""

    def __init__(self, track_members: bool = False) -> None:
        self.parent: dict[int, int] = {}
        self.members: dict[int, set[int]] | None = {} if track_members else None
        self.full_names: dict[int, set[tuple[str, str]]] = {}  # (language, folded full name)

    def find(self, x: int) -> int:
        parent = self.parent
        if x not in parent:
            parent[x] = x
            if self.members is not None:
                self.members[x] = {x}
            return x
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def cluster(self, x: int) -> set[int]:
        if self.members is None:
            raise RuntimeError("members are not tracked")
        return self.members[self.find(x)]

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        if self.members is not None:
            self.members[keep] |= self.members.pop(gone)
        gone_names = self.full_names.pop(gone, None)
        if gone_names:
            self.full_names[keep] = self.full_names.get(keep, set()) | gone_names
        return True


def _full_name(entity: Entity) -> str | None:
    """The folded full name an acronym was defined with in this document ("Hanoi Film Academy (HFA)")."""
    acronym = entity.attrs.get("acronym")
    if not acronym:
        return None
    names = [a for a in entity.aliases if a != acronym and not re.fullmatch(r"[A-Z][A-Za-z0-9&]*[A-Z]", a)]
    return fold(names[0]) if names else None


def _acronym_clash(uf: _UnionFind, i: int, j: int) -> bool:
    """One acronym defined with two different full names in one language: "HFA" of a film academy
    and of a fashion association. (Full names in different languages may be translations.)"""
    a, b = uf.full_names.get(uf.find(i), set()), uf.full_names.get(uf.find(j), set())
    for lang in {lg for lg, _ in a} & {lg for lg, _ in b}:
        if not ({n for lg, n in a if lg == lang} & {n for lg, n in b if lg == lang}):
            return True
    return False


def blocking_keys(entity: Entity, lang: str) -> list[tuple[str, str]]:
    """(rule, key) pairs under which this entity may merge with others of its kind."""
    kind = entity.kind
    keys: list[tuple[str, str]] = []
    if "iso" in entity.attrs:
        keys.append(("iso-code", f"{kind}:{entity.attrs['iso']}"))
    if "gazetteer" in entity.attrs:
        keys.append(("gazetteer", f"{kind}:{entity.attrs['gazetteer']}"))
    if kind == "Country":
        return keys
    if "acronym" in entity.attrs and kind in ("Organization", "Initiative"):
        keys.append(("acronym", f"{kind}:acr:{entity.attrs['acronym']}"))
    for alias in entity.aliases:
        folded = fold(alias)
        if kind == "Person":
            if is_thai(alias):
                parts = name_key(alias)
                if len(parts) >= 2:
                    keys.append(("sound-key", f"Person:sound:{'-'.join(parts)}"))
                continue
            if len(folded.split()) >= 2:
                keys.append(("name", f"Person:{folded}"))
                if not any(is_thai(a) for a in entity.aliases):
                    # every way Thai may write it by ear ("Giang": เกียง or ซาง)
                    for parts in name_keys(alias):
                        if len(parts) >= 2:
                            keys.append(("sound-key", f"Person:sound:{'-'.join(parts)}"))
            continue
        if kind in ("Organization", "Initiative") and re.fullmatch(r"[A-Z][A-Za-z0-9&]*[A-Z]", alias):
            keys.append(("acronym", f"{kind}:acr:{alias}"))
            continue
        if len(folded) >= 3:
            keys.append(("name", f"{kind}:{folded}"))
    return keys


#: What joins an organisation's name to the country it ends with: "ของ", "แห่ง", "của", "of (the)".
_COUNTRY_JOIN_AFTER = re.compile(r"(?:\s*(?:ของ|แห่ง|của)|\s+of(?:\s+the)?)?\s*$", re.IGNORECASE)
#: What follows a country an organisation's name begins with: "'s".
_COUNTRY_JOIN_BEFORE = re.compile(r"^(?:['’]s)?\s*")


def _country_named_keys(x: DocExtraction) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(document, entity) -> ("name-country", "Kind:name@ISO") for each organisation named with a
    country at the start or end of its name (the ``name-country`` basedIn relations of extraction),
    its name taken without the country and the words joining it, or after a country's possessive
    ("Thailand's Ministry of Culture")."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    text = x.doc.text
    for r in x.relations:
        if r.relation != "basedIn" or r.rule not in ("name-country", "possessive"):
            continue
        org, country = x.entity(r.head), x.entity(r.tail)
        iso = country.attrs.get("iso")
        if not iso:
            continue
        keys = out.setdefault((x.doc.id, org.id), [])
        if r.rule == "possessive":  # "Thailand's Ministry of Culture": its names are without the country
            keys += [("name-country", f"{org.kind}:{fold(alias)}@{iso}") for alias in org.aliases if len(alias) >= 3]
            continue
        for m in org.mentions:
            for c in country.mentions:
                if not (m.start <= c.start and c.end <= m.end) or (c.start, c.end) == (m.start, m.end):
                    continue
                if c.end == m.end:
                    base = text[m.start : c.start]
                    base = base[: _COUNTRY_JOIN_AFTER.search(base).start()]
                elif c.start == m.start:
                    base = text[c.end : m.end]
                    base = base[_COUNTRY_JOIN_BEFORE.match(base).end() :]
                else:
                    continue
                folded = fold(base).strip()
                if len(folded) >= 3:
                    keys.append(("name-country", f"{org.kind}:{folded}@{iso}"))
    return out


@functools.cache
def mission_words(lang: str) -> tuple[tuple[str, str], ...]:
    """(word, kind) of the diplomatic missions of ``lang`` (``graph/data/missions.tsv``)."""
    return tuple((row["word"], row["kind"]) for row in read_tsv("missions.tsv") if row["lang"] == lang)


def _mission_keys(x: DocExtraction) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(document, entity) -> ("mission", "mission:KIND:SENDER@HOST") for a diplomatic mission whose
    name holds the country that sends it (or, in English, opens with its nationality: "Vietnamese
    Embassy in ...") and the country, city or international organisation it is at."""
    words = mission_words(x.doc.lang)
    if not words:
        return {}
    codes_of = {e.id: code for e in x.entities if (code := _where_code(e))}
    places = sorted((m.start, m.end, codes_of[e.id]) for e in x.entities if e.id in codes_of for m in e.mentions)
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for org in x.entities:
        if org.kind != "Organization":
            continue
        for m in org.mentions:
            kind = next((k for w, k in words if w in m.text), None)
            if kind is None:
                continue
            codes = [code for s, e, code in places if m.start <= s and e <= m.end and (s, e) != (m.start, m.end)]
            first = m.text.split()[0] if x.doc.lang == "en" else ""
            if first in demonyms():
                codes.insert(0, demonyms()[first])
            codes = list(dict.fromkeys(codes))
            if len(codes) >= 2:
                out.setdefault((x.doc.id, org.id), []).append(("mission", f"mission:{kind}:{codes[0]}@{codes[1]}"))
    return out


def _where_code(entity: Entity) -> str:
    """An ISO code for a country, its country's for a place, a gazetteer id for an international
    organisation; "" for anything else."""
    if entity.kind == "Country":
        return entity.attrs.get("iso", "")
    if entity.kind == "Place":
        return entity.attrs.get("in_country") or ""
    return f"org:{entity.attrs['gazetteer']}" if entity.kind == "Organization" and "gazetteer" in entity.attrs else ""


def resolve(
    extractions: list[DocExtraction], aliases: AliasRules | None = None
) -> tuple[list[ResolvedEntity], dict[tuple[str, str], str], list[Merge]]:
    """Merge document-level entities into resolved ones.

    Returns the resolved entities, a map ``(doc id, local entity id) -> resolved id`` and the
    merges with their evidence.
    """
    members: list[Member] = [Member(x.doc.id, x.doc.lang, e) for x in extractions for e in x.entities]
    first_with_key: dict[str, int] = {}
    merges_raw: list[tuple[int, int, str, str]] = []
    country_named: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for x in extractions:
        for key, keys in chain(_country_named_keys(x).items(), _mission_keys(x).items()):
            country_named.setdefault(key, []).extend(keys)
    forbidden = _forbidden_pairs(members, aliases)
    uf = _UnionFind(track_members=bool(forbidden))
    for i, member in enumerate(members):
        full = _full_name(member.entity)
        if full:
            uf.full_names[uf.find(i)] = {(member.lang, full)}
    for i, member in enumerate(members):
        keys = blocking_keys(member.entity, member.lang)
        if country_named:
            keys += country_named.get((member.doc, member.entity.id), [])
        for rule, key in keys:
            j = first_with_key.setdefault(key, i)
            if j == i:
                continue
            if _forbids(uf, i, j, forbidden) or (rule == "acronym" and _acronym_clash(uf, i, j)):
                continue
            if uf.union(i, j):
                merges_raw.append((j, i, rule, key))
    # branches: a local office of a parent in a country, once parents are resolved
    branch_first: dict[str, int] = {}
    index = {(m.doc, m.entity.id): i for i, m in enumerate(members)}
    for i, member in enumerate(members):
        parent = member.entity.attrs.get("parent")
        country = member.entity.attrs.get("country")
        if parent and country and (member.doc, parent) in index:
            key = f"branch:{uf.find(index[(member.doc, parent)])}@{country}"
            j = branch_first.setdefault(key, i)
            if j != i and not _forbids(uf, i, j, forbidden) and uf.union(i, j):
                merges_raw.append((j, i, "branch", key))
    # forced merges from the alias file
    if aliases:
        by_name: dict[str, list[int]] = defaultdict(list)
        for i, m in enumerate(members):
            for alias in m.entity.aliases + [m.entity.label]:
                by_name[fold(alias)].append(i)
        for a, b in aliases.same:
            for i in by_name.get(fold(a), []):
                for j in by_name.get(fold(b), []):
                    if members[i].entity.kind == members[j].entity.kind and uf.union(i, j):
                        merges_raw.append((i, j, "alias-file", f"{a} = {b}"))
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(members)):
        clusters[uf.find(i)].append(i)
    resolved: list[ResolvedEntity] = []
    root_to_id: dict[int, str] = {}
    mapping: dict[tuple[str, str], str] = {}
    used_ids: set[str] = set()
    for root, idxs in sorted(clusters.items()):
        group = [members[i] for i in idxs]
        kind = group[0].entity.kind
        label = _canonical_label(group)
        attrs = {}
        for m in group:
            for k in ("iso", "acronym"):
                if k in m.entity.attrs:
                    attrs.setdefault(k, m.entity.attrs[k])
        base = f"{kind.lower()}/{attrs['iso'] if kind == 'Country' and 'iso' in attrs else slug(label)}"
        node_id, n = base, 2
        while node_id in used_ids:
            node_id, n = f"{base}-{n}", n + 1
        used_ids.add(node_id)
        root_to_id[root] = node_id
        resolved.append(ResolvedEntity(node_id, kind, label, group, attrs))
        for m in group:
            mapping[(m.doc, m.entity.id)] = node_id
    merges = [
        Merge(
            root_to_id[uf.find(a)],
            rule,
            key,
            f"{members[a].doc}:{members[a].entity.label}",
            f"{members[b].doc}:{members[b].entity.label}",
            (members[a].doc, members[b].doc),
        )
        for a, b, rule, key in merges_raw
    ]
    # names grouped inside one document ("KOCCA" and its full name, a Thai and a Latin spelling)
    for m in members:
        for g in m.entity.attrs.get("grouped", []):
            merges.append(Merge(mapping[(m.doc, m.entity.id)], f"in-document:{g['rule']}", g["key"],
                                f"{m.doc}:{g['left']}", f"{m.doc}:{g['right']}", (m.doc, m.doc)))
    return resolved, mapping, merges


def _forbidden_pairs(members: list[Member], aliases: AliasRules | None) -> list[tuple[set[int], set[int]]]:
    if not aliases:
        return []
    by_name: dict[str, set[int]] = defaultdict(set)
    for i, m in enumerate(members):
        for alias in m.entity.aliases + [m.entity.label]:
            by_name[fold(alias)].add(i)
    return [(by_name.get(fold(a), set()), by_name.get(fold(b), set())) for a, b in aliases.different]


def _forbids(uf: _UnionFind, i: int, j: int, forbidden: list[tuple[set[int], set[int]]]) -> bool:
    """Whether merging the clusters of i and j would put two forbidden names together."""
    if not forbidden:
        return False
    ci, cj = uf.cluster(i), uf.cluster(j)
    return any((ci & a and cj & b) or (ci & b and cj & a) for a, b in forbidden)


def _canonical_label(group: list[Member]) -> str:
    """An English/Latin label when there is one: gazetteer labels first, then the most frequent."""
    counts: dict[str, int] = defaultdict(int)
    for m in group:
        counts[m.entity.label] += len(m.entity.mentions)
    latin = [label for label in counts if not is_thai(label)]
    english = [m.entity.label for m in group if m.lang == "en"]
    pool = english or latin or list(counts)
    return max(pool, key=lambda label: (counts[label], len(label)))


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Two ISO dates of different precision can be one date ("2025" and "2025-03-04")."""
    return not a or not b or a.startswith(b) or b.startswith(a)


def resolve_events(
    extractions: list[DocExtraction], mapping: dict[tuple[str, str], str]
) -> tuple[dict[tuple[str, str], str], list[Merge]]:
    """One node per event reported by several documents, in any languages.

    Two events of different documents are one when they have the same type, compatible dates and
    a shared resolved participant (blocking key: type + participant), and, when either is
    undated, at least two shared participants. Every member of a merged event must agree with
    every other (no chains through a third report). Returns ``(doc id, event id) -> node id`` and
    the merges with their evidence.
    """
    clusters: list[_EventCluster] = []
    # (type, participant) -> the clusters holding it, in the order they came to hold it
    by_key: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    # Clusters an event can fit, by their first member (every member must agree with the event):
    # sharing two participants with it, or, if the first member is dated, one.
    by_pair: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    dated_by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    merges_raw: list[tuple[int, str, str, str]] = []
    for x in extractions:
        for ev in x.events:
            parts = {mapping[(x.doc.id, a.entity)] for a in ev.arguments if (x.doc.id, a.entity) in mapping}
            parts = {p for p in parts if not p.startswith("country/")}
            ordered = sorted(parts)
            candidates = {c for pair in _pairs(ev.event_type, ordered) for c in by_pair.get(pair, ())}
            if ev.date:
                candidates.update(c for p in ordered for c in dated_by_key.get((ev.event_type, p), ()))
            chosen = None
            for p in ordered if candidates else ():
                holders = by_key.get((ev.event_type, p), {})
                for c in sorted((c for c in candidates if c in holders), key=holders.__getitem__):
                    if clusters[c].fits(x.doc.id, ev, parts):
                        chosen = c
                        first_x, first_ev, _ = clusters[c].members[0]
                        merges_raw.append((c, f"{first_x.doc.id}:{first_ev.label}",
                                           f"{x.doc.id}:{ev.label}", f"{ev.event_type} + {p}"))
                        break
                if chosen is not None:
                    break
            if chosen is None:
                chosen = len(clusters)
                clusters.append(_EventCluster())
                for pair in _pairs(ev.event_type, ordered):
                    by_pair[pair].append(chosen)
                if ev.date:
                    for p in ordered:
                        dated_by_key[(ev.event_type, p)].append(chosen)
            clusters[chosen].add(x, ev, parts)
            for p in parts:
                holders = by_key[(ev.event_type, p)]
                holders.setdefault(chosen, len(holders))
    event_ids: dict[tuple[str, str], str] = {}
    cluster_ids = []
    for cluster in clusters:
        group = cluster.members
        x, ev, _ = group[0]
        dates = sorted((e.date for _, e, _ in group if e.date), key=len, reverse=True)
        digest = hashlib.sha1(f"{x.doc.id}/{ev.id}/{ev.trigger}".encode()).hexdigest()[:8]
        node = f"event/{ev.event_type.lower()}-{dates[0] if dates else 'undated'}-{digest}"
        cluster_ids.append(node)
        for member_x, member_ev, _ in group:
            event_ids[(member_x.doc.id, member_ev.id)] = node
    merges = [
        Merge(cluster_ids[c], "event", key, left, right, (left.split(":", 1)[0], right.split(":", 1)[0]))
        for c, left, right, key in merges_raw
    ]
    return event_ids, merges


def _pairs(event_type: str, parts: list[str]) -> list[tuple[str, str, str]]:
    """(type, participant, participant) keys of a sorted list of participants."""
    return [(event_type, a, b) for i, a in enumerate(parts) for b in parts[i + 1 :]]


@dataclass
class _EventCluster:
    """The reports of one event, and what a new report must agree with (see :func:`resolve_events`)."""

    members: list[tuple[DocExtraction, Event, set[str]]] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)
    # The most precise date: the members' dates agree pairwise, so each is a prefix of this one,
    # and a date compatible with it is compatible with them all.
    date: str | None = None
    # (participants, dated) of the members, each once (reports with the same ones agree with the
    # same reports) -> its number; for each participant, the numbers of the shapes holding it; the
    # numbers of the undated shapes
    shapes: dict[tuple[frozenset[str], bool], int] = field(default_factory=dict)
    holders: dict[str, set[int]] = field(default_factory=dict)
    undated: set[int] = field(default_factory=set)

    def add(self, x: DocExtraction, ev: Event, parts: set[str]) -> None:
        self.members.append((x, ev, parts))
        self.documents.add(x.doc.id)
        if ev.date and len(ev.date) > len(self.date or ""):
            self.date = ev.date
        shape = (frozenset(parts), bool(ev.date))
        if shape not in self.shapes:
            number = self.shapes[shape] = len(self.shapes)
            for p in parts:
                self.holders.setdefault(p, set()).add(number)
            if not ev.date:
                self.undated.add(number)

    def fits(self, doc_id: str, ev: Event, parts: set[str]) -> bool:
        """Whether ``ev`` (of document ``doc_id``, with resolved ``parts``) agrees with every member:
        it shares a participant with each, and two with each unless both are dated.

        Counted with sets of shape numbers (which shapes hold one of its participants, which hold
        two), not by comparing it with every shape.
        """
        if doc_id in self.documents or not dates_compatible(ev.date, self.date):
            return False
        held = [self.holders[p] for p in parts if p in self.holders]
        if len(set().union(*held)) < len(self.shapes):  # a member shares no participant with it
            return False
        if ev.date and not self.undated:
            return True
        two: set[int] = set()
        for i, a in enumerate(held):
            for b in held[i + 1 :]:
                two |= a & b
        return self.undated <= two if ev.date else len(two) == len(self.shapes)
