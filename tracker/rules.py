"""The one exception a service raises when a rule refuses a move.

Every door translates it the same way: the pages put ``fields`` beside the form's
fields (and ``message`` above the form), the API answers with the status of
``code`` and its JSON error body, and the command line prints the message.

>>> error = RuleError("invalid", "Some fields are not valid.", fields={"title": "Enter a title."})
>>> error.status, error.fields["title"]
(422, 'Enter a title.')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Code = Literal["invalid", "conflict", "not_allowed", "not_found"]
STATUS: dict[str, int] = {"invalid": 422, "conflict": 409, "not_allowed": 403, "not_found": 404}


class RuleError(Exception):
    """A move a record's rules refuse.

    Attributes:
        code: ``invalid`` (a value is wrong), ``conflict`` (the record is not in a
            state that allows the move, or it changed meanwhile), ``not_allowed``
            (the person may not do this) or ``not_found``.
        message: one sentence a person can read.
        fields: a message per field the person can fix.
        reason: a finer code for API clients (``stale_version``, ``invalid_state``).
        current: for a stale version, the record as it is now (pages show what changed).
    """

    def __init__(
        self,
        code: Code,
        message: str,
        *,
        fields: Mapping[str, str] | None = None,
        reason: str | None = None,
        current: Any = None,
    ) -> None:
        super().__init__(message)
        self.code: Code = code
        self.message = message
        self.fields = dict(fields or {})
        self.reason = reason
        self.current = current

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def first_message(self) -> str:
        """The message for a door that shows one line (a flash, the command line):
        a wrong value's own message, else the sentence."""
        if self.code == "invalid":
            return next(iter(self.fields.values()), self.message)
        return self.message


def invalid(fields: Mapping[str, str], message: str = "Some fields are not valid.") -> RuleError:
    return RuleError("invalid", message, fields=fields)


def wrong_state(message: str, field: str | None = None) -> RuleError:
    """The record's state does not allow the move (results on a draft, say)."""
    return RuleError(
        "conflict", message, fields={field: message} if field else None, reason="invalid_state"
    )


def not_found(what: str, field: str | None = None) -> RuleError:
    message = f"There is no {what} with that id."
    return RuleError("not_found", message, fields={field: message} if field else None)


def stale(kind: str, current_version: int, record: Any = None) -> RuleError:
    """Someone saved the record since the person read it."""
    return RuleError(
        "conflict",
        f"The {kind} was changed by someone else meanwhile (it is at version "
        f"{current_version}). Nothing was saved: check the current values, then save "
        "your change again.",
        fields={"version": f"The current version is {current_version}."},
        reason="stale_version",
        current=record,
    )


def expect_version(kind: str, record: Any, version: int | str | None) -> None:
    """Refuse at once when the person's version is not the record's.

    This is only the early answer: the lock is the database's. Every versioned
    model maps ``version`` as SQLAlchemy's ``version_id_col``, so the UPDATE that
    saves the change carries ``WHERE version = <the version read>`` and a write
    that lost the race matches no row (see ``tracker.rules.stale_from``).
    """
    if version is None or version == "":
        return
    try:
        wanted = int(version)
    except (TypeError, ValueError):
        raise stale(kind, record.version, record) from None
    if wanted != record.version:
        raise stale(kind, record.version, record)


def stale_from(error: Exception, kind: str = "record") -> RuleError:
    """SQLAlchemy's StaleDataError (the UPDATE matched no row) as a conflict."""
    return RuleError(
        "conflict",
        f"The {kind} was changed by someone else while your change was being saved. "
        "Nothing was saved: read it again, then save your change.",
        fields={"version": "Someone else saved a newer version."},
        reason="stale_version",
    )


def put_on_form(form: Any, error: RuleError, names: Mapping[str, str] | None = None) -> None:
    """Each message beside its field of a WTForms ``form`` (``names`` maps the
    service's field names to the form's); the rest above the form."""
    for field, message in error.fields.items():
        name = (names or {}).get(field, field)
        target = getattr(form, name, None) if name else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*list(target.errors or []), message]
        else:
            form.form_errors.append(message)
    if not error.fields:
        form.form_errors.append(error.message)
