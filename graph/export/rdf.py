"""RDF export: Turtle and TriG (by pyoxigraph), N-Quads and JSON-LD (written as pyoxigraph writes them).

The vocabulary is data: ``graph/data/ontology.ttl`` declares every class and property written
here, with the mapping of the graph contract (:mod:`graph.build`) to RDF in its header.

IRIs (``base`` is ``--base-iri``, default ``https://newsgraph.example/``), stable across runs
because they derive from node ids and document ids only; every path segment is
percent-encoded (all but ``A-Za-z0-9-._~``), so no text reaches the serialisation unescaped:

=====================  ============================================================
node (entity, event)   ``{base}id/{node id}``          e.g. ``{base}id/country/VN``
document               ``{base}doc/{doc id}``
article named graph    ``{base}graph/doc/{doc id}``
provenance graph       ``{base}graph/provenance``
membership (position)  ``{base}membership/{sha1(person, organisation, title)[:16]}``
role (a title)         ``{base}role/{sha1(title)[:16]}``
run                    ``{base}run/{sha1(run description)[:16]}``
tool                   ``{base}agent/newsgraph/{version}``
model                  ``{base}model/{name}/{version}``
=====================  ============================================================

Datasets: the facts an article states (its entities with type, label, aliases and
``prov:wasDerivedFrom`` the article, its events, the relations it states) are in that
article's named graph; documents' metadata, the run and the article graphs' own provenance are
in the provenance graph; facts with no document (which the pipeline should not produce) are in
the default graph. ``graph.ttl`` is the union, without duplicates, one statement per subject
(its predicates and objects in the order they first appear in the dataset). Output order is
sorted, so two runs over the same graph write the same bytes.

Speed: the dataset is built as Python tuples (:data:`Quad`), never as one pyoxigraph object per
quad; N-Quads and JSON-LD are written from them directly, graph by graph
(``tests/reference_writers.py`` holds the pyoxigraph versions they match byte for byte), and
pyoxigraph parses N-Quads and N-Triples text to write TriG and Turtle (cut at graph and at
subject boundaries). With a reuse folder, the graphs that did not change since the last export
are copied from its files (:mod:`graph.export.reuse`), and so are the subjects' statements of
the Turtle file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx
import pyoxigraph as ox

from graph.fileio import settled

from .reuse import (
    RDF_INDEX,
    Fingerprinter,
    Fragments,
    Span,
    SpanIndex,
    SpanWriter,
    Stamp,
    last_export,
    save_export,
    span_file,
)

DEFAULT_BASE_IRI = "https://newsgraph.example/"

NG = "https://newsgraph.example/ns#"
SCHEMA = "http://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"

#: Prefixes used in Turtle, TriG and the JSON-LD ``@context``.
PREFIXES = {
    "ng": NG,
    "schema": SCHEMA,
    "org": ORG,
    "prov": PROV,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

#: Classes of each contract ``kind`` (the first is the one to count by).
KIND_CLASSES: dict[str, tuple[str, ...]] = {
    "Person": (SCHEMA + "Person",),
    "Organization": (SCHEMA + "Organization", ORG + "Organization"),
    "Country": (SCHEMA + "Country",),
    "Place": (SCHEMA + "Place",),
    "Initiative": (NG + "Initiative",),
    "Event": (SCHEMA + "Event",),
}
#: Class of each contract ``event_type``.
EVENT_CLASSES = {
    "Meeting": NG + "Meeting",
    "Agreement": NG + "Agreement",
    "Opening": NG + "Opening",
    "Launch": NG + "Launch",
    "Visit": NG + "Visit",
    "Other": NG + "OtherEvent",
}
#: Property of each entity relation (holdsPosition is an org:Membership, see module doc).
RELATION_PROPERTIES = {
    "memberOf": ORG + "memberOf",
    "basedIn": SCHEMA + "location",
    "locatedIn": SCHEMA + "containedInPlace",
    "partnerOf": NG + "partnerOf",
}
#: Property written for a participant role, besides ``schema:participant``.
ROLE_PROPERTIES = {
    "organizer": SCHEMA + "organizer",
    "signatory": NG + "signatory",
    "speaker": NG + "speaker",
    "moderator": NG + "moderator",
    "host": NG + "host",
    "visitor": NG + "visitor",
}

_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_YEAR = re.compile(r"^\d{4}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_NOT_TEXT = re.compile("[\ud800-\udfff]")  # lone surrogates cannot be encoded as UTF-8


RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
ALTERNATE_NAME = SCHEMA + "alternateName"

#: A literal: lexical form, language tag (or None), datatype IRI (None for a plain string).
Literal = tuple[str, str | None, str | None]
#: An RDF term as the builder holds it: an IRI (a str, valid by construction or checked with
#: ``pyoxigraph.NamedNode``), or a :data:`Literal`.
Term = str | Literal
#: Subject, predicate, object, graph (None for the default graph).
Quad = tuple[str, str, Term, str | None]


# ------------------------------------------------------------------------------- IRIs and terms


def check_base_iri(base_iri: str) -> str:
    """``base_iri`` ending with ``/`` or ``#``; ValueError if it is not an absolute IRI."""
    base = base_iri.strip()
    if not base.endswith(("/", "#")):
        base += "/"
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", base):
        raise ValueError(f"base IRI must be absolute (https://...): {base_iri!r}")
    ox.NamedNode(base)  # raises ValueError on an invalid IRI
    return base


