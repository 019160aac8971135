"""The Dask engine gives the same graph as the local one (real dask.distributed clusters).

Most runs use an in-process cluster (``processes=False``: the workers share this process's
loaded pipelines); one run starts the default local cluster of worker processes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from same_graph import assert_same_graph

from graph import pipeline

distributed = pytest.importorskip("distributed")

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
EXTRA = {
    "x_en.txt": "Film lab opens in Porto\nThe Lusitania Film Foundation opened a film lab in Porto, Portugal.\n",
    "y_vi.txt": "Liên hoan phim ngắn khai mạc\nSáng 12/3, tại Đà Nẵng, Hội Điện ảnh trẻ khai mạc liên hoan phim.\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("dask-corpus")
    for name, text in EXTRA.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [SEEDS, folder]


@pytest.fixture(scope="module")
def local(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> pipeline.RunResult:
    return pipeline.run(corpus, tmp_path_factory.mktemp("local"), cache=False)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as in_process:
        yield in_process


def test_dask_gives_the_same_graph_as_local(corpus, local, cluster, tmp_path: Path) -> None:
    result = pipeline.run(
        corpus, tmp_path, engine="dask", scheduler=cluster.scheduler_address, batch_size=2, cache=False
    )
    assert result.errors == []
    assert [x.doc.id for x in result.extractions] == [x.doc.id for x in local.extractions]
    assert result.extractions == local.extractions
    assert_same_graph(result.graph, local.graph)


def test_dask_results_are_cached_in_the_client(corpus, local, cluster, tmp_path: Path) -> None:
    first = pipeline.run(corpus, tmp_path, engine="dask", scheduler=cluster.scheduler_address)
    second = pipeline.run(corpus, tmp_path)  # local engine, same cache
    assert (first.cache.stored, second.cache.hits, second.cache.misses) == (7, 7, 0)
    assert_same_graph(second.graph, local.graph)


def test_default_local_cluster_of_worker_processes(corpus, local, tmp_path: Path) -> None:
    result = pipeline.run(corpus, tmp_path, engine="dask", jobs=1, cache=False)
    assert result.errors == []
    assert_same_graph(result.graph, local.graph)


def test_an_unreachable_scheduler_is_a_clear_error(corpus, tmp_path: Path) -> None:
    import dask

    with (
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        pytest.raises(ValueError, match="cannot reach the Dask scheduler"),
    ):
        pipeline.run(corpus, tmp_path, engine="dask", scheduler="tcp://127.0.0.1:9", cache=False)
