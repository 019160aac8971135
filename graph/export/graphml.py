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

from graph.export.flat import flatten
from graph.fileio import atomic_write

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


def _key_ids(F: nx.MultiDiGraph) -> dict[tuple[str, str], tuple[str, str]]:
    """(domain, name) -> (key id, GraphML type): ids in order of first use (graph, nodes, edges)."""
    ids: dict[tuple[str, str], tuple[str, str]] = {}
    records = (
        [("graph", {k: v for k, v in F.graph.items() if k != "id"})]
        + [("node", d) for _, d in F.nodes(data=True)]
        + [("edge", d) for _, _, d in F.edges(data=True)]
    )
    for scope, data in records:
        for name, value in data.items():
            if (scope, name) not in ids:
                ids[(scope, name)] = (f"d{len(ids)}", GRAPHML_TYPES[type(value)])
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


def write_flat_graphml(F: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write an already flat graph (:func:`graph.export.flat.flatten`) as GraphML at ``path``."""
    path = Path(path)
    ids = _key_ids(F)
    keys: dict[str, dict[str, str]] = {"graph": {}, "node": {}, "edge": {}}
    for (scope, name), (key, _) in ids.items():
        keys[scope][name] = key
    graph_data = {k: v for k, v in F.graph.items() if k != "id"}
    graph_start = '  <graph edgedefault="directed"'
    if "id" in F.graph:  # networkx writes it as the graph element's id
        graph_start += f' id="{_attr(str(F.graph["id"]))}"'
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as out:
        write = out.write
        write("<?xml version='1.0' encoding='utf-8'?>\n")
        write(f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{SCHEMA_LOCATION}">\n')
        for (scope, name), (key, graphml_type) in reversed(ids.items()):
            write(f'  <key id="{key}" for="{scope}" attr.name="{_attr(name)}" attr.type="{graphml_type}" />\n')
        if not graph_data and not F:
            write(f"{graph_start} />\n</graphml>\n")
            return path
        write(f"{graph_start}>")
        node_keys, edge_keys = keys["node"], keys["edge"]
        for node, data in F.nodes(data=True):
            start = f'\n    <node id="{_attr(str(node))}"'
            write(f"{start}>{_data(data, node_keys, '      ')}\n    </node>" if data else f"{start} />")
        for u, v, key, data in F.edges(keys=True, data=True):
            start = f'\n    <edge source="{_attr(str(u))}" target="{_attr(str(v))}" id="{_attr(str(key))}"'
            write(f"{start}>{_data(data, edge_keys, '      ')}\n    </edge>" if data else f"{start} />")
        write(_data(graph_data, keys["graph"], "    "))  # networkx appends them after the edges
        write("\n  </graph>\n</graphml>\n")
    return path


def write_graphml(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` (contract graph or already flat) as GraphML at ``path``; return the path."""
    return write_flat_graphml(flatten(G), path)
