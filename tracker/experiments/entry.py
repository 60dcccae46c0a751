"""How a design's baseline and minimum detectable effect are typed: in the metric's
own terms, the way the calculator asks for them and every page shows them.

A proportion is typed as a percentage (12 for 12%) and its absolute effect in
percentage points (2 for 2 pp); a rate per its unit's scale (2.3 for "2.3 per
100 tickets"); a mean in its unit. A relative effect is a percentage of the
baseline (10 for a 10% lift). The design itself stores fractions and per-unit
rates, as the engine takes them: ``stored`` and ``typed`` convert.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from tracker.metrics.format import rate_scale

RELATIVE_FACTOR = 100.0


@dataclass(frozen=True, slots=True)
class EntryScale:
    """The scale a metric's figures are typed in.

    Attributes:
        kind: the metric's kind.
        factor: typed = stored × factor (100 for a proportion, the rate's scale).
        unit: the unit shown after the baseline ("%", "per 100 tickets", "USD").
        effect_unit: the unit of an absolute effect ("pp" for a proportion).
    """

    kind: str
    factor: float
    unit: str
    effect_unit: str

    def typed(self, stored: float | None, *, relative: bool = False) -> float | None:
        """A stored figure as the form shows it, rounded for reading."""
        if stored is None:
            return None
        value = stored * (RELATIVE_FACTOR if relative else self.factor)
        return float(f"{value:.6g}") if abs(value) >= 1 else round(value, 6)

    def stored(self, typed: float | None, *, relative: bool = False) -> float | None:
        """A typed figure in the engine's terms."""
        if typed is None:
            return None
        return typed / (RELATIVE_FACTOR if relative else self.factor)

    def labels(self) -> dict[str, str]:
        """The words beside the baseline and the effect, for the page and its script."""
        if self.kind == "proportion":
            return {
                "baseline_label": _("Baseline (%)"),
                "baseline_hint": _(
                    "The metric's recent level as a percentage, such as 12 for 12%, pooled "
                    "from its last four readings. Editable before launch."
                ),
                "mde_label": _("Minimum detectable effect (percentage points)"),
                "mde_hint": _(
                    "The smallest change worth detecting: 2 is two percentage points; with "
                    "'relative', 10 means a lift of 10%."
                ),
            }
        unit = self.unit or _("its unit")
        return {
            "baseline_label": _("Baseline (%(unit)s)", unit=unit),
            "baseline_hint": _(
                "The metric's recent level in %(unit)s, pooled from its last four readings. "
                "Editable before launch.",
                unit=unit,
            ),
            "mde_label": _("Minimum detectable effect (%(unit)s)", unit=unit),
            "mde_hint": _(
                "The smallest change worth detecting, in %(unit)s; with 'relative', 10 means a "
                "lift of 10%%.",
                unit=unit,
            ),
        }


def entry_scale(*, kind: str, unit: str) -> EntryScale:
    """The scale a metric of ``kind`` and ``unit`` is typed in.

    >>> entry_scale(kind="proportion", unit="").typed(0.223776)
    22.3776
    >>> entry_scale(kind="rate", unit="per 100 tickets").stored(2.5)
    0.025
    >>> entry_scale(kind="mean", unit="USD").typed(0.1, relative=True)
    10.0
    """
    if kind == "proportion":
        return EntryScale(kind, 100.0, "%", "pp")
    if kind == "rate":
        return EntryScale(kind, rate_scale(unit=unit), unit, unit)
    return EntryScale(kind, 1.0, unit, unit)
