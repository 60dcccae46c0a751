"""Demo backlog: fifteen RevOps hypotheses across the three areas and their
processes, scored with ICE, one written entirely in Arabic, and three general
learnings.

Loading twice leaves one copy (a hypothesis or learning already there by its
text is kept). Flushes, never commits: the caller owns the transaction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from experiments.priority import score
from tracker.changelog import record_event
from tracker.models import (
    Area,
    ExpectedDirection,
    Hypothesis,
    HypothesisStatus,
    Learning,
    Metric,
    PriorityModel,
    Process,
    User,
)
from tracker.models.types import utcnow


@dataclass(frozen=True)
class Idea:
    title: str
    change: str
    metric: str
    direction: ExpectedDirection
    effect: float
    rationale: str
    area: str
    process: str
    status: HypothesisStatus
    ice: tuple[int, int, int]


UP, DOWN = ExpectedDirection.increase, ExpectedDirection.decrease
BACKLOG, SELECTED, PARKED = (
    HypothesisStatus.backlog,
    HypothesisStatus.selected,
    HypothesisStatus.parked,
)

IDEAS: tuple[Idea, ...] = (
    Idea(
        "Lead score on intent signals",
        "add pricing-page and demo-video views to the lead score",
        "MQL to SQL conversion",
        UP,
        10,
        "half of last quarter's SQLs had viewed pricing before they converted",
        "Marketing",
        "Campaign planning",
        SELECTED,
        (7, 6, 7),
    ),
    Idea(
        "Retarget pricing-page visitors",
        "show visitors who left the pricing page an ad with a customer quote",
        "Visitor to lead conversion",
        UP,
        6,
        "a third of our leads convert on their second visit, not their first",
        "Marketing",
        "Campaign performance review",
        SELECTED,
        (6, 6, 8),
    ),
    Idea(
        "Pause the two weakest ad sets",
        "move the budget of the two ad sets with the lowest SQL rate to the best one",
        "Cost per lead",
        DOWN,
        10,
        "last quarter's review found 30% of spend produced 8% of qualified leads",
        "Marketing",
        "Campaign performance review",
        BACKLOG,
        (6, 7, 8),
    ),
    Idea(
        "Webinar follow-up within an hour",
        "call webinar attendees within an hour instead of the next day",
        "MQL to SQL conversion",
        UP,
        8,
        "interest fades quickly: replies drop by half after the first day",
        "Marketing",
        "Campaign planning",
        BACKLOG,
        (6, 5, 6),
    ),
    Idea(
        "Mutual action plan for late-stage deals",
        "share a mutual action plan with every buyer once a deal reaches proposal",
        "Win rate",
        UP,
        10,
        "lost-deal reviews keep naming 'no clear next step' as the reason",
        "Sales",
        "Sales process",
        SELECTED,
        (8, 6, 7),
    ),
    Idea(
        "Weekly pipeline review instead of monthly",
        "review every open opportunity weekly, not monthly, with the stage exit criteria",
        "Sales cycle length",
        DOWN,
        12,
        "a faster loop catches stalled deals weeks earlier",
        "Sales",
        "Pipeline review",
        BACKLOG,
        (7, 6, 5),
    ),
    Idea(
        "Discovery call checklist",
        "give reps a five-question discovery checklist on budget, authority, need and timing",
        "Win rate",
        UP,
        6,
        "deals without a confirmed budget close at a third of the usual rate",
        "Sales",
        "Sales process",
        BACKLOG,
        (6, 6, 8),
    ),
    Idea(
        "Bundle onboarding with annual plans",
        "include guided onboarding in annual plans above 20 seats",
        "Average deal size",
        UP,
        9,
        "buyers ask for onboarding help in most large-deal negotiations",
        "Sales",
        "Cross-sell and upsell",
        BACKLOG,
        (7, 5, 5),
    ),
    Idea(
        "Usage-based upsell prompts",
        "alert account managers when an account uses 80% of its seats",
        "Net revenue retention",
        UP,
        3,
        "expansion conversations started on usage signals close twice as often",
        "Sales",
        "Cross-sell and upsell",
        SELECTED,
        (7, 7, 6),
    ),
    Idea(
        "Rep leaderboard by win rate",
        "show the team leaderboard by win rate instead of by activity counts",
        "Win rate",
        UP,
        4,
        "activity targets reward volume over quality",
        "Sales",
        "Sales performance review",
        PARKED,
        (4, 4, 7),
    ),
    Idea(
        "Senior agent triage for priority tickets",
        "route priority tickets to a senior agent for the first reply",
        "Escalations per 100 tickets",
        DOWN,
        15,
        "most escalations start with a first reply that misses the real problem",
        "Service",
        "Customer escalation",
        SELECTED,
        (8, 6, 6),
    ),
    Idea(
        "Troubleshooting macros for the top ten issues",
        "write reply macros with the full fix for the ten most common issues",
        "First-contact resolution",
        UP,
        8,
        "ten issues make up 45% of tickets and each needs the same steps",
        "Service",
        "Customer escalation",
        BACKLOG,
        (7, 7, 8),
    ),
    Idea(
        "Survey right after resolution",
        "send the satisfaction survey when the ticket is solved, not a week later",
        "CSAT",
        UP,
        3,
        "a late survey measures memory, not the experience",
        "Service",
        "Customer-satisfaction measurement",
        BACKLOG,
        (5, 6, 9),
    ),
    Idea(
        "Close the loop with detractors",
        "have a team lead call every detractor within two days",
        "NPS",
        UP,
        10,
        "detractors who hear back often turn passive or promoter",
        "Service",
        "Customer-satisfaction measurement",
        PARKED,
        (6, 5, 3),
    ),
    Idea(
        "دراسة حالة من القطاع نفسه",
        "إذا أضفنا دراسة حالة من عميل في القطاع نفسه إلى رسالة المتابعة الثانية",
        "Win rate",
        UP,
        7,
        "لأن العملاء المحتملين يثقون بتجارب نظرائهم أكثر من وعودنا",
        "Sales",
        "Sales process",
        SELECTED,  # chosen for next week, so the retrospective's "Next" shows it
        (7, 6, 8),
    ),
)

LEARNINGS: tuple[tuple[str, str | None, str], ...] = (
    (
        "Speed of the first reply matters more than its polish: leads and tickets answered "
        "within an hour convert and resolve measurably better than next-day replies.",
        None,
        "speed, follow-up, loop",
    ),
    (
        "Peers convince more than features: case studies from the prospect's own industry "
        "lift replies in every channel we tried.",
        "Marketing",
        "case study, social proof, e-mail",
    ),
    (
        "A weekly loop beats a monthly one: reviewing the pipeline every week surfaces "
        "stalled deals while they can still be saved.",
        "Sales",
        "pipeline review, cadence",
    ),
)


def load_backlog(
    session: Session,
    *,
    rng: random.Random,
    metrics: dict[str, Metric],
    areas: dict[str, Area],
    processes: dict[str, Process],
    users: list[User],
) -> list[Hypothesis]:
    """The demo backlog (and its learnings), created once; returns every demo hypothesis."""
    existing = {
        hypothesis.title: hypothesis
        for hypothesis in session.exec(
            select(Hypothesis).where(Hypothesis.title.in_([idea.title for idea in IDEAS]))  # type: ignore[attr-defined]
        ).all()
    }
    now = utcnow()
    made: list[Hypothesis] = []
    for index, idea in enumerate(IDEAS):
        if idea.title in existing:
            made.append(existing[idea.title])
            continue
        scores = dict(zip(("impact", "confidence", "ease"), idea.ice, strict=True))
        metric = metrics.get(idea.metric)
        process = processes.get(idea.process)
        author = users[rng.randrange(len(users))] if users else None
        created = now - timedelta(days=80 - 5 * index, hours=rng.randrange(9, 18))
        hypothesis = Hypothesis(
            title=idea.title,
            change=idea.change,
            metric_id=metric.id if metric else None,
            direction=idea.direction,
            expected_effect=idea.effect,
            rationale=idea.rationale,
            area_id=areas[idea.area].id or 0,
            process_id=process.id if process else None,
            priority_model=PriorityModel.ice,
            scores=scores,
            score=round(score("ice", scores), 4),
            status=idea.status,
            author_id=author.id if author else None,
            created_at=created,
            updated_at=created,
        )
        session.add(hypothesis)
        session.flush()
        change = record_event(session, hypothesis, "create", user_id=author.id if author else None)
        change.at = created
        made.append(hypothesis)
    _load_learnings(session, rng=rng, areas=areas, users=users)
    session.flush()
    return made


def _load_learnings(
    session: Session, *, rng: random.Random, areas: dict[str, Area], users: list[User]
) -> None:
    texts = [text for text, _, _ in LEARNINGS]
    present = set(session.exec(select(Learning.text).where(Learning.text.in_(texts))).all())  # type: ignore[attr-defined]
    now = utcnow()
    for index, (text, area, tags) in enumerate(LEARNINGS):
        if text in present:
            continue
        author = users[rng.randrange(len(users))] if users else None
        learning = Learning(
            text=text,
            area_id=areas[area].id if area else None,
            tags=tags,
            author_id=author.id if author else None,
            created_at=now - timedelta(days=30 - 9 * index),
        )
        session.add(learning)
        session.flush()
        record_event(
            session, learning, "create", user_id=author.id if author else None
        ).at = learning.created_at
