"""Work that runs after a transaction commits, outside the request.

A service calls ``after_commit(session, job)``; when that session's outermost
transaction commits, the job goes to a worker thread of this process, so the
response is not delayed; when it rolls back, the job is dropped. Webhook
deliveries and meeting recaps use it: nothing is sent for a change that did
not happen.

With an in-memory SQLite database (one connection shared by all threads, as
in the tests by default) the jobs run in the committing thread instead, just
after the commit. The worker thread is started when there is work and ends when there is none;
it is not a daemon, so a command that committed finishes its jobs before the
process exits. ``wait_idle()`` lets tests (and commands) wait for them.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)

Job = Callable[[], None]
PENDING = "revloop.after_commit"

_lock = threading.Condition()
_queue: deque[tuple[Flask, str, Job]] = deque()
_unfinished = 0
_thread: threading.Thread | None = None


def after_commit(session: Session, job: Job, *, key: str | None = None) -> None:
    """Run ``job`` in the background once ``session`` commits; a ``key`` seen
    twice in one transaction queues the job once."""
    if not has_app_context():
        return  # no app to run it in: the scheduled commands pick the work up
    pending: dict[str, tuple[Flask, Job]] = session.info.setdefault(PENDING, {})
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    pending.setdefault(key or f"job-{len(pending)}", (app, job))


def submit(app: Flask, job: Job, *, key: str = "") -> None:
    """Queue ``job`` for the worker thread; a ``key`` already waiting is not queued again."""
    global _thread, _unfinished
    with _lock:
        if key and any(k == key and a is app for a, k, _ in _queue):
            return
        _queue.append((app, key, job))
        _unfinished += 1
        if _thread is None:
            _thread = threading.Thread(target=_work, name="revloop-after-commit")
            _thread.start()


def wait_idle(timeout: float = 30.0) -> bool:
    """Wait until every queued job has run; False if ``timeout`` passed first."""
    with _lock:
        return _lock.wait_for(lambda: _unfinished == 0, timeout)


def _work() -> None:
    global _thread, _unfinished
    while True:
        with _lock:
            if not _queue:
                _thread = None
                _lock.notify_all()
                return
            app, _key, job = _queue.popleft()
        try:
            _run(app, job)
        finally:
            with _lock:
                _unfinished -= 1
                _lock.notify_all()


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    jobs = session.info.pop(PENDING, {})
    if jobs and _one_connection(session):
        # an in-memory SQLite database is one connection shared by every thread:
        # a second thread would write into the request's transaction, so the
        # jobs run here, one after the other, once the commit is done
        for app, job in jobs.values():
            _run(app, job)
        return
    for key, (app, job) in jobs.items():
        submit(app, job, key=key)


def _one_connection(session: Session) -> bool:
    from sqlalchemy.pool import StaticPool

    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    return isinstance(getattr(engine, "pool", None), StaticPool)


def _run(app: Flask, job: Job) -> None:
    try:
        with app.app_context():
            job()
    except Exception:  # a job's failure must not stop the jobs after it
        log.exception("A background job failed")


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    # after a commit the jobs are gone already; after a rollback they are dropped
    if transaction.parent is None and not transaction.nested:
        session.info.pop(PENDING, None)
