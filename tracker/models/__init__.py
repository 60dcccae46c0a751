"""The SQLModel tables. Importing this package registers every table on
``SQLModel.metadata``, which Alembic compares against the migrations."""

from tracker.models.catalogue import Area, PriorityModel, Process, Stage, TeamSettings
from tracker.models.changelog import Change
from tracker.models.cycle import ActionItem, Cycle, ReviewRecord, SourceKind
from tracker.models.experiment import (
    Alternative,
    Analysis,
    Arm,
    DecisionAction,
    Experiment,
    ExperimentStatus,
    Guardrail,
    Outcome,
    ResultSet,
    ResultSnapshot,
)
from tracker.models.hypothesis import ExpectedDirection, Hypothesis, HypothesisStatus
from tracker.models.learning import Learning, LearningExperiment
from tracker.models.metric import Direction, Metric, MetricKind, Reading, SufficientStatistics
from tracker.models.sign_in import SignIn
from tracker.models.notify import (  # noqa: F401  (notifications and sharing)
    MailPreference,
    MailSent,
    ShareLink,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tracker.models.token import ApiToken
from tracker.models.user import Role, User, normalise_email

__all__ = [
    "ActionItem",
    "Alternative",
    "Analysis",
    "ApiToken",
    "Area",
    "Arm",
    "Change",
    "Cycle",
    "DecisionAction",
    "Direction",
    "ExpectedDirection",
    "Experiment",
    "ExperimentStatus",
    "Guardrail",
    "Hypothesis",
    "HypothesisStatus",
    "Learning",
    "LearningExperiment",
    "Metric",
    "MetricKind",
    "Outcome",
    "PriorityModel",
    "Process",
    "Reading",
    "ResultSet",
    "ResultSnapshot",
    "ReviewRecord",
    "Role",
    "SignIn",
    "SourceKind",
    "Stage",
    "SufficientStatistics",
    "TeamSettings",
    "User",
    "normalise_email",
]
