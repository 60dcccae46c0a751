"""What a new Revloop starts with: the three areas and their eight processes
from the source article, the buyer-journey stages, and the metric presets of
PRODUCT.md. Plain data, so a migration can insert it without the models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, MetaData, Table, func, select

from tracker.translation import N_

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

# area, name, kind, direction, stage, unit, formula, description
METRIC_PRESETS: tuple[dict[str, Any], ...] = (
    {
        "area": "Marketing",
        "name": N_("MQL to SQL conversion"),
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


def insert_defaults(connection: Connection) -> None:
    """Insert the default areas, processes, stages and settings into the tables
    that are empty: once, and again after a downgrade removed them."""
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
                {"name": name, "description": description, "rank": rank, "active": True}
                for rank, (name, description) in enumerate(AREAS, start=1)
            ],
        )
    ids = dict(connection.execute(select(area.c.name, area.c.id)).all())
    if empty(process):
        rows = [{"area_id": ids[a], "name": name} for a, name in PROCESSES if a in ids]
        if rows:
            connection.execute(process.insert(), rows)
    if empty(stage):
        connection.execute(
            stage.insert(),
            [{"name": name, "position": position} for position, name in enumerate(STAGES, 1)],
        )
    if empty(settings):
        connection.execute(
            settings.insert(),
            [
                {
                    "id": 1,
                    "priority_model": "ice",
                    "focus_area_id": ids.get("Marketing"),
                    "timezone": "UTC",
                }
            ],
        )
