"""The retrospective as the JSON the Typst template reads (templates/reports/retro.typ).

Every text a person typed becomes ``{"text": ..., "dir": "ltr" | "rtl"}``: the
template prints it as text, never as markup, in the direction of its first
strong letter. The sparklines are SVG text without any text of their own; the forest plot is
drawn by the template from positions (forest.py).
"""

from __future__ import annotations

from typing import Any

from tracker.backlog.statement import is_right_to_left
from tracker.reports.language import Wording
from tracker.reports.records import ExperimentSection, Retro
from tracker.reports.wording import percent
from tracker.reports.words import words_for

CHAPTERS = (
    "summary",
    "decided",
    "experiments",
    "metrics",
    "actions",
    "learnings",
    "loop",
    "next",
)
OUTCOMES = {"won": "won", "lost": "lost", "inconclusive": "inconclusive"}
GUARDRAIL_VERDICTS = {
    "worse": "guard_worse",
    "better": "guard_better",
    "held": "guard_held",
    "no data": "guard_no_data",
}
ACTIONS = {"ship": "ship", "iterate": "iterate", "abandon": "abandon"}
STATUSES = {"running": "status_running", "stopped": "status_stopped", "decided": "status_decided"}


def text_direction(text: str | None) -> str:
    """ "rtl" when the first letter with a direction is right-to-left (Arabic,
    Hebrew...), else "ltr": the rule of ``dir="auto"``.

    >>> text_direction("خفض زمن الرد"), text_direction("Win rate (نسبة الفوز)")
    ('rtl', 'ltr')
    """
    return "rtl" if is_right_to_left(text or "") else "ltr"


def typed(text: str | None) -> dict[str, str]:
    """A text a person typed, with its own direction."""
    return {"text": text or "", "dir": text_direction(text)}


def _chapters(retro: Retro, words: dict[str, str]) -> list[dict[str, str]]:
    present = {
        "summary": True,
        "decided": bool(retro.decided),
        "experiments": bool(retro.experiments),
        "metrics": bool(retro.stages),
        "actions": bool(retro.actions),
        "learnings": bool(retro.learnings),
        # shown once there is something to learn from: a decision in the range, a winner
        "loop": bool(retro.loop)
        and bool(retro.loop["calibration"]["decided"] or retro.loop["ledger"]["lines"]),
        "next": True,
    }
    shown = [anchor for anchor in CHAPTERS if present[anchor]]
    title = {"learnings": "learnings_title"}
    return [
        {
            "anchor": anchor,
            "title": words[title.get(anchor, anchor)],
            "eyebrow": f"{number} · {words[anchor + '_eyebrow']}",
        }
        for number, anchor in enumerate(shown, start=1)
    ]


def _statement(parts: list[tuple[str, bool]]) -> dict[str, Any] | None:
    if not parts:
        return None
    # the sentence's own direction is its connectives' ("If we" or "إذا"), so an
    # English change inside an Arabic sentence keeps the sentence right to left
    fixed = next((t for t, is_typed in parts if not is_typed and any(c.isalpha() for c in t)), "")
    first_typed = next((text for text, is_typed in parts if is_typed), "")
    return {
        "dir": text_direction(fixed or first_typed),
        "parts": [typed(text) if is_typed else text for text, is_typed in parts],
    }


def _short(title: str, length: int = 40) -> str:
    """A title cut to one line of the forest plot (the table gives it in full)."""
    title = " ".join(title.split())
    return title if len(title) <= length else title[: length - 1].rstrip() + "…"


def _better(direction: str, words: dict[str, str]) -> str:
    return words["higher_better"] if direction == "higher" else words["lower_better"]


