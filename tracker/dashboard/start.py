"""A new team's first steps, shown on the dashboard until its first experiment:
an empty instance should say where to start, not show empty cards."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists
from sqlalchemy import select as columns
from sqlmodel import Session

from tracker.models import Experiment, Hypothesis, Metric
from tracker.models.live import live
from tracker.translation import _l


@dataclass(frozen=True)
class StartStep:
    """One step: what to do, why, the page that does it, and whether it is done.

    Attributes:
        title, hint: what a person reads (lazy: translated when shown).
        endpoint: the page that does it.
        done: whether the team has done it already.
    """

    title: object
    hint: object
    endpoint: str
    done: bool


def first_steps(session: Session) -> list[StartStep]:
    """The steps of a team that has no experiment yet (none once it has one).
    One query."""
    has_metric, has_hypothesis, has_experiment = (
        session.connection()
        .execute(
            columns(
                exists().where(live(Metric)),
                exists().where(live(Hypothesis)),
                exists().where(live(Experiment)),
            )
        )
        .one()
    )
    if has_experiment:
        return []
    return [
        StartStep(
            _l("Add the metrics you review"),
            _l("The weekly figures every experiment is judged on: win rate, CSAT, cost per lead."),
            "metrics.create",
            bool(has_metric),
        ),
        StartStep(
            _l("Write down hypotheses"),
            _l("What you would change, what it should move and why you believe it."),
            "backlog.new",
            bool(has_hypothesis),
        ),
        StartStep(
            _l("Design your first experiment"),
            _l("From the best-scored hypothesis: its sample size and duration are worked out."),
            "backlog.index",
            False,
        ),
        StartStep(
            _l("Hold the weekly review"),
            _l("One page, its agenda filled in from the data, saved in one go."),
            "cycles.this_week",
            False,
        ),
    ]