def encode_path(text: str) -> str:
    """Percent-encode ``text`` as IRI path segments; ``/`` separates segments."""
    segments = []
    for seg in str(text).split("/"):
        enc = quote(_NOT_TEXT.sub("\ufffd", seg), safe="-._~")
        if enc and set(enc) == {"."}:  # "." and ".." would be removed by IRI resolution
            enc = enc.replace(".", "%2E")
        segments.append(enc)
    return "/".join(segments)


@functools.lru_cache(maxsize=1 << 16)
def _encode_cached(text: str) -> str:
    return encode_path(text)


_HASH_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(..., ensure_ascii=False), made once


def _hash(*parts: Any) -> str:
    data = _HASH_JSON.encode([str(p) for p in parts]).encode("utf-8", "replace")
    return hashlib.sha1(data).hexdigest()[:16]


class Iris:
    """IRI factory for one base IRI (see the module doc for the layout)."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI):
        self.base = check_base_iri(base_iri)
        self._nodes: dict[Any, str] = {}
        self._roles: dict[str, str] = {}

    def node(self, node_id: Any) -> str:
        term = self._nodes.get(node_id)
        if term is None:
            term = self._nodes[node_id] = f"{self.base}id/{encode_path(node_id)}"
        return term

    def doc(self, doc_id: str) -> str:
        return f"{self.base}doc/{_encode_cached(doc_id)}"

    def doc_graph(self, doc_id: str) -> str:
        return f"{self.base}graph/doc/{_encode_cached(doc_id)}"

    @property
    def provenance_graph(self) -> str:
        return f"{self.base}graph/provenance"

    def membership(self, person: Any, organisation: Any, title: str) -> str:
        return f"{self.base}membership/{_hash(person, organisation, title)}"

    def role(self, title: str) -> str:
        iri = self._roles.get(title)
        if iri is None:
            iri = self._roles[title] = f"{self.base}role/{_hash(unicodedata.normalize('NFC', title))}"
        return iri

    def run(self, run: Any) -> str:
        return f"{self.base}run/{_hash(json.dumps(run, sort_keys=True, default=str))}"

    def agent(self, version: str) -> str:
        return f"{self.base}agent/newsgraph/{encode_path(version)}"

    def model(self, name: str, version: str) -> str:
        return f"{self.base}model/{encode_path(name)}/{encode_path(version or 'unknown')}"


def text(value: Any) -> str:
    """A string safe for any RDF serialisation (lone surrogates replaced)."""
    return _NOT_TEXT.sub("\ufffd", str(value))


@functools.lru_cache(maxsize=1024)
def _lang_tag(lang: str) -> str | None:
    return lang.strip().lower() if _LANG_TAG.match(lang.strip()) else None


def lang_tag(lang: Any) -> str | None:
    """A valid BCP 47-shaped language tag, lower-cased, or None."""
    return _lang_tag(lang) if isinstance(lang, str) else None


def literal(value: Any, lang: str | None = None) -> Literal:
    """A plain literal, language-tagged when ``lang`` is a valid tag."""
    return (text(value), lang_tag(lang), None)


def typed(value: str, datatype: str) -> Literal:
    """A literal of ``datatype``."""
    return (value, None, datatype)


def date_literal(value: Any) -> Literal | None:
    """An ISO date typed by its precision: xsd:date, xsd:gYearMonth, xsd:gYear (or xsd:dateTime).

    None when ``value`` is not such a date (the caller keeps it as ``ng:dateText``).
    """
    if isinstance(value, dt.datetime):
        return typed(value.isoformat(), XSD + "dateTime")
    if isinstance(value, dt.date):
        return typed(value.isoformat(), XSD + "date")
    s = str(value).strip()
    try:
        if _ISO_DATE.match(s):
            dt.date.fromisoformat(s)
            return typed(s, XSD + "date")
        if m := _ISO_MONTH.match(s):
            if 1 <= int(m[2]) <= 12:
                return typed(s, XSD + "gYearMonth")
            return None
        if _ISO_YEAR.match(s):
            return typed(s, XSD + "gYear")
        if _ISO_DATETIME.match(s):
            parsed = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
            return typed(parsed.isoformat(), XSD + "dateTime")
    except ValueError:
        return None
    return None


def datetime_literal(value: Any) -> Literal | None:
    """A point in time as xsd:dateTime (from datetime, epoch seconds or an ISO string)."""
    try:
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            moment = dt.datetime.fromtimestamp(value, tz=dt.UTC)
        elif isinstance(value, str) and _ISO_DATETIME.match(value.strip()):
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        else:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    return typed(moment.isoformat(), XSD + "dateTime")


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [v for v in value if v is not None and v != ""]
    if isinstance(value, set | frozenset):
        return sorted((v for v in value if v is not None and v != ""), key=str)
    if isinstance(value, str):
        return [value] if value else []
    return [value]


# ------------------------------------------------------------------------------- the dataset


class _Dataset:
    """Triples grouped by graph (None: the default graph), without duplicates, in insertion order."""

    def __init__(self) -> None:
        self.graphs: dict[str | None, dict[tuple[str, str, Term], None]] = {}

    def add(self, graph: str | None, s: str, p: str, o: Term) -> None:
        bucket = self.graphs.get(graph)
        if bucket is None:
            bucket = self.graphs[graph] = {}
        bucket[(s, p, o)] = None

    def quads(self) -> Iterator[Quad]:
        """The default graph first, then the others in insertion order."""
        for graph in sorted(self.graphs, key=lambda g: g is not None):
            for s, p, o in self.graphs[graph]:
                yield s, p, o, graph


class _Texts(dict):
    """:func:`text` of each string asked for, computed once."""

    def __missing__(self, value: str) -> str:
        clean = self[value] = text(value)
        return clean


class _Builder:
    def __init__(self, G: nx.Graph, base_iri: str):
        self.G = G
        self.iris = Iris(base_iri)
        self.ds = _Dataset()
        meta = G.graph.get("documents") or {}
        self.doc_meta: dict[str, dict] = (
            {str(k): dict(v or {}) for k, v in meta.items()} if isinstance(meta, dict) else {}
        )
        self.docs_seen: set[str] = set(self.doc_meta)
        self._title_lang: dict[str, str | None] = {}
        self._doc_lang: dict[str, str | None] = {}
        self._graphs: dict[str, str] = {}  # document -> its article graph
        self._docs: dict[str, str] = {}  # document -> its IRI
        self._buckets: dict[str | None, dict[tuple[str, str, Term], None]] = {}  # document -> its graph's triples
        self._placed: dict[tuple[Any, Any], tuple[str, str | None]] = {}  # see mention_index
        self._texts: _Texts = _Texts()

    # -- helpers

    def doc_lang(self, doc: str) -> str | None:
        if doc not in self._doc_lang:
            self._doc_lang[doc] = lang_tag(self.doc_meta.get(doc, {}).get("lang"))
        return self._doc_lang[doc]

    def graph_of(self, doc: str | None) -> str | None:
        if doc is None:
            return None
        graph = self._graphs.get(doc)
        if graph is None:
            self.docs_seen.add(doc)
            graph = self._graphs[doc] = self.iris.doc_graph(doc)
        return graph

    def doc_iri(self, doc: str) -> str:
        iri = self._docs.get(doc)
        if iri is None:
            iri = self._docs[doc] = self.iris.doc(doc)
        return iri

    def bucket(self, doc: str | None) -> dict[tuple[str, str, Term], None]:
        """The triples of ``doc``'s graph (the default graph's for None), made at its first triple."""
        bucket = self._buckets.get(doc)
        if bucket is None:
            graph = self.graph_of(doc)
            bucket = self.ds.graphs.get(graph)
            if bucket is None:
                bucket = self.ds.graphs[graph] = {}
            self._buckets[doc] = bucket
        return bucket

    def emit(self, docs: list[str], s: str, p: str, o: Term) -> None:
        """Add (s, p, o) to the graph of each document in ``docs`` (the default graph if none)."""
        triple, buckets = (s, p, o), self._buckets
        for doc in docs or [None]:
            (buckets.get(doc) or self.bucket(doc))[triple] = None

    def derived(self, docs: list[str], s: str) -> None:
        pred, buckets = PROV + "wasDerivedFrom", self._buckets
        for doc in docs:
            (buckets.get(doc) or self.bucket(doc))[(s, pred, self.doc_iri(doc))] = None

    def _mentions(self, attrs: dict) -> list[dict]:
        return [m for m in _as_list(attrs.get("mentions")) if isinstance(m, dict)]

    def mention_index(self, attrs: dict) -> dict[str, list[tuple[str, str | None]]]:
        """Surface text -> the (doc, lang) pairs it was written in, from a node's mentions."""
        index: dict[str, dict[tuple[str, str | None], None]] = {}
        placed = self._placed  # (doc, lang) -> the pair: computed once per builder
        for m in self._mentions(attrs):
            doc, value, lang = m.get("doc"), m.get("text"), m.get("lang")
            if doc is None or value is None:
                continue
            if type(doc) is str and (lang is None or type(lang) is str):
                pair = placed.get((doc, lang))
                if pair is None:
                    pair = placed[doc, lang] = (doc, lang_tag(lang) or self.doc_lang(doc))
            else:
                doc = str(doc)
                pair = (doc, lang_tag(lang) or self.doc_lang(doc))
            value = self._texts[value] if type(value) is str else text(value)
            found = index.get(value)
            if found is None:
                index[value] = {pair: None}
            else:
                found[pair] = None
        return {k: list(v) for k, v in index.items()}

    def placements(self, value: str, index: dict, docs: list[str], as_written: bool):
        """(doc, lang) pairs where a text of a node appears (mentions first, else all its docs)."""
        found = index.get(value)
        if found:
            return found
        if as_written:
            return [(doc, self.doc_lang(doc)) for doc in docs] or [(None, None)]
        return [(doc, None) for doc in docs] or [(None, None)]

    # -- nodes

    def node(self, node: Any, attrs: dict) -> None:
        s = self.iris.node(node)
        kind = str(attrs.get("kind", ""))
        docs = [str(d) for d in _as_list(attrs.get("documents"))]
        if not docs:  # a node should list its documents; fall back on its mentions
            docs = list(dict.fromkeys(str(m["doc"]) for m in self._mentions(attrs) if m.get("doc")))
        classes = list(KIND_CLASSES.get(kind, ()))
        if kind == "Event":
            classes.append(EVENT_CLASSES.get(str(attrs.get("event_type", "")), NG + "OtherEvent"))
        for cls in classes:
            self.emit(docs, s, RDF_TYPE, cls)
        self.derived(docs, s)

        index = self.mention_index(attrs)
        label = attrs.get("label")
        if label in (None, "") and kind == "Event":
            trig = _as_list(attrs.get("trigger"))
            label = trig[0] if trig else attrs.get("event_type") or str(node)
        if label not in (None, ""):
            label = text(label)
            places = self.placements(label, index, docs, as_written=False)
            lang = next((lang for _, lang in places if lang), None)
            self.emit(docs, s, RDFS_LABEL, literal(label, lang))
        # literal(alias, lang) for each placement, made once: the placements' languages are tags
        # already (the commonest statement: 210,000 of a 10k-article graph)
        for alias in _as_list(attrs.get("aliases")):
            clean = text(alias)
            for doc, lang in self.placements(clean, index, docs, as_written=True):
                self.emit([doc] if doc else [], s, ALTERNATE_NAME, (clean, lang, None))

        if kind == "Country" and attrs.get("iso"):
            self.emit(docs, s, SCHEMA + "identifier", literal(str(attrs["iso"]).strip()))
        if kind == "Event":
            for key, prop in (("date", "startDate"), ("end_date", "endDate")):
                if attrs.get(key) in (None, ""):
                    continue
                lit = date_literal(attrs[key])
                if lit is not None:
                    self.emit(docs, s, SCHEMA + prop, lit)
                else:
                    self.emit(docs, s, NG + "dateText", literal(attrs[key]))
            if attrs.get("cameo") not in (None, ""):
                self.emit(docs, s, NG + "cameo", literal(attrs["cameo"]))
            for trig in _as_list(attrs.get("trigger")):
                for doc, lang in self.placements(text(trig), index, docs, as_written=True):
                    self.emit([doc] if doc else [], s, NG + "trigger", literal(trig, lang))

    # -- edges

    def edge_docs(self, attrs: dict) -> list[str]:
        docs = [str(d) for d in _as_list(attrs.get("documents"))]
        if not docs:
            docs = list(
                dict.fromkeys(
                    str(e["doc"]) for e in _as_list(attrs.get("evidence")) if isinstance(e, dict) and e.get("doc")
                )
            )
        return docs

    def title_lang(self, title: str, docs: list[str]) -> str | None:
        if title not in self._title_lang:  # one language per title over the graph: one role label
            self._title_lang[title] = next((self.doc_lang(d) for d in docs if self.doc_lang(d)), None)
        return self._title_lang[title]

    def edge(self, u: Any, v: Any, attrs: dict) -> None:
        relation = str(attrs.get("relation", ""))
        docs = self.edge_docs(attrs)
        kinds = self.G.nodes
        if relation in ("participant", "location"):
            event, other = (u, v)
            if kinds[u].get("kind") != "Event" and kinds[v].get("kind") == "Event":
                event, other = v, u
            ev, ent = self.iris.node(event), self.iris.node(other)
            if relation == "location":
                self.emit(docs, ev, SCHEMA + "location", ent)
                return
            self.emit(docs, ev, SCHEMA + "participant", ent)
            role_prop = ROLE_PROPERTIES.get(str(attrs.get("role", "")))
            if role_prop:
                self.emit(docs, ev, role_prop, ent)
            return
        s, o = self.iris.node(u), self.iris.node(v)
        if relation == "holdsPosition":
            title = text(attrs.get("title") or "")
            m = self.iris.membership(u, v, title)
            self.emit(docs, m, RDF_TYPE, ORG + "Membership")
            self.emit(docs, m, ORG + "member", s)
            self.emit(docs, m, ORG + "organization", o)
            if title:
                role = self.iris.role(title)
                self.emit(docs, m, ORG + "role", role)
                self.emit(docs, role, RDF_TYPE, ORG + "Role")
                self.emit(docs, role, RDFS_LABEL, literal(title, self.title_lang(title, docs)))
            self.derived(docs, m)
            return
        prop = RELATION_PROPERTIES.get(relation) or NG + quote(relation or "relatedTo", safe="")
        self.emit(docs, s, prop, o)

    # -- documents and run

    def documents(self) -> None:
        g = self.iris.provenance_graph
        add = self.ds.add
        for doc in sorted(self.docs_seen):
            d = self.iris.doc(doc)
            meta = self.doc_meta.get(doc, {})
            lang = self.doc_lang(doc)
            add(g, d, RDF_TYPE, SCHEMA + "NewsArticle")
            add(g, d, RDF_TYPE, PROV + "Entity")
            add(g, d, DCTERMS + "identifier", literal(doc))
            if meta.get("title"):
                add(g, d, DCTERMS + "title", literal(meta["title"], lang))
            if meta.get("date"):
                lit = date_literal(meta["date"])
                add(g, d, DCTERMS + "date" if lit else NG + "dateText", lit or literal(meta["date"]))
            if meta.get("source"):
                source = text(meta["source"])
                add(g, d, DCTERMS + "source", typed(source, XSD + "anyURI"))
                if re.match(r"^https?://\S+$", source):
                    with contextlib.suppress(ValueError):  # not a valid IRI as given: literal only
                        add(g, d, SCHEMA + "url", ox.NamedNode(source).value)
            if lang:
                add(g, d, DCTERMS + "language", typed(lang, XSD + "language"))

    def run(self) -> None:
        g = self.iris.provenance_graph
        add = self.ds.add
        run = self.G.graph.get("run")
        run = run if isinstance(run, dict) else {}
        activity = self.iris.run(run)
        add(g, activity, RDF_TYPE, PROV + "Activity")
        add(g, activity, RDFS_LABEL, literal("newsgraph run"))
        for keys, prop in (
            (("start", "started", "start_time", "started_at"), "startedAtTime"),
            (("end", "ended", "end_time", "ended_at", "finished"), "endedAtTime"),
        ):
            value = next((run[k] for k in keys if run.get(k) not in (None, "")), None)
            lit = datetime_literal(value) if value is not None else None
            if lit is not None:
                add(g, activity, PROV + prop, lit)
        version = _tool_version(run)
        agent = self.iris.agent(version)
        models = [(self.iris.model(name, v), name, v) for name, v in _models(run.get("models"))]
        add(g, activity, PROV + "wasAssociatedWith", agent)
        if run:
            info = json.dumps(run, sort_keys=True, default=str, ensure_ascii=False)
            add(g, activity, NG + "runInfo", literal(info))
        for model, _, _ in models:
            add(g, activity, NG + "model", model)
        for model, _, _ in models:
            add(g, activity, PROV + "used", model)
        for doc in sorted(self.docs_seen):
            add(g, activity, PROV + "used", self.iris.doc(doc))
        add(g, agent, RDF_TYPE, PROV + "SoftwareAgent")
        add(g, agent, RDFS_LABEL, literal(f"newsgraph {version}"))
        add(g, agent, SCHEMA + "softwareVersion", literal(version))
        for model, name, model_version in models:
            add(g, model, RDF_TYPE, PROV + "Entity")
            add(g, model, RDFS_LABEL, literal(f"{name} {model_version}".strip()))
            if model_version:
                add(g, model, SCHEMA + "softwareVersion", literal(model_version))
        for doc in sorted(self.docs_seen):
            graph = self.iris.doc_graph(doc)
            if graph in self.ds.graphs:
                add(g, graph, RDF_TYPE, NG + "ArticleGraph")
                add(g, graph, PROV + "wasDerivedFrom", self.iris.doc(doc))
                add(g, graph, PROV + "wasGeneratedBy", activity)

    def build(self) -> _Dataset:
        for node in sorted(self.G.nodes, key=str):
            self.node(node, self.G.nodes[node])
        if self.G.is_multigraph():
            edges = self.G.edges(keys=True, data=True)
            ordered = sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[3].get("relation")), str(e[2])))
            for u, v, _k, attrs in ordered:
                self.edge(u, v, attrs)
        else:
            for u, v, attrs in sorted(self.G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
                self.edge(u, v, attrs)
        self.documents()
        self.run()
        return self._sorted()

    def _sorted(self) -> _Dataset:
        """Article graphs in document order, then provenance (the default graph stays first)."""
        out = _Dataset()
        prov_graph = self.iris.provenance_graph
        keys = sorted(self.ds.graphs, key=lambda g: (g is not None, g == prov_graph, f"<{g}>"))
        for key in keys:
            out.graphs[key] = self.ds.graphs[key]
        return out


def _models(models: Any) -> list[tuple[str, str]]:
    """(name, version) pairs from ``run["models"]``.

    Accepted: {name: version}, {lang: "name version"}, {key: {"name", "version"}}, a list of such
    dicts, or a list of "name==version" / "name@version" strings.
    """
    out: list[tuple[str, str]] = []
    if isinstance(models, dict):
        for name, value in models.items():
            if isinstance(value, dict):
                out.append((str(value.get("name") or name), str(value.get("version") or "")))
            elif isinstance(value, str) and " " in value.strip():  # {"en": "core_web_sm 3.8.0"}
                model, _, version = value.strip().rpartition(" ")
                out.append((model.strip(), version))
            else:  # {"en_core_web_sm": "3.8.0"}
                out.append((str(name), "" if value is None else str(value)))
    elif isinstance(models, list | tuple):
        for item in models:
            if isinstance(item, dict) and item.get("name"):
                out.append((str(item["name"]), str(item.get("version") or "")))
            elif isinstance(item, str):
                name, _, version = item.replace("==", "@").partition("@")
                out.append((name.strip(), version.strip()))
    elif isinstance(models, str) and models:
        out.append((models, ""))
    return sorted(set(out))


def _tool_version(run: dict) -> str:
    """The tool version of a run: ``version``, ``tool_version``, ``tool.version`` or "newsgraph X"."""
    for key in ("version", "tool_version", "newsgraph"):
        if run.get(key) not in (None, "") and not isinstance(run[key], dict | list):
            return str(run[key])
    tool = run.get("tool")
    if isinstance(tool, dict) and tool.get("version"):
        return str(tool["version"])
    if isinstance(tool, str) and re.search(r"\d", tool):
        return tool.split()[-1]
    return _own_version()


def _own_version() -> str:
    try:
        return metadata.version("newsgraph")
    except metadata.PackageNotFoundError:
        return "0"


# ------------------------------------------------------------------------------- serialisation

#: How pyoxigraph escapes characters in N-Triples/N-Quads string literals.
_NT_ESCAPES = {
    **{c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)},
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}
_NT_SPECIAL = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff]')


