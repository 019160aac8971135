"""``--jobs 2`` (worker processes) gives the same graph as one process, on the sample articles.

The parallel run is the installed ``newsgraph`` command (its GraphML read back); the reference is
``pipeline.run`` in this process written the same way. A second parallel run comes from the cache.
Five articles fit in one batch, so these runs parse them in the main process (and write the
exports in two); batches of one article send them to two worker processes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from same_graph import assert_same_graph

from graph import pipeline
from graph.documents import load_documents
from graph.model import Document

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def newsgraph(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "newsgraph"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "graph.cli"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [*command, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300
    )


@dataclass
class Runs:
    serial: Path
    parallel: Path
    first: subprocess.CompletedProcess
    again: subprocess.CompletedProcess
    uncached: subprocess.CompletedProcess
    reference: pipeline.RunResult


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    root = tmp_path_factory.mktemp("jobs")
    serial = root / "serial"
    reference = pipeline.run([SEEDS], serial, jobs=1, cache=False)
    first = newsgraph("extract", SEEDS, "--out", root / "parallel", "--jobs", "2", cwd=root)
    again = newsgraph("extract", SEEDS, "--out", root / "parallel", "--jobs", "2", cwd=root)
    uncached = newsgraph("extract", SEEDS, "--out", root / "nocache", "-j", "2", "--no-cache", "-q", cwd=root)
    return Runs(serial, root / "parallel", first, again, uncached, reference)


def test_two_jobs_give_the_same_graph_as_one(runs: Runs) -> None:
    assert runs.first.returncode == 0, runs.first.stderr
    assert "Traceback" not in runs.first.stderr
    assert_same_graph(nx.read_graphml(runs.parallel / "graph.graphml"), nx.read_graphml(runs.serial / "graph.graphml"))
    for name in ("entities.csv", "mentions.csv", "relations.csv", "events.csv", "merges.csv"):  # no run times
        assert (runs.parallel / name).read_bytes() == (runs.serial / name).read_bytes(), name


def test_the_summary_reports_cache_hits(runs: Runs) -> None:
    first, again = runs.first.stdout, runs.again.stdout
    assert re.search(r"^cache: 0 of 5 documents reused \(.*\.cache\)$", first, re.MULTILINE), first
    assert re.search(r"^cache: 5 of 5 documents reused", again, re.MULTILINE), again
    assert_same_graph(nx.read_graphml(runs.parallel / "graph.graphml"), nx.read_graphml(runs.serial / "graph.graphml"))


def test_no_cache_writes_no_cache(runs: Runs) -> None:
    assert runs.uncached.returncode == 0, runs.uncached.stderr
    out = Path(runs.parallel).parent / "nocache"
    assert not (out / ".cache").exists()
    assert_same_graph(nx.read_graphml(out / "graph.graphml"), nx.read_graphml(runs.serial / "graph.graphml"))


def test_small_batches_finishing_in_any_order_give_the_same_graph(
    runs: Runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = []

    def workers(batches, models, jobs, langs):  # the real worker processes, counted
        started.append(jobs)
        return map_in_processes(batches, models, jobs, langs)

    map_in_processes = pipeline._map_in_processes
    monkeypatch.setattr(pipeline, "_map_in_processes", workers)
    result = pipeline.run([SEEDS], tmp_path, jobs=2, batch_size=1, cache=False)
    assert started == [2]  # five batches of one document: more than one batch, so two workers
    assert result.errors == []
    assert_same_graph(nx.read_graphml(tmp_path / "graph.graphml"), nx.read_graphml(runs.serial / "graph.graphml"))


@pytest.mark.skipif(sys.platform == "win32", reason="no fork")
def test_forked_writers_write_the_files_one_process_writes(runs: Runs, tmp_path: Path) -> None:
    one = pipeline.write_outputs(runs.reference.graph, tmp_path / "one", jobs=1)
    two = pipeline.write_outputs(runs.reference.graph, tmp_path / "two", jobs=2)
    assert [p.name for p in one] == [p.name for p in two]
    assert len(one) == 11 and all(p.parent == tmp_path / "two" for p in two)
    for a, b in zip(one, two, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.skipif(sys.platform == "win32", reason="no fork")
def test_a_writer_failing_in_its_process_fails_the_export(
    runs: Runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(G: nx.MultiDiGraph, out: Path, *reuse: object) -> list[Path]:
        raise OSError("disk full")

    monkeypatch.setattr(pipeline, "write_tables", broken)
    with pytest.raises(RuntimeError, match="export failed: OSError: disk full"):
        pipeline.write_outputs(runs.reference.graph, tmp_path, jobs=3)
    assert not list(tmp_path.glob("*.csv")) and not list(tmp_path.glob(".*.tmp"))


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    zero = newsgraph("extract", SEEDS, "--out", tmp_path, "--jobs", "0", cwd=tmp_path)
    assert zero.returncode == 2 and "--jobs" in zero.stderr
    scheduler = newsgraph("extract", SEEDS, "--out", tmp_path, "--scheduler", "tcp://127.0.0.1:1", cwd=tmp_path)
    assert scheduler.returncode == 2 and "--engine dask" in scheduler.stderr


def test_work_that_fits_in_one_batch_starts_no_workers(
    runs: Runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_workers(*args: object) -> None:
        raise AssertionError("worker processes were started for five documents")

    monkeypatch.setattr(pipeline, "_map_in_processes", no_workers)
    result = pipeline.run([SEEDS], tmp_path, jobs=2, cache=False)  # five articles, batches of 64
    assert result.errors == [] and len(result.extractions) == 5
    assert_same_graph(nx.read_graphml(tmp_path / "graph.graphml"), nx.read_graphml(runs.serial / "graph.graphml"))


def test_extractions_made_in_this_process_come_back_equal_with_their_own_documents() -> None:
    documents = [d for d in load_documents([SEEDS]) if isinstance(d, Document)]
    direct = [x for d in documents for x in pipeline.extract_batch([d])]
    extractions = pipeline.extract_all(documents, jobs=1, batch_size=2)  # kept pickled until the last batch
    assert extractions == sorted(direct, key=lambda x: x.doc.id) and len(extractions) == 5
    given = {d.id: d for d in documents}
    assert all(x.doc is given[x.doc.id] for x in extractions)  # not copies of the documents


@pytest.mark.parametrize("lang", ["en", "vi", "th"])
def test_each_warm_up_text_runs_every_kind_of_rule(lang: str) -> None:
    # preload_pipelines runs the rules on these texts so that workers (and benchmarks) start with
    # every word list and pattern loaded: a text that found nothing would leave most of them cold
    from graph import nlp
    from graph.extract import extract_document

    text = nlp.warm_up_text(lang)
    extraction = extract_document(Document(id="w", text=text, lang=lang), nlp.load_pipeline(lang)(text))
    kinds = {e.kind for e in extraction.entities}
    assert {"Person", "Organization", "Country", "Place"} <= kinds
    assert extraction.events and extraction.relations
    assert any(event.date for event in extraction.events)


def test_preloading_leaves_later_extractions_as_they_were() -> None:
    documents = [d for d in load_documents([SEEDS]) if isinstance(d, Document)]
    before = [pipeline.extract_all([d]) for d in documents]
    pipeline.preload_pipelines(None, ["en", "vi", "th"])
    after = [pipeline.extract_all([d]) for d in documents]
    assert after == before