def _experiment(e: ExperimentSection, words: dict[str, str], w: Wording) -> dict[str, Any]:
    dates = w.gettext("started %(day)s", day=e.started_on or "—")
    if e.decided_on:
        dates += " · " + w.gettext("decided %(day)s", day=e.decided_on)
    if e.days is not None:
        dates += " · " + w.ngettext("%(num)d day", "%(num)d days", e.days)
    outcome = words.get(OUTCOMES.get(e.outcome, ""), e.outcome)
    action = words.get(ACTIONS.get(e.action, ""), e.action)
    return {
        "number": e.number,
        "anchor": e.anchor,
        "title": typed(e.title),
        "short_title": typed(_short(e.title)),
        "metric": typed(e.metric),
        "area": typed(e.area),
        "owner": typed(e.owner),
        "direction": e.direction,
        "direction_text": _better(e.direction, words),
        "outcome": e.outcome,
        "outcome_text": outcome,
        "state_text": outcome or words.get(STATUSES.get(e.status, ""), e.status),
        "action_text": action or "—",
        "lift_text": percent(e.lift),
        "days_text": "—" if e.days is None else str(e.days),
        "dates_text": dates,
        "trustworthy": e.trustworthy,
        "trust_note": e.trust_note,
        "hypothesis_title": typed(e.hypothesis_title)
        if e.hypothesis_title and e.hypothesis_title != e.title
        else None,
        "hypothesis": _statement(e.hypothesis),
        "design": [[label, value] for label, value in e.design],
        "results": [
            {
                "arm": typed(r.arm),
                "is_control": r.is_control,
                "size": r.size,
                "value": r.value,
                "lift": r.lift,
                "interval": r.interval,
                "p_value": r.p_value,
                "chance": r.chance,
                "tone": r.tone,
            }
            for r in e.results
        ],
        "results_note": e.results_note,
        "guardrails": [
            {
                "metric": typed(g.metric),
                "direction_text": _better(g.direction, words),
                "verdict_text": words[GUARDRAIL_VERDICTS.get(g.verdict, "guard_no_data")],
                "tone": g.tone,
                "lift": g.lift,
                "interval": g.interval,
            }
            for g in e.guardrails
        ],
        "verdict": e.verdict,
        "preliminary": e.preliminary,
        "warnings": e.warnings,
        "decision_text": outcome[:1].upper() + outcome[1:] + (f" · {action}" if action else ""),
        "rationale": typed(e.rationale),
        "early_reason": typed(e.early_reason),
        "learnings": [{"text": typed(learning.text)} for learning in e.learnings],
    }


def _summary(retro: Retro, w: Wording) -> dict[str, Any]:
    s = retro.summary
    lead = " ".join(
        (
            w.ngettext(
                "Over %(num)d week (%(cycles)s recorded)",
                "Over %(num)d weeks (%(cycles)s recorded)",
                s.weeks,
                cycles=w.ngettext("%(num)d cycle", "%(num)d cycles", s.cycles),
            ),
            w.ngettext(
                "the team started %(num)d experiment",
                "the team started %(num)d experiments",
                s.started,
            ),
            w.gettext(
                "and decided %(decided)d: %(won)d won, %(lost)d lost and %(inconclusive)d "
                "inconclusive.",
                decided=s.decided,
                won=s.won,
                lost=s.lost,
                inconclusive=s.inconclusive,
            ),
        )
    )
    on_time = f"{s.actions_on_time} / {s.actions_due}" if s.actions_due else "—"
    if s.actions_due:
        on_time += f" ({s.on_time_rate})"
    return {
        **{key: value for key, value in vars(s).items() if key != "focus_areas"},
        "focus_areas": [
            {
                "area": typed(f.area),
                "weeks_text": w.ngettext("%(num)d cycle", "%(num)d cycles", f.weeks),
            }
            for f in s.focus_areas
        ],
        "on_time_text": on_time,
        "lead": typed(lead),
    }


