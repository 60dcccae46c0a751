"""The weekly digest: for each person who wants it, what needs their attention
this week. Meant for a scheduled job on Monday morning
(``tracker digest send``).

The team's part (the cycle, experiments needing a decision, metrics off their
weekly target or moved beyond noise, the top hypotheses) is gathered once per
language, since its sentences are written in the reader's; each person's own
open actions are added to it. A record per person and week makes a second send of
the same week send nothing; one person's failure does not stop the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from experiments.cycles import IsoWeek, Phase
from tracker.cycles.agenda import (
    ExperimentLine,
    MetricLine,
    experiment_attention,
    metric_groups,
    top_hypotheses,
)
from tracker.cycles.history import MyAction, my_actions
from tracker.cycles.scorecard import ScorecardRow, scorecard_rows
from tracker.cycles.service import team_settings, team_today
from tracker.mail.config import OFF_MESSAGE, SmtpSettings, smtp_settings
from tracker.mail.message import Recipient, compose
from tracker.mail.people import recipient, subscribers
from tracker.mail.sender import MailError, connection, send_one
from tracker.models import Area, Cycle, Hypothesis, User
from tracker.models.live import live
from tracker.models.notify import MailPreference, MailSent
from tracker.translation import N_

KIND = "digest"
PHASE_NAMES = {
    "analyse": _l("Analyse"),
    "review": _l("Review"),
    "respond": _l("Respond"),
    "act": _l("Act"),
    "closed": _l("Closed"),
}


@dataclass
class TeamPart:
    """What every recipient of the week's digest sees."""

    week: str
    cycle_week: str | None
    phase: str | None
    focus: str | None
    decisions: list[ExperimentLine]  # the most urgent few
    off_target: list[ScorecardRow]
    metrics: list[MetricLine]
    hypotheses: list[tuple[Hypothesis, str]]
    more_decisions: int = 0  # how many more need one: the board lists them


@dataclass
class DigestRun:
    """What a send did: who got it, who had it already, who failed and why."""

    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def team_part(session: Session, week: IsoWeek) -> TeamPart:
    """The week's cycle (or the open one), and what the team must look at."""
    cycle = session.exec(select(Cycle).where(Cycle.iso_week == str(week))).first()
    if cycle is None:
        cycle = session.exec(
            select(Cycle).where(Cycle.phase != Phase.closed).order_by(col(Cycle.starts_on).desc())
        ).first()
    areas = {a.id: a for a in session.exec(select(Area).where(live(Area)))}
    focus_id = cycle.focus_area_id if cycle else team_settings(session).focus_area_id
    names = dict(session.exec(select(User.id, User.display_name)).all())
    attention = experiment_attention(
        session=session, today=team_today(session), names=names, running_shown=0
    )
    groups = metric_groups(session=session, area_by_id=dict(areas))
    off_target = [row for row in scorecard_rows(groups) if row.off_track]
    missed = {id(row.line) for row in off_target}
    # a metric off target is listed there, even when it also moved beyond noise
    moved = [
        line
        for group in groups
        for line in group.lines
        if line.beyond_noise and id(line) not in missed
    ]
    focus = areas.get(focus_id)
    return TeamPart(
        week=str(week),
        cycle_week=cycle.iso_week if cycle else None,
        phase=Phase(cycle.phase).value if cycle else None,
        focus=focus.name if focus else None,
        decisions=attention.needing,
        more_decisions=attention.more_needing,
        off_target=off_target,
        metrics=moved,
        hypotheses=top_hypotheses(session=session, area_id=focus_id),
    )


class TeamParts:
    """The team's part of a week's digest, gathered once per language, since the
    agenda writes its reasons in the language it is gathered in."""

    def __init__(self, session: Session, week: IsoWeek) -> None:
        self.session, self.week = session, week
        self.by_locale: dict[str, TeamPart] = {}

    def in_language(self, locale: str) -> TeamPart:
        if locale not in self.by_locale:
            with _outside_request(), force_locale(locale):
                self.by_locale[locale] = team_part(self.session, self.week)
        return self.by_locale[locale]


def _outside_request() -> Any:
    """A request context for a command or a job, as the pages' helpers expect."""
    from contextlib import nullcontext

    from flask import has_request_context

    from tracker.links import base_url

    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=base_url())


def own_actions(session: Session, user: User) -> list[MyAction]:
    """The person's open actions, stuck ones first."""
    return my_actions(session=session, user_id=user.id or 0, include_finished=False)


def digest_message(
    team: TeamPart, actions: list[MyAction], *, to: Recipient, sender: str
) -> EmailMessage:
    with force_locale(to.locale):
        subject = _("Revloop digest for %(week)s", week=team.week)
    return compose(
        recipient=to,
        sender=sender,
        subject=subject,
        template="digest",
        team=team,
        actions=actions,
        phases=PHASE_NAMES,
        sentence=verdict_sentence,
    )


def verdict_sentence(shown: Any) -> str:
    """An experiment's verdict sentence in the language being rendered."""
    return str(shown.sentence(_))


