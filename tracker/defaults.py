"""What a new Revloop starts with: the three areas and their eight processes
from the source article, the buyer-journey stages, and the metric presets of
PRODUCT.md. Plain data, so a migration can insert it without the models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, MetaData, Table, func, select

AREAS = (
    ("Marketing", "Demand generation and campaigns: from first touch to sales-qualified lead."),
    ("Sales", "Pipeline, deals and the sales process: from qualified lead to closed won."),
    ("Service", "Onboarding, support and retention: from customer to advocate."),
)

PROCESSES = (
    ("Marketing", "Campaign planning"),
    ("Marketing", "Campaign performance review"),
    ("Sales", "Pipeline review"),
    ("Sales", "Sales process"),
    ("Sales", "Sales performance review"),
    ("Sales", "Cross-sell and upsell"),
    ("Service", "Customer escalation"),
    ("Service", "Customer-satisfaction measurement"),
)

STAGES = ("Awareness", "Consideration", "Decision", "Onboarding", "Retention", "Expansion")

# area, name, kind, direction, stage, unit, formula, description
METRIC_PRESETS: tuple[dict[str, Any], ...] = (
    {
        "area": "Marketing",
        "name": "MQL to SQL conversion",
        "kind": "proportion",
        "direction": "higher",
        "stage": "Consideration",
        "unit": "%",
        "formula": "SQLs / MQLs",
        "description": "Share of marketing-qualified leads that sales accepts as qualified.",
    },
    {
        "area": "Marketing",
        "name": "Visitor to lead conversion",
        "kind": "proportion",
        "direction": "higher",
        "stage": "Awareness",
        "unit": "%",
        "formula": "leads / visitors",
        "description": "Share of website visitors who become leads.",
    },
    {
        "area": "Marketing",
        "name": "Cost per lead",
        "kind": "mean",
        "direction": "lower",
        "stage": "Awareness",
        "unit": "USD",
        "formula": "spend / leads",
        "description": "Average acquisition cost of one lead.",
    },
    {
        "area": "Sales",
        "name": "Win rate",
        "kind": "proportion",
        "direction": "higher",
        "stage": "Decision",
        "unit": "%",
        "formula": "won / opportunities",
        "description": "Share of opportunities closed won.",
    },
    {
        "area": "Sales",
        "name": "Average deal size",
        "kind": "mean",
        "direction": "higher",
        "stage": "Decision",
        "unit": "USD",
        "formula": "revenue won / deals won",
        "description": "Mean revenue of a won deal.",
    },
    {
        "area": "Sales",
        "name": "Sales cycle length",
        "kind": "mean",
        "direction": "lower",
        "stage": "Decision",
        "unit": "days",
        "formula": "mean days from SQL to close",
        "description": "How long a deal takes from qualified lead to close.",
    },
    {
        "area": "Sales",
        "name": "Pipeline velocity",
        "kind": "mean",
        "direction": "higher",
        "stage": "Decision",
        "unit": "USD/day",
        "formula": "opportunities x win rate x average deal size / cycle length",
        "description": "Derived: revenue the pipeline moves per day. Enter it as a mean.",
    },
    {
        "area": "Service",
        "name": "CSAT",
        "kind": "proportion",
        "direction": "higher",
        "stage": "Retention",
        "unit": "%",
        "formula": "4-5 ratings / all ratings",
        "description": "Share of satisfied customers among survey answers.",
    },
    {
        "area": "Service",
        "name": "NPS",
        "kind": "mean",
        "direction": "higher",
        "stage": "Retention",
        "unit": "points",
        "formula": "% promoters (9-10) - % detractors (0-6)",
        "description": "Derived: the mean of +100 (promoter), 0 (passive) and -100 (detractor) "
        "per answer, so it carries its own spread.",
    },
    {
        "area": "Service",
        "name": "First-contact resolution",
        "kind": "proportion",
        "direction": "higher",
        "stage": "Onboarding",
        "unit": "%",
        "formula": "resolved on first contact / tickets",
        "description": "Share of tickets solved without a second contact.",
    },
    {
        "area": "Service",
        "name": "Escalations per 100 tickets",
        "kind": "rate",
        "direction": "lower",
        "stage": "Retention",
        "unit": "per 100 tickets",
        "formula": "escalations / tickets",
        "description": "Escalations over tickets handled, shown per 100 tickets.",
    },
    {
        "area": "Service",
        "name": "Net revenue retention",
        "kind": "mean",
        "direction": "higher",
        "stage": "Expansion",
        "unit": "%",
        "formula": "(start MRR + expansion - contraction - churn) / start MRR",
        "description": "Derived: enter it as the mean over accounts of each account's retention.",
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