def nt_term(term: Term) -> str:
    """``term`` in N-Triples/N-Quads syntax, exactly as pyoxigraph writes it."""
    if type(term) is str:
        return f"<{term}>"
    value, lang, datatype = term
    if _NT_SPECIAL.search(value):
        value = value.translate(_NT_ESCAPES)
    if lang:
        return f'"{value}"@{lang}'
    if datatype:
        return f'"{value}"^^<{datatype}>'
    return f'"{value}"'


def nquads(quads: Iterable[Quad]) -> Iterator[str]:
    """N-Quads lines (the default graph's without a graph term)."""
    for s, p, o, g in quads:
        yield nquads_text(g, ((s, p, o),))


def nquads_text(graph: str | None, triples: Iterable[tuple[str, str, Term]]) -> str:
    """The N-Quads lines of the triples of one graph, as :func:`nquads` writes them (an IRI object
    written in place, without a call of :func:`nt_term`: 1.2 -> 0.9 s for a 10k-article graph)."""
    end = f" <{graph}> .\n" if graph is not None else " .\n"
    return "".join([f"<{s}> <{p}> <{o}>{end}" if type(o) is str else f"<{s}> <{p}> {nt_term(o)}{end}"
                    for s, p, o in triples])


def ntriples(triples: Iterable[tuple[str, str, Term]]) -> Iterator[str]:
    """N-Triples lines."""
    for s, p, o in triples:
        yield f"<{s}> <{p}> <{o}> .\n" if type(o) is str else f"<{s}> <{p}> {nt_term(o)} .\n"


