"""CSV tables of the graph: entities, mentions, events, relations, merges.

Each table is a stream of rows (tuples in the order of its columns), written straight to CSV by
:func:`write_tables` (every text field quoted, ``\\n`` line ends) and offered as a pandas
``DataFrame`` by its ``*_table`` function for notebooks (:data:`TABLES`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx
import pandas as pd

from ..fileio import atomic_write

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


def entity_rows(G: nx.MultiDiGraph) -> Iterator[tuple]:
    for node, d in G.nodes(data=True):
        if d.get("kind") == "Event":
            continue
        yield (
            node,
            d["kind"],
            d["label"],
            "|".join(d["aliases"]),
            "|".join(d["documents"]),
            "|".join(d.get("langs", [])),
            d.get("iso", ""),
            len(d.get("mentions", [])),
        )


def mention_rows(G: nx.MultiDiGraph) -> Iterator[tuple]:
    fields = MENTION_COLUMNS[3:]
    for node, d in G.nodes(data=True):
        head = (node, d["kind"], d["label"])
        for m in d.get("mentions", []):
            yield head + tuple(map(m.get, fields))


def event_rows(G: nx.MultiDiGraph) -> Iterator[tuple]:
    for node, d in G.nodes(data=True):
        if d.get("kind") != "Event":
            continue
        out = list(G.out_edges(node, data=True))
        participants = [(v, data.get("role", "")) for _, v, data in out if data["relation"] == "participant"]
        places = [v for _, v, data in out if data["relation"] == "location"]
        sentences = [e["text"] for e in d.get("evidence", [])] or [
            e["text"] for _, _, data in out for e in data["evidence"]
        ]
        yield (
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
        )


def relation_rows(G: nx.MultiDiGraph) -> Iterator[tuple]:
    nodes = G.nodes
    for u, v, d in G.edges(data=True):
        head = nodes[u]
        if head.get("kind") == "Event":
            continue
        yield (
            u,
            head["label"],
            d["relation"],
            v,
            nodes[v]["label"],
            d.get("title", ""),
            "|".join(d["documents"]),
            d["evidence"][0]["text"] if d.get("evidence") else "",
        )


def merge_rows(G: nx.MultiDiGraph) -> Iterator[tuple]:
    for m in G.graph.get("merges", []):
        yield tuple("|".join(m["documents"]) if c == "documents" else m.get(c) for c in MERGE_COLUMNS)


#: file name -> (columns, rows of a graph)
ROWS: dict[str, tuple[list[str], Callable[[nx.MultiDiGraph], Iterator[tuple]]]] = {
    "entities.csv": (ENTITY_COLUMNS, entity_rows),
    "mentions.csv": (MENTION_COLUMNS, mention_rows),
    "events.csv": (EVENT_COLUMNS, event_rows),
    "relations.csv": (RELATION_COLUMNS, relation_rows),
    "merges.csv": (MERGE_COLUMNS, merge_rows),
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


def write_tables(G: nx.MultiDiGraph, out_dir: str | Path) -> list[Path]:
    """Write every table into ``out_dir`` atomically; returns the paths."""
    paths = []
    for name, (columns, rows) in ROWS.items():
        path = Path(out_dir) / name
        with atomic_write(path, newline="") as handle:
            # quote every text field: a lone carriage return inside one would otherwise end the row
            writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(rows(G))
        paths.append(path)
    return paths
