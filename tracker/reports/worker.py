"""A second process for the retrospective's longest chapter.

WeasyPrint lays out a document on one core. The experiments chapter, a section
per experiment, is most of a quarter's pages, and a chapter always starts on a
new page, so it can be laid out on its own at the same time as the rest of the
report without changing a single page break. ``PartWorker`` is that second
process. Start it early (before the report's data is gathered) so that it has
imported WeasyPrint by the time its part is ready.

Processes come from a fork server that has WeasyPrint imported already, so after
the first report a worker starts in milliseconds; where there is no fork server
(Windows), a fresh interpreter.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

from tracker.reports import pages
from tracker.reports.pages import LaidOut

log = logging.getLogger(__name__)

# A part that takes longer than this is given up and laid out in the calling process.
TIMEOUT_SECONDS = 300.0


class WorkerFailed(RuntimeError):
    """The second process stopped, timed out or raised; lay the part out here instead."""


def _context() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["weasyprint", "tracker.reports.pages"])
        return context
    return multiprocessing.get_context("spawn")


def _peak_memory_mb() -> float | None:
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _serve(connection: Connection) -> None:
    """In the second process: lay out one part, say how many pages it took and
    where its anchors are, then send its PDF and the memory it used."""
    try:
        job = connection.recv()
        if job is None:
            return
        html, base_url = job
        document = pages.lay_out(html, base_url)
        connection.send(("laid out", pages.describe(document)))
        connection.send(("pdf", pages.write(document), _peak_memory_mb()))
    except EOFError:
        return
    except Exception as exc:  # reported to the caller, which lays the part out itself
        connection.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()


class PartWorker:
    """One part of the report laid out in a second process: ``submit`` the part,
    then ``laid_out`` gives its page count and anchors as soon as they are known,
    and ``pdf`` its PDF once drawn. Use it as a context manager."""

    def __init__(self, *, timeout: float = TIMEOUT_SECONDS) -> None:
        context = _context()
        self.timeout = timeout
        self.peak_memory_mb: float | None = None
        self._connection, theirs = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(theirs,), name="revloop-retro-part", daemon=True
        )
        # Starting waits for the fork server, which imports WeasyPrint the first
        # time: let that happen while this thread goes on gathering the report.
        self._start_error: BaseException | None = None
        self._starting = threading.Thread(target=self._start, args=(theirs,), daemon=True)
        self._starting.start()

    def _start(self, theirs: Connection) -> None:
        try:
            self._process.start()
        except BaseException as exc:  # handed to the caller by _started
            self._start_error = exc
        finally:
            theirs.close()

    def _started(self) -> None:
        self._starting.join()
        if self._start_error is not None:
            raise WorkerFailed(f"the second process did not start ({self._start_error})")

    def __enter__(self) -> PartWorker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def submit(self, html: str, base_url: str) -> None:
        self._started()
        try:
            self._connection.send((html, base_url))
        except OSError as exc:
            raise WorkerFailed(f"the second process is gone ({exc})") from exc

    def laid_out(self) -> LaidOut:
        _kind, layout = self._receive("laid out")
        return layout  # type: ignore[no-any-return]

    def pdf(self) -> bytes:
        _kind, data, self.peak_memory_mb = self._receive("pdf")
        return data  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the process; a worker never given a part is told there is none."""
        self._starting.join()
        if self._start_error is None and self._process.is_alive():
            with contextlib.suppress(OSError):
                self._connection.send(None)
            self._process.join(timeout=2)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join()
        self._connection.close()

    def _receive(self, expected: str) -> tuple[Any, ...]:
        try:
            if not self._connection.poll(self.timeout):
                raise WorkerFailed(f"no answer from the second process in {self.timeout:g} s")
            message = self._connection.recv()
        except (EOFError, OSError) as exc:
            raise WorkerFailed("the second process stopped") from exc
        if message[0] != expected:
            raise WorkerFailed(f"the second process failed: {message[-1]}")
        return tuple(message)


class SecondPart:
    """The part of the report laid out in the second process, or in this one when
    that process cannot be started or fails: the report is made either way.
    With no ``html``, there is no such part (a range without experiments)."""

    def __init__(self, html: str | None, base_url: str, worker: PartWorker | None) -> None:
        self.html, self.base_url = html, base_url
        self.peak_memory_mb: float | None = None
        self._own_worker = worker is None and html is not None
        self._worker = worker
        self._here: Any = None  # the part's Document, when laid out in this process
        if html is None:
            return
        try:
            if self._worker is None:
                self._worker = PartWorker()
            self._worker.submit(html, base_url)
        except (WorkerFailed, OSError) as exc:
            self._fall_back(exc)

    def __enter__(self) -> SecondPart:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._own_worker and self._worker is not None:
            self._worker.close()

    def laid_out(self) -> LaidOut:
        if self.html is None:
            return LaidOut(pages=0, anchors={})
        if self._worker is not None:
            try:
                return self._worker.laid_out()
            except WorkerFailed as exc:
                self._fall_back(exc)
        return pages.describe(self._document())

    def pdf(self) -> bytes:
        if self.html is None:
            return b""
        if self._worker is not None:
            try:
                data = self._worker.pdf()
                self.peak_memory_mb = self._worker.peak_memory_mb
                return data
            except WorkerFailed as exc:
                self._fall_back(exc)
        return pages.write(self._document())

    def _fall_back(self, exc: Exception) -> None:
        log.warning("Laying out the experiments in this process instead: %s", exc)
        if self._own_worker and self._worker is not None:
            self._worker.close()
        self._worker = None

    def _document(self) -> Any:
        if self._here is None:
            self._here = pages.lay_out(self.html or "", self.base_url)
        return self._here
