"""The Dask engine: one task per batch of documents on a Dask cluster.

Only extraction runs on the cluster; reading documents, the cache, resolution, the graph and the
exports stay in the calling process. Workers need the ``newsgraph`` package (and the spaCy
pipelines it uses) installed; they never read the input files or the cache, the documents travel
with the tasks. Without a scheduler address, a local cluster of ``jobs`` single-threaded worker
processes is started for the run.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from distributed import Client, LocalCluster, wait
from distributed.diagnostics.plugin import WorkerPlugin

from .model import Document

#: Batches in flight per worker thread: enough to keep workers busy, few enough to bound memory.
BATCHES_PER_THREAD = 2


class PipelinePreloader(WorkerPlugin):
    """Load the spaCy pipelines once when a worker starts (and on workers that join later)."""

    name = "newsgraph-pipelines"

    def __init__(self, models: dict[str, str] | None, langs: tuple[str, ...]) -> None:
        self.models = models
        self.langs = langs

    def setup(self, worker: Any) -> None:
        from .pipeline import preload_pipelines

        preload_pipelines(self.models, self.langs)


def connect(scheduler: str | None, jobs: int) -> tuple[Client, LocalCluster | None]:
    """A client of the cluster at ``scheduler``, or of a new local cluster of ``jobs`` processes."""
    try:
        if scheduler:
            return Client(scheduler), None  # waits distributed.comm.timeouts.connect (30 s by default)
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        )
        return Client(cluster), cluster
    except (OSError, TimeoutError) as err:
        raise ValueError(f"cannot reach the Dask scheduler {scheduler or '(local cluster)'}: {err}") from None


def map_on_dask(
    extract_batch: Callable[[list[Document], dict[str, str] | None], list],
    batches: Iterable[list[Document]],
    models: dict[str, str] | None,
    jobs: int,
    langs: tuple[str, ...],
    scheduler: str | None,
) -> Iterator[tuple[list[Document], list]]:
    """Run ``extract_batch`` on each batch as a Dask task; yield (batch, results) as tasks finish.

    Batches are submitted as the stream is read, a bounded number at a time, so neither the
    client nor the cluster ever holds the whole corpus.
    """
    from .pipeline import failed_batch

    stream = iter(batches)
    first = next(stream, None)
    if first is None:  # everything came from the cache: no cluster needed
        return
    stream = itertools.chain([first], stream)
    client, cluster = connect(scheduler, jobs)
    try:
        client.register_plugin(PipelinePreloader(models, langs), name=PipelinePreloader.name)
        window = BATCHES_PER_THREAD * max(1, sum(client.nthreads().values()))
        in_flight: dict[Any, list[Document]] = {}
        exhausted = False
        while in_flight or not exhausted:
            while not exhausted and len(in_flight) < window:
                batch = next(stream, None)
                if batch is None:
                    exhausted = True
                else:
                    in_flight[client.submit(extract_batch, batch, models, pure=False)] = batch
            if not in_flight:
                break
            for future in wait(list(in_flight), return_when="FIRST_COMPLETED").done:
                batch = in_flight.pop(future)
                try:
                    results = future.result()
                except Exception as err:  # the task raised, or its worker died too often (KilledWorker)
                    results = failed_batch(batch, f"dask task failed: {err!r}")
                future.release()
                yield batch, results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
