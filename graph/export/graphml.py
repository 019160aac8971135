"""GraphML export (flattened attributes, streamed, atomic).

The file is what ``score_graph.py`` reads, and it reads back with networkx and with
``igraph.Graph.Read_GraphML``: one ``<key>`` per attribute name and domain, scalar types only
(see :func:`graph.export.flat.flatten`), non-empty node ids.

It is written as it goes, byte for byte what ``networkx.write_graphml_xml(flat, path,
encoding="utf-8", prettyprint=True)`` writes (``tests/test_export_network.py`` checks), without
building the ElementTree of the whole graph first: keys in reverse order of first use, ids ``d0``
``d1`` ... in order of first use (graph, nodes, edges), the graph's own ``<data>`` after its edges,
two-space indentation, ``" />"`` for empty elements.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from graph.export.flat import FlatGraph, flat_graph, from_networkx
from graph.export.reuse import Fragments, SpanWriter, span_file

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{GRAPHML_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
#: GraphML type of each flat attribute type (networkx's names).
GRAPHML_TYPES = {int: "long", float: "double", str: "string"}


def _attr(text: str) -> str:
    """Escaped as ElementTree escapes an attribute value."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def _cdata(text: str) -> str:
    """Escaped as ElementTree escapes element text."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _key_ids(flat: FlatGraph) -> dict[tuple[str, str], tuple[str, str]]:
    """(domain, name) -> (key id, GraphML type): ids in order of first use (graph, nodes, edges)."""
    ids: dict[tuple[str, str], tuple[str, str]] = {}
    names = [("graph", k, type(v)) for k, v in flat.graph.items() if k != "id"]
    names += [("node", k, t) for k, t in flat.node_types.items()]
    names += [("edge", k, t) for k, t in flat.edge_types.items()]
    for scope, name, kind in names:
        ids[(scope, name)] = (f"d{len(ids)}", GRAPHML_TYPES[kind])
    return ids


def _data(data: dict, keys: dict[str, str], indent: str) -> str:
    """A ``<data>`` line per attribute (empty text: self-closed, as ElementTree writes it)."""
    parts = []
    for name, value in data.items():
        text = str(value)
        if text:
            parts.append(f'\n{indent}<data key="{keys[name]}">{_cdata(text)}</data>')
        else:
            parts.append(f'\n{indent}<data key="{keys[name]}" />')
    return "".join(parts)


def _element_end(data: dict, keys: dict[str, str], tag: str) -> bytes:
    """The rest of a node or edge element after its id attributes: its data and end tag."""
    return (f">{_data(data, keys, '      ')}\n    </{tag}>" if data else " />").encode("utf-8")


def write_flat_graphml(F: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write an already flat graph (:func:`graph.export.flat.flatten`) as GraphML at ``path``."""
    write_graphml_records(from_networkx(F), path)
    return Path(path)


def write_graphml_records(flat: FlatGraph, path: str | Path, old: Fragments | None = None) -> SpanWriter:
    """Write ``flat`` as GraphML at ``path``; return its writer (spans of the fingerprinted records, stamp).

    A record without attributes is copied from ``old`` (see :mod:`graph.export.reuse`).
    """
    ids = _key_ids(flat)
    keys: dict[str, dict[str, str]] = {"graph": {}, "node": {}, "edge": {}}
    for (scope, name), (key, _) in ids.items():
        keys[scope][name] = key
    graph_data = {k: v for k, v in flat.graph.items() if k != "id"}
    graph_start = '  <graph edgedefault="directed"'
    if "id" in flat.graph:  # networkx writes it as the graph element's id
        graph_start += f' id="{_attr(str(flat.graph["id"]))}"'
    with span_file(path) as out:
        write, record, copy = out.text, out.record, out.copy
        write("<?xml version='1.0' encoding='utf-8'?>\n")
        write(f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{SCHEMA_LOCATION}">\n')
        for (scope, name), (key, graphml_type) in reversed(ids.items()):
            write(f'  <key id="{key}" for="{scope}" attr.name="{_attr(name)}" attr.type="{graphml_type}" />\n')
        if not graph_data and not flat.nodes:
            write(f"{graph_start} />\n</graphml>\n")
            return out
        write(f"{graph_start}>")
        node_keys, edge_keys = keys["node"], keys["edge"]
        for node, rec in flat.nodes:
            write(f'\n    <node id="{_attr(node)}"')
            fp, attrs = rec.fingerprint, rec.attrs
            if attrs is None:
                copy(fp, old)
            else:
                record(fp, _element_end(attrs, node_keys, "node"))
        for u, v, key, rec in flat.edges:
            write(f'\n    <edge source="{_attr(u)}" target="{_attr(v)}" id="{_attr(str(key))}"')
            fp, attrs = rec.fingerprint, rec.attrs
            if attrs is None:
                copy(fp, old)
            else:
                record(fp, _element_end(attrs, edge_keys, "edge"))
        write(_data(graph_data, keys["graph"], "    "))  # networkx appends them after the edges
        write("\n  </graph>\n</graphml>\n")
    return out


def write_graphml(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` (contract graph or already flat) as GraphML at ``path``; return the path."""
    write_graphml_records(flat_graph(G), path)
    return Path(path)
