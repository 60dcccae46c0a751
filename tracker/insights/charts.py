"""The Insights page's pictures: the calibration chart (forecast against the
share that won, with Wilson intervals and the diagonal) and expected against
measured lift. Matplotlib SVG, inline; the retrospective can embed them too."""

from __future__ import annotations

from collections.abc import Sequence

from experiments.calibration import CalibrationBin
from tracker.charts.base import BRAND, MUTED, NEUTRAL, figure, to_svg
from tracker.insights.calibration import LiftPair
from tracker.translation import _

# Square plots drawn small enough that a phone's column (about 310 CSS px) shows
# their 9-point words at 12 px; the page caps them at 25rem on a wide screen
# (static/css/insights.css), where the words come out at about 15 px.
SIZE = (3.9, 3.05)


def describe_calibration(bins: Sequence[CalibrationBin]) -> str:
    """The calibration chart in words, for its alternative text."""
    parts = [
        _(
            "forecasts %(low)s to %(high)s: %(won)s of %(n)s won",
            low=f"{b.low:.0%}",
            high=f"{b.high:.0%}",
            won=b.won,
            n=b.n,
        )
        for b in bins
        if b.n
    ]
    if not parts:
        return _("Calibration chart: no decided forecasts yet.")
    return _("Calibration chart. %(parts)s.", parts="; ".join(parts))


def calibration_chart(bins: Sequence[CalibrationBin]) -> str:
    """Each bin's share won at its mean forecast, with its 95% Wilson interval;
    a dashed diagonal where a calibrated team's points would fall."""
    with figure(*SIZE) as fig:
        ax = fig.add_subplot(1, 1, 1)
        ax.plot([0, 1], [0, 1], linestyle="--", color=NEUTRAL, linewidth=1, label=_("Calibrated"))
        filled = [b for b in bins if b.n and b.share_won is not None]
        for b in filled:
            x = b.mean_forecast if b.mean_forecast is not None else (b.low + b.high) / 2
            share = b.share_won or 0.0
            ax.errorbar(
                [x],
                [share],
                yerr=[[share - b.interval[0]], [b.interval[1] - share]],
                fmt="o",
                color=BRAND,
                ecolor=BRAND,
                elinewidth=1.2,
                capsize=3,
                markersize=4 + min(b.n, 20) * 0.5,
            )
            ax.annotate(
                f"n={b.n}",
                (x, share),
                textcoords="offset points",
                xytext=(7, -3),
                color=MUTED,
            )
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ticks = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
        ax.set_xticks(ticks, [f"{t:.0%}" for t in ticks])
        ax.set_yticks(ticks, [f"{t:.0%}" for t in ticks])
        ax.set_xlabel(_("Forecast chance of a win"))
        ax.set_ylabel(_("Share that won"))
        ax.set_aspect("equal")
        return to_svg(fig, describe_calibration(bins))


def lift_pairs_chart(pairs: Sequence[LiftPair]) -> str:
    """Expected against measured relative lift, one point per decided experiment,
    with the diagonal where expectation met the measure."""
    with figure(*SIZE) as fig:
        ax = fig.add_subplot(1, 1, 1)
        values = [abs(v) for p in pairs for v in (p.expected, p.measured)] + [0.1]
        limit = min(max(values) * 1.15, 5.0)
        ax.plot([-limit, limit], [-limit, limit], linestyle="--", color=NEUTRAL, linewidth=1)
        ax.axhline(0, color=MUTED, linewidth=0.6)
        ax.axvline(0, color=MUTED, linewidth=0.6)
        ax.scatter(
            [p.expected for p in pairs], [p.measured for p in pairs], color=BRAND, s=28, zorder=3
        )
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-limit, limit)
        ax.set_xlabel(_("Expected lift"))
        ax.set_ylabel(_("Measured lift"))
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:+.0%}")
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:+.0%}")
        ax.set_aspect("equal")
        parts = "; ".join(
            _(
                "%(title)s: expected %(expected)s, measured %(measured)s",
                title=p.title,
                expected=f"{p.expected:+.0%}",
                measured=f"{p.measured:+.1%}",
            )
            for p in pairs
        )
        alt = _("Expected against measured lift. %(parts)s.", parts=parts) if pairs else ""
        return to_svg(
            fig, alt or _("Expected against measured lift: no decided experiment with both.")
        )