def payload(
    retro: Retro,
    *,
    paper: str,
    wording: Wording,
    direction: str,
) -> dict[str, Any]:
    """The data of the template, every fixed text in ``wording``'s language."""
    w = wording
    words = words_for(w)
    span = retro.range
    clipped = (
        w.gettext(
            "The range asked for runs to %(asked)s; it stops at the current week, %(last)s.",
            asked=span.asked_last,
            last=span.last,
        )
        if span.clipped
        else ""
    )
    dates = w.days(span.starts_on, span.ends_on, year=True)
    weeks_text = (
        str(span.first)
        if span.first == span.last
        else w.gettext("%(first)s to %(last)s", first=span.first, last=span.last)
    )
    from tracker.reports.forest import forest

    return {
        "language": w.language,
        "direction": direction,
        "paper": {"a4": "a4", "letter": "us-letter"}.get(paper, "a4"),
        "words": words,
        "team": typed(retro.team),
        "generated_on": retro.generated_on,
        "range": {
            "label": span.label,
            "dates": dates,
            "weeks_text": weeks_text,
            "weeks_count": w.ngettext("%(num)d week", "%(num)d weeks", len(span.weeks)),
            "clipped_note": clipped,
        },
        "empty": retro.empty,
        "empty_title": w.gettext("No experiments ran in %(range)s.", range=span.label),
        "empty_text": w.gettext(
            "Nothing was started, running or decided between %(dates)s, so there are no "
            "results to report. The weeks, action items and what comes next are below.",
            dates=dates,
        ),
        "summary": _summary(retro, w),
        "findings": [typed(sentence) for sentence in retro.findings],
        "chapters": _chapters(retro, words),
        "weeks": [
            {"week": r.week, "dates": r.dates, "focus": typed(r.focus), "held": r.held}
            for r in retro.weeks
        ],
        "forest": forest(retro.decided),
        "loop": retro.loop,
        "decided": [_experiment(e, words, w) for e in retro.decided],
        "experiments_lead": (
            w.gettext(
                "%(decided)d decided and %(open)d still open at the end of the range, "
                "in the order they were decided.",
                decided=len(retro.decided),
                open=len(retro.running),
            )
            if retro.running
            else w.gettext(
                "%(decided)d decided, in the order they were decided.", decided=len(retro.decided)
            )
        ),
        "experiments": [_experiment(e, words, w) for e in retro.experiments],
        "stages": [
            {
                "name": typed(stage.name),
                "metrics": [
                    {
                        "name": typed(m.name),
                        "area": typed(m.area),
                        "direction_text": _better(m.direction, words),
                        "first": m.first,
                        "first_period": m.first_period,
                        "last": m.last,
                        "last_period": m.last_period,
                        "change": m.change,
                        "tone": m.tone,
                        "chart": m.chart_svg,
                    }
                    for m in stage.metrics
                ],
            }
            for stage in retro.stages
        ],
        "owners": [
            {
                "owner": typed(o.owner),
                "done": o.done,
                "open": o.open,
                "carried": o.carried,
                "stuck": o.stuck,
            }
            for o in retro.owners
        ],
        "actions": [
            {
                "title": typed(a.title),
                "owner": typed(a.owner),
                "bucket": a.bucket,
                "bucket_text": words.get(a.bucket, a.bucket).lower(),
                "finished_week": a.finished_week,
                "first_week": a.first_week,
                "due_week": a.due_week,
                "carried": a.carried,
            }
            for a in retro.actions
        ],
        "learnings": [
            {
                "text": typed(learning.text),
                "area": typed(learning.area),
                "tags": [typed(tag) for tag in learning.tags],
                "created_on": learning.created_on,
                "experiments": [typed(title) for title in learning.experiments],
            }
            for learning in retro.learnings
        ],
        "next": {
            "week": retro.next.week,
            "dates": retro.next.dates,
            "focus": typed(retro.next.focus),
            "hypotheses": [
                {
                    "title": typed(h["title"]),
                    "area": typed(h["area"]),
                    "score": h["score"],
                    "statement": _statement(h["parts"]),
                }
                for h in retro.next.hypotheses
            ],
        },
    }