@functools.lru_cache(maxsize=1024)
def compact_iri(iri: str) -> str:
    """``iri`` as a compact IRI of :data:`PREFIXES` (``schema:name``) when one fits, else as is."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//"):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


_json = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str


def _jsonld_value(o: Term, pad: str) -> str:
    """One value object (``{"@id"}``, ``{"@language", "@value"}``, ``{"@type", "@value"}``) at indent ``pad``."""
    if type(o) is str:
        return f'{pad}{{\n{pad} "@id": {_json(o)}\n{pad}}}'
    value, lang, datatype = o
    if lang:
        return f'{pad}{{\n{pad} "@language": {_json(lang)},\n{pad} "@value": {_json(value)}\n{pad}}}'
    if datatype:
        return f'{pad}{{\n{pad} "@type": {_json(compact_iri(datatype))},\n{pad} "@value": {_json(value)}\n{pad}}}'
    return f'{pad}{{\n{pad} "@value": {_json(value)}\n{pad}}}'


def _jsonld_node(subject: str, properties: list[tuple[str, list[Term]]], pad: str) -> str:
    """One node object at indent ``pad``: ``@id``, ``@type`` (the rdf:type IRIs), then each property."""
    inner, item = pad + " ", pad + "  "
    parts = [f'{pad}{{\n{inner}"@id": {_json(subject)}']
    for p, objects in properties:
        if p == RDF_TYPE and all(type(o) is str for o in objects):
            values = ",\n".join(f"{item}{_json(compact_iri(o))}" for o in objects)
            parts.append(f'{inner}"@type": [\n{values}\n{inner}]')
        else:
            values = ",\n".join([_jsonld_value(o, item) for o in objects])
            parts.append(f"{inner}{_json(compact_iri(p))}: [\n{values}\n{inner}]")
    return ",\n".join(parts) + f"\n{pad}}}"


def _jsonld_context() -> str:
    context = ",\n".join(f"  {_json(prefix)}: {_json(ns)}" for prefix, ns in PREFIXES.items())
    return f'{{\n "@context": {{\n{context}\n }},\n "@graph": ['


#: The end of a JSON-LD file after its last graph, and of one without any.
JSONLD_END, JSONLD_EMPTY_END = "\n ]\n}\n", "]\n}\n"


def jsonld_graph(graph: str | None, triples: Iterable[tuple[str, str, Term]]) -> str:
    """The JSON-LD text of one graph of the dataset: its node objects (the default graph's at the
    top level, a named graph's inside ``{"@id", "@graph"}``), without a separator around it.

    Like pyoxigraph, consecutive triples of one subject make one node object, and a property met
    again after another one starts a new node object for the same subject.
    """
    pad = "    " if graph is not None else "  "
    nodes: list[str] = []
    subject: str | None = None
    properties: list[tuple[str, list[Term]]] = []
    seen: set[str] = set()
    for s, p, o in triples:
        if s != subject or (p != properties[-1][0] and p in seen):
            if subject is not None:
                nodes.append(_jsonld_node(subject, properties, pad))
            subject, properties, seen = s, [], set()
        if properties and properties[-1][0] == p:
            properties[-1][1].append(o)
        else:
            properties.append((p, [o]))
            seen.add(p)
    if subject is not None:
        nodes.append(_jsonld_node(subject, properties, pad))
    body = "".join(("\n" if i == 0 else ",\n") + node for i, node in enumerate(nodes))
    return body if graph is None else f'\n  {{\n   "@id": {_json(graph)},\n   "@graph": [{body}\n   ]\n  }}'


# ------------------------------------------------------------------------------- public API


def build_dataset(G: nx.Graph, base_iri: str = DEFAULT_BASE_IRI) -> list[Quad]:
    """All quads of the dataset for ``G`` in output order: default graph, article graphs, provenance graph."""
    return list(_Builder(G, base_iri).build().quads())


def build_quads(G: nx.Graph, base_iri: str = DEFAULT_BASE_IRI) -> list[ox.Quad]:
    """:func:`build_dataset` as pyoxigraph quads."""
    return list(ox.parse("".join(nquads(build_dataset(G, base_iri))), format=ox.RdfFormat.N_QUADS))


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The triples of every graph, once each, in first-seen order."""
    return list(dict.fromkeys(q.triple for q in quads))


#: The files :func:`write_rdf_files` writes, by name.
RDF_FILES = ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld")


#: The files whose text is copied from the last export for what did not change: graph by graph
#: (N-Quads, TriG, JSON-LD), subject by subject (Turtle).
REUSED_FILES = ("graph.nq", "graph.trig", "graph.jsonld", "graph.ttl")
#: Key of the prefix lines of the TriG and Turtle files among their spans.
_TRIG_HEADER = _TURTLE_HEADER = b"@prefix"
#: Where a statement of a Turtle file (a subject's triples) starts, after the first one: pyoxigraph
#: continues a statement on lines that start with a tab.
_NEXT_STATEMENT = re.compile(rb"\n(?=[^\t])")


def write_rdf_files(
    G: nx.Graph, out_dir: str | Path, base_iri: str = DEFAULT_BASE_IRI, reuse_dir: str | Path | None = None
) -> dict[str, Path]:
    """Write ``graph.ttl`` (union), ``graph.trig``, ``graph.nq`` and ``graph.jsonld`` in ``out_dir``.

    N-Quads and JSON-LD are written here, as pyoxigraph would write them; Turtle and TriG by
    pyoxigraph, from N-Triples/N-Quads text (no Python object per quad). Each file is written
    atomically. Returns {file name: path}.

    ``reuse_dir``: a folder (the cache's) for the spans of each graph's text in the N-Quads, TriG
    and JSON-LD files, so that the next export copies the graphs that did not change (the
    articles' graphs a re-run does not touch) instead of writing them again
    (:mod:`graph.export.reuse`).
    """
    out_dir = Path(out_dir)
    paths = {name: out_dir / name for name in RDF_FILES}
    blocks = graph_blocks(G, base_iri)
    with last_export(RDF_INDEX, reuse_dir, {name: paths[name] for name in REUSED_FILES}) as last:
        plan = plan_reuse(blocks, last if reuse_dir is not None else None)
        spans, stamps = _write_graphs(blocks, paths, plan, last.fragments)
        turtle = _write_turtle(union_groups(blocks), paths["graph.ttl"], last if reuse_dir is not None else None)
    spans["graph.ttl"], stamps["graph.ttl"] = turtle.spans, turtle.stamp
    save_export(RDF_INDEX, reuse_dir, SpanIndex(spans=spans), stamps)
    return paths


def union_groups(blocks: list[Block]) -> list[list[tuple[str, str, Term]]]:
    """The union of the graphs' triples, each once, grouped by subject and, within a subject, by
    predicate: subjects, their predicates and the objects of each in the order they first appear
    (default graph, article graphs, provenance graph)."""
    # grouped by subject, then each subject's triples sorted (stably) by where their predicate first
    # appears: most subjects have one graph and their predicates in a row already (1.36 -> 1.04 s
    # for the 1.4M triples of a 10k-article graph, against a dict of predicates per subject)
    groups: dict[str, list[tuple[str, str, Term]]] = {}
    for triple in dict.fromkeys(itertools.chain.from_iterable(triples for _, triples in blocks)):
        group = groups.get(triple[0])
        if group is None:
            groups[triple[0]] = [triple]
        else:
            group.append(triple)
    for group in groups.values():
        if len(group) > 1:
            order: dict[str, int] = {}
            for _, p, _ in group:
                order.setdefault(p, len(order))
            if len(order) > 1:
                group.sort(key=lambda t: order[t[1]])
    return list(groups.values())


def _write_turtle(groups: list[list[tuple[str, str, Term]]], path: Path, last: SpanIndex | None) -> SpanWriter:
    """Write the union (:func:`union_groups`) as Turtle at ``path``, subject by subject, copying from
    ``last`` (the last export's open index; None: no reuse) the subjects whose triples it has."""
    old = last.fragments.get("graph.ttl") if last is not None else None
    fingerprint = Fingerprinter() if last is not None else None
    prints = [fingerprint(group) for group in groups] if fingerprint else [None] * len(groups)
    fresh = [i for i, fp in enumerate(prints) if old is None or fp is None or fp not in old]
    header, statements = _turtle_statements([groups[i] for i in fresh])
    text = dict(zip(fresh, statements, strict=True))
    with span_file(path) as out:
        if groups:
            if header is None:
                out.copy(_TURTLE_HEADER, old)
            else:
                out.record(_TURTLE_HEADER, header)
        for i, fp in enumerate(prints):
            if i in text:
                out.record(fp, text[i])
            else:
                out.copy(fp, old)
    return out


def _prefix_end(data: bytes) -> int:
    """Where the ``@prefix`` lines pyoxigraph writes first end in ``data`` (Turtle or TriG)."""
    pos = 0
    while data.startswith(b"@prefix ", pos):
        pos = data.index(b"\n", pos) + 1
    return pos


def _turtle_statements(groups: list[list[tuple[str, str, Term]]]) -> tuple[bytes | None, list[bytes]]:
    """Turtle of ``groups`` (each the triples of one subject) by pyoxigraph, cut into its prefix
    lines (None without triples) and the statement of each subject.

    pyoxigraph writes every prefix, then the triples, those of one subject in a row as one statement
    that starts a line and goes on over lines that start with a tab (no line break is left
    unescaped inside a term). So a subject's statement does not depend on the others.
    """
    if not groups:
        return None, []
    nt = "".join(ntriples(triple for group in groups for triple in group))
    data = ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    pos = _prefix_end(data)
    starts = [pos, *(m.end() for m in _NEXT_STATEMENT.finditer(data, pos))]
    if len(starts) != len(groups):
        raise RuntimeError(f"Turtle of {len(groups)} subjects cut into {len(starts)} statements")
    return data[:pos], [data[a:b] for a, b in zip(starts, [*starts[1:], len(data)], strict=True)]


def _write_graphs(
    blocks: list[Block], paths: dict[str, Path], plan: ReusePlan, old: dict[str, Fragments]
) -> tuple[dict[str, dict[bytes, Span]], dict[str, Stamp | None]]:
    """Write the N-Quads, TriG and JSON-LD files graph by graph (copying the graphs ``plan`` says
    from ``old``); return the spans and stamps of the three files."""
    fingerprints, copied = plan.fingerprints, plan.copied
    copying = any(copied)
    spans: dict[str, dict[bytes, Span]] = {}
    stamps: dict[str, Stamp | None] = {}
    fresh: dict[int, bytes] = {}  # N-Quads of the graphs written afresh, for TriG, when some are copied
    with span_file(paths["graph.nq"]) as out:
        for i, ((g, triples), fp) in enumerate(zip(blocks, fingerprints, strict=True)):
            if copied[i]:
                out.copy(fp, old["graph.nq"])
                continue
            text = nquads_text(g, triples).encode("utf-8")
            out.record(fp, text)
            if copying:
                fresh[i] = text
    spans["graph.nq"], stamps["graph.nq"] = out.spans, out.stamp
    with span_file(paths["graph.trig"]) as out:
        if copying:
            header, trig = _trig_blocks(ox.parse(b"".join(fresh.values()), format=ox.RdfFormat.N_QUADS),
                                        {i: blocks[i][0] for i in fresh})
        else:
            header, trig = _trig_blocks(ox.parse(path=str(settled(paths["graph.nq"])), format=ox.RdfFormat.N_QUADS),
                                        {i: g for i, (g, _) in enumerate(blocks)})
        if blocks:
            if header is None:
                out.copy(_TRIG_HEADER, old["graph.trig"])
            else:
                out.record(_TRIG_HEADER, header)
        for i, fp in enumerate(fingerprints):
            if copied[i]:
                out.copy(fp, old["graph.trig"])
            else:
                out.record(fp, trig[i])
    spans["graph.trig"], stamps["graph.trig"] = out.spans, out.stamp
    with span_file(paths["graph.jsonld"]) as out:
        out.text(_jsonld_context())
        for i, ((g, triples), fp) in enumerate(zip(blocks, fingerprints, strict=True)):
            if i:
                out.text(",")
            if copied[i]:
                out.copy(fp, old["graph.jsonld"])
            else:
                out.record(fp, jsonld_graph(g, triples).encode("utf-8"))
        out.text(JSONLD_END if blocks else JSONLD_EMPTY_END)
    spans["graph.jsonld"], stamps["graph.jsonld"] = out.spans, out.stamp
    return spans, stamps


Block = tuple[str | None, list[tuple[str, str, Term]]]


def graph_blocks(G: nx.Graph, base_iri: str = DEFAULT_BASE_IRI) -> list[Block]:
    """The dataset for ``G`` graph by graph, in output order: (graph, its triples)."""
    return [(g, list(triples)) for g, triples in _Builder(G, base_iri).build().graphs.items()]


@dataclass
class ReusePlan:
    """The ``fingerprints`` of the graphs of an export, and whether each is ``copied`` from the last one."""

    fingerprints: list[bytes | None]
    copied: list[bool]


def plan_reuse(blocks: list[Block], last: SpanIndex | None) -> ReusePlan:
    """Fingerprint each graph and look it up in ``last`` (the last export's open index; None: no reuse)."""
    if last is None:
        return ReusePlan([None] * len(blocks), [False] * len(blocks))
    fingerprint = Fingerprinter()
    fingerprints = [fingerprint(block) for block in blocks]
    nq = last.fragments.get("graph.nq")
    return ReusePlan(fingerprints, [fp is not None and nq is not None and fp in nq for fp in fingerprints])


def _trig_blocks(quads: Iterable[ox.Quad], graphs: dict[int, str | None]) -> tuple[bytes | None, dict[int, bytes]]:
    """TriG of ``quads`` (the quads of ``graphs``, graph by graph, in order), by pyoxigraph, cut into
    its prefix lines (None without graphs) and the text of each graph, under the graph's key.

    pyoxigraph writes every prefix, then each graph on its own: the default graph's statements at
    the top level, a named graph as ``name {`` ... ``}`` lines; no line break is left unescaped
    inside a term. So the text of the whole dataset is the prefix lines followed by the text of each
    graph, and a graph's text does not depend on the others.
    """
    if not graphs:
        return None, {}
    data = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    pos = _prefix_end(data)
    header, out = data[:pos], {}
    for key, graph in graphs.items():
        end = pos
        if graph is None:  # its statements, up to the line that opens the first named graph
            while end < len(data):
                line_end = data.index(b"\n", end) + 1
                if data[end:line_end].endswith(b" {\n"):
                    break
                end = line_end
        else:
            end = data.index(b"\n}\n", pos) + 3
        out[key], pos = data[pos:end], end
    if pos != len(data):
        raise RuntimeError("TriG text left over after the last graph")
    return header, out
