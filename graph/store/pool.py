"""Ad-hoc SPARQL in worker processes that are killed at the deadline, shared fairly between clients.

Why processes: pyoxigraph cannot interrupt a query. In a thread, a cross product that timed out
keeps its thread (and a core) busy long after the client got its 503, so four of them held every
thread of the endpoint. A worker process opens the store's current generation read-only (possible
beside the writer because published generations are never written again, graph/store/folder.py),
and when its query passes the deadline the process is killed: the CPU is free at once, and a
fresh worker takes its place.

Why a scheduler: killing at the deadline is not enough when more clients send slow queries than
there are cores. Three rules share the workers:
* cores go to the queries in flight that have had the least of them (least attained service): the
  others are paused with SIGSTOP once they have had `QUANTUM` s, so a short query arriving among
  long ones runs at once and to its end (workers open the store before their first query, so that
  a short query is short);
* each client (an address) may have at most `per_client` queries running or waiting, and waiting
  queries are served lowest recent use first (worker-seconds plus a little per query asked,
  halving every `HALF_LIFE` s); the last idle worker is kept for light clients;
* when a client waits for a worker, the query of a heavier client that has had the most time
  (at least `MIN_SLICE` s) is stopped to make room; its client gets a 503 that says why.
A worker's memory is capped too (`memory_mb`): a query that needs more ends its worker, not the
server. Workers run at a lower priority than the server, whose threads serve pages and library
questions.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.store.answers import Answer, collect, from_wire, to_wire
from graph.sparql.dataset import Dataset
from graph.store import oxigraph_query_options

HALF_LIFE = 30.0     # seconds for a client's recent use to count half
MIN_SLICE = 0.25     # seconds a query runs before a lighter client's query may stop it
REQUEST_COST = 0.01  # worker-seconds charged per query asked, so that asking in a loop counts too
LIGHT = 2.0          # recent worker-seconds under which a client may use the reserved worker
TICK = 0.02          # seconds between two decisions of which queries get the cores
QUANTUM = 0.3        # seconds a query runs before it may be paused for queries that had less
log = logging.getLogger(__name__)


class PoolRefusal(Exception):
    """The pool will not run (or finish) this query: HTTP status and a plain message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class QueryFailed(Exception):
    """The engine refused the query (syntax, evaluation error): the client's mistake, a 400."""


# ------------------------------------------------------------------------------ the worker process
def _worker_main(connection: Connection, memory_mb: int, owner: int) -> None:
    """Answer queries sent over `connection` until it closes; the parent kills it when it is late."""
    _die_with(owner)
    os.nice(5)  # pages and library questions in the server process come first
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    opened: tuple[str, Any] | None = None
    while True:
        try:
            generation, text, limit_rows, dataset, base_iri = connection.recv()
        except (EOFError, OSError):
            return
        if text is None:  # a fresh worker opening the store before its first query
            try:
                opened = (generation, ox.Store.read_only(generation))
            except OSError:
                opened = None
            try:
                connection.send(("ready", None))
            except OSError:  # the server closed the pool while this worker started (e.g. its port was taken)
                return
            continue
        try:
            if opened is None or opened[0] != generation:
                opened = (generation, ox.Store.read_only(generation))
            answer = collect(opened[1].query(text, **oxigraph_query_options(text, dataset, base_iri)), limit_rows)
            connection.send(("ok", to_wire(answer)))
        except (SyntaxError, ValueError, OSError, RuntimeError, MemoryError) as error:
            connection.send(("error", str(error)))


def _die_with(owner: int) -> None:
    """A worker is busy inside the engine, not reading its pipe, so it would not notice that the
    server died (killed, crashed) and would go on computing an orphaned query for ever; nor does
    the fork server end while one of its children lives. A watchdog thread ends the worker once
    the server is gone (the engine releases the GIL while it computes)."""
    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                os._exit(1)
    threading.Thread(target=watch, name="policygraph-query-watchdog", daemon=True).start()


@dataclass(eq=False)
class _Worker:
    process: Any
    connection: Connection


@dataclass(eq=False)
class _Job:
    client: str
    arrived: float = field(default_factory=time.monotonic)
    started: float = 0.0         # set when it gets a worker; every running job has one
    worker: _Worker | None = None
    preempted: bool = False
    evicted: bool = False
    attained: float = 0.0        # seconds it has had a core (not counting the time it was paused)
    paused: bool = False
    ticked: float = 0.0


