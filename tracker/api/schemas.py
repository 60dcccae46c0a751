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
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, model_validator
from sqlmodel import SQLModel

from experiments.cycles import ActionStatus, Phase
from experiments.verdict import VerdictCode
from tracker.figures import MAX_COUNT
from tracker.models import (
    ActionItem,
    Alternative,
    DecisionAction,
    Direction,
    ExpectedDirection,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    HypothesisStatus,
    Learning,
    MetricKind,
    Outcome,
    PriorityModel,
    SourceKind,
)
from tracker.models.limits import max_length
from tracker.parsing import MAX_ID
from tracker.translation import _

MAX_NUMBER = 1e15
NO_NUL = "^[^\\u0000]*$"
WEEK_PATTERN = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"  # an ISO week, 2026-W49
MAX_READINGS = 10_000


def _plain_text(value: str) -> str:
    """Refuse characters no database column can hold (NUL, lone surrogates)."""
    if "\x00" in value:
        raise ValueError(_("Remove the NUL character."))
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError(_("Remove the unpaired surrogate character."))
    return value


def Text(max_length: int, *, required: bool = False) -> Any:
    """A trimmed string of at most ``max_length`` characters (at least one if required)."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1 if required else 0, max_length=max_length
        ),
        AfterValidator(_plain_text),
        # what _plain_text refuses, said in the document too
        Field(json_schema_extra={"pattern": NO_NUL}),
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Number = Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False)]
Week = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=WEEK_PATTERN),
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


# A list of readings saved all or none: at least one, at most MAX_READINGS.
ReadingBatch = Annotated[list[ReadingCreate], Field(min_length=1, max_length=MAX_READINGS)]


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
    change: Text(max_length(Hypothesis, "change"), required=True)  # type: ignore[valid-type]
    metric_id: Id | None = None
    direction: ExpectedDirection = ExpectedDirection.increase
    expected_effect: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = Field(
        default=None, description="The expected change in percent of the baseline (10 = 10%)."
    )
    rationale: Text(max_length(Hypothesis, "rationale")) = ""  # type: ignore[valid-type]
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
    title: Text(200, required=True) = None  # type: ignore[valid-type]
    change: Text(max_length(Hypothesis, "change"), required=True) = None  # type: ignore[valid-type]
    metric_id: Id | None = None
    direction: ExpectedDirection = None  # type: ignore[assignment]
    expected_effect: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = None
    rationale: Text(max_length(Hypothesis, "rationale")) | None = None  # type: ignore[valid-type]
    area_id: Id = None  # type: ignore[assignment]
    process_id: Id | None = None
    scores: dict[str, Number] = None  # type: ignore[assignment]
    status: HypothesisStatus = None  # type: ignore[assignment]
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
    total: int | None = Field(description="For weekly looks, the design's maximum.")
    fixed_total: int | None = Field(
        default=None, description="What one look at the planned size would need."
    )


DesignKindName = Literal["group_sequential", "fixed", "always_valid"]
SpendingName = Literal["obrien-fleming", "pocock"]


class DesignCreate(Body):
    """How the experiment will be looked at; weekly looks unless said otherwise."""

    kind: DesignKindName = Field(
        default="group_sequential",
        description="group_sequential: a look at every weekly review, held to a"
        " Lan-DeMets boundary; fixed: one look at the planned size; always_valid: any"
        " time, with GrowthBook's confidence sequence.",
    )
    spending: SpendingName = Field(
        default="obrien-fleming", description="The spending function of weekly looks."
    )
    planned_looks: Annotated[int, Field(ge=2, le=20)] = Field(
        default=5, description="The weekly looks planned (group_sequential only)."
    )


class DesignPublic(Answer):
    kind: DesignKindName
    spending: SpendingName
    planned_looks: int


class LookPublic(Answer):
    number: int = Field(description="1 for the first look; a look with no new data keeps it.")
    information: float = Field(description="The observed size over the planned maximum.")
    critical_z: float | None = Field(description="The |z| this look had to reach to stop.")
    nominal_alpha: float = Field(description="The level the look was tested at.")


class VerdictPublic(Answer):
    code: VerdictCode  # the core's list, stated once
    sentence: str


class ConditionalPowerPublic(Answer):
    current_trend: float = Field(description="If the effect is what the data estimate now.")
    planned_effect: float = Field(description="If the planned effect is real.")


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
    design: DesignCreate = Field(default_factory=DesignCreate)


class ExperimentUpdate(Body):
    version: Annotated[int, Field(ge=1, le=MAX_ID)]
    reason: Text(1000) = Field(  # type: ignore[valid-type]
        default="", description="Required to change the locked design of a running experiment."
    )
    title: Text(200, required=True) = None  # type: ignore[valid-type]
    owner_email: Text(254) | None = None  # type: ignore[valid-type]
    primary_metric_id: Id = None  # type: ignore[assignment]
    guardrail_metric_ids: list[Id] | None = Field(default=None, max_length=20)
    arms: list[ArmCreate] = Field(default=None, min_length=2, max_length=8)  # type: ignore[arg-type]
    baseline: Number | None = None
    baseline_sd: Annotated[float, Field(gt=0, le=MAX_NUMBER, allow_inf_nan=False)] | None = None
    mde: Number = None  # type: ignore[assignment]
    mde_relative: bool | None = None
    alpha: Annotated[float, Field(gt=0, lt=0.5, allow_inf_nan=False)] = None  # type: ignore[assignment]
    power: Probability = None  # type: ignore[assignment]
    alternative: Alternative = None  # type: ignore[assignment]
    design: DesignCreate | None = None


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
    design: DesignPublic
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
    rationale: Text(max_length(Experiment, "rationale"), required=True)  # type: ignore[valid-type]
    early_decision_reason: Text(1000) = Field(  # type: ignore[valid-type]
        default="",
        description="Required before the planned sample size is reached, unless the latest"
        " look crossed its boundary.",
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
    significant: bool = Field(description="Whether it crossed the look's boundary.")
    summary: str
    conditional_power: ConditionalPowerPublic | None = Field(
        default=None, description="The chance of ending significant at the maximum."
    )


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
    design: DesignPublic
    look: LookPublic | None = Field(description="The look the latest results made.")
    verdict: VerdictPublic | None = Field(description="What the look means for the decision.")
    version: int = Field(description="The experiment's version.")


# --- cycles and action items --------------------------------------------------------


class ActionCreate(Body):
    title: Text(200, required=True)  # type: ignore[valid-type]
    details: Text(max_length(ActionItem, "details")) = ""  # type: ignore[valid-type]
    owner_email: Text(254) | None = None  # type: ignore[valid-type]
    due_cycle: Week | None = Field(
        default=None, description="The ISO week it is due, such as 2026-W49; this week if left out."
    )


class ActionUpdate(Body):
    version: Annotated[int, Field(ge=1, le=MAX_ID)]
    status: ActionStatus = None  # type: ignore[assignment]
    title: Text(200, required=True) = None  # type: ignore[valid-type]
    details: Text(max_length(ActionItem, "details")) | None = None  # type: ignore[valid-type]
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
    text: Text(max_length(Learning, "text"), required=True)  # type: ignore[valid-type]
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
