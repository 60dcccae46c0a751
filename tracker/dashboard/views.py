"""The dashboard for each audience: *my week* for one person, *area* for an
area leader, *executive* for the team's leaders. Each builder runs a fixed
number of queries whatever the history."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from experiments.cycles import IsoWeek
from tracker.backlog.ranking import by_priority, team_model
from tracker.cycles.agenda import (
    Attention,
    StageGroup,
    experiment_attention,
    metric_groups,
)
from tracker.cycles.history import MyAction, my_actions
from tracker.cycles.scorecard import ScorecardRow, scorecard_rows
from tracker.dashboard.health import LoopHealth, loop_health
from tracker.metrics.format import whole_percent
from tracker.models import (
    ActionItem,
    Area,
    Cycle,
    Experiment,
    Hypothesis,
    HypothesisStatus,
    Metric,
    Process,
    Role,
    SourceKind,
    TeamSettings,
    User,
)
from tracker.models.live import live
from tracker.translation import _, ngettext

SHOWN = 8


class View(enum.StrEnum):
    my_week = "my_week"
    area = "area"
    executive = "executive"

    @property
    def label(self) -> str:
        return {"my_week": _("My week"), "area": _("Area"), "executive": _("Executive")}[self.value]


def chosen_view(user: User) -> View:
    """The view a person chose last; before they choose, a viewer (who reads
    rather than runs experiments) sees the executive view, others their week."""
    if user.dashboard_view in View.__members__:
        return View(user.dashboard_view)
    return View.executive if not user.can(Role.editor) else View.my_week


# --- my week ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyWeek:
    actions: list[MyAction]
    stuck: int
    experiments: Attention
    waiting: list[tuple[Hypothesis, str]]


def my_week(*, session: Session, user: User, today: date) -> MyWeek:
    """My open and stuck actions, my running experiments with their verdicts,
    my hypotheses waiting for selection."""
    names = dict(session.exec(select(User.id, User.display_name)).all())
    mine = experiment_attention(
        session=session, today=today, names=names, owner_id=user.id, running_shown=SHOWN
    )
    actions = my_actions(session=session, user_id=user.id or 0, include_finished=False)
    waiting = session.exec(
        select(Hypothesis, Metric.name)
        .join(Metric, col(Metric.id) == Hypothesis.metric_id, isouter=True)
        .where(
            live(Hypothesis),
            Hypothesis.author_id == user.id,
            Hypothesis.status == HypothesisStatus.backlog,
        )
        .order_by(*by_priority(team_model(session)), col(Hypothesis.id))
        .limit(SHOWN)
    ).all()
    return MyWeek(
        actions=actions,
        stuck=sum(1 for line in actions if line.stuck),
        experiments=mine,
        waiting=[(hypothesis, name or "") for hypothesis, name in waiting],
    )


# --- area ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaView:
    area: Area | None
    areas: list[Area]
    scorecard: list[ScorecardRow]
    experiments: Attention | None
    actions: list[ActionItem]
    processes: list[tuple[Process, int]]


def area_view(
    *,
    session: Session,
    area_id: int | None,
    cycle: Cycle,
    today: date,
    stages: list[StageGroup],
) -> AreaView:
    """One area's scorecard, experiments (by their primary metric's area),
    this cycle's actions that came from them or its metrics, and its processes
    with how many hypotheses each holds."""
    areas = list(
        session.exec(
            select(Area).where(live(Area), Area.active).order_by(col(Area.rank), Area.name)
        ).all()
    )
    area = next((a for a in areas if a.id == area_id), areas[0] if areas else None)
    if area is None:
        return AreaView(None, areas, [], None, [], [])
    names = dict(session.exec(select(User.id, User.display_name)).all())
    metric_ids = set(session.exec(select(Metric.id).where(Metric.area_id == area.id)).all())
    experiments = experiment_attention(
        session=session,
        today=today,
        names=names,
        metric_ids=[i for i in metric_ids if i is not None],
        running_shown=SHOWN,
    )
    experiment_ids = set(
        session.exec(
            select(Experiment.id).where(col(Experiment.primary_metric_id).in_(metric_ids))
        ).all()
    )
    actions = [
        item
        for item in session.exec(
            select(ActionItem).where(ActionItem.cycle_id == cycle.id).order_by(col(ActionItem.id))
        ).all()
        if (item.source_kind == SourceKind.experiment and item.source_id in experiment_ids)
        or (item.source_kind == SourceKind.metric and item.source_id in metric_ids)
    ]
    processes = _process_counts(session, area.id or 0)
    return AreaView(
        area=area,
        areas=areas,
        scorecard=scorecard_rows(stages, area_id=area.id),
        experiments=experiments,
        actions=actions,
        processes=processes,
    )


def _process_counts(session: Session, area_id: int) -> list[tuple[Process, int]]:
    from sqlalchemy import func

    rows = session.exec(
        select(Process, func.count(col(Hypothesis.id)))
        .join(
            Hypothesis,
            (col(Hypothesis.process_id) == Process.id) & live(Hypothesis),
            isouter=True,
        )
        .where(Process.area_id == area_id)
        .group_by(col(Process.id))
        .order_by(Process.name)
    ).all()
    return [(process, int(count)) for process, count in rows]


# --- executive ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthTile:
    """One programme-health figure against its target.

    Attributes:
        label: what it is; counts: what it counts, over which weeks.
        value: the figure as shown; target: the target as shown (None without one).
        met: whether the target is met (None without a target or a figure).
        detail: a short line under the figure.
        series: weekly values for a bar chart, when there are any.
    """

    label: str
    counts: str
    value: str
    target: str | None
    met: bool | None
    detail: str = ""
    series: tuple[int, ...] = ()


def health_tiles(health: LoopHealth, settings: TeamSettings | None) -> list[HealthTile]:
    weeks = len(health.weeks)
    window = ngettext("last %(num)d week", "last %(num)d weeks", weeks)

    def target(name: str) -> float | None:
        return getattr(settings, name, None) if settings else None

    def met(value: float | None, goal: float | None, *, at_most: bool = False) -> bool | None:
        if value is None or goal is None:
            return None
        return value <= goal if at_most else value >= goal

    started, decided = health.started_per_week, health.decided_per_cycle
    days, on_time, wins = health.median_days_to_decision, health.on_time, health.win_rate
    t_started, t_decided = target("target_started_per_week"), target("target_decisions_per_cycle")
    t_days, t_on_time = target("target_median_days"), target("target_on_time")
    t_wins = target("target_win_rate")
    return [
        HealthTile(
            _("Experiments started"),
            _("per week, %(window)s", window=window),
            f"{started:.1f}",
            None if t_started is None else _("%(count)s a week", count=f"{t_started:g}"),
            met(started, t_started),
            ngettext(
                "%(count)s in %(num)d week",
                "%(count)s in %(num)d weeks",
                weeks,
                count=sum(health.started),
            ),
            tuple(health.started),
        ),
        HealthTile(
            _("Decisions"),
            _("per cycle, %(window)s", window=window),
            f"{decided:.1f}",
            None if t_decided is None else _("%(count)s a cycle", count=f"{t_decided:g}"),
            met(decided, t_decided),
            ngettext(
                "%(count)s in %(num)d cycle",
                "%(count)s in %(num)d cycles",
                weeks,
                count=health.decided_total,
            ),
            tuple(health.decided),
        ),
        HealthTile(
            _("Days from planned size to decision"),
            _("median, decisions in the %(window)s", window=window),
            "—" if days is None else f"{days:.1f}",
            None if t_days is None else _("at most %(days)s", days=f"{t_days:g}"),
            met(days, t_days, at_most=True),
            _("Shorter means a faster loop."),
        ),
        HealthTile(
            _("Actions done on time"),
            _("share done within their due week, %(window)s", window=window),
            whole_percent(on_time),
            None if t_on_time is None else whole_percent(t_on_time),
            met(on_time, t_on_time),
            _("of %(due)s due", due=health.due_items),
        ),
        HealthTile(
            _("Win rate"),
            _("won of decided, %(window)s", window=window),
            whole_percent(wins),
            None if t_wins is None else whole_percent(t_wins),
            met(wins, t_wins),
            _(
                "%(won)s won of %(decided)s decided; a split-mismatch win does not count",
                won=health.won,
                decided=health.decided_total,
            ),
        ),
    ]


@dataclass(frozen=True)
class Executive:
    tiles: list[HealthTile]
    ledger: Any
    calibration: str
    off_track: list[ScorecardRow]
    has_metrics: bool


def executive(
    *, session: Session, cycle: Cycle, stages: list[StageGroup], health: LoopHealth
) -> Executive:
    from tracker.insights.calibration import calibration_report
    from tracker.insights.ledger import impact_ledger
    from tracker.insights.routes import week_range
    from tracker.insights.sentences import calibration_line

    weeks = week_range({}, current=IsoWeek.parse(cycle.iso_week))
    first, last = weeks.first, weeks.last
    return Executive(
        tiles=health_tiles(health, session.get(TeamSettings, 1)),
        ledger=impact_ledger(session=session),
        calibration=calibration_line(calibration_report(session=session, first=first, last=last)),
        off_track=[row for row in scorecard_rows(stages) if row.off_track],
        has_metrics=bool(stages),
    )


def build_view(
    view: View, *, session: Session, user: User, cycle: Cycle, today: date, area_id: int | None
) -> dict[str, Any]:
    """The template's data for ``view``."""
    areas = {a.id: a for a in session.exec(select(Area).where(live(Area)))}
    if view is View.my_week:
        return {"mine": my_week(session=session, user=user, today=today)}
    stages = metric_groups(session=session, area_by_id=areas)
    if view is View.area:
        return {
            "area_view": area_view(
                session=session, area_id=area_id, cycle=cycle, today=today, stages=stages
            )
        }
    health = loop_health(session=session, current_week=IsoWeek.parse(cycle.iso_week))
    return {
        "health": health,
        "exec": executive(session=session, cycle=cycle, stages=stages, health=health),
    }
