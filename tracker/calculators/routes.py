"""The calculators: the sample size a test needs, and what a finished test says,
for use before anything is saved."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from tracker.calculators.forms import SampleSizeForm, SignificanceForm
from tracker.calculators.sentences import caveat_message, engine_message, summary
from tracker.i18n import html, localize_figures, ltr

bp = Blueprint("calculators", __name__, url_prefix="/calculators")

KIND_NAMES = {"proportion": _l("proportion"), "mean": _l("mean"), "rate": _l("rate")}

# An engine message starting with one of these belongs beside that field.
_MESSAGE_FIELDS = (
    ("baseline + mde", "mde"),
    ("baseline_rate + mde", "mde"),
    ("baseline_rate", "baseline"),
    ("baseline", "baseline"),
    ("mde", "mde"),
    ("sd", "sd"),
    ("alpha", "alpha"),
    ("power", "power"),
    ("ratio", "ratio"),
)


@dataclass(frozen=True)
class SizePlan:
    control: int
    variant: int
    variants: int
    total: int
    weeks: int | None
    alpha_per_variant: float
    unit: str  # "trials in control", in the reader's language


@bp.get("/")
def index() -> ResponseReturnValue:
    size_form = SampleSizeForm(request.args if _submitted("size") else None, prefix="size")
    sig_form = SignificanceForm(request.args if _submitted("sig") else None, prefix="sig")
    plan = _plan(size_form) if _submitted("size") else None
    comparison = _significance(sig_form) if _submitted("sig") else None
    failed = (_submitted("size") and plan is None) or (_submitted("sig") and comparison is None)
    return render_template(
        "calculators/index.html",
        size_form=size_form,
        sig_form=sig_form,
        plan=plan,
        comparison=comparison,
        active="sig" if _submitted("sig") else "size",
        kind_names=KIND_NAMES,
        caveat_message=caveat_message,
    ), (422 if failed else 200)


def _submitted(prefix: str) -> bool:
    return f"{prefix}-kind" in request.args


def _put_beside(form: Any, message: str, fallback: str) -> None:
    """Show an engine's ValueError beside the field it names, else at ``fallback``."""
    for prefix, name in _MESSAGE_FIELDS:
        if message.startswith(prefix + " ") and hasattr(form, name):
            target = getattr(form, name)
            break
    else:
        target = getattr(form, fallback)
    target.errors = [*target.errors, engine_message(message)]


def _plan(form: SampleSizeForm) -> SizePlan | None:
    if not form.validate():
        return None
    from experiments.stats import (
        InsufficientDataError,
        sample_size_mean,
        sample_size_proportion,
        sample_size_rate,
    )

    kind = form.kind.data
    relative = form.mde_type.data == "relative"
    mde = float(form.mde.data) / 100 if relative else float(form.mde.data)
    variants = int(form.variants.data)
    # Several variants share the false-positive budget (Bonferroni), as the
    # analysis adjusts their p-values.
    alpha = float(form.alpha.data) / variants
    options: dict[str, Any] = {
        "relative": relative,
        "alpha": alpha,
        "power": float(form.power.data),
        "ratio": float(form.ratio.data),
        "alternative": form.alternative.data,
    }
    try:
        if kind == "proportion":
            baseline = float(form.baseline.data) / 100
            if not relative:
                mde = float(form.mde.data) / 100  # percentage points
            size = sample_size_proportion(baseline, mde, **options)
            unit = _("trials in control")
        elif kind == "mean":
            size = sample_size_mean(
                float(form.sd.data), mde, baseline=float(form.baseline.data), **options
            )
            unit = _("units in control")
        else:
            size = sample_size_rate(float(form.baseline.data), mde, **options)
            unit = _("units of exposure in control")
    except (InsufficientDataError, ValueError, TypeError) as error:
        _put_beside(form, str(error), "mde")
        return None
    total = size.control + variants * size.variant
    volume = form.weekly_volume.data
    weeks = math.ceil(total / volume) if volume else None
    return SizePlan(
        control=size.control,
        variant=size.variant,
        variants=variants,
        total=total,
        weeks=weeks,
        alpha_per_variant=alpha,
        unit=unit,
    )


