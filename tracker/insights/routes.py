"""The Insights page: how good the team's forecasts are, and what its shipped
winners are worth, over a chosen range of weeks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from experiments.calibration import CalibrationBin
from experiments.cycles import IsoWeek
from tracker.charts.base import inline
from tracker.cycles.service import current_cycle, team_today
from tracker.database import get_session
from tracker.experiments.stages import stage_of
from tracker.i18n import current_language
from tracker.insights.calibration import LiftPair, calibration_report
from tracker.insights.ledger import impact_ledger
from tracker.insights.sentences import calibration_line, correlation_sentence, ratio_sentence
from tracker.metrics.format import whole_percent
from tracker.translation import _

bp = Blueprint("insights", __name__, url_prefix="/insights")
DEFAULT_WEEKS = 52
# hypotheses and experiments show their primary metric's buyer-journey stage
bp.add_app_template_global(stage_of, "stage_of")


@bp.app_template_filter("percent")
def percent_filter(share: float | None) -> str:
    return whole_percent(share)


@bp.app_template_filter("money")
def money_filter(value: float | None, currency: str = "") -> str:
    if value is None:
        return "—"
    sign = "−" if value < 0 else ""
    return f"{sign}{abs(value):,.0f} {currency}".strip()


@dataclass(frozen=True)
class WeekRange:
    """The weeks asked for, with a message per field that could not be read."""

    first: IsoWeek
    last: IsoWeek
    errors: dict[str, str]


def week_range(args: dict[str, str], *, current: IsoWeek) -> WeekRange:
    """``from`` and ``to`` as ISO weeks; a bad one falls back to the default and
    says so beside its field.

    >>> r = week_range({"from": "2026-W10", "to": "nonsense"}, current=IsoWeek(2026, 48))
    >>> str(r.first), str(r.last), sorted(r.errors)
    ('2026-W10', '2026-W48', ['to'])
    """
    errors: dict[str, str] = {}
    last = _week(args.get("to"), current, "to", errors)
    default_first = last
    for _week_back in range(DEFAULT_WEEKS - 1):
        default_first = default_first.previous()
    first = _week(args.get("from"), default_first, "from", errors)
    if first > last:
        errors["from"] = _("The range starts after it ends: choose a first week before the last.")
        first = default_first
    return WeekRange(first=first, last=last, errors=errors)


def _week(text: str | None, default: IsoWeek, name: str, errors: dict[str, str]) -> IsoWeek:
    if not text or not text.strip():
        return default
    try:
        return IsoWeek.parse(text)
    except ValueError:
        errors[name] = _("Write the week like 2026-W27, not “%(typed)s”.", typed=text[:20])
        return default


@lru_cache(maxsize=64)
def _drawn(
    language: str, bins: tuple[CalibrationBin, ...], pairs: tuple[LiftPair, ...]
) -> tuple[Markup, Markup]:
    """The two charts, drawn once for a language and the figures they show:
    matplotlib takes a tenth of a second for both, and the figures change only
    when an experiment is decided or the range is changed."""
    from tracker.insights.charts import calibration_chart, lift_pairs_chart

    return inline(calibration_chart(bins)), inline(lift_pairs_chart(pairs))


def charts(bins: Sequence[CalibrationBin], pairs: Sequence[LiftPair]) -> tuple[Markup, Markup]:
    """The calibration chart and the expected-against-measured chart, in the
    reader's language."""
    return _drawn(current_language(), tuple(bins), tuple(pairs))


@bp.get("/")
def index() -> ResponseReturnValue:
    session = get_session()
    cycle = current_cycle(session=session, today=team_today(session))
    weeks = week_range(request.args.to_dict(), current=IsoWeek.parse(cycle.iso_week))
    report = calibration_report(session=session, first=weeks.first, last=weeks.last)
    ledger = impact_ledger(session=session)
    calibration_svg, lifts_svg = charts(report.bins, report.lift_pairs)
    return render_template(
        "insights/index.html",
        weeks=weeks,
        report=report,
        ledger=ledger,
        calibration_svg=calibration_svg,
        lifts_svg=lifts_svg,
        ratio_text=ratio_sentence(report.lift_ratio_median),
        impact_text=correlation_sentence(_("Impact"), report.impact),
        confidence_text=correlation_sentence(_("Confidence"), report.confidence),
        summary=calibration_line(report),
    )
