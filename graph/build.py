"""Build the networkx graph, with provenance, from resolved entities, events and relations.

The graph is a ``networkx.MultiDiGraph``. This is its contract, read by every exporter and by
``score_graph.py`` (after flattening by :mod:`graph.export`):

Node ids are stable strings derived from canonical names: ``country/VN``,
``person/dang-hoang-giang``, ``organization/viet-nam-journalists-association``,
``event/<type>-<date>-<hash>`` (one node per event, however many articles report it).

Node attributes (Python values; exporters flatten lists with ``|`` and dicts to JSON):

``kind``        Person | Organization | Country | Place | Initiative | Event
``label``       canonical name (str)
``aliases``     every surface form exactly as written (list[str])
``documents``   ids of the documents that mention it (list[str])
``langs``       languages of those documents (list[str])
``mentions``    provenance, one dict per mention:
                ``{"doc", "lang", "sentence", "start", "end", "text"}`` (offsets into the
                document's cleaned text)
``iso``         ISO 3166-1 alpha-2 code (Country nodes)
``event_type``  Meeting | Agreement | Opening | Launch | Visit | Other (Event nodes)
``cameo``       nearest CAMEO code of the event type (Event nodes)
``date``        ISO date as precise as the text allows, or absent (Event nodes)
``end_date``    ISO end date of a range, or absent (Event nodes)
``trigger``     trigger words as written (Event nodes; ``aliases`` has those of every report)
``evidence``    the trigger sentence of each report: ``{"doc", "sentence", "text"}`` (Event nodes)

Edge attributes:

``relation``    participant | location | holdsPosition | memberOf | basedIn | locatedIn | partnerOf
``role``        organizer | signatory | speaker | moderator | host | visitor | participant
                (participant edges: event -> entity)
``title``       the position as written (holdsPosition edges)
``documents``   ids of the documents that state it (list[str])
``evidence``    one dict per statement: ``{"doc", "sentence", "text"}`` (the sentence)

Graph attributes: ``documents`` maps a document id to its metadata (title, date, source, lang,
path); ``run`` describes the run (tool version, models, start and end time).
"""

from __future__ import annotations

from datetime import UTC, datetime

import networkx as nx

from . import __version__
from .model import DocExtraction
from .resolve import Merge, ResolvedEntity, resolve_events

#: Nearest CAMEO code of each event type (CAMEO 1.1b3), for joins with GDELT-style data.
CAMEO = {
    "Meeting": "040",  # Consult
    "Agreement": "057",  # Sign formal agreement
    "Opening": "030",  # Express intent to cooperate (nearest: no opening code)
    "Launch": "030",
    "Visit": "042",  # Make a visit
    "Other": "",
}


def build_graph(
    extractions: list[DocExtraction],
    resolved: list[ResolvedEntity],
    mapping: dict[tuple[str, str], str],
    merges: list[Merge] | None = None,
    run: dict | None = None,
    event_ids: dict[tuple[str, str], str] | None = None,
) -> nx.MultiDiGraph:
    """The knowledge graph of the contract above.

    ``event_ids`` maps ``(doc id, event id)`` to the event's node (see
    :func:`graph.resolve.resolve_events`); without it, events are resolved here.
    """
    G = nx.MultiDiGraph()
    G.graph["documents"] = {x.doc.id: x.doc.meta() | {"sentences": len(x.sentences)} for x in extractions}
    G.graph["run"] = (run or {}) | {"tool": "newsgraph", "version": __version__}
    if event_ids is None:
        event_ids, event_merges = resolve_events(extractions, mapping)
        merges = list(merges or []) + event_merges
    G.graph["merges"] = [m.__dict__ for m in merges or []]
    for r in resolved:
        mentions = []
        for member in r.members:
            for m in member.entity.mentions:
                mentions.append({"doc": member.doc, "lang": member.lang, "sentence": m.sentence,
                                 "start": m.start, "end": m.end, "text": m.text, "rule": m.rule})
        attrs = {
            "kind": r.kind,
            "label": r.label,
            "aliases": r.aliases,
            "documents": r.documents,
            "langs": sorted({m.lang for m in r.members}),
            "mentions": mentions,
        }
        if r.kind == "Country" and "iso" in r.attrs:
            attrs["iso"] = r.attrs["iso"]
        G.add_node(r.id, **attrs)
    edges = _Edges(G)
    listed: dict[str, dict[str, set]] = {}
    for x in extractions:
        _add_events(G, edges, listed, x, mapping, event_ids)
        for rel in x.relations:
            head, tail = mapping.get((x.doc.id, rel.head)), mapping.get((x.doc.id, rel.tail))
            if head is None or tail is None or head == tail:
                continue
            extra = {"title": rel.title} if rel.title else {}
            edges.add(head, tail, rel.relation, x, rel.sentence, **extra)
    return G


