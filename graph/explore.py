"""Explore an output folder in Python or Jupyter: load it back, rank, cluster, cut, draw.

:func:`load` reads what ``newsgraph extract`` wrote (``graph.graphml`` and the CSV tables of
:mod:`graph.export.tables`) into a :class:`Loaded`. The graph is the contract graph of
:mod:`graph.build` again: list attributes (``aliases``, ``documents``, ``langs``) that the
export joined with ``|`` are lists, provenance (``mentions``, ``evidence``) and the graph
attributes (``documents``, ``run``, ``merges``) are parsed from JSON, so the graph can be written
again with the exporters (:func:`write_subgraph`).

The flat helpers the notebook ``notebooks/explore.ipynb`` uses:

* :func:`centrality` - degree and betweenness per node, as a table;
* :func:`communities` - Louvain communities of the undirected graph, as a table;
* :func:`find_country`, :func:`events_involving`, :func:`neighbourhood` - pick nodes and cut
  the subgraph within k hops of them; :func:`write_subgraph` writes it for Gephi;
* :func:`interactive_view` - an offline, standalone HTML view (gravis, d3), coloured by kind
  (the GEXF palette) and sized by degree;
* :func:`timeline` - a matplotlib timeline of the dated events (None when there are none).

gravis and matplotlib are the ``notebook`` extra; they are imported only by the functions that
draw.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from graph.export.gexf import KIND_COLOURS, OTHER_COLOUR, date_bounds, node_size, write_gexf
from graph.export.graphml import write_graphml
from graph.export.tables import TABLES
from graph.fileio import atomic_write

if TYPE_CHECKING:  # drawing libraries: the notebook extra
    from matplotlib.axes import Axes

#: The separator :func:`graph.export.flat.flat_value` joins lists of scalars with.
LIST_SEPARATOR = "|"
#: Attributes of the contract that are lists of strings (nodes and edges).
LIST_ATTRS = frozenset({"aliases", "documents", "langs"})
#: Attributes of the contract that the export writes as JSON (nodes and edges; every graph attribute is JSON).
JSON_ATTRS = frozenset({"mentions", "evidence"})
#: Integer columns of the CSV tables (everything else is read as text, "" when empty).
INT_COLUMNS = {"entities": ("mentions",), "mentions": ("sentence", "start", "end")}
#: Kinds that act (the "actors" of centrality tables).
ACTOR_KINDS = ("Person", "Organization", "Country")


@dataclass
class Loaded:
    """An output folder read back: the contract graph and the CSV tables."""

    path: Path
    graph: nx.MultiDiGraph
    entities: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame
    relations: pd.DataFrame
    merges: pd.DataFrame

    @property
    def documents(self) -> pd.DataFrame:
        """One row per document: id and its metadata (title, date, source, lang, path ...)."""
        docs = self.graph.graph.get("documents") or {}
        rows = [{"id": doc_id, **(meta if isinstance(meta, dict) else {})} for doc_id, meta in docs.items()]
        return pd.DataFrame(rows).fillna("") if rows else pd.DataFrame(columns=["id"])


# ----------------------------------------------------------------------------------------- load


def _json_or_text(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _restore(attrs: dict) -> None:
    """Undo the export's flattening of one node's or edge's attributes, in place."""
    for key, value in attrs.items():
        if key in LIST_ATTRS and isinstance(value, str):
            attrs[key] = value.split(LIST_SEPARATOR) if value else []
        elif key in JSON_ATTRS:
            attrs[key] = _json_or_text(value)


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """The contract graph of a ``graph.graphml`` written by :func:`graph.export.graphml.write_graphml`."""
    G = nx.read_graphml(Path(path), force_multigraph=True)
    if not G.is_directed():
        G = nx.MultiDiGraph(G)
    for key in ("node_default", "edge_default"):  # added by the networkx reader, not by the export
        if not G.graph.get(key):
            G.graph.pop(key, None)
    for key, value in list(G.graph.items()):
        G.graph[key] = _json_or_text(value)
    for _, data in G.nodes(data=True):
        _restore(data)
    for _, _, data in G.edges(data=True):
        _restore(data)
    return G


def read_table(path: str | Path) -> pd.DataFrame:
    """One CSV table of :mod:`graph.export.tables`: text columns ("" when empty), integer counts.

    A missing file gives the table's columns with no rows.
    """
    path = Path(path)
    stem = path.stem
    if path.is_file():
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    else:
        frame = TABLES[path.name](nx.MultiDiGraph()) if path.name in TABLES else pd.DataFrame()
        frame = frame.astype(str)
    for column in INT_COLUMNS.get(stem, ()):
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return frame


