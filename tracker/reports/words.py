"""The report's own words (headings, labels, the footer), translated through
the interface's catalogue (language.py). The template reads them as data, like
everything else: no translated text is ever spliced into its markup."""

from __future__ import annotations

from tracker.reports.language import Wording


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue; it is translated in ``words_for``."""
    return message


EN: dict[str, str] = {
    "retrospective": N_("Retrospective"),
    "prepared": N_("prepared"),
    "page_of": N_("Page {n} of {m}"),
    "focus_areas": N_("Focus areas"),
    "no_focus": N_("none chosen"),
    "kpi_decided": N_("experiments decided"),
    "kpi_win_rate": N_("win rate"),
    "kpi_days": N_("median days to decision"),
    "kpi_on_time": N_("action items done on time"),
    "findings": N_("What we learned, what comes next"),
    "contents": N_("Contents"),
    "cycles_covered": N_("cycles covered"),
    "started": N_("experiments started"),
    "per_week": N_("started per week"),
    "still_running": N_("still running"),
    "won": N_("won"),
    "lost": N_("lost"),
    "inconclusive": N_("inconclusive"),
    "untrustworthy": N_("not trustworthy (SRM)"),
    "focus_by_week": N_("Focus area by week"),
    "week": N_("Week"),
    "dates": N_("Dates"),
    "focus_area": N_("Focus area"),
    "no_cycle": N_("no cycle recorded"),
    "action_items": N_("Action items"),
    "action_figures": N_("Action items in figures"),
    "count": N_("Count"),
    "created_in_range": N_("Created in the range"),
    "done_in_range": N_("Done in the range"),
    "due_in_range": N_("Due in the range"),
    "done_on_time": N_("Done by their due week"),
    "carried_long": N_("Carried (still open, moved at least once)"),
    "stuck_long": N_("Stuck (carried three times or more)"),
    "summary_note": N_(
        "An experiment counts as started when its start date is in the range and as "
        "decided when its decision was recorded in the range. The win rate is trustworthy "
        "wins / decided: a result that failed the sample-ratio check is never a win. Days "
        "to decision run from the start date to the decision."
    ),
    "forest_lead": N_(
        "Each line is one decided experiment: the dot is the lift of its primary metric "
        "over control, the bar its interval (95%). A bar that crosses zero did not rule out "
        "no effect."
    ),
    "legend_untrustworthy": N_("not trustworthy (sample-ratio mismatch)"),
    "legend_lower": N_("lower is better: a negative lift is the gain"),
    "srm_note": N_("SRM: not trustworthy"),
    "higher_better": N_("higher is better"),
    "guard_worse": N_("worse"),
    "guard_better": N_("better"),
    "guard_held": N_("held"),
    "guard_no_data": N_("no data"),
    "ship": N_("ship"),
    "iterate": N_("iterate"),
    "abandon": N_("abandon"),
    "status_running": N_("running"),
    "status_stopped": N_("stopped"),
    "status_decided": N_("decided"),
    "dropped": N_("dropped"),
    "lower_better": N_("lower is better"),
    "forest_axis": N_(
        "Lift of the primary metric over control, with its interval (95%) · ▼ lower is better"
    ),
    "forest_caption": N_(
        "Colour is the outcome the team recorded. Numbers refer to the experiment "
        "sections that follow."
    ),
    "experiment": N_("Experiment"),
    "primary_metric": N_("Primary metric"),
    "outcome": N_("Outcome"),
    "decision": N_("Decision"),
    "lift": N_("Lift"),
    "days": N_("Days"),
    "srm_short": N_("SRM"),
    "arm": N_("Arm"),
    "sample": N_("sample"),
    "lift_interval": N_("Lift over control (interval, 95%)"),
    "p_chance": N_("p-value · chance to beat control"),
    "control": N_("control"),
    "guardrail": N_("Guardrail"),
    "guardrail_verdict": N_("Verdict"),
    "owner": N_("owner"),
    "not_trustworthy": N_("Not trustworthy."),
    "hypothesis": N_("Hypothesis"),
    "verdict": N_("Verdict"),
    "preliminary": N_("preliminary"),
    "decided_early": N_("Decided before the planned sample:"),
    "learnings": N_("Learnings"),
    "metrics_lead": N_(
        "The first and the last reading of each metric in the range, with its weekly "
        "trend (the last dot is green when the metric moved the way the team wants)."
    ),
    "metric": N_("Metric"),
    "first": N_("First"),
    "last": N_("Last"),
    "change": N_("Change"),
    "trend": N_("Trend"),
    "done": N_("Done"),
    "open": N_("Open"),
    "carried": N_("Carried"),
    "stuck": N_("Stuck"),
    "action_item": N_("Action item"),
    "status": N_("Status"),
    "from": N_("From"),
    "due": N_("Due"),
    "from_experiments": N_("from"),
    "cycle": N_("Cycle"),
    "not_chosen": N_("not chosen yet"),
    "selected_next": N_("Selected for the next cycle"),
    "score": N_("score"),
    "none_selected": N_("No hypotheses are selected for the next cycle yet."),
    # chapters: title, eyebrow
    "summary": N_("Summary"),
    "summary_eyebrow": N_("Overview"),
    "decided": N_("All decided experiments"),
    "decided_eyebrow": N_("Results at a glance"),
    "experiments": N_("Experiments"),
    "experiments_eyebrow": N_("What we tried"),
    "metrics": N_("Metrics by buyer-journey stage"),
    "metrics_eyebrow": N_("The revenue engine"),
    "actions": N_("Action plan"),
    "actions_eyebrow": N_("Response plan"),
    "learnings_title": N_("Learnings"),
    "learnings_eyebrow": N_("What we know now"),
    "loop": N_("Forecasts and impact"),
    "loop_eyebrow": N_("The loop learns"),
    "forecasts_title": N_("How good are our forecasts?"),
    "brier_score": N_("Brier score"),
    "brier_hint": N_("0 is perfect; lower is better"),
    "reference_brier": N_("Always forecasting the win rate"),
    "skill": N_("Skill"),
    "skill_hint": N_("above 0 beats the win rate"),
    "with_forecast": N_("Decided with a forecast"),
    "calibration": N_("Calibration"),
    "calibration_note": N_(
        "Forecasts in fifths against the share that won, with 95% Wilson intervals. "
        "A calibrated team's points sit on the dashed line."
    ),
    "forecast": N_("Forecast"),
    "bins": N_("Bins"),
    "decided_count": N_("Decided"),
    "won_count": N_("Won"),
    "share_won": N_("Share won (95% CI)"),
    "by_scorer": N_("By scorer"),
    "scorer": N_("Scorer"),
    "decided_forecasts": N_("Decided forecasts"),
    "no_scorer": N_("No scorer has a decided forecast in this range."),
    "expected_measured": N_("Expected against measured lift"),
    "ice_told": N_("What the ICE scores told us"),
    "ledger_title": N_("Impact ledger"),
    "ledger_note": N_("Every shipped winner to date, whatever the range."),
    "shipped_winner": N_("Shipped winner"),
    "measured_lift": N_("Measured lift"),
    "shrunk_lift": N_("Shrunk lift (95% CI)"),
    "annual_value": N_("Annual value (95% CI)"),
    "since_shipping": N_("Since shipping"),
    "shipped_on": N_("shipped"),
    "no_unit_value": N_("no unit value"),
    "no_winner": N_("No experiment has been shipped as a winner yet."),
    "total_year": N_("Total a year"),
    "next": N_("Next"),
    "next_eyebrow": N_("Looking ahead"),
}


def words_for(wording: Wording) -> dict[str, str]:
    """The report's words in ``wording``'s language, through the interface's
    catalogue (a word without a translation stays English)."""
    return {key: wording.gettext(text) for key, text in EN.items()}
