"""Reading PDFs on every core: page ranges of the files to ingest go to a process pool, ahead of the
ingest loop, which takes each document whole, in order, while the pool reads the next ones.

pdfplumber is pure Python, so threads would share one core; processes read side by side. The loop
embeds and writes one document (the model uses the cores too) while the workers read on, so neither
waits for the other. Memory stays bounded: no more than ``lookahead_pages`` pages are read and not
yet taken. A worker that dies (a hostile PDF can crash a parser) fails only the file it was reading;
the pool is started again for the rest.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import IngestError
from ingest.pdf_reader import PdfDocument, PdfPart, join_parts, read_part


@dataclass
class _Planned:
    path: Path
    content_hash: str
    estimate: int  # pypdfium2's page count; 0 when it could not open the file (read it whole)
    ranges: list[tuple[int, int | None]]
    futures: list[Future] = field(default_factory=list)


def _exit_with_parent(parent: int) -> None:
    """In each worker: end when the ingest process is gone. A SIGKILLed ingest never shuts its pool down,
    and a worker waiting for work would otherwise wait for ever (seen: orphans after the kill loop)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


class _PoolUnusable(Exception):
    pass


def page_ranges(estimate: int, range_pages: int) -> list[tuple[int, int | None]]:
    """Ranges of at most ``range_pages`` pages; one open-ended range when the count is unknown."""
    if estimate <= 0:
        return [(1, None)]
    return [(first, min(first + range_pages - 1, estimate)) for first in range(1, estimate + 1, range_pages)]


class ParallelReader:
    """Reads the planned files' page ranges in ``workers`` processes; ``take`` returns one document."""

    def __init__(self, workers: int, range_pages: int, lookahead_pages: int, password: str = "",
                 max_pages: int = 3000, on_pages: Callable[[int], None] | None = None, ocr: bool = True,
                 page_reader: str = "pdfium"):
        self.workers = workers
        self.range_pages = max(1, range_pages)
        self.lookahead_pages = max(lookahead_pages, self.range_pages)
        self.password = password
        self.max_pages = max_pages
        self.ocr = ocr  # pages without a usable text layer are read by OCR, in the workers too
        self.page_reader = page_reader
        self.on_pages = on_pages or (lambda n: None)
        self._queue: list[_Planned] = []  # planned files whose ranges are not all submitted yet
        self._planned: dict[Path, _Planned] = {}
        self._in_flight = 0  # pages submitted and not yet taken
        self._lock = threading.Lock()
        self._read_any = False  # a worker has finished a range: the pool works here
        self._unusable = False
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # "spawn": the ingest process holds model and Chroma threads, which a forked child must not inherit.
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_exit_with_parent, initargs=(os.getpid(),))

    def plan(self, path: Path, content_hash: str, estimate: int) -> None:
        planned = _Planned(path, content_hash, estimate, page_ranges(estimate, self.range_pages))
        with self._lock:
            self._planned[path] = planned
            self._queue.append(planned)
        self._top_up()

    def _size(self, planned: _Planned, n: int) -> int:
        first, last = planned.ranges[n]
        return (last or planned.estimate or self.range_pages) - first + 1

    def _submit(self, planned: _Planned) -> None:
        """Submit the file's next range (the caller holds the lock)."""
        n = len(planned.futures)
        first, last = planned.ranges[n]
        future = self._pool.submit(read_part, planned.path, first, last, self.password, self.max_pages, None,
                                   self.ocr, self.page_reader)
        future.add_done_callback(self._on_done)
        planned.futures.append(future)
        self._in_flight += self._size(planned, n)
        if len(planned.futures) == len(planned.ranges):
            self._queue.remove(planned)

    def _top_up(self) -> None:
        """Submit ranges in plan order while the pages read ahead stay within the budget."""
        with self._lock:
            while self._queue:
                planned = self._queue[0]
                size = self._size(planned, len(planned.futures))
                if self._in_flight and self._in_flight + size > self.lookahead_pages:
                    return
                self._submit(planned)

    def _on_done(self, future: Future) -> None:
        if not future.cancelled() and future.exception() is None:
            self._read_any = True
            self.on_pages(len(future.result().pages))

    def _read_here(self, planned: _Planned) -> PdfDocument:
        """Read in this process, page by page (the pool could not start)."""
        part = read_part(planned.path, 1, None, self.password, self.max_pages,
                         on_page=lambda number, count: self.on_pages(1), ocr=self.ocr, page_reader=self.page_reader)
        return join_parts(planned.path, planned.content_hash, [part])

    def take(self, path: Path) -> PdfDocument:
        """The whole document, once its ranges are read (raises ``IngestError`` saying why it cannot be).
        Documents are taken in the order planned; a file larger than the read-ahead budget has its
        remaining ranges submitted now, all at once."""
        planned = self._planned.pop(path)
        if self._unusable:
            return self._read_here(planned)
        with self._lock:
            while len(planned.futures) < len(planned.ranges):
                self._submit(planned)
        try:
            try:
                parts = self._results(planned)
            except _PoolUnusable:
                return self._read_here(planned)
            if parts[0].count != (planned.estimate or parts[0].count):
                # pdfplumber lists another page count than pypdfium2: read the file whole, as pdfplumber sees it
                parts = self._results(_Planned(path, planned.content_hash, 0, [(1, None)],
                                               [self._pool.submit(read_part, path, 1, None, self.password,
                                                                  self.max_pages, None, self.ocr,
                                                                  self.page_reader)]))
            return join_parts(path, planned.content_hash, parts)
        finally:
            with self._lock:
                self._in_flight = max(0, self._in_flight - sum(self._size(planned, n)
                                                               for n in range(len(planned.ranges))))
            self._top_up()

    def _results(self, planned: _Planned) -> list[PdfPart]:
        parts: list[PdfPart] = []
        for future in planned.futures:
            try:
                parts.append(future.result())
            except IngestError:
                raise
            except BrokenProcessPool as exc:
                if not self._read_any:
                    # No worker ever finished: the pool cannot start here (a caller's script run without
                    # an ``if __name__ == "__main__"`` guard re-runs itself in every spawned worker).
                    self._unusable = True
                    self._pool.shutdown(wait=False, cancel_futures=True)
                    raise _PoolUnusable from exc
                self._restart()
                raise IngestError("the PDF reader crashed on this file (a malformed PDF?)") from exc
            except Exception as exc:  # a worker's unexpected error, pickled back
                raise IngestError(f"corrupt PDF ({type(exc).__name__})") from exc
        return parts

    def _restart(self) -> None:
        """A dead worker breaks the whole pool: start a new one and submit again what was lost."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            self._pool = self._new_pool()
            lost = [p for p in self._planned.values() if p.futures]
            for planned in lost:
                for n, future in enumerate(planned.futures):
                    if future.done() and not future.cancelled() and future.exception() is None:
                        continue
                    first, last = planned.ranges[n]
                    again = self._pool.submit(read_part, planned.path, first, last, self.password, self.max_pages,
                                              None, self.ocr, self.page_reader)
                    again.add_done_callback(self._on_done)
                    planned.futures[n] = again

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ParallelReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