def send_digests(
    session: Session,
    *,
    week: IsoWeek,
    dry_run: bool = False,
    say: Callable[[str], None] = lambda _line: None,
) -> DigestRun:
    """Send ``week``'s digest to everyone who wants it and has not had it."""
    settings = smtp_settings(current_app.config)
    if settings is None and not dry_run:
        say(str(OFF_MESSAGE))
        return DigestRun()
    with _outside_request(), force_locale(_team_locale()):
        team = team_part(session, week)
    had = set(
        session.exec(
            select(MailSent.user_id).where(MailSent.kind == KIND, MailSent.period == str(week))
        ).all()
    )
    run = DigestRun()
    wanted = subscribers(session, KIND)
    waiting = []
    for user, chosen in wanted:
        if user.id in had:
            run.skipped.append(user.email)
            say(
                _line(
                    N_("Skipped %(email)s: already sent the digest for %(week)s."),
                    email=user.email,
                    week=str(week),
                )
            )
        else:
            waiting.append((user, chosen))
    if dry_run or settings is None:
        for user, _chosen in waiting:
            actions = own_actions(session, user)
            say(_would_send(user.email, team, len(actions)))
        return run
    parts = TeamParts(session, week)
    parts.by_locale[_team_locale()] = team
    _send(session, settings, parts, waiting, run=run, say=say)
    return run


def _team_locale() -> str:
    from tracker.i18n import team_language

    return team_language(current_app)


def _line(text: str, **values: Any) -> str:
    """A line of the command's output, in the team's language: whoever runs the
    command reads it, not the person a mail goes to."""
    with force_locale(_team_locale()):
        return str(_(text, **values))


def _would_send(email: str, team: Any, open_actions: int) -> str:
    """What a dry run would send to ``email``: the count of each part of the digest."""
    from tracker.translation import listed

    with force_locale(_team_locale()):
        counts = [
            ngettext(
                "%(num)d experiment to decide",
                "%(num)d experiments to decide",
                len(team.decisions),
            ),
            ngettext("%(num)d open action", "%(num)d open actions", open_actions),
            ngettext(
                "%(num)d metric off target", "%(num)d metrics off target", len(team.off_target)
            ),
            ngettext(
                "%(num)d other metric beyond noise",
                "%(num)d other metrics beyond noise",
                len(team.metrics),
            ),
            ngettext(
                "%(num)d hypothesis waiting", "%(num)d hypotheses waiting", len(team.hypotheses)
            ),
        ]
        return str(_("Would send to %(email)s: %(counts)s.", email=email, counts=listed(counts)))


def _send(
    session: Session,
    settings: SmtpSettings,
    parts: TeamParts,
    waiting: list[tuple[User, MailPreference | None]],
    *,
    run: DigestRun,
    say: Callable[[str], None],
) -> None:
    left = list(waiting)
    try:
        with connection(settings) as server:
            while left:
                user, _chosen = left.pop(0)
                if not _claim(session, user, str(parts.week)):
                    run.skipped.append(user.email)  # another run has it
                    continue
                try:
                    to = recipient(user)
                    team = parts.in_language(to.locale)
                    actions = own_actions(session, user)
                    message = digest_message(team, actions, to=to, sender=settings.sender)
                    problem = send_one(server, message)
                except Exception as exc:  # one person's digest must not stop the others
                    problem = f"{type(exc).__name__}: {exc}"
                if problem is None:
                    run.sent.append(user.email)
                    say(_line(N_("Sent to %(email)s."), email=user.email))
                else:
                    _release(session, user, str(parts.week))
                    run.failed.append((user.email, problem))
                    say(
                        _line(
                            N_("Failed %(email)s: %(problem)s"), email=user.email, problem=problem
                        )
                    )
    except MailError as exc:  # the server could not be reached at all
        for user, _chosen in left:
            run.failed.append((user.email, str(exc)))
            say(_line(N_("Failed %(email)s: %(problem)s"), email=user.email, problem=exc))


def _claim(session: Session, user: User, week: str) -> bool:
    """Record the send before it happens, so two senders never both send it."""
    try:
        session.add(MailSent(kind=KIND, period=week, user_id=user.id or 0))
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def _release(session: Session, user: User, week: str) -> None:
    session.execute(
        delete(MailSent).where(
            col(MailSent.kind) == KIND,
            col(MailSent.period) == week,
            col(MailSent.user_id) == user.id,
        )
    )
    session.commit()


def send_test_digest(session: Session, user: User) -> str | None:
    """This week's digest to ``user`` alone, recorded nowhere; None when sent,
    else what went wrong (e-mail off, the server's answer)."""
    settings = smtp_settings(current_app.config)
    if settings is None:
        return str(OFF_MESSAGE)
    week = IsoWeek.containing(team_today(session))
    to = recipient(user)
    team = TeamParts(session, week).in_language(to.locale)
    message = digest_message(team, own_actions(session, user), to=to, sender=settings.sender)
    try:
        with connection(settings) as server:
            return send_one(server, message)
    except MailError as exc:
        return str(exc)
