"""Background imports and audits of ``fzcheck serve``: a thread per job, its state in ``web_jobs``.

The state and result live in the database (not in the process) so that a page served by another
worker process, or after the job's process ended, still tells how the job went. Progress is kept in
the process running the job (``LIVE_PROGRESS``) and written to the table only on PostgreSQL: on
SQLite an import reports progress from inside its own write transaction, and a second writer would
wait for it (the file has one write lock).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from ..store.database import inserted_id, writer
from ..store.schema import web_jobs

#: progress is written at most this often (seconds): a large import reports thousands of chunks
PROGRESS_EVERY = 1.0
#: the latest progress of the jobs running in this process, by job id
LIVE_PROGRESS: dict[int, dict[str, Any]] = {}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class JobReporter:
    """What a job's work calls to report progress (throttled)."""

    def __init__(self, engine: Engine, job_id: int):
        self.engine, self.job_id = engine, job_id
        self._last = 0.0
        self._lock = threading.Lock()

    def __call__(self, done: int, total: int | None, note: str | None = None) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last < PROGRESS_EVERY and (total is None or done < total):
                return
            self._last = now
        progress = {"done": done, "total": total, "note": note, "at": _now().isoformat(timespec="seconds")}
        LIVE_PROGRESS[self.job_id] = progress
        if self.engine.dialect.name != "sqlite":
            with writer(self.engine).begin() as connection:
                connection.execute(update(web_jobs).where(web_jobs.c.id == self.job_id).values(progress=progress))


class JobRunner:
    """Runs jobs on a small thread pool; each job's outcome is stored whatever happens to it."""

    def __init__(self, engine: Engine, workers: int = 2):
        self.engine, self.workers = engine, workers
        self.pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ThreadPoolExecutor:
        """The pool, started on first use and again after a shutdown (an ASGI server may run the
        application's lifespan more than once, as test clients do)."""
        with self._lock:
            if self.pool is None:
                self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="fzcheck-job")
            return self.pool

    def submit(self, kind: str, user_name: str, work: Callable[[JobReporter], dict[str, Any]]) -> int:
        with writer(self.engine).begin() as connection:
            job_id = inserted_id(
                connection.execute(
                    insert(web_jobs).values(kind=kind, user_name=user_name, state="running", created_at=_now())
                )
            )
        self._executor().submit(self._run, job_id, work)
        return job_id

    def _run(self, job_id: int, work: Callable[[JobReporter], dict[str, Any]]) -> None:
        try:
            result = work(JobReporter(self.engine, job_id))
            values: dict[str, Any] = {"state": "done", "result": result}
        except Exception as exc:  # stored for the page; the server goes on
            values = {"state": "failed", "error": f"{exc.__class__.__name__}: {exc}"}
        values["progress"] = LIVE_PROGRESS.pop(job_id, None)
        with writer(self.engine).begin() as connection:
            connection.execute(update(web_jobs).where(web_jobs.c.id == job_id).values(finished_at=_now(), **values))

    def shutdown(self) -> None:
        with self._lock:
            pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=False)


def get_job(engine: Engine, job_id: int) -> dict[str, Any] | None:
    with engine.connect() as connection:
        row = connection.execute(select(web_jobs).where(web_jobs.c.id == job_id)).first()
    if row is None:
        return None
    job = dict(row._mapping)
    if job["state"] == "running" and job_id in LIVE_PROGRESS:
        job["progress"] = LIVE_PROGRESS[job_id]
    return job


def wait_for(engine: Engine, job_id: int, timeout: float = 120.0) -> dict[str, Any]:
    """The job once it is no longer running (for tests and the API's ``wait`` option)."""
    deadline = time.monotonic() + timeout
    while True:
        job = get_job(engine, job_id)
        if job is None or job["state"] != "running" or time.monotonic() > deadline:
            return job or {}
        time.sleep(0.1)
