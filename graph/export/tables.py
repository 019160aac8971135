"""CSV tables of the graph: entities, mentions, events, relations, merges.

Each table is a stream of rows (tuples in the order of its columns), written straight to CSV by
:func:`write_tables` (every text field quoted, ``\\n`` line ends) and offered as a pandas
``DataFrame`` by its ``*_table`` function for notebooks (:data:`TABLES`).
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from .reuse import TABLE_INDEX, GraphPrints, SpanIndex, combined, last_export, save_export, span_file

ENTITY_COLUMNS = ["id", "kind", "label", "aliases", "documents", "langs", "iso", "mentions"]
MENTION_COLUMNS = ["node", "kind", "label", "doc", "lang", "sentence", "start", "end", "text", "rule"]
EVENT_COLUMNS = [
    "id",
    "event_type",
    "cameo",
    "date",
    "end_date",
    "trigger",
    "location",
    "location_ids",
    "participants",
    "participant_ids",
    "documents",
    "sentence",
]
RELATION_COLUMNS = ["head", "head_label", "relation", "tail", "tail_label", "title", "documents", "sentence"]
MERGE_COLUMNS = ["resolved", "rule", "key", "left", "right", "documents"]


# Each table is made of units (a node, an edge, a merge), each giving some rows; the fingerprint of
# a unit covers everything its rows are made from, so an export can copy them (graph.export.reuse).


def _entity_units(G: nx.MultiDiGraph) -> Iterator[Any]:
    return (node for node, d in G.nodes(data=True) if d.get("kind") != "Event")


def _entity_rows(G: nx.MultiDiGraph, node: Any) -> list[tuple]:
    d = G.nodes[node]
    return [(
        node,
        d["kind"],
        d["label"],
        "|".join(d["aliases"]),
        "|".join(d["documents"]),
        "|".join(d.get("langs", [])),
        d.get("iso", ""),
        len(d.get("mentions", [])),
    )]


def _node_print(G: nx.MultiDiGraph, prints: GraphPrints, node: Any) -> bytes | None:
    return prints.nodes[node]


#: The fields of a mention's row, from a mention that has them all (the rows of 539,000 mentions of
#: a 10k-article graph: 0.33 -> 0.19 s against ``tuple(map(m.get, fields))``).
_MENTION_FIELDS = operator.itemgetter(*MENTION_COLUMNS[3:])


def _mention_rows(G: nx.MultiDiGraph, node: Any) -> list[tuple]:
    fields = MENTION_COLUMNS[3:]
    d = G.nodes[node]
    head = (node, d["kind"], d["label"])
    mentions = d.get("mentions", [])
    try:
        return [head + _MENTION_FIELDS(m) for m in mentions]
    except (KeyError, TypeError):  # a mention without some of the fields: None for those
        return [head + tuple(map(m.get, fields)) for m in mentions]


def _event_units(G: nx.MultiDiGraph) -> Iterator[Any]:
    return (node for node, d in G.nodes(data=True) if d.get("kind") == "Event")


def _event_rows(G: nx.MultiDiGraph, node: Any) -> list[tuple]:
    d = G.nodes[node]
    out = list(G.out_edges(node, data=True))
    participants = [(v, data.get("role", "")) for _, v, data in out if data["relation"] == "participant"]
    places = [v for _, v, data in out if data["relation"] == "location"]
    sentences = [e["text"] for e in d.get("evidence", [])]
    sentences = sentences or [e["text"] for _, _, data in out for e in data["evidence"]]
    return [(
        node,
        d["event_type"],
        d.get("cameo", ""),
        d.get("date", ""),
        d.get("end_date", ""),
        d.get("trigger", ""),
        "|".join(G.nodes[p]["label"] for p in places),
        "|".join(places),
        "|".join(f"{G.nodes[v]['label']} ({role})" for v, role in participants),
        "|".join(v for v, _ in participants),
        "|".join(d["documents"]),
        sentences[0] if sentences else "",
    )]


def _event_print(G: nx.MultiDiGraph, prints: GraphPrints, node: Any) -> bytes | None:
    """The event's own, with each of its out-edges' and of their targets (labels, kinds)."""
    parts = [prints.nodes[node]]
    for _, v, key in G.out_edges(node, keys=True):
        parts += [prints.edge_index[(node, v, key)], prints.nodes[v]]
    return combined(*parts)


def _relation_units(G: nx.MultiDiGraph) -> Iterator[Any]:
    nodes = G.nodes
    return ((u, v, k) for u, v, k in G.edges(keys=True) if nodes[u].get("kind") != "Event")


def _relation_rows(G: nx.MultiDiGraph, edge: tuple) -> list[tuple]:
    u, v, k = edge
    d, nodes = G.edges[u, v, k], G.nodes
    return [(
        u,
        nodes[u]["label"],
        d["relation"],
        v,
        nodes[v]["label"],
        d.get("title", ""),
        "|".join(d["documents"]),
        d["evidence"][0]["text"] if d.get("evidence") else "",
    )]


def _relation_print(G: nx.MultiDiGraph, prints: GraphPrints, edge: tuple) -> bytes | None:
    u, v, _ = edge
    return combined(prints.edge_index[edge], prints.nodes[u], prints.nodes[v])


def _merge_units(G: nx.MultiDiGraph) -> Iterator[Any]:
    return iter(G.graph.get("merges", []))


#: The fields of a merge's row before its documents (the last column), from a merge that has them all.
_MERGE_FIELDS = operator.itemgetter(*MERGE_COLUMNS[:-1])


def _merge_rows(G: nx.MultiDiGraph, m: dict) -> list[tuple]:
    try:  # the 167,000 merges of a 10k-article graph: 0.18 -> 0.09 s against the general case
        return [(*_MERGE_FIELDS(m), "|".join(m["documents"]))]
    except KeyError:  # a field missing: None for it (but documents)
        return [tuple("|".join(m["documents"]) if c == "documents" else m.get(c) for c in MERGE_COLUMNS)]


def _merge_print(G: nx.MultiDiGraph, prints: GraphPrints, m: dict) -> bytes | None:
    return prints.fingerprint(m)


@dataclass(frozen=True)
class Table:
    """A table: its columns, its units, the rows of a unit and the fingerprint of a unit.

    ``reused``: whether a re-run copies the rows of its unchanged units from the last export; not
    worth it for a unit whose fingerprint costs more than its row (a merge).
    """

    columns: list[str]
    units: Callable[[nx.MultiDiGraph], Iterator[Any]]
    rows_of: Callable[[nx.MultiDiGraph, Any], list[tuple]]
    print_of: Callable[[nx.MultiDiGraph, GraphPrints, Any], bytes | None]
    reused: bool = True

    def rows(self, G: nx.MultiDiGraph) -> Iterator[tuple]:
        for unit in self.units(G):
            yield from self.rows_of(G, unit)


#: file name -> its table
TABLE_SPECS: dict[str, Table] = {
    "entities.csv": Table(ENTITY_COLUMNS, _entity_units, _entity_rows, _node_print),
    "mentions.csv": Table(MENTION_COLUMNS, lambda G: iter(G.nodes), _mention_rows, _node_print),
    "events.csv": Table(EVENT_COLUMNS, _event_units, _event_rows, _event_print),
    "relations.csv": Table(RELATION_COLUMNS, _relation_units, _relation_rows, _relation_print),
    # one short row per merge, and 167,000 of them in a 10k-article graph: fingerprinting each
    # (0.7 s) cost more than writing them all (0.2 s)
    "merges.csv": Table(MERGE_COLUMNS, _merge_units, _merge_rows, _merge_print, reused=False),
}
#: Rows written at once by a table writer that copies nothing.
_ROWS_AT_ONCE = 10_000
#: file name -> (columns, rows of a graph)
ROWS: dict[str, tuple[list[str], Callable[[nx.MultiDiGraph], Iterator[tuple]]]] = {
    name: (table.columns, table.rows) for name, table in TABLE_SPECS.items()
}


def _frame(name: str, G: nx.MultiDiGraph) -> pd.DataFrame:
    columns, rows = ROWS[name]
    return pd.DataFrame(list(rows(G)), columns=columns)


def entities_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    return _frame("entities.csv", G)


def mentions_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    return _frame("mentions.csv", G)


def events_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    return _frame("events.csv", G)


def relations_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    return _frame("relations.csv", G)


def merges_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    return _frame("merges.csv", G)


#: file name -> the table of a graph as a DataFrame
TABLES: dict[str, Callable[[nx.MultiDiGraph], pd.DataFrame]] = {
    "entities.csv": entities_table,
    "mentions.csv": mentions_table,
    "events.csv": events_table,
    "relations.csv": relations_table,
    "merges.csv": merges_table,
}


def write_tables(
    G: nx.MultiDiGraph, out_dir: str | Path, reuse_dir: str | Path | None = None, prints: GraphPrints | None = None
) -> list[Path]:
    """Write every table into ``out_dir`` atomically; returns the paths.

    ``reuse_dir``: a folder (the cache's) for the spans of each unit's rows, so that the next export
    copies the rows of what did not change (:mod:`graph.export.reuse`); ``prints``, the
    fingerprints of ``G`` if already computed.
    """
    out_dir = Path(out_dir)
    paths = {name: out_dir / name for name in TABLE_SPECS}
    if reuse_dir is not None:
        prints = prints or GraphPrints.of(G)
    # quote every text field: a lone carriage return inside one would otherwise end the row
    text = io.StringIO()
    writer = csv.writer(text, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")

    def csv_bytes(rows: Iterable[tuple]) -> bytes:
        text.seek(0)
        text.truncate()
        writer.writerows(rows)
        return text.getvalue().encode("utf-8")

    spans, stamps = {}, {}
    with last_export(TABLE_INDEX, reuse_dir, paths) as last:
        for name, table in TABLE_SPECS.items():
            old = last.fragments.get(name)
            with span_file(paths[name]) as out:
                out.record(None, csv_bytes([table.columns]))
                if prints is None or not table.reused:  # no spans to note: many rows per write
                    rows = table.rows(G)
                    while chunk := list(itertools.islice(rows, _ROWS_AT_ONCE)):
                        out.record(None, csv_bytes(chunk))
                else:
                    for unit in table.units(G):
                        fp = table.print_of(G, prints, unit)
                        if old and fp in old:
                            out.copy(fp, old)
                        else:
                            out.record(fp, csv_bytes(table.rows_of(G, unit)))
            spans[name], stamps[name] = out.spans, out.stamp
    save_export(TABLE_INDEX, reuse_dir, SpanIndex(spans=spans), stamps)
    return list(paths.values())
