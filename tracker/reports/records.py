"""The retrospective as plain records, the texts already written: what
``gather`` returns and what the Typst template is fed (as JSON, see payload.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracker.reports.ranges import ReportRange


@dataclass(frozen=True)
class WeekRow:
    week: str
    dates: str
    focus: str
    held: bool  # a cycle was recorded for this week


@dataclass(frozen=True)
class FocusArea:
    """A focus area of the range and how many of its cycles it led."""

    area: str
    weeks: int


@dataclass(frozen=True)
class Summary:
    weeks: int
    cycles: int
    started: int
    decided: int
    won: int
    lost: int
    inconclusive: int
    untrustworthy: int  # decided, but the sample-ratio check failed: never a win
    running: int
    win_rate: str
    per_week: str
    median_days: str
    actions_created: int
    actions_done: int
    actions_carried: int
    actions_stuck: int
    actions_due: int
    actions_on_time: int
    on_time_rate: str
    focus_areas: list[FocusArea] = field(default_factory=list)


@dataclass(frozen=True)
class ResultRow:
    arm: str
    is_control: bool
    size: str
    value: str
    lift: str = ""
    interval: str = ""
    p_value: str = ""
    chance: str = ""
    tone: str = ""  # good, bad or flat


@dataclass(frozen=True)
class GuardrailRow:
    """A guardrail metric of a decided experiment and what its results say.

    verdict: "held" (no variant made it significantly worse), "worse", "better"
    (significantly better) or "no data" (no figures were entered for it).
    """

    metric: str
    direction: str
    verdict: str
    lift: str
    interval: str
    tone: str


@dataclass
class LearningRow:
    text: str
    area: str
    tags: list[str]
    created_on: str
    experiments: list[str] = field(default_factory=list)


@dataclass
class ExperimentSection:
    number: int
    anchor: str
    title: str
    status: str
    owner: str
    area: str
    metric: str
    direction: str
    hypothesis_title: str
    hypothesis: list[tuple[str, bool]]  # the statement's parts: (text, typed by a person)
    design: list[tuple[str, str]]
    progress: float | None
    started_on: str
    decided_on: str
    days: int | None
    results: list[ResultRow]
    results_note: str
    verdict: str
    warnings: list[str]
    preliminary: bool
    chart_svg: str
    outcome: str
    action: str
    rationale: str
    early_reason: str
    learnings: list[LearningRow]
    guardrails: list[GuardrailRow] = field(default_factory=list)
    trustworthy: bool = True
    trust_note: str = ""  # why it is not trustworthy, when it is not
    decided_iso: str = ""  # sorts the decided experiments
    # for the forest plot of decided experiments
    lift: float | None = None
    lift_low: float | None = None
    lift_high: float | None = None


@dataclass(frozen=True)
class MetricTrend:
    name: str
    area: str
    direction: str
    first: str
    first_period: str
    last: str
    last_period: str
    change: str
    tone: str
    readings: int
    chart_svg: str


@dataclass(frozen=True)
class StageGroup:
    name: str
    metrics: list[MetricTrend]


@dataclass(frozen=True)
class ActionRow:
    title: str
    owner: str
    bucket: str  # done, open, carried, stuck, dropped
    due_week: str
    first_week: str
    carried: int
    finished_week: str


@dataclass(frozen=True)
class OwnerRow:
    owner: str
    done: int
    open: int
    carried: int
    stuck: int


@dataclass(frozen=True)
class NextCycle:
    week: str
    dates: str
    focus: str
    hypotheses: list[dict[str, Any]]


@dataclass
class Retro:
    """Everything one retrospective shows. ``findings`` are the cover's plain
    sentences: what was learned, then what comes next."""

    range: ReportRange
    team: str
    generated_on: str
    weeks: list[WeekRow]
    summary: Summary
    experiments: list[ExperimentSection]
    decided: list[ExperimentSection]
    running: list[ExperimentSection]
    stages: list[StageGroup]
    actions: list[ActionRow]
    owners: list[OwnerRow]
    learnings: list[LearningRow]
    next: NextCycle
    generated_iso: str = ""
    findings: list[str] = field(default_factory=list)
    # the "loop learns" chapter: calibration and the impact ledger, as written (loop.py)
    loop: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.experiments
