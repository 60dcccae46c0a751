"""The retrospective's "the loop learns" chapter: forecast calibration over the
report's range and the impact ledger, computed by the very functions the
Insights page and its API call (``calibration_report``, ``impact_ledger``), and
written with the page's roundings (``whole_percent``, three decimals for a Brier
score, two signed for a skill), so the same figures read the same in all three.

The sentences are written here in the report's language; the numbers are never
recomputed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from tracker.metrics.format import whole_percent
from tracker.reports.language import Wording
from tracker.reports.payload import typed
from tracker.reports.ranges import ReportRange
from tracker.reports.wording import isolate

if TYPE_CHECKING:
    from experiments.calibration import RankCorrelation
    from tracker.insights.calibration import CalibrationReport
    from tracker.insights.ledger import ImpactLedger


def signed(value: float | None) -> str:
    """A lift as the Insights page shows it: "+12.3%"."""
    return "—" if value is None else f"{value * 100:+.1f}%"


def money(value: float | None, currency: str = "") -> str:
    """A value as the Insights page shows it: "14,200 USD", "−300 USD"."""
    if value is None:
        return "—"
    sign = "−" if value < 0 else ""
    return f"{sign}{abs(value):,.0f} {currency}".strip()


def brier(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def skill(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def ratio_sentence(ratio: float | None, w: Wording) -> str:
    """How expected lifts compare with measured ones (the Insights page's rule)."""
    if ratio is None:
        return w.gettext(
            "No decided experiment yet has both an expected and a measured lift in the "
            "same direction."
        )
    figure = f"{ratio:.1f}"
    if ratio < 0.9:
        return w.gettext(
            "Your expected lifts run %(ratio)s times the measured ones: the team expects "
            "less than it gets.",
            ratio=figure,
        )
    return w.gettext("Your expected lifts run %(ratio)s times the measured ones.", ratio=figure)


def correlation_sentence(name: str, result: RankCorrelation | None, w: Wording) -> str:
    """What an ICE score's rank correlation with winning says (the page's rule)."""
    from experiments.calibration import MIN_FOR_CORRELATION

    if result is None or result.too_few:
        return w.gettext(
            "Too few decisions to tell how %(score)s relates to winning: %(n)d of the "
            "%(needed)d needed.",
            score=name,
            n=result.n if result else 0,
            needed=MIN_FOR_CORRELATION,
        )
    if result.rho is None or result.interval is None:
        return w.gettext(
            "Every decision had the same %(score)s or the same outcome, so nothing can be told.",
            score=name,
        )
    low, high = result.interval
    figures = isolate(
        w.gettext(
            "(rank correlation %(rho)s, 95%% CI %(low)s to %(high)s)",
            rho=f"{result.rho:+.2f}",
            low=f"{low:+.2f}",
            high=f"{high:+.2f}",
        )
    )
    if result.clear and result.rho > 0:
        return w.gettext(
            "Higher %(score)s scores went with more wins %(figures)s.", score=name, figures=figures
        )
    if result.clear:
        return w.gettext(
            "Higher %(score)s scores went with fewer wins %(figures)s: rethink how it is scored.",
            score=name,
            figures=figures,
        )
    return w.gettext(
        "No clear relation between %(score)s and winning %(figures)s.", score=name, figures=figures
    )


def _calibration(report: CalibrationReport, w: Wording) -> dict[str, Any]:
    return {
        "n": report.n,
        "decided": report.decided,
        "brier": brier(report.brier),
        "reference": brier(report.reference_brier),
        "skill": skill(report.skill),
        "base_rate": whole_percent(report.base_rate),
        "base_rate_text": w.gettext(
            "the team's win rate, %(rate)s, every time", rate=whole_percent(report.base_rate)
        ),
        "forecasts_text": w.gettext("of %(decided)d decided in the range", decided=report.decided),
        "bins": [
            {
                "range": f"{whole_percent(b.low)}–{whole_percent(b.high)}",
                "n": b.n,
                "won": b.won,
                "share": whole_percent(b.share_won) if b.n else "—",
                "interval": (
                    w.gettext(
                        "%(low)s to %(high)s",
                        low=whole_percent(b.interval[0]),
                        high=whole_percent(b.interval[1]),
                    )
                    if b.n
                    else ""
                ),
                # the chart: where the bin's point and its Wilson interval sit, 0 to 1
                "x": (b.low + b.high) / 2,
                "y": b.share_won,
                "y_low": b.interval[0],
                "y_high": b.interval[1],
            }
            for b in report.bins
        ],
        "scorers": [{"email": s.email, "brier": brier(s.brier), "n": s.n} for s in report.scorers],
        "ratio": "—" if report.lift_ratio_median is None else f"{report.lift_ratio_median:.1f}",
        "ratio_text": ratio_sentence(report.lift_ratio_median, w),
        "impact_text": correlation_sentence(w.gettext("Impact"), report.impact, w),
        "confidence_text": correlation_sentence(w.gettext("Confidence"), report.confidence, w),
    }


def _persistence(value: str, w: Wording) -> str:
    return {
        "held": w.gettext("held"),
        "faded": w.gettext("faded"),
    }.get(value, w.gettext("too early to tell"))


def _ledger(ledger: ImpactLedger, w: Wording) -> dict[str, Any]:
    currency = ledger.currency
    total = ledger.total
    total_text = (
        w.gettext(
            "The shipped winners are worth %(total)s a year (95%% interval %(interval)s), "
            "after shrinking each lift for the winner's curse.",
            total=isolate(money(total.value, currency)),
            interval=isolate(
                w.gettext(
                    "%(low)s to %(high)s",
                    low=money(total.interval[0], currency),
                    high=money(total.interval[1], currency),
                )
            ),
        )
        if total
        else w.gettext("No shipped winner has a value yet: give its metric a unit value.")
    )
    return {
        "currency": currency,
        "total_text": total_text,
        "total": money(total.value, currency) if total else "",
        "total_interval": (
            w.gettext(
                "%(low)s to %(high)s",
                low=money(total.interval[0], currency),
                high=money(total.interval[1], currency),
            )
            if total
            else ""
        ),
        "excluded": w.ngettext(
            "%(num)d shipped winner left out: a sample-ratio mismatch means the result "
            "cannot be trusted.",
            "%(num)d shipped winners left out: a sample-ratio mismatch means the result "
            "cannot be trusted.",
            ledger.srm_excluded,
        )
        if ledger.srm_excluded
        else "",
        "lines": [
            {
                "title": typed(line.decided.experiment.title),
                "metric": typed(line.decided.metric.name),
                "shipped": w.day(
                    line.decided.experiment.decided_at.date()
                    if line.decided.experiment.decided_at
                    else None
                ),
                "lift": signed(line.decided.lift),
                "shrunk": signed(line.shrunk.lift) if line.shrunk else "—",
                "shrunk_interval": (
                    w.gettext(
                        "%(low)s to %(high)s",
                        low=signed(line.shrunk.interval[0]),
                        high=signed(line.shrunk.interval[1]),
                    )
                    if line.shrunk
                    else ""
                ),
                "value": money(line.value.value, currency) if line.value else "",
                "value_interval": (
                    w.gettext(
                        "%(low)s to %(high)s",
                        low=money(line.value.interval[0]),
                        high=money(line.value.interval[1]),
                    )
                    if line.value
                    else ""
                ),
                "no_unit_value": line.value is None and line.decided.metric.unit_value is None,
                "persistence": line.persistence.name,
                "persistence_text": _persistence(line.persistence.value, w),
            }
            for line in ledger.lines
        ],
    }


def loop_chapter(session: Session, span: ReportRange, w: Wording) -> dict[str, Any]:
    """The chapter's data: calibration over ``span``, the ledger to date."""
    # the ledger's persistence test loads the statistics core (scipy): only here
    from tracker.insights.calibration import calibration_report
    from tracker.insights.ledger import impact_ledger

    report = calibration_report(session=session, first=span.first, last=span.last)
    return {
        "calibration": _calibration(report, w),
        "ledger": _ledger(impact_ledger(session=session), w),
    }
