"""The bodies of the API: for each record a family of models, ``XCreate`` (what a
client sends to make one), ``XUpdate`` (what it may change, every field optional
but the ``version`` it read) and ``XPublic`` (what it gets back).

They are SQLModel classes without tables, so pydantic checks every body, and the
OpenAPI document is built from their JSON schemas (see ``openapi.py``). No model
here has a password or token hash: answers are built from these, never from the
tables.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, model_validator
from sqlmodel import SQLModel

from experiments.cycles import ActionStatus, Phase
from tracker.models import (
    Alternative,
    DecisionAction,
    Direction,
    ExpectedDirection,
    ExperimentStatus,
    HypothesisStatus,
    MetricKind,
    Outcome,
    PriorityModel,
    SourceKind,
)

MAX_ID = 2**31 - 1  # the largest value an id (or version) column holds on every backend
MAX_COUNT = 10**12
MAX_NUMBER = 1e15
MAX_READINGS = 10_000


def _plain_text(value: str) -> str:
    """Refuse characters no database column can hold (NUL, lone surrogates)."""
    if "\x00" in value:
        raise ValueError("Remove the NUL character.")
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("Remove the unpaired surrogate character.")
    return value


def Text(max_length: int, *, required: bool = False) -> Any:
    """A trimmed string of at most ``max_length`` characters (at least one if required)."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1 if required else 0, max_length=max_length
        ),
        AfterValidator(_plain_text),
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Number = Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False)]
Week = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{4}-W[0-9]{2}$"),
]


