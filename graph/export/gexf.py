"""GEXF 1.3 export for Gephi: typed attributes, colours, sizes, and a timeline of events.

Written directly (streaming, ``xml.sax.saxutils`` escaping), because networkx writes GEXF
1.2draft. The file is in namespace ``http://gexf.net/1.3`` with the viz extension
``http://gexf.net/1.3/viz`` and ``version="1.3"``.

* Attributes: the flat attributes of :func:`graph.export.flat.flatten`, declared once each
  (``string``, ``long`` or ``double``); a node's ``label`` is the GEXF ``label`` (an
  ``xsd:token`` there: whitespace runs become one space; the exact text is in the GraphML and
  RDF), falling back on the node id; an edge's
  ``relation`` is also its GEXF ``label`` and ``kind`` (GEXF 1.3 edge kinds keep parallel
  edges of different relations apart).
* Colour by ``kind``, fixed palette (Tableau 10), see :data:`KIND_COLOURS`:

  ============  =========
  Person        ``#E15759`` red
  Organization  ``#4E79A7`` blue
  Country       ``#59A14F`` green
  Place         ``#76B7B2`` teal
  Initiative    ``#F28E2B`` orange
  Event         ``#B07AA1`` purple
  other         ``#BAB0AC`` grey
  ============  =========

* Size by degree (in + out, parallel edges counted): ``4 + 2 * sqrt(degree)``.
* Time: a node with a ``date`` (Event nodes) gets ``start``/``end`` (``timeformat="date"``,
  closed interval): ``2020-10-08`` -> 2020-10-08..2020-10-08, ``2020-10`` -> the month,
  ``2020`` -> the year; an ``end_date`` extends the interval to the end of its period. Nodes
  without a date have no interval (Gephi shows them at all times). The graph is
  ``mode="dynamic"`` when at least one node has an interval.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
from collections import Counter
from pathlib import Path

import networkx as nx

from graph.export.flat import FlatGraph, clean_text, flat_graph, from_networkx
from graph.export.reuse import Fragments, SpanWriter, span_file

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"

#: Node colour (r, g, b) by ``kind``; Tableau 10.
KIND_COLOURS: dict[str, tuple[int, int, int]] = {
    "Person": (0xE1, 0x57, 0x59),
    "Organization": (0x4E, 0x79, 0xA7),
    "Country": (0x59, 0xA1, 0x4F),
    "Place": (0x76, 0xB7, 0xB2),
    "Initiative": (0xF2, 0x8E, 0x2B),
    "Event": (0xB0, 0x7A, 0xA1),
}
#: Colour of a node whose ``kind`` is missing or not in :data:`KIND_COLOURS`.
OTHER_COLOUR = (0xBA, 0xB0, 0xAC)

_GEXF_TYPES = {int: "long", float: "double", str: "string"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def node_size(degree: int) -> float:
    """Display size of a node of ``degree``."""
    return round(4.0 + 2.0 * math.sqrt(degree), 3)


def date_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of the period an ISO date of any precision names; None if not a date."""
    m = _DATE.match(str(value).strip())
    if not m:
        return None
    year, month, day = int(m[1]), m[2], m[3]
    try:
        if day:
            d = dt.date(year, int(month), int(day))
            return d, d
        if month:
            last = calendar.monthrange(year, int(month))[1]
            return dt.date(year, int(month), 1), dt.date(year, int(month), last)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


def node_interval(attrs: dict) -> tuple[str, str] | None:
    """(start, end) of a node with a ``date``, as GEXF dates; None without a usable date."""
    bounds = date_bounds(attrs.get("date", "")) if attrs.get("date") else None
    if bounds is None:
        return None
    start, end = bounds
    if attrs.get("end_date"):
        end_bounds = date_bounds(attrs["end_date"])
        if end_bounds and end_bounds[1] >= start:
            end = end_bounds[1]
    return start.isoformat(), end.isoformat()


def token(value: str) -> str:
    """``value`` as an ``xsd:token`` (GEXF labels and kinds): whitespace runs collapsed, stripped."""
    return " ".join(clean_text(value).split())


def _value_text(value) -> str:
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("NaN" if math.isnan(value) else str(value))
    return str(value)


def run_date(G: nx.Graph) -> str | None:
    """The date of the run that made ``G`` (``G.graph["run"]``), for the GEXF meta element."""
    run = G.graph.get("run")
    if not isinstance(run, dict):
        return None
    for key in ("end", "ended", "end_time", "finished", "start", "started", "start_time"):
        value = run.get(key)
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()[:10]
        if isinstance(value, str) and date_bounds(value[:10]):
            return value[:10]
    return None


_ATTR_SPECIAL = re.compile("[&<>\"'\n\r\t]")


def quoteattr(value: str) -> str:
    """:func:`xml.sax.saxutils.quoteattr`, quicker: the common value needs no escaping, and a
    value that does (a JSON one: every one has quotes) is escaped only for what it holds."""
    if _ATTR_SPECIAL.search(value) is None:
        return f'"{value}"'
    for char, entity in _ATTR_ENTITIES:  # saxutils' replacements, in its order
        if char in value:
            value = value.replace(char, entity)
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


#: What :func:`xml.sax.saxutils.quoteattr` replaces, in the order it does.
_ATTR_ENTITIES = (("&", "&amp;"), (">", "&gt;"), ("<", "&lt;"), ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))


def _attvalue(value: str | int | float) -> str:
    """The quoted ``value`` attribute of an ``<attvalue>`` (an int's text never needs escaping)."""
    kind = type(value)
    if kind is str:
        return quoteattr(value)
    return f'"{value}"' if kind is int else quoteattr(_value_text(value))