def _significance(form: Any) -> dict[str, Any] | None:
    if not form.validate():
        return None
    from experiments.stats import InsufficientDataError, Mean, Proportion, Rate, compare

    kind = form.kind.data
    arm_class: Any = {"proportion": Proportion, "mean": Mean, "rate": Rate}[kind]
    try:
        control = arm_class(**form.arm("control"))
        variant = arm_class(**form.arm("variant"))
        result = compare(
            control, variant, alpha=float(form.alpha.data), alternative=form.alternative.data
        )
    except (InsufficientDataError, ValueError, TypeError) as error:
        message = engine_message(str(error), comparing=True)
        target = form.alpha if str(error).startswith("alpha") else form.kind
        if not str(error).startswith("alpha"):
            form.form_errors.append(message)
        else:
            target.errors = [*target.errors, message]
        return None
    return {
        "result": result,
        "summary": summary(result),
        "rows": present(result, kind),
        "kind": kind,
    }


def _figure(value: float, kind: str, *, signed: bool = False) -> str:
    """An estimate or a difference as the page shows it: percent for proportions."""
    if math.isinf(value):
        return "+∞" if value > 0 else "−∞"
    sign = "+" if signed else ""
    if kind == "proportion":
        return localize_figures(f"{100 * value:{sign},.2f}%").replace("-", "−")
    return localize_figures(f"{value:{sign},.4g}").replace("-", "−")


def _lift(value: float) -> str:
    if math.isinf(value):
        return "+∞" if value > 0 else "−∞"
    return localize_figures(f"{100 * value:+.1f}%").replace("-", "−")


def _interval(bounds: tuple[float, float], show: Any, level: str) -> Markup:
    """ "95% CI +1.8% to +66.1%", each figure a left-to-right run."""
    return html(
        _("%(level)s CI %(low)s to %(high)s"),
        level=ltr(level),
        low=ltr(show(bounds[0])),
        high=ltr(show(bounds[1])),
    )


# How the engine names its tests, in the reader's words.
METHODS = {
    "Score test of two proportions (pooled z-test)": _l(
        "Score test of two proportions (pooled z-test)"
    ),
    "Welch's t-test": _l("Welch's t-test"),
    "Score test of two Poisson rates (rate ratio)": _l(
        "Score test of two Poisson rates (rate ratio)"
    ),
}


def present(result: Any, kind: str) -> list[tuple[str, str, str]]:
    """The comparison's rows: (what, value, its interval)."""
    level = localize_figures(f"{100 * (1 - result.alpha):g}%")
    rows: list[tuple[str, str, str]] = [
        (_("Control"), _figure(result.control_estimate, kind), ""),
        (_("Variant"), _figure(result.variant_estimate, kind), ""),
        (
            _("Difference (points)") if kind == "proportion" else _("Difference"),
            _figure(result.difference, kind, signed=True),
            _interval(result.difference_ci, lambda v: _figure(v, kind, signed=True), level),
        ),
    ]
    if result.lift is not None and result.lift_ci is not None:
        rows.append((_("Lift"), _lift(result.lift), _interval(result.lift_ci, _lift, level)))
    p_value = (
        "< " + localize_figures("0.001")
        if result.p_value < 0.001
        else localize_figures(f"{result.p_value:.3f}")
    )
    rows.append((_("p-value"), p_value, str(METHODS.get(result.method, result.method))))
    if result.exact_p_value is not None:
        rows.append(
            (
                _("Exact p-value"),
                localize_figures(f"{result.exact_p_value:.3f}"),
                _("Fisher's exact test"),
            )
        )
    rows.append(
        (
            _("Chance to beat control"),
            localize_figures(f"{100 * result.chance_to_beat_control:.1f}%"),
            _("Bayesian, flat prior"),
        )
    )
    return rows
