"""Answers made in worker processes beside the server (``panel-papers serve``), one per core by default.

Why processes: an answer is about 20 ms of CPU, most of it Python under one interpreter lock. In one process,
twenty users' answers and the web server's own work share that lock, and a server used about 1.3 of two cores
(``python -m evals.load``). Each worker is a process of its own, spawned (never forked from a process whose
threads hold locks), with its own ``PanelService`` over the same index: the snapshot's vector matrices are
memory-mapped (the operating system shares their pages), the records are each process's own, so memory grows
with the number of processes (setting ``app_answer_processes``; 1 answers in the server process alone).

The server starts its workers first and says it is ready once they are (each warms up as the server does,
beside it). While no worker is alive (they died starting, or are starting again after a crash) the server
answers itself. A worker that dies, or hangs past ``app_answer_timeout_seconds``, is started again and the
question it held is answered in the server. A paper
the server added or removed is seen by the next answer: each question carries the server's count of its writes,
and a worker that meets a new count looks at the index again before answering (another process's writes show
within the store's ``recheck_seconds``, as in any process).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any

from core.errors import first_line
from core.records import Filters
from core.settings import Settings
from retrieval.answer import Answer

WAIT_SECONDS = 0.5  # how often a question waiting for a busy worker checks that some worker is still alive


@dataclass
class Question:
    """What a worker is asked: the question, its conversation and filters, and which of the server's writes
    it must see (``written``: changes whenever the server wrote to the index)."""

    text: str
    history: list[tuple[str, str]] | None
    filters: Filters | None
    written: Any


@dataclass
class _Worker:
    process: Any  # multiprocessing's Process of the spawn context
    connection: Any  # this end of the worker's pipe


class AnswerWorkers:
    """``processes`` worker processes answering questions one at a time each; ``ask`` hands a question to an
    idle one, or returns None when none is alive (the caller answers it itself)."""

    def __init__(self, settings: Settings, processes: int):
        self.settings = settings
        self.answer_seconds = settings.app.answer_timeout_seconds
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._alive = 0  # workers ready or busy (not starting, not dead)
        self._starting = 0
        self._lock = threading.Lock()
        self._closed = False
        self._pids: set[int] = set()
        self.restarts = 0  # workers started again after one died
        self.answered = 0  # questions the workers answered
        for _ in range(processes):
            self._start()

    @property
    def ready(self) -> int:
        return self._alive

    def pids(self) -> list[int]:
        """The process ids of the workers alive."""
        with self._lock:
            return sorted(self._pids)

    def wait_until_started(self, seconds: float) -> int:
        """Wait until no worker is still starting (each is ready, or died starting), at most ``seconds``;
        returns how many are ready."""
        deadline = time.monotonic() + seconds
        while self._starting and time.monotonic() < deadline:
            time.sleep(0.05)
        return self._alive

    def _start(self) -> None:
        """Start one worker; a thread waits for it to say it is ready, then offers it to questions."""
        with self._lock:
            self._starting += 1
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=answer_questions, args=(theirs, self.settings), daemon=True,
                                        name="panel-answers")
        process.start()
        theirs.close()
        threading.Thread(target=self._await_ready, args=(_Worker(process, ours),), daemon=True,
                         name="panel-answers-start").start()

    def _await_ready(self, worker: _Worker) -> None:
        try:
            worker.connection.recv()  # sent once the worker has warmed up
        except (EOFError, OSError):  # it died starting (the index unreachable, memory): not started again
            worker.process.join(timeout=5)
            with self._lock:
                self._starting -= 1
            return
        with self._lock:
            self._starting -= 1
            closed = self._closed
            if not closed:
                self._alive += 1
                self._pids.add(worker.process.pid)
        if closed:
            _stop(worker)
        else:
            self._idle.put(worker)

    def ask(self, question: Question) -> Answer | None:
        """The worker's answer (its error raised here), or None when no worker is alive to answer."""
        while True:
            if self._alive == 0 or self._closed:
                return None
            try:
                worker = self._idle.get(timeout=WAIT_SECONDS)
                break
            except queue.Empty:
                continue
        try:
            worker.connection.send(question)
            if not worker.connection.poll(self.answer_seconds):
                raise TimeoutError  # hung (a store that never answers): stopped like a dead one
            answered, value = worker.connection.recv()
        except (EOFError, OSError):  # the worker died with the question (or hung): start another, answer it here
            self._lost(worker)
            return None
        self._idle.put(worker)
        if answered:
            with self._lock:
                self.answered += 1
            return value
        raise value

    def _lost(self, worker: _Worker) -> None:
        _stop(worker)
        with self._lock:
            self._alive -= 1
            self._pids.discard(worker.process.pid)
            if self._closed:
                return
            self.restarts += 1
        self._start()

    def close(self) -> None:
        """Stop every worker (they are daemons too: they never outlive the server)."""
        with self._lock:
            self._closed = True
        while True:
            try:
                _stop(self._idle.get_nowait())
            except queue.Empty:
                return


def _stop(worker: _Worker, seconds: float = 5) -> None:
    try:
        worker.connection.close()
    except OSError:
        pass
    worker.process.join(timeout=seconds)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join(timeout=seconds)


def answer_questions(connection, settings: Settings) -> None:
    """A worker's life: warm up as the server does, say so, then answer each question sent until the pipe
    closes. An error goes back to be raised in the server (as a ``ServiceError`` if it does not pickle)."""
    from app.service import PanelService, ServiceError

    # Ctrl-C at the terminal reaches the whole process group: the server stops its workers itself (it closes
    # their pipes; they are daemons), so a worker does not print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    service = PanelService(settings)
    service.warm(page=False)  # pages are the server's to render
    connection.send(("ready", os.getpid()))
    seen: Any = object()  # the first question looks at the index again: the server may have written meanwhile
    while True:
        try:
            question: Question = connection.recv()
        except (EOFError, OSError):
            return
        try:
            if question.written != seen:
                service.look_again()
                seen = question.written
            reply: tuple[bool, Any] = (True, service.ask(question.text, history=question.history,
                                                         filters=question.filters))
        except Exception as exc:  # noqa: BLE001 (every error is the server's to show)
            try:
                pickle.dumps(exc)
                reply = (False, exc)
            except Exception:  # noqa: BLE001
                reply = (False, ServiceError(f"The answer could not be made: {first_line(exc)}."))
        try:
            connection.send(reply)
        except (EOFError, OSError):
            return