class Body(SQLModel):
    """A request body: unknown fields are refused, so a typo is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class Answer(SQLModel):
    """A response body."""


# --- errors and lists ---------------------------------------------------------------


class ErrorDetail(Answer):
    code: str = Field(description="A code a client can test, such as stale_version.")
    message: str = Field(description="What was wrong and what to do, for a person.")
    fields: dict[str, str] = Field(
        default_factory=dict, description="One message per wrong field, by its path."
    )
    current: dict[str, Any] | None = Field(
        default=None,
        description="On a 409 for a week already closed: the cycle that is open now.",
    )


class ErrorBody(Answer):
    error: ErrorDetail


class PageInfo(Answer):
    page: int
    per_page: int
    total: int


# --- areas --------------------------------------------------------------------------


class ProcessPublic(Answer):
    id: int
    name: str


class AreaPublic(Answer):
    id: int
    name: str
    description: str
    rank: int
    active: bool
    processes: list[ProcessPublic]
    version: int = Field(description="Areas are read-only through the API; always 1.")


# --- metrics and readings -----------------------------------------------------------


class MetricBase(SQLModel):
    name: Text(120, required=True)  # type: ignore[valid-type]
    area_id: Id
    stage_id: Id | None = None
    kind: MetricKind
    unit: Text(40) = ""  # type: ignore[valid-type]
    direction: Direction = Direction.higher
    formula: Text(300) = ""  # type: ignore[valid-type]
    description: Text(2000) = ""  # type: ignore[valid-type]
    unit_value: Annotated[float, Field(ge=0, le=MAX_NUMBER, allow_inf_nan=False)] | None = Field(
        default=None, description="What one unit is worth in the team's currency."
    )
    target: Number | None = Field(
        default=None,
        description="The weekly value the metric should reach, in its own terms "
        "(a fraction for a proportion: 0.25 for 25%).",
    )


class MetricCreate(MetricBase, Body):
    pass


class MetricPublic(Answer):
    id: int
    name: str
    area_id: int
    stage_id: int | None
    kind: MetricKind
    unit: str
    direction: Direction
    formula: str
    description: str
    unit_value: float | None
    target: float | None
    version: int
    created_at: datetime


class Figures(SQLModel):
    """One period's or one arm's figures: successes and trials (a proportion metric),
    n, mean and sd (a mean metric), or events and exposure (a rate metric)."""

    successes: Count | None = None
    trials: Count | None = None
    n: Count | None = None
    mean: Number | None = None
    sd: Number | None = None
    events: Count | None = None
    exposure: Number | None = None


class ReadingCreate(Figures, Body):
    period_start: date
    period_end: date
    source_note: Text(300) = ""  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _period_in_order(self) -> ReadingCreate:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start: check the two dates.")
        return self


class ReadingPublic(Answer):
    id: int
    metric_id: int
    period_start: date
    period_end: date
    source_note: str
    successes: int | None
    trials: int | None
    n: int | None
    mean: float | None
    sd: float | None
    events: int | None
    exposure: float | None
    created_at: datetime
    version: int = Field(description="Readings are never edited, only added; always 1.")


class MetricDetail(MetricPublic):
    recent_readings: list[ReadingPublic] = Field(
        description="The newest readings (up to 12), oldest first."
    )


# --- hypotheses ---------------------------------------------------------------------


class HypothesisCreate(Body):
    title: Text(200, required=True)  # type: ignore[valid-type]
    change: Text(5000, required=True)  # type: ignore[valid-type]
    metric_id: Id | None = None
    direction: ExpectedDirection = ExpectedDirection.increase
    expected_effect: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = Field(
        default=None, description="The expected change in percent of the baseline (10 = 10%)."
    )
    rationale: Text(5000) = ""  # type: ignore[valid-type]
    area_id: Id
    process_id: Id | None = None
    scores: dict[str, Number] = Field(
        description="The team's priority model's inputs: impact, confidence and ease "
        "for ICE (each 1 to 10); reach, impact, confidence and effort for RICE; "
        "potential, importance and ease for PIE."
    )
    forecast_win_probability: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = (
        Field(
            default=None,
            description="The scorer's probability (0 to 1) that the experiment will end as a win.",
        )
    )


class HypothesisUpdate(Body):
    version: Annotated[int, Field(ge=1, le=MAX_ID)]
    title: Text(200, required=True) | None = None  # type: ignore[valid-type]
    change: Text(5000, required=True) | None = None  # type: ignore[valid-type]
    metric_id: Id | None = None
    direction: ExpectedDirection | None = None
    expected_effect: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = None
    rationale: Text(5000) | None = None  # type: ignore[valid-type]
    area_id: Id | None = None
    process_id: Id | None = None
    scores: dict[str, Number] | None = None
    status: HypothesisStatus | None = None
    forecast_win_probability: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = (
        Field(
            default=None,
            description="The scorer's probability (0 to 1) that the experiment will end as a win.",
        )
    )


class HypothesisPublic(Answer):
    id: int
    title: str
    change: str
    metric_id: int | None
    direction: ExpectedDirection
    expected_effect: float | None
    rationale: str
    area_id: int
    process_id: int | None
    priority_model: PriorityModel
    scores: dict[str, float]
    score: float
    forecast_win_probability: float | None
    status: HypothesisStatus
    version: int
    created_at: datetime
    updated_at: datetime


# --- experiments --------------------------------------------------------------------


class ArmCreate(Body):
    name: Text(60, required=True)  # type: ignore[valid-type]
    share: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
    is_control: bool = False


class ArmPublic(Answer):
    id: int
    name: str
    share: float
    is_control: bool


class PlannedSampleSize(Answer):
    control: int | None
    variant: int | None
    total: int | None


Probability = Annotated[float, Field(gt=0, lt=1, allow_inf_nan=False)]


class ExperimentCreate(Body):
    hypothesis_id: Id | None = None
    title: Text(200, required=True)  # type: ignore[valid-type]
    owner_email: Text(254) | None = Field(  # type: ignore[valid-type]
        default=None, description="The owner's e-mail; the token's user when left out."
    )
    primary_metric_id: Id
    guardrail_metric_ids: list[Id] = Field(default_factory=list, max_length=20)
    arms: list[ArmCreate] = Field(min_length=2, max_length=8)
    baseline: Number | None = Field(
        default=None, description="Taken from the metric's latest readings when left out."
    )
    baseline_sd: Annotated[float, Field(gt=0, le=MAX_NUMBER, allow_inf_nan=False)] | None = None
    mde: Number = Field(description="The minimum detectable effect; not zero.")
    mde_relative: bool = False
    alpha: Annotated[float, Field(gt=0, lt=0.5, allow_inf_nan=False)] = 0.05
    power: Probability = 0.8
    alternative: Alternative = Alternative.two_sided


class ExperimentUpdate(Body):
    version: Annotated[int, Field(ge=1, le=MAX_ID)]
    reason: Text(1000) = Field(  # type: ignore[valid-type]
        default="", description="Required to change the locked design of a running experiment."
    )
    title: Text(200, required=True) | None = None  # type: ignore[valid-type]
    owner_email: Text(254) | None = None  # type: ignore[valid-type]
    primary_metric_id: Id | None = None
    guardrail_metric_ids: list[Id] | None = Field(default=None, max_length=20)
    arms: list[ArmCreate] | None = Field(default=None, min_length=2, max_length=8)
    baseline: Number | None = None
    baseline_sd: Annotated[float, Field(gt=0, le=MAX_NUMBER, allow_inf_nan=False)] | None = None
    mde: Number | None = None
    mde_relative: bool | None = None
    alpha: Annotated[float, Field(gt=0, lt=0.5, allow_inf_nan=False)] | None = None
    power: Probability | None = None
    alternative: Alternative | None = None


class ExperimentPublic(Answer):
    id: int
    hypothesis_id: int | None
    title: str
    owner_id: int | None
    primary_metric_id: int
    guardrail_metric_ids: list[int]
    arms: list[ArmPublic]
    status: ExperimentStatus
    baseline: float | None
    baseline_sd: float | None
    mde: float | None
    mde_relative: bool
    alpha: float
    power: float
    alternative: Alternative
    planned_sample_size: PlannedSampleSize
    observed_total: float
    started_on: date | None
    stopped_on: date | None
    outcome: Outcome | None
    action: DecisionAction | None
    rationale: str
    decided_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class StatusChange(Body):
    """The body of start and stop: empty, or the version the client read."""

    version: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class DecisionCreate(Body):
    outcome: Outcome
    action: DecisionAction
    rationale: Text(5000, required=True)  # type: ignore[valid-type]
    early_decision_reason: Text(1000) = Field(  # type: ignore[valid-type]
        default="", description="Required before the planned sample size is reached."
    )
    version: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class ArmFigures(Figures, Body):
    pass


class ResultsCreate(Body):
    metric_id: Id
    arms: dict[Text(60, required=True), ArmFigures] = Field(  # type: ignore[valid-type]
        description="Every arm by name, with its cumulative figures for the metric.",
        min_length=1,
        max_length=8,
    )
    note: Text(300) = ""  # type: ignore[valid-type]


class Comparison(Answer):
    p_value: float | None
    adjusted_p_value: float | None
    difference: float | None
    difference_ci: list[float | None] | None = Field(
        description="Lower and upper bound; an infinite bound is null."
    )
    lift: float | None
    lift_ci: list[float | None] | None
    chance_to_beat_control: float | None
    significant: bool
    summary: str


class Caveat(Answer):
    code: str
    message: str


class MetricAnalysis(Answer):
    metric_id: int
    primary: bool
    comparisons: dict[str, Comparison]
    warnings: list[Caveat]


class SrmCheck(Answer):
    p_value: float | None
    mismatch: bool


class AnalysisPublic(Answer):
    experiment_id: int
    result_set_id: int | None
    recorded_at: datetime | None
    metrics: list[MetricAnalysis]
    srm: SrmCheck | None
    preliminary: bool
    version: int = Field(description="The experiment's version.")


# --- cycles and action items --------------------------------------------------------


class ActionCreate(Body):
    title: Text(200, required=True)  # type: ignore[valid-type]
    details: Text(2000) = ""  # type: ignore[valid-type]
    owner_email: Text(254) | None = None  # type: ignore[valid-type]
    due_cycle: Week | None = Field(
        default=None, description="The ISO week it is due, such as 2026-W49; this week if left out."
    )


class ActionUpdate(Body):
    version: Annotated[int, Field(ge=1, le=MAX_ID)]
    status: ActionStatus | None = None
    title: Text(200, required=True) | None = None  # type: ignore[valid-type]
    details: Text(2000) | None = None  # type: ignore[valid-type]
    owner_email: Text(254) | None = None  # type: ignore[valid-type]
    due_cycle: Week | None = None


class ActionPublic(Answer):
    id: int
    title: str
    details: str
    owner_email: str | None
    status: ActionStatus
    cycle: str = Field(description="The cycle it lives in now.")
    first_cycle: str
    due_cycle: str
    carried_count: int
    stuck: bool
    source_kind: SourceKind
    finished_week: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class CyclePublic(Answer):
    id: int
    iso_week: str
    starts_on: date
    phase: Phase
    focus_area_id: int | None
    next_focus_area_id: int | None
    meeting_date: date | None
    attendees: str
    notes: str
    closed_at: datetime | None
    version: int


class CycleDetail(CyclePublic):
    actions: list[ActionPublic] = Field(description="The action items living in this cycle.")


class PhaseChange(Body):
    version: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class CycleClose(Body):
    iso_week: str = Field(
        pattern=r"^[0-9]{4}-W[0-9]{2}$",
        max_length=8,
        description="The week you mean to close (2026-W48): it is closed only if still open.",
    )


class CycleClosed(Answer):
    closed: str
    current: str
    carried: int


# --- learnings ----------------------------------------------------------------------


class LearningCreate(Body):
    text: Text(4000, required=True)  # type: ignore[valid-type]
    area_id: Id | None = None
    tags: list[Text(60, required=True)] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=20
    )
    experiment_ids: list[Id] = Field(default_factory=list, max_length=50)


class LearningPublic(Answer):
    id: int
    text: str
    area_id: int | None
    tags: list[str]
    experiment_ids: list[int]
    version: int
    created_at: datetime
