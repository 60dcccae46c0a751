"""The processes that lay out the retrospective's parts.

WeasyPrint lays out a document on one core. The report is cut into parts where
chapters start (a chapter always starts on a new page, so the page breaks are
those of one document): the experiments chapter, most of a quarter's pages, is
laid out by one process while another lays out the other chapters and then the
cover. The calling process gathers the report, draws its chart and binds the
parts into one PDF (``assemble.py``); it does not import WeasyPrint at all.

Start the workers early, before the report's data is gathered, so that they are
ready by the time their parts are: ``with layout_workers() as workers: ...``.
They come from a fork server that has imported WeasyPrint already, so after the
first report a worker starts in milliseconds (where there is no fork server, on
Windows, each is a fresh interpreter). A part whose worker cannot start or fails
is laid out in the calling process instead: the report is made either way.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

from tracker.reports import pages
from tracker.reports.pages import LaidOut

log = logging.getLogger(__name__)

# A part that takes longer than this is given up and laid out in the calling process.
TIMEOUT_SECONDS = 300.0


class WorkerFailed(RuntimeError):
    """A worker stopped, timed out or raised; lay its part out here instead."""


def _context() -> Any:
    """Where workers come from: the fork server, told what to import ahead."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["weasyprint", "tracker.reports.pages"])
        return context
    return multiprocessing.get_context("spawn")


def warm_up() -> None:
    """Start the fork server now, without waiting for it: it imports WeasyPrint
    (most of a second) while this process goes on, and the workers started
    later fork from it at once."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        _context()  # sets what the server imports before it serves
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _peak_memory_mb() -> float | None:
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _serve(connection: Connection) -> None:
    """In the worker: for each part sent, say how many pages it took and where
    its anchors are, then send its PDF and the memory used so far."""
    try:
        while (job := connection.recv()) is not None:
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


class LayoutWorker:
    """A process that lays out parts one after another: ``submit`` a part, then
    ``laid_out`` gives its page count and anchors as soon as they are known, and
    ``pdf`` its PDF once drawn."""

    def __init__(self, *, timeout: float = TIMEOUT_SECONDS) -> None:
        context = _context()
        self.timeout = timeout
        self.peak_memory_mb: float | None = None
        self._busy = False  # a part submitted whose PDF is not read yet
        self._connection, theirs = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(theirs,), name="revloop-layout", daemon=True
        )
        # Starting waits for the fork server, which imports WeasyPrint the first
        # time: let that happen while this thread goes on gathering the report.
        self._start_error: BaseException | None = None
        self._starting = threading.Thread(target=self._start, args=(theirs,), daemon=True)
        self._starting.start()

    def _start(self, theirs: Connection) -> None:
        try:
            self._process.start()
        except BaseException as exc:  # handed to the caller by submit
            self._start_error = exc
        finally:
            theirs.close()

    def submit(self, html: str, base_url: str) -> None:
        self._starting.join()
        if self._start_error is not None:
            raise WorkerFailed(f"the worker is not working ({self._start_error})")
        if self._busy:  # its answers would be read as the new part's
            raise RuntimeError("read the previous part's PDF before submitting another")
        try:
            self._connection.send((html, base_url))
        except OSError as exc:
            raise WorkerFailed(f"the worker is gone ({exc})") from exc
        self._busy = True

    def laid_out(self) -> LaidOut:
        _kind, layout = self._receive("laid out")
        return layout  # type: ignore[no-any-return]

    def pdf(self) -> bytes:
        _kind, data, self.peak_memory_mb = self._receive("pdf")
        self._busy = False
        return data  # type: ignore[no-any-return]

    def close(self) -> None:
        """Tell the worker there is nothing more and let it go."""
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
                raise self._broken(f"no answer from the worker in {self.timeout:g} s")
            message = self._connection.recv()
        except (EOFError, OSError) as exc:
            raise self._broken("the worker stopped") from exc
        if message[0] != expected:
            raise self._broken(f"the worker failed: {message[-1]}")
        return tuple(message)

    def _broken(self, reason: str) -> WorkerFailed:
        """Stop a worker that failed once, so that no later part waits on it."""
        self._start_error = self._start_error or WorkerFailed(reason)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        return WorkerFailed(reason)


@contextlib.contextmanager
def layout_workers(count: int = 2) -> Iterator[list[LayoutWorker | None]]:
    """``count`` workers, closed afterwards; None for one that cannot be started."""
    workers: list[LayoutWorker | None] = []
    try:
        for _ in range(count):
            try:
                workers.append(LayoutWorker())
            except OSError as exc:
                log.warning("No layout worker (%s); the report is laid out here.", exc)
                workers.append(None)
        yield workers
    finally:
        for worker in workers:
            if worker is not None:
                worker.close()


class Part:
    """One part of the report: laid out by ``worker`` or, when there is none or
    it fails, by this process (which then imports WeasyPrint)."""

    def __init__(self, html: str, base_url: str, worker: LayoutWorker | None) -> None:
        self.html, self.base_url = html, base_url
        self.worker = worker
        self._here: Any = None  # the part's Document, when laid out in this process
        self._layout: LaidOut | None = None
        if worker is not None:
            try:
                worker.submit(html, base_url)
            except WorkerFailed as exc:
                self._fall_back(exc)

    def laid_out(self) -> LaidOut:
        if self._layout is None:
            self._layout = self._laid_out()
        return self._layout

    def _laid_out(self) -> LaidOut:
        if self.worker is not None:
            try:
                return self.worker.laid_out()
            except WorkerFailed as exc:
                self._fall_back(exc)
        return pages.describe(self._document())

    def pdf(self) -> bytes:
        self.laid_out()  # the worker tells the layout first
        if self.worker is not None:
            try:
                return self.worker.pdf()
            except WorkerFailed as exc:
                self._fall_back(exc)
        return pages.write(self._document())

    def _fall_back(self, exc: Exception) -> None:
        log.warning("Laying out part of the report in this process instead: %s", exc)
        self.worker = None

    def _document(self) -> Any:
        if self._here is None:
            self._here = pages.lay_out(self.html, self.base_url)
        return self._here