class QueryPool:
    """A fixed number of query workers and the rules for sharing them (see the module docstring)."""

    def __init__(self, workers: int = 8, per_client: int = 2, queue: int = 32, memory_mb: int = 2048,
                 cores: int | None = None, generation: Path | None = None) -> None:
        self.size, self.per_client, self.queue = workers, per_client, queue
        self.memory_mb, self.cores = memory_mb, cores or os.cpu_count() or 1
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["pyoxigraph", "graph.store.pool", "graph.store"])
        self._changed = threading.Condition()
        self._idle: list[_Worker] = []
        self._running: list[_Job] = []
        self._waiting: list[_Job] = []
        self._use: dict[str, tuple[float, float]] = {}  # client -> (worker-seconds, when)
        self._closed = False
        self._generation = str(generation) if generation else None  # the last one asked, for new workers
        for _ in range(workers):
            self._start_worker()
        threading.Thread(target=self._share_cores, name="policygraph-query-cores", daemon=True).start()

    # -------------------------------------------------------------- workers
    def _start_worker(self) -> None:
        """Start a worker in the background; it joins the idle ones when it is up."""
        def start() -> None:
            parent, child = self._context.Pipe()
            process = self._context.Process(target=_worker_main, args=(child, self.memory_mb, os.getpid()),
                                            name="policygraph-query", daemon=True)
            process.start()
            child.close()
            if self._generation is not None and not self._ready(parent):
                process.kill()
                return
            with self._changed:
                if self._closed:
                    process.kill()
                    return
                self._idle.append(_Worker(process, parent))
                self._changed.notify_all()
        threading.Thread(target=start, name="policygraph-query-start", daemon=True).start()

    def _ready(self, connection: Connection) -> bool:
        """Have a new worker open the store before it is given a query: opening costs 0.1-0.2 s, more
        on a busy machine, which must not count against its first (maybe short) query."""
        try:
            connection.send((self._generation, None, 0, None, None))
            if connection.poll(60) and connection.recv()[0] == "ready":
                return True
        except (EOFError, OSError):  # the pool is closing, or the worker died
            return False
        log.warning("a query worker could not open the store in 60 s; the pool has one less")
        return False

    def _kill(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.connection.close()
        worker.process.join(5)

    def close(self) -> None:
        with self._changed:
            self._closed = True
            workers = list(self._idle) + [j.worker for j in self._running if j.worker]
            self._idle.clear()
        for worker in workers:
            self._kill(worker)

    # -------------------------------------------------------------- fair shares
    def _share_cores(self) -> None:
        """Least attained service first: of the queries in flight, the `cores` that have had a core
        the least run, the others are paused (SIGSTOP), so a short query that arrives while long
        ones run gets a core within a tick and finishes, while the long ones lose nothing but time."""
        while not self._closed:
            time.sleep(TICK)
            with self._changed:
                now = time.monotonic()
                flying = [j for j in self._running if not j.preempted]
                for job in flying:
                    if not job.paused:
                        job.attained += now - job.ticked
                    job.ticked = now
                flying.sort(key=lambda j: j.attained)
                for rank, job in enumerate(flying):
                    pause = (rank >= self.cores and job.attained > QUANTUM
                             and job.attained > flying[self.cores - 1].attained + TICK)
                    if pause != job.paused:
                        job.paused = pause
                        try:
                            os.kill(job.worker.process.pid, signal.SIGSTOP if pause else signal.SIGCONT)
                        except ProcessLookupError:
                            pass

    def _recent_use(self, client: str, now: float) -> float:
        seconds, when = self._use.get(client, (0.0, now))
        running = sum(j.attained for j in self._running if j.client == client)
        return seconds * 0.5 ** ((now - when) / HALF_LIFE) + running

    def _record_use(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        before, when = self._use.get(client, (0.0, now))
        self._use[client] = (before * 0.5 ** ((now - when) / HALF_LIFE) + seconds, now)
        if len(self._use) > 10_000:  # forget the quietest clients rather than grow without end
            for quiet in sorted(self._use, key=lambda c: self._use[c][0])[:5_000]:
                del self._use[quiet]

    def _first_in_line(self, now: float) -> _Job | None:
        return min(self._waiting, key=lambda j: (self._recent_use(j.client, now), j.arrived), default=None)

    def _make_room(self, job: _Job, now: float) -> None:
        """A waiting query of a lighter client stops the running query of the heaviest one."""
        mine = self._recent_use(job.client, now)
        candidates = [j for j in self._running if not j.preempted and j.attained >= MIN_SLICE
                      and self._recent_use(j.client, now) > mine + MIN_SLICE]
        if candidates and not any(j.preempted for j in self._running):
            victim = max(candidates, key=lambda j: j.attained)
            victim.preempted = True
            victim.worker.process.kill()  # its own thread sees the pipe close and answers 503

    def _may_take_a_worker(self, job: _Job, now: float) -> bool:
        """The last idle worker is kept for light clients (when there is more than one worker)."""
        if len(self._idle) > 1 or (self._idle and self.size < 2):
            return True
        return bool(self._idle) and self._recent_use(job.client, now) < LIGHT

    def _admit(self, job: _Job, deadline: float) -> _Worker:
        """Wait for a worker, in fair order, until the deadline."""
        with self._changed:
            self._record_use(job.client, REQUEST_COST)
            mine = sum(1 for j in self._running + self._waiting if j.client == job.client)
            if mine >= self.per_client:
                raise PoolRefusal(429, f"{mine} queries from your address are already running or waiting "
                                       f"(at most {self.per_client}); wait for them to finish")
            now = time.monotonic()
            if len(self._waiting) >= self.queue:
                heaviest = max(self._waiting, key=lambda j: self._recent_use(j.client, now))
                if self._recent_use(heaviest.client, now) <= self._recent_use(job.client, now):
                    raise PoolRefusal(503, "the server is busy with other queries; try again in a minute")
                heaviest.evicted = True
                self._waiting.remove(heaviest)
            self._waiting.append(job)
            try:
                while True:
                    if job.evicted:
                        raise PoolRefusal(503, "the server is busy: queries from addresses that asked "
                                               "less recently went first; try again in a minute")
                    now = time.monotonic()
                    first = self._first_in_line(now) is job
                    if first and self._may_take_a_worker(job, now):
                        worker = self._idle.pop()
                        break
                    if first and not self._idle:
                        self._make_room(job, now)
                    if now >= deadline:
                        raise PoolRefusal(503, "the query waited for a free worker until its deadline; "
                                               "the server is busy, try again in a minute")
                    self._changed.wait(min(deadline - now, 0.05))
            finally:
                if job in self._waiting:
                    self._waiting.remove(job)
                self._changed.notify_all()
            job.worker, job.started = worker, time.monotonic()
            job.ticked = job.started
            self._running.append(job)
            return worker

    def _release(self, job: _Job, worker_alive: bool) -> None:
        with self._changed:
            self._running.remove(job)
            self._record_use(job.client, job.attained)
            if worker_alive:
                if job.paused:  # paused just after it sent its answer: the next query must not wait
                    os.kill(job.worker.process.pid, signal.SIGCONT)
                self._idle.append(job.worker)
            self._changed.notify_all()
        if not worker_alive:
            self._kill(job.worker)
            if not self._closed:
                self._start_worker()

    # -------------------------------------------------------------- the one entry point
    def run(self, generation: Path, text: str, *, client: str, limit: int, timeout: float,
            dataset: Dataset | None = None, base_iri: str | None = None) -> Answer:
        """The answer of `text` on the store generation, or PoolRefusal/QueryFailed; never later
        than `timeout` seconds from now, whatever the query does."""
        deadline = time.monotonic() + timeout
        self._generation = str(generation)
        job = _Job(client)
        worker = self._admit(job, deadline)
        alive = False
        try:
            worker.connection.send((str(generation), text, limit, dataset, base_iri))
            if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                raise PoolRefusal(503, f"the query took longer than {timeout:g} seconds and was stopped; "
                                       "narrow it down (filters, LIMIT) and try again")
            status, payload = worker.connection.recv()
            alive = True
        except (EOFError, OSError):
            if job.preempted:
                raise PoolRefusal(503, "the query was stopped to let queries from other addresses run: the "
                                       "server is busy and yours has used the most query time recently; "
                                       "try again in a minute") from None
            raise PoolRefusal(503, "the query stopped its worker (it probably needed more memory than the "
                                   f"{self.memory_mb} MB a query may use); narrow it down") from None
        finally:
            self._release(job, alive)
        if status == "error":
            raise QueryFailed(payload)
        answer = from_wire(*payload)
        answer.elapsed = time.monotonic() - job.started
        return answer


def default_workers() -> int:
    """Four per core: more queries in flight than cores, so that short ones need not wait for a
    process while long ones are paused (one of them kept for light clients)."""
    return 4 * (os.cpu_count() or 1)