class _Edges:
    """One edge per (u, v, relation[, role/title]); statements from more documents add provenance.

    A statement joins the first edge of (u, v) with its relation whose attributes agree with its
    own (one without a title joins a titled holdsPosition edge); documents and evidence are kept
    once each, looked up in sets rather than in the edge's lists.
    """

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        # (u, v, relation) -> per edge: its extra attributes, its documents and evidence (the lists
        # in the graph, and sets of the same, the evidence as (doc, sentence, text))
        self.index: dict[tuple[str, str, str], list[tuple[dict, list, list, set[str], set[tuple]]]] = {}
        self._doc: DocExtraction | None = None  # the document whose sentence texts are at hand
        self._texts: dict[int, str] = {}

    def sentence_text(self, x: DocExtraction, sentence: int) -> str:
        """The text of a sentence of ``x``: one string for all the statements made in it, cut once
        and hashed once (documents are added one after the other)."""
        if x is not self._doc:
            self._doc, self._texts = x, {}
        text = self._texts.get(sentence)
        if text is None:
            text = self._texts[sentence] = x.sentence_text(sentence)
        return text

    def add(self, u: str, v: str, relation: str, x: DocExtraction, sentence: int, **attrs) -> None:
        text = self.sentence_text(x, sentence)
        evidence = {"doc": x.doc.id, "sentence": sentence, "text": text}
        said = (x.doc.id, sentence, text)
        same = self.index.setdefault((u, v, relation), [])
        for extra, documents, evidences, document_set, said_set in same:
            if all(extra.get(k) == val for k, val in attrs.items()):
                if x.doc.id not in document_set:
                    document_set.add(x.doc.id)
                    documents.append(x.doc.id)
                if said not in said_set:
                    said_set.add(said)
                    evidences.append(evidence)
                return
        documents, evidences = [x.doc.id], [evidence]
        self.G.add_edge(u, v, relation=relation, documents=documents, evidence=evidences, **attrs)
        same.append((attrs, documents, evidences, {x.doc.id}, {said}))


def _add_events(
    G: nx.MultiDiGraph,
    edges: _Edges,
    listed: dict[str, dict[str, set]],
    x: DocExtraction,
    mapping: dict[tuple[str, str], str],
    event_ids: dict[tuple[str, str], str],
) -> None:
    """Event nodes; an event already added from another document gains this one's provenance.

    ``listed`` holds, per event node, the values of its list attributes as a set (dicts as their
    items), so adding a report does not search the lists.
    """
    for ev in x.events:
        node = event_ids.get((x.doc.id, ev.id)) or f"event/{x.doc.id}/{ev.id}"
        mention = {"doc": x.doc.id, "lang": x.doc.lang, "sentence": ev.sentence, "start": ev.start,
                   "end": ev.end, "text": ev.trigger, "rule": "trigger"}
        evidence = {"doc": x.doc.id, "sentence": ev.sentence, "text": edges.sentence_text(x, ev.sentence)}
        if node in G:
            attrs = G.nodes[node]
            for key, value in (("aliases", ev.trigger), ("documents", x.doc.id), ("langs", x.doc.lang),
                               ("mentions", mention), ("evidence", evidence)):
                seen = listed[node][key]
                if _hashable(value) not in seen:
                    seen.add(_hashable(value))
                    attrs[key].append(value)
            if ev.date and len(ev.date) > len(attrs.get("date", "")):
                attrs["date"] = ev.date
            if ev.end_date and not attrs.get("end_date"):
                attrs["end_date"] = ev.end_date
        else:
            attrs = {
                "kind": "Event",
                "label": ev.label or f"{ev.event_type}: {ev.trigger}",
                "aliases": [ev.trigger],
                "documents": [x.doc.id],
                "langs": [x.doc.lang],
                "event_type": ev.event_type,
                "cameo": CAMEO.get(ev.event_type, ""),
                "trigger": ev.trigger,
                "mentions": [mention],
                "evidence": [evidence],
            }
            if ev.date:
                attrs["date"] = ev.date
            if ev.end_date:
                attrs["end_date"] = ev.end_date
            G.add_node(node, **attrs)
            listed[node] = {key: {_hashable(v) for v in attrs[key]} for key in _EVENT_LISTS}
        for arg in ev.arguments:
            target = mapping.get((x.doc.id, arg.entity))
            if target:
                edges.add(node, target, "participant", x, ev.sentence, role=arg.role)
        if ev.location and mapping.get((x.doc.id, ev.location)):
            edges.add(node, mapping[(x.doc.id, ev.location)], "location", x, ev.sentence)


_EVENT_LISTS = ("aliases", "documents", "langs", "mentions", "evidence")


def _hashable(value: str | dict) -> str | tuple:
    return tuple(value.items()) if isinstance(value, dict) else value


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
