"""The Dask executor (``--executor dask``): a run's partitions evaluated by the one partition function,
:func:`executor.evaluate_partition`, on the workers of a Dask cluster.

A task goes to a worker as it is (catalog reference, settings, partition); an audit's partition is
a key range that the worker reads itself from the run's snapshot, so no record passes through the
scheduler — only each partition's outcomes and counts come back. The cluster is the one at
``--scheduler ADDRESS``, or a ``LocalCluster`` of ``jobs`` worker processes started for the run and
closed with it. Its workers need the same fzcheck installed and the database reachable by the run's
URL (a SQLite file at the same path). This module imports ``distributed`` at its top: it is loaded
only when the executor is chosen (``executor.open_executor``), and fzcheck without the ``dask``
extra runs without it.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator

from distributed import Client, Future, LocalCluster, wait

from ..speed.collector import worker_collection
from .executor import (
    DatabaseUnit,
    Executor,
    ExecutorUnavailable,
    PartitionFailed,
    PartitionTask,
    UnitFailed,
    evaluate_partition,
)
from .pipeline import PartitionResult

#: how long to try to reach a scheduler before saying it cannot be reached
CONNECT_TIMEOUT = "10s"
#: how often the waiting loop calls ``poll`` (seconds)
POLL_SECONDS = 0.5


class DaskExecutor(Executor):
    """A client of a Dask cluster: the one at ``scheduler``, or a local cluster started here with
    ``jobs`` worker processes of one thread each (durable-rules holds the GIL: parallel work means
    processes)."""

    name = "dask"

    def __init__(self, jobs: int = 1, scheduler: str | None = None):
        super().__init__(jobs)
        self.scheduler = scheduler
        self.cluster: LocalCluster | None = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ExecutorUnavailable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
            return
        self._spill = tempfile.TemporaryDirectory(prefix="fzcheck-dask-")
        with warnings.catch_warnings():
            # its HTTP server (health, metrics) takes another port when 8787 is taken: nothing to tell
            warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
            self.cluster = LocalCluster(
                n_workers=max(jobs, 1),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,  # a failed partition is reported as UnitFailed, once
                local_directory=self._spill.name,
            )
        self.client = Client(self.cluster, set_as_default=False)
        self.client.run(worker_collection)  # the workers' collector tuned as the local pool's are

    @property
    def address(self) -> str:
        return self.scheduler or str(self.cluster.scheduler_address if self.cluster else "")

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
            self._spill.cleanup()

    def run(
        self, tasks: Iterable[PartitionTask], *, ordered: bool = True, poll: Callable[[], None] | None = None
    ) -> Iterator[PartitionResult]:
        """Submit every task, then yield the results in task order (``ordered``) or as they finish.
        ``poll`` is called at least every half second while waiting; if it raises (a stop signal),
        the futures not yet finished are cancelled. A failed partition raises the worker's
        :class:`PartitionFailed` / :class:`UnitFailed` (with its traceback)."""
        tasks = list(tasks)
        futures: list[Future] = self.client.map(evaluate_partition, tasks, pure=False)
        remaining = dict(enumerate(futures))
        try:
            next_index = 0  # ordered: the next task whose result is due
            while remaining:
                # (wait() uses the current client; this one is not made every caller's default)
                with self.client.as_current(), contextlib.suppress(TimeoutError):  # none finished: poll
                    wait(list(remaining.values()), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")
                finished = sorted(index for index, future in remaining.items() if future.done())
                if ordered:
                    finished = []
                    while next_index in remaining and remaining[next_index].done():
                        finished.append(next_index)
                        next_index += 1
                for index in finished:
                    yield _result(remaining.pop(index), tasks[index])
                if poll:
                    poll()
        finally:
            if remaining:
                self.client.cancel(list(remaining.values()), force=True)


def _result(future: Future, task: PartitionTask) -> PartitionResult:
    """A finished future's result; a failure as the local executor reports it."""
    try:
        return future.result()
    except PartitionFailed:
        raise
    except Exception as exc:  # the worker died (KilledWorker), or the task was cancelled or lost
        failed = f"{exc.__class__.__name__}: {exc}"
        if isinstance(task.partition, DatabaseUnit):
            raise UnitFailed(f"audit unit {task.partition.unit[:3]} failed on Dask: {failed}") from exc
        raise PartitionFailed(f"a partition of {task.partition.rows} subjects failed on Dask: {failed}") from exc
