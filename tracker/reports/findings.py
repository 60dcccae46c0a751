"""The cover's three plain sentences: what the experiments showed, what the team
learned, what comes next, in the report's language. Text a person typed (titles,
learnings, area names) is set between Unicode isolates, so that it keeps its own
direction inside the sentence: an Arabic title reads right to left inside an
English sentence, an English one left to right inside an Arabic sentence."""

from __future__ import annotations

from tracker.reports.language import ENGLISH, Wording
from tracker.reports.records import ExperimentSection, Retro
from tracker.reports.wording import isolate, percent


def _best_win(decided: list[ExperimentSection]) -> ExperimentSection | None:
    wins = [s for s in decided if s.outcome == "won" and s.trustworthy and s.lift is not None]
    if not wins:
        return None
    if all(s.direction == "higher" for s in wins):
        return max(wins, key=lambda s: s.lift or 0.0)
    return max(wins, key=lambda s: abs(s.lift or 0.0))


def _results(retro: Retro, w: Wording) -> str:
    s = retro.summary
    if not s.decided:
        return w.ngettext(
            "No experiment was decided in %(range)s; %(num)d experiment still running.",
            "No experiment was decided in %(range)s; %(num)d experiments still running.",
            s.running,
            range=isolate(retro.range.label),
        )
    sentence = w.ngettext(
        "Of %(num)d experiment decided, %(won)d won, %(lost)d lost and %(inconclusive)d "
        "were inconclusive (win rate %(rate)s)",
        "Of %(num)d experiments decided, %(won)d won, %(lost)d lost and %(inconclusive)d "
        "were inconclusive (win rate %(rate)s)",
        s.decided,
        won=s.won,
        lost=s.lost,
        inconclusive=s.inconclusive,
        rate=s.win_rate,
    )
    best = _best_win(retro.decided)
    if best is not None:
        sentence += w.gettext(
            "; the largest gain was %(title)s, %(lift)s on %(metric)s",
            title=isolate(best.title),
            lift=percent(best.lift),
            metric=isolate(best.metric),
        )
    if s.untrustworthy:
        sentence += w.ngettext(
            "; %(num)d decided result is not trustworthy (a sample-ratio mismatch) and "
            "never counted as a win",
            "; %(num)d decided results are not trustworthy (a sample-ratio mismatch) and "
            "never counted as a win",
            s.untrustworthy,
        )
    return sentence + w.gettext(".")


def _lesson(retro: Retro, w: Wording) -> str:
    if not retro.learnings:
        return w.gettext(
            "No learning was recorded in the range: the next review should write one down."
        )
    first = isolate(retro.learnings[0].text.strip().rstrip("."))
    more = len(retro.learnings) - 1
    if not more:
        return w.gettext("What we learned: %(learning)s.", learning=first)
    return w.ngettext(
        "What we learned: %(learning)s (%(num)d more learning inside).",
        "What we learned: %(learning)s (%(num)d more learnings inside).",
        more,
        learning=first,
    )


def _next(retro: Retro, w: Wording) -> str:
    upcoming = retro.next
    week = upcoming.week  # the template keeps an ISO week in one left-to-right run
    if upcoming.focus:
        sentence = w.gettext(
            "Next, cycle %(week)s focuses on %(area)s", week=week, area=isolate(upcoming.focus)
        )
    else:
        sentence = w.gettext("Next, cycle %(week)s has a focus area still to choose", week=week)
    if upcoming.hypotheses:
        sentence += w.ngettext(
            " with %(num)d hypothesis selected, first %(title)s",
            " with %(num)d hypotheses selected, first %(title)s",
            len(upcoming.hypotheses),
            title=isolate(upcoming.hypotheses[0]["title"]),
        )
    stuck = retro.summary.actions_stuck
    if stuck:
        sentence += w.ngettext(
            "; %(num)d action item is stuck", "; %(num)d action items are stuck", stuck
        )
    return sentence + w.gettext(".")


def findings(retro: Retro, wording: Wording = ENGLISH) -> list[str]:
    """Three sentences for the cover: results, the lesson, what comes next."""
    return [_results(retro, wording), _lesson(retro, wording), _next(retro, wording)]