def _attvalue_starts(types: dict[str, type]) -> dict[str, str]:
    """Attribute name -> the ``<attvalue>`` line up to its value, quoted once for all records."""
    return {key: f"          <attvalue for={quoteattr(key)} value=" for key in types}


def _node_text(node: str, attrs: dict, starts: dict[str, str]) -> bytes:
    """A node element from its label to its colour (the size, which depends on the edges, follows)."""
    label = token(str(attrs.get("label", ""))) or token(node) or "_"
    interval = node_interval(attrs)
    time = f" start={quoteattr(interval[0])} end={quoteattr(interval[1])}" if interval else ""
    parts = [f" label={quoteattr(label)}{time}>\n"]
    values = [(k, v) for k, v in attrs.items() if k != "label"]
    if values:
        parts.append("        <attvalues>\n")
        for key, value in values:
            parts.append(f"{starts[key]}{_attvalue(value)}/>\n")
        parts.append("        </attvalues>\n")
    r, g, b = KIND_COLOURS.get(str(attrs.get("kind", "")), OTHER_COLOUR)
    parts.append(f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0"/>\n')
    return "".join(parts).encode("utf-8")


@functools.lru_cache(maxsize=1024)
def _edge_label(relation: str) -> str:
    """The ``label`` and ``kind`` attributes of an edge of ``relation`` (a handful over a graph)."""
    quoted = quoteattr(token(relation))
    return f" label={quoted} kind={quoted}" if quoted != '""' else ""


def _edge_text(attrs: dict, starts: dict[str, str]) -> bytes:
    """An edge element after its id, source and target."""
    parts = [_edge_label(str(attrs.get("relation", "")))]
    if attrs:
        parts.append(">\n        <attvalues>\n")
        for k, value in attrs.items():
            parts.append(f"{starts[k]}{_attvalue(value)}/>\n")
        parts.append("        </attvalues>\n      </edge>\n")
    else:
        parts.append("/>\n")
    return "".join(parts).encode("utf-8")


def _write(out: SpanWriter, flat: FlatGraph, last_modified: str | None, old: Fragments | None) -> None:
    node_types = {k: _GEXF_TYPES[t] for k, t in flat.node_types.items() if k != "label"}
    edge_types = {k: _GEXF_TYPES[t] for k, t in flat.edge_types.items()}
    node_starts, edge_starts = _attvalue_starts(flat.node_types), _attvalue_starts(flat.edge_types)
    for _, rec in flat.nodes:
        if rec.attrs is not None:
            rec.timed = node_interval(rec.attrs) is not None
    dynamic = any(rec.timed for _, rec in flat.nodes)
    degrees = Counter(u for u, *_ in flat.edges)
    degrees.update(e[1] for e in flat.edges)
    w = out.text

    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(
        f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{SCHEMA_LOCATION}" version="1.3">\n'
    )
    meta_date = f" lastmodifieddate={quoteattr(last_modified)}" if last_modified else ""
    w(f"  <meta{meta_date}>\n    <creator>newsgraph</creator>\n")
    w("    <description>Knowledge graph of people, organisations, places and events in news</description>\n  </meta>\n")
    time_attrs = ' mode="dynamic" timeformat="date" timerepresentation="interval"' if dynamic else (' mode="static"')
    w(f'  <graph defaultedgetype="directed" idtype="string"{time_attrs}>\n')
    for cls, types in (("node", node_types), ("edge", edge_types)):
        if not types:
            continue
        w(f'    <attributes class="{cls}">\n')
        for key, gexf_type in types.items():
            w(f"      <attribute id={quoteattr(key)} title={quoteattr(key)} type={quoteattr(gexf_type)}/>\n")
        w("    </attributes>\n")

    w("    <nodes>\n")
    for node, rec in flat.nodes:
        w(f"      <node id={quoteattr(node)}")
        fp = rec.fingerprint
        if rec.attrs is None:
            out.copy(fp, old)
        else:
            out.record(fp, _node_text(node, rec.attrs, node_starts))
        w(f'        <viz:size value="{node_size(degrees[node])}"/>\n      </node>\n')
    w("    </nodes>\n")

    w("    <edges>\n")
    for u, v, key, rec in flat.edges:
        w(f"      <edge id={quoteattr(str(key))} source={quoteattr(u)} target={quoteattr(v)}")
        fp = rec.fingerprint
        if rec.attrs is None:
            out.copy(fp, old)
        else:
            out.record(fp, _edge_text(rec.attrs, edge_starts))
    w("    </edges>\n  </graph>\n</gexf>\n")


def write_flat_gexf(flat: nx.MultiDiGraph, path: str | Path, last_modified: str | None = None) -> Path:
    """Write an already flat graph (:func:`graph.export.flat.flatten`) as GEXF 1.3 at ``path``.

    ``last_modified`` (``YYYY-MM-DD``, see :func:`run_date`) is the meta element's ``lastmodifieddate``.
    """
    write_gexf_records(from_networkx(flat), path, last_modified)
    return Path(path)


def write_gexf_records(
    flat: FlatGraph, path: str | Path, last_modified: str | None = None, old: Fragments | None = None
) -> SpanWriter:
    """Write ``flat`` as GEXF 1.3 at ``path``; return its writer (spans of the fingerprinted records, stamp).

    A record without attributes is copied from ``old`` (see :mod:`graph.export.reuse`).
    """
    with span_file(path) as out:
        _write(out, flat, last_modified, old)
    return out


def write_gexf(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` as GEXF 1.3 at ``path`` (atomically); return the path."""
    write_gexf_records(flat_graph(G), path, run_date(G))
    return Path(path)


__all__ = [
    "KIND_COLOURS",
    "OTHER_COLOUR",
    "date_bounds",
    "node_interval",
    "node_size",
    "run_date",
    "write_flat_gexf",
    "write_gexf",
    "write_gexf_records",
]
