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
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

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
_NOT_PLAIN_JSON = re.compile(r'\\u00|\\[bf]|"(?:true|false|null)":')


def to_json(value: Any) -> str:
    """Compact JSON (UTF-8 kept, keys in their order); strings inside are cleaned for XML too.

    Plain JSON data (str keys, finite numbers, no control characters) is encoded as is by the C
    encoder, then cleaned once; anything else is first made JSON-ready by :func:`_jsonable`. Both
    give the same text.
    """
    try:
        fast = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_refuse)
    except (TypeError, ValueError):
        fast = None
    if fast is None or _NOT_PLAIN_JSON.search(fast):
        return clean_text(json.dumps(_jsonable(value), ensure_ascii=False, separators=(",", ":")))
    return clean_text(fast)


def _scalar_text(value: Any) -> str:
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    return str(value)


def flat_value(value: Any) -> str | int | float | None:
    """One attribute value as a scalar (before the per-key type is settled); ``None`` to drop."""
    if type(value) is str:
        return clean_text(value)
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
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        types = set(map(type, items))
        if types <= {str}:  # the common case (aliases, documents): one join, one cleaning
            joined = "|".join(items)
            if joined.count("|") != len(items) - 1:
                joined = "|".join(item.replace("|", "/") for item in items)
            return clean_text(joined)
        if any(issubclass(t, Mapping | list | tuple | set | frozenset) for t in types):
            return to_json(items)
        parts = (clean_text(_scalar_text(i)).replace("|", "/") for i in items if i is not None)
        return "|".join(parts)
    return clean_text(_scalar_text(value))


def _settle_types(records: Iterable[dict]) -> None:
    """Give each key one type over ``records`` (dicts changed in place)."""
    records = list(records)
    kinds: dict[str, set[type]] = {}
    for rec in records:
        for key, value in rec.items():
            kinds.setdefault(key, set()).add(type(value))
    target: dict[str, type] = {}
    for key, types in kinds.items():
        if types <= {int}:
            target[key] = int
        elif types <= {int, float}:
            target[key] = float
        else:
            target[key] = str
    for rec in records:
        for key, value in rec.items():
            want = target[key]
            if type(value) is not want:
                rec[key] = float(value) if want is float else str(value)


@functools.lru_cache(maxsize=4096)
def _str_key_name(key: str) -> str:
    return clean_text(key).strip()


def _key_name(key: Any) -> str:
    """An attribute name as written: its text, cleaned and stripped."""
    return _str_key_name(key) if type(key) is str else clean_text(str(key)).strip()


def _flat_attrs(data: Mapping) -> dict:
    out = {}
    for key, value in data.items():
        name = _key_name(key)
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


def flatten(G: nx.Graph) -> nx.MultiDiGraph:
    """A ``MultiDiGraph`` copy of ``G`` with one scalar type per attribute key (see module doc)."""
    ids = node_id_map(G)
    node_attrs = {ids[n]: _flat_attrs(d) for n, d in G.nodes(data=True)}
    if G.is_multigraph():
        raw_edges = list(G.edges(keys=True, data=True))
    else:
        raw_edges = [(u, v, i, d) for i, (u, v, d) in enumerate(G.edges(data=True))]
    edges = [(ids[u], ids[v], k, _flat_attrs(d)) for u, v, k, d in raw_edges]
    _settle_types(node_attrs.values())
    _settle_types(e[3] for e in edges)

    F = nx.MultiDiGraph()
    for key, value in G.graph.items():
        name = clean_text(str(key)).strip()
        if not name or value is None:
            continue
        flat = flat_value(value) if isinstance(value, str | int | float | bool) else to_json(value)
        F.graph[name] = flat
    for node, attrs in node_attrs.items():
        F.add_node(node, **attrs)
    for i, (u, v, _k, attrs) in enumerate(edges):
        F.add_edge(u, v, key=i, **attrs)  # one id per edge over the whole file (GraphML/GEXF ids)
    return F
