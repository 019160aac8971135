"""``newsgraph stats DIR``: what an output folder holds, as plain data and as terminal text.

:func:`compute_stats` counts a loaded output folder (:func:`graph.explore.load`): documents by
language, nodes by kind and language, edges by relation, the entities of highest degree, and
events by type and month. :func:`format_stats` lays those counts out as aligned text tables.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from graph.explore import Loaded, load

#: Month bucket of events without a usable date.
UNDATED = "undated"


def _month(date: Any) -> str:
    """``YYYY-MM`` of an ISO date of any precision; ``YYYY`` alone for a year; :data:`UNDATED` else."""
    text = str(date or "").strip()
    if len(text) >= 7 and text[:4].isdigit() and text[4] == "-" and text[5:7].isdigit():
        return text[:7]
    if len(text) == 4 and text.isdigit():
        return text
    return UNDATED


def compute_stats(loaded: Loaded, top: int = 10) -> dict[str, Any]:
    """The counts of one output folder, as plain data (dicts, lists, ints, strings)."""
    G: nx.MultiDiGraph = loaded.graph
    documents = G.graph.get("documents") if isinstance(G.graph.get("documents"), dict) else {}
    doc_langs = Counter(str(meta.get("lang", "")) if isinstance(meta, dict) else "" for meta in documents.values())

    langs: set[str] = set()
    by_kind: dict[str, Counter] = {}
    for _, data in G.nodes(data=True):
        kind = str(data.get("kind", "")) or "?"
        counts = by_kind.setdefault(kind, Counter())
        counts["total"] += 1
        for lang in data.get("langs", []):
            counts[lang] += 1
            langs.add(lang)

    entities = [n for n, d in G.nodes(data=True) if d.get("kind") != "Event"]
    ranked = sorted(entities, key=lambda n: (-G.degree(n), str(G.nodes[n].get("label", n)), n))[:top]
    top_entities = [
        {
            "id": n,
            "label": str(G.nodes[n].get("label", n)),
            "kind": str(G.nodes[n].get("kind", "")),
            "degree": G.degree(n),
            "documents": len(G.nodes[n].get("documents", [])),
            "langs": list(G.nodes[n].get("langs", [])),
        }
        for n in ranked
    ]

    events = [(str(d.get("event_type") or "Other"), _month(d.get("date"))) for _, d in G.nodes(data=True)
              if d.get("kind") == "Event"]
    by_month: dict[str, Counter] = {}
    for event_type, month in events:
        by_month.setdefault(month, Counter())[event_type] += 1

    return {
        "path": str(loaded.path),
        "documents": len(documents),
        "documents_by_lang": dict(sorted(doc_langs.items())),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "langs": sorted(langs),
        "nodes_by_kind": {k: dict(v) for k, v in sorted(by_kind.items(), key=lambda kv: (-kv[1]["total"], kv[0]))},
        "edges_by_relation": dict(sorted(Counter(str(d.get("relation", "")) for *_, d in G.edges(data=True)).items(),
                                         key=lambda kv: (-kv[1], kv[0]))),
        "top_entities": top_entities,
        "events": len(events),
        "events_by_type": dict(sorted(Counter(t for t, _ in events).items(), key=lambda kv: (-kv[1], kv[0]))),
        "events_by_month": {m: dict(c) for m, c in sorted(by_month.items(), key=lambda kv: (kv[0] == UNDATED, kv[0]))},
    }


def width(text: str) -> int:
    """Terminal columns of ``text``: combining marks (Thai vowels, Vietnamese tones) take none, wide
    (East Asian) characters two."""
    return sum(
        0 if unicodedata.category(ch) in ("Mn", "Me", "Cf") else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _pad(text: str, columns: int, right: bool) -> str:
    fill = " " * max(0, columns - width(text))
    return fill + text if right else text + fill


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[bool] | None = None) -> str:
    """An aligned text table: a header, a rule, the rows; numeric columns right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    if numeric is None:
        numeric = [bool(rows) and all(isinstance(row[i], int | float) for row in rows) for i in range(len(headers))]
    widths = [max(width(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = [_pad(c, w, num) for c, w, num in zip(row, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in cells[1:]])


def _shorten(text: str, columns: int = 48) -> str:
    text = " ".join(text.split())
    if width(text) <= columns:
        return text
    while width(text) > columns - 1:
        text = text[:-1]
    return text + "…"


def format_stats(stats: dict[str, Any]) -> str:
    """The counts of :func:`compute_stats` as terminal text."""
    langs = stats["langs"]
    doc_langs = ", ".join(f"{lang or '?'} {n}" for lang, n in stats["documents_by_lang"].items())
    out = [
        f"{stats['path']}: {stats['documents']} documents ({doc_langs or 'none'}), "
        f"{stats['nodes']} nodes, {stats['edges']} edges",
        "",
        "Nodes by kind and language (a node found in several languages counts in each)",
    ]
    rows = [[kind, c["total"], *[c.get(lang, 0) for lang in langs]] for kind, c in stats["nodes_by_kind"].items()]
    totals = [sum(c.get(lang, 0) for c in stats["nodes_by_kind"].values()) for lang in langs]
    rows.append(["all", stats["nodes"], *totals])
    out.append(table(["kind", "total", *langs], rows))

    out += ["", "Edges by relation"]
    if stats["edges_by_relation"]:
        out.append(table(["relation", "edges"], list(stats["edges_by_relation"].items())))
    else:
        out.append("(no edges)")

    out += ["", f"Top {len(stats['top_entities'])} entities by degree (edges in + out)"]
    if stats["top_entities"]:
        rows = [[i, _shorten(e["label"]), e["kind"], e["degree"], e["documents"], ",".join(e["langs"]), e["id"]]
                for i, e in enumerate(stats["top_entities"], 1)]
        out.append(table(["#", "entity", "kind", "degree", "docs", "langs", "id"], rows))
    else:
        out.append("(no entities)")

    out += ["", "Events by type and month"]
    if not stats["events"]:
        out.append("(no events in this graph)")
    else:
        types = list(stats["events_by_type"])
        rows = [[f"{month}-??" if len(month) == 4 else month, sum(c.values()), *[c.get(t, 0) for t in types]]
                for month, c in stats["events_by_month"].items()]  # 2025-??: the text gives the year only
        rows.append(["all", stats["events"], *stats["events_by_type"].values()])
        out.append(table(["month", "events", *types], rows))
    return "\n".join(out)


def stats(path: str | Path = "outputs/", top: int = 10) -> str:
    """The terminal text of ``newsgraph stats`` for an output folder."""
    return format_stats(compute_stats(load(path), top=top))


__all__ = ["UNDATED", "compute_stats", "format_stats", "stats", "table", "width"]
