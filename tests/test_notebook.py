"""notebooks/explore.ipynb: stored without outputs, and runs top to bottom on fresh outputs.

The notebook is executed with nbclient in a kernel of this very interpreter (a kernel spec written
to a temporary JUPYTER_PATH, so whatever kernels the machine has registered do not matter), with
NEWSGRAPH_OUTPUTS pointing at the session's extraction, and once more at the sample graph's
outputs, which have events.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import networkx as nx
import pytest
from nbclient import NotebookClient

from graph import explore

pytest_plugins = ["outputs_fixtures"]

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOK = NOTEBOOKS / "explore.ipynb"
KERNEL = "newsgraph-test"


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code
    assert [cell.execution_count for cell in code] == [None] * len(code)
    assert [cell for cell in code if cell.outputs] == []
    assert "widgets" not in nb.metadata


def _execute(outputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "newsgraph tests", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("NEWSGRAPH_OUTPUTS", str(outputs))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # raises CellExecutionError, with the cell and the traceback, if any cell fails
    NotebookClient(nb, timeout=300, kernel_name=KERNEL, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return nb


def _text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            stream = out.output_type == "stream"
            parts.append(out.get("text", "") if stream else out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def _cell(nb: nbformat.NotebookNode, marker: str) -> nbformat.NotebookNode:
    return next(cell for cell in nb.cells if cell.cell_type == "code" and marker in cell.source)


def _images(cell: nbformat.NotebookNode) -> int:
    return sum("image/png" in out.get("data", {}) for out in cell.outputs)


def test_notebook_runs_on_a_fresh_extraction(extraction, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb = _execute(extraction.out, tmp_path, monkeypatch)
    G = extraction.result.graph
    text = _text(nb)
    assert f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges" in text
    assert all(out.output_type != "error" for cell in nb.cells for out in cell.get("outputs", []))

    assert (extraction.out / "explore" / "graph.html").stat().st_size > 10_000
    sparql = _cell(nb, "org:member")
    assert any("text/html" in out.get("data", {}) for out in sparql.outputs)  # the query's table

    has_dated_events = not explore.dated_events(G).empty
    timeline = _cell(nb, "explore.timeline(G)")
    if has_dated_events:
        assert _images(timeline) == 1
    else:
        assert _images(timeline) == 0 and "No dated events to plot" in text

    present = [c for c in (explore.find_country(G, iso) for iso in ("VN", "KR")) if c]
    if present:  # the subgraph for Gephi: two hops around the Vietnam–Korea events, else the countries
        events = explore.events_involving(G, present) if len(present) == 2 else []
        expected = explore.neighbourhood(G, events or present, hops=2)
        sub = explore.read_graph(extraction.out / "explore" / "vietnam-korea.graphml")
        assert sorted(sub) == sorted(expected) and sub.number_of_edges() == expected.number_of_edges()
        assert (extraction.out / "explore" / "vietnam-korea.gexf").is_file()


def test_notebook_runs_on_a_graph_with_events(sample_outputs: Path, sample_graph: nx.MultiDiGraph, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    nb = _execute(sample_outputs, tmp_path, monkeypatch)
    text = _text(nb)
    assert "1 Vietnam–Korea events; starting from: ['event/opening-2020-10-08-1a2b3c']" in text
    assert _images(_cell(nb, "explore.timeline(G)")) == 1
    sub = nx.read_graphml(sample_outputs / "explore" / "vietnam-korea.graphml")
    expected = explore.neighbourhood(sample_graph, ["event/opening-2020-10-08-1a2b3c"], hops=2)
    assert sorted(sub) == sorted(expected)
    assert "organization/korea-creative-content-agency" in sub and "country/TH" not in sub  # 1 and 3 hops away
