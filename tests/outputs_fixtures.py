"""Session fixtures for the exploration tests (loaded with ``pytest_plugins`` by the test modules).

* ``extraction``: one real ``pipeline.run`` of ``seeds/`` into a temporary folder (about 6 s),
  shared by test_explore, test_stats and test_notebook;
* ``sample_outputs``: the outputs of the contract sample graph of ``conftest.py``, written by the
  pipeline's exporters: a small graph that has events, whatever the extractor finds today.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from graph import pipeline
from graph.export import write_network, write_rdf
from graph.export.tables import write_tables

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@dataclass
class Extraction:
    """An output folder of a real run, and the run's in-memory result."""

    out: Path
    result: pipeline.RunResult


@pytest.fixture(scope="session")
def extraction(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    out = tmp_path_factory.mktemp("extraction") / "outputs"
    # A document the extractor fails on is left out (test_cli_extract reports that); the rest is explored.
    return Extraction(out, pipeline.run([SEEDS], out))


@pytest.fixture(scope="session")
def sample_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import make_sample_graph

    out = tmp_path_factory.mktemp("sample") / "outputs"
    G = make_sample_graph()
    write_network(G, out)
    write_rdf(G, out)
    write_tables(G, out)
    return out
