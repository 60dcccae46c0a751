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
from typing import Any, Literal, Required, TypedDict, TypeVar

from tracker.translation import N_, _, translate

Code = Literal["invalid", "conflict", "not_allowed", "not_found"]
R = TypeVar("R")
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


# The records the messages name, for the catalogue.
RECORDS = (
    N_("action item"),
    N_("area"),
    N_("cycle"),
    N_("experiment"),
    N_("hypothesis"),
    N_("learning"),
    N_("metric"),
    N_("reading"),
    N_("record"),
)


def invalid(fields: Mapping[str, str], message: str | None = None) -> RuleError:
    return RuleError("invalid", message or _("Some fields are not valid."), fields=fields)


def wrong_state(message: str, field: str | None = None) -> RuleError:
    """The record's state does not allow the move (results on a draft, say)."""
    return RuleError(
        "conflict", message, fields={field: message} if field else None, reason="invalid_state"
    )


def not_found(what: str, field: str | None = None) -> RuleError:
    message = _("There is no %(record)s with that id.", record=translate(what))
    return RuleError("not_found", message, fields={field: message} if field else None)


def live_one(
    session: Any, model: type[R], record_id: int | None, what: str, field: str | None = None
) -> R:
    """The record of ``model`` with that id that is not soft-deleted, or RuleError
    ``not_found`` naming ``what`` (beside ``field`` when given)."""
    from tracker.models.live import is_live

    record: R | None = session.get(model, record_id) if record_id else None
    if not is_live(record):
        raise not_found(what, field)
    return record


def is_gone(session: Any, model: type[Any], record_id: int | None) -> bool:
    """Whether no record of ``model`` that is not soft-deleted has that id."""
    from tracker.models.live import is_live

    return not is_live(session.get(model, record_id) if record_id else None)


def name_taken(session: Any, model: Any, name: str, record: Any = None) -> bool:
    """Whether a live record of ``model`` other than ``record`` is called ``name``
    (case and surrounding spaces aside): a name is its own among live records."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from tracker.models.live import live

    statement = select(model.id).where(func.lower(model.name) == name.strip().lower(), live(model))
    if record is not None and record.id is not None:
        statement = statement.where(col(model.id) != record.id)
    return session.exec(statement).first() is not None


class Edit(TypedDict, total=False):
    """Who makes a change and the version of the record they read (``None``: no
    check), as every service's edits take them."""

    user_id: Required[int | None]
    version: int | str | None


def checked_edit(kind: str, record: Any, edit: Edit) -> int | None:
    """The person making ``edit``, once the version they read is ``record``'s."""
    expect_version(kind, record, edit.get("version"))
    return edit["user_id"]


def stale(kind: str, current_version: int, record: Any = None) -> RuleError:
    """Someone saved the record since the person read it."""
    return RuleError(
        "conflict",
        _(
            "The %(record)s was changed by someone else meanwhile (it is at version"
            " %(version)s). Nothing was saved: check the current values, then save your"
            " change again.",
            record=translate(kind),
            version=current_version,
        ),
        fields={"version": _("The current version is %(version)s.", version=current_version)},
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
        _(
            "The %(record)s was changed by someone else while your change was being saved."
            " Nothing was saved: read it again, then save your change.",
            record=translate(kind),
        ),
        fields={"version": _("Someone else saved a newer version.")},
        reason="stale_version",
    )


def put_on_form(form: Any, error: RuleError, names: Mapping[str, str] | None = None) -> None:
    """Each message beside its field of a WTForms ``form`` (``names`` maps the
    service's field names to the form's), unless the field has its message
    already; the rest above the form."""
    for field, message in error.fields.items():
        name = (names or {}).get(field, field)
        target = getattr(form, name, None) if name else None
        if target is not None and hasattr(target, "errors"):
            if not target.errors:
                target.errors = [message]
        else:
            form.form_errors.append(message)
    if not error.fields:
        form.form_errors.append(error.message)


def show_conflict(
    form: Any,
    error: RuleError,
    record: Any,
    labels: Mapping[str, str],
    *,
    say_message: bool = True,
) -> None:
    """A stale save on a page: the message above the form, what the saved record
    says now where it differs from what the person typed, and the form moved on to
    the saved version, so that saving again puts the person's entries over it.
    Everything typed stays in the form."""
    differences = []
    for name, label in labels.items():
        field = getattr(form, name, None)
        if field is None or not hasattr(record, name):
            continue
        now = getattr(record, name)
        now = getattr(now, "value", now)
        if _shown(field.data) != _shown(now):
            differences.append(
                _("%(label)s “%(value)s”", label=label, value=_shown(now) or _("(empty)"))
            )
    if say_message:
        form.form_errors.append(error.message)
    if differences:
        form.form_errors.append(
            _(
                "The saved version now reads: %(differences)s. Your entries are kept below:"
                " save again to put them over it.",
                differences="; ".join(differences),
            )
        )
    if hasattr(form, "version"):
        form.version.data = str(record.version)


def _shown(value: Any) -> str:
    value = getattr(value, "value", value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
