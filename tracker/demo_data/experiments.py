"""Demo experiments: a quarter of RevOps tests across every status, each with its own
hypothesis, result sets entered week by week and the analyses stored as the app
would store them, plus a learning for every decided one.

Drawn from ``rng``, so the same seed gives the same experiments. Loading twice leaves
one copy (an experiment already there by title is kept). Flushes, never commits.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from tracker.changelog import record_event
from tracker.experiments import service
from tracker.models import (
    Arm,
    DecisionAction,
    ExpectedDirection,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    HypothesisStatus,
    Learning,
    LearningExperiment,
    Metric,
    MetricKind,
    Outcome,
    User,
)


@dataclass(frozen=True)
class Spec:
    """One demo experiment: its hypothesis, design and the truth behind its data.

    ``lifts`` is each variant's true relative change of the primary metric;
    ``reach`` the share of the planned sample size collected by the last result set;
    ``skew`` moves traffic from control to the first variant (a broken split).
    """

    title: str
    area: str
    metric: str
    change: str
    because: str
    ice: tuple[int, int, int]
    mde: float
    lifts: tuple[float, ...]
    status: str
    outcome: str | None = None
    action: str | None = None
    rationale: str = ""
    learning: str = ""
    tags: str = ""
    guardrails: tuple[str, ...] = ()
    guardrail_lifts: dict[str, float] = field(default_factory=dict)
    arms: tuple[str, ...] = ("Control", "Variant B")
    result_sets: int = 3
    reach: float = 1.05
    skew: float = 0.0
    early_reason: str = ""
    started_weeks_ago: int = 8


SPECS: tuple[Spec, ...] = (
    Spec(
        title="Shorter demo-request form",
        area="Marketing",
        metric="Visitor to lead conversion",
        change="cut the demo-request form from nine fields to four",
        because="session recordings show half the visitors leave at the phone and budget fields",
        ice=(8, 7, 9),
        mde=0.12,
        lifts=(0.19,),
        guardrails=("MQL to SQL conversion",),
        guardrail_lifts={"MQL to SQL conversion": 0.0},
        status="decided",
        outcome="won",
        action="ship",
        rationale="A clear lift in leads, and lead quality held: MQL to SQL did not move.",
        learning="Every field on a form costs leads; ask for the rest after the first call.",
        tags="forms, conversion, website",
        started_weeks_ago=11,
    ),
    Spec(
        title="Case study in the second follow-up e-mail",
        area="Marketing",
        metric="MQL to SQL conversion",
        change="put a short case study from the prospect's industry in the second follow-up",
        because="sales hears 'who else like us uses this?' on most first calls",
        ice=(7, 6, 8),
        mde=0.2,
        lifts=(0.45,),
        status="decided",
        outcome="won",
        action="ship",
        rationale="More MQLs became SQLs at the planned size; the case study goes in every"
        " sequence.",
        learning="Proof from a peer moves a lead further than a feature list.",
        tags="e-mail, case study, nurture",
        result_sets=4,
        started_weeks_ago=10,
    ),
    Spec(
        title="Same-day callback for inbound leads",
        area="Sales",
        metric="Win rate",
        change="call every inbound demo request back on the same working day",
        because="deals we reach within hours close more often in last year's data",
        ice=(9, 6, 5),
        mde=0.35,
        lifts=(0.42,),
        guardrails=("Sales cycle length",),
        status="decided",
        outcome="won",
        action="ship",
        rationale="Win rate rose well beyond the MDE and the cycle did not get longer.",
        learning="Speed to lead matters more than the script: the first hours decide.",
        tags="speed to lead, inbound, callbacks",
        started_weeks_ago=12,
    ),
    Spec(
        title="Discount approval in one step",
        area="Sales",
        metric="Sales cycle length",
        change="let account executives approve discounts up to 15% without a manager",
        because="deals wait on average four days for a discount sign-off",
        ice=(6, 5, 7),
        mde=-0.15,
        lifts=(0.14,),
        guardrails=("Average deal size",),
        guardrail_lifts={"Average deal size": -0.08},
        status="decided",
        outcome="lost",
        action="abandon",
        rationale="Cycles got longer, not shorter: reps negotiated more rounds once they could.",
        learning="Removing an approval step invited more haggling; the wait was not the"
        " bottleneck.",
        tags="discounts, approvals, cycle length",
        started_weeks_ago=11,
    ),
    Spec(
        title="Chatbot first reply on support tickets",
        area="Service",
        metric="CSAT",
        change="answer new tickets first with the help-centre chatbot",
        because="a third of tickets ask questions the help centre already answers",
        ice=(6, 4, 6),
        mde=0.04,
        lifts=(-0.06,),
        guardrails=("Escalations per 100 tickets",),
        guardrail_lifts={"Escalations per 100 tickets": 0.25},
        status="decided",
        outcome="lost",
        action="abandon",
        rationale="Satisfaction fell and escalations rose: customers want a person first.",
        learning="Customers who write in have usually tried self-service already.",
        tags="support, chatbot, csat",
        started_weeks_ago=9,
    ),
    Spec(
        title="Annual-plan nudge at renewal",
        area="Sales",
        metric="Average deal size",
        change="offer two months free for switching to an annual plan at renewal",
        because="finance prefers annual cash, and some customers ask for it",
        ice=(5, 5, 8),
        mde=0.25,
        lifts=(0.02,),
        status="decided",
        outcome="inconclusive",
        action="iterate",
        rationale="No measurable change at the planned size; try a stronger offer to fewer"
        " accounts.",
        learning="A small incentive does not move deal size; the offer needs to be worth a call.",
        tags="renewal, pricing, annual plans",
        started_weeks_ago=12,
    ),
    Spec(
        title="Proactive onboarding call in week one",
        area="Service",
        metric="Escalations per 100 tickets",
        change="call every new customer in their first week to walk through set-up",
        because="most escalations in the first month come from set-up questions",
        ice=(7, 6, 4),
        mde=-0.2,
        lifts=(-0.04,),
        guardrails=("CSAT",),
        status="decided",
        outcome="inconclusive",
        action="iterate",
        rationale="Escalations moved a little, within the noise; retry with a checklist call.",
        learning="A generic welcome call is too soft; aim it at the set-up steps that fail.",
        tags="onboarding, escalations",
        started_weeks_ago=10,
    ),
    Spec(
        title="Three subject lines for the webinar invite",
        area="Marketing",
        metric="Visitor to lead conversion",
        change="test a question, a number and a named-customer subject line on the invite",
        because="open rates differ by subject, and opens drive registrations",
        ice=(5, 5, 9),
        mde=0.15,
        lifts=(0.05, 0.17, -0.03),
        arms=("Control", "B", "C", "D"),
        status="running",
        result_sets=3,
        reach=0.8,
        started_weeks_ago=4,
    ),
    Spec(
        title="Lead routing by territory",
        area="Sales",
        metric="Win rate",
        change="route inbound leads to the rep who owns the territory instead of round-robin",
        because="territory reps know the accounts and the local references",
        ice=(7, 5, 6),
        mde=0.35,
        lifts=(0.1,),
        status="stopped",
        result_sets=3,
        reach=0.9,
        skew=0.09,
        started_weeks_ago=6,
    ),
    Spec(
        title="Live chat on the pricing page",
        area="Marketing",
        metric="MQL to SQL conversion",
        change="open a live chat with a solutions engineer on the pricing page",
        because="pricing-page visitors are close to a decision and have specific questions",
        ice=(8, 5, 6),
        mde=0.2,
        lifts=(0.12,),
        guardrails=("Cost per lead",),
        status="running",
        result_sets=2,
        reach=0.35,
        started_weeks_ago=2,
    ),
    Spec(
        title="Customer health alerts for account managers",
        area="Service",
        metric="First-contact resolution",
        change="alert the account manager when a customer opens three tickets in a week",
        because="a burst of tickets precedes most churn we saw last year",
        ice=(6, 4, 5),
        mde=0.05,
        lifts=(0.0,),
        status="draft",
        result_sets=0,
    ),
)


def load_experiments(
    session: Session,
    *,
    rng: random.Random,
    today: date,
    metrics: dict[str, Metric],
    users: list[User],
) -> list[Experiment]:
    """Create the demo experiments (those whose metrics exist), once; return them all."""
    existing = {
        experiment.title: experiment
        for experiment in session.exec(
            select(Experiment).where(col(Experiment.title).in_([s.title for s in SPECS]))
        ).all()
    }
    made: list[Experiment] = []
    for spec in SPECS:
        spec_rng = random.Random(rng.random())  # each experiment draws from its own stream
        if spec.title in existing:
            made.append(existing[spec.title])
            continue
        if spec.metric not in metrics or any(g not in metrics for g in spec.guardrails):
            continue
        made.append(_load_one(session, spec, spec_rng, today, metrics, users))
    return made


def _load_one(
    session: Session,
    spec: Spec,
    rng: random.Random,
    today: date,
    metrics: dict[str, Metric],
    users: list[User],
) -> Experiment:
    metric = metrics[spec.metric]
    owner = users[rng.randrange(len(users))] if users else None
    user_id = owner.id if owner else None
    hypothesis = Hypothesis(
        title=spec.title,
        change=spec.change,
        metric_id=metric.id,
        direction=ExpectedDirection.decrease if spec.mde < 0 else ExpectedDirection.increase,
        expected_effect=round(abs(spec.mde) * 100, 1),
        rationale=spec.because,
        area_id=metric.area_id,
        scores=dict(zip(("impact", "confidence", "ease"), spec.ice, strict=True)),
        score=round(sum(spec.ice) / 3, 4),
        status=HypothesisStatus.selected,
        author_id=user_id,
    )
    session.add(hypothesis)
    session.flush()
    recent = service.metric_baseline(session, metric)
    kind = MetricKind(metric.kind).value
    shares = _shares(len(spec.arms))
    design = service.Design(
        title=spec.title,
        owner_id=user_id,
        primary_metric_id=metric.id or 0,
        guardrail_ids=[metrics[name].id or 0 for name in spec.guardrails],
        arms=[
            {"name": name, "share": share} for name, share in zip(spec.arms, shares, strict=True)
        ],
        baseline=round(recent.value, 6 if kind != "mean" else 2) if recent else None,
        baseline_sd=round(recent.sd, 2) if recent and recent.sd is not None else None,
        mde=spec.mde,
        mde_relative=True,
        alpha=0.05,
        power=0.8,
        alternative="two-sided",
    )
    plan = service.plan_for(kind, design)
    experiment = Experiment(
        hypothesis_id=hypothesis.id, title=spec.title, primary_metric_id=metric.id or 0
    )
    service.save_design(
        session,
        experiment,
        design,
        plan=plan,
        weekly_volume=recent.volume if recent else None,
        user_id=user_id,
    )
    session.flush()
    if spec.status == "draft":
        return experiment
    started = today - timedelta(weeks=spec.started_weeks_ago)
    service.change_status(
        session,
        experiment,
        ExperimentStatus.running,
        user_id=user_id,
        today=started,
        hypothesis=hypothesis,
    )
    arms = service.arms_of(session, experiment.id or 0)
    involved = [metric, *(metrics[name] for name in spec.guardrails)]
    _enter_results(session, spec, rng, experiment, arms, involved, plan.total, started, user_id)
    last_week = started + timedelta(weeks=spec.result_sets)
    if spec.status == "stopped":
        service.change_status(
            session, experiment, ExperimentStatus.stopped, user_id=user_id, today=last_week
        )
    if spec.status == "decided":
        _decide(session, spec, experiment, hypothesis, user_id, last_week)
    return experiment


def _shares(count: int) -> list[float]:
    even = round(1.0 / count, 6)
    return [round(1.0 - even * (count - 1), 6), *([even] * (count - 1))]


def _enter_results(
    session: Session,
    spec: Spec,
    rng: random.Random,
    experiment: Experiment,
    arms: list[Arm],
    metrics: list[Metric],
    planned_total: int,
    started: date,
    user_id: int | None,
) -> None:
    """Cumulative figures for ``spec.result_sets`` weeks, analysed as they are entered."""
    truths = {m.id: service.metric_baseline(session, m) for m in metrics}
    totals: dict[tuple[int, int], Any] = {}
    final = planned_total * spec.reach
    weights = [arm.share for arm in arms]
    if spec.skew:
        weights[0] -= spec.skew
        weights[1] += spec.skew
    for week in range(spec.result_sets):
        share_of_run = 1.0 / spec.result_sets
        for metric in metrics:
            truth = truths[metric.id]
            kind = MetricKind(metric.kind).value
            is_primary = metric.id == experiment.primary_metric_id
            for index, arm in enumerate(arms):
                if is_primary:
                    lift = 0.0 if arm.is_control else spec.lifts[index - 1]
                else:
                    lift = 0.0 if arm.is_control else spec.guardrail_lifts.get(metric.name, 0.0)
                size = final * share_of_run * weights[index] * rng.uniform(0.97, 1.03)
                if not is_primary:
                    size *= _guardrail_scale(kind, truth)
                figures = _draw(rng, kind, truth, lift, size)
                key = (arm.id or 0, metric.id or 0)
                totals[key] = figures if key not in totals else totals[key] + figures
        recorded = datetime.combine(started + timedelta(weeks=week + 1), time(9, 30), tzinfo=UTC)
        service.save_results(
            session,
            experiment,
            {key: _as_figures(stats) for key, stats in totals.items()},
            arms=arms,
            metrics=metrics,
            user_id=user_id,
            note=f"Week {week + 1} export",
            recorded_at=recorded,
            # only the latest analysis's chart is ever shown: keep the demo quick
            draw_chart=week == spec.result_sets - 1,
        )
        session.flush()


def _guardrail_scale(kind: str, truth: Any) -> float:
    """Guardrails are counted on the same traffic but in their own units."""
    return 1.0 if kind != "mean" else 0.3


def _draw(rng: random.Random, kind: str, truth: Any, lift: float, size: float) -> Any:
    from experiments.stats import Mean, Proportion, Rate

    value = truth.value * (1.0 + lift)
    if kind == "proportion":
        trials = max(2, round(size))
        p = min(max(value, 0.0005), 0.9995)
        successes = round(rng.gauss(trials * p, math.sqrt(trials * p * (1 - p))))
        return Proportion(min(max(successes, 0), trials), trials)
    if kind == "mean":
        n = max(2, round(size))
        sd = truth.sd or abs(value) * 0.5
        return Mean(
            n, round(rng.gauss(value, sd / math.sqrt(n)), 2), round(sd * rng.uniform(0.95, 1.05), 2)
        )
    exposure = max(1.0, round(size))
    expected = value * exposure
    return Rate(max(0, round(rng.gauss(expected, math.sqrt(max(expected, 1.0))))), float(exposure))


def _as_figures(stats: Any) -> dict[str, float | int]:
    from experiments.stats import Mean, Proportion

    if isinstance(stats, Proportion):
        return {"successes": stats.successes, "trials": stats.trials}
    if isinstance(stats, Mean):
        return {"n": stats.n, "mean": round(stats.mean, 4), "sd": round(stats.sd, 4)}
    return {"events": stats.events, "exposure": stats.exposure}


def _decide(
    session: Session,
    spec: Spec,
    experiment: Experiment,
    hypothesis: Hypothesis,
    user_id: int | None,
    day: date,
) -> None:
    preliminary = service.is_preliminary(experiment)
    service.decide(
        session,
        experiment,
        outcome=Outcome(spec.outcome or "inconclusive"),
        action=DecisionAction(spec.action or "iterate"),
        rationale=spec.rationale,
        early_reason=(spec.early_reason or "The review agreed the trend was clear.")
        if preliminary
        else "",
        user_id=user_id,
        today=day,
        hypothesis=hypothesis,
    )
    experiment.decided_at = datetime.combine(day + timedelta(days=2), time(15, 0), tzinfo=UTC)
    if spec.learning:
        learning = Learning(
            text=spec.learning,
            area_id=hypothesis.area_id,
            tags=spec.tags,
            author_id=user_id,
            created_at=experiment.decided_at,  # learned at the decision, in that week's cycle
        )
        session.add(learning)
        session.flush()
        session.add(
            LearningExperiment(learning_id=learning.id or 0, experiment_id=experiment.id or 0)
        )
        record_event(session, learning, "create", user_id=user_id)
