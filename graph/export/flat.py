"""Flatten the contract graph to scalar attributes, for GraphML and GEXF.

The contract graph (see :mod:`graph.build`) holds Python values: lists, dicts, lists of dicts,
``None``. Graph file formats hold one scalar per attribute, and one *type* per attribute key:
networkx writes a second ``<key>`` when an attribute mixes ``int`` and ``float`` and rejects
lists and ``None``; igraph refuses such files. :func:`flatten` returns a copy where

* a list (or tuple or set) of scalars becomes one string joined with ``|``; a ``|`` inside an
  item becomes ``/`` so the join can be split back (``aliases``, ``documents``, ``langs``);
* a dict, or a list holding a dict or a list, becomes compact JSON (``mentions``, ``evidence``);
* ``None`` is dropped; ``bool`` becomes ``int``; ``datetime``/``date`` their ISO string;
* every string loses the characters XML 1.0 cannot hold (C0 controls but tab/newline/CR,
  lone surrogates, U+FFFE/U+FFFF);
* each attribute key has ONE type over all nodes (and, separately, over all edges): ``int``
  when every value is an ``int``, ``float`` when they are numbers of both kinds, else ``str``
  (numbers then written with ``str``);
* node ids are non-empty strings: an id that is empty after cleaning becomes ``_node/<n>``, a
  clash after cleaning gets a ``~2``, ``~3`` ... suffix; edge keys are renumbered ``0..m-1`` so
  each edge has an id unique in the file;
* graph attributes (``documents``, ``run``) become JSON strings.

The contract's names are kept (node ``kind``, ``label``, ``aliases``, ``documents``,
``event_type``, ``date``; edge ``relation``, ``documents``), which is what the scorer reads.

The writers take the flat graph as records (:func:`flat_graph`, :class:`FlatGraph`): a record
whose text an export copies from its last files (:mod:`graph.export.reuse`) is not flattened.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from .reuse import combined

if TYPE_CHECKING:
    from .reuse import GraphPrints

#: Characters that XML 1.0 cannot hold (tab, LF and CR are allowed).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Integers beyond this are written as strings (GraphML ``long`` is 64-bit).
_INT_LIMIT = 2**63 - 1


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _XML_INVALID.sub("", text)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_jsonable(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return clean_text(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    return clean_text(str(value))


def _refuse(value: Any) -> Any:
    raise TypeError


#: What the fast path of :func:`to_json` cannot tell from :func:`_jsonable`'s: an escaped control
#: character (``_jsonable`` drops it), or a ``true``/``false``/``null`` key (a bool or None key).
#: Substrings, not a pattern: a node's mentions can make megabytes of JSON, which ``in`` scans
#: many times faster than a pattern that stops at every quote.
_ESCAPED_CONTROLS = ("\\u00", "\\b", "\\f")
_NOT_STR_KEYS = ('"true":', '"false":', '"null":')
#: ``json.dumps(..., ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_refuse)``,
#: made once (``json.dumps`` with options makes an encoder per call: 0.1 s over a 10k-article graph).
_PLAIN_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_refuse)


def _plain(text: str) -> bool:
    """Whether JSON from the C encoder has none of :data:`_ESCAPED_CONTROLS` and :data:`_NOT_STR_KEYS`
    (escapes need a backslash, which one quick scan rules out for half the values of a 10k-article
    graph)."""
    if "\\" in text and any(mark in text for mark in _ESCAPED_CONTROLS):
        return False
    return not any(mark in text for mark in _NOT_STR_KEYS)


def to_json(value: Any) -> str:
    """Compact JSON (UTF-8 kept, keys in their order); strings inside are cleaned for XML too.

    Plain JSON data (str keys, finite numbers, no control characters) is encoded as is by the C
    encoder, then cleaned once; anything else is first made JSON-ready by :func:`_jsonable`. Both
    give the same text.
    """
    try:
        fast = _PLAIN_JSON.encode(value)
    except (TypeError, ValueError):
        fast = None
    if fast is None or not _plain(fast):
        return clean_text(json.dumps(_jsonable(value), ensure_ascii=False, separators=(",", ":")))
    # the C encoder escapes every control character: ASCII text is left with nothing to clean
    return fast if fast.isascii() else clean_text(fast)


def _scalar_text(value: Any) -> str:
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    return str(value)


def flat_value(value: Any) -> str | int | float | None:
    """One attribute value as a scalar (before the per-key type is settled); ``None`` to drop."""
    kind = type(value)
    if kind is str:
        return clean_text(value)
    if kind is list:  # most values of a contract graph: aliases, documents, mentions, evidence
        return _flat_items(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value if -_INT_LIMIT <= value <= _INT_LIMIT else str(value)
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return to_json(value)
    if isinstance(value, list | tuple | set | frozenset):
        return _flat_items(sorted(value, key=str) if isinstance(value, set | frozenset) else list(value))
    return clean_text(_scalar_text(value))


def _flat_items(items: list) -> str:
    """A list of values (a set's sorted) as one string: joined with ``|``, or JSON if it nests."""
    types = set(map(type, items))
    if types <= {str}:  # the common case (aliases, documents): one join, one cleaning
        joined = "|".join(items)
        if joined.count("|") != len(items) - 1:
            joined = "|".join(item.replace("|", "/") for item in items)
        return clean_text(joined)
    if dict in types or any(issubclass(t, Mapping | list | tuple | set | frozenset) for t in types):
        return to_json(items)
    parts = (clean_text(_scalar_text(i)).replace("|", "/") for i in items if i is not None)
    return "|".join(parts)


#: Attribute name -> its one flat type (``int``, ``float`` or ``str``), in order of first use.
Types = dict[str, type]
#: The (name, type) of each flat attribute of one record, before the types are settled.
Signature = tuple[tuple[str, type], ...]


def signature(attrs: Mapping) -> Signature:
    """The (name, type) pairs of one record's flat attributes."""
    return tuple(zip(attrs, map(type, attrs.values()), strict=True))


def settled_types(signatures: Iterable[Signature]) -> Types:
    """One type per attribute name over all ``signatures``: ``int`` when every value is an ``int``,
    ``float`` when they are numbers of both kinds, else ``str``; names in order of first use."""
    kinds: dict[str, set[type]] = {}
    for sig in dict.fromkeys(signatures):  # a few distinct ones among 100,000s of records
        for key, kind in sig:
            seen = kinds.get(key)
            if seen is None:
                kinds[key] = {kind}
            elif kind not in seen:
                seen.add(kind)
    return {key: int if kinds_ <= {int} else float if kinds_ <= {int, float} else str for key, kinds_ in kinds.items()}


def _apply_types(attrs: dict, types: Types) -> None:
    for key, value in attrs.items():
        want = types[key]
        if type(value) is not want:
            attrs[key] = float(value) if want is float else str(value)


@functools.lru_cache(maxsize=4096)
def _str_key_name(key: str) -> str:
    return clean_text(key).strip()


def _key_name(key: Any) -> str:
    """An attribute name as written: its text, cleaned and stripped."""
    return _str_key_name(key) if type(key) is str else clean_text(str(key)).strip()


def _flat_attrs(data: Mapping) -> dict:
    out = {}
    for key, value in data.items():
        name = _str_key_name(key) if type(key) is str else _key_name(key)
        flat = flat_value(value)
        if name and flat is not None:
            out[name] = flat
    return out


def node_id_map(G: nx.Graph) -> dict[Any, str]:
    """Original node -> the non-empty, XML-clean, unique string id used in the flat graph."""
    mapping: dict[Any, str] = {}
    used: set[str] = set()
    for n, node in enumerate(G.nodes):
        base = clean_text(_scalar_text(node)) if node is not None else ""
        if not base.strip():
            base = f"_node/{n}"
        new, i = base, 1
        while new in used:
            i += 1
            new = f"{base}~{i}"
        used.add(new)
        mapping[node] = new
    return mapping


@dataclass(slots=True)
class FlatRecord:
    """One node or edge of the flat graph.

    ``attrs`` are its flat attributes, or None when the writers copy its text from their last
    files (:mod:`graph.export.reuse`); ``fingerprint`` identifies its contract attributes there.
    ``timed`` tells whether a node has a GEXF time interval: known for a copied node, set by the
    GEXF writer for the others.
    """

    attrs: dict | None
    signature: Signature
    fingerprint: bytes | None = None
    timed: bool | None = None


@dataclass
class FlatGraph:
    """The flat graph as records in file order, with one type per attribute name and scope."""

    graph: dict[str, str | int | float]
    nodes: list[tuple[str, FlatRecord]]
    edges: list[tuple[str, str, int, FlatRecord]]
    node_types: Types
    edge_types: Types

    @property
    def context(self) -> tuple:
        """What every record's text depends on besides the record: names and types of all attributes."""
        return (tuple((k, type(v)) for k, v in self.graph.items()), tuple(self.node_types.items()),
                tuple(self.edge_types.items()))

    def reused(self) -> int:
        """How many records have no attributes here, their text being reused."""
        return sum(r.attrs is None for _, r in self.nodes) + sum(e[3].attrs is None for e in self.edges)


def _flat_graph_attrs(G: nx.Graph) -> dict[str, str | int | float]:
    out = {}
    for key, value in G.graph.items():
        name = clean_text(str(key)).strip()
        if not name or value is None:
            continue
        out[name] = flat_value(value) if isinstance(value, str | int | float | bool) else to_json(value)
    return out


def flat_graph(
    G: nx.Graph,
    prints: GraphPrints | None = None,
    known: Mapping[bytes, tuple[Signature, bool | None]] | None = None,
    context: tuple | None = None,
) -> FlatGraph:
    """The records of :func:`flatten`, in the order the writers write them.

    With ``prints`` (:class:`graph.export.reuse.GraphPrints` of ``G``), each record gets a
    fingerprint: a node's with its flat id, an edge's as is. A record whose fingerprint is in
    ``known`` (fingerprint -> signature and ``timed``, from the last export) is not flattened,
    provided the attribute types come out as ``context`` says; otherwise every record is.
    """
    ids = node_id_map(G)
    known = known if known is not None and context is not None else {}
    # equal signatures as one object: the index of the export (graph.export.reuse) pickles each
    # distinct one once (10k graph: its pickle 7.6 -> 3.2 MB, dumped in 0.03 s instead of 0.25)
    shared: dict[Signature, Signature] = {}
    one_signature = shared.setdefault
    nodes: list[tuple[str, FlatRecord]] = []
    for n, d in G.nodes(data=True):
        flat_id = ids[n]
        fp = combined(flat_id.encode("utf-8", "surrogatepass"), prints.nodes[n]) if prints else None
        seen = known.get(fp) if fp is not None else None
        if seen is None:
            attrs = _flat_attrs(d)
            sig = signature(attrs)
            nodes.append((flat_id, FlatRecord(attrs, one_signature(sig, sig), fp)))
        else:
            nodes.append((flat_id, FlatRecord(None, seen[0], fp, seen[1])))
    if G.is_multigraph():
        raw_edges = G.edges(keys=True, data=True)
    else:
        raw_edges = ((u, v, i, d) for i, (u, v, d) in enumerate(G.edges(data=True)))
    edges: list[tuple[str, str, int, FlatRecord]] = []
    for i, (u, v, _k, d) in enumerate(raw_edges):  # one id per edge over the whole file
        fp = prints.edges[i] if prints else None
        seen = known.get(fp) if fp is not None else None
        if seen is None:
            attrs = _flat_attrs(d)
            sig = signature(attrs)
            edges.append((ids[u], ids[v], i, FlatRecord(attrs, one_signature(sig, sig), fp)))
        else:
            edges.append((ids[u], ids[v], i, FlatRecord(None, seen[0], fp)))
    flat = FlatGraph(_flat_graph_attrs(G), nodes, edges, settled_types(r.signature for _, r in nodes),
                     settled_types(e[3].signature for e in edges))
    if known and flat.context != context and flat.reused():
        return flat_graph(G, prints)  # the types changed: every record's text changes
    # only records whose signature has a value of another type than its name's need converting
    node_mixed = _mixed(flat.node_types, (r.signature for _, r in nodes))
    for _, record in nodes:
        if record.attrs is not None and node_mixed and record.signature in node_mixed:
            _apply_types(record.attrs, flat.node_types)
    edge_mixed = _mixed(flat.edge_types, (e[3].signature for e in edges))
    for *_, record in edges:
        if record.attrs is not None and edge_mixed and record.signature in edge_mixed:
            _apply_types(record.attrs, flat.edge_types)
    return flat


def _mixed(types: Types, signatures: Iterable[Signature]) -> set[Signature]:
    """The signatures with a value whose type is not the one ``types`` settled for its name."""
    return {sig for sig in dict.fromkeys(signatures) if any(types[key] is not kind for key, kind in sig)}


def flatten(G: nx.Graph) -> nx.MultiDiGraph:
    """A ``MultiDiGraph`` copy of ``G`` with one scalar type per attribute key (see module doc)."""
    return to_networkx(flat_graph(G))


def to_networkx(flat: FlatGraph) -> nx.MultiDiGraph:
    """The flat graph as a ``MultiDiGraph`` (every record flattened)."""
    F = nx.MultiDiGraph()
    F.graph.update(flat.graph)
    for node, record in flat.nodes:
        F.add_node(node, **record.attrs)
    for u, v, key, record in flat.edges:
        F.add_edge(u, v, key=key, **record.attrs)
    return F


def from_networkx(F: nx.MultiDiGraph) -> FlatGraph:
    """An already flat ``MultiDiGraph`` (:func:`flatten`) as records."""
    nodes = [(str(n), FlatRecord(d, signature(d))) for n, d in F.nodes(data=True)]
    edges = [(str(u), str(v), k, FlatRecord(d, signature(d))) for u, v, k, d in F.edges(keys=True, data=True)]
    return FlatGraph(dict(F.graph), nodes, edges, settled_types(r.signature for _, r in nodes),
                     settled_types(e[3].signature for e in edges))
