"""The cover's three plain sentences: what the experiments showed, what the team
learned, what comes next. Text a person typed (titles, learnings, area names)
is set between Unicode isolates, so that it keeps its own direction inside the
sentence: an Arabic title reads right to left inside an English one."""

from __future__ import annotations

from tracker.reports.records import ExperimentSection, Retro
from tracker.reports.wording import percent, plural

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def isolate(text: str) -> str:
    """``text`` laid out in the direction of its first strong letter."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def _best_win(decided: list[ExperimentSection]) -> ExperimentSection | None:
    wins = [s for s in decided if s.outcome == "won" and s.trustworthy and s.lift is not None]
    if not wins:
        return None
    if all(s.direction == "higher" for s in wins):
        return max(wins, key=lambda s: s.lift or 0.0)
    return max(wins, key=lambda s: abs(s.lift or 0.0))


def _results(retro: Retro) -> str:
    s = retro.summary
    if not s.decided:
        running = plural(s.running, "experiment")
        return f"No experiment was decided in {retro.range.label}; {running} still running."
    sentence = (
        f"Of {plural(s.decided, 'experiment')} decided, {s.won} won, {s.lost} lost and "
        f"{s.inconclusive} were inconclusive (win rate {s.win_rate})"
    )
    best = _best_win(retro.decided)
    if best is not None:
        sentence += (
            f"; the largest gain was {isolate(best.title)}, {percent(best.lift)} "
            f"on {isolate(best.metric)}"
        )
    if s.untrustworthy:
        sentence += (
            f"; {plural(s.untrustworthy, 'decided result')} "
            f"{'is' if s.untrustworthy == 1 else 'are'} not trustworthy "
            "(a sample-ratio mismatch) and never counted as a win"
        )
    return sentence + "."


def _lesson(retro: Retro) -> str:
    if not retro.learnings:
        return "No learning was recorded in the range: the next review should write one down."
    first = retro.learnings[0]
    more = len(retro.learnings) - 1
    tail = f" ({plural(more, 'more learning')} inside)" if more else ""
    return f"What we learned: {isolate(first.text.strip().rstrip('.'))}{tail}."


def _next(retro: Retro) -> str:
    upcoming = retro.next
    focus = isolate(upcoming.focus) if upcoming.focus else "an area still to choose"
    sentence = f"Next, cycle {upcoming.week} focuses on {focus}"
    if upcoming.hypotheses:
        selected = plural(len(upcoming.hypotheses), "hypothesis", "hypotheses")
        sentence += f" with {selected} selected, first {isolate(upcoming.hypotheses[0]['title'])}"
    stuck = retro.summary.actions_stuck
    if stuck:
        sentence += f"; {plural(stuck, 'action item')} {'is' if stuck == 1 else 'are'} stuck"
    return sentence + "."


def findings(retro: Retro) -> list[str]:
    """Three sentences for the cover: results, the lesson, what comes next."""
    return [_results(retro), _lesson(retro), _next(retro)]
