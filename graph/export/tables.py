"""CSV tables of the graph (pandas): entities, mentions, events, relations, merges."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pandas as pd

from ..fileio import atomic_write

ENTITY_COLUMNS = ["id", "kind", "label", "aliases", "documents", "langs", "iso", "mentions"]


def entities_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    rows = []
    for node, d in G.nodes(data=True):
        if d.get("kind") == "Event":
            continue
        rows.append(
            {
                "id": node,
                "kind": d["kind"],
                "label": d["label"],
                "aliases": "|".join(d["aliases"]),
                "documents": "|".join(d["documents"]),
                "langs": "|".join(d.get("langs", [])),
                "iso": d.get("iso", ""),
                "mentions": len(d.get("mentions", [])),
            }
        )
    return pd.DataFrame(rows, columns=ENTITY_COLUMNS)


def mentions_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    rows = []
    for node, d in G.nodes(data=True):
        for m in d.get("mentions", []):
            rows.append({"node": node, "kind": d["kind"], "label": d["label"], **m})
    columns = ["node", "kind", "label", "doc", "lang", "sentence", "start", "end", "text", "rule"]
    return pd.DataFrame(rows, columns=columns)


def events_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    rows = []
    for node, d in G.nodes(data=True):
        if d.get("kind") != "Event":
            continue
        participants = [
            (v, data.get("role", ""))
            for _, v, data in G.out_edges(node, data=True)
            if data["relation"] == "participant"
        ]
        places = [v for _, v, data in G.out_edges(node, data=True) if data["relation"] == "location"]
        sentences = [e["text"] for e in d.get("evidence", [])] or [
            e["text"] for _, _, data in G.out_edges(node, data=True) for e in data["evidence"]
        ]
        rows.append(
            {
                "id": node,
                "event_type": d["event_type"],
                "cameo": d.get("cameo", ""),
                "date": d.get("date", ""),
                "end_date": d.get("end_date", ""),
                "trigger": d.get("trigger", ""),
                "location": "|".join(G.nodes[p]["label"] for p in places),
                "location_ids": "|".join(places),
                "participants": "|".join(f"{G.nodes[v]['label']} ({role})" for v, role in participants),
                "participant_ids": "|".join(v for v, _ in participants),
                "documents": "|".join(d["documents"]),
                "sentence": sentences[0] if sentences else "",
            }
        )
    columns = [
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
    return pd.DataFrame(rows, columns=columns)


def relations_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    rows = []
    for u, v, d in G.edges(data=True):
        if G.nodes[u].get("kind") == "Event":
            continue
        rows.append(
            {
                "head": u,
                "head_label": G.nodes[u]["label"],
                "relation": d["relation"],
                "tail": v,
                "tail_label": G.nodes[v]["label"],
                "title": d.get("title", ""),
                "documents": "|".join(d["documents"]),
                "sentence": d["evidence"][0]["text"] if d.get("evidence") else "",
            }
        )
    columns = ["head", "head_label", "relation", "tail", "tail_label", "title", "documents", "sentence"]
    return pd.DataFrame(rows, columns=columns)


def merges_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    columns = ["resolved", "rule", "key", "left", "right", "documents"]
    rows = [{**m, "documents": "|".join(m["documents"])} for m in G.graph.get("merges", [])]
    return pd.DataFrame(rows, columns=columns)


TABLES = {
    "entities.csv": entities_table,
    "mentions.csv": mentions_table,
    "events.csv": events_table,
    "relations.csv": relations_table,
    "merges.csv": merges_table,
}


def write_tables(G: nx.MultiDiGraph, out_dir: str | Path) -> list[Path]:
    """Write every table into ``out_dir`` atomically; returns the paths."""
    paths = []
    for name, make in TABLES.items():
        path = Path(out_dir) / name
        with atomic_write(path, newline="") as handle:
            # quote every text field: a lone carriage return inside one would otherwise end the row
            make(G).to_csv(handle, index=False, quoting=csv.QUOTE_NONNUMERIC)
        paths.append(path)
    return paths
