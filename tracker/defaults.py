"""What a new Revloop starts with: the three areas and their eight processes
from the source article, the buyer-journey stages, and the metric presets of
PRODUCT.md. Plain data, so a migration can insert it without the models."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, MetaData, Table, func, select

from tracker.translation import N_


class _HasName(Protocol):
    name: str


_Named = TypeVar("_Named", bound=_HasName)

AREAS = (
    (
        N_("Marketing"),
        N_("Demand generation and campaigns: from first touch to sales-qualified lead."),
    ),
    (N_("Sales"), N_("Pipeline, deals and the sales process: from qualified lead to closed won.")),
    (N_("Service"), N_("Onboarding, support and retention: from customer to advocate.")),
)

PROCESSES = (
    (N_("Marketing"), N_("Campaign planning")),
    (N_("Marketing"), N_("Campaign performance review")),
    (N_("Sales"), N_("Pipeline review")),
    (N_("Sales"), N_("Sales process")),
    (N_("Sales"), N_("Sales performance review")),
    (N_("Sales"), N_("Cross-sell and upsell")),
    (N_("Service"), N_("Customer escalation")),
    (N_("Service"), N_("Customer-satisfaction measurement")),
)

STAGES = (
    N_("Awareness"),
    N_("Consideration"),
    N_("Decision"),
    N_("Onboarding"),
    N_("Retention"),
    N_("Expansion"),
)

# area, name (and a short one for the preset select, where needed), kind, direction,
# stage, unit, formula, description
METRIC_PRESETS: tuple[dict[str, Any], ...] = (
    {
        "area": "Marketing",
        "name": N_("MQL to SQL conversion"),
        # the preset select's name where the whole one would be cut (Arabic's is long)
        "short": N_("MQL to SQL"),
        "kind": "proportion",
        "direction": "higher",
        "stage": "Consideration",
        "unit": "%",
        "formula": N_("SQLs / MQLs"),
        "description": N_("Share of marketing-qualified leads that sales accepts as qualified."),
    },
    {
        "area": "Marketing",
        "name": N_("Visitor to lead conversion"),
        "kind": "proportion",
        "direction": "higher",
        "stage": "Awareness",
        "unit": "%",
        "formula": N_("leads / visitors"),
        "description": N_("Share of website visitors who become leads."),
    },
    {
        "area": "Marketing",
        "name": N_("Cost per lead"),
        "kind": "mean",
        "direction": "lower",
        "stage": "Awareness",
        "unit": "USD",
        "formula": N_("spend / leads"),
        "description": N_("Average acquisition cost of one lead."),
    },
    {
        "area": "Sales",
        "name": N_("Win rate"),
        "kind": "proportion",
        "direction": "higher",
        "stage": "Decision",
        "unit": "%",
        "formula": N_("won / opportunities"),
        "description": N_("Share of opportunities closed won."),
    },
    {
        "area": "Sales",
        "name": N_("Average deal size"),
        "kind": "mean",
        "direction": "higher",
        "stage": "Decision",
        "unit": "USD",
        "formula": N_("revenue won / deals won"),
        "description": N_("Mean revenue of a won deal."),
    },
    {
        "area": "Sales",
        "name": N_("Sales cycle length"),
        "kind": "mean",
        "direction": "lower",
        "stage": "Decision",
        "unit": "days",
        "formula": N_("mean days from SQL to close"),
        "description": N_("How long a deal takes from qualified lead to close."),
    },
    {
        "area": "Sales",
        "name": N_("Pipeline velocity"),
        "kind": "mean",
        "direction": "higher",
        "stage": "Decision",
        "unit": "USD/day",
        "formula": N_("opportunities x win rate x average deal size / cycle length"),
        "description": N_("Derived: revenue the pipeline moves per day. Enter it as a mean."),
    },
    {
        "area": "Service",
        "name": N_("CSAT"),
        "kind": "proportion",
        "direction": "higher",
        "stage": "Retention",
        "unit": "%",
        "formula": N_("4-5 ratings / all ratings"),
        "description": N_("Share of satisfied customers among survey answers."),
    },
    {
        "area": "Service",
        "name": N_("NPS"),
        "kind": "mean",
        "direction": "higher",
        "stage": "Retention",
        "unit": "points",
        "formula": "% promoters (9-10) - % detractors (0-6)",
        "description": N_(
            "Derived: the mean of +100 (promoter), 0 (passive) and -100 (detractor) "
            "per answer, so it carries its own spread."
        ),
    },
    {
        "area": "Service",
        "name": N_("First-contact resolution"),
        "kind": "proportion",
        "direction": "higher",
        "stage": "Onboarding",
        "unit": "%",
        "formula": N_("resolved on first contact / tickets"),
        "description": N_("Share of tickets solved without a second contact."),
    },
    {
        "area": "Service",
        "name": N_("Escalations per 100 tickets"),
        "kind": "rate",
        "direction": "lower",
        "stage": "Retention",
        "unit": "per 100 tickets",
        "formula": N_("escalations / tickets"),
        "description": N_("Escalations over tickets handled, shown per 100 tickets."),
    },
    {
        "area": "Service",
        "name": N_("Net revenue retention"),
        "kind": "mean",
        "direction": "higher",
        "stage": "Expansion",
        "unit": "%",
        "formula": N_("(start MRR + expansion - contraction - churn) / start MRR"),
        "description": N_(
            "Derived: enter it as the mean over accounts of each account's retention."
        ),
    },
)


def seed_language() -> str:
    """The language a new instance's defaults are written in: the team's
    (``TRACKER_LANGUAGE``, the running app's when there is one) if Revloop speaks
    it, else English. After that they are the team's own data, renamed at will."""
    import os

    from flask import current_app, has_app_context

    from tracker.i18n import base_language
    from tracker.languages import LANGUAGES

    configured = current_app.config.get("LANGUAGE") if has_app_context() else None
    language = base_language(configured or os.environ.get("TRACKER_LANGUAGE"))
    return language if language in LANGUAGES else "en"


def default_names(english: str) -> set[str]:
    """A default's English name and its name in every language Revloop speaks:
    how a preset or the demo finds the default area or stage a team was given.

    >>> sorted(default_names("Sales"))
    ['Sales', 'المبيعات']
    """
    from tracker.languages import LANGUAGES, catalogue

    return {english} | {str(catalogue(code).gettext(english)) for code in LANGUAGES}


def by_default_name(records: Iterable[_Named]) -> dict[str, _Named]:
    """Records by their name, each default also by its English name, whatever
    language the instance was set up in."""
    english = {
        translated: name
        for name in (*(a for a, _ in AREAS), *(p for _, p in PROCESSES), *STAGES)
        for translated in default_names(name)
    }
    found: dict[str, _Named] = {}
    for record in records:
        found[record.name] = record
        found.setdefault(english.get(record.name, record.name), record)
    return found


def insert_defaults(connection: Connection, language: str | None = None) -> None:
    """Insert the default areas, processes, stages and settings into the tables
    that are empty: once, and again after a downgrade removed them; in ``language``
    (the team's, see ``seed_language``)."""
    from tracker.languages import catalogue

    say = catalogue(language or seed_language()).gettext
    meta = MetaData()
    area, process, stage, settings = (
        Table(name, meta, autoload_with=connection)
        for name in ("area", "process", "stage", "team_settings")
    )

    def empty(table: Table) -> bool:
        return not connection.execute(select(func.count()).select_from(table)).scalar()

    if empty(area):
        connection.execute(
            area.insert(),
            [
                {"name": say(name), "description": say(description), "rank": rank, "active": True}
                for rank, (name, description) in enumerate(AREAS, start=1)
            ],
        )
    ids = dict(connection.execute(select(area.c.name, area.c.id)).all())
    if empty(process):
        rows = [
            {"area_id": ids[say(a)], "name": say(name)} for a, name in PROCESSES if say(a) in ids
        ]
        if rows:
            connection.execute(process.insert(), rows)
    if empty(stage):
        connection.execute(
            stage.insert(),
            [{"name": say(name), "position": position} for position, name in enumerate(STAGES, 1)],
        )
    if empty(settings):
        connection.execute(
            settings.insert(),
            [
                {
                    "id": 1,
                    "priority_model": "ice",
                    "focus_area_id": ids.get(say("Marketing")),
                    "timezone": "UTC",
                }
            ],
        )