def load(path: str | Path = "outputs/") -> Loaded:
    """Read an output folder of ``newsgraph extract`` (or its ``graph.graphml``)."""
    path = Path(path)
    folder = path.parent if path.is_file() else path
    graphml = path if path.is_file() else path / "graph.graphml"
    if not graphml.is_file():
        raise FileNotFoundError(f"no graph.graphml in {folder} (run `newsgraph extract INPUT --out {folder}`)")
    tables = {name: read_table(folder / f"{name}.csv") for name in ("entities", "mentions", "events", "relations",
                                                                    "merges")}
    return Loaded(path=folder, graph=read_graph(graphml), **tables)


# ------------------------------------------------------------------------------- measures, cuts


def _label(G: nx.Graph, node: str) -> str:
    return str(G.nodes[node].get("label") or node)


def simple_undirected(G: nx.Graph) -> nx.Graph:
    """``G`` as a simple undirected graph; ``weight`` counts the edges (either way) it stands for."""
    U = nx.Graph()
    U.add_nodes_from(G.nodes(data=True))
    for u, v in G.edges():
        if u == v:
            continue
        if U.has_edge(u, v):
            U[u][v]["weight"] += 1
        else:
            U.add_edge(u, v, weight=1)
    return U


def centrality(G: nx.Graph, kinds: Iterable[str] | None = None, top: int | None = None) -> pd.DataFrame:
    """Degree (in + out, parallel edges counted) and betweenness (normalised, undirected) per node.

    Betweenness is over the whole graph; ``kinds`` then keeps those kinds' rows; sorted by degree,
    then betweenness; ``top`` keeps the first rows.
    """
    betweenness = nx.betweenness_centrality(simple_undirected(G), normalized=True) if len(G) else {}
    keep = set(kinds) if kinds is not None else None
    rows = []
    for node, data in G.nodes(data=True):
        if keep is not None and data.get("kind") not in keep:
            continue
        rows.append({
            "id": node,
            "label": _label(G, node),
            "kind": data.get("kind", ""),
            "degree": G.degree(node),
            "in": G.in_degree(node) if G.is_directed() else G.degree(node),
            "out": G.out_degree(node) if G.is_directed() else G.degree(node),
            "betweenness": round(betweenness.get(node, 0.0), 4),
        })
    columns = ["id", "label", "kind", "degree", "in", "out", "betweenness"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.sort_values(["degree", "betweenness", "id"], ascending=[False, False, True], ignore_index=True)
    return frame.head(top) if top is not None else frame


def communities(G: nx.Graph, *, seed: int = 0, resolution: float = 1.0, min_size: int = 1) -> pd.DataFrame:
    """Louvain communities of the undirected graph (edge weight = number of edges), largest first.

    Columns: ``community`` (0 = largest), ``size``, ``kinds`` (count per kind), ``top`` (labels of
    its five highest-degree members), ``members`` (node ids, highest degree first). ``seed`` makes
    the result reproducible; ``min_size`` drops smaller communities (isolated nodes are size 1).
    """
    U = simple_undirected(G)
    groups = nx.community.louvain_communities(U, weight="weight", resolution=resolution, seed=seed) if len(U) else []
    ranked = [sorted(group, key=lambda n: (-G.degree(n), n)) for group in groups]
    ranked = [members for members in ranked if len(members) >= min_size]
    ranked.sort(key=lambda members: (-len(members), members[0]))
    rows = []
    for i, members in enumerate(ranked):
        kinds = Counter(G.nodes[n].get("kind", "") for n in members)
        rows.append({
            "community": i,
            "size": len(members),
            "kinds": ", ".join(f"{k} {c}" for k, c in sorted(kinds.items(), key=lambda kc: (-kc[1], kc[0]))),
            "top": ", ".join(_label(G, n) for n in members[:5]),
            "members": members,
        })
    return pd.DataFrame(rows, columns=["community", "size", "kinds", "top", "members"])


def find_country(G: nx.Graph, iso: str) -> str | None:
    """The Country node with ISO 3166-1 alpha-2 code ``iso``, or None."""
    for node, data in G.nodes(data=True):
        if data.get("kind") == "Country" and str(data.get("iso", "")).upper() == iso.upper():
            return node
    return None


def events_involving(G: nx.MultiDiGraph, nodes: Iterable[str], hops: int = 2) -> list[str]:
    """Event nodes from which every one of ``nodes`` is reached within ``hops`` edges, following them.

    With ``hops=2`` an event involves a country it takes place in or has as a participant, and a
    country that a participant or its location is based in or located in.
    """
    targets = set(nodes)
    found = []
    for node, data in G.nodes(data=True):
        if data.get("kind") != "Event":
            continue
        reached = nx.single_source_shortest_path_length(G, node, cutoff=hops)
        if targets and targets <= reached.keys():
            found.append(node)
    return sorted(found)


def neighbourhood(G: nx.MultiDiGraph, seeds: Iterable[str], hops: int = 2) -> nx.MultiDiGraph:
    """A copy of the subgraph of every node within ``hops`` edges (either direction) of ``seeds``.

    Raises ``KeyError`` naming the seeds that are not nodes of ``G``.
    """
    seeds = list(dict.fromkeys(seeds))
    missing = [s for s in seeds if s not in G]
    if missing:
        raise KeyError(f"not nodes of the graph: {', '.join(map(str, missing))}")
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    keep: set[str] = set()
    for seed in seeds:
        keep |= nx.single_source_shortest_path_length(U, seed, cutoff=hops).keys()
    H = G.subgraph(keep).copy()
    docs = {d for _, data in H.nodes(data=True) for d in data.get("documents", [])}
    if isinstance(H.graph.get("documents"), dict):
        H.graph["documents"] = {k: v for k, v in H.graph["documents"].items() if k in docs}
    if isinstance(H.graph.get("merges"), list):
        H.graph["merges"] = [m for m in H.graph["merges"] if isinstance(m, dict) and m.get("resolved") in keep]
    return H


def write_subgraph(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` for Gephi with the pipeline's exporters: ``.graphml`` or ``.gexf`` (by suffix)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        return write_graphml(G, path)
    if suffix == ".gexf":
        return write_gexf(G, path)
    raise ValueError(f"unknown graph file type {path.suffix!r}: use .graphml or .gexf")


# ------------------------------------------------------------------------------------- drawing


def kind_colour(kind: str) -> str:
    """The ``#rrggbb`` colour of a node kind (the GEXF palette)."""
    r, g, b = KIND_COLOURS.get(kind, OTHER_COLOUR)
    return f"#{r:02x}{g:02x}{b:02x}"


def _plain(text: Any) -> str:
    """Text for a gravis label: the data is embedded in a <script>, so no angle brackets."""
    return str(text).replace("<", "\u2039").replace(">", "\u203a")


def display_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph gravis draws: label, colour by kind, size by degree, HTML hover and click texts."""
    D = nx.MultiDiGraph()
    for node, data in G.nodes(data=True):
        kind = str(data.get("kind", ""))
        label = _label(G, node)
        aliases = [a for a in data.get("aliases", []) if a != label]
        details = [f"<b>{html.escape(label)}</b> ({html.escape(kind)})", html.escape(str(node))]
        if aliases:
            details.append("aka " + html.escape(", ".join(map(str, aliases[:8]))))
        for key in ("event_type", "date", "end_date", "iso"):
            if data.get(key):
                details.append(f"{key}: {html.escape(str(data[key]))}")
        details.append(f"documents: {html.escape(', '.join(map(str, data.get('documents', []))))}")
        D.add_node(
            node,
            label=_plain(label),
            color=kind_colour(kind),
            size=node_size(G.degree(node)) * 2,
            hover="<br>".join(details[:2]),
            click="<br>".join(details),
        )
    for u, v, data in G.edges(data=True):
        relation = str(data.get("relation", ""))
        title = f" ({data['title']})" if data.get("title") else ""
        evidence = data.get("evidence") or []
        sentence = evidence[0].get("text", "") if evidence and isinstance(evidence[0], dict) else ""
        hover = f"{html.escape(_label(G, u))} <i>{html.escape(relation + title)}</i> {html.escape(_label(G, v))}"
        D.add_edge(u, v, label=_plain(relation), hover=hover, click=hover + "<br>" + html.escape(sentence))
    return D


def interactive_view(G: nx.MultiDiGraph, path: str | Path | None = None, *, height: int = 600):
    """A gravis (d3) figure of ``G``; with ``path``, also saved as one standalone HTML file.

    The HTML embeds its JavaScript (d3, require.js) and data: it opens offline, from disk.
    In a notebook the returned figure displays itself.
    """
    import gravis as gv

    figure = gv.d3(
        display_graph(G),
        graph_height=height,
        node_label_data_source="label",
        edge_label_data_source="label",
        node_hover_neighborhood=True,
        show_details=True,
        details_height=120,
        many_body_force_strength=-150.0,
        links_force_distance=70.0,
        zoom_factor=0.6,
    )
    if path is not None:
        save_html(figure, path)
    return figure


def save_html(figure: Any, path: str | Path) -> Path:
    """Write a gravis figure as one standalone UTF-8 HTML file (atomically); return the path."""
    path = Path(path)
    with atomic_write(path, encoding="utf-8") as handle:
        handle.write(figure.to_html_standalone())
    return path


#: Installed fonts that have Thai glyphs, tried after matplotlib's default (which has Latin and Vietnamese).
THAI_FONTS = ("Noto Sans Thai", "Noto Sans Thai UI", "Sarabun", "Loma", "Garuda", "Tlwg Typo", "Norasi", "Kinnari",
              "Leelawadee UI", "Tahoma", "Arial Unicode MS")


def plot_fonts() -> list[str]:
    """Make matplotlib fall back on an installed Thai font; return the font families it now uses.

    Without one (e.g. no ``fonts-thai-tlwg``), Thai labels are drawn as boxes, without a warning per glyph.
    """
    import warnings

    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    families = [matplotlib.rcParams["font.sans-serif"][0], *[f for f in THAI_FONTS if f in installed]]
    matplotlib.rcParams["font.family"] = families
    if len(families) == 1:
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
    return families


def dated_events(G: nx.Graph) -> pd.DataFrame:
    """Events with a usable ``date``: id, label, event_type, start, end (dates), sorted by start."""
    rows = []
    for node, data in G.nodes(data=True):
        if data.get("kind") != "Event" or not data.get("date"):
            continue
        bounds = date_bounds(str(data["date"]))
        if bounds is None:
            continue
        start, end = bounds
        end_bounds = date_bounds(str(data["end_date"])) if data.get("end_date") else None
        if end_bounds and end_bounds[1] >= start:
            end = end_bounds[1]
        rows.append({"id": node, "label": _label(G, node), "event_type": str(data.get("event_type") or "Other"),
                     "date": str(data["date"]), "start": start, "end": end})
    frame = pd.DataFrame(rows, columns=["id", "label", "event_type", "date", "start", "end"])
    return frame.sort_values(["start", "id"], ignore_index=True)


def timeline(G: nx.Graph, ax: Axes | None = None) -> Axes | None:
    """A timeline of the dated events (one row per event type); None, drawing nothing, if there are none.

    A day is a dot; a month, a year or a range is a bar over the period.
    """
    events = dated_events(G)
    if events.empty:
        return None
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    types = sorted(events["event_type"].unique())
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 1.2 + 0.6 * len(types)))
    colour = kind_colour("Event")
    first, last = mdates.date2num(events["start"].min()), mdates.date2num(events["end"].max())
    for row in events.itertuples():
        y = types.index(row.event_type)
        start, end = mdates.date2num(row.start), mdates.date2num(row.end)
        if end > start:
            ax.plot([start, end + 1], [y, y], color=colour, linewidth=6, alpha=0.6, solid_capstyle="butt")
        else:
            ax.plot([start], [y], "o", color=colour, markersize=8)
        right_half = last > first and start > (first + last) / 2  # label towards the middle, not off the axes
        text = _plain(row.label)
        text = text if len(text) <= 40 else text[:39] + "…"
        ax.annotate(text, (start, y), xytext=(0, 8), textcoords="offset points", fontsize=8,
                    ha="right" if right_half else "left")
    ax.set_yticks(range(len(types)), types)
    ax.set_ylim(-0.7, len(types) - 0.3)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.margins(x=0.08)
    undated = sum(d.get("kind") == "Event" for _, d in G.nodes(data=True)) - len(events)
    ax.set_title(f"{len(events)} dated events" + (f" ({undated} without a date not shown)" if undated else ""))
    ax.grid(axis="x", alpha=0.3)
    return ax


__all__ = [
    "ACTOR_KINDS", "LIST_SEPARATOR", "Loaded", "centrality", "communities", "dated_events", "display_graph",
    "events_involving", "find_country", "interactive_view", "kind_colour", "load", "neighbourhood", "plot_fonts",
    "read_graph", "read_table", "save_html", "simple_undirected", "timeline", "write_subgraph",
]
